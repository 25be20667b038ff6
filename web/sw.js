/**
 * The service worker: after one visit the whole course (every page, script, stylesheet, font, the
 * wasm engine and the model data) opens with the network off.
 *
 * Versions. The build (scripts/lib/precache.mjs) replaces the PRECACHE line below with the site's
 * version (a hash of every file's path and content) and every file with its SHA-256 as an SRI
 * string. Any change to any file therefore changes sw.js, which is how the browser notices an
 * update. Each version lives in its own cache, `attn-lab-<version>`.
 *
 * Install fetches every file fresh from the server (bypassing the HTTP cache) with its integrity
 * checked, in one cache.addAll: all or nothing. A file whose bytes do not match the list (a
 * half-finished deploy that mixes old and new files) fails the whole install, and the old version
 * stays in charge. No skipWaiting here: a new version waits until the page asks for it (the
 * learner presses "Reload" in the banner of web/app/sw-register.js, which posts SKIP_WAITING).
 *
 * Fetch is cache-first for precached files and never mixes versions: each page gets its files from
 * the cache of the version that served the page. When a new version takes over, pages still open
 * in other tabs keep getting the old version's files (their lazily loaded widgets and wasm match the
 * scripts they already run) until they are reloaded; the old cache is deleted once no page uses it.
 * Navigations to a folder ("lessons/07-x/") are answered with its index.html; anything not in the
 * list goes to the network untouched.
 *
 * Relative to its own URL, so the site works from the root or a sub-folder of any static server.
 */

// Replaced at build time by scripts/lib/precache.mjs (one line): { version, files: { path: integrity } }.
const PRECACHE = { version: 'dev', files: {} };

const PREFIX = 'attn-lab-';
const VERSION = PRECACHE.version;
const CACHE = PREFIX + VERSION;
const META_CACHE = PREFIX + 'meta';
const SCOPE = new URL(self.registration.scope);
const META_URL = new URL('__attn-lab-sw-meta__', SCOPE).href;

/** Precached keys: paths relative to the scope, with "x/index.html" stored as its folder "x/". */
const FILES = new Map(Object.entries(PRECACHE.files).map(([path, integrity]) => [folderOf(path), integrity]));

function folderOf(path) {
  return path === 'index.html' ? '' : path.endsWith('/index.html') ? path.slice(0, -'index.html'.length) : path;
}

self.addEventListener('install', (event) => event.waitUntil(install()));
self.addEventListener('activate', (event) => event.waitUntil(activate()));
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
  else if (event.data?.type === 'GET_VERSION') event.ports[0]?.postMessage({ version: VERSION });
});
self.addEventListener('fetch', onFetch);

async function install() {
  if (FILES.size === 0) return; // an unbuilt source tree: nothing to precache
  const existed = await caches.has(CACHE);
  const cache = await caches.open(CACHE);
  const requests = [...FILES].map(([path, integrity]) => new Request(new URL(path, SCOPE), { cache: 'reload', integrity }));
  try {
    await cache.addAll(requests);
  } catch (err) {
    if (!existed) await caches.delete(CACHE);
    throw new Error(`Attention Lab offline copy ${VERSION} could not be saved: ${err.message}`);
  }
}

/**
 * Take over: remember which open pages were served by an older version (they keep using it), then
 * delete the caches no page needs. The very first version also takes control of the pages already
 * open, so the visit that installed it works offline straight away.
 */
async function activate() {
  let previous = null;
  await withMeta(async (meta) => {
    previous = meta.active && meta.active !== VERSION ? meta.active : null;
    const clients = {};
    for (const c of await self.clients.matchAll({ includeUncontrolled: true, type: 'all' })) {
      const v = meta.clients[c.id] ?? previous;
      if (v && v !== VERSION) clients[c.id] = v;
    }
    const retired = new Set([...meta.retired, ...(previous ? [previous] : [])]);
    retired.delete(VERSION);
    return { active: VERSION, clients, retired: [...retired] };
  });
  await prune({ sweep: !self.registration.installing && !self.registration.waiting });
  if (!previous) await self.clients.claim();
}

/**
 * Delete the caches of retired versions that no open page uses any more. With `sweep`, also any
 * other attn-lab cache (e.g. left by an interrupted install) — only when no newer version is
 * installing or waiting, whose cache it could be.
 */
async function prune({ sweep = false } = {}) {
  const meta = await withMeta(async (m) => {
    const clients = {};
    for (const [id, v] of Object.entries(m.clients)) if (await self.clients.get(id)) clients[id] = v;
    return { ...m, clients };
  });
  const inUse = new Set(Object.values(meta.clients));
  const keep = new Set([CACHE, META_CACHE, ...[...inUse].map((v) => PREFIX + v)]);
  const retired = new Set(meta.retired.map((v) => PREFIX + v));
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && !keep.has(name) && (sweep || retired.has(name))) await caches.delete(name);
  }
  if (meta.retired.some((v) => !inUse.has(v))) await withMeta(async (m) => ({ ...m, retired: m.retired.filter((v) => inUse.has(v)) }));
}

// ---- which version each open page uses (persisted: the worker may be stopped at any time) ----

let metaState = null;
let metaLock = Promise.resolve();

async function readMeta() {
  if (!metaState) {
    const stored = await caches.match(META_URL, { cacheName: META_CACHE });
    const data = stored ? await stored.json().catch(() => null) : null;
    metaState = { active: data?.active ?? null, clients: data?.clients ?? {}, retired: data?.retired ?? [] };
  }
  return metaState;
}

/** Serialised read-modify-write of the metadata; `change(meta)` returns the new metadata. */
function withMeta(change) {
  const run = metaLock.then(async () => {
    const next = await change(await readMeta());
    if (JSON.stringify(next) !== JSON.stringify(metaState)) {
      const cache = await caches.open(META_CACHE);
      await cache.put(META_URL, new Response(JSON.stringify(next), { headers: { 'Content-Type': 'application/json' } }));
    }
    metaState = next;
    return next;
  });
  metaLock = run.catch(() => {});
  return run;
}

// ---- fetch ----

function onFetch(event) {
  const request = event.request;
  if (request.method !== 'GET' || FILES.size === 0) return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  let path;
  try {
    path = folderOf(decodeURIComponent(url.pathname.slice(SCOPE.pathname.length)));
  } catch {
    return; // a malformed URL: let the network answer
  }
  if (!FILES.has(path)) {
    // "lessons/07-x" without its slash: send the browser to the folder, as a server would.
    if (request.mode === 'navigate' && FILES.has(`${path}/`)) {
      event.respondWith(Response.redirect(new URL(`${path}/${url.search}`, SCOPE).href, 301));
    }
    return;
  }
  if (request.mode === 'navigate') event.waitUntil(prune().catch(() => {}));
  event.respondWith(respond(event, path));
}

async function respond(event, path) {
  // A navigation makes a new page, which gets the current version; a page's own requests (its
  // scripts, styles, wasm, data) come from the version that served the page.
  const meta = await readMeta();
  const version = (event.request.mode !== 'navigate' && event.clientId && meta.clients[event.clientId]) || VERSION;
  const hit = await caches.match(new URL(path, SCOPE).href, { cacheName: PREFIX + version });
  if (!hit) return fetch(event.request); // the cache was cleared by the browser: use the network
  if (hit.redirected && event.request.mode === 'navigate') {
    // A server that redirected "x/" during install: a navigation must not get a redirected response.
    return new Response(hit.body, { status: hit.status, statusText: hit.statusText, headers: hit.headers });
  }
  return hit;
}
