#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 60) from its checked-in seed corpus fuzz/corpus/<target>/
# and prints executions per second and total executions. New inputs go to build/asan/fuzz-corpus/<target>/,
# never into the checked-in seeds; a finding is saved as build/asan/fuzz-findings/<target>-crash-... and
# fails the run (turn it into a case of tests/corpus/*.json once it is fixed).
#   scripts/fuzz.sh [seconds] [target ...]     targets: scenario model_trace decode_model
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(scenario model_trace decode_model)
bash scripts/sanitize-build.sh "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p build/asan/fuzz-findings
status=0
printf '%-14s %10s %14s %8s\n' target exec/s executions seconds
for t in "${targets[@]}"; do
  scratch=build/asan/fuzz-corpus/$t
  mkdir -p "$scratch"
  log=build/asan/fuzz-findings/$t.log
  dict=()
  [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
  # -rss/malloc limits: any input that makes the core allocate hundreds of MB is a finding too.
  if ! build/asan/fuzz/fuzz_"$t" "$scratch" "fuzz/corpus/$t" "${dict[@]}" -max_total_time="$SECONDS_EACH" -timeout=10 \
      -rss_limit_mb=1536 -malloc_limit_mb=512 -print_final_stats=1 -artifact_prefix="build/asan/fuzz-findings/$t-" \
      >"$log" 2>&1; then
    status=1
    echo "fuzz: $t found a problem; the last lines of $log:" >&2
    tail -n 40 "$log" >&2
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  printf '%-14s %10s %14s %8s\n' "$t" "${rate:-?}" "${execs:-?}" "$SECONDS_EACH"
done
exit $status
