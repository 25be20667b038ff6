/**
 * Bytes, gzip -9 as a gzip-serving host would send them:
 *  - the whole course (every file of dist/ but the .gz/.br copies): goal <= 1 MiB;
 *  - each WebAssembly module and their sum; the core (assets/attn-<hash>.wasm), which every lesson
 *    and embed loads: goal <= 100 KiB; the others (attn-model-<hash>.wasm, lessons 10-14) load on demand;
 *  - every page with everything a reader's browser loads for it (headless Chromium, service worker
 *    off so its background precache of the whole course is not counted, every widget scrolled into
 *    view until it has drawn): goal <= 250 KiB for each lesson page.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startBrowser } from '../../tests/browser/browser.mjs';
import { loadAllWidgets, sitePages } from '../../tests/browser/site-pages.mjs';
import { isCompressedCopy } from '../lib/compress.mjs';
import { report, padStart as pad } from './goals.mjs';

const KiB = 1024;
const kb = (b) => (b / KiB).toFixed(1);
const gz = (buf) => gzipSync(buf, { level: 9 }).length;

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Every file of the built site with its raw and gzip bytes, largest first. */
export function siteFiles(dist) {
  return walk(dist).filter((p) => !isCompressedCopy(p)).map((p) => {
    const buf = readFileSync(p);
    return { path: relative(dist, p), raw: buf.length, gz: gz(buf) };
  }).sort((a, b) => b.gz - a.gz);
}

/** Whole course and wasm modules; `all` also lists every file. */
export function courseSize({ dist, all = false }) {
  const files = siteFiles(dist);
  const total = files.reduce((a, f) => ({ raw: a.raw + f.raw, gz: a.gz + f.gz }), { raw: 0, gz: 0 });
  console.log(`dist/: ${files.length} files, ${kb(total.raw)} KiB raw; the largest (KiB raw / gzip):`);
  for (const f of all ? files : files.slice(0, 12)) console.log(`${pad(kb(f.raw), 9)} ${pad(kb(f.gz), 9)}  ${f.path}`);
  report('whole course, gzip', total.gz / KiB, '<=', 1024, 'KiB');
  const wasm = files.filter((x) => x.path.endsWith('.wasm'));
  for (const f of wasm) {
    const core = /^assets\/attn-[0-9a-f]{8}\.wasm$/.test(f.path);
    if (core) report('core wasm, gzip', f.gz / KiB, '<=', 100, 'KiB');
    else console.log(`  ${f.path}: ${kb(f.gz)} KiB gzip (loaded on demand)`);
  }
  console.log(`  all ${wasm.length} wasm modules of the course: ${kb(wasm.reduce((s, f) => s + f.gz, 0))} KiB gzip`);
}

/** One page with everything it loads: { requests, raw, gz, files: [{ path, raw, gz }] }. */
async function pageWeight(newPage, base, path) {
  const page = await newPage({ serviceWorkers: 'block' });
  const bodies = new Map();
  const reading = [];
  page.on('response', (res) => {
    reading.push(res.body().then((body) => bodies.set(res.url(), body), () => { /* redirects have no body */ }));
  });
  await page.goto(base + path);
  const { bad } = await loadAllWidgets(page, { timeout: 30000 });
  if (bad.length) throw new Error(`${path}: ${bad.join('; ')}`);
  await page.waitForLoadState('networkidle');
  await Promise.all(reading); // every body read before the page goes away
  await page.context().close();
  const files = [...bodies].map(([u, body]) => ({ path: u.slice(base.length), raw: body.length, gz: gz(body) })).sort((a, b) => b.gz - a.gz);
  return { files, raw: files.reduce((s, f) => s + f.raw, 0), gz: files.reduce((s, f) => s + f.gz, 0) };
}

/** Every page's weight; lessons are checked against the goal. `detail` lists one page's files. */
export async function pageSizes({ dist, pageFilter = () => true, detail = '/lessons/07-pairwise-scores/' }) {
  const { base, newPage, close } = await startBrowser();
  try {
    for (const path of sitePages(dist).filter(pageFilter)) {
      const w = await pageWeight(newPage, base, path);
      const label = `${path} + all it loads (${w.files.length} files), gzip`;
      if (path.startsWith('/lessons/')) report(label, w.gz / KiB, '<=', 250, 'KiB');
      else console.log(`  ${label.padEnd(46)} ${pad(kb(w.gz) + ' KiB', 12)}`);
      if (path === detail) for (const f of w.files) console.log(`      ${pad(kb(f.raw), 9)} ${pad(kb(f.gz), 9)}  ${f.path}`);
    }
  } finally {
    await close();
  }
}
