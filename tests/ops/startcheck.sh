#!/bin/sh
# vland -n checks what start needs, as sshd -t does, one line per
# problem with its fix: a configuration vland-auth cannot read, a
# missing private key, a control-group that does not exist, a missing
# password-file, helpers that are not there; a missing users file is a
# warning (the hub starts without users). A complete set-up says
# "configuration OK". vland -N checks the file alone. Needs root (the
# checks judge files for the daemons' users); skips otherwise.
#   startcheck.sh VLAND VLANCTL
set -u
vland=$1 vlanctl=$2
[ "$(id -u)" -eq 0 ] || { echo "needs root"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
chmod 755 "$t"
mkdir "$t/libexec"
for h in vland-ifmgr vland-auth; do
	printf '#!/bin/sh\n' >"$t/libexec/$h"
	chmod 755 "$t/libexec/$h"
done
export VLAND_LIBEXEC="$t/libexec"
fails=0
# run NAME FILE: vland -n on FILE, output in $t/NAME.out, status in rc
run() {
	"$vland" -n -f "$2" >"$t/$1.out" 2>&1
	rc=$?
}
# expect NAME WHAT TEXT: the output of run NAME has TEXT and status 1
expect() {
	if [ "$rc" -eq 1 ] && grep -qF -- "$3" "$t/$1.out"; then
		echo "ok   $2"
	else
		echo "FAIL $2 (status $rc):"
		sed 's/^/     /' "$t/$1.out"
		fails=$((fails + 1))
	fi
}

# A hub, complete.
"$vlanctl" genkey "$t/hub.key" >/dev/null
printf 'alice:%s\n' "$(mkpasswd -m yescrypt pw)" >"$t/users"
chgrp _vland-auth "$t/users"
chmod 640 "$t/users"
cat >"$t/vland.yaml" <<CFG
ip: 192.168.123.254/24
dhcp-range: 192.168.123.100-192.168.123.200
private-key: hub.key
users: users
CFG
chgrp _vland "$t/vland.yaml"
chmod 640 "$t/vland.yaml"
run good "$t/vland.yaml"
if [ "$rc" -eq 0 ] && grep -q "configuration OK" "$t/good.out"; then
	echo "ok   a complete hub checks"
else
	echo "FAIL a complete hub (status $rc):"; cat "$t/good.out"
	fails=$((fails + 1))
fi

chmod 600 "$t/vland.yaml"
run unreadable "$t/vland.yaml"
expect unreadable "a configuration vland-auth cannot read" \
    "error: configuration $t/vland.yaml is not readable by _vland-auth; it stops at $t/vland.yaml: fix the owner, group or mode there"
chmod 640 "$t/vland.yaml"
chmod 700 "$t"
run dir "$t/vland.yaml"
expect dir "... nor reach" "is not readable by _vland-auth; it stops at $t: fix"
chmod 755 "$t"

mv "$t/hub.key" "$t/hub.key.away"
run nokey "$t/vland.yaml"
expect nokey "a missing private key, with the command that makes one" \
    "error: private-key $t/hub.key does not exist; make one with vlanctl genkey $t/hub.key"
mv "$t/hub.key.away" "$t/hub.key"
chmod 644 "$t/hub.key"
run openkey "$t/vland.yaml"
expect openkey "a private key others may read" "error: private-key $t/hub.key: "
chmod 600 "$t/hub.key"

printf 'control-group: nosuchgroup\n' >>"$t/vland.yaml"
run group "$t/vland.yaml"
expect group "a control-group that does not exist" \
    "error: control-group: no group nosuchgroup; create it, or name another"
sed -i '/^control-group/d' "$t/vland.yaml"

mv "$t/users" "$t/users.away"
run nousers "$t/vland.yaml"
if [ "$rc" -eq 0 ] && grep -q "warning: users file $t/users does not exist yet" "$t/nousers.out"; then
	echo "ok   a missing users file is a warning: the hub starts"
else
	echo "FAIL a missing users file (status $rc):"; cat "$t/nousers.out"
	fails=$((fails + 1))
fi
mv "$t/users.away" "$t/users"

VLAND_LIBEXEC=$t/nowhere run nohelper "$t/vland.yaml"
expect nohelper "helpers that are not there" \
    "error: helper $t/nowhere/vland-ifmgr: No such file or directory; install vland whole, or set VLAND_LIBEXEC"

# An endpoint whose password-file is missing.
cat >"$t/alice.yaml" <<CFG
connect:
  server: hub.example.net:6123
  server-key: $("$vlanctl" pubkey "$t/hub.key")
  user: alice
  password-file: alice.pass
CFG
run nopass "$t/alice.yaml"
expect nopass "a missing password-file" "error: password-file $t/alice.pass does not exist"
printf 'pw\n' >"$t/alice.pass"
chmod 600 "$t/alice.pass"
run pass "$t/alice.yaml"
[ "$rc" -eq 0 ] && echo "ok   with it, the endpoint checks" ||
    { echo "FAIL the endpoint with its password-file:"; cat "$t/pass.out"; fails=$((fails + 1)); }

# -N: the file alone, wherever it is checked.
mv "$t/hub.key" "$t/hub.key.away"
"$vland" -N -f "$t/vland.yaml" >"$t/N.out" 2>&1
[ $? -eq 0 ] && echo "ok   vland -N checks the file alone" ||
    { echo "FAIL vland -N:"; cat "$t/N.out"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ]
