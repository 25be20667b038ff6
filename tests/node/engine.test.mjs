// The WASM engine from node: step functions against hand-computed values, the trace contract,
// errors as real Errors with the C++ message, and no leaks after thousands of failing calls.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadEngine, rowOf } from '../../web/core/engine.js';
import { reseal } from '../corpus/model-bin.mjs';

let engine;
before(async () => {
  engine = await loadEngine();
});

const close = (actual, expected, tol = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

test('loadEngine returns one shared engine', async () => {
  assert.equal(await loadEngine(), engine);
});

test('project, scores, scale, weightedSum give hand-computed values', () => {
  const P = engine.project([[1, 2], [3, 4]], [[1, 0, 1], [0, 1, -1]]);
  assert.deepEqual([P.rows, P.cols, Array.from(P.data)], [2, 3, [1, 2, -1, 3, 4, -1]]);
  const S = engine.scores([[1, 0], [0, 2]], [[1, 1], [3, 0]]);
  assert.deepEqual(Array.from(S.data), [1, 3, 2, 0]); // not symmetric: S[0][1] = 3, S[1][0] = 2
  assert.deepEqual(Array.from(engine.scale({ rows: 1, cols: 2, data: [8, -4] }, 4).data), [4, -2]);
  const O = engine.weightedSum([[0.5, 0.5], [0, 1]], [[2, 0, 4], [0, 2, -2]]);
  assert.deepEqual(rowOf(O, 0), [1, 1, 1]);
  assert.deepEqual(rowOf(O, 1), [0, 2, -2]);
});

test('dot and softmax match the fact sheet', () => {
  assert.equal(engine.dot([1, 2, 0, -1], [2, 1, 3, -1]), 5);
  const p = engine.softmax([2, 1, 0.1]);
  [0.659, 0.242, 0.099].forEach((v, i) => close(p[i], v, 5e-4));
  const shifted = engine.softmax([102, 101, 100.1]);
  p.forEach((v, i) => close(shifted[i], v, 1e-6));
  const cold = engine.softmax([2, 1, 0.1], 0.5);
  close(cold[0], 0.864, 5e-4);
  const big = engine.softmax([1e4, 1e4 - 1, -1e4]);
  assert.ok(big.every(Number.isFinite));
});

test('maskCausal then softmaxRows: masked weights are 0 and rows sum to 1', () => {
  const M = engine.maskCausal([[1, 2, 3], [0, 0, 5], [2, 1, 0.1]]);
  assert.equal(M.data[1], -Infinity);
  const A = engine.softmaxRows(M);
  assert.deepEqual(rowOf(A, 0), [1, 0, 0]);
  assert.deepEqual(rowOf(A, 1), [0.5, 0.5, 0]);
  for (let i = 0; i < 3; i++) close(rowOf(A, i).reduce((a, b) => a + b), 1);
});

test('trace follows the contract', () => {
  const t = engine.trace({ tokens: ['the', 'cat', 'chased', 'the', 'mouse'], heads: 2, seed: 7, causal: true });
  assert.equal(t.n, 5);
  assert.equal(t.d_k, 4);
  assert.deepEqual(t.features, ['noun', 'verb', 'function', 'animate', 'human', 'motion', 'size', 'plural']);
  assert.equal(t.per_head.length, 2);
  assert.equal(t.per_head[1].Q[2][1], t.Q[2][5]);
  assert.equal(t.per_head[0].masked[1][3], null);
  // scaled = scores / sqrt(4) and the trace's softmax equals the step function's
  t.per_head[0].scores.forEach((row, i) => row.forEach((s, j) => close(t.per_head[0].scaled[i][j], s / 2, 1e-6)));
  const A = engine.softmaxRows(engine.maskCausal(t.per_head[0].scaled));
  t.per_head[0].weights.forEach((row, i) => row.forEach((w, j) => close(w, A.data[i * 5 + j], 1e-6)));
  // unknown words are flagged, repeated words embed identically without positions
  const u = engine.trace({ tokens: ['the', 'zebra', 'the'] });
  assert.deepEqual(u.known, [true, false, true]);
  assert.deepEqual(u.X[0], u.X[2]);
});

test('errors are real Errors with the C++ message', () => {
  assert.throws(() => engine.scores([[1, 2]], [[1, 2, 3]]), {
    name: 'Error',
    message: 'scores: Q is 1x2 but K is 1x3 (Q and K need the same number of columns)',
  });
  assert.throws(() => engine.project([[1, NaN]], [[1], [2]]), { message: 'project: X (1x2) contains NaN at [0][1]' });
  assert.throws(() => engine.softmaxRows([[-Infinity, -Infinity]]), { message: /row 0 of S is entirely masked/ });
  assert.throws(() => engine.softmax([1, 2], 0), { message: /temperature must be a finite number > 0/ });
  assert.throws(() => engine.scale([[1]], 0), { message: 'scale: d_k must be a whole number from 1 to 2147483647 (got 0)' });
  assert.throws(() => engine.trace({ tokens: ['a'], heads: 3 }), { message: /heads: 3 does not divide d_model = 8/ });
  assert.throws(() => engine.project({ rows: 2, cols: 2, data: [1, 2, 3] }, [[1]]), { message: /X is 2x2 but its data has 3 numbers/ });
  assert.throws(() => engine.project('nope', [[1]]), { name: 'TypeError', message: /project: X must be/ });
  assert.throws(() => engine.scores([[1, 2], [3]], [[1]]), { name: 'TypeError', message: /row 1 has 1 numbers but row 0 has 2/ });
  assert.throws(() => engine.trace(null), { name: 'TypeError' });
});

// Issue 11: the scenario reaches the core as the JS object itself (no JSON text), read as
// JSON.stringify would have written it, so messages stay the CLI's; what JSON.stringify could not
// write (cycles, absurd depth) now gets the ordinary message instead of a TypeError or RangeError.
test('trace reads the scenario object itself: NaN, cycles, depth and typed arrays', async () => {
  const message = (f) => {
    try {
      f();
    } catch (err) {
      assert.equal(err.name, 'Error');
      return err.message;
    }
    assert.fail('expected an Error');
  };
  assert.equal(message(() => engine.trace({ X: [[1, NaN]] })), 'X[0][1]: expected a number, got null (NaN and Infinity are not allowed)');
  assert.equal(message(() => engine.trace({ X: [[-Infinity]] })), 'X[0][0]: expected a number, got null (NaN and Infinity are not allowed)');
  assert.equal(message(() => engine.trace({ X: [[1e39]] })), 'X[0][0]: 1e+39 is not a finite float32');
  const cyclic = { tokens: ['a'] };
  cyclic.self = cyclic;
  assert.equal(message(() => engine.trace(cyclic)), 'scenario: unknown key "self" (did you mean "seed"?)');
  const w = {};
  w.W_q = w;
  assert.equal(message(() => engine.trace({ tokens: ['a'], weights: w })), 'weights.W_q: expected an array of rows, got object');
  const row = [1];
  row.push(row);
  assert.equal(message(() => engine.trace({ X: [row] })), 'X[0][1]: expected a number, got array');
  let deep = 'none';
  for (let i = 0; i < 100000; i++) deep = [deep];
  assert.equal(message(() => engine.trace({ tokens: ['a'], positions: deep })), 'positions: must be "none" or "sinusoidal", got an array of 1 item');
  let deepObject = {};
  for (let i = 0; i < 100000; i++) deepObject = { a: deepObject };
  assert.equal(message(() => engine.trace({ tokens: ['a'], weights: { W_q: deepObject } })), 'weights.W_q: expected an array of rows, got object');
  // undefined and functions are left out of objects and are null in arrays, as in JSON.stringify.
  assert.equal(engine.trace({ tokens: ['a'], heads: undefined, seed: () => 1 }).heads, 1);
  assert.equal(message(() => engine.trace({ tokens: ['a', () => 1] })), 'tokens[1]: expected a string, got null');
  // Whole numbers past 2^53 read as the digits JSON.stringify writes.
  assert.equal(message(() => engine.trace({ tokens: ['a'], seed: 2 ** 60 })), 'seed: 1152921504606847000 is out of range (allowed 0 to 9007199254740991)');
  assert.equal(message(() => engine.trace({ tokens: ['a'], seed: 1.5 })), 'seed: expected a whole number, got 1.5');
  assert.equal(message(() => engine.trace({ tokens: ['a'], temperature: 1e-50 })),
    'temperature: 1e-50 is too small for float32 (the smallest allowed is 1.2e-38)');
  assert.match(message(() => engine.trace({ tokens: ['\ud800'] })), /^scenario: invalid JSON: a string holds a lone surrogate/);
  // A typed array reads as the array of its numbers (JSON.stringify made it an object).
  const W = [[1, 0.1], [0, 1]];
  const typed = engine.trace({ X: [new Float32Array([1, 2])], weights: { W_q: W.map((r) => new Float32Array(r)) } });
  const plain = engine.trace({ X: [[1, 2]], weights: { W_q: W.map((r) => r.map(Math.fround)) } });
  assert.deepEqual(typed, plain);
  assert.equal(message(() => engine.trace({ X: [[1, 2]], weights: { W_q: new Float32Array(4) } })), 'weights.W_q: has 4 rows but must have 2');
  const model = await engine.loadModel();
  const tokens = ['the'];
  tokens.push(tokens);
  assert.equal(message(() => model.trace(tokens)), 'input.tokens[1]: expected a string, got an array of 2 items');
  assert.equal(message(() => model.trace(['the', 'cat'], { detail: 0.5 })), 'input.detail: must be a layer index 0 to 2, got 0.5');
});

test('thousands of bad calls leave the heap flat and the module working', () => {
  const good = () => engine.softmax([2, 1, 0.1])[0];
  const expected = good();
  engine.trace({ tokens: ['warm', 'up'] }); // first calls may allocate caches
  const before = engine.heapInUse();
  const calls = [
    () => engine.scores([[1, 2]], [[1, 2, 3]]),
    () => engine.trace({ tokens: ['a'], heads: 3 }),
    () => engine.trace({ tokens: ['a'], temprature: 1 }),
    () => engine.softmaxRows([[-Infinity]]),
    () => engine.dot([1], [NaN]),
  ];
  // 50,000 failures: more than enough to exhaust the 5 MB stack if each leaked even 112 bytes.
  for (let i = 0; i < 50000; i++) assert.throws(calls[i % calls.length]);
  assert.equal(engine.heapInUse(), before, 'heap bytes in use changed after failing calls');
  assert.equal(good(), expected);
  assert.equal(engine.trace({ tokens: ['warm', 'up'] }).n, 2);
});

test('early-lesson steps: embed, rnnDemo, compareVectors, softmaxJacobian', () => {
  const e = engine.embed(['The', 'zebra', 'the'], true);
  assert.deepEqual([e.X.rows, e.X.cols, e.known], [3, 8, [true, false, true]]);
  assert.notDeepEqual(rowOf(e.X, 0), rowOf(e.X, 2)); // positions make repeated words differ
  const low = engine.rnnDemo({ length: 40, hidden: 16, gain: 0.6, seed: 1 });
  assert.equal(low.influence.length, 40);
  assert.ok(low.influence[0] / low.influence[39] < 1e-6, 'gain 0.6 forgets the first token');
  const high = engine.rnnDemo({ length: 40, hidden: 16, gain: 1.8, seed: 1 });
  assert.ok(high.influence[0] / high.influence[39] > 1e-2);
  const c = engine.compareVectors([3, 4], [4, 3]);
  assert.equal(c.dot, 24);
  close(c.cosine, 0.96, 1e-6);
  close(c.projection, 4.8, 1e-6);
  assert.deepEqual(Array.from(engine.softmaxJacobian([0, 0]).data), [0.25, -0.25, -0.25, 0.25]);
  assert.throws(() => engine.rnnDemo({ length: 10, gain: 9 }), { message: 'rnn_demo: gain must be > 0 and <= 4 (got 9)' });
  assert.throws(() => engine.embed(['a', 7]), { name: 'TypeError' });
  assert.throws(() => engine.compareVectors([1], [1, 2]), { message: /a has 1 entries but b has 2/ });
});

test('engine edges: sizes are bounded, numbers never wrap, flags are checked (issue 10)', () => {
  const tall = { rows: 8192, cols: 1, data: new Float32Array(8192).fill(1) };
  const before = engine.heapInUse();
  assert.throws(() => engine.scores(tall, tall), {
    message: 'scores: the result of Q·K^T is 8192x8192 = 67108864 numbers; at most 4194304 fit in one matrix',
  });
  assert.equal(engine.heapInUse(), before, 'the 256 MB result was never allocated');
  assert.throws(() => engine.project({ rows: 2 ** 32 + 1, cols: 1, data: [1] }, [[1]]), {
    message: 'project: X.rows must be a whole number from 0 to 4194304 (got 4294967297)',
  });
  const W = [[1, 0], [0, 1]];
  assert.throws(() => engine.multiHeadAttention([[1, 0]], { W_q: W, W_k: W, W_v: W, W_o: W }, 2 ** 32 + 2), {
    message: 'multiHeadAttention: h must be a whole number from 1 to 2147483647 (got 4294967298)',
  });
  assert.throws(() => engine.multiHeadAttention([[1, 0]], { W_q: W, W_k: W, W_v: W, W_o: W }, 1, { causal: 'yes' }), {
    message: 'multiHeadAttention: causal must be true or false (got "yes")',
  });
  assert.throws(() => engine.scale([[1]], 1e308), { message: 'scale: d_k must be a whole number from 1 to 2147483647 (got 1e+308)' });
  assert.throws(() => engine.softmaxRows([[1]], 1e39), { message: /temperature .* got 1e\+39$/ });
  assert.throws(() => engine.rnnDemo({ length: 2 ** 32 + 1 }), { message: 'rnn_demo: length must be a whole number from 1 to 512 (got 4294967297)' });
  assert.throws(() => engine.embed(['a'], 'bogus'), {
    message: 'embed: positions must be true, false, "none" or "sinusoidal" (got "bogus")',
  });
  assert.deepEqual(engine.embed(['a', 'b'], 'sinusoidal').X.data, engine.embed(['a', 'b'], true).X.data);
  assert.throws(() => engine.multiHeadAttention([[3e38, 3e38]], { W_q: [[1, 1], [1, 1]], W_k: W, W_v: W, W_o: W }, 1), {
    message: /^multi_head_attention: X·W_q overflows float32 at \[0\]\[0\]: the largest \|X\| is 3e\+38/,
  });
});

// Node exposes gc() only behind a flag; this turns it on for this process.
function collectGarbage() {
  setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
}

/** Heap bytes in use once every collectable model object has been collected and its handle deleted. */
async function settledHeap() {
  for (let i = 0; i < 5; i++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 10)); // FinalizationRegistry callbacks run as tasks
  }
  return engine.heapInUse();
}

test('decodeModel holds one handle per distinct model and frees it once the model is dropped (issue 10)', async () => {
  const shipped = new Uint8Array(readFileSync(new URL('../../web/model/model.bin', import.meta.url)));
  const course = await engine.loadModel();
  const baseline = await settledHeap();
  // The same bytes, decoded 2,000 times: the same model object, no new wasm memory.
  for (let i = 0; i < 2000; i++) assert.equal(engine.decodeModel(shipped), course);
  assert.equal(engine.heapInUse(), baseline, 'decoding the same bytes again allocated memory');
  // Distinct files (one weight changed, checksum rewritten): each one decoded and traced, then dropped
  // (held only inside this function, so nothing on the test's own frame keeps one alive).
  const decodeTwenty = () => {
    const models = [];
    for (let k = 0; k < 20; k++) {
      const bytes = shipped.slice();
      bytes[4000 + 2 * k] ^= 1; // a weight (the vocabulary ends at byte 2850)
      models.push(engine.decodeModel(reseal(bytes)));
      assert.notEqual(models[k], course);
      assert.equal(models[k].trace(['the', 'cat']).n, 2);
    }
    return engine.heapInUse();
  };
  assert.ok(decodeTwenty() > baseline + 20 * 500_000, 'twenty live models hold their weights');
  assert.equal(await settledHeap(), baseline, 'dropped models must give their wasm memory back');
  assert.equal(course.trace(['the', 'cat']).n, 2, 'the course model still works');
});
