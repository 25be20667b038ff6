// Lesson 10's widget in headless Chromium: <attn-head-split> shows the engine's weights and outputs
// for 1 and 2 heads, answers to keyboard, mouse and touch, renders web/model/ablation.json exactly,
// and shows notices for bad attributes. The quiz, axe-core, 360 px and completion are checked for
// every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startBrowser } from './browser.mjs';
import { trainerWaitsForPlay } from './train-live-lazy.mjs';
import { loadEngine } from '../../web/core/engine.js';
import { HeadSplit } from '../../web/widgets/head-split.js';

const LESSON = '/lessons/10-many-heads/';
const TAG = 'attn-head-split';
let b, engine;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
});
after(() => b?.close());

const shown = (v) => Number(v).toFixed(2).replace(/^-(0\.00)$/, '$1').replace('-', '−');

async function openLesson(options) {
  const page = await b.newPage(options);
  await page.goto(b.base + LESSON);
  await page.locator(`${TAG}#split`).scrollIntoViewIfNeeded();
  await page.locator(`${TAG}#split table.hs-w td.cell`).first().waitFor();
  return page;
}
const cells = (page, cls) => page.locator(`${TAG}#split table.${cls} tbody tr`).evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
/** What the widget should show for a state, straight from the engine in node. */
function expected(heads, sharpness) {
  const t = engine.trace(HeadSplit.scenario(heads, sharpness));
  // the weights table: one row per key token, one column per head
  return { w: [0, 1, 2, 3, 4].map((j) => t.per_head.map((h) => shown(h.weights[2][j]))), v: [t.V[1], t.V[4], t.output[2]].map((r) => r.map(shown)) };
}

test('the widget shows the engine\'s weights and output for 1 head, then 2 heads via the keyboard', async () => {
  const page = await openLesson();
  let e = expected(1, 1);
  assert.deepEqual(await cells(page, 'hs-w'), e.w);
  assert.deepEqual(await cells(page, 'hs-v'), e.v);
  // one head: "dog" and "cat" share the weight evenly (a blend)
  assert.equal(e.w[1][0], e.w[4][0]);
  assert.match(await page.locator(`${TAG} .hs-verdict`).textContent(), /a blend of both/);
  // keyboard: arrow from the 1-head radio to the 2-head radio, then sharpen with the slider
  await page.locator(`${TAG} #hs-h1`).focus();
  await page.keyboard.press('ArrowRight');
  e = expected(2, 1);
  assert.deepEqual(await cells(page, 'hs-w'), e.w);
  assert.deepEqual(await cells(page, 'hs-v'), e.v);
  await page.locator(`${TAG} #hs-sharp`).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  e = expected(2, 1.5);
  assert.deepEqual(await cells(page, 'hs-w'), e.w);
  assert.match(await page.locator(`${TAG} .hs-sharp-val`).textContent(), /^1\.50/);
  assert.match(await page.locator(`${TAG} .hs-verdict`).textContent(), /fetched cleanly.*fetched cleanly/s);
  assert.deepEqual(await page.locator(`${TAG}#split`).evaluate((w) => w.currentValues()), { heads: 2, sharpness: 1.5 });
  assert.deepEqual(page.problems, []);
});

test('mouse: clicking the labels switches heads, clicking the slider track sets the sharpness; change events fire', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    window.changes = [];
    document.querySelector('#split').addEventListener('change', (e) => window.changes.push(e.detail));
  });
  const w = page.locator(`${TAG}#split`);
  await w.locator('label[for="hs-h2"]').click();
  assert.deepEqual((await cells(page, 'hs-w')).map((r) => r.length), [2, 2, 2, 2, 2]);
  const box = await w.locator('#hs-sharp').boundingBox();
  await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
  assert.deepEqual(await cells(page, 'hs-w'), expected(2, 4).w);
  await w.locator('label[for="hs-h1"]').click();
  assert.deepEqual(await cells(page, 'hs-w'), expected(1, 4).w);
  const changes = await page.evaluate(() => window.changes);
  assert.ok(changes.length >= 3);
  assert.deepEqual(changes.at(-1).heads, 1);
  // cost table: arithmetic on sizes; equal totals for 1 and 2 heads
  const total = await w.locator('table.hs-cost tr.total td').allTextContents();
  assert.equal(total[0], total[1]);
  assert.equal(total[2], total[3]);
});

test('the ablation table shows exactly the numbers in web/model/ablation.json, beside Table 3 (A)', async () => {
  const page = await openLesson();
  const a = JSON.parse(await readFile(new URL('../../web/model/ablation.json', import.meta.url), 'utf8'));
  const w = page.locator(`${TAG}#split`);
  await w.locator('table.hs-ev.ours tbody tr').first().waitFor();
  const rows = await w.locator('table.hs-ev.ours tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    heads: tr.dataset.heads, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })));
  assert.equal(rows.length, a.summary.length);
  a.summary.forEach((s, i) => {
    assert.equal(rows[i].heads, String(s.heads));
    const perSeed = a.runs.filter((r) => r.heads === s.heads).map((r) => `seed ${r.seed}: ${r.heldout_loss.toFixed(4)}`).join(', ');
    assert.deepEqual(rows[i].cells, [String(s.d_k), s.heldout_loss_mean.toFixed(4), `± ${s.heldout_loss_sd.toFixed(4)}`, perSeed, s.heldout_accuracy_mean.toFixed(4)]);
  });
  const best = a.summary.reduce((x, r) => (r.heldout_loss_mean < x.heldout_loss_mean ? r : x));
  assert.match(await w.locator('table.hs-ev.ours tr.best th').textContent(), new RegExp(`^${best.heads} \\(best\\)`));
  const theirs = await w.locator('table.hs-ev.theirs tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
  assert.equal(theirs.length, 5);
  assert.match(theirs[4], /^3216.*5\.01.*25\.4/);
});

test('bad attributes show a notice and the widget renders defaults; no HTML is injected', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-head-split');
    w.id = 'bad';
    w.setAttribute('heads', '3');
    w.setAttribute('sharpness', '<b>x</b>');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await w.locator('table.hs-w td.cell').first().waitFor();
  const notice = await w.locator('.notice').first().textContent();
  assert.match(notice, /heads: 3 is outside the allowed range 1\.\.2/);
  assert.match(notice, /sharpness: "<b>x<\/b>" is not a number/);
  assert.equal(await w.locator('b').count(), 0);
  assert.equal(await w.locator('table.hs-w thead th').count(), 1);
  assert.deepEqual(await w.evaluate((el) => el.currentValues()), { heads: 1, sharpness: 1 });
});

test('a 360 px phone: tapping switches heads', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await page.locator(`${TAG}#split label[for="hs-h2"]`).tap();
  assert.deepEqual(await cells(page, 'hs-w'), expected(2, 1).w);
  // the weights and values tables fit: no key column ("cat" last) is cut off behind a sideways scroll
  const overflow = await page.locator(`${TAG}#split`).evaluate((w) => [...w.shadowRoot.querySelectorAll('.hs-panel')]
    .map((p) => p.scrollWidth - p.clientWidth));
  assert.deepEqual(overflow, [0, 0]);
  const cat = await page.locator(`${TAG}#split table.hs-w tbody tr:last-child td`).last().boundingBox();
  assert.ok(cat.x + cat.width <= 360, `the "cat" row ends at ${cat.x + cat.width}px`);
  assert.deepEqual(page.problems, []);
});

test('the live trainer loads nothing until Play (the page stays light); Play then loads it and trains', async () => {
  await trainerWaitsForPlay(b, LESSON);
});
