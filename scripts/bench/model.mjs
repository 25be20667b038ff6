/**
 * The course model: forward pass + the attention of all 12 heads for a five-token sentence, in the
 * WASM engine in node and in headless Chromium (goal <= 0.5 ms there), the training time and the
 * weight bytes. Chromium imports the engine's source modules (web/, served on their own port), so
 * the figure measures the engine itself, whatever the bundles are called.
 *
 * The goal is checked on trace(), what the model widgets draw from: the trace as arrays of rows, the
 * CLI's JSON data, converted from the typed matrices that leave WASM. traceTyped() (one Float32Array
 * per matrix, no conversion) is printed beside it. Chromium coarsens performance.now() to 100 us, so a median of
 * single calls can only read 0.5, 0.6 or 0.7 ms: every sample here times a batch of calls and
 * divides, and the figure is the median of those samples (the same in node, for comparison).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { loadEngine } from '../../web/core/engine.js';
import { serve } from '../serve.mjs';
import { check, line } from './goals.mjs';

const TOKENS = ['the', 'cat', 'chased', 'the', 'mouse'];
// Per sample: BATCH calls timed together (5 ms or more in all, so a 100 us clock step is under 2%
// of it); SAMPLES samples after WARMUP calls; the median sample, per call, in ms.
const BATCH = 50, SAMPLES = 40, WARMUP = 200;

/**
 * { median, fastest } over SAMPLES of (time of BATCH calls of fn) / BATCH, in ms; runs in node and in
 * the page. The median is the figure; the fastest sample is printed beside it because on a busy
 * machine (the CPU is shared) the median drifts with the load while the fastest sample does not.
 */
function batchedMedian(fn, { batch, samples, warmup }) {
  for (let i = 0; i < warmup; i++) fn();
  const per = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    per.push((performance.now() - t0) / batch);
  }
  per.sort((a, b) => a - b);
  return { median: per[Math.floor(per.length / 2)], fastest: per[0] };
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

const shown = ({ median, fastest }) => `${median.toFixed(3)} ms (fastest sample ${fastest.toFixed(3)})`;

export async function modelCost({ root }) {
  const model = await (await loadEngine()).loadModel();
  const sizes = { batch: BATCH, samples: SAMPLES, warmup: WARMUP };
  const nodeTyped = batchedMedian(() => model.traceTyped(TOKENS), sizes);
  const nodePlain = batchedMedian(() => model.trace(TOKENS), sizes);
  const manifest = JSON.parse(readFileSync(join(root, 'web/model/manifest.json'), 'utf8'));
  const bin = readFileSync(join(root, 'web/model/model.bin'));
  const { n_layers: layers, n_heads: heads, d_model: d } = manifest.config;
  const how = `median of ${SAMPLES} samples of ${BATCH} calls`;
  console.log(`the course model (${layers} layers x ${heads} heads, d_model ${d}), "${TOKENS.join(' ')}", ${how}:`);
  console.log(`  node:     trace (arrays of rows: what widgets draw from) ${shown(nodePlain)}; traceTyped (as it leaves WASM) ${shown(nodeTyped)}`);
  const server = await serve({ dir: join(root, 'web'), port: 0 });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
  try {
    const page = await browser.newPage();
    const base = `http://127.0.0.1:${server.address().port}`;
    await page.goto(`${base}/embed.html`);
    await page.evaluate(async () => {
      const { loadEngine: load } = await import('/core/engine.js');
      window.attnModel = await (await load()).loadModel();
    });
    // The same batchedMedian in the page, sent as an expression (DevTools evaluation is not eval
    // under the page's CSP).
    const inPage = (method) =>
      page.evaluate(`(${batchedMedian})(() => window.attnModel.${method}(${JSON.stringify(TOKENS)}), ${JSON.stringify(sizes)})`);
    const typedMs = await inPage('traceTyped');
    const plainMs = await inPage('trace');
    console.log(`  Chromium: trace ${shown(plainMs)}; traceTyped ${shown(typedMs)}`);
    console.log(line(check('model forward + 12 heads, 5 tokens, Chromium (trace)', plainMs.median, '<=', 0.5, 'ms')));
  } finally {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  }
  console.log(`  training: ${manifest.cpu_time_s} s CPU (one thread, ${manifest.training.steps} steps); weights: ${bin.length} bytes (${(gzipSync(bin, { level: 9 }).length / 1024).toFixed(1)} KiB gzip)`);
}
