#!/usr/bin/env python3
"""Send small UDP datagrams to ADDR PORT as fast as possible for SECONDS,
from PROCS processes (default 2), to keep a device's queue full.

    udpflood.py ADDR PORT SECONDS [PROCS]

Prints the number of datagrams sent (those the kernel took).
"""
import os
import socket
import sys
import time


def flood(addr, port, secs):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    payload = b"x" * 64
    sent = 0
    end = time.monotonic() + secs
    while time.monotonic() < end:
        for _ in range(256):
            try:
                s.sendto(payload, (addr, port))
                sent += 1
            except (BlockingIOError, OSError):
                pass
    return sent


def main():
    addr, port, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    procs = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    r, w = os.pipe()
    kids = []
    for _ in range(procs):
        pid = os.fork()
        if pid == 0:
            os.close(r)
            os.write(w, b"%d\n" % flood(addr, port, secs))
            os._exit(0)
        kids.append(pid)
    os.close(w)
    for pid in kids:
        os.waitpid(pid, 0)
    with os.fdopen(r) as f:
        print(sum(int(x) for x in f.read().split()))


if __name__ == "__main__":
    main()
