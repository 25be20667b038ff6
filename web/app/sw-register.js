/**
 * Registers the service worker (web/sw.js, at the site root) that keeps the whole course available
 * offline, and announces updates without forcing them: when a new version of the course has been
 * downloaded and is waiting, a small banner (role=status) says so; the page keeps running the
 * version it was loaded with until the learner presses "Reload", which asks the waiting worker to
 * take over and reloads once it has. Pages open in other tabs then get a banner too ("Reload to
 * update") and keep working on their old version meanwhile.
 *
 * Every page of the course loads this module (scripts/lib/html.mjs). Paths are relative to this
 * file, so the site works from any folder of any static server.
 */

const SW_URL = new URL('../sw.js', import.meta.url);
const SCOPE = new URL('../', import.meta.url);
const UPDATE_CHECK_MS = 60 * 60 * 1000;

const STYLES = `
:host { all: initial; }
.banner {
  position: fixed; z-index: 1000; inset-inline: 0.75rem; bottom: 0.75rem;
  max-width: 40rem; margin-inline: auto; box-sizing: border-box;
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 0.9rem;
  padding: 0.7rem 0.9rem; border: 1px solid var(--attn-border, #d0d7de); border-radius: var(--attn-radius, 0.5rem);
  border-inline-start: 0.3rem solid var(--attn-accent, #0a5fa3);
  background: var(--attn-surface, #f4f6f8); color: var(--attn-fg, #1c2128);
  box-shadow: 0 0.4rem 1.4rem rgb(0 0 0 / 0.22);
  font: 1rem/1.45 var(--attn-font, system-ui, sans-serif);
}
.text { flex: 1 1 14rem; margin: 0; }
.actions { display: flex; gap: 0.5rem; flex-wrap: wrap; }
button {
  font: inherit; font-weight: 600; line-height: 1.4; padding: 0.4rem 1rem; border-radius: 999px; cursor: pointer;
  border: 1px solid var(--attn-accent, #0a5fa3); background: var(--attn-accent, #0a5fa3); color: var(--attn-accent-fg, #fff);
}
button.later { background: transparent; color: var(--attn-accent, #0a5fa3); }
button:hover { filter: brightness(1.1); }
button:focus-visible { outline: 3px solid var(--attn-focus, #0a5fa3); outline-offset: 2px; }
@media print { .banner { display: none; } }
`;

/** The banner: a role=status region at the end of <body>, present (and empty) before it is filled. */
class UpdateBanner {
  constructor() {
    this.host = document.createElement('attn-update-banner');
    const root = this.host.attachShadow({ mode: 'open' });
    // A constructed stylesheet needs no inline <style>, so a strict CSP (style-src 'self') is fine.
    if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLES);
      root.adoptedStyleSheets = [sheet];
    } else {
      const style = document.createElement('style');
      style.textContent = STYLES;
      root.append(style);
    }
    this.status = document.createElement('div');
    this.status.setAttribute('role', 'status');
    root.append(this.status);
    document.body.append(this.host);
    this.shown = false;
  }

  /** Show the message with a "Reload to update" button that runs `onReload`, and a "Later" button. */
  show(onReload) {
    if (this.shown) return;
    this.shown = true;
    const make = (tag, className, text) => {
      const node = document.createElement(tag);
      node.className = className;
      if (text) node.textContent = text;
      return node;
    };
    const box = make('div', 'banner');
    const text = make('p', 'text', 'A new version of the course is ready.');
    const reload = make('button', 'reload', 'Reload to update');
    const later = make('button', 'later', 'Later');
    reload.type = later.type = 'button';
    reload.addEventListener('click', () => {
      reload.disabled = true;
      text.textContent = 'Updating…';
      onReload();
    });
    later.addEventListener('click', () => box.remove());
    const actions = make('div', 'actions');
    actions.append(reload, later);
    box.append(text, actions);
    this.status.append(box);
  }
}

async function start() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  const sw = navigator.serviceWorker;
  const banner = new UpdateBanner();
  let reloading = false;
  const hadController = Boolean(sw.controller);

  sw.addEventListener('controllerchange', () => {
    if (reloading) {
      location.reload();
    } else if (hadController) {
      // Another tab switched the course to a new version; this page keeps its own until reloaded.
      banner.show(() => location.reload());
    }
  });

  let registration;
  try {
    registration = await sw.register(SW_URL, { scope: SCOPE.href, updateViaCache: 'none' });
  } catch (err) {
    console.warn('Attention Lab: offline mode is not available in this browser.', err);
    return;
  }
  if (!registration) return; // service workers blocked (e.g. by an automation policy): no updates to offer

  const offer = (worker) => {
    if (!worker || !sw.controller) return; // the first install needs no reload
    banner.show(() => {
      // the newest waiting version (a later one may have replaced `worker`); none: another tab took it
      const waiting = registration.waiting;
      if (!waiting) return location.reload();
      reloading = true;
      waiting.postMessage({ type: 'SKIP_WAITING' });
    });
  };
  const watch = (worker) => {
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed') offer(worker);
    });
  };
  if (registration.waiting) offer(registration.waiting);
  watch(registration.installing);
  registration.addEventListener('updatefound', () => watch(registration.installing));

  // A lesson can stay open for hours: look for a new version when the learner comes back to it.
  let lastCheck = Date.now();
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible' || !navigator.onLine || Date.now() - lastCheck < UPDATE_CHECK_MS) return;
    lastCheck = Date.now();
    registration.update().catch(() => {});
  });
}

// After the page has loaded: the service worker's precache of the whole course then does not
// compete with the page's own files for the network.
if (document.readyState === 'complete') start();
else window.addEventListener('load', start, { once: true });
