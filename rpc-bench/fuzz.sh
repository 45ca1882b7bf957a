#!/usr/bin/env bash
# Runs each Jazzer @FuzzTest in fuzzing mode, one after another (never two at once: the fuzzer
# takes a whole core), and prints per target: executions, coverage, findings.
#
# Settings (environment):
#   FUZZ_MINUTES=10          how long each target fuzzes
#   FUZZ_TARGETS="codec params websocket http"   which targets, in this order
#   OUT=target/fuzz-logs/<UTC timestamp>         logs, crash files and staged corpus entries
#   KEEP_GOING=500           findings before a target stops early (libFuzzer -keep_going via jazzer.keep_going)
#
# Outside git: each run's log, Jazzer's crash-* files (-artifact_prefix points into OUT) and a
# copy of the inputs the fuzzer kept (OUT/staging/<target>). Nothing is committed or copied into
# src/test/resources; the script says how to add an input to the regression corpus.
# Jazzer keeps its own growing corpus in <module>/.cifuzz-corpus (git-ignored) between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_MINUTES=${FUZZ_MINUTES:-10}
FUZZ_TARGETS=${FUZZ_TARGETS:-codec params websocket http}
KEEP_GOING=${KEEP_GOING:-500}
OUT=${OUT:-target/fuzz-logs/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
seconds=$(( FUZZ_MINUTES * 60 ))

log() { echo "fuzz.sh: $*" >&2; }
count_files() { if [[ -d $1 ]]; then find "$1" -type f -name "${2:-*}" | wc -l; else echo 0; fi; }

# target -> module, test class, test method, package path
target_info() {
  case "$1" in
    codec)     echo "rpc-protocol dev.sessionrpc.protocol.JsonRpcCodecFuzzTest anyBytesDecodeToAMessageOrAWireError" ;;
    params)    echo "rpc-server dev.sessionrpc.server.session.SessionParamsFuzzTest sessionMethodsAnswerWithAResultOrADocumentedError" ;;
    websocket) echo "rpc-server dev.sessionrpc.server.transport.WebSocketPipelineFuzzTest rawFramesNeverLeaveARequestUnansweredOrAnIllegalCloseCode" ;;
    http)      echo "rpc-server dev.sessionrpc.server.transport.HttpRouteFuzzTest anyRequestGetsAWellFormedResponseWithAnAllowedStatus" ;;
    *) log "unknown target '$1' (known: codec params websocket http)"; exit 2 ;;
  esac
}

# Jazzer 0.24.0 takes the duration only from @FuzzTest(maxDuration); libFuzzer flags given as the
# JUnit parameters jazzer.internal.arg.N come after it on libFuzzer's command line, and libFuzzer
# keeps the last value of a flag. arg.0 is argv[0].
fuzz_command() { # module class crashdir
  local projects=rpc-protocol
  [[ $1 == rpc-server ]] && projects=rpc-protocol,rpc-server
  echo "JAZZER_FUZZ=1 ./mvnw -B -o -pl $projects test -Dtest=${2##*.} -Dsurefire.failIfNoSpecifiedTests=false" \
       "-Djazzer.keep_going=$KEEP_GOING" \
       "-Djazzer.instrumentation_includes='dev.sessionrpc.**:io.netty.handler.codec.**:com.fasterxml.jackson.core.**'" \
       "-Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=$seconds" \
       "-Djazzer.internal.arg.2=-artifact_prefix=$3/"
}

summary=()
for target in $FUZZ_TARGETS; do
  read -r module class method <<<"$(target_info "$target")"
  crashes="$OUT/findings/$target"
  staging="$OUT/staging/$target"
  mkdir -p "$crashes" "$staging"
  corpus="$module/.cifuzz-corpus/$class/$method"
  before=$(count_files "$corpus")
  cmd=$(fuzz_command "$module" "$class" "$crashes")
  echo "$cmd" > "$OUT/$target.command"
  log "$target: fuzzing $class for $FUZZ_MINUTES min (log: $OUT/$target.log)"
  start=$(date +%s)
  set +e
  env JAZZER_FUZZ=1 bash -c "${cmd#JAZZER_FUZZ=1 }" > "$OUT/$target.log" 2>&1
  rc=$?
  set -e
  took=$(( $(date +%s) - start ))

  # libFuzzer: "#123456 REDUCE cov: 812 ft: 2950 corp: 310/12Kb ..." and "Done 123456 runs in 120 second(s)"
  last=$(grep -aE '^#[0-9]+[[:space:]]+(INITED|NEW|REDUCE|pulse|DONE)' "$OUT/$target.log" | tail -1 || true)
  execs=$(grep -aoE 'Done [0-9]+ runs' "$OUT/$target.log" | tail -1 | awk '{print $2}' || true)
  [[ -z $execs ]] && execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
  cov=$(grep -aoE 'cov: [0-9]+' <<<"$last" | awk '{print $2}' || true)
  ft=$(grep -aoE 'ft: [0-9]+' <<<"$last" | awk '{print $2}' || true)
  findings=$(count_files "$crashes" 'crash-*')
  # a leak is no crash file: NettyLeakDetectionExtension fails the class at its end ("Netty reported N leak(s)")
  leaks=$(grep -aoE 'Netty reported [0-9]+ leak' "$OUT/$target.log" | head -1 | awk '{print $3}' || true)
  after=$(count_files "$corpus")
  if [[ -d $corpus ]]; then
    find "$corpus" -type f -newermt "@$start" -exec cp {} "$staging/" \; 2>/dev/null || true
  fi
  staged=$(count_files "$staging")
  summary+=("$(printf '%-10s %6ss  rc=%-3s execs=%-10s cov=%-6s ft=%-6s corpus=%s->%s staged=%-5s findings=%s leaks=%s' \
    "$target" "$took" "$rc" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$before" "$after" "$staged" "$findings" "${leaks:-0}")")
  for f in "$crashes"/crash-*; do
    [[ -e $f ]] || continue
    log "$target finding: $f"
  done
done

echo
echo "fuzz run $(date -u +%FT%TZ), $(nproc) cores, $FUZZ_MINUTES min per target, logs in $OUT"
printf '%s\n' "${summary[@]}"
echo
echo "Stack traces: grep -a -A20 '== Java Exception' $OUT/<target>.log"
echo "To keep an input as a regression seed, copy it from $OUT/staging/<target>/ (or a crash file, once"
echo "its bug is fixed) into <module>/src/test/resources/<package>/<Class>Inputs/<method>/ and commit it."
echo "A finding that fails on today's code belongs in fuzz/known-findings/<target>/ with a README line."
