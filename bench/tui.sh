#!/usr/bin/env bash
# Benchmark: the clerk's screen on a unit ledger of N records, in a real terminal (tmux,
# 80x24; issue 12). Time from starting `taizhang` to the dashboard's progress table drawn
# with its figures, warm and with the ledger evicted from the page cache (cold), median of
# RUNS runs each; the peak memory (GNU time) of a browsing session: the list of tech SMEs,
# 50 pages down, a search, a record opened and closed, quit. With WIRE=1 also the bytes one
# keystroke in a form puts on the wire (a test of its own, compiled in release mode).
# Needs tmux, GNU time and util-linux's fincore (apt-get install tmux time util-linux).
# Results: docs/benchmarks.md. Run bench/ledger.sh first.
#   bench/tui.sh                  # N=1000000
#   N=100000 RUNS=9 bench/tui.sh  # a smaller ledger, more runs
#   WIRE=1 bench/tui.sh           # and the bytes per keystroke
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
need tmux tmux
need fincore util-linux
[ -x /usr/bin/time ] || { echo "bench needs GNU time (apt-get install time)" >&2; exit 1; }
[ -f "$DB" ] || { echo "no $DB: run bench/ledger.sh first" >&2; exit 1; }
RUNS=${RUNS:-5}
WORK=$(mktemp -d)
TMUX_CMD=(tmux -S "$WORK/tmux.sock" -f /dev/null)
# A server kept up by an idle session, so that each run pays for a session, not a server.
"${TMUX_CMD[@]}" new-session -d -s idle -x 80 -y 24 "sleep 86400"
trap '"${TMUX_CMD[@]}" kill-server 2>/dev/null; rm -rf "$WORK"' EXIT

# The dashboard is drawn once the last row of its progress table shows the indicator's
# target and count: `│ 科技成果        14    1528   10914% …`. (科技成果 alone is also the
# last tab's name, drawn before the table.)
DRAWN='科技成果 +[0-9]+ +[0-9]+'

# screen SESSION: what the session's pane shows now.
screen() { "${TMUX_CMD[@]}" capture-pane -p -t "$1" 2>/dev/null; }

# wait_for SESSION PATTERN: polls the pane every 5 ms until PATTERN (grep -E) is on it.
wait_for() {
  local deadline=$(($(date +%s) + 120))
  until screen "$1" | grep -qE "$2"; do
    if [ "$(date +%s)" -gt "$deadline" ]; then
      echo "timed out waiting for /$2/ in:" >&2
      screen "$1" >&2 || echo "(the session is gone)" >&2
      exit 1
    fi
    sleep 0.005
  done
}

# quit SESSION: `q`, then wait for the program (and so the session) to end.
quit() {
  "${TMUX_CMD[@]}" send-keys -t "$1" q
  while "${TMUX_CMD[@]}" has-session -t "$1" 2>/dev/null; do sleep 0.02; done
}

# first_frame NAME COMMAND: milliseconds from starting COMMAND in a new 80x24 session to
# the dashboard drawn.
first_frame() {
  local start end
  start=$(date +%s%N)
  "${TMUX_CMD[@]}" new-session -d -s "$1" -x 80 -y 24 "$2"
  wait_for "$1" "$DRAWN"
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

# median_of: the middle of the numbers on stdin.
median_of() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

APP="$BIN --lang zh --db $DB"
echo "== harness floor: a program that prints the marker at once ($RUNS runs)"
for i in $(seq "$RUNS"); do
  ms=$(first_frame "floor$i" "printf '科技成果 1 2\n'; sleep 60")
  "${TMUX_CMD[@]}" kill-session -t "floor$i"
  echo "$ms"
done | tee "$WORK/floor"
result tui_floor_ms "$(median_of <"$WORK/floor")"

echo "== first dashboard frame, warm page cache, $N records ($RUNS runs after one warm-up)"
first_frame warmup "$APP" >/dev/null
quit warmup
for i in $(seq "$RUNS"); do
  ms=$(first_frame "warm$i" "$APP")
  quit "warm$i"
  echo "$ms"
done | tee "$WORK/warm"
result tui_warm_ms "$(median_of <"$WORK/warm")"

echo "== first dashboard frame, cold: the ledger evicted from the page cache before each run"
for i in $(seq "$RUNS"); do
  evict "$DB" "$DB-wal" "$DB-shm"
  [ "$i" = 1 ] && fincore "$DB" >&2
  ms=$(first_frame "cold$i" "$APP")
  quit "cold$i"
  echo "$ms"
done | tee "$WORK/cold"
result tui_cold_ms "$(median_of <"$WORK/cold")"

echo "== peak memory browsing (GNU time): list, 50 pages down, search, open a record, back, quit"
"${TMUX_CMD[@]}" new-session -d -s browse -x 80 -y 24 \
  "/usr/bin/time -f %M -o $WORK/browse.kib $APP"
wait_for browse "$DRAWN"
keys() { "${TMUX_CMD[@]}" send-keys -t browse "$@"; sleep 0.05; }
keys 1
wait_for browse '第 1-[0-9]+ 条，共 [0-9]+ 条'
for _ in $(seq 50); do keys PageDown; done
wait_for browse '第 [0-9]{3}-[0-9]+ 条'
keys /
keys -l 鑫达
wait_for browse '第 1-[0-9]+ 条'
keys Enter
keys Enter
wait_for browse '修改记录'
keys Escape
wait_for browse '搜索: 鑫达'
quit browse
echo "peak: $(cat "$WORK/browse.kib") KiB"
result tui_browse_kib "$(cat "$WORK/browse.kib")"

if [ "${WIRE:-0}" = 1 ]; then
  echo "== bytes on the wire (first frame, a keystroke in a form)"
  cargo test --release --quiet --test tui_wire -- --nocapture 2>&1 | grep '^bytes:'
fi
