#!/usr/bin/env bash
# Setup, then build everything: the native CLI (build/native/attn) and tests, the WASM engine
# (copied to web/core/wasm/), and the static site in dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

JOBS=${JOBS:-2}
echo "build: native core, CLI and unit tests"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"$JOBS" >/dev/null

echo "build: WASM engine"
if [ ! -f build/wasm/CMakeCache.txt ]; then
  # Node 20 rejects the emulator flags emcmake passes by default; name node plainly.
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
fi
cmake --build build/wasm -j"$JOBS" >/dev/null
mkdir -p web/core/wasm
cp build/wasm/attn.mjs build/wasm/attn.wasm web/core/wasm/
# The course-model module: the course model and grammar (lessons 10-14), loaded by engine.js on first
# use, and the live trainer, which <attn-train-live>'s worker runs in the same module.
cp build/wasm/model.mjs build/wasm/model.wasm web/core/wasm/
# The steps module (issue 11): what the widgets that never trace call, for pages that hold only those.
cp build/wasm/steps.mjs build/wasm/steps.wasm web/core/wasm/
# The trainer had a module of its own until issue 11; leave no stale copy behind.
rm -f web/core/wasm/train.mjs web/core/wasm/train.wasm

echo "build: site"
node scripts/build-site.mjs
echo "build: done (native CLI build/native/attn, site dist/)"
