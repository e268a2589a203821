#!/usr/bin/env python3
"""Run a command on a new pseudo-terminal, as an operator at a terminal.

    ptyrun.py PROMPT ANSWER LOG -- COMMAND...

Waits (10 s at most) for PROMPT in what the command writes to the
terminal, types ANSWER and a newline, and copies everything the terminal
shows to LOG until the command exits; a SIGTERM to ptyrun is passed on.
Exits with the command's status, or 124 if the prompt never came.
"""
import os
import pty
import select
import signal
import sys
import time


def main():
    prompt, answer, logpath = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3]
    cmd = sys.argv[5:] if sys.argv[4] == "--" else sys.argv[4:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGTERM))
    seen = b""
    answered = False
    deadline = time.monotonic() + 10
    with open(logpath, "wb", buffering=0) as log:
        while True:
            if not answered and time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return 124
            try:
                r, _, _ = select.select([fd], [], [], 0.1)
            except InterruptedError:
                continue
            if not r:
                continue
            try:
                data = os.read(fd, 4096)
            except OSError:  # EIO: the command closed the terminal
                break
            if not data:
                break
            log.write(data)
            if not answered:
                seen += data
                if prompt in seen:
                    os.write(fd, answer + b"\n")
                    answered = True
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
