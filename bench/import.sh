#!/usr/bin/env bash
# Import benchmark: N generated pledges (default 1,000,000) imported by `pledgeboard import`
# into a fresh SQLite file, side by side with sqlite3's own `.import` of the same file into an
# equivalent table with the same unique key; then the re-import of the same file (all
# unchanged); then the same on PostgreSQL against `COPY` when PLEDGEBOARD_BENCH_POSTGRES names
# a server (e.g. postgres://postgres@127.0.0.1:5432/postgres, or over the Unix socket
# postgres://postgres@localhost/postgres?host=/var/run/postgresql). Reports wall time, rows per
# second and peak memory (max RSS), and the ratios against the targets. BIN picks another
# pledgeboard binary (e.g. an older build to compare against); SKIP_BUILD=1 skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${1:-1000000}
SEED=${SEED:-42}
BIN=${BIN:-target/release/pledgeboard}
WORK=${BENCH_DIR:-$(mktemp -d)}
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed: apt-get install sqlite3" >&2; exit 1; }

[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p pledgeboard-cli
FILE="$WORK/pledges-$ROWS.csv"
[ -f "$FILE" ] || "$BIN" demo generate --pledges "$ROWS" --seed "$SEED" --out "$FILE"

# Runs a command; prints "seconds peak_kib".
measure() {
  local out="$WORK/time.$$"
  /usr/bin/time -f "%e %M" -o "$out" "$@" >/dev/null
  cat "$out"
}

COLUMNS="pledge_ref TEXT NOT NULL, member_state TEXT NOT NULL, capability TEXT NOT NULL,
  quantity INTEGER NOT NULL, personnel INTEGER, female_personnel INTEGER, readiness TEXT,
  available_from TEXT, duration_months INTEGER, mission TEXT, conference TEXT, status TEXT,
  caveats TEXT, monthly_cost_usd TEXT, partners TEXT, registered_on TEXT, renewed_on TEXT, notes TEXT"

rm -f "$WORK"/pb.db* "$WORK"/base.db*
"$BIN" migrate --db "sqlite://$WORK/pb.db" >/dev/null
read -r ours_s ours_kib < <(measure "$BIN" import pledges "$FILE" --db "sqlite://$WORK/pb.db")
read -r again_s again_kib < <(measure "$BIN" import pledges "$FILE" --db "sqlite://$WORK/pb.db")
sqlite3 "$WORK/base.db" "PRAGMA journal_mode=WAL; CREATE TABLE pledges ($COLUMNS, UNIQUE (member_state, pledge_ref));" >/dev/null
read -r base_s base_kib < <(measure sqlite3 "$WORK/base.db" -cmd ".mode csv" ".import --skip 1 $FILE pledges")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rate() { awk -v n="$ROWS" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

echo
echo "SQLite, $ROWS rows ($(du -h "$FILE" | cut -f1) CSV)"
printf '  %-34s %8ss %10s rows/s %6s MiB peak\n' "pledgeboard import" "$ours_s" "$(rate "$ours_s")" "$(mib "$ours_kib")"
printf '  %-34s %8ss %10s rows/s %6s MiB peak\n' "pledgeboard re-import (unchanged)" "$again_s" "$(rate "$again_s")" "$(mib "$again_kib")"
printf '  %-34s %8ss %10s rows/s %6s MiB peak\n' "sqlite3 .import (same unique key)" "$base_s" "$(rate "$base_s")" "$(mib "$base_kib")"
echo "  import / sqlite3:         $(ratio "$ours_s" "$base_s")x  (target <= 2)"
echo "  re-import / import:       $(ratio "$again_s" "$ours_s")x  (target <= 2)"
echo "  peak memory:              $(mib "$ours_kib") MiB import, $(mib "$again_kib") MiB re-import (target <= 256)"

if [ -n "${PLEDGEBOARD_BENCH_POSTGRES:-}" ]; then
  # The server URL without its database, and its query string (`?host=…`) if any.
  url=${PLEDGEBOARD_BENCH_POSTGRES%%\?*}
  query=${PLEDGEBOARD_BENCH_POSTGRES#"$url"}
  server=${url%/*}
  db="pledgeboard_bench_$$"
  psql -q "$PLEDGEBOARD_BENCH_POSTGRES" -c "CREATE DATABASE $db" >/dev/null
  trap 'psql -q "$PLEDGEBOARD_BENCH_POSTGRES" -c "DROP DATABASE IF EXISTS $db" >/dev/null' EXIT
  "$BIN" migrate --db "$server/$db$query" >/dev/null
  # Each load starts from a checkpoint, so neither pays for writing out the other's pages.
  psql -q "$server/$db$query" -c "CHECKPOINT" >/dev/null
  read -r pg_s pg_kib < <(measure "$BIN" import pledges "$FILE" --db "$server/$db$query")
  psql -q "$server/$db$query" -c "CREATE TABLE pledges_copy ($COLUMNS, UNIQUE (member_state, pledge_ref))" >/dev/null
  psql -q "$server/$db$query" -c "CHECKPOINT" >/dev/null
  read -r copy_s copy_kib < <(measure psql -q "$server/$db$query" -c "\\copy pledges_copy FROM '$FILE' WITH (FORMAT csv, HEADER true)")
  echo
  echo "PostgreSQL, $ROWS rows"
  printf '  %-34s %8ss %10s rows/s %6s MiB peak\n' "pledgeboard import" "$pg_s" "$(rate "$pg_s")" "$(mib "$pg_kib")"
  printf '  %-34s %8ss %10s rows/s\n' "COPY (same unique key)" "$copy_s" "$(rate "$copy_s")"
  echo "  import / COPY:            $(ratio "$pg_s" "$copy_s")x  (target <= 3)"
fi
