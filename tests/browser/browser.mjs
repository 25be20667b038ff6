/**
 * Shared browser-test setup: serves dist/ on a free loopback port and launches Debian's Chromium
 * through playwright-core with the flags this machine needs (no background networking: the
 * network is closed). Each test file gets one browser; pages record console errors and any
 * request that leaves 127.0.0.1.
 */
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { serve } from '../../scripts/serve.mjs';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts the server and the browser; returns { base, browser, newPage, close }. */
export async function startBrowser({ headers } = {}) {
  // ATTN_DIST lets several people test their own builds side by side (default: dist/).
  const dir = process.env.ATTN_DIST ?? new URL('../../dist', import.meta.url).pathname;
  const server = await serve({ dir, port: 0, headers });
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });

  /** A fresh context + page; `page.problems` collects console errors, page errors and non-local requests. */
  async function newPage(options = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const page = await context.newPage();
    page.problems = [];
    page.on('console', (m) => m.type() === 'error' && page.problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) page.problems.push(`non-local request: ${r.url()}`);
    });
    return page;
  }

  async function close() {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  }
  return { base, browser, newPage, close };
}

/** Runs axe-core on the page; returns violations with impact serious or critical. */
export async function seriousViolations(page) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}
