#!/usr/bin/env bash
# Issue 11's benchmark: sending from tasks and replies coming back, through a real Mailroom server
# against a real Dovecot + Postfix on loopback, each figure next to the same server driven by
# MailKit alone (bench/README.md, "Connected mailboxes: bench/outbound.sh").
#
#   bench/outbound.sh                       # every figure, full counts (some 15-30 minutes on 2 cores)
#   BENCH_QUICK=1 bench/outbound.sh         # small counts, a few minutes
#   bench/outbound.sh latency catchup       # only these figures (send latency schedule catchup accounts)
#
# Knobs: BENCH_SENDS (500), BENCH_REPLIES (100), BENCH_SCHEDULED (200), BENCH_CATCHUP (10000),
# BENCH_ACCOUNTS (1000), BENCH_REST (seconds at rest, 60), BENCH_SKIP_BUILD=1.
# Needs root (Dovecot and Postfix run as their own users from a temp dir), like the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out/outbound
mkdir -p "$OUT"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  dotnet build -c Release bench/outbound -v q -nologo -clp:ErrorsOnly
fi
# Dovecot (one IMAP process per session) and Mailroom hold a socket per watched account, and more.
ulimit -n 65536 2>/dev/null || true
LOG="$OUT/run-$(date -u +%Y%m%d-%H%M%S).log"
dotnet bench/outbound/bin/Release/net10.0/Mailroom.Bench.Outbound.dll "$@" 2>&1 | tee "$LOG"
echo "log: $LOG"
