/**
 * A picture of what a widget shows right now, as a list of drawing primitives read from the live
 * layout of its shadow DOM, and two renderers for it: a standalone SVG document and a PNG (drawn
 * with the canvas 2D API, so no image is ever loaded: no tainted canvas, nothing a strict Content
 * Security Policy forbids, no foreignObject).
 *
 * What is captured, in document order (so later things paint over earlier ones):
 *  - element boxes: background colour (with its corner radius), borders, a spread-only box-shadow
 *    ring (the highlighted cell), so table cells keep their tints;
 *  - text: every visible text node, line by line, at its laid-out position and computed font and
 *    colour (so numbers in tables, captions and labels are real text in the SVG);
 *  - form controls: text and number fields (their value), selects (the chosen option), checkboxes,
 *    radio buttons and range sliders (track and thumb at the current value);
 *  - every <svg>: its shapes (rect, circle, ellipse, line, polyline, polygon, path) and <text>,
 *    with computed fill, stroke, dashes and opacity and the exact on-screen transform, plus
 *    marker-start/end arrowheads;
 *  - <canvas> contents as an embedded PNG.
 * Not captured: the share/save toolbar, visually-hidden text (screen-reader copies), focus
 * outlines, pseudo-element content, gradients (their first stop colour is used) and images.
 *
 * Coordinates are CSS pixels relative to the widget's frame. The picture gets a title band (the
 * widget's name) on top and its settings (attributes) underneath.
 */
import { widgetInfo } from './widget-info.js';
import { serializeProp } from './props.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const PAD = 16;
const TITLE_SIZE = 18;
const NOTE_SIZE = 12;
const SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';
const SKIP_TAGS = new Set(['script', 'style', 'link', 'template', 'dialog', 'slot', 'noscript', 'option', 'datalist']);
const SHAPES = new Set(['rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'path']);
const SVG_SKIP = new Set(['defs', 'marker', 'clipPath', 'mask', 'pattern', 'linearGradient', 'radialGradient', 'symbol', 'title', 'desc',
  'metadata', 'style', 'script', 'foreignObject', 'filter', 'image', 'use']);

/* ---------- colours ---------- */

let probe = null;
const colourCache = new Map();
/** Any CSS colour (rgb(), color(srgb …), color-mix results, names) -> { hex, a } or null when invisible. */
export function colour(text) {
  if (!text || text === 'none' || text === 'transparent') return null;
  if (colourCache.has(text)) return colourCache.get(text);
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  probe.canvas.width = probe.canvas.height = 1;
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#010203';
  probe.fillStyle = text;
  let out = null;
  if (probe.fillStyle !== '#010203' || /^#0*10203$/i.test(text)) {
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
    const hex = `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    out = a === 0 ? null : { hex, a: Math.round((a / 255) * 1000) / 1000 };
  }
  colourCache.set(text, out);
  return out;
}

/* ---------- geometry helpers ---------- */

const px = (v) => {
  const n = parseFloat(v);
  return Number.isFinite(n) ? n : 0;
};
const r2 = (v) => Math.round(v * 100) / 100;
const matrixOf = (m) => [m.a, m.b, m.c, m.d, m.e, m.f].map((v) => Math.round(v * 10000) / 10000);
const isIdentity = (m) => !m || (m[0] === 1 && m[1] === 0 && m[2] === 0 && m[3] === 1 && m[4] === 0 && m[5] === 0);

/** A rounded rectangle as path data (radius clamped to fit). */
function roundRectPath(x, y, w, h, r) {
  r = Math.max(0, Math.min(r, w / 2, h / 2));
  if (!r) return `M${r2(x)} ${r2(y)}h${r2(w)}v${r2(h)}h${r2(-w)}Z`;
  return `M${r2(x + r)} ${r2(y)}h${r2(w - 2 * r)}a${r2(r)} ${r2(r)} 0 0 1 ${r2(r)} ${r2(r)}v${r2(h - 2 * r)}a${r2(r)} ${r2(r)} 0 0 1 ${r2(-r)} ${r2(r)}` +
    `h${r2(-(w - 2 * r))}a${r2(r)} ${r2(r)} 0 0 1 ${r2(-r)} ${r2(-r)}v${r2(-(h - 2 * r))}a${r2(r)} ${r2(r)} 0 0 1 ${r2(r)} ${r2(-r)}Z`;
}

/** A length that may be a percentage of `of`. */
const len = (v, of) => (String(v).trim().endsWith('%') ? (px(v) / 100) * of : px(v));

/* ---------- text measuring ---------- */

let meter = null;
function measure(font) {
  meter ??= document.createElement('canvas').getContext('2d');
  meter.font = font;
  return meter;
}
const fontString = (f) => `${f.style} ${f.weight} ${f.size}px ${f.family}`;
function fontOf(cs) {
  return { style: cs.fontStyle || 'normal', weight: cs.fontWeight || '400', size: px(cs.fontSize) || 16, family: cs.fontFamily || SANS };
}
function metrics(font) {
  const m = measure(fontString(font)).measureText('Hg');
  const ascent = m.fontBoundingBoxAscent ?? font.size * 0.8;
  const descent = m.fontBoundingBoxDescent ?? font.size * 0.2;
  return { ascent, descent };
}
const textWidth = (font, text) => measure(fontString(font)).measureText(text).width;

function transformText(text, cs) {
  switch (cs.textTransform) {
    case 'uppercase': return text.toUpperCase();
    case 'lowercase': return text.toLowerCase();
    case 'capitalize': return text.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
    default: return text;
  }
}

/* ---------- capture ---------- */

class Capture {
  constructor(origin) {
    this.ox = origin.left;
    this.oy = origin.top;
    this.items = [];
    this.bounds = { x0: 0, y0: 0, x1: origin.width, y1: 0 }; // grows with what is painted
    this.range = document.createRange();
  }

  grow(x0, y0, x1, y1) {
    const b = this.bounds;
    if (![x0, y0, x1, y1].every(Number.isFinite)) return;
    b.x0 = Math.min(b.x0, x0);
    b.y0 = Math.min(b.y0, y0);
    b.x1 = Math.max(b.x1, x1);
    b.y1 = Math.max(b.y1, y1);
  }

  growRect(r) {
    this.grow(r.left - this.ox, r.top - this.oy, r.right - this.ox, r.bottom - this.oy);
  }

  push(item) {
    this.items.push(item);
  }

  /* ----- HTML ----- */

  walk(node, opacity) {
    if (node.nodeType === Node.TEXT_NODE) return this.text(node, opacity);
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.localName;
    if (SKIP_TAGS.has(tag) || node.hidden || node.matches('.toolbar, [data-control="toolbar"], [data-snapshot="skip"]')) return;
    if (node.namespaceURI === SVG_NS) {
      if (tag === 'svg') this.svgRoot(node, opacity);
      return;
    }
    const cs = getComputedStyle(node);
    if (cs.display === 'none') return;
    const contents = cs.display === 'contents';
    if (!contents) {
      if (node.getClientRects().length === 0) return;
      if (cs.clip !== 'auto' && cs.position === 'absolute') return; // visually hidden (sr-only)
      if (cs.clipPath !== 'none') return;
      const r = node.getBoundingClientRect();
      if (r.width <= 1 && r.height <= 1) return;
    }
    const op = opacity * (contents ? 1 : px(cs.opacity ?? 1));
    if (op < 0.02) return;
    const visible = cs.visibility !== 'hidden' && cs.visibility !== 'collapse';
    const native = tag === 'input' && ['range', 'checkbox', 'radio'].includes(node.type); // drawn by control()
    if (!contents && visible && !native) this.box(node, cs, op);
    if (tag === 'input' || tag === 'select' || tag === 'textarea') {
      if (visible) this.control(node, cs, op);
      return;
    }
    if (tag === 'canvas') {
      if (visible) this.canvas(node);
      return;
    }
    if (tag === 'img' || tag === 'video' || tag === 'iframe') return;
    if (tag === 'details' && !node.open) {
      const summary = node.querySelector(':scope > summary');
      if (summary) this.walk(summary, op);
      return;
    }
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE && !visible) continue;
      this.walk(child, op);
    }
    if (node.shadowRoot) for (const child of node.shadowRoot.children) this.walk(child, op);
  }

  /** Background, borders and a spread-only shadow ring of an element's box. */
  box(node, cs, op) {
    const inline = cs.display === 'inline';
    const rects = inline ? [...node.getClientRects()] : [node.getBoundingClientRect()];
    const bg = colour(cs.backgroundColor);
    const bw = ['Top', 'Right', 'Bottom', 'Left'].map((s) => (cs[`border${s}Style`] === 'none' || cs[`border${s}Style`] === 'hidden' ? 0 : px(cs[`border${s}Width`])));
    const bc = ['Top', 'Right', 'Bottom', 'Left'].map((s) => colour(cs[`border${s}Color`]));
    const shadow = /^(.*?)\s+0px\s+0px\s+0px\s+([\d.]+)px$/.exec(cs.boxShadow ?? '');
    for (const rect of rects) {
      const x = rect.left - this.ox, y = rect.top - this.oy, w = rect.width, h = rect.height;
      if (w <= 0 || h <= 0) continue;
      const radius = Math.min(len(cs.borderTopLeftRadius, w), w / 2, h / 2);
      if (shadow && !inline) {
        const c = colour(shadow[1]), s = px(shadow[2]);
        if (c && s > 0) this.push({ k: 'path', d: roundRectPath(x - s / 2, y - s / 2, w + s, h + s, radius + s / 2), stroke: c, sw: s, op });
      }
      if (bg) this.push({ k: 'path', d: roundRectPath(x, y, w, h, radius), fill: bg, op });
      if (inline) continue;
      const same = bw.every((v) => v === bw[0]) && bc.every((c) => c?.hex === bc[0]?.hex && c?.a === bc[0]?.a) && cs.borderTopStyle === cs.borderLeftStyle;
      if (same && bw[0] > 0 && bc[0]) {
        const b = bw[0];
        const dash = cs.borderTopStyle === 'dashed' ? [3 * b, 2 * b] : cs.borderTopStyle === 'dotted' ? [b, b] : null;
        this.push({ k: 'path', d: roundRectPath(x + b / 2, y + b / 2, w - b, h - b, Math.max(0, radius - b / 2)), stroke: bc[0], sw: b, dash, op });
      } else {
        const sides = [[x, y, w, bw[0]], [x + w - bw[1], y, bw[1], h], [x, y + h - bw[2], w, bw[2]], [x, y, bw[3], h]];
        sides.forEach(([sx, sy, sw, sh], i) => {
          if (bw[i] > 0 && bc[i]) this.push({ k: 'path', d: roundRectPath(sx, sy, sw, sh, 0), fill: bc[i], op });
        });
      }
      if (bg || bw.some((v) => v > 0)) this.grow(x, y, x + w, y + h);
    }
  }

  /** A text node, one run per line (words are measured so wrapped text stays where it is). */
  text(node, opacity) {
    const data = node.data;
    if (!data.trim()) return;
    const parent = node.parentElement;
    if (!parent) return;
    const cs = getComputedStyle(parent);
    const fill = colour(cs.color);
    if (!fill) return;
    const font = fontOf(cs);
    const { ascent, descent } = metrics(font);
    const space = textWidth(font, ' ');
    const runs = [];
    let cur = null;
    for (const m of data.matchAll(/\S+/g)) {
      for (const piece of this.pieces(node, m.index, m[0])) {
        const { r } = piece;
        const word = transformText(piece.text, cs);
        const x = r.left - this.ox, top = r.top - this.oy;
        const sameLine = cur && Math.abs(top - cur.top) < r.height / 2;
        const expected = cur ? cur.x + textWidth(font, `${cur.text} `) : 0;
        if (sameLine && Math.abs(x - expected) <= Math.max(2, space)) {
          cur.text += ` ${word}`;
          cur.right = r.right - this.ox;
        } else {
          cur = { x, top, height: r.height, text: word, right: r.right - this.ox };
          runs.push(cur);
        }
      }
    }
    for (const run of runs) {
      const baseline = run.top + (run.height - (ascent + descent)) / 2 + ascent;
      this.push({ k: 'text', x: r2(run.x), y: r2(baseline), text: run.text, font, fill, op: opacity });
      this.grow(run.x, run.top, run.right, run.top + run.height);
    }
  }

  /**
   * A word's laid-out pieces: [{ text, r }] — one piece, or one per line when the word itself was
   * broken (at a hyphen, or anywhere with overflow-wrap).
   */
  pieces(node, start, word) {
    this.range.setStart(node, start);
    this.range.setEnd(node, start + word.length);
    const rects = [...this.range.getClientRects()].filter((q) => q.width > 0 || q.height > 0);
    if (rects.length === 0) return [];
    if (rects.length === 1) return [{ text: word, r: rects[0] }];
    const out = [];
    let cur = null;
    for (let i = 0; i < word.length; i++) {
      this.range.setStart(node, start + i);
      this.range.setEnd(node, start + i + 1);
      const r = [...this.range.getClientRects()].find((q) => q.width > 0 || q.height > 0);
      if (!r) continue;
      if (cur && Math.abs(r.top - cur.r.top) < r.height / 2) {
        cur.text += word[i];
        cur.r = new DOMRect(cur.r.left, cur.r.top, r.right - cur.r.left, cur.r.height);
      } else {
        cur = { text: word[i], r };
        out.push(cur);
      }
    }
    return out;
  }

  /** Form controls: what they show (their box was painted by box()). */
  control(node, cs, op) {
    const r = node.getBoundingClientRect();
    const x = r.left - this.ox, y = r.top - this.oy, w = r.width, h = r.height;
    const accent = colour(cs.accentColor && cs.accentColor !== 'auto' ? cs.accentColor : '') ?? colour(cs.getPropertyValue('--w-accent')) ?? { hex: '#0b5fa5', a: 1 };
    const fg = colour(cs.color) ?? { hex: '#1d232b', a: 1 };
    const type = node.localName === 'input' ? (node.type || 'text') : node.localName;
    if (type === 'checkbox' || type === 'radio') {
      const s = Math.min(w, h), cx = x + w / 2, cy = y + h / 2;
      const on = node.checked;
      const shape = type === 'radio' ? circlePath(cx, cy, s / 2 - 0.5) : roundRectPath(cx - s / 2 + 0.5, cy - s / 2 + 0.5, s - 1, s - 1, 2);
      this.push({ k: 'path', d: shape, fill: on ? accent : { hex: '#ffffff', a: 1 }, stroke: on ? accent : { hex: '#767676', a: 1 }, sw: 1, op });
      if (on && type === 'checkbox')
        this.push({ k: 'path', d: `M${r2(cx - s * 0.28)} ${r2(cy)}L${r2(cx - s * 0.08)} ${r2(cy + s * 0.22)}L${r2(cx + s * 0.3)} ${r2(cy - s * 0.22)}`, stroke: { hex: '#ffffff', a: 1 }, sw: Math.max(1.5, s / 8), cap: 'round', join: 'round', op });
      if (on && type === 'radio') this.push({ k: 'path', d: circlePath(cx, cy, s / 5), fill: { hex: '#ffffff', a: 1 }, op });
      return;
    }
    if (type === 'range') {
      const min = Number(node.min || 0), max = Number(node.max || 100), v = Number(node.value);
      const f = max > min ? Math.max(0, Math.min(1, (v - min) / (max - min))) : 0;
      const thumb = 8, cy = y + h / 2, x0 = x + thumb, x1 = x + w - thumb, tx = x0 + f * (x1 - x0);
      this.push({ k: 'path', d: roundRectPath(x0, cy - 2, x1 - x0, 4, 2), fill: colour('#c9d1da'), op });
      this.push({ k: 'path', d: roundRectPath(x0, cy - 2, tx - x0, 4, 2), fill: accent, op });
      this.push({ k: 'path', d: circlePath(tx, cy, thumb), fill: accent, op });
      return;
    }
    if (['button', 'submit', 'reset', 'color', 'file', 'hidden', 'image'].includes(type)) {
      if (node.value) this.label(node.value, cs, x + w / 2, y, h, fg, op, 'center');
      return;
    }
    let text, colourUsed = fg;
    if (type === 'select') text = node.selectedOptions?.[0]?.textContent ?? '';
    else {
      text = node.value;
      if (!text && node.placeholder) {
        text = node.placeholder;
        colourUsed = colour(cs.getPropertyValue('--w-muted')) ?? fg;
      }
    }
    if (type === 'password') text = '•'.repeat(text.length);
    const left = x + px(cs.borderLeftWidth) + px(cs.paddingLeft);
    const right = x + w - px(cs.borderRightWidth) - px(cs.paddingRight) - (type === 'select' ? 16 : type === 'number' ? 16 : 0);
    if (type === 'select') {
      const cx = x + w - px(cs.paddingRight) - 8, cy = y + h / 2;
      this.push({ k: 'path', d: `M${r2(cx - 4)} ${r2(cy - 2)}L${r2(cx)} ${r2(cy + 2)}L${r2(cx + 4)} ${r2(cy - 2)}`, stroke: fg, sw: 1.5, cap: 'round', join: 'round', op });
    }
    if (!text) return;
    if (type === 'textarea') {
      const font = fontOf(cs), lh = cs.lineHeight === 'normal' ? font.size * 1.2 : px(cs.lineHeight);
      const top = y + px(cs.borderTopWidth) + px(cs.paddingTop);
      text.split('\n').slice(0, Math.max(1, Math.floor((h - 4) / lh))).forEach((line, i) => {
        if (line) this.push({ k: 'text', x: r2(left), y: r2(top + i * lh + (lh + font.size * 0.7) / 2), text: line, font, fill: colourUsed, op });
      });
      return;
    }
    const align = cs.textAlign === 'right' || cs.textAlign === 'end' ? 'right' : cs.textAlign === 'center' ? 'center' : 'left';
    this.label(text, cs, align === 'right' ? right : align === 'center' ? (left + right) / 2 : left, y, h, colourUsed, op, align);
  }

  /** One line of text vertically centred in a box of height h starting at y. */
  label(text, cs, x, y, h, fill, op, align = 'left') {
    const font = fontOf(cs);
    const { ascent, descent } = metrics(font);
    const w = textWidth(font, text);
    const left = align === 'right' ? x - w : align === 'center' ? x - w / 2 : x;
    this.push({ k: 'text', x: r2(left), y: r2(y + (h - (ascent + descent)) / 2 + ascent), text, font, fill, op });
  }

  canvas(node) {
    try {
      const r = node.getBoundingClientRect();
      this.push({ k: 'image', x: r2(r.left - this.ox), y: r2(r.top - this.oy), w: r2(r.width), h: r2(r.height), href: node.toDataURL('image/png'), source: node });
      this.growRect(r);
    } catch {
      // a canvas that cannot be read is left out
    }
  }

  /* ----- SVG ----- */

  svgRoot(svgEl, opacity) {
    const cs = getComputedStyle(svgEl);
    if (cs.display === 'none' || svgEl.getClientRects().length === 0) return;
    const op = opacity * px(cs.opacity ?? 1);
    if (op < 0.02) return;
    const r = svgEl.getBoundingClientRect();
    if (r.width <= 1 && r.height <= 1) return;
    if (cs.visibility !== 'hidden') this.box(svgEl, cs, op);
    this.growRect(r);
    this.svgChildren(svgEl, op);
  }

  svgChildren(parent, opacity) {
    for (const node of parent.children) {
      if (node.namespaceURI !== SVG_NS || SVG_SKIP.has(node.localName)) continue;
      const cs = getComputedStyle(node);
      if (cs.display === 'none') continue;
      const op = opacity * px(cs.opacity ?? 1);
      if (op < 0.02) continue;
      const tag = node.localName;
      if (tag === 'g' || tag === 'a' || tag === 'svg' || tag === 'switch') this.svgChildren(node, op);
      else if (SHAPES.has(tag)) this.shape(node, cs, op, this.toLocal(node));
      else if (tag === 'text') this.svgText(node, cs, op, this.toLocal(node));
    }
  }

  /** The element's user space -> widget-frame CSS pixels, as [a b c d e f]. */
  toLocal(node) {
    const m = node.getScreenCTM();
    if (!m) return null;
    return matrixOf(new DOMMatrix([1, 0, 0, 1, -this.ox, -this.oy]).multiply(DOMMatrix.fromMatrix(m)));
  }

  /** Paint attributes of an SVG element from its computed style (context-* taken from `context`). */
  paint(node, cs, context = null) {
    const resolve = (v) => {
      if (!v || v === 'none') return null;
      if (v === 'context-stroke') return context?.stroke ?? null;
      if (v === 'context-fill') return context?.fill ?? null;
      if (v.startsWith('url(')) {
        const id = /#([^")\s]+)/.exec(v)?.[1];
        const ref = id ? node.getRootNode().getElementById?.(id) : null;
        const stop = ref?.querySelector?.('stop');
        const fallback = v.replace(/^url\([^)]*\)\s*/, '');
        if (stop) return colour(getComputedStyle(stop).stopColor);
        return fallback ? colour(fallback) : null;
      }
      return colour(v);
    };
    const fill = resolve(cs.fill);
    const stroke = resolve(cs.stroke);
    const fo = px(cs.fillOpacity ?? 1), so = px(cs.strokeOpacity ?? 1);
    const dash = cs.strokeDasharray && cs.strokeDasharray !== 'none' ? cs.strokeDasharray.split(/[\s,]+/).map(px).filter((n) => n >= 0) : null;
    return {
      fill: fill && fo < 1 ? { ...fill, a: fill.a * fo } : fill,
      stroke: stroke && so < 1 ? { ...stroke, a: stroke.a * so } : stroke,
      sw: px(cs.strokeWidth || 1),
      dash: dash && dash.some((n) => n > 0) ? dash : null,
      dashOffset: px(cs.strokeDashoffset),
      cap: cs.strokeLinecap,
      join: cs.strokeLinejoin,
      rule: cs.fillRule === 'evenodd' ? 'evenodd' : 'nonzero',
    };
  }

  shape(node, cs, op, m, context = null) {
    if (!m || cs.visibility === 'hidden') return;
    const d = shapePath(node, cs);
    if (!d) return;
    const p = this.paint(node, cs, context);
    if (!p.fill && !(p.stroke && p.sw > 0)) return this.markers(node, cs, op, m, p);
    this.push({ k: 'path', d, m, ...p, sw: p.stroke ? p.sw : 0, op });
    try {
      const r = node.getBoundingClientRect();
      if (r.width || r.height) this.growRect(r);
    } catch { /* not rendered */ }
    this.markers(node, cs, op, m, p);
  }

  /** marker-start / marker-end arrowheads of a line, polyline, polygon or path. */
  markers(node, cs, op, m, paint) {
    const ends = [['start', cs.markerStart], ['end', cs.markerEnd]].filter(([, v]) => v && v !== 'none');
    if (!ends.length || !m) return;
    const pts = endPoints(node);
    if (!pts) return;
    for (const [which, ref] of ends) {
      const id = /#([^")\s]+)/.exec(ref)?.[1];
      const marker = id ? node.getRootNode().getElementById?.(id) : null;
      if (!marker || marker.localName !== 'marker') continue;
      const { point, angle } = pts[which];
      const orient = marker.getAttribute('orient') ?? '0';
      let rot = 0;
      if (orient === 'auto') rot = angle;
      else if (orient === 'auto-start-reverse') rot = which === 'start' ? angle + Math.PI : angle;
      else rot = (px(orient) * Math.PI) / 180;
      const units = marker.getAttribute('markerUnits') === 'userSpaceOnUse' ? 1 : paint.sw || 1;
      const vb = marker.viewBox?.baseVal;
      const mw = marker.markerWidth?.baseVal?.value ?? 3, mh = marker.markerHeight?.baseVal?.value ?? 3;
      const s = vb && vb.width > 0 && vb.height > 0 ? Math.min(mw / vb.width, mh / vb.height) : 1;
      const refX = marker.refX?.baseVal?.value ?? 0, refY = marker.refY?.baseVal?.value ?? 0;
      const base = new DOMMatrix(m).translate(point.x, point.y).rotate((rot * 180) / Math.PI).scale(units * s).translate(-refX, -refY);
      this.markerChildren(marker, base, op, paint);
    }
  }

  markerChildren(parent, base, op, context) {
    for (const child of parent.children) {
      if (child.namespaceURI !== SVG_NS) continue;
      const cs = getComputedStyle(child);
      if (cs.display === 'none') continue;
      const local = child.transform?.baseVal?.consolidate?.()?.matrix;
      const m = local ? base.multiply(DOMMatrix.fromMatrix(local)) : base;
      const o = op * px(cs.opacity ?? 1);
      if (child.localName === 'g') this.markerChildren(child, m, o, context);
      else if (SHAPES.has(child.localName)) this.shape(child, cs, o, matrixOf(m), context);
    }
  }

  svgText(node, cs, op, m) {
    if (!m || cs.visibility === 'hidden') return;
    const text = node.textContent.replace(/\s+/g, ' ').trim();
    if (!text) return;
    const p = this.paint(node, cs);
    if (!p.fill) return;
    let x = 0, y = 0;
    try {
      if (node.getNumberOfChars() === 0) return;
      // the first glyph's position on the baseline, after text-anchor and dominant-baseline
      const start = node.getStartPositionOfChar(0);
      x = start.x;
      y = start.y;
      const lead = node.textContent.search(/\S/);
      if (lead > 0 && lead < node.getNumberOfChars()) {
        const s2 = node.getStartPositionOfChar(lead);
        x = s2.x;
        y = s2.y;
      }
    } catch {
      x = node.x?.baseVal?.[0]?.value ?? 0;
      y = node.y?.baseVal?.[0]?.value ?? 0;
    }
    this.push({ k: 'text', x: r2(x), y: r2(y), text: transformText(text, cs), font: fontOf(cs), fill: p.fill, m, op });
    try {
      this.growRect(node.getBoundingClientRect());
    } catch { /* not rendered */ }
  }
}

function circlePath(cx, cy, r) {
  return `M${r2(cx - r)} ${r2(cy)}a${r2(r)} ${r2(r)} 0 1 0 ${r2(2 * r)} 0a${r2(r)} ${r2(r)} 0 1 0 ${r2(-2 * r)} 0Z`;
}

/** Geometry of an SVG shape as path data, from its computed style (SVG 2 geometry properties). */
function shapePath(node, cs) {
  const g = (prop, attr) => {
    const v = cs[prop];
    if (v && v !== 'auto' && String(v).endsWith('px')) return px(v);
    const a = node[attr ?? prop]?.baseVal;
    return a && typeof a.value === 'number' ? a.value : 0;
  };
  switch (node.localName) {
    case 'rect': {
      const w = g('width'), h = g('height');
      if (w <= 0 || h <= 0) return null;
      let rx = cs.rx && cs.rx !== 'auto' ? px(cs.rx) : null, ry = cs.ry && cs.ry !== 'auto' ? px(cs.ry) : null;
      rx ??= ry ?? 0;
      ry ??= rx;
      const x = g('x'), y = g('y');
      if (!rx && !ry) return `M${r2(x)} ${r2(y)}h${r2(w)}v${r2(h)}h${r2(-w)}Z`;
      rx = Math.min(rx, w / 2);
      ry = Math.min(ry, h / 2);
      return `M${r2(x + rx)} ${r2(y)}h${r2(w - 2 * rx)}a${r2(rx)} ${r2(ry)} 0 0 1 ${r2(rx)} ${r2(ry)}v${r2(h - 2 * ry)}a${r2(rx)} ${r2(ry)} 0 0 1 ${r2(-rx)} ${r2(ry)}` +
        `h${r2(-(w - 2 * rx))}a${r2(rx)} ${r2(ry)} 0 0 1 ${r2(-rx)} ${r2(-ry)}v${r2(-(h - 2 * ry))}a${r2(rx)} ${r2(ry)} 0 0 1 ${r2(rx)} ${r2(-ry)}Z`;
    }
    case 'circle': {
      const r = g('r');
      return r > 0 ? circlePath(g('cx'), g('cy'), r) : null;
    }
    case 'ellipse': {
      const rx = g('rx'), ry = g('ry'), cx = g('cx'), cy = g('cy');
      if (rx <= 0 || ry <= 0) return null;
      return `M${r2(cx - rx)} ${r2(cy)}a${r2(rx)} ${r2(ry)} 0 1 0 ${r2(2 * rx)} 0a${r2(rx)} ${r2(ry)} 0 1 0 ${r2(-2 * rx)} 0Z`;
    }
    case 'line':
      return `M${r2(node.x1.baseVal.value)} ${r2(node.y1.baseVal.value)}L${r2(node.x2.baseVal.value)} ${r2(node.y2.baseVal.value)}`;
    case 'polyline':
    case 'polygon': {
      const pts = [...node.points].map((p) => `${r2(p.x)} ${r2(p.y)}`);
      if (pts.length < 2) return null;
      return `M${pts.join('L')}${node.localName === 'polygon' ? 'Z' : ''}`;
    }
    case 'path': {
      const d = node.getAttribute('d') || (/^path\("(.*)"\)$/.exec(cs.d ?? '')?.[1] ?? '');
      return d.trim() || null;
    }
    default:
      return null;
  }
}

/** Start and end points of a shape, with the direction of travel there (radians). */
function endPoints(node) {
  const at = (p, q) => Math.atan2(q.y - p.y, q.x - p.x);
  if (node.localName === 'line') {
    const a = { x: node.x1.baseVal.value, y: node.y1.baseVal.value }, b = { x: node.x2.baseVal.value, y: node.y2.baseVal.value };
    return { start: { point: a, angle: at(a, b) }, end: { point: b, angle: at(a, b) } };
  }
  if (node.localName === 'polyline' || node.localName === 'polygon') {
    const p = [...node.points];
    if (p.length < 2) return null;
    return { start: { point: p[0], angle: at(p[0], p[1]) }, end: { point: p[p.length - 1], angle: at(p[p.length - 2], p[p.length - 1]) } };
  }
  if (node.localName === 'path' && node.getTotalLength) {
    const L = node.getTotalLength();
    if (!(L > 0)) return null;
    const e = Math.min(0.5, L / 10);
    const p0 = node.getPointAtLength(0), p1 = node.getPointAtLength(e), q0 = node.getPointAtLength(L - e), q1 = node.getPointAtLength(L);
    return { start: { point: p0, angle: at(p0, p1) }, end: { point: q1, angle: at(q0, q1) } };
  }
  return null;
}

/** "name=value · name=value" for the widget's current settings. */
function settingsLine(w) {
  const W = w.constructor;
  let values = {};
  try {
    values = w.currentValues?.() ?? {};
  } catch { /* fall back to none */ }
  const parts = [];
  for (const d of W.props ?? []) {
    const v = values[d.name];
    if (v === null || v === undefined) continue;
    try {
      parts.push(`${d.name}=${serializeProp(d, v)}`);
    } catch { /* skip */ }
  }
  return parts.join(' · ');
}

/** Greedy line wrap of `parts` joined by sep, to `width` px in `font`. */
function wrap(text, font, width) {
  const words = text.split(' ');
  const lines = [];
  let cur = '';
  for (const word of words) {
    const next = cur ? `${cur} ${word}` : word;
    if (cur && textWidth(font, next) > width) {
      lines.push(cur);
      cur = word;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}

/**
 * Reads what the widget shows now. Returns a scene:
 *   { width, height, title, description, background, items }  (items in scene coordinates)
 */
export function snapshot(w) {
  const frame = w.frame ?? w.shadowRoot?.firstElementChild ?? w;
  const origin = frame.getBoundingClientRect();
  const cap = new Capture(origin);
  cap.walk(frame, 1);
  const info = widgetInfo(w.constructor);
  const body = w.body ?? frame;
  const bs = getComputedStyle(body);
  const background = colour(bs.backgroundColor) ?? colour(getComputedStyle(w).backgroundColor) ?? { hex: '#ffffff', a: 1 };
  const fg = colour(getComputedStyle(frame).color) ?? { hex: '#1d232b', a: 1 };
  const muted = colour(getComputedStyle(frame).getPropertyValue('--w-muted')) ?? fg;

  const b = cap.bounds;
  const contentW = Math.ceil(b.x1 - b.x0), contentH = Math.ceil(b.y1 - b.y0);
  const width = Math.max(320, contentW + 2 * PAD);
  const titleFont = { style: 'normal', weight: '700', size: TITLE_SIZE, family: SANS };
  const noteFont = { style: 'normal', weight: '400', size: NOTE_SIZE, family: SANS };
  const head = [];
  const titleLines = wrap(info.title, titleFont, width - 2 * PAD);
  let y = PAD;
  for (const line of titleLines) {
    y += TITLE_SIZE * 1.25;
    head.push({ k: 'text', x: PAD, y: r2(y - TITLE_SIZE * 0.25), text: line, font: titleFont, fill: fg, op: 1 });
  }
  y += 4;
  head.push({ k: 'text', x: PAD, y: r2(y + NOTE_SIZE), text: `Attention Lab · <${info.tag}>`, font: noteFont, fill: muted, op: 1 });
  y += NOTE_SIZE * 1.5 + 10;
  const top = y;
  const dx = PAD - b.x0, dy = top - b.y0;
  const shifted = cap.items.map((it) => shift(it, dx, dy));
  y = top + contentH + 12;
  const settings = settingsLine(w);
  const foot = [];
  for (const line of settings ? wrap(settings, noteFont, width - 2 * PAD) : []) {
    y += NOTE_SIZE * 1.4;
    foot.push({ k: 'text', x: PAD, y: r2(y), text: line, font: noteFont, fill: muted, op: 1 });
  }
  const height = Math.ceil(y + PAD);
  return {
    width: Math.ceil(width),
    height,
    title: `${info.title} (Attention Lab)`,
    description: settings,
    background,
    items: [...head, ...shifted, ...foot],
  };
}

/** Moves an item by (dx, dy) in scene space. */
function shift(it, dx, dy) {
  if (it.m) {
    const m = [...it.m];
    m[4] = r2(m[4] + dx);
    m[5] = r2(m[5] + dy);
    return { ...it, m };
  }
  if (it.k === 'path') return { ...it, m: [1, 0, 0, 1, r2(dx), r2(dy)] };
  return { ...it, x: r2(it.x + dx), y: r2(it.y + dy) };
}

/* ---------- renderers ---------- */

const XML = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xml = (s) => String(s).replace(/[&<>"']/g, (c) => XML[c]);
const num = (v) => String(r2(v));

function paintAttrs(it) {
  const a = [];
  if (it.k === 'text' || it.fill) {
    a.push(`fill="${it.fill.hex}"`);
    if (it.fill.a < 1) a.push(`fill-opacity="${it.fill.a}"`);
  } else a.push('fill="none"');
  if (it.rule === 'evenodd') a.push('fill-rule="evenodd"');
  if (it.stroke && it.sw > 0) {
    a.push(`stroke="${it.stroke.hex}"`, `stroke-width="${num(it.sw)}"`);
    if (it.stroke.a < 1) a.push(`stroke-opacity="${it.stroke.a}"`);
    if (it.dash) a.push(`stroke-dasharray="${it.dash.map(num).join(' ')}"`);
    if (it.dash && it.dashOffset) a.push(`stroke-dashoffset="${num(it.dashOffset)}"`);
    if (it.cap && it.cap !== 'butt') a.push(`stroke-linecap="${it.cap}"`);
    if (it.join && it.join !== 'miter') a.push(`stroke-linejoin="${it.join}"`);
  }
  if (it.op < 1) a.push(`opacity="${r2(it.op)}"`);
  if (!isIdentity(it.m)) a.push(`transform="matrix(${it.m.join(' ')})"`);
  return a.join(' ');
}

/** The scene as a standalone SVG document (presentation attributes only, no style attributes). */
export function toSvg(scene) {
  const out = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}" role="img" aria-labelledby="title desc">`);
  out.push(`<title id="title">${xml(scene.title)}</title>`);
  out.push(`<desc id="desc">${xml(scene.description || scene.title)}</desc>`);
  out.push(`<rect width="${scene.width}" height="${scene.height}" fill="${scene.background.hex}"/>`);
  for (const it of scene.items) {
    if (it.k === 'path') out.push(`<path d="${xml(it.d)}" ${paintAttrs(it)}/>`);
    else if (it.k === 'text') {
      const f = it.font;
      const font = `font-family="${xml(f.family)}" font-size="${num(f.size)}"${f.weight !== '400' && f.weight !== 'normal' ? ` font-weight="${xml(f.weight)}"` : ''}${f.style !== 'normal' ? ` font-style="${xml(f.style)}"` : ''}`;
      out.push(`<text x="${num(it.x)}" y="${num(it.y)}" ${font} ${paintAttrs(it)} xml:space="preserve">${xml(it.text)}</text>`);
    } else if (it.k === 'image') out.push(`<image x="${num(it.x)}" y="${num(it.y)}" width="${num(it.w)}" height="${num(it.h)}" href="${xml(it.href)}"/>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

const rgba = (c, op = 1) => {
  const n = parseInt(c.hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${r2(c.a * op * 1000) / 1000})`;
};

/** Draws the scene on a 2D context at `scale` device pixels per CSS pixel. */
export function draw(ctx, scene, scale = 2) {
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.fillStyle = rgba(scene.background);
  ctx.fillRect(0, 0, scene.width, scene.height);
  for (const it of scene.items) {
    const m = it.m ?? [1, 0, 0, 1, 0, 0];
    ctx.setTransform(scale * m[0], scale * m[1], scale * m[2], scale * m[3], scale * m[4], scale * m[5]);
    if (it.k === 'path') {
      const path = new Path2D(it.d);
      if (it.fill) {
        ctx.fillStyle = rgba(it.fill, it.op);
        ctx.fill(path, it.rule === 'evenodd' ? 'evenodd' : 'nonzero');
      }
      if (it.stroke && it.sw > 0) {
        ctx.strokeStyle = rgba(it.stroke, it.op);
        ctx.lineWidth = it.sw;
        ctx.setLineDash(it.dash ?? []);
        ctx.lineDashOffset = it.dashOffset ?? 0;
        ctx.lineCap = it.cap === 'round' || it.cap === 'square' ? it.cap : 'butt';
        ctx.lineJoin = it.join === 'round' || it.join === 'bevel' ? it.join : 'miter';
        ctx.stroke(path);
      }
    } else if (it.k === 'text') {
      ctx.font = fontString(it.font);
      ctx.textAlign = 'left';
      ctx.textBaseline = 'alphabetic';
      ctx.fillStyle = rgba(it.fill, it.op);
      ctx.fillText(it.text, it.x, it.y);
    } else if (it.k === 'image' && it.source) {
      try {
        ctx.drawImage(it.source, it.x, it.y, it.w, it.h);
      } catch { /* unreadable canvas */ }
    }
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

/** The scene as a PNG Blob at `scale` times its CSS size. */
export function toPngBlob(scene, scale = 2) {
  const canvas = document.createElement('canvas');
  const max = 16384;
  const s = Math.max(0.5, Math.min(scale, max / scene.width, max / scene.height));
  canvas.width = Math.ceil(scene.width * s);
  canvas.height = Math.ceil(scene.height * s);
  draw(canvas.getContext('2d'), scene, s);
  return new Promise((ok, fail) => canvas.toBlob((blob) => (blob ? ok(blob) : fail(new Error('the image could not be encoded'))), 'image/png'));
}
