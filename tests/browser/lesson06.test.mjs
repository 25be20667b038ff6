// Lesson 6's widget in headless Chromium: <attn-qkv> shows the engine's X, W and Q/K/V, answers to
// keyboard, mouse and touch, re-runs the engine when a weight is edited (only that column changes,
// the other projections never), keeps the selected cell's value and sum hidden until the learner
// computes it (a wrong entry names the term, never the value), and handles bad attributes. The
// quiz, axe-core, 360 px and completion are checked for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, byHandView, domNumbers } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';

const LESSON = '/lessons/06-q-k-v/';
const TOKENS = ['the', 'cat', 'chased', 'the', 'mouse'];
const SCENARIO = { tokens: TOKENS, seed: 7, heads: 1 };
let b, engine, t;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
  t = engine.trace(SCENARIO);
});
after(() => b?.close());

/** What the widget prints for a value: 2 decimals at most, no trailing zeros, a real minus sign. */
const shown = (v) => Number(v).toFixed(2).replace(/^-(0\.00)$/, '$1').replace('-', '−').replace(/\.?0+$/, '');
const asShown = (M) => M.map((r) => r.map(shown));
/** The output as the widget shows it: the selected cell (the by-hand exercise) reads "?". */
const hiddenAt = (M, at) => byHandView(M, at, shown);
const START = [1, 0]; // selected="2,1": token 2 ("cat"), column 1

/**
 * Opens the lesson at its widget. The lesson turns practice mode on (every cell not computed reads
 * "?"); `practice: false` takes it off, to test the widget as the FAQ page and embeds use it.
 */
async function openLesson(options, { practice = false } = {}) {
  const page = await b.newPage(options);
  await page.goto(b.base + LESSON);
  const w = page.locator('#qkv');
  await w.scrollIntoViewIfNeeded();
  await w.locator('table.o td.cell').first().waitFor();
  assert.equal(await w.getAttribute('practice'), '', 'the lesson turns practice mode on');
  if (!practice) await w.evaluate((el) => el.removeAttribute('practice'));
  return { page, w };
}

/** Waits for the next animation frame (and the task after it). */
const frame = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));

/** A table's numbers, row by row (the first text node of each cell: markers come after it). */
const table = (w, cls) => w.locator(`table.${cls} tbody tr`).evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.firstChild.textContent)));

test('the widget shows the engine\'s X, W_Q and Q; the K and V tabs show theirs over the same X', async () => {
  const { page, w } = await openLesson();
  assert.equal(await w.locator('.scroll-hint').isVisible(), false, 'no scroll hint where the tables fit');
  assert.deepEqual(await table(w, 'x'), asShown(t.X));
  assert.deepEqual(await table(w, 'w'), asShown(t.weights.W_q));
  assert.deepEqual(await table(w, 'o'), hiddenAt(t.Q, START));
  // keyboard: arrow keys move within the radio group
  await w.locator('#pick-Q').focus();
  await page.keyboard.press('ArrowRight');
  await frame(page); // a matrix switch is drawn at the next animation frame
  assert.ok(await w.locator('#pick-K').isChecked());
  assert.deepEqual(await table(w, 'w'), asShown(t.weights.W_k));
  assert.deepEqual(await table(w, 'o'), hiddenAt(t.K, START));
  assert.deepEqual(await table(w, 'x'), asShown(t.X));
  // mouse
  await w.locator('label[for="pick-V"]').click();
  await frame(page);
  assert.deepEqual(await table(w, 'w'), asShown(t.weights.W_v));
  assert.deepEqual(await table(w, 'o'), hiddenAt(t.V, START));
  assert.deepEqual(await table(w, 'x'), asShown(t.X));
  assert.match(await w.locator('table.o caption').textContent(), /V = X·WV \(values\)/);
  assert.deepEqual(page.problems, []);
});

test('keyboard: arrow keys move over Q, the X row and W column light up, the terms are listed but not their sum', async () => {
  const { page, w } = await openLesson();
  // the lesson starts on Q[cat, 1], the example worked in the prose: terms listed, sum and cell hidden
  assert.equal(await w.locator('.explain').textContent(), 'Q[cat, 1] = row 2 of X (cat) · column 1 of WQ = (1)(−0.7) + (0)(0.1) + (0)(0.4) + (1)(−0.7) + (0)(0) + (0)(−0.2) + (−0.5)(0.9) + (0)(0.1) = ? (yours to work out below)');
  assert.equal(await w.locator('table.o td.hl-cell').textContent(), '?');
  await w.locator('table.o td.cell[tabindex="0"]').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight'); // (1,0) -> (3,2)
  const cell = w.locator('table.o td.hl-cell');
  assert.equal(await cell.getAttribute('data-row'), '3');
  assert.equal(await cell.getAttribute('data-col'), '2');
  assert.equal(await cell.getAttribute('tabindex'), '0');
  assert.equal(await w.locator('table.x tbody tr').nth(3).locator('td.hl').count(), 8);
  assert.equal(await w.locator('table.w td.hl[data-col="2"]').count(), 8);
  const terms = t.X[3].map((x, k) => `(${shown(x)})(${shown(t.weights.W_q[k][2])})`).join(' + ');
  const explain = await w.locator('.explain').textContent();
  assert.ok(explain.endsWith(`Q[the 4, 3] = row 4 of X (the 4) · column 3 of WQ = ${terms} = ? (yours to work out below)`), explain);
  assert.ok(!explain.includes(t.Q[3][2].toFixed(2).replace('-', '−')), 'the sum is not on screen');
  assert.equal(await cell.textContent(), '?');
  // the cell selected before shows its number again
  assert.equal(await w.locator('table.o td[data-row="1"][data-col="0"]').textContent(), shown(t.Q[1][0]));
  assert.match(await w.locator('.by-hand label').textContent(), /Q\[the 4, 3\] \(row 4, column 3\)/);
  await page.keyboard.press('End');
  assert.equal(await w.locator('table.o td.hl-cell').getAttribute('data-col'), '7');
});

test('editing a weight re-runs the engine: one column of K changes and is marked, Q and V never', async () => {
  const { page, w } = await openLesson();
  await w.locator('label[for="pick-K"]').click();
  // mouse: select W_K[function, 2] and press +0.1 twice
  await w.locator('table.w td[data-row="2"][data-col="1"]').click();
  assert.match(await w.locator('.weight-edit label').textContent(), /WK\[function, 2\]: multiplies the “function” column of X and feeds column 2 of K/);
  await w.getByRole('button', { name: '+0.1: increase the selected weight' }).click();
  await w.getByRole('button', { name: '+0.1: increase the selected weight' }).click();
  await frame(page); // an edit is drawn at the next animation frame
  const W_k = t.weights.W_k.map((r) => [...r]);
  W_k[2][1] = Number((W_k[2][1] + 0.2).toFixed(2));
  const edited = engine.trace({ ...SCENARIO, weights: { W_k } });
  assert.deepEqual(await table(w, 'o'), hiddenAt(edited.K, START));
  assert.deepEqual(await table(w, 'w'), asShown(W_k));
  // the two "the" rows are the only ones with the "function" feature: exactly their column-2 cells changed
  const changed = await w.locator('table.o td.changed').evaluateAll((tds) => tds.map((td) => `${td.dataset.row},${td.dataset.col}`));
  assert.deepEqual(changed, ['0,1', '3,1']);
  assert.match(await w.locator('table.o td.changed').first().textContent(), /↑ \(changed from /);
  assert.match(await w.locator('table.w td.edited').textContent(), /\(edited\)/);
  assert.match(await w.locator('.weight-msg').textContent(), /2 of 5 cells in column 2 of K changed/);
  // keyboard: move to W_K[function, 1] with an arrow key, type a value, press Enter
  await w.locator('table.w td[tabindex="0"]').focus();
  await page.keyboard.press('ArrowLeft');
  await w.locator('#weight-input').fill('-2.5');
  await w.locator('#weight-input').press('Enter');
  await frame(page);
  W_k[2][0] = -2.5;
  assert.deepEqual(await table(w, 'o'), hiddenAt(engine.trace({ ...SCENARIO, weights: { W_k } }).K, START));
  // a bad value is refused with a message
  await w.locator('#weight-input').fill('lots');
  await w.locator('#weight-input').press('Enter');
  assert.match(await w.locator('.weight-msg').textContent(), /is not a number between −10 and 10/);
  // Q and V are untouched
  await w.locator('label[for="pick-Q"]').click();
  await frame(page);
  assert.deepEqual(await table(w, 'o'), hiddenAt(t.Q, START));
  assert.equal(await w.locator('table.o td.changed').count(), 0);
  await w.locator('label[for="pick-V"]').click();
  await frame(page);
  assert.deepEqual(await table(w, 'o'), hiddenAt(t.V, START));
  // reset
  await w.getByRole('button', { name: 'Reset all weights' }).click();
  await w.locator('label[for="pick-K"]').click();
  await frame(page);
  assert.deepEqual(await table(w, 'o'), hiddenAt(t.K, START));
  assert.deepEqual(page.problems, []);
});

test('by hand: a wrong entry names the term that went wrong, never the value; a right one reveals the sum', async () => {
  const { w } = await openLesson();
  const input = w.locator('.by-hand input');
  const check = w.locator('.by-hand button[type="submit"]');
  const feedback = () => w.locator('.by-hand .feedback').textContent();
  const value = shown(t.Q[1][0]); // −1.85 = (1)(−0.7) + (1)(−0.7) + (−0.5)(0.9)
  await input.fill('minus two');
  await check.click();
  assert.match(await feedback(), /is not a number/);
  // one term left out, one sign flipped, a product added instead of multiplied: each named
  for (const [typed, want] of [['-1.4', /left out term 7, \(−0\.5\)\(0\.9\)/], ['-0.95', /check the sign of term 7, \(−0\.5\)\(0\.9\)/],
    ['-1.0', /you added the two numbers of term 7, \(−0\.5\)\(0\.9\), instead of multiplying them/], ['3', /type your products joined by \+ and −/]]) {
    await input.fill(typed);
    await check.click();
    const text = await feedback();
    assert.match(text, want, typed);
    assert.ok(!text.includes(value) && !text.includes('1.850'), `"${text}" gives the answer away`);
    assert.match(await w.locator('.explain').textContent(), /= \? \(yours to work out below\)$/);
    assert.equal(await w.locator('table.o td.hl-cell').textContent(), '?');
  }
  // the products typed as a sum: the wrong one is named
  await input.fill('-0.7 + -0.7 + 0.45');
  await check.click();
  assert.match(await feedback(), /check the sign of term 7, \(−0\.5\)\(0\.9\); the other products you typed are right/);
  await input.fill('-0.7 + -0.7 - 0.54');
  await check.click();
  assert.match(await feedback(), /multiply again term 7/);
  // right: the sum appears in the explanation and the cell shows its number again
  await input.fill('−37/20');
  await check.click();
  assert.match(await feedback(), /✓ Correct/);
  assert.match(await w.locator('.explain').textContent(), /\(−0\.5\)\(0\.9\) \+ \(0\)\(0\.1\) = −1\.850$/);
  assert.equal(await w.locator('table.o td.hl-cell').textContent(), value);
  // the widget question wants a cell the lesson did not work out
  assert.match((await w.evaluate((el) => el.check('by-hand-correct'))).message, /the cell the lesson works out for you/);
  // pick another cell: the box clears, that cell hides, and a right answer satisfies the question
  await w.locator('table.o td[data-row="4"][data-col="2"]').click();
  assert.equal(await feedback(), '');
  assert.equal(await w.locator('table.o td[data-row="4"][data-col="2"]').textContent(), '?');
  await input.fill(t.Q[4][2].toFixed(2));
  await check.click();
  assert.match(await feedback(), /Correct/);
  assert.equal((await w.evaluate((el) => el.check('by-hand-correct'))).correct, true);
});

test('bad attributes show a notice and the widget still renders defaults', async () => {
  const { page } = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-qkv');
    w.id = 'bad';
    w.setAttribute('sentence', '<b>bold</b> cat');
    w.setAttribute('matrix', 'X');
    w.setAttribute('seed', '1.5');
    w.setAttribute('selected', 'top');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await w.locator('table.o td.cell').first().waitFor();
  const notice = await w.locator('.notice').textContent();
  assert.match(notice, /sentence: "<b>bold<\/b>" is not a word/);
  assert.match(notice, /matrix: "X" must be one of Q, K, V/);
  assert.match(notice, /seed: "1.5" is not a whole number/);
  assert.match(notice, /selected: "top" must look like "row,col"/);
  assert.equal(await w.locator('b').count(), 0);
  assert.deepEqual(await table(w, 'o'), hiddenAt(t.Q, START));
  // a cell outside the output is caught by the widget, not the attribute parser
  await page.evaluate(() => document.querySelector('#bad').setAttribute('selected', '9,9'));
  await page.waitForFunction(() => /selected: 9,9 is outside the 5x8 output/.test(document.querySelector('#bad').shadowRoot.querySelector('.notice').textContent));
});

test('a 360 px phone: readable cells that scroll sideways with a visible hint, tapping a cell explains it', async () => {
  const { page, w } = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  // no cramped numbers: every output and weight cell keeps at least 3 px between its text and its edges
  const tight = await w.locator('table.o td.cell, table.w td.cell').evaluateAll((tds) => tds.filter((td) => {
    const range = document.createRange();
    range.selectNodeContents(td);
    const text = range.getBoundingClientRect(), box = td.getBoundingClientRect();
    return text.left - box.left < 3 || box.right - text.right < 3;
  }).length);
  assert.equal(tight, 0, `${tight} cells have less than 3 px around their number`);
  assert.ok(Number.parseFloat(await w.locator('table.o td.cell').first().evaluate((td) => getComputedStyle(td).fontSize)) >= 12, 'numbers at least 12 px');
  // the tables scroll inside their box (never the page), and the widget says so
  const inner = await w.locator('.qkv-scroll').evaluate((d) => d.scrollWidth - d.clientWidth);
  assert.ok(inner > 0);
  assert.equal(await w.locator('.scroll-hint').isVisible(), true);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'the page scrolls sideways');
  await w.locator('table.o td[data-row="2"][data-col="0"]').tap();
  assert.match(await w.locator('.explain').textContent(), /Q\[chased, 1\]/);
  await w.locator('table.w td[data-row="1"][data-col="5"]').tap();
  assert.match(await w.locator('.weight-edit label').textContent(), /WQ\[verb, 6\]/);
  await w.locator('label[for="pick-V"]').tap();
  await frame(page);
  assert.deepEqual(await table(w, 'o'), hiddenAt(t.V, [2, 0]));
  assert.deepEqual(page.problems, []);
});

/** A value as a number token the way the widget prints it: 2 decimals ("−1.85") or 3 in the sum ("−1.850"). */
const forms = (v) => [shown(v), Number(v).toFixed(3)].map((s) => s.replace('−', '-'));
/** Cells of M whose printed value has two decimals: no entry of X (halves) or W (tenths) prints like that. */
const telling = (M) => M.flatMap((r, i) => r.map((v, j) => ({ i, j, v }))).filter(({ v }) => /\.\d[1-9]$/.test(v.toFixed(2)));

test('practice by hand (the lesson): no cell not yet computed has its value anywhere in the widget; a right answer reveals it', async () => {
  const { page, w } = await openLesson({ acceptDownloads: true }, { practice: true });
  const input = w.locator('.by-hand input');
  const check = w.locator('.by-hand button[type="submit"]');
  const feedback = () => w.locator('.by-hand .feedback').textContent();
  const reveal = w.getByRole('button', { name: 'Show all values' });
  const question = () => w.evaluate((el) => el.check('by-hand-correct'));
  const allHidden = async (M, except = []) => M.map((r, i) => r.map((v, j) => (except.some(([a, b]) => a === i && b === j) ? shown(v) : '?')));
  assert.equal(await reveal.isVisible(), true);
  // Q, K and V: every output cell reads "?", with no tint (the sign) and no value in any label
  for (const m of ['Q', 'K', 'V']) {
    await w.locator(`label[for="pick-${m}"]`).click();
    await frame(page);
    assert.deepEqual(await table(w, 'o'), await allHidden(t[m]), m);
    assert.equal(await w.locator('table.o td.pos, table.o td.neg, table.o td.t0').count(), 0, `${m}: no tint on hidden cells`);
    const { numbers } = await domNumbers(w);
    const leaks = telling(t[m]).filter(({ v }) => forms(v).some((f) => numbers.has(f)));
    assert.ok(telling(t[m]).length >= 4);
    assert.deepEqual(leaks, [], `${m}: values of cells not computed are in the DOM`);
  }
  await w.locator('label[for="pick-Q"]').click();
  // hovering another cell lists its terms, never its sum
  await w.locator('table.o td[data-row="1"][data-col="6"]').hover();
  assert.match(await w.locator('.explain').textContent(), /^Q\[cat, 7\] = .* = \? \(select it to work it out\)$/);
  // Q[cat, 5] = 0.35: select it, nothing gives it away before the right answer
  const [i, j] = [1, 4], value = t.Q[i][j];
  await w.locator(`table.o td[data-row="${i}"][data-col="${j}"]`).click();
  assert.equal((await question()).correct, false);
  await input.fill('0.4');
  await check.click();
  assert.match(await feedback(), /Not quite/);
  for (const f of forms(value)) assert.equal((await domNumbers(w)).numbers.has(f), false, `${f} before the right answer`);
  await input.fill(value.toFixed(2));
  await check.click();
  assert.match(await feedback(), /✓ Correct/);
  assert.equal(await w.locator(`table.o td[data-row="${i}"][data-col="${j}"]`).textContent(), shown(value));
  assert.ok((await domNumbers(w)).numbers.has(value.toFixed(3)), 'the sum is shown');
  assert.equal((await question()).correct, true);
  // the other cells stay hidden, the solved one stays shown when the learner moves on
  await w.locator('table.o td[data-row="4"][data-col="2"]').click();
  assert.deepEqual(await table(w, 'o'), await allHidden(t.Q, [[i, j]]));
  // the exported picture shows what the screen shows
  const [download] = await Promise.all([page.waitForEvent('download'), w.locator('button[data-action="saveSvg"]').click()]);
  const { readFile } = await import('node:fs/promises');
  const svgNumbers = new Set((await readFile(await download.path(), 'utf8')).replace(/[−–]/g, '-').match(/-?\d+\.\d+/g));
  assert.ok(svgNumbers.has(shown(value)), 'the solved cell is in the SVG');
  assert.deepEqual(telling(t.Q).filter(({ v }) => shown(v) !== shown(value) && svgNumbers.has(shown(v).replace('−', '-'))), [], 'no hidden value in the SVG');
  // "Show all values" shows them, and a cell answered after that does not count for the question
  await reveal.click();
  assert.deepEqual(await table(w, 'o'), asShown(t.Q));
  assert.equal(await w.getByRole('button', { name: 'Hide values not computed yet' }).getAttribute('aria-pressed'), 'true');
  await w.getByRole('button', { name: 'Hide values not computed yet' }).click();
  assert.deepEqual(await table(w, 'o'), await allHidden(t.Q, [[i, j]]));
  await input.fill(t.Q[4][2].toFixed(2));
  await check.click();
  assert.match(await feedback(), /✓ Correct.*does not count as computed by you/);
  assert.equal((await question()).correct, false);
  assert.match((await question()).message, /was on show/);
  // K was never on show: a K cell computed by hand counts
  await w.locator('label[for="pick-K"]').click();
  await w.locator('table.o td[data-row="2"][data-col="3"]').click();
  await input.fill(t.K[2][3].toFixed(2));
  await check.click();
  assert.equal((await question()).correct, true);
  assert.deepEqual(page.problems, []);
});
