/**
 * Shared setup for the embed browser tests (embed.test.mjs, embed-share.test.mjs): the built site
 * served with Access-Control-Allow-Origin (module scripts and the wasm fetch are CORS requests from
 * another origin), the blog-post fixtures on a second origin, and readers for <attn-softmax>.
 */
import assert from 'node:assert/strict';
import { runAxe, startBrowser } from './browser.mjs';
import { serveFixtures } from '../fixtures/serve-fixtures.mjs';
import { loadEngine } from '../../web/core/engine.js';

/** Starts everything: { b (startBrowser result), blog (fixture server), engine, newPage, close }. */
export async function startEmbedTests() {
  const b = await startBrowser({ headers: { 'Access-Control-Allow-Origin': '*' } });
  const blog = await serveFixtures(b.base);
  const engine = await loadEngine();
  /** A page whose realProblems() ignore requests to the blog origin (they are the point here). */
  async function newPage(options) {
    const page = await b.newPage(options);
    page.realProblems = () => page.problems.filter((p) => !p.startsWith(`non-local request: ${blog.base}/`));
    return page;
  }
  async function close() {
    await blog.close();
    await b.close();
  }
  return { b, blog, engine, newPage, close };
}

/** Scrolls the element with this id into view and waits for its widget to be ready. */
export async function ready(page, id) {
  await page.locator(`#${id}`).scrollIntoViewIfNeeded();
  await page.waitForFunction((i) => document.getElementById(i)?.ready, id, { timeout: 15000 });
}

/** Waits for the widget a locator points at to be ready. */
export const whenReady = (loc) => loc.evaluate((el) => el.ready || new Promise((ok) => el.addEventListener('ready', ok, { once: true })));

export const shown = (v, d = 3) => {
  const s = Number(v).toFixed(d);
  return (Number(s) === 0 ? (0).toFixed(d) : s).replace('-', '−');
};
export const pct = (p) => (p > 0 && p < 0.0005 ? '<0.1%' : `${(p * 100).toFixed(1)}%`);

/** What an <attn-softmax> shows: its scores, T, probabilities and percents. */
export const softmaxReadout = (loc) => loc.evaluate((w) => {
  const r = w.shadowRoot;
  const rows = [...r.querySelectorAll('table.values tbody tr')];
  return {
    scores: rows.map((tr) => Number(tr.querySelector('input').value)),
    t: Number(r.querySelector('input[type=number][min="0.05"]').value),
    probs: rows.map((tr) => tr.querySelectorAll('td.num')[0].textContent),
    pcts: [...r.querySelectorAll('svg.probs text.value')].map((t) => t.textContent),
  };
});

/** Asserts a softmax readout shows these scores and T and the engine's probabilities for them. */
export function assertSoftmax(engine, r, scores, t) {
  assert.deepEqual(r.scores, scores);
  assert.equal(r.t, t);
  const p = Array.from(engine.softmax(scores, t));
  assert.deepEqual(r.probs, p.map((x) => shown(x)));
  assert.deepEqual(r.pcts, p.map(pct));
}

/**
 * axe-core (serious and critical). By default on a docs page's own markup: the live examples are
 * left out, each widget is checked with axe by its own lesson test.
 */
export async function axeViolations(page, context = { exclude: [['.embed-example']] }) {
  const result = await runAxe(page, context);
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Replaces navigator.clipboard.writeText with a recorder (window.copied) or a refusal. */
export const stubClipboard = (page, refuse = false) => page.evaluate((no) => {
  window.copied = [];
  navigator.clipboard.writeText = (text) => (no ? Promise.reject(new Error('denied')) : (window.copied.push(text), Promise.resolve()));
}, refuse);
