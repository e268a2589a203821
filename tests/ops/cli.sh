#!/bin/sh
# The command lines: -V and -h of vland and vlanctl (exit 0, on standard
# output), vlanctl help, -j and -s after the command as well as before,
# exit status 1 for a usage error, and the system's word on a missing file.
#   cli.sh VLAND VLANCTL
set -u
vland=$1 vlanctl=$2
fails=0
check() {
	_what=$1
	shift
	if "$@" >/dev/null 2>&1; then echo "ok   $_what"; else echo "FAIL $_what"; fails=$((fails + 1)); fi
}
ver=$(sed -n "s/^ *version: '\([^']*\)',.*/\1/p" "$(dirname "$0")/../../meson.build" | head -1)
check "vland -V prints the version ($ver)" sh -c "[ \"\$('$vland' -V)\" = 'vland $ver' ]"
check "vlanctl -V prints the version" sh -c "[ \"\$('$vlanctl' -V)\" = 'vlanctl $ver' ]"
check "vland -h: usage on standard output, exit 0" sh -c "'$vland' -h | grep -q '^usage: vland'"
check "vlanctl -h: usage on standard output, exit 0" sh -c "'$vlanctl' -h | grep -q '^usage: vlanctl'"
check "vlanctl help lists the commands" sh -c "'$vlanctl' help | grep -q '^  reload'"
check "a usage error exits 1" sh -c "'$vlanctl' -x; [ \$? -eq 1 ]"
check "vland with an unknown option exits 1" sh -c "'$vland' -x; [ \$? -eq 1 ]"
# -s after the command is taken (the error names that socket), and -j
# after it is no usage error.
check "-s after the command" sh -c \
    "'$vlanctl' show status -s /nonexistent/vlt.sock 2>&1 | grep -q '/nonexistent/vlt.sock'"
check "-j after the command" sh -c \
    "'$vlanctl' show endpoints -j -s /nonexistent/vlt.sock 2>&1 | grep -q '/nonexistent/vlt.sock'"
check "-s before the command, as before" sh -c \
    "'$vlanctl' -s /nonexistent/vlt.sock show status 2>&1 | grep -q '/nonexistent/vlt.sock'"
check "a missing key file: vlanctl says what the system said" sh -c \
    "'$vlanctl' pubkey /nonexistent/hub.key 2>&1 | grep -q 'No such file or directory'"
[ "$fails" -eq 0 ]
