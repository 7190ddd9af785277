#!/usr/bin/env bash
# Report benchmark: the coverage report and the all-states table served by `pledgeboard serve`
# over N generated pledges (default 100,000 and 1,000,000), side by side with the same
# aggregates written by hand in SQL and run by sqlite3 on the same file. Prints medians of
# RUNS runs (default 7) and the ratios against the target (<= 1.5x). Each of ours is computed
# afresh: a pledge is written before each GET, so the report cache (which answers an unchanged
# data version at once) never answers it. BIN picks another pledgeboard
# build (with SKIP_BUILD=1), for an A/B on the same database files (BENCH_DIR).
# Then the server's peak memory (VmHWM) under 32 concurrent report requests (wrk, LOAD_SECONDS,
# default 10): the all-states table, one conference's, one country, coverage and the
# allocation plan in turn, while a pledge is written every 0.25 s so that the report cache
# keeps being refilled (target <= 256 MiB).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${*:-100000 1000000}
RUNS=${RUNS:-7}
LOAD_SECONDS=${LOAD_SECONDS:-10}
BIN=${BIN:-target/release/pledgeboard}
WORK=${BENCH_DIR:-$(mktemp -d)}
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed: apt-get install sqlite3" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p pledgeboard-cli

# wrk's script for the mixed load: five report paths in turn, with the viewer's token.
cat > "$WORK/mixed.lua" <<'EOF'
local paths = { "/api/v1/reports/countries", "/api/v1/reports/countries?conference=ISB-2023",
  "/api/v1/reports/countries/GHA", "/api/v1/reports/coverage", "/api/v1/reports/allocation" }
local i = 0
wrk.headers["Authorization"] = os.getenv("AUTH")
request = function()
  i = i + 1
  return wrk.format("GET", paths[i % #paths + 1])
end
EOF

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Seconds for one HTTP GET, made after a pledge is written (so that it is computed afresh).
# (The loops below run in subshells, so the reference is made unique by the clock.)
fetch() {
  curl -s -o /dev/null -X POST -H "Authorization: Bearer $WRITE_TOKEN" -H "Content-Type: application/json" \
    -d "{\"pledge_ref\":\"R$$-$(date +%s%N)\",\"member_state\":\"GHA\",\"capability\":\"INF-COY\",\"quantity\":1,\"personnel\":150,\"female_personnel\":10,\"mission\":\"UNMISS\"}" \
    "$BASE/api/v1/pledges"
  curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$1"
}

# Seconds for one run of a SQL statement by the sqlite3 shell (wall clock, shell start included).
sql_time() {
  local start end
  start=$(date +%s.%N)
  sqlite3 "$DB_FILE" "$1" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }'
}

# A pledge counts only while no later pledge supersedes it (issue 16): both sides ask it.
CURRENT="NOT EXISTS (SELECT 1 FROM pledges later WHERE later.member_state = p.member_state
  AND later.supersedes_ref = p.pledge_ref)"
COVERAGE_SQL="SELECT r.id, r.mission, r.capability, r.quantity, SUM(p.quantity),
  SUM(CASE WHEN p.readiness IN ('L2','L3','RDL') THEN p.quantity ELSE 0 END),
  SUM(CASE WHEN p.available_from <= r.needed_by THEN p.quantity ELSE 0 END), SUM(p.personnel)
  FROM requirements r LEFT JOIN pledges p ON p.mission = r.mission AND p.capability = r.capability
  AND p.status <> 'withdrawn' AND $CURRENT GROUP BY r.id;
  SELECT capability, SUM(quantity), SUM(personnel) FROM pledges p WHERE mission IS NULL
  AND status <> 'withdrawn' AND $CURRENT AND capability IN (SELECT code FROM capabilities
  WHERE category IN ('unit', 'police', 'individuals', 'equipment')) GROUP BY capability;"
# The all-states table by hand: the same per-state figures, breakdowns, renewals due (by 30
# days from today) and partnerships that the API returns.
REGISTERED_BY=$(date -u -d "today + 30 days - 12 months" +%F)
RENEWED_BY=$(date -u -d "today + 30 days - 6 months" +%F)
COUNTRIES_SQL="SELECT member_state, category, capability, readiness, mission, COUNT(*), SUM(quantity),
  SUM(personnel), SUM(female_personnel), SUM(monthly_cost_cents),
  SUM(CASE WHEN (renewed_on IS NULL AND registered_on <= '$REGISTERED_BY') OR renewed_on <= '$RENEWED_BY'
  THEN 1 ELSE 0 END) FROM pledges p WHERE status <> 'withdrawn' AND $CURRENT
  GROUP BY member_state, category, capability, readiness, mission;
  SELECT pp.member_state, COUNT(*) FROM pledge_partners pp JOIN pledges p ON p.id = pp.pledge_id
  WHERE p.status <> 'withdrawn' AND $CURRENT GROUP BY pp.member_state;"

for ROWS in $SIZES; do
  FILE="$WORK/pledges-$ROWS.csv"
  [ -f "$FILE" ] || "$BIN" demo generate --pledges "$ROWS" --seed 42 --out "$FILE"
  DB_FILE="$WORK/reports-$ROWS.db"
  if [ ! -f "$DB_FILE" ]; then
    "$BIN" demo load --db "sqlite://$DB_FILE" >/dev/null
    "$BIN" import pledges "$FILE" --db "sqlite://$DB_FILE" >/dev/null
  fi
  TOKEN=$("$BIN" token create --role viewer --name bench --db "sqlite://$DB_FILE")
  WRITE_TOKEN=$("$BIN" token create --role planner --name bench-writes --db "sqlite://$DB_FILE")
  "$BIN" serve --db "sqlite://$DB_FILE" --bind 127.0.0.1:0 > "$WORK/serve.out" 2>/dev/null &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do grep -q "serving on" "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
  BASE=$(sed -n 's/^Pledgeboard is serving on \(http:\/\/[^/]*\)\/$/\1/p' "$WORK/serve.out")

  fetch "$BASE/api/v1/reports/coverage" >/dev/null # warm the page cache for both sides
  ours_coverage=$(for _ in $(seq 1 "$RUNS"); do fetch "$BASE/api/v1/reports/coverage"; done | median)
  ours_countries=$(for _ in $(seq 1 "$RUNS"); do fetch "$BASE/api/v1/reports/countries"; done | median)
  # The mixed load, with a pledge written every 0.25 s beside it.
  (for _ in $(seq 1 $((LOAD_SECONDS * 4))); do fetch "$BASE/healthz" >/dev/null; sleep 0.25; done) &
  WRITER=$!
  AUTH="Bearer $TOKEN" wrk -t2 -c32 -d"${LOAD_SECONDS}s" --timeout 30s -s "$WORK/mixed.lua" "$BASE" > "$WORK/mixed.out" 2>&1 || true
  wait $WRITER 2>/dev/null || true
  mixed_rps=$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/mixed.out")
  mixed_errors=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } END { print n + 0 }' "$WORK/mixed.out")
  peak=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status")
  kill $SERVER; wait $SERVER 2>/dev/null || true
  sql_coverage=$(for _ in $(seq 1 "$RUNS"); do sql_time "$COVERAGE_SQL"; done | median)
  sql_countries=$(for _ in $(seq 1 "$RUNS"); do sql_time "$COUNTRIES_SQL"; done | median)

  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
  echo
  echo "$ROWS pledges (medians of $RUNS runs; ours computed afresh, a pledge written before each)"
  printf '  %-22s %8.3fs  (sqlite3 by hand %8.3fs)  %sx  (target <= 1.5)\n' "coverage report" "$ours_coverage" "$sql_coverage" "$(ratio "$ours_coverage" "$sql_coverage")"
  printf '  %-22s %8.3fs  (sqlite3 by hand %8.3fs)  %sx  (target <= 1.5)\n' "all-states table" "$ours_countries" "$sql_countries" "$(ratio "$ours_countries" "$sql_countries")"
  echo "  32 concurrent report requests, ${LOAD_SECONDS} s: ${mixed_rps:-0} req/s, ${mixed_errors} non-2xx; server peak memory ${peak} MiB (target <= 256)"
done
