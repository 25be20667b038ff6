// Lesson 5's widget in headless Chromium: <attn-embed> shows the engine's X for preset and typed
// sentences, answers to keyboard, mouse and touch, marks repeated and unknown words, fits a 360 px
// phone in every state, and rejects bad input without injecting HTML. The quiz, axe-core and
// completion are checked for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './browser.mjs';
import { loadEngine, rowOf } from '../../web/core/engine.js';

const LESSON = '/lessons/05-embed-sentence/';
const DEFAULT = ['the', 'cat', 'chased', 'the', 'mouse'];
let b, engine;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
});
after(() => b?.close());

/** What the widget prints for a value: 2 decimals at most, no trailing zeros, a real minus sign. */
const shown = (v) => Number(v).toFixed(2).replace(/^-(0\.00)$/, '$1').replace('-', '−').replace(/\.?0+$/, '');
const engineRows = (tokens, positions) => {
  const e = engine.embed(tokens, positions);
  return Array.from({ length: e.X.rows }, (_, i) => rowOf(e.X, i).map(shown));
};

async function openLesson(options) {
  const page = await b.newPage(options);
  await page.goto(b.base + LESSON);
  const w = page.locator('#embed');
  await w.scrollIntoViewIfNeeded();
  await w.locator('table.embed td.cell').first().waitFor();
  return { page, w };
}

/** The X table as text, row by row. */
const xTable = (w) => w.locator('table.embed tbody tr').evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));

test('the widget shows the engine\'s X with the 8 named features, with and without positions', async () => {
  const { page, w } = await openLesson();
  assert.deepEqual(await xTable(w), engineRows(DEFAULT, false));
  assert.deepEqual(await w.locator('table.embed thead th').allTextContents(), engine.vocab().features);
  // the repeated "the" rows are marked and identical
  assert.equal(await w.locator('table.embed tr.repeat').count(), 2);
  assert.match(await w.locator('.compare').textContent(), /row 1 − row 4 = \(0, 0, 0, 0, 0, 0, 0, 0\).*Identical rows/);
  // keyboard: Tab to the checkbox and press Space
  await w.locator('#positions').focus();
  await page.keyboard.press('Space');
  assert.deepEqual(await xTable(w), engineRows(DEFAULT, true));
  const e = engine.embed(DEFAULT, true);
  const diff = engine.project([[1, 0, 0, -1, 0]], e.X);
  assert.match(await w.locator('.compare').textContent(), new RegExp(`\\(${Array.from(diff.data).map(shown).join(', ')}\\).*Different in 5 of 8 columns`));
  // with positions on, a row is read as numbers, not as features ("the" is not a verb at token 1)
  assert.equal(await w.locator('.readout').textContent(),
    `Row 1: the 1 = (${engineRows(DEFAULT, true)[0].join(', ')}): the word's features plus the position vector of token 1.`);
  assert.deepEqual(page.problems, []);
});

test('keyboard: arrow keys move between rows and each row is read out', async () => {
  const { page, w } = await openLesson();
  await w.locator('table.embed tbody th[tabindex="0"]').focus();
  assert.match(await w.locator('.readout').textContent(), /Row 1: the 1 = function word 1; every other feature 0\./);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.match(await w.locator('.readout').textContent(), /Row 3: chased = verb 1, motion 1; every other feature 0\./);
  assert.equal(await w.locator('table.embed tbody tr').nth(2).getAttribute('class'), 'hl-row');
  assert.equal(await w.locator('table.embed tbody th').nth(2).getAttribute('tabindex'), '0');
  await page.keyboard.press('End');
  assert.match(await w.locator('.readout').textContent(), /Row 5: mouse = noun 1, animate 1, size −1; every other feature 0\./);
  await page.keyboard.press('Home');
  assert.match(await w.locator('.readout').textContent(), /Row 1: the 1/);
});

test('mouse: presets, hover, click, reverse the order', async () => {
  const { page, w } = await openLesson();
  await w.locator('table.embed tbody tr').nth(1).hover();
  assert.match(await w.locator('.readout').textContent(), /Row 2: cat = noun 1, animate 1, size −0\.5/);
  await w.locator('table.embed tbody tr').nth(4).locator('td').first().click();
  assert.match(await w.locator('.readout').textContent(), /Row 5: mouse/);
  await w.locator('#preset').selectOption('she gave him a book');
  assert.deepEqual(await xTable(w), engineRows(['she', 'gave', 'him', 'a', 'book'], false));
  assert.match(await w.locator('.compare').textContent(), /No word repeats/);
  // reversing without positions only reorders the rows
  await w.locator('#preset').selectOption('the cat chased the mouse');
  await w.getByRole('button', { name: 'Reverse the order' }).click();
  assert.deepEqual(await xTable(w), engineRows([...DEFAULT].reverse(), false));
  assert.match(await w.locator('.order-note').textContent(), /Every word kept exactly the same row/);
  // with positions on, reversing changes the rows of the words that moved
  await w.locator('#positions').click();
  await w.getByRole('button', { name: 'Reverse the order' }).click();
  assert.deepEqual(await xTable(w), engineRows(DEFAULT, true));
  assert.match(await w.locator('.order-note').textContent(), /4 of 5 words now have a different row/);
  assert.deepEqual(page.problems, []);
});

test('typed sentences: validated inline, unknown words marked, never injected as HTML', async () => {
  const { page, w } = await openLesson();
  const input = w.locator('#own-words');
  const embed = w.getByRole('button', { name: 'Embed', exact: true });
  await input.fill('<img src=x onerror="window.pwned=1">');
  await embed.click();
  assert.match(await w.locator('#own-msg').textContent(), /is not a word: use letters only/);
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  await input.fill('one two three four five six');
  await input.press('Enter');
  assert.match(await w.locator('#own-msg').textContent(), /That is 6 words; this widget takes at most 5/);
  await input.fill('   ');
  await input.press('Enter');
  assert.match(await w.locator('#own-msg').textContent(), /Type at least one word/);
  assert.equal(await w.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(await xTable(w), engineRows(DEFAULT, false), 'a rejected sentence leaves X alone');
  await input.fill('The Zorp sat');
  await input.press('Enter');
  assert.equal(await input.getAttribute('aria-invalid'), null);
  assert.deepEqual(await xTable(w), engineRows(['the', 'zorp', 'sat'], false));
  assert.equal(await w.locator('.chip .badge').allTextContents().then((t) => t.join()), 'seeded random vector');
  assert.match(await w.locator('table.embed tbody tr').nth(1).locator('th').textContent(), /seeded random vector/);
  assert.match(await w.locator('.unknown-note').textContent(), /Not in the vocabulary: zorp/);
  assert.equal(await w.locator('#preset').inputValue(), 'own');
  assert.equal(await w.locator('#own-msg').textContent(), 'Embedded “the zorp sat”.');
  // once the sentence on screen is another one, the line under the box no longer claims it
  await w.getByRole('button', { name: 'Reverse the order' }).click();
  assert.equal(await w.locator('#own-msg').textContent(), 'Letters only, 1 to 5 words.');
  assert.deepEqual(page.problems, []);
});

test('bad attributes show a notice and the widget still renders defaults', async () => {
  const { page } = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-embed');
    w.id = 'bad';
    w.setAttribute('sentence', 'one two three four five six');
    w.setAttribute('positions', 'maybe');
    w.setAttribute('selected', '9');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await w.locator('table.embed td.cell').first().waitFor();
  const notice = await w.locator('.notice').textContent();
  assert.match(notice, /sentence: has 6 words; at most 5 are allowed/);
  assert.match(notice, /positions: "maybe" must be true or false/);
  assert.match(notice, /selected: 9 is outside the allowed range 1\.\.5/);
  assert.deepEqual(await xTable(w), engineRows(DEFAULT, false));
  // a valid attribute whose row is past the end of a short sentence gets its own note
  await page.evaluate(() => {
    const el = document.querySelector('#bad');
    el.setAttribute('sentence', 'birds sat');
    el.setAttribute('positions', 'true');
    el.setAttribute('selected', '3'); // counted from 1: one past the end
  });
  await page.waitForFunction(() => /selected: row 3 is outside the 2-token sentence; selecting row 1/.test(document.querySelector('#bad').shadowRoot.querySelector('.notice').textContent));
  assert.deepEqual(await xTable(w), engineRows(['birds', 'sat'], true));
});

test('a 360 px phone: no sideways scrolling, the table fits, tapping a row reads it', async () => {
  const { page, w } = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  for (const step of [() => {}, () => w.locator('#positions').check(), () => w.locator('#preset').selectOption('the cat chased the laser')]) {
    await step();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
    const inner = await w.locator('.embed-scroll').evaluate((d) => d.scrollWidth - d.clientWidth);
    assert.ok(inner <= 0, `the table scrolls sideways by ${inner}px`);
  }
  await w.locator('table.embed tbody tr').nth(2).locator('td').nth(3).tap();
  assert.match(await w.locator('.readout').textContent(), /Row 3: chased/);
  assert.deepEqual(page.problems, []);
});
