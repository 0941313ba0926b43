#!/usr/bin/env bash
# scalewatch top in a real terminal (tmux) against a running agent: it draws, refreshes,
# redraws at a new size, and quits on q, on Ctrl-C and on SIGTERM leaving the shell usable (echo and
# line editing back, the screen restored). Usage: scripts/top_tmux_test.sh BINARY
set -uo pipefail
BIN=$(realpath "${1:?usage: top_tmux_test.sh BINARY}")
command -v tmux >/dev/null || { echo "tmux is not installed"; exit 1; }
work=$(mktemp -d)
session="swtop$$"
port=$((20000 + RANDOM % 20000))
failed=0
cleanup() {
    tmux kill-session -t "$session" 2>/dev/null
    [ -n "${agent:-}" ] && kill "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
check() {
    if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; failed=1; fi
}
pane() { tmux capture-pane -t "$session" -p; }

printf 'listen_address: 127.0.0.1:%s\ndata_dir: %s/data\ncollection_interval: 1s\n' "$port" "$work" > "$work/agent.yml"
"$BIN" agent --config "$work/agent.yml" > "$work/agent.log" 2>&1 &
agent=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && break; sleep 0.2; done
sleep 3  # two collections, so that rates have two samples

tmux new-session -d -s "$session" -x 100 -y 30 "bash --norc --noprofile"
tmux send-keys -t "$session" "PS1='prompt\$ '; clear" Enter
sleep 0.5
tmux send-keys -t "$session" "$BIN top --url http://127.0.0.1:$port --interval 1s" Enter
sleep 3
first=$(pane)
check "draws the title and every stage's line" \
    '[[ $first == *"scalewatch top — http://127.0.0.1:$port"* && $first == *"CPU (3)"* && $first == *"memory (1)"* && $first == *"firing alerts"* ]]'
check "shows numbers from the agent" '[[ $first =~ available\ [0-9.]+\ [KMGT]iB ]]'
sleep 2
second=$(pane)
check "refreshes (the clock in the title moves)" '[[ $(head -1 <<<"$first") != $(head -1 <<<"$second") ]]'
tmux resize-window -t "$session" -x 60 -y 20
sleep 1
small=$(pane)
check "redraws at the new size: 60 columns, services above processes" \
    '[[ $(python3 -c "import sys; print(max(len(l) for l in sys.stdin.read().splitlines()))" <<<"$small") -le 60 && $small == *"largest processes (2)"* && $(grep -c "largest" <<<"$small") == 2 ]]'
tmux send-keys -t "$session" q
sleep 1
tmux send-keys -t "$session" "echo after-q-\$((6*7))" Enter
sleep 0.5
after=$(pane)
check "q quits, the screen is restored and the shell echoes" '[[ $after == *"after-q-42"* && $after != *"CPU (3)"* ]]'

tmux send-keys -t "$session" "$BIN top --url http://127.0.0.1:$port --interval 1s" Enter
sleep 2
tmux send-keys -t "$session" C-c
sleep 1
tmux send-keys -t "$session" "stty -a | tr ' ' '\n' | grep -xE -- '-?(icanon|echo|isig)' | tr '\n' ' '; echo" Enter
sleep 0.5
modes=$(pane)
check "Ctrl-C quits and restores canonical mode, echo and signals" '[[ $modes == *"isig icanon echo"* ]]'

tmux send-keys -t "$session" "clear; $BIN top --url http://127.0.0.1:$port --interval 1s" Enter
sleep 2
pkill -TERM -f "$BIN top --url http://127.0.0.1:$port"
sleep 1
tmux send-keys -t "$session" "stty -a | tr ' ' '\n' | grep -xE -- '-?(icanon|echo|isig)' | tr '\n' ' '; echo" Enter
sleep 0.5
terminated=$(pane)
check "SIGTERM (a dropped SSH session) quits and restores the terminal" \
    '[[ $terminated == *"isig icanon echo"* && $terminated != *"CPU (3)"* ]]'

kill "$agent" && wait "$agent" 2>/dev/null
agent=
tmux send-keys -t "$session" "clear; $BIN top --url http://127.0.0.1:$port --interval 1s" Enter
sleep 2
down=$(pane)
check "an agent that is gone is said on the screen, not a crash" '[[ $down == *"! cannot reach the agent"* ]]'
tmux send-keys -t "$session" q
exit $failed
