// The native CLI: bad input gives exit code 2 and one line naming what and where; the CLI and the
// WASM engine give the same trace for the same scenario.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../../web/core/engine.js';

const ATTN = fileURLToPath(new URL('../../build/native/attn', import.meta.url));

function cli(input, args = ['trace']) {
  const r = spawnSync(ATTN, args, { input, encoding: 'utf8' });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

const BAD = [
  ['invalid JSON', '{"tokens": [', /scenario: invalid JSON: parse error at line 1, column 13/],
  ['empty input', '', /scenario: invalid JSON/],
  ['wrong shapes', '{"X": [[1, 2], [3]]}', /X\[1\]: has 1 numbers but must have 2/],
  ['NaN (as JSON null)', '{"X": [[1, null]]}', /X\[0\]\[1\]: expected a number, got null/],
  ['NaN literal', '{"X": [[1, NaN]]}', /invalid JSON/],
  ['overflowing number', '{"X": [[1e999]]}', /invalid JSON: number overflow/],
  ['heads not dividing d_model', '{"tokens": ["a", "b"], "heads": 3}', /heads: 3 does not divide d_model = 8/],
  ['n = 0 tokens', '{"tokens": []}', /tokens is empty/],
  ['n = 0 rows', '{"X": []}', /X: has no rows \(n = 0\)/],
  ['n > 512', JSON.stringify({ tokens: Array(513).fill('cat') }), /at most 512/],
  ['typo in a key', '{"tokens": ["a"], "casual": true}', /unknown key "casual" \(did you mean "causal"\?\)/],
  ['typo in a weight', '{"tokens": ["a"], "weights": {"W_v": [[1]], "Wo": []}}', /weights: unknown key "Wo"/],
  ['weights of the wrong size', '{"tokens": ["a"], "weights": {"W_q": [[1, 2]]}}', /weights.W_q: has 1 rows but must have 8/],
  ['a string temperature', '{"tokens": ["a"], "temperature": "hot"}', /temperature: expected a number, got string/],
  ['not an object', '[1, 2]', /scenario: expected a JSON object, got array/],
];

for (const [name, input, message] of BAD) {
  test(`CLI rejects ${name} with exit 2 and one line`, () => {
    const r = cli(input);
    assert.equal(r.signal, null, 'must not crash');
    assert.equal(r.code, 2, r.err);
    assert.equal(r.out, '');
    assert.match(r.err, message);
    assert.equal(r.err.trim().split('\n').length, 1, `one line, got: ${r.err}`);
  });
}

test('CLI usage errors exit 2', () => {
  assert.equal(cli('', []).code, 2);
  assert.equal(cli('', ['frobnicate']).code, 2);
});

test('model.bin encodings: attn train takes --format int8 or f16, compare-heads needs comparable models', () => {
  const format = cli('', ['train', '--format', 'int4', '--out', '/nonexistent']);
  assert.equal(format.code, 2);
  assert.match(format.err, /--format: expected int8 or f16, got "int4"/);
  const model = fileURLToPath(new URL('../../web/model/model.bin', import.meta.url));
  const tiny = fileURLToPath(new URL('../../fuzz/corpus/decode_model/one-layer-v1.bin', import.meta.url));
  const other = cli('', ['compare-heads', '--model', model, '--reference', tiny]);
  assert.equal(other.code, 2);
  assert.match(other.err, /attention_difference: the two models differ in config or vocabulary/);
  const same = cli('', ['compare-heads', '--model', model, '--reference', model, '--sentences', '20']);
  assert.equal(same.code, 0, same.err);
  const r = JSON.parse(same.out);
  assert.equal(r.sentences, 20);
  assert.equal(r.max_abs_diff, 0);
  assert.equal(Object.keys(r.heads).length, 12);
});

const SCENARIOS = [
  { tokens: ['the', 'cat', 'chased', 'the', 'mouse'], d_model: 8, heads: 2, seed: 7 },
  { tokens: ['she', 'gave', 'him', 'a', 'zebra'], heads: 4, seed: 1, causal: true, positions: 'sinusoidal' },
  { tokens: ['dogs', 'sleep'], heads: 1, seed: 3, scale: false, temperature: 0.5 },
  { X: [[1, -2, 0.5, 3], [0, 1, 1, 0], [2, 2, -1, -1]], heads: 2, seed: 11 },
  {
    X: [[1, 0], [0, 1], [1, 1]],
    weights: { W_q: [[1, 2], [0, 1]], W_k: [[0.5, 0], [1, -1]], W_v: [[1, 0], [0, 1]], W_o: [[2, 0], [0, 0.5]] },
  },
];

/**
 * Largest difference between two traces, walking every number (null must match null), relative to
 * max(1, |a|): both builds are float32, and where SSE and wasm SIMD sum in a different order a result
 * of magnitude 10 can differ by its last bit (~1e-6 absolute).
 */
function maxDiff(a, b, path = '') {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) / Math.max(1, Math.abs(a));
  if (Array.isArray(a) || (a && typeof a === 'object')) {
    assert.deepEqual(Object.keys(a), Object.keys(b), `keys differ at ${path}`);
    return Math.max(0, ...Object.keys(a).map((k) => maxDiff(a[k], b[k], `${path}.${k}`)));
  }
  assert.equal(a, b, `differs at ${path}`);
  return 0;
}

test('CLI and WASM engine agree to 1e-6 (relative) on every scenario', async () => {
  const engine = await loadEngine();
  for (const s of SCENARIOS) {
    const r = cli(JSON.stringify(s));
    assert.equal(r.code, 0, r.err);
    const native = JSON.parse(r.out);
    const wasm = engine.trace(s);
    assert.ok(maxDiff(native, wasm) <= 1e-6, JSON.stringify(s));
  }
});

/** Deterministic float32 values over the whole finite range (random bit patterns) plus hard cases. */
function awkwardFloats(count, seed) {
  const f = new Float32Array(1), u = new Uint32Array(f.buffer);
  const out = [
    1.00390625, -1.00390625, 0.1, 1 / 3, 2 ** -149, -(2 ** -149), 2 ** -126, 3.4028234663852886e38, -0,
    1e-7, 9.999999e-6, 1e5, 99999.99, 123456792, 0.125, 1.015625, 5e-324 * 0, 999999.94, 9.9999997e-5,
  ];
  let s = seed >>> 0;
  while (out.length < count) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    u[0] = s;
    if (Number.isFinite(f[0])) out.push(f[0]);
  }
  return out;
}

test('the engine hands traces over typed; trace() gives exactly the numbers and keys the CLI prints', async () => {
  const engine = await loadEngine();
  // X and the weights come back as given: every float32 must become the very number the JSON text
  // writes (tidy() in trace.cpp, plainTrace() in engine.js), -0 included. Zero weights keep every
  // later matrix finite whatever X holds.
  const zero = (rows) => Array.from({ length: rows }, () => new Array(64).fill(0));
  const rowsOf = (values, rows) => Array.from({ length: rows }, (_, i) => values.slice(i * 64, i * 64 + 64));
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const values = awkwardFloats(64 * 64, seed);
    for (const s of [
      { X: rowsOf(values, 32), weights: { W_q: zero(64), W_k: zero(64), W_v: zero(64), W_o: zero(64) }, heads: 4 },
      { X: zero(2), weights: { W_q: rowsOf(values, 64), W_k: zero(64), W_v: zero(64), W_o: zero(64) } },
    ]) {
      const r = cli(JSON.stringify(s));
      assert.equal(r.code, 0, r.err);
      const native = JSON.parse(r.out);
      const wasm = engine.trace(s);
      assert.deepEqual(Object.keys(wasm), Object.keys(native));
      assert.deepStrictEqual(wasm.X, native.X);
      assert.deepStrictEqual(wasm.weights, native.weights);
      assert.deepStrictEqual(wasm.per_head, native.per_head);
    }
  }
  const s = { tokens: ['the', 'cat', 'sat'], heads: 2, causal: true, temperature: 0.3 };
  const typed = engine.traceTyped(s);
  assert.ok(typed.per_head[1].masked.data instanceof Float32Array);
  assert.equal(typed.per_head[1].masked.data[1], -Infinity);
  const plain = engine.trace(s);
  assert.equal(plain.per_head[1].masked[0][1], null);
  assert.equal(plain.temperature, JSON.parse(cli(JSON.stringify(s)).out).temperature);
  assert.deepEqual(Object.keys(plain.per_head[0]), ['K', 'Q', 'V', 'masked', 'output', 'scaled', 'scores', 'weights']);
});

test('CLI and engine give the same message for the same bad scenario', async () => {
  const engine = await loadEngine();
  for (const [, input] of BAD.filter(([, i]) => i.startsWith('{"tokens": ["a"]'))) {
    const r = cli(input);
    assert.throws(() => engine.trace(JSON.parse(input)), { message: r.err.trim().replace(/^attn: /, '') });
  }
});

test('CLI edges: sizes and integer options are bounded, never an out-of-memory abort (issue 10)', () => {
  const bench = cli('', ['bench', '--d', '100000']);
  assert.equal(bench.code, 2);
  assert.equal(bench.err, 'attn: --d: expected an integer in [1, 1024], got "100000"\n');
  assert.match(cli('', ['bench', '--n', '4294967297']).err, /--n: expected an integer in \[1, 512\], got "4294967297"/);
  const endless = cli('', ['model-trace', '--model', '/dev/zero']);
  assert.equal(endless.code, 2);
  assert.match(endless.err, /^attn: \/dev\/zero: larger than 67108864 bytes/);
  const huge = cli(Buffer.alloc((64 << 20) + 1, 0x20), ['trace']);
  assert.equal(huge.code, 2);
  assert.match(huge.err, /^attn: scenario: larger than 67108864 bytes/);
});
