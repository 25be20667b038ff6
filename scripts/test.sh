#!/usr/bin/env bash
# Runs every test after `npm run build` (npm test does both):
#   C++ unit tests (GoogleTest via CTest), the sanitizer tier (scripts/sanitize.sh), then node:test
#   suites — WASM engine and CLI from node, lesson validation, and browser end-to-end tests in headless
#   Chromium; then the whole site in Firefox ESR and WebKitGTK (the two engines side by side).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "test: C++ unit tests"
ctest --test-dir build/native --output-on-failure

echo "test: sanitizers (ASan + UBSan unit tests, hostile-input corpus, ${FUZZ_SECONDS:-20} s of fuzzing per target)"
bash scripts/sanitize.sh "${FUZZ_SECONDS:-20}"

echo "test: engine, CLI, model, lessons, progress and browser tests"
# Two files at a time: the single-threaded retraining check runs beside the browser tests.
node --test --test-concurrency=2 tests/node/ tests/lessons/ tests/browser/

echo "test: Firefox ESR and WebKitGTK (every page, an embed on another origin, the service worker)"
node --test --test-concurrency=2 tests/cross-browser/
