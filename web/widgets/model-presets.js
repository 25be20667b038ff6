/**
 * The preset states of the course-model widgets (lessons 11, 12 and 14), and the trace packs that
 * hold the engine's results for them (web/core/trace-pack.js). The build (scripts/lib/model-presets.mjs)
 * runs the course model over every state listed here and writes the packs next to the wasm modules;
 * a widget draws a preset from its pack and loads the model (~300 KiB) only for what no pack holds:
 * a sentence the learner types, a round beyond the precomputed ones, another seed.
 * No DOM here: the build and the node tests import this file.
 */
import { loadModelBytes, plainTrace } from '../core/engine.js';
import { decodeTracePack } from '../core/trace-pack.js';

/** Lesson 11 (<attn-head-shapes>): the preset sentences, each shown at every layer. */
export const SHAPES_PRESETS = ['the cat chased the mouse', 'a big dog saw the small bird', 'the girl who saw the dog ate an apple',
  'the children and the teacher played in the park'];

/**
 * The sentences precomputed at each layer: every preset at layer 1, where the widget opens, and the
 * lesson's own sentence (the first) at layers 2 and 3. A layer's entry is mostly its W_O (64 x 64
 * float32, about 15 KiB gzip) and per-token matrices, so all four sentences at all three layers took
 * 133 KiB of the course's 1 MB; another preset at layer 2 or 3 loads the model, as a typed sentence does.
 */
export const shapesPresets = (layer) => (layer === 1 ? SHAPES_PRESETS : SHAPES_PRESETS.slice(0, 1));

/** Lesson 12 (<attn-head-gallery>): preset sentences in the style of the course grammar (every word in the vocabulary). */
export const GALLERY_PRESETS = [
  'the cat chased the mouse',
  'a small bird sang in the tall tree',
  'the farmer fed the goats and the cows',
  'the girl who found the key laughed',
  'the children and their teacher visited the park',
  'my friend bought three pears',
];

/** Lesson 14 (<attn-predict-head>): rounds 1..count of this seed (the lesson's) are precomputed. */
export const ROUNDS = { seed: 7, count: 36 };

/**
 * Pack files (relative to this module; the build hashes each name). Lesson 11 has one per layer, so
 * the page loads only the layer it shows; the others come when the learner picks them.
 */
export const PACKS = {
  shapes: ['../core/wasm/presets-shapes-1.bin', '../core/wasm/presets-shapes-2.bin', '../core/wasm/presets-shapes-3.bin'],
  gallery: '../core/wasm/presets-gallery.bin',
  rounds: '../core/wasm/presets-rounds.bin',
};

/** Entry keys: what a widget looks up. */
export const shapesKey = (layer, words) => `${layer} ${words.join(' ')}`;
export const galleryKey = (words) => words.join(' ');
export const roundKey = (seed, round) => `${seed} ${round}`;

const packs = new Map();
/** A pack (decoded), fetched once per page; a failed fetch may be retried. */
export function loadPack(file) {
  if (!packs.has(file)) {
    const p = loadModelBytes(file).then(decodeTracePack);
    p.catch(() => packs.delete(file));
    packs.set(file, p);
  }
  return packs.get(file);
}

/** A pack entry's trace as model.trace() gives it (plain arrays, masked entries null). */
export const plainEntry = (pack, key) => {
  const v = pack.get(key);
  return v === undefined ? undefined : plainTrace(v);
};
