/**
 * Lighthouse 12.2.3 (pinned: 13 needs Node 22), mobile preset (4x CPU slowdown, slow 4G), against
 * npm start's own server (scripts/serve.mjs: precompressed files, cache headers, the CSP header):
 * the four category scores of every lesson page; goals: performance >= 95, accessibility, best
 * practices and SEO 100. Scores move with machine load: compare pages within one run, on a quiet
 * machine. Also the page's FCP, LCP, TBT and CLS.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { sitePages } from '../../tests/browser/site-pages.mjs';
import { serve } from '../serve.mjs';
import { check, line } from './goals.mjs';

const require = createRequire(import.meta.url);
const CLI = require.resolve('lighthouse/cli/index.js');
const FLAGS = '--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync';
const CATEGORIES = [['performance', 95], ['accessibility', 100], ['best-practices', 100], ['seo', 100]];

/** One Lighthouse run: the parsed JSON report (lhr). Rejects with Lighthouse's own message. */
function runLighthouse(url) {
  return new Promise((ok, fail) => {
    const args = [CLI, url, '--output=json', '--output-path=stdout', '--quiet', `--chrome-flags=${FLAGS}`,
      `--only-categories=${CATEGORIES.map(([c]) => c).join(',')}`];
    const child = spawn(process.execPath, args, { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' } });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`lighthouse ${url}: exit ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`));
      try {
        ok(JSON.parse(out));
      } catch (e) {
        fail(new Error(`lighthouse ${url}: unreadable report (${e.message})`));
      }
    });
  });
}

/** Every lesson page (and, with `others`, the home, review, FAQ and embed docs pages). */
export async function lighthouse({ dist, pageFilter = () => true, others = false }) {
  const server = await serve({ dir: dist, port: 0, csp: true });
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const pages = sitePages(dist).filter((p) => p.endsWith('/') && (others || p.startsWith('/lessons/')) && pageFilter(p));
    console.log(`${'page'.padEnd(32)} perf  a11y  bp  seo   FCP ms  LCP ms  TBT ms   CLS`);
    const worst = Object.fromEntries(CATEGORIES.map(([c]) => [c, { score: 101, page: '' }]));
    for (const p of pages) {
      const lhr = await runLighthouse(base + p);
      const s = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
      const a = (id) => lhr.audits[id]?.numericValue ?? NaN;
      console.log(`${p.padEnd(32)} ${String(s('performance')).padStart(4)}  ${String(s('accessibility')).padStart(4)} ${String(s('best-practices')).padStart(3)} ${String(s('seo')).padStart(4)} ${a('first-contentful-paint').toFixed(0).padStart(8)} ${a('largest-contentful-paint').toFixed(0).padStart(7)} ${a('total-blocking-time').toFixed(0).padStart(7)} ${a('cumulative-layout-shift').toFixed(3).padStart(6)}`);
      const failing = Object.values(lhr.audits).filter((x) => x.score !== null && x.score < 0.9 && x.scoreDisplayMode !== 'informative' && x.scoreDisplayMode !== 'notApplicable');
      if (failing.length) console.log(`    below 0.9: ${failing.map((x) => x.id).join(', ')}`);
      if (p.startsWith('/lessons/')) for (const [c] of CATEGORIES) if (s(c) < worst[c].score) worst[c] = { score: s(c), page: p };
    }
    for (const [c, goal] of CATEGORIES) console.log(line(check(`Lighthouse ${c}, lowest lesson (${worst[c].page})`, worst[c].score, '>=', goal)));
  } finally {
    await new Promise((ok) => server.close(ok));
  }
}
