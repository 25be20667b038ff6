// Lesson 7's widget in headless Chromium: <attn-score-matrix> shows the engine's numbers, answers to
// keyboard, mouse and touch, checks a score computed by hand, and gives a notice for bad attributes.
// The quiz, axe-core, 360 px and completion are checked for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';

const LESSON = '/lessons/07-pairwise-scores/';
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
  await page.locator('attn-score-matrix').scrollIntoViewIfNeeded();
  await page.locator('attn-score-matrix table.s td.cell').first().waitFor();
  return page;
}

/** The S table as text, row by row. */
const sTable = (page) => page.locator('attn-score-matrix table.s tbody tr').evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));

test('the widget shows the engine\'s Q, K^T and S for the default sentence', async () => {
  const page = await openLesson();
  const t = engine.trace({ tokens: ['the', 'cat', 'chased', 'the', 'mouse'], seed: 7, heads: 2, positions: 'none' });
  assert.deepEqual(await sTable(page), t.per_head[0].scores.map((r) => r.map(shown)));
  const q = await page.locator('attn-score-matrix table.q tbody tr').first().locator('td').allTextContents();
  assert.deepEqual(q, t.per_head[0].Q[0].map(shown));
  // head 2 through the select
  await page.locator('attn-score-matrix select').selectOption('1');
  assert.deepEqual(await sTable(page), t.per_head[1].scores.map((r) => r.map(shown)));
  assert.deepEqual(page.problems, []);
});

test('keyboard moves the selection and the explanation follows; scaling divides by sqrt(d_k)', async () => {
  const page = await openLesson();
  const t = engine.trace({ tokens: ['the', 'cat', 'chased', 'the', 'mouse'], seed: 7, heads: 2 });
  const w = page.locator('attn-score-matrix');
  await w.locator('table.s td.cell[tabindex="0"]').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight'); // from (0,1) to (1,3)
  const focused = w.locator('table.s td.hl-cell');
  assert.equal(await focused.getAttribute('data-row'), '1');
  assert.equal(await focused.getAttribute('data-col'), '3');
  assert.equal(await focused.getAttribute('tabindex'), '0');
  assert.match(await w.locator('.explain').textContent(), new RegExp(`S\\[cat, the 4\\].*= ${shown(t.per_head[0].scores[1][3]).replace('.', '\\.')}`));
  // the highlighted Q row is row 1 (cat) and the K^T column is column 3
  assert.equal(await w.locator('table.q tbody tr').nth(1).locator('td.hl').count(), 4);
  assert.equal(await w.locator('table.kt td.hl[data-col="3"]').count(), 4);
  await w.locator('input[type=checkbox]').check();
  const scaled = await sTable(page);
  assert.deepEqual(scaled, t.per_head[0].scaled.map((r) => r.map(shown)));
  assert.equal(scaled[1][3], shown(t.per_head[0].scores[1][3] / 2));
});

test('mouse: hovering previews a cell, clicking selects it', async () => {
  const page = await openLesson();
  const w = page.locator('attn-score-matrix');
  const cell = w.locator('table.s td[data-row="4"][data-col="2"]');
  await cell.hover();
  assert.equal(await w.locator('table.q tbody tr').nth(4).locator('td.hl').count(), 4);
  await cell.click();
  assert.match(await w.locator('.explain').textContent(), /S\[mouse, chased\]/);
  assert.match(await w.locator('.by-hand label').textContent(), /row 5, column 3/);
});

test('the by-hand box is checked by the engine', async () => {
  const page = await openLesson();
  const t = engine.trace({ tokens: ['the', 'cat', 'chased', 'the', 'mouse'], seed: 7, heads: 2 });
  const w = page.locator('attn-score-matrix');
  const input = w.locator('.by-hand input');
  await input.fill('seven');
  await w.locator('.by-hand button').click();
  assert.match(await w.locator('.feedback').textContent(), /is not a number/);
  await input.fill('123');
  await w.locator('.by-hand button').click();
  assert.match(await w.locator('.feedback').textContent(), /Not quite/);
  await input.fill(t.per_head[0].scores[0][1].toFixed(3));
  await w.locator('.by-hand button').click();
  assert.match(await w.locator('.feedback').textContent(), /Correct/);
});

test('bad attributes show a notice and the widget still renders defaults; no HTML is injected', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-score-matrix');
    w.id = 'bad';
    w.setAttribute('sentence', '<img src=x onerror="window.pwned=1"> cat');
    w.setAttribute('heads', 'NaN');
    w.setAttribute('seed', '-4');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded(); // widgets start when they near the viewport
  await w.locator('table.s td.cell').first().waitFor();
  const notice = await w.locator('.notice').textContent();
  assert.match(notice, /sentence: "<img" is not a word/);
  assert.match(notice, /heads: "NaN" is not a number/);
  assert.match(notice, /seed: -4 is outside the allowed range/);
  assert.equal(await w.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await w.locator('table.s tbody tr').count(), 5);
  // heads = 3 passes the attribute check but not the engine's: its message is shown
  await page.evaluate(() => document.querySelector('#bad').setAttribute('heads', '3'));
  await page.waitForFunction(() => /heads: 3 does not divide d_model = 8/.test(document.querySelector('#bad').shadowRoot.querySelector('.notice').textContent));
});

test('a 360 px phone: tapping a score cell explains it', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await page.locator('attn-score-matrix table.s td[data-row="2"][data-col="0"]').tap();
  assert.match(await page.locator('attn-score-matrix .explain').textContent(), /S\[chased, the 1\]/);
});
