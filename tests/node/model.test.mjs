// The shipped course model: it loads in node through the WASM engine and gives the same attention
// as the native build; its analysis matches a fresh analysis of the shipped weights; bad input is
// named, never replaced silently.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine, loadModelData } from '../../web/core/engine.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ATTN = join(ROOT, 'build/native/attn');
const MODEL = join(ROOT, 'web/model/model.bin');
let model;
before(async () => {
  model = await (await loadEngine()).loadModel();
});

function native(input) {
  const r = spawnSync(ATTN, ['model-trace', '--model', MODEL], { input: JSON.stringify(input), encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const SENTENCES = [
  ['the', 'cat', 'chased', 'the', 'mouse'],
  ['the', 'small', 'dogs', 'sleep'],
  ['a', 'teacher', 'who', 'likes', 'the', 'birds', 'reads', 'a', 'book'],
];

test('WASM and native give the same attention for every layer and head (1e-5)', () => {
  for (const tokens of SENTENCES) {
    const r = native({ tokens, unknown: 'mask', detail: 1 });
    assert.equal(r.code, 0, r.err);
    const want = JSON.parse(r.out);
    const got = model.trace(tokens, { unknown: 'mask', detail: 1 });
    assert.deepEqual(got.tokens, want.tokens);
    assert.deepEqual(got.known, want.known);
    let worst = 0;
    want.attention.forEach((layer, l) => layer.forEach((head, h) => head.forEach((row, i) => row.forEach((w, j) => {
      worst = Math.max(worst, Math.abs(w - got.attention[l][h][i][j]));
    }))));
    assert.ok(worst <= 1e-5, `max |wasm - native| = ${worst}`);
    want.detail.projected.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - got.detail.projected[i][j]) <= 1e-4 * Math.max(1, Math.abs(v)))));
  }
});

test('the trace has the shapes lessons 11 and 12 rely on, and rows are distributions', () => {
  const t = model.trace(['the', 'cat', 'chased', 'the', 'mouse'], { detail: 0 });
  const { n_layers, n_heads, d_model, d_k } = model.config;
  assert.equal(t.attention.length, n_layers);
  assert.equal(t.attention[0].length, n_heads);
  for (const row of t.attention[2][3]) assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-5);
  assert.equal(t.detail.input[0].length, d_model);
  assert.equal(t.detail.heads[0].Q[0].length, d_k);
  assert.equal(t.detail.concat[0].length, d_model);
  assert.equal(t.detail.W_o.length, d_model);
});

test('words outside the vocabulary are named, or masked only when asked', () => {
  assert.throws(() => model.trace(['the', 'zebra', 'sleeps']), { message: /not in the model's vocabulary: "zebra"/ });
  const t = model.trace(['the', 'zebra', 'sleeps'], { unknown: 'mask' });
  assert.deepEqual(t.known, [true, false, true]);
  assert.deepEqual(t.unknown, [1]);
  assert.throws(() => model.trace([]), { message: /the model takes 1 to/ });
  assert.throws(() => model.trace(['the'], { detail: 9 }), { message: /input.detail: must be a layer index/ });
  const r = native({ tokens: ['the', 'zebra'] });
  assert.equal(r.code, 2);
  assert.match(r.err, /not in the model's vocabulary: "zebra"/);
});

test('the shipped analysis.json matches a fresh analysis of the shipped weights', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'attn-analysis-'));
  try {
    const r = spawnSync(ATTN, ['analyze', '--model', MODEL, '--out', join(dir, 'analysis.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const fresh = JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8'));
    const shipped = await loadModelData('../model/analysis.json');
    // Everything but the command line that produced it (paths differ) must be identical.
    assert.deepEqual({ ...shipped, command: null }, { ...fresh, command: null });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupt model file is rejected with a clear message', async () => {
  const engine = await loadEngine();
  const { readFile } = await import('node:fs/promises');
  const bytes = new Uint8Array(await readFile(MODEL));
  bytes[0] = 0x58; // break the magic
  const dir = mkdtempSync(join(tmpdir(), 'attn-model-'));
  try {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'bad.bin'), bytes);
    const r = spawnSync(ATTN, ['model-trace', '--model', join(dir, 'bad.bin')], { input: '{"tokens":["the"]}', encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not a model file \(the first 4 bytes must be "ATLM"\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The same bytes through the WASM engine: an Error with the same message, not a crash.
  assert.throws(() => engine.decodeModel(bytes), { name: 'Error', message: 'model.bin: not a model file (the first 4 bytes must be "ATLM")' });
  assert.throws(() => engine.decodeModel(bytes.subarray(0, 0)), { name: 'Error' });
  const good = new Uint8Array(await readFile(MODEL));
  assert.throws(() => engine.decodeModel(good.subarray(0, 1000)), { name: 'Error', message: /model\.bin/ });
});
