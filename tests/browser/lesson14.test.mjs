// Lesson 14's widget in headless Chromium: the predict-head game picks its head and sentence from
// the seed and round, reveals the real map equal to model.trace() in node, scores a scripted
// always-previous guess exactly (against chance and the best fixed offset, recomputed here from the
// argmaxes), is playable by keyboard, mouse and touch (at 360 px, with no sideways scroll after the
// reveal), keeps its record across a reload, resets corrupt saved data with a visible notice, and
// shows a notice for bad attributes. The quiz, axe-core and completion are checked for every lesson
// by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startBrowser } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';
import { GAME_SENTENCES, GAME_KEY, puzzleFor } from '../../web/widgets/predict-head.js';

const LESSON = '/lessons/14-predict-heads/';
const TAG = 'attn-predict-head';
const SEED = 7; // the lesson's seed attribute
const analysis = JSON.parse(readFileSync(new URL('../../web/model/analysis.json', import.meta.url), 'utf8'));
let b, model;
before(async () => {
  b = await startBrowser();
  model = await (await loadEngine()).loadModel();
});
after(() => b?.close());

const shown = (v) => Number(v).toFixed(2).replace(/^-(0\.00)$/, '$1').replace('-', '−');
const argmax = (row) => row.reduce((best, v, j) => (v > row[best] ? j : best), 0);

/** What round r shows under SEED, computed in node: head, words, weights, argmaxes. */
function expected(r) {
  const { headIndex, sentenceIndex } = puzzleFor(SEED, r);
  const head = analysis.heads[headIndex];
  const words = GAME_SENTENCES[sentenceIndex].split(' ');
  const weights = model.trace(words).attention[head.layer - 1][head.head - 1];
  return { head, words, weights, tops: weights.map(argmax) };
}

async function openLesson(options, prepare) {
  const page = await b.newPage(options);
  if (prepare) await page.addInitScript(prepare);
  await page.goto(b.base + LESSON);
  await page.locator(TAG).scrollIntoViewIfNeeded();
  await page.locator(`${TAG} button.ph-cell`).first().waitFor();
  return page;
}

const cell = (page, i, j) => page.locator(`${TAG} button.ph-cell[data-row="${i}"][data-col="${j}"]`);
/** Guesses row i -> guess[i] by mouse and reveals. */
async function play(page, guess) {
  for (const [i, j] of guess.entries()) await cell(page, i, j).click();
  await page.locator(`${TAG} button.ph-commit`).click();
  await page.locator(`${TAG} .ph-result table`).waitFor();
}
const record = (page) => page.locator(`${TAG} .ph-record`).textContent();

test('round 1: the head and sentence follow the seed; the revealed map equals model.trace; always-previous is scored right', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  const e = expected(1);
  assert.match(await w.locator('.ph-heading').textContent(), new RegExp(`^Round 1: head ${e.head.id} `));
  assert.match(await w.locator('.ph-sentence').textContent(), new RegExp(e.words.join(' ')));
  assert.equal(await w.locator('.ph-hint').isHidden(), true, 'the hint is hidden by default');
  assert.match(await record(page), /Rounds played: 0/);
  // committing with rows missing only asks for them
  await cell(page, 0, 0).click();
  await w.locator('button.ph-commit').click();
  assert.match(await w.locator('.ph-progress').textContent(), /still open: rows 2, 3, 4, 5/);
  // the scripted guess: always the previous word (row 1 has none, so itself)
  const guess = e.words.map((_, i) => Math.max(0, i - 1));
  await play(page, guess);
  const real = await w.locator('.ph-result table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.replace(' ★', ''))));
  assert.deepEqual(real, e.weights.map((r) => r.map(shown)));
  const stars = await w.locator('.ph-result td.ph-top').evaluateAll((tds) => tds.map((td) => Number(td.dataset.col)));
  assert.deepEqual(stars, e.tops);
  const score = guess.filter((g, i) => g === e.tops[i]).length;
  const offsets = {
    'previous word': e.tops.filter((t, i) => i > 0 && t === i - 1).length,
    'next word': e.tops.filter((t, i) => i < 4 && t === i + 1).length,
    'the word itself': e.tops.filter((t, i) => t === i).length,
    'first word': e.tops.filter((t) => t === 0).length,
  };
  const [bestName, bestScore] = Object.entries(offsets).reduce((a, x) => (x[1] > a[1] ? x : a));
  const text = await w.locator('.ph-score').textContent();
  assert.match(text, new RegExp(`Your score: ${score} of 5 rows\\. Chance: 1 expected`));
  assert.match(text, new RegExp(`Best fixed-offset guess: ${bestName}, ${bestScore} of 5`));
  for (const [name, s] of Object.entries(offsets)) assert.match(await w.locator('.ph-result .hint').first().textContent(), new RegExp(`${name} ${s}/5`));
  assert.match(await w.locator('.ph-result').textContent(), new RegExp(`“${e.head.label}”`));
  assert.equal(await w.locator('.ph-hint').isHidden(), false, 'the label is shown after the reveal');
  assert.match(await record(page), new RegExp(`Best score: ${score} of 5 · rounds played: 1`));
  const saved = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), GAME_KEY));
  assert.equal(saved.version, 1);
  assert.deepEqual(saved.rounds.map((r) => [r.round, r.head, r.score, r.guess]), [[1, e.head.id, score, guess]]);
  assert.deepEqual(page.problems, []);
});

test('keyboard: arrows move, Enter and Space pick, the hint toggles, Next round goes on', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  await w.locator('#ph-hint').focus();
  await page.keyboard.press('Space');
  assert.match(await w.locator('.ph-hint').textContent(), new RegExp(`Measured label: ${expected(1).head.label.replace(/[/]/g, '\\/')}`));
  await w.locator('button.ph-cell[tabindex="0"]').focus();
  await page.keyboard.press('Enter'); // row 1 -> word 1
  for (let i = 1; i < 5; i++) {
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press(i % 2 ? 'Space' : 'Enter'); // row i+1 -> word i+1 (always self)
  }
  const pressed = await w.locator('button.ph-cell[aria-pressed="true"]').evaluateAll((bs) => bs.map((b) => [Number(b.dataset.row), Number(b.dataset.col)]));
  assert.deepEqual(pressed, [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]);
  await page.keyboard.press('Tab'); // to the reveal button
  await page.keyboard.press('Enter');
  await w.locator('.ph-result table').waitFor();
  const e = expected(1);
  assert.match(await w.locator('.ph-score').textContent(), new RegExp(`Your score: ${e.tops.filter((t, i) => t === i).length} of 5`));
  assert.equal((await w.evaluate((el) => el.currentValues())).hint, true);
  await page.keyboard.press('Enter'); // focus moved to "Next round"
  assert.match(await w.locator('.ph-heading').textContent(), new RegExp(`^Round 2: head ${expected(2).head.id} `));
  assert.deepEqual(page.problems, []);
});

test('the record survives a reload, and corrupt saved data is reset with a visible notice', async () => {
  const page = await openLesson();
  await play(page, [0, 0, 1, 2, 3]);
  await page.reload();
  await page.locator(TAG).scrollIntoViewIfNeeded();
  await page.locator(`${TAG} button.ph-cell`).first().waitFor();
  assert.match(await record(page), /rounds played: 1/);
  assert.match(await page.locator(`${TAG} .ph-heading`).textContent(), /^Round 2:/);
  assert.equal(await page.locator(`${TAG} .ph-game-notice`).isHidden(), true);
  // corrupt data, then a wrong shape: reset with a notice, never an error
  for (const bad of ['{not json', JSON.stringify({ version: 1, rounds: [{ score: 'lots' }] }), JSON.stringify({ version: 9, rounds: [] })]) {
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [GAME_KEY, bad]);
    await page.reload();
    await page.locator(TAG).scrollIntoViewIfNeeded();
    await page.locator(`${TAG} button.ph-cell`).first().waitFor();
    assert.match(await page.locator(`${TAG} .ph-game-notice`).textContent(), /could not be read .* reset/);
    assert.match(await record(page), /Rounds played: 0/);
    assert.match(await page.locator(`${TAG} .ph-heading`).textContent(), /^Round 1:/);
    assert.deepEqual(JSON.parse(await page.evaluate((k) => localStorage.getItem(k), GAME_KEY)), { version: 1, rounds: [] });
  }
  await play(page, [0, 0, 1, 2, 3]);
  assert.match(await record(page), /rounds played: 1/);
  assert.deepEqual(page.problems, []);
});

test('bad attributes show a notice and the game still runs with defaults', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-predict-head');
    w.id = 'bad';
    w.setAttribute('seed', '-3');
    w.setAttribute('round', 'two');
    w.setAttribute('hint', '<b>yes</b>');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await w.locator('button.ph-cell').first().waitFor();
  const notice = await w.locator('.notice').first().textContent();
  assert.match(notice, /seed: -3 is outside the allowed range/);
  assert.match(notice, /round: "two" is not a number/);
  assert.match(notice, /hint: "<b>yes<\/b>" must be true or false/);
  assert.equal(await w.locator('b').count(), 0);
  assert.equal(await w.locator('button.ph-cell').count(), 25);
  // a round attribute jumps to that round
  await page.evaluate(() => document.querySelector('#bad').setAttribute('round', '5'));
  await page.waitForFunction(() => /^Round 5:/.test(document.querySelector('#bad').shadowRoot.querySelector('.ph-heading').textContent));
});

test('a 360 px phone: the game plays by touch', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(await overflow() <= 0, `page overflows by ${await overflow()}px`);
  const e = expected(1);
  for (const [i, j] of e.tops.entries()) await cell(page, i, j).tap();
  await page.locator(`${TAG} button.ph-commit`).tap();
  assert.match(await page.locator(`${TAG} .ph-score`).textContent(), /Your score: 5 of 5/);
  assert.ok(await overflow() <= 0, `page overflows by ${await overflow()}px after the reveal`);
});
