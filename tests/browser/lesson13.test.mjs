// Lesson 13's widget in headless Chromium: <attn-path-length> counts RNN hops and self-attention
// hops, shows the lesson-1 RNN's influences from the engine and the per-layer work of both layers,
// answers to the keyboard, the mouse and touch, and falls back to defaults with a notice on bad
// attributes. The quiz, axe-core, 360 px and completion are checked for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';
import { fmtMag, fmtCount } from '../../web/widgets/path-length.js';

const LESSON = '/lessons/13-path-length/';
const TAG = 'attn-path-length';
let b, engine;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
});
after(() => b?.close());

async function openLesson(options) {
  const page = await b.newPage(options);
  await page.goto(b.base + LESSON);
  await page.locator(TAG).first().scrollIntoViewIfNeeded();
  await page.locator(`${TAG} svg.paths circle`).first().waitFor();
  return page;
}

// the widget draws a learner's input at the next animation frame: read after it
const state = (page, sel = TAG) => page.locator(sel).evaluate(async (w) => {
  await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
  const r = w.shadowRoot;
  const val = (id) => Number(r.querySelector(id).value);
  return {
    n: val('#pl-n'), from: val('#pl-from'), to: val('#pl-to'), costExp: val('#pl-cost-n'), dExp: val('#pl-d'),
    counts: r.querySelector('.counts').textContent,
    influence: r.querySelector('.influence-line').textContent,
    cost: r.querySelector('.cost-readout').textContent,
    seq: r.querySelector('.seq-readout').textContent,
    dots: r.querySelectorAll('svg.paths circle.tok.rnn').length,
    onHops: r.querySelectorAll('svg.paths line.hop.on').length,
    arcs: r.querySelectorAll('svg.paths path.arc').length,
    table: [...r.querySelectorAll('.panel')[0].querySelectorAll('table tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
    notice: r.querySelector('.notice').hidden ? '' : r.querySelector('.notice').textContent,
    values: w.currentValues(),
  };
});

/** The lesson-1 RNN read up to token j, as the widget prints it. */
function rnn(j) {
  return Array.from(engine.rnnDemo({ length: j, hidden: 16, gain: 0.9, seed: 1 }).influence);
}

test('the widget counts hops and shows the engine\'s RNN influences and the two costs for the preset', async () => {
  const page = await openLesson();
  const s = await state(page);
  assert.deepEqual([s.n, s.from, s.to], [12, 2, 9]);
  assert.match(s.counts, /RNN: 7 hops/);
  assert.match(s.counts, /Self-attention: 1 hop/);
  assert.equal(s.dots, 12);
  assert.equal(s.onHops, 7);
  assert.equal(s.arcs, 1);
  const inf = rnn(9);
  assert.ok(s.influence.includes(`‖∂h_9/∂x_2‖ = ${fmtMag(inf[1])}, against ${fmtMag(inf[8])} for token 9`), s.influence);
  assert.ok(s.influence.includes(`keeps ${fmtMag(inf[1] / inf[8])} of that`), s.influence);
  assert.deepEqual(s.table.map((r) => r[3]), inf.map(fmtMag));
  assert.deepEqual(s.table.map((r) => r[1]), inf.map((_, t) => String(9 - (t + 1))));
  assert.ok(s.cost.includes(`= ${fmtCount(32 * 32 * 512)}`) && s.cost.includes('524,288'), s.cost);
  assert.ok(s.cost.includes(`= ${fmtCount(32 * 512 * 512)}`) && s.cost.includes('8,388,608'), s.cost);
  assert.match(s.cost, /16× less work/);
  assert.match(s.seq, /self-attention 1 .*recurrent 32/);
  assert.deepEqual(s.values, { n: 12, from: 2, to: 9, 'cost-n': 32, d: 512 });
  assert.equal(s.notice, '');
  assert.deepEqual(page.problems, []);
});

test('keyboard: the sliders move the tokens, the sentence length, n and d', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  await w.locator('#pl-from').focus();
  await page.keyboard.press('ArrowRight');
  let s = await state(page);
  assert.equal(s.from, 3);
  assert.match(s.counts, /RNN: 6 hops/);
  const inf = rnn(9);
  assert.ok(s.influence.includes(`‖∂h_9/∂x_3‖ = ${fmtMag(inf[2])}`), s.influence);
  // j below i pushes i down with it
  await w.locator('#pl-to').focus();
  await page.keyboard.press('Home');
  s = await state(page);
  assert.deepEqual([s.from, s.to], [1, 2]);
  assert.match(s.counts, /RNN: 1 hop\b/);
  // the longest sentence: token 1 to token 64
  await w.locator('#pl-n').focus();
  await page.keyboard.press('End');
  await w.locator('#pl-to').focus();
  await page.keyboard.press('End');
  s = await state(page);
  assert.deepEqual([s.n, s.from, s.to], [64, 1, 64]);
  assert.match(s.counts, /RNN: 63 hops/);
  assert.equal(s.onHops, 63);
  assert.equal(s.table.length, 64);
  const inf64 = rnn(64);
  assert.ok(s.influence.includes(`‖∂h_64/∂x_1‖ = ${fmtMag(inf64[0])}`), s.influence);
  // cost: n from 32 up to 1024 (5 doublings) passes d = 512
  await w.locator('#pl-cost-n').focus();
  for (let k = 0; k < 5; k++) await page.keyboard.press('ArrowRight');
  s = await state(page);
  assert.equal(s.values['cost-n'], 1024);
  assert.ok(s.cost.includes(fmtCount(1024 * 1024 * 512)) && s.cost.includes(fmtCount(1024 * 512 * 512)), s.cost);
  assert.match(s.cost, /n > d: past the crossover, self-attention does 2× more work/);
  // d down to 64 moves the crossover
  await w.locator('#pl-d').focus();
  for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowLeft');
  s = await state(page);
  assert.equal(s.values.d, 64);
  assert.match(s.cost, /16× more work/);
  assert.equal(await w.locator('svg.cost .cross-lbl').textContent(), 'crossover n = d = 64');
  assert.deepEqual(page.problems, []);
});

/** Client coordinates of token t in the path drawing. */
async function tokenPoint(page, t) {
  return page.locator(TAG).evaluate((w, t) => {
    const svg = w.shadowRoot.querySelector('svg.paths');
    const c = [...svg.querySelectorAll('circle.tok.attn')][t - 1];
    const box = svg.getBoundingClientRect(), scale = box.width / Number(svg.getAttribute('width'));
    return { x: box.left + Number(c.getAttribute('cx')) * scale, y: box.top + Number(c.getAttribute('cy')) * scale };
  }, t);
}

test('mouse: clicking a token moves the nearer end of the path', async () => {
  const page = await openLesson();
  let p = await tokenPoint(page, 5);
  await page.mouse.click(p.x, p.y);
  let s = await state(page);
  assert.deepEqual([s.from, s.to], [5, 9]);
  p = await tokenPoint(page, 11);
  await page.mouse.click(p.x, p.y);
  s = await state(page);
  assert.deepEqual([s.from, s.to], [5, 11]);
  assert.match(s.counts, /RNN: 6 hops/);
  assert.deepEqual(page.problems, []);
});

test('bad attributes show a notice and the widget still renders defaults; the engine runs', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-path-length');
    w.id = 'bad';
    w.setAttribute('n', '<b>x</b>');
    w.setAttribute('d', '5');
    w.setAttribute('cost-n', '1e9');
    document.querySelector('main').prepend(w);
    const w2 = document.createElement('attn-path-length');
    w2.id = 'bad2';
    w2.setAttribute('n', '10');
    w2.setAttribute('from', '8');
    w2.setAttribute('to', '4');
    document.querySelector('main').prepend(w2);
  });
  for (const id of ['#bad', '#bad2']) {
    await page.locator(id).scrollIntoViewIfNeeded();
    await page.locator(`${id} svg.paths circle`).first().waitFor();
  }
  const s = await state(page, '#bad');
  assert.match(s.notice, /n: "<b>x<\/b>" is not a number/);
  assert.match(s.notice, /d: 5 is outside the allowed range 16\.\.2048/);
  assert.match(s.notice, /cost-n: 1000000000 is outside the allowed range/);
  assert.equal(await page.locator('#bad b').count(), 0);
  assert.deepEqual(s.values, { n: 12, from: 2, to: 9, 'cost-n': 32, d: 512 });
  assert.match(s.counts, /RNN: 7 hops/);
  const s2 = await state(page, '#bad2');
  assert.match(s2.notice, /from: 8 must be below to = 4; using 3/);
  assert.deepEqual([s2.n, s2.from, s2.to], [10, 3, 4]);
});

test('a 360 px phone: a tap on a token moves the path', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await page.locator(`${TAG} .path-box`).scrollIntoViewIfNeeded();
  const p = await tokenPoint(page, 4);
  await page.touchscreen.tap(p.x, p.y);
  const s = await state(page);
  assert.deepEqual([s.from, s.to], [4, 9]);
  assert.deepEqual(page.problems, []);
});
