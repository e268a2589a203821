#!/usr/bin/env python3
"""Move N bytes over TCP and check they all arrived.
  tcpxfer.py serve ADDR PORT N     prints OK when N bytes came in
  tcpxfer.py send ADDR PORT N"""
import socket
import sys

mode, addr, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if mode == "serve":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    c, _ = s.accept()
    got = 0
    while got < n:
        b = c.recv(65536)
        if not b:
            break
        got += len(b)
    print("OK" if got == n else f"SHORT {got}", flush=True)
else:
    s = socket.create_connection((addr, port), timeout=120)
    chunk = bytes(range(256)) * 256
    left = n
    while left > 0:
        s.sendall(chunk[: min(left, len(chunk))])
        left -= min(left, len(chunk))
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
