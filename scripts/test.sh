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

echo "test: C++ unit tests"
ctest --test-dir build/native --output-on-failure
tier_done "C++ unit tests"

echo "test: sanitizers (ASan + UBSan unit tests, hostile-input corpus, ${FUZZ_SECONDS:-20} s of fuzzing per target)"
bash scripts/sanitize.sh "${FUZZ_SECONDS:-20}"
tier_done "sanitizer tier"

echo "test: engine, CLI, model, lessons, progress and browser tests"
# Two files at a time (one per core: a browser test file alone keeps both cores about 90% busy, so a
# third only adds contention and load-dependent timing), longest first (the single-threaded retraining
# check and the two page-by-page browser files) so the long ones do not finish the tier alone.
# test-times.mjs prints each file's wall-clock span at the end: check it before reordering.
LONGEST=(tests/node/train.test.mjs tests/browser/lessons.test.mjs tests/browser/deeplink.test.mjs)
mapfile -t REST < <(find tests/node tests/lessons tests/browser -name '*.test.mjs' | sort | grep -vxF -f <(printf '%s\n' "${LONGEST[@]}"))
node --test --test-concurrency=2 --test-timeout="$TEST_TIMEOUT_MS" \
  --test-reporter=tap --test-reporter-destination=stdout \
  --test-reporter=./scripts/test-times.mjs --test-reporter-destination=stdout \
  "${LONGEST[@]}" "${REST[@]}"
tier_done "node and Chromium tier"

echo "test: Firefox ESR and WebKitGTK (every page, an embed on another origin, the service worker)"
node --test --test-concurrency=2 --test-timeout="$TEST_TIMEOUT_MS" tests/cross-browser/
tier_done "Firefox and WebKit tier"
