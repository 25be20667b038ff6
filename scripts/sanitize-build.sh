#!/usr/bin/env bash
# Configures and builds the sanitizer tree build/asan with clang-14: AddressSanitizer + UndefinedBehaviorSanitizer
# (-fno-sanitize-recover=all: the first report stops the program), -O1, Eigen's own assertions on (no NDEBUG),
# line tables only (reports still name file:line; full debug info made each file ~10-40% slower to build).
#   scripts/sanitize-build.sh [target ...]    default: the CLI, the unit tests and the three fuzz targets
# Used by scripts/sanitize.sh and scripts/fuzz.sh; builds only what is asked for.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
((${#targets[@]})) || targets=(attn attn_tests fuzz_scenario fuzz_model_trace fuzz_decode_model)
if [ ! -f build/asan/CMakeCache.txt ]; then
  CXX=clang++-14 cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" -DATTN_FUZZ=ON >/dev/null
fi
cmake --build build/asan -j"${JOBS:-2}" --target "${targets[@]}" >/dev/null
