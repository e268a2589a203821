#!/usr/bin/env python3
"""Type-1 (INIT) datagrams of every length LO..HI to the hub, each with a
valid mac1 where it has room for one (HMAC-SHA256 keyed by
SHA256("mac1----" || hub public key), PROTOCOL.md), each from a socket of
its own; prints one line per length: "LENGTH REPLY-LENGTH..." (nothing
after the length when no reply came within WAIT seconds).
    initprobe.py HUB PORT HUB-PUBKEY-BASE64 LO HI [WAIT]"""
import base64
import hashlib
import hmac
import os
import select
import socket
import sys

hub, port, pub = sys.argv[1], int(sys.argv[2]), base64.b64decode(sys.argv[3])
lo, hi = int(sys.argv[4]), int(sys.argv[5])
wait = float(sys.argv[6]) if len(sys.argv) > 6 else 0.3
key = hashlib.sha256(b"mac1----" + pub).digest()
socks = {}
for n in range(lo, hi + 1):
    msg = bytearray(b"\x01\0\0\0" + os.urandom(max(0, n - 4)))[:n]
    if n >= 36:
        m1 = n - 32
        msg[m1:m1 + 16] = hmac.new(key, bytes(msg[:m1]), hashlib.sha256).digest()[:16]
        msg[m1 + 16:] = bytes(16)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    s.sendto(bytes(msg), (hub, port))
    socks[s] = (n, [])
end_wait = wait
while True:
    r, _, _ = select.select(list(socks), [], [], end_wait)
    if not r:
        break
    for s in r:
        try:
            socks[s][1].append(len(s.recv(4096)))
        except OSError:
            pass
for s, (n, replies) in sorted(socks.items(), key=lambda kv: kv[1][0]):
    print(n, *replies)
