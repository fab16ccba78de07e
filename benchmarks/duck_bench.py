"""Child process for benchmarks/run: times queries in DuckDB the way `tarn bench` times them in Tarn.

    python3 duck_bench.py DB THREADS WARMUP RUNS QUERYFILE [SETUP_SQL]

Prints `name<TAB>ms<TAB>rows` per timed run (or `name<TAB>ERROR<TAB>message`). Results are fetched
into the client (fetchall), as `tarn bench` materialises its result batches.
"""
import sys, time

def split(text):
    out, name, body = [], None, []
    for line in text.split("\n"):
        if line.startswith("-- name:"):
            if name and "".join(body).strip():
                out.append((name, "\n".join(body)))
            name, body = line[len("-- name:"):].strip(), []
        else:
            body.append(line)
    if name and "".join(body).strip():
        out.append((name, "\n".join(body)))
    return out

def main():
    import duckdb  # here, so that bench.py can import split() before duckdb is installed

    db, threads, warmup, runs, qfile = sys.argv[1:6]
    setup = sys.argv[6] if len(sys.argv) > 6 else ""
    con = duckdb.connect(db, read_only=True)
    con.execute(f"SET threads = {int(threads)}")
    if setup:
        con.execute(setup)
    time_queries(lambda sql: len(con.execute(sql).fetchall()), qfile, int(warmup), int(runs))


def time_queries(run, qfile, warmup, runs, rewrite=lambda sql: sql):
    """Times every query of `qfile` with `run(sql) -> row count` (also peer_bench.py's engines): `warmup` untimed then
    `runs` timed executions, printing `name<TAB>ms<TAB>rows` per timed run, or `name<TAB>ERROR<TAB>message` and on to
    the next query."""
    for name, sql in split(open(qfile).read()):
        sql = rewrite(sql)
        try:
            for i in range(warmup + runs):
                t = time.perf_counter()
                rows = run(sql)
                ms = (time.perf_counter() - t) * 1000
                if i >= warmup:
                    print(f"{name}\t{ms:.3f}\t{rows}", flush=True)
        except Exception as e:  # report and go on with the next query
            print(f"{name}\tERROR\t{(str(e).strip().splitlines() or [type(e).__name__])[0]}", flush=True)

if __name__ == "__main__":
    main()
