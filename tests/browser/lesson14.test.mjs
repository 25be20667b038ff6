// Lesson 14's widget in headless Chromium: the predict-head game shows round r exactly as node
// computes it (head from the seed, a fresh sampled sentence), reveals the real map equal to
// model.trace() with a graded score and the pre-chosen baselines, gives 60 distinct rounds, reopens
// a copied link exactly, plays "the dog saw a cat" and handles unknown words and punctuation, traces
// a whole layer with a routing view, keeps its record in the course progress store (migrating the old
// one), plays by keyboard and by touch at 360 px, and shows a notice for bad attributes. The quiz,
// axe-core and completion are checked for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startBrowser } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';
import { LEGACY_GAME_KEY, RECORD_KEY, roundPlan, scoreRound, sentenceFor } from '../../web/widgets/predict-head-rounds.js';

const LESSON = '/lessons/14-predict-heads/';
const TAG = 'attn-predict-head';
const SEED = 7; // the lesson's seed attribute
const analysis = JSON.parse(readFileSync(new URL('../../web/model/analysis.json', import.meta.url), 'utf8'));
let b, engine, model;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
  model = await engine.loadModel();
});
after(() => b?.close());

const shown = (v) => Number(v).toFixed(2).replace(/^-(0\.00)$/, '$1').replace('-', '−');

/** What round r shows under SEED, computed in node. */
function expected(r) {
  const plan = roundPlan(SEED, r);
  const head = analysis.heads[plan.headIndex];
  const parse = sentenceFor(engine, head, plan.samplerSeed);
  const weights = model.trace(parse.words).attention[head.layer - 1][head.head - 1];
  return { head, parse, words: parse.words, weights };
}

async function openLesson(options, prepare, url = b.base + LESSON) {
  const page = await b.newPage(options);
  if (prepare) await page.addInitScript(prepare);
  await page.goto(url);
  await page.locator(TAG).scrollIntoViewIfNeeded();
  await page.locator(`${TAG} button.ph-cell`).first().waitFor();
  return page;
}

const cell = (page, i, j, grid = null) => page.locator(`${TAG} button.ph-cell${grid ? `[data-grid="${grid}"]` : ''}[data-row="${i}"][data-col="${j}"]`);
async function play(page, guess) {
  for (const [i, j] of guess.entries()) await cell(page, i, j).click();
  await page.locator(`${TAG} button.ph-commit`).click();
  await page.locator(`${TAG} .ph-result table.ph-real`).first().waitFor();
}
const text = (page, sel) => page.locator(`${TAG} ${sel}`).first().textContent();
const stored = (page) => page.evaluate((k) => JSON.parse(localStorage.getItem('attention-lab/progress') ?? '{}').widgets?.[k] ?? null, RECORD_KEY);

test('round 1: head and sentence follow the seed; the map equals model.trace; graded score and baselines are right; the record is in the progress store', async () => {
  const page = await openLesson();
  const e = expected(1);
  assert.match(await text(page, '.ph-heading'), new RegExp(`^Round 1: head ${e.head.id} `));
  assert.match(await text(page, '.ph-sentence'), new RegExp(e.words.join(' ')));
  assert.equal(await page.locator(`${TAG} .ph-hint`).isHidden(), true, 'the hint is hidden by default');
  assert.match(await text(page, '.ph-record'), /Rounds played: 0/);
  await cell(page, 0, 0).click();
  await page.locator(`${TAG} button.ph-commit`).click();
  assert.match(await text(page, '.ph-progress'), /still open: rows 2, 3, 4, 5/);
  const guess = [0, 0, 1, 2, 3];
  await play(page, guess);
  const real = await page.locator(`${TAG} .ph-result table.ph-real tbody tr`).evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.replace(' ★', ''))));
  assert.deepEqual(real, e.weights.map((r) => r.map(shown)));
  const s = scoreRound({ head: e.head, weights: e.weights, guess, parse: e.parse });
  assert.match(await text(page, '.ph-score'), new RegExp(`you scored ${s.learner.toFixed(2)} of 5`));
  const table = await page.locator(`${TAG} table.ph-baselines tbody tr`).evaluateAll((rows) => rows.map((r) => r.querySelector('td').textContent));
  assert.deepEqual(table, [s.learner, 1, s.offset, s.label].map((x) => x.toFixed(2)));
  assert.match(await text(page, '.ph-result'), new RegExp(`“${e.head.label}”`));
  assert.equal(await page.locator(`${TAG} .ph-hint`).isHidden(), false, 'the label is shown after the reveal');
  assert.deepEqual(await stored(page), { v: 2, played: 1, rounds: [[e.head.id, s.learner, s.offset, s.label]] });
  assert.match(await text(page, '.ph-record'), /Rounds played: 1\./);
  assert.equal(await page.locator(`${TAG} svg.ph-chart`).count(), 1);
  assert.deepEqual(page.problems, []);
});

test('60 rounds in a row (round attribute) give at least 55 distinct (head, sentence) pairs, exactly as node computes them', async () => {
  const page = await openLesson();
  const pairs = new Set();
  for (let r = 1; r <= 60; r++) {
    const got = await page.evaluate(async ([tag, round]) => {
      const w = document.querySelector(tag);
      w.setAttribute('round', String(round));
      const heading = () => w.shadowRoot.querySelector('.ph-heading').textContent;
      for (let i = 0; i < 100 && !heading().startsWith(`Round ${round}:`); i++) await new Promise((ok) => setTimeout(ok, 20));
      const v = w.currentValues();
      return [v.head, v.sentence.join(' ')];
    }, [TAG, r]);
    const e = expected(r);
    assert.deepEqual(got, [e.head.id, e.words.join(' ')], `round ${r}`);
    pairs.add(got.join('|'));
  }
  assert.ok(pairs.size >= 55, `${pairs.size} distinct`);
});

test('Next round goes on, and a copied link reopens that exact round', async () => {
  const page = await openLesson();
  await play(page, [0, 0, 1, 2, 3]);
  await page.locator(`${TAG} button.ph-next`).click();
  await play(page, [1, 2, 3, 4, 4]);
  await page.locator(`${TAG} button.ph-next`).click();
  const heading = await text(page, '.ph-heading');
  const sentence = await text(page, '.ph-sentence');
  assert.match(heading, /^Round 3:/);
  // the hash is written after the frame that shows a change: round 2's link may still be there
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(() => setTimeout(ok, 0), 0))));
  await page.waitForFunction(() => /game\.sentence=/.test(location.hash));
  const link = page.url();
  const again = await openLesson(undefined, undefined, link);
  assert.equal(await text(again, '.ph-heading'), heading);
  assert.equal(await text(again, '.ph-sentence'), sentence);
  await play(again, [0, 1, 2, 3, 4]);
  assert.notEqual(await text(again, 'table.ph-baselines tbody tr:last-child td'), 'n/a (your own sentence has no gold parse)', 'the gold parse came back with the round');
  assert.deepEqual(again.problems, []);
});

test('your own sentence: "the dog saw a cat" plays with a chosen head; punctuation and unknown words get a message and a way on', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  await w.locator('#ph-own-head').selectOption('3-2');
  await w.locator('#ph-own').fill('The dog saw a cat.');
  await w.locator('#ph-own').press('Enter');
  await page.waitForFunction((tag) => /^Your sentence: head 3-2/.test(document.querySelector(tag).shadowRoot.querySelector('.ph-heading').textContent), TAG);
  assert.match(await text(page, '.ph-own-msg'), /Removed “\.”/);
  assert.match(await text(page, '.ph-sentence'), /the dog saw a cat/);
  await play(page, [0, 0, 1, 2, 3]);
  const weights = model.trace(['the', 'dog', 'saw', 'a', 'cat']).attention[2][1];
  const real = await page.locator(`${TAG} .ph-result table.ph-real tbody tr`).evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.replace(' ★', ''))));
  assert.deepEqual(real, weights.map((r) => r.map(shown)));
  assert.match(await text(page, 'table.ph-baselines tbody tr:last-child td'), /n\/a/);
  assert.equal(await text(page, 'button.ph-next'), 'Next head');
  await w.locator('button.ph-next').click();
  assert.match(await text(page, '.ph-heading'), /^Your sentence: head 3-3/);
  // an unknown word: named, with suggestions, and a [MASK] way on
  await w.locator('#ph-own').fill('the dgo saw a cat');
  await w.locator('#ph-own').press('Enter');
  const msg = await text(page, '.ph-own-msg');
  assert.match(msg, /“dgo”: not in the model's vocabulary/);
  assert.match(msg, /Did you mean .*dog/);
  assert.match(await text(page, '.ph-heading'), /^Your sentence: head 3-3/, 'the old round stays until the learner decides');
  await w.locator('button.ph-suggest', { hasText: /^dog$/ }).click();
  await page.waitForFunction((tag) => /“the dog saw a cat”/.test(document.querySelector(tag).shadowRoot.querySelector('.ph-sentence').textContent), TAG);
  await w.locator('#ph-own').fill('the zzz saw a cat');
  await w.locator('#ph-own').press('Enter');
  await w.locator('button.ph-mask').click();
  assert.match(await text(page, '.ph-sentence'), /\[MASK\] \(zzz\)/);
  await w.locator('#ph-own').fill('the dog saw');
  await w.locator('#ph-own').press('Enter');
  assert.match(await text(page, '.ph-own-msg'), /Type exactly 5 words; that has 3/);
  assert.equal(await w.locator('b').count(), 0);
  assert.deepEqual(page.problems, []);
});

test('a repeated word: the sentence line reads plainly, only the grid numbers it; a stale unknown-word message goes when the learner moves on', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  await w.locator('#ph-own').fill('the dog saw the cat');
  await w.locator('#ph-own').press('Enter');
  await page.waitForFunction((tag) => /^Your sentence/.test(document.querySelector(tag).shadowRoot.querySelector('.ph-heading').textContent), TAG);
  assert.equal(await text(page, '.ph-sentence'), 'Sentence: “the dog saw the cat”');
  assert.match(await text(page, 'table.ph-grid thead'), /1 the.*4 the/);
  await w.locator('#ph-own').fill('the dog saw a zebra');
  await w.locator('#ph-own').press('Enter');
  assert.match(await text(page, '.ph-own-msg'), /“zebra”: not in the model's vocabulary/);
  await w.locator('#ph-mode').selectOption('trace');
  await page.waitForFunction((tag) => document.querySelector(tag).shadowRoot.querySelectorAll('table.ph-grid').length === 4, TAG);
  assert.equal(await text(page, '.ph-own-msg'), '', 'the unknown-word message about the old grid is gone');
  assert.deepEqual(page.problems, []);
});

test('trace mode: four grids for one layer, one reveal, then the routing view; the trace check passes', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  assert.equal((await w.evaluate((el) => el.check('traced-layer'))).correct, false, 'not before tracing');
  await w.locator('#ph-mode').selectOption('trace');
  await w.locator('#ph-layer').selectOption('2');
  // a mode or layer change is drawn at the next frame: wait for layer 2's grids, not any four grids
  await page.waitForFunction((tag) => {
    const root = document.querySelector(tag).shadowRoot;
    return root.querySelectorAll('table.ph-grid').length === 4 && /trace layer 2/.test(root.querySelector('.ph-heading')?.textContent ?? '');
  }, TAG);
  assert.match(await text(page, '.ph-heading'), /trace layer 2 \(heads 2-1 to 2-4\)/);
  for (const g of ['2-1', '2-2', '2-3', '2-4']) for (let i = 0; i < 5; i++) await cell(page, i, i, g).click();
  await w.locator('button.ph-commit').click();
  await w.locator('table.ph-routing').waitFor();
  assert.equal(await w.locator('.ph-head-result').count(), 4);
  const words = (await w.evaluate((el) => el.currentValues().sentence));
  const paths = await w.locator('table.ph-routing tbody tr').count();
  assert.equal(paths, words.length);
  assert.match(await text(page, '.ph-route'), /follow the strongest link/i);
  assert.match(await text(page, '.ph-route'), /Limits:/);
  assert.equal((await w.evaluate((el) => el.check('traced-layer'))).correct, true);
  assert.equal((await stored(page)).traced, 1);
  assert.deepEqual(page.problems, []);
});

test('the old separate record is migrated into the progress store once, with a notice', async () => {
  const page = await openLesson();
  const old = JSON.stringify({ version: 1, rounds: [{ round: 1, score: 2, head: '1-2', guess: [0, 0, 1, 2, 3] }, { round: 2, score: 4, head: '2-1', guess: [1, 2, 3, 4, 4] }] });
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [LEGACY_GAME_KEY, old]);
  await page.reload();
  await page.locator(`${TAG} button.ph-cell`).first().waitFor();
  assert.match(await text(page, '.ph-game-notice'), /Your 2 earlier rounds \(scored the old way, best 4 of 5 rows\) now count in your course progress/);
  assert.match(await text(page, '.ph-record'), /Rounds played: 2 \(including 2 from before the course saved them\)/);
  assert.deepEqual(await stored(page), { v: 2, played: 2, rounds: [], legacy: { rounds: 2, best: 4 } });
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), LEGACY_GAME_KEY), null, 'the old key is gone');
  await page.reload();
  await page.locator(`${TAG} button.ph-cell`).first().waitFor();
  assert.equal(await page.locator(`${TAG} .ph-game-notice`).isHidden(), true, 'once only');
  assert.match(await text(page, '.ph-heading'), /^Round 3:/, 'play continues after the migrated rounds');
  assert.deepEqual(page.problems, []);
});

test('keyboard: arrows move, Enter and Space pick, the hint toggles, Next round goes on', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  await w.locator('#ph-hint').focus();
  await page.keyboard.press('Space');
  assert.match(await text(page, '.ph-hint'), new RegExp(`measured label: ${expected(1).head.label.replace(/[/]/g, '\\/')}`));
  await w.locator('button.ph-cell[tabindex="0"]').focus();
  await page.keyboard.press('Enter');
  for (let i = 1; i < 5; i++) {
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press(i % 2 ? 'Space' : 'Enter');
  }
  const pressed = await w.locator('button.ph-cell[aria-pressed="true"]').evaluateAll((bs) => bs.map((x) => [Number(x.dataset.row), Number(x.dataset.col)]));
  assert.deepEqual(pressed, [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await w.locator('.ph-result table.ph-real').waitFor();
  assert.equal((await w.evaluate((el) => el.currentValues())).hint, true);
  await page.keyboard.press('Enter'); // focus moved to "Next round"
  assert.match(await text(page, '.ph-heading'), new RegExp(`^Round 2: head ${expected(2).head.id} `));
  assert.deepEqual(page.problems, []);
});

test('bad attributes show a notice and the game still runs with defaults', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-predict-head');
    w.id = 'bad';
    w.setAttribute('seed', '-3');
    w.setAttribute('round', 'two');
    w.setAttribute('head', '9-9');
    w.setAttribute('hint', '<b>yes</b>');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await w.locator('button.ph-cell').first().waitFor();
  const notice = await w.locator('.notice').first().textContent();
  assert.match(notice, /seed: -3 is outside the allowed range/);
  assert.match(notice, /round: "two" is not a number/);
  assert.match(notice, /head: "9-9" must be one of/);
  assert.match(notice, /hint: "<b>yes<\/b>" must be true or false/);
  assert.equal(await w.locator('b').count(), 0);
  assert.equal(await w.locator('button.ph-cell').count(), 25);
  await page.evaluate(() => document.querySelector('#bad').setAttribute('round', '5'));
  await page.waitForFunction(() => /^Round 5:/.test(document.querySelector('#bad').shadowRoot.querySelector('.ph-heading').textContent));
});

test('a 360 px phone: the game plays by touch with no sideways scroll', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(await overflow() <= 0, `page overflows by ${await overflow()}px`);
  const e = expected(1);
  const tops = e.weights.map((row) => row.indexOf(Math.max(...row)));
  for (const [i, j] of tops.entries()) await cell(page, i, j).tap();
  await page.locator(`${TAG} button.ph-commit`).tap();
  assert.match(await text(page, '.ph-score'), /you scored/);
  assert.ok(await overflow() <= 0, `page overflows by ${await overflow()}px after the reveal`);
});
