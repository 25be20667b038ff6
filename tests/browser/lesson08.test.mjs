// Lesson 8's widget in headless Chromium: <attn-row-softmax> shows the engine's scaled scores,
// weights and row sums, answers to keyboard, mouse and touch, masks before the softmax (before/after
// for the selected row), follows the temperature, checks a by-hand weight and survives bad
// attributes. The quiz, axe-core, 360 px and completion are checked for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, byHandView } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';

const LESSON = '/lessons/08-row-softmax/';
const TOKENS = ['the', 'cat', 'chased', 'the', 'mouse'];
let b, engine;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
});
after(() => b?.close());

const shown = (v, d = 2) => (v === null ? '−∞' : Number(v).toFixed(d).replace(/^-(0\.0+)$/, '$1').replace('-', '−'));
const trace = (extra = {}) => engine.trace({ tokens: TOKENS, seed: 7, heads: 2, positions: 'none', ...extra });
/** The weights as the widget shows them: the selected weight (the by-hand exercise) reads "?". */
const hiddenAt = (M, at) => byHandView(M, at, shown);
/** Row i's weights in the detail table (3 decimals), with "?" at the selected column j. */
const detailRow = (row, j) => row.map((v) => (Math.abs(v - row[j]) < 1e-9 ? '?' : shown(v, 3)));

/**
 * Opens the lesson at its main widget. The lesson shows every weight there (hide="byhand") and keeps
 * the by-hand exercise in a "Go deeper" copy; `byHand` puts the box back on the main widget, so the
 * tests below drive the exercise on the widget they read.
 */
async function openLesson(options, { byHand = true } = {}) {
  const page = await b.newPage(options);
  await page.goto(b.base + LESSON);
  await page.locator('#rows').scrollIntoViewIfNeeded();
  await page.locator('#rows table.weights td.cell').first().waitFor();
  if (byHand) await page.locator('#rows').evaluate((w) => w.removeAttribute('hide'));
  return page;
}

/** The head select, the mask toggle and the temperature slider redraw at the next animation frame. */
const frame = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));

/** A matrix table's cells as text, row by row (td.cell only). */
const cells = (page, cls) => page.locator(`#rows table.${cls} tbody tr`).evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td.cell')].map((td) => td.textContent)));
const sums = (page) => page.locator('#rows table.weights tbody td.sum').allTextContents();
const detail = (page) => page.locator('#rows table.rs-detail tbody tr').evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));

test('the widget shows the engine\'s scaled scores, weights and row sums', async () => {
  const page = await openLesson();
  const h = trace().per_head[0];
  assert.deepEqual(await cells(page, 'scores'), h.scaled.map((r) => r.map((v) => shown(v))));
  // the selected weight (row 2, column 1) is the by-hand exercise: "?" until the learner computes it
  assert.deepEqual(await cells(page, 'weights'), hiddenAt(h.weights, [1, 0]));
  const rowSums = engine.weightedSum(h.weights, h.weights.map(() => [1]));
  assert.deepEqual(await sums(page), Array.from(rowSums.data, (v) => shown(v, 3)));
  assert.deepEqual(await sums(page), Array(5).fill('1.000'));
  // the selected row (default: row 2, "cat") is drawn in the detail table with the engine's weights
  assert.match(await page.locator('#rows table.rs-detail caption').textContent(), /Row 2 \(cat\)/);
  assert.deepEqual((await detail(page)).slice(0, 5).map((r) => r[1]), detailRow(h.weights[1], 0));
  assert.equal(await page.locator('#rows .rs-chart .val').nth(0).textContent(), '?');
  // the deep link counts from 1, like the labels: head 1, row 2, column 1
  assert.deepEqual(await page.locator('#rows').evaluate((w) => [w.currentAttributes().head, w.currentAttributes().selected]), ['1', '2,1']);
  // head 2 through the select
  await page.locator('#rows select').selectOption('1');
  await frame(page);
  assert.deepEqual(await cells(page, 'weights'), hiddenAt(trace().per_head[1].weights, [1, 0]));
  assert.deepEqual(page.problems, []);
});

test('the lesson: the main widget shows every weight; the by-hand copy in "Go deeper" hides its weight, bar included', async () => {
  const page = await openLesson({}, { byHand: false });
  const h = trace().per_head[0];
  // main path: no "?" anywhere and no by-hand box (the exercise is off the main path)
  assert.deepEqual(await cells(page, 'weights'), h.weights.map((r) => r.map((v) => shown(v))));
  assert.equal(await page.locator('#rows .by-hand').isVisible(), false);
  assert.equal(await page.locator('#rows .rs-chart .bar').count(), 5);
  // the Go deeper copy: row 3 ("chased"), column 5 ("mouse") is the exercise
  await page.locator('details', { hasText: 'Compute a weight by hand' }).locator('summary').click();
  const copy = page.locator('#rows-by-hand');
  await copy.scrollIntoViewIfNeeded();
  await copy.locator('table.weights td.cell').first().waitFor();
  assert.equal(await copy.locator('table.weights td[data-row="2"][data-col="4"]').textContent(), '?');
  assert.match(await copy.locator('.by-hand label').textContent(), /row 3 \(chased\), column 5 \(mouse\)/);
  // its bar would give the value away: the chart draws no bar for it, only the "?"
  assert.equal(await copy.locator('.rs-chart .bar').count(), 4);
  assert.equal(await copy.locator('.rs-chart .val').nth(4).textContent(), '?');
  await copy.locator('.by-hand input').fill(h.weights[2][4].toFixed(3));
  await copy.locator('.by-hand button').click();
  assert.match(await copy.locator('.feedback').textContent(), /Correct/);
  assert.equal(await copy.locator('.rs-chart .bar').count(), 5);
  assert.equal(await copy.locator('.rs-chart .val').nth(4).textContent(), shown(h.weights[2][4]));
  assert.deepEqual(page.problems, []);
});

test('keyboard: arrow keys move the selection in both tables, the row detail follows', async () => {
  const page = await openLesson();
  const h = trace().per_head[0];
  const w = page.locator('#rows');
  await w.locator('table.weights td.cell[tabindex="0"]').focus();
  await page.keyboard.press('ArrowDown'); // (1,0) -> (2,0)
  await page.keyboard.press('End'); // -> (2,4)
  await page.keyboard.press('ArrowLeft'); // -> (2,3)
  const cell = w.locator('table.weights td.hl-cell');
  assert.equal(await cell.getAttribute('data-row'), '2');
  assert.equal(await cell.getAttribute('data-col'), '3');
  assert.equal(await cell.getAttribute('tabindex'), '0');
  assert.equal(await w.locator('table.weights td.row-hl').count(), 5);
  assert.equal(await w.locator('table.scores tbody tr').nth(2).locator('td.row-hl').count(), 5);
  assert.match(await w.locator('table.rs-detail caption').textContent(), /Row 3 \(chased\)/);
  assert.deepEqual((await detail(page)).slice(0, 5).map((r) => r[0]), h.scaled[2].map((v) => shown(v)));
  assert.match(await w.locator('.by-hand label').textContent(), /row 3 \(chased\), column 4 \(the 4\)/);
  // the scores table has its own roving tab stop on the same cell
  await w.locator('table.scores td.cell[tabindex="0"]').focus();
  await page.keyboard.press('ArrowUp');
  assert.match(await w.locator('table.rs-detail caption').textContent(), /Row 2 \(cat\)/);
  assert.equal(await w.locator('table.scores td.hl-cell').getAttribute('data-row'), '1');
  assert.deepEqual(page.problems, []);
});

test('mouse: hovering previews a row, leaving restores the selection, clicking selects', async () => {
  const page = await openLesson();
  const w = page.locator('#rows');
  await w.locator('table.scores td[data-row="4"][data-col="2"]').hover();
  assert.match(await w.locator('table.rs-detail caption').textContent(), /Row 5 \(mouse\)/);
  await w.locator('.controls').hover();
  assert.match(await w.locator('table.rs-detail caption').textContent(), /Row 2 \(cat\)/);
  await w.locator('table.weights td[data-row="3"][data-col="1"]').click();
  assert.match(await w.locator('table.rs-detail caption').textContent(), /Row 4 \(the 4\)/);
  assert.match(await w.locator('.by-hand label').textContent(), /row 4 \(the 4\), column 2 \(cat\)/);
  assert.equal(await w.locator('.rs-chart .bar').count(), 4, 'the weight to compute by hand has no bar');
});

test('causal mask: −∞ before the softmax, exact zeros, renormalised rows, before/after for the selected row', async () => {
  const page = await openLesson();
  const plain = trace().per_head[0], masked = trace({ causal: true }).per_head[0];
  const w = page.locator('#rows');
  const changes = [];
  await page.exposeFunction('recordChange', (d) => changes.push(d));
  await page.evaluate(() => document.querySelector('#rows').addEventListener('change', (e) => window.recordChange(e.detail)));
  await w.locator('.controls input[type=checkbox]').check();
  await frame(page);
  assert.equal(changes.at(-1).causal, true);
  assert.deepEqual(await cells(page, 'scores'), masked.masked.map((r) => r.map((v) => shown(v))));
  assert.equal((await cells(page, 'scores'))[0][4], '−∞');
  assert.deepEqual(await cells(page, 'weights'), hiddenAt(masked.weights, [1, 0]));
  assert.deepEqual(await sums(page), Array(5).fill('1.000'));
  await w.locator('table.weights td[data-row="2"][data-col="0"]').click();
  const rows = await detail(page);
  assert.deepEqual(rows.slice(0, 5).map((r) => r[1]), plain.weights[2].map((v) => shown(v, 3)), 'no-mask column');
  assert.deepEqual(rows.slice(0, 5).map((r) => r[2]), detailRow(masked.weights[2], 0), 'masked column, the by-hand weight hidden');
  assert.deepEqual(rows[5].slice(1), ['1.000', '1.000']);
  assert.equal(await w.locator('.rs-chart .bar.before').count(), 5);
  // the summary quotes what zeroing after the softmax would have left (from the engine)
  const kept = engine.weightedSum([plain.weights[2]], [[1], [1], [1], [0], [0]]).data[0];
  const summary = await w.locator('.rs-summary').textContent();
  assert.match(summary, /columns 4 and 5 lie in its future/);
  assert.ok(summary.includes(`summing to ${shown(kept, 3)}`), summary);
  assert.deepEqual(page.problems, []);
});

test('temperature: the slider divides each row before the softmax', async () => {
  const page = await openLesson();
  const w = page.locator('#rows');
  const slider = w.locator('input[type=range]');
  await slider.focus();
  await page.keyboard.press('Home'); // T = 0.1
  await frame(page);
  assert.equal(await w.locator('.temp-value').textContent(), '0.1');
  assert.deepEqual(await cells(page, 'weights'), hiddenAt(trace({ temperature: 0.1 }).per_head[0].weights, [1, 0]));
  for (let k = 0; k < 4; k++) await page.keyboard.press('ArrowRight'); // T = 0.5
  await frame(page);
  assert.deepEqual(await cells(page, 'weights'), hiddenAt(trace({ temperature: 0.5 }).per_head[0].weights, [1, 0]));
  assert.deepEqual(await sums(page), Array(5).fill('1.000'));
});

test('the by-hand weight is checked by the engine', async () => {
  const page = await openLesson();
  const h = trace().per_head[0];
  const w = page.locator('#rows');
  const input = w.locator('.by-hand input');
  await input.fill('half');
  await w.locator('.by-hand button').click();
  assert.match(await w.locator('.feedback').textContent(), /is not a number/);
  await input.fill('0.9');
  await w.locator('.by-hand button').click();
  const wrong = await w.locator('.feedback').textContent();
  assert.match(wrong, /Not quite\. Exponentiate every visible score/);
  assert.ok(!wrong.includes(h.weights[1][0].toFixed(2)), `"${wrong}" gives the weight away`);
  // typing the score itself, or its exponential, gets a hint about the missing step
  const score = Number(h.scaled[1][0].toFixed(2));
  await input.fill(String(score));
  await w.locator('.by-hand button').click();
  assert.match(await w.locator('.feedback').textContent(), /That is the score itself/);
  await input.fill(Math.exp(score).toFixed(3));
  await w.locator('.by-hand button').click();
  assert.match(await w.locator('.feedback').textContent(), /That is e\^score for this column/);
  // before the right answer the weight shows nowhere: table, chart and detail read "?"
  const cell = w.locator('table.weights td[data-row="1"][data-col="0"]');
  assert.equal(await cell.textContent(), '?');
  assert.equal((await detail(page))[0][1], '?');
  await input.fill(h.weights[1][0].toFixed(3)); // default cell: selected="2,1", row 2, column 1
  await w.locator('.by-hand button').click();
  assert.match(await w.locator('.feedback').textContent(), /Correct/);
  assert.equal(await cell.textContent(), shown(h.weights[1][0]));
  assert.equal((await detail(page))[0][1], shown(h.weights[1][0], 3));
  assert.equal(await w.locator('.rs-chart .val').nth(0).textContent(), shown(h.weights[1][0]));
  // another temperature is a new exercise: hidden again
  await w.locator('input[type=range]').focus();
  await page.keyboard.press('ArrowRight');
  await frame(page);
  assert.equal(await cell.textContent(), '?');
});

test('bad attributes show a notice and the widget still renders defaults; no HTML is injected', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-row-softmax');
    w.id = 'bad';
    w.setAttribute('sentence', '<img src=x onerror="window.pwned=1"> cat');
    w.setAttribute('temperature', '0');
    w.setAttribute('causal', 'maybe');
    w.setAttribute('selected', '9,9');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await w.locator('table.weights td.cell').first().waitFor();
  const notice = await w.locator('.notice').textContent();
  assert.match(notice, /sentence: "<img" is not a word/);
  assert.match(notice, /temperature: 0 is outside the allowed range/);
  assert.match(notice, /causal: "maybe" must be true or false/);
  assert.match(notice, /selected: 9,9 is outside the 5x5 matrix/);
  assert.equal(await w.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(await w.locator('table.weights tbody td.sum').allTextContents(), Array(5).fill('1.000'));
  await page.evaluate(() => document.querySelector('#bad').setAttribute('heads', '3'));
  await page.waitForFunction(() => /heads: 3 does not divide d_model = 8/.test(document.querySelector('#bad').shadowRoot.querySelector('.notice').textContent));
  assert.equal(await w.locator('table.weights tbody tr').count(), 5);
});

test('a 360 px phone: tapping a cell selects its row', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const w = page.locator('#rows');
  await w.locator('table.weights td[data-row="4"][data-col="0"]').tap();
  assert.match(await w.locator('table.rs-detail caption').textContent(), /Row 5 \(mouse\)/);
  // both tables fit the phone: the table box does not scroll sideways either
  const inner = await w.evaluate((el) => { const s = el.shadowRoot.querySelector('.scroll'); return s.scrollWidth - s.clientWidth; });
  assert.ok(inner <= 0, `the tables overflow their box by ${inner}px`);
  assert.deepEqual(page.problems, []);
});
