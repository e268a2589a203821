#!/usr/bin/env python3
"""tests/netns/vlipc.py, the tests' hand-written copy of the IPC catalogue,
against the C one (proto/ipcmsg.h) as ipcmsg_dump prints it: every
message's number, and the size and field offsets of each struct that
vlipc.py packs or parses. Any difference fails, a message vlipc.py
lacks included.

    test_ipcmsg_python.py IPCMSG_DUMP VLIPC_DIR
"""
import json
import re
import socket
import struct
import subprocess
import sys

dump = json.loads(subprocess.run([sys.argv[1]], capture_output=True, check=True,
                                 text=True).stdout)
sys.path.insert(0, sys.argv[2])
sys.dont_write_bytecode = True
import vlipc as V  # noqa: E402

C = dump["constants"]
S = dump["structs"]
errors = []


def check(ok, what):
    if not ok:
        errors.append(what)


def field(buf, tag, name):
    """The bytes of field name of struct tag in buf, at C's offset."""
    off, size = S[tag]["fields"][name]
    return buf[off:off + size]


def u(n, size):
    return n.to_bytes(size, "little")


# Messages: each one of the table, with its number; nothing else.
live = {m["name"]: m["type"] for m in dump["messages"]}
for name, number in live.items():
    if not hasattr(V, name):
        check(False, f"vlipc.py lacks {name} (type {number}): add {name} = {number}")
    else:
        check(getattr(V, name) == number,
              f"{name} is {getattr(V, name)} in vlipc.py, {number} in proto/ipcmsg.h")
for name in dir(V):
    if re.fullmatch(r"(IF|AUTH|LOG)_[A-Z_]+", name) and isinstance(getattr(V, name), int):
        check(name in live, f"vlipc.py has {name}, which proto/ipcmsg.h does not list")
check(V.OLD_IF_INIT not in live.values(), f"OLD_IF_INIT ({V.OLD_IF_INIT}) is a live type")

# Constants.
check(V.IPC_FLAG_FD == C["IPC_FLAG_FD"], "IPC_FLAG_FD")
check(V.AF_INET == C["AF_INET"], "AF_INET")
check(V.USER_SIZE == C["USERNAME_MAX"] + 1, "USER_SIZE is not USERNAME_MAX + 1")
check(V.IFNAMSIZ == C["IFNAMSIZ"], "IFNAMSIZ")

# The header.
hdr = V.HDR.pack(1, 2, 3, 4, 5)
check(V.HDR.size == S["ipc_hdr"]["size"], "HDR is not the size of struct ipc_hdr")
for i, name in enumerate(["type", "flags", "len", "peerid", "reqid"]):
    size = S["ipc_hdr"]["fields"][name][1]
    check(field(hdr, "ipc_hdr", name) == u(i + 1, size), f"HDR: ipc_hdr.{name}")

# struct addr and struct prefix.
for ip, fam in (("192.0.2.1", socket.AF_INET), ("2001:db8::1", socket.AF_INET6)):
    a = V.addr(ip)
    check(len(a) == S["addr"]["size"], f"addr({ip}) is not the size of struct addr")
    check(field(a, "addr", "af") == u(fam, S["addr"]["fields"]["af"][1]), f"addr({ip}): af")
    raw = socket.inet_pton(fam, ip)
    check(field(a, "addr", "b")[:len(raw)] == raw, f"addr({ip}): address bytes")
check(V.addr(None) == bytes(S["addr"]["size"]), "addr(None) is not all zero")
p = V.prefix("192.0.2.0/24")
check(len(p) == S["prefix"]["size"], "prefix() is not the size of struct prefix")
check(field(p, "prefix", "a") == V.addr("192.0.2.0"), "prefix(): its address")
check(field(p, "prefix", "len") == b"\x18", "prefix(): its length")

# IF_TAP_CREATE, IF_DEV_CREATE, IF_ROUTES: what the tests send.
t = V.tap_req("alice")
check(len(t) == S["if_tap_req"]["size"], "tap_req() is not the size of struct if_tap_req")
check(field(t, "if_tap_req", "user").rstrip(b"\0") == b"alice", "tap_req(): user")

# IF_DNS: what test_ifmgr_attack sends.
dn = V.if_dns(["192.0.2.53", "2001:db8::53"], ["corp.example"])
check(len(dn) == S["if_dns"]["size"], "if_dns() is not the size of struct if_dns")
check(field(dn, "dns_set", "servers")[:2 * S["addr"]["size"]] ==
      V.addr("192.0.2.53") + V.addr("2001:db8::53"), "if_dns(): servers")
check(field(dn, "dns_set", "nservers") == u(2, 8), "if_dns(): nservers")
check(field(dn, "dns_set", "search")[:13] == b"corp.example\0", "if_dns(): search")
check(field(dn, "dns_set", "nsearch") == u(1, 8), "if_dns(): nsearch")

mac = bytes.fromhex("62e2c0000209")
for ip6 in ("fd00::9/64", None):
    d = V.if_dev_req("192.0.2.9/24", ip6, 0x1234, mac, underlay="198.51.100.1")
    check(len(d) == S["if_dev_req"]["size"], "if_dev_req() is not the size of its struct")
    check(field(d, "if_dev_req", "ip") == V.prefix("192.0.2.9/24"), "if_dev_req(): ip")
    check(field(d, "if_dev_req", "underlay") == V.addr("198.51.100.1"), "if_dev_req(): underlay")
    check(field(d, "if_dev_req", "ip6") == (V.prefix(ip6) if ip6 else bytes(S["prefix"]["size"])),
          f"if_dev_req(): ip6 {ip6}")
    check(field(d, "if_dev_req", "mtu") == u(0x1234, 2), "if_dev_req(): mtu")
    check(field(d, "if_dev_req", "mac") == mac, "if_dev_req(): mac")

head, ent = S["if_routes"]["size"], S["if_route"]["size"]
for m in dump["messages"]:
    if m["name"] == "IF_ROUTES":
        check(m["payload"] == "if_routes" and m["entry"] == "if_route",
              "IF_ROUTES is no longer if_routes + if_route: update this test")
routes = [("10.68.0.0/24", "192.168.123.100"), ("172.17.0.0/16", None)]
r = V.if_routes(7, routes, underlay="198.51.100.1")
check(len(r) == head + len(routes) * ent, "if_routes(): not head + count entries")
check(field(r, "if_routes", "version") == u(7, 4), "if_routes(): version")
check(field(r, "if_routes", "count") == u(2, 4), "if_routes(): count")
check(field(r, "if_routes", "underlay") == V.addr("198.51.100.1"), "if_routes(): underlay")
for i, (cidr, nh) in enumerate(routes):
    e = r[head + i * ent:head + (i + 1) * ent]
    check(field(e, "if_route", "cidr") == V.prefix(cidr), f"if_routes(): route {i} cidr")
    check(field(e, "if_route", "nexthop") == V.addr(nh), f"if_routes(): route {i} nexthop")

# IF_RESULT, IF_DEVICE, IF_ROUTES_RESULT: what the tests read, built
# here as C lays them out.


def build(tag, **values):
    buf = bytearray(S[tag]["size"])
    for name, v in values.items():
        off, size = S[tag]["fields"][name]
        b = u(v, size) if isinstance(v, int) else v.ljust(size, b"\0")
        assert len(b) == size, (tag, name)
        buf[off:off + size] = b
    return bytes(buf)


res = build("ipc_result", error=17, msg=b"no such device")
check(V.parse_result(res) == (17, "no such device"), "parse_result() misreads struct ipc_result")
dev = build("if_device", ifname=b"vl-alice", ifindex=12)
check(V.device_name(dev) == "vl-alice", "device_name() misreads struct if_device")

check(V.REFUSAL.size == S["if_route_refusal"]["size"],
      "REFUSAL is not the size of struct if_route_refusal")
rr = build("if_routes_result", version=3, installed=1, count=2)
rr += build("if_route_refusal", cidr=V.prefix("0.0.0.0/0"), reason=4, why=b"the default route")
rr += build("if_route_refusal", cidr=V.prefix("10.5.0.0/16"), reason=2, why=b"nexthop outside")
got = V.parse_routes_result(rr)
check(got == (3, 1, {"0.0.0.0/0": (4, "the default route"), "10.5.0.0/16": (2, "nexthop outside")}),
      f"parse_routes_result() misreads struct if_routes_result: {got}")

for e in errors:
    print("FAIL", e)
print(f"{len(live)} messages, {len(S)} structs checked, {len(errors)} differences")
sys.exit(1 if errors else 0)
