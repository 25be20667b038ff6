// Runs the web surfaces of the hostile-input corpus (tests/corpus/*.json) without a browser:
// deep-link and embed-frame hashes through the state codec, attribute values through props.js,
// progress files and storage states through the progress store (fake storage), and postMessage
// events through embed-resize.js's own check (loaded in a vm with a fake page). Besides each
// case's expected outcome, every case must keep the invariants a learner relies on: nothing
// thrown, Object.prototype untouched, stored text never lost, notices capped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { loadCorpus, mismatch } from '../corpus/web-corpus.mjs';
import { listProblems, noticeText, parseFrameHash, parseHash } from '../../web/widgets/state-codec.js';
import { parseProp, parseProps } from '../../web/widgets/props.js';
import { widgets } from '../../web/widgets/index.js';
import { BACKUP_PREFIX, STORAGE_KEY, schemaError } from '../../web/app/progress.js';
import { fakeStorage, open } from './progress-helpers.mjs';

const byTag = Object.fromEntries(widgets.map((W) => [W.tag, W]));
const NOTICE_CAP = 2000;
const protoNames = () => Object.getOwnPropertyNames(Object.prototype).sort().join(' ');
const PROTO = protoNames();
const cleanPrototype = (where) => {
  assert.equal(protoNames(), PROTO, `${where}: Object.prototype gained properties`);
  assert.equal(({}).polluted, undefined, where);
};

test('the corpus files follow the agreed format and hold at least 150 web cases', () => {
  const counts = Object.fromEntries(['deeplink', 'embed-hash', 'postmessage', 'widget-attributes', 'progress-file', 'storage'].map((s) => [s, loadCorpus(s).length]));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  assert.ok(total >= 150, `${total} cases: ${JSON.stringify(counts)}`);
  for (const [s, n] of Object.entries(counts)) {
    const cases = loadCorpus(s);
    assert.ok(cases.some((c) => c.expect === 'ok') && cases.some((c) => c.expect !== 'ok'), `${s}: both outcomes are covered (${n} cases)`);
  }
});

// the page a deep-link case is read against: widget id -> class
const PAGE = { soft: byTag['attn-softmax'], arrows: byTag['attn-dot-arrows'], rnn: byTag['attn-rnn-forget'], lookup: byTag['attn-soft-lookup'], path: byTag['attn-path-length'] };
const lookup = (id) => (Object.hasOwn(PAGE, id) ? { props: PAGE[id].props, controls: PAGE[id].controls } : null);

test('corpus deeplink: page hashes through the state codec', () => {
  for (const c of loadCorpus('deeplink')) {
    const r = parseHash(c.input, lookup);
    const notice = noticeText(r.problems);
    assert.equal(mismatch(c, notice), '', c.id);
    assert.ok(notice.length <= NOTICE_CAP, `${c.id}: notice is ${notice.length} characters`);
    for (const [id, e] of r.entries)
      for (const [name, text] of e.props) {
        const decl = PAGE[id].props.find((d) => d.name === name);
        assert.ok(text === null || !parseProp(decl, text).error, `${c.id}: ${id}.${name}=${text} was kept but is not valid`);
      }
  }
});

test('corpus embed-hash: frame hashes through the state codec', () => {
  for (const c of loadCorpus('embed-hash')) {
    const r = parseFrameHash(c.input, widgets);
    const message = listProblems(r.problems);
    assert.equal(mismatch(c, message), '', c.id);
    assert.ok(message.length <= NOTICE_CAP, `${c.id}: notice is ${message.length} characters`);
    if (c.expect === 'ok') assert.ok(r.W, `${c.id}: a widget`);
    for (const [name, text] of r.attrs) {
      if (name === 'hide') continue;
      assert.ok(!parseProp(r.W.props.find((d) => d.name === name), text).error, `${c.id}: ${name}=${text} kept but not valid`);
    }
  }
});

test('corpus widget-attributes: attribute values through each widget\'s declarations', () => {
  for (const c of loadCorpus('widget-attributes')) {
    const W = byTag[c.input.tag];
    assert.ok(W, `${c.id}: ${c.input.tag} is registered`);
    const { errors } = parseProps(W.props, (name) => (Object.hasOwn(c.input.attrs, name) ? c.input.attrs[name] : null));
    assert.equal(mismatch(c, errors.join('; ')), '', c.id);
  }
});

/** The text of a progress-file case: a plain string, { text } or { json }. */
const fileText = (input) => (typeof input === 'string' ? input : input.text ?? JSON.stringify(input.json));

test('corpus progress-file: imports through the store', () => {
  for (const c of loadCorpus('progress-file')) {
    const s = fakeStorage();
    const p = open(s);
    p.recordAnswer(2, 'mine', { correct: true, value: [1] });
    const before = s.getItem(STORAGE_KEY);
    const r = p.importText(fileText(c.input));
    assert.equal(mismatch(c, r.ok ? '' : r.error), '', c.id);
    cleanPrototype(c.id);
    if (r.ok) {
      assert.equal(schemaError(JSON.parse(s.getItem(STORAGE_KEY))), '', `${c.id}: the stored record is clean`);
      assert.equal(s.getItem(r.backupKey), before, `${c.id}: the replaced progress was kept`);
    } else {
      assert.equal(s.getItem(STORAGE_KEY), before, `${c.id}: a refused file changes nothing`);
    }
    p.recordAnswer(7, 'l07-after', { correct: false, value: [0], kind: 'single' });
    assert.ok(p.data.lessons['7'].answers['l07-after'], `${c.id}: the store keeps working`);
  }
});

test('corpus storage: opening the store over each stored state', () => {
  for (const c of loadCorpus('storage')) {
    const { stored, others = {}, room, full = false } = c.input;
    const s = fakeStorage({ ...(stored === null ? {} : { [STORAGE_KEY]: stored }), ...others });
    if (room !== undefined) s.quota = s.used() + room;
    s.full = full;
    let p;
    assert.doesNotThrow(() => (p = open(s)), c.id);
    assert.equal(mismatch(c, p.notice), '', c.id);
    cleanPrototype(c.id);
    for (const [k, v] of Object.entries(others)) if (!/^attention-lab\/progress-backup-\d+$/.test(k)) assert.equal(s.getItem(k), v, `${c.id}: ${k} untouched`);
    if (stored !== null && p.notice) {
      const kept = s.getItem(STORAGE_KEY) === stored || [...s.map].some(([k, v]) => k.startsWith(BACKUP_PREFIX) && v === stored);
      assert.ok(kept, `${c.id}: the stored text is still there or in a backup`);
    }
    assert.equal(schemaError(JSON.parse(JSON.stringify(p.data))), '', `${c.id}: the data in use is clean`);
    p.recordAnswer(7, 'l07-after', { correct: true, value: [0] });
    assert.ok(p.data.lessons['7'].answers['l07-after'], `${c.id}: the store keeps working`);
    if (!p.persistent && stored !== null) assert.equal(s.getItem(STORAGE_KEY), stored, `${c.id}: in memory, the stored text is left alone`);
  }
});

const LAB = 'https://lab.example', BLOG = 'https://blog.example';

/** embed-resize.js in a vm, on a fake blog page with four iframes. */
function resizePage() {
  const frame = (name, src) => {
    const attrs = new Map([['src', src], ['height', '123']]);
    return { name, contentWindow: { name }, getAttribute: (k) => attrs.get(k) ?? null, setAttribute: (k, v) => attrs.set(k, String(v)) };
  };
  const frames = [frame('embed', `${LAB}/embed.html#widget=softmax`), frame('embed-2', `${LAB}/embed.html#widget=dot-arrows`),
    frame('same-origin-page', `${LAB}/lessons/04-softmax/`), frame('blog-frame', `${BLOG}/other.html`)];
  const listeners = [];
  const window = { addEventListener: (type, f) => type === 'message' && listeners.push(f) };
  const document = { baseURI: `${BLOG}/post.html`, currentScript: { src: `${LAB}/embed-resize.js` }, getElementsByTagName: (t) => (t === 'iframe' ? frames : []) };
  window.window = window;
  vm.runInNewContext(readFileSync(new URL('../../web/embed-resize.js', import.meta.url), 'utf8'), { window, document, URL });
  return { window, frames, listeners };
}

test('corpus postmessage: height messages through embed-resize.js', () => {
  const page = resizePage();
  assert.equal(page.listeners.length, 1);
  for (const c of loadCorpus('postmessage')) {
    const { from, data } = c.input;
    const sender = page.frames.find((f) => f.name === from);
    const event = from === 'self'
      ? { source: page.window, origin: BLOG, data }
      : { source: sender.contentWindow, origin: from === 'blog-frame' ? BLOG : LAB, data };
    const r = page.window.__attentionLabResize.accept(event);
    assert.equal(mismatch(c, r.error ?? ''), '', c.id);
    for (const f of page.frames) f.setAttribute('height', '123');
    page.listeners[0](event);
    const changed = page.frames.filter((f) => f.getAttribute('height') !== '123');
    if (c.expect === 'ok') assert.deepEqual(changed.map((f) => [f.name, f.getAttribute('height')]), [[from, String(Math.ceil(data.height))]], c.id);
    else assert.deepEqual(changed.map((f) => f.name), [], c.id);
  }
  // a message claiming our origin from a frame that is not ours is refused too
  const spoof = page.window.__attentionLabResize.accept({ source: page.frames[3].contentWindow, origin: LAB, data: { type: 'attention-lab:height', height: 500 } });
  assert.match(spoof.error, /not an Attention Lab embed\.html frame/);
});
