/**
 * The one codec for a widget's state in an address, used by deep links (app/deeplink.js), the
 * one-widget frame (app/embed-frame.js) and the toolbar's Copy link / Embed this (share.js).
 * Pure: no DOM access apart from reading a widget element's attributes and currentValues().
 * Values are checked with each widget's own `static props` (props.js) and `static controls`.
 *
 * Two forms share the pair syntax, the value encoding and the checks:
 *   page:  #<id>.<prop>=<value>&<id>.<control>_hide=true     (every widget with an id on a page)
 *   frame: #widget=<name>&<prop>=<value>&hide=<control>,...   (embed.html, one widget)
 *
 * - A value is attribute text (serializeProp), URL-encoded with "," kept and a space written "+".
 * - An empty value removes an optional attribute (one whose default is null).
 * - "controls" hides every control group and "toolbar" the share buttons, besides a widget's own
 *   control names.
 * - Nothing is ever thrown: every pair that cannot be used (broken %-encoding, no "=", unknown
 *   widget, prop or control, a bad value, a key given twice, an address over MAX_HASH characters)
 *   is left out and described in `problems`, plain text to be shown with textContent only.
 *   listProblems (and noticeText) list a repeated problem once and cap how many are listed and how
 *   long each is.
 */
import { parseProp, serializeProp } from './props.js';

/** Longest hash (characters after "#") that is read at all. */
export const MAX_HASH = 4000;
/** How many problems a notice lists by name before "and N more". */
export const MAX_LISTED = 8;
/** Longest single problem in a notice, in characters. */
export const MAX_PROBLEM = 160;
/** Control names every widget accepts in `hide` besides its own `static controls`. */
export const GLOBAL_CONTROLS = ['controls', 'toolbar'];

/** Value text for a hash: URL-encoded, but "," stays and a space becomes "+" (readable links). */
export function encodeValue(text) {
  return encodeURIComponent(text).replace(/%2C/gi, ',').replace(/%20/g, '+');
}

/** The inverse of encodeValue; throws URIError on a broken %-escape. */
export function decodeValue(text) {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/** Shortens text for a message. */
export function clip(text, n = 40) {
  const s = String(text);
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/**
 * An attribute's text as the widget would read it, normalised (parse, then serialise): null when
 * it is absent and the prop has no default, the default's text when it is absent or invalid.
 */
export function normalText(decl, raw) {
  const r = parseProp(decl, raw);
  const value = r.error ? decl.default : r.value;
  return value === null || value === undefined ? null : serializeProp(decl, value);
}

/** The control names a widget class accepts in `hide`, in a stable order. */
export function hideNames(controls = []) {
  return [...controls, ...GLOBAL_CONTROLS.filter((c) => !controls.includes(c))];
}

/** The hidden control names of a `hide` attribute value, as a Set. */
export function parseHide(text) {
  return new Set(String(text ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

/** True when a hash (without "#") is meant as widget state rather than an in-page anchor. */
export function isStateHash(hash) {
  return hash.includes('=');
}

/**
 * One value for prop `decl` from an address: { text } (normalised attribute text, null = remove
 * an optional attribute) or { error } naming the prop and the allowed values.
 */
export function readValue(decl, raw) {
  if (raw.trim() === '') return decl.default === null || decl.default === undefined ? { text: null } : { error: `${decl.name}: needs a value` };
  const r = parseProp(decl, raw);
  return r.error ? { error: r.error } : { text: serializeProp(decl, r.value) };
}

/**
 * Splits the text of a hash (without "#") into decoded [key, raw] pairs (raw null when there is
 * no "="); a pair with broken %-encoding is left out and described in `problems`.
 */
function splitPairs(text, problems) {
  const pairs = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    try {
      pairs.push([decodeValue(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? null : decodeValue(part.slice(eq + 1))]);
    } catch {
      problems.push(`"${clip(part)}" has broken %-encoding`);
    }
  }
  return pairs;
}

function tooLong(text, what) {
  return `${what} ${text.length} characters long (at most ${MAX_HASH} are read), so none were used`;
}

/**
 * Parses a page hash (with or without "#") against the widgets on a page.
 * `lookup(id)` returns { props, controls } for a widget id, or null when there is no such widget.
 * Returns {
 *   kind: 'empty' | 'anchor' | 'state',
 *   entries: Map(id -> { props: Map(name -> text|null), hide: Map(control -> boolean), raw: Map(key -> raw value) }),
 *   problems: [plain-text messages],
 * }.
 */
export function parseHash(hash, lookup) {
  const entries = new Map();
  const problems = [];
  const text = String(hash ?? '').replace(/^#/, '');
  if (text === '') return { kind: 'empty', entries, problems };
  if (text.length > MAX_HASH) return { kind: 'state', entries, problems: [tooLong(text, 'the link\'s settings are')] };
  if (!isStateHash(text)) {
    try {
      decodeValue(text);
      return { kind: 'anchor', entries, problems };
    } catch {
      return { kind: 'state', entries, problems: [`"${clip(text)}" is not a valid link (broken %-encoding)`] };
    }
  }
  const seen = new Set();
  for (const [key, raw] of splitPairs(text, problems)) {
    if (raw === null) {
      problems.push(`"${clip(key)}" has no value (write widget.setting=value)`);
      continue;
    }
    const dot = key.lastIndexOf('.');
    if (dot <= 0 || dot === key.length - 1) {
      problems.push(`"${clip(key)}" is not of the form widget.setting`);
      continue;
    }
    const id = key.slice(0, dot), name = key.slice(dot + 1);
    const widget = lookup(id);
    if (!widget) {
      problems.push(`${clip(key)}: there is no widget "${clip(id, 30)}" on this page`);
      continue;
    }
    if (seen.has(key)) {
      problems.push(`${clip(key)}: given more than once; the first value was used`);
      continue;
    }
    seen.add(key);
    if (!entries.has(id)) entries.set(id, { props: new Map(), hide: new Map(), raw: new Map() });
    const entry = entries.get(id);
    if (name.endsWith('_hide')) {
      const control = name.slice(0, -'_hide'.length);
      const allowed = hideNames(widget.controls);
      const v = raw.trim();
      if (!allowed.includes(control)) problems.push(`${clip(key)}: this widget has no control "${clip(control, 30)}" (it has ${allowed.join(', ')})`);
      else if (v !== 'true' && v !== 'false') problems.push(`${clip(key)}: "${clip(raw)}" must be true or false`);
      else {
        entry.hide.set(control, v === 'true');
        entry.raw.set(key, raw);
      }
      continue;
    }
    const decl = widget.props.find((d) => d.name === name);
    if (!decl) {
      problems.push(`${clip(key)}: this widget has no setting "${clip(name, 30)}"`);
      continue;
    }
    const r = readValue(decl, raw);
    if (r.error) {
      problems.push(`${clip(id, 30)}.${r.error}`);
      continue;
    }
    entry.props.set(name, r.text);
    entry.raw.set(key, raw);
  }
  return { kind: 'state', entries, problems };
}

/**
 * Writes a page hash (without "#") for a list of widget states, in the given order:
 *   [{ id, props, controls, baseline: {name: text|null}, current: {name: text|null},
 *      baseHide: Set, hide: Set }]
 * Only props whose current text differs from the baseline are written, then the `_hide` keys whose
 * state differs from the baseline's.
 */
export function serializeHash(states) {
  const parts = [];
  for (const s of states) {
    const id = encodeValue(s.id);
    for (const decl of s.props) {
      const now = s.current[decl.name] ?? null, was = s.baseline[decl.name] ?? null;
      if (now === was) continue;
      parts.push(`${id}.${decl.name}=${now === null ? '' : encodeValue(now)}`);
    }
    for (const c of hideNames(s.controls)) {
      const now = s.hide?.has(c) ?? false, was = s.baseHide?.has(c) ?? false;
      if (now !== was) parts.push(`${id}.${c}_hide=${now}`);
    }
  }
  return parts.join('&');
}

/**
 * Parses a frame hash (`widget=NAME&prop=value&hide=a,b`) against `registry`, a list of widget
 * classes ({ tag, props, controls }). NAME is the tag with or without "attn-".
 * Returns { W: the class or null, attrs: [[name, text]] (attributes to set, normalised), problems }.
 */
export function parseFrameHash(hash, registry) {
  const problems = [];
  const attrs = [];
  const text = String(hash ?? '').replace(/^#/, '');
  if (text.length > MAX_HASH) return { W: null, attrs, problems: [tooLong(text, 'the address is')] };
  const pairs = splitPairs(text, problems).map(([k, v]) => [k.trim(), v]);
  const name = pairs.find(([k]) => k === 'widget')?.[1]?.trim().toLowerCase() ?? '';
  const W = (name && registry.find((w) => w.tag === `attn-${name}` || w.tag === name)) || null;
  if (!W) {
    problems.unshift(name ? `there is no widget "${clip(name, 30)}"` : 'the address names no widget (add #widget=NAME)');
    return { W, attrs, problems };
  }
  const seen = new Set();
  for (const [key, raw] of pairs) {
    if (seen.has(key)) {
      problems.push(`${clip(key, 30)}: given more than once; the first value was used`);
      continue;
    }
    seen.add(key);
    if (key === 'widget') continue;
    if (raw === null) {
      problems.push(`"${clip(key, 30)}" has no value (write name=value)`);
      continue;
    }
    if (key === 'hide') {
      const allowed = hideNames(W.controls);
      const names = [...parseHide(raw)];
      const bad = names.filter((n) => !allowed.includes(n));
      if (bad.length) problems.push(`hide: this widget has no control ${bad.slice(0, 3).map((b) => `"${clip(b, 20)}"`).join(', ')}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''} (it has ${allowed.join(', ')})`);
      const good = names.filter((n) => allowed.includes(n));
      if (good.length) attrs.push(['hide', good.join(',')]);
      continue;
    }
    const decl = (W.props ?? []).find((d) => d.name === key);
    if (!decl) {
      problems.push(`${clip(key, 30)}: ${W.tag} has no attribute of that name`);
      continue;
    }
    const r = readValue(decl, raw);
    if (r.error) problems.push(r.error);
    else if (r.text !== null) attrs.push([key, r.text]);
  }
  return { W, attrs, problems };
}

/** Writes a frame hash (without "#"): the widget's short name, then [name, text] attributes. */
export function serializeFrameHash(short, attrs) {
  return [`widget=${encodeValue(short)}`, ...attrs.map(([k, v]) => `${encodeValue(k)}=${encodeValue(v)}`)].join('&');
}

/** The live state of a widget element as attribute text per prop (null = absent). */
export function liveText(el, props) {
  let values = null;
  if (el.ready && typeof el.currentValues === 'function') {
    try {
      values = el.currentValues();
    } catch {
      values = null;
    }
  }
  const out = {};
  for (const d of props) {
    if (values) {
      const v = values[d.name];
      if (v === null || v === undefined) out[d.name] = null;
      else {
        try {
          out[d.name] = normalText(d, serializeProp(d, v));
        } catch {
          out[d.name] = normalText(d, el.getAttribute(d.name));
        }
      }
    } else out[d.name] = normalText(d, el.getAttribute(d.name));
  }
  return out;
}

/**
 * A widget's live state as [name, text] attribute pairs, leaving out props at their default (a
 * snippet stays short and still reproduces the state exactly); `hide` is kept when set. Values
 * the attribute cannot express (e.g. a score dragged beyond the attribute's range) are left out
 * and their names pushed onto `dropped`.
 */
export function stateAttributes(w, dropped = []) {
  const W = w.constructor;
  let values = {};
  try {
    values = w.currentValues?.() ?? w.values ?? {};
  } catch {
    values = w.values ?? {};
  }
  const out = [];
  for (const d of W.props ?? []) {
    const v = values[d.name];
    if (v === null || v === undefined) continue;
    let text;
    try {
      text = serializeProp(d, v);
    } catch {
      continue;
    }
    if (parseProp(d, text).error) {
      dropped.push(d.name); // never write something the widget would refuse
      continue;
    }
    const def = d.default === null || d.default === undefined ? null : serializeProp(d, d.default);
    if (text !== def) out.push([d.name, text]);
  }
  const hide = [...parseHide(w.getAttribute('hide'))];
  if (hide.length) out.push(['hide', hide.join(',')]);
  return out;
}

/** The page hash (without "#") reproducing one widget: every prop that has a value, and its hides. */
export function widgetHash(w) {
  const W = w.constructor, props = Array.isArray(W?.props) ? W.props : [];
  return serializeHash([{ id: w.id, props, controls: Array.isArray(W?.controls) ? W.controls : [], baseline: {}, baseHide: new Set(),
    current: liveText(w, props), hide: parseHide(w.getAttribute('hide')) }]);
}

/**
 * Problems as one capped piece of text: the same problem given several times is listed once with
 * "(N times)"; at most MAX_LISTED distinct problems, each cut to MAX_PROBLEM characters, joined
 * with "; " and followed by "; and N more" when some were left out ('' for none).
 */
export function listProblems(problems) {
  if (!problems.length) return '';
  const counts = new Map();
  for (const p of problems) counts.set(p, (counts.get(p) ?? 0) + 1);
  const distinct = [...counts];
  const listed = distinct.slice(0, MAX_LISTED).map(([p, n]) => `${clip(p, MAX_PROBLEM)}${n > 1 ? ` (${n} times)` : ''}`);
  const more = distinct.length - listed.length;
  return `${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/** The page notice for a list of problems (plain text), or '' when there are none. */
export function noticeText(problems) {
  if (!problems.length) return '';
  return `This link had settings that could not be used, so the widgets keep their usual values for them: ${listProblems(problems)}.`;
}
