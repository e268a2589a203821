#!/bin/sh
# Every configuration key the parser knows (its key tables) is documented
# in vland.yaml(5), and every vlanctl command in vlanctl(8).
#   mankeys.sh SRCDIR
set -u
src=$1
fails=0
keys=$(sed -n 's/^	{ "\([a-z-]*\)", K_[A-Z_]*,.*/\1/p' "$src/common/config_parse.c" | sort -u)
[ -n "$keys" ] || { echo "no keys found in config_parse.c"; exit 1; }
for k in $keys; do
	grep -q "^\.It Ic $k\b" "$src/man/vland.yaml.5" ||
		{ echo "vland.yaml.5 does not document key '$k'"; fails=$((fails + 1)); }
done
cmds=$(sed -n 's/^	{ "\([a-z]*\)", cmd_[a-z]*,.*/\1/p' "$src/daemons/vlanctl/vlanctl.c")
for c in $cmds; do
	grep -q "^\.It.*Cm $c\b" "$src/man/vlanctl.8" ||
		{ echo "vlanctl.8 does not document command '$c'"; fails=$((fails + 1)); }
done
echo "$(echo "$keys" | wc -l) keys, $(echo "$cmds" | wc -w) commands checked"
exit $((fails != 0))
