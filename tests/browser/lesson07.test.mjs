// Lesson 7's widgets in headless Chromium: <attn-score-matrix> shows the engine's numbers, counts
// from 1 in its attributes as in the prose, answers to keyboard, mouse and touch, keeps the selected
// score hidden until the learner computes it (a wrong entry names the term, never the value), and
// gives a notice for bad attributes; <attn-dk-scaling> shows the core's random-vector experiment:
// the spread of q·k growing like √d_k and the unscaled row saturating while the scaled one stays soft.
// The quiz, axe-core, 360 px and completion are checked for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, byHandView, domNumbers } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';

const LESSON = '/lessons/07-pairwise-scores/';
const TOKENS = ['the', 'cat', 'chased', 'the', 'mouse'];
let b, engine;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
});
after(() => b?.close());

const shown = (v) => Number(v).toFixed(2).replace(/^-(0\.00)$/, '$1').replace('-', '−');
/** S as the widget shows it: the selected cell (the by-hand exercise) reads "?". */
const hiddenAt = (M, at) => byHandView(M, at, shown);

/**
 * Opens the lesson at the score matrix. The lesson turns practice mode on (every score not computed
 * reads "?"); `practice: false` takes it off, to test the widget as the FAQ page and embeds use it.
 */
async function openLesson(options, { practice = false } = {}) {
  const page = await b.newPage(options);
  await page.goto(b.base + LESSON);
  await page.locator('attn-score-matrix').scrollIntoViewIfNeeded();
  await page.locator('attn-score-matrix table.s td.cell').first().waitFor();
  assert.equal(await page.locator('#scores').getAttribute('practice'), '', 'the lesson turns practice mode on');
  if (!practice) await page.locator('#scores').evaluate((el) => el.removeAttribute('practice'));
  return page;
}

/** The S table as text, row by row. */
/** The head select and the √dₖ toggle redraw at the next animation frame. */
const frame = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
const sTable = (page) => page.locator('attn-score-matrix table.s tbody tr').evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));

test('the widget shows the engine\'s Q, K^T and S for the default sentence', async () => {
  const page = await openLesson();
  const t = engine.trace({ tokens: TOKENS, seed: 7, heads: 2, positions: 'none' });
  // head="1" selected="2,2" in the lesson: the first head, S[cat, cat] (a diagonal cell, so the
  // asymmetry question is not answered by the initial state, and not the "the"/"the" exception)
  assert.deepEqual(await sTable(page), hiddenAt(t.per_head[0].scores, [1, 1]));
  assert.deepEqual(await page.locator('#scores').evaluate((w) => w.currentAttributes()),
    { sentence: 'the cat chased the mouse', seed: '7', heads: '2', head: '1', scaled: 'false', positions: 'none', selected: '2,2' });
  assert.equal((await page.locator('#scores').evaluate((w) => w.check('asymmetric-pair'))).correct, false, 'not solved by the initial state');
  const q = await page.locator('attn-score-matrix table.q tbody tr').first().locator('td').allTextContents();
  assert.deepEqual(q, t.per_head[0].Q[0].map(shown));
  // head 2 through the select
  await page.locator('attn-score-matrix select').selectOption('1');
  await frame(page);
  assert.deepEqual(await sTable(page), hiddenAt(t.per_head[1].scores, [1, 1]));
  assert.equal(await page.locator('#scores').evaluate((w) => w.currentAttributes().head), '2');
  assert.deepEqual(page.problems, []);
});

test('keyboard moves the selection and the explanation follows; scaling divides by sqrt(d_k)', async () => {
  const page = await openLesson();
  const t = engine.trace({ tokens: TOKENS, seed: 7, heads: 2 });
  const w = page.locator('attn-score-matrix');
  await w.locator('table.s td.cell[tabindex="0"]').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight'); // from row 2, column 2 to row 2, column 4
  const focused = w.locator('table.s td.hl-cell');
  assert.equal(await focused.getAttribute('data-row'), '1');
  assert.equal(await focused.getAttribute('data-col'), '3');
  assert.equal(await focused.getAttribute('tabindex'), '0');
  // the products are listed, their sum is not, and the cell itself reads "?"
  const explain = await w.locator('.explain').textContent();
  const terms = t.per_head[0].Q[1].map((q, m) => `(${shown(q)})(${shown(t.per_head[0].K[3][m])})`).join(' + ');
  assert.equal(explain, `S[cat, the 4] = q(cat) · k(the 4) = ${terms} = ? (yours to work out below)`);
  assert.equal(await focused.textContent(), '?');
  assert.match(await w.locator('.by-hand label').textContent(), /row 2, column 4/);
  // the highlighted Q row is row 1 (cat) and the K^T column is column 3
  assert.equal(await w.locator('table.q tbody tr').nth(1).locator('td.hl').count(), 4);
  assert.equal(await w.locator('table.kt td.hl[data-col="3"]').count(), 4);
  await w.locator('input[type=checkbox]').check();
  await frame(page);
  const scaled = await sTable(page);
  assert.deepEqual(scaled, hiddenAt(t.per_head[0].scaled, [1, 3]));
  assert.equal(scaled[1][2], shown(t.per_head[0].scores[1][2] / 2));
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

test('by hand: wrong entries name a term, never the score; the right one reveals it; scaled wants the division', async () => {
  const page = await openLesson();
  const h = engine.trace({ tokens: TOKENS, seed: 7, heads: 2 }).per_head[0];
  const w = page.locator('attn-score-matrix');
  const input = w.locator('.by-hand input');
  const feedback = () => w.locator('.by-hand .feedback').textContent();
  const submit = async (text) => { await input.fill(text); await w.locator('.by-hand button[type="submit"]').click(); return feedback(); };
  await w.locator('table.s td[data-row="1"][data-col="4"]').click(); // S[cat, mouse]: row 2, column 5
  const q = h.Q[1].map((v) => Number(v.toFixed(2))), k = h.K[4].map((v) => Number(v.toFixed(2)));
  const products = q.map((v, m) => engine.dot([v], [k[m]]));
  const total = engine.dot(q, k);
  assert.match(await submit('seven'), /is not a number/);
  // leave out the first term: the feedback names it and never prints the score
  const text = await submit((total - products[0]).toFixed(3));
  assert.match(text, new RegExp(`left out term 1, \\(${shown(q[0]).replace(/\.?0+$/, '').replace('.', '\\.')}\\)`));
  assert.ok(!text.includes(shown(total)), `"${text}" gives the score away`);
  // the products typed one by one, the third one wrong
  const typed = products.map((p, m) => (m === 2 ? p + 0.5 : p).toFixed(4)).join(' + ').replace(/\+ -/g, '- ');
  assert.match(await submit(typed), /multiply again term 3/);
  assert.equal(await w.locator('table.s td.hl-cell').textContent(), '?');
  assert.match(await submit(total.toFixed(3)), /✓ Correct/);
  assert.equal(await w.locator('table.s td.hl-cell').textContent(), shown(h.scores[1][4]));
  assert.ok((await w.locator('.explain').textContent()).endsWith(`= ${h.scores[1][4].toFixed(3).replace('-', '−')}`));
  // scaled: the raw score is no longer the answer, and the feedback says what is missing
  await w.locator('input[type=checkbox]').check();
  await frame(page);
  assert.equal(await w.locator('table.s td.hl-cell').textContent(), '?');
  assert.match(await submit(total.toFixed(3)), /That is the raw score; the scaled one is divided by √4/);
  assert.match(await submit((total / 2).toFixed(3)), /✓ Correct/);
  // an embed without the by-hand box (hide="byhand", as in the FAQ) shows every value and sum
  await w.locator('table.s td[data-row="2"][data-col="3"]').click();
  assert.equal(await w.locator('table.s td.hl-cell').textContent(), '?');
  await page.locator('#scores').evaluate((el) => el.setAttribute('hide', 'byhand'));
  assert.equal(await w.locator('table.s td.hl-cell').textContent(), shown(h.scaled[2][3]));
  assert.match(await w.locator('.explain').textContent(), /divided by √4: /);
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
  // the d_k widget fits the phone: no sideways scroll of the page, the slider answers to touch and keys
  const dk = page.locator('#dk');
  await dk.scrollIntoViewIfNeeded();
  await dk.locator('.dk-chart').first().waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'the page scrolls sideways');
  await dk.getByRole('slider', { name: /width of q and k/ }).focus();
  await page.keyboard.press('End');
  assert.match(await dk.locator('.dk-value').textContent(), /^512/);
});

test('the d_k widget: the core\'s numbers, the spread growing like √d_k, saturation without scaling only', async () => {
  const page = await openLesson();
  const w = page.locator('#dk');
  await w.scrollIntoViewIfNeeded();
  await w.locator('.dk-chart').first().waitFor();
  const slider = w.getByRole('slider', { name: /width of q and k/ });
  assert.equal((await w.evaluate((el) => el.check('saturated-without-scaling', { min: 0.95 }))).correct, false, 'not solved at d_k = 2');
  const rowTable = () => w.locator('table.dk-table:not(.spread) tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
  const spreadRows = () => w.locator('table.spread tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.children].map((c) => c.textContent)));
  // every d_k through the keyboard: the row matches the core, the spread column fills in
  for (const [i, dK] of [2, 4, 8, 16, 32, 64, 128, 256, 512].entries()) {
    if (i > 0) { await slider.focus(); await page.keyboard.press('ArrowRight'); await frame(page); } // drawn at the next frame
    const d = engine.scalingDemo({ dK, keys: 6, seed: 1 });
    const fmtW = (v) => (v >= 0.99995 ? (v === 1 ? '≈ 1' : '> 0.9999') : v >= 0.995 ? v.toFixed(4)
      : v > 0 && v < 0.005 ? (v < 0.0001 ? '< 0.0001' : v.toFixed(4)) : shown(v));
    assert.deepEqual(await rowTable(), Array.from(d.raw, (r, j) => [shown(r), fmtW(d.weightsRaw[j]), shown(d.scaled[j]), fmtW(d.weightsScaled[j])]), `d_k = ${dK}`);
    const row = (await spreadRows())[i];
    assert.equal(row[0], String(dK));
    assert.equal(row[2], Number(d.spreadRaw).toFixed(1));
  }
  // the measured spread over √d_k stays near 1 all the way
  for (const [k, root, spread] of await spreadRows()) assert.ok(Math.abs(Number(spread) / Number(root) - 1) < 0.12, `d_k ${k}: ${spread} vs √ ${root}`);
  assert.match(await w.locator('.dk-summary').textContent(), /Without scaling, the largest weight is .*Divided by √512/);
  const answer = await w.evaluate((el) => el.check('saturated-without-scaling', { min: 0.95 }));
  const d = engine.scalingDemo({ dK: 512, keys: 6, seed: 1 });
  assert.equal(answer.correct, Math.max(...d.weightsRaw) >= 0.95 && Math.max(...d.weightsScaled) < 0.95, answer.message);
  // a new draw changes the numbers and the deep link carries it
  // (the widget measures the stops next to the current one in idle time: every call is counted from here)
  await w.evaluate((el) => {
    const original = el.engine.scalingDemo.bind(el.engine);
    el.calls = [];
    el.engine.scalingDemo = (args) => { el.calls.push(`${args.dK}:${args.seed}`); return original(args); };
  });
  await w.getByRole('button', { name: 'New random draw' }).click();
  assert.deepEqual(await w.evaluate((el) => el.currentAttributes()), { dk: '512', seed: '2' });
  // sliding back over stops already visited with this draw asks the core nothing new (it is slow at large
  // d_k). Whether a stop was computed by the idle-time prefetch or by the step that shows it depends on
  // the machine's timing, so: each stop at most once in all, and nothing at all once both are visited.
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await frame(page);
  const visited = await w.evaluate((el) => el.calls.length);
  await page.keyboard.press('ArrowRight');
  await frame(page);
  await page.keyboard.press('ArrowLeft');
  await frame(page);
  const calls = await w.evaluate((el) => el.calls);
  for (const stop of ['256:2', '512:2']) assert.ok(calls.filter((c) => c === stop).length <= 1, `d_k ${stop} computed at most once (calls: ${calls.join(', ')})`);
  assert.deepEqual(calls.slice(visited).filter((c) => c === '256:2' || c === '512:2'), [], `sliding back and forth computed a visited stop again (calls: ${calls.join(', ')})`);
  const again = engine.scalingDemo({ dK: 256, keys: 6, seed: 2 });
  assert.equal((await rowTable())[0][0], shown(again.raw[0]));
  await w.evaluate((el) => delete el.engine.scalingDemo);
  assert.deepEqual(page.problems, []);
});

test('the d_k widget refuses bad attributes with a notice and still draws', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-dk-scaling');
    w.id = 'bad-dk';
    w.setAttribute('dk', '100');
    w.setAttribute('seed', 'x');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad-dk');
  await w.scrollIntoViewIfNeeded();
  await w.locator('.dk-chart').first().waitFor();
  const notice = await w.locator('.notice').textContent();
  assert.match(notice, /dk: 100 is not a power of two; showing 128/);
  assert.match(notice, /seed: "x" is not a number/);
  assert.match(await w.locator('.dk-value').textContent(), /^128/);
});

/** A score as the widget prints it in the table (2 decimals) and in the sum (3), as number tokens. */
const forms = (v) => [v.toFixed(2), v.toFixed(3)].map((s) => (/^-0\.0+$/.test(s) ? s.slice(1) : s));

test('practice by hand (the lesson): no score not yet computed is anywhere in the widget; a right answer reveals it', async () => {
  const page = await openLesson({}, { practice: true });
  const h = engine.trace({ tokens: TOKENS, seed: 7, heads: 2 }).per_head[0];
  const w = page.locator('#scores');
  const input = w.locator('.by-hand input');
  const submit = async (text) => { await input.fill(text); await w.locator('.by-hand button[type="submit"]').click(); return w.locator('.by-hand .feedback').textContent(); };
  const q = await w.locator('table.q td, table.kt td').allTextContents();
  const inputs = new Set(q.map((s) => s.replace('−', '-')));
  // every score reads "?", untinted; no score that is not also an entry of Q or K is anywhere in the DOM
  const view = (solved = []) => h.scores.map((r, i) => r.map((v, j) => (solved.some(([a, b]) => a === i && b === j) ? shown(v) : '?')));
  assert.deepEqual(await sTable(page), view());
  assert.equal(await w.locator('table.s td.pos, table.s td.neg, table.s td.t0').count(), 0);
  const cells = h.scores.flatMap((r, i) => r.map((v, j) => ({ i, j, v }))).filter(({ v }) => !inputs.has(v.toFixed(2)));
  assert.ok(cells.length >= 15, `${cells.length} scores to look for`);
  const leaks = async () => { const n = (await domNumbers(w)).numbers; return cells.filter(({ v }) => forms(v).some((f) => n.has(f))); };
  assert.deepEqual(await leaks(), []);
  // S[cat, mouse] (row 2, column 5) and its mirror: the asymmetry check names them without numbers
  const [i, j] = [1, 4], value = h.scores[i][j], mirror = h.scores[j][i];
  await w.locator(`table.s td[data-row="${i}"][data-col="${j}"]`).click();
  const asym = await w.evaluate((el) => el.check('asymmetric-pair'));
  assert.equal(asym.correct, true);
  assert.ok(!forms(value).concat(forms(mirror)).some((f) => asym.message.replace(/−/g, '-').includes(f)), asym.message);
  assert.match(await submit((value + 0.3).toFixed(2)), /Not quite/);
  assert.deepEqual(await leaks(), []);
  // the right answer reveals that score (table and sum), and only that one
  assert.match(await submit(value.toFixed(2)), /✓ Correct/);
  assert.deepEqual(await sTable(page), view([[i, j]]));
  const after = (await domNumbers(w)).numbers;
  assert.ok(forms(value).every((f) => after.has(f)), 'the score and its sum are shown');
  assert.deepEqual((await leaks()).filter(({ v }) => v.toFixed(2) !== value.toFixed(2)), []);
  // "Show all values" shows every score (the asymmetry can be read off), and a score answered then is marked as seen
  await w.getByRole('button', { name: 'Show all values' }).click();
  assert.deepEqual(await sTable(page), h.scores.map((r) => r.map(shown)));
  assert.match((await w.evaluate((el) => el.check('asymmetric-pair'))).message, new RegExp(`= ${shown(mirror)}`));
  await w.getByRole('button', { name: 'Hide values not computed yet' }).click();
  assert.deepEqual(await sTable(page), view([[i, j]]));
  await w.locator(`table.s td[data-row="${j}"][data-col="${i}"]`).click();
  assert.match(await submit(mirror.toFixed(2)), /✓ Correct.*does not count as computed by you/);
  assert.deepEqual(await sTable(page), view([[i, j], [j, i]]));
  assert.deepEqual(page.problems, []);
});
