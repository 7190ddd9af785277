#!/usr/bin/env bash
# HTTP benchmark: ROWS generated pledges (default 100,000) plus the demo data, served by
# `pledgeboard serve` (release build) and, side by side, the same rows served by Datasette
# (installed from PyPI into a virtual environment under the bench directory) with canned
# queries equivalent to each request. wrk (Debian: apt-get install -y wrk) runs at 32
# connections for DURATION seconds (default 10) each:
#   lookups        GET /api/v1/pledges/{id}, ids rotating      | Datasette: keyed lookup
#   all-states     GET /api/v1/reports/countries               | per-state aggregate
#   one country    GET /api/v1/reports/countries/{state}       | that state's cells
#   coverage       GET /api/v1/reports/coverage                | requirements joined to pledges
#   writes         POST /api/v1/pledges, unique references     | (Datasette does not write)
# It prints req/s, p50 and p99 for both servers, the ratios, and each server's peak memory
# (VmHWM from /proc). Then "computed afresh": AFRESH times (default 21), a pledge is written
# and the all-states table fetched right after it (one client, curl), median and largest.
# Datasette serves a copy of the file taken before the writes (read-only, immutable), so
# both answer over the same rows. BENCH_DIR keeps the files (default: a new temporary
# directory, deleted at the end unless KEEP=1); BIN and SKIP_BUILD=1 pick another build.
# WRITES_ONLY=1 measures the writes alone, RUNS times (default 1), each on a fresh copy of the
# generated database (so every run starts from the same rows), without Datasette, the reads
# or the afresh timings; it prints each run and the medians:
#   WRITES_ONLY=1 RUNS=5 BENCH_DIR=/tmp/bench bench/http.sh 100000
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${1:-100000}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
AFRESH=${AFRESH:-21}
BIN=${BIN:-target/release/pledgeboard}
WORK=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed: apt-get install -y sqlite3" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed (for Datasette)" >&2; exit 1; }
RUNS=${RUNS:-1}
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p pledgeboard-cli

OURS=""; THEIRS=""
cleanup() {
  [ -z "$OURS" ] || kill "$OURS" 2>/dev/null || true
  [ -z "$THEIRS" ] || kill "$THEIRS" 2>/dev/null || true
  [ -n "${BENCH_DIR:-}" ] || [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

# The data: generated pledges imported after the demo data.
. bench/generated_db.sh
DB="$WORK/http-$ROWS.db"
generated_db "$BIN" "$DB" "$ROWS"
# Lua scripts for wrk.
cat > "$WORK/lookup.lua" <<'EOF'
-- GET PATH_FORMAT with ids rotating over 1..PLEDGES (a stride prime to the count).
local n = tonumber(os.getenv("PLEDGES"))
local format = os.getenv("PATH_FORMAT")
local i = 0
local auth = os.getenv("AUTH")
if auth and auth ~= "" then wrk.headers["Authorization"] = auth end
request = function()
  i = i + 1
  return wrk.format("GET", string.format(format, (i * 7919) % n + 1))
end
EOF
cat > "$WORK/write.lua" <<'EOF'
-- POST /api/v1/pledges with a reference unique to this run, thread and request.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local i = 0
local run = os.getenv("RUN")
wrk.method = "POST"
wrk.headers["Authorization"] = os.getenv("AUTH")
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i + 1
  local body = string.format('{"pledge_ref":"W%s-%d-%d","member_state":"GHA","capability":"INF-COY",'
    .. '"quantity":1,"personnel":150,"female_personnel":10,"mission":"UNMISS"}', run, tid, i)
  return wrk.format(nil, "/api/v1/pledges", nil, body)
end
EOF
cat > "$WORK/report.lua" <<'EOF'
-- Percentiles at the end, one line: "p50_ms p99_ms".
done = function(summary, latency, requests)
  io.write(string.format("LATENCY %.2f %.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
EOF
cat "$WORK/report.lua" >> "$WORK/lookup.lua"
cat "$WORK/report.lua" >> "$WORK/write.lua"

# Runs wrk; prints "req/s p50_ms p99_ms errors".
load() {
  local script=$1 url=$2 out="$WORK/wrk.out"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s -s "$script" "$url" > "$out" 2>&1 || true
  local rps lat errors
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  lat=$(awk '/^LATENCY/ { print $2, $3 }' "$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { n += 1 } END { print n + 0 }' "$out")
  echo "${rps:-0} ${lat:-0 0} $errors"
}
peak_mib() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
wait_for() { for _ in $(seq 1 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

if [ -n "${WRITES_ONLY:-}" ]; then
  PEAKS=(); RESULTS=()
  for run in $(seq 1 "$RUNS"); do
    RUN_DB="$WORK/writes.db"
    rm -f "$RUN_DB" "$RUN_DB-wal" "$RUN_DB-shm"
    sqlite3 "$DB" ".backup '$RUN_DB'"
    WRITE_TOKEN=$("$BIN" token create --role planner --name bench-write --db "sqlite://$RUN_DB")
    "$BIN" serve --db "sqlite://$RUN_DB" --bind 127.0.0.1:0 > "$WORK/serve.out" 2>&1 &
    OURS=$!
    for _ in $(seq 1 300); do grep -q "serving on" "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
    BASE=$(sed -n 's/^Pledgeboard is serving on \(http:\/\/[^/]*\)\/$/\1/p' "$WORK/serve.out")
    LOAD=$(cut -d' ' -f1 /proc/loadavg)
    RESULT=$(AUTH="Bearer $WRITE_TOKEN" RUN="$$-$run" load "$WORK/write.lua" "$BASE")
    RESULTS+=("$RESULT"); PEAKS+=("$(peak_mib "$OURS")")
    kill "$OURS"; wait "$OURS" 2>/dev/null || true; OURS=""
    echo "  run $run: writes req/s p50 ms p99 ms errors: $RESULT (load average $LOAD before; peak ${PEAKS[-1]} MiB)"
  done
  median() { printf '%s\n' "${RESULTS[@]}" | awk -v f="$1" '{ print $f }' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  echo "  writes, median of $RUNS runs at $CONNECTIONS connections: $(median 1) req/s, p50 $(median 2) ms, p99 $(median 3) ms"
  exit 0
fi

# Datasette's copy, consistent, before any write.
COPY="$WORK/datasette.db"
rm -f "$COPY"
sqlite3 "$DB" ".backup '$COPY'"
PLEDGES=$(sqlite3 "$DB" "SELECT MAX(id) FROM pledges")
STATE=$(sqlite3 "$DB" "SELECT member_state FROM pledges GROUP BY member_state ORDER BY COUNT(*) DESC, member_state LIMIT 1")
READ_TOKEN=$("$BIN" token create --role viewer --name bench-read --db "sqlite://$DB")
WRITE_TOKEN=$("$BIN" token create --role planner --name bench-write --db "sqlite://$DB")

# Datasette in its own virtual environment, with the canned queries.
VENV="$WORK/venv"
[ -x "$VENV/bin/datasette" ] || {
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check datasette
}
REGISTERED_BY=$(date -u -d "today + 30 days - 12 months" +%F)
RENEWED_BY=$(date -u -d "today + 30 days - 6 months" +%F)
DUE="CASE WHEN (renewed_on IS NULL AND registered_on <= '$REGISTERED_BY') OR renewed_on <= '$RENEWED_BY' THEN 1 ELSE 0 END"
FIGURES="COUNT(*) AS pledges, SUM(quantity) AS quantity, SUM(personnel) AS personnel,
  SUM(CASE WHEN personnel_estimated THEN personnel ELSE 0 END) AS personnel_estimated,
  SUM(female_personnel) AS female_personnel, SUM(monthly_cost_cents) AS monthly_cost_cents,
  SUM($DUE) AS renewals_due"
python3 - "$WORK/metadata.json" <<EOF
import json, sys
queries = {
    "lookup": "SELECT * FROM pledges WHERE id = :id",
    "countries": """SELECT member_state, $FIGURES FROM pledges WHERE status <> 'withdrawn'
        GROUP BY member_state ORDER BY member_state""",
    "country": """SELECT category, capability, readiness, mission, $FIGURES FROM pledges
        WHERE member_state = :state AND status <> 'withdrawn'
        GROUP BY category, capability, readiness, mission""",
    "coverage": """SELECT r.id, r.mission, r.capability, r.quantity, SUM(p.quantity) AS pledged,
        SUM(CASE WHEN p.readiness IN ('L2','L3','RDL') THEN p.quantity ELSE 0 END) AS firm,
        SUM(CASE WHEN p.available_from <= r.needed_by THEN p.quantity ELSE 0 END) AS in_time,
        SUM(p.personnel) AS personnel FROM requirements r LEFT JOIN pledges p
        ON p.mission = r.mission AND p.capability = r.capability AND p.status <> 'withdrawn'
        GROUP BY r.id""",
}
meta = {"databases": {"datasette": {"queries": {k: {"sql": v} for k, v in queries.items()}}}}
json.dump(meta, open(sys.argv[1], "w"), indent=2)
EOF

"$BIN" serve --db "sqlite://$DB" --bind 127.0.0.1:0 > "$WORK/serve.out" 2>&1 &
OURS=$!
for _ in $(seq 1 300); do grep -q "serving on" "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
BASE=$(sed -n 's/^Pledgeboard is serving on \(http:\/\/[^/]*\)\/$/\1/p' "$WORK/serve.out")
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$VENV/bin/datasette" serve --immutable "$COPY" --metadata "$WORK/metadata.json" \
  --host 127.0.0.1 --port "$PORT" --setting sql_time_limit_ms 60000 > "$WORK/datasette.out" 2>&1 &
THEIRS=$!
PEER="http://127.0.0.1:$PORT"
wait_for "$BASE/healthz"
wait_for "$PEER/-/versions.json"
DS="$PEER/datasette"

echo
echo "$ROWS generated pledges + demo data ($PLEDGES pledges), $CONNECTIONS connections, ${DURATION}s each; $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) before"
printf '  %-14s %12s %9s %9s | %12s %9s %9s | %8s\n' "" "ours req/s" "p50 ms" "p99 ms" "peer req/s" "p50 ms" "p99 ms" "ratio"
row() {
  local name=$1 ours=$2 theirs=$3
  read -r o50 o1 o2 oe <<<"$ours"
  if [ -n "$theirs" ]; then
    read -r t50 t1 t2 te <<<"$theirs"
    printf '  %-14s %12s %9s %9s | %12s %9s %9s | %7sx\n' "$name" "$o50" "$o1" "$o2" "$t50" "$t1" "$t2" \
      "$(awk -v a="$o50" -v b="$t50" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')"
  else
    printf '  %-14s %12s %9s %9s | %12s %9s %9s |\n' "$name" "$o50" "$o1" "$o2" "-" "-" "-"
  fi
  [ "${oe:-0}" = 0 ] && [ "${te:-0}" = 0 ] || echo "    (errors: ours $oe, peer ${te:-0})"
}
export PLEDGES
get() { AUTH="Bearer $READ_TOKEN" PATH_FORMAT="$1" load "$WORK/lookup.lua" "$BASE"; }
peer() { AUTH="" PATH_FORMAT="$1" load "$WORK/lookup.lua" "$PEER"; }
curl -s -o /dev/null -H "Authorization: Bearer $READ_TOKEN" "$BASE/api/v1/reports/countries" # warm both
curl -s -o /dev/null "$DS/countries.json"
row lookups "$(get "/api/v1/pledges/%d")" "$(peer "/datasette/lookup.json?id=%d&_shape=array")"
row all-states "$(get "/api/v1/reports/countries")" "$(peer "/datasette/countries.json?_shape=array")"
row one-country "$(get "/api/v1/reports/countries/$STATE")" "$(peer "/datasette/country.json?state=$STATE&_shape=array")"
row coverage "$(get "/api/v1/reports/coverage")" "$(peer "/datasette/coverage.json?_shape=array")"
READ_PEAK=$(peak_mib "$OURS")
row writes "$(AUTH="Bearer $WRITE_TOKEN" RUN="$$" load "$WORK/write.lua" "$BASE")" ""
echo "  peak memory: ours $READ_PEAK MiB after the reads, $(peak_mib "$OURS") MiB after the writes; Datasette $(peak_mib "$THEIRS") MiB"

# Computed afresh: a pledge written, then the all-states table fetched.
times=()
for i in $(seq 1 "$AFRESH"); do
  curl -s -o /dev/null -X POST -H "Authorization: Bearer $WRITE_TOKEN" -H "Content-Type: application/json" \
    -d "{\"pledge_ref\":\"F$$-$i\",\"member_state\":\"GHA\",\"capability\":\"INF-COY\",\"quantity\":1,\"personnel\":150,\"female_personnel\":10,\"mission\":\"UNMISS\"}" \
    "$BASE/api/v1/pledges"
  times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $READ_TOKEN" "$BASE/api/v1/reports/countries")")
done
printf '%s\n' "${times[@]}" | sort -g | awk -v n="$AFRESH" '{ v[NR] = $1 } END {
  printf "  all-states computed afresh (a pledge written before each of %d GETs): median %.0f ms, largest %.0f ms\n", n, v[int((NR + 1) / 2)] * 1000, v[NR] * 1000 }'
echo "  Datasette: $("$VENV/bin/datasette" --version)"
