// The light steps module (web/core/wasm/steps.wasm, engine.js loadSteps(); issue 11) against the
// core: for every function it exports, the same results (every float, bit for bit) and the same
// errors (type and message) as loadEngine()'s, over the engine corpus (tests/corpus/engine.json) and
// cases of its own; it leaks nothing over failing calls and is about as fast; what it lacks fails with
// a message saying so; and once the core is loading, loadSteps() hands out the core instead of a
// second module.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { STEP_FUNCTIONS, loadEngine, loadSteps } from '../../web/core/engine.js';
import { expand } from './corpus-core-values.mjs';

let steps;
let core;
before(async () => {
  steps = await loadSteps(); // first: the core is not loading yet, so this is the steps module
  core = await loadEngine();
});

/** Runs `fn` on an engine: { value } or { error }. */
function outcome(engine, fn, args) {
  try {
    return { value: engine[fn](...structuredClone(args)) };
  } catch (error) {
    return { error };
  }
}

/** Float32Arrays compared bit for bit (NaN and -0 included); everything else deeply. */
function sameValue(a, b, where) {
  if (a instanceof Float32Array) {
    assert.ok(b instanceof Float32Array, `${where}: not a Float32Array in both`);
    assert.deepEqual(new Uint32Array(a.buffer, a.byteOffset, a.length), new Uint32Array(b.buffer, b.byteOffset, b.length), where);
  } else if (a && typeof a === 'object') {
    assert.deepEqual(Object.keys(a), Object.keys(b), `${where}: keys`);
    for (const k of Object.keys(a)) sameValue(a[k], b[k], `${where}.${k}`);
  } else {
    assert.ok(Object.is(a, b), `${where}: ${a} vs ${b}`);
  }
}

function agree(id, fn, args) {
  const s = outcome(steps, fn, args);
  const c = outcome(core, fn, args);
  if (c.error) {
    assert.ok(s.error, `${id}: the core throws "${c.error.message}" but the steps module returned a value`);
    assert.equal(s.error.constructor, c.error.constructor, `${id}: error type`);
    assert.equal(s.error.message, c.error.message, `${id}: message`);
    return 'error';
  }
  assert.ok(!s.error, `${id}: the steps module throws "${s.error?.message}" but the core does not`);
  sameValue(s.value, c.value, id);
  return 'ok';
}

const f32 = (...v) => Float32Array.from(v);
// Cases of its own, for every exported function: ordinary inputs, edges, and every kind of bad input.
const OWN = {
  softmax: [[[2, 1, 0.1]], [[2, 1, 0.1], 0.5], [[1e4, 1e4 - 1, -1e4]], [[-Infinity, 0]], [[-Infinity, -Infinity]], [[NaN, 1]],
    [[]], [[1, 2], 0], [[1, 2], -1], [[1, 2], 1e39], [[1, 2], '1'], [f32(0.3, -2, 7.25, 1e-7)], ['nope']],
  softmaxJacobian: [[[2, 1, 0.1]], [[3, 1, 0.2], 0.25], [[5]], [[Infinity, 1]], [[1, 2], NaN], [[], 1]],
  dot: [[[1, 2, 0, -1], [2, 1, 3, -1]], [[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]], [[1, 2], [1]], [[], []], [[3e38, 3e38], [3e38, 3e38]], [[NaN], [1]], [[1], 'x']],
  compareVectors: [[[3, 4], [4, 3]], [[0, 0], [1, 2]], [[1, 2, 3], [-1, 0.5, 2]], [[1], [1, 2]], [[Infinity], [1]], [[], []]],
  scores: [[[[1, 0], [0, 2]], [[1, 1], [3, 0]]], [[[0.5, -1.5, 2, 0.25]], [[1, 2, 3, 4], [0, 1, 0, 1], [-2, 0.5, 1, 1]]],
    [[[1, 2]], [[1, 2, 3]]], [[[3e38, 3e38]], [[3e38, 3e38]]], [{ rows: 2, cols: 2, data: [1, 2, 3] }, [[1, 1]]], [[], [[1]]], [[[1, 'a']], [[1, 1]]],
    [{ rows: 3000, cols: 1, data: new Float32Array(3000) }, { rows: 3000, cols: 1, data: new Float32Array(3000) }]],
  softmaxRows: [[[[1, 2, 3], [0, -Infinity, 5]]], [[[1, 2], [3, 4]], 2], [[[-Infinity, -Infinity]]], [[[1, NaN]]], [[[1, 2]], 0], [[[1]], 'hot']],
  weightedSum: [[[[0.5, 0.5], [0, 1]], [[2, 0, 4], [0, 2, -2]]], [[[0.2, 0.3, 0.5]], [[1, 2], [3, 4], [5, 6]]], [[[1, 0]], [[1, 2, 3]]], [[[Infinity]], [[1]]]],
  rnnDemo: [[{ length: 8 }], [{ length: 20, hidden: 16, gain: 0.9, seed: 3 }], [{ length: 12, hidden: 4, gain: 2.5, seed: 7 }],
    [{ length: 512, hidden: 64, gain: 4, seed: 1 }], [{ length: 0 }], [{ length: 513 }], [{ length: 5, hidden: 65 }], [{ length: 5, gain: 0 }],
    [{ length: 5, gain: 4.5 }], [{ length: 5, gain: NaN }], [{ length: 5, seed: -1 }], [{ length: 2.5 }], [{}], [{ length: 5, gain: '1' }]],
  scalingDemo: [[{ dK: 1 }], [{ dK: 64, keys: 6, seed: 1 }], [{ dK: 512, keys: 16, seed: 9 }], [{ dK: 3, keys: 1, seed: 0 }], [{ dK: 0 }],
    [{ dK: 513 }], [{ dK: 4, keys: 17 }], [{ dK: 4, keys: 0 }], [{ dK: 4, seed: -2 }], [{ dK: 1.5 }], [{ dK: 4, keys: '6' }], [{}]],
};

test('the steps module exports every step function and nothing of the trace', () => {
  assert.notEqual(steps, core, 'two engines: loadSteps() came first');
  assert.deepEqual(Object.keys(OWN).sort(), [...STEP_FUNCTIONS].sort());
  const valid = {
    trace: [{ tokens: ['the', 'cat'] }], traceTyped: [{ tokens: ['the', 'cat'] }], vocab: [], embed: [['the', 'cat']],
    project: [[[1, 2]], [[1], [2]]], scale: [[[1, 2]], 4], maskCausal: [[[1, 2], [3, 4]]],
    multiHeadAttention: [[[1, 2]], { W_q: [[1, 0], [0, 1]], W_k: [[1, 0], [0, 1]], W_v: [[1, 0], [0, 1]], W_o: [[1, 0], [0, 1]] }, 1],
  };
  for (const [fn, args] of Object.entries(valid)) {
    core[fn](...args); // fine in the core
    const name = fn === 'traceTyped' ? 'trace' : fn;
    assert.throws(() => steps[fn](...args), { name: 'Error', message: `${name}: the steps module (loadSteps()) does not have it; use loadEngine()` }, fn);
  }
});

test('every step function: the same results and the same errors as the core, on cases of its own', () => {
  const seen = { ok: 0, error: 0 };
  for (const [fn, cases] of Object.entries(OWN)) {
    const kinds = new Set(cases.map((args, i) => agree(`${fn} #${i}`, fn, args)));
    assert.deepEqual([...kinds].sort(), ['error', 'ok'], `${fn}: cases both succeed and fail`);
    for (const k of kinds) seen[k]++;
  }
  assert.equal(seen.ok, STEP_FUNCTIONS.length);
});

test('every engine-corpus case of a step function: the same outcome in both modules', () => {
  const cases = JSON.parse(readFileSync(new URL('../corpus/engine.json', import.meta.url), 'utf8')).cases
    .filter((c) => STEP_FUNCTIONS.includes(c.input.call));
  assert.ok(cases.length >= 40, `${cases.length} cases`);
  for (const c of cases) agree(c.id, c.input.call, expand(c.input.args ?? []));
});

test('random inputs: bit-for-bit the same numbers', () => {
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 8 - 4;
  for (let i = 0; i < 200; i++) {
    const n = 1 + (i % 9), d = 1 + ((i * 7) % 13);
    const v = Array.from({ length: n }, rand), w = Array.from({ length: n }, rand);
    const Q = Array.from({ length: 1 + (i % 4) }, () => Array.from({ length: d }, rand));
    const K = Array.from({ length: n }, () => Array.from({ length: d }, rand));
    const V = Array.from({ length: n }, () => Array.from({ length: 1 + (i % 5) }, rand));
    agree(`random #${i} softmax`, 'softmax', [v, 0.25 + (i % 5)]);
    agree(`random #${i} softmaxJacobian`, 'softmaxJacobian', [v, 1]);
    agree(`random #${i} dot`, 'dot', [v, w]);
    agree(`random #${i} compareVectors`, 'compareVectors', [v, w]);
    const S = core.scores(Q, K);
    agree(`random #${i} scores`, 'scores', [Q, K]);
    agree(`random #${i} softmaxRows`, 'softmaxRows', [S, 1]);
    agree(`random #${i} weightedSum`, 'weightedSum', [core.softmaxRows(S), V]);
  }
});

test('failing calls leak nothing in the steps module', () => {
  const before = steps.heapInUse();
  for (let i = 0; i < 2000; i++) {
    assert.throws(() => steps.softmax([1, NaN]));
    assert.throws(() => steps.scores([[1, 2]], [[1, 2, 3]]));
    assert.throws(() => steps.rnnDemo({ length: 5, gain: 9 }));
    steps.softmax([1, 2, 3]);
  }
  assert.equal(steps.heapInUse(), before, 'heap bytes in use changed after failing calls');
});

test('the steps module is about as fast as the core (its step functions and demos are built at -O3)', () => {
  // Built all at -Oz, rnnDemo 512 x 64 took 6.3 s against the core's 70 ms: Eigen's products need
  // inlining, which any -Oz on em++'s line turns off (CMakeLists.txt). Best of three, generous margin.
  const best = (engine, f) => Math.min(...[0, 1, 2].map(() => {
    const t = performance.now();
    f(engine);
    return performance.now() - t;
  }));
  for (const [what, f] of [['rnnDemo 512 x 64', (e) => e.rnnDemo({ length: 512, hidden: 64 })], ['scalingDemo d_k 512', (e) => e.scalingDemo({ dK: 512, keys: 16 })]]) {
    const s = best(steps, f), c = best(core, f);
    assert.ok(s <= 5 * c + 20, `${what}: ${s.toFixed(1)} ms in the steps module against ${c.toFixed(1)} ms in the core`);
  }
});

test('once the core is loading, loadSteps() hands out the core', async () => {
  assert.equal(await loadSteps(), core);
  assert.equal(await loadSteps({ reuseCore: false }), steps);
});
