/**
 * DOM helpers every widget and the toolbar's share actions use: elements from a tag, attributes
 * and children (text is always a text node, never HTML), and number formatting for display.
 * Kept apart from base.js so share.js can use them without importing the widget base class.
 */

/**
 * Creates an element: el('td', { class: 'x', 'aria-label': 'y' }, child, 'text', ...).
 * Strings become text nodes, never HTML.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/**
 * A short label as text nodes with a line-break opportunity after each '/', for narrow tiles:
 * "broad/diffuse" wraps as "broad/" + "diffuse" instead of mid-word. textContent is unchanged.
 */
export function breakAfterSlash(text) {
  const parts = String(text).split('/');
  return parts.flatMap((part, i) => (i < parts.length - 1 ? [`${part}/`, document.createElement('wbr')] : [part]));
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element the way el() creates HTML: undefined, null and false attributes and children are skipped. */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/**
 * Sets only the attributes whose value differs from the node's (values are written as strings), so a
 * redraw that patches a kept node costs nothing where nothing changed. With `{ prune: true }` the
 * attributes not given are removed too (the node then has exactly `attrs`).
 */
export function setAttrs(node, attrs, { prune = false } = {}) {
  for (const k in attrs) {
    const v = String(attrs[k]);
    if (node.getAttribute(k) !== v) node.setAttribute(k, v);
  }
  if (prune) for (const k of node.getAttributeNames()) if (!Object.hasOwn(attrs, k)) node.removeAttribute(k);
}

/** Sets a node's text only when it changed (no text-node churn for an unchanged number). */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** Formats a number for display: 2 decimals, a real minus sign, no "-0.00". */
export function fmt(v, digits = 2) {
  if (v === null || v === undefined) return '−∞';
  const s = Number(v).toFixed(digits);
  return (Number(s) === 0 ? (0).toFixed(digits) : s).replace('-', '−');
}

/** Lower-cases, strips punctuation (reported) and splits typed text: { words, removed: [chars] }. */
export function cleanSentence(text) {
  const lower = String(text).toLowerCase();
  const removed = [...new Set(lower.match(/[^a-z0-9'\s-]/g) ?? [])];
  const words = lower.replace(/[^a-z0-9'\s-]/g, ' ').split(/\s+/).filter(Boolean);
  return { words, removed };
}

/** The notice for what cleanSentence removed ('' when nothing was). */
export function removedNotice(removed) {
  return removed.length ? `Removed ${removed.map((c) => `“${c}”`).join(' ')}: the model reads words only.` : '';
}
