// Which WebAssembly modules a page downloads, read from the network (issue 11, "WASM diet"): the
// light steps module (assets/steps-<hash>.wasm) alone on pages whose widgets need no more (lessons
// 1-4), else the core (assets/attn-<hash>.wasm) alone; the course model and grammar
// (assets/model-<hash>.wasm and its loader chunk) only where a widget asks engine.js for the model
// (lessons 10-14: on lessons 11, 12 and 14 only once the learner types a sentence of their own, the
// presets being drawn from the build's trace packs), never on lessons 1-9.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './browser.mjs';
import { loadAllWidgets } from './site-pages.mjs';

let b;
before(async () => {
  b = await startBrowser();
});
after(() => b?.close());

/**
 * Every wasm file and every model-module loader chunk the page (and its workers) requested, by name
 * without hash; `then(page)` acts on the page once every widget is ready (its requests count too).
 */
async function modulesLoaded(path, then = null) {
  const page = await b.newPage();
  const urls = [];
  page.context().on('request', (r) => urls.push(new URL(r.url()).pathname));
  try {
    await page.goto(b.base + path);
    const { count, bad } = await loadAllWidgets(page);
    assert.ok(count > 0, `${path} has widgets`);
    assert.deepEqual(bad, [], `${path}: every widget ready`);
    await page.waitForLoadState('networkidle');
    await then?.(page);
    assert.deepEqual(page.problems, [], `${path}: no console errors or failed requests`);
  } finally {
    await page.context().close();
  }
  const wasm = urls.filter((u) => u.endsWith('.wasm')).map((u) => u.split('/').pop().replace(/-[0-9a-f]{8}\.wasm$/, '.wasm'));
  const modelChunks = urls.filter((u) => /\/assets\/model-\w+\.js$/.test(u));
  return { wasm: [...new Set(wasm)].sort(), modelChunks };
}

test('lessons 1-4 download the light steps module only: not the core, no course-model module, not even its loader', async () => {
  for (const path of ['/lessons/01-rnns-forget/', '/lessons/02-soft-lookup/', '/lessons/03-dot-product/', '/lessons/04-softmax/']) {
    const { wasm, modelChunks } = await modulesLoaded(path);
    assert.deepEqual(wasm, ['steps.wasm'], path);
    assert.deepEqual(modelChunks, [], path);
  }
});

test('a page with a widget that needs the core loads the core alone (lesson 7: dk-scaling, a steps widget, beside score-matrix)', async () => {
  for (const path of ['/lessons/05-embed-sentence/', '/lessons/07-pairwise-scores/']) {
    const { wasm, modelChunks } = await modulesLoaded(path);
    assert.deepEqual(wasm, ['attn.wasm'], path);
    assert.deepEqual(modelChunks, [], path);
  }
});

test('lesson 12 downloads the core, and the course-model module only on demand: once the learner types a sentence', async () => {
  const before = await modulesLoaded('/lessons/12-real-heads/');
  assert.ok(before.wasm.includes('attn.wasm'), before.wasm.join(', '));
  assert.ok(!before.wasm.includes('model.wasm'), before.wasm.join(', '));
  assert.deepEqual(before.modelChunks, []);
  const { wasm, modelChunks } = await modulesLoaded('/lessons/12-real-heads/', async (page) => {
    const gallery = page.locator('attn-head-gallery');
    await gallery.locator('#hg-input').fill('the dog found a red ball');
    await gallery.locator('#hg-input').press('Enter');
    await page.waitForFunction(() => document.querySelector('attn-head-gallery').trace?.tokens.join(' ') === 'the dog found a red ball');
  });
  assert.ok(wasm.includes('attn.wasm'), wasm.join(', '));
  assert.ok(wasm.includes('model.wasm'), wasm.join(', '));
  assert.equal(modelChunks.length, 1, 'the model module loader, once');
});
