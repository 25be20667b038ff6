/**
 * npm run bench: every speed and size goal of the course, measured in one run, each figure printed
 * beside its goal, and a summary of the goals met and missed at the end.
 *
 *   npm run bench                                  # build, then every step below
 *   node scripts/bench/bench.mjs --only sizes,embed   # some steps, on the existing build
 *   node scripts/bench/bench.mjs --only lighthouse --pages 07,12   # page steps on some lessons only
 *
 * Steps (in order): speed (MHA native / WASM / plain JS), sizes (whole course, wasm), pages (every
 * page with everything it loads), embed (one widget on a blog), model (the course model's forward
 * pass in Chromium), interactions (real input on every lesson), lighthouse (mobile scores of every
 * lesson page), train (the live trainer's steps/s and when its heads get labels). To add a step, add one line to STEPS: [name, title, async ({ root, dist }) => {}].
 * Timings are medians after a warm-up; run on a quiet machine (the CPU is shared).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { speed } from './speed.mjs';
import { courseSize, pageSizes } from './sizes.mjs';
import { embedCost } from './embed.mjs';
import { modelCost } from './model.mjs';
import { interactions } from './interactions.mjs';
import { lighthouse } from './lighthouse.mjs';
import { trainLive } from './train.mjs';
import { summary } from './goals.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = process.env.ATTN_DIST ?? `${root}dist`;

const STEPS = [
  ['speed', 'multi-head attention: native, WASM, plain JS', speed],
  ['sizes', 'bytes of the built course', courseSize],
  ['pages', 'every page with everything it loads', pageSizes],
  ['embed', 'one widget embedded on a blog', embedCost],
  ['model', 'the course model', modelCost],
  ['interactions', 'interactions on every lesson (real input, Event Timing)', interactions],
  ['lighthouse', 'Lighthouse, mobile, every lesson page', lighthouse],
  ['train', 'the live trainer: steps/s native vs WASM in a worker, when each head gets its label', trainLive],
];

const { values } = parseArgs({ options: { only: { type: 'string' }, pages: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log(`npm run bench [-- --only STEP,STEP] [--pages 07,12]
  Builds, then measures every step and prints each figure beside its goal, with a summary of goals met
  and missed. --only runs some steps on the existing build (node scripts/bench/bench.mjs --only ...),
  --pages limits the page-by-page steps to pages whose path contains one of the parts.
  steps, in order:`);
  for (const [name, title] of STEPS) console.log(`    ${name.padEnd(13)} ${title}`);
  console.log(`  Where a lesson's input time goes: node scripts/bench/profile.mjs /lessons/NN-name/ (see its header).`);
  process.exit(0);
}
/** With --pages 07,faq: only the pages whose path contains one of those (for the page-by-page steps). */
const pageFilter = values.pages ? (p) => values.pages.split(',').some((part) => p.includes(part.trim())) : () => true;
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : null;
const unknown = only ? [...only].filter((n) => !STEPS.some(([s]) => s === n)) : [];
if (unknown.length) {
  console.error(`bench: unknown step(s) ${unknown.join(', ')}; steps: ${STEPS.map(([s]) => s).join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const [name, title, run] of STEPS) {
  if (only && !only.has(name)) continue;
  console.log(`\n== ${name}: ${title}`);
  const t0 = performance.now();
  try {
    await run({ root, dist, pageFilter });
  } catch (err) {
    failed += 1;
    console.log(`  step ${name} FAILED: ${err.message}`);
  }
  console.log(`  (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}
summary();
if (failed) process.exitCode = 1;
