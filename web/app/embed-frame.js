/**
 * The one-widget frame (embed.html): renders the widget named in the hash, alone, and tells the
 * parent page its height so a host script (embed-resize.js) can size the iframe.
 *
 *   embed.html#widget=softmax&scores=2,1,0.1&temperature=0.5&hide=controls
 *
 * - `widget` is the tag without its "attn-" prefix (softmax, score-matrix, ...).
 * - Every other key is one of that widget's attributes; values are checked with parseProp against
 *   its `static props` and written back normalised. `hide` takes the widget's control names
 *   (plus "controls" and "toolbar").
 * - Values are URL-encoded, "+" is a space. Unknown widgets, unknown keys, bad values and broken
 *   encoding are left out and listed in one plain-text notice above the widget, which then shows
 *   its defaults there. Nothing from the hash is ever inserted as HTML.
 * - On every size change the frame posts { type: 'attention-lab:height', height, widget } to its
 *   parent (any origin: the height is not a secret). A new hash re-renders the frame.
 */
import { defineWidgets, widgets } from '../widgets/index.js';
import { parseProp, serializeProp } from '../widgets/props.js';
import { widgetInfo } from '../widgets/widget-info.js';

const MAX_HASH = 4000;
const GLOBAL_CONTROLS = ['controls', 'toolbar'];
const main = document.getElementById('frame');
const notice = document.getElementById('frame-notice');

const clip = (s, n = 40) => (String(s).length > n ? `${String(s).slice(0, n)}…` : String(s));
const decode = (s) => decodeURIComponent(s.replace(/\+/g, ' '));

/**
 * Parses a frame hash. Returns { W (widget class or null), attrs: [[name, text]], problems }.
 * Pure apart from reading the registry; exported for tests.
 */
export function parseFrameHash(hash) {
  const problems = [];
  const attrs = [];
  const text = String(hash ?? '').replace(/^#/, '');
  if (text.length > MAX_HASH) return { W: null, attrs, problems: [`the address is ${text.length} characters long (at most ${MAX_HASH} are read)`] };
  const pairs = [];
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    try {
      pairs.push([decode(eq < 0 ? part : part.slice(0, eq)).trim(), eq < 0 ? null : decode(part.slice(eq + 1))]);
    } catch {
      problems.push(`"${clip(part)}" has broken %-encoding`);
    }
  }
  const name = pairs.find(([k]) => k === 'widget')?.[1]?.trim().toLowerCase() ?? '';
  const W = widgets.find((w) => w.tag === `attn-${name}` || w.tag === name) ?? null;
  if (!W) {
    problems.unshift(name ? `there is no widget "${clip(name, 30)}"` : 'the address names no widget (add #widget=NAME)');
    return { W, attrs, problems };
  }
  const seen = new Set();
  for (const [key, raw] of pairs) {
    if (key === 'widget') continue;
    if (seen.has(key)) {
      problems.push(`${clip(key, 30)}: given more than once; the first value was used`);
      continue;
    }
    seen.add(key);
    if (raw === null) {
      problems.push(`"${clip(key, 30)}" has no value (write name=value)`);
      continue;
    }
    if (key === 'hide') {
      const allowed = [...(W.controls ?? []), ...GLOBAL_CONTROLS];
      const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = names.filter((n) => !allowed.includes(n));
      if (bad.length) problems.push(`hide: this widget has no control ${bad.map((b) => `"${clip(b, 20)}"`).join(', ')} (it has ${allowed.join(', ')})`);
      const good = names.filter((n) => allowed.includes(n));
      if (good.length) attrs.push(['hide', good.join(',')]);
      continue;
    }
    const decl = (W.props ?? []).find((d) => d.name === key);
    if (!decl) {
      problems.push(`${clip(key, 30)}: ${W.tag} has no attribute of that name`);
      continue;
    }
    const r = parseProp(decl, raw);
    if (r.error) {
      problems.push(r.error);
      continue;
    }
    if (r.value !== null && r.value !== undefined) attrs.push([key, serializeProp(decl, r.value)]);
  }
  return { W, attrs, problems };
}

function showProblems(problems, W) {
  notice.replaceChildren();
  notice.hidden = problems.length === 0;
  if (!problems.length) return;
  notice.append(W
    ? `Some settings in this frame's address were ignored, so the widget shows its defaults there: ${problems.join('; ')}.`
    : `This frame shows one Attention Lab widget, but ${problems.join('; ')}. Widgets: `);
  if (!W) {
    const list = document.createElement('ul');
    list.className = 'frame-list';
    for (const w of widgets) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `#widget=${widgetInfo(w).short}`;
      a.textContent = widgetInfo(w).short;
      li.append(a, ` — ${widgetInfo(w).title}`);
      list.append(li);
    }
    notice.append(list);
  }
}

let current = null;
function render() {
  let parsed;
  try {
    parsed = parseFrameHash(location.hash);
  } catch (err) {
    parsed = { W: null, attrs: [], problems: [`the address could not be read (${clip(err?.message ?? err, 80)})`] };
  }
  const { W, attrs, problems } = parsed;
  current?.remove();
  current = null;
  showProblems(problems, W);
  if (!W) {
    document.title = 'Attention Lab widget';
    return;
  }
  const info = widgetInfo(W);
  document.title = `${info.title} · Attention Lab`;
  const node = document.createElement(W.tag);
  for (const [k, v] of attrs) node.setAttribute(k, v);
  node.setAttribute('aria-label', info.title);
  main.append(node);
  current = node;
}

/** Reports the document's height to the parent page whenever it changes. */
function reportHeight() {
  if (window.parent === window) return;
  let last = 0;
  const send = () => {
    const h = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (h === last) return;
    last = h;
    try {
      window.parent.postMessage({ type: 'attention-lab:height', height: h, widget: current?.localName ?? null }, '*');
    } catch {
      // a parent that cannot receive messages just keeps the snippet's height
    }
  };
  new ResizeObserver(send).observe(document.body);
  send();
}

defineWidgets();
render();
if (window.parent === window) {
  // opened on its own (a copied link), not in someone's iframe: say where the widget comes from
  document.documentElement.classList.add('standalone');
  const home = document.createElement('p');
  home.className = 'frame-home';
  const a = document.createElement('a');
  a.href = './';
  a.textContent = 'Attention Lab: an interactive course on attention in neural networks';
  home.append('From ', a);
  document.body.append(home);
}
window.addEventListener('hashchange', render);
reportHeight();
