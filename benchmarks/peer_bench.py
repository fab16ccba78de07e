"""Child process for `benchmarks/run --peers`: times queries in Polars, DataFusion or chDB over Parquet files, the
way duck_bench.py times DuckDB.

    python3 peer_bench.py ENGINE TABLES_JSON THREADS WARMUP RUNS QUERYFILE

ENGINE is polars, datafusion or chdb; TABLES_JSON maps each table name the queries use (`adtech_db.campaigns`,
`lineitem`, …) to a Parquet file. Schema-qualified names are rewritten to the bare table name, which every peer
registers. Each engine runs on THREADS threads. Prints `name<TAB>ms<TAB>rows` per timed run (or
`name<TAB>ERROR<TAB>message`); results are fetched into the client, as `tarn bench` materialises its batches.
"""
import json
import os
import re
import sys

from duck_bench import time_queries


def unqualified(sql, tables):
    for name in tables:
        if "." in name:
            sql = re.sub(r"\b" + re.escape(name) + r"\b", name.split(".")[-1], sql, flags=re.IGNORECASE)
    return sql


def polars_runner(tables, threads):
    os.environ["POLARS_MAX_THREADS"] = str(threads)   # read when polars is imported
    import polars as pl
    ctx = pl.SQLContext()
    for name, path in tables.items():
        ctx.register(name.split(".")[-1], pl.scan_parquet(path))
    return lambda sql: ctx.execute(sql).collect().height


def datafusion_runner(tables, threads):
    from datafusion import SessionConfig, SessionContext
    ctx = SessionContext(SessionConfig().with_target_partitions(threads))
    for name, path in tables.items():
        ctx.register_parquet(name.split(".")[-1], path)
    return lambda sql: sum(b.num_rows for b in ctx.sql(sql).collect())


def chdb_runner(tables, threads):
    from chdb import session
    s = session.Session()
    for name, path in tables.items():
        s.query(f"CREATE VIEW {name.split('.')[-1]} AS SELECT * FROM file('{path}', Parquet)")

    def run(sql):
        out = s.query(sql.rstrip().rstrip(";") + f" SETTINGS max_threads = {threads}", "TabSeparated")
        text = out.data() if hasattr(out, "data") else str(out)
        return len([l for l in text.splitlines() if l])
    return run


RUNNERS = {"polars": polars_runner, "datafusion": datafusion_runner, "chdb": chdb_runner}


def main():
    engine, tables_json, threads, warmup, runs, qfile = sys.argv[1:7]
    tables = json.loads(tables_json)
    run = RUNNERS[engine](tables, int(threads))
    time_queries(run, qfile, int(warmup), int(runs), rewrite=lambda sql: unqualified(sql, tables))

if __name__ == "__main__":
    main()
