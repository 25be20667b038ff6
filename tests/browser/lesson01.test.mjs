// Lesson 1's widget in headless Chromium: <attn-rnn-forget> shows the engine's influences and final
// state, answers to the keyboard, the mouse and touch (a tap on the chart at 360 px), and falls back
// to defaults with a notice on bad attributes. The quiz, axe-core, 360 px and completion are checked
// for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';
import { fmtMag } from '../../web/widgets/rnn-forget.js';

const LESSON = '/lessons/01-rnns-forget/';
const TAG = 'attn-rnn-forget';
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
  await page.locator(TAG).scrollIntoViewIfNeeded();
  await page.locator(`${TAG} .state-strip li`).first().waitFor();
  return page;
}

/** What the engine says for these settings, in the form the widget prints. */
function expected({ length, gain, hidden = 16, seed = 1 }) {
  const run = engine.rnnDemo({ length, hidden, gain, seed });
  const inf = Array.from(run.influence);
  const last = inf[length - 1];
  const hT = Array.from(run.H.data.subarray((length - 1) * hidden, length * hidden));
  return {
    ratio: inf[0] / last,
    table: inf.map((_, d) => [String(d), fmtMag(inf[length - 1 - d]), fmtMag(inf[length - 1 - d] / last)]),
    state: hT.map(shown),
  };
}

// Slider input redraws once per animation frame: read the widget after the next frame has run.
const widgetState = (page) => page.locator(TAG).evaluate(async (w) => {
  await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
  const r = w.shadowRoot;
  return {
    length: Number(r.querySelector('#rnn-length').value),
    gain: Number(r.querySelector('#rnn-gain').value),
    readout: r.querySelector('.readout').textContent,
    point: r.querySelector('.point-readout').textContent,
    state: [...r.querySelectorAll('.state-strip .num')].map((n) => n.textContent),
    caption: r.querySelector('.state-caption').textContent,
    table: [...r.querySelectorAll('table.influence tbody tr')].map((tr) => {
      const c = [...tr.children].map((x) => x.textContent);
      return [c[0], c[2], c[3]];
    }),
    dots: r.querySelectorAll('svg.chart .dot').length,
    clamped: r.querySelectorAll('svg.chart .dot.clamped').length,
    notice: r.querySelector('.notice').hidden ? '' : r.querySelector('.notice').textContent,
  };
});

test('the widget shows the engine\'s influences, ratio and final state for the lesson\'s preset', async () => {
  const page = await openLesson();
  const s = await widgetState(page);
  const e = expected({ length: 30, gain: 0.9 });
  assert.equal(s.length, 30);
  assert.equal(s.gain, 0.9);
  assert.equal(s.dots, 30);
  assert.deepEqual(s.table, e.table);
  assert.deepEqual(s.state, e.state);
  assert.equal(s.state.length, 16);
  assert.match(s.caption, /16 numbers, whatever the length/);
  assert.ok(s.readout.includes(`${fmtMag(e.ratio)} times as much as the last token`), s.readout);
  assert.match(s.readout, /about ×0\.\d\d per step/);
  assert.equal(s.notice, '');
  // the Table view reads as a control, not a heading: a disclosure marker that turns when it opens
  const marker = () => page.locator(`${TAG} details.table-view summary`).evaluate((el) => getComputedStyle(el, '::before').content);
  assert.equal(await marker(), '"▸"');
  await page.locator(`${TAG} details.table-view summary`).click();
  assert.equal(await marker(), '"▾"');
  // the "token 1" label sits clear of the line: no point of the line inside its box
  const onLine = await page.locator(TAG).evaluate((w) => {
    const r = w.shadowRoot, label = [...r.querySelectorAll('svg.chart .end-label')].find((t) => t.textContent === 'token 1').getBBox();
    const pts = r.querySelector('svg.chart .series').getAttribute('points').split(' ').map((p) => p.split(',').map(Number));
    const hit = (x, y) => x >= label.x && x <= label.x + label.width && y >= label.y && y <= label.y + label.height;
    return pts.some(([x, y], i) => i > 0 && Array.from({ length: 11 }, (_, k) => k / 10)
      .some((t) => hit(pts[i - 1][0] + (x - pts[i - 1][0]) * t, pts[i - 1][1] + (y - pts[i - 1][1]) * t)));
  });
  assert.equal(onLine, false, 'the "token 1" label sits on the line');
  assert.deepEqual(page.problems, []);
});

test('keyboard: range inputs change length and gain, arrow keys inspect tokens on the chart', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  const changes = [];
  await page.exposeFunction('recordChange', (d) => changes.push(d));
  await w.evaluate((el) => el.addEventListener('change', (e) => window.recordChange(e.detail)));
  await w.locator('#rnn-length').focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await w.locator('#rnn-gain').focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft'); // 0.90 -> 0.70
  let s = await widgetState(page);
  assert.equal(s.length, 35);
  assert.equal(s.gain, 0.7);
  let e = expected({ length: 35, gain: 0.7 });
  assert.deepEqual(s.table, e.table);
  assert.deepEqual(s.state, e.state);
  assert.ok(s.readout.includes(fmtMag(e.ratio)), s.readout);
  assert.ok(changes.length >= 9, `change events: ${changes.length}`);
  assert.equal(changes.at(-1).length, 35);
  // chart: focus it, Home = last token, arrows step back
  const chart = w.locator('.chart-box');
  await chart.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  s = await widgetState(page);
  assert.match(s.point, /^Token 33 of 35, 2 steps back/);
  assert.equal(await chart.getAttribute('aria-valuenow'), '2');
  assert.ok(s.point.includes(`influence ${e.table[2][1]}`), s.point);
  // a length that pushes early tokens under the floor: they are pinned and labelled "< 1e−30"
  await w.locator('#rnn-length').focus();
  await page.keyboard.press('End');
  await w.locator('#rnn-gain').focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft'); // 0.70 -> 0.40
  s = await widgetState(page);
  e = expected({ length: 100, gain: 0.4 });
  assert.deepEqual(s.table, e.table);
  assert.ok(s.clamped > 0, 'some dots sit on the floor');
  assert.ok(s.table.some((r) => r[1] === 'below 10⁻³⁰'));
  assert.match(await w.locator('svg.chart').textContent(), /<10⁻³⁰/);
  assert.deepEqual(page.problems, []);
});

test('mouse: clicking the gain track and hovering the chart', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  const track = await w.locator('#rnn-gain').boundingBox();
  await page.mouse.click(track.x + track.width - 3, track.y + track.height / 2); // far right: gain 3
  let s = await widgetState(page);
  assert.equal(s.gain, 3);
  const e = expected({ length: 30, gain: 3 });
  assert.deepEqual(s.table, e.table);
  assert.ok(e.ratio > 1);
  assert.match(s.readout, /Token 1/);
  assert.match(await w.locator('.regime').textContent(), /Growing/);
  // hover the left edge of the plot: the last token
  const box = await w.locator('svg.chart').boundingBox();
  await page.mouse.move(box.x + 60, box.y + box.height / 2);
  s = await widgetState(page);
  assert.match(s.point, /^Token 30 of 30, 0 steps back/);
  await page.mouse.click(box.x + box.width - 24, box.y + box.height / 2);
  s = await widgetState(page);
  assert.match(s.point, /^Token 1 of 30, 29 steps back/);
});

test('bad attributes show a notice and the widget renders its defaults', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-rnn-forget');
    w.id = 'bad';
    w.setAttribute('length', '500');
    w.setAttribute('gain', '<b>x</b>');
    w.setAttribute('hidden-size', '2.5');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await w.locator('.state-strip li').first().waitFor();
  const notice = await w.locator('.notice').textContent();
  assert.match(notice, /length: 500 is outside the allowed range 5\.\.100/);
  assert.match(notice, /gain: "<b>x<\/b>" is not a number/);
  assert.match(notice, /hidden-size: "2\.5" is not a whole number/);
  assert.equal(await w.locator('b').count(), 0);
  assert.equal(await w.locator('table.influence tbody tr').count(), 30);
  assert.equal(await w.locator('.state-strip li').count(), 16);
  // valid presets are honoured: an 8-unit RNN on 12 tokens with its own seed
  await page.evaluate(() => {
    const w = document.createElement('attn-rnn-forget');
    w.id = 'preset';
    for (const [k, v] of Object.entries({ length: '12', gain: '1.2', 'hidden-size': '8', seed: '3' })) w.setAttribute(k, v);
    document.querySelector('main').prepend(w);
  });
  const p = page.locator('#preset');
  await p.scrollIntoViewIfNeeded();
  await p.locator('.state-strip li').first().waitFor();
  const e = expected({ length: 12, gain: 1.2, hidden: 8, seed: 3 });
  assert.deepEqual(await p.locator('.state-strip .num').allTextContents(), e.state);
  assert.match(await p.locator('.state-caption').textContent(), /8 numbers, whatever the length/);
  assert.ok((await p.locator('.readout').textContent()).includes(fmtMag(e.ratio)));
  assert.equal(await p.locator('.notice').isHidden(), true);
  assert.deepEqual(page.problems, []);
});

test('a 360 px phone: a tap on the chart inspects a token', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const w = page.locator(TAG);
  await w.locator('details.table-view summary').tap();
  const box = await w.locator('svg.chart').boundingBox();
  await w.locator('.chart-box').scrollIntoViewIfNeeded();
  const box2 = await w.locator('svg.chart').boundingBox();
  await page.touchscreen.tap(box2.x + box2.width - 16, box2.y + box2.height / 2);
  assert.match(await w.locator('.point-readout').textContent(), /^Token 1 of 30/);
  await page.touchscreen.tap(box2.x + 50, box2.y + box2.height / 2);
  assert.match(await w.locator('.point-readout').textContent(), /^Token 30 of 30/);
  assert.ok(box.width <= 340);
  const after = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(after <= 0, `page overflows by ${after}px with the table open`);
  assert.deepEqual(page.problems, []);
});

test('magnitudes read without e-notation: small ones as a decimal with "about 1/N", tiny and huge ones as × 10ⁿ', () => {
  assert.equal(fmtMag(7.9e-5), '0.000079 (about 1/13,000)');
  assert.equal(fmtMag(0.001), '0.001 (about 1/1,000)');
  assert.equal(fmtMag(0.25), '0.25');
  assert.equal(fmtMag(2100), '2,100');
  assert.equal(fmtMag(2.1e-12), '2.1 × 10⁻¹²');
  assert.equal(fmtMag(3.4e8), '3.4 × 10⁸');
  assert.equal(fmtMag(0), 'below 10⁻³⁰');
  for (const v of [1e-29, 5e-7, 3e-3, 0.5, 7, 999, 5e4, 2e9]) assert.doesNotMatch(fmtMag(v), /\de[−+-]?\d/, `${v} reads ${fmtMag(v)}`);
});

test('the lesson\'s advice for l01-make-it-last works: at every length 50-100, any gain from 1.7 up keeps token 1 at least as strong as the last token', () => {
  const failing = [];
  for (let length = 50; length <= 100; length++)
    for (let g = 170; g <= 300; g += 5) {
      const { ratio } = expected({ length, gain: g / 100 });
      if (!(ratio >= 1)) failing.push(`length ${length}, gain ${g / 100}: ${ratio}`);
    }
  assert.deepEqual(failing, []);
});
