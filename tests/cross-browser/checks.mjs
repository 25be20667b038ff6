/**
 * The cross-browser checks, the same for every engine. A driver (firefox.mjs, webkit.mjs) gives
 *   { name, goto(url), call(name, ...args) -> window.__attnTest[name](...args) (awaited),
 *     press(key: 'ArrowRight'|'ArrowUp'|'ArrowDown'|'Space'|'Enter'), frameErrors(), close() }
 * and these functions return lists of problems (plain text), empty when all is well.
 */

import { widgets as registry } from '../../web/widgets/index.js';

const READY_MS = 30000;
const TAGS = registry.map((W) => W.tag);

/** Opens `url` and waits until the page has finished loading. */
export async function open(driver, url) {
  await driver.goto(url);
  const t0 = Date.now();
  while ((await driver.call('readyState')) !== 'complete') {
    if (Date.now() - t0 > READY_MS) throw new Error(`${url}: still loading after ${READY_MS} ms`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/**
 * One page: it loads with no errors, every widget on it becomes ready without a notice, and each
 * widget responds to one real key press (the first of its controls that changes what it shows).
 * Returns { widgets: count, problems }.
 */
export async function checkPage(driver, url) {
  const problems = [];
  await open(driver, url);
  const widgets = await driver.call('widgets', READY_MS, TAGS);
  for (const [i, w] of widgets.entries()) {
    const name = `${w.tag} #${i + 1}`;
    if (!w.ready) {
      problems.push(`${name}: not ready after ${READY_MS} ms (${w.notice})`);
      continue;
    }
    if (w.notice) problems.push(`${name}: shows a notice: ${w.notice}`);
    const n = await driver.call('tries', i);
    let responded = false;
    const tried = [];
    const t0 = Date.now();
    for (let k = 0; k < n && !responded; k++) {
      const f = await driver.call('focus', i, k);
      await driver.press(f.key);
      responded = await driver.call('changed', 1500);
      tried.push(`${f.key} on ${f.what}${f.focused ? '' : ' (not focused)'}`);
    }
    if (!responded) problems.push(`${name}: did not respond to ${tried.join(', ') || 'anything (no control found)'}`);
    if (process.env.ATTN_XB_VERBOSE) console.log(`${driver.name} ${url} ${name}: ${tried.join(', ')} -> ${responded} (${Date.now() - t0} ms)`);
  }
  problems.push(...(await driver.call('errors')), ...(await driver.frameErrors()));
  return { widgets: widgets.length, problems: problems.map((p) => `${url}: ${p}`) };
}

/**
 * An embed on a cross-origin blog page: a module-script widget becomes ready and responds to a
 * key, and an iframe of embed.html renders and is sized by embed-resize.js.
 */
export async function checkEmbed(driver, site) {
  const page = 'xb-embed.html';
  site.blog.write(page, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog post</title>
<script src="${site.base}/__attn-test.js"></script>
<script type="module" src="${site.base}/embed.js"></script><script src="${site.base}/embed-resize.js" async></script></head>
<body><h1>A blog post</h1><attn-softmax scores="2,1,0.1"></attn-softmax>
<iframe id="frame" title="Softmax (Attention Lab)" src="${site.base}/embed.html#widget=dot-arrows&amp;a=2,1" width="100%" height="150"></iframe></body></html>`);
  const { problems } = await checkPage(driver, `${site.blog.base}/${page}`);
  const t0 = Date.now();
  let height = '150';
  while (!(Number(height) > 200) && Date.now() - t0 < READY_MS) {
    height = await driver.evaluate(() => document.getElementById('frame').getAttribute('height'));
    await new Promise((ok) => setTimeout(ok, 200));
  }
  if (!(Number(height) > 200)) problems.push(`the embed.html frame was not sized by embed-resize.js (height ${height})`);
  return problems;
}

/** The service worker registers and becomes active on the home page, and then controls it. */
export async function checkServiceWorker(driver, site) {
  await open(driver, `${site.base}/`);
  const sw = await driver.call('serviceWorker', 60000);
  if (!sw || !sw.active) return [`the service worker did not become active (${JSON.stringify(sw)})`];
  await open(driver, `${site.base}/review/`);
  const problems = [];
  if (!(await driver.call('controlled'))) problems.push('the service worker does not control the next page');
  problems.push(...(await driver.call('errors')));
  return problems;
}
