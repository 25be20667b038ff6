/**
 * WidgetBase: what every course widget shares.
 *
 * - Attributes in: each subclass declares `static props` (see props.js); attributes are parsed and
 *   validated from that table, and bad ones become a short inline notice while defaults render.
 * - DOM events out: subclasses call `emit('change', detail)` on a committed state change.
 * - Shadow DOM with the shared stylesheet linked (no inline styles, so a strict CSP works and
 *   host-page CSS cannot reach in).
 * - The engine loads lazily, when the widget first nears the viewport: the light steps module when
 *   the page holds only widgets that need no more (engine-choice.js), else the core.
 * - State out and back in: `currentValues()` reports the live state in the terms of `static props`
 *   (what a deep link or an embed snippet needs to reproduce the view) and `applyValues()` sets it.
 * - `hide="a,b"` hides the named `static controls` ("controls" hides all, "toolbar" the share and
 *   save buttons); every control group in the shadow DOM carries `data-control="name"`.
 */
import { parseProps, serializeProp } from './props.js';
import { loadEngine, loadSteps } from '../core/engine.js';
import { STEPS_TAGS, needsCore } from './engine-choice.js';
import { el } from './dom.js';

export { el, fmt, svg } from './dom.js';

const Base = globalThis.HTMLElement ?? class {};
const STYLESHEET = new URL('./widgets.css', import.meta.url).href;

export class WidgetBase extends Base {
  static props = [];
  /**
   * Checks quiz questions can ask of the widget's live state ("make key 2 win"):
   *   { name: { description, args: [prop declarations], run(widget, args) -> { correct, message } } }
   * The lesson validator checks that a question names a declared check with valid args.
   */
  static checks = {};
  /** Extra stylesheets (file names next to this module) linked after widgets.css. */
  static styles = [];
  /** Names of the control groups (elements with data-control="name") that `hide` can hide. */
  static controls = [];

  static get observedAttributes() {
    return [...this.props.map((p) => p.name), 'hide'];
  }

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    const links = [STYLESHEET, ...this.constructor.styles.map((f) => new URL(`./${f}`, import.meta.url).href)].map((href) =>
      el('link', { rel: 'stylesheet', href }));
    this.notice = el('p', { class: 'notice', role: 'status', hidden: '' });
    this.noticeText = ''; // what setNotice last wrote (the notice starts hidden and empty)
    this.body = el('div', { class: 'widget-body' }, el('p', { class: 'loading' }, 'Loading the attention engine…'));
    this.toolbar = el('div', { class: 'toolbar', 'data-control': 'toolbar', role: 'group', 'aria-label': 'Share and save' },
      ...[['copyLink', 'Copy link'], ['embedSnippet', 'Embed this'], ['savePng', 'Save PNG'], ['saveSvg', 'Save SVG']].map(([action, label]) => {
        const b = el('button', { type: 'button', class: 'tool', 'data-action': action }, label);
        b.addEventListener('click', () => this.share(action));
        return b;
      }));
    this.toolStatus = el('span', { class: 'tool-status', role: 'status' });
    this.toolbar.append(this.toolStatus);
    // A frame that resets inherited text styles, so a host page's CSS (e.g. * { font-size: 40px })
    // cannot reach the widget's contents through the host element.
    this.frame = el('div', { class: 'frame' }, this.notice, this.body, this.toolbar);
    this.toolbar.hidden = true;
    this.root.append(...links, this.frame);
    this.engine = null;
    this.values = {};
    this.ready = false;
  }

  connectedCallback() {
    this.readProps();
    if (this.engine || this._waiting) return;
    this._waiting = true;
    const start = () => {
      // The light steps module where this widget needs no more and neither does any other widget on
      // the page (once the core is loading, loadSteps() hands out the core: never both for nothing).
      const light = STEPS_TAGS.has(this.localName) && !needsCore(this.ownerDocument);
      (light ? loadSteps() : loadEngine()).then(
        (engine) => {
          this.engine = engine;
          this.setup();
          // update() may be async (widgets that load the course model first): `ready` means drawn.
          Promise.resolve(this.update()).then(() => {
            this.applyHide();
            this.ready = true;
            this.emit('ready', {});
          });
        },
        (err) => this.showFatal(`The attention engine could not load: ${err.message}`),
      );
    };
    if (typeof IntersectionObserver === 'undefined') return start();
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        io.disconnect();
        start();
      }
    }, { rootMargin: '400px' });
    io.observe(this);
  }

  attributeChangedCallback(name) {
    if (!this.isConnected) return;
    if (name === 'hide') return this.applyHide();
    this.readProps();
    if (this.engine) {
      this.update();
      this.applyHide();
    }
  }

  /** The hidden control names from the `hide` attribute. */
  hiddenControls() {
    return new Set((this.getAttribute('hide') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  }

  /** Hides the control groups named in `hide` (re-applied after every redraw). */
  applyHide() {
    if (!this.engine) return; // nothing is drawn yet; the toolbar stays hidden until the widget works
    const hide = this.hiddenControls();
    for (const node of this.root.querySelectorAll('[data-control]')) {
      const name = node.dataset.control;
      node.hidden = hide.has(name) || (name !== 'toolbar' && hide.has('controls'));
    }
  }

  /**
   * The live state in the terms of `static props` (attribute name -> parsed value). The default is
   * the attributes; widgets whose state moves (a dragged arrow, a selected cell) override it.
   */
  currentValues() {
    return { ...this.values };
  }

  /** The live state as attribute text: { name: "value" } for every declared prop. */
  currentAttributes() {
    const values = this.currentValues();
    return Object.fromEntries(this.constructor.props.filter((d) => values[d.name] != null).map((d) => [d.name, serializeProp(d, values[d.name])]));
  }

  /** Sets state from { name: value } (parsed values, as currentValues returns them). */
  applyValues(values) {
    for (const d of this.constructor.props) {
      if (!Object.hasOwn(values, d.name)) continue;
      if (values[d.name] == null) this.removeAttribute(d.name); // optional prop back to its default
      else this.setAttribute(d.name, serializeProp(d, values[d.name]));
    }
  }

  /** Runs a toolbar action from share.js (copy link, embed snippet, PNG, SVG), loaded on first use. */
  async share(action) {
    this.runPendingFrames();
    try {
      const mod = await import('./share.js');
      this.toolStatus.textContent = (await mod[action](this)) ?? '';
    } catch (err) {
      this.toolStatus.textContent = `Could not ${action === 'copyLink' ? 'copy the link' : 'do that'}: ${err.message}`;
    }
  }

  /** Parses every declared attribute; invalid ones fall back to defaults and are listed in the notice. */
  readProps() {
    const { values, errors } = parseProps(this.constructor.props, (name) => this.getAttribute(name));
    this.values = values;
    this.propErrors = errors;
    this.setNotice(errors);
  }

  /**
   * Shows plain-text messages (never HTML) above the widget, or hides the notice when empty. Widgets
   * call it on every update: the notice (a live region) is written only when its text changes, so an
   * unchanged notice costs nothing and is not announced again.
   */
  setNotice(messages) {
    const text = messages.length ? `Using defaults where needed — ${messages.join('; ')}` : '';
    if (text === this.noticeText) return;
    this.noticeText = text;
    this.notice.hidden = !text;
    this.notice.textContent = text;
  }

  showFatal(message) {
    this.body.replaceChildren(el('p', { class: 'notice', role: 'alert' }, message));
  }

  /**
   * Grades the widget's current state for a quiz question: returns { correct, message } where
   * message is plain text saying what was graded. Unknown checks or bad args are not correct.
   */
  check(name, args = {}) {
    this.runPendingFrames();
    const c = this.constructor.checks[name];
    if (!c) return { correct: false, message: `This widget has no check "${name}".` };
    const { values, errors } = parseProps(c.args, (k) => (args[k] === undefined ? null : String(args[k])));
    if (errors.length) return { correct: false, message: errors.join('; ') };
    return c.run(this, values);
  }

  /**
   * Runs fn in the next animation frame, once however many times the same job was asked for before
   * it ran: input can come faster than frames (a held arrow key, a drag, a select arrowed through),
   * and a widget redraws once per frame. Each widget's pending frames are its own.
   */
  inNextFrame(job, fn) {
    const frames = (this._frames ??= new Map());
    if (frames.has(job)) return;
    const raf = globalThis.requestAnimationFrame ?? ((f) => setTimeout(f, 16));
    const run = () => {
      frames.delete(job);
      fn();
    };
    frames.set(job, { id: raf(run), run });
  }

  /**
   * Runs now every job still waiting for its frame: a quiz check and Save PNG/SVG read what is drawn,
   * and one pressed in the frame of a change would otherwise read the previous drawing.
   */
  runPendingFrames() {
    for (const [job, { run }] of [...(this._frames ?? [])]) {
      this.cancelFrame(job);
      run();
    }
  }

  /** Drops a job asked for with inNextFrame that has not run yet (e.g. the widget redrew at once instead). */
  cancelFrame(job) {
    const pending = this._frames?.get(job);
    if (pending === undefined) return;
    (globalThis.cancelAnimationFrame ?? clearTimeout)(pending.id);
    this._frames.delete(job);
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /** Build the widget's DOM once the engine is ready. */
  setup() {}

  /** Recompute through the engine and redraw from this.values (may return a promise that settles once drawn). */
  update() {}
}
