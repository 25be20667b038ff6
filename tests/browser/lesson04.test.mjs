// Lesson 4's widget in headless Chromium: <attn-softmax> shows the engine's probabilities, sum and
// Jacobian, answers to the keyboard, the mouse, touch, typed scores and the temperature controls,
// shows shift invariance and saturation with its buttons, and gives a notice for bad attributes.
// The quiz, axe-core, 360 px and completion are checked for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';
import { small } from '../../web/widgets/softmax-bars.js';

const LESSON = '/lessons/04-softmax/';
const TAG = 'attn-softmax';
let b, engine;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
});
after(() => b?.close());

const shown = (v, d = 3) => {
  const s = Number(v).toFixed(d);
  return (Number(s) === 0 ? (0).toFixed(d) : s).replace('-', '−');
};
const pct = (p) => (p < 0.0005 ? '<0.1%' : p >= 0.9995 ? '>99.9%' : `${(p * 100).toFixed(1)}%`);

async function openLesson(options) {
  const page = await b.newPage(options);
  await page.goto(b.base + LESSON);
  await page.locator(TAG).first().scrollIntoViewIfNeeded();
  await page.waitForFunction((t) => document.querySelector(t)?.ready, TAG);
  return page;
}

/** What the widget shows: scores (inputs), probabilities and percents (table), T, sum and gradient lines. */
const readout = (page, sel = TAG) => page.locator(sel).first().evaluate((w) => {
  const r = w.shadowRoot;
  const rows = [...r.querySelectorAll('table.values tbody tr')];
  return {
    scores: rows.map((tr) => Number(tr.querySelector('input').value)),
    probs: rows.map((tr) => tr.querySelectorAll('td.num')[0].textContent),
    pcts: rows.map((tr) => tr.querySelectorAll('td.num')[1].textContent),
    barText: [...r.querySelectorAll('svg.probs text.value')].map((t) => t.textContent),
    t: Number(r.querySelector('input[type=number][min="0.05"]').value),
    sum: r.querySelector('.sum strong').textContent,
    largest: r.querySelector('.grad-big strong')?.textContent,
    compare: r.querySelector('.compare').textContent,
  };
});

/** Checks the probabilities, sum and largest Jacobian entry against the engine for the scores shown. */
function assertMatchesEngine(r) {
  const p = Array.from(engine.softmax(r.scores, r.t));
  assert.deepEqual(r.probs, p.map((x) => (x > 0 && x < 0.0005 ? small(x) : shown(x))), `softmax(${r.scores} / ${r.t})`);
  assert.deepEqual(r.pcts, p.map(pct));
  assert.deepEqual(r.barText, p.map(pct));
  assert.equal(r.sum, `Sum of the probabilities = ${shown(engine.dot(p, p.map(() => 1)))}`);
  const J = engine.softmaxJacobian(r.scores, r.t).data;
  assert.equal(r.largest, small(Math.max(...J.map(Math.abs))));
  return p;
}

test('the lesson loads cleanly and the widget shows the engine\'s softmax of (2, 1, 0.1)', async () => {
  const page = await openLesson();
  const r = await readout(page);
  assert.deepEqual(r.scores, [2, 1, 0.1]);
  assertMatchesEngine(r);
  assert.deepEqual(r.probs, ['0.659', '0.242', '0.099']);
  assert.equal(r.sum, 'Sum of the probabilities = 1.000');
  assert.equal(r.largest, '0.2247');
  assert.deepEqual(page.problems, []);
});

test('keyboard: bars move by 0.1 (Shift by 1); the temperature slider and box change T', async () => {
  const page = await openLesson();
  const w = page.locator(TAG).first();
  await page.evaluate((t) => {
    window.changes = [];
    document.querySelector(t).addEventListener('change', (e) => window.changes.push(e.detail));
  }, TAG);
  await w.locator('g.bar').nth(2).focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Shift+ArrowUp');
  let r = await readout(page);
  assert.deepEqual(r.scores, [2, 1, 1.6]);
  assertMatchesEngine(r);
  assert.equal(await w.locator('g.bar').nth(2).getAttribute('aria-valuenow'), '1.6');
  const changes = await page.evaluate(() => window.changes);
  assert.equal(changes.length, 6);
  assert.deepEqual(changes.at(-1).scores, [2, 1, 1.6]);
  await page.keyboard.press('PageDown');
  assert.deepEqual((await readout(page)).scores, [2, 1, 0.6]);

  await w.getByRole('button', { name: 'Reset' }).click();
  await w.locator('input[type=range]').focus();
  await page.keyboard.press('ArrowRight'); // the next stop after 1
  r = await readout(page);
  assert.equal(r.t, 1.25);
  assertMatchesEngine(r);
  assert.equal(await w.locator('input[type=range]').getAttribute('aria-valuetext'), 'T = 1.25');
  await w.getByLabel('Temperature T = (exact value)').fill('0.5');
  await w.getByLabel('Temperature T = (exact value)').press('Enter');
  r = await readout(page);
  assert.equal(r.t, 0.5);
  assertMatchesEngine(r);
  assert.deepEqual(r.probs, ['0.864', '0.117', '0.019']);
  await w.getByLabel('Temperature T = (exact value)').fill('5');
  await w.getByLabel('Temperature T = (exact value)').press('Enter');
  assert.deepEqual((await readout(page)).probs, ['0.400', '0.327', '0.273']);
  assert.deepEqual(page.problems, []);
});

test('mouse: dragging a bar up raises its score; typed scores work too', async () => {
  const page = await openLesson();
  const w = page.locator(TAG).first();
  const box = await w.locator('g.bar rect.fill').nth(1).boundingBox();
  const x = box.x + box.width / 2, y = box.y;
  await page.mouse.move(x, y + 2);
  await page.mouse.down();
  await page.mouse.move(x, y - 20, { steps: 4 });
  await page.mouse.move(x, y - 40, { steps: 4 });
  await page.mouse.up();
  let r = await readout(page);
  assert.ok(r.scores[1] > 1.5, `dragged score ${r.scores[1]}`);
  assert.equal(r.scores[1], Math.round(r.scores[1] * 10) / 10, 'drags snap to tenths');
  assert.deepEqual([r.scores[0], r.scores[2]], [2, 0.1]);
  assertMatchesEngine(r);
  await w.getByLabel('Score of mat').fill('-3');
  await w.getByLabel('Score of mat').press('Enter');
  r = await readout(page);
  assert.equal(r.scores[2], -3);
  assertMatchesEngine(r);
  assert.match(await w.locator('g.bar').nth(2).locator('rect.fill').getAttribute('class'), /neg/);
});

test('Add 100 changes every score and no probability; Multiply by 10 saturates and shrinks the gradient', async () => {
  const page = await openLesson();
  const w = page.locator(TAG).first();
  const start = await readout(page);
  const shiftCheck = () => page.evaluate((t) => document.querySelector(t).check('sum-to-one-after-shift'), TAG);
  assert.equal((await shiftCheck()).correct, false);
  await w.getByRole('button', { name: 'Add 100 to every score' }).click();
  const graded = await shiftCheck();
  assert.equal(graded.correct, true);
  assert.match(graded.message, /moved by \+100\.0; the probabilities are still 65\.9%, 24\.2%, 9\.9% and sum to 1\.000/);
  let r = await readout(page);
  assert.deepEqual(r.scores, [102, 101, 100.1]);
  assert.deepEqual(r.probs, start.probs);
  assertMatchesEngine(r);
  assert.match(r.compare, /2\.0, 1\.0, 0\.1 → 102\.0, 101\.0, 100\.1\. Probabilities before: 65\.9%, 24\.2%, 9\.9%; after: 65\.9%, 24\.2%, 9\.9% — identical\./);
  await w.getByRole('button', { name: 'Reset' }).click();
  await w.getByRole('button', { name: 'Multiply every score by 10' }).click();
  r = await readout(page);
  assert.deepEqual(r.scores, [20, 10, 1]);
  const p = assertMatchesEngine(r);
  assert.ok(p[0] > 0.9999);
  const J = engine.softmaxJacobian([20, 10, 1], 1).data;
  assert.ok(Math.max(...J.map(Math.abs)) < 1e-4);
  assert.match(r.compare, new RegExp(`the largest \\|∂pᵢ/∂zⱼ\\| from 0\\.2247 to ${small(Math.max(...J.map(Math.abs))).replace(/[.*]/g, '\\$&')}\\.`));
  assert.match(await w.locator('.verdict').textContent(), /Nearly one-hot/);
  // the whole Jacobian, entry by entry
  await w.locator('summary').click();
  const cells = await w.locator('table.jac td.cell').allTextContents();
  assert.deepEqual(cells, Array.from(J, small));
  // 200 -> 2000 would pass the widget's limit: refused with a message
  await w.getByRole('button', { name: 'Multiply every score by 10' }).click();
  await w.getByRole('button', { name: 'Multiply every score by 10' }).click();
  assert.deepEqual((await readout(page)).scores, [200, 100, 10]);
  assert.match((await readout(page)).compare, /past 1000/);
  assert.deepEqual(page.problems, []);
});

test('bad attributes show a notice and the widget still renders defaults; no HTML is injected', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-softmax');
    w.id = 'bad';
    w.setAttribute('scores', '5');
    w.setAttribute('temperature', '0');
    w.setAttribute('labels', '<img src=x onerror="window.pwned=1"> cat');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('#bad').ready);
  const notice = await w.locator('.notice').textContent();
  assert.match(notice, /scores: needs 2 to 8 comma-separated numbers, got 1/);
  assert.match(notice, /temperature: 0 is outside the allowed range 0\.05\.\.20/);
  assert.match(notice, /labels: "<img" is not a word/);
  assert.equal(await w.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  const r = await readout(page, '#bad');
  assert.deepEqual(r.scores, [2, 1, 0.1]);
  assert.equal(r.t, 1);
  assertMatchesEngine(r);
  // valid on their own, but 2 labels for 3 scores: numbered instead, with a note
  await page.evaluate(() => {
    const el = document.querySelector('#bad');
    el.setAttribute('labels', 'cat sat');
    el.setAttribute('scores', '1,2,3');
  });
  await page.waitForFunction(() => /labels: 2 words for 3 scores/.test(document.querySelector('#bad').shadowRoot.querySelector('.notice').textContent));
  assert.deepEqual(await w.locator('table.values tbody th').allTextContents(), ['1', '2', '3']);
  assert.deepEqual(page.problems, []);
});

test('a 360 px phone: a finger drags a bar down', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const w = page.locator(TAG).first();
  await w.getByRole('button', { name: 'Multiply every score by 10' }).click();
  await w.locator('summary').click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
  const inner = await w.evaluate((el) => el.shadowRoot.querySelector('.widget-body').scrollWidth - el.shadowRoot.querySelector('.widget-body').clientWidth);
  assert.ok(inner <= 0, `the widget scrolls sideways by ${inner}px`);
  // the saturated Jacobian fits too: its scroller used to cut the last column to "−5.6 × 10⁻"
  const jac = await w.locator('[role=region][aria-label="Jacobian table"]').evaluate((r) => r.scrollWidth - r.clientWidth);
  assert.ok(jac <= 0, `the Jacobian is cut by ${jac}px`);
  await w.getByRole('button', { name: 'Reset' }).click();
  await w.locator('svg.scores').scrollIntoViewIfNeeded();
  const box = await w.locator('g.bar rect.fill').first().boundingBox();
  const x = box.x + box.width / 2, y = box.y + 2;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let s = 1; s <= 5; s++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + 12 * s }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  const r = await readout(page);
  assert.ok(r.scores[0] < 1.5, `dragged score ${r.scores[0]}`);
  assertMatchesEngine(r);
  assert.deepEqual(page.problems, []);
});
