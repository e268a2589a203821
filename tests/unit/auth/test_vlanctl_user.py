#!/usr/bin/env python3
"""vlanctl user add/del/passwd/list/import on temporary files.

Passwords go in on stdin (not a terminal), and once through a
pseudo-terminal to check that they are asked twice and not echoed.
Hashes are checked with pwcheck, which links the same code as
vland-auth. Usage: test_vlanctl_user.py VLANCTL PWCHECK
"""
import base64
import grp
import os
import pty
import select
import signal
import stat
import subprocess
import sys
import tempfile
import time

VLANCTL, PWCHECK = sys.argv[1], sys.argv[2]
failures = 0


def run(args, stdin=b"", env=None):
    p = subprocess.run([VLANCTL] + args, input=stdin, capture_output=True,
                       env=env, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def pwok(hash_, pw):
    p = subprocess.run([PWCHECK, hash_], input=pw.encode() + b"\n",
                       timeout=60)
    assert p.returncode in (0, 1), "pwcheck error"
    return p.returncode == 0


def lines(path):
    with open(path) as f:
        return f.read().split("\n")


def hash_of(path, user):
    for l in lines(path):
        if l.startswith(user + ":"):
            return l.split(":")[1]
    raise AssertionError("no line for " + user)


def check_file(path):
    """Mode, group, and no temporary file left beside it."""
    st = os.stat(path)
    assert stat.S_IMODE(st.st_mode) == 0o640, oct(st.st_mode)
    if os.geteuid() == 0:
        try:
            gid = grp.getgrnam("_vland-auth").gr_gid
            assert st.st_gid == gid, "group %d, want _vland-auth" % st.st_gid
        except KeyError:
            pass
    d = os.path.dirname(path)
    left = [n for n in os.listdir(d) if n.startswith(".")]
    assert not left, "temporary files left: %s" % left


def case(fn):
    global failures
    with tempfile.TemporaryDirectory() as d:
        try:
            fn(d)
            print("ok - %s" % fn.__name__, flush=True)
        except AssertionError as e:
            failures += 1
            print("not ok - %s: %s" % (fn.__name__, e), flush=True)


def refused(args, want, stdin=b"pw\n", path=None):
    """The command fails with a one-line message; the file is unchanged."""
    before = open(path, "rb").read() if path and os.path.exists(path) else None
    rc, out, err = run(args, stdin)
    assert rc != 0, "%s: exit 0" % args
    assert want in err, "%s: stderr %r, want %r" % (args, err, want)
    if path is not None:
        after = open(path, "rb").read() if os.path.exists(path) else None
        assert before == after, "%s changed the file" % args
        if after is not None:
            check_file(path)


def test_add(d):
    f = d + "/users"
    rc, out, err = run(["user", "add", "-f", f, "alice"], b"pw-alice\n")
    assert rc == 0, err
    check_file(f)
    h = hash_of(f, "alice")
    assert h.startswith("$y$j9T$"), h
    assert pwok(h, "pw-alice")
    assert not pwok(h, "pw-alicE")
    # Options after the operands work too.
    rc, out, err = run(["user", "add", "bob", "10.0.0.5", "-f", f],
                       b"pw bob\n")
    assert rc == 0, err
    assert lines(f)[1].startswith("bob:$y$") and \
        lines(f)[1].endswith(":10.0.0.5"), lines(f)
    assert pwok(hash_of(f, "bob"), "pw bob")
    assert lines(f)[2:] == [""], lines(f)
    check_file(f)


def test_add_refusals(d):
    f = d + "/users"
    assert run(["user", "add", "-f", f, "alice", "10.0.0.5"], b"x\n")[0] == 0
    refused(["user", "add", "-f", f, "alice"], "user alice already exists (",
            path=f)
    for bad in ("-x", "SERVER", "a b", "a" * 33, "", "al:ice", ".a"):
        refused(["user", "add", "-f", f, "--", bad], "not a valid user name",
                path=f)
    refused(["user", "add", "-f", f, "-x", "bob"], "unknown option -x",
            path=f)
    refused(["user", "add", "bob", "-f"], "-f needs an argument")
    refused(["user", "add", "-f", f, "bob", "10.0.0"], "not an IPv4",
            path=f)
    refused(["user", "add", "-f", f, "bob", "fe80::1"], "not an IPv4",
            path=f)
    refused(["user", "add", "-f", f, "bob", "10.0.0.5"],
            "10.0.0.5 is already the fixed address of alice", path=f)
    refused(["user", "add", "-f", f, "bob"], "empty password", b"\n", f)
    refused(["user", "add", "-f", f, "bob"], "no password", b"", f)
    refused(["user", "add", "-f", f, "bob"], "longer than 256",
            b"x" * 300 + b"\n", f)
    refused(["user", "add", "-f", f], "usage", path=f)
    refused(["user", "add", "-f", f, "a", "10.0.0.9", "x"], "usage", path=f)
    refused(["user", "add", "-f", d + "/nodir/users", "bob"],
            "No such file")


def test_add_subnet(d):
    f, cfg = d + "/users", d + "/vland.yaml"
    with open(cfg, "w") as c:
        c.write("ip: 10.0.0.1/24\ndhcp-range: 10.0.0.100-10.0.0.200\n")
    refused(["user", "add", "-c", cfg, "-f", f, "bob", "10.0.1.5"],
            "outside the VPN subnet 10.0.0.0/24", path=f)
    refused(["user", "add", "-c", cfg, "-f", f, "bob", "10.0.0.1"],
            "is the hub address", path=f)
    refused(["user", "add", "-c", cfg, "-f", f, "bob", "10.0.0.255"],
            "broadcast", path=f)
    refused(["user", "add", "-c", d + "/none.yaml", "-f", f, "bob",
             "10.0.0.6"], "none.yaml", path=f)
    rc, out, err = run(["user", "add", "-c", cfg, "-f", f, "bob",
                        "10.0.0.6"], b"pw\n")
    assert rc == 0 and err == "", err
    # Without a configuration the address is taken, with a note.
    rc, out, err = run(["user", "add", "-f", f, "carol", "10.7.7.7"],
                       b"pw\n")
    assert rc == 0 and "not checked" in err, err
    # -c without -f: the users file is the one the configuration names
    # (relative to its directory).
    with open(cfg, "a") as c:
        c.write("users: others\n")
    rc, out, err = run(["user", "add", "-c", cfg, "dave", "10.0.0.7"], b"pw\n")
    assert rc == 0, err
    assert hash_of(d + "/others", "dave"), "dave not in the configured file"
    assert not any(l.startswith("dave:") for l in lines(f))


KEEP = ["# header comment, kept", "", "weird line without a colon",
        "legacy:ab01FAX.bQRSU", "   # indented comment"]


def seed(f):
    """A file with comments and lines vlanctl must not touch."""
    assert run(["user", "add", "-f", f, "alice"], b"pw-alice\n")[0] == 0
    assert run(["user", "add", "-f", f, "bob", "10.0.0.5"], b"pw-bob\n")[0] \
        == 0
    text = open(f).read()
    with open(f, "w") as out:
        out.write("\n".join(KEEP[:2]) + "\n" + text.split("\n")[0] + "\n" +
                  "\n".join(KEEP[2:]) + "\n" + text.split("\n")[1])
    # The last line now lacks its newline, on purpose.


def test_untouched_lines(d):
    f = d + "/users"
    seed(f)
    assert run(["user", "add", "-f", f, "carol"], b"pw-carol\n")[0] == 0
    l = lines(f)
    assert l[:2] == KEEP[:2] and l[3:6] == KEEP[2:], l
    assert l[6].startswith("bob:") and l[7].startswith("carol:"), l
    assert l[8:] == [""], l
    rc, out, err = run(["user", "del", "-f", f, "alice"])
    assert rc == 0, err
    l = lines(f)
    assert l[:5] == KEEP and l[5].startswith("bob:"), l
    check_file(f)


def test_passwd(d):
    f = d + "/users"
    seed(f)
    before = lines(f)
    old = hash_of(f, "bob")
    rc, out, err = run(["user", "passwd", "-f", f, "bob"], b"new-bob\n")
    assert rc == 0, err
    after = lines(f)
    new = hash_of(f, "bob")
    assert new != old and pwok(new, "new-bob") and not pwok(new, "pw-bob")
    # Only bob's hash changed; his fixed address stayed.
    assert [x for x in before if not x.startswith("bob:")] == \
        [x for x in after if not x.startswith("bob:")], after
    assert ("bob:%s:10.0.0.5" % new) in after, after
    # A legacy hash is fixed by setting a new password.
    rc, out, err = run(["user", "passwd", "-f", f, "legacy"], b"pw-leg\n")
    assert rc == 0, err
    assert pwok(hash_of(f, "legacy"), "pw-leg")
    check_file(f)
    refused(["user", "passwd", "-f", f, "zed"], "no user zed in", path=f)
    refused(["user", "passwd", "-f", f, "bob"], "empty password", b"\n", f)
    with open(f, "a") as out:
        out.write("\nbob:$y$j9T$x$y:10.0.0.9\n")
    refused(["user", "passwd", "-f", f, "bob"], "is on lines", path=f)
    refused(["user", "passwd", "-f", d + "/none", "bob"], "No such file")


def test_del(d):
    f = d + "/users"
    seed(f)
    refused(["user", "del", "-f", f, "zed"], "no user zed in", path=f)
    refused(["user", "del", "-f", f, "--", "-x"], "not a valid user name",
            path=f)
    refused(["user", "del", "-f", f], "usage", path=f)
    assert run(["user", "del", "-f", f, "legacy"])[0] == 0
    assert run(["user", "del", "-f", f, "bob"])[0] == 0
    l = lines(f)
    assert not any(x.startswith(("bob:", "legacy:")) for x in l), l
    assert l[0] == KEEP[0] and "weird line without a colon" in l, l
    check_file(f)


def test_list(d):
    f = d + "/users"
    seed(f)
    rc, out, err = run(["user", "list", "-f", f])
    # The weird line makes the file invalid for vland-auth: say so.
    assert rc == 1 and ":4: expected username:hash" in err, (rc, err)
    assert out == "alice\t-\nbob\t10.0.0.5\n", out
    assert "$" not in out
    text = open(f).read().replace("weird line without a colon\n", "")
    text = text.replace("legacy:ab01FAX.bQRSU\n", "")
    with open(f, "w") as w:
        w.write(text)
    rc, out, err = run(["user", "li", "-f", f])
    assert rc == 0 and err == "", err
    assert out == "alice\t-\nbob\t10.0.0.5\n", out
    refused(["user", "list", "-f", d + "/none"], "No such file")


def b64(s):
    return base64.b64encode(s.encode()).decode()


def test_import(d):
    f, csv = d + "/users", d + "/old.csv"
    assert run(["user", "add", "-f", f, "alice"], b"pw-alice\n")[0] == 0
    with open(csv, "w") as c:
        # A spreadsheet's header line first: skipped, not a user "name".
        c.write("Name,Password\r\nbob,%s\r\n\ncarol,%s\nd.e-f,%s\n" %
                (b64("bob's pw"), b64("c:pw,x"), b64("p" * 256)))
    rc, out, err = run(["user", "import", csv, "-f", f])
    assert rc == 0, err
    assert "3 users imported" in err, err
    assert pwok(hash_of(f, "bob"), "bob's pw")
    assert pwok(hash_of(f, "carol"), "c:pw,x")
    assert pwok(hash_of(f, "d.e-f"), "p" * 256)
    assert pwok(hash_of(f, "alice"), "pw-alice")
    assert not any(l.startswith("Name:") for l in lines(f)), "header imported"
    check_file(f)
    bads = [
        ("eve,%s\n" % b64("x") + "bob,%s\n" % b64("y"), "already exists"),
        ("eve,%s\neve,%s\n" % (b64("x"), b64("y")), "is already on line 1"),
        ("eve,not base64!\n", ":1: the password is not base64"),
        ("eve,%s\n" % b64("a\0b"), "not base64 of 1 to 256"),
        ("eve,%s\n" % b64("p" * 257), "not base64 of 1 to 256"),
        ("eve,\n", "not base64"),
        ("eve\n", ":1: expected name,base64"),
        ("ok,%s\n-eve,%s\n" % (b64("x"), b64("x")), ":2: expected name"),
        ("# nothing\n", "no users"),
    ]
    for text, want in bads:
        with open(csv, "w") as c:
            c.write(text)
        refused(["user", "import", csv, "-f", f], want, path=f)
    refused(["user", "import", d + "/none.csv", "-f", f], "No such file",
            path=f)
    # Into a new file.
    with open(csv, "w") as c:
        c.write("zed,%s\n" % b64("zz"))
    assert run(["user", "import", csv, "-f", d + "/new"])[0] == 0
    assert pwok(hash_of(d + "/new", "zed"), "zz")
    check_file(d + "/new")


def test_atomic(d):
    f = d + "/users"
    assert run(["user", "add", "-f", f, "alice"], b"pw\n")[0] == 0
    # A reader holding the old file keeps seeing it whole.
    with open(f) as reader:
        old = open(f).read()
        ino = os.stat(f).st_ino
        assert run(["user", "add", "-f", f, "bob"], b"pw\n")[0] == 0
        assert reader.read() == old
    assert os.stat(f).st_ino != ino
    # Through a symlink, the target is replaced and the link stays.
    os.rename(f, d + "/real")
    os.symlink("real", f)
    assert run(["user", "add", "-f", f, "carol"], b"pw\n")[0] == 0
    assert os.path.islink(f)
    assert "carol" in open(d + "/real").read()
    check_file(d + "/real")


def test_dispatch(d):
    f = d + "/users"
    assert run(["user", "a", "-f", f, "alice"], b"pw\n")[0] == 0
    assert run(["us", "p", "-f", f, "alice"], b"pw2\n")[0] == 0
    assert pwok(hash_of(f, "alice"), "pw2")
    refused(["user", "zz"], "unknown 'zz'; valid: add del import list "
            "passwd")
    refused(["user", ""], "ambiguous ''")
    refused(["user"], "usage: vlanctl user")
    refused(["user", "list", "-x"], "usage: vlanctl user list [-f file]")


def tty_read(fd, timeout=30):
    r, _, _ = select.select([fd], [], [], timeout)
    assert r, "no output from vlanctl on the terminal"
    try:
        return os.read(fd, 1024)
    except OSError:  # EIO: the child closed the terminal
        return b""


def tty_run(args, answers):
    """Run vlanctl on a pseudo-terminal, answering its prompts."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(VLANCTL, [VLANCTL] + args)
    out = b""
    try:
        for a in answers:
            while not out.rstrip().endswith(b":"):
                chunk = tty_read(fd)
                assert chunk, "vlanctl ended before asking: %r" % out
                out += chunk
            os.write(fd, a)
            out += b"\x00"  # mark the answer: wait for the next prompt
        while True:
            chunk = tty_read(fd)
            if not chunk:
                break
            out += chunk
    finally:
        # A child still waiting for input after a failure is killed.
        for _ in range(10):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def test_tty(d):
    f = d + "/users"
    rc, out = tty_run(["user", "add", "-f", f, "alice"],
                      [b"tty-Secret\n", b"tty-Secret\n"])
    assert rc == 0, out
    assert "Password for alice:" in out and "Retype password:" in out, out
    assert "tty-Secret" not in out, "the password was echoed: %r" % out
    assert pwok(hash_of(f, "alice"), "tty-Secret")
    before = open(f, "rb").read()
    rc, out = tty_run(["user", "passwd", "-f", f, "alice"],
                      [b"one-Secret\n", b"two-Secret\n"])
    assert rc == 1 and "passwords do not match" in out, out
    assert open(f, "rb").read() == before
    check_file(f)


for t in (test_add, test_add_refusals, test_add_subnet, test_untouched_lines,
          test_passwd, test_del, test_list, test_import, test_atomic,
          test_dispatch, test_tty):
    case(t)
sys.exit(1 if failures else 0)
