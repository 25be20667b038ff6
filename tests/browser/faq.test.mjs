// The FAQ page in headless Chromium: it loads cleanly, answers the five course.yaml questions in
// order under stable ids (the home page links to them), every widget on it renders and shows the
// engine's numbers, every lesson link resolves, axe-core finds no serious violations in light and
// dark, and a 360 px phone does not scroll sideways. Also checks the FAQ renderer's validation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startBrowser, seriousViolations } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';
import { loadCourse } from '../../scripts/lib/lessons.mjs';
import { validateFaqSource } from '../../scripts/lib/faq-page.mjs';
import { widgets } from '../../web/widgets/index.js';
import { short } from '../../web/widgets/qkv-projection.js';

const PAGE = '/faq/';
const COURSE = new URL('../../lessons/course.yaml', import.meta.url).pathname;
const FAQ_MD = new URL('../../lessons/faq.md', import.meta.url).pathname;
let b, engine, course;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
  course = await loadCourse(COURSE);
});
after(() => b?.close());

const shown = (v) => Number(v).toFixed(2).replace(/^-(0\.00)$/, '$1').replace('-', '−');

async function openFaq(options) {
  const page = await b.newPage(options);
  await page.goto(b.base + PAGE);
  return page;
}

/** Scrolls every widget into view and waits until each has its engine and has drawn. */
async function readyAll(page) {
  const tags = await page.locator('.prose .widget > *').evaluateAll((els) => els.map((e) => e.id));
  for (const id of tags) {
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    await page.waitForFunction((id) => document.getElementById(id)?.ready === true, id);
  }
  return tags;
}

test('the FAQ answers the five course.yaml questions in order, with stable ids the home page links to', async () => {
  const page = await openFaq();
  const heads = await page.locator('.prose h2').evaluateAll((hs) => hs.map((h) => ({ id: h.id, text: h.textContent.trim() })));
  assert.deepEqual(heads.map((h) => h.text), course.faq);
  assert.ok(heads.every((h) => /^[a-z][a-z0-9-]*$/.test(h.id)), JSON.stringify(heads));
  // the table of contents lists them in the same order
  const toc = await page.locator('.faq-toc a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
  assert.deepEqual(toc, heads.map((h) => [`#${h.id}`, h.text]));
  assert.ok(await page.locator('.sources li').count() >= 2);
  assert.deepEqual(page.problems, []);
  // the home page links each question to its anchor, and following one lands on it
  await page.goto(b.base + '/');
  const home = await page.locator('.faq-list a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
  assert.deepEqual(home, heads.map((h) => [`faq/#${h.id}`, h.text]));
  assert.equal(await page.locator('.faq-list .badge-soon').count(), 0);
  await page.locator('.faq-list a').nth(3).click();
  await page.waitForURL(`**/faq/#${heads[3].id}`);
  assert.equal(await page.evaluate(() => document.querySelector(':target')?.id), heads[3].id);
  assert.deepEqual(page.problems, []);
});

test('every widget on the page renders and shows the engine\'s numbers', async () => {
  const page = await openFaq();
  const ids = await readyAll(page);
  assert.equal(ids.length, 5);
  const text = (id) => page.locator(`#${id}`).evaluate((w) => ({
    notice: w.shadowRoot.querySelector('.notice')?.hidden === false ? w.shadowRoot.querySelector('.notice').textContent : '',
    body: w.shadowRoot.querySelector('.widget-body').textContent,
  }));
  for (const id of ids) assert.equal((await text(id)).notice, '', `${id} shows no notice`);
  const t = engine.trace({ tokens: ['the', 'cat', 'chased', 'the', 'mouse'], seed: 7, heads: 2 });
  const t1 = engine.trace({ tokens: ['the', 'cat', 'chased', 'the', 'mouse'], seed: 7 });
  // Q/K/V: the Q table holds the engine's Q
  const q = await page.locator('#faq-qkv').evaluate((w) => w.shadowRoot.textContent);
  assert.ok(t1.Q[1].every((v) => q.includes(short(v))), 'Q of "cat" is shown');
  // scaled scores
  const s = await page.locator('#faq-scale table.s tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
  assert.deepEqual(s, t.per_head[0].scaled.map((r) => r.map(shown)));
  // multi-head: the head-split widget runs 1 head, then 2 when asked, graded by its own checks
  const heads = page.locator('#faq-heads');
  assert.equal((await heads.evaluate((w) => w.check('heads-is', { count: 1 }))).correct, true);
  await heads.evaluate((w) => w.setAttribute('heads', '2'));
  assert.equal((await heads.evaluate((w) => w.check('heads-is', { count: 2 }))).correct, true);
  assert.equal((await text('faq-heads')).notice, '');
  // softmax of 2, 1, 0.1
  const p = Array.from(engine.softmax([2, 1, 0.1]));
  const soft = (await text('faq-softmax')).body;
  assert.ok(p.every((v) => soft.includes(`${(v * 100).toFixed(1)}%`)), soft.slice(0, 300));
  // path length: 7 RNN hops, 1 attention hop, and the engine's RNN influence
  const paths = (await text('faq-paths')).body;
  assert.match(paths, /RNN: 7 hops/);
  assert.match(paths, /Self-attention: 1 hop/);
  assert.ok(paths.includes('524,288'));
  assert.deepEqual(page.problems, []);
});

test('every lesson link on the page resolves inside the site', async () => {
  const page = await openFaq();
  const hrefs = await page.locator('.prose a[href*="lessons/"]').evaluateAll((as) => as.map((a) => a.href));
  assert.ok(hrefs.length >= 8, `${hrefs.length} lesson links`);
  for (const href of new Set(hrefs)) {
    assert.ok(href.startsWith(b.base), href);
    const res = await page.request.get(href);
    assert.equal(res.status(), 200, href);
  }
  // the source footnotes point at the Sources list
  const refs = await page.locator('.prose sup.fn-ref a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(refs.length >= 5);
  for (const r of new Set(refs)) assert.equal(await page.locator(r).count(), 1, r);
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe-core: no serious violations on the FAQ (${colorScheme})`, async () => {
    const page = await openFaq({ colorScheme });
    await readyAll(page);
    assert.deepEqual(await seriousViolations(page), []);
  });
}

test('a 360 px phone: the FAQ does not scroll sideways', async () => {
  const page = await openFaq({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await readyAll(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
  assert.deepEqual(page.problems, []);
});

test('faq.md validation: wrong order, missing ids, bad widget attributes and unknown lessons are errors', async () => {
  const text = await readFile(FAQ_MD, 'utf8');
  assert.deepEqual(validateFaqSource(text, 'faq.md', { course, widgets }).errors, []);
  const bad = text
    .replace('{#sqrt-dk}', '')
    .replace('n="12" from="2"', 'n="99" from="2"')
    .replace('../lessons/13-path-length/', '../lessons/13-wrong-slug/')
    .replace('What does softmax actually do', 'What does softmax do');
  const errors = validateFaqSource(bad, 'faq.md', { course, widgets }).errors.join('\n');
  assert.match(errors, /needs a stable id/);
  assert.match(errors, /<attn-path-length> n: 99 is outside the allowed range 2\.\.64/);
  assert.match(errors, /13-wrong-slug\/ does not name a lesson/);
  assert.match(errors, /question 5 must read exactly/);
});
