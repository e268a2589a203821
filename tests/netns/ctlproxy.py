#!/usr/bin/env python3
"""A control socket that plays a broken vland: it forwards each request of
vlanctl to the real socket and, in "corrupt" mode, turns every NUL byte of
each answer's payload into 'A', so that no string in it is terminated.
    ctlproxy.py LISTEN-PATH REAL-PATH pass|corrupt COUNT
serves COUNT clients, then exits."""
import socket
import sys

HDR = 16
listen_path, real_path, mode, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
srv.bind(listen_path)
srv.listen(1)
srv.settimeout(30)
print("ready", flush=True)
for _ in range(count):
    cli, _ = srv.accept()
    up = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    up.connect(real_path)
    up.sendall(cli.recv(70000))
    up.settimeout(10)
    while True:
        rec = up.recv(70000)
        if not rec:
            break
        if mode == "corrupt":
            rec = rec[:HDR] + rec[HDR:].replace(b"\0", b"A")
        cli.sendall(rec)
        if int.from_bytes(rec[0:2], "little") == 34:  # CTL_R_END
            break
    up.close()
    cli.close()
