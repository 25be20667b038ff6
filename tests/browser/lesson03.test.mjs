// Lesson 3's widget in headless Chromium: <attn-dot-arrows> shows the engine's numbers, answers to
// the keyboard, the mouse, touch and typed coordinates, doubles b without moving the cosine, and
// shows a notice for bad attributes. The quiz, axe-core, 360 px and completion are checked for every
// lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';

const LESSON = '/lessons/03-dot-product/';
const TAG = 'attn-dot-arrows';
let b, engine;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
});
after(() => b?.close());

/** The widget's number formatting (base.js fmt): fixed digits, real minus sign, no "-0.00". */
const shown = (v, d = 2) => {
  const s = Number(v).toFixed(d);
  return (Number(s) === 0 ? (0).toFixed(d) : s).replace('-', '−');
};

async function openLesson(options) {
  const page = await b.newPage(options);
  await page.goto(b.base + LESSON);
  await page.locator(TAG).first().scrollIntoViewIfNeeded();
  await page.waitForFunction((t) => document.querySelector(t)?.ready, TAG);
  return page;
}

/** What the widget currently reads out. */
const readout = (page) => page.locator(TAG).first().evaluate((w) => {
  const r = w.shadowRoot, text = (s) => r.querySelector(s)?.textContent ?? '';
  const coords = (k) => [...r.querySelectorAll(`tr.row-${k} input`)].map((i) => Number(i.value));
  return { a: coords('a'), b: coords('b'), dot: text('.card.dot .card-value'), cos: text('.card.cos .card-value'),
    sign: text('.sign strong'), eqs: text('.eqs'), lengths: [...r.querySelectorAll('table.vectors td.num')].map((td) => td.textContent) };
});

/** Checks every number shown against engine.compareVectors(a, b) for the coordinates shown. */
function assertMatchesEngine(r) {
  const c = engine.compareVectors(r.a, r.b);
  assert.equal(r.dot, shown(c.dot), `a·b for ${r.a} and ${r.b}`);
  assert.equal(r.cos, shown(c.cosine, 3));
  assert.deepEqual(r.lengths, [shown(c.normA), shown(c.normB)]);
  assert.ok(r.eqs.includes(`θ = ${shown(c.angleDeg, 1)}°`), r.eqs);
  assert.ok(r.eqs.includes(`${shown(c.projection)} (signed)`), r.eqs);
  return c;
}

/**
 * Client (CSS pixel) position of plane point (x, y) in the widget's SVG, once the page has stopped
 * moving: fonts loaded and the point unchanged over three animation frames. (Under CI load the page
 * could still shift after the widget was ready, and a press aimed at a tip landed beside it.)
 */
const planeToClient = (page, x, y) => page.locator(TAG).first().evaluate(async (w, [px, py]) => {
  await document.fonts.ready;
  const s = w.shadowRoot.querySelector('svg.plane');
  const at = () => {
    const p = s.createSVGPoint();
    p.x = px * w.unit;
    p.y = -py * w.unit;
    const q = p.matrixTransform(s.getScreenCTM());
    return { x: q.x, y: q.y };
  };
  let last = at();
  for (let still = 0; still < 3;) {
    await new Promise((ok) => requestAnimationFrame(ok));
    const now = at();
    still = now.x === last.x && now.y === last.y ? still + 1 : 0;
    last = now;
  }
  return last;
}, [x, y]);

/** Which handle ('a', 'b') the pointer would press at client point p, or null. */
const handleAt = (page, p) => page.locator(TAG).first().evaluate((w, { x, y }) =>
  w.shadowRoot.elementFromPoint(x, y)?.closest('g.handle')?.classList[1] ?? null, p);

test('the lesson loads cleanly and the widget shows the engine\'s numbers for a = (2, 1), b = (1, 2)', async () => {
  const page = await openLesson();
  const r = await readout(page);
  assert.deepEqual([r.a, r.b], [[2, 1], [1, 2]]);
  const c = assertMatchesEngine(r);
  assert.equal(r.dot, '4.00');
  assert.equal(r.sign, 'a·b is positive');
  assert.match(r.eqs, new RegExp(`${shown(c.normA)} × ${shown(c.normB)} × cos 36\\.9°`));
  assert.deepEqual(page.problems, []);
});

test('keyboard: arrow keys move a tip by 0.1, Shift by 1; the sign flips through zero', async () => {
  const page = await openLesson();
  const w = page.locator(TAG).first();
  await page.evaluate((t) => {
    window.changes = [];
    document.querySelector(t).addEventListener('change', (e) => window.changes.push(e.detail));
  }, TAG);
  const handle = w.locator('g.handle.b');
  await handle.focus();
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft'); // b = (-1, 2): perpendicular to a = (2, 1)
  let r = await readout(page);
  assert.deepEqual(r.b, [-1, 2]);
  assert.equal(r.sign, 'a·b is zero');
  assertMatchesEngine(r);
  assert.equal(await handle.getAttribute('aria-valuetext'), 'x −1.0, y 2.0');
  assert.equal(await w.locator('path.square').getAttribute('visibility'), 'visible');
  await page.keyboard.press('ArrowLeft'); // (-1.1, 2)
  await page.keyboard.press('ArrowDown'); // (-1.1, 1.9)
  r = await readout(page);
  assert.deepEqual(r.b, [-1.1, 1.9]);
  assert.equal(r.sign, 'a·b is negative');
  const c = assertMatchesEngine(r);
  assert.match(await w.locator('line.shadow').getAttribute('class'), /negative/);
  const changes = await page.evaluate(() => window.changes);
  assert.equal(changes.length, 4);
  assert.ok(Math.abs(changes.at(-1).dot - c.dot) < 1e-6);
  assert.deepEqual(page.problems, []);
});

test('mouse: dragging a tip moves it to the grid point under the pointer', async () => {
  const page = await openLesson();
  const from = await planeToClient(page, 2, 1), to = await planeToClient(page, 3, -1);
  assert.equal(await handleAt(page, from), 'a', 'the press lands on the tip of a');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 3 });
  await page.mouse.up();
  const r = await readout(page);
  assert.deepEqual(r.a, [3, -1]);
  assert.equal(assertMatchesEngine(r).dot, 1);
  // the tip keeps keyboard focus after a drag, so the keys fine-tune it
  await page.keyboard.press('ArrowUp');
  assert.deepEqual((await readout(page)).a, [3, -0.9]);
});

test('typed coordinates move the arrows; doubling b doubles a·b and leaves the cosine alone', async () => {
  const page = await openLesson();
  const w = page.locator(TAG).first();
  await w.locator('tr.row-b input').nth(0).fill('-1');
  await w.locator('tr.row-b input').nth(1).fill('3');
  await w.locator('tr.row-b input').nth(1).press('Enter');
  let r = await readout(page);
  assert.deepEqual(r.b, [-1, 3]);
  const before = assertMatchesEngine(r);
  assert.equal(r.dot, '1.00');
  await w.getByRole('button', { name: 'Double b’s length' }).click();
  r = await readout(page);
  assert.deepEqual(r.b, [-1, 3], 'refused: b = (-2, 6) would leave the ±4 plane');
  assert.match(await w.locator('.compare').textContent(), /outside the plane/);
  await w.getByRole('button', { name: 'Halve b’s length' }).click(); // (-0.5, 1.5)
  r = await readout(page);
  assert.deepEqual(r.b, [-0.5, 1.5]);
  const half = assertMatchesEngine(r);
  await w.getByRole('button', { name: 'Double b’s length' }).click(); // back to (-1, 3)
  r = await readout(page);
  const doubled = assertMatchesEngine(r);
  assert.ok(Math.abs(doubled.dot - 2 * half.dot) < 1e-5);
  assert.equal(shown(doubled.cosine, 3), shown(half.cosine, 3));
  assert.equal(shown(doubled.cosine, 3), shown(before.cosine, 3));
  assert.match(await w.locator('.compare').textContent(), /Doubled b.*a·b went from 0\.50 to 1\.00; the cosine similarity stayed 0\.141/);
  // halving twice gives hundredths, kept exact: rounding (-0.25, 0.75) to tenths would turn b and move the cosine
  await w.getByRole('button', { name: 'Halve b’s length' }).click();
  await w.getByRole('button', { name: 'Halve b’s length' }).click();
  r = await readout(page);
  assert.deepEqual(r.b, [-0.25, 0.75]);
  assert.equal(shown(assertMatchesEngine(r).cosine, 3), shown(before.cosine, 3));
  assert.match(await w.locator('.compare').textContent(), /Halved b: \(−0\.5, 1\.5\) → \(−0\.25, 0\.75\)\. a·b went from 0\.50 to 0\.25; the cosine similarity stayed 0\.141/);
  await w.getByRole('button', { name: 'Reset' }).click();
  assert.deepEqual((await readout(page)).b, [1, 2]);
});

test('bad attributes show a notice and the widget still renders defaults; no HTML is injected', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-dot-arrows');
    w.id = 'bad';
    w.setAttribute('a', '<img src=x onerror="window.pwned=1">,1');
    w.setAttribute('b', '9,9');
    w.setAttribute('extent', 'wide');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('#bad').ready);
  const notice = await w.locator('.notice').textContent();
  assert.match(notice, /a: "<img src=x onerror="window\.pwned=1">" is not a number/);
  assert.match(notice, /b: 9 is outside the allowed range -8\.\.8/);
  assert.match(notice, /extent: "wide" is not a number/);
  assert.equal(await w.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  const r = await w.evaluate((el) => [...el.shadowRoot.querySelectorAll('table.vectors input')].map((i) => Number(i.value)));
  assert.deepEqual(r, [2, 1, 1, 2]);
  // a valid attribute that lies outside the plane is pulled inside, with a note
  await page.evaluate(() => {
    const el = document.querySelector('#bad');
    el.removeAttribute('b');
    el.setAttribute('a', '6,1');
  });
  await page.waitForFunction(() => /a: \(6, 1\) lies outside the plane \(±4\); using \(4\.0, 1\.0\)/.test(document.querySelector('#bad').shadowRoot.querySelector('.notice').textContent));
  assert.deepEqual(await w.evaluate((el) => el.state.a), [4, 1]);
  assert.deepEqual(page.problems, []);
});

/** Sets both arrows through the coordinate inputs of the lesson's widget. */
async function setArrows(page, a, bv) {
  const w = page.locator('#arrows');
  for (const [k, v] of [['a', a], ['b', bv]])
    for (const i of [0, 1]) await w.locator(`tr.row-${k} input`).nth(i).fill(String(v[i]));
}

test('a 360 px phone: a finger drags a tip', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const inner = await page.locator(TAG).first().evaluate((w) => w.shadowRoot.querySelector('.widget-body').scrollWidth - w.shadowRoot.querySelector('.widget-body').clientWidth);
  assert.ok(inner <= 0, `the widget scrolls sideways by ${inner}px`);
  const from = await planeToClient(page, 1, 2), to = await planeToClient(page, -2, -1);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from.x, y: from.y }] });
  for (let s = 1; s <= 5; s++)
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from.x + ((to.x - from.x) * s) / 5, y: from.y + ((to.y - from.y) * s) / 5 }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  const r = await readout(page);
  assert.deepEqual(r.b, [-2, -1]);
  assert.equal(r.sign, 'a·b is negative');
  assertMatchesEngine(r);
  assert.deepEqual(page.problems, []);
});

test('the shadow\'s label and the angle\'s θ never sit on a visible tick number, at 1280 and 360 px', async () => {
  // the covered ticks are worked out in the animation frame after an input: read after it
  const overlaps = (page) => page.locator(TAG).first().evaluate(async (w) => {
    await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
    const r = w.shadowRoot;
    const labels = [...r.querySelectorAll('.shadow-label, .arc-label')].filter((l) => l.getAttribute('visibility') !== 'hidden').map((l) => l.getBBox());
    return [...r.querySelectorAll('.grid .tick')].filter((t) => getComputedStyle(t).visibility !== 'hidden').filter((t) => {
      const b = t.getBBox();
      return labels.some((label) => b.x < label.x + label.width && label.x < b.x + b.width && b.y < label.y + label.height && label.y < b.y + b.height);
    }).map((t) => t.textContent);
  });
  const hidden = (page) => page.locator(TAG).first().evaluate(async (w) => {
    await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
    return w.shadowRoot.querySelectorAll('.grid .tick.covered').length;
  });
  for (const viewport of [undefined, { width: 360, height: 740 }]) {
    const page = await openLesson(viewport && { viewport });
    // the lesson's preset puts the label on the x axis's numbers: they are hidden, the others stay
    assert.deepEqual(await overlaps(page), []);
    assert.ok(await hidden(page) > 0 && await hidden(page) <= 3, `${await hidden(page)} ticks hidden`);
    // a turned to the diagonal: the label leaves both axes and every tick number shows again
    const w = page.locator(TAG).first();
    for (const [k, v] of [['x', 2], ['y', 2]]) {
      await w.getByLabel(`Arrow a, ${k} coordinate`).fill(String(v));
      await w.getByLabel(`Arrow a, ${k} coordinate`).press('Enter');
    }
    assert.deepEqual(await overlaps(page), []);
    assert.equal(await hidden(page), 0);
    // both arrows down and apart: θ sits on the y axis's −1
    for (const [k, v] of [['a, x', -3.7], ['a, y', -3.9], ['b, x', 3.9], ['b, y', -3.8]]) {
      await w.getByLabel(`Arrow ${k} coordinate`).fill(String(v));
      await w.getByLabel(`Arrow ${k} coordinate`).press('Enter');
    }
    assert.deepEqual(await overlaps(page), []);
    assert.ok(await hidden(page) >= 1);
    assert.deepEqual(page.problems, []);
  }
});
