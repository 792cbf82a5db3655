#!/usr/bin/env bash
# Benchmark: a 1,000,000-record unit ledger. Times `progress` and filtered `list` pages through
# taizhang, and the same SQL through the sqlite3 shell as the reference.
# Needs hyperfine, sqlite3 and GNU time (apt-get install hyperfine sqlite3 time). Results: docs/benchmarks.md.
#   bench/ledger.sh            # N=1000000 records in /tmp/taizhang-bench
#   N=100000 bench/ledger.sh   # a smaller ledger
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
DIR=${BENCH_DIR:-/tmp/taizhang-bench}
UNIT=230502
for tool in hyperfine sqlite3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install $tool)" >&2; exit 1; }
done

cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/taizhang
mkdir -p "$DIR"
DB=$DIR/ledger-$N.sqlite
if [ ! -f "$DB" ]; then
  echo "== making $N records"
  TIMEFORMAT="demo: %R s"
  time "$BIN" --db "$DB" demo --records "$N" --unit "$UNIT" --seed 1
  echo "file: $(du -h "$DB" | cut -f1)"
fi
export TAIZHANG_DB=$DB

echo "== taizhang"
hyperfine --warmup 2 --runs 20 -N \
  "$BIN progress --as-of 2023-12-31 --format json" \
  "$BIN list high_tech --limit 50" \
  "$BIN list --search 鑫达 --limit 50" \
  "$BIN list --search 91230521 --limit 50" \
  "$BIN list --search 不存在的名称 --limit 50"

echo "== sqlite3 reference (the same SQL taizhang sends, in the sqlite3 shell)"
PROGRESS_SQL="SELECT
 (SELECT COUNT(DISTINCT count_key) FROM records INDEXED BY records_active_count WHERE status='active' AND unit='$UNIT' AND kind='tech_sme' AND key_date BETWEEN '2023-01-01' AND '2023-12-31'),
 (SELECT COUNT(DISTINCT count_key) FROM records INDEXED BY records_active_count WHERE status='active' AND unit='$UNIT' AND kind='high_tech' AND key_date BETWEEN '2021-01-01' AND '2023-12-31'),
 (SELECT COUNT(DISTINCT count_key) FROM records INDEXED BY records_active_count WHERE status='active' AND unit='$UNIT' AND kind='rnd_institution' AND key_date <= '2023-12-31' AND (end_date IS NULL OR end_date > '2023-12-31')),
 (SELECT COUNT(DISTINCT count_key) FROM records INDEXED BY records_active_count WHERE status='active' AND unit='$UNIT' AND kind='incubator' AND key_date <= '2023-12-31' AND (end_date IS NULL OR end_date > '2023-12-31')),
 (SELECT COUNT(DISTINCT count_key) FROM records INDEXED BY records_active_count WHERE status='active' AND unit='$UNIT' AND kind='alliance' AND key_date <= '2023-12-31' AND (end_date IS NULL OR end_date > '2023-12-31')),
 (SELECT COUNT(DISTINCT count_key) FROM records INDEXED BY records_active_count WHERE status='active' AND unit='$UNIT' AND kind='achievement' AND key_date BETWEEN '2021-01-01' AND '2023-12-31');"
LIST_SQL="SELECT id, name, credit_code, key_date FROM records WHERE status='active' AND kind='high_tech' ORDER BY key_date DESC, id DESC LIMIT 50;"
SEARCH_SQL="SELECT id, name, credit_code, key_date FROM records WHERE status='active' AND search_text LIKE '%鑫达%' ORDER BY key_date DESC, id DESC LIMIT 50;"
hyperfine --warmup 2 --runs 20 -N \
  "sqlite3 $DB \"$PROGRESS_SQL\"" \
  "sqlite3 $DB \"$LIST_SQL\"" \
  "sqlite3 $DB \"$SEARCH_SQL\""

echo "== the progress SQL without INDEXED BY: the planner, lacking statistics, picks a list index"
NAIVE_SQL="SELECT COUNT(DISTINCT count_key) FROM records WHERE status='active' AND unit='$UNIT' AND kind='tech_sme' AND key_date BETWEEN '2023-01-01' AND '2023-12-31';"
sqlite3 "$DB" "EXPLAIN QUERY PLAN $NAIVE_SQL"
hyperfine --warmup 1 --runs 3 -N "sqlite3 $DB \"$NAIVE_SQL\""

echo "== peak memory (KiB) of progress and a list page"
/usr/bin/time -f "%M KiB progress" "$BIN" progress --as-of 2023-12-31 >/dev/null
/usr/bin/time -f "%M KiB list page" "$BIN" list high_tech --limit 50 >/dev/null
