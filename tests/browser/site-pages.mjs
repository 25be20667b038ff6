/**
 * Helpers for the whole-site browser tests (network.test.mjs, offline.test.mjs): the list of
 * built pages, stricter request watching, and "scroll through the page until every widget works".
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { widgets } from '../../web/widgets/index.js';

export const DIST = process.env.ATTN_DIST ?? new URL('../../dist', import.meta.url).pathname;
const TAGS = widgets.map((W) => W.tag);

/**
 * Every page of the built site in `dir`, as URL paths: the home page, every lesson, the review
 * page and every other folder page (e.g. /embed/), then top-level .html files (embed.html with a widget).
 */
export function sitePages(dir = DIST) {
  const folders = readdirSync(dir, { recursive: true })
    .map((f) => String(f).split(path.sep).join('/'))
    .filter((f) => f === 'index.html' || f.endsWith('/index.html'))
    .map((f) => `/${f.slice(0, -'index.html'.length)}`)
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  // embed.html shows the widget its hash names (web/app/embed-frame.js)
  const files = readdirSync(dir).filter((f) => f.endsWith('.html') && f !== 'index.html')
    .flatMap((f) => (f === 'embed.html' ? ['/embed.html#widget=score-matrix', '/embed.html#widget=train-live'] : [`/${f}`]));
  return [...folders, ...files];
}

/**
 * The URL path of the one built file under assets/ whose name matches `re` (e.g. /^attn-\w+\.wasm$/:
 * the build gives files content-hashed names). Throws when there is not exactly one.
 */
export function builtAsset(re, dir = DIST) {
  const found = readdirSync(path.join(dir, 'assets')).filter((f) => re.test(f));
  if (found.length !== 1) throw new Error(`${re}: ${found.length} files in ${dir}/assets match (${found.join(', ')})`);
  return `/assets/${found[0]}`;
}

/**
 * Besides browser.mjs's checks (console errors, non-local requests), record in `page.problems`
 * every failed request and every HTTP error status, and (through the context) any request of the
 * service worker that leaves `base`.
 */
export function watchStrictly(page, base) {
  page.on('requestfailed', (r) => {
    // ERR_ABORTED: cancelled, e.g. a favicon still loading when the test navigates on; not a failure to load
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') page.problems.push(`failed request: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => r.status() >= 400 && page.problems.push(`HTTP ${r.status()}: ${r.url()}`));
  page.context().on('request', (r) => {
    if (r.serviceWorker() && !r.url().startsWith(base)) page.problems.push(`non-local request (service worker): ${r.url()}`);
  });
  return page;
}

/**
 * page.goto(url), answering with the page's response even when url differs from the current
 * address only in its hash (two embed.html pages): goto is then a same-document step with no
 * response, so that page is loaded afresh.
 */
export async function gotoPage(page, url) {
  return (await page.goto(url)) ?? (await page.reload());
}

/**
 * Scroll every widget of every frame of the page into view and wait until it is `ready` (engine
 * loaded, drawn). Returns { count, bad: [messages] } — widgets that never got ready or show a notice.
 * A minute each: the tier runs three test files at once on two cores beside the retraining check, and
 * the live trainer's module once took over 30 s to load there; a widget that never loads still fails.
 */
export async function loadAllWidgets(page, { timeout = 60000 } = {}) {
  let count = 0;
  const bad = [];
  for (const frame of page.frames()) {
    const result = await frame.evaluate(async ({ tags, timeout }) => {
      const els = [...document.querySelectorAll(tags.join(','))];
      const problems = [];
      const within = (promise) => Promise.race([promise, new Promise((ok) => setTimeout(() => ok(false), timeout))]);
      for (const [i, el] of els.entries()) {
        const name = `${el.localName} #${i + 1}`;
        if (!(await within(customElements.whenDefined(el.localName).then(() => true)))) {
          problems.push(`${name}: never defined`);
          continue;
        }
        el.closest('details:not([open])')?.setAttribute('open', ''); // a widget in a closed "Go deeper" starts when shown
        el.scrollIntoView({ block: 'center' });
        const ready = el.ready || (await within(new Promise((ok) => el.addEventListener('ready', () => ok(true), { once: true }))));
        if (!ready) problems.push(`${name}: not ready after ${timeout} ms: ${el.shadowRoot?.textContent.replace(/\s+/g, ' ').slice(0, 160)}`);
        else if (el.notice && !el.notice.hidden) problems.push(`${name}: shows a notice: ${el.notice.textContent}`);
      }
      window.scrollTo(0, document.documentElement.scrollHeight);
      return { count: els.length, problems };
    }, { tags: TAGS, timeout });
    count += result.count;
    bad.push(...result.problems.map((p) => (frame === page.mainFrame() ? p : `${frame.url()}: ${p}`)));
  }
  return { count, bad };
}
