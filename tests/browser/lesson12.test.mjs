// Lesson 12's widget in headless Chromium: the head gallery shows all 12 heads of the course model
// labelled exactly as analysis.json, the enlarged head's weights equal model.trace() in node,
// keyboard, pointer and touch select heads, the grouping toggle works, unknown typed words are
// flagged and only run as [MASK] on request, and bad attributes give a notice. The quiz, axe-core,
// 360 px and completion are checked for every lesson by lessons.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startBrowser } from './browser.mjs';
import { trainerWaitsForPlay } from './train-live-lazy.mjs';
import { loadEngine } from '../../web/core/engine.js';

const LESSON = '/lessons/12-real-heads/';
const TAG = 'attn-head-gallery';
const DEFAULT = ['the', 'cat', 'chased', 'the', 'mouse'];
const analysis = JSON.parse(readFileSync(new URL('../../web/model/analysis.json', import.meta.url), 'utf8'));
let b, model;
before(async () => {
  b = await startBrowser();
  model = await (await loadEngine()).loadModel();
});
after(() => b?.close());

const shown = (v) => Number(v).toFixed(2).replace(/^-(0\.00)$/, '$1').replace('-', '−');
const kind = (label) => (label === 'broad/diffuse' ? 'broad' : label === 'mixed' ? 'mixed' : /token/.test(label.split('; ')[0]) ? 'positional' : 'relation');

async function openLesson(options) {
  const page = await b.newPage(options);
  await page.goto(b.base + LESSON);
  await page.locator(TAG).first().scrollIntoViewIfNeeded();
  await page.locator(`${TAG} button.hg-tile`).first().waitFor();
  await page.locator(`${TAG} .hg-detail table`).waitFor();
  return page;
}

/** Lets the widget draw what was just asked for (a preset or the grouping is drawn at the next animation frame). */
const frame = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
/** The enlarged head's table as text, row by row. */
const detailTable = (page, sel = TAG) => page.locator(`${sel} .hg-detail table tbody tr`).evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
const expectTable = (tokens, id, opts) => {
  const [L, H] = id.split('-').map(Number);
  return model.trace(tokens, opts).attention[L - 1][H - 1].map((r) => r.map(shown));
};

test('every head is shown with the label and numbers of analysis.json; the enlarged head equals model.trace', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  assert.equal(await w.locator('button.hg-tile').count(), 12);
  const tiles = await w.locator('button.hg-tile').evaluateAll((bs) => bs.map((b) => ({
    id: b.dataset.head, label: b.querySelector('.hg-label').textContent, stats: [...b.querySelectorAll('.hg-stats')].map((s) => s.textContent) })));
  assert.deepEqual(tiles.map((t) => t.id), analysis.heads.map((h) => h.id));
  for (const [i, h] of analysis.heads.entries()) {
    assert.equal(tiles[i].label, h.label, `label of head ${h.id}`);
    assert.equal(tiles[i].label, analysis.labels[h.id]);
    assert.equal(tiles[i].stats[0], `prev ${Math.round(h.previous * 100)}% · next ${Math.round(h.next * 100)}% · self ${Math.round(h.self * 100)}% · first ${Math.round(h.first * 100)}%`);
    assert.equal(tiles[i].stats[1], `entropy ${shown(h.entropy)} / ${shown(h.uniform_entropy)}`);
    assert.equal(tiles[i].stats[2], `${h.best_relation.relation}: ${Math.round(h.best_relation.accuracy * 100)}% vs ${Math.round(h.best_relation.baseline * 100)}%`);
  }
  // default enlarged head 1-2, weights from the model; its relation (58% against a 58% offset) is level, not a win
  assert.match(await w.locator('.hg-detail h3').textContent(), /^Head 1-2 .*: previous token$/);
  assert.match(await w.locator('.hg-detail').textContent(), /it is level with the best fixed offset \(always 1 word to the left: 58%\)/);
  assert.deepEqual(await detailTable(page), expectTable(DEFAULT, '1-2'));
  assert.deepEqual(page.problems, []);
});

test('keyboard: tab to a tile, arrow keys move, focus enlarges; grouping by label type', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  await w.locator('button.hg-tile[data-head="1-1"]').focus();
  for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight'); // 1-1 -> 3-2
  assert.equal(await w.locator('button.hg-tile[aria-pressed="true"]').getAttribute('data-head'), '3-2');
  assert.match(await w.locator('.hg-detail h3').textContent(), /^Head 3-2/);
  assert.deepEqual(await detailTable(page), expectTable(DEFAULT, '3-2'));
  await page.keyboard.press('End');
  assert.equal(await w.locator('button.hg-tile[aria-pressed="true"]').getAttribute('data-head'), '3-4');
  // the grouping toggle, by keyboard (Space on the focused checkbox)
  await w.locator('#hg-group').focus();
  await page.keyboard.press('Space');
  await frame(page);
  const groups = await w.locator('.hg-group').evaluateAll((gs) => gs.map((g) => [g.querySelector('h3').textContent, [...g.querySelectorAll('button.hg-tile')].map((b) => b.dataset.head)]));
  for (const [title, ids] of groups) {
    const k = ids.map((id) => kind(analysis.labels[id]));
    assert.ok(k.every((x) => x === k[0]), `group ${title} mixes kinds`);
  }
  assert.equal(groups.flatMap(([, ids]) => ids).length, 12);
  assert.equal((await w.evaluate((el) => el.currentValues())).group, true);
  assert.deepEqual(page.problems, []);
});

test('pointer: clicking a tile enlarges it; typed sentences run; unknown words are flagged, then run as [MASK] on request', async () => {
  const page = await openLesson();
  const w = page.locator(TAG);
  await w.locator('button.hg-tile[data-head="2-4"]').click();
  assert.deepEqual(await detailTable(page), expectTable(DEFAULT, '2-4'));
  // a preset
  await w.locator('#hg-preset').selectOption('a small bird sang in the tall tree');
  await frame(page);
  assert.deepEqual(await detailTable(page), expectTable('a small bird sang in the tall tree'.split(' '), '2-4'));
  // an unknown word: flagged, nothing replaced, the old sentence stays
  await w.locator('#hg-input').fill('the zork chased the mouse');
  await w.locator('#hg-input').press('Enter');
  const box = w.locator('.hg-unknown');
  // the first sentence of your own loads the course model (the presets come from the build's pack)
  await box.filter({ hasText: 'Not in the model' }).waitFor();
  assert.match(await box.textContent(), /Not in the model's vocabulary: “zork”/);
  assert.deepEqual(await detailTable(page), expectTable('a small bird sang in the tall tree'.split(' '), '2-4'));
  await box.locator('button.hg-mask').click();
  assert.equal(await box.isHidden(), true);
  assert.match(await w.locator('.hg-status').textContent(), /\[MASK\] \(zork\).*Run as \[MASK\]: zork/);
  const masked = ['the', 'zork', 'chased', 'the', 'mouse'];
  assert.deepEqual(await detailTable(page), expectTable(masked, '2-4', { unknown: 'mask' }));
  assert.match((await w.locator('.hg-detail table tbody th').allTextContents())[1], /\[MASK\] \(zork\)/);
  // a known typed sentence
  await w.locator('#hg-input').fill('the dog found a red ball');
  await w.locator('form.hg-form button[type=submit]').click();
  assert.deepEqual(await detailTable(page), expectTable('the dog found a red ball'.split(' '), '2-4'));
  assert.equal((await w.evaluate((el) => el.check('typed-sentence'))).correct, true);
  // punctuation is stripped with a notice, never "is not a word"
  await w.locator('#hg-input').fill('The dog found a red ball.');
  await w.locator('#hg-input').press('Enter');
  assert.match(await w.locator('.hg-status').textContent(), /Removed “\.”: the model reads words only\. Showing 6 tokens: “the dog found a red ball”/);
  assert.equal(await w.locator('.hg-unknown').isHidden(), true);
  // only punctuation: the error says what was removed; a word repeated is named once; after a
  // typing error, the status no longer speaks of the unknown words of the attempt before
  await w.locator('#hg-input').fill('...');
  await w.locator('#hg-input').press('Enter');
  assert.equal(await w.locator('.hg-unknown').textContent(), 'Removed “.”: the model reads words only. Your sentence needs at least one word.');
  await w.locator('#hg-input').fill('the zork saw a zork');
  await w.locator('#hg-input').press('Enter');
  assert.match(await w.locator('.hg-unknown').textContent(), /vocabulary: “zork”\. /);
  await w.locator('#hg-input').fill(Array(17).fill('a').join(' '));
  await w.locator('#hg-input').press('Enter');
  assert.match(await w.locator('.hg-unknown').textContent(), /has 17 words; at most 16/);
  assert.doesNotMatch(await w.locator('.hg-status').textContent(), /until you decide/);
  assert.match(await w.locator('.hg-status').textContent(), /Showing 6 tokens: “the dog found a red ball”/);
  // the relation tags on the tiles are explained
  const tags = await w.locator('.hg-tags').textContent();
  for (const tag of ['det', 'dobj', 'pobj', 'amod', 'cc', 'conj']) assert.match(tags, new RegExp(`\\b${tag} = `));
  assert.deepEqual(page.problems, []);
});

test('bad attributes show a notice and the widget still renders defaults; no HTML is injected', async () => {
  const page = await openLesson();
  await page.evaluate(() => {
    const w = document.createElement('attn-head-gallery');
    w.id = 'bad';
    w.setAttribute('sentence', '<img src=x onerror="window.pwned=1"> cat');
    w.setAttribute('head', '9-9');
    w.setAttribute('group', 'maybe');
    document.querySelector('main').prepend(w);
  });
  const w = page.locator('#bad');
  await w.scrollIntoViewIfNeeded();
  await w.locator('.hg-detail table').waitFor();
  const notice = await w.locator('.notice').first().textContent();
  assert.match(notice, /sentence: "<img" is not a word/);
  assert.match(notice, /head: "9-9" must be one of/);
  assert.match(notice, /group: "maybe" must be true or false/);
  assert.equal(await w.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await w.locator('button.hg-tile').count(), 12);
  assert.deepEqual(await detailTable(page, '#bad'), expectTable(DEFAULT, '1-2'));
  // a sentence attribute with unknown words: flagged, defaults shown until the learner decides
  await page.evaluate(() => document.querySelector('#bad').setAttribute('sentence', 'the blorp ran'));
  await page.waitForFunction(() => /blorp/.test(document.querySelector('#bad').shadowRoot.querySelector('.hg-unknown').textContent));
  assert.deepEqual(await detailTable(page, '#bad'), expectTable(DEFAULT, '1-2'));
});

test('a 360 px phone: tapping a tile enlarges it', async () => {
  const page = await openLesson({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await page.locator(`${TAG} button.hg-tile[data-head="2-1"]`).tap();
  assert.match(await page.locator(`${TAG} .hg-detail h3`).textContent(), /^Head 2-1/);
  assert.deepEqual(await detailTable(page), expectTable(DEFAULT, '2-1'));
});

test('the live trainer loads nothing until Play (the page stays light); Play then loads it and trains', async () => {
  await trainerWaitsForPlay(b, LESSON);
});
