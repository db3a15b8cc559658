#!/usr/bin/env bash
# Mailroom SMTP intake benchmark: Mailroom (durable accept, then posts) against Postfix's
# smtp-sink (accepts and throws away) with the same smtp-source load, in the same run.
# Usage: bench/run.sh            (BENCH_COUNT=5000 messages per case)
#        BENCH_COUNT=300 bench/run.sh
# Env:   BENCH_COUNT   messages per case (default 5000)
#        BENCH_SIZES   message sizes in bytes (default "2048 102400")
#        BENCH_CONC    smtp-source sessions in parallel (default "1 4 20")
#        BENCH_WARMUP  messages (2 KB, 20 sessions) sent once to the server before the first case
#                      (default 0); they are posted before timing starts and counted in the checks
#        BENCH_KEEP=1  keep each case's data directory under bench/out/data
#        BENCH_NO_RESULTS=1  do not rewrite bench/RESULTS.md
#        BENCH_SKIP_BUILD=1  reuse bench/out/server
#        BENCH_RUNS    runs per case, alternating Mailroom and smtp-sink; medians kept (default 3)
#        BENCH_SERVER_ARGS   extra arguments for the server (e.g. --Mailroom:Inbound:BatchSize=0)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

COUNT="${BENCH_COUNT:-5000}"
RUNS="${BENCH_RUNS:-${BENCH_SINK_RUNS:-3}}"
WARMUP="${BENCH_WARMUP:-0}"
SIZES="${BENCH_SIZES:-2048 102400}"
CONCS="${BENCH_CONC:-1 4 20}"
OUT="$ROOT/bench/out"
SERVER_DIR="$OUT/server"
LOGS="$OUT/logs"
RESULTS="$ROOT/bench/RESULTS.md"
SENDER="sender@bench.test"
POLL_INTERVAL=0.1
POST_TIMEOUT="${BENCH_POST_TIMEOUT:-900}"   # seconds to wait for the processor after sending

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" | tee -a "$LOGS/warnings.txt" >&2; }

# ---------------------------------------------------------------- prerequisites
install_postfix_tools() {
  if command -v smtp-source >/dev/null && command -v smtp-sink >/dev/null; then
    return
  fi
  log "installing postfix (for smtp-source/smtp-sink only; its daemon is never started)"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "postfix postfix/mailname string bench.localhost" | debconf-set-selections
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y postfix; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postfix
  fi
}
install_postfix_tools
for tool in curl python3 dotnet smtp-source smtp-sink; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

mkdir -p "$LOGS" "$OUT/data"
: > "$LOGS/warnings.txt"

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -f "$SERVER_DIR/Mailroom.dll" ]]; then
  log "building Mailroom (Release) into bench/out/server"
  dotnet publish src/Mailroom -c Release -o "$SERVER_DIR" > "$LOGS/publish.log" 2>&1 \
    || { tail -30 "$LOGS/publish.log" >&2; exit 1; }
fi

# ---------------------------------------------------------------- helpers
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
now() { date +%s.%N; }
calc() { python3 -c "import sys; print(eval(sys.argv[1]))" "$1"; }
# utime+stime of a process, in clock ticks (0 if gone)
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
CLK_TCK="$(getconf CLK_TCK)"
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

SERVER_PID=""
SINK_PID=""
DATA_DIR=""
# Data directories are deleted at the end of the run, not after each case: on ext4, creating files
# right after thousands were deleted can be much slower (the inode allocator skips recently freed
# inodes), which would make one case slow down the next.
DONE_DIRS=()
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null || true
  [[ -n "$SERVER_PID" ]] && wait "$SERVER_PID" 2>/dev/null || true
  [[ -n "$SINK_PID" ]] && kill "$SINK_PID" 2>/dev/null || true
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
    [[ -n "$DATA_DIR" ]] && rm -rf "$DATA_DIR"
    (( ${#DONE_DIRS[@]} == 0 )) || rm -rf "${DONE_DIRS[@]}"
  fi
}
trap cleanup EXIT

stop_pid() { # pid: TERM, wait up to 15 s, then KILL
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Counts in the case's SQLite database: "posts pending posted other"
db_counts() {
  python3 - "$1/mailroom.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30)
posts = c.execute("SELECT COUNT(*) FROM Posts").fetchone()[0]
by = dict(c.execute("SELECT Status, COUNT(*) FROM InboundMessages GROUP BY Status").fetchall())
other = sum(v for k, v in by.items() if k not in (0, 1))
print(posts, by.get(0, 0), by.get(1, 0), other)
PY
}

# smtp-source with persistent sessions (-d): by default it disconnects after every message.
send() { # port size conc count rcpt logfile
  smtp-source -d -s "$3" -m "$4" -l "$2" -f "$SENDER" -t "$5" "127.0.0.1:$1" > "$6" 2>&1
}

# Polls the admin inbound log until no message is pending (or the deadline passes).
# The status filter takes the enum *name* ("Pending") or number; lower-case "pending" is
# answered 400 (see README).
wait_pending() { # base token tag deadline
  local pending
  while :; do
    pending="$(curl -s "$1/api/inbound?status=Pending&take=1" -H "Authorization: Bearer $2" || true)"
    [[ "$pending" == "[]" ]] && return 0
    if [[ "$pending" != \[* ]]; then warn "$3: unexpected /api/inbound answer: ${pending:0:200}"; fi
    if [[ "$(calc "$(now) > $4")" == True ]]; then warn "$3: still pending after ${POST_TIMEOUT}s"; return 0; fi
    sleep "$POLL_INTERVAL"
  done
}

# ---------------------------------------------------------------- the Mailroom server
# One server on one fresh data directory takes every case in turn, as a real server would: it is
# started once, set up through the API, and each case's messages go to the same group address.
# Sets BASE, TOKEN, ADDRESS, GROUP, SMTP_PORT; runs in this shell so the EXIT trap knows the pid.
start_mailroom() {
  local http tag="mailroom"
  http="$(free_port)"; SMTP_PORT="$(free_port)"
  while [[ "$SMTP_PORT" == "$http" ]]; do SMTP_PORT="$(free_port)"; done
  DATA_DIR="$(mktemp -d "$OUT/data/$tag.XXXX")"

  # --contentRoot: the host reads appsettings.json from its content root, which defaults to the
  # working directory; without it the plan catalog is missing and start-up fails (see README).
  dotnet "$SERVER_DIR/Mailroom.dll" --contentRoot "$SERVER_DIR" \
    --Mailroom:DataDirectory="$DATA_DIR" --urls "http://127.0.0.1:$http" \
    --Mailroom:Smtp:Port="$SMTP_PORT" --Mailroom:Smtp:MaxConcurrentSessions=200 \
    --Mailroom:Smtp:LimitExemptNetworks=127.0.0.0/8 \
    --Logging:LogLevel:Default=Warning ${BENCH_SERVER_ARGS:-} > "$LOGS/$tag.server.log" 2>&1 &
  SERVER_PID=$!
  BASE="http://127.0.0.1:$http"
  local i
  for i in $(seq 300); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz" || true)" == 200 ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$LOGS/$tag.server.log" >&2; echo "server died at start" >&2; return 1; }
    sleep 0.1
  done

  TOKEN="$(curl -sf -X POST "$BASE/api/setup" -H 'Content-Type: application/json' \
    -d '{"workspaceName":"Bench","ownerName":"Bench Owner","email":"owner@bench.test","password":"bench-password-1"}' | json_field token)"
  local integ
  integ="$(curl -sf -X POST "$BASE/api/integrations/email" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"newGroupName":"Bench","title":"Bench"}')"
  ADDRESS="$(json_field address <<<"$integ")"
  GROUP="$(json_field groupId <<<"$integ")"
  [[ -n "$TOKEN" && -n "$ADDRESS" && -n "$GROUP" ]] || { echo "setup through the API failed" >&2; return 1; }
  log "server pid $SERVER_PID smtp :$SMTP_PORT -> $ADDRESS"
  if (( WARMUP > 0 )); then
    log "warm-up: $WARMUP messages of 2 KB over 20 sessions"
    send "$SMTP_PORT" 2048 20 "$WARMUP" "$ADDRESS" "$LOGS/warmup.smtp-source.log" || warn "warm-up failed"
    wait_pending "$BASE" "$TOKEN" "warm-up" "$(calc "$(now) + $POST_TIMEOUT")"
  fi
  EXPECTED=$WARMUP
}

# ---------------------------------------------------------------- one Mailroom case
# Sets M_RESULT="accept_s posted_s server_cpu_pct_accept ok".
run_mailroom() {
  local size="$1" conc="$2" tag="mailroom-${1}b-c${2}"
  local cpu0 cpu1 t0 t1 t2 rc=0
  cpu0="$(cpu_ticks "$SERVER_PID")"
  t0="$(now)"
  send "$SMTP_PORT" "$size" "$conc" "$COUNT" "$ADDRESS" "$LOGS/$tag.smtp-source.log" || rc=$?
  t1="$(now)"
  cpu1="$(cpu_ticks "$SERVER_PID")"
  if (( rc != 0 )); then
    warn "$tag: smtp-source exited $rc: $(tail -3 "$LOGS/$tag.smtp-source.log" | tr '\n' ' ')"
  fi

  # Wait until nothing is pending (all accepted messages are posts, or failed: checked below).
  wait_pending "$BASE" "$TOKEN" "$tag" "$(calc "$t1 + $POST_TIMEOUT")"
  t2="$(now)"
  # Cross-check through the posts API that the group has posts at all.
  local feed
  feed="$(curl -s "$BASE/api/groups/$GROUP/posts?take=1" -H "Authorization: Bearer $TOKEN" || true)"
  [[ "$feed" == \[\{* ]] || warn "$tag: group feed looks empty or failed: ${feed:0:200}"

  local posts pend posted other ok=yes
  EXPECTED=$((EXPECTED + COUNT))
  read -r posts pend posted other < <(db_counts "$DATA_DIR")
  if [[ "$posts" != "$EXPECTED" || "$posted" != "$EXPECTED" || "$pend" != 0 || "$other" != 0 ]]; then
    warn "$tag: expected $EXPECTED posts so far; database has Posts=$posts, InboundMessages pending=$pend posted=$posted other=$other"
    ok=no
  fi
  (( rc == 0 )) || ok=no

  local acc_rate post_rate cpu_pct
  acc_rate="$(calc "$COUNT / ($t1 - $t0)")"
  post_rate="$(calc "$COUNT / ($t2 - $t0)")"
  cpu_pct="$(calc "100.0 * ($cpu1 - $cpu0) / $CLK_TCK / ($t1 - $t0)")"
  M_RESULT="$acc_rate $post_rate $cpu_pct $ok"
}

stop_mailroom() {
  [[ -n "$SERVER_PID" ]] || return 0
  stop_pid "$SERVER_PID"; SERVER_PID=""
  if grep -Eq '^(fail|crit):' "$LOGS/mailroom.server.log"; then
    warn "server logged errors, see bench/out/logs/mailroom.server.log: $(grep -Em2 -A2 '^(fail|crit):' "$LOGS/mailroom.server.log" | tr '\n' ' ' | cut -c1-400)"
  fi
  DONE_DIRS+=("$DATA_DIR")
  DATA_DIR=""
}

# ---------------------------------------------------------------- smtp-sink
# smtp-sink's own rate varies a lot from one run to the next on a shared machine (13,000–22,000 msg/s
# at 2 KB / 20 sessions within minutes), and so does Mailroom's: each case runs RUNS times,
# alternating Mailroom and smtp-sink so that fast and slow moments fall on both, and the medians
# are compared.
start_sink() { # sets SINK_PORT
  SINK_PORT="$(free_port)"
  # No -d/-D: nothing is written to disk. -u is required when run as root.
  smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 1024 > "$LOGS/sink.log" 2>&1 &
  SINK_PID=$!
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$SINK_PORT") 2>/dev/null && break; sleep 0.1; done
}

# One run of a case against smtp-sink; sets S_RESULT (accepted/s).
run_sink() {
  local size="$1" conc="$2" tag="sink-${1}b-c${2}" t0 t1 rc=0
  t0="$(now)"
  send "$SINK_PORT" "$size" "$conc" "$COUNT" "bench@sink.test" "$LOGS/$tag.smtp-source.log" || rc=$?
  t1="$(now)"
  (( rc == 0 )) || warn "$tag: smtp-source exited $rc: $(tail -3 "$LOGS/$tag.smtp-source.log" | tr '\n' ' ')"
  S_RESULT="$(calc "$COUNT / ($t1 - $t0)")"
}

median() { python3 -c 'import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))' "$@"; }

# ---------------------------------------------------------------- the run
STARTED="$(date -u '+%Y-%m-%d %H:%M UTC')"
CORES="$(nproc)"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
log "run: N=$COUNT warm-up=$WARMUP sizes=[$SIZES] sessions=[$CONCS] cores=$CORES loadavg=$LOAD"

ROWS=()
start_mailroom || { warn "Mailroom did not start"; exit 1; }
start_sink
for size in $SIZES; do
  for conc in $CONCS; do
    accs=() posts=() cpus=() sinks=() m_ok=yes
    for run in $(seq "$RUNS"); do
      if run_mailroom "$size" "$conc"; then
        read -r acc post cpu ok <<<"$M_RESULT"
        [[ "$ok" == yes ]] || m_ok=no
      else
        warn "mailroom-${size}b-c${conc}: run $run failed (see bench/out/logs)"
        acc=0 post=0 cpu=0 m_ok=FAILED
      fi
      accs+=("$acc") posts+=("$post") cpus+=("$cpu")
      run_sink "$size" "$conc"; sinks+=("$S_RESULT")
      log "${size}b/${conc}: run $run: Mailroom $(printf '%.0f' "$acc")/s, smtp-sink $(printf '%.0f' "$S_RESULT")/s"
    done
    m_acc="$(median "${accs[@]}")"; m_post="$(median "${posts[@]}")"; m_cpu="$(median "${cpus[@]}")"
    s_acc="$(median "${sinks[@]}")"
    ratio="$(calc "$m_acc / $s_acc")"
    row="$(python3 -c 'import sys
s,c,n,ma,mp,cpu,ok,sa,r=sys.argv[1:]
print(f"{int(s)//1024} KB|{c}|{n}|{float(ma):.0f}|{float(mp):.0f}|{float(cpu):.0f}%|{float(sa):.0f}|{float(r):.3f}|{ok}")' \
      "$size" "$conc" "$COUNT" "$m_acc" "$m_post" "$m_cpu" "$m_ok" "$s_acc" "$ratio")"
    ROWS+=("$row")
    log "done: $row"
  done
done
stop_mailroom
stop_pid "$SINK_PID"; SINK_PID=""
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

HEAD="size|sessions|N per run|Mailroom accepted/s|Mailroom until posted/s|server CPU while accepting|smtp-sink accepted/s|ratio accept/sink|counts ok"
echo
echo "Mailroom SMTP benchmark, $STARTED, N=$COUNT, runs=$RUNS (medians), warm-up=$WARMUP, nproc=$CORES, loadavg at start $LOAD, at end $LOAD_END"
{ echo "$HEAD"; printf '%s\n' "${ROWS[@]}"; } | column -t -s '|'

# The product's aim: at 2 KB and 20 sessions, durable accept >= half of smtp-sink's rate.
AIM="not measured (no 2 KB / 20 sessions case in this run)"
for row in "${ROWS[@]}"; do
  IFS='|' read -r s c _ _ _ _ _ r _ <<<"$row"
  if [[ "$s" == "2 KB" && "$c" == 20 ]]; then
    if [[ "$(calc "$r >= 0.5")" == True ]]; then AIM="MET (ratio $r >= 0.5)"; else AIM="NOT MET (ratio $r < 0.5)"; fi
  fi
done
echo
echo "Aim (2 KB, 20 sessions, Mailroom accept >= 0.5 x smtp-sink): $AIM"
if [[ -s "$LOGS/warnings.txt" ]]; then echo; echo "Warnings:"; cat "$LOGS/warnings.txt"; fi

# ---------------------------------------------------------------- RESULTS.md
if [[ "${BENCH_NO_RESULTS:-0}" != 1 ]]; then
  MARK="<!-- results: everything below this line is rewritten by bench/run.sh -->"
  if [[ -f "$RESULTS" ]] && grep -qF "$MARK" "$RESULTS"; then
    awk -v m="$MARK" '{ print } $0 == m { exit }' "$RESULTS" > "$RESULTS.tmp"
  else
    cat > "$RESULTS.tmp" <<EOF
# Mailroom SMTP intake benchmark — results

Produced by \`bench/run.sh\` (see \`bench/README.md\`). Run it with \`bench/run.sh\` from anywhere
(\`BENCH_COUNT=300 bench/run.sh\` for a quick look). One Mailroom server on a fresh SQLite data
directory takes the cases in turn (each row: N messages from \`smtp-source -d\`, persistent sessions,
all posted before the next row starts); after each row, in the
same run, Postfix's \`smtp-sink\` (accepts and discards, nothing written) gets the same load. The
ratio accept/sink is the figure to compare between runs: absolute rates depend on the machine and
on what else runs on it.

- *Mailroom accepted/s*: N / time until smtp-source got every 250 (each 250 = blob fsynced and
  SQLite row committed).
- *until posted/s*: N / time from the start of sending until no message is pending any more.
- *server CPU while accepting*: the server process's CPU time during sending / wall time
  (100% = one core busy).

$MARK
EOF
  fi
  {
    echo
    echo "## Latest run: $STARTED"
    echo
    echo "Machine: $CORES cores (nproc), **shared with other builds during the run** (load average"
    echo "$LOAD at start, $LOAD_END at end), so absolute figures are noisy."
    echo "N = $COUNT messages per run, $RUNS runs per case alternating Mailroom and smtp-sink (each figure"
    echo "is the median of its runs), all cases on one server started on a fresh data directory, in the"
    echo "order of the table; warm-up: $WARMUP messages before the first case."
    echo
    echo "| ${HEAD//|/ | } |"
    echo "|$(sed 's/[^|]*/---/g' <<<"$HEAD")|"
    for row in "${ROWS[@]}"; do echo "| ${row//|/ | } |"; done
    echo
    echo "Aim (2 KB, 20 sessions: Mailroom durable accept at least half of smtp-sink's): **$AIM**."
    if [[ -s "$LOGS/warnings.txt" ]]; then
      echo
      echo "Warnings from this run:"
      echo
      sed 's/^/- /' "$LOGS/warnings.txt"
    fi
  } >> "$RESULTS.tmp"
  mv "$RESULTS.tmp" "$RESULTS"
  log "wrote $RESULTS"
fi
