#!/usr/bin/env python3
"""Drives `tarn` through a pseudo-terminal for the interactive tests.

usage: pty_driver.py STEPS_JSON -- COMMAND [ARGS...]
STEPS_JSON is a list of steps, each one of
  {"send": "text"}                 write text to the terminal (escape sequences allowed)
  {"expect": "regex", "timeout": s} wait until the output since the last match contains regex
  {"sleep": seconds}
  {"eof": true, "timeout": s}       wait for the process to exit
Exits 0 when every expectation matched, 1 otherwise; prints the transcript to stdout.
"""
import json, os, pty, re, select, sys, time

def main():
    steps = json.loads(sys.argv[1])
    command = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.environ["COLUMNS"] = "100"
        os.execvp(command[0], command)
    transcript, pending = b"", b""

    def read_some(deadline):
        nonlocal transcript, pending
        remaining = max(0.0, deadline - time.time())
        ready, _, _ = select.select([fd], [], [], min(remaining, 0.1))
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return False
            if not data:
                return False
            transcript += data
            pending += data
        return True

    ok = True
    for step in steps:
        if "send" in step:
            os.write(fd, step["send"].encode())
        elif "sleep" in step:
            deadline = time.time() + step["sleep"]
            while time.time() < deadline and read_some(deadline):
                pass
        elif "expect" in step:
            pattern = re.compile(step["expect"].encode(), re.S)
            deadline = time.time() + step.get("timeout", 15)
            while True:
                m = pattern.search(pending)
                if m:
                    pending = pending[m.end():]
                    break
                if time.time() > deadline or not read_some(deadline):
                    if not pattern.search(pending):
                        sys.stdout.write("EXPECTATION FAILED: %r\n" % step["expect"])
                        ok = False
                    break
            if not ok:
                break
        elif "eof" in step:
            deadline = time.time() + step.get("timeout", 10)
            exited = False
            while time.time() < deadline:
                read_some(deadline)
                done, status = os.waitpid(pid, os.WNOHANG)
                if done != 0:
                    exited = True
                    if os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0:
                        sys.stdout.write("EXIT STATUS %d\n" % os.WEXITSTATUS(status))
                        ok = False
                    break
            if not exited:
                sys.stdout.write("PROCESS DID NOT EXIT\n")
                ok = False
    if ok is False or not any("eof" in s for s in steps):
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    sys.stdout.write("TRANSCRIPT:\n" + transcript.decode("utf-8", "replace"))
    sys.exit(0 if ok else 1)

main()
