// The hostile-input corpus where a page is needed, in headless Chromium: widget attributes on a
// cross-origin blog page (the widget's own notice, and it still becomes ready), embed.html hashes
// (the frame's notice, capped; the widget or the list of widgets), and postMessage height
// messages from real frames on a blog page running embed-resize.js. The node runner
// (tests/node/corpus-web.test.mjs) checks the same cases through the pure functions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmbedTests } from './embed-helpers.mjs';
import { loadCorpus, mismatch } from '../corpus/web-corpus.mjs';

const NOTICE_CAP = 2000;

/** A frozen page never answers page.evaluate: fail with the case's name instead of waiting forever. */
function withinSeconds(seconds, message, promise) {
  let timer;
  const late = new Promise((_, no) => { timer = setTimeout(() => no(new Error(message)), seconds * 1000); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
let env, b, blog, newPage;
before(async () => {
  env = await startEmbedTests();
  ({ b, blog, newPage } = env);
});
after(() => env?.close());

test('corpus widget-attributes: each case on a blog page shows its notice (or none) and the widget still works', async () => {
  blog.write('corpus-attrs.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>corpus</title>
<script type="module" src="${b.base}/embed.js"></script></head><body><h1>Attributes</h1><main id="main"></main></body></html>`);
  const page = await newPage();
  await page.goto(`${blog.base}/corpus-attrs.html`);
  for (const c of loadCorpus('widget-attributes')) {
    if (process.env.ATTN_CORPUS_VERBOSE) console.error(c.id);
    const r = await withinSeconds(30, `${c.id}: the page froze`, page.evaluate(async ({ tag, attrs }) => {
      // embed.js loads a widget's code only once its tag is on the page: insert first, then wait.
      const el = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      document.getElementById('main').replaceChildren(el);
      await customElements.whenDefined(tag);
      el.scrollIntoView();
      const ready = el.ready || (await Promise.race([new Promise((ok) => el.addEventListener('ready', () => ok(true), { once: true })),
        new Promise((ok) => setTimeout(() => ok(false), 20000))]));
      const notice = el.shadowRoot.querySelector('.notice');
      return { ready, notice: notice.hidden ? '' : notice.textContent, injected: el.shadowRoot.querySelectorAll('img, script').length, pwned: window.pwned };
    }, c.input));
    assert.equal(mismatch(c, r.notice), '', c.id);
    assert.ok(r.ready, `${c.id}: the widget became ready (with defaults where needed)`);
    assert.equal(r.injected, 0, `${c.id}: nothing from an attribute became markup`);
    assert.equal(r.pwned, undefined, c.id);
  }
  assert.deepEqual(page.realProblems(), []);
});

test('corpus embed-hash: embed.html shows the capped notice for each hash, and the widget or the list of widgets', async () => {
  const page = await newPage();
  for (const c of loadCorpus('embed-hash')) {
    await page.goto('about:blank');
    await page.goto(`${b.base}/embed.html${c.input.startsWith('#') || c.input === '' ? c.input : `#${c.input}`}`);
    const r = await page.evaluate(async () => {
      const widget = document.querySelector('#frame > [aria-label]');
      let ready = null;
      if (widget) {
        await customElements.whenDefined(widget.localName);
        ready = widget.ready || (await Promise.race([new Promise((ok) => widget.addEventListener('ready', () => ok(true), { once: true })),
          new Promise((ok) => setTimeout(() => ok(false), 20000))]));
      }
      const notice = document.getElementById('frame-notice');
      return { widget: widget?.localName ?? null, ready, notice: notice.hidden ? '' : notice.textContent, links: notice.querySelectorAll('a').length,
        injected: document.querySelectorAll('#frame img, #frame script').length, pwned: window.pwned };
    });
    assert.equal(mismatch(c, r.notice), '', c.id);
    assert.ok(r.notice.length <= NOTICE_CAP, `${c.id}: the notice is ${r.notice.length} characters`);
    if (r.widget) assert.ok(r.ready, `${c.id}: ${r.widget} became ready`);
    else assert.ok(r.links > 0, `${c.id}: without a widget the frame lists the widgets`);
    if (c.expect === 'ok') assert.ok(r.widget, `${c.id}: a widget is shown`);
    assert.equal(r.injected, 0, c.id);
    assert.equal(r.pwned, undefined, c.id);
  }
  assert.deepEqual(page.problems, []);
});

test('corpus postmessage: only our embed.html frames resize, and only with a sane number', async () => {
  blog.write('corpus-post.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>corpus</title>
<script src="${b.base}/embed-resize.js" async></script></head><body><h1>Frames</h1>
<iframe name="embed" title="one" src="${b.base}/embed.html#widget=nope" height="123"></iframe>
<iframe name="embed-2" title="two" src="${b.base}/embed.html#widget=nope&amp;other=1" height="123"></iframe>
<iframe name="same-origin-page" title="three" src="${b.base}/review/" height="123"></iframe>
<iframe name="blog-frame" title="four" src="${blog.base}/paste.html" height="123"></iframe></body></html>`);
  const page = await newPage();
  await page.goto(`${blog.base}/corpus-post.html`);
  await page.waitForFunction(() => window.__attentionLabResize && [...document.querySelectorAll('iframe')].slice(0, 2).every((f) => f.height !== '123'));
  await page.evaluate(() => {
    window.__seen = 0;
    window.addEventListener('message', () => window.__seen++);
  });
  const frameOf = (name) => page.frames().find((f) => f.name() === name);
  for (const c of loadCorpus('postmessage')) {
    const before = await page.evaluate(() => {
      for (const f of document.querySelectorAll('iframe')) f.setAttribute('height', '123');
      return window.__seen;
    });
    const post = (data) => {
      window.parent.postMessage(data, '*');
    };
    if (c.input.from === 'self') await page.evaluate((data) => window.postMessage(data, '*'), c.input.data);
    else await frameOf(c.input.from).evaluate(post, c.input.data);
    await page.waitForFunction((n) => window.__seen > n, before);
    const heights = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('iframe')].map((f) => [f.name, f.getAttribute('height')])));
    const changed = Object.entries(heights).filter(([, h]) => h !== '123');
    if (c.expect === 'ok') assert.deepEqual(changed, [[c.input.from, String(Math.ceil(c.input.data.height))]], c.id);
    else assert.deepEqual(changed, [], c.id);
  }
  assert.deepEqual(page.realProblems(), []);
});
