/**
 * Firefox ESR (Debian's /usr/bin/firefox-esr) driven by puppeteer-core over WebDriver BiDi, as a
 * driver for checks.mjs. `startFirefox()` launches one headless browser with a fresh profile;
 * close() ends it (and kills it by its process id if it does not close).
 */
import puppeteer from 'puppeteer-core';

const KEYS = { Space: ' ' }; // puppeteer's name for the space bar

/** Starts Firefox; returns the driver (see checks.mjs). */
export async function startFirefox() {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    protocolTimeout: 120000,
    extraPrefsFirefox: { 'browser.shell.checkDefaultBrowser': false, 'app.update.enabled': false, 'datareporting.policy.dataSubmissionEnabled': false },
  });
  const pid = browser.process()?.pid;
  const page = await browser.newPage();
  const native = []; // what Firefox itself reports, besides the page's own record (in-page.js)
  page.on('console', (m) => m.type() === 'error' && native.push(`console error (Firefox): ${m.text()}`));
  page.on('pageerror', (e) => native.push(`page error (Firefox): ${e.message}`));
  return {
    name: 'firefox',
    async goto(url) {
      native.length = 0;
      await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    },
    call: (name, ...args) => page.evaluate((n, a) => window.__attnTest[n](...a), name, args),
    evaluate: (fn, ...args) => page.evaluate(fn, ...args),
    press: (key) => page.keyboard.press(KEYS[key] ?? key),
    /** Errors recorded in child frames, and what Firefox reported for the whole page. */
    async frameErrors() {
      const out = [...native];
      for (const frame of page.frames()) {
        if (frame === page.mainFrame()) continue;
        const errors = await frame.evaluate(() => window.__attnTest?.errors() ?? []).catch(() => []);
        out.push(...errors.map((e) => `${frame.url()}: ${e}`));
      }
      return out;
    },
    async close() {
      try {
        await browser.close();
      } catch {
        if (pid) process.kill(pid, 'SIGKILL');
      }
    },
  };
}
