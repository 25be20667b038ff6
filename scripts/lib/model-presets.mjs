/**
 * The trace packs of the course-model widgets (web/widgets/model-presets.js lists their states):
 * the built course model (web/core/wasm/model.wasm + web/model/model.bin, through web/core/engine.js,
 * exactly as the browser runs it) traces every preset state, and each pack is written next to the
 * wasm modules (web/core/wasm/, generated like them), where the bundle step hashes it.
 *
 *   lesson 11: presets-shapes-<layer>.bin  the layer's preset sentences (shapesPresets) with its detail
 *   lesson 12: presets-gallery.bin         every preset sentence (attention of all 12 heads)
 *   lesson 14: presets-rounds.bin          rounds 1..ROUNDS.count of the lesson's seed: the sampled
 *                                          sentence with its gold parse, and its attention
 *
 * Each entry keeps only what its widget reads, and its request, so tests can trace it again and
 * compare (tests/node/model-presets.test.mjs).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadEngine } from '../../web/core/engine.js';
import { encodeTracePack } from '../../web/core/trace-pack.js';
import { GALLERY_PRESETS, PACKS, ROUNDS, galleryKey, roundKey, shapesKey, shapesPresets } from '../../web/widgets/model-presets.js';
import { roundPlan, sentenceFor } from '../../web/widgets/predict-head-rounds.js';

/** The parts of a model trace every map widget reads. */
const attentionOnly = (t) => ({ tokens: t.tokens, known: t.known, unknown: t.unknown, n: t.n, attention: t.attention });

/**
 * The parts lesson 11's widget reads of a trace with one layer's detail: that layer's attention (the
 * others are null) and no concat, which is the head outputs side by side (the widget lays them out
 * again; the test checks that equals the engine's concat).
 */
const shapesPart = (t) => ({
  ...attentionOnly(t),
  attention: t.attention.map((A, L) => (L === t.detail.layer ? A : null)),
  detail: { layer: t.detail.layer, input: t.detail.input, heads: t.detail.heads.map((h) => ({ Q: h.Q, output: h.output })),
    W_o: t.detail.W_o, projected: t.detail.projected },
});

/** Every pack as [file relative to web/widgets/, meta, entries]. */
export async function buildPacks(web) {
  const engine = await loadEngine();
  const model = await engine.loadModel();
  const packs = [];
  PACKS.shapes.forEach((file, i) => {
    const layer = i + 1;
    packs.push([file, { config: model.config, layer }, shapesPresets(layer).map((s) => {
      const tokens = s.split(' '), options = { unknown: 'mask', detail: layer - 1 };
      return { key: shapesKey(layer, tokens), request: { tokens, options }, value: shapesPart(model.traceTyped(tokens, options)) };
    })]);
  });
  packs.push([PACKS.gallery, { config: model.config }, GALLERY_PRESETS.map((s) => {
    const tokens = s.split(' '), options = { unknown: 'mask' };
    return { key: galleryKey(tokens), request: { tokens, options }, value: attentionOnly(model.traceTyped(tokens, options)) };
  })]);
  const { heads } = JSON.parse(await readFile(path.join(web, 'model', 'analysis.json'), 'utf8'));
  const rounds = [];
  for (let round = 1; round <= ROUNDS.count; round++) {
    const plan = roundPlan(ROUNDS.seed, round, heads.length);
    const head = heads[plan.headIndex];
    const sentence = sentenceFor(engine, head, plan.samplerSeed);
    const options = { unknown: 'mask' };
    rounds.push({ key: roundKey(ROUNDS.seed, round), request: { seed: ROUNDS.seed, round, head: head.id, samplerSeed: plan.samplerSeed, tokens: sentence.words, options },
      value: { sentence: { words: sentence.words, heads: sentence.heads, rels: sentence.rels }, trace: attentionOnly(model.traceTyped(sentence.words, options)) } });
  }
  packs.push([PACKS.rounds, { config: model.config, seed: ROUNDS.seed, count: ROUNDS.count }, rounds]);
  return packs;
}

/** Writes every pack into web/core/wasm/; returns [{ file, bytes, gz }]. */
export async function writeModelPresets(web) {
  const out = [];
  for (const [file, meta, entries] of await buildPacks(web)) {
    const target = path.resolve(web, 'widgets', file);
    const bytes = encodeTracePack(meta, entries);
    const tmp = `${target}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, target); // two builds at once each write the same bytes; neither sees half a file
    out.push({ file: path.relative(web, target), bytes: bytes.length, gz: gzipSync(bytes, { level: 9 }).length });
  }
  return out;
}
