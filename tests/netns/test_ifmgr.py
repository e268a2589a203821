#!/usr/bin/env python3
"""vland-ifmgr driven over its socket, inside a namespace of its own
(tests/netns/in-netns.sh): bridge with fixed MAC and address, taps whose
descriptors carry frames both ways, refusals, stale tap cleanup, and
removal of everything when its peer goes away."""
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import vlipc as V  # noqa: E402

IFMGR = sys.argv[1]
BR = "br-vlt"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def links():
    out = subprocess.run(["ip", "-j", "-d", "link", "show"], capture_output=True, text=True, check=True)
    return {l["ifname"]: l for l in json.loads(out.stdout)}


def addrs(dev):
    out = subprocess.run(["ip", "-j", "addr", "show", "dev", dev], capture_output=True, text=True, check=True)
    return [f'{a["local"]}/{a["prefixlen"]}' for a in json.loads(out.stdout)[0]["addr_info"]]


def routes(family="-4"):
    out = subprocess.run(["ip", family, "-j", "route", "show"], capture_output=True, text=True, check=True)
    return {r["dst"]: r for r in json.loads(out.stdout)}


CFGDIR = tempfile.mkdtemp(prefix="vl-ifmgr-")
os.chmod(CFGDIR, 0o755)  # readable by vland-ifmgr's own user on reloads
HUBCFG = V.hub_config(os.path.join(CFGDIR, "hub.yaml"), BR,
                      routes=(("10.68.0.0/24", "site"), ("172.17.0.0/16", "SERVER"),
                              ("fd00:5::/64", "site"), ("fd00:17::/48", "SERVER")))
EPCFG = V.endpoint_config(os.path.join(CFGDIR, "ep.yaml"))


def start(role=V.ROLE_HUB):
    """vland-ifmgr with its policy from a hub's or an endpoint's file."""
    return V.Helper([IFMGR, "-d", "-v", "-f", HUBCFG if role == V.ROLE_HUB else EPCFG])


def routes_call(h, version, routes, underlay=None):
    """IF_ROUTES: returns (installed, {cidr: (reason, why)})."""
    t, data, _ = h.call(V.IF_ROUTES, V.if_routes(version, routes, underlay))
    if t != V.IF_ROUTES_RESULT:
        return -1, {"": (0, V.parse_result(data)[1])}
    _, installed, refused = V.parse_routes_result(data)
    return installed, refused


# A stale tap of a crashed run: persistent, marked for our bridge.
subprocess.run(["ip", "tuntap", "add", "dev", "vl-stale", "mode", "tap"], check=True)
subprocess.run(["ip", "link", "set", "vl-stale", "alias", "vland:tap:" + BR], check=True)
# Someone else's tap must survive.
subprocess.run(["ip", "tuntap", "add", "dev", "other0", "mode", "tap"], check=True)


def start_time(pid):
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()[19]


# Taps on the same bridge made by a vland that runs (here: a process that
# lives) are that vland's; one whose maker is gone, or whose pid now
# names another process (wrong start time), is stale.
alive = subprocess.Popen(["sleep", "120"])
for dev, alias in [
        ("vl-live", "vland:tap:%s %d.%s" % (BR, alive.pid, start_time(alive.pid))),
        ("vl-reused", "vland:tap:%s %d.%d" % (BR, alive.pid, 1)),
        ("vl-dead", "vland:tap:%s %d.%s" % (BR, 4194304, "5"))]:
    subprocess.run(["ip", "tuntap", "add", "dev", dev, "mode", "tap"], check=True)
    subprocess.run(["ip", "link", "set", dev, "alias", alias], check=True)

h = start()
t, data, _ = h.call(V.IF_HUB_UP)
check(V.parse_result(data)[0] == 0, "bridge up: " + V.parse_result(data)[1])
# Start-up, stale taps included, is over before the first answer.
check("vl-stale" not in links(), "stale tap of an earlier run removed at start")
check("other0" in links(), "foreign tap left alone")
check("vl-live" in links(), "a running vland's tap on our bridge left alone")
check("vl-reused" not in links(), "a tap whose maker's pid was reused removed")
check("vl-dead" not in links(), "a tap whose maker is gone removed")
subprocess.run(["ip", "link", "del", "vl-live"], check=True)
alive.kill()
L = links()
check(BR in L and L[BR]["linkinfo"]["info_kind"] == "bridge", "bridge exists")
check(L[BR]["address"] == "62:e2:c0:a8:7b:fe", "bridge MAC fixed from 192.168.123.254: " + L[BR]["address"])
check("192.168.123.254/24" in addrs(BR), "hub address on the bridge")
check("fd00:7b::1/64" in addrs(BR), "hub IPv6 address on the bridge")

t, data, fd = h.call(V.IF_TAP_CREATE, V.tap_req("alice"), peerid=7)
check(t == V.IF_DEVICE and fd is not None, "tap created, fd received")
name = V.device_name(data)
check(name == "vl-alice", "tap named after the user: " + name)
L = links()
check(L[name].get("master") == BR, "tap attached to the bridge")
check(L[name]["mtu"] == 1406, "tap MTU 1406")
check("UP" in L[name]["flags"], "tap up")
feat = subprocess.run(["ethtool", "-k", name], capture_output=True, text=True).stdout
check("tcp-segmentation-offload: on" in feat and "tx-checksumming: on" in feat,
      "tap has checksum and TCP segmentation offloads")

# Frame from the tap fd appears on the bridge. Taps carry a 10-byte
# virtio-net header before each frame (IFF_VNET_HDR): zero means a plain
# frame.
VNET = bytes(10)
ETH_P = 0x88B5
rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P))
rx.bind((BR, 0))
rx.settimeout(3)
frame = b"\xff" * 6 + bytes.fromhex("020000000001") + ETH_P.to_bytes(2, "big") + b"vland-test-frame".ljust(46, b".")
time.sleep(0.2)
try:
    os.write(fd, frame)
    check(False, "a frame without its virtio-net header is refused")
except OSError:
    check(True, "a frame without its virtio-net header is refused")
os.write(fd, VNET + frame)
try:
    got = rx.recv(2000)
    check(got[:len(frame)] == frame, "frame written to the tap fd seen on the bridge")
except socket.timeout:
    check(False, "frame written to the tap fd seen on the bridge")

# And the reverse: a frame sent on the bridge comes out of the tap fd.
back = b"\xff" * 6 + bytes.fromhex("020000000002") + ETH_P.to_bytes(2, "big") + b"from-the-bridge".ljust(46, b".")
rx.send(back)
deadline = time.time() + 3
seen = False
while time.time() < deadline and not seen:
    r, _, _ = select.select([fd], [], [], 0.5)
    if r:
        try:
            pkt = os.read(fd, 2000)
        except BlockingIOError:
            continue
        seen = pkt[:10] == VNET and pkt[10:10 + len(back)] == back
check(seen, "frame sent on the bridge read from the tap fd")

# Refusals: error replies, the helper stays up.
t, data, _ = h.call(V.IF_TAP_CREATE, V.tap_req("alice"), peerid=7)
check(V.parse_result(data)[0] != 0, "second tap for one session refused")
t, data, _ = h.call(V.IF_DEV_DELETE, peerid=999)
check(V.parse_result(data)[0] != 0, "delete of a device it did not create refused")
t, data, _ = h.call(V.IF_DEV_CREATE, V.if_dev_req("192.168.123.9/24", None, 1406, bytes(6)))
check(V.parse_result(data)[0] != 0, "endpoint device on a hub refused")
n, refused = routes_call(h, 1, [("8.8.8.0/24", "192.168.123.100")])
check(n == 0 and "8.8.8.0/24" in refused, f"route outside the configuration refused: {refused}")
n, refused = routes_call(h, 1, [("10.68.0.0/24", "10.1.1.1")])
check(n == 0 and "10.68.0.0/24" in refused, f"nexthop outside the VPN subnet refused: {refused}")

# Route sync: known nexthop installed on the bridge, SERVER skipped, unknown withdrawn.
n, refused = routes_call(h, 2, [("10.68.0.0/24", "192.168.123.100"),
                                ("172.17.0.0/16", "192.168.123.254")])
check(n == 1 and not refused, f"route set accepted: {n} installed, {refused}")
R = routes()
check("10.68.0.0/24" in R and R["10.68.0.0/24"].get("gateway") == "192.168.123.100"
      and R["10.68.0.0/24"].get("dev") == BR, "route via the nexthop user on the bridge")
check("172.17.0.0/16" not in R, "route whose nexthop is the hub itself skipped")
t, data, _ = h.call(V.IF_ROUTES, V.if_routes(3, [("10.68.0.0/24", None)]))
check("10.68.0.0/24" not in routes(), "route with unknown nexthop deleted")
h.call(V.IF_ROUTES, V.if_routes(4, [("10.68.0.0/24", "192.168.123.101")]))
check(routes().get("10.68.0.0/24", {}).get("gateway") == "192.168.123.101", "route replaced in place")
# IPv6 routes: through a user's IPv6 address on the bridge; SERVER's
# (the hub's ip6) skipped; unknown withdrawn; the wrong family refused.
A6 = "fd00:7b::c0a8:7b65"
n, refused = routes_call(h, 5, [("10.68.0.0/24", "192.168.123.101"), ("fd00:5::/64", A6),
                                ("fd00:17::/48", "fd00:7b::1")])
check(n == 2 and not refused, f"IPv6 route set accepted: {n} installed, {refused}")
R6 = routes("-6")
check(R6.get("fd00:5::/64", {}).get("gateway") == A6 and R6["fd00:5::/64"].get("dev") == BR,
      "IPv6 route via the user's IPv6 address on the bridge")
check("fd00:17::/48" not in R6, "IPv6 route whose nexthop is the hub's ip6 skipped")
n, refused = routes_call(h, 6, [("10.68.0.0/24", "192.168.123.101"), ("fd00:5::/64", None)])
check("fd00:5::/64" not in routes("-6"), "IPv6 route with unknown nexthop deleted")
n, refused = routes_call(h, 7, [("10.68.0.0/24", "192.168.123.101"), ("fd00:5::/64", "192.168.123.101")])
check(n == 1 and "fd00:5::/64" in refused and "fd00:5::/64" not in routes("-6"),
      f"IPv6 route through an IPv4 nexthop refused: {refused}")
n, refused = routes_call(h, 8, [("10.68.0.0/24", "192.168.123.101"), ("fd00:5::/64", A6)])
check(n == 2 and "fd00:5::/64" in routes("-6"), "IPv6 route back")

t, data, fd2 = h.call(V.IF_TAP_CREATE, V.tap_req("a-very-long-user-name"), peerid=8)
name2 = V.device_name(data)
check(name2 == "vlt00000008", "long user gets a numbered tap: " + name2)
t, data, _ = h.call(V.IF_DEV_DELETE, peerid=8)
check(V.parse_result(data)[0] == 0 and name2 not in links(), "tap deleted on request")
os.close(fd2)

# The peer goes away: everything it made goes too.
os.close(fd)
rc, err = h.close()
L = links()
check(rc == 0, f"exit status 0 after peer close (got {rc})")
check(BR not in L and "vl-alice" not in L, "bridge and taps removed when the peer closed")
check("10.68.0.0/24" not in routes(), "routes removed when the peer closed")
check("fd00:5::/64" not in routes("-6"), "IPv6 routes too")
check("other0" in L, "foreign tap still there")

# An operator's bridge is used as it is; only what we added is removed.
subprocess.run(["ip", "link", "add", BR, "type", "bridge"], check=True)
subprocess.run(["ip", "link", "set", BR, "address", "02:00:00:00:00:99", "up"], check=True)
h = start()
t, data, _ = h.call(V.IF_HUB_UP)
check(V.parse_result(data)[0] == 0, "operator bridge accepted")
check(links()[BR]["address"] == "02:00:00:00:00:99", "operator bridge keeps its MAC")
check("192.168.123.254/24" in addrs(BR), "hub address added to the operator bridge")
check("fd00:7b::1/64" in addrs(BR), "and its IPv6 address")
t, data, fd = h.call(V.IF_TAP_CREATE, V.tap_req("bob"), peerid=1)
check(links()["vl-bob"].get("master") == BR, "tap attached to the operator bridge")
os.close(fd)
h.close()
L = links()
check(BR in L, "operator bridge survives the stop")
check("vl-bob" not in L, "our tap removed from the operator bridge")
check("192.168.123.254/24" not in addrs(BR), "the address we added is removed")
check("fd00:7b::1/64" not in addrs(BR), "the IPv6 address we added is removed")
subprocess.run(["ip", "link", "del", BR], check=True)

# SIGKILL: the reaper removes what vland-ifmgr made, on our bridge...
def wait_for(cond, secs=5):
    end = time.time() + secs
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


h = start()
h.call(V.IF_HUB_UP)
t, data, fd = h.call(V.IF_TAP_CREATE, V.tap_req("carol"), peerid=2)
h.call(V.IF_ROUTES, V.if_routes(1, [("10.68.0.0/24", "192.168.123.100")]))
h.proc.kill()
h.close()
check(wait_for(lambda: BR not in links() and "vl-carol" not in links()),
      "after SIGKILL the reaper removed the bridge and the tap (even with the tap fd still open)")
os.close(fd)
check("10.68.0.0/24" not in routes(), "after SIGKILL no route is left")

# ... and on an operator's bridge: only our tap, address and routes.
subprocess.run(["ip", "link", "add", BR, "type", "bridge"], check=True)
subprocess.run(["ip", "link", "set", BR, "up"], check=True)
h = start()
h.call(V.IF_HUB_UP)
t, data, fd = h.call(V.IF_TAP_CREATE, V.tap_req("dave"), peerid=3)
h.call(V.IF_ROUTES, V.if_routes(1, [("10.68.0.0/24", "192.168.123.100"),
                                    ("fd00:5::/64", "fd00:7b::c0a8:7b64")]))
check("10.68.0.0/24" in routes(), "route on the operator bridge")
check("fd00:5::/64" in routes("-6"), "and an IPv6 one")
h.proc.kill()
h.close()
check(wait_for(lambda: "vl-dave" not in links() and "192.168.123.254/24" not in addrs(BR)
               and "fd00:7b::1/64" not in addrs(BR) and "10.68.0.0/24" not in routes()
               and "fd00:5::/64" not in routes("-6")),
      "after SIGKILL the reaper removed our tap, addresses and routes (IPv4 and IPv6) from the operator bridge")
check(BR in links(), "the operator bridge itself stays")
os.close(fd)
subprocess.run(["ip", "link", "del", BR], check=True)

# A name taken by a non-bridge is refused, not touched.
subprocess.run(["ip", "link", "add", BR, "type", "veth", "peer", "name", "vlt-peer"], check=True)
h = start()
t, data, _ = h.call(V.IF_HUB_UP)
check(V.parse_result(data)[0] != 0, "existing non-bridge refused: " + V.parse_result(data)[1])
h.close()
check(BR in links(), "the non-bridge is left alone")
subprocess.run(["ip", "link", "del", BR], check=True)

# An endpoint's device: its IPv6 address must be a unicast host address
# of a /16 to /96; a good one is on the device at once (no DAD).
h = start(V.ROLE_ENDPOINT)
t, data, _ = h.call(V.IF_DEV_CREATE, V.if_dev_req("192.168.123.9/24", "fe80::1/64", 1420, bytes(6)))
check(V.parse_result(data)[0] != 0, "endpoint device with a link-local IPv6 refused")
t, data, _ = h.call(V.IF_DEV_CREATE, V.if_dev_req("192.168.123.9/24", "fd00:7b::c0a8:7b09/112", 1420, bytes(6)))
check(V.parse_result(data)[0] != 0, "endpoint device with an IPv6 /112 refused")
t, data, fd = h.call(V.IF_DEV_CREATE, V.if_dev_req("192.168.123.9/24", "fd00:7b::c0a8:7b09/64", 1420, bytes(6)))
check(t == V.IF_DEVICE and fd is not None, "endpoint tun created")
out = subprocess.run(["ip", "-j", "addr", "show", "dev", "vl0"], capture_output=True, text=True).stdout
info = json.loads(out)[0]["addr_info"] if out else []
check(any(a["local"] == "fd00:7b::c0a8:7b09" and a["prefixlen"] == 64 and not a.get("tentative")
          for a in info), "its IPv6 address is on it, not tentative")
check("192.168.123.9/24" in addrs("vl0"), "and its IPv4 address")
os.close(fd)
h.close()
check("vl0" not in links(), "endpoint device removed when the peer closed")

# A full tunnel's endpoint, with the hub at 10.200.0.1 behind its default
# gateway: a default route in the set (an older hub sends 0.0.0.0/0
# whole) is refused and pins nothing; the halves are taken, with a pin
# through the gateway, which goes when the peer closes.
for cmd in (["ip", "link", "add", "vlt-up", "type", "veth", "peer", "name", "vlt-up2"],
            ["ip", "addr", "add", "10.98.0.2/24", "dev", "vlt-up"],
            ["ip", "link", "set", "vlt-up2", "up"],
            ["ip", "link", "set", "vlt-up", "up"],
            ["ip", "route", "add", "default", "via", "10.98.0.1"]):
    subprocess.run(cmd, check=True)
FTCFG = V.endpoint_config(os.path.join(CFGDIR, "ft.yaml"))
with open(FTCFG) as f:
    text = f.read().replace("  interface: vl0\n", "  interface: vl0\n  full-tunnel: yes\n")
with open(FTCFG, "w") as f:
    f.write(text)
h = V.Helper([IFMGR, "-d", "-v", "-f", FTCFG])
t, data, fd = h.call(V.IF_DEV_CREATE, V.if_dev_req("192.168.123.9/24", None, 1420, bytes(6), "10.200.0.1"))
check(t == V.IF_DEVICE and fd is not None, "full tunnel: endpoint tun created")
installed, refused = routes_call(h, 1, [("0.0.0.0/0", "192.168.123.254")], "10.200.0.1")
check(installed == 0 and "0.0.0.0/0" in refused, f"full tunnel: a default route refused ({refused})")
check("10.200.0.1" not in routes(), "full tunnel: and no pin for it")
installed, refused = routes_call(h, 2, [("0.0.0.0/1", "192.168.123.254"),
                                        ("128.0.0.0/1", "192.168.123.254")], "10.200.0.1")
r = routes()
check(installed == 3 and not refused, f"full tunnel: the halves taken, and a pin ({installed}, {refused})")
check(r.get("10.200.0.1", {}).get("gateway") == "10.98.0.1" and r["10.200.0.1"].get("protocol") == "118",
      f"full tunnel: the pin goes through the default gateway ({r.get('10.200.0.1')})")
os.close(fd)
h.close()
check("10.200.0.1" not in routes(), "full tunnel: the pin goes when the peer closes")

# A protocol violation is fatal: wrong size.
h = start()
h.send(V.IF_TAP_CREATE, b"short", peerid=3)
try:
    h.proc.wait(timeout=10)
except subprocess.TimeoutExpired:
    h.proc.kill()
rc, err = h.close()
check(rc not in (0, None) and "malformed" in err, f"malformed message is fatal (rc {rc})")
# Without its file, or with a bad one, it does not start.
h = V.Helper([IFMGR, "-d"])
rc, err = h.close()
check(rc != 0 and "usage" in err, "no -f: usage, exit non-zero")
bad = os.path.join(CFGDIR, "bad.yaml")
with open(bad, "w") as f:
    f.write("ip: 192.168.123.254/24\nbogus: 1\n")
h = V.Helper([IFMGR, "-d", "-f", bad])
rc, err = h.close()
check(rc != 0 and "bad.yaml:2:1" in err, f"a bad file is fatal with file:line:col ({err.strip()[-80:]})")

shutil.rmtree(CFGDIR, ignore_errors=True)
sys.exit(1 if failures else 0)
