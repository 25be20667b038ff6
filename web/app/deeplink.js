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
 * - After a widget `change` the hash is rewritten with history.replaceState (no history entry), once
 *   per burst of changes, after the frame that shows them.
 * - A hash without "=" is an ordinary in-page anchor and is left alone.
 *
 * Parsing and writing live in the shared state codec (widgets/state-codec.js); this module is the
 * page's controller.
 */
import {
  clip, hideNames, liveText, noticeText, normalText, parseHash, parseHide, serializeHash, widgetHash,
} from '../widgets/state-codec.js';

const started = new WeakMap();

/**
 * The hash (without "#") that reproduces one widget: only what differs from the page's own
 * attributes when deep links run on its page, else every prop that has a value.
 */
export function hashForWidget(el) {
  const ctrl = started.get(el.ownerDocument) ?? started.get(el.getRootNode?.());
  const own = ctrl?.stateOf(el);
  return own ? serializeHash([own]) : widgetHash(el);
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

  // The hash is written after the frame that shows the change, once per burst of changes: reading
  // every widget's state and replaceState cost 1-8 ms per input (lesson 11: 96 ms over 12 inputs),
  // and inside the input's handler that delayed the widget's own redraw. A page hidden first
  // (navigation, tab switch) writes at once.
  let pending = 0;
  const flush = () => {
    if (!pending) return;
    pending = 0;
    write();
  };
  const onChange = (e) => {
    const el = e.target;
    if (!el || widgets.get(el.id)?.el !== el || pending) return;
    pending = 1;
    const later = () => win.setTimeout(flush, 0);
    if (typeof win.requestAnimationFrame === 'function') win.requestAnimationFrame(later);
    else later();
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
      win.removeEventListener('pagehide', flush);
      started.delete(root);
    },
    /** Resolves once every widget on the page is registered and the hash was applied. */
    ready: null,
  };
  started.set(root, controller);
  root.addEventListener('change', onChange);
  win.addEventListener('hashchange', onHash);
  win.addEventListener('pagehide', flush);

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
