#!/usr/bin/env bash
# Benchmark: a unit ledger of N records (issue 12). Makes it with `taizhang demo`, timed with
# GNU time (wall, CPU, peak memory, bytes written), against the sqlite3 shell's `.import` of
# the same rows into a fresh file with the same table and b-tree indexes; the file's size per
# record, by table and index; and the whole-process median of `progress` and of `list` pages
# and searches, with the same SQL in the sqlite3 shell where this build's SQL is known.
# Needs hyperfine, sqlite3 (with dbstat, as Debian's) and GNU time:
#   apt-get install hyperfine sqlite3 time
# Results: docs/benchmarks.md (bench/issue12.sh runs this with bench/city.sh and bench/tui.sh).
#   bench/ledger.sh                   # N=1000000: makes /tmp/taizhang-bench/ledger-1000000.sqlite
#   N=100000 bench/ledger.sh          # a smaller ledger
#   REUSE=1 N=100000 bench/ledger.sh  # keep an existing ledger: only the queries and sizes
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
need hyperfine hyperfine
need sqlite3 sqlite3
[ -x /usr/bin/time ] || { echo "bench needs GNU time (apt-get install time)" >&2; exit 1; }
WORK=$DIR/ledger-$N.work
rm -rf "$WORK"
mkdir -p "$WORK"

if [ "${REUSE:-0}" = 1 ] && [ -f "$DB" ]; then
  echo "== reusing $DB (REUSE=1): making it is not measured"
else
  echo "== making $N records: taizhang demo --records $N --unit $UNIT --seed 1"
  rm -f "$DB" "$DB-wal" "$DB-shm"
  # %O: blocks of 512 bytes the process caused to be written to the disk.
  /usr/bin/time -f "%e %U %S %M %O" -o "$WORK/demo.time" \
    "$BIN" --db "$DB" demo --records "$N" --unit "$UNIT" --seed 1 >/dev/null
  read -r wall user sys kib blocks <"$WORK/demo.time"
  echo "demo: $wall s wall, $user s user, $sys s system, peak $kib KiB, $((blocks * 512)) bytes written"
  result demo_s "$wall"
  result demo_kib "$kib"
  result demo_written_bytes "$((blocks * 512))"

  echo "== reference: sqlite3 .import of the same rows into the same table and b-tree indexes"
  # Left out: the triggers on records (they keep the counts in other tables), virtual tables
  # (full-text search) and every other table of the ledger.
  echo "left out of the reference: $(sqlite3 "$DB" "SELECT group_concat(type || ' ' || name, ', ')
    FROM sqlite_schema WHERE (type = 'trigger' AND tbl_name = 'records')
       OR sql LIKE 'CREATE VIRTUAL TABLE%'")"
  start=$(date +%s%N)
  sqlite3 -csv "$DB" "SELECT * FROM records" >"$WORK/records.csv"
  echo "csv: $(stat -c %s "$WORK/records.csv") bytes, written by sqlite3 -csv in $((($(date +%s%N) - start) / 1000000)) ms (not counted)"
  sqlite3 "$DB" "SELECT sql || ';' FROM sqlite_schema
    WHERE tbl_name = 'records' AND type IN ('table', 'index') AND sql IS NOT NULL" \
    | sqlite3 "$WORK/reference.sqlite"
  /usr/bin/time -f "%e %U %S %M %O" -o "$WORK/import.time" \
    sqlite3 "$WORK/reference.sqlite" ".import --csv $WORK/records.csv records"
  read -r rwall ruser rsys rkib rblocks <"$WORK/import.time"
  rows=$(sqlite3 "$WORK/reference.sqlite" "SELECT count(*) FROM records")
  [ "$rows" = "$N" ] || { echo "the reference holds $rows rows, not $N" >&2; exit 1; }
  echo "sqlite3 .import: $rwall s wall, $ruser s user, $rsys s system, peak $rkib KiB, $((rblocks * 512)) bytes written"
  echo "reference file: $(stat -c %s "$WORK/reference.sqlite") bytes"
  result demo_ref_s "$rwall"
  result demo_ref_written_bytes "$((rblocks * 512))"
  result demo_ratio "$(awk -v a="$wall" -v b="$rwall" 'BEGIN { printf "%.2f", a / b }')"
  rm -f "$WORK/records.csv" "$WORK/reference.sqlite"
fi

echo "== ledger size"
size=$(stat -c %s "$DB")
[ -f "$DB-wal" ] && size=$((size + $(stat -c %s "$DB-wal")))
echo "file: $size bytes, $((size / N)) bytes per record"
result bytes_per_record "$((size / N))"
echo "by table and index (dbstat: pages in use, bytes per record):"
sqlite3 -separator ' ' "$DB" "SELECT name, SUM(pgsize), printf('%.1f', SUM(pgsize) * 1.0 / $N)
  FROM dbstat GROUP BY name HAVING SUM(pgsize) > 4096 ORDER BY 2 DESC" \
  | awk '{ printf "  %-30s %14s bytes %8s per record\n", $1, $2, $3 }'

echo "== taizhang (whole process, warm cache)"
export TAIZHANG_DB=$DB TAIZHANG_LANG=zh
median progress progress "$BIN progress --as-of 2023-12-31 --format json"
peak progress "$BIN" progress --as-of 2023-12-31 --format json
median list_kind "list high_tech" "$BIN list high_tech --limit 50"
median search_name "search 鑫达" "$BIN list --search 鑫达 --limit 50"
median search_code "search 91230521" "$BIN list --search 91230521 --limit 50"
median search_none "search 不存在的名称" "$BIN list --search 不存在的名称 --limit 50"
peak search_none "$BIN" list --search 不存在的名称 --limit 50

echo "== sqlite3 reference: the SQL this build sends, in the sqlite3 shell"
# The statements were read off this build (gdb, a breakpoint on sqlite3_prepare_v3 and the
# bind calls). A reference runs only while the binary still holds the SQL text it copies;
# searches also need the ledger to have no full-text index (records_search), which a
# later build may search instead of LIKE.
if binary_has "SELECT COALESCE(SUM(delta), 0) FROM count_steps" \
  && binary_has "WHERE scope = ?1 AND kind = ?2 AND day <= ?3"; then
  # progress reads ten kept counts (six indicators, three years of tech SMEs, the high-tech
  # baseline), each after checking that the counts are kept for the plan and settled.
  PROGRESS_SQL=""
  for count in tech_sme:2023-12-31 tech_sme:2021-12-31 tech_sme:2022-12-31 tech_sme:2023-12-31 \
    high_tech:2023-12-31 high_tech:2020-12-31 rnd_institution:2023-12-31 \
    incubator:2023-12-31 alliance:2023-12-31 achievement:2023-12-31; do
    PROGRESS_SQL+="SELECT value FROM meta WHERE key = 'count_basis';
SELECT EXISTS (SELECT 1 FROM count_changes);
SELECT COALESCE(SUM(delta), 0) FROM count_steps WHERE scope = '$UNIT' AND kind = '${count%%:*}' AND day <= '${count#*:}';
"
  done
  median progress_ref "sqlite3: progress counts" "sqlite3 $DB \"$PROGRESS_SQL\""
else
  echo "no progress reference: this build no longer sends the kept-count SQL it copies"
fi
COLUMNS_SQL="id, unit, kind, status, revision, fields_json, void_reason, created_by, created_at, updated_by, updated_at"
ORDER_SQL="ORDER BY key_date DESC, id DESC"
page_sql() { echo "SELECT $COLUMNS_SQL, key_date FROM records WHERE $1 $ORDER_SQL LIMIT 51"; }
if binary_has "$COLUMNS_SQL" && binary_has "$ORDER_SQL"; then
  median list_kind_ref "sqlite3: list high_tech" \
    "sqlite3 $DB \"$(page_sql "kind = 'high_tech' AND status = 'active'")\""
else
  echo "no list reference: this build no longer sends the list SQL it copies"
fi
has_fts=$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_schema WHERE name = 'records_search'")
if binary_has "search_text LIKE ? ESCAPE" && binary_has "$COLUMNS_SQL" && [ "$has_fts" = 0 ]; then
  for search in "search_name:鑫达" "search_code:91230521" "search_none:不存在的名称"; do
    median "${search%%:*}_ref" "sqlite3: search ${search#*:}" \
      "sqlite3 $DB \"$(page_sql "status = 'active' AND search_text LIKE '%${search#*:}%' ESCAPE '\\'")\""
  done
else
  echo "no search reference: this build searches otherwise than by the LIKE it copies"
fi
# The floor under any whole-process figure: the shell opening the ledger for one lookup.
median floor_ref "sqlite3: open and read one meta row" \
  "sqlite3 $DB \"SELECT value FROM meta WHERE key = 'unit'\""

rm -rf "$WORK"
