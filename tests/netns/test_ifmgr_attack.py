#!/usr/bin/env python3
"""vland-ifmgr driven as a compromised vland would drive it, inside a
namespace of its own (tests/netns/in-netns.sh). The host has routes of
its own (a default route and 10.7.0.0/24 via 10.5.0.1, proto static) and
a device that is not vland's. Every attack is refused, and the routes and
addresses of the namespace are exactly as they were: ifmgr's policy comes
from the configuration file, not from what vland sends."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import vlipc as V  # noqa: E402

IFMGR = sys.argv[1]
BR = "br-vla"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def sh(*args):
    subprocess.run(args, check=True)


def state():
    """Routes (every table) and addresses, as ip prints them."""
    r = subprocess.run(["ip", "-j", "route", "show", "table", "all"], capture_output=True, text=True,
                       check=True).stdout
    r6 = subprocess.run(["ip", "-6", "-j", "route", "show", "table", "all"], capture_output=True, text=True,
                        check=True).stdout
    a = subprocess.run(["ip", "-j", "addr", "show"], capture_output=True, text=True, check=True).stdout
    return json.loads(r), json.loads(r6), json.loads(a)


def host_routes():
    out = subprocess.run(["ip", "-j", "route", "show"], capture_output=True, text=True, check=True).stdout
    return {r["dst"]: r for r in json.loads(out)}


# The host's own network: an uplink with a default route and a static route.
sh("ip", "link", "add", "eth-up", "type", "veth", "peer", "name", "eth-peer")
sh("ip", "addr", "add", "10.5.0.2/24", "dev", "eth-up")
sh("ip", "link", "set", "eth-up", "up")
sh("ip", "link", "set", "eth-peer", "up")
sh("ip", "route", "add", "default", "via", "10.5.0.1", "proto", "boot")
sh("ip", "route", "add", "10.7.0.0/24", "via", "10.5.0.1", "proto", "static")
sh("ip", "-6", "route", "add", "fd00:7::/64", "dev", "eth-up", "proto", "static")
# A device that is not vland's, under a name a tap for user "eve" would take.
sh("ip", "link", "add", "vl-eve", "type", "veth", "peer", "name", "vl-eve-peer")

cfgdir = tempfile.mkdtemp(prefix="vl-attack-")
os.chmod(cfgdir, 0o755)  # vland-ifmgr re-reads the file as _vland-ifmgr
# The file allows 10.68.0.0/24 and, by an operator's mistake, 10.7.0.0/24,
# which the host already routes elsewhere.
cfg = V.hub_config(os.path.join(cfgdir, "hub.yaml"), BR,
                   routes=(("10.68.0.0/24", "site"), ("10.7.0.0/24", "site"),
                           ("fd00:5::/64", "site"), ("fd00:7::/64", "site")))
before_start = state()

h = V.Helper([IFMGR, "-d", "-v", "-f", cfg])
t, data, _ = h.call(V.IF_HUB_UP)
check(V.parse_result(data)[0] == 0, "bridge up")
t, data, fd = h.call(V.IF_TAP_CREATE, V.tap_req("alice"), peerid=1)
check(t == V.IF_DEVICE, "a tap for alice")
os.close(fd)
before = state()


def attack(what, mtype, body, peerid=0):
    """Send one request; it must be refused and change nothing."""
    t, data, _ = h.call(mtype, body, peerid)
    if t == V.IF_ROUTES_RESULT:
        _, installed, refused = V.parse_routes_result(data)
        ok = installed == 0 and len(refused) > 0
        detail = "; ".join(f"{k}: {v[1]}" for k, v in refused.items())
    else:
        err, detail = V.parse_result(data)
        ok = err != 0
    check(ok, f"{what}: refused ({detail})")
    check(state() == before, f"{what}: routes and addresses unchanged")
    return detail


NH = "192.168.123.100"
attack("default route", V.IF_ROUTES, V.if_routes(1, [("0.0.0.0/0", NH)]))
attack("both halves of the default", V.IF_ROUTES,
       V.if_routes(2, [("0.0.0.0/1", NH), ("128.0.0.0/1", NH)]))
attack("a prefix not in the file", V.IF_ROUTES, V.if_routes(3, [("10.99.0.0/16", NH)]))
why = attack("the host's own route (configured, but the host has it)", V.IF_ROUTES,
             V.if_routes(4, [("10.7.0.0/24", NH)]))
check("10.7.0.0/24 via 10.5.0.1 (proto static)" in why, "the refusal names the host's route: " + why)
check(host_routes()["10.7.0.0/24"].get("gateway") == "10.5.0.1", "the host's route still goes via 10.5.0.1")
attack("nexthop outside the VPN subnet", V.IF_ROUTES, V.if_routes(5, [("10.68.0.0/24", "10.5.0.1")]))
NH6 = "fd00:7b::c0a8:7b64"
attack("an IPv6 default route", V.IF_ROUTES, V.if_routes(11, [("::/0", NH6)]))
attack("an IPv6 prefix not in the file", V.IF_ROUTES, V.if_routes(12, [("fd00:99::/64", NH6)]))
attack("an IPv6 route through an IPv4 nexthop", V.IF_ROUTES, V.if_routes(13, [("fd00:5::/64", NH)]))
attack("an IPv4 route through an IPv6 nexthop", V.IF_ROUTES, V.if_routes(14, [("10.68.0.0/24", NH6)]))
attack("an IPv6 nexthop outside ip6", V.IF_ROUTES, V.if_routes(15, [("fd00:5::/64", "fd00:1::1")]))
why = attack("the host's own IPv6 route (configured, but the host has it)", V.IF_ROUTES,
             V.if_routes(16, [("fd00:7::/64", NH6)]))
check("fd00:7::/64 (proto static)" in why, "the refusal names the host's IPv6 route: " + why)
# An empty set withdraws only what vland-ifmgr installed: nothing.
h.call(V.IF_ROUTES, V.if_routes(6, []))
check(state() == before, "an empty route set deletes none of the host's routes")
check("default" in host_routes() and "10.7.0.0/24" in host_routes(), "default and static routes still there")
attack("delete a device it did not create", V.IF_DEV_DELETE, b"", peerid=999)
attack("an endpoint's device on a hub (a new address)", V.IF_DEV_CREATE,
       V.if_dev_req("10.5.0.9/24", None, 1406, bytes.fromhex("62e20a050009")))
attack("a tap with a path for a name", V.IF_TAP_CREATE, V.tap_req("../eth-up"), peerid=2)
attack("DNS settings on a hub", V.IF_DNS, V.if_dns(["10.5.0.1"], ["corp.example"]))

# A tap for eve: the name vl-eve is taken by a foreign device, which is
# neither attached nor deleted; the tap gets a numbered name.
t, data, fd = h.call(V.IF_TAP_CREATE, V.tap_req("eve"), peerid=3)
name = V.device_name(data)
check(t == V.IF_DEVICE and name == "vlt00000003", "eve's tap takes a numbered name: " + name)
eve = json.loads(subprocess.run(["ip", "-j", "-d", "link", "show", "vl-eve"], capture_output=True,
                                text=True).stdout or "[{}]")[0]
check(eve.get("ifname") == "vl-eve" and "master" not in eve, "the foreign vl-eve is untouched")
os.close(fd)
h.call(V.IF_DEV_DELETE, peerid=3)

# "Reload now" with the file unchanged: the policy stays the file's.
t, data, _ = h.call(V.IF_RELOAD)
check(V.parse_result(data)[0] == 0, "a reload re-reads the file")
attack("the default route after a reload", V.IF_ROUTES, V.if_routes(7, [("0.0.0.0/0", NH)]))

# The route the file allows goes in, with vland's protocol number.
t, data, _ = h.call(V.IF_ROUTES, V.if_routes(8, [("10.68.0.0/24", NH)]))
r = host_routes().get("10.68.0.0/24", {})
check(r.get("gateway") == NH and r.get("protocol") == "118", f"the configured route is installed as proto 118: {r}")
h.call(V.IF_ROUTES, V.if_routes(9, []))
check(state() == before, "and withdrawn again")

# The old ways to widen the policy are gone: IF_ALLOWED's payload (type 7
# now takes none) and IF_INIT with a new hub address are fatal, and
# vland-ifmgr removes everything it made as it stops.
h.send(7, b"\0" * (4 + 24 * 256))
h.send(V.IF_ROUTES, V.if_routes(10, [("0.0.0.0/0", NH)]))
rc, err = h.close()
check(rc not in (0, None) and "IF_RELOAD: wrong size" in err, f"a forged IF_ALLOWED is fatal (rc {rc})")
check(state() == before_start, "after it, the namespace is as before vland-ifmgr started")

h = V.Helper([IFMGR, "-d", "-v", "-f", cfg])
h.send(V.OLD_IF_INIT, V.old_if_init(1406, "eth-up", "eth-up", "10.5.0.0/24", ["0.0.0.0/0"]))
h.send(V.IF_HUB_UP)
rc, err = h.close()
check(rc not in (0, None) and "unexpected message type 1" in err, f"a forged IF_INIT is fatal (rc {rc})")
check(state() == before_start, "no address, device or route came of it")

# DNS settings: a compromised vland must not write resolv.conf. The
# endpoint's vland-ifmgr runs with /run and /etc/resolv.conf of its own
# (a private mount namespace), so that even a mutant that applied them
# would write nothing of the machine's. Both are root's, as on a stock
# host, where the DNS helper (uid 0, no capability) could write them.
resolv = os.path.join(cfgdir, "resolv.conf")
with open(resolv, "w") as f:
    f.write("# Generated by resolvconf\nnameserver 10.5.0.1\n")
os.chmod(resolv, 0o644)
MNT = ["unshare", "-m", "--propagation", "private", "sh", "-c",
       'mount -t tmpfs vlt /run && mkdir -m 755 /run/resolvconf && '
       'mount --bind "$0" /etc/resolv.conf && exec "$@"', resolv]


def resolv_unchanged():
    with open(resolv) as f:
        return f.read() == "# Generated by resolvconf\nnameserver 10.5.0.1\n"


for dns in (False, True):
    epcfg = V.endpoint_config(os.path.join(cfgdir, f"ep-{dns}.yaml"), dns=dns)
    h = V.Helper(MNT + [IFMGR, "-d", "-v", "-f", epcfg])
    before = state()
    good = V.if_dns(["10.5.0.1"], ["corp.example"])
    if dns:
        attack("DNS settings before the device exists", V.IF_DNS, good)
    t, data, fd = h.call(V.IF_DEV_CREATE, V.if_dev_req("192.168.123.100/24", None, 1406,
                                                       bytes.fromhex("62e2c0a87b64"),
                                                       underlay="10.5.0.1"))
    check(t == V.IF_DEVICE, "the endpoint's device")
    os.close(fd)
    before = state()
    if not dns:
        why = attack("DNS settings without dns: yes", V.IF_DNS, good)
        check("dns: yes" in why, "the refusal says why: " + why)
        h.close()
        continue
    attack("a search domain that adds a line", V.IF_DNS,
           V.if_dns(["10.5.0.1"], ["corp.example\nnameserver 6.6.6.6"]))
    attack("a search domain with a space", V.IF_DNS, V.if_dns([], ["corp.example options"]))
    attack("a multicast name server", V.IF_DNS, V.if_dns(["224.0.0.251"]))
    attack("the unspecified address", V.IF_DNS, V.if_dns(["0.0.0.0"]))
    check(resolv_unchanged(), "the endpoint's resolv.conf is as it was")
    # Four servers do not fit the struct's count: fatal, as any
    # malformed request is, and the device goes with vland-ifmgr.
    four = bytearray(V.if_dns(["10.5.0.1"] * 3))
    four[64:72] = (4).to_bytes(8, "little")  # nservers, after 3 addresses and padding
    h.send(V.IF_DNS, bytes(four))
    rc, err = h.close()
    check(rc not in (0, None) and "IF_DNS: malformed" in err, f"a fourth server is fatal (rc {rc})")
    check(resolv_unchanged(), "and the endpoint's resolv.conf is still as it was")

shutil.rmtree(cfgdir, ignore_errors=True)
sys.exit(1 if failures else 0)
