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
 * - The hash is read by the shared state codec (widgets/state-codec.js, parseFrameHash). Unknown
 *   widgets, unknown keys, bad values and broken encoding are left out and listed in one plain-text
 *   notice above the widget (at most 8 problems, each cut short), which then shows its defaults
 *   there. Nothing from the hash is ever inserted as HTML.
 * - On every size change the frame posts { type: 'attention-lab:height', height, widget } to its
 *   parent (any origin: the height is not a secret). A new hash re-renders the frame.
 */
import { defineWidgets, widgets } from '../widgets/index.js';
import { clip, listProblems, parseFrameHash } from '../widgets/state-codec.js';
import { widgetInfo } from '../widgets/widget-info.js';

const main = document.getElementById('frame');
const notice = document.getElementById('frame-notice');

function showProblems(problems, W) {
  notice.replaceChildren();
  notice.hidden = problems.length === 0;
  if (!problems.length) return;
  notice.append(W
    ? `Some settings in this frame's address were ignored, so the widget shows its defaults there: ${listProblems(problems)}.`
    : `This frame shows one Attention Lab widget, but ${listProblems(problems)}. Widgets: `);
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
    parsed = parseFrameHash(location.hash, widgets);
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
