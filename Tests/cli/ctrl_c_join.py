#!/usr/bin/env python3
"""Ctrl-C in the interactive shell stops a long non-equi self-join within 1 s and gives its memory back.

Generates a demo lake (`tarn demo --rows N`), starts `tarn LAKE` in a pseudo-terminal (stdlib `pty`), runs
  SELECT count(*) FROM adtech_db.processed_campaign_data a JOIN adtech_db.processed_campaign_data b ON a.spend < b.spend;
sends Ctrl-C after ~2 s and checks: the shell prints the cancel message and its prompt within 1 s of the Ctrl-C,
`SELECT 1` still answers, and the process's RSS (VmRSS in /proc/PID/status) falls back near its level before the
query. Prints the measured figures.

usage: ctrl_c_join.py --tarn BIN [--rows 20000] [--lake DIR (reuse an existing demo lake)] [--query SQL] [--warmup SQL]
"""
import argparse, os, pty, re, select, shutil, signal, subprocess, sys, tempfile, time

JOIN = ("SELECT count(*) FROM adtech_db.processed_campaign_data a "
        "JOIN adtech_db.processed_campaign_data b ON a.spend < b.spend;\r")
PROMPT = re.compile(rb"tarn> ")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Terminal:
    def __init__(self, command, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ.update(env)
            os.execvp(command[0], command)
        self.pending = b""
        self.transcript = b""

    def send(self, text):
        os.write(self.fd, text.encode())

    def expect(self, pattern, timeout):
        """Waits for `pattern` in the output since the last match; returns the time it was seen, or None."""
        deadline = time.time() + timeout
        while True:
            m = pattern.search(self.pending)
            if m:
                self.pending = self.pending[m.end():]
                return time.time()
            remaining = deadline - time.time()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], min(remaining, 0.02))
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    return None
                if not data:
                    return None
                self.pending += data
                self.transcript += data

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tarn", required=True)
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--lake")
    ap.add_argument("--max-latency", type=float, default=1.0)
    ap.add_argument("--query", default=JOIN.strip(), help="another long statement to cancel (with --lake)")
    ap.add_argument("--warmup", default="SELECT count(*) AS n, sum(spend) AS spend FROM adtech_db.processed_campaign_data;")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="tarn-ctrlc-")
    failures = []
    term = None
    try:
        lake = args.lake
        if not lake:
            lake = os.path.join(work, "demo")
            started = time.time()
            subprocess.run([args.tarn, "demo", lake, "--rows", str(args.rows), "--draws", "20"],
                           check=True, capture_output=True, timeout=600)
            print(f"demo lake of {args.rows} raw rows generated in {time.time() - started:.1f} s")
        env = {"TERM": "xterm", "COLUMNS": "100", "TARN_HISTORY": os.path.join(work, "history")}
        term = Terminal([args.tarn, lake], env)
        if term.expect(PROMPT, 30) is None:
            sys.exit("FAILED: no prompt\n" + term.transcript.decode(errors="replace"))
        # Warm up (catalog, the table's files) so the baseline is the shell at rest after a query of this table.
        term.send(args.warmup + "\r")
        term.expect(PROMPT, 60)
        time.sleep(0.3)
        before = rss_mb(term.pid)
        term.send(args.query + "\r")
        peak = before
        end = time.time() + 2.0
        while time.time() < end:
            peak = max(peak, rss_mb(term.pid))
            time.sleep(0.05)
        peak = max(peak, rss_mb(term.pid))
        sent = time.time()
        term.send("\x03")
        seen_cancel = term.expect(re.compile(rb"cancel", re.I), 10)
        seen_prompt = term.expect(PROMPT, 10)
        if seen_cancel is None or seen_prompt is None:
            failures.append("no cancel message and prompt after Ctrl-C")
            latency = float("inf")
        else:
            latency = seen_prompt - sent
        print(f"Ctrl-C to prompt: {latency * 1000:.0f} ms")
        if latency > args.max_latency:
            failures.append(f"the prompt came back {latency:.2f} s after Ctrl-C (limit {args.max_latency} s)")
        term.send("SELECT 1 AS one;\r")
        if term.expect(re.compile(rb"one.*\b1\b.*tarn> ", re.S), 15) is None:
            failures.append("SELECT 1 did not answer after the cancel")
        after = rss_mb(term.pid)
        settle = time.time() + 3
        while after > before + 48 and time.time() < settle:
            time.sleep(0.1)
            after = rss_mb(term.pid)
        print(f"RSS: {before:.0f} MB before the join, {peak:.0f} MB during it, {after:.0f} MB after the cancel")
        if after > before + 48:
            failures.append(f"RSS {after:.0f} MB after the cancel, {before:.0f} MB before the query: memory not released")
        term.send(".quit\r")
    finally:
        if term:
            if failures:
                print("TRANSCRIPT:\n" + term.transcript.decode(errors="replace"))
            term.close()
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAILED: " + f)
    sys.exit(1 if failures else 0)


main()
