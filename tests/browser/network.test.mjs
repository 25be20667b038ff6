// The built site is self-contained and served the same by any static server:
//  - no HTML, CSS, JS or manifest in dist/ points a fetch (script, stylesheet, font, image, frame,
//    import, url()) at another origin; plain <a href> links in prose are allowed;
//  - every built page (home, every lesson, review, the embed pages), scrolled through until every
//    widget has loaded the wasm engine and drawn, makes no request that leaves the origin, no failed
//    request and logs no console error: checked in csp.test.mjs's pass over every page (one pass
//    for both checks: loading every widget of the site is one of the suite's costliest steps);
//  - `python3 -m http.server -d dist` serves the same bytes with the same types as `npm start`
//    (scripts/serve.mjs), wasm as application/wasm, and the service worker registers from it;
//  - npm start's server sends the build's brotli / gzip copies to clients that accept them, caches
//    hashed files for a year and makes everything else revalidate (304 on a matching ETag).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createServer } from 'node:net';
import path from 'node:path';
import { startBrowser } from './browser.mjs';
import { DIST, builtAsset, loadAllWidgets, sitePages } from './site-pages.mjs';
import { computePrecache, listSiteFiles } from '../../scripts/lib/precache.mjs';

let b;
before(async () => {
  b = await startBrowser({ serviceWorkers: 'allow' });
});
after(() => b?.close());

// ---- static scan ----

/** XML namespace names: they look like URLs but nothing fetches them. */
const NAMESPACE = /^https?:\/\/www\.w3\.org\/(?:2000\/svg|1998\/Math\/MathML|1999\/xlink|1999\/xhtml|2000\/xmlns\/?|XML\/1998\/namespace)$/;
/** Hosts that cannot be a server: RFC 2606 example names and placeholders such as https://YOUR-SITE/. */
const PLACEHOLDER = /^https?:\/\/(?:[^/]*\.)?(?:example\.(?:com|org|net)|[^/.]+\.(?:example|invalid|test)|[A-Z][A-Z0-9_-]*)(?:[/:?#]|$)/;
const URL_IN_TEXT = /https?:\/\/[^\s"'`<>()\\]+/g;
const fetched = (text) => (text.match(URL_IN_TEXT) ?? []).filter((u) => !NAMESPACE.test(u) && !PLACEHOLDER.test(u));

function scanCss(css) {
  return fetched(css.replace(/\/\*[\s\S]*?\*\//g, ''));
}

function scanJs(js) {
  const code = js.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1');
  return fetched(code);
}

/**
 * URLs that an HTML document would fetch from another origin: attribute values of every element
 * but <a>/<area> (links the reader may follow), inline <style> and inline scripts. Text is prose.
 */
function scanHtml(html) {
  const found = [];
  for (const m of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) found.push(...scanCss(m[1]));
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/type\s*=\s*["']?application\/(?:ld\+)?json/i.test(m[1])) found.push(...scanJs(m[2]));
  }
  const withoutBlocks = html.replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1>/gi, (s) => s.slice(0, s.indexOf('>') + 1));
  for (const m of withoutBlocks.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[^\s=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
    const [, tag, attrs] = m;
    if (/^(a|area)$/i.test(tag)) continue;
    for (const a of attrs.matchAll(/([^\s=>]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g)) {
      found.push(...fetched(a[2].replace(/^["']|["']$/g, '').replace(/&amp;/g, '&')).map((u) => `<${tag} ${a[1]}> ${u}`));
    }
  }
  return found;
}

const SCANNERS = { '.html': scanHtml, '.css': scanCss, '.js': scanJs, '.mjs': scanJs, '.webmanifest': (t) => fetched(t), '.svg': scanHtml };

test('the scanner catches CDN references and lets links in prose and XML namespaces pass', () => {
  assert.deepEqual(scanHtml('<script src="https://cdn.jsdelivr.net/npm/katex/katex.min.js"></script>').length, 1);
  assert.deepEqual(scanHtml('<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">').length, 1);
  assert.deepEqual(scanHtml('<img alt="" srcset="a.png 1x, https://img.cdn-host.net/b.png 2x">').length, 1);
  assert.deepEqual(scanHtml('<style>@import url(https://fonts.googleapis.com/x);</style>').length, 1);
  assert.deepEqual(scanCss('@font-face { src: url("https://fonts.gstatic.com/a.woff2") }').length, 1);
  assert.deepEqual(scanJs('import k from "https://esm.sh/katex";').length, 1);
  assert.deepEqual(scanJs('await fetch(`https://huggingface.co/x/model.bin`)').length, 1);
  assert.deepEqual(scanHtml('<p>See <a href="https://arxiv.org/abs/1706.03762">the paper</a>, https://arxiv.org in text.</p>'), []);
  assert.deepEqual(scanHtml('<svg xmlns="http://www.w3.org/2000/svg"><math xmlns="http://www.w3.org/1998/Math/MathML"></math></svg>'), []);
  assert.deepEqual(scanJs('// docs: https://example.com/page\nconst NS = "http://www.w3.org/2000/svg"; /* https://x.y */'), []);
  assert.deepEqual(scanJs('const PLACEHOLDER = "https://YOUR-SITE/"; const u = "https://www.example.org/x";'), []);
  assert.deepEqual(scanJs('const u = "https://Cdn.example-cdn.com/x.js";').length, 1);
});

test('no page, stylesheet, script or manifest in the built site fetches from another origin', async () => {
  const files = (await listSiteFiles(DIST)).concat('sw.js');
  const scanned = files.filter((f) => SCANNERS[path.extname(f)]);
  assert.ok(scanned.some((f) => f.endsWith('.html')) && scanned.some((f) => f.endsWith('.css')) && scanned.some((f) => f.endsWith('.js')));
  const found = scanned.flatMap((f) => SCANNERS[path.extname(f)](readFileSync(path.join(DIST, f), 'utf8')).map((u) => `${f}: ${u}`));
  assert.deepEqual(found, []);
});

// ---- every page in the browser ----

// ---- npm start's server ----

/** One raw GET (no automatic decoding): { status, headers, body: Buffer }. */
function rawGet(url, headers = {}) {
  return new Promise((ok, fail) => {
    get(url, { headers }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
    }).on('error', fail);
  });
}

test('npm start sends precompressed copies, caches hashed files for a year and revalidates the rest', async () => {
  const lesson = sitePages(DIST).find((p) => p.startsWith('/lessons/'));
  const wasm = builtAsset(/^attn-\w+\.wasm$/);
  const plain = readFileSync(path.join(DIST, wasm));
  const br = await rawGet(b.base + wasm, { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers['content-type'], 'application/wasm');
  assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(br.headers.vary, 'Accept-Encoding');
  assert.ok(brotliDecompressSync(br.body).equals(plain), 'the brotli copy decodes to the wasm');
  assert.ok(br.body.length < plain.length * 0.5, `brotli ${br.body.length} of ${plain.length} bytes`);
  const gz = await rawGet(b.base + wasm, { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(gunzipSync(gz.body).equals(plain));
  const none = await rawGet(b.base + wasm);
  assert.equal(none.headers['content-encoding'], undefined);
  assert.ok(none.body.equals(plain));

  const page = await rawGet(b.base + lesson, { 'accept-encoding': 'br' });
  assert.equal(page.headers['cache-control'], 'no-cache', 'pages are revalidated: a new build shows at once');
  assert.equal((await rawGet(b.base + lesson, { 'accept-encoding': 'br', 'if-none-match': page.headers.etag })).status, 304);
  assert.equal((await rawGet(b.base + lesson, { 'if-none-match': page.headers.etag })).status, 200, 'the ETag names the encoding');
  for (const stable of ['/sw.js', '/embed.js'])
    assert.equal((await rawGet(b.base + stable)).headers['cache-control'], 'no-cache', `${stable} keeps its name, so it is revalidated`);
});

// ---- any static server ----

async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

async function startPython(dir) {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => new Promise((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok();
    child.once('exit', ok);
    child.kill('SIGTERM');
  });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${base}/`)).ok) return { base, stop };
    } catch {
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  await stop();
  throw new Error(`python3 -m http.server did not answer on port ${port}`);
}

const mediaType = (r) => (r.headers.get('content-type') ?? '').split(';')[0].trim();

test('python3 -m http.server serves the same site as npm start, and the course works from it', async (t) => {
  if (spawnSync('python3', ['--version']).status !== 0) return t.skip('python3 is not installed');
  const py = await startPython(DIST);
  try {
    // the same bytes and types for every file, folder and folder-without-slash
    const files = (await listSiteFiles(DIST)).concat('sw.js');
    const folders = sitePages(DIST).filter((p) => p.endsWith('/'));
    const differences = [];
    for (const p of [...files.map((f) => `/${f}`), ...folders]) {
      const [ours, theirs] = await Promise.all([fetch(b.base + p), fetch(py.base + p)]);
      const [x, y] = await Promise.all([ours.arrayBuffer(), theirs.arrayBuffer()]);
      if (ours.status !== 200 || theirs.status !== 200) differences.push(`${p}: HTTP ${ours.status} vs ${theirs.status}`);
      else if (mediaType(ours) !== mediaType(theirs)) differences.push(`${p}: ${mediaType(ours)} vs ${mediaType(theirs)}`);
      else if (!Buffer.from(x).equals(Buffer.from(y))) differences.push(`${p}: different bytes`);
    }
    for (const p of folders.filter((f) => f !== '/')) {
      const [ours, theirs] = await Promise.all([b.base, py.base].map((base) => fetch(base + p.slice(0, -1), { redirect: 'manual' })));
      if (ours.status !== 301 || theirs.status !== 301) differences.push(`${p.slice(0, -1)}: HTTP ${ours.status} vs ${theirs.status} (want 301 to the folder)`);
    }
    assert.deepEqual(differences, []);
    const [wasmPath, gluePath] = [builtAsset(/^attn-\w+\.wasm$/), builtAsset(/^attn-\w+\.js$/)];
    const types = Object.fromEntries(await Promise.all([wasmPath, gluePath, '/manifest.webmanifest', '/sw.js']
      .map(async (p) => [p, mediaType(await fetch(py.base + p))])));
    assert.deepEqual(types, {
      [wasmPath]: 'application/wasm',
      [gluePath]: 'text/javascript',
      '/manifest.webmanifest': 'application/manifest+json',
      '/sw.js': 'text/javascript',
    });

    // in the browser: the home page, a lesson with its widget and the wasm, the service worker
    const context = await b.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = [];
    const wasm = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
    page.on('request', (r) => !r.url().startsWith(py.base) && !r.url().startsWith('data:') && problems.push(`non-local request: ${r.url()}`));
    page.on('response', (r) => r.url().endsWith('.wasm') && wasm.push(r.headers()['content-type']));
    await page.goto(`${py.base}/`);
    const version = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
      return new Promise((ok) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => ok(e.data.version);
        navigator.serviceWorker.controller.postMessage({ type: 'GET_VERSION' }, [channel.port2]);
      });
    });
    assert.equal(version, (await computePrecache(DIST)).version);
    const lesson = sitePages(DIST).find((p) => p.startsWith('/lessons/'));
    await page.goto(py.base + lesson);
    const { count, bad } = await loadAllWidgets(page);
    assert.ok(count > 0, `${lesson} has a widget`);
    assert.deepEqual(bad, []);
    assert.deepEqual(wasm, ['application/wasm']);
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector('link[rel="manifest"]');
      const r = await fetch(link.href);
      return { type: r.headers.get('content-type'), icons: (await r.json()).icons.map((i) => i.sizes) };
    });
    assert.equal(manifest.type, 'application/manifest+json');
    assert.ok(manifest.icons.includes('192x192') && manifest.icons.includes('512x512'));
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await py.stop();
  }
});
