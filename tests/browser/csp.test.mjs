// The widgets under a strict Content Security Policy. A copy of the built site plus the fixture page
// tests/fixtures/csp.html is served with
//   Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'
// (no unsafe-eval, no unsafe-inline). Widgets by script tag and by iframe must render, compute what
// the engine computes, save PNG/SVG and open "Embed this" with zero `securitypolicyviolation`
// events (collected in every frame) and no console errors (Chrome logs every refusal there).
// Every page of the site carries the same policy in a <meta http-equiv> (so a plain static server
// applies it too): served without the header, every page runs every widget and lays out its
// formulas (MathML in the shipped math font) with zero violations. That pass over every page is also
// the site's network check: no request leaves the origin (page or service worker), none fails, no
// response is an HTTP error, nothing is logged as an error (network.test.mjs relies on it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowser } from './browser.mjs';
import { DIST, gotoPage, loadAllWidgets, sitePages, watchStrictly } from './site-pages.mjs';
import { FIXTURES, STRICT_CSP } from '../fixtures/serve-fixtures.mjs';
import { serve } from '../../scripts/serve.mjs';
import { loadEngine } from '../../web/core/engine.js';

let b, dir, engine;
before(async () => {
  const dist = process.env.ATTN_DIST ?? new URL('../../dist', import.meta.url).pathname;
  dir = mkdtempSync(join(tmpdir(), 'attn-csp-'));
  cpSync(dist, dir, { recursive: true });
  cpSync(FIXTURES, join(dir, 'fixtures'), { recursive: true, filter: (src) => !/\.(md|mjs)$/.test(src) });
  writeFileSync(join(dir, 'favicon.ico'), '');
  const saved = process.env.ATTN_DIST;
  process.env.ATTN_DIST = dir;
  try {
    b = await startBrowser({ headers: { 'Content-Security-Policy': STRICT_CSP }, serviceWorkers: 'allow' });
  } finally {
    if (saved === undefined) delete process.env.ATTN_DIST;
    else process.env.ATTN_DIST = saved;
  }
  engine = await loadEngine();
});
after(async () => {
  await b?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A page that records CSP violations in every frame (window.__violations). */
async function newPage(options) {
  const page = await b.newPage(options);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || '?'}:${e.lineNumber}`);
    }, true);
  });
  page.violations = async () => {
    const all = [];
    for (const f of page.frames()) all.push(...(await f.evaluate(() => window.__violations ?? []).catch(() => [])));
    return all;
  };
  return page;
}

const shown = (v) => {
  const s = Number(v).toFixed(3);
  return (Number(s) === 0 ? (0).toFixed(3) : s).replace('-', '−');
};

async function ready(page, sel) {
  const loc = typeof sel === 'string' ? page.locator(sel) : sel;
  await loc.scrollIntoViewIfNeeded();
  await loc.evaluate((el) => el.ready || new Promise((ok) => el.addEventListener('ready', ok, { once: true })));
}

test('the fixture really is served with the strict policy', async () => {
  const res = await fetch(`${b.base}/fixtures/csp.html`);
  assert.equal(res.headers.get('content-security-policy'), STRICT_CSP);
  const html = await res.text();
  assert.doesNotMatch(html, /<script>|<style|style="/, 'the fixture itself has no inline script or style');
});

test('widgets render and compute under the strict CSP with zero violations', async () => {
  const page = await newPage({ acceptDownloads: true });
  await page.goto(`${b.base}/fixtures/csp.html`);
  for (const id of ['#soft', '#scores', '#arrows', '#lookup', '#bad']) await ready(page, id);
  const probs = await page.locator('#soft').evaluate((w) => [...w.shadowRoot.querySelectorAll('table.values tbody tr')]
    .map((tr) => tr.querySelectorAll('td.num')[0].textContent));
  assert.deepEqual(probs, Array.from(engine.softmax([2, 1, 0.1], 1)).map(shown));
  const styled = await page.locator('#soft').evaluate((w) => {
    const cs = getComputedStyle(w.shadowRoot.querySelector('.widget-body'));
    return [cs.borderTopStyle, cs.borderTopLeftRadius];
  });
  assert.deepEqual(styled, ['solid', '10px'], 'the widget stylesheet (a same-origin <link>) applied');
  const t = engine.trace({ tokens: ['the', 'cat', 'chased', 'the', 'mouse'], seed: 7, heads: 2 });
  // cell (1, 2): the selected cell (1, 1) reads "?" until the learner computes it
  const s01 = await page.locator('#scores').evaluate((w) => w.shadowRoot.querySelector('table.s tbody td[data-row="0"][data-col="1"]').textContent.trim());
  assert.equal(s01, Number(t.per_head[0].scores[0][1]).toFixed(2).replace('-', '−'));
  assert.match(await page.locator('#bad').evaluate((w) => w.shadowRoot.querySelector('.notice').textContent), /scores: "x" is not a number/);

  // the iframe form on the same page
  const frame = page.frameLocator('#frame');
  await page.locator('#frame').scrollIntoViewIfNeeded();
  await frame.locator('attn-softmax').evaluate((el) => el.ready || new Promise((ok) => el.addEventListener('ready', ok, { once: true })));
  await page.waitForFunction(() => Number(document.getElementById('frame').height) !== 300);

  // the share tools: the dialog (a linked stylesheet), SVG and PNG (canvas, blob: download)
  const w = page.locator('#soft');
  await w.locator('button[data-action="embedSnippet"]').click();
  await w.locator('dialog.share-dialog[open]').waitFor();
  assert.equal(await w.locator('dialog.share-dialog').evaluate((d) => getComputedStyle(d).borderTopLeftRadius), '10px');
  await page.keyboard.press('Escape');
  for (const [action, head] of [['saveSvg', '<?xml'], ['savePng', '\x89PNG']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), w.locator(`button[data-action="${action}"]`).click()]);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, head.length).toString('latin1'), head, action);
  }
  assert.deepEqual(await page.violations(), []);
  assert.deepEqual(page.problems, []);
});

test('embed.html and the /embed/ docs page work under the strict CSP too', async () => {
  const page = await newPage();
  await page.goto(`${b.base}/embed.html#widget=score-matrix&sentence=a+dog+sees+the+cat&seed=3`);
  await ready(page, 'attn-score-matrix');
  assert.equal(await page.locator('attn-score-matrix').getAttribute('sentence'), 'a dog sees the cat');
  assert.deepEqual(await page.violations(), []);

  await page.goto(`${b.base}/embed/`);
  const examples = await page.locator('.embed-example > *').count();
  assert.ok(examples >= 10);
  for (let i = 0; i < examples; i++) await ready(page, page.locator('.embed-example > *').nth(i));
  const copy = page.locator('button.snippet-copy').first();
  await copy.click();
  // The status is written once the clipboard promise settles: wait for it rather than race it.
  await page.waitForFunction(() => (document.querySelector('.snippet-status')?.textContent ?? '') !== '');
  assert.deepEqual(await page.violations(), []);
  assert.deepEqual(page.problems, []);
});

test('every page carries the strict policy in a <meta> and runs its widgets and formulas with zero violations', async () => {
  const plain = await serve({ dir: DIST, port: 0 }); // no policy header: the pages' own <meta> must do it
  const base = `http://127.0.0.1:${plain.address().port}`;
  const page = watchStrictly(await newPage(), base);
  page.on('request', (r) => r.url().startsWith(base) || r.url().startsWith('data:') || page.problems.push(`non-local request: ${r.url()}`));
  const pages = sitePages(DIST);
  assert.ok(pages.includes('/') && pages.includes('/review/') && pages.some((p) => p.startsWith('/lessons/')), pages.join(' '));
  const problems = [];
  let formulas = 0;
  try {
    for (const p of pages) {
      const response = await gotoPage(page, base + p);
      if (!response.ok()) problems.push(`${p}: HTTP ${response.status()}`);
      const meta = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null);
      if (meta !== STRICT_CSP) problems.push(`${p}: policy meta is ${meta}`);
      const { bad } = await loadAllWidgets(page);
      problems.push(...bad.map((m) => `${p}: ${m}`));
      const math = await page.evaluate(async () => {
        await document.fonts.ready;
        const all = [...document.querySelectorAll('math')];
        return {
          count: all.length,
          flat: all.filter((m) => m.getBoundingClientRect().width === 0 && m.checkVisibility()).length,
          font: all.length ? [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Attn Math' && f.status === 'loaded') : true,
        };
      });
      formulas += math.count;
      if (math.flat) problems.push(`${p}: ${math.flat} visible formulas have no width`);
      // markup may carry no style attribute or element (script may still set styles through the CSSOM)
      const html = await (await fetch(base + p)).text();
      if (/<style\b|\sstyle\s*=\s*["']/.test(html)) problems.push(`${p}: inline style in the page's HTML`);
      if (!math.font) problems.push(`${p}: the math font did not load`);
      problems.push(...(await page.violations()).map((v) => `${p}: ${v}`), ...page.problems.splice(0).filter((m) => !m.startsWith(`non-local request: ${base}/`)).map((m) => `${p}: ${m}`));
    }
  } finally {
    await page.context().close();
    await new Promise((ok) => plain.close(ok));
  }
  assert.ok(formulas > 50, `${formulas} formulas on the site`);
  assert.deepEqual(problems, []);
});
