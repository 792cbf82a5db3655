#!/usr/bin/env bash
# Benchmark: time to the first full dashboard frame of the clerk's screen on a large ledger,
# in a real terminal (tmux, 80x24), and the bytes one keystroke in a form puts on the wire.
# Needs tmux. Uses the ledger bench/ledger.sh made (run that first).
#   bench/tui.sh                # N=1000000
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
DIR=${BENCH_DIR:-/tmp/taizhang-bench}
DB=$DIR/ledger-$N.sqlite
RUNS=${RUNS:-5}
[ -f "$DB" ] || { echo "no $DB: run bench/ledger.sh first" >&2; exit 1; }
command -v tmux >/dev/null || { echo "bench needs tmux" >&2; exit 1; }
cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/taizhang
SOCK=taizhang-bench-$$

echo "== time to first dashboard frame, $N records ($RUNS runs)"
for i in $(seq "$RUNS"); do
  start=$(date +%s%N)
  tmux -L "$SOCK" new-session -d -x 80 -y 24 "$BIN --db $DB"
  # The dashboard is drawn once its progress table (the 入库科企 row) is on screen.
  until tmux -L "$SOCK" capture-pane -p 2>/dev/null | grep -q '入库科企 .*[0-9]'; do
    sleep 0.01
  done
  end=$(date +%s%N)
  echo "run $i: $(( (end - start) / 1000000 )) ms"
  tmux -L "$SOCK" kill-server
done

echo "== bytes on the wire (first frame, a keystroke in a form)"
cargo test --release --quiet --test tui_wire -- --nocapture 2>&1 | grep '^bytes:'
