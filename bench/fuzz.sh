#!/usr/bin/env bash
# Fuzzes the SMTP listener and the message reading path with AFL++ and SharpFuzz, each target
# for a bounded time, then prints executions, crashes and hangs per target (bench/README.md).
#
#   bench/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]      default: 600 s each, targets smtp message
#
# Targets (bench/fuzz/Mailroom.Fuzz):
#   smtp     one client connection played to SmtpConnectionHandler over in-memory pipes, whole and
#            cut in pieces (replies and deliveries must agree); instruments Mailroom.Smtp.dll
#   message  one raw email through `mailroom inspect`'s code (MessageReader.Read, reply split, HTML to
#            text, sanitiser, JSON); instruments Mailroom.dll, MimeKit.dll, HtmlSanitizer.dll
# Knobs: FUZZ_TIMEOUT_SMTP / FUZZ_TIMEOUT_MESSAGE (ms per execution before AFL calls it a hang,
# default 1000 / 2000), FUZZ_SKIP_BUILD=1 (reuse bench/out/fuzz/bin), FUZZ_RESUME=1 (go on from the
# previous findings instead of starting from the seeds again).
# Outputs in bench/out/fuzz/ (git-ignored): bin/ (instrumented build), seeds/, findings/TARGET/
# (AFL's output: default/crashes, default/hangs, default/fuzzer_stats), logs/TARGET.log.
# Replay a finding outside AFL:
#   dotnet bench/out/fuzz/bin/Mailroom.Fuzz.dll replay message bench/out/fuzz/findings/message/default/crashes/id*
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-600}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(smtp message)

OUT=bench/out/fuzz
BIN=$OUT/bin
TOOLS=$OUT/tools
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v afl-fuzz >/dev/null; then
  echo "Installing afl++"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi

# The instrumenter, pinned; a tool path of its own keeps it out of the repository's tool manifest
# (CI restores that one and never fuzzes).
if [ ! -x "$TOOLS/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$TOOLS" >/dev/null
fi

if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  rm -rf "$BIN"
  dotnet publish bench/fuzz/Mailroom.Fuzz -c Release -o "$BIN" -nologo -v quiet
  # Coverage comes from the assemblies under test; the framework is not instrumented.
  for dll in Mailroom.Smtp.dll Mailroom.dll MimeKit.dll HtmlSanitizer.dll; do
    "$TOOLS/sharpfuzz" "$BIN/$dll" >/dev/null
  done
fi

# Seeds: the client side of every SMTP transcript the protocol tests replay, and a few fixtures
# plus hand-written mails for the reader.
rm -rf "$OUT/seeds"
mkdir -p "$OUT/seeds/smtp" "$OUT/seeds/message" "$OUT/logs" "$OUT/findings"
for transcript in tests/Mailroom.Smtp.Tests/Transcripts/*.txt; do
  awk '/^C:/ { sub(/^C: ?/, ""); printf "%s\r\n", $0 }' "$transcript" > "$OUT/seeds/smtp/$(basename "$transcript")"
done
grep -v '^#' bench/fuzz/seeds/message.list | while read -r fixture; do
  [ -n "$fixture" ] && cp "tests/fixtures/emails/$fixture" "$OUT/seeds/message/$(echo "$fixture" | tr / _)"
done
cp bench/fuzz/seeds/message/* "$OUT/seeds/message/"

# Running as root in a container: there is no CPU frequency governor to check, no core dump
# handler to set (core_pattern is the host's) and the cores are shared with other work, so AFL
# must not pin itself to one. dotnet is not an AFL-instrumented binary (SharpFuzz's fork server
# speaks for it), hence SKIP_BIN_CHECK.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1

summary=()
for target in "${TARGETS[@]}"; do
  case "$target" in
    smtp) timeout=${FUZZ_TIMEOUT_SMTP:-1000} ;;
    message) timeout=${FUZZ_TIMEOUT_MESSAGE:-2000} ;;
    *) echo "unknown target $target (smtp, message)" >&2; exit 2 ;;
  esac
  findings=$OUT/findings/$target
  input=$OUT/seeds/$target
  if [ "${FUZZ_RESUME:-0}" = 1 ] && [ -d "$findings/default" ]; then
    input=-
  else
    rm -rf "$findings"
  fi

  echo "== $target: ${DURATION}s, timeout ${timeout} ms, $(nproc) cores"
  # Plain -t: AFL++ 4.04c reads "-t N+" as "no -t given" (it picks 100 ms itself). A seed
  # that times out in the dry run aborts the run: raise FUZZ_TIMEOUT_* then.
  # An execution past the timeout is run again with AFL_HANG_TMOUT before it is kept as a hang:
  # that run starts a new dotnet process (start-up and JIT included), so allow for it.
  AFL_HANG_TMOUT=$((timeout * 3)) afl-fuzz -i "$input" -o "$findings" -t "$timeout" -m none -V "$DURATION" \
    -x "bench/fuzz/dict/$target.dict" -- "$(command -v dotnet)" "$BIN/Mailroom.Fuzz.dll" "$target" > "$OUT/logs/$target.log" 2>&1 \
    || { echo "afl-fuzz failed, see $OUT/logs/$target.log:"; tail -20 "$OUT/logs/$target.log"; exit 1; }

  rm -f /dev/shm/mailroom-fuzz-*.eml "${TMPDIR:-/tmp}"/mailroom-fuzz-*.eml   # inputs of killed children
  stats=$findings/default/fuzzer_stats
  get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  line=$(printf '%-8s run %5ss  execs %9s  exec/s %8s  corpus %5s  edges %5s  crashes %3s  hangs %3s  stability %s' \
    "$target" "$(get run_time)" "$(get execs_done)" "$(get execs_per_sec)" "$(get corpus_count)" \
    "$(get edges_found)" "$(get saved_crashes)" "$(get saved_hangs)" "$(get stability)")
  echo "$line"
  summary+=("$line")
  for kind in crashes hangs; do
    files=("$findings"/default/$kind/id*)
    [ -e "${files[0]}" ] || continue
    echo "   $kind (replayed outside AFL):"
    dotnet "$BIN/Mailroom.Fuzz.dll" replay "$target" "${files[@]}" 2>&1 | grep -E '^(ok|FAILED)|Finding:|Exception:' | head -40 | sed 's/^/     /' || true
  done
done

echo
echo "== summary ($(nproc) cores, ${DURATION}s per target)"
printf '%s\n' "${summary[@]}"
