#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine: installs what the tests need (PostgreSQL,
# Chromium, Postfix, Dovecot, swaks), starts a throw-away PostgreSQL on a free port, runs
# every test project, and prints one closing line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

PGBIN=/usr/lib/postgresql/15/bin
need=()
[ -x "$PGBIN/initdb" ] || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v swaks >/dev/null || need+=(swaks)
command -v smtp-source >/dev/null || need+=(postfix)
# Dovecot: the IMAP and submission server of the connected-mailbox tests (started in a temp dir).
[ -x /usr/lib/dovecot/imap ] || need+=(dovecot-imapd)
[ -x /usr/lib/dovecot/submission ] || need+=(dovecot-submissiond)
[ -x /usr/lib/dovecot/lmtp ] || need+=(dovecot-lmtpd)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  echo "postfix postfix/mailname string mailroom.localhost" | $SUDO debconf-set-selections
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# axe-core for the browser tests' accessibility check (AccessibilityTests; git-ignored folder).
AXE_VERSION=4.14.1
if [ ! -f tests/Mailroom.Browser.Tests/axe/node_modules/axe-core/axe.min.js ] \
  || ! grep -q "\"version\": \"$AXE_VERSION\"" tests/Mailroom.Browser.Tests/axe/node_modules/axe-core/package.json; then
  command -v npm >/dev/null || { $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null; }
  npm install --silent --no-save --no-package-lock --prefix tests/Mailroom.Browser.Tests/axe "axe-core@$AXE_VERSION"
fi

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# A PostgreSQL server of our own, in a temp dir (it refuses to run as root: use its own user).
PGROOT=$(mktemp -d /tmp/mailroom-pg.XXXXXX)
PGPORT=$(free_port)
as_pg() { if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$PGROOT"; su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
as_pg "$PGBIN/initdb -D $PGROOT/data -A trust -U postgres --no-sync" >/dev/null
as_pg "$PGBIN/pg_ctl -D $PGROOT/data -l $PGROOT/log -w -o \"-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c max_connections=300\" start" >/dev/null
stop_pg() { as_pg "$PGBIN/pg_ctl -D $PGROOT/data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$PGROOT"; }
trap stop_pg EXIT
export MAILROOM_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Mailroom.slnx -c Debug -nologo -v quiet

LOG=$(mktemp /tmp/mailroom-test.XXXXXX)
set +e
# One test project at a time: run side by side, the server tests' 50 MB emails and real Postfix
# starve the browser tests' page loads on a 2-core machine.
status=0
for project in tests/Mailroom.Smtp.Tests tests/Mailroom.Tests tests/Mailroom.Browser.Tests; do
  dotnet test "$project" --no-build -c Debug --logger "console;verbosity=minimal" 2>&1 | tee -a "$LOG"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
set -e

passed=$(grep -oE 'Passed: +[0-9]+' "$LOG" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$LOG" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$LOG" | awk '{s+=$2} END {print s+0}')
rm -f "$LOG"
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status"
fi
exit "$status"
