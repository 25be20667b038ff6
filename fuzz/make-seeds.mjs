// Writes the checked-in seed corpus of the decode_model fuzzer (fuzz/corpus/decode_model/): small,
// valid model.bin files of different shapes (the shipped 360 KB model is too large to mutate fast),
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
  // Version 2 (int8 rows with float32 scales), the format the course ships; the ones above are version 1.
  'int8-one-layer.bin': { version: 2, config: { d_model: 4, n_layers: 1, n_heads: 2, d_ff: 4, max_positions: 4 } },
  'int8-two-layers.bin': { version: 2, config: { d_model: 2, n_layers: 2, n_heads: 1, d_ff: 2, max_positions: 3 }, words: ['cat', 'sat'], q: -3 },
  'int8-large-weights.bin': { version: 2, config: { d_model: 4, n_layers: 1, n_heads: 4, d_ff: 2, max_positions: 2 }, scale: 515.7795 },
};
for (const [name, spec] of Object.entries(seeds)) writeFileSync(new URL(name, dir), tinyModel(spec));
