/**
 * Multi-head attention forward time at n in {5, 64, 256}, d_model 512, h 8: the native build, the
 * WASM engine (in node) and a plain-JS reference (reference.js), with the two ratios the course
 * aims at: WASM within 1.5x of native, and WASM at least 3x faster than plain JS, at every n.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadEngine } from '../../web/core/engine.js';
import { referenceAttention } from './reference.js';
import { check, line, padStart as pad } from './goals.mjs';

const D = 512, H = 8;
const SIZES = [[5, 200], [64, 20], [256, 5]];

/** Deterministic uniform numbers in [-a, a]. */
export function filled(length, seed, a) {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * a;
  });
}

/** Median ms of `reps` calls of fn after one warm-up call. */
export function median(fn, reps) {
  fn();
  const ms = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)];
}

/** Prints the table and checks both ratios at every n. */
export async function speed({ root }) {
  const engine = await loadEngine();
  console.log(`multi-head attention forward, d_model ${D}, h ${H}: median ms`);
  console.log(`${pad('n', 5)} ${pad('native', 9)} ${pad('wasm', 9)} ${pad('plain JS', 9)} ${pad('wasm/native', 12)} ${pad('JS/wasm', 9)} ${pad('max |wasm-JS|', 14)}`);
  const rows = [];
  for (const [n, reps] of SIZES) {
    const r = spawnSync(join(root, 'build/native/attn'), ['bench', '--n', n, '--d', D, '--h', H, '--reps', reps], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`native bench failed: ${r.stderr}`);
    const native = JSON.parse(r.stdout).median_ms;
    const X = filled(n * D, 1, 1);
    const w = Math.sqrt(3 / D);
    const W = { W_q: filled(D * D, 2, w), W_k: filled(D * D, 3, w), W_v: filled(D * D, 4, w), W_o: filled(D * D, 5, w) };
    const asM = (data, rows) => ({ rows, cols: D, data });
    const Wm = Object.fromEntries(Object.entries(W).map(([k, v]) => [k, asM(v, D)]));
    let out;
    const wasm = median(() => (out = engine.multiHeadAttention(asM(X, n), Wm, H)), reps);
    let ref;
    const js = median(() => (ref = referenceAttention(X, W.W_q, W.W_k, W.W_v, W.W_o, n, D, H)), Math.max(3, Math.ceil(reps / 4)));
    const diff = out.data.reduce((m, v, i) => Math.max(m, Math.abs(v - ref[i])), 0);
    console.log(`${pad(n, 5)} ${pad(native.toFixed(3), 9)} ${pad(wasm.toFixed(3), 9)} ${pad(js.toFixed(3), 9)} ${pad((wasm / native).toFixed(2) + 'x', 12)} ${pad((js / wasm).toFixed(2) + 'x', 9)} ${pad(diff.toExponential(1), 14)}`);
    rows.push({ n, ratio: wasm / native, js: js / wasm });
  }
  for (const r of rows) console.log(line(check(`MHA WASM / native, n = ${r.n}`, r.ratio, '<=', 1.5, 'x')));
  for (const r of rows) console.log(line(check(`MHA plain JS / WASM, n = ${r.n}`, r.js, '>=', 3, 'x')));
}
