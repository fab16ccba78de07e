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
    for name, sql in split(open(qfile).read()):
        try:
            for i in range(int(warmup) + int(runs)):
                t = time.perf_counter()
                rows = con.execute(sql).fetchall()
                ms = (time.perf_counter() - t) * 1000
                if i >= int(warmup):
                    print(f"{name}\t{ms:.3f}\t{len(rows)}", flush=True)
        except Exception as e:  # report and go on with the next query
            print(f"{name}\tERROR\t{str(e).splitlines()[0]}", flush=True)

if __name__ == "__main__":
    main()
