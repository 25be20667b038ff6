/**
 * The live trainer (issue 12, <attn-train-live>): training steps per second natively (`attn train`
 * with the widget's preset) beside WASM in the widget's Web Worker in headless Chromium, and the
 * step and time at which each head of the default run got its first clear label (goal: the first
 * within 60 s of pressing Play). Runs on the built site (dist/), alone with
 *   node scripts/bench/bench.mjs --only train
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../serve.mjs';
import { check, line, num } from './goals.mjs';
import { PRESET } from '../../web/widgets/train-live.js';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
const HEADS = 4, LAYERS = 2, SEED = 1, WATCH_S = 90;

/** Wall seconds of `attn train` with the live preset for `steps` steps. */
function nativeSeconds(root, steps) {
  const dir = mkdtempSync(join(tmpdir(), 'attn-bench-train-'));
  try {
    const t0 = performance.now();
    const r = spawnSync(join(root, 'build/native/attn'), ['train', '--seed', String(SEED), '--heads', String(HEADS), '--layers', String(LAYERS),
      '--d-model', String(PRESET.dModel), '--batch', String(PRESET.batch), '--lr', String(PRESET.lr), '--steps', String(steps), '--out', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`attn train failed: ${r.stderr}`);
    return (performance.now() - t0) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function trainLive({ root, dist }) {
  // Native: the difference of two runs cancels start-up and the final held-out evaluation.
  const a = nativeSeconds(root, 50), b = nativeSeconds(root, 350);
  const nativeRate = 300 / Math.max(1e-6, b - a);
  console.log(`preset: ${LAYERS} layers x ${HEADS} heads, d_model ${PRESET.dModel}, batch ${PRESET.batch} sentences, lr ${PRESET.lr}, seed ${SEED}`);
  console.log(`  native attn train: ${num(nativeRate)} steps/s (one thread)`);

  const server = await serve({ dir: dist, port: 0 });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/embed.html#widget=train-live&heads=${HEADS}&layers=${LAYERS}&seed=${SEED}`);
    await page.locator('attn-train-live .tl-head').first().waitFor({ timeout: 60000 });
    const result = await page.evaluate((watch) => new Promise((ok) => {
      const w = document.querySelector('attn-train-live');
      const first = new Map();
      let t0 = 0;
      w.addEventListener('label', (e) => {
        if (!first.has(e.detail.id)) first.set(e.detail.id, { ...e.detail, wall: (performance.now() - t0) / 1000 });
      });
      const done = () => {
        if (w.playing) w.action('play'); // pause
        ok({ step: w.run.step, trainMs: w.run.trainMs, wall: (performance.now() - t0) / 1000, first: [...first.values()] });
      };
      t0 = performance.now();
      w.action('play');
      const timer = setInterval(() => {
        const all = w.analysis && w.analysis.every((h) => first.has(h.id));
        // stop at the watch limit, or when the run has stopped by itself (its last step): waiting
        // on would count idle time against the steps per second
        if (all || !w.playing || performance.now() - t0 > watch * 1000) {
          clearInterval(timer);
          done();
        }
      }, 250);
    }), WATCH_S);
    const rate = result.step / (result.trainMs / 1000);
    console.log(`  WASM in a Web Worker, Chromium: ${num(rate)} steps/s training (${num(result.step / result.wall)} steps/s counting the held-out loss and the analysis every 25 steps); ${num(rate / nativeRate)}x native`);
    const firsts = result.first.sort((x, y) => x.step - y.step);
    for (const f of firsts) console.log(`  layer ${f.id.split('-')[0]}, head ${f.id.split('-')[1]}: "${f.label}" at step ${f.step}, ${num(f.wall)} s after Play`);
    const unlabelled = LAYERS * HEADS - firsts.length;
    if (unlabelled) console.log(`  ${unlabelled} head(s) had no clear label after ${num(result.wall)} s (step ${result.step})`);
    console.log(line(check('first clearly labelled head, Chromium (s after Play)', firsts[0]?.wall ?? Infinity, '<=', 60, 's')));
  } finally {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  }
}
