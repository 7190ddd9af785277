# Sourced by the HTTP benchmarks: `generated_db BIN DB ROWS` makes the SQLite database DB, unless
# it exists, holding the demo data and then ROWS generated pledges (seed 42) imported after it.
generated_db() {
  local bin=$1 db=$2 rows=$3 file
  [ -f "$db" ] && return 0
  file="$(dirname "$db")/pledges-$rows.csv"
  [ -f "$file" ] || "$bin" demo generate --pledges "$rows" --seed 42 --out "$file" >/dev/null
  "$bin" demo load --db "sqlite://$db" >/dev/null
  "$bin" import pledges "$file" --db "sqlite://$db" >/dev/null
  rm -f "$file"
}
