// The trace packs of lessons 11, 12 and 14 (web/widgets/model-presets.js, written by the build with
// scripts/lib/model-presets.mjs) hold exactly what the live course model gives: every entry's every
// float32, bit for bit, and every other field equal, for every preset state the widgets list. The
// packs are the built ones in web/core/wasm/ (run the build first); a pack that is missing fails.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine, loadModelBytes } from '../../web/core/engine.js';
import { decodeTracePack, encodeTracePack } from '../../web/core/trace-pack.js';
import {
  GALLERY_PRESETS, PACKS, ROUNDS, SHAPES_PRESETS, galleryKey, loadPack, roundKey, shapesKey, shapesPresets,
} from '../../web/widgets/model-presets.js';
import { roundPlan, sentenceFor } from '../../web/widgets/predict-head-rounds.js';

const analysis = JSON.parse(readFileSync(new URL('../../web/model/analysis.json', import.meta.url), 'utf8'));
let engine, model;
before(async () => {
  engine = await loadEngine();
  model = await engine.loadModel();
});

/**
 * Asserts that `got` (a pack entry) equals `want` (the live typed trace) on every field `got` has:
 * matrices bit for bit (same float32, -Infinity and -0 included), everything else deep-equal.
 * null in `got` stands for a part the pack leaves out on purpose (lesson 11 keeps one layer's maps).
 */
function sameAsLive(got, want, where) {
  if (got === null && want !== null && typeof want === 'object') return;
  if (got && typeof got === 'object' && got.data instanceof Float32Array) {
    assert.ok(want?.data instanceof Float32Array, `${where}: the live trace has no matrix here`);
    assert.deepEqual([got.rows, got.cols], [want.rows, want.cols], `${where}: shape`);
    const a = new Uint32Array(Float32Array.from(got.data).buffer), b = new Uint32Array(Float32Array.from(want.data).buffer);
    const bad = a.findIndex((x, i) => x !== b[i]);
    assert.equal(bad, -1, `${where}: entry ${bad} is ${got.data[bad]} in the pack but ${want.data[bad]} live`);
    return;
  }
  if (Array.isArray(got)) {
    assert.ok(Array.isArray(want) && want.length === got.length, `${where}: length`);
    got.forEach((x, i) => sameAsLive(x, want[i], `${where}[${i}]`));
    return;
  }
  if (got && typeof got === 'object') {
    for (const k of Object.keys(got)) sameAsLive(got[k], want?.[k], `${where}.${k}`);
    return;
  }
  assert.deepEqual(got, want, where);
}

test('lesson 11: every preset sentence at layer 1 and the lesson\'s own at layers 2 and 3, as the live model traces it (float32 exact); the concat is the head outputs side by side', async () => {
  for (const [i, file] of PACKS.shapes.entries()) {
    const layer = i + 1;
    const pack = await loadPack(file);
    assert.deepEqual(pack.meta.config, model.config);
    assert.deepEqual(shapesPresets(layer), layer === 1 ? SHAPES_PRESETS : [SHAPES_PRESETS[0]]);
    assert.equal(pack.keys.length, shapesPresets(layer).length);
    for (const s of shapesPresets(layer)) {
      const tokens = s.split(' ');
      const got = pack.get(shapesKey(layer, tokens));
      assert.ok(got, `layer ${layer} "${s}" is in the pack`);
      const live = model.traceTyped(tokens, { unknown: 'mask', detail: layer - 1 });
      sameAsLive(got, live, `layer ${layer} "${s}"`);
      assert.ok(got.attention[layer - 1] && got.detail.input && got.detail.W_o && got.detail.projected && got.detail.heads.every((h) => h.Q && h.output));
      // what the widget lays out as the concat (head outputs side by side) is the engine's concat
      const n = got.n, dk = model.config.d_k;
      const concat = Float32Array.from({ length: n * model.config.d_model }, (_, k) => {
        const row = Math.floor(k / model.config.d_model), col = k % model.config.d_model;
        return got.detail.heads[Math.floor(col / dk)].output.data[row * dk + (col % dk)];
      });
      assert.deepEqual(new Uint32Array(concat.buffer), new Uint32Array(Float32Array.from(live.detail.concat.data).buffer));
    }
  }
});

test('lesson 12: every gallery preset, as the live model traces it (float32 exact)', async () => {
  const pack = await loadPack(PACKS.gallery);
  assert.equal(pack.keys.length, GALLERY_PRESETS.length);
  for (const s of GALLERY_PRESETS) {
    const got = pack.get(galleryKey(s.split(' ')));
    assert.ok(got, `"${s}" is in the pack`);
    sameAsLive(got, model.traceTyped(s.split(' '), { unknown: 'mask' }), `"${s}"`);
    assert.equal(got.attention.length, model.config.n_layers);
  }
});

test(`lesson 14: rounds 1-${ROUNDS.count} of seed ${ROUNDS.seed}: the engine's sampled sentence and gold parse, and its trace (float32 exact)`, async () => {
  const pack = await loadPack(PACKS.rounds);
  assert.deepEqual([pack.meta.seed, pack.meta.count], [ROUNDS.seed, ROUNDS.count]);
  for (let r = 1; r <= ROUNDS.count; r++) {
    const got = pack.get(roundKey(ROUNDS.seed, r));
    assert.ok(got, `round ${r} is in the pack`);
    const plan = roundPlan(ROUNDS.seed, r, analysis.heads.length);
    const parse = sentenceFor(engine, analysis.heads[plan.headIndex], plan.samplerSeed);
    assert.deepEqual(got.sentence, { words: parse.words, heads: parse.heads, rels: parse.rels }, `round ${r}: sentence`);
    sameAsLive(got.trace, model.traceTyped(parse.words, { unknown: 'mask' }), `round ${r}`);
  }
  assert.equal(pack.get(roundKey(ROUNDS.seed, ROUNDS.count + 1)), undefined);
});

test('trace packs: a round trip keeps every float32 (NaN-free specials included) and stores identical matrices once; bad bytes are named', async () => {
  const m = (rows, cols, values) => ({ rows, cols, data: Float32Array.from(values) });
  const W = m(2, 2, [1.5, -0, -Infinity, 3.4028234663852886e38]);
  const bytes = encodeTracePack({ a: 1 }, [
    { key: 'x', request: { tokens: ['a'] }, value: { tokens: ['a'], W, nested: [{ M: m(1, 3, [1e-45, 0.1, -2]) }], W2: m(2, 2, W.data) } },
    { key: 'y', request: null, value: { W } },
  ]);
  const pack = decodeTracePack(bytes);
  assert.deepEqual(pack.meta, { a: 1 });
  assert.deepEqual(pack.keys, ['x', 'y']);
  const x = pack.get('x');
  sameAsLive(x, { tokens: ['a'], W, nested: [{ M: m(1, 3, [1e-45, 0.1, -2]) }], W2: W }, 'x');
  assert.ok(Object.is(x.W.data[1], -0));
  // 4 + 3 floats stored: W2 and y's W are W
  const header = new DataView(bytes.buffer).getUint32(4, true);
  assert.equal(bytes.length - Math.ceil((8 + header) / 4) * 4, 7 * 4);
  assert.equal(pack.get('z'), undefined);
  assert.throws(() => decodeTracePack(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), /not a trace pack/);
  assert.throws(() => decodeTracePack(bytes.subarray(0, 20)), /header says/);
  // the built packs load through the engine's asset reader
  assert.ok(decodeTracePack(await loadModelBytes(PACKS.gallery)).keys.length > 0);
});
