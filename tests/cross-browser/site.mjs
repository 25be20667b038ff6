/**
 * The site as the Firefox and WebKit checks see it: a copy of the built dist/ in a temporary
 * folder where every page loads tests/cross-browser/in-page.js first (WebKitWebDriver does not
 * report console messages, so the page records its own errors), served on a loopback port with
 * Access-Control-Allow-Origin (a blog on another origin loads the module scripts and the wasm),
 * plus the blog-post fixtures on a second origin.
 *
 * The service worker installs with every file's SHA-256 checked, so the copy's sw.js gets the
 * integrity of each page that was changed (its `const PRECACHE = {...};` line, scripts/lib/precache.mjs),
 * and a changed page's precompressed copies (.br, .gz) are removed so the server sends the page itself.
 * Pages and widgets are discovered from the built files (tests/browser/site-pages.mjs), never listed
 * by hand.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../scripts/serve.mjs';
import { serveFixtures } from '../fixtures/serve-fixtures.mjs';
import { DIST, sitePages } from '../browser/site-pages.mjs';

export const HELPER = '__attn-test.js';
const PRECACHE = /^const PRECACHE = (.*);$/m;

/** `html` with the helper script as the first element of <head>. */
export function inject(html) {
  if (!/<head>/i.test(html)) throw new Error('a page without <head>');
  return html.replace(/<head>/i, (m) => `${m}\n<script src="/${HELPER}"></script>`);
}

/** Copies `dist` to a temporary folder with the helper injected; returns the folder. */
export function testCopy(dist = DIST) {
  const dir = mkdtempSync(join(tmpdir(), 'attn-xb-site-'));
  cpSync(dist, dir, { recursive: true });
  writeFileSync(join(dir, HELPER), readFileSync(new URL('./in-page.js', import.meta.url)));
  const pages = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.html'));
  const sw = readFileSync(join(dir, 'sw.js'), 'utf8');
  const m = PRECACHE.exec(sw);
  if (!m) throw new Error('dist/sw.js has no "const PRECACHE = {...};" line');
  const precache = JSON.parse(m[1]);
  for (const f of pages) {
    const text = inject(readFileSync(join(dir, f), 'utf8'));
    writeFileSync(join(dir, f), text);
    for (const copy of ['.br', '.gz']) rmSync(join(dir, f + copy), { force: true }); // stale precompressed copies
    const key = f.split('\\').join('/');
    if (precache.files[key]) precache.files[key] = `sha256-${createHash('sha256').update(text).digest('base64')}`;
  }
  writeFileSync(join(dir, 'sw.js'), sw.replace(PRECACHE, () => `const PRECACHE = ${JSON.stringify(precache)};`));
  return dir;
}

/**
 * Starts both servers: { base (the site), blog (fixture server: base, write(name, text)), pages
 * (URL paths of every built page), close() }.
 */
export async function startSite() {
  const dir = testCopy();
  const server = await serve({ dir, port: 0, headers: { 'Access-Control-Allow-Origin': '*' } });
  const base = `http://127.0.0.1:${server.address().port}`;
  const blog = await serveFixtures(base);
  return {
    base,
    blog,
    pages: sitePages(DIST),
    async close() {
      await blog.close();
      await new Promise((ok) => server.close(ok));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
