/*
 * libFuzzer target: the configuration loader (YAML reader, key handlers,
 * checks, and the normalised printer on whatever parses).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg, again;
	struct cfg_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (cfg_parse((const char *)data, size, "/etc/vland/vland.yaml", &cfg,
		&err) == 0) {
		/* Whatever parses must print and parse back the same. */
		if ((f = open_memstream(&text, &len)) == NULL)
			abort();
		cfg_print(f, &cfg, true);
		fclose(f);
		if (cfg_parse(text, len, "/etc/vland/vland.yaml", &again,
			&err) != 0)
			abort();
		free(text);
		cfg_clear(&cfg);
		cfg_clear(&again);
	}
	return 0;
}
