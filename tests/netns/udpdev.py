#!/usr/bin/env python3
"""What sits behind vland's test-only UDP device (vland.yaml(5),
connect: device: udp:ADDR:PORT): it binds ADDR:PORT and takes each
datagram as one frame, Ethernet (tap) or IP (tun), and answers as the
endpoint's host would: ARP requests for any address (with the MAC
vland gives that address, 62:e2 and the address) and ICMP echo
requests over IPv4. Every answer is a line on stdout, flushed, for the
test to count. Malformed datagrams are ignored.

    udpdev.py tap|tun ADDR PORT
"""
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def echo_reply(ip):
    """The reply to an IPv4 ICMP echo request, or None."""
    if len(ip) < 28 or ip[0] >> 4 != 4:
        return None
    ihl = (ip[0] & 15) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    if ihl < 20 or total > len(ip) or total < ihl + 8 or ip[9] != 1:
        return None
    icmp = bytearray(ip[ihl:total])
    if icmp[0] != 8:
        return None
    icmp[0] = 0
    icmp[2:4] = b"\0\0"
    icmp[2:4] = struct.pack("!H", csum(bytes(icmp)))
    hdr = bytearray(ip[:ihl])
    hdr[12:16], hdr[16:20] = ip[16:20], ip[12:16]
    hdr[8] = 64
    hdr[10:12] = b"\0\0"
    hdr[10:12] = struct.pack("!H", csum(bytes(hdr)))
    return bytes(hdr) + bytes(icmp)


def answer_tap(f):
    if len(f) < 14:
        return None, None
    dst, src, et = f[0:6], f[6:12], struct.unpack("!H", f[12:14])[0]
    if et == 0x0806 and len(f) >= 42:
        a = f[14:42]
        if a[0:8] != b"\x00\x01\x08\x00\x06\x04\x00\x01":
            return None, None
        sha, spa, tpa = a[8:14], a[14:18], a[24:28]
        mac = b"\x62\xe2" + tpa
        rep = a[0:6] + b"\x00\x02" + mac + tpa + sha + spa
        return src + mac + b"\x08\x06" + rep, "arp " + socket.inet_ntoa(tpa)
    if et == 0x0800:
        r = echo_reply(f[14:])
        if r is not None:
            return src + dst + b"\x08\x00" + r, "echo " + socket.inet_ntoa(f[26:30])
    return None, None


def answer_tun(p):
    r = echo_reply(p)
    if r is None:
        return None, None
    return r, "echo " + socket.inet_ntoa(p[12:16])


def main():
    mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((addr, port))
    print("listening", flush=True)
    answer = answer_tap if mode == "tap" else answer_tun
    while True:
        f, peer = s.recvfrom(65535)
        try:
            out, what = answer(f)
        except (struct.error, IndexError, OSError):
            continue
        if out is not None:
            s.sendto(out, peer)
            print(what, flush=True)


if __name__ == "__main__":
    main()
