#!/usr/bin/env python3
"""Print the MSS option of every TCP SYN and SYN-ACK seen on an interface
(IPv4, bare IP or behind an Ethernet header), one line each:
    synmss.py IFACE SECONDS      lines "syn MSS" or "synack MSS"
Stops after SECONDS or after the first SYN-ACK, whichever comes first."""
import socket
import sys
import time

ETH_P_ALL = 0x0003


def mss_of(ip):
    if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
        return None
    ihl = (ip[0] & 0xF) * 4
    tcp = ip[ihl:]
    if len(tcp) < 20 or not tcp[13] & 0x02:
        return None
    kind = "synack" if tcp[13] & 0x10 else "syn"
    thl = (tcp[12] >> 4) * 4
    i = 20
    while i < thl:
        if tcp[i] == 0:
            break
        if tcp[i] == 1:
            i += 1
            continue
        if tcp[i] == 2 and tcp[i + 1] == 4:
            return kind, tcp[i + 2] << 8 | tcp[i + 3]
        i += max(tcp[i + 1], 2)
    return kind, None


iface, secs = sys.argv[1], float(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
s.bind((iface, 0))
end = time.time() + secs
while time.time() < end:
    s.settimeout(max(end - time.time(), 0.01))
    try:
        f = s.recv(65535)
    except socket.timeout:
        break
    # Ethernet (IPv4 type) or a bare IP packet (tun)
    ip = f[14:] if len(f) > 14 and f[12:14] == b"\x08\x00" else f
    r = mss_of(ip)
    if r:
        print(*r, flush=True)
        if r[0] == "synack":
            break
