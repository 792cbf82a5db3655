#!/usr/bin/env bash
# Benchmark: the city's `progress --by-unit` on a city ledger of N records (issue 12). The
# city ledger is made the quickest way: bench/ledger.sh's unit ledger exported as a signed
# bundle and imported into a fresh city ledger (both steps timed with GNU time, as
# bench/bundle.sh does), so one of the nine units holds all N records. `demo --city` would
# give nine units, but it takes minutes for a few thousand records (it recomputes every
# award line for each award it decides), far too long for a million.
# Needs hyperfine, sqlite3 and GNU time (apt-get install hyperfine sqlite3 time).
# Results: docs/benchmarks.md. Run bench/ledger.sh first.
#   bench/city.sh             # N=1000000
#   N=100000 bench/city.sh    # a smaller ledger
#   KEEP=1 bench/city.sh      # keep the city ledger (/tmp/taizhang-bench/city-N/city.sqlite)
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
need hyperfine hyperfine
need sqlite3 sqlite3
[ -x /usr/bin/time ] || { echo "bench needs GNU time (apt-get install time)" >&2; exit 1; }
[ -f "$DB" ] || { echo "no $DB: run bench/ledger.sh first" >&2; exit 1; }
WORK=$DIR/city-$N
CITY=$WORK/city.sqlite
rm -rf "$WORK"
mkdir -p "$WORK/stick"
TIMEFMT="%e s wall, %U s user, %S s system, peak %M KiB"

echo "== city ledger of $N records: export the unit's bundle, import it at a fresh city"
/usr/bin/time -f "export: $TIMEFMT" "$BIN" --lang en --db "$DB" export --out "$WORK/stick" >/dev/null
BUNDLE=$(ls "$WORK"/stick/*.tzb)
echo "bundle: $(stat -c %s "$BUNDLE") bytes"
KEY=$("$BIN" --lang en --db "$DB" key | grep -oE '[0-9a-f]{64}' | head -n 1)
"$BIN" --lang en --db "$CITY" init --city >/dev/null
"$BIN" --lang en --db "$CITY" enroll --unit "$UNIT" --key "$KEY" >/dev/null
/usr/bin/time -f "import: $TIMEFMT" "$BIN" --lang en --db "$CITY" import "$BUNDLE" >/dev/null
records=$(sqlite3 "$CITY" "SELECT count(*) FROM records")
echo "city ledger: $records records, $(stat -c %s "$CITY") bytes"
result city_records "$records"

echo "== progress --by-unit (whole process, warm cache)"
median city "progress --by-unit" "$BIN --db $CITY --lang zh progress --by-unit --as-of 2023-12-31 --format json"
peak city "$BIN" --db "$CITY" --lang zh progress --by-unit --as-of 2023-12-31 --format json
# No sqlite3 reference: the city view reads its figures through many statements (three
# openings of the ledger, kept counts, the entities several units hold, the import log,
# awards), not one query the shell could run alike.

[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
