#!/usr/bin/env bash
# Benchmark: a 1,000,000-record unit ledger exported as a signed bundle and imported at a fresh
# city ledger, each timed with its peak memory (GNU time), against the sqlite3 shell's
# `.import` of the same rows (CSV into a fresh file with the same table and indexes).
# Needs sqlite3 and GNU time (apt-get install sqlite3 time). Results: docs/benchmarks.md.
#   bench/bundle.sh            # N=1000000 records; reuses bench/ledger.sh's ledger
#   N=100000 bench/bundle.sh   # a smaller ledger
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
DIR=${BENCH_DIR:-/tmp/taizhang-bench}
UNIT=230502
for tool in sqlite3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install $tool)" >&2; exit 1; }
done

cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/taizhang
mkdir -p "$DIR"
DB=$DIR/ledger-$N.sqlite
if [ ! -f "$DB" ]; then
  echo "== making $N records (as bench/ledger.sh does)"
  "$BIN" --db "$DB" demo --records "$N" --unit "$UNIT" --seed 1 >/dev/null
fi
WORK=$DIR/bundle-$N
rm -rf "$WORK"
mkdir -p "$WORK/stick"
TIMEFMT="%e s wall, %U s user, %S s system, peak %M KiB"

echo "== export ($N records)"
/usr/bin/time -f "export: $TIMEFMT" "$BIN" --lang en --db "$DB" export --out "$WORK/stick"
BUNDLE=$(ls "$WORK"/stick/*.tzb)
echo "bundle: $(stat -c %s "$BUNDLE") bytes"

echo "== city import"
KEY=$("$BIN" --lang en --db "$DB" key | grep -oE '[0-9a-f]{64}' | head -n 1)
CITY=$WORK/city.sqlite
"$BIN" --lang en --db "$CITY" init --city >/dev/null
"$BIN" --lang en --db "$CITY" enroll --unit "$UNIT" --key "$KEY" >/dev/null
/usr/bin/time -f "import: $TIMEFMT" "$BIN" --lang en --db "$CITY" import "$BUNDLE"
echo "city ledger: $(stat -c %s "$CITY") bytes"

echo "== sqlite3 reference: .import of the same rows"
sqlite3 -csv "$DB" "SELECT * FROM records" > "$WORK/records.csv"
echo "csv: $(stat -c %s "$WORK/records.csv") bytes"
REF=$WORK/reference.sqlite
# The same table and b-tree indexes as the ledger's records, in a fresh file (not the
# triggers, which keep counts in tables the reference does not have).
sqlite3 "$DB" "SELECT sql || ';' FROM sqlite_schema
  WHERE tbl_name = 'records' AND type IN ('table', 'index') AND sql IS NOT NULL" \
  | sqlite3 "$REF"
/usr/bin/time -f "sqlite3 .import (table and indexes): $TIMEFMT" \
  sqlite3 "$REF" ".import --csv $WORK/records.csv records"
echo "rows: $(sqlite3 "$REF" 'SELECT count(*) FROM records')"
REF_PLAIN=$WORK/reference-plain.sqlite
sqlite3 "$DB" "SELECT sql || ';' FROM sqlite_schema WHERE type = 'table' AND name = 'records'" \
  | sqlite3 "$REF_PLAIN"
/usr/bin/time -f "sqlite3 .import (table only): $TIMEFMT" \
  sqlite3 "$REF_PLAIN" ".import --csv $WORK/records.csv records"

rm -rf "$WORK"
