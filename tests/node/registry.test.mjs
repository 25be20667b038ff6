// The lazy widget registry (web/widgets/registry.js, what pages and embed.js load) names exactly the
// widgets of the full list (web/widgets/index.js, what validation and the embed docs read), and
// each tag's loader brings that very class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOADERS, TAGS, loadWidget, tagsIn } from '../../web/widgets/registry.js';
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
