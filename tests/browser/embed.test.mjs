// Embeds end to end in headless Chromium: "blog posts" served from a second origin put widgets on
// their pages with dist/embed.js (module), dist/embed-classic.js (classic script) and
// dist/embed.html (iframe). Checks that widgets render and compute what the engine computes, that a
// hostile host stylesheet does not reach in and the widgets' styles do not leak out, that the wasm
// loads once for ten widgets and not before one nears the viewport, that bad attributes give the
// inline notice and defaults while the host page keeps working, that the iframe renders from its
// hash and reports its height, that one <attn-softmax> loads the light steps module and not the core,
// and that the live trainer's worker starts on another origin. (The
// docs page and the share toolbar: embed-share.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertSoftmax, ready, softmaxReadout, startEmbedTests, whenReady } from './embed-helpers.mjs';
import { byHandView } from './browser.mjs';
import { widgets } from '../../web/widgets/index.js';

let env, b, blog, engine, newPage;
before(async () => {
  env = await startEmbedTests();
  ({ b, blog, engine, newPage } = env);
});
after(() => env?.close());

test('module form: widgets on a cross-origin blog page render and compute what the engine computes', async () => {
  const page = await newPage();
  await page.goto(`${blog.base}/blog.html`);
  await ready(page, 'soft');
  assertSoftmax(engine, await softmaxReadout(page.locator('#soft')), [2, 1, 0.1], 1);

  await ready(page, 'scores');
  const t = engine.trace({ tokens: ['the', 'cat', 'chased', 'the', 'mouse'], seed: 7, heads: 2 });
  const two = (v) => Number(v).toFixed(2).replace(/^-(0\.00)$/, '$1').replace('-', '−');
  const s = await page.locator('#scores').evaluate((w) => [...w.shadowRoot.querySelectorAll('table.s tbody tr')]
    .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
  // every score as the engine computes it, except the selected one (row 1, column 1) and its twins
  // (the repeated 'the' gives the same number): the by-hand exercise reads "?" there
  assert.deepEqual(s, byHandView(t.per_head[0].scores, [0, 0], two));

  await ready(page, 'arrows');
  const dot = await page.locator('#arrows').evaluate((w) => w.shadowRoot.textContent);
  assert.match(dot, new RegExp(`= ${engine.dot([2, 1], [1, 2]).toFixed(2)}`));
  assert.deepEqual(page.realProblems(), []);
});

test('a hostile host stylesheet does not reach into the widgets', async () => {
  const page = await newPage();
  await page.goto(`${blog.base}/blog.html`);
  await ready(page, 'soft');
  const inside = await page.locator('#soft').evaluate((w) => {
    const r = w.shadowRoot;
    const cs = (sel) => getComputedStyle(r.querySelector(sel));
    const chart = r.querySelector('svg.probs').getBoundingClientRect();
    return {
      frame: cs('.frame').fontSize,
      body: cs('.widget-body').fontSize,
      bodyDisplay: cs('.widget-body').display,
      cell: cs('table.values td.num').fontSize,
      cellBg: cs('table.values td.num').backgroundColor,
      tableBorder: cs('table.values').borderTopWidth,
      lineHeight: cs('.frame').lineHeight,
      transform: cs('.frame').textTransform,
      color: cs('.frame').color,
      family: cs('.frame').fontFamily,
      svgDisplay: cs('svg.probs').display,
      chart: [chart.width, chart.height],
      button: cs('.buttons button').backgroundColor,
      inputDisplay: cs('input[type=range]').display,
      toolbar: cs('.toolbar').display,
    };
  });
  assert.equal(inside.frame, '16px');
  assert.equal(inside.body, '16px');
  assert.notEqual(inside.bodyDisplay, 'none');
  assert.equal(inside.cell, '16px', 'table cells keep the widget\'s font size');
  assert.equal(inside.cellBg, 'rgba(0, 0, 0, 0)', 'host td rule does not paint widget cells');
  assert.equal(inside.tableBorder, '0px');
  assert.equal(inside.lineHeight, '24px');
  assert.equal(inside.transform, 'none');
  assert.notEqual(inside.color, 'rgb(204, 0, 0)');
  assert.doesNotMatch(inside.family, /Comic/);
  assert.notEqual(inside.svgDisplay, 'none');
  assert.ok(inside.chart[0] > 100 && inside.chart[1] > 100, `chart is drawn (${inside.chart})`);
  assert.notEqual(inside.button, 'rgb(255, 0, 255)');
  assert.notEqual(inside.inputDisplay, 'none');
  assert.notEqual(inside.toolbar, 'none');
  // the host element itself: only its outer box is the host's (display stays block)
  assert.equal(await page.locator('#soft').evaluate((w) => getComputedStyle(w).display), 'block');
});

test('a host page\'s root font size (* { font-size: 40px }) does not resize text inside widgets', async () => {
  const page = await newPage();
  await page.goto(`${blog.base}/blog.html`);
  await ready(page, 'soft');
  const sizes = await page.locator('#soft').evaluate((w) => [...w.shadowRoot.querySelectorAll('.frame *')]
    .filter((e) => e.getClientRects().length).map((e) => parseFloat(getComputedStyle(e).fontSize)));
  assert.ok(Math.max(...sizes) <= 24, `largest font size inside the widget: ${Math.max(...sizes)}px`);
});

test('the widgets\' styles do not leak onto the host page', async () => {
  const page = await newPage();
  await page.goto(`${blog.base}/blog.html`);
  await ready(page, 'soft');
  await ready(page, 'scores');
  const host = await page.evaluate(() => {
    const cs = (sel) => getComputedStyle(document.querySelector(sel));
    return {
      tableBorder: `${cs('#host-table').borderTopWidth} ${cs('#host-table').borderTopStyle} ${cs('#host-table').borderTopColor}`,
      tableBg: cs('#host-table').backgroundColor,
      cellPadding: cs('#host-table td').paddingTop,
      cellBg: cs('#host-table td').backgroundColor,
      button: `${cs('#host-button').backgroundColor} ${cs('#host-button').borderTopStyle} ${cs('#host-button').fontSize}`,
      para: `${cs('#host-para').color} ${cs('#host-para').fontSize} ${cs('#host-para').marginTop}`,
      sheets: document.querySelectorAll('link[rel="stylesheet"], style').length,
      sheetsOnDocument: document.styleSheets.length,
      adopted: document.adoptedStyleSheets.length,
    };
  });
  assert.equal(host.tableBorder, '6px solid rgb(0, 204, 0)');
  assert.equal(host.tableBg, 'rgb(0, 255, 0)');
  assert.equal(host.cellPadding, '30px');
  assert.equal(host.cellBg, 'rgb(255, 255, 0)');
  assert.equal(host.button, 'rgb(255, 0, 255) dotted 40px');
  assert.equal(host.para, 'rgb(204, 0, 0) 40px 50px');
  assert.equal(host.sheets, 1, 'only the blog\'s own stylesheet is in the document');
  assert.equal(host.sheetsOnDocument, 1);
  assert.equal(host.adopted, 0);
});

test('bad attributes: an inline notice, defaults, no HTML inserted, and the host page keeps working', async () => {
  const page = await newPage();
  await page.goto(`${blog.base}/blog.html`);
  for (const id of ['bad-nan', 'bad-range', 'bad-html', 'bad-long']) await ready(page, id);
  const notice = (id) => page.locator(`#${id}`).evaluate((w) => {
    const n = w.shadowRoot.querySelector('.notice');
    return n.hidden ? null : n.textContent;
  });
  const nan = await notice('bad-nan');
  assert.match(nan, /scores: "NaN" is not a number/);
  assert.match(nan, /temperature: "hot" is not a number/);
  assertSoftmax(engine, await softmaxReadout(page.locator('#bad-nan')), [2, 1, 0.1], 1);
  assert.match(await notice('bad-range'), /temperature: 500 is outside the allowed range 0\.05\.\.20/);
  assertSoftmax(engine, await softmaxReadout(page.locator('#bad-range')), [2, 1, 0.1], 1);
  assert.match(await notice('bad-html'), /sentence: "<img" is not a word/);
  assert.match(await notice('bad-long'), /sentence: has 14 words; at most \d+ are allowed/);
  const html = await page.locator('#bad-html').evaluate((w) => ({
    img: w.shadowRoot.querySelectorAll('img, script').length,
    chips: [...w.shadowRoot.querySelectorAll('.chips li')].map((li) => li.textContent.replace(/^\d+/, '').trim()),
  }));
  assert.equal(html.img, 0, 'nothing from the attribute became an element');
  assert.deepEqual(html.chips, ['the', 'cat', 'chased', 'the', 'mouse'], 'the default sentence is shown');
  assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  // the host's own script ran and still answers clicks
  assert.equal(await page.evaluate(() => document.documentElement.dataset.hostScript), 'ran');
  await page.locator('#host-button').click();
  assert.equal(await page.locator('#host-out').textContent(), 'clicked 1');
  assert.equal(await page.evaluate(() => window.hostErrors?.length ?? 0), 0);
  assert.deepEqual(page.realProblems(), []);
});

test('classic script form: <script src=".../embed-classic.js"> registers the widgets', async () => {
  const page = await newPage();
  await page.goto(`${blog.base}/blog-classic.html`);
  await ready(page, 'soft');
  assertSoftmax(engine, await softmaxReadout(page.locator('#soft')), [0.5, 1.5, -1], 2);
  await ready(page, 'embed');
  const x = engine.embed(['the', 'dog', 'saw', 'a', 'cat']);
  const first = await page.locator('#embed').evaluate((w) => [...w.shadowRoot.querySelectorAll('table.matrix tbody tr')][0]
    .querySelectorAll('td').length);
  assert.equal(first, x.cols ?? 8);
  assert.deepEqual(page.realProblems(), []);
});

/** The engine's files, by source name or by the build's hashed name. */
const WASM = /\/attn(?:-\w+)?\.wasm$/;
const GLUE = /\/(?:wasm\/attn\.mjs|attn-\w+\.js)$/;

test('ten widgets: nothing loads before one nears the viewport, then one wasm for all of them', async () => {
  const page = await newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${blog.base}/blog-ten.html`);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  const count = (re) => requests.filter((u) => re.test(u)).length;
  assert.equal(await page.locator('attn-softmax, attn-dot-arrows, attn-embed, attn-score-matrix, attn-row-softmax, attn-weighted-sum, attn-qkv, attn-soft-lookup, attn-rnn-forget').count(), 10);
  assert.equal(count(WASM), 0, 'no wasm before any widget is near the viewport');
  assert.equal(count(GLUE), 0, 'not even the wasm loader');
  assert.equal(await page.evaluate(() => [...document.querySelectorAll('section.w > *')].filter((w) => w.ready).length), 0);
  for (let i = 1; i <= 10; i++) await page.locator(`#w${i} > *`).scrollIntoViewIfNeeded();
  await page.waitForFunction(() => [...document.querySelectorAll('section.w > *')].every((w) => w.ready), null, { timeout: 20000 });
  assert.equal(count(WASM), 1, 'ten widgets share one engine');
  assert.equal(count(GLUE), 1);
  assert.deepEqual(page.realProblems(), []);
});

test('iframe form: embed.html renders one widget from its hash and reports its height', async () => {
  const page = await newPage();
  await page.goto(`${blog.base}/blog.html`);
  await page.evaluate(() => {
    window.heights = [];
    window.addEventListener('message', (e) => e.data?.type === 'attention-lab:height' && window.heights.push(e.data.height));
  });
  const iframe = page.locator('#frame');
  await iframe.scrollIntoViewIfNeeded();
  const frame = page.frameLocator('#frame');
  const w = frame.locator('attn-softmax');
  await whenReady(w);
  assert.deepEqual(await w.evaluate((el) => [el.getAttribute('scores'), el.getAttribute('temperature'), el.getAttribute('hide')]), ['3,1,0.2', '0.5', 'controls']);
  assertSoftmax(engine, await softmaxReadout(w), [3, 1, 0.2], 0.5);
  assert.equal(await w.evaluate((el) => el.shadowRoot.querySelector('[data-control="temperature"]').hidden), true, 'hide=controls hides the controls');
  // embed-resize.js sizes the iframe to the height the frame reports
  await page.waitForFunction(() => window.heights.length > 0 && Number(document.getElementById('frame').height) === window.heights.at(-1));
  const height = Number(await iframe.getAttribute('height'));
  assert.ok(height > 300, `the frame grew from the snippet's 300 to ${height}`);
  const inner = await frame.locator('html').evaluate((h) => Math.ceil(h.getBoundingClientRect().height));
  assert.ok(Math.abs(height - inner) <= 2, `iframe height ${height} fits its content ${inner}`);
  assert.deepEqual(page.realProblems(), []);
});

test('iframe form: a bad hash lists its problems in plain text and falls back to defaults', async () => {
  const page = await newPage();
  await page.goto(`${b.base}/embed.html#widget=softmax&scores=1,abc&temperature=%3Cb%3Ehot%3C/b%3E&bogus=1&hide=nothing`);
  const w = page.locator('attn-softmax');
  await whenReady(w);
  const notice = await page.locator('#frame-notice').textContent();
  assert.match(notice, /scores: "abc" is not a number/);
  assert.match(notice, /temperature: "<b>hot<\/b>" is not a number/);
  assert.match(notice, /bogus: attn-softmax has no attribute/);
  assert.match(notice, /hide: this widget has no control "nothing"/);
  assert.equal(await page.locator('#frame-notice b').count(), 0);
  assertSoftmax(engine, await softmaxReadout(w), [2, 1, 0.1], 1);

  await page.goto(`${b.base}/embed.html#widget=nope`);
  await page.waitForSelector('#frame-notice:not([hidden])');
  assert.match(await page.locator('#frame-notice').textContent(), /there is no widget "nope"/);
  assert.equal(await page.locator('#frame-notice a').count(), widgets.length, 'the notice links every widget');
  // a new hash re-renders the frame
  await page.evaluate(() => { location.hash = '#widget=dot-arrows&a=3,0'; });
  await page.locator('attn-dot-arrows').waitFor();
  assert.equal(await page.locator('attn-dot-arrows').getAttribute('a'), '3,0');
  assert.equal(await page.locator('#frame-notice').isHidden(), true);
  assert.deepEqual(page.problems, []);
});


test('one widget on a post loads that widget\'s code only; a widget added later loads on its own', async () => {
  const page = await newPage();
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${blog.base}/blog-one.html`);
  await page.locator('attn-softmax').scrollIntoViewIfNeeded();
  await whenReady(page.locator('attn-softmax'));
  await page.waitForLoadState('networkidle');
  const widgetFile = (name) => requests.some((p) => new RegExp(`/(?:widgets/)?${name}(?:-\\w+)?\\.js$`).test(p));
  const sources = ['rnn-forget', 'soft-lookup', 'dot-arrows', 'embed-table', 'qkv-projection', 'score-matrix', 'dk-scaling', 'row-softmax',
    'weighted-sum', 'pipeline', 'head-split', 'head-shapes', 'head-gallery', 'path-length', 'predict-head'];
  assert.ok(widgetFile('softmax-bars'), requests.join(' '));
  assert.deepEqual(sources.filter(widgetFile), [], 'no other widget module is fetched');
  assert.equal(requests.filter((p) => p.endsWith('.css') && !/\/(?:widgets|softmax-bars)(?:-\w+)?\.css$/.test(p)).length, 0, 'only its own stylesheets');

  // a blog editor inserting a widget after the page has loaded
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<attn-dot-arrows id="late" a="2,1" b="1,2"></attn-dot-arrows>'));
  await page.locator('#late').scrollIntoViewIfNeeded();
  await whenReady(page.locator('#late'));
  assert.ok(widgetFile('dot-arrows'));
  assert.equal(await page.locator('#late').evaluate((w) => w.shadowRoot.querySelector('.notice')?.hidden ?? true), true);
  assert.deepEqual(page.realProblems(), []);
});

test('one <attn-softmax> on a post downloads the light steps module, never the core; a widget that needs the core brings it', async () => {
  const page = await newPage();
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${blog.base}/blog-one.html`);
  await page.locator('attn-softmax').scrollIntoViewIfNeeded();
  await whenReady(page.locator('attn-softmax'));
  await page.waitForLoadState('networkidle');
  const steps = () => requests.filter((p) => /\/steps(?:-\w+)?\.wasm$/.test(p)).length;
  const core = () => requests.filter((p) => WASM.test(p) || GLUE.test(p)).length;
  assert.equal(steps(), 1, requests.join(' '));
  assert.equal(core(), 0, 'neither the core wasm nor its loader');
  assertSoftmax(engine, await softmaxReadout(page.locator('attn-softmax')), [2, 1, 0.1], 1);

  // another steps widget shares the steps module; a widget that traces loads the core for itself
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<attn-dot-arrows id="late" a="2,1" b="1,2"></attn-dot-arrows>'));
  await page.locator('#late').scrollIntoViewIfNeeded();
  await whenReady(page.locator('#late'));
  assert.equal(steps(), 1);
  assert.equal(core(), 0);
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<attn-score-matrix id="core"></attn-score-matrix>'));
  await page.locator('#core').scrollIntoViewIfNeeded();
  await whenReady(page.locator('#core'));
  assert.equal(requests.filter((p) => WASM.test(p)).length, 1, 'the core wasm, once');
  assert.equal(steps(), 1);
  assert.deepEqual(page.realProblems(), []);
});

test('the live trainer trains on a blog of another origin: its worker starts from a same-origin blob', async () => {
  const page = await newPage();
  blog.write('blog-train.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Watch heads form</title>
<script type="module" src="${b.base}/embed.js"></script></head>
<body><h1>Watch heads form</h1><attn-train-live id="live" heads="1" layers="1"></attn-train-live></body></html>`);
  await page.goto(`${blog.base}/blog-train.html`);
  const w = page.locator('#live');
  await w.scrollIntoViewIfNeeded();
  await whenReady(w);
  await w.locator('button[data-action="step"]').click();
  await page.waitForFunction(() => document.getElementById('live').run?.step === 10, null, { timeout: 60000 });
  const s = await w.evaluate((el) => ({ losses: el.run.losses.length, alert: el.alert.hidden ? null : el.alert.textContent }));
  assert.deepEqual(s, { losses: 10, alert: null });
  // the blob: worker script is made on the blog's own origin (that is the point), nothing else leaves
  assert.deepEqual(page.realProblems().filter((p) => !p.startsWith(`non-local request: blob:${blog.base}/`)), []);
});
