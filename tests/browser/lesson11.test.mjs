// Lesson 11's widget in headless Chromium: <attn-head-shapes> shows the course model's matrices for
// one layer with their shapes, highlights a head by keyboard, mouse and touch, shows the engine's
// numbers (attention, head output, the concat·W_O = sum of per-head parts panel), flags unknown
// words, and shows notices for bad attributes. The quiz, axe-core, 360 px and completion are checked
// for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';

const LESSON = '/lessons/11-split-concat/';
const TAG = 'attn-head-shapes';
const SENT = ['the', 'cat', 'chased', 'the', 'mouse'];
let b, engine, model;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
  model = await engine.loadModel();
});
after(() => b?.close());

const shown = (v) => Number(v).toFixed(2).replace(/^-(0\.00)$/, '$1').replace('-', '−');

async function openLesson(options) {
  const page = await b.newPage(options);
  await page.goto(b.base + LESSON);
  await page.locator(`${TAG}#shapes`).scrollIntoViewIfNeeded();
  await page.locator(`${TAG}#shapes .hsh-stage`).first().waitFor();
  return page;
}
const W = (page) => page.locator(`${TAG}#shapes`);
// a sentence or layer change is drawn at the next animation frame: read after it
const frame = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
const tableRows = (loc) => loc.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
const stage = (page, i) => W(page).locator('.hsh-stage').nth(i);
async function openNumbers(page, i) {
  const det = stage(page, i).locator('details');
  if (!(await det.evaluate((d) => d.open))) await det.locator('summary').click();
  // the table is built on the toggle event: wait for its first row rather than race it
  await det.locator('table.matrix tbody tr').first().waitFor();
  return det.locator('table.matrix');
}

test('shapes are printed and the numbers match the engine\'s model trace (layer 1, head 1)', async () => {
  const page = await openLesson();
  const shapes = await W(page).locator('.hsh-head .shape').allTextContents();
  assert.deepEqual(shapes.slice(0, 7), ['5 × 64', '5 × 64 → 4 blocks of 5 × 16', '4 × (5 × 5)', '4 × (5 × 16)', '5 × 64', '64 × 64', '5 × 64']);
  const t = model.trace(SENT, { detail: 0 });
  assert.deepEqual(await tableRows(await openNumbers(page, 2)), t.attention[0][0].map((r) => r.map(shown)));
  assert.deepEqual(await tableRows(await openNumbers(page, 3)), t.detail.heads[0].output.map((r) => r.map(shown)));
  assert.deepEqual(await tableRows(await openNumbers(page, 1)), t.detail.heads[0].Q.map((r) => r.map(shown)));
  // the heads-add-up panel for token 3: per-head parts, their sum and concat·W_O from the engine
  const d = t.detail, dk = 16, rowOf = (m) => Array.from(m.data);
  const parts = d.heads.map((h, k) => rowOf(engine.project([h.output[2]], d.W_o.slice(k * dk, (k + 1) * dk))));
  const direct = rowOf(engine.project([d.concat[2]], d.W_o));
  const sumRows = await tableRows(W(page).locator('table.hsh-sumt'));
  assert.equal(sumRows.length, 6);
  parts.forEach((p, k) => assert.deepEqual(sumRows[k], p.map(shown)));
  assert.deepEqual(sumRows[5], direct.map(shown));
  assert.deepEqual(sumRows[4], direct.map(shown));
  assert.match(await W(page).locator('.hsh-match').textContent(), /^64 of 64 entries/);
  assert.deepEqual(page.problems, []);
});

test('keyboard: arrow keys move the highlighted head, the layer select changes the layer', async () => {
  const page = await openLesson();
  await W(page).locator('#hsh-h1').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await W(page).evaluate((w) => w.currentValues().head), 3);
  assert.equal(await W(page).locator('.hsh-stage').nth(1).locator('rect.blk.on').getAttribute('data-head'), '2');
  assert.equal(await W(page).locator('.hsh-stage').nth(5).locator('rect.blk.on').getAttribute('data-head'), '2');
  assert.equal(await W(page).locator('figure.hsh-mini.on').first().getAttribute('data-head'), '2');
  assert.equal((await W(page).evaluate((w) => w.check('head-highlighted', { head: 3 }))).correct, true);
  await W(page).locator('#hsh-layer').focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('#shapes').currentValues().layer === 2);
  // layer 2 is drawn once its trace pack has arrived (fetched when the layer is first shown)
  await page.waitForFunction(() => /layer 2 of 3/.test(document.querySelector('#shapes').shadowRoot.querySelector('p.sentence').textContent));
  await frame(page);
  const t = model.trace(SENT, { detail: 1 });
  assert.deepEqual(await tableRows(await openNumbers(page, 2)), t.attention[1][2].map((r) => r.map(shown)));
  // the token select (keyboard) changes the sum panel's row
  await W(page).locator('#hsh-token').focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('#shapes').currentValues().token === 4);
  assert.match(await W(page).locator('table.hsh-sumt caption').textContent(), /Row 4/);
});

test('mouse: hovering a head block previews it, clicking a head label selects it', async () => {
  const page = await openLesson();
  const blk = W(page).locator('.hsh-stage').nth(4).locator('rect.blk[data-head="3"]');
  await blk.hover();
  assert.equal(await W(page).locator('.hsh-stage').nth(1).locator('rect.blk.on').getAttribute('data-head'), '3');
  await page.mouse.move(0, 0);
  assert.equal(await W(page).locator('.hsh-stage').nth(1).locator('rect.blk.on').getAttribute('data-head'), '0');
  await W(page).locator('label[for="hsh-h2"]').click();
  assert.equal(await W(page).evaluate((w) => w.currentValues().head), 2);
});

test('a typed sentence with an unknown word is run with it masked and flagged; presets work', async () => {
  const page = await openLesson();
  await W(page).locator('#hsh-text').fill('the zorblat cat sleeps');
  await W(page).locator('form.hsh-sentence button').click();
  await page.waitForFunction(() => /not in the vocabulary, sent as \[MASK\]: zorblat/.test(document.querySelector('#shapes').shadowRoot.querySelector('p.sentence').textContent));
  assert.equal(await W(page).locator('.hsh-head .shape').first().textContent(), '4 × 64');
  await W(page).locator('#hsh-text').fill('<img src=x>');
  await W(page).locator('form.hsh-sentence button').click();
  await frame(page);
  // Punctuation is stripped with a notice (as in the gallery and the game); the words still run.
  assert.match(await W(page).locator('.hsh-status').textContent(), /^Removed “<” “=” “>”: the model reads words only\.$/);
  assert.equal(await W(page).locator('img').count(), 0);
  await W(page).locator('#hsh-preset').selectOption('a big dog saw the small bird');
  await page.waitForFunction(() => document.querySelector('#shapes').currentValues().sentence.length === 7);
  await frame(page);
  assert.equal(await W(page).locator('.hsh-head .shape').first().textContent(), '7 × 64');
});

test('bad attributes show a notice and the widget renders defaults', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-head-shapes');
    w.id = 'bad';
    w.setAttribute('layer', '9');
    w.setAttribute('head', 'two');
    w.setAttribute('sentence', 'the <b>cat</b>');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await w.locator('.hsh-stage').first().waitFor();
  const notice = await w.locator('.notice').first().textContent();
  assert.match(notice, /layer: 9 is outside the allowed range 1\.\.3/);
  assert.match(notice, /head: "two" is not a number/);
  assert.match(notice, /sentence: "<b>cat<\/b>" is not a word/);
  assert.equal(await w.locator('b').count(), 0);
  assert.deepEqual(await w.evaluate((el) => el.currentValues()), { sentence: SENT, layer: 1, head: 1, token: 3 });
  // token beyond the sentence: a note, token 1
  await page.evaluate(() => document.querySelector('#bad').setAttribute('token', '12'));
  await page.waitForFunction(() => /token: 12 is beyond/.test(document.querySelector('#bad').shadowRoot.querySelector('.notice').textContent));
});

test('a 360 px phone: tapping a head label highlights it', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await W(page).locator('label[for="hsh-h4"]').tap();
  assert.equal(await W(page).evaluate((w) => w.currentValues().head), 4);
  assert.deepEqual(page.problems, []);
});

test('a 360 px phone is told that the wide diagrams scroll sideways; a desktop is not', async () => {
  for (const [width, shown] of [[360, true], [1280, false]]) {
    const page = await b.newPage({ viewport: { width, height: 800 } });
    await page.goto(b.base + LESSON);
    const w = page.locator(TAG);
    await w.scrollIntoViewIfNeeded();
    await w.locator('.hsh-stage').first().waitFor();
    assert.equal(await w.locator('.hsh-narrow').isVisible(), shown, `${width} px`);
    if (shown) {
      const over = await w.locator('.hsh-visual').first().evaluate((d) => d.scrollWidth > d.clientWidth);
      assert.ok(over, 'the hint is shown because a diagram really is wider than its card');
    }
    await page.context().close();
  }
});
