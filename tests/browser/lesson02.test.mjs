// Lesson 2's widget in headless Chromium: <attn-soft-lookup> shows the engine's scores, weights and
// blended value, moves the query with the keyboard, mouse drag, touch and number inputs, contrasts
// the hard lookup, and falls back to defaults with a notice on bad attributes. The quiz, axe-core,
// 360 px and completion are checked for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';
import { tempAt, pct } from '../../web/widgets/soft-lookup.js';

const LESSON = '/lessons/02-soft-lookup/';
const TAG = 'attn-soft-lookup';
const K = [[2.0, 0.6], [1.2, 1.8], [-1.8, 0.9], [-0.4, -2.0]];
const V = [[2, 5], [4, 6], [7, 9], [9, 0]];
let b, engine;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
});
after(() => b?.close());

const shown = (v, d = 2) => Number(v).toFixed(d).replace(/^-(0\.0+)$/, '$1').replace('-', '−');

/** The engine's numbers for a query and temperature, formatted as the widget prints them. */
function expected(q, T) {
  const S = engine.scores([q], K);
  const A = engine.softmaxRows(S, T);
  const O = engine.weightedSum(A, V);
  return {
    scores: Array.from(S.data).map((v) => shown(v)),
    weights: Array.from(A.data).map(pct),
    raw: Array.from(A.data),
    output: `(${Array.from(O.data).map((v) => shown(v, 1)).join(', ')})`,
  };
}

async function openLesson(options) {
  const page = await b.newPage(options);
  await page.goto(b.base + LESSON);
  await page.locator(TAG).scrollIntoViewIfNeeded();
  await page.locator(`${TAG} table.weights tbody tr`).first().waitFor();
  return page;
}

// An input redraws in the next animation frame: read the widget after that frame has run.
const widgetState = (page, sel = TAG) => page.locator(sel).evaluate(async (w) => {
  await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
  const r = w.shadowRoot;
  const rows = [...r.querySelectorAll('table.weights tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
  return {
    q: [Number(r.querySelector('#sl-x').value), Number(r.querySelector('#sl-y').value)],
    word: r.querySelector('#sl-word').value,
    T: r.querySelector('.temp output').textContent,
    scores: rows.map((c) => c[2]),
    weights: rows.map((c) => c[3]),
    output: r.querySelector('table.weights tfoot td.out').textContent,
    hard: r.querySelector('.hard-result').textContent,
    soft: r.querySelector('.soft-result').textContent,
    labels: [...r.querySelectorAll('svg.plane .key-label')].map((t) => t.textContent),
    handle: [Number(r.querySelector('.q-handle').getAttribute('cx')), Number(r.querySelector('.q-handle').getAttribute('cy'))],
    notice: r.querySelector('.notice').hidden ? '' : r.querySelector('.notice').textContent,
  };
});

function assertMatchesEngine(s, q, T) {
  const e = expected(q, T);
  assert.deepEqual(s.scores, e.scores);
  assert.deepEqual(s.weights, e.weights);
  assert.equal(s.output, e.output);
  assert.ok(s.soft.includes(e.output));
  return e;
}

test('the preset: "kitten" misses the dictionary, the soft lookup blends by the engine\'s weights', async () => {
  const page = await openLesson();
  const s = await widgetState(page);
  assert.deepEqual(s.q, [1.6, 0.3]);
  assert.equal(s.word, 'kitten');
  assert.equal(s.T, '1.00');
  const e = assertMatchesEngine(s, [1.6, 0.3], 1);
  assert.ok(e.raw[0] > 0.6 && e.raw[0] < 0.8, 'cat leads without taking everything');
  assert.match(s.hard, /KeyError/);
  assert.deepEqual(s.labels, ['1 cat 71%', '2 dog 28%', '3 car <1%', '4 tree 1%']);
  assert.equal(s.notice, '');
  assert.deepEqual(page.problems, []);
});

test('keyboard: arrow keys move the query handle, the temperature range goes hard and soft', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  const changes = [];
  await page.exposeFunction('recordChange', (d) => changes.push(d));
  await w.evaluate((el) => el.addEventListener('change', (e) => window.recordChange(e.detail)));
  await w.locator('.q-handle').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+ArrowLeft');
  let s = await widgetState(page);
  assert.deepEqual(s.q, [1.1, 0]);
  assert.equal(s.word, ''); // a moved query is not a word any more
  assertMatchesEngine(s, [1.1, 0], 1);
  assert.match(s.hard, /a point you dragged is not a key/);
  assert.equal(await w.locator('.q-handle').getAttribute('aria-valuenow'), '1.1');
  assert.equal(changes.length, 4);
  assert.deepEqual(changes.at(-1).query, [1.1, 0]);
  // temperature: Home = 0.05, nearly one-hot; End = 10, nearly flat
  await w.locator('#sl-t').focus();
  await page.keyboard.press('Home');
  s = await widgetState(page);
  assert.equal(s.T, '0.05');
  let e = assertMatchesEngine(s, [1.1, 0], 0.05);
  assert.ok(Math.max(...e.raw) > 0.99);
  assert.match(await w.locator('.soft-note').textContent(), /Nearly one-hot/);
  await page.keyboard.press('End');
  s = await widgetState(page);
  assert.equal(s.T, '10.00');
  e = assertMatchesEngine(s, [1.1, 0], 10);
  assert.ok(Math.max(...e.raw) < 0.4);
  await page.keyboard.press('ArrowLeft'); // one step down the log scale
  s = await widgetState(page);
  const t = tempAt(199);
  assert.equal(s.T, t.toFixed(2));
  assertMatchesEngine(s, [1.1, 0], t);
  assert.deepEqual(page.problems, []);
});

test('mouse: dragging the query towards tree makes tree win; words, numbers and the fallback', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  const plane = await w.locator('svg.plane').boundingBox();
  const at = (x, y) => [plane.x + ((150 + (x / 3) * 130) / 300) * plane.width, plane.y + ((150 - (y / 3) * 130) / 300) * plane.height];
  const handle = await w.locator('.q-handle').boundingBox();
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(...at(0.5, -1), { steps: 5 });
  await page.mouse.move(...at(-0.5, -2), { steps: 5 });
  await page.mouse.up();
  let s = await widgetState(page);
  assert.ok(Math.abs(s.q[0] + 0.5) <= 0.05 && Math.abs(s.q[1] + 2) <= 0.05, `query ${s.q}`);
  let e = assertMatchesEngine(s, s.q, 1);
  assert.equal(e.raw.indexOf(Math.max(...e.raw)), 3, 'tree wins');
  assert.equal(await w.evaluate((el) => el.check('top-key', { key: 4 }).correct), true);
  // a click elsewhere on the plane moves the query there
  await page.mouse.click(...at(-2, 1));
  s = await widgetState(page);
  assert.deepEqual(s.q, [-2, 1]);
  assertMatchesEngine(s, [-2, 1], 1);
  // number inputs
  await w.locator('#sl-x').fill('0.3');
  await w.locator('#sl-y').fill('0.3');
  await w.locator('#sl-y').press('Enter');
  s = await widgetState(page);
  assert.deepEqual(s.q, [0.3, 0.3]);
  assertMatchesEngine(s, [0.3, 0.3], 1);
  // the word "cat": the hard lookup is exact, the soft one still shares the weight
  await w.locator('#sl-word').selectOption('cat');
  s = await widgetState(page);
  assert.deepEqual(s.q, [2, 0.6]);
  assert.match(s.hard, /Exact match: returns \(2, 5\)/);
  e = assertMatchesEngine(s, [2, 0.6], 1);
  assert.ok(e.raw[1] > 0.2, 'dog still gets a share');
  // "truck" misses; the fallback returns the best-scoring key's value (car)
  await w.locator('#sl-word').selectOption('truck');
  assert.match((await widgetState(page)).hard, /KeyError: “truck” is not a key/);
  await w.locator('#sl-fallback').check();
  assert.match((await widgetState(page)).hard, /best-scoring key, car .*returns \(7, 9\)/);
  assert.deepEqual(page.problems, []);
});

test('bad attributes show a notice and the widget renders its defaults; the query attribute wins over the word', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const main = document.querySelector('main');
    const bad = document.createElement('attn-soft-lookup');
    bad.id = 'bad';
    bad.setAttribute('query', '<i>x</i>,1');
    bad.setAttribute('temperature', '0');
    bad.setAttribute('word', 'lion');
    main.prepend(bad);
    const preset = document.createElement('attn-soft-lookup');
    preset.id = 'preset';
    preset.setAttribute('query', '-1,-1.5');
    preset.setAttribute('temperature', '0.5');
    main.prepend(preset);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await w.locator('table.weights tbody tr').first().waitFor();
  let s = await widgetState(page, '#bad');
  assert.match(s.notice, /word: "lion" must be one of cat, dog, car, tree, kitten, puppy, truck/);
  assert.match(s.notice, /query: "<i>x<\/i>" is not a number/);
  assert.match(s.notice, /temperature: 0 is outside the allowed range 0\.05\.\.10/);
  assert.equal(await w.locator('i').count(), 0);
  assert.deepEqual(s.q, [1.6, 0.3]);
  assertMatchesEngine(s, [1.6, 0.3], 1);
  const p = page.locator('#preset');
  await p.scrollIntoViewIfNeeded();
  await p.locator('table.weights tbody tr').first().waitFor();
  s = await widgetState(page, '#preset');
  assert.equal(s.notice, '');
  assert.deepEqual(s.q, [-1, -1.5]);
  assert.equal(s.word, '');
  assertMatchesEngine(s, [-1, -1.5], 0.5);
  assert.deepEqual(page.problems, []);
});

test('a 360 px phone: a tap on the plane moves the query', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const w = page.locator(TAG);
  await w.locator('svg.plane').scrollIntoViewIfNeeded();
  const plane = await w.locator('svg.plane').boundingBox();
  assert.ok(plane.x >= 0 && plane.x + plane.width <= 360, 'the plane fits on screen');
  await page.touchscreen.tap(plane.x + ((150 + (-1.8 / 3) * 130) / 300) * plane.width, plane.y + ((150 - (0.9 / 3) * 130) / 300) * plane.height);
  const s = await widgetState(page);
  assert.ok(Math.abs(s.q[0] + 1.8) <= 0.05 && Math.abs(s.q[1] - 0.9) <= 0.05, `query ${s.q}`);
  const e = assertMatchesEngine(s, s.q, 1);
  assert.equal(e.raw.indexOf(Math.max(...e.raw)), 2, 'car wins');
  assert.deepEqual(page.problems, []);
});

test('the query\'s label is never under the handle: every query word and points all over the plane, desktop and 360 px', async () => {
  for (const options of [undefined, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }]) {
    const page = await openLesson(options);
    const w = page.locator(TAG);
    const clash = () => w.evaluate(async (el) => {
      await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))); // the redraw waits for the next frame
      const r = el.shadowRoot, label = r.querySelector('.q-label').getBBox(), h = r.querySelector('.q-handle');
      const cx = Number(h.getAttribute('cx')), cy = Number(h.getAttribute('cy')), R = Number(h.getAttribute('r')) + 2;
      const nx = Math.max(label.x, Math.min(cx, label.x + label.width)), ny = Math.max(label.y, Math.min(cy, label.y + label.height));
      const inside = label.x >= 0 && label.y >= 0 && label.x + label.width <= 300 && label.y + label.height <= 300;
      return { text: r.querySelector('.q-label').textContent, covered: Math.hypot(nx - cx, ny - cy) < R, inside };
    });
    const words = await w.locator('#sl-word option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    const bad = [];
    for (const word of words) {
      await w.locator('#sl-word').selectOption(word);
      const c = await clash();
      if (c.covered || !c.inside) bad.push(`${word}: ${JSON.stringify(c)}`);
    }
    for (const x of [-2.9, -1.5, 0, 1.6, 2.9])
      for (const y of [-2.9, -0.5, 0.3, 2.9]) {
        await w.locator('#sl-x').fill(String(x));
        await w.locator('#sl-y').fill(String(y));
        await w.locator('#sl-y').press('Enter');
        const c = await clash();
        if (c.covered || !c.inside) bad.push(`(${x}, ${y}): ${JSON.stringify(c)}`);
      }
    assert.deepEqual(bad, []);
    assert.deepEqual(page.problems, []);
  }
});

test('no weight reads as exactly 0% or 100%: every key keeps a share, as the lesson says, even where float32 rounds it away', async () => {
  // pure formatting first: the ends of the range, including float32's exact 0 and 1
  assert.deepEqual([0, 1e-40, 0.0004, 0.0005, 0.5, 0.9995, 1].map(pct), ['<0.1%', '<0.1%', '<0.1%', '0.1%', '50.0%', '>99.9%', '>99.9%']);
  const page = await openLesson();
  const w = page.locator(TAG);
  // tree's direction, far out, at the lowest temperature: the engine's weights round to exactly 0 and 1
  await w.locator('#sl-x').fill('0.3');
  await w.locator('#sl-x').press('Enter');
  await w.locator('#sl-y').fill('-2.5');
  await w.locator('#sl-y').press('Enter');
  await w.locator('#sl-t').focus();
  await page.keyboard.press('Home');
  const s = await widgetState(page);
  const e = expected(s.q, 0.05);
  assert.ok(e.raw.includes(0) || e.raw.includes(1), `the engine rounds a weight to 0 or 1: ${e.raw}`);
  assert.deepEqual(s.weights, e.weights);
  for (const text of [...s.weights, ...s.labels, s.soft]) assert.doesNotMatch(text, /(^|[^.\d])(0\.0|100\.0|0|100)%/, text);
  assert.deepEqual(page.problems, []);
});
