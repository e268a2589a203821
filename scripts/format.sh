#!/bin/sh
# Format every C source and header of the tree to .clang-format (the
# test ops-format checks that nothing is left unformatted).
cd "$(dirname "$0")/.." || exit 1
find common platform proto daemons tests -name '*.[ch]' -exec clang-format -i {} +
