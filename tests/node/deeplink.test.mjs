// The deep-link schema without a browser: parsing a hash against the widgets' own `static props`
// and `static controls`, writing one back (only what differs from the page, in a stable order),
// and rejecting malformed or tampered links with plain-text reasons instead of throwing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHash, serializeHash, encodeValue, decodeValue, normalText, noticeText, MAX_HASH } from '../../web/widgets/state-codec.js';
import { parseProp } from '../../web/widgets/props.js';
import { widgets } from '../../web/widgets/index.js';

const byTag = Object.fromEntries(widgets.map((W) => [W.tag, W]));
// the widgets of a page: id -> class (lesson 7, 4, 6 and 2 ids)
const PAGE = { scores: byTag['attn-score-matrix'], soft: byTag['attn-softmax'], qkv: byTag['attn-qkv'], lookup: byTag['attn-soft-lookup'] };
const lookup = (id) => (Object.hasOwn(PAGE, id) ? { props: PAGE[id].props, controls: PAGE[id].controls } : null);
const props = (r, id) => Object.fromEntries(r.entries.get(id)?.props ?? []);

// the widgets whose controls this file pins (widgets added later only need valid declarations)
const WITH_CONTROLS = ['attn-rnn-forget', 'attn-soft-lookup', 'attn-dot-arrows', 'attn-softmax', 'attn-embed', 'attn-qkv',
  'attn-score-matrix', 'attn-row-softmax', 'attn-weighted-sum', 'attn-pipeline'];

test('every widget declares its controls and a default for every prop', () => {
  for (const tag of WITH_CONTROLS) assert.ok(byTag[tag], `${tag} is registered`);
  for (const W of widgets) {
    if (WITH_CONTROLS.includes(W.tag)) assert.ok(Array.isArray(W.controls) && W.controls.length > 0, `${W.tag} has no static controls`);
    // control names go into `hide` lists and `id.name_hide` keys: no commas, dots or spaces
    assert.ok((W.controls ?? []).every((c) => /^[a-z][a-z0-9-]*$/.test(c)), `${W.tag} controls ${W.controls}`);
    for (const d of W.props) {
      assert.ok(d.description, `${W.tag}.${d.name} has a description`);
      if (d.default !== null) assert.ok(!parseProp(d, normalText(d, null)).error, `${W.tag}.${d.name}: default survives a round trip`);
    }
  }
});

test('a valid hash becomes attribute text per widget, hide keys included', () => {
  const r = parseHash('#soft.temperature=0.5&scores.selected=1,3&scores.scaled=true&scores.byhand_hide=true&scores.sentence=The+dog+ate', lookup);
  assert.equal(r.kind, 'state');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(props(r, 'soft'), { temperature: '0.5' });
  assert.deepEqual(props(r, 'scores'), { selected: '1,3', scaled: 'true', sentence: 'the dog ate' });
  assert.deepEqual(Object.fromEntries(r.entries.get('scores').hide), { byhand: true });
  // %-encoded spaces and commas work too; an empty value unsets an optional prop
  const r2 = parseHash('scores.sentence=the%20cat&soft.scores=1%2C2&lookup.query=', lookup);
  assert.deepEqual(r2.problems, []);
  assert.deepEqual(props(r2, 'scores'), { sentence: 'the cat' });
  assert.deepEqual(props(r2, 'soft'), { scores: '1,2' });
  assert.deepEqual(props(r2, 'lookup'), { query: null });
});

test('anchors and empty hashes are not deep links', () => {
  assert.equal(parseHash('', lookup).kind, 'empty');
  assert.equal(parseHash('#', lookup).kind, 'empty');
  const a = parseHash('#quiz-l07-2', lookup);
  assert.equal(a.kind, 'anchor');
  assert.deepEqual(a.problems, []);
});

test('malformed and tampered hashes are reported, never thrown, and nothing from them is kept', () => {
  const cases = {
    '#scores.heads=99': /scores\.heads: 99 is outside the allowed range 1\.\.8/,
    '#nope.x=1': /nope\.x: there is no widget "nope" on this page/,
    '#%E0%A4%A': /broken %-encoding/,
    '#scores.x=%E0%A4%A': /broken %-encoding/,
    '#scores.sentence=<img src=x onerror=alert(1)>': /scores\.sentence: "<img" is not a word/,
    '#scores.sentence=%3Cimg%20src=x%20onerror=alert(1)%3E': /scores\.sentence: "<img" is not a word/,
    '#scores.colour=red': /scores\.colour: this widget has no setting "colour"/,
    '#scores.head_hide=yes': /must be true or false/,
    '#scores.dance_hide=true': /this widget has no control "dance" \(it has head, scale, byhand, controls, toolbar\)/,
    '#scores.heads': null, // no "=": an anchor (browsers ignore unknown anchors too)
    '#scores.heads=2&bare': /"bare" has no value/,
    '#scores=1': /"scores" is not of the form widget\.setting/,
    '#scores.scaled=maybe': /scaled: "maybe" must be true or false/,
    '#soft.scores=1,,2': /soft\.scores: "" is not a number/,
    '#soft.temperature=NaN': /temperature: "NaN" is not a number/,
    '#soft.temperature=': /soft\.temperature: needs a value/,
    '#scores.head=1&scores.head=0': /given more than once/,
    '#constructor.x=1&__proto__.y=2': /there is no widget "constructor"/,
  };
  for (const [hash, want] of Object.entries(cases)) {
    const r = parseHash(hash, lookup);
    if (want === null) {
      assert.equal(r.kind, 'anchor', hash);
      continue;
    }
    assert.ok(r.problems.some((p) => want.test(p)), `${hash}: ${r.problems.join(' | ')}`);
    const kept = [...r.entries.values()].reduce((n, e) => n + e.props.size + e.hide.size, 0);
    const expectKept = hash.includes('&') && !hash.includes('constructor') ? 1 : 0;
    assert.equal(kept, expectKept, `${hash} keeps ${kept}`);
  }
  const long = `#scores.head=1&${'x'.repeat(10000)}`;
  const r = parseHash(long, lookup);
  assert.equal(r.entries.size, 0);
  assert.match(r.problems[0], new RegExp(`at most ${MAX_HASH} are read`));
  // problem text is clipped, so a huge value cannot flood the notice
  const huge = parseHash(`#scores.sentence=${'a'.repeat(3000)}`, lookup);
  assert.ok(huge.problems[0].length < 200, huge.problems[0].length);
});

test('the written hash holds only what differs from the page, in a stable order, and reads back', () => {
  const W = PAGE.scores;
  const base = Object.fromEntries(W.props.map((d) => [d.name, normalText(d, null)]));
  const state = (current, hide = new Set()) => ({ id: 'scores', props: W.props, controls: W.controls, baseline: base, baseHide: new Set(), current: { ...base, ...current }, hide });
  assert.equal(serializeHash([state({})]), '');
  const h = serializeHash([
    state({ selected: '1,3', scaled: 'true', sentence: 'the dog ate' }, new Set(['byhand', 'head'])),
    { id: 'soft', props: PAGE.soft.props, controls: PAGE.soft.controls, baseline: { scores: '2,1,0.1', temperature: '1', labels: 'cat sat mat', gradient: 'true' },
      baseHide: new Set(['buttons']), current: { scores: '2,1,0.1', temperature: '0.5', labels: null, gradient: 'true' }, hide: new Set() },
  ]);
  assert.equal(h, 'scores.sentence=the+dog+ate&scores.scaled=true&scores.selected=1,3&scores.head_hide=true&scores.byhand_hide=true'
    + '&soft.temperature=0.5&soft.labels=&soft.buttons_hide=false');
  const back = parseHash(h, lookup);
  assert.deepEqual(back.problems, []);
  assert.deepEqual(props(back, 'scores'), { sentence: 'the dog ate', scaled: 'true', selected: '1,3' });
  assert.deepEqual(props(back, 'soft'), { temperature: '0.5', labels: null });
  assert.deepEqual(Object.fromEntries(back.entries.get('soft').hide), { buttons: false });
});

test('values survive encoding: words, negative numbers, odd characters', () => {
  for (const text of ['the cat', '-0.5,1e-7,3', 'a&b=c#d', 'ü +%', '']) assert.equal(decodeValue(encodeValue(text)), text);
  assert.equal(encodeValue('1,2 3'), '1,2+3');
  assert.equal(encodeValue('a&b=c#d'), 'a%26b%3Dc%23d');
});

test('the notice is plain text and lists at most eight problems', () => {
  assert.equal(noticeText([]), '');
  const t = noticeText(Array.from({ length: 12 }, (_, i) => `p${i}`));
  assert.match(t, /^This link had settings that could not be used/);
  assert.match(t, /p7; and 4 more\.$/);
  assert.ok(!t.includes('p8'));
});
