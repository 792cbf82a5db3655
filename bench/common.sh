#!/usr/bin/env bash
# Shared by bench/ledger.sh, bench/city.sh, bench/tui.sh and bench/issue12.sh; not run on its
# own. Builds the release binary and defines the timing helpers. Each figure a script measures
# is printed as a line `RESULT key=value`, which bench/issue12.sh gathers into the table of
# docs/benchmarks.md.
#   N           records in the ledger (default 1000000)
#   BENCH_DIR   where ledgers and results go (default /tmp/taizhang-bench)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${N:-1000000}
DIR=${BENCH_DIR:-/tmp/taizhang-bench}
UNIT=230502
DB=$DIR/ledger-$N.sqlite
# Warm-up runs and the least number of timed runs for each command hyperfine times.
WARMUP=${WARMUP:-3}
MIN_RUNS=${MIN_RUNS:-20}

# need TOOL PACKAGE: stop with the apt package to install when TOOL is missing.
need() {
  command -v "$1" >/dev/null || { echo "bench needs $1 (apt-get install $2)" >&2; exit 1; }
}

cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/taizhang
mkdir -p "$DIR"

# result KEY VALUE: one figure for the summary table.
result() { echo "RESULT $1=$2"; }

# median KEY NAME COMMAND: hyperfine's median of COMMAND (run without a shell, output
# discarded) in milliseconds, after WARMUP runs, over at least MIN_RUNS runs.
median() {
  local key=$1 name=$2 cmd=$3 csv
  csv=$(mktemp)
  hyperfine -N --style basic --warmup "$WARMUP" --min-runs "$MIN_RUNS" \
    --command-name "$name" --export-csv "$csv" "$cmd"
  # Columns: command, mean, stddev, median, user, system, min, max (seconds).
  result "${key}_ms" "$(awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$csv")"
  rm -f "$csv"
}

# peak KEY COMMAND...: the maximum resident set size (GNU time's %M, KiB) of one run.
peak() {
  local key=$1 out
  shift
  out=$(mktemp)
  /usr/bin/time -f %M -o "$out" "$@" >/dev/null
  echo "peak memory of $*: $(cat "$out") KiB"
  result "${key}_kib" "$(cat "$out")"
  rm -f "$out"
}

# evict FILE...: drops the files' pages from the page cache (no root needed: dd asks the
# kernel with posix_fadvise(DONTNEED)); dirty pages are written first, or they would stay.
evict() {
  local f
  for f in "$@"; do
    if [ -f "$f" ]; then
      sync "$f"
      dd if="$f" iflag=nocache count=0 status=none
    fi
  done
}

# binary_has TEXT: whether the built binary holds TEXT (an SQL statement it sends, say).
binary_has() { grep -qaF -- "$1" "$BIN"; }
