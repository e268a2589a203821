#!/usr/bin/python3
"""A stub of systemd-resolved's D-Bus API for test_dns.sh: it owns
org.freedesktop.resolve1 on the bus given (a private dbus-daemon of the
test, never the system bus), answers SetLinkDNS, SetLinkDomains and
RevertLink, and records each call as a line of JSON in the file given.

    resolvedstub.py BUS-ADDRESS RECORD-FILE READY-FILE

Needs python3-dbus and python3-gi (Debian's python3, /usr/bin/python3)."""
import json
import socket
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

IFACE = "org.freedesktop.resolve1.Manager"


class Manager(dbus.service.Object):
    def __init__(self, bus, record):
        super().__init__(bus, "/org/freedesktop/resolve1")
        self.record = record

    def note(self, call, ifindex, arg):
        with open(self.record, "a") as f:
            f.write(json.dumps({"call": call, "ifindex": int(ifindex), "arg": arg}) + "\n")

    @dbus.service.method(IFACE, in_signature="ia(iay)", out_signature="")
    def SetLinkDNS(self, ifindex, servers):
        fam = {socket.AF_INET: socket.AF_INET, socket.AF_INET6: socket.AF_INET6}
        self.note("SetLinkDNS", ifindex,
                  [socket.inet_ntop(fam[int(f)], bytes(bytearray(a))) for f, a in servers])

    @dbus.service.method(IFACE, in_signature="ia(sb)", out_signature="")
    def SetLinkDomains(self, ifindex, domains):
        self.note("SetLinkDomains", ifindex, [[str(d), bool(r)] for d, r in domains])

    @dbus.service.method(IFACE, in_signature="i", out_signature="")
    def RevertLink(self, ifindex):
        self.note("RevertLink", ifindex, None)


def main():
    address, record, ready = sys.argv[1:4]
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(address)
    name = dbus.service.BusName("org.freedesktop.resolve1", bus)
    Manager(bus, record)
    open(ready, "w").close()
    GLib.MainLoop().run()
    del name


main()
