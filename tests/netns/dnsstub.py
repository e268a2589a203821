#!/usr/bin/env python3
"""A minimal DNS server for the namespace tests: answers A queries from
a file of "name address" lines, read again for every query, so a test
can make a name appear, disappear or move while it runs. A name not in
the file is NXDOMAIN; a known name has no AAAA (an empty answer); a
name whose address is "silent" gets no answer at all.
  dnsstub.py ADDRESS PORT NAMES-FILE"""
import socket
import struct
import sys

addr, port, names = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, port))


def table():
    t = {}
    try:
        with open(names) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    t[parts[0].lower().rstrip(".")] = parts[1]
    except FileNotFoundError:
        pass
    return t


def question(msg):
    labels, i = [], 12
    while i < len(msg) and msg[i] != 0:
        n = msg[i]
        labels.append(msg[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    qtype = struct.unpack("!H", msg[i + 1:i + 3])[0]
    return ".".join(labels).lower(), qtype, msg[12:i + 5]


while True:
    msg, peer = s.recvfrom(512)
    if len(msg) < 17:
        continue
    try:
        name, qtype, q = question(msg)
    except (IndexError, struct.error):
        continue
    t = table()
    if t.get(name) == "silent":
        continue
    answers = b""
    if name not in t:
        flags, count = 0x8183, 0
    elif qtype == 1:
        flags, count = 0x8180, 1
        answers = struct.pack("!HHHIH", 0xC00C, 1, 1, 5, 4) + \
            socket.inet_aton(t[name])
    else:
        flags, count = 0x8180, 0
    hdr = msg[:2] + struct.pack("!HHHHH", flags, 1, count, 0, 0)
    s.sendto(hdr + q + answers, peer)
