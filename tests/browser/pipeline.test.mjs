// End to end in headless Chromium: the <attn-pipeline> widget, injected into a built lesson page
// (it does not need lesson 9 to exist; when lesson 9 is built it is also checked there). Keyboard
// and pointer drive the seven stages, every stage's numbers equal engine.trace() for the same
// scenario, the causal toggle changes the mask and softmax stages, two heads bring a head selector
// and d_k = 4, bad attributes give notices and defaults, axe-core is clean in light and dark, and a
// 360 px phone does not scroll sideways.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, seriousViolations } from './browser.mjs';
import { loadEngine } from '../../web/core/engine.js';

const HOST = '/lessons/07-pairwise-scores/';
const LESSON9 = '/lessons/09-weighted-values/';
const WORDS = ['the', 'cat', 'chased', 'the', 'mouse'];
const STAGES = ['Embed', 'Project', 'Scores', 'Scale', 'Mask', 'Softmax', 'Output'];
let b, engine;
before(async () => {
  b = await startBrowser();
  engine = await loadEngine();
});
after(() => b?.close());

/** The widget's number format: 2 decimals, real minus sign, no "−0.00", masked = −∞. */
const shown = (v) => (v === null ? '−∞' : Number(v).toFixed(2).replace(/^-(0\.00)$/, '$1').replace('-', '−'));
const asShown = (m) => m.map((r) => r.map(shown));
const trace = (o = {}) => engine.trace({ tokens: WORDS, seed: 7, heads: 1, causal: false, positions: 'none', ...o });

/** Opens a built lesson page and appends <attn-pipeline> elements to <main> (in view, rendered). */
async function openWith(widgets, options = {}, path = HOST) {
  const page = await b.newPage(options);
  await page.goto(b.base + path);
  await page.evaluate((list) => {
    window.pipelineEvents = [];
    for (const { id, attrs, wrap } of list) {
      const w = document.createElement('attn-pipeline');
      w.id = id;
      for (const [k, v] of Object.entries(attrs ?? {})) w.setAttribute(k, v);
      w.addEventListener('change', (e) => window.pipelineEvents.push({ id, ...e.detail }));
      let node = w;
      if (wrap) { // like a lesson page: the widget inside its own wide box
        node = document.createElement('div');
        node.className = 'widget';
        node.append(w);
      }
      document.querySelector('main').append(node);
    }
  }, widgets);
  for (const { id } of widgets) await ready(page, id);
  return page;
}

async function ready(page, id) {
  const w = page.locator(`#${id}`);
  await w.scrollIntoViewIfNeeded(); // widgets start when they near the viewport
  await w.locator('.stage h3').waitFor();
  return w;
}

/** A rendered matrix as text, row by row; role "now" (this stage) or "prev" (the stage before). */
const matrix = (page, id, name, role = 'now') => page.locator(`#${id} table[data-matrix="${name}"][data-role="${role}"] tbody tr`)
  .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
const caption = (page, id, name, role = 'now') => page.locator(`#${id} table[data-matrix="${name}"][data-role="${role}"] caption`).textContent();
const currentStep = (page, id) => page.locator(`#${id} .stepper button[aria-current="step"]`).getAttribute('data-step').then(Number);
const events = (page) => page.evaluate(() => window.pipelineEvents.splice(0));

/** What stage k shows as its new output(s) for one head of a trace. */
function expected(t, head, k) {
  const h = t.per_head[head];
  return [{ X: t.X }, { Q: h.Q, K: h.K, V: h.V }, { scores: h.scores }, { scaled: h.scaled },
    { masked: h.masked }, { weights: h.weights }, { output: h.output }][k];
}

// Each test opens its own page in the shared browser, so they can run side by side.
describe('<attn-pipeline>', { concurrency: 3 }, () => {
  test('renders on a lesson page with the engine\'s X, a 7-stage stepper and no problems', async () => {
    const page = await openWith([{ id: 'p' }]);
    const t = trace();
    const w = page.locator('#p');
    assert.deepEqual(await w.locator('ol.stepper > li > button').allTextContents(),
      STAGES.map((s, i) => `${i + 1}Step ${i + 1}: ${s}`));
    assert.equal(await currentStep(page, 'p'), 0);
    assert.equal(await w.locator('.stepper [aria-current]').count(), 1);
    assert.deepEqual(await matrix(page, 'p', 'X'), asShown(t.X));
    assert.equal(await caption(page, 'p', 'X'), 'X (5 × 8)');
    assert.deepEqual(await w.locator('table[data-matrix="X"] thead th').allTextContents(), t.features);
    assert.match(await w.locator('.sentence').textContent(), /5 tokens · d_model 8 · 1 head · dₖ 8/);
    assert.equal(await w.locator('.head-pick').isVisible(), false, 'no head selector with one head');
    assert.equal(await w.locator('.notice').isVisible(), false);
    assert.equal(await w.locator('.nav-prev').getAttribute('aria-disabled'), 'true');
    assert.deepEqual(page.problems, []);
  });

  test('pointer: Next walks all 7 stages; every stage shows the engine\'s numbers, shapes and the previous output', async () => {
    const page = await openWith([{ id: 'p' }]);
    const t = trace();
    const w = page.locator('#p');
    const shapes = ['X (5 × 8)', 'Q (5 × 8)', 'scores (5 × 5)', 'scaled (5 × 5)', 'masked (5 × 5)', 'weights (5 × 5)', 'output (5 × 8)'];
    const formulas = [/X = embed\(tokens\)/, /Q = X·W_Q, +K = X·W_K, +V = X·W_V/, /scores = Q·Kᵀ/, /scaled = scores \/ √dₖ = scores \/ √8/,
      /masked = scaled \(no mask\)/, /weights = softmax/, /output = weights·V/];
    for (let k = 0; k < 7; k++) {
      if (k > 0) await w.locator('.nav-next').click();
      assert.equal(await currentStep(page, 'p'), k);
      assert.equal(await w.locator('.stage').getAttribute('data-step'), String(k));
      assert.equal(await w.locator('.stage h3').textContent(), `${k + 1}. ${STAGES[k]}`);
      assert.equal(await w.locator('.status').textContent(), `Step ${k + 1} of 7: ${STAGES[k]}`);
      assert.match(await w.locator('.formula').textContent(), formulas[k]);
      assert.ok((await w.locator('.stage .explain').textContent()).length > 40, 'a sentence explains the step');
      for (const [name, m] of Object.entries(expected(t, 0, k))) assert.deepEqual(await matrix(page, 'p', name), asShown(m), `step ${k}: ${name}`);
      assert.equal(await caption(page, 'p', Object.keys(expected(t, 0, k))[0]), shapes[k]);
      // the previous stage's output stays on screen, smaller and untinted
      if (k >= 2) {
        const [name, m] = Object.entries(expected(t, 0, k - 1))[0];
        assert.deepEqual(await matrix(page, 'p', name, 'prev'), asShown(m), `step ${k}: previous ${name}`);
        assert.equal(await w.locator('table[data-role="prev"] td.pos, table[data-role="prev"] td.neg').count(), 0);
      }
    }
    assert.deepEqual(await matrix(page, 'p', 'X', 'prev'), []); // step 7 shows weights and V, not X
    assert.deepEqual(await matrix(page, 'p', 'V', 'prev'), asShown(t.per_head[0].V));
    assert.equal(await w.locator('.nav-next').getAttribute('aria-disabled'), 'true');
    await w.locator('.nav-next').click({ force: true }); // aria-disabled at the end: nothing happens
    assert.equal(await currentStep(page, 'p'), 6);
    // the stepper buttons jump anywhere
    await w.locator('.stepper button[data-step="2"]').click();
    assert.equal(await currentStep(page, 'p'), 2);
    await w.locator('.nav-prev').click();
    assert.equal(await currentStep(page, 'p'), 1);
    const ev = await events(page);
    assert.deepEqual(ev.map((e) => e.step), [1, 2, 3, 4, 5, 6, 2, 1]);
    assert.ok(ev.every((e) => e.head === 0 && e.id === 'p'));
    // moved elsewhere in the page, it keeps the learner's place
    await page.evaluate(() => document.querySelector('main').prepend(document.querySelector('#p')));
    assert.equal(await currentStep(page, 'p'), 1);
    assert.deepEqual(await matrix(page, 'p', 'Q'), asShown(t.per_head[0].Q));
    // the weights behind W_Q are there on request (the head's columns of the trace's weights)
    await w.locator('details.weights summary').click();
    assert.deepEqual(await matrix(page, 'p', 'W_Q'), asShown(t.weights.W_q));
    assert.deepEqual(page.problems, []);
  });

  test('keyboard: arrows, Page Up/Down, Home/End step while the widget has focus; the stepper follows', async () => {
    const page = await openWith([{ id: 'p', attrs: { step: '3' } }]); // step counts from 1: Scores
    const w = page.locator('#p');
    assert.equal(await currentStep(page, 'p'), 2); // data-step, like the state and the events, counts from 0
    await w.locator('.stage').focus();
    const press = async (key, want) => {
      await page.keyboard.press(key);
      assert.equal(await currentStep(page, 'p'), want, `after ${key}`);
    };
    await press('ArrowRight', 3);
    await press('ArrowRight', 4);
    await press('PageDown', 5);
    await press('PageUp', 4);
    await press('ArrowLeft', 3);
    await press('End', 6);
    await press('ArrowRight', 6);
    await press('Home', 0);
    await press('ArrowLeft', 0);
    assert.deepEqual((await events(page)).map((e) => e.step), [3, 4, 5, 4, 3, 6, 0]);
    // Tab reaches the controls; Enter on a stage button jumps; arrows on the stepper move the focus along
    await w.locator('.stepper button[data-step="3"]').focus();
    await page.keyboard.press('Enter');
    assert.equal(await currentStep(page, 'p'), 3);
    await page.keyboard.press('ArrowRight');
    assert.equal(await currentStep(page, 'p'), 4);
    assert.equal(await page.evaluate(() => document.querySelector('#p').shadowRoot.activeElement?.dataset.step), '4');
    // Next / Previous by keyboard
    await w.locator('.nav-next').focus();
    await page.keyboard.press('Enter');
    assert.equal(await currentStep(page, 'p'), 5);
    await page.keyboard.press('ArrowLeft'); // focus is still inside the widget
    assert.equal(await currentStep(page, 'p'), 4);
    // a click anywhere inside the widget gives it focus for the keys
    await w.locator('.stage .explain').click();
    await page.keyboard.press('ArrowRight');
    assert.equal(await currentStep(page, 'p'), 5);
    assert.deepEqual(page.problems, []);
  });

  test('the causal toggle changes the mask and softmax stages (−∞ and 0 above the diagonal)', async () => {
    const page = await openWith([{ id: 'p', attrs: { step: '5' } }]); // 5 Mask
    const w = page.locator('#p');
    const open = trace(), causal = trace({ causal: true });
    assert.match(await w.locator('.stage .explain').textContent(), /no mask: every token may look at every token/i);
    assert.deepEqual(await matrix(page, 'p', 'masked'), asShown(open.per_head[0].scaled));
    assert.equal(await w.locator('table[data-matrix="masked"][data-role="now"] td.masked').count(), 0);
    assert.equal(await w.evaluate((el) => el.check('causal-on').correct), false);
    await w.locator('#causal').click(); // pointer on the real checkbox
    assert.equal(await w.locator('#causal').isChecked(), true);
    assert.equal(await w.evaluate((el) => el.check('causal-on').correct), true);
    const ev = await events(page);
    assert.deepEqual(ev.at(-1), { id: 'p', step: 4, stage: 'mask', head: 0, causal: true });
    const masked = await matrix(page, 'p', 'masked');
    assert.deepEqual(masked, asShown(causal.per_head[0].masked));
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++)
      assert.equal(masked[i][j] === '−∞', j > i, `masked[${i}][${j}] = ${masked[i][j]}`);
    assert.match(await w.locator('.stage .explain').textContent(), /−∞/);
    // on the Mask stage the weights are not on screen yet; the wrong try does not say where they are
    const early = await w.evaluate((el) => el.check('causal-weights'));
    assert.equal(early.correct, false);
    assert.match(early.message, /step 5 \(Mask\) produces masked, not the weights/);
    assert.doesNotMatch(early.message, /step 6|Softmax/);
    await page.keyboard.press('ArrowRight'); // focus is on the checkbox, inside the widget
    assert.equal(await currentStep(page, 'p'), 5);
    const weights = await matrix(page, 'p', 'weights');
    assert.deepEqual(weights, asShown(causal.per_head[0].weights));
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) assert.equal(weights[i][j], '0.00');
    assert.notDeepEqual(weights, asShown(open.per_head[0].weights));
    assert.deepEqual(await matrix(page, 'p', 'masked', 'prev'), asShown(causal.per_head[0].masked));
    // widget quiz checks read the live state
    assert.equal(await w.evaluate((el) => el.check('causal-weights').correct), true);
    await w.locator('#causal').uncheck();
    assert.deepEqual(await matrix(page, 'p', 'weights'), asShown(open.per_head[0].weights));
    assert.equal(await w.evaluate((el) => el.check('causal-weights').correct), false);
    assert.deepEqual(page.problems, []);
  });

  test('two heads: a head selector, d_k = 4 per head, per-head numbers, concat and W_O at the output', async () => {
    const page = await openWith([{ id: 'm', attrs: { heads: '2', step: '4' }, wrap: true }]); // 4 Scale
    const w = page.locator('#m');
    const t = trace({ heads: 2 });
    assert.equal(t.d_k, 4);
    assert.equal(await w.locator('.head-pick').isVisible(), true);
    assert.deepEqual(await w.locator('#head option').allTextContents(), ['1 of 2', '2 of 2']);
    assert.match(await w.locator('.sentence').textContent(), /2 heads · dₖ 4/);
    assert.match(await w.locator('.formula').textContent(), /√4/);
    assert.deepEqual(await matrix(page, 'm', 'scaled'), asShown(t.per_head[0].scaled));
    await w.locator('#head').selectOption('1');
    assert.deepEqual(await matrix(page, 'm', 'scaled'), asShown(t.per_head[1].scaled));
    assert.deepEqual(await matrix(page, 'm', 'scores', 'prev'), asShown(t.per_head[1].scores));
    assert.equal(await w.locator('.stage h3').textContent(), '4. Scale, head 2');
    assert.deepEqual((await events(page)).at(-1), { id: 'm', step: 3, stage: 'scale', head: 1, causal: false });
    assert.equal(await w.evaluate((el) => el.check('head-selected', { head: 2 }).correct), true); // counted from 1
    const other = await w.evaluate((el) => el.check('head-selected', { head: 1 }));
    assert.equal(other.correct, false);
    assert.match(other.message, /Head 2 is selected, which is not the head asked for/);
    assert.equal((await w.evaluate((el) => el.currentValues())).head, 2);
    // step 2 (Project): the head's own columns 5-8 of Q, K, V, each 5 × 4
    await w.locator('.stepper button[data-step="1"]').click();
    assert.equal(await caption(page, 'm', 'Q'), 'Q, head 2 (5 × 4)');
    assert.deepEqual(await w.locator('table[data-matrix="Q"] thead th').allTextContents(), ['5', '6', '7', '8']);
    for (const name of ['Q', 'K', 'V']) assert.deepEqual(await matrix(page, 'm', name), asShown(t.per_head[1][name]));
    await w.locator('details.weights summary').click();
    assert.deepEqual(await matrix(page, 'm', 'W_K'), asShown(t.weights.W_k.map((r) => r.slice(4, 8))));
    // step 7 (Output): the head's output, then concat and concat·W_O from the trace
    await w.locator('.stepper button[data-step="6"]').click();
    assert.deepEqual(await matrix(page, 'm', 'output'), asShown(t.per_head[1].output));
    assert.equal(await caption(page, 'm', 'output'), 'output, head 2 (5 × 4)');
    assert.deepEqual(await matrix(page, 'm', 'concat'), asShown(t.concat));
    assert.deepEqual(await matrix(page, 'm', 'final'), asShown(t.output));
    assert.equal(await caption(page, 'm', 'final'), 'output = concat·W_O (5 × 8)');
    await w.locator('.combine details summary').click();
    assert.deepEqual(await matrix(page, 'm', 'W_O'), asShown(t.weights.W_o));
    // the keyboard leaves the head selector's arrows alone
    await w.locator('#head').focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await currentStep(page, 'm'), 6);
    assert.deepEqual(page.problems, []);
  });

  test('sinusoidal positions and unknown words come through the engine', async () => {
    const page = await openWith([{ id: 'p', attrs: { sentence: 'the zorb chased the mouse', positions: 'sinusoidal', seed: '3' } }]);
    const w = page.locator('#p');
    const t = engine.trace({ tokens: ['the', 'zorb', 'chased', 'the', 'mouse'], seed: 3, heads: 1, positions: 'sinusoidal' });
    assert.deepEqual(await matrix(page, 'p', 'X'), asShown(t.X));
    assert.equal(await caption(page, 'p', 'X'), 'X = embedding + position (5 × 8)');
    assert.match(await w.locator('.sentence').textContent(), /not in the vocabulary.*zorb/);
    await w.locator('.stepper button[data-step="6"]').click();
    assert.deepEqual(await matrix(page, 'p', 'output'), asShown(t.per_head[0].output));
    assert.deepEqual(page.problems, []);
  });

  test('bad attributes show notices and the widget still renders defaults; no HTML is injected', async () => {
    const page = await openWith([
      { id: 'h3', attrs: { heads: '3', step: '3' } },
      { id: 's9', attrs: { step: '9', head: 'x' } },
      { id: 's0', attrs: { step: '0' } },
      { id: 'html', attrs: { sentence: '<img src=x onerror="window.pwned=1"> cat', causal: 'maybe', positions: 'learned' } },
      { id: 'hd', attrs: { heads: '2', head: '5' } },
    ]);
    const notice = (id) => page.locator(`#${id} .notice`).textContent();
    const t = trace();
    // heads = 3 passes the attribute range but not the engine: its message, then one head
    assert.match(await notice('h3'), /heads: 3 does not divide d_model = 8/);
    assert.deepEqual(await matrix(page, 'h3', 'scores'), asShown(t.per_head[0].scores));
    assert.match(await page.locator('#h3 .sentence').textContent(), /1 head · dₖ 8/);
    // step 9 and a non-number head: defaults (step 1, the first stage); step 0 is below the range
    assert.match(await notice('s9'), /step: 9 is outside the allowed range 1\.\.7/);
    assert.match(await notice('s9'), /head: "x" is not a number/);
    assert.equal(await currentStep(page, 's9'), 0);
    assert.deepEqual(await matrix(page, 's9', 'X'), asShown(t.X));
    assert.match(await notice('s0'), /step: 0 is outside the allowed range 1\.\.7/);
    assert.equal(await page.locator('#s0 .stage h3').textContent(), '1. Embed');
    // HTML in the sentence: a notice, the default sentence, nothing injected
    assert.match(await notice('html'), /sentence: "<img" is not a word/);
    assert.match(await notice('html'), /causal: "maybe" must be true or false/);
    assert.match(await notice('html'), /positions: "learned" must be one of none, sinusoidal/);
    assert.equal(await page.locator('#html img').count(), 0);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.equal(await page.locator('#html table[data-matrix="X"] tbody tr').count(), 5);
    // head 5 of 2 heads: noted, the first head is shown
    assert.match(await notice('hd'), /head: 5 is more than heads = 2; showing head 1/);
    assert.equal(await page.locator('#hd #head').inputValue(), '0');
    // fixing an attribute later clears its notice and recomputes
    await page.evaluate(() => document.querySelector('#h3').setAttribute('heads', '4'));
    await page.waitForFunction(() => document.querySelector('#h3').shadowRoot.querySelector('.notice').hidden);
    assert.match(await page.locator('#h3 .sentence').textContent(), /4 heads · dₖ 2/);
    assert.deepEqual(await matrix(page, 'h3', 'scores'), asShown(trace({ heads: 4 }).per_head[0].scores));
    assert.deepEqual(page.problems, []);
  });

  test('widget quiz checks: reached-step and stage-shows grade the live stage', async () => {
    const page = await openWith([{ id: 'p' }]);
    const w = page.locator('#p');
    const check = (name, args) => w.evaluate((el, [n, a]) => el.check(n, a), [name, args]);
    // the step argument counts from 1 like the attribute; a wrong try names where the widget is,
    // never the step asked for or where a matrix appears (a question may ask the learner to find it)
    let r = await check('reached-step', { step: 7 });
    assert.equal(r.correct, false);
    assert.match(r.message, /step 1 of 7 \(Embed\), which is not the step asked for/);
    assert.doesNotMatch(r.message, /step 7|Output/);
    r = await check('stage-shows', { matrix: 'weights' });
    assert.equal(r.correct, false);
    assert.match(r.message, /^Step 1 \(Embed\) produces X, not weights\. Step through and look for the stage that makes weights\.$/);
    assert.doesNotMatch(r.message, /step 6|Softmax/i);
    await w.locator('.stepper button[data-step="5"]').click();
    assert.equal((await check('stage-shows', { matrix: 'weights' })).correct, true);
    assert.equal((await check('reached-step', { step: 6 })).correct, true); // 6 Softmax
    await w.locator('.nav-next').click();
    r = await check('reached-step', { step: 7 });
    assert.equal(r.correct, true);
    assert.match(r.message, /step 7 of 7, Output/);
    assert.equal((await w.evaluate((el) => el.currentValues())).step, 7); // what a deep link writes back
    assert.equal((await check('reached-step', { step: 9 })).correct, false); // bad args are not correct
    assert.equal((await check('reached-step', { step: 0 })).correct, false); // nor is a 0-based first step
    assert.equal((await check('no-such-check')).correct, false);
  });

  test('lesson 9, when built, carries the pipeline with the engine\'s numbers', async (t) => {
    const page = await b.newPage();
    const res = await page.goto(b.base + LESSON9);
    if (!res || res.status() !== 200) return t.skip('lesson 9 is not in this build');
    const w = await ready(page, 'pipeline');
    const tr = trace({ tokens: (await w.getAttribute('sentence')).split(' ') });
    await w.locator('.stepper button[data-step="6"]').click();
    assert.deepEqual(await matrix(page, 'pipeline', 'output'), asShown(tr.per_head[0].output));
    assert.deepEqual(page.problems, []);
  });

  for (const colorScheme of ['light', 'dark']) {
    test(`axe-core: no serious violations across the stages (${colorScheme})`, async () => {
      const page = await openWith([
        { id: 'a', attrs: { causal: 'true' }, wrap: true },
        { id: 'm', attrs: { heads: '2', head: '2', step: '7', sentence: 'the zorb chased' } },
      ], { colorScheme });
      // only the widgets stay on the page (lesson 7's own content has its own axe test): fast runs
      await page.evaluate(() => {
        for (const n of [...document.querySelector('main').children]) if (!n.matches('attn-pipeline, .widget:has(attn-pipeline)')) n.remove();
      });
      await page.locator('#m .combine details summary').click();
      const w = page.locator('#a');
      // the stages differ in what they draw: tokens, many 8-column tables, −∞ cells, the last stage
      for (const k of [0, 1, 4, 6]) {
        await w.locator(`.stepper button[data-step="${k}"]`).click();
        if (k === 1) await w.locator('details.weights summary').click();
        await page.evaluate(() => new Promise(requestAnimationFrame));
        assert.deepEqual(await seriousViolations(page), [], `step ${k + 1}`);
      }
      assert.deepEqual(page.problems, []);
    });
  }

  test('a 360 px phone: no sideways page scroll at any stage, wide matrices scroll in their own box, touch steps', async () => {
    const page = await openWith([{ id: 'p', attrs: { heads: '1' } }, { id: 'w', attrs: { step: '2' }, wrap: true }],
      { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const w = page.locator('#p');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    for (let k = 0; k < 7; k++) {
      if (k > 0) await w.locator('.nav-next').tap();
      assert.equal(await currentStep(page, 'p'), k);
      await page.evaluate(() => new Promise(requestAnimationFrame));
      assert.ok(await overflow() <= 0, `step ${k + 1}: the page overflows by ${await overflow()}px`);
    }
    await w.locator('.stepper button[data-step="1"]').tap();
    assert.equal(await currentStep(page, 'p'), 1);
    await page.evaluate(() => new Promise(requestAnimationFrame));
    // Q (5 × 8) is wider than the phone: its box scrolls, is focusable and named; its label stays in view
    const box = w.locator('table[data-matrix="Q"]').locator('xpath=..');
    assert.equal(await box.getAttribute('tabindex'), '0');
    assert.equal(await box.getAttribute('role'), 'region');
    assert.match(await box.getAttribute('aria-label'), /Q \(5 × 8\)/);
    assert.ok(await box.evaluate((n) => n.scrollWidth > n.clientWidth));
    const label = w.locator('.mat:has(table[data-matrix="Q"]) .mcap');
    assert.match(await label.textContent(), /Q \(5 × 8\)/);
    await box.evaluate((n) => { n.scrollLeft = 1000; });
    const lb = await label.boundingBox();
    assert.ok(lb && lb.x >= 0 && lb.x + lb.width <= 360, 'the matrix label stays on screen while its box scrolls');
    assert.ok(await overflow() <= 0);
    // the stepper fits: seven buttons on one row, at least 24 px wide each
    const boxes = await w.locator('.stepper button').evaluateAll((bs) => bs.map((x) => x.getBoundingClientRect()).map((r) => [r.top, r.width, r.right]));
    assert.ok(boxes.every(([top, width, right]) => top === boxes[0][0] && width >= 24 && right <= 360));
    assert.deepEqual(page.problems, []);
  });
});
