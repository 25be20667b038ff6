// Lesson 9's widget in headless Chromium: <attn-weighted-sum> shows the engine's output O = A·V, the
// selected row's weights beside V, each token's contribution (weight row masked to one token, times
// V, by the engine) and the tokens sorted by share; it answers to keyboard, mouse and touch, checks a
// by-hand output entry and survives bad attributes. The quiz, axe-core, 360 px and completion are
// checked for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';

const LESSON = '/lessons/09-weighted-values/';
const TOKENS = ['the', 'cat', 'chased', 'the', 'mouse'];
let b, engine;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
});
after(() => b?.close());

const shown = (v, d = 2) => Number(v).toFixed(d).replace(/^-(0\.0+)$/, '$1').replace('-', '−');
const trace = (extra = {}) => engine.trace({ tokens: TOKENS, seed: 7, heads: 2, positions: 'none', ...extra });
/** Token j's contribution to output row i, from the engine: the weight row with only entry j kept, times V. */
const contribution = (h, i, j) => Array.from(engine.weightedSum([h.weights[i].map((w, m) => (m === j ? w : 0))], h.V).data);

/** A head or mask switch redraws at the next animation frame. */
const frame = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));

async function openLesson(options) {
  const page = await b.newPage(options);
  await page.goto(b.base + LESSON);
  await page.locator('attn-weighted-sum').scrollIntoViewIfNeeded();
  await page.locator('attn-weighted-sum table.out td.cell').first().waitFor();
  return page;
}

const rowsOf = (page, sel, cellSel = 'td') => page.locator(`attn-weighted-sum ${sel} tbody tr`).evaluateAll((rows, cs) =>
  rows.map((r) => [...r.querySelectorAll(cs)].map((td) => td.textContent)), cellSel);

/**
 * Checks every number the widget shows for output row i against the engine. The by-hand entry (the
 * selected row and dimension, counted from 1 in the attributes) reads "?" until it is solved
 * (`solved`), and so does any equal entry of its column (the two "the" rows are twins).
 */
async function assertRow(page, h, i, solved = false) {
  const w = page.locator('attn-weighted-sum');
  const values = await w.evaluate((el) => el.currentValues());
  const row = values.row - 1, dim = values.dim - 1;
  const hidden = (r, k) => !solved && k === dim && (r === row || Math.abs(h.output[r][k] - h.output[row][k]) < 1e-9);
  assert.deepEqual(await rowsOf(page, 'table.out', 'td.cell'), h.output.map((r, m) => r.map((v, k) => (hidden(m, k) ? '?' : shown(v)))));
  assert.deepEqual(await rowsOf(page, 'table.wv', 'td.cell'), h.V.map((r, j) => [shown(h.weights[i][j], 3), ...r.map((v) => shown(v))]));
  const contrib = await rowsOf(page, 'table.ws-contrib');
  const n = h.weights.length;
  for (let j = 0; j < n; j++) assert.deepEqual(contrib[j], contribution(h, i, j).map((v) => shown(v, 3)), `contribution of token ${j + 1}`);
  assert.deepEqual(contrib[n], h.output[i].map((v, k) => (hidden(i, k) ? '?' : shown(v, 3))), 'the contributions add up to the output row');
  const order = h.weights[i].map((_, j) => j).sort((p, q) => h.weights[i][q] - h.weights[i][p] || p - q);
  const shares = await w.locator('.ws-shares li').evaluateAll((lis) => lis.map((li) => [li.dataset.token, li.querySelector('.share').textContent]));
  assert.deepEqual(shares, order.map((j) => [String(j), `${shown(h.weights[i][j] * 100, 1)}%`]));
}

test('the widget shows the engine\'s output, weights, value rows and per-token contributions', async () => {
  const page = await openLesson();
  const h = trace().per_head[0];
  await assertRow(page, h, 0);
  // "the" 1 and "the" 4 have the same output row: the twin of the by-hand entry is hidden too
  assert.equal(await page.locator('attn-weighted-sum table.out td[data-row="3"][data-col="0"]').textContent(), '?');
  assert.equal(await page.locator('#blend').evaluate((el) => el.currentAttributes().head), '1', 'the deep link counts heads from 1');
  assert.equal(await page.locator('attn-weighted-sum .ws-picker button[aria-checked="true"]').textContent(), '1 the');
  // head 2 through the select
  await page.locator('attn-weighted-sum .controls select').selectOption('1');
  await frame(page);
  await assertRow(page, trace().per_head[1], 0);
  assert.deepEqual(page.problems, []);
});

test('keyboard: the token buttons and the output matrix move the selection', async () => {
  const page = await openLesson();
  const h = trace().per_head[0];
  const w = page.locator('attn-weighted-sum');
  await w.locator('.ws-picker button[tabindex="0"]').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await w.locator('.ws-picker button[aria-checked="true"]').getAttribute('data-row'), '2');
  assert.equal(await page.evaluate(() => document.querySelector('attn-weighted-sum').shadowRoot.activeElement.dataset.row), '2');
  await assertRow(page, h, 2);
  await page.keyboard.press('End');
  assert.match(await w.locator('.ws-blend h3').textContent(), /Output row 5 \(mouse\)/);
  // the output matrix: roving focus, arrows move the row and the dimension
  await w.locator('table.out td.cell[tabindex="0"]').focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowRight');
  const cell = w.locator('table.out td.hl-cell');
  assert.equal(await cell.getAttribute('data-row'), '3');
  assert.equal(await cell.getAttribute('data-col'), '1');
  assert.match(await w.locator('.by-hand label[for]').textContent(), /output row 4 \(the 4\), dimension 2/);
  assert.equal(await w.locator('.by-hand select').inputValue(), '1');
  await assertRow(page, h, 3);
  assert.deepEqual(page.problems, []);
});

test('mouse: hovering the output previews a row, clicking selects; hovering a token marks its bar pieces', async () => {
  const page = await openLesson();
  const w = page.locator('attn-weighted-sum');
  await w.locator('table.out td[data-row="4"][data-col="0"]').hover();
  assert.match(await w.locator('.ws-blend h3').textContent(), /Output row 5/);
  await w.locator('.controls').hover();
  assert.match(await w.locator('.ws-blend h3').textContent(), /Output row 1/);
  await w.locator('table.out td[data-row="1"][data-col="3"]').click();
  assert.match(await w.locator('.ws-blend h3').textContent(), /Output row 2 \(cat\)/);
  assert.equal(await w.locator('.ws-picker button[aria-checked="true"]').getAttribute('data-row'), '1');
  assert.match(await w.locator('.by-hand label[for]').textContent(), /dimension 4/);
  await w.locator('.ws-picker button[data-row="2"]').click();
  assert.match(await w.locator('.ws-blend h3').textContent(), /Output row 3 \(chased\)/);
  await w.locator('.ws-shares li[data-token="4"]').hover();
  assert.equal(await w.locator('.ws-chart.marking').count(), 1);
  assert.ok(await w.locator('.ws-chart .seg.marked').count() >= 1);
  assert.equal(await w.locator('.ws-chart .seg.marked[data-token="4"]').count(), await w.locator('.ws-chart .seg.marked').count());
});

test('causal mask: the first output row is exactly its own value row', async () => {
  const page = await openLesson();
  const h = trace({ causal: true }).per_head[0];
  const w = page.locator('attn-weighted-sum');
  await w.locator('.controls input[type=checkbox]').check();
  await frame(page);
  await assertRow(page, h, 0);
  await w.locator('.ws-picker button[data-row="2"]').click();
  await assertRow(page, h, 2);
  // row 1 (no longer the by-hand entry, so fully shown) is exactly the first value row
  assert.deepEqual((await rowsOf(page, 'table.out', 'td.cell'))[0], h.V[0].map((v) => shown(v)));
  assert.equal(await w.locator('.ws-shares .masked-note').count(), 2);
});

test('the by-hand entry stays hidden until solved; a wrong sum names the term, never the value', async () => {
  const page = await openLesson();
  const h = trace().per_head[0];
  const w = page.locator('attn-weighted-sum');
  await w.locator('.by-hand select').selectOption({ value: '2' }); // dimension 3
  const exact = h.output[0][2];
  const cell = w.locator('table.out td[data-row="0"][data-col="2"]');
  assert.equal(await cell.textContent(), '?');
  assert.equal(await w.locator('table.ws-contrib tr.sum td').nth(2).textContent(), '?');
  assert.equal(await w.locator('.ws-chart .lane.picked .outval').textContent(), '= ?');
  assert.equal(await w.locator('.ws-chart .lane.picked .total').count(), 0, 'no sum tick points at the answer');
  // the hint shows the terms, not their sum
  const hint = await w.locator('#ws-hand-hint').textContent();
  assert.match(hint, /× .* \+ /);
  assert.doesNotMatch(hint, new RegExp(`= ${shown(exact)}$`));
  const feedback = w.locator('.feedback');
  const input = w.locator('.by-hand input');
  await input.fill('lots');
  await w.locator('.by-hand button').click();
  assert.match(await feedback.textContent(), /is not a number/);
  const noValue = async () => {
    const text = await feedback.textContent();
    for (const d of [2, 3]) assert.ok(!text.includes(shown(exact, d)), `the feedback gives the answer away: ${text}`);
    return text;
  };
  await input.fill('5');
  await w.locator('.by-hand button').click();
  assert.match(await noValue(), /Not quite.*too high.*contributions table/);
  // leave out the largest term: the feedback names it
  const terms = h.weights[0].map((_, j) => contribution(h, 0, j)[2]);
  const big = terms.reduce((b, t, j) => (Math.abs(t) > Math.abs(terms[b]) ? j : b), 0);
  await input.fill((exact - terms[big]).toFixed(3));
  await w.locator('.by-hand button').click();
  assert.match(await noValue(), new RegExp(`without term ${big + 1} \\(token ${big + 1}`));
  assert.equal(await cell.textContent(), '?');
  await input.fill(exact.toFixed(3));
  await w.locator('.by-hand button').click();
  assert.match(await feedback.textContent(), /Correct/);
  assert.equal(await cell.textContent(), shown(exact));
  assert.equal(await w.locator('.ws-chart .lane.picked .total').count(), 2);
  await assertRow(page, h, 0, true);
  // another dimension is a new exercise, hidden again
  await w.locator('.by-hand select').selectOption({ value: '0' });
  assert.equal(await w.locator('table.out td[data-row="0"][data-col="0"]').textContent(), '?');
  assert.equal(await cell.textContent(), shown(exact));
});

test('bad attributes show a notice and the widget still renders defaults; no HTML is injected', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-weighted-sum');
    w.id = 'bad';
    w.setAttribute('sentence', '<img src=x onerror="window.pwned=1"> cat');
    w.setAttribute('row', 'first');
    w.setAttribute('dim', '12');
    w.setAttribute('head', '5');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await w.locator('table.out td.cell').first().waitFor();
  const notice = await w.locator('.notice').textContent();
  assert.match(notice, /sentence: "<img" is not a word/);
  assert.match(notice, /row: "first" is not a number/);
  assert.match(notice, /dim: 12 is outside the allowed range/);
  assert.match(notice, /head: 5 is more than heads = 2; showing head 1/);
  assert.equal(await w.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await w.locator('table.out tbody tr').count(), 5);
  await page.evaluate(() => document.querySelector('#bad').setAttribute('heads', '3'));
  await page.waitForFunction(() => /heads: 3 does not divide d_model = 8/.test(document.querySelector('#bad').shadowRoot.querySelector('.notice').textContent));
  assert.equal(await w.locator('table.out tbody tr').count(), 5);
});

test('the lesson ends with the pipeline widget as the phase finale', async () => {
  const page = await b.newPage();
  await page.goto(b.base + LESSON);
  const tags = await page.locator('main attn-weighted-sum, main attn-pipeline').evaluateAll((els) => els.map((e) => e.localName));
  assert.deepEqual(tags, ['attn-weighted-sum', 'attn-pipeline']);
  assert.equal(await page.locator('attn-pipeline').getAttribute('id'), 'pipeline');
});

test('a 360 px phone: tapping a token or an output row selects it', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const w = page.locator('attn-weighted-sum');
  await w.locator('.ws-picker button[data-row="1"]').tap();
  assert.match(await w.locator('.ws-blend h3').textContent(), /Output row 2 \(cat\)/);
  await w.locator('table.out td[data-row="3"][data-col="0"]').tap();
  assert.match(await w.locator('.ws-blend h3').textContent(), /Output row 4/);
  const inner = await w.evaluate((el) => { const b = el.shadowRoot.querySelector('.widget-body'); return b.scrollWidth - b.clientWidth; });
  assert.ok(inner <= 0, `the widget overflows its box by ${inner}px`);
  assert.deepEqual(page.problems, []);
});
