#!/usr/bin/env bash
# The sanitizer tier (scripts/test.sh runs it; so does CI through `npm test`):
#   1. builds the CLI, the C++ unit tests and the fuzz targets with ASan + UBSan (scripts/sanitize-build.sh),
#   2. runs every C++ unit test under them (ctest),
#   3. runs every C++-reachable hostile-input corpus case (tests/corpus/{scenario,model-trace,model-bin}.json)
#      through the sanitized CLI,
#   4. fuzzes each libFuzzer target for FUZZ_SECONDS (default 20) from its seed corpus (scripts/fuzz.sh).
# Any sanitizer report, failing test or fuzzer finding makes the exit code non-zero.
#   scripts/sanitize.sh [fuzz seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${1:-${FUZZ_SECONDS:-20}}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-/usr/lib/llvm-14/bin/llvm-symbolizer}
start=$(date +%s)
stamp() { echo "sanitize: $1 ($(($(date +%s) - start)) s)"; }

bash scripts/sanitize-build.sh
stamp "built build/asan"
ctest --test-dir build/asan -j"${JOBS:-2}" --output-on-failure >build/asan/ctest.log 2>&1 || {
  cat build/asan/ctest.log
  exit 1
}
stamp "$(grep -E 'tests passed' build/asan/ctest.log)"
ATTN_CLI=build/asan/attn CORPUS_ENGINE=off node --test --test-reporter=dot tests/node/corpus-core.test.mjs
stamp "corpus through the sanitized CLI"
bash scripts/fuzz.sh "$FUZZ_SECONDS"
stamp "done"
