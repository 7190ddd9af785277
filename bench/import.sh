#!/usr/bin/env bash
# Import benchmark: N generated pledges (default 1,000,000) imported by `pledgeboard import`
# into a fresh SQLite file, side by side with sqlite3's own `.import` of the same file into an
# equivalent table with the same unique key; then the re-import of the same file (all
# unchanged), and of a second file with the same keys and every quantity one higher (every
# row changes: a version and an audit entry each), against the import that created them; then
# the same on PostgreSQL against `COPY` when PLEDGEBOARD_BENCH_POSTGRES names
# a server (e.g. postgres://postgres@127.0.0.1:5432/postgres, or over the Unix socket
# postgres://postgres@localhost/postgres?host=/var/run/postgresql). Reports wall time, rows per
# second and peak memory (max RSS), and the ratios against the targets. Each measurement runs
# RUNS times (default 3), ours and the baseline in turn, and the medians are compared (the
# machine is shared and noisy); peak memory is the largest seen. BIN picks another pledgeboard
# binary (e.g. an older build to compare against); SKIP_BUILD=1 skips the build; SQLITE=0 skips
# the SQLite part (to measure PostgreSQL alone).
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${1:-1000000}
SEED=${SEED:-42}
RUNS=${RUNS:-3}
BIN=${BIN:-target/release/pledgeboard}
WORK=${BENCH_DIR:-$(mktemp -d)}
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed: apt-get install sqlite3" >&2; exit 1; }

[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p pledgeboard-cli
FILE="$WORK/pledges-$ROWS.csv"
[ -f "$FILE" ] || "$BIN" demo generate --pledges "$ROWS" --seed "$SEED" --out "$FILE"
# The same pledges with every quantity one higher, written by sqlite3 from the file itself
# (its CSV reader and writer keep quoted text, line breaks and empty cells as they are).
CHANGED="$WORK/pledges-$ROWS-changed.csv"
if [ ! -f "$CHANGED" ]; then
  select=$(head -1 "$FILE" | tr -d '\r' | sed 's/\bquantity\b/CAST(quantity AS INTEGER) + 1 AS quantity/')
  rm -f "$WORK/changed.db"
  sqlite3 "$WORK/changed.db" -cmd ".mode csv" ".import $FILE p" ".headers on" ".once $CHANGED" "SELECT $select FROM p"
  rm -f "$WORK/changed.db"
fi

# Runs a command; prints "seconds peak_kib".
measure() {
  local out="$WORK/time.$$"
  /usr/bin/time -f "%e %M" -o "$out" "$@" >/dev/null
  cat "$out"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
largest() { printf '%s\n' "$@" | sort -g | tail -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rate() { awk -v n="$ROWS" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
line() { printf '  %-34s %8ss %10s rows/s %6s MiB peak   (runs: %s)\n' "$1" "$2" "$(rate "$2")" "$(mib "$3")" "$4"; }

COLUMNS="pledge_ref TEXT NOT NULL, member_state TEXT NOT NULL, capability TEXT NOT NULL,
  quantity INTEGER NOT NULL, personnel INTEGER, female_personnel INTEGER, readiness TEXT,
  available_from TEXT, duration_months INTEGER, mission TEXT, conference TEXT, status TEXT,
  caveats TEXT, monthly_cost_usd TEXT, partners TEXT, registered_on TEXT, renewed_on TEXT, notes TEXT,
  personnel_estimated TEXT, supersedes TEXT"

if [ "${SQLITE:-1}" != 0 ]; then
ours=(); ours_kib=(); again=(); again_kib=(); changed=(); changed_kib=(); base=(); base_kib=()
for _ in $(seq "$RUNS"); do
  rm -f "$WORK"/pb.db* "$WORK"/base.db*
  "$BIN" migrate --db "sqlite://$WORK/pb.db" >/dev/null
  read -r s kib < <(measure "$BIN" import pledges "$FILE" --db "sqlite://$WORK/pb.db")
  ours+=("$s"); ours_kib+=("$kib")
  read -r s kib < <(measure "$BIN" import pledges "$FILE" --db "sqlite://$WORK/pb.db")
  again+=("$s"); again_kib+=("$kib")
  read -r s kib < <(measure "$BIN" import pledges "$CHANGED" --db "sqlite://$WORK/pb.db")
  changed+=("$s"); changed_kib+=("$kib")
  sqlite3 "$WORK/base.db" "PRAGMA journal_mode=WAL; CREATE TABLE pledges ($COLUMNS, UNIQUE (member_state, pledge_ref));" >/dev/null
  read -r s kib < <(measure sqlite3 "$WORK/base.db" -cmd ".mode csv" ".import --skip 1 $FILE pledges")
  base+=("$s"); base_kib+=("$kib")
done
ours_s=$(median "${ours[@]}"); again_s=$(median "${again[@]}"); base_s=$(median "${base[@]}")
changed_s=$(median "${changed[@]}")
ours_peak=$(largest "${ours_kib[@]}"); again_peak=$(largest "${again_kib[@]}")
changed_peak=$(largest "${changed_kib[@]}")

echo
echo "SQLite, $ROWS rows ($(du -h "$FILE" | cut -f1) CSV), medians of $RUNS runs"
line "pledgeboard import" "$ours_s" "$ours_peak" "${ours[*]}"
line "pledgeboard re-import (unchanged)" "$again_s" "$again_peak" "${again[*]}"
line "pledgeboard re-import (all changed)" "$changed_s" "$changed_peak" "${changed[*]}"
line "sqlite3 .import (same unique key)" "$base_s" "$(largest "${base_kib[@]}")" "${base[*]}"
echo "  import / sqlite3:         $(ratio "$ours_s" "$base_s")x  (target <= 2)"
echo "  re-import / import:       $(ratio "$again_s" "$ours_s")x  (target <= 2)"
echo "  changed / import:         $(ratio "$changed_s" "$ours_s")x  (target <= 2)"
echo "  peak memory:              $(mib "$ours_peak") MiB import, $(mib "$again_peak") MiB re-import, $(mib "$changed_peak") MiB changed (target <= 256)"
fi

if [ -n "${PLEDGEBOARD_BENCH_POSTGRES:-}" ]; then
  # The server URL without its database, and its query string (`?host=…`) if any.
  url=${PLEDGEBOARD_BENCH_POSTGRES%%\?*}
  query=${PLEDGEBOARD_BENCH_POSTGRES#"$url"}
  server=${url%/*}
  db="pledgeboard_bench_$$"
  trap 'psql -q "$PLEDGEBOARD_BENCH_POSTGRES" -c "DROP DATABASE IF EXISTS $db" >/dev/null' EXIT
  pg=(); pg_kib=(); pg_again=(); pg_again_kib=(); pg_changed=(); pg_changed_kib=(); copy=()
  for _ in $(seq "$RUNS"); do
    psql -q "$PLEDGEBOARD_BENCH_POSTGRES" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    "$BIN" migrate --db "$server/$db$query" >/dev/null
    # Each load starts from a checkpoint, so neither pays for writing out the other's pages.
    psql -q "$server/$db$query" -c "CHECKPOINT" >/dev/null
    read -r s kib < <(measure "$BIN" import pledges "$FILE" --db "$server/$db$query")
    pg+=("$s"); pg_kib+=("$kib")
    psql -q "$server/$db$query" -c "CHECKPOINT" >/dev/null
    read -r s kib < <(measure "$BIN" import pledges "$FILE" --db "$server/$db$query")
    pg_again+=("$s"); pg_again_kib+=("$kib")
    psql -q "$server/$db$query" -c "CHECKPOINT" >/dev/null
    read -r s kib < <(measure "$BIN" import pledges "$CHANGED" --db "$server/$db$query")
    pg_changed+=("$s"); pg_changed_kib+=("$kib")
    psql -q "$server/$db$query" -c "CREATE TABLE pledges_copy ($COLUMNS, UNIQUE (member_state, pledge_ref))" -c "CHECKPOINT" >/dev/null
    read -r s _ < <(measure psql -q "$server/$db$query" -c "\\copy pledges_copy FROM '$FILE' WITH (FORMAT csv, HEADER true)")
    copy+=("$s")
  done
  pg_s=$(median "${pg[@]}"); copy_s=$(median "${copy[@]}")
  pg_again_s=$(median "${pg_again[@]}"); pg_changed_s=$(median "${pg_changed[@]}")
  echo
  echo "PostgreSQL, $ROWS rows, medians of $RUNS runs"
  line "pledgeboard import" "$pg_s" "$(largest "${pg_kib[@]}")" "${pg[*]}"
  line "pledgeboard re-import (unchanged)" "$pg_again_s" "$(largest "${pg_again_kib[@]}")" "${pg_again[*]}"
  line "pledgeboard re-import (all changed)" "$pg_changed_s" "$(largest "${pg_changed_kib[@]}")" "${pg_changed[*]}"
  printf '  %-34s %8ss %10s rows/s                  (runs: %s)\n' "COPY (same unique key)" "$copy_s" "$(rate "$copy_s")" "${copy[*]}"
  echo "  import / COPY:            $(ratio "$pg_s" "$copy_s")x  (target <= 3)"
  echo "  re-import / import:       $(ratio "$pg_again_s" "$pg_s")x  (target <= 2)"
  echo "  changed / import:         $(ratio "$pg_changed_s" "$pg_s")x  (target <= 2)"
fi
