#!/usr/bin/env bash
# npm run train: retrains the course model from the grammar and rewrites web/model/ (model.bin,
# manifest.json, analysis.json). Deterministic: with the same compiler and flags it reproduces the
# shipped weights bit for bit (tests/node/train.test.mjs checks this).
#   npm run train                 the shipped model (3 layers x 4 heads, 6000 steps, seed 1)
#   npm run train -- --ablate     also the head-count ablation (1, 2, 4, 8, 16 heads; ~15 min CPU)
#   npm run train -- --out DIR    write somewhere else (e.g. to compare with the shipped files)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=web/model
ABLATE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --ablate) ABLATE=1; shift ;;
    *) echo "train: unknown option $1 (use --out DIR, --ablate)" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"${JOBS:-2}" --target attn >/dev/null
mkdir -p "$OUT"
echo "train: training into $OUT (a few minutes, one thread)"
build/native/attn train --heads 4 --steps 6000 --seed 1 --out "$OUT"
build/native/attn analyze --model "$OUT/model.bin" --out "$OUT/analysis.json"
if [ "$ABLATE" = 1 ]; then
  build/native/attn ablate --heads 1,2,4,8,16 --seeds 1,2 --steps 2000 --shipped-steps 6000 --out "$OUT"
fi
echo "train: done: $(wc -c < "$OUT/model.bin") bytes in $OUT/model.bin"
