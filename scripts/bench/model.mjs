/**
 * The course model: forward pass + the attention of all 12 heads for a five-token sentence, in the
 * WASM engine in node and in headless Chromium (goal <= 0.5 ms there), the training time and the
 * weight bytes. Chromium imports the engine's source modules (web/, served on their own port), so
 * the figure measures the engine itself, whatever the bundles are called.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { loadEngine } from '../../web/core/engine.js';
import { serve } from '../serve.mjs';
import { check, line } from './goals.mjs';
import { median } from './speed.mjs';

const TOKENS = ['the', 'cat', 'chased', 'the', 'mouse'];
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

export async function modelCost({ root }) {
  const model = await (await loadEngine()).loadModel();
  const ms = median(() => model.trace(TOKENS), 300);
  const manifest = JSON.parse(readFileSync(join(root, 'web/model/manifest.json'), 'utf8'));
  const bin = readFileSync(join(root, 'web/model/model.bin'));
  const { n_layers: layers, n_heads: heads, d_model: d } = manifest.config;
  console.log(`the course model (${layers} layers x ${heads} heads, d_model ${d}), "${TOKENS.join(' ')}":`);
  console.log(`  forward + every head's attention in the WASM engine in node: ${ms.toFixed(3)} ms (median of 300)`);
  const server = await serve({ dir: join(root, 'web'), port: 0 });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
  try {
    const page = await browser.newPage();
    const base = `http://127.0.0.1:${server.address().port}`;
    await page.goto(`${base}/embed.html`);
    const [browserMs, typedMs] = await page.evaluate(async (toks) => {
      const { loadEngine: load } = await import('/core/engine.js');
      const m = await (await load()).loadModel();
      const med = (fn) => {
        fn();
        const times = [];
        for (let i = 0; i < 300; i++) {
          const t0 = performance.now();
          fn();
          times.push(performance.now() - t0);
        }
        return times.sort((a, b) => a - b)[150];
      };
      // trace(): what widgets get (arrays of rows); traceTyped(): the matrices as they leave WASM.
      return [med(() => m.trace(toks)), m.traceTyped ? med(() => m.traceTyped(toks)) : NaN];
    }, TOKENS);
    console.log(`  the same, typed (one Float32Array per matrix, no conversion to arrays): ${typedMs.toFixed(3)} ms`);
    console.log(line(check('model forward + 12 heads, 5 tokens, Chromium', browserMs, '<=', 0.5, 'ms')));
  } finally {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  }
  console.log(`  training: ${manifest.cpu_time_s} s CPU (one thread, ${manifest.training.steps} steps); weights: ${bin.length} bytes (${(gzipSync(bin, { level: 9 }).length / 1024).toFixed(1)} KiB gzip)`);
}
