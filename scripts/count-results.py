#!/usr/bin/env python3
"""Count meson's real test results (meson-logs/testlog.json) and print the
closing line 'N passed, N failed[, N skipped]'. Exit 1 if anything failed
or nothing ran."""
import json
import sys

passed = failed = skipped = 0
names_failed = []
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        print(f"count-results: {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        if not line.strip():
            continue
        t = json.loads(line)
        r = t.get("result", "")
        if r == "OK":
            passed += 1
        elif r in ("SKIP", "EXPECTEDFAIL"):
            skipped += 1
        else:
            failed += 1
            names_failed.append(f"{t.get('name')} ({r})")

for n in names_failed:
    print(f"FAILED: {n}")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
