#!/usr/bin/env bash
# Schemathesis against the real server: installs schemathesis from PyPI into a virtual
# environment cached under target/ (a second run reuses it), starts `pledgeboard serve --demo`
# on a temporary SQLite file, and runs every check schemathesis has against
# /api/v1/openapi.json with the demo admin token. Fails on any failure.
#
#   bash .ci/schemathesis.sh              # uses target/debug/pledgeboard (cargo test builds it)
#   PLEDGEBOARD_BIN=... SCHEMATHESIS_MAX_EXAMPLES=20 SCHEMATHESIS_SEED=7 bash .ci/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."

die() { printf '\nSCHEMATHESIS FAILED: %s\n' "$*" >&2; exit 1; }

SCHEMATHESIS_VERSION=4.32.5
# Examples per operation in each phase: with 30 operations this keeps the step to a few
# minutes on a shared 2-core machine (the step must stay under 10).
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-25}
# A fixed seed makes a failure reproducible; set SCHEMATHESIS_SEED to explore other inputs.
SEED=${SCHEMATHESIS_SEED:-20261201}
CACHE=target/schemathesis
VENV=$CACHE/venv
BIN=${PLEDGEBOARD_BIN:-target/debug/pledgeboard}
CONFIG=$PWD/.ci/schemathesis.toml
CACHE=$PWD/$CACHE
VENV=$CACHE/venv

if [ "$("$VENV/bin/st" --version 2>/dev/null || true)" != "st, version $SCHEMATHESIS_VERSION" ]; then
  echo "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV" || die "python3 -m venv failed (apt-get install python3-venv)"
  "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION" || die "cannot install schemathesis"
fi
"$VENV/bin/st" --version

[ -x "$BIN" ] || die "$BIN is missing: run cargo test --workspace (or cargo build) first"
BIN=$(realpath "$BIN")
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# `exec`: the server itself is the background job, so that cleanup's kill reaches it.
# Schemathesis sends hundreds of requests with made-up tokens from one address, which is
# exactly what the failed-attempt limit stops (429 after 20 a minute; tested on its own in
# crates/http/tests/failed_attempts.rs): here the limit is set out of its way.
(cd "$WORK" && exec env -u PLEDGEBOARD_DB RUST_LOG=warn "$BIN" serve --demo --db "sqlite://$WORK/schemathesis.db" --bind 127.0.0.1:0 \
  --failed-logins-per-minute 1000000 \
  >"$WORK/stdout" 2>"$WORK/stderr") &
SERVER_PID=$!
BASE=
for _ in $(seq 1 120); do
  BASE=$(sed -n 's|^Pledgeboard is serving on \(http://[^/]*\)/$|\1|p' "$WORK/stdout")
  [ -n "$BASE" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/stderr" >&2; die "the server did not start"; }
  sleep 0.5
done
[ -n "$BASE" ] || die "the server did not say where it serves"
TOKEN=$(sed -n 's|^demo admin token (shown once): ||p' "$WORK/stdout")
[ -n "$TOKEN" ] || die "the server printed no demo admin token"
echo "serving on $BASE"

# /api/v1/events is a server-sent event stream that never ends: a request/response fuzzer can
# only time out on it. The e2e and router tests cover it.
# Schemathesis keeps replay files in its working directory: under target/, not in the tree.
mkdir -p "$CACHE/run"
status=0
(cd "$CACHE/run" && "$VENV/bin/st" --config-file "$CONFIG" run "$BASE/api/v1/openapi.json" \
  --checks all \
  --header "Authorization: Bearer $TOKEN" \
  --exclude-path /api/v1/events \
  --max-examples "$MAX_EXAMPLES" \
  --seed "$SEED" \
  --workers 1 \
  --request-timeout 30 \
  --generation-database none \
  --report junit --report-dir "$CACHE/report" \
  --no-color) || status=$?
if [ "$status" -ne 0 ]; then
  tail -n 40 "$WORK/stderr" >&2 || true
  die "schemathesis found failures (exit $status); the junit report is in $CACHE/report"
fi
echo "schemathesis passed"
