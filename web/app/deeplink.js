/**
 * Deep links: every widget's state lives in the page URL's hash, both ways, through one declarative
 * schema — each widget's own `static props` (and `static controls` for the `_hide` keys).
 *
 *   #<widget id>.<prop>=<value>&<widget id>.<control>_hide=true&...
 *   e.g. #soft.temperature=0.5&scores.selected=1,3&scores.scaled=true&scores.byhand_hide=true
 *
 * - Values are attribute text (serializeProp), URL-encoded, with "," kept and a space written "+".
 * - Only values that differ from the page's own attributes are written (short links), in a stable
 *   order: widgets in page order, props in declaration order, then the `_hide` keys.
 * - An empty value (`lookup.query=`) removes an optional attribute (one whose default is null).
 * - `<control>_hide=true|false` maps to the widget's `hide` attribute ("controls" hides every
 *   control group, "toolbar" the share buttons).
 * - On load (and on `hashchange`) every pair is validated with parseProp against the widget's
 *   declaration; valid ones become attributes, everything else (unknown widget or prop, bad value,
 *   garbled encoding, a hash over 4000 characters) is left out and listed in one plain-text notice
 *   (role=status) at the top of the page. A value a widget cannot use in its situation (head 3 of
 *   2, a cell outside the matrix) is listed too, once the widget has started. Nothing here throws.
 * - On every widget `change` the hash is rewritten with history.replaceState (no history entry).
 * - A hash without "=" is an ordinary in-page anchor and is left alone.
 *
 * The parsing and writing functions are pure (no DOM) and exported for the node tests.
 */
import { parseProp, serializeProp } from '../widgets/props.js';

/** Longest hash (characters after "#") that is read at all. */
export const MAX_HASH = 4000;
/** How many problems the notice lists by name before "and N more". */
const MAX_LISTED = 8;
/** Control names every widget accepts in `hide` besides its own `static controls`. */
export const GLOBAL_CONTROLS = ['controls', 'toolbar'];

/** Value text for the hash: URL-encoded, but "," stays and a space becomes "+" (readable links). */
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
 * Parses a hash (with or without the leading "#") against the widgets on a page.
 * `lookup(id)` returns { props, controls } for a widget id, or null when there is no such widget.
 * Returns {
 *   kind: 'empty' | 'anchor' | 'state',
 *   entries: Map(id -> { props: Map(name -> text|null), hide: Map(control -> boolean), raw: Map(key -> raw value) }),
 *   problems: [plain-text messages],
 * }. Never throws.
 */
export function parseHash(hash, lookup) {
  const entries = new Map();
  const problems = [];
  const text = String(hash ?? '').replace(/^#/, '');
  if (text === '') return { kind: 'empty', entries, problems };
  if (text.length > MAX_HASH) {
    problems.push(`the link's settings are ${text.length} characters long (at most ${MAX_HASH} are read), so none were used`);
    return { kind: 'state', entries, problems };
  }
  if (!isStateHash(text)) {
    try {
      decodeValue(text);
      return { kind: 'anchor', entries, problems };
    } catch {
      problems.push(`"${clip(text)}" is not a valid link (broken %-encoding)`);
      return { kind: 'state', entries, problems };
    }
  }
  const seen = new Set();
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let key, raw;
    try {
      key = decodeValue(eq < 0 ? part : part.slice(0, eq));
      raw = eq < 0 ? null : decodeValue(part.slice(eq + 1));
    } catch {
      problems.push(`"${clip(part)}" has broken %-encoding`);
      continue;
    }
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
      if (!allowed.includes(control)) {
        problems.push(`${clip(key)}: this widget has no control "${clip(control, 30)}" (it has ${allowed.join(', ')})`);
        continue;
      }
      const v = raw.trim();
      if (v !== 'true' && v !== 'false') {
        problems.push(`${clip(key)}: "${clip(raw)}" must be true or false`);
        continue;
      }
      entry.hide.set(control, v === 'true');
      entry.raw.set(key, raw);
      continue;
    }
    const decl = widget.props.find((d) => d.name === name);
    if (!decl) {
      problems.push(`${clip(key)}: this widget has no setting "${clip(name, 30)}"`);
      continue;
    }
    if (raw.trim() === '') {
      if (decl.default === null || decl.default === undefined) {
        entry.props.set(name, null);
        entry.raw.set(key, raw);
      } else problems.push(`${clip(key)}: needs a value`);
      continue;
    }
    const r = parseProp(decl, raw);
    if (r.error) {
      problems.push(`${clip(id, 30)}.${r.error}`);
      continue;
    }
    entry.props.set(name, serializeProp(decl, r.value));
    entry.raw.set(key, raw);
  }
  return { kind: 'state', entries, problems };
}

/**
 * Writes the hash (without "#") for a list of widget states, in the given order:
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

/** The notice text for a list of problems (plain text), or '' when there are none. */
export function noticeText(problems) {
  if (!problems.length) return '';
  const listed = problems.slice(0, MAX_LISTED);
  const more = problems.length - listed.length;
  return `This link had settings that could not be used, so the widgets keep their usual values for them: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`;
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

const started = new WeakMap();

/**
 * The hash (without "#") that reproduces one widget: only what differs from the page's own
 * attributes when deep links run on its page, else every prop that has a value.
 */
export function hashForWidget(el) {
  const ctrl = started.get(el.ownerDocument) ?? started.get(el.getRootNode?.());
  const own = ctrl?.stateOf(el);
  if (own) return serializeHash([own]);
  const W = el.constructor, props = Array.isArray(W?.props) ? W.props : [];
  const controls = Array.isArray(W?.controls) ? W.controls : [];
  return serializeHash([{ id: el.id, props, controls, baseline: {}, baseHide: new Set(), current: liveText(el, props),
    hide: parseHide(el.getAttribute('hide')) }]);
}

/**
 * Starts deep links for the widgets (elements named attn-* with an id) under `root`. Returns a
 * controller { hash(), stateOf(el), apply(), stop(), ready }; calling it again for the same root
 * returns the same one.
 */
export function startDeepLinks(root = document) {
  if (started.has(root)) return started.get(root);
  const doc = root.ownerDocument ?? root;
  const win = doc.defaultView ?? globalThis;
  const widgets = new Map(); // id -> { el, props, controls, baseline, baseHide }
  const order = [...root.querySelectorAll('[id]')].filter((n) => n.localName.startsWith('attn-'));
  let problems = [];
  let late = []; // values a widget could not use, found once it started
  let noticeEl = null;
  let generation = 0; // bumped by every apply, so a widget that starts late reports only against the latest link

  const lookup = (id) => {
    const w = widgets.get(id);
    return w ? { props: w.props, controls: w.controls } : null;
  };

  function showNotice() {
    const text = noticeText([...problems, ...late]);
    if (!text) {
      if (noticeEl) noticeEl.hidden = true;
      return;
    }
    if (!noticeEl) {
      noticeEl = doc.createElement('p');
      noticeEl.id = 'deeplink-notice';
      noticeEl.className = 'notice deeplink-notice';
      noticeEl.setAttribute('role', 'status');
      const host = doc.getElementById('main') ?? doc.body;
      const after = host.querySelector(':scope > #progress-notice');
      if (after) after.after(noticeEl);
      else host.prepend(noticeEl);
    }
    noticeEl.textContent = text;
    noticeEl.hidden = false;
  }

  /** What a widget should show for its part of a parsed hash: { want: name -> text|null, hide: Set }. */
  function wanted(w, e) {
    const want = { ...w.baseline };
    const hide = new Set(w.baseHide);
    if (e) {
      for (const [name, text] of e.props) want[name] = text;
      for (const [c, on] of e.hide) (on ? hide.add(c) : hide.delete(c));
    }
    return { want, hide };
  }

  /** Sets a widget's attributes (compared as normalised text) and its hide list to `want` / `hide`. */
  function setAttributes(w, { want, hide }) {
    const { el } = w;
    const differing = w.props.filter((d) => normalText(d, el.getAttribute(d.name)) !== want[d.name]);
    const live = liveText(el, w.props);
    const liveDiffers = w.props.some((d) => live[d.name] !== want[d.name]);
    for (const d of differing) {
      if (want[d.name] === null) el.removeAttribute(d.name);
      else el.setAttribute(d.name, want[d.name]);
    }
    if (!differing.length && liveDiffers) {
      // the attributes already say this but the learner has moved on: make the widget re-read them
      const d = w.props.find((p) => el.hasAttribute(p.name)) ?? w.props.find((p) => want[p.name] !== null);
      if (d) el.setAttribute(d.name, el.getAttribute(d.name) ?? want[d.name]);
    }
    const names = hideNames(w.controls);
    const kept = [...parseHide(el.getAttribute('hide'))].filter((c) => !names.includes(c)); // names we do not manage
    const full = [...kept, ...names.filter((c) => hide.has(c))].join(',');
    if ((el.getAttribute('hide') ?? '') !== full) {
      if (full) el.setAttribute('hide', full);
      else el.removeAttribute('hide');
    }
  }

  /** After a widget has started, lists the linked values it could not use. */
  function verify(w, applied) {
    const gen = generation;
    const check = () => {
      if (gen !== generation) return;
      const live = liveText(w.el, w.props);
      for (const [name, text] of applied) {
        if (live[name] === text) continue;
        late.push(`${clip(w.el.id, 30)}.${name}=${clip(text ?? '')}: not possible here, showing ${live[name] === null ? 'the default' : clip(live[name])}`);
      }
      showNotice();
    };
    if (w.el.ready) check();
    else w.el.addEventListener('ready', check, { once: true });
  }

  /** Applies the current hash; `initial` for the first time (page load). */
  function apply(initial = false) {
    generation++;
    try {
      const parsed = parseHash(win.location.hash, lookup);
      // a plain anchor (#section) keeps whatever the widgets show; an empty hash after load means defaults
      if (parsed.kind === 'anchor' || (parsed.kind === 'empty' && initial)) {
        problems = [];
        late = [];
        showNotice();
        return parsed;
      }
      problems = parsed.problems;
      late = [];
      for (const [id, w] of widgets) {
        const e = parsed.entries.get(id);
        setAttributes(w, wanted(w, e));
        if (e && e.props.size) verify(w, e.props);
      }
      showNotice();
      return parsed;
    } catch (err) {
      // never break the page over a link
      problems = [`the link could not be read (${clip(err?.message ?? err, 80)})`];
      showNotice();
      return null;
    }
  }

  /** Applies the current hash to one widget that was defined late (its problems join the notice). */
  function applyOne(id) {
    try {
      const parsed = parseHash(win.location.hash, lookup);
      const w = widgets.get(id), e = parsed.entries.get(id);
      if (!w || !e || parsed.kind !== 'state') return;
      setAttributes(w, wanted(w, e));
      problems = parsed.problems;
      if (e.props.size) verify(w, e.props);
      showNotice();
    } catch {
      // never break the page over a link
    }
  }

  /** One registered widget's state for serializeHash, or null when it is not one of ours. */
  function stateOf(el) {
    const w = widgets.get(el.id);
    if (!w || w.el !== el) return null;
    return { id: el.id, props: w.props, controls: w.controls, baseline: w.baseline, baseHide: w.baseHide,
      current: liveText(el, w.props), hide: parseHide(el.getAttribute('hide')) };
  }

  /** The hash for the widgets' current state (without "#"). */
  function hash() {
    return serializeHash(order.map(stateOf).filter(Boolean));
  }

  function write() {
    try {
      const h = hash();
      const url = `${win.location.pathname}${win.location.search}${h ? `#${h}` : ''}`;
      if (`${win.location.pathname}${win.location.search}${win.location.hash}` !== url) win.history.replaceState(win.history.state, '', url);
    } catch {
      // a sandboxed frame may refuse replaceState: the widgets keep working
    }
  }

  const onChange = (e) => {
    const el = e.target;
    if (el && widgets.get(el.id)?.el === el) write();
  };
  const onHash = () => apply(false);

  /** Registers a widget once its class is defined: baseline = the page's own attributes. */
  function register(el, ctor) {
    if (!Array.isArray(ctor?.props) || widgets.has(el.id)) return;
    const props = ctor.props, controls = Array.isArray(ctor.controls) ? ctor.controls : [];
    const baseline = Object.fromEntries(props.map((d) => [d.name, normalText(d, el.getAttribute(d.name))]));
    widgets.set(el.id, { el, props, controls, baseline, baseHide: parseHide(el.getAttribute('hide')) });
  }

  const controller = {
    hash,
    stateOf,
    apply: () => apply(false),
    stop() {
      root.removeEventListener('change', onChange);
      win.removeEventListener('hashchange', onHash);
      started.delete(root);
    },
    /** Resolves once every widget on the page is registered and the hash was applied. */
    ready: null,
  };
  started.set(root, controller);
  root.addEventListener('change', onChange);
  win.addEventListener('hashchange', onHash);

  // Widgets register as their classes are defined (lesson.js defines them separately); the hash is
  // applied once every widget on the page is known (so attributes are set as they start), or after
  // a few seconds if some never are; a widget defined later still gets its part of the link.
  let initialDone = false;
  const initial = () => {
    if (initialDone) return;
    initialDone = true;
    const parsed = apply(true);
    // A shared link (not a reload or back/forward) scrolls to the first linked widget.
    const nav = win.performance?.getEntriesByType?.('navigation')?.[0]?.type ?? 'navigate';
    const first = parsed?.entries.keys().next().value;
    if (parsed?.kind === 'state' && !parsed.problems.length && nav === 'navigate' && first && widgets.has(first))
      widgets.get(first).el.scrollIntoView({ block: 'start' });
  };
  const defined = order.map((el) => {
    const get = () => win.customElements?.get(el.localName);
    if (get()) return Promise.resolve(register(el, get()));
    if (!win.customElements) return Promise.resolve();
    return win.customElements.whenDefined(el.localName).then(() => {
      register(el, get());
      if (initialDone) applyOne(el.id);
    }, () => {});
  });
  controller.ready = Promise.race([Promise.all(defined), new Promise((ok) => win.setTimeout(ok, 5000))]).then(initial);
  return controller;
}
