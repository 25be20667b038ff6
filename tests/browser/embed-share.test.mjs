// The /embed/ docs page and the widget toolbar's share tools in headless Chromium: the docs page
// lists every registered widget with its attributes, a working example and its snippet; "Embed
// this" shows snippets that reproduce the widget's state when pasted into a fresh page (script
// form) or opened (iframe form); "Copy link" copies a deep link on a lesson page and an embed.html
// link elsewhere, falling back to a selected field when the clipboard is refused; Save SVG / Save
// PNG download valid files that contain what the widget shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { assertSoftmax, axeViolations, pct, ready, shown, softmaxReadout, startEmbedTests, stubClipboard, whenReady } from './embed-helpers.mjs';
import { widgets } from '../../web/widgets/index.js';
import { widgetInfo } from '../../web/widgets/widget-info.js';

let env, b, blog, engine, newPage;
before(async () => {
  env = await startEmbedTests();
  ({ b, blog, engine, newPage } = env);
});
after(() => env?.close());

test('the /embed/ docs page lists every widget with its attributes, a working example and its snippet', async () => {
  const page = await newPage();
  await page.goto(`${b.base}/`);
  await page.locator('.site-nav a', { hasText: 'Embed' }).click();
  await page.waitForURL('**/embed/');
  assert.equal(await page.locator('.site-nav a[aria-current="page"]').textContent(), 'Embed');
  for (const W of widgets) {
    const info = widgetInfo(W);
    const section = page.locator(`section.embed-widget[data-tag="${W.tag}"]`);
    assert.equal(await section.count(), 1, `${W.tag} has a section`);
    const names = await section.locator('table.embed-props tbody th').allTextContents();
    assert.deepEqual(names, [...W.props.map((p) => p.name), 'hide'], `${W.tag}: every attribute is listed`);
    const hideRow = await section.locator('table.embed-props tbody tr').last().textContent();
    for (const c of W.controls ?? []) assert.match(hideRow, new RegExp(`\\b${c}\\b`), `${W.tag}: hide lists control ${c}`);
    const example = section.locator(`.embed-example ${W.tag}`);
    await example.scrollIntoViewIfNeeded();
    await whenReady(example);
    assert.equal(await example.evaluate((el) => el.shadowRoot.querySelector('.notice').hidden), true, `${W.tag}: the example's attributes are valid`);
    const snippet = await section.locator('code[data-snippet$="-script"]').textContent();
    assert.ok(snippet.startsWith(`<script type="module" src="${b.base}/embed.js"></script>\n<${W.tag}`), `${W.tag}: snippet points at this site: ${snippet}`);
    const iframe = await section.locator('code[data-snippet$="-iframe"]').textContent();
    assert.ok(iframe.includes(`${b.base}/embed.html#widget=${info.short}`), iframe);
  }
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(page.realProblems(), []);
});

test('the /embed/ docs page on a 360 px phone in dark mode: no sideways scrolling, no serious axe violations', async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
  await page.goto(`${b.base}/embed/`);
  // (each widget's own fit at 360 px is tested with its lesson; here the page around them)
  await page.locator('#w-softmax attn-softmax').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('#w-softmax attn-softmax').ready);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
  assert.deepEqual(await axeViolations(page), []);
  // the share dialog fits the phone too
  const w = page.locator('.embed-example attn-softmax');
  await w.locator('button[data-action="embedSnippet"]').click();
  const box = await w.locator('dialog.share-dialog[open]').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 360, `dialog ${JSON.stringify(box)}`);
  assert.deepEqual(await axeViolations(page, { include: [['#w-softmax attn-softmax']] }), [], 'the open share dialog');
  assert.deepEqual(page.realProblems(), []);
});

test('"Embed this": a dialog with both snippets; pasted into a fresh page they reproduce the state', async () => {
  const page = await newPage();
  await page.goto(`${blog.base}/blog.html`);
  await ready(page, 'soft');
  const w = page.locator('#soft');
  // change the state: a score by keyboard, then the temperature box
  await w.locator('g.bar').first().focus();
  await page.keyboard.press('Shift+ArrowUp');
  await w.locator('input[type=number][min="0.05"]').fill('0.5');
  await w.locator('input[type=number][min="0.05"]').press('Enter');
  const state = await w.evaluate((el) => el.currentValues());
  assert.deepEqual(state.scores, [3, 1, 0.1]);
  assert.equal(state.temperature, 0.5);

  await stubClipboard(page);
  await w.locator('button[data-action="embedSnippet"]').click();
  const dialog = w.locator('dialog.share-dialog');
  await dialog.waitFor();
  assert.equal(await dialog.evaluate((d) => d.open && d.matches(':modal')), true);
  assert.equal(await w.evaluate((el) => el.shadowRoot.activeElement?.dataset.snippet), 'script', 'focus moves into the dialog');
  assert.equal(await w.locator('.tool-status').textContent(), 'Embed snippets are open.');
  const script = await dialog.locator('textarea[data-snippet="script"]').inputValue();
  const iframe = await dialog.locator('textarea[data-snippet="iframe"]').inputValue();
  assert.match(script, new RegExp(`^<script type="module" src="${b.base}/embed\\.js"></script>\\n<attn-softmax [^>]*scores="3,1,0\\.1"`));
  assert.match(iframe, new RegExp(`<iframe src="${b.base}/embed\\.html#widget=softmax&amp;scores=3,1,0\\.1&amp;temperature=0\\.5" [^>]*height="\\d+"`));
  await dialog.locator('button[data-copy="script"]').click();
  assert.deepEqual(await page.evaluate(() => window.copied), [script]);
  assert.equal(await dialog.locator('.share-status').textContent(), 'Script snippet copied.');
  // without a clipboard the text is selected and the reader is told to press Ctrl+C
  await stubClipboard(page, true);
  await dialog.locator('button[data-copy="iframe"]').click();
  assert.match(await dialog.locator('.share-status').textContent(), /press (Ctrl\+C|⌘C)/);
  const sel = await w.evaluate((el) => {
    const t = el.shadowRoot.querySelector('textarea[data-snippet="iframe"]');
    return [t.selectionStart, t.selectionEnd, t.value.length, el.shadowRoot.activeElement === t];
  });
  assert.deepEqual(sel, [0, sel[2], sel[2], true]);
  await page.keyboard.press('Escape');
  assert.equal(await dialog.evaluate((d) => d.open), false);

  // paste the script snippet into a fresh post: same state
  blog.write('pasted.html', (await readFile(new URL('../fixtures/paste.html', import.meta.url), 'utf8')).replace('<!--SNIPPET-->', script));
  const fresh = await newPage();
  await fresh.goto(`${blog.base}/pasted.html`);
  await fresh.locator('attn-softmax').scrollIntoViewIfNeeded();
  await fresh.waitForFunction(() => document.querySelector('attn-softmax')?.ready);
  assert.deepEqual(await fresh.locator('attn-softmax').evaluate((el) => el.currentValues()), state);
  assertSoftmax(engine, await softmaxReadout(fresh.locator('attn-softmax')), [3, 1, 0.1], 0.5);
  // and the iframe snippet's address
  const src = /src="([^"]+)"/.exec(iframe)[1].replaceAll('&amp;', '&');
  await fresh.goto(src);
  await fresh.waitForFunction(() => document.querySelector('attn-softmax')?.ready);
  assert.deepEqual(await fresh.locator('attn-softmax').evaluate((el) => el.currentValues()), state);
  assert.deepEqual(fresh.realProblems(), []);
  assert.deepEqual(page.realProblems(), []);
});

test('"Copy link": the lesson page address with the widget\'s state; elsewhere an embed.html link', async () => {
  const page = await newPage();
  await page.goto(`${b.base}/lessons/04-softmax/`);
  await ready(page, 'soft');
  const w = page.locator('#soft');
  await w.locator('g.bar').nth(1).focus();
  await page.keyboard.press('ArrowUp');
  await stubClipboard(page);
  await w.locator('button[data-action="copyLink"]').click();
  await page.waitForFunction(() => window.copied.length === 1);
  const [link] = await page.evaluate(() => window.copied);
  assert.ok(link.startsWith(`${b.base}/lessons/04-softmax/#`), link);
  assert.match(link, /soft\.scores=2,1\.1,0\.1/);
  assert.equal(await w.locator('.tool-status').textContent(), 'Link to this view copied.');
  // clipboard refused: the link is shown selected in the dialog
  await stubClipboard(page, true);
  await w.locator('button[data-action="copyLink"]').click();
  await w.locator('dialog.share-dialog[open]').waitFor();
  assert.equal(await w.locator('dialog textarea[data-snippet="link"]').inputValue(), link);
  assert.match(await w.locator('.tool-status').textContent(), /press (Ctrl\+C|⌘C)/);

  // on someone else's page the link opens the one-widget frame
  const other = await newPage();
  await other.goto(`${blog.base}/blog.html`);
  await ready(other, 'arrows');
  await stubClipboard(other);
  const state = await other.locator('#arrows').evaluate((el) => el.currentValues());
  await other.locator('#arrows button[data-action="copyLink"]').click();
  await other.waitForFunction(() => window.copied.length === 1);
  const [frameLink] = await other.evaluate(() => window.copied);
  assert.ok(frameLink.startsWith(`${b.base}/embed.html#widget=dot-arrows`), frameLink);
  await other.goto(frameLink);
  await other.waitForFunction(() => document.querySelector('attn-dot-arrows')?.ready);
  assert.deepEqual(await other.locator('attn-dot-arrows').evaluate((el) => el.currentValues()), state);
  assert.deepEqual(page.realProblems(), []);
  assert.deepEqual(other.realProblems(), []);
});

test('every widget saves an SVG of itself after an input (frame-deferred drawing keeps the frame snapshot reads)', async () => {
  const page = await newPage({ acceptDownloads: true });
  await page.goto(`${b.base}/embed/`);
  for (const W of widgets) {
    const example = page.locator(`section.embed-widget[data-tag="${W.tag}"] .embed-example ${W.tag}`);
    await example.scrollIntoViewIfNeeded();
    await whenReady(example);
    const control = example.locator('input[type="range"], select, [role="slider"]').first();
    if (await control.count()) {
      await control.focus();
      await page.keyboard.press('ArrowRight');
    }
    const [download] = await Promise.all([page.waitForEvent('download'), example.locator('button[data-action="saveSvg"]').click()]);
    assert.match(download.suggestedFilename(), /\.svg$/, W.tag);
    assert.match(await example.locator('.tool-status').textContent(), /^Saved attention-lab-.*\.svg/, W.tag);
    assert.ok((await readFile(await download.path(), 'utf8')).startsWith('<?xml'), `${W.tag}: an SVG file`);
  }
  assert.deepEqual(page.realProblems(), []);
});

/** Parses SVG text in the browser: { ok, texts, width, height }. */
const parseSvg = (page, text) => page.evaluate((t) => {
  const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
  const root = doc.documentElement;
  return {
    ok: !doc.querySelector('parsererror') && root.localName === 'svg',
    texts: [...doc.querySelectorAll('text')].map((n) => n.textContent),
    width: Number(root.getAttribute('width')),
    height: Number(root.getAttribute('height')),
    styled: doc.querySelectorAll('[style], style, foreignObject, script').length,
  };
}, text);

test('Save SVG and Save PNG download what the widget shows', async () => {
  const page = await newPage({ acceptDownloads: true });
  await page.goto(`${blog.base}/blog.html`);
  await ready(page, 'soft');
  const w = page.locator('#soft');
  await w.locator('g.bar').first().focus();
  await page.keyboard.press('ArrowDown'); // 1.9, 1, 0.1
  const p = Array.from(engine.softmax([1.9, 1, 0.1], 1));
  const save = async (action) => {
    const [download] = await Promise.all([page.waitForEvent('download'), w.locator(`button[data-action="${action}"]`).click()]);
    return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
  };
  const svg = await save('saveSvg');
  assert.match(svg.name, /^attention-lab-softmax-\d{4}-\d{2}-\d{2}\.svg$/);
  assert.match(await w.locator('.tool-status').textContent(), /^Saved attention-lab-softmax-.*\.svg \(\d+ KB\)\.$/);
  const text = svg.bytes.toString('utf8');
  assert.ok(text.startsWith('<?xml'));
  const parsed = await parseSvg(page, text);
  assert.equal(parsed.ok, true, 'the SVG parses');
  assert.equal(parsed.styled, 0, 'presentation attributes only: no style, script or foreignObject');
  for (const x of p) {
    assert.ok(parsed.texts.includes(shown(x)), `the table's ${shown(x)} is in the SVG`);
    assert.ok(parsed.texts.includes(pct(x)), `the bar label ${pct(x)} is in the SVG`);
  }
  assert.ok(parsed.texts.includes('1.9'), 'the edited score (input value) is in the SVG');
  assert.ok(parsed.texts.includes('Softmax with a temperature'), 'the title');
  assert.ok(parsed.texts.some((t) => t.includes('scores=1.9,1,0.1')), 'the settings line');

  const png = await save('savePng');
  assert.match(png.name, /^attention-lab-softmax-\d{4}-\d{2}-\d{2}\.png$/);
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  const width = png.bytes.readUInt32BE(16), height = png.bytes.readUInt32BE(20);
  assert.equal(width, parsed.width * 2, 'twice the SVG\'s size');
  assert.equal(height, parsed.height * 2);
  assert.ok(png.bytes.length > 20000, `${png.bytes.length} bytes`);
  assert.deepEqual(page.realProblems(), []);
});
