#!/usr/bin/env bash
# `tarn serve` beside a real PostgreSQL 15 on the same 1M campaign rows (Tests/server/compare_postgres.py):
# campaign summary queries/s, small lookups queries/s, rows/s of a 1M-row binary fetch with psycopg.
# Starts a throwaway PostgreSQL cluster (initdb + pg_ctl) in a temporary folder on a free loopback port,
# installs Debian's `postgresql` when initdb is missing, and removes the cluster at the end.
# Then, with --load, the 64-client load (Tests/server/load.py --clients 64 --queries 1000).
# Not run by scripts/test (minutes, and it wants a release build).
#
# The two servers are measured in alternating slices (--rounds), and each one's CPU time per query is printed too:
# on a shared machine the rates move with the load, the CPU per query much less.
#
# Usage: benchmarks/server_vs_postgres.sh [--tarn PATH] [--seconds 5] [--rounds 5] [--load]
set -euo pipefail
cd "$(dirname "$0")/.."
tarn=".build/release/tarn"
seconds=5
rounds=5
load=0
while [ $# -gt 0 ]; do
    case "$1" in
        --tarn) tarn="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --load) load=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ -x "$tarn" ] || { echo "no $tarn: run swift build -c release first (or pass --tarn)" >&2; exit 1; }

pgbin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin="$d"; done
if [ -z "$pgbin" ]; then
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo -n"
    $sudo_cmd apt-get install -y -q postgresql >/dev/null
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin="$d"; done
fi

work=$(mktemp -d /tmp/tarn-vs-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# PostgreSQL refuses to run as root: run the cluster as the postgres user then.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$work"
    as_pg=(runuser -u postgres --)
fi
cleanup() {
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
"${as_pg[@]}" "$pgbin/initdb" -D "$work/data" -U postgres --auth=trust >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" start >/dev/null
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
python3 Tests/server/compare_postgres.py --tarn "$tarn" --seconds "$seconds" --rounds "$rounds" \
    --pg "host=127.0.0.1 port=$port user=postgres dbname=postgres"
if [ "$load" -eq 1 ]; then
    python3 Tests/server/load.py --tarn "$tarn" --clients 64 --queries 1000 --seconds 900
fi
