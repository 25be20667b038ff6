// The theming API in Chromium: a blog whose stylesheet sets the very names widgets used to read
// (--fg, --surface, --muted, --border, --accent...) and even the widgets' private ones (--u,
// --w-*) on :root, on every element and on the widget tags, must leave widgets readable with their
// defaults; the --attn-* properties do theme them. Light and dark, desktop and a 360 px phone,
// with screenshots in $ATTN_SHOTS (default: a temporary folder) to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, startEmbedTests } from './embed-helpers.mjs';

const SHOTS = process.env.ATTN_SHOTS ?? mkdtempSync(join(tmpdir(), 'attn-theming-'));
const HOSTILE = `:root { --fg: #fff; --bg: #fff; --surface: #fff; --muted: #fff; --border: #fff; --accent: #fff;
  --pos: #fff; --neg: #fff; --pos-text: #fff; --neg-text: #fff; --right: #fff; --wrong: #fff; --u: 2px;
  --w-fg: #fff; --w-bg: #fff; --w-muted: #fff; --w-accent: #fff; --da-a: #fff; }
* { --u: 50px; --w-fg: #fff; --w-bg: #fff; --w-border: #fff; }
attn-softmax, attn-dot-arrows { --u: 1px; --w-fg: #fff; --w-bg: #fff; --fg: #fff; --surface: #fff; }
body { background: #fff; color: #222; font: 18px/1.6 Georgia, serif; }`;
const THEMED = ':root { --attn-fg: rgb(20, 40, 60); --attn-surface: rgb(250, 240, 230); --attn-accent: rgb(120, 20, 140); --attn-pos-text: rgb(0, 90, 0); }';

let env, b, blog, newPage;
before(async () => {
  env = await startEmbedTests();
  ({ b, blog, newPage } = env);
  for (const [name, css] of [['hostile', HOSTILE], ['themed', THEMED]]) {
    blog.write(`theme-${name}.css`, css);
    blog.write(`theme-${name}.html`, `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>A ${name} blog</title>
<link rel="stylesheet" href="theme-${name}.css"><script type="module" src="${b.base}/embed.js"></script></head>
<body><h1>A ${name} blog</h1><p>Some prose before the widgets.</p>
<attn-softmax id="soft" scores="2,1,0.1"></attn-softmax><attn-dot-arrows id="arrows" a="2,1" b="1,2"></attn-dot-arrows></body></html>`);
  }
});
after(() => env?.close());

/** Colours and sizes inside a widget's shadow root. */
const inside = (loc) => loc.evaluate((w) => {
  const r = w.shadowRoot;
  const cs = (sel) => getComputedStyle(r.querySelector(sel));
  return {
    color: cs('.frame').color, muted: cs('.hint, .loading, .tool-status').color, background: cs('.widget-body').backgroundColor,
    border: cs('.widget-body').borderTopColor, padding: cs('.widget-body').paddingTop, button: cs('.toolbar button.tool').color,
    u: cs('.frame').getPropertyValue('--u').trim(),
  };
});

/** WCAG contrast ratio of two rgb() colours. */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

for (const colorScheme of ['light', 'dark']) {
  test(`a blog setting --fg, --surface, --u, --w-*... leaves widgets readable with their defaults (${colorScheme})`, async () => {
    const page = await newPage({ colorScheme });
    await page.goto(`${blog.base}/theme-hostile.html`);
    for (const id of ['soft', 'arrows']) {
      await ready(page, id);
      const s = await inside(page.locator(`#${id}`));
      const want = colorScheme === 'light'
        ? { color: 'rgb(29, 35, 43)', background: 'rgb(255, 255, 255)', border: 'rgb(201, 209, 218)' }
        : { color: 'rgb(230, 233, 238)', background: 'rgb(27, 32, 39)', border: 'rgb(58, 67, 80)' };
      assert.deepEqual({ color: s.color, background: s.background, border: s.border }, want, id);
      assert.equal(s.u, '16px', `${id}: the private --u is the widget's own`);
      assert.equal(s.padding, '14.4px', `${id}: sizes come from the widget's --u`);
      assert.ok(contrast(s.color, s.background) >= 7, `${id}: text contrast ${contrast(s.color, s.background).toFixed(2)}`);
      assert.ok(contrast(s.muted, s.background) >= 4.5, `${id}: secondary text contrast ${contrast(s.muted, s.background).toFixed(2)}`);
      assert.ok(contrast(s.button, s.background) >= 4.5, `${id}: toolbar contrast`);
    }
    await page.screenshot({ path: join(SHOTS, `hostile-${colorScheme}.png`), fullPage: true });
    assert.deepEqual(page.realProblems(), []);
  });
}

test('the --attn-* properties theme the widgets; the ones left out keep their defaults', async () => {
  const page = await newPage();
  await page.goto(`${blog.base}/theme-themed.html`);
  await ready(page, 'soft');
  const s = await inside(page.locator('#soft'));
  assert.equal(s.color, 'rgb(20, 40, 60)');
  assert.equal(s.background, 'rgb(250, 240, 230)');
  assert.equal(s.button, 'rgb(120, 20, 140)');
  assert.equal(s.border, 'rgb(201, 209, 218)', 'a property left out keeps its default');
  await ready(page, 'arrows');
  const arrow = await page.locator('#arrows').evaluate((w) => getComputedStyle(w.shadowRoot.querySelector('.shaft.a')).stroke);
  assert.equal(arrow, 'rgb(0, 90, 0)', 'the blue arrow follows --attn-pos-text');
  await page.screenshot({ path: join(SHOTS, 'themed-light.png'), fullPage: true });
});

test('a 360 px phone: the hostile blog does not break the widgets\' layout', async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await page.goto(`${blog.base}/theme-hostile.html`);
  await ready(page, 'soft');
  await ready(page, 'arrows');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await page.screenshot({ path: join(SHOTS, 'hostile-phone.png'), fullPage: true });
  console.log(`theming screenshots: ${SHOTS}`);
});
