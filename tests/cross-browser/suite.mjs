/**
 * The cross-browser suite for one engine (firefox.test.mjs, webkit.test.mjs): every page of the
 * built site, an embed on a cross-origin blog page, and the service worker. Pages are discovered
 * from dist/; ATTN_XB_PAGES=N limits the run to the first N pages, ATTN_XB_PAGES=train-live,12-
 * to the pages whose path contains one of those (for a quick look; the suite that CI runs covers
 * all of them).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite } from './site.mjs';
import { checkEmbed, checkPage, checkServiceWorker } from './checks.mjs';

/** Defines the tests for the engine `label`, whose driver `start()` resolves to (see checks.mjs). */
export function defineSuite(label, start) {
  let site, driver;
  before(async () => {
    site = await startSite();
    driver = await start();
  });
  after(async () => {
    await driver?.close();
    await site?.close();
  });

  test(`${label}: every page loads with no errors, every widget becomes ready and responds to a key`, async (t) => {
    const only = process.env.ATTN_XB_PAGES ?? '';
    const limit = Number(only) || Infinity;
    const parts = only && !Number(only) ? only.split(',').map((s) => s.trim()).filter(Boolean) : null;
    const pages = parts ? site.pages.filter((p) => parts.some((s) => p.includes(s))) : site.pages.slice(0, limit);
    const problems = [];
    let widgets = 0;
    const t0 = Date.now();
    for (const path of pages) {
      const r = await checkPage(driver, `${site.base}${path}`);
      widgets += r.widgets;
      problems.push(...r.problems);
    }
    t.diagnostic(`${label}: ${pages.length} pages, ${widgets} widgets in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    assert.ok(pages.length >= (parts ? 1 : Math.min(limit, 15)), `only ${pages.length} pages found in dist/`);
    assert.deepEqual(problems, []);
  });

  test(`${label}: widgets embedded on a page of another origin work, and embed-resize sizes the iframe`, async () => {
    assert.deepEqual(await checkEmbed(driver, site), []);
  });

  test(`${label}: the service worker registers, activates and controls the next page`, async () => {
    assert.deepEqual(await checkServiceWorker(driver, site), []);
  });
}
