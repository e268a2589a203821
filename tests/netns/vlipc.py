"""Test-side view of vland's IPC (common/ipc.h, proto/ipcmsg.h): start a
helper with its socket on descriptor 3, send records, receive replies and
descriptors. The numbers and struct layouts are a hand-written copy of
the C ones; the unit test proto-ipcmsg-python
(tests/unit/proto/test_ipcmsg_python.py) holds them against the table as
the compiler lays it out, and names what is missing here."""
import array
import os
import socket
import struct
import subprocess

HDR = struct.Struct("<HHIII")  # type, flags, len, peerid, reqid
IPC_FLAG_FD = 1

IF_HUB_UP, IF_TAP_CREATE, IF_DEV_CREATE, IF_DEV_DELETE, IF_ROUTES, IF_RELOAD, IF_DNS = range(2, 9)
IF_RESULT, IF_DEVICE, IF_ROUTES_RESULT = 32, 33, 34
# Type 1 was IF_INIT (the policy from vland), retired: vland-ifmgr reads the file.
OLD_IF_INIT = 1
AUTH_CHECK, AUTH_RELEASE, AUTH_RELOAD, AUTH_CONFIG_GET = range(64, 68)
AUTH_RESULT, AUTH_USER_GONE, AUTH_RELOADED, AUTH_CONFIG_TEXT = range(96, 100)
LOG_VERBOSE = 128

USER_SIZE = 33  # char user[USERNAME_MAX + 1]
IFNAMSIZ = 16

ROLE_HUB, ROLE_ENDPOINT = 0, 1
MODE_TAP, MODE_TUN = 0, 1
AF_INET = 2


def addr(ip):
    """struct addr: u16 family, 2 pad, 16 bytes."""
    if ip is None:
        return b"\0" * 20
    if ":" in ip:
        return struct.pack("<H2x", socket.AF_INET6) + socket.inet_pton(socket.AF_INET6, ip)
    return struct.pack("<H2x", AF_INET) + socket.inet_aton(ip) + b"\0" * 12


def prefix(cidr):
    """struct prefix: addr, u8 len, 3 pad."""
    ip, plen = cidr.split("/")
    return addr(ip) + struct.pack("<B3x", int(plen))


def fixstr(s, n):
    b = s.encode()
    assert len(b) < n
    return b + b"\0" * (n - len(b))


DNS_SERVERS_MAX, DNS_SEARCH_MAX, DNS_NAME_SIZE = 3, 6, 254


def if_dns(servers=(), search=()):
    """struct if_dns (a struct dns_set): servers as text, search domains
    as bytes or text, sent as they are (a test may send what vland-ifmgr
    must refuse); counts as given, at most the arrays' sizes."""
    body = b"".join(addr(s) for s in servers) + bytes(20 * (DNS_SERVERS_MAX - len(servers)))
    body += b"\0" * 4 + struct.pack("<Q", len(servers))
    for d in search:
        raw = d.encode() if isinstance(d, str) else d
        body += raw[:DNS_NAME_SIZE].ljust(DNS_NAME_SIZE, b"\0")
    body += bytes(DNS_NAME_SIZE * (DNS_SEARCH_MAX - len(search)))
    body += b"\0" * 4 + struct.pack("<Q", len(search))
    return body


def tap_req(user, ip=None):
    """struct if_tap_req: the user's name, then (4-aligned) its address."""
    b = fixstr(user, USER_SIZE)
    return b + b"\0" * (-len(b) % 4) + addr(ip)


def device_name(data):
    """The interface name of an IF_DEVICE payload (struct if_device)."""
    return data[:IFNAMSIZ].split(b"\0")[0].decode()


def old_if_init(mtu, bridge, interface, ip, allowed=()):
    """The retired IF_INIT payload, as a compromised vland would send it."""
    body = struct.pack("<BBH", ROLE_HUB, MODE_TAP, mtu) + fixstr(bridge, 16) + fixstr(interface, 16)
    body += prefix(ip) + b"\0" * 24 + struct.pack("<I", len(allowed))
    body += b"".join(prefix(c) for c in allowed)
    return body + b"\0" * 24 * (256 - len(allowed))


def if_dev_req(ip, ip6, mtu, mac, underlay=None):
    """struct if_dev_req: prefix ip, addr underlay, prefix ip6, u16 mtu, mac[6]."""
    return (prefix(ip) + addr(underlay) + (prefix(ip6) if ip6 else b"\0" * 24)
            + struct.pack("<H", mtu) + mac)


def if_routes(version, routes, underlay=None):
    """struct if_routes (version, count, addr underlay) + if_route entries."""
    body = struct.pack("<II", version, len(routes)) + addr(underlay)
    for cidr, nh in routes:
        body += prefix(cidr) + addr(nh)
    return body


REFUSAL = struct.Struct("<24sI160s")


def parse_routes_result(data):
    """IF_ROUTES_RESULT: (version, installed, {cidr: (reason, why)})."""
    version, installed, count = struct.unpack_from("<III", data)
    out = {}
    for i in range(count):
        p, reason, why = REFUSAL.unpack_from(data, 12 + i * REFUSAL.size)
        fam = struct.unpack_from("<H", p)[0]
        ip = socket.inet_ntop(socket.AF_INET6 if fam == socket.AF_INET6 else socket.AF_INET,
                              p[4:20] if fam == socket.AF_INET6 else p[4:8])
        out[f"{ip}/{p[20]}"] = (reason, why.split(b"\0", 1)[0].decode())
    return version, installed, out


def hub_config(path, bridge="br-vlt", routes=(("10.68.0.0/24", "site"), ("172.17.0.0/16", "SERVER")),
               mode="tap", interface="vl-hub"):
    """A hub's configuration file, for vland-ifmgr -f."""
    text = ("ip: 192.168.123.254/24\nip6: fd00:7b::1/64\n"
            "dhcp-range: 192.168.123.100-192.168.123.200\n"
            f"mode: {mode}\nmtu: 1406\n"
            + (f"bridge: {bridge}\n" if mode == "tap" else f"interface: {interface}\n"))
    if routes:
        text += "routes:\n" + "".join(f"  - cidr: {c}\n    nexthop: {n}\n" for c, n in routes)
    with open(path, "w") as f:
        f.write(text)
    return path


def endpoint_config(path, mode="tun", interface="vl0", dns=False):
    with open(path, "w") as f:
        f.write("connect:\n  server: 10.99.1.1:6123\n"
                "  server-key: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
                f"  user: alice\n  password: x\n  interface: {interface}\n"
                f"  dns: {'yes' if dns else 'no'}\nmode: {mode}\n")
    return path


def parse_result(data):
    err = struct.unpack_from("<i", data)[0]
    msg = data[4:].split(b"\0", 1)[0].decode()
    return err, msg


class Helper:
    """A helper process driven over its IPC socket."""

    def __init__(self, argv, env=None):
        self.sock, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        cfd = child.fileno()

        def to_fd3():
            os.dup2(cfd, 3)
            os.set_inheritable(3, True)

        self.proc = subprocess.Popen(argv, preexec_fn=to_fd3, pass_fds=(3,), env=env,
                                     stderr=subprocess.PIPE, text=True)
        child.close()
        self.sock.settimeout(30)
        self.reqid = 0

    def send(self, mtype, body=b"", peerid=0, fd=None, reqid=None, flags=None):
        if reqid is None:
            self.reqid += 1
            reqid = self.reqid
        if flags is None:
            flags = IPC_FLAG_FD if fd is not None else 0
        rec = HDR.pack(mtype, flags, HDR.size + len(body), peerid, reqid) + body
        anc = []
        if fd is not None:
            anc = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [fd]))]
        self.sock.sendmsg([rec], anc)
        return reqid

    def recv(self):
        """One record: (type, flags, peerid, reqid, payload, fd or None)."""
        fds = array.array("i")
        data, anc, _flags, _ = self.sock.recvmsg(70000, socket.CMSG_SPACE(4 * 4))
        if not data:
            raise EOFError("helper closed the channel")
        for level, typ, cdata in anc:
            if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
                fds.frombytes(cdata[: len(cdata) - (len(cdata) % 4)])
        t, fl, ln, peer, req = HDR.unpack_from(data)
        assert ln == len(data), "record length mismatch"
        return t, fl, peer, req, data[HDR.size:], (fds[0] if fds else None)

    def call(self, mtype, body=b"", peerid=0):
        req = self.send(mtype, body, peerid)
        t, _fl, peer, r, data, fd = self.recv()
        assert r == req and peer == peerid, "reply does not match request"
        return t, data, fd

    def close(self):
        self.sock.close()
        try:
            _, err = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return self.proc.returncode, err
