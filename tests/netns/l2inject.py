#!/usr/bin/env python3
"""Frames an endpoint's host may try to put on the hub's LAN, written to
its tap device (so its vland carries them to the hub), and a capture to
see which of them reach another endpoint.
    l2inject.py send IFACE       sends the spoofs (each carrying a marker
                                 where it can), then one legitimate frame
    l2inject.py capture IFACE SECONDS
                                 prints the markers and spoofed ARP seen"""
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
BCAST = b"\xff" * 6
MARK = b"vland-l2-test-"


def own_mac(iface):
    with open(f"/sys/class/net/{iface}/address") as f:
        return bytes.fromhex(f.read().strip().replace(":", ""))


def frames(mac):
    ip = bytes(mac[2:6])  # the MAC is 62:e2 and the IPv4 address
    hub = socket.inet_aton("192.168.123.254")
    out = []
    # 1. another source MAC
    out.append(BCAST + bytes.fromhex("020000000099") + b"\x88\xb5" + MARK + b"foreign-mac")
    # 2. an ARP reply claiming the hub's address for our MAC
    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + mac + hub + BCAST + ip
    out.append(BCAST + mac + b"\x08\x06" + arp)
    # 3. a router advertisement from our link-local address
    ll = bytes.fromhex("fe80000000000000") + bytes([mac[0] ^ 2, mac[1], mac[2], 0xff, 0xfe]) + mac[3:]
    ra = bytes([134, 0, 0, 0, 64, 0, 0x07, 0x08]) + bytes(8) + MARK + b"ra!!"
    ip6 = struct.pack("!IHBB", 0x60000000, len(ra), 58, 255) + ll + bytes.fromhex("ff020000000000000000000000000001")
    out.append(bytes.fromhex("333300000001") + mac + b"\x86\xdd" + ip6 + ra)
    # 4. a DHCP offer (UDP 67 -> 68, broadcast)
    udp = struct.pack("!HHHH", 67, 68, 8 + 32, 0) + MARK + b"dhcp-offer" + bytes(8)
    ip4 = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, ip, b"\xff" * 4)
    out.append(BCAST + mac + b"\x08\x00" + ip4 + udp)
    # 5. a legitimate frame: our own MAC, a local experimental EtherType
    legit = BCAST + mac + b"\x88\xb5" + MARK + b"legit"
    return out, legit


def send(iface):
    mac = own_mac(iface)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    spoofs, legit = frames(mac)
    for f in spoofs:
        s.send(f.ljust(60, b"\0"))
        time.sleep(0.05)
    s.send(legit.ljust(60, b"\0"))
    print("sent", len(spoofs), "spoofs and 1 legitimate frame")


def capture(iface, secs):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    s.settimeout(0.2)
    end = time.time() + secs
    hub = socket.inet_aton("192.168.123.254")
    while time.time() < end:
        try:
            f = s.recv(65535)
        except socket.timeout:
            continue
        i = f.find(MARK)
        if i >= 0:
            print(f[i + len(MARK):].split(b"\0")[0].rstrip(b"!").decode(errors="replace"), flush=True)
        elif f[12:14] == b"\x08\x06" and f[14 + 14:14 + 18] == hub and f[14 + 8:14 + 14] != bytes.fromhex("62e2c0a87bfe"):
            print("arp-claims-hub", f[14 + 8:14 + 14].hex(), flush=True)


if sys.argv[1] == "send":
    send(sys.argv[2])
else:
    capture(sys.argv[2], float(sys.argv[3]))
