#!/usr/bin/env bash
# The live board under its audience (issue 15): N boards (default 500) that behave as
# crates/http/assets/board.js does, W pledge writes a second (default 5) for D seconds
# (default 10), over ROWS generated pledges (default 100,000) plus the demo data.
#   bench/fanout.sh 500 5 10 100000
# It builds the release binaries (pledgeboard and bench/fanout's client), generates and imports
# the pledges (kept in BENCH_DIR between runs, else a temporary directory deleted at the end),
# starts `pledgeboard serve` on a fresh copy of that database, and runs the client
# (bench/fanout/src/main.rs), which prints, per write, the time from its answer until every board
# has fetched its data version or a later one (p50, p99, max), the boards still stale GRACE
# seconds (default 3) after the last write, board fetches a second and the server's CPU seconds
# a second while writing (utime + stime from /proc). BIN and SKIP_BUILD=1 pick another server
# build; RUNS repeats the run (each on a fresh copy).
set -euo pipefail
cd "$(dirname "$0")/.."

BOARDS=${1:-500}
WRITES=${2:-5}
SECONDS_OF_WRITES=${3:-10}
ROWS=${4:-100000}
GRACE=${GRACE:-3}
RUNS=${RUNS:-1}
BIN=${BIN:-target/release/pledgeboard}
CLIENT=${CLIENT:-target/release/fanout}
WORK=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$WORK"
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed: apt-get install -y sqlite3" >&2; exit 1; }
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p pledgeboard-cli -p pledgeboard-bench-fanout

SERVER=""
cleanup() {
  [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
  [ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

. bench/generated_db.sh
DB="$WORK/fanout-$ROWS.db"
generated_db "$BIN" "$DB" "$ROWS"

for run in $(seq 1 "$RUNS"); do
  RUN_DB="$WORK/fanout-run.db"
  rm -f "$RUN_DB" "$RUN_DB-wal" "$RUN_DB-shm"
  sqlite3 "$DB" ".backup '$RUN_DB'"
  BOARD_TOKEN=$("$BIN" token create --role viewer --name fanout-board --db "sqlite://$RUN_DB")
  WRITE_TOKEN=$("$BIN" token create --role planner --name fanout-write --db "sqlite://$RUN_DB")
  "$BIN" serve --db "sqlite://$RUN_DB" --bind 127.0.0.1:0 > "$WORK/serve.out" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 1200); do grep -q "serving on" "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
  BASE=$(sed -n 's/^Pledgeboard is serving on \(http:\/\/[^/]*\)\/$/\1/p' "$WORK/serve.out")
  [ -n "$BASE" ] || { echo "the server did not start within 2 minutes:" >&2; cat "$WORK/serve.out" >&2; ps -o pid,stat,etime,args -p "$SERVER" >&2 || true; exit 1; }
  echo "run $run: $ROWS generated pledges + demo data; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before"
  "$CLIENT" --base "$BASE" --board-token "$BOARD_TOKEN" --write-token "$WRITE_TOKEN" \
    --boards "$BOARDS" --writes-per-second "$WRITES" --seconds "$SECONDS_OF_WRITES" --grace "$GRACE" \
    --server-pid "$SERVER" --clock-ticks "$(getconf CLK_TCK)"
  echo "  server peak memory: $(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status") MiB"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
done
