#!/usr/bin/env bash
# Benchmark: every row of issue 12's table ("fast at a million records on a 2-core office
# PC") at 10,000, 100,000 and 1,000,000 records. For each N it runs bench/ledger.sh (making
# the ledger, its size, progress and searches), bench/city.sh (the city's progress --by-unit)
# and bench/tui.sh (first frame warm and cold, memory while browsing), one after another,
# and writes everything they print to /tmp/taizhang-bench/results-N.txt; then it prints the
# table of docs/benchmarks.md, one column per results file found.
# Needs hyperfine, sqlite3, GNU time, tmux and util-linux:
#   apt-get install hyperfine sqlite3 time tmux util-linux
# About 20 minutes for all three sizes on 2 cores (1,000,000 records take most of it) and
# 6 GB free in /tmp while the 1,000,000-record ledger is measured; the ledgers are kept.
#   bench/issue12.sh                 # N = 10000, 100000 and 1000000
#   N=100000 bench/issue12.sh        # one size
#   bench/issue12.sh table           # only print the table from the results files there
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${BENCH_DIR:-/tmp/taizhang-bench}
SIZES=${N:-10000 100000 1000000}
mkdir -p "$DIR"

# machine: what the results were measured on, and with which build.
machine() {
  local commit="unknown"
  if git rev-parse --git-dir >/dev/null 2>&1; then
    commit=$(git rev-parse --short HEAD)
    [ -z "$(git status --porcelain -- src Cargo.toml Cargo.lock)" ] || commit="$commit with uncommitted changes"
  fi
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit: $commit"
  echo "cores: $(nproc); cpu: $(lscpu | sed -n 's/^Model name: *//p')"
  echo "memory: $(free -h | awk '/^Mem:/ { print $2 }'); kernel: $(uname -r)"
  echo "load average at start: $(cut -d ' ' -f 1-3 /proc/loadavg)"
  echo "tools: $(sqlite3 --version | cut -d ' ' -f 1) (sqlite3 shell), $(hyperfine --version), $(tmux -V)"
}

# table: issue 12's table, a column per results file (10k, 100k, 1M).
table() {
  local files=() n
  for n in 10000 100000 1000000; do
    [ -f "$DIR/results-$n.txt" ] && files+=("$DIR/results-$n.txt")
  done
  [ ${#files[@]} -gt 0 ] || { echo "no results in $DIR: run bench/issue12.sh" >&2; exit 1; }
  awk '
    FNR == 1 { col++; n[col] = FILENAME; sub(/.*results-/, "", n[col]); sub(/\.txt$/, "", n[col]) }
    /^commit: / { commit[col] = substr($0, 9) }
    /^RESULT / { split(substr($0, 8), kv, "="); v[col, kv[1]] = kv[2] }
    function has(k) { return (c, k) in v }
    function ms(k) { if (!has(k)) return "–"; x = v[c, k]; return x >= 1000 ? sprintf("%.2f s", x / 1000) : sprintf("%.1f ms", x) }
    function sec(k) { if (!has(k)) return "–"; return sprintf(v[c, k] < 10 ? "%.2f s" : "%.1f s", v[c, k]) }
    function mib(k) { return has(k) ? sprintf("%.1f MiB", v[c, k] / 1024) : "–" }
    function mb(k) { if (!has(k)) return "–"; x = v[c, k]; return x >= 1e10 ? sprintf("%.1f GB", x / 1e9) : sprintf("%.0f MB", x / 1e6) }
    function ref(k, r) { return has(r) ? sprintf("%s (%s, %.2f×)", ms(k), ms(r), v[c, k] / v[c, r]) : ms(k) }
    function commas(x) { return x >= 1000 ? sprintf("%d,%03d", x / 1000, x % 1000) : x }
    function row(what, before, target, kind, k, r,   line) {
      line = "| " what " | " before " | " target
      for (c = 1; c <= col; c++) {
        if (kind == "ref") cell = ref(k, r)
        else if (kind == "mib") cell = mib(k)
        else if (kind == "frame") cell = ms(k) (has(r) ? " (floor " ms(r) ")" : "")
        else if (kind == "demo") cell = has(k) ? sec(k) " / " sec(r) " = **" v[c, "demo_ratio"] "×**" : "–"
        else if (kind == "written") cell = has(k) ? mb(k) " / " mb(r) : "–"
        else if (kind == "bytes") cell = has(k) ? "**" commas(v[c, k]) "**" : "–"
        line = line " | " cell
      }
      print line " |"
    }
    END {
      head = "| what | before (1M) | target"; rule = "|---|---|---"
      for (c = 1; c <= col; c++) { head = head " | " n[c] " records"; rule = rule "|---" }
      print head " |"; print rule "|"
      row("`progress` median (sqlite3 shell, same SQL, ratio)", "188 ms", "≤ 10 ms, flat from 10k to 1M", "ref", "progress_ms", "progress_ref_ms")
      row("`progress` peak memory", "", "", "mib", "progress_kib")
      row("TUI first frame, warm (harness floor)", "241 ms", "≤ 50 ms", "frame", "tui_warm_ms", "tui_floor_ms")
      row("TUI first frame, cold", "1.95 s", "≤ 300 ms", "frame", "tui_cold_ms")
      row("TUI peak memory browsing", "74 MiB", "≤ 30 MiB", "mib", "tui_browse_kib")
      row("city `progress --by-unit` median", "695 ms", "≤ 20 ms", "ref", "city_ms")
      row("city `progress --by-unit` peak memory", "", "", "mib", "city_kib")
      row("creating N records: `demo` / `sqlite3 .import` = ratio", "126 s, 2.77×", "≤ 1.0×", "demo", "demo_s", "demo_ref_s")
      row("creating N records: bytes written, `demo` / `.import`", "", "", "written", "demo_written_bytes", "demo_ref_written_bytes")
      row("creating N records: `demo` peak memory", "", "", "mib", "demo_kib")
      row("ledger size, bytes per record", "2,490", "≤ 1,000, search index included", "bytes", "bytes_per_record")
      row("search, no match (sqlite3 shell, same SQL, ratio)", "290 ms", "≤ 20 ms", "ref", "search_none_ms", "search_none_ref_ms")
      row("`list high_tech --limit 50` (sqlite3 shell, ratio)", "", "", "ref", "list_kind_ms", "list_kind_ref_ms")
      row("`list --search 鑫达 --limit 50` (sqlite3 shell, ratio)", "", "", "ref", "search_name_ms", "search_name_ref_ms")
      row("`list --search 91230521 --limit 50` (sqlite3 shell, ratio)", "", "", "ref", "search_code_ms", "search_code_ref_ms")
      row("sqlite3 shell: open the ledger, read one row (floor)", "", "", "ref", "floor_ref_ms")
      print ""
      for (c = 1; c <= col; c++) printf "%s records: commit %s\n", n[c], commit[c]
    }' "${files[@]}"
}

if [ "${1:-}" = table ]; then
  table
  exit 0
fi
for n in $SIZES; do
  out=$DIR/results-$n.txt
  echo "== issue 12 at N=$n: $out"
  {
    echo "# issue 12 benchmarks, $n records"
    machine
    N=$n bench/ledger.sh
    N=$n bench/city.sh
    N=$n bench/tui.sh
    echo "load average at end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
  } 2>&1 | tee "$out"
done
echo
table
