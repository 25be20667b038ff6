// Deep links end to end in headless Chromium. For every widget: change its state through the UI
// (keyboard and pointer), read location.hash, open that URL in a fresh page and check the widget
// shows exactly the same thing (every number, readout, selection, step and control value). Also:
// `_hide` keys hide the named control groups, a user editing the hash re-applies it, and malformed
// or tampered hashes show one plain-text notice, keep the defaults and inject nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './browser.mjs';
import { builtAsset } from './site-pages.mjs';

/** location.hash once the page has written it: deep links write after the frame that shows a change. */
const writtenHash = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(() => setTimeout(() => ok(location.hash), 0), 0))));

/** The built deep-link module (a hashed bundle sharing its code with the lesson page's script). */
const DEEPLINK = builtAsset(/^deeplink-\w+\.js$/);

let b;
before(async () => {
  b = await startBrowser();
});
after(() => b?.close());

/**
 * Opens a page and makes sure deep links are running: once lesson.js starts them itself this is a
 * no-op (startDeepLinks returns the running controller); until then it starts them here.
 */
async function openLinked(path, options) {
  const page = await b.newPage(options);
  await page.goto(b.base + path);
  await page.evaluate(async (url) => {
    const { startDeepLinks } = await import(url);
    await startDeepLinks().ready;
  }, DEEPLINK);
  return page;
}

/** Scrolls the widget in (widgets start near the viewport) and waits until it has drawn. */
async function ready(page, id) {
  const w = page.locator(`#${id}`);
  await w.scrollIntoViewIfNeeded();
  await w.evaluate((el) => el.ready || new Promise((ok) => el.addEventListener('ready', ok, { once: true })));
  return w;
}

/**
 * Everything a widget shows, as data: the text of its body (transient messages left out), the value
 * of every control, the highlighted / current / checked marks, slider positions, and which control
 * groups are hidden.
 */
function snapshot(w, exclude = []) {
  return w.evaluate((el, exclude) => {
    const r = el.shadowRoot, body = r.querySelector('.widget-body');
    const skip = (n) => exclude.some((sel) => n.closest(sel));
    const clone = body.cloneNode(true);
    for (const sel of exclude) clone.querySelectorAll(sel).forEach((n) => n.remove());
    // The set of classes matters, not the order they were added in.
    const cls = (n) => (typeof n.className === 'string' ? n.className : n.className.baseVal).split(/\s+/).filter(Boolean).sort().join(' ');
    return {
      text: clone.textContent.replace(/\s+/g, ' ').trim(),
      controls: [...body.querySelectorAll('input, select')].filter((n) => !skip(n))
        .map((n) => (n.type === 'checkbox' || n.type === 'radio' ? `${n.type}:${n.checked}` : `${n.type}:${n.value}`)),
      marks: [...body.querySelectorAll('.hl, .hl-cell, .hl-w, .row-hl, .hl-row, .picked, .top, .edited, .changed, [aria-current], [aria-checked="true"], [tabindex="0"]')]
        .filter((n) => !skip(n)).map((n) => `${n.localName}[${n.dataset.row ?? ''},${n.dataset.col ?? ''}] ${cls(n)} ${n.getAttribute('aria-current') ?? ''}`),
      sliders: [...body.querySelectorAll('[aria-valuenow]')].map((n) => `${n.getAttribute('aria-valuenow')}|${n.getAttribute('aria-valuetext') ?? ''}`),
      hidden: [...r.querySelectorAll('[data-control]')].map((n) => `${n.dataset.control}:${n.hidden}`),
      notice: r.querySelector('.notice').hidden ? '' : r.querySelector('.notice').textContent,
    };
  }, exclude);
}

/** The page-level deep-link notice text, or '' when there is none or it is hidden. */
const pageNotice = (page) => page.evaluate(() => {
  const n = document.getElementById('deeplink-notice');
  return n && !n.hidden ? n.textContent : '';
});

/** In the page: true once the deep-link notice exists and is visible. */
const noticeShown = () => {
  const n = document.getElementById('deeplink-notice');
  return Boolean(n && !n.hidden);
};

const BY_HAND = ['.feedback', '.by-hand input[type="text"]'];

/** One entry per widget: where it lives, how to drive it, what the hash must say, what is transient. */
const CASES = [
  {
    widget: 'attn-rnn-forget', path: '/lessons/01-rnns-forget/', id: 'rnn',
    async drive(page, w) {
      await w.locator('#rnn-length').focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight'); // 30 -> 33
      await w.locator('#rnn-gain').focus();
      for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft'); // 0.90 -> 0.80
      const box = await w.locator('.chart-box').boundingBox();
      await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5); // pointer: inspect a token
      await w.locator('.chart-box').focus();
      await page.keyboard.press('ArrowRight'); // one step further back
    },
    hash: /^#rnn\.length=33&rnn\.gain=0\.8&rnn\.token=\d+$/,
  },
  {
    widget: 'attn-soft-lookup', path: '/lessons/02-soft-lookup/', id: 'lookup',
    async drive(page, w) {
      const handle = await w.locator('.q-handle').boundingBox();
      const plane = await w.locator('svg.plane').boundingBox();
      await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
      await page.mouse.down();
      await page.mouse.move(plane.x + plane.width * 0.3, plane.y + plane.height * 0.7, { steps: 5 });
      await page.mouse.up();
      await w.locator('#sl-t').focus();
      for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowLeft');
      await w.locator('label[data-control="fallback"]').click();
    },
    hash: /^#lookup\.query=-?[\d.]+,-?[\d.]+&lookup\.temperature=0\.[\d]+&lookup\.fallback=true$/,
  },
  {
    widget: 'attn-dot-arrows', path: '/lessons/03-dot-product/', id: 'arrows',
    exclude: ['.compare', 'p.sr-only[aria-live]'],
    async drive(page, w) {
      await w.locator('g.handle.a').focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Shift+ArrowLeft'); // a: (2, 1) -> (1, 1.3)
      await w.getByRole('button', { name: 'Halve b’s length' }).click(); // b: (1, 2) -> (0.5, 1)
    },
    hash: '#arrows.a=1,1.3&arrows.b=0.5,1',
  },
  {
    widget: 'attn-softmax', path: '/lessons/04-softmax/', id: 'soft',
    exclude: ['.compare', 'p.sr-only[aria-live]'],
    async drive(page, w) {
      await w.locator('g.bar').first().focus();
      for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowUp'); // 2 -> 2.5
      await w.getByRole('button', { name: 'Multiply every score by 10' }).click();
      await w.locator('input[type="range"]').focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight'); // T 1 -> 2
    },
    hash: '#soft.scores=25,10,1&soft.temperature=2',
  },
  {
    widget: 'attn-embed', path: '/lessons/05-embed-sentence/', id: 'embed',
    exclude: ['.input-msg', '.order-note', '#own-words'],
    async drive(page, w) {
      await w.locator('#own-words').fill('The dog saw the DOG');
      await w.locator('#own-words').press('Enter');
      await w.locator('label[data-control="positions"]').click();
      await w.locator('table.x tbody th[tabindex="0"]').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown'); // row 1 -> row 3
    },
    hash: '#embed.sentence=the+dog+saw+the+dog&embed.positions=true&embed.selected=3', // counted from 1, as the row labels
  },
  {
    widget: 'attn-qkv', path: '/lessons/06-q-k-v/', id: 'qkv',
    exclude: ['.weight-msg', ...BY_HAND],
    async drive(page, w) {
      await w.locator('label[for="pick-K"]').click();
      await w.locator('table.w td[data-row="2"][data-col="1"]').click();
      await w.getByRole('button', { name: '+0.1: increase the selected weight' }).click();
      await w.getByRole('button', { name: '+0.1: increase the selected weight' }).click();
      await w.locator('table.w td[tabindex="0"]').focus();
      await page.keyboard.press('ArrowLeft');
      await w.locator('#weight-input').fill('-2.5');
      await w.locator('#weight-input').press('Enter');
      await w.locator('table.o td[tabindex="0"]').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight'); // output row 3, column 2
      await w.locator('table.w td[data-row="5"][data-col="3"]').click(); // the explanation now describes a weight
    },
    // counted from 1, as the learner reads them: row 3 column 2, weight 6,4, edits of W_K[3,1] and W_K[3,2]
    hash: /^#qkv\.matrix=K&qkv\.selected=3,2&qkv\.weight=6,4&qkv\.focus=weight&qkv\.wk=3,1,-2\.5,3,2,-?[\d.]+$/,
  },
  {
    widget: 'attn-score-matrix', path: '/lessons/07-pairwise-scores/', id: 'scores', exclude: BY_HAND,
    async drive(page, w) {
      await w.locator('select').selectOption('1');
      await w.locator('label[data-control="scale"]').click();
      await w.locator('table.s td.cell[tabindex="0"]').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight'); // the lesson starts on row 2, column 2 -> row 3, column 4
    },
    hash: '#scores.head=2&scores.scaled=true&scores.selected=3,4',
  },
  {
    widget: 'attn-row-softmax', path: '/lessons/08-row-softmax/', id: 'rows', exclude: BY_HAND,
    async drive(page, w) {
      await w.locator('select').selectOption('1');
      await w.locator('label[data-control="causal"]').click();
      await w.locator('input[type="range"]').focus();
      for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight'); // T 1 -> 1.5
      await w.locator('table.weights td[data-row="3"][data-col="2"]').click();
      await page.keyboard.press('ArrowLeft');
    },
    hash: '#rows.head=2&rows.causal=true&rows.temperature=1.5&rows.selected=4,2',
  },
  {
    widget: 'attn-weighted-sum', path: '/lessons/09-weighted-values/', id: 'blend', exclude: BY_HAND,
    async drive(page, w) {
      await w.locator('.controls select').selectOption('1');
      await w.locator('label[data-control="causal"]').click();
      await w.locator('.ws-picker button[tabindex="0"]').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await w.locator('.by-hand select').selectOption({ value: '3' });
    },
    hash: '#blend.head=2&blend.causal=true&blend.row=3&blend.dim=4', // counted from 1, as the widget's labels
  },
  {
    widget: 'attn-pipeline', path: '/lessons/09-weighted-values/', id: 'pipeline',
    async drive(page, w) {
      await w.locator('.stage').focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      await w.locator('label[data-control="causal"]').click();
      await w.locator('.stepper button[data-step="5"]').click(); // step 6, Softmax
    },
    hash: '#pipeline.step=6&pipeline.causal=true', // counted from 1, as the stepper's labels
  },
  {
    widget: 'attn-head-split', path: '/lessons/10-many-heads/', id: 'split',
    async drive(page, w) {
      await w.locator('#hs-h1').focus();
      await page.keyboard.press('ArrowRight'); // radio group: 1 head -> 2 heads
    },
    hash: '#split.heads=2',
  },
  {
    widget: 'attn-head-shapes', path: '/lessons/11-split-concat/', id: 'shapes',
    async drive(page, w) {
      await w.locator('#hsh-h1').focus();
      for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowRight'); // head 1 -> 3
    },
    hash: '#shapes.head=3',
  },
  {
    widget: 'attn-head-gallery', path: '/lessons/12-real-heads/', id: 'gallery',
    async drive(page, w) {
      await w.locator('label[data-control="group"]').click(); // pointer: group the heads by label
    },
    hash: '#gallery.group=true',
  },
  {
    widget: 'attn-path-length', path: '/lessons/13-path-length/', id: 'paths',
    async drive(page, w) {
      await w.locator('#pl-n').focus();
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight'); // n 12 -> 16
    },
    hash: '#paths.n=16',
  },
  {
    widget: 'attn-predict-head', path: '/lessons/14-predict-heads/', id: 'game',
    async drive(page, w) {
      await w.locator('label[data-control="hint"]').click(); // pointer: show the hint
    },
    // A round is its number, its head and its sentence (issue 8): all three go into the link.
    hash: /^#game\.(round=\d+&game\.)?(head=\d-\d&game\.)?(sentence=[a-z]+(\+[a-z]+){4}&game\.)?hint=true$/,
  },
];

for (const c of CASES) {
  test(`${c.widget}: the state changed by keyboard and pointer goes into the hash and a fresh page shows exactly the same`, async () => {
    const page = await openLinked(c.path);
    const w = await ready(page, c.id);
    // every declared control group is in the shadow DOM, marked for `hide`
    const { declared, found } = await w.evaluate((el) => ({
      declared: [...el.constructor.controls].sort(),
      found: [...new Set([...el.shadowRoot.querySelectorAll('[data-control]')].map((n) => n.dataset.control))].filter((n) => n !== 'toolbar').sort(),
    }));
    assert.deepEqual(found, declared);
    const start = await snapshot(w, c.exclude);
    await c.drive(page, w);
    await page.mouse.move(0, 0); // no hover preview left on screen
    const hash = await writtenHash(page);
    if (typeof c.hash === 'string') assert.equal(hash, c.hash);
    else assert.match(hash, c.hash);
    const shown = await snapshot(w, c.exclude);
    assert.notDeepEqual(shown, start, 'driving the widget changed what it shows');
    assert.equal(shown.notice, '');

    const fresh = await openLinked(c.path + hash);
    const w2 = await ready(fresh, c.id);
    assert.deepEqual(await snapshot(w2, c.exclude), shown);
    assert.equal(await pageNotice(fresh), '');
    // the restored page keeps the same link, and the live state reads back as the same attributes
    assert.equal(await fresh.evaluate(() => location.hash), hash);
    assert.deepEqual(await w2.evaluate((el) => el.currentAttributes()), await w.evaluate((el) => el.currentAttributes()));
    assert.deepEqual(page.problems, []);
    assert.deepEqual(fresh.problems, []);
    await page.context().close();
    await fresh.context().close();
  });
}

test('two widgets on one page share the hash; changing one keeps the other', async () => {
  const page = await openLinked('/lessons/09-weighted-values/#pipeline.step=3');
  const p = await ready(page, 'pipeline');
  assert.equal(await p.locator('.stage h3').textContent(), '3. Scores');
  const w = await ready(page, 'blend');
  const entries = await page.evaluate(() => history.length);
  await w.locator('.ws-picker button[data-row="4"]').click();
  assert.equal(await writtenHash(page), '#blend.row=5&pipeline.step=3');
  // the hash is replaced, not pushed: no new history entry
  assert.equal(await page.evaluate(() => history.length), entries);
  // one widget's own link (what its Copy link button can use): only what differs from the page
  assert.equal(await page.evaluate(async (url) => (await import(url)).hashForWidget(document.getElementById('blend')), DEEPLINK), 'blend.row=5');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('_hide keys hide the named control groups, and survive later changes', async () => {
  const page = await openLinked('/lessons/07-pairwise-scores/#scores.byhand_hide=true&scores.head_hide=true');
  const w = await ready(page, 'scores');
  const groups = async (x) => (await snapshot(x)).hidden.filter((h) => !h.startsWith('toolbar:'));
  assert.deepEqual(await groups(w), ['head:true', 'scale:false', 'byhand:true']);
  assert.equal(await w.locator('form.by-hand').isVisible(), false);
  assert.equal(await w.locator('select').isVisible(), false);
  assert.equal(await w.locator('input[type="checkbox"]').isVisible(), true);
  assert.equal(await w.getAttribute('hide'), 'head,byhand');
  await w.locator('table.s td.cell[tabindex="0"]').focus();
  await page.keyboard.press('ArrowDown'); // lesson 7 starts on S[cat, cat] (row 2, column 2)
  assert.equal(await writtenHash(page), '#scores.selected=3,2&scores.head_hide=true&scores.byhand_hide=true');
  // "controls" hides every group at once (the toolbar is separate)
  const all = await openLinked('/lessons/07-pairwise-scores/#scores.controls_hide=true');
  const w2 = await ready(all, 'scores');
  assert.deepEqual(await groups(w2), ['head:true', 'scale:true', 'byhand:true']);
  assert.deepEqual(page.problems, []);
  assert.deepEqual(all.problems, []);
});

test('editing the hash by hand re-applies it; plain anchors leave the widgets alone', async () => {
  const page = await openLinked('/lessons/07-pairwise-scores/');
  const w = await ready(page, 'scores');
  const cell = () => w.locator('table.s td.hl-cell').evaluate((td) => `${td.dataset.row},${td.dataset.col}`);
  await page.evaluate(() => { location.hash = '#scores.selected=4,3&scores.scaled=true'; }); // row 4, column 3
  await page.waitForFunction(() => document.querySelector('#scores').shadowRoot.querySelector('td.hl-cell')?.dataset.row === '3');
  assert.equal(await cell(), '3,2');
  assert.equal(await w.locator('input[type="checkbox"]').isChecked(), true);
  // an in-page anchor (a footnote, a quiz) keeps the state
  await page.evaluate(() => { location.hash = '#main'; });
  await page.waitForTimeout(100);
  assert.equal(await cell(), '3,2');
  // a bad edit: notice, and that widget goes back to the page's own settings
  await page.evaluate(() => { location.hash = '#scores.heads=99'; });
  await page.waitForFunction(noticeShown);
  assert.equal(await cell(), '1,1'); // the lesson's own start cell, S[cat, cat]
  assert.match(await pageNotice(page), /scores\.heads: 99 is outside the allowed range 1\.\.8/);
  // a good edit clears the notice
  await page.evaluate(() => { location.hash = '#scores.selected=3,5'; });
  await page.waitForFunction(() => document.getElementById('deeplink-notice').hidden);
  assert.equal(await cell(), '2,4');
  assert.deepEqual(page.problems, []);
});

test('malformed or tampered hashes show one notice, keep the defaults and inject nothing', async () => {
  const path = '/lessons/07-pairwise-scores/';
  const clean = await openLinked(path);
  const defaults = await snapshot(await ready(clean, 'scores'));
  const cases = [
    ['#scores.heads=99', /scores\.heads: 99 is outside the allowed range 1\.\.8/],
    ['#nope.x=1', /nope\.x: there is no widget "nope" on this page/],
    ['#%E0%A4%A', /broken %-encoding/],
    ['#scores.sentence=<img src=x onerror=window.pwned=1>', /scores\.sentence: "<img" is not a word/],
    [`#scores.selected=${'1,'.repeat(5000)}1`, /characters long \(at most 4000 are read\), so none were used/],
  ];
  for (const [hash, want] of cases) {
    const page = await openLinked(path + hash);
    const w = await ready(page, 'scores');
    await page.waitForFunction(noticeShown);
    const notice = page.locator('#deeplink-notice');
    assert.equal(await notice.getAttribute('role'), 'status');
    assert.equal(await notice.isVisible(), true);
    assert.match(await notice.textContent(), want, hash);
    assert.ok((await notice.textContent()).length < 1200, 'the notice stays short');
    assert.equal(await page.locator('.deeplink-notice').count(), 1, 'one notice');
    const s = await snapshot(w);
    assert.deepEqual(s, defaults, `${hash}: defaults`);
    // nothing injected anywhere: no image, no script ran, the notice holds only text
    const injected = await page.evaluate(() => ({
      pwned: window.pwned ?? null,
      imgs: document.querySelectorAll('img').length + [...document.querySelectorAll('*')].filter((n) => n.shadowRoot)
        .reduce((k, n) => k + n.shadowRoot.querySelectorAll('img').length, 0),
      children: document.getElementById('deeplink-notice').children.length,
    }));
    assert.deepEqual(injected, { pwned: null, imgs: 0, children: 0 }, hash);
    assert.ok((await page.locator('main').textContent()).length > 1000, 'the lesson is still there');
    assert.deepEqual(page.problems, [], hash);
    await page.context().close();
  }
  assert.deepEqual(clean.problems, []);
});

test('values the schema allows but the widget cannot use here are listed too, once it has started', async () => {
  const page = await openLinked('/lessons/07-pairwise-scores/');
  const w = await ready(page, 'scores');
  const defaults = await snapshot(w);
  const cases = [
    ['#scores.head=7', /scores\.head=7: not possible here, showing 1/], // the page has 2 heads
    ['#scores.heads=3', /scores\.heads=3: not possible here, showing 2/], // 3 heads cannot split d_model = 8: the engine refuses
    ['#scores.selected=9,9&scores.scaled=true', /scores\.selected=9,9: not possible here, showing 1,1/],
  ];
  for (const [hash, want] of cases) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForFunction(noticeShown);
    assert.match(await pageNotice(page), want, hash);
    const s = await snapshot(w);
    if (hash.includes('scaled=true')) assert.equal(s.controls.includes('checkbox:true'), true, 'the valid part of the link is used');
    else assert.deepEqual({ ...s, notice: '' }, defaults, `${hash}: defaults`);
    await page.evaluate(() => { location.hash = '#scores.head=1'; }); // a clean link clears the notice
    await page.waitForFunction(() => document.getElementById('deeplink-notice').hidden);
  }
  assert.deepEqual(page.problems, []);
});
