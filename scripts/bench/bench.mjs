/**
 * npm run bench: prints, in one run,
 *  (a) multi-head attention forward time at n in {5, 64, 256}, d_model 512, h 8 for the native
 *      build, the WASM engine (in node) and a plain-JS reference, with ratios;
 *  (b) raw and gzip sizes of every file in dist/, and of one lesson page with everything the
 *      browser actually loads for it (recorded in headless Chromium).
 *  (c) what a blog post pays to show one widget through embed.js: every byte it downloads from the
 *      Attention Lab host (gzip-compressed, as a gzip-serving host would send it) and the time from
 *      navigation start, and from the embed.js request, to the widget's `ready` event (drawn and
 *      interactive), cold cache and warm cache. The post (tests/fixtures/blog-one.html) is served
 *      from a second origin, so the embed is cross-origin as on a real blog.
 * Timings are medians of repeated runs after a warm-up.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../../web/core/engine.js';
import { referenceAttention } from './reference.js';
import { startBrowser } from '../../tests/browser/browser.mjs';
import { serveFixtures } from '../../tests/fixtures/serve-fixtures.mjs';
import { loadAllWidgets } from '../../tests/browser/site-pages.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const D = 512, H = 8;
const SIZES = [[5, 200], [64, 20], [256, 5]];

/** Deterministic uniform numbers in [-a, a]. */
function filled(length, seed, a) {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * a;
  });
}

function median(fn, reps) {
  fn();
  const ms = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)];
}

const pad = (s, n) => String(s).padStart(n);
const kb = (b) => (b / 1024).toFixed(1);

async function speed() {
  const engine = await loadEngine();
  console.log(`(a) multi-head attention forward, d_model ${D}, h ${H}: median ms`);
  console.log(`${pad('n', 5)} ${pad('native', 9)} ${pad('wasm', 9)} ${pad('plain JS', 9)} ${pad('wasm/native', 12)} ${pad('JS/wasm', 9)} ${pad('max |wasm-JS|', 14)}`);
  for (const [n, reps] of SIZES) {
    const r = spawnSync(join(ROOT, 'build/native/attn'), ['bench', '--n', n, '--d', D, '--h', H, '--reps', reps], { encoding: 'utf8' });
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
  }
}

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

async function sizes() {
  const dist = join(ROOT, 'dist');
  const files = walk(dist).map((p) => {
    const buf = readFileSync(p);
    return { path: relative(dist, p), raw: buf.length, gz: gzipSync(buf, { level: 9 }).length };
  }).sort((a, b) => b.raw - a.raw);
  console.log(`\n(b) sizes of dist/ (${files.length} files), KiB`);
  console.log(`${pad('raw', 9)} ${pad('gzip', 9)}  file`);
  for (const f of files) console.log(`${pad(kb(f.raw), 9)} ${pad(kb(f.gz), 9)}  ${f.path}`);
  const total = files.reduce((a, f) => ({ raw: a.raw + f.raw, gz: a.gz + f.gz }), { raw: 0, gz: 0 });
  console.log(`${pad(kb(total.raw), 9)} ${pad(kb(total.gz), 9)}  TOTAL`);

  const lesson = '07-pairwise-scores'; // the foundation lesson; every lesson page has the same shape
  const { base, newPage, close } = await startBrowser();
  try {
    // What the page itself loads (the service worker's background precache of the whole course, for
    // offline use, is reported separately by the build: "sw.js precaches N files").
    const page = await newPage({ serviceWorkers: 'block' });
    const loaded = new Map();
    page.on('response', async (res) => {
      try {
        const body = await res.body();
        loaded.set(res.url(), body);
      } catch { /* redirects have no body */ }
    });
    await page.goto(`${base}/lessons/${lesson}/`);
    // Widgets start when they near the viewport: wait until each is defined, bring it into view, as
    // a reader scrolling would, and wait until it is ready (drawn).
    const { bad } = await loadAllWidgets(page, { timeout: 20000 });
    if (bad.length) throw new Error(`/lessons/${lesson}/: ${bad.join('; ')}`);
    await page.waitForLoadState('networkidle');
    console.log(`\none lesson page with everything it loads: /lessons/${lesson}/ (${loaded.size} requests), KiB`);
    let raw = 0, gz = 0;
    for (const [url, body] of [...loaded].sort((a, b) => b[1].length - a[1].length)) {
      const g = gzipSync(body, { level: 9 }).length;
      raw += body.length;
      gz += g;
      console.log(`${pad(kb(body.length), 9)} ${pad(kb(g), 9)}  ${url.slice(base.length)}`);
    }
    console.log(`${pad(kb(raw), 9)} ${pad(kb(gz), 9)}  TOTAL`);
  } finally {
    await close();
  }
}

/** One load of the one-widget post: { ms from navigation start, ms from the embed.js request, bodies }. */
async function loadPost(page, url, reload = false) {
  const bodies = new Map();
  const onResponse = async (res) => {
    try {
      bodies.set(res.url(), await res.body());
    } catch { /* redirects and cache hits without a body */ }
  };
  page.on('response', onResponse);
  if (reload) await page.reload();
  else await page.goto(url);
  await page.waitForFunction(() => window.__readyAt !== undefined, null, { timeout: 20000 });
  const t = await page.evaluate(() => {
    const script = performance.getEntriesByType('resource').find((e) => /\/embed\.js$/.test(e.name));
    return { nav: window.__readyAt, script: window.__readyAt - (script?.startTime ?? 0) };
  });
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  return { ...t, bodies };
}

async function embedCost() {
  const { base, newPage, close } = await startBrowser({ headers: { 'Access-Control-Allow-Origin': '*' } });
  const blog = await serveFixtures(base);
  const url = `${blog.base}/blog-one.html`;
  const cold = [], warm = [];
  let first = null;
  try {
    for (let run = 0; run < 7; run++) {
      const page = await newPage(); // a fresh context: empty cache
      await page.addInitScript(() => {
        document.addEventListener('ready', () => {
          window.__readyAt ??= performance.now();
        }, true);
      });
      const c = await loadPost(page, url);
      cold.push(c);
      first ??= c;
      warm.push(await loadPost(page, url, true));
      await page.context().close();
    }
  } finally {
    await blog.close();
    await close();
  }
  const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = [...first.bodies].filter(([u]) => u.startsWith(base)).map(([u, body]) => ({ path: u.slice(base.length), raw: body.length, gz: gzipSync(body, { level: 9 }).length }))
    .sort((a, b) => b.gz - a.gz);
  console.log(`\n(c) a blog post on another origin showing one <attn-softmax> through embed.js (${rows.length} files from the Attention Lab host), KiB`);
  console.log(`${pad('raw', 9)} ${pad('gzip', 9)}  file`);
  for (const r of rows) console.log(`${pad(kb(r.raw), 9)} ${pad(kb(r.gz), 9)}  ${r.path}`);
  const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, gz: a.gz + r.gz }), { raw: 0, gz: 0 });
  console.log(`${pad(kb(total.raw), 9)} ${pad(kb(total.gz), 9)}  TOTAL downloaded for one widget`);
  console.log(`time to an interactive widget (median of ${cold.length}, loopback server, headless Chromium):`);
  console.log(`  cold cache: ${med(cold.map((c) => c.nav)).toFixed(0)} ms from navigation start, ${med(cold.map((c) => c.script)).toFixed(0)} ms from the embed.js request`);
  console.log(`  warm cache: ${med(warm.map((c) => c.nav)).toFixed(0)} ms from navigation start, ${med(warm.map((c) => c.script)).toFixed(0)} ms from the embed.js request`);
}

/** (d) the course model: forward time for a five-token sentence, training time and weight bytes. */
async function modelCost() {
  const model = await (await loadEngine()).loadModel();
  const tokens = ['the', 'cat', 'chased', 'the', 'mouse'];
  const ms = median(() => model.trace(tokens), 300);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'web/model/manifest.json'), 'utf8'));
  const bin = readFileSync(join(ROOT, 'web/model/model.bin'));
  console.log(`\n(d) the course model (${manifest.config.n_layers} layers x ${manifest.config.n_heads} heads, d_model ${manifest.config.d_model})`);
  console.log(`  forward pass + trace of every head for "${tokens.join(' ')}" in the WASM engine: ${ms.toFixed(3)} ms (median of 300)`);
  const { base, newPage, close } = await startBrowser();
  try {
    const page = await newPage();
    await page.goto(`${base}/lessons/12-real-heads/`);
    const browserMs = await page.evaluate(async (toks) => {
      const { loadEngine: load } = await import('/core/engine.js');
      const m = await (await load()).loadModel();
      m.trace(toks);
      const times = [];
      for (let i = 0; i < 300; i++) {
        const t0 = performance.now();
        m.trace(toks);
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[150];
    }, tokens);
    console.log(`  the same in headless Chromium: ${browserMs.toFixed(3)} ms (median of 300)`);
  } finally {
    await close();
  }
  console.log(`  training: ${manifest.cpu_time_s} s CPU (one thread, ${manifest.training.steps} steps); weights: ${bin.length} bytes (${(gzipSync(bin, { level: 9 }).length / 1024).toFixed(1)} KiB gzip)`);
}

await speed();
await sizes();
await embedCost();
await modelCost();
