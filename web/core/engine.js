/**
 * The engine facade: the only way the site (and the tests) reach the C++ attention core.
 *
 *   import { loadEngine } from './web/core/engine.js';
 *   const engine = await loadEngine();          // browser or node >= 20; one shared instance
 *
 * Matrices are `{ rows, cols, data: Float32Array }` (row-major). Step functions accept that form
 * or an array of rows, and always return the typed form. `engine.trace(scenario)` returns the
 * trace contract as plain JSON data (matrices as arrays of rows, masked entries as null), exactly
 * what the native CLI prints; `engine.traceTyped(scenario)` returns the same trace with every matrix
 * in the typed form, as it crosses from WASM (no JSON text crosses). Every bad call throws an `Error` whose message names the step, the
 * argument and the shapes, e.g. "scores: Q is 5x8 but K is 5x4 (...)". No attention math lives here.
 *
 * Two WASM modules. The core (wasm/attn.mjs + attn.wasm: the step functions, trace, embed, the early
 * lessons' toys) loads with the engine. The course model and grammar (wasm/model.mjs + model.wasm:
 * decodeModel, model.trace, sampleSentences, grammarVocabulary), which only lessons 10-14 use, load on
 * first use: `await engine.loadModel()` or `await engine.loadModelModule()`; after that the
 * synchronous calls decodeModel / sampleSentences / grammarVocabulary work. A page that never asks
 * for them never downloads that module. (The live trainer's worker runs the same module.)
 *
 * A third, light module (wasm/steps.mjs + steps.wasm) holds only the step functions of the widgets
 * that never trace (STEP_FUNCTIONS): `await loadSteps()` gives an Engine over it, for pages that need
 * nothing more (lessons 1-4, a blog post with one <attn-softmax>).
 */

let enginePromise = null;

/** Loads the WASM core once per page (or process) and returns the shared Engine. */
export function loadEngine() {
  if (!enginePromise) {
    enginePromise = instantiate().catch((err) => {
      enginePromise = null; // let a later call retry (e.g. after a network hiccup)
      throw err;
    });
  }
  return enginePromise;
}

// ---- the steps module (issue 11) ------------------------------------------------------- begin
/** What the steps module holds: the step functions of the widgets that never trace. */
export const STEP_FUNCTIONS = ['softmax', 'softmaxJacobian', 'dot', 'compareVectors', 'scores', 'softmaxRows', 'weightedSum', 'rnnDemo', 'scalingDemo'];

let stepsPromise = null;

/**
 * The light engine: an Engine over the steps module (wasm/steps.mjs + steps.wasm, about half the
 * core's bytes), which holds only STEP_FUNCTIONS. Same methods, same checks and the same C++ behind
 * them (cpp/wasm/steps_bindings.cpp), so the same numbers and messages as loadEngine()'s; any other
 * method throws an Error that names it and says to use loadEngine(). Loaded once per page (or
 * process). When the core engine is already loaded or loading, resolves to that instead (it has
 * every step function), so a page never downloads both for these functions; `{ reuseCore: false }`
 * always gives the steps engine (tests compare the two).
 */
export function loadSteps({ reuseCore = true } = {}) {
  if (reuseCore && enginePromise) return enginePromise;
  if (!stepsPromise) {
    stepsPromise = instantiateSteps().catch((err) => {
      stepsPromise = null;
      throw err;
    });
  }
  return stepsPromise;
}

async function instantiateSteps() {
  const { default: createStepsModule } = await import('./wasm/steps.mjs');
  const module = await createStepsModule(await moduleOptions('./wasm/steps.wasm'));
  const missing = (name) => () => {
    throw new Error(`${name}: the steps module (loadSteps()) does not have it; use loadEngine()`);
  };
  return new Engine(new Proxy(module, { get: (m, name) => (name in m || typeof name !== 'string' ? m[name] : missing(name)) }));
}
// ---- the steps module ------------------------------------------------------------------ end

const isNode = () => typeof process !== 'undefined' && process.versions?.node && typeof window === 'undefined';

/** Bytes of a file next to this module (fetch in the browser, the file system in node). */
async function readAsset(relative) {
  const url = new URL(relative, import.meta.url);
  if (isNode()) {
    const { readFile } = await import(/* @vite-ignore */ 'node:fs/promises');
    return new Uint8Array(await readFile(url));
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url.pathname}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Bytes shipped next to the model (e.g. a trace pack, '../core/wasm/presets-gallery.bin'). */
export function loadModelBytes(relative) {
  return readAsset(relative);
}

/** JSON data shipped next to the model (e.g. '../model/analysis.json'), parsed. */
export async function loadModelData(relative) {
  return JSON.parse(new TextDecoder().decode(await readAsset(relative)));
}

/**
 * Options for an Emscripten module factory: node has no fetch-by-URL for file: modules in
 * Emscripten's web build, so it gets the bytes; the browser fetches the .wasm from next to the .mjs
 * (in a bundle, the build names it there).
 */
async function moduleOptions(wasmFile) {
  return isNode() ? { wasmBinary: await readAsset(wasmFile) } : {};
}

async function instantiate() {
  const { default: createAttnModule } = await import('./wasm/attn.mjs');
  return new Engine(await createAttnModule(await moduleOptions('./wasm/attn.wasm')));
}

/** The course-model module (model decode and trace, the grammar sampler), instantiated. */
async function instantiateModelModule() {
  const { default: createModelModule } = await import('./wasm/model.mjs');
  return createModelModule(await moduleOptions('./wasm/model.wasm'));
}

/** Throws the Error the binding returned instead of a result. */
function unwrap(result) {
  if (result instanceof Error) throw result;
  return result;
}

/**
 * Normalises a matrix argument to { rows, cols, data: Float32Array }.
 * Accepts that form (data may be a plain array) or an array of equal-length rows.
 */
export function toMatrix(fn, arg, m) {
  const fail = (why) => {
    throw new TypeError(`${fn}: ${arg} ${why}`);
  };
  if (Array.isArray(m)) {
    if (m.length === 0) fail('is empty (no rows)');
    if (!m.every(Array.isArray)) fail('must be an array of rows (arrays of numbers)');
    const cols = m[0].length;
    const bad = m.findIndex((r) => r.length !== cols);
    if (bad >= 0) fail(`row ${bad} has ${m[bad].length} numbers but row 0 has ${cols}`);
    return { rows: m.length, cols, data: Float32Array.from(m.flat().map(Number)) };
  }
  if (!m || typeof m !== 'object' || !Number.isInteger(m.rows) || !Number.isInteger(m.cols))
    fail('must be { rows, cols, data } or an array of rows');
  const data = m.data instanceof Float32Array ? m.data : Array.isArray(m.data) ? Float32Array.from(m.data.map(Number)) : null;
  if (!data) fail('.data must be a Float32Array or an array of numbers');
  return { rows: m.rows, cols: m.cols, data };
}

// ---- typed traces -> the CLI's JSON data ---------------------------------------------------------
// The core hands traces over as objects whose matrices are { rows, cols, data: Float32Array }
// (cpp/wasm/bridge.hpp). plainTrace() gives callers of trace() what JSON.parse of the CLI's output
// gives: each matrix as an array of rows, each float32 as the number the JSON text writes for it
// (tidy(), cpp/core/trace.cpp: the shortest of 6 to 9 significant digits that reads back as the same
// float, rounded half to even as printf does), -Infinity and other non-finite values as null.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
// 10^k (exact for k <= 22) split as hi + lo with few enough bits that a float32 times either is exact.
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const POW10_HI = POW10.map((p) => {
  const c = p * (2 ** 24 + 1);
  return c - (c - p); // Veltkamp split: at most 29 significant bits
});
const POW10_LO = POW10.map((p, k) => p - POW10_HI[k]);

/** tidy() for finite a > 0 whose scaling is out of the fast path's range: exact, with BigInt. */
function tidySlow(a) {
  f32[0] = a;
  const bits = u32[0], ex = (bits >>> 23) & 0xff;
  const man = BigInt((bits & 0x7fffff) | (ex ? 0x800000 : 0));
  const q = (ex || 1) - 150; // a = man * 2^q
  const num0 = q >= 0 ? man << BigInt(q) : man, den0 = q >= 0 ? 1n : 1n << BigInt(-q);
  // The exponent of the shortest text of a float32 is floor(log10 a): no float32 is the double
  // nearest a power of ten it is not equal to.
  const e = Number(a.toExponential().split('e')[1]);
  let x = a;
  for (let p = 6; p <= 9; p++) {
    const k = p - 1 - e;
    const num = k >= 0 ? num0 * 10n ** BigInt(k) : num0, den = k >= 0 ? den0 : den0 * 10n ** BigInt(-k);
    let n = num / den;
    const r2 = 2n * (num % den);
    if (r2 > den || (r2 === den && (n & 1n) === 1n)) n += 1n;
    x = Number(`${n}e${-k}`);
    if (Math.fround(x) === a) break;
  }
  return x;
}

/**
 * The number the CLI's JSON writes for the float32 value v (see above); v finite. One exact product
 * y = a * 10^k with 9 significant digits before the point (as s + err, below); the 6-, 7- and
 * 8-digit candidates are y / 10^3, 10^2, 10 rounded half to even, read off floor(y) and the exact
 * rest, so each costs a division and a comparison instead of another exact product (a quarter less
 * time than tidyByDigits, which does one product per digit count: trace() with lesson 11's detail
 * block converts 6,700 numbers). The same numbers as tidyByDigits, checked on 12 million float32s
 * (random bit patterns, every float32 near 1, integers and halves up to 2^24, the neighbourhoods
 * of every power of ten and of two); outside 10^-14..10^6 it is tidyByDigits.
 */
export function tidy(v) {
  if (v === 0) return v; // keeps -0, as "-0.0" in the JSON does
  const a = Math.abs(v);
  let k = 8 - Math.floor(Math.log10(a)); // floor(log10 a) can be one off near a power of ten: see below
  if (k < 3 || k > 22) return tidyByDigits(v);
  let h = a * POW10_HI[k], l = a * POW10_LO[k];
  let s = h + l, bb = s - h, err = (h - (s - bb)) + (l - bb);
  const tooBig = s > 1e9 || (s === 1e9 && err >= 0), tooSmall = s < 1e8 || (s === 1e8 && err < 0);
  if (tooBig || tooSmall) {
    k += tooBig ? -1 : 1;
    if (k < 3 || k > 22) return tidyByDigits(v);
    h = a * POW10_HI[k];
    l = a * POW10_LO[k];
    s = h + l;
    bb = s - h;
    err = (h - (s - bb)) + (l - bb);
  }
  // y = F + t + err: F whole, 0 <= t < 1 a multiple of s's last bit, |err| below half of that bit.
  const F = Math.floor(s), t = s - F;
  for (let d = 3; d >= 1; d--) {
    // y / 10^d = q + (r + t + err) / 10^d with r whole in [0, 10^d): above half rounds up; exactly
    // half (r = 10^d / 2, t = 0, err = 0) rounds to the even q.
    const P = POW10[d], half = P / 2;
    const q = Math.floor(F / P), r = F - q * P;
    const n = r > half || (r === half && (t > 0 || err > 0 || (err === 0 && q % 2 === 1))) ? q + 1 : q;
    const x = n / POW10[k - d];
    if (Math.fround(x) === a) return v < 0 ? -x : x;
  }
  const n = t > 0.5 || (t === 0.5 && (err > 0 || (err === 0 && F % 2 === 1))) ? F + 1 : F;
  const x = n / POW10[k];
  return v < 0 ? -x : x;
}

/** tidy() one digit count at a time (6, 7, 8, 9), with an exact product for each. */
function tidyByDigits(v) {
  const a = Math.abs(v);
  let e = Math.floor(Math.log10(a));
  let x = a;
  for (let p = 6; p <= 9; p++) {
    let k = p - 1 - e;
    if (k < 0 || k > 22) return v < 0 ? -tidySlow(a) : tidySlow(a);
    // y = a * 10^k exactly, as s + err (two exact products, summed without loss).
    let h = a * POW10_HI[k], l = a * POW10_LO[k];
    let s = h + l, bb = s - h, err = (h - (s - bb)) + (l - bb);
    if (p === 6) {
      // floor(log10 a) from Math.log10 can be one off near a power of ten: put y in [10^5, 10^6).
      const lo = POW10[p - 1], hi = POW10[p];
      const tooBig = s > hi || (s === hi && err >= 0), tooSmall = s < lo || (s === lo && err < 0);
      if (tooBig || tooSmall) {
        e += tooBig ? 1 : -1;
        k = p - 1 - e;
        if (k < 0 || k > 22) return v < 0 ? -tidySlow(a) : tidySlow(a);
        h = a * POW10_HI[k];
        l = a * POW10_LO[k];
        s = h + l;
        bb = s - h;
        err = (h - (s - bb)) + (l - bb);
      }
    }
    // Round s + err to an integer, half to even (s < 2^31, so s - floor(s) is exact and |err| is
    // below half of s's last bit: err decides only an exact half).
    let n = Math.floor(s);
    const t = s - n;
    if (t > 0.5 || (t === 0.5 && (err > 0 || (err === 0 && n % 2 === 1)))) n += 1;
    x = n / POW10[k];
    if (Math.fround(x) === a) break;
  }
  return v < 0 ? -x : x;
}

/** A typed matrix as the JSON's array of rows. */
function matrixRows({ rows, cols, data }) {
  const out = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const row = new Array(cols);
    for (let j = 0, o = i * cols; j < cols; j++) {
      const v = data[o + j];
      row[j] = Number.isFinite(v) ? tidy(v) : null;
    }
    out[i] = row;
  }
  return out;
}

/**
 * A typed trace (or any result holding typed matrices) as the CLI's JSON data: every
 * { rows, cols, data: Float32Array } becomes an array of rows (see above); everything else keeps
 * its shape, keys and key order. Converts in place and returns the converted value.
 */
export function plainTrace(v) {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = plainTrace(v[i]);
    return v;
  }
  if (v.data instanceof Float32Array) return matrixRows(v);
  for (const k of Object.keys(v)) v[k] = plainTrace(v[k]);
  return v;
}

/** A value for a TypeError message: short, on one line, never the whole of a huge input. */
function shown(v) {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : `a value of type ${typeof v}`;
}

/** Checks that a numeric option is a JS number; its range is checked by the core, which names it. */
function number(fn, arg, v) {
  if (typeof v !== 'number') throw new TypeError(`${fn}: ${arg} must be a number (got ${shown(v)})`);
  return v;
}

/**
 * One CourseModel handle per distinct model.bin per module: decoding the same bytes again returns
 * the same model object, and a handle is deleted once nothing holds its model object any more
 * (embind objects are not garbage collected on their own).
 */
const modelHandles = new FinalizationRegistry(({ handle, cache, entry }) => {
  handle.delete();
  cache.splice(cache.indexOf(entry), 1);
});

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false; // the checksum (last 4 bytes) first
  return true;
}

/** Normalises a vector argument to a Float32Array. */
function toVector(fn, arg, v) {
  if (v instanceof Float32Array) return v;
  if (Array.isArray(v)) return Float32Array.from(v.map(Number));
  throw new TypeError(`${fn}: ${arg} must be a Float32Array or an array of numbers`);
}

/** A loaded core. Methods are synchronous; create it with loadEngine(). */
export class Engine {
  #m;
  #course = null; // the course-model module once loaded
  #coursePromise = null;
  #models = []; // { bytes, ref: WeakRef(model) } for every decoded model still alive
  constructor(module) {
    this.#m = module;
  }

  /**
   * Loads the course-model module (once; a failed load may be retried) and resolves to this engine,
   * after which decodeModel, sampleSentences and grammarVocabulary can be called.
   */
  loadModelModule() {
    if (!this.#coursePromise) {
      this.#coursePromise = instantiateModelModule().then((module) => {
        this.#course = module;
        return this;
      });
      this.#coursePromise.catch(() => (this.#coursePromise = null));
    }
    return this.#coursePromise;
  }

  /** The loaded course-model module, or an Error telling the caller `fn` what to await first. */
  #courseModule(fn) {
    if (!this.#course)
      throw new Error(`${fn}: the course-model module is not loaded yet: await engine.loadModel() or engine.loadModelModule() first`);
    return this.#course;
  }

  /**
   * Runs a scenario ({ tokens | X, d_model, heads, seed, weights, positions, causal, scale,
   * temperature }; see docs/engine.md, "The trace contract") and returns the full trace as JSON data,
   * the same as `attn trace` prints.
   */
  trace(scenario) {
    return plainTrace(this.traceTyped(scenario));
  }

  /**
   * The same trace with every matrix as { rows, cols, data: Float32Array } (row-major; masked
   * entries -Infinity), as the core hands it over: no conversion at all.
   */
  traceTyped(scenario) {
    if (scenario === null || typeof scenario !== 'object' || Array.isArray(scenario))
      throw new TypeError('trace: scenario must be an object');
    return unwrap(this.#m.trace(scenario));
  }

  /** The built-in vocabulary: { features: [8 names], words: [...] }. */
  vocab() {
    return unwrap(this.#m.vocab());
  }

  /** X (n x d_in) · W (d_in x d_out). */
  project(X, W) {
    const x = toMatrix('project', 'X', X), w = toMatrix('project', 'W', W);
    return unwrap(this.#m.project(x.data, x.rows, x.cols, w.data, w.rows, w.cols));
  }

  /** Q (n x d_k) · K^T -> S (n x m). */
  scores(Q, K) {
    const q = toMatrix('scores', 'Q', Q), k = toMatrix('scores', 'K', K);
    return unwrap(this.#m.scores(q.data, q.rows, q.cols, k.data, k.rows, k.cols));
  }

  /** S / sqrt(dK). */
  scale(S, dK) {
    const s = toMatrix('scale', 'S', S);
    if (!Number.isInteger(dK)) throw new TypeError(`scale: d_k must be a whole number (got ${dK})`);
    return unwrap(this.#m.scale(s.data, s.rows, s.cols, dK));
  }

  /** Square S with -Infinity above the diagonal. */
  maskCausal(S) {
    const s = toMatrix('maskCausal', 'S', S);
    return unwrap(this.#m.maskCausal(s.data, s.rows, s.cols));
  }

  /** Row-wise softmax(S / temperature); each row sums to 1, -Infinity entries get 0. */
  softmaxRows(S, temperature = 1) {
    const s = toMatrix('softmaxRows', 'S', S);
    return unwrap(this.#m.softmaxRows(s.data, s.rows, s.cols, number('softmaxRows', 'temperature', temperature)));
  }

  /** A (n x m) · V (m x d_v). */
  weightedSum(A, V) {
    const a = toMatrix('weightedSum', 'A', A), v = toMatrix('weightedSum', 'V', V);
    return unwrap(this.#m.weightedSum(a.data, a.rows, a.cols, v.data, v.rows, v.cols));
  }

  /** a · b for two equal-length vectors; returns a number. */
  dot(a, b) {
    return unwrap(this.#m.dot(toVector('dot', 'a', a), toVector('dot', 'b', b)));
  }

  /** softmax(v / temperature) for one vector; returns a Float32Array. */
  softmax(v, temperature = 1) {
    return unwrap(this.#m.softmax(toVector('softmax', 'v', v), number('softmax', 'temperature', temperature))).data;
  }

  /**
   * The full multi-head forward pass, output only (n x d_model): X (n x d_model), weights
   * { W_q, W_k, W_v, W_o } (each d_model x d_model), h heads dividing d_model,
   * options { causal = false, scale = true, temperature = 1 }. Use trace() to see intermediates.
   */
  multiHeadAttention(X, weights, h, { causal = false, scale = true, temperature = 1 } = {}) {
    const fn = 'multiHeadAttention';
    const x = toMatrix(fn, 'X', X);
    if (!weights || typeof weights !== 'object') throw new TypeError(`${fn}: weights must be { W_q, W_k, W_v, W_o }`);
    const [q, k, v, o] = ['W_q', 'W_k', 'W_v', 'W_o'].map((name) => toMatrix(fn, name, weights[name]));
    for (const [name, w] of [['W_q', q], ['W_k', k], ['W_v', v], ['W_o', o]])
      if (w.rows !== x.cols || w.cols !== x.cols)
        throw new Error(`${fn}: ${name} is ${w.rows}x${w.cols} but must be ${x.cols}x${x.cols} (d_model x d_model, X is ${x.rows}x${x.cols})`);
    if (!Number.isInteger(h)) throw new TypeError(`${fn}: h must be a whole number (got ${h})`);
    return unwrap(this.#m.multiHeadAttention(x.data, x.rows, x.cols, q.data, k.data, v.data, o.data, h,
      causal, scale, number(fn, 'temperature', temperature)));
  }

  /**
   * Embeds words with the built-in vocabulary: { X: {rows: n, cols: 8, data}, known: [bool],
   * features: [8 names] }; positions (true or "sinusoidal"; false or "none") adds sinusoidal position
   * vectors. Any other positions value is an Error naming it.
   */
  embed(tokens, positions = false) {
    if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string'))
      throw new TypeError('embed: tokens must be an array of strings');
    return unwrap(this.#m.embed(tokens, positions));
  }

  /**
   * A seeded vanilla tanh RNN (lesson 1): `length` inputs (1..512), `hidden` units (1..64), recurrent
   * weights scaled to spectral radius about `gain` (0 < gain <= 4). Returns { H: {rows: length,
   * cols: hidden, data}, influence: Float32Array(length) } where influence[t] = ||dh_T/dx_t||.
   */
  rnnDemo({ length, hidden = 16, gain = 1, seed = 1 } = {}) {
    for (const [k, v] of Object.entries({ length, hidden, seed }))
      if (!Number.isInteger(v)) throw new TypeError(`rnnDemo: ${k} must be a whole number (got ${v})`);
    return unwrap(this.#m.rnnDemo(length, hidden, number('rnnDemo', 'gain', gain), seed));
  }

  /** Two vectors compared: { dot, normA, normB, cosine, angleDeg, projection } (projection of b on a). */
  compareVectors(a, b) {
    return unwrap(this.#m.compareVectors(toVector('compareVectors', 'a', a), toVector('compareVectors', 'b', b)));
  }

  /** Jacobian of softmax(v / temperature): { rows: n, cols: n, data } with J[i][j] = ds_i/dv_j. */
  softmaxJacobian(v, temperature = 1) {
    return unwrap(this.#m.softmaxJacobian(toVector('softmaxJacobian', 'v', v), number('softmaxJacobian', 'temperature', temperature)));
  }

  /**
   * Why scores are divided by sqrt(d_k) (lesson 7): one random query and `keys` random keys with
   * standard normal entries, computed by the core. Returns { dK, q, K, raw, scaled, weightsRaw,
   * weightsScaled, spreadRaw, spreadScaled, samples }: the row's scores and softmax weights without
   * and with the scaling, and the measured standard deviation of q·k over `samples` fresh pairs.
   */
  scalingDemo({ dK, keys = 6, seed = 1 } = {}) {
    for (const [k, v] of Object.entries({ dK, keys, seed }))
      if (!Number.isInteger(v)) throw new TypeError(`scalingDemo: ${k} must be a whole number (got ${shown(v)})`);
    return unwrap(this.#m.scalingDemo(dK, keys, seed));
  }

  /**
   * The trained course model (lessons 10-14), loaded once from web/model/model.bin. Resolves to
   * { config, vocab, trace(tokens, { unknown: 'error'|'mask', detail: layer }), traceTyped(...) } where
   * trace returns { tokens, known, unknown, n, attention[layer][head] (n x n, row = query),
   * predictions, detail? } exactly as `attn model-trace` prints it, and traceTyped the same with every
   * matrix as { rows, cols, data: Float32Array }. Words outside the vocabulary throw an Error naming them
   * unless unknown: 'mask'.
   */
  loadModel() {
    if (!this.modelPromise) {
      this.modelPromise = Promise.all([readAsset('../model/model.bin'), this.loadModelModule()]).then(([bytes]) => this.decodeModel(bytes));
      this.modelPromise.catch(() => (this.modelPromise = null));
    }
    return this.modelPromise;
  }

  /**
   * A course model from model.bin bytes (Uint8Array); throws an Error naming what is wrong with them.
   * The same bytes give the same model object (one decoded copy per module); its wasm memory is freed
   * when the model object is garbage collected. Needs the course-model module (loadModelModule()).
   */
  decodeModel(bytes) {
    const course = this.#courseModule('decodeModel');
    if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeModel: bytes must be a Uint8Array');
    for (const entry of this.#models) {
      const model = entry.ref.deref();
      if (model && sameBytes(entry.bytes, bytes)) return model;
    }
    const handle = unwrap(course.loadModel(bytes));
    let info;
    try {
      info = unwrap(handle.info());
    } catch (err) {
      handle.delete();
      throw err;
    }
    const traceTyped = (tokens, { unknown = 'error', detail } = {}) => {
      if (!Array.isArray(tokens)) throw new TypeError('model.trace: tokens must be an array of words');
      const input = { tokens, unknown, ...(detail === undefined ? {} : { detail }) };
      return unwrap(handle.trace(input));
    };
    const model = {
      config: info.config,
      vocab: info.vocab,
      trace: (tokens, options) => plainTrace(traceTyped(tokens, options)),
      traceTyped,
    };
    const entry = { bytes: bytes.slice(), ref: new WeakRef(model) };
    this.#models.push(entry);
    modelHandles.register(model, { handle, cache: this.#models, entry });
    return model;
  }

  /**
   * Fresh sentences from the course grammar (cpp/course/grammar.hpp), seeded:
   * sampleSentences({ words = 5, count = 1, seed = 0, needs = [] }) returns
   * { seed, words, grammar_hash, draws, sentences: [{ words: [..], heads: [..], rels: [..] }] }, heads
   * 0-based (-1 for the root), the same as `attn sentences` prints. `needs` lists relation names
   * ("det", "dobj", "pobj", ...) every sentence must contain. Bad options throw an Error naming them.
   * Needs the course-model module (loadModelModule()).
   */
  sampleSentences(request = {}) {
    if (request === null || typeof request !== 'object' || Array.isArray(request))
      throw new TypeError('sampleSentences: the request must be an object like { words: 5, count: 3, seed: 7 }');
    return unwrap(this.#courseModule('sampleSentences').sampleSentences(request));
  }

  /** Every word the course grammar can produce, sorted. Needs the course-model module (loadModelModule()). */
  grammarVocabulary() {
    if (!this.grammarWords) this.grammarWords = unwrap(this.#courseModule('grammarVocabulary').grammarVocabulary());
    return this.grammarWords;
  }

  /** Bytes currently allocated inside the WASM heaps, both modules' (for leak tests). */
  heapInUse() {
    return this.#m.heapInUse() + (this.#course ? this.#course.heapInUse() : 0);
  }
}

/** Row i of a { rows, cols, data } matrix as a plain array (a drawing convenience, no math). */
export function rowOf(m, i) {
  return Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
}
