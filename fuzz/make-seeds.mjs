// Writes the checked-in seed corpus of the decode_model fuzzer (fuzz/corpus/decode_model/): small,
// valid model.bin files of different shapes, version 2 and one of version 1 (the shipped 196 KB model
// is too large to mutate fast),
// made with the same byte writer as the hostile-input corpus. Run: node fuzz/make-seeds.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { tinyModel } from '../tests/corpus/model-bin.mjs';

const dir = new URL('./corpus/decode_model/', import.meta.url);
mkdirSync(dir, { recursive: true });
const seeds = {
  'one-layer.bin': { config: { d_model: 4, n_layers: 1, n_heads: 2, d_ff: 4, max_positions: 4 } },
  'two-layers.bin': { config: { d_model: 2, n_layers: 2, n_heads: 1, d_ff: 2, max_positions: 3 }, words: ['cat', 'sat'] },
  'unicode.bin': { config: { d_model: 2, n_layers: 1, n_heads: 2, d_ff: 1, max_positions: 2 }, words: ['été', '猫'], fill: 0x3c00 },
  'large-weights.bin': { config: { d_model: 4, n_layers: 1, n_heads: 4, d_ff: 2, max_positions: 2 }, fill: 0x7bff },
  'one-layer-v1.bin': { config: { d_model: 4, n_layers: 1, n_heads: 2, d_ff: 4, max_positions: 4 }, version: 1 },
};
for (const [name, spec] of Object.entries(seeds)) writeFileSync(new URL(name, dir), tinyModel(spec));
