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
# Two files at a time: the single-threaded retraining check runs beside the browser tests.
node --test --test-concurrency=2 --test-timeout="$TEST_TIMEOUT_MS" tests/node/ tests/lessons/ tests/browser/
tier_done "node and Chromium tier"

echo "test: Firefox ESR and WebKitGTK (every page, an embed on another origin, the service worker)"
node --test --test-concurrency=2 --test-timeout="$TEST_TIMEOUT_MS" tests/cross-browser/
tier_done "Firefox and WebKit tier"
