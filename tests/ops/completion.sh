#!/bin/bash
# The bash completion of vlanctl: commands, their words and options,
# user names from the users file, and nothing odd for a full line.
#   completion.sh SRCDIR VLANCTL
set -u
src=$1
PATH=$(dirname "$2"):$PATH
# shellcheck source=/dev/null
. "$src/etc/completion/vlanctl.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
printf 'alice:%s\nbob:%s\n' "$(mkpasswd -m yescrypt a)" \
    "$(mkpasswd -m yescrypt b)" >"$t/users"
fails=0
# complete LINE WANT: the completions of LINE (cursor at its end)
complete_is() {
	read -r -a COMP_WORDS <<<"$1"
	[[ $1 == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_vlanctl
	got="${COMPREPLY[*]}"
	if [[ $got == "$2" ]]; then
		echo "ok   '$1' -> $2"
	else
		echo "FAIL '$1' -> '$got', want '$2'"
		fails=$((fails + 1))
	fi
}
complete_is "vlanctl " "genkey pubkey user show kick reload log help"
complete_is "vlanctl sh" "show"
complete_is "vlanctl show " "endpoints status routes sessions peers"
complete_is "vlanctl -s /run/x.sock show r" "routes"
complete_is "vlanctl user " "add del passwd lock unlock list import"
complete_is "vlanctl user passwd -f $t/users " "alice bob"
complete_is "vlanctl user lock -f $t/users b" "bob"
complete_is "vlanctl user add -" "-c -f"
complete_is "vlanctl log " "verbose brief"
complete_is "vlanctl -" "-h -j -V -s"
complete_is "vlanctl show endpoints " ""
exit $((fails != 0))
