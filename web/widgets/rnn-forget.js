/**
 * <attn-rnn-forget>: lesson 1's widget. A seeded vanilla tanh RNN, run by the core
 * (engine.rnnDemo), reads a "sentence" of `length` random input vectors. The widget plots how much
 * each input can still move the final state (influence[t] = ||dh_n/dx_t||, computed by the core)
 * against its distance from the end, on a log scale, and shows the fixed-size final state h_n
 * (n = sentence length: lesson 1 says n, because T is the softmax temperature in lessons 2 and 4).
 *
 * Attributes (declared in `props` below): length, gain, hidden-size, seed, token.
 * The learner drives two range inputs (sentence length, recurrent gain) and can inspect any token
 * on the chart (pointer, or arrow keys on the focused chart). A table view lists every influence.
 * Events: `input` while a slider moves, `change` on every committed change, with detail
 * { length, gain, token, ratio, factor } (ratio = influence of token 1 / influence of the last token);
 * inspecting a token (click, tap or arrow keys on the chart) is a committed change too.
 * Controls `hide` can hide: length, gain (the two sliders).
 * Every number comes from engine.rnnDemo(); this file only divides two of them for the readout
 * and turns values into pixels.
 */
import { WidgetBase, el, fmt, svg } from './base.js';
import { setAttrs, setText } from './dom.js';

const FLOOR = 1e-30; // influences below this (float32 underflows to 0 soon after) clamp to the axis floor
// One formatter for every thousands separator: toLocaleString builds a new one per call (slow per input).
const EN = new Intl.NumberFormat('en-US');

/**
 * Makes parent's children match specs ([tag, attrs, text?] in paint order), reusing the nodes that
 * are already there: a redraw patches attributes instead of rebuilding the SVG.
 */
function syncSvg(parent, specs) {
  const kids = parent.children;
  specs.forEach(([tag, attrs, text], i) => {
    let node = kids[i];
    if (!node || node.localName !== tag) {
      const fresh = svg(tag);
      if (node) node.replaceWith(fresh);
      else parent.append(fresh);
      node = fresh;
    }
    setAttrs(node, attrs, { prune: true }); // a reused node keeps no attribute of what it drew before
    if (text !== undefined) setText(node, text);
  });
  while (kids.length > specs.length) parent.lastElementChild.remove();
}

const SUP = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
/** "10⁻¹²" for an axis label. */
const decade = (p) => `10${String(p).split('').map((c) => SUP[c]).join('')}`;

/** "2.1 × 10⁻¹²": scientific notation a learner reads without knowing e-notation. */
const sci = (v) => {
  const [m, e] = v.toExponential(1).split('e');
  return `${m} × ${decade(Number(e))}`;
};

/**
 * A positive magnitude for display, never in e-notation: plain decimals between 0.01 and 1000;
 * small ones as a decimal with its reciprocal, "0.000079 (about 1/13,000)"; below a millionth and
 * from a million up as "2.1 × 10⁻¹²"; "below 10⁻³⁰" under the chart's floor.
 */
export function fmtMag(v) {
  if (!(v >= FLOOR)) return `below ${decade(-30)}`;
  if (v >= 0.01 && v < 1000) return Number(v.toPrecision(2)).toString();
  if (v >= 1e-6 && v < 0.01) {
    const digits = -Math.floor(Math.log10(v)) + 1; // two significant digits
    const dec = v.toFixed(digits).replace(/0+$/, '');
    const inv = EN.format(Number((1 / v).toPrecision(2)));
    return `${dec} (about 1/${inv})`;
  }
  if (v >= 1000 && v < 1e6) return EN.format(Number(v.toPrecision(2)));
  return sci(v);
}

/**
 * A ratio check's message, measured against needed in the readout's own words:
 * "Measured: token 1 moves the final state 0.0021 (about 1/480) times as much as the last token
 * (n = 50, gain 0.90). Needed: less than 0.000001 (about 1/1,000,000)." (The quiz says whether it passed.)
 */
function ratioMessage(r, needed) {
  return `Measured: token 1 moves the final state ${fmtMag(r.ratio)} times as much as the last token `
    + `(n = ${r.length}, gain ${fmt(r.gain)}). Needed: ${needed}.`;
}

export class RnnForget extends WidgetBase {
  static tag = 'attn-rnn-forget';
  static styles = ['rnn-forget.css'];
  static props = [
    { name: 'length', type: 'integer', min: 5, max: 100, default: 30,
      description: 'Sentence length n: how many inputs the RNN reads (5-100).' },
    { name: 'gain', type: 'number', min: 0.1, max: 3, default: 0.9,
      description: 'Recurrent weight scale: W_hh is scaled to a spectral radius of about this value (0.1-3).' },
    // not "hidden": that is a global HTML attribute (it would mark the element as hidden)
    { name: 'hidden-size', type: 'integer', min: 2, max: 32, default: 16,
      description: 'Size of the hidden state h (the fixed-size memory), 2-32 numbers.' },
    { name: 'seed', type: 'integer', min: 0, max: 2147483647, default: 1,
      description: 'Seed that draws the weights and the input vectors.' },
    { name: 'token', type: 'integer', min: 1, max: 100, default: 1,
      description: 'Token inspected on the chart (1 = the first word, at most the sentence length).' },
  ];
  static controls = ['length', 'gain'];

  static checks = {
    'first-token-below': {
      description: 'The influence of token 1, relative to the last token, is below `threshold` (and the sentence has at least `min-length` tokens).',
      args: [
        { name: 'threshold', type: 'number', min: 0, max: 1000, description: 'Largest accepted ratio influence(token 1) / influence(last token).' },
        { name: 'min-length', type: 'integer', min: 5, max: 100, default: 5, description: 'Shortest accepted sentence length.' },
      ],
      run(w, args) {
        const r = w.summary();
        if (r.length < args['min-length'])
          return { correct: false, message: `The sentence has ${r.length} tokens; make it at least ${args['min-length']} long.` };
        const ok = r.ratio < args.threshold;
        return { correct: ok, message: ratioMessage(r, `less than ${fmtMag(args.threshold)}`) };
      },
    },
    'first-token-above': {
      description: 'The influence of token 1, relative to the last token, is at least `threshold`.',
      args: [
        { name: 'threshold', type: 'number', min: 0, max: 1000, description: 'Smallest accepted ratio influence(token 1) / influence(last token).' },
        { name: 'min-length', type: 'integer', min: 5, max: 100, default: 5, description: 'Shortest accepted sentence length.' },
      ],
      run(w, args) {
        const r = w.summary();
        if (r.length < args['min-length'])
          return { correct: false, message: `The sentence has ${r.length} tokens; make it at least ${args['min-length']} long.` };
        const ok = r.ratio >= args.threshold;
        return { correct: ok, message: ratioMessage(r, `at least ${fmtMag(args.threshold)}`) };
      },
    },
    'gain-at-least': {
      description: 'The recurrent gain is at least `gain`.',
      args: [{ name: 'gain', type: 'number', min: 0.1, max: 3, description: 'Smallest accepted gain.' }],
      run(w, args) {
        const ok = w.state.gain >= args.gain - 1e-9;
        return { correct: ok, message: `The gain is ${fmt(w.state.gain)}${ok ? '' : `; raise it to at least ${fmt(args.gain)}`}.` };
      },
    },
    'gain-at-most': {
      description: 'The recurrent gain is at most `gain`.',
      args: [{ name: 'gain', type: 'number', min: 0.1, max: 3, description: 'Largest accepted gain.' }],
      run(w, args) {
        const ok = w.state.gain <= args.gain + 1e-9;
        return { correct: ok, message: `The gain is ${fmt(w.state.gain)}${ok ? '' : `; lower it to at most ${fmt(args.gain)}`}.` };
      },
    },
  };

  readProps() {
    super.readProps();
    const { length, gain, token } = this.values;
    // cursor = distance from the end (token 1 is length - 1 steps back)
    this.state = { length, gain, cursor: length - Math.min(token, length) };
    if (token > length) {
      this.propErrors.push(`token: ${token} is beyond the ${length}-token sentence; inspecting token 1`);
      this.state.cursor = length - 1;
      this.setNotice(this.propErrors);
    }
  }

  /** The live state in props terms: the sliders and the inspected token. */
  currentValues() {
    const v = { ...this.values };
    if (this.state) Object.assign(v, { length: this.state.length, gain: this.state.gain, token: this.state.length - this.state.cursor });
    if (this.run) v.length = this.run.influence.length;
    return v;
  }

  setup() {
    const id = (s) => `rnn-${s}`;
    this.lengthInput = el('input', { id: id('length'), type: 'range', min: 5, max: 100, step: 1 });
    this.gainInput = el('input', { id: id('gain'), type: 'range', min: 0.1, max: 3, step: 0.05 });
    this.lengthOut = el('output', { for: id('length'), class: 'val' });
    this.gainOut = el('output', { for: id('gain'), class: 'val' });
    // the chart's parts, in paint order, built once and patched on every redraw
    this.axesG = svg('g');
    this.seriesLine = svg('polyline', { class: 'series' });
    this.dotsG = svg('g');
    this.lastLabel = svg('text', { class: 'end-label' }, 'last token');
    this.firstLabel = svg('text', { class: 'end-label', 'text-anchor': 'end' }, 'token 1');
    this.cursorLine = svg('line', { class: 'cursor' });
    this.cursorDot = svg('circle', { class: 'cursor-dot' });
    this.svg = svg('svg', { class: 'chart', 'aria-hidden': 'true', focusable: 'false' },
      this.axesG, this.seriesLine, this.dotsG, this.lastLabel, this.firstLabel, this.cursorLine, this.cursorDot);
    this.chart = el('div', { class: 'chart-box', tabindex: '0', role: 'slider', 'aria-label': 'Inspect one token on the chart',
      'aria-describedby': id('chart-help'), 'aria-valuemin': '0' }, this.svg);
    this.pointLine = el('p', { class: 'point-readout' }); // the chart's aria-valuetext carries it for screen readers
    this.readout = el('p', { class: 'readout', 'aria-live': 'polite' });
    this.regime = el('p', { class: 'regime' });
    this.stateCaption = el('p', { class: 'state-caption', id: id('state-caption') });
    this.strip = el('ol', { class: 'state-strip', 'aria-labelledby': id('state-caption') });
    this.tableBody = el('tbody');
    this.tableCaption = el('caption');
    this.body.replaceChildren(
      el('div', { class: 'rnn-controls' },
        el('div', { class: 'slider', 'data-control': 'length' },
          el('label', { for: id('length') }, 'Sentence length n ', this.lengthOut), this.lengthInput),
        el('div', { class: 'slider', 'data-control': 'gain' },
          el('label', { for: id('gain') }, 'Recurrent gain ', this.gainOut), this.gainInput)),
      this.readout,
      this.regime,
      this.chart,
      el('p', { class: 'hint', id: id('chart-help') },
        'Each dot is one input token. Hover or tap the chart, or focus it and use the arrow keys, to read a token’s influence.'),
      this.pointLine,
      el('div', { class: 'bottleneck' }, this.stateCaption, this.strip),
      el('details', { class: 'table-view' },
        el('summary', {}, 'Table view: influence by distance'),
        el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Influence by distance' },
          el('table', { class: 'influence' }, this.tableCaption,
            el('thead', {}, el('tr', {},
              el('th', { scope: 'col' }, 'Steps back'), el('th', { scope: 'col' }, 'Token'),
              el('th', { scope: 'col' }, 'Influence ‖∂h_n/∂x_t‖'), el('th', { scope: 'col' }, 'Relative to the last token'))),
            this.tableBody))));

    const onSlider = (committed) => {
      const length = Number(this.lengthInput.value), gain = Number(this.gainInput.value);
      const lengthChanged = length !== this.state.length;
      this.state.length = length;
      this.state.gain = gain;
      if (lengthChanged) this.state.cursor = length - 1;
      this.recompute();
      this.scheduleDraw();
      this.emitState(committed ? 'change' : 'input');
    };
    for (const input of [this.lengthInput, this.gainInput]) {
      input.addEventListener('input', () => onSlider(false));
      input.addEventListener('change', () => onSlider(true));
    }

    this.chart.addEventListener('keydown', (e) => this.onKey(e));
    // A mouse hovers (uncommitted) before it clicks, so the click lands on the token already shown:
    // press and release commit it anyway (deep link, 'inspect'), unless that token is committed already.
    const pick = (e, commit) => {
      const d = this.distanceAt(e);
      if (d !== null && (d !== this.state.cursor || (commit && d !== this.committedCursor))) this.setCursor(d, commit);
    };
    this.chart.addEventListener('pointerdown', (e) => pick(e, true));
    this.chart.addEventListener('pointerup', (e) => pick(e, true));
    this.chart.addEventListener('pointermove', (e) => {
      if (e.pointerType === 'mouse' || e.buttons) pick(e, false);
    });

    this.lastWidth = 0;
    if (typeof ResizeObserver !== 'undefined') {
      this.resizer = new ResizeObserver(() => {
        const w = this.chart.clientWidth;
        if (w && Math.abs(w - this.lastWidth) > 1 && this.run) this.drawChart();
      });
      this.resizer.observe(this.chart);
    }
  }

  /** Runs the RNN through the engine; on an impossible combination falls back to defaults with a note. */
  compute(notes) {
    const { 'hidden-size': hidden, seed } = this.values;
    try {
      // the same settings give the same run: a slider moved back and forth reuses the last few
      const key = `${this.state.length} ${hidden} ${this.state.gain} ${seed}`;
      this.runs ??= new Map();
      let run = this.runs.get(key);
      if (!run) {
        run = this.engine.rnnDemo({ length: this.state.length, hidden, gain: this.state.gain, seed });
        this.runs.set(key, run);
        if (this.runs.size > 8) this.runs.delete(this.runs.keys().next().value);
      }
      return run;
    } catch (err) {
      notes.push(err.message);
      const d = Object.fromEntries(RnnForget.props.map((p) => [p.name, p.default]));
      Object.assign(this.state, { length: d.length, gain: d.gain, cursor: d.length - 1 });
      return this.engine.rnnDemo({ length: d.length, hidden: d['hidden-size'], gain: d.gain, seed: d.seed });
    }
  }

  /**
   * Slider input can arrive faster than frames (a held arrow key, a drag): each input recomputes
   * through the engine and emits its event at once (so listeners and checks see the new state), and
   * the drawing waits for the next animation frame, once however many inputs came in between.
   */
  scheduleDraw() {
    this.inNextFrame('draw', () => this.draw());
  }

  /** Runs the engine for the current state and clamps the inspected token into the sentence. */
  recompute() {
    const notes = [];
    this.run = this.compute(notes);
    this.setNotice([...this.propErrors, ...notes]);
    const s = this.state;
    s.cursor = Math.max(0, Math.min(s.length - 1, s.cursor));
  }

  update(committed = false) {
    if (!this.engine || !this.lengthInput) return;
    this.cancelFrame('draw');
    this.recompute();
    this.draw();
    if (committed) this.emitState('change');
  }

  /** Everything on screen from this.state and this.run. */
  draw() {
    const s = this.state;
    this.lengthInput.value = String(s.length);
    this.gainInput.value = String(s.gain);
    this.lengthOut.textContent = `${s.length} tokens`;
    this.gainOut.textContent = fmt(s.gain);
    this.lengthInput.setAttribute('aria-valuetext', `${s.length} tokens`);
    this.gainInput.setAttribute('aria-valuetext', fmt(s.gain));
    this.drawReadout();
    this.drawChart();
    this.drawState();
    this.drawTable();
    this.describePoint();
  }

  emitState(type) {
    const r = this.summary();
    if (type === 'change') this.committedCursor = this.state.cursor;
    this.emit(type, { length: r.length, gain: r.gain, token: r.length - this.state.cursor, ratio: r.ratio, factor: r.factor });
  }

  /** Influence per distance d (0 = last token, T-1 = token 1), as plain numbers. */
  influenceAt(d) {
    const inf = this.run.influence;
    return inf[inf.length - 1 - d];
  }

  /**
   * The readout's numbers: ratio = influence(token 1) / influence(last token); factor = the average
   * change per step back (geometric mean), measured to the farthest token still above the floor.
   */
  summary() {
    const inf = this.run.influence, T = inf.length, last = inf[T - 1];
    const ratio = last > 0 ? inf[0] / last : 0;
    let d = T - 1;
    while (d > 0 && !(inf[T - 1 - d] >= FLOOR)) d--;
    const far = inf[T - 1 - d];
    const factor = d > 0 && last > 0 && far > 0 ? (far / last) ** (1 / d) : NaN;
    return { length: T, gain: this.state.gain, ratio, factor, factorSteps: d, last, first: inf[0] };
  }

  drawReadout() {
    const r = this.summary();
    const T = r.length;
    const ratioText = r.ratio >= FLOOR ? fmtMag(r.ratio) : `below ${decade(-30)}`;
    const rest = ` (${T - 1} steps back) moves the final state ${ratioText} times as much as the last token${
      Number.isFinite(r.factor) ? `: about ×${r.factor.toFixed(2)} per step${r.factorSteps < T - 1 ? ` over the first ${r.factorSteps} steps back` : ''}.` : '.'}`;
    if (this.readoutRest !== rest) { // the live region speaks only when the sentence changes
      this.readoutRest = rest;
      this.readout.replaceChildren(el('strong', {}, 'Token 1'), rest);
    }
    const f = r.factor;
    let text;
    if (!Number.isFinite(f)) text = 'Every earlier token is below the floor of the chart.';
    else if (f < 0.9)
      text = `Fading fast. Each step back multiplies the influence by about ${f.toFixed(2)}, so on this log scale the dots fall along a straight downhill line: exponential forgetting. Nobody chose to forget token 1; repeated multiplication did it.`;
    else if (f < 0.985)
      text = `Fading slowly (about ×${f.toFixed(2)} per step). It is still exponential: make the sentence longer and token 1 keeps shrinking.`;
    else if (f <= 1.015)
      text = 'Roughly level: the early tokens keep about as much influence as the late ones. Push the gain a little further and they start to grow.';
    else
      text = `Growing (about ×${f.toFixed(2)} per step): early tokens now move the final state more than recent ones, the exploding side of the same problem. The tanh tempers it: saturated units (values near ±1) pass back little, so the growth is much slower than the weights alone would give.`;
    if (r.first < FLOOR) {
      text += ` Token 1 is below ${decade(-30)}, the floor of the chart.`;
      if (this.run.influence.some((v) => v === 0)) text += ' Some influences are so small that 32-bit floats round them to exactly 0.';
    }
    this.regime.textContent = text;
  }

  /** Draws the log-scale chart at the chart box's current pixel width. */
  drawChart() {
    const T = this.run.influence.length;
    const W = Math.max(260, this.chart.clientWidth || 640);
    this.lastWidth = W;
    const narrow = W < 480;
    const H = narrow ? 250 : 300;
    const m = { left: narrow ? 46 : 58, right: narrow ? 14 : 22, top: 30, bottom: 46 };
    const pw = W - m.left - m.right, ph = H - m.top - m.bottom;
    const vals = Array.from({ length: T }, (_, d) => this.influenceAt(d));
    const ok = vals.filter((v) => v >= FLOOR);
    const clamped = vals.some((v) => !(v >= FLOOR));
    let top = Math.ceil(Math.log10(Math.max(...ok, FLOOR)) + 1e-9);
    let bottom = clamped ? -30 : Math.floor(Math.log10(Math.min(...ok)) - 1e-9);
    if (top - bottom < 2) bottom = top - 2;
    bottom = Math.max(-30, bottom);
    if (top - bottom < 2) top = bottom + 2;
    // labelled decades are counted up from the floor, and the top is raised to the next labelled one
    const yStep = [1, 2, 3, 5, 10].find((st) => (top - bottom) / st <= (narrow ? 5 : 7)) ?? 10;
    top = bottom + Math.ceil((top - bottom) / yStep) * yStep;
    const span = top - bottom;
    const x = (d) => m.left + (T === 1 ? 0 : (d / (T - 1)) * pw);
    const y = (v) => {
      const p = v >= FLOOR ? Math.log10(v) : bottom;
      return m.top + ((top - Math.max(bottom, p)) / span) * ph;
    };
    this.geom = { x, m, pw, T };

    const g = [];
    // gridlines and y labels, one per decade (thinned when there are many)
    for (let p = top; p >= bottom; p--) {
      const labelled = (p - bottom) % yStep === 0;
      const yy = m.top + ((top - p) / span) * ph;
      g.push(['line', { class: labelled ? 'grid' : 'grid minor', x1: m.left, x2: m.left + pw, y1: yy, y2: yy }]);
      if (labelled && !(p === bottom && clamped))
        g.push(['text', { class: 'tick', x: m.left - 6, y: yy + 4, 'text-anchor': 'end' }, decade(p)]);
    }
    if (clamped) g.push(['text', { class: 'tick floor', x: m.left - 6, y: m.top + ph + 4, 'text-anchor': 'end' }, `<${decade(-30)}`]);
    // x ticks: distance from the end
    const xStep = [1, 2, 5, 10, 20, 25, 50].find((s) => (T - 1) / s <= (narrow ? 5 : 10)) ?? 50;
    for (let d = 0; d <= T - 1; d += xStep) {
      g.push(['line', { class: 'grid minor', x1: x(d), x2: x(d), y1: m.top, y2: m.top + ph }]);
      g.push(['text', { class: 'tick', x: x(d), y: m.top + ph + 16, 'text-anchor': 'middle' }, String(d)]);
    }
    g.push(['line', { class: 'axis', x1: m.left, x2: m.left + pw, y1: m.top + ph, y2: m.top + ph }]);
    g.push(['line', { class: 'axis', x1: m.left, x2: m.left, y1: m.top, y2: m.top + ph }]);
    g.push(['text', { class: 'axis-label', x: m.left + pw / 2, y: H - 6, 'text-anchor': 'middle' },
      narrow ? 'steps back from the last token' : 'steps back from the last token (n − t)']);
    g.push(['text', { class: 'axis-label', x: 4, y: 14 }, narrow ? 'influence ‖∂h_n/∂x_t‖, log scale' : 'influence on the final state, ‖∂h_n/∂x_t‖ (log scale)']);
    syncSvg(this.axesG, g);
    // the line and the dots
    setAttrs(this.seriesLine, { class: 'series', points: vals.map((v, d) => `${x(d).toFixed(1)},${y(v).toFixed(1)}`).join(' ') });
    const r = T > 60 ? 2.2 : T > 30 ? 3 : 3.8;
    syncSvg(this.dotsG, vals.map((v, d) => (v >= FLOOR
      ? ['circle', { class: 'dot', cx: x(d).toFixed(1), cy: y(v).toFixed(1), r }]
      : ['rect', { class: 'dot clamped', x: (x(d) - r).toFixed(1), y: (y(v) - r).toFixed(1), width: 2 * r, height: 2 * r }])));
    // end labels: clear of the line over the label's whole width (12px bold, about 7.5px a character):
    // above the highest point of the line under the label, or below the lowest when there is no room above
    const endY = (d, text, dir) => {
      const w = text.length * 7.5 + 6, under = [];
      for (let k = d; k >= 0 && k < T && Math.abs(x(k) - x(d)) <= w; k += dir) under.push(y(vals[k]));
      const above = Math.min(...under) - 8, below = Math.max(...under) + 16;
      if (above >= m.top + 10) return above;
      return below <= m.top + ph - 4 ? below : m.top + 10;
    };
    setAttrs(this.lastLabel, { class: 'end-label', x: x(0) + 4, y: endY(0, 'last token', 1) });
    setAttrs(this.firstLabel, { class: 'end-label', x: x(T - 1) - 4, y: endY(T - 1, 'token 1', -1), 'text-anchor': 'end' });
    // cursor
    const c = this.state.cursor;
    setAttrs(this.cursorLine, { class: 'cursor', x1: x(c), x2: x(c), y1: m.top, y2: m.top + ph });
    setAttrs(this.cursorDot, { class: 'cursor-dot', cx: x(c), cy: y(vals[c]), r: r + 3 });
    setAttrs(this.svg, { class: 'chart', 'aria-hidden': 'true', focusable: 'false', viewBox: `0 0 ${W} ${H}`, width: String(W), height: String(H) });
    this.yOf = y;
    this.chart.setAttribute('aria-valuemax', String(T - 1));
  }

  /** The bottleneck: the final state h_n, `hidden` numbers whatever the length. */
  drawState() {
    const H = this.run.H, T = H.rows, n = H.cols;
    const hT = Array.from(H.data.subarray((T - 1) * n, T * n));
    const inputs = T * n;
    if (this.captionFor !== `${T} ${n}`) this.stateCaption.replaceChildren(
      el('strong', {}, `Final state h_${T}`), ': everything the RNN remembers about the whole sentence: ',
      el('strong', {}, `${n} numbers, whatever the length`), `. It read ${T} inputs of ${n} numbers each (${inputs} numbers) and kept ${n}.`);
    this.captionFor = `${T} ${n}`;
    // the strip has `hidden` cells whatever the length: patch them in place
    const cells = this.strip.children;
    hT.forEach((v, i) => {
      let li = cells[i];
      if (!li) {
        li = el('li', {}, el('span', { class: 'idx' }, `h${i + 1}`), el('span', { class: 'num' }));
        this.strip.append(li);
      }
      const step = Math.min(4, Math.round(Math.abs(v) * 4));
      const cls = `cell ${step === 0 ? 't0' : `${v > 0 ? 'pos' : 'neg'} t${step}`}`;
      if (li.className !== cls) li.className = cls;
      setText(li.lastChild, fmt(v));
    });
    while (cells.length > hT.length) this.strip.lastElementChild.remove();
  }

  drawTable() {
    const T = this.run.influence.length, last = this.influenceAt(0);
    setText(this.tableCaption, `Influence of each token on the final state (n = ${T}, gain ${fmt(this.state.gain)})`);
    // rows are kept and their text patched; only a longer sentence adds rows
    const rows = this.tableBody.children;
    for (let d = 0; d < T; d++) {
      let tr = rows[d];
      if (!tr) {
        tr = el('tr', {}, el('td'), el('th', { scope: 'row' }), el('td'), el('td'));
        this.tableBody.append(tr);
      }
      const v = this.influenceAt(d), [c0, c1, c2, c3] = tr.children;
      setText(c0, String(d));
      setText(c1, `token ${T - d}${d === 0 ? ' (last)' : d === T - 1 ? ' (first)' : ''}`);
      setText(c2, fmtMag(v));
      setText(c3, last > 0 ? fmtMag(v / last) : '—');
    }
    while (rows.length > T) this.tableBody.lastElementChild.remove();
  }

  describePoint() {
    const T = this.run.influence.length, d = this.state.cursor, v = this.influenceAt(d), last = this.influenceAt(0);
    const rel = last > 0 ? fmtMag(v / last) : '—';
    const text = `Token ${T - d} of ${T}, ${d} step${d === 1 ? '' : 's'} back: influence ${fmtMag(v)}, which is ${rel} × the last token's.`;
    this.pointLine.textContent = text;
    this.chart.setAttribute('aria-valuenow', String(d));
    this.chart.setAttribute('aria-valuetext', text);
  }

  setCursor(d, committed) {
    this.state.cursor = d;
    const { x } = this.geom;
    setAttrs(this.cursorLine, { x1: x(d), x2: x(d) });
    setAttrs(this.cursorDot, { cx: x(d), cy: this.yOf(this.influenceAt(d)) });
    this.describePoint();
    if (committed) {
      this.emit('inspect', { token: this.run.influence.length - d, distance: d, influence: this.influenceAt(d) });
      this.emitState('change');
    }
  }

  /** Pointer position -> nearest distance on the chart (or null outside the plot). */
  distanceAt(e) {
    const box = this.svg.getBoundingClientRect();
    const { m, pw, T } = this.geom;
    const px = ((e.clientX - box.left) / box.width) * Number(this.svg.getAttribute('width'));
    if (px < m.left - 12 || px > m.left + pw + 12) return null;
    return Math.max(0, Math.min(T - 1, Math.round(((px - m.left) / pw) * (T - 1))));
  }

  onKey(e) {
    const T = this.run.influence.length, d = this.state.cursor;
    const to = { ArrowRight: d + 1, ArrowUp: d + 1, ArrowLeft: d - 1, ArrowDown: d - 1, PageUp: d + 10, PageDown: d - 10, Home: 0, End: T - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    this.setCursor(Math.max(0, Math.min(T - 1, to)), true);
  }
}
