// <attn-train-live> in headless Chromium (issue 12), through the one-widget frame (embed.html): it
// trains in a Web Worker while the page stays responsive, its numbers are the WASM module's (step 0
// equals a fresh trainer in node), play / pause / +10 / reset work from the keyboard, a deep link
// trains to its step, a reset mid-chunk never mixes two runs, and a hidden tab, a worker that throws
// and one that runs out of memory each give a clear message and a working restart. The trainer (worker
// and wasm) loads on the first action that needs it (Play, +10, a probe), not when the widget is drawn.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startBrowser, runAxe } from './browser.mjs';
import { isTrainerRequest } from './train-live-lazy.mjs';

const TAG = 'attn-train-live';
let b, M;
before(async () => {
  b = await startBrowser();
  const { default: create } = await import('../../web/core/wasm/model.mjs');
  M = await create({ wasmBinary: readFileSync(new URL('../../web/core/wasm/model.wasm', import.meta.url)) });
});
after(() => b?.close());

/** axe-core's serious and critical findings inside the widget. */
async function seriousViolations(page) {
  const result = await runAxe(page, TAG);
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

async function open(hash = '', options) {
  const page = await b.newPage(options);
  await page.goto(`${b.base}/embed.html#widget=train-live${hash}`);
  await page.locator(`${TAG} .tl-head`).first().waitFor({ timeout: 60000 });
  return page;
}

/** Loads the trainer without training, as a learner does by showing a probe: step 0's maps and labels. */
async function loadTrainer(page) {
  await page.locator(`${TAG} form.tl-probe button[type="submit"]`).click();
  await page.waitForFunction((tag) => document.querySelector(tag).probeMap && !document.querySelector(tag).loading, TAG, { timeout: 60000 });
}

const state = (page) => page.locator(TAG).evaluate((w) => ({
  step: w.run?.step, playing: w.playing, losses: w.run?.losses.length, heldOut: w.run?.heldOut.map((p) => p.step),
  labels: w.analysis?.map((h) => h.label), alert: w.alert.hidden ? null : w.alert.textContent, status: w.status.textContent,
  counter: w.counter.textContent, runId: w.run?.id,
}));

test('step 0 shows every head of a fresh model with the module\'s numbers; +10 trains ten steps', async () => {
  const page = await open('&heads=2&layers=1&probe=the%20cat%20sleeps');
  const w = page.locator(TAG);
  assert.equal(await w.locator('.tl-head').count(), 2);
  await loadTrainer(page);
  assert.equal(await w.locator('.tl-head').count(), 2);
  const t = new M.LiveTrainer();
  try {
    assert.equal(t.reset({ seed: 1, heads: 2, layers: 1, dModel: 32, batch: 16, lr: 0.003, steps: 2000 }), undefined);
    const expected = t.analyze(100).heads.map((h) => h.label);
    assert.deepEqual((await state(page)).labels, expected);
    await w.locator('button[data-action="step"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((tag) => document.querySelector(tag).run.step === 10, TAG, { timeout: 60000 });
    const losses = await w.evaluate((el) => el.run.losses);
    const ours = Array.from(t.step(10));
    assert.deepEqual(losses, ours, 'the page\'s losses are the module\'s');
    // the enlarged head's table equals the module's probe
    await w.locator('button.tl-tables').click();
    const cells = await w.locator('.tl-detail table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    const p = t.probe('the cat sleeps');
    const fmt = (v) => Number(v).toFixed(2);
    assert.deepEqual(cells, [0, 1, 2].map((i) => [0, 1, 2].map((j) => fmt(p.weights[i * 3 + j]))));
    assert.ok(await w.locator('.tl-chart table').count(), 'the loss curve has a table view');
  } finally {
    t.delete();
  }
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('nothing of the trainer loads before the first Play; the tiles wait for it; Play loads it, says so and trains; the head picker works meanwhile', async () => {
  const page = await b.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${b.base}/embed.html#widget=train-live&heads=2&layers=2`);
  const w = page.locator(TAG);
  await page.waitForFunction((tag) => document.querySelector(tag)?.ready, TAG, { timeout: 60000 });
  await page.waitForTimeout(500);
  assert.deepEqual(requests.filter(isTrainerRequest), [], 'the trainer was fetched before Play');
  const before = await w.evaluate((el) => ({ worker: Boolean(el.worker), tiles: el.shadowRoot.querySelectorAll('.tl-head').length,
    empty: el.shadowRoot.querySelectorAll('.tl-head svg.tl-empty-map').length, counter: el.counter.textContent,
    disabled: [el.playBtn.disabled, el.stepBtn.disabled], events: el.events.textContent }));
  assert.deepEqual(before, { worker: false, tiles: 4, empty: 4, counter: 'Step 0', disabled: [false, false], events: 'Press Play: labels appear here as heads form.' });
  // choosing the enlarged head needs no trainer; the chosen tile keeps the focus
  await w.locator('.tl-head[data-head="2-2"]').click();
  assert.equal(await w.evaluate((el) => [el.state.head, el.shadowRoot.activeElement?.dataset.head].join()), '2-2,2-2');
  assert.match(await w.locator('.tl-detail h3').textContent(), /^Layer 2, head 2$/);
  assert.deepEqual(requests.filter(isTrainerRequest), []);
  // Play from the keyboard: the button says the trainer is loading until its first snapshot, then trains
  await w.locator('button[data-action="play"]').focus();
  await page.keyboard.press('Enter');
  const loading = await w.evaluate((el) => [el.playBtn.textContent, el.playBtn.getAttribute('aria-busy'), el.status.textContent]);
  assert.deepEqual(loading, ['Loading the trainer…', 'true', 'Loading the trainer…']);
  await page.waitForFunction((tag) => document.querySelector(tag).run?.step >= 20, TAG, { timeout: 60000 });
  const s = await state(page);
  assert.equal(s.playing, true);
  assert.equal(s.status, 'Training…');
  assert.equal(await w.evaluate((el) => [el.playBtn.textContent, el.playBtn.hasAttribute('aria-busy'), el.shadowRoot.activeElement?.dataset.action].join()), 'Pause,false,play');
  assert.ok(requests.some((u) => /train-worker/.test(u)) && requests.some((u) => /\/model[^/]*\.wasm$/.test(u)), 'Play fetched the worker and its wasm');
  assert.equal(await w.locator('.tl-head svg.tl-empty-map').count(), 0, 'every tile shows its map once the trainer runs');
  assert.equal(await w.locator('.tl-head[data-head="2-2"]').getAttribute('aria-pressed'), 'true');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('with its run controls hidden (nothing to press) the trainer loads at once and shows step 0', async () => {
  const page = await b.newPage();
  await page.goto(`${b.base}/embed.html#widget=train-live&heads=2&layers=1&hide=run`);
  await page.waitForFunction((tag) => document.querySelector(tag)?.ready && document.querySelector(tag).probeMap, TAG, { timeout: 60000 });
  const w = page.locator(TAG);
  assert.equal(await w.locator('button[data-action="play"]').isVisible(), false);
  assert.equal(await w.locator('.tl-head svg.tl-empty-map').count(), 0);
  assert.equal((await state(page)).step, 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('while training, the head tiles are patched, never rebuilt: a focused tile keeps the focus', async () => {
  const page = await open('&heads=2&layers=1');
  const w = page.locator(TAG);
  await w.locator('.tl-head[data-head="1-2"]').focus();
  await w.evaluate((el) => {
    el.marked = [...el.shadowRoot.querySelectorAll('.tl-head')];
  });
  await w.locator('button[data-action="play"]').click();
  await page.waitForFunction((tag) => document.querySelector(tag).run?.step >= 60, TAG, { timeout: 60000 });
  await w.locator('.tl-head[data-head="1-2"]').focus();
  const firstMap = await w.evaluate((el) => {
    el.mapNode = el.shadowRoot.querySelector('.tl-head[data-head="1-2"] svg.map');
    return el.run.step;
  });
  await page.waitForFunction(([tag, from]) => document.querySelector(tag).run.step >= from + 30, [TAG, firstMap], { timeout: 60000 });
  const kept = await w.evaluate((el) => ({
    tiles: [...el.shadowRoot.querySelectorAll('.tl-head')].every((t, i) => t === el.marked[i]),
    map: el.shadowRoot.querySelector('.tl-head[data-head="1-2"] svg.map') === el.mapNode,
    focus: el.shadowRoot.activeElement?.dataset.head,
  }));
  assert.deepEqual(kept, { tiles: true, map: true, focus: '1-2' });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('Play trains in the worker while the page stays responsive; Pause stops it; labels are logged with their step', async () => {
  const page = await open('&heads=4&layers=2');
  const w = page.locator(TAG);
  await w.locator('button[data-action="play"]').click();
  await page.waitForFunction((tag) => document.querySelector(tag).run.step >= 30, TAG, { timeout: 60000 });
  // main thread: a 50 ms timer fires on time while training runs
  const lag = await page.evaluate(() => new Promise((ok) => {
    const t0 = performance.now();
    setTimeout(() => ok(performance.now() - t0 - 50), 50);
  }));
  assert.ok(lag < 250, `the page was blocked for ${lag} ms`);
  await w.locator('button[data-action="play"]').click(); // pause
  const a = await state(page);
  assert.equal(a.playing, false);
  // the chunk in flight when Pause was pressed (up to 120 ms of steps at fast speed: 24 steps on CI)
  // may still land; after that the step count must not move
  await page.waitForTimeout(600);
  const c = await state(page);
  await page.waitForTimeout(600);
  const d = await state(page);
  assert.equal(d.step, c.step, `still training after pause: ${a.step} -> ${c.step} -> ${d.step}`);
  assert.ok(c.step - a.step <= 60, `more than the chunk in flight landed after pause: ${a.step} -> ${c.step}`);
  assert.match(c.counter, new RegExp(`^Step ${c.step} · [0-9.]+ steps/s · training loss`));
  assert.deepEqual(c.heldOut.filter((s) => s % 25), []);
  // the event log names a head, its label and a step, numbered from 1
  const events = await w.locator('.tl-events li').allTextContents();
  for (const e of events) assert.match(e, /^(Layer [12], head [1-4] became .* at step \d+ \(.* s of training\)\.( At step \d+ it is (no longer clearly labelled|labelled ".*")\.)?|No head has a clear label yet\.)$/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a deep link trains to its step and pauses; a reset mid-chunk never mixes two runs', async () => {
  const page = await open('&heads=1&layers=1&step=30');
  await page.waitForFunction((tag) => document.querySelector(tag).run.step === 30 && !document.querySelector(tag).playing, TAG, { timeout: 60000 });
  const w = page.locator(TAG);
  await w.locator('button[data-action="play"]').click();
  await page.waitForFunction((tag) => document.querySelector(tag).run.step > 35, TAG, { timeout: 60000 });
  await w.locator('button[data-action="reset"]').click();
  const s = await state(page);
  assert.equal(s.step, 0);
  await page.waitForTimeout(500);
  const after = await state(page);
  assert.equal(after.step, 0, 'a chunk of the old run leaked into the new one');
  assert.equal(after.losses, 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('hidden tab pauses; a crashed or out-of-memory worker gives a message and Restart works', async () => {
  const page = await open('&heads=2&layers=1');
  const w = page.locator(TAG);
  await w.locator('button[data-action="play"]').click();
  await page.waitForFunction((tag) => document.querySelector(tag).run.step >= 5, TAG, { timeout: 60000 });
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  let s = await state(page);
  assert.equal(s.playing, false);
  assert.match(s.status, /paused while this tab was hidden/);
  for (const [kind, message] of [['throw', /The trainer stopped at step \d+ \(.*crashed \(simulated\)\)\. Restart it/], ['oom', /The trainer ran out of memory at step \d+/]]) {
    await w.evaluate((el, k) => el.worker.postMessage({ type: 'fault', kind: k }), kind);
    await page.waitForFunction((tag) => !document.querySelector(tag).alert.hidden, TAG, { timeout: 30000 });
    s = await state(page);
    assert.match(s.alert, message);
    assert.equal(await w.locator('button[data-action="play"]').isDisabled(), true);
    await w.locator('button[data-action="restart"]').click();
    await page.waitForFunction((tag) => document.querySelector(tag).alert.hidden && document.querySelector(tag).probeMap, TAG, { timeout: 60000 });
    await w.locator('button[data-action="step"]').click();
    await page.waitForFunction((tag) => document.querySelector(tag).run.step === 10, TAG, { timeout: 60000 });
  }
  // punctuation is stripped with a notice; an unknown probe word is named, and the maps keep the last good sentence
  await w.locator('#tl-probe').fill('the cat <b>zzz</b>');
  await w.locator('#tl-probe').press('Enter');
  await page.waitForFunction((tag) => /does not know/.test(document.querySelector(tag).status.textContent), TAG);
  assert.match((await state(page)).status, /^Removed “<” “>” “\/”: the model reads words only\. .*does not know the word "b"/);
  assert.equal(await w.locator('b').count(), 0);
  // a fixed probe clears the complaint
  await w.locator('#tl-probe').fill('the cat sleeps');
  await w.locator('#tl-probe').press('Enter');
  await page.waitForFunction((tag) => !/does not know/.test(document.querySelector(tag).status.textContent), TAG);
  const errors = page.problems.filter((p) => !/simulated|OOM/.test(p));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('360 px, dark mode: nothing overflows', async () => {
  const page = await open('&heads=8&layers=3', { viewport: { width: 360, height: 800 }, colorScheme: 'dark' });
  await loadTrainer(page);
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(over <= 0, `the page is ${over} px wider than the screen`);
  assert.equal(await page.locator(`${TAG} .tl-head`).count(), 24);
  assert.deepEqual(await seriousViolations(page), []);
  await page.context().close();
});

test('8 heads on a desktop: a layer\'s tiles wrap under each other, never into the column of the layer\'s name', async () => {
  const page = await open('&heads=8&layers=2');
  await loadTrainer(page);
  const w = page.locator(TAG);
  const layout = await w.locator('.tl-layer').evaluateAll((rows) => rows.map((row) => ({
    nameRight: row.querySelector('.tl-layer-name').getBoundingClientRect().right,
    lefts: [...row.querySelectorAll('.tl-head')].map((t) => t.getBoundingClientRect().left),
    widths: [...row.querySelectorAll('.tl-head')].map((t) => t.getBoundingClientRect().width),
  })));
  assert.equal(layout.length, 2);
  for (const row of layout) {
    assert.equal(row.lefts.length, 8);
    for (const left of row.lefts) assert.ok(left >= row.nameRight, `a tile starts at ${left}, left of the layer's name (${row.nameRight})`);
    assert.ok(Math.max(...row.widths) - Math.min(...row.widths) < 1, `every tile has the same width: ${row.widths}`);
  }
  await page.context().close();
});

test('the label log says "an" before a vowel and what a head is labelled now when its label has changed', async () => {
  const page = await open('&heads=4&layers=2');
  await loadTrainer(page);
  const items = await page.locator(TAG).evaluate((w) => {
    w.run.step = 30;
    w.run.events = [{ id: '2-1', label: 'object → its verb', step: 25, seconds: 1 }, { id: '1-3', label: 'previous token', step: 25, seconds: 1 },
      { id: '1-2', label: 'first token', step: 25, seconds: 1 }];
    Object.assign(w.run.labels, { '2-1': 'mixed', '1-3': 'previous token', '1-2': 'next token' });
    w.analysisStep = 50;
    w.draw();
    return [...w.events.querySelectorAll('li')].map((li) => li.textContent);
  });
  assert.deepEqual(items, [
    'Layer 2, head 1 became an object → its verb head at step 25 (1.00 s of training). At step 50 it is no longer clearly labelled.',
    'Layer 1, head 3 became a previous-token head at step 25 (1.00 s of training).',
    'Layer 1, head 2 became a first-token head at step 25 (1.00 s of training). At step 50 it is labelled "next token".',
  ]);
  await page.context().close();
});

test('an earlier run\'s name on the chart says how it differs and stays inside the chart', async () => {
  const page = await open('&heads=1&layers=2');
  const w = page.locator(TAG);
  await w.locator('button[data-action="step"]').click();
  await page.waitForFunction((tag) => document.querySelector(tag).run.step === 10, TAG, { timeout: 60000 });
  await w.locator('#tl-heads').selectOption('8');
  await w.locator('#tl-layers').selectOption('3');
  await page.waitForFunction((tag) => document.querySelector(tag).probeMap?.layers === 3, TAG, { timeout: 60000 });
  // the chart redraws on the next frame after the 3-layer run's first snapshot
  await page.waitForFunction((tag) => document.querySelector(tag).shadowRoot.querySelector('svg.tl-curve .ghost-lab')?.textContent === '1 head, 2 layers', TAG);
  const lab = w.locator('svg.tl-curve .ghost-lab');
  const x = await lab.evaluate((t) => t.getBBox().x);
  assert.ok(x >= 0, `the label starts at x = ${x}, outside the chart`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a probe with a word the model does not know gets a sentence with a way out', async () => {
  const page = await open();
  const w = page.locator(TAG);
  await w.locator('#tl-probe').fill('the zzzz sleeps');
  await w.locator('#tl-probe').press('Enter');
  await page.waitForFunction((tag) => /does not know/.test(document.querySelector(tag).status.textContent), TAG);
  assert.equal((await state(page)).status, 'The model does not know the word "zzzz". Use words of the course grammar, or press "Random sentence".');
  await page.context().close();
});
