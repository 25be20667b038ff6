/**
 * The widget toolbar's actions (loaded on first use by WidgetBase.share): each takes the widget
 * element and returns a short plain-text status for the toolbar.
 *
 *   copyLink(w)      a link to this view: on an Attention Lab page, the page's address with the
 *                    widget's state in the hash (`#id.prop=value`, the scheme of app/deeplink.js);
 *                    anywhere else, the one-widget frame `embed.html#widget=NAME&prop=value`.
 *   embedSnippet(w)  a dialog (inside the widget's shadow root) with two snippets that reproduce
 *                    the current state: a script tag + element, and an iframe.
 *   savePng(w) / saveSvg(w)   download what the widget shows now (see snapshot.js).
 *
 * Every URL is absolute, computed from this module's own address, so snippets copied from a page
 * on any host point back at the site that served the widget. When the clipboard is unavailable
 * (an insecure page, a refused permission) the text is selected in a read-only field instead and
 * the status says to press Ctrl+C. Nothing here builds HTML from strings: the DOM is made with
 * el(), and snippet text only ever goes into textarea values.
 */
import { el } from './dom.js';
import { serializeFrameHash, stateAttributes, widgetHash } from './state-codec.js';
import { widgetInfo } from './widget-info.js';

/** The site root (the folder holding embed.js), from this module's address. */
export const SITE_ROOT = new URL('../', import.meta.url).href;
export const URLS = {
  module: new URL('embed.js', SITE_ROOT).href,
  classic: new URL('embed-classic.js', SITE_ROOT).href,
  frame: new URL('embed.html', SITE_ROOT).href,
  resize: new URL('embed-resize.js', SITE_ROOT).href,
  docs: new URL('embed/', SITE_ROOT).href,
};
const SHARE_CSS = new URL('./share.css', import.meta.url).href;

/** HTML attribute value escaping for snippet text (the snippet is text, shown in a textarea). */
function attr(text) {
  return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The one-widget frame's address for the widget's current state. */
export function frameUrl(w) {
  return `${URLS.frame}#${serializeFrameHash(widgetInfo(w.constructor).short, stateAttributes(w))}`;
}

/** A height for the iframe before it reports its own: the widget's height now, plus a little. */
function frameHeight(w) {
  const h = Math.ceil(w.getBoundingClientRect?.().height ?? 0);
  return Math.max(200, Math.min(4000, (h || 480) + 24));
}

/** { script, classic, iframe } snippet texts reproducing the widget's current state. */
export function snippets(w) {
  const { tag, title } = widgetInfo(w.constructor);
  const attrs = stateAttributes(w).map(([k, v]) => ` ${k}="${attr(v)}"`).join('');
  const element = `<${tag}${attrs}></${tag}>`;
  return {
    script: `<script type="module" src="${URLS.module}"></script>\n${element}`,
    classic: `<script src="${URLS.classic}" async></script>\n${element}`,
    iframe: `<iframe src="${attr(frameUrl(w))}" title="${attr(`${title} (Attention Lab)`)}" width="100%" height="${frameHeight(w)}" loading="lazy" allow="clipboard-write" style="border:0;max-width:100%"></iframe>\n` +
      `<script src="${URLS.resize}" async></script>`,
  };
}

/**
 * The link Copy link copies: on a page of the site, that page with the widget's state in the hash
 * (the page form of state-codec.js); anywhere else, the one-widget frame.
 */
export function linkFor(w) {
  const here = globalThis.location;
  const onSite = here && w.id && here.href.startsWith(SITE_ROOT) && !here.pathname.endsWith('/embed.html') && !here.pathname.includes('/embed/');
  if (!onSite) return frameUrl(w);
  const hash = widgetHash(w);
  return `${here.origin}${here.pathname}${here.search}${hash ? `#${hash}` : ''}`;
}

/** Writes text to the clipboard; false when the clipboard is unavailable or refused. */
async function writeClipboard(text) {
  try {
    if (!globalThis.navigator?.clipboard?.writeText) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

const COPY_KEY = /Mac|iPhone|iPad/.test(globalThis.navigator?.platform ?? '') ? '⌘C' : 'Ctrl+C';

/** Links the share stylesheet into the widget's shadow root once; resolves when it has loaded. */
function ensureStyles(w) {
  const root = w.shadowRoot;
  let link = root.querySelector('link[data-share]');
  if (link) return link._loaded ?? Promise.resolve();
  link = el('link', { rel: 'stylesheet', href: SHARE_CSS, 'data-share': '' });
  link._loaded = new Promise((ok) => {
    link.addEventListener('load', ok, { once: true });
    link.addEventListener('error', ok, { once: true });
    setTimeout(ok, 1500);
  });
  root.append(link);
  return link._loaded;
}

let dialogCount = 0;

/**
 * Opens (or refreshes) the widget's share dialog: a modal <dialog> in its shadow root with a
 * heading, a line of text and one read-only field + Copy button per entry. Returns the dialog.
 *   fields: [{ key, label, text }]
 */
async function openDialog(w, { heading, intro, fields }) {
  await ensureStyles(w);
  const root = w.shadowRoot;
  let dlg = root.querySelector('dialog.share-dialog');
  if (!dlg) {
    const id = `share-${++dialogCount}`;
    dlg = el('dialog', { class: 'share-dialog', 'aria-labelledby': `${id}-h`, 'aria-describedby': `${id}-p` },
      el('h2', { id: `${id}-h`, class: 'share-heading' }),
      el('p', { id: `${id}-p`, class: 'share-intro' }),
      el('div', { class: 'share-fields' }),
      el('p', { class: 'share-status', role: 'status' }),
      el('div', { class: 'share-actions' },
        el('a', { class: 'share-docs', href: URLS.docs, target: '_blank', rel: 'noopener' }, 'Every widget and its attributes'),
        el('button', { type: 'button', class: 'share-close' }, 'Close')));
    dlg.dataset.id = id;
    dlg.querySelector('.share-close').addEventListener('click', () => dlg.close());
    // a click on the backdrop (outside the dialog's box) closes it too
    dlg.addEventListener('click', (e) => {
      if (e.target !== dlg) return;
      const r = dlg.getBoundingClientRect();
      if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) dlg.close();
    });
    root.append(dlg);
  }
  const id = dlg.dataset.id;
  dlg.querySelector('.share-heading').textContent = heading;
  dlg.querySelector('.share-intro').textContent = intro;
  const status = dlg.querySelector('.share-status');
  status.textContent = '';
  const box = dlg.querySelector('.share-fields');
  box.replaceChildren(...fields.map((f, i) => {
    const fid = `${id}-f${i}`;
    const area = el('textarea', { id: fid, class: 'share-text', readonly: '', rows: String(Math.min(8, f.text.split('\n').reduce((n, line) => n + Math.ceil((line.length + 1) / 72), 0) + 1)), spellcheck: 'false',
      'data-snippet': f.key, autocomplete: 'off' });
    area.value = f.text;
    const copy = el('button', { type: 'button', class: 'share-copy', 'data-copy': f.key }, `Copy ${f.short ?? 'this'}`);
    copy.addEventListener('click', async () => {
      area.focus();
      area.select();
      status.textContent = (await writeClipboard(area.value))
        ? `${f.done ?? 'Copied'}.`
        : `The clipboard is not available here: the text is selected, press ${COPY_KEY} to copy it.`;
    });
    return el('div', { class: 'share-field' }, el('label', { for: fid }, f.label), area, copy);
  }));
  if (!dlg.open) {
    try {
      dlg.showModal();
    } catch {
      dlg.setAttribute('open', '');
    }
  }
  const first = box.querySelector('textarea');
  first?.focus();
  first?.setSelectionRange(0, 0);
  for (const area of box.querySelectorAll('textarea')) area.scrollTop = 0;
  return dlg;
}

/** Toolbar: copy a link to this view. */
export async function copyLink(w) {
  const url = linkFor(w);
  if (await writeClipboard(url)) return 'Link to this view copied.';
  const dlg = await openDialog(w, {
    heading: 'Link to this view',
    intro: 'This address opens the widget as it is now.',
    fields: [{ key: 'link', label: 'Link', text: url, short: 'link', done: 'Link copied' }],
  });
  const area = dlg.querySelector('textarea');
  area.select();
  dlg.querySelector('.share-status').textContent = `The clipboard is not available here: the link is selected, press ${COPY_KEY} to copy it.`;
  return `Link shown: press ${COPY_KEY} to copy it.`;
}

/** Toolbar: show the embed snippets for the current state. */
export async function embedSnippet(w) {
  const s = snippets(w);
  const dropped = [];
  stateAttributes(w, dropped);
  const caveat = dropped.length
    ? ` The current ${dropped.join(' and ')} cannot be written as ${dropped.length === 1 ? 'an attribute' : 'attributes'} (outside the allowed range), so the snippets use the default there.`
    : '';
  await openDialog(w, {
    heading: 'Embed this widget',
    intro: `Paste one of these into a web page to show this widget as it is now. The script form makes it part of your page; the iframe form keeps it in a frame of its own.${caveat}`,
    fields: [
      { key: 'script', label: 'Script tag and element', text: s.script, short: 'script snippet', done: 'Script snippet copied' },
      { key: 'iframe', label: 'Iframe (for pages that allow no scripts; the second line lets it grow to fit)', text: s.iframe, short: 'iframe snippet', done: 'Iframe snippet copied' },
    ],
  });
  return 'Embed snippets are open.';
}

/** "2024-05-01" in local time. */
function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Starts a download of `blob` as `name` (an <a download> in the shadow root, a blob: URL). */
function download(w, blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, hidden: '' });
  w.shadowRoot.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const size = (bytes) => (bytes < 1024 ? `${bytes} bytes` : `${Math.round(bytes / 1024)} KB`);

function requireReady(w) {
  if (!w.ready) throw new Error('the widget has not finished loading');
}

/** Toolbar: save what the widget shows as an SVG file. */
export async function saveSvg(w) {
  requireReady(w);
  const { snapshot, toSvg } = await import('./snapshot.js');
  const scene = snapshot(w);
  const blob = new Blob([toSvg(scene)], { type: 'image/svg+xml' });
  const name = `attention-lab-${widgetInfo(w.constructor).short}-${today()}.svg`;
  download(w, blob, name);
  return `Saved ${name} (${size(blob.size)}).`;
}

/** Toolbar: save what the widget shows as a PNG file (twice the screen resolution). */
export async function savePng(w) {
  requireReady(w);
  const { snapshot, toPngBlob } = await import('./snapshot.js');
  const blob = await toPngBlob(snapshot(w), 2);
  const name = `attention-lab-${widgetInfo(w.constructor).short}-${today()}.png`;
  download(w, blob, name);
  return `Saved ${name} (${size(blob.size)}).`;
}
