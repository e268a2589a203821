#!/usr/bin/env python3
"""Hostile input at the hub port. Captures real vland datagrams on the
hub's veth (run in the hub namespace with 'capture'), then, from an
endpoint namespace ('attack'), sends: every length 0..2000 with random
bytes, random bytes behind each valid type byte, every truncation and
single-bit flips of the captured packets, and the captured packets
replayed as they are. 'replay' sends the first captured INIT COUNT
times, PER-SECOND a second (0: at once).
  hostile.py capture IFACE PORT FILE SECONDS
  hostile.py attack HUB PORT FILE
  hostile.py replay HUB PORT FILE COUNT PER-SECOND"""
import os
import random
import socket
import struct
import sys
import time

mode = sys.argv[1]
if mode == "capture":
    iface, port, out, secs = sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    s.bind((iface, 0))
    s.settimeout(0.2)
    pkts = []
    end = time.time() + secs
    while time.time() < end and len(pkts) < 40:
        try:
            frame = s.recv(65535)
        except socket.timeout:
            continue
        ip = frame[14:]
        if len(ip) < 28 or ip[9] != 17:
            continue
        ihl = (ip[0] & 15) * 4
        dport = struct.unpack("!H", ip[ihl + 2:ihl + 4])[0]
        if dport == port:
            pkts.append(ip[ihl + 8:])
    with open(out, "wb") as f:
        for p in pkts:
            f.write(struct.pack("!H", len(p)) + p)
    print(f"captured {len(pkts)}")
    sys.exit(0 if pkts else 1)

hub, port, src = sys.argv[2], int(sys.argv[3]), sys.argv[4]
pkts = []
data = open(src, "rb").read()
while data:
    n = struct.unpack("!H", data[:2])[0]
    pkts.append(data[2:2 + n])
    data = data[2 + n:]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if mode == "replay":
    init = [p for p in pkts if p[0] == 1 and len(p) == 104]
    if not init:
        sys.exit("no INIT captured")
    count, rate = int(sys.argv[5]), float(sys.argv[6])
    for _ in range(count):
        s.sendto(init[0], (hub, port))
        if rate:
            time.sleep(1 / rate)
    sys.exit(0)
rnd = random.Random(6123)
sent = 0


def send(b):
    global sent
    try:
        s.sendto(b, (hub, port))
        sent += 1
    except OSError:
        pass
    if sent % 200 == 0:
        time.sleep(0.01)  # keep the socket buffers from overflowing


for n in range(0, 2001):
    send(os.urandom(n))
for t in range(0, 8):
    for n in (4, 16, 31, 32, 33, 92, 93, 104, 105, 200, 1500):
        send(bytes([t, 0, 0, 0]) + os.urandom(max(0, n - 4)))
for p in pkts:
    for n in range(len(p)):
        send(p[:n])
    for i in range(len(p)):
        b = bytearray(p)
        b[i] ^= 1 << rnd.randrange(8)
        send(bytes(b))
    send(p)  # a replay
    send(p)
print(f"sent {sent}")
