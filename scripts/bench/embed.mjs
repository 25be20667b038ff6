/**
 * What a blog post pays to show one widget through embed.js: every byte it downloads from the
 * Attention Lab host (gzip -9, as a gzip-serving host would send it; goal <= 100 KiB) and the time
 * from navigation start, and from the embed.js request, to the widget's `ready` event (drawn and
 * interactive), cold and warm cache. The post (tests/fixtures/blog-one.html, one <attn-softmax>)
 * is served from a second origin, so the embed is cross-origin as on a real blog.
 */
import { gzipSync } from 'node:zlib';
import { startBrowser } from '../../tests/browser/browser.mjs';
import { serveFixtures } from '../../tests/fixtures/serve-fixtures.mjs';
import { report, padStart as pad } from './goals.mjs';

const kb = (b) => (b / 1024).toFixed(1);

/** One load of the post: { nav: ms from navigation start, script: ms from the embed.js request, bodies }. */
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
  await page.waitForFunction(() => window.__readyAt !== undefined, null, { timeout: 30000 });
  const t = await page.evaluate(() => {
    const script = performance.getEntriesByType('resource').find((e) => /\/embed\.js$/.test(e.name));
    return { nav: window.__readyAt, script: window.__readyAt - (script?.startTime ?? 0) };
  });
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  return { ...t, bodies };
}

export async function embedCost({ runs = 7 } = {}) {
  const { base, newPage, close } = await startBrowser({ headers: { 'Access-Control-Allow-Origin': '*' } });
  const blog = await serveFixtures(base);
  const url = `${blog.base}/blog-one.html`;
  const cold = [], warm = [];
  let first = null;
  try {
    for (let run = 0; run < runs; run++) {
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
  console.log(`a blog post on another origin showing one <attn-softmax> through embed.js: ${rows.length} files from the Attention Lab host (KiB raw / gzip)`);
  for (const r of rows) console.log(`${pad(kb(r.raw), 9)} ${pad(kb(r.gz), 9)}  ${r.path}`);
  report('one embedded widget on a blog, gzip', rows.reduce((s, r) => s + r.gz, 0) / 1024, '<=', 100, 'KiB');
  console.log(`  time to an interactive widget (median of ${cold.length}, loopback server, headless Chromium):`);
  console.log(`    cold cache: ${med(cold.map((c) => c.nav)).toFixed(0)} ms from navigation start, ${med(cold.map((c) => c.script)).toFixed(0)} ms from the embed.js request`);
  console.log(`    warm cache: ${med(warm.map((c) => c.nav)).toFixed(0)} ms from navigation start, ${med(warm.map((c) => c.script)).toFixed(0)} ms from the embed.js request`);
}
