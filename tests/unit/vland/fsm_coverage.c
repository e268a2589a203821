/*
 * Every transition the state machines allow is taken by some test: the
 * namespace tests' daemons note each transition they take in a trace
 * directory (fsm.h, VLAND_FSM_TRACE), and this runs after them all. A
 * transition no test reaches is either untested or not needed.
 *   fsm_coverage TRACEDIR   (exit 77, skipped, when nothing was traced)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsm.h"
#include "states.h"

#define SEEN_MAX 512

static char seen[SEEN_MAX][96];
static unsigned nseen;

static void
read_trace(const char *path)
{
	char line[96];
	FILE *f;
	unsigned i;

	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], line) == 0)
				break;
		if (i == nseen && nseen < SEEN_MAX)
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", line);
	}
	fclose(f);
}

static bool
was_seen(const char *line)
{
	unsigned i;

	for (i = 0; i < nseen; i++)
		if (strcmp(seen[i], line) == 0)
			return true;
	return false;
}

static unsigned
check(const struct fsm_def *d)
{
	char line[96];
	unsigned from, to, missing = 0, n = 0;

	for (from = 0; from < d->nstates; from++)
		for (to = 0; to < d->nstates; to++) {
			if (from == to || !(d->allowed[from] >> to & 1))
				continue;
			n++;
			snprintf(line, sizeof(line), "%s %s %s", d->name,
			    d->states[from], d->states[to]);
			if (!was_seen(line)) {
				printf("not reached by any test: %s %s -> %s\n",
				    d->name, d->states[from], d->states[to]);
				missing++;
			}
		}
	printf("%s: %u of %u transitions reached\n", d->name, n - missing, n);
	return missing;
}

int
main(int argc, char **argv)
{
	char path[1024];
	struct dirent *e;
	unsigned files = 0, missing;
	DIR *dir;

	if (argc != 2 || (dir = opendir(argv[1])) == NULL) {
		printf("no trace directory: run the whole suite "
		       "(scripts/test.sh)\n");
		return 77;
	}
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
		read_trace(path);
		files++;
	}
	closedir(dir);
	if (files == 0) {
		printf("nothing traced: the namespace tests did not run\n");
		return 77;
	}
	printf("%u daemons traced\n", files);
	missing = check(&hub_session_fsm) + check(&endpoint_session_fsm) +
	    check(&endpoint_fsm);
	return missing == 0 ? 0 : 1;
}
