#!/usr/bin/env bash
# A/B comparison of two Mailroom builds or settings, for changes smaller than this machine's noise.
# Two servers run side by side on fresh data directories; after a warm-up, smtp-source sends rounds
# of N messages to A, then B, then A… (each round waits until the previous one is posted), so slow
# and fast moments of the shared machine fall on both. Prints each round and the medians of
# accepted msg/s and server CPU µs per message.
#
# Usage: bench/ab.sh ROUNDS
# Env:   DIR_A, DIR_B   published servers (default bench/out/server for both; build with
#                       `dotnet publish src/Mailroom -c Release -o DIR`)
#        A, B           extra environment for each server, e.g. B="DOTNET_gcServer=0"
#        ARGS_A, ARGS_B extra arguments for each server, e.g. ARGS_B="--Mailroom:Smtp:Transport=sockets"
#        N (5000), CONC (20), SIZE (2048), WARM (10000)
#        NOWAIT=1       do not wait for posting between rounds (use with --Mailroom:Inbound:BatchSize=0)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${1:?usage: bench/ab.sh ROUNDS}"
OUT="$ROOT/bench/out/ab"
mkdir -p "$OUT"
for tool in smtp-source curl python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (bench/run.sh installs postfix for smtp-source)" >&2; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
declare -A PIDS SMTPS BASES TOKENS ADDRS RATES CPUS
DATA_DIRS=()
trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "${DATA_DIRS[@]}"' EXIT

start() { # name dir env args
  local http smtp data i
  http="$(free_port)"; smtp="$(free_port)"; data="$(mktemp -d "$OUT/data.XXXX")"; DATA_DIRS+=("$data")
  # shellcheck disable=SC2086 # env and args are word lists on purpose
  env $3 dotnet "$2/Mailroom.dll" --contentRoot "$2" --Mailroom:DataDirectory="$data" --urls "http://127.0.0.1:$http" \
    --Mailroom:Smtp:Port="$smtp" --Mailroom:Smtp:MaxConcurrentSessions=200 --Mailroom:Smtp:LimitExemptNetworks=127.0.0.0/8 --Logging:LogLevel:Default=Warning $4 \
    > "$OUT/server.$1.log" 2>&1 &
  PIDS[$1]=$!; SMTPS[$1]=$smtp; BASES[$1]="http://127.0.0.1:$http"
  for i in $(seq 300); do [[ "$(curl -s -o /dev/null -w '%{http_code}' "${BASES[$1]}/healthz")" == 200 ]] && break; sleep 0.1; done
  TOKENS[$1]="$(curl -sf -X POST "${BASES[$1]}/api/setup" -H 'Content-Type: application/json' \
    -d '{"workspaceName":"AB","ownerName":"AB Owner","email":"owner@ab.test","password":"ab-password-1"}' | json_field token)"
  ADDRS[$1]="$(curl -sf -X POST "${BASES[$1]}/api/integrations/email" -H "Authorization: Bearer ${TOKENS[$1]}" \
    -H 'Content-Type: application/json' -d '{"newGroupName":"AB","title":"AB"}' | json_field address)"
  [[ -n "${ADDRS[$1]}" ]] || { echo "server $1 did not start; see $OUT/server.$1.log" >&2; exit 1; }
}
wait_posted() {
  [[ "${NOWAIT:-0}" == 1 ]] && return
  while [[ "$(curl -s "${BASES[$1]}/api/inbound?status=Pending&take=1" -H "Authorization: Bearer ${TOKENS[$1]}")" != "[]" ]]; do sleep 0.2; done
}
send() { smtp-source -d -s "$2" -m "$3" -l "${SIZE:-2048}" -f ab@sender.test -t "${ADDRS[$1]}" "127.0.0.1:${SMTPS[$1]}" >/dev/null 2>&1; }
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12+$13}'; }

start A "${DIR_A:-$ROOT/bench/out/server}" "${A:-}" "${ARGS_A:-}"
start B "${DIR_B:-$ROOT/bench/out/server}" "${B:-}" "${ARGS_B:-}"
for s in A B; do send "$s" 20 "${WARM:-10000}"; wait_posted "$s"; done

N="${N:-5000}"; HZ="$(getconf CLK_TCK)"
for r in $(seq "$ROUNDS"); do
  for s in A B; do
    c0="$(ticks "${PIDS[$s]}")"; t0="$(date +%s.%N)"
    send "$s" "${CONC:-20}" "$N"
    t1="$(date +%s.%N)"; c1="$(ticks "${PIDS[$s]}")"
    read -r rate us < <(python3 -c "n=$N; dt=$t1-$t0; print(f'{n/dt:.0f} {($c1-$c0)/$HZ/n*1e6:.0f}')")
    echo "round $r $s: $rate msg/s, $us µs server CPU/msg"
    RATES[$s]="${RATES[$s]:-} $rate"; CPUS[$s]="${CPUS[$s]:-} $us"
    wait_posted "$s"
  done
done
for s in A B; do
  python3 -c "import statistics as st; r=[float(x) for x in '${RATES[$s]}'.split()]; c=[float(x) for x in '${CPUS[$s]}'.split()]; print(f'$s: median {st.median(r):.0f} msg/s, {st.median(c):.0f} µs/msg')"
done
