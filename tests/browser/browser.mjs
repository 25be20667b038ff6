/**
 * Shared browser-test setup: serves dist/ on a free loopback port and launches Debian's Chromium
 * through playwright-core with the flags this machine needs (no background networking: the
 * network is closed). Each test file gets one browser; pages record console errors and any
 * request that leaves 127.0.0.1.
 */
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serve } from '../../scripts/serve.mjs';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
let axeSource = null;

/**
 * Puts axe-core into the page (or frame). Pages forbid inline scripts (their CSP), so it is
 * evaluated through the DevTools protocol, which the page's policy does not govern.
 */
export async function injectAxe(page) {
  axeSource ??= readFileSync(AXE_PATH, 'utf8');
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
}

/**
 * Chromium 156 builds a WebUI omnibox popup (two chrome://omnibox-popup.top-chrome/ renderers) for
 * every new browser context, though headless pages never show an address bar: about 0.4 CPU-seconds
 * per context, a third of what opening a lesson costs, and the suite opens a context per page.
 * Chromium keeps only the last --disable-features flag, so this repeats Playwright's own list
 * (chromiumSwitches.ts of the locked playwright-core) before adding the popups.
 */
const DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable', 'LensOverlay', 'MediaRouter', 'PaintHolding', 'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect', 'TcpPortRandomizationWin', 'OptimizationHints', 'NetworkTimeServiceQuerying',
  'AimEnabled', 'PreconnectToSearch',
  'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup',
];
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  `--disable-features=${DISABLED_FEATURES.join(',')}`];

/**
 * Starts the server and the browser; returns { base, browser, newPage, close }.
 * Pages run without the service worker unless a file asks for it (`serviceWorkers: 'allow'`):
 * every fresh context would otherwise install it, fetching and hashing the whole site (about a
 * second of CPU per page), which only the files that test the worker itself need (offline,
 * network, csp: every page with its worker, and the Firefox/WebKit tier).
 */
export async function startBrowser({ headers, serviceWorkers = 'block' } = {}) {
  // ATTN_DIST lets several people test their own builds side by side (default: dist/).
  const dir = process.env.ATTN_DIST ?? new URL('../../dist', import.meta.url).pathname;
  const server = await serve({ dir, port: 0, headers });
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });

  /** A fresh context + page; `page.problems` collects console errors, page errors and non-local requests. */
  async function newPage(options = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers, ...options });
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

/**
 * axe.run(context, options) in the page; resolves with axe's result. axe probes the page by applying
 * inline styles, which the page's CSP refuses with a console error: those refusals, logged while axe
 * runs, are not the page's problems and are left out of `page.problems`.
 */
export async function runAxe(page, context = null, options = { resultTypes: ['violations'] }) {
  await injectAxe(page);
  const before = page.problems?.length ?? 0;
  const result = await page.evaluate(([c, o]) => window.axe.run(c ?? document, o), [context, options]);
  if (page.problems) {
    const during = page.problems.splice(before);
    page.problems.push(...during.filter((m) => !/^console: Applying inline style violates the following Content Security Policy directive 'style-src/.test(m)));
  }
  return result;
}

/** Runs axe-core on the page; returns violations with impact serious or critical. */
export async function seriousViolations(page) {
  const result = await runAxe(page);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/**
 * A matrix as a widget with a by-hand exercise shows it: the selected cell [i, j] reads "?", and so
 * does every cell that would print the same text (a repeated word's twin would give it away).
 * `show` formats one number the way the widget does.
 */
export function byHandView(M, [i, j], show) {
  const secret = show(M[i][j]);
  return M.map((r) => r.map((v) => (show(v) === secret ? '?' : show(v))));
}

/**
 * Everything the widget puts in the DOM: the host's attributes, every text node and every attribute
 * of the shadow root, and the values of its fields. Numbers in it, minus signs normalised.
 */
export async function domNumbers(w) {
  const text = await w.evaluate((host) => {
    const out = [...host.attributes].map((a) => a.value);
    const walk = (node) => {
      for (const n of node.childNodes) {
        if (n.nodeType === 3) out.push(n.data);
        if (n.nodeType !== 1) continue;
        out.push(...[...n.attributes].map((a) => a.value));
        if ('value' in n && typeof n.value === 'string') out.push(n.value);
        walk(n);
      }
    };
    walk(host.shadowRoot);
    return out.join(' \n ');
  });
  return { text, numbers: new Set(text.replace(/[−–]/g, '-').match(/-?\d+(?:\.\d+)?/g) ?? []) };
}
