// Lessons 11, 12 and 14 draw their preset states from the build's trace packs: the pages never
// request the course model (model-<hash>.wasm, model-<hash>.bin) while the learner goes through the
// presets (sentences, layers, rounds, trace mode); typing a sentence of their own then loads it,
// with a visible loading message, and draws it; a model that cannot load gets a clear message and
// the presets keep working. The numbers themselves: tests/node/model-presets.test.mjs (the packs
// equal the live model) and lessonNN.test.mjs (the drawn tables equal model.trace in node).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './browser.mjs';

let b;
before(async () => {
  b = await startBrowser();
});
after(() => b?.close());

const MODEL = /\/assets\/model-[0-9a-f]{8}\.(wasm|bin)$/;

/**
 * The lesson page with its widget drawn; page.modelRequests lists the model files it asked for.
 * `hold` delays the model.bin response until page.release() (to see the loading message); `fail`
 * answers it with HTTP 503.
 */
async function open(path, tag, drawn, { hold = false, fail = false } = {}) {
  const page = await b.newPage();
  page.modelRequests = [];
  page.on('request', (r) => MODEL.test(new URL(r.url()).pathname) && page.modelRequests.push(new URL(r.url()).pathname));
  let release;
  const released = new Promise((ok) => (release = ok));
  page.release = release;
  if (hold || fail) {
    await page.route(/\/assets\/model-[0-9a-f]{8}\.bin$/, async (route) => {
      if (fail) return route.fulfill({ status: 503, body: 'down' });
      await released;
      return route.continue();
    });
  }
  await page.goto(b.base + path);
  await page.locator(tag).first().scrollIntoViewIfNeeded();
  await page.locator(`${tag} ${drawn}`).first().waitFor();
  await page.waitForFunction((t) => document.querySelector(t).ready, tag);
  return page;
}

const text = (page, sel) => page.locator(sel).first().textContent();
/** Lets the widget draw what was just asked for (inputs are drawn at the next animation frame). */
const frame = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));

test('lesson 11: every preset sentence at layer 1 and the lesson\'s own at layers 2 and 3 draw without the model; another preset there, then a typed sentence, load it (with a loading message) and draw', async () => {
  const T = 'attn-head-shapes';
  const page = await open('/lessons/11-split-concat/', T, '.hsh-stage svg', { hold: true });
  const w = page.locator(T);
  const presets = await w.locator('#hsh-preset option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.equal(presets.length, 4);
  const shows = (p, layer) => page.waitForFunction(([t, s, l]) => {
    const el = document.querySelector(t);
    return el.trace?.tokens.join(' ') === s && el.trace.detail.layer === l - 1 && el.shadowRoot.querySelector('.sentence').textContent.includes(`layer ${l} of 3`);
  }, [T, p, layer]);
  for (const p of presets) {
    await w.locator('#hsh-preset').selectOption(p);
    await shows(p, 1);
  }
  assert.match(await text(page, `${T} .hsh-stage:nth-child(3) figcaption`), /head 1: 9 × 9/);
  await w.locator('#hsh-preset').selectOption(presets[0]);
  for (const layer of ['2', '3']) {
    await w.locator('#hsh-layer').selectOption(layer);
    await shows(presets[0], Number(layer));
  }
  assert.deepEqual(page.modelRequests, [], 'no model file before a sentence the packs do not hold');
  await w.locator('#hsh-preset').selectOption(presets[1]);
  await page.waitForFunction((t) => /Loading the course model/.test(document.querySelector(t).shadowRoot.querySelector('.hsh-status').textContent), T);
  page.release();
  await shows(presets[1], 3);
  await w.locator('#hsh-text').fill('the dog saw a red cat');
  await w.locator('#hsh-text').press('Enter');
  await page.waitForFunction((t) => document.querySelector(t).trace?.tokens.join(' ') === 'the dog saw a red cat', T);
  await frame(page);
  assert.match(await text(page, `${T} .sentence`), /layer 3 of 3 · n = 6 tokens/);
  assert.equal(await text(page, `${T} .hsh-status`), '');
  assert.ok(page.modelRequests.some((p) => p.endsWith('.bin')) && page.modelRequests.some((p) => p.endsWith('.wasm')), page.modelRequests.join(', '));
  assert.deepEqual(page.problems, []);
});

test('lesson 11: a model that cannot load is named, the drawn preset stays, and the presets go on working', async () => {
  const T = 'attn-head-shapes';
  const page = await open('/lessons/11-split-concat/', T, '.hsh-stage svg', { fail: true });
  const w = page.locator(T);
  await w.locator('#hsh-text').fill('the dog saw a red cat');
  await w.locator('#hsh-text').press('Enter');
  await page.waitForFunction((t) => /could not load/.test(document.querySelector(t).shadowRoot.querySelector('.hsh-status').textContent), T);
  assert.match(await text(page, `${T} .hsh-status`), /The course model could not load \(.*503.*\), so only the sentences traced in advance can be shown/);
  assert.equal(await w.locator('#hsh-text').inputValue(), 'the cat chased the mouse', 'the box shows the sentence still drawn');
  await w.locator('#hsh-preset').selectOption('a big dog saw the small bird');
  await page.waitForFunction((t) => document.querySelector(t).trace?.tokens.length === 7, T);
  page.problems = page.problems.filter((p) => !/503/.test(p)); // the refused file, logged by the browser
  assert.deepEqual(page.problems, []);
});

test('lesson 12: every preset draws without the model; a typed sentence loads it (with a loading message) and draws; a failed load is named', async () => {
  const T = 'attn-head-gallery';
  const page = await open('/lessons/12-real-heads/', T, '.hg-detail table', { hold: true });
  const w = page.locator(T);
  const presets = await w.locator('#hg-preset option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.equal(presets.length, 6);
  for (const p of presets) {
    await w.locator('#hg-preset').selectOption(p);
    await page.waitForFunction(([t, s]) => document.querySelector(t).trace?.tokens.join(' ') === s, [T, p]);
    await w.locator('button.hg-tile[data-head="3-4"]').click();
  }
  await w.locator('#hg-group').check();
  assert.deepEqual(page.modelRequests.filter((p) => !p.includes('train')), [], 'no model file before a sentence of your own');
  await w.locator('#hg-input').fill('the dog found a red ball');
  await w.locator('#hg-input').press('Enter');
  await page.waitForFunction((t) => /Loading the course model/.test(document.querySelector(t).shadowRoot.querySelector('.hg-unknown').textContent), T);
  // the lesson's question about a typed sentence says it is still loading, not "type a sentence"
  assert.deepEqual(await w.evaluate((el) => el.check('typed-sentence')), { correct: false, message: 'The course model is still loading to run your sentence: check again once the heads show it.' });
  page.release();
  await page.waitForFunction((t) => document.querySelector(t).shadowRoot.querySelector('.hg-status').textContent.includes('“the dog found a red ball”'), T);
  assert.equal((await w.evaluate((el) => el.check('typed-sentence'))).correct, true);
  assert.equal(await w.locator('.hg-unknown').isHidden(), true);
  assert.equal(await w.locator('button.hg-tile').count(), 12);
  assert.ok(page.modelRequests.some((p) => p.endsWith('.bin')));
  assert.deepEqual(page.problems, []);

  const down = await open('/lessons/12-real-heads/', T, '.hg-detail table', { fail: true });
  await down.locator(`${T} #hg-input`).fill('the dog found a red ball');
  await down.locator(`${T} #hg-input`).press('Enter');
  await down.waitForFunction((t) => /could not load/.test(document.querySelector(t).shadowRoot.querySelector('.hg-unknown').textContent), T);
  assert.match(await text(down, `${T} .hg-unknown`), /The course model could not load \(.*503.*\), so only the preset sentences can be shown/);
  assert.equal(await down.evaluate((t) => document.querySelector(t).trace.tokens.join(' '), T), 'the cat chased the mouse');
});

test('lesson 14: rounds, Next round and trace mode play without the model; your own sentence loads it (with a loading message) and plays', async () => {
  const T = 'attn-predict-head';
  const page = await open('/lessons/14-predict-heads/', T, 'table.ph-grid', { hold: true });
  const w = page.locator(T);
  const play = async () => {
    const grids = await w.locator('table.ph-grid').count();
    for (let g = 0; g < grids; g++) for (let i = 0; i < 5; i++) await w.locator('table.ph-grid').nth(g).locator(`button.ph-cell[data-row="${i}"][data-col="0"]`).click();
    await w.locator('button.ph-commit').click();
    await w.locator('.ph-result .ph-score').first().waitFor();
  };
  for (let r = 1; r <= 3; r++) {
    assert.match(await text(page, `${T} .ph-heading`), new RegExp(`^Round ${r}: head`));
    await play();
    await w.locator('button.ph-next').click();
  }
  await w.locator('#ph-mode').selectOption('trace');
  await frame(page);
  assert.equal(await w.locator('table.ph-grid').count(), 4);
  await w.locator('#ph-layer').selectOption('3');
  await frame(page);
  assert.match(await text(page, `${T} .ph-heading`), /^Round 4: trace layer 3/);
  await play();
  await w.locator('table.ph-routing').waitFor();
  await w.locator('#ph-mode').selectOption('round');
  await frame(page);
  assert.deepEqual(page.modelRequests, [], 'no model file before a sentence of your own');
  await w.locator('#ph-own').fill('the dog saw a cat');
  await w.locator('#ph-own').press('Enter');
  await page.waitForFunction((t) => /Loading the course model/.test(document.querySelector(t).shadowRoot.querySelector('.ph-own-msg').textContent), T);
  page.release();
  await page.waitForFunction((t) => document.querySelector(t).shadowRoot.querySelector('.ph-heading').textContent.startsWith('Your sentence'), T);
  assert.match(await text(page, `${T} .ph-sentence`), /“the dog saw a cat”/);
  assert.equal(await text(page, `${T} .ph-own-msg`), '');
  await play();
  assert.ok(page.modelRequests.some((p) => p.endsWith('.bin')));
  assert.deepEqual(page.problems, []);

  const down = await open('/lessons/14-predict-heads/', T, 'table.ph-grid', { fail: true });
  await down.locator(`${T} #ph-own`).fill('the dog saw a cat');
  await down.locator(`${T} #ph-own`).press('Enter');
  await down.waitForFunction((t) => /could not load/.test(document.querySelector(t).shadowRoot.querySelector('.ph-own-msg').textContent), T);
  assert.match(await text(down, `${T} .ph-own-msg`), /The course model could not load \(.*503.*\)\. Rounds 1–36 of seed 7 still play/);
  assert.match(await text(down, `${T} .ph-heading`), /^Round 1: head/);
});
