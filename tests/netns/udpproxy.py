#!/usr/bin/env python3
"""A UDP relay that stands for a NAT: it forwards between a local listener
and the hub, and on SIGUSR1 moves to a new source port, as a NAT that
forgot its mapping would. Usage: udpproxy.py LISTEN_PORT HUB_IP HUB_PORT"""
import selectors
import signal
import socket
import sys

lport, hub = int(sys.argv[1]), (sys.argv[2], int(sys.argv[3]))
front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
front.bind(("127.0.0.1", lport))
back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client = None
rebind = False


def on_usr1(_sig, _frm):
    global rebind
    rebind = True


signal.signal(signal.SIGUSR1, on_usr1)
sel = selectors.DefaultSelector()
sel.register(front, selectors.EVENT_READ)
sel.register(back, selectors.EVENT_READ)
while True:
    if rebind:
        sel.unregister(back)
        back.close()
        back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sel.register(back, selectors.EVENT_READ)
        rebind = False
        print("new source port", flush=True)
    try:
        events = sel.select(timeout=0.5)
    except InterruptedError:
        continue
    for key, _ in events:
        data, frm = key.fileobj.recvfrom(65535)
        if key.fileobj is front:
            client = frm
            back.sendto(data, hub)
        elif client is not None and key.fileobj is back:
            front.sendto(data, client)
