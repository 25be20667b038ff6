#!/usr/bin/env bash
# Runs every test after `npm run build` (npm test does both):
#   C++ unit tests (GoogleTest via CTest), the sanitizer tier (scripts/sanitize.sh), then node:test
#   suites — WASM engine and CLI from node, lesson validation, and browser end-to-end tests in headless
#   Chromium; then the whole site in Firefox ESR and WebKitGTK (the two engines side by side).
set -euo pipefail
cd "$(dirname "$0")/.."
# A test that waits forever fails after this long instead of stalling the run (tests that need longer
# say so themselves, e.g. the retraining check).
TEST_TIMEOUT_MS=${TEST_TIMEOUT_MS:-600000}
tier_start=$SECONDS
tier_done() { echo "test: $1 took $((SECONDS - tier_start)) s"; tier_start=$SECONDS; }

# The bit-for-bit retraining check is one single-threaded process of about 150 s. It runs in the
# background from here to the end of the node tier: the sanitizer tier leaves a core idle for about
# a minute (the fuzzers run one at a time), and it no longer ends the node tier alone.
TRAIN_LOG=build/retraining-check.log
mkdir -p build
node --test --test-timeout="$TEST_TIMEOUT_MS" --test-reporter=tap tests/node/train.test.mjs >"$TRAIN_LOG" 2>&1 &
train_pid=$!
trap 'kill "$train_pid" 2>/dev/null || true' EXIT
echo "test: retraining check started in the background (log: $TRAIN_LOG)"

echo "test: C++ unit tests"
ctest --test-dir build/native --output-on-failure
tier_done "C++ unit tests"

echo "test: sanitizers (ASan + UBSan unit tests, hostile-input corpus, ${FUZZ_SECONDS:-20} s of fuzzing per target)"
bash scripts/sanitize.sh "${FUZZ_SECONDS:-20}"
tier_done "sanitizer tier"

echo "test: engine, CLI, model, lessons, progress and browser tests"
# Two files at a time (one per core: a browser test file alone keeps both cores about 90% busy, so a
# third only adds contention and load-dependent timing), longest first (the two page-by-page browser
# files) so the long ones do not finish the tier alone.
# test-times.mjs prints each file's wall-clock span at the end: check it before reordering.
LONGEST=(tests/browser/lessons.test.mjs tests/browser/deeplink.test.mjs)
mapfile -t REST < <(find tests/node tests/lessons tests/browser -name '*.test.mjs' | sort |
  grep -vxF -f <(printf '%s\n' "${LONGEST[@]}" tests/node/train.test.mjs))
node --test --test-concurrency=2 --test-timeout="$TEST_TIMEOUT_MS" \
  --test-reporter=tap --test-reporter-destination=stdout \
  --test-reporter=./scripts/test-times.mjs --test-reporter-destination=stdout \
  "${LONGEST[@]}" "${REST[@]}"
tier_done "node and Chromium tier"

echo "test: waiting for the retraining check"
if ! wait "$train_pid"; then
  cat "$TRAIN_LOG"
  echo "test: the retraining check failed (log above)" >&2
  exit 1
fi
grep -E '^(ok|not ok)|duration_ms' "$TRAIN_LOG" | head -n 3
tier_done "retraining check (waited for)"

echo "test: Firefox ESR and WebKitGTK (every page, an embed on another origin, the service worker)"
node --test --test-concurrency=2 --test-timeout="$TEST_TIMEOUT_MS" tests/cross-browser/
tier_done "Firefox and WebKit tier"
