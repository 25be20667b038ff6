// Offline and updates, in headless Chromium with the real service worker (web/sw.js):
//  - the site is installable (web app manifest, icons, service worker: Chromium's own check);
//  - after one visit, every built page (home, every lesson, review, the embed pages if built) opens
//    from the precache with the network off, and its widgets load the wasm engine and compute;
//  - a new version is downloaded in the background and announced by a banner, not forced: the page
//    keeps its version (scripts and wasm alike) until the learner presses "Reload to update"; other
//    open tabs keep their old files until they reload; then the old cache is deleted and the new
//    version works offline;
//  - a half-deployed version (a file that does not match sw.js's list) is refused as a whole.
// The server serves a folder through a symlink that the tests switch between copies of the build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAxe, startBrowser } from './browser.mjs';
import { DIST, builtAsset, gotoPage, loadAllWidgets, sitePages, watchStrictly } from './site-pages.mjs';
import { computePrecache, writePrecache } from '../../scripts/lib/precache.mjs';

const PAGES = sitePages(DIST);
const LESSONS = PAGES.filter((p) => p.startsWith('/lessons/'));
const MARK = 'version-2-marker';
/** The lesson pages' script (a bundle with a content-hashed name; its bytes change in version 2). */
const SCRIPT = builtAsset(/^lesson-\w+\.js$/);
let b, tmp, site, V1, V2;

/** Point the served folder at `dir` (atomically: the server never sees a half-switched site). */
function switchTo(dir) {
  symlinkSync(dir, `${site}.next`);
  renameSync(`${site}.next`, site);
}

/** A copy of the build with a visible change on the home page and in the lesson script, re-listed for sw.js. */
async function variant(name, from, change) {
  const dir = path.join(tmp, name);
  cpSync(from, dir, { recursive: true });
  change(dir);
  return { dir, ...(await writePrecache(dir)) };
}
const edit = (file, f) => writeFileSync(file, f(readFileSync(file, 'utf8')));

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'attn-offline-'));
  site = path.join(tmp, 'site');
  const v1 = path.join(tmp, 'v1');
  cpSync(DIST, v1, { recursive: true });
  V1 = (await computePrecache(v1)).version;
  const v2 = await variant('v2', v1, (dir) => {
    edit(path.join(dir, 'index.html'), (s) => s.replace('</h1>', ' (v2)</h1>'));
    edit(path.join(dir, SCRIPT), (s) => `${s}\n// ${MARK}\n`);
  });
  V2 = v2.version;
  // v3 is listed, then one file changes behind the list's back: a deploy caught half-way.
  await variant('v3', v2.dir, (dir) => edit(path.join(dir, 'index.html'), (s) => s.replace('(v2)', '(v3)')));
  edit(path.join(tmp, 'v3', builtAsset(/^attn-\w+\.js$/)), (s) => `${s}\n// not the listed bytes\n`);
  symlinkSync(v1, site);
  process.env.ATTN_DIST = site;
  b = await startBrowser({ serviceWorkers: 'allow' });
});
after(async () => {
  await b?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Resolves once a service worker controls the page (the first visit's worker claims it). */
async function controlled(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
  });
}

/** The version of the worker controlling the page. */
const swVersion = (page) => page.evaluate(() => new Promise((ok) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = (e) => ok(e.data.version);
  navigator.serviceWorker.controller.postMessage({ type: 'GET_VERSION' }, [channel.port2]);
}));

/** A file's text as the page gets it (through its service worker), by URL path. */
const fetchText = (page, p) => page.evaluate((u) => fetch(u).then((r) => r.text()), p);
const cacheNames = (page) => page.evaluate(() => caches.keys());
const banner = (page) => page.locator('attn-update-banner [role="status"] .banner');

/** axe-core on the update banner only: serious or critical violations. */
async function bannerViolations(page) {
  const result = await runAxe(page, { include: [['attn-update-banner']] });
  return result.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

async function expectWidgetsWork(page, where) {
  const { count, bad } = await loadAllWidgets(page);
  assert.deepEqual(bad, [], where);
  return count;
}

test('after one visit, every page opens from the precache with the network off and its widgets compute', async () => {
  assert.ok(LESSONS.length > 0 && PAGES.includes('/') && PAGES.includes('/review/'), `pages found: ${PAGES.join(' ')}`);
  const page = watchStrictly(await b.newPage(), b.base);
  await page.goto(`${b.base}/`);
  await controlled(page);
  assert.equal(await swVersion(page), V1);
  assert.deepEqual((await cacheNames(page)).sort(), [`attn-lab-${V1}`, 'attn-lab-meta'].sort());
  // installable: Chromium's own check finds nothing to object to but the test's incognito profile
  const cdp = await page.context().newCDPSession(page);
  assert.deepEqual((await cdp.send('Page.getAppManifest')).errors, []);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), []);

  await page.context().setOffline(true);
  let widgets = 0;
  for (const p of PAGES) {
    const response = await gotoPage(page, b.base + p);
    assert.ok(response.ok() && response.fromServiceWorker(), `${p}: served by the service worker`);
    assert.notEqual(await page.title(), '', `${p}: has a title`);
    widgets += await expectWidgetsWork(page, p);
    assert.deepEqual(page.problems, [], p);
  }
  // a folder without its slash is redirected offline too, as the server would
  await page.goto(`${b.base}${LESSONS[0].slice(0, -1)}`);
  assert.equal(page.url(), b.base + LESSONS[0]);
  assert.ok(widgets >= LESSONS.length, `${widgets} widgets loaded`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a new version is announced, not forced; "Reload to update" switches everything at once', async () => {
  const a = watchStrictly(await b.newPage(), b.base);
  const context = a.context();
  await a.goto(b.base + LESSONS[0]);
  await controlled(a);
  // another tab of the course, open on the old version the whole time
  const other = await context.newPage();
  other.problems = [];
  other.on('pageerror', (e) => other.problems.push(`pageerror: ${e.message}`));
  other.on('console', (m) => m.type() === 'error' && other.problems.push(`console: ${m.text()}`));
  await other.goto(b.base + LESSONS.at(-1));

  switchTo(path.join(tmp, 'v2'));
  await a.reload(); // the old worker answers, and the browser finds the new sw.js
  await banner(a).waitFor({ timeout: 30000 });
  assert.match(await banner(a).textContent(), /A new version of the course is ready\..*Reload to update/);
  assert.equal(await a.locator('attn-update-banner').evaluate((el) => el.shadowRoot.activeElement), null, 'the banner does not take the focus');
  for (const colorScheme of ['dark', 'light']) {
    await a.emulateMedia({ colorScheme });
    assert.deepEqual(await bannerViolations(a), [], `axe, ${colorScheme}`);
  }

  // not forced: the page, its scripts and a fresh navigation all stay on the old version
  assert.equal(await swVersion(a), V1);
  assert.doesNotMatch(await fetchText(a, SCRIPT), new RegExp(MARK));
  await expectWidgetsWork(a, 'old version, update waiting');
  await a.goto(`${b.base}/`);
  assert.doesNotMatch(await a.locator('h1').textContent(), /\(v2\)/);
  await banner(a).waitFor();

  // the learner chooses to update
  await banner(a).getByRole('button', { name: 'Reload to update' }).click();
  await a.waitForFunction(() => document.querySelector('h1')?.textContent.includes('(v2)'), null, { timeout: 15000 });
  assert.equal(await swVersion(a), V2);
  assert.match(await fetchText(a, SCRIPT), new RegExp(MARK));
  assert.equal(await banner(a).count(), 0);

  // the other tab is told, and keeps the old version's files until it reloads
  await banner(other).waitFor({ timeout: 10000 });
  assert.doesNotMatch(await fetchText(other, SCRIPT), new RegExp(MARK));
  await expectWidgetsWork(other, 'other tab after the update');
  assert.ok((await cacheNames(a)).includes(`attn-lab-${V1}`), 'the old cache stays while a page uses it');
  assert.deepEqual(other.problems, []);
  await other.close();

  // once no page uses it, the old cache goes
  let names = [];
  for (let i = 0; i < 20 && names.length !== 2; i++) {
    await a.reload();
    names = await cacheNames(a);
  }
  assert.deepEqual(names.sort(), [`attn-lab-${V2}`, 'attn-lab-meta'].sort());

  // and the new version works offline
  await context.setOffline(true);
  await a.goto(`${b.base}/`);
  assert.match(await a.locator('h1').textContent(), /\(v2\)/);
  await a.goto(b.base + LESSONS.at(-1));
  await expectWidgetsWork(a, 'new version offline');
  assert.deepEqual(a.problems, []);
  await context.close();
});

test('a half-deployed version (a file that does not match the list) is refused and the current one stays', async () => {
  const page = watchStrictly(await b.newPage(), b.base);
  await page.goto(`${b.base}/`); // the site is at v2: a first visit installs it
  await controlled(page);
  assert.equal(await swVersion(page), V2);

  switchTo(path.join(tmp, 'v3'));
  const outcome = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration.update();
    const worker = registration.installing ?? registration.waiting;
    if (!worker) return 'no update found';
    return new Promise((ok) => {
      const check = () => ['installed', 'redundant'].includes(worker.state) && ok(worker.state);
      worker.addEventListener('statechange', check);
      check();
    });
  });
  assert.equal(outcome, 'redundant');
  assert.deepEqual((await cacheNames(page)).sort(), [`attn-lab-${V2}`, 'attn-lab-meta'].sort());
  assert.equal(await banner(page).count(), 0);
  await page.context().setOffline(true);
  await page.reload();
  assert.match(await page.locator('h1').textContent(), /\(v2\)/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
