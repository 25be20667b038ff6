// The lazy widget registry (web/widgets/registry.js, what pages and embed.js load) names exactly the
// widgets of the full list (web/widgets/index.js, what validation and the embed docs read), and
// each tag's loader brings that very class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LOADERS, TAGS, loadWidget, tagsIn } from '../../web/widgets/registry.js';
import { CORE_TAGS, STEPS_TAGS, needsCore } from '../../web/widgets/engine-choice.js';
import { STEP_FUNCTIONS } from '../../web/core/engine.js';
import { widgets } from '../../web/widgets/index.js';

test('the registry lists every widget once, and only those', () => {
  assert.deepEqual([...TAGS].sort(), widgets.map((W) => W.tag).sort());
});

test("each tag's loader resolves to that widget's class", async () => {
  for (const W of widgets) assert.equal(await LOADERS[W.tag](), W, W.tag);
});

test('an unknown tag is refused with a message naming it and the known tags', async () => {
  await assert.rejects(loadWidget('attn-nope'), /there is no widget <attn-nope> \(known: attn-rnn-forget, .*attn-predict-head, attn-train-live\)/);
});

test('tagsIn finds the widget tags in a subtree, the root included, without duplicates', () => {
  const node = (localName, kids = []) => ({ nodeType: 1, localName, querySelectorAll: () => kids });
  const found = tagsIn(node('attn-softmax', [node('attn-qkv'), node('attn-softmax'), node('attn-qkv')]));
  assert.deepEqual(found.sort(), ['attn-qkv', 'attn-softmax']);
});

test('the widgets that load the light steps module call nothing else of the engine', () => {
  const sources = { 'attn-rnn-forget': 'rnn-forget', 'attn-soft-lookup': 'soft-lookup', 'attn-dot-arrows': 'dot-arrows', 'attn-softmax': 'softmax-bars', 'attn-dk-scaling': 'dk-scaling' };
  assert.deepEqual([...STEPS_TAGS].sort(), Object.keys(sources).sort());
  for (const tag of STEPS_TAGS) assert.ok(TAGS.includes(tag), tag);
  for (const [tag, file] of Object.entries(sources)) {
    const text = readFileSync(new URL(`../../web/widgets/${file}.js`, import.meta.url), 'utf8');
    const calls = [...text.matchAll(/engine\s*\.\s*(\w+)\s*\(/g)].map((m) => m[1]);
    assert.ok(calls.length > 0, `${tag}: calls the engine`);
    for (const fn of calls) assert.ok(STEP_FUNCTIONS.includes(fn), `${tag} calls engine.${fn}, which the steps module does not have`);
    assert.doesNotMatch(text, /loadEngine|loadModel|engine\s*\[/, `${tag}: reaches the engine only by method calls`);
  }
});

test('needsCore: a page with only steps widgets does not need the core; any other widget does', () => {
  assert.deepEqual([...STEPS_TAGS, ...CORE_TAGS].sort(), [...TAGS].sort(), 'the two lists name every widget once');
  const doc = (tags) => ({ nodeType: 9, querySelector: (sel) => (tags.some((t) => sel.split(',').includes(t)) ? {} : null) });
  assert.equal(needsCore(doc(['attn-softmax', 'attn-dot-arrows', 'attn-update-banner'])), false);
  assert.equal(needsCore(doc([])), false);
  assert.equal(needsCore(doc(['attn-softmax', 'attn-embed'])), true);
  assert.equal(needsCore(doc(['attn-score-matrix'])), true);
  assert.equal(needsCore({ nodeType: 1, localName: 'attn-qkv', querySelector: () => null }), true);
  assert.equal(needsCore({ nodeType: 1, localName: 'attn-softmax', querySelector: () => null }), false);
});
