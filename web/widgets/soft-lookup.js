/**
 * <attn-soft-lookup>: lesson 2's widget. A hard key -> value lookup (a dictionary: exact match or
 * nothing) beside a soft one (attention: every key scored against the query, the values blended by
 * the softmax weights).
 *
 * Four keys (cat, dog, car, tree) are 2-D arrows; each has a 2-D value (size, speed). The learner
 * moves the query (drag on the plane with mouse or touch, arrow keys on the focused query handle,
 * number inputs, or a query word), and sets the softmax temperature (log-scale range input).
 * The engine does the math: scores = engine.scores([q], K), weights = engine.softmaxRows(scores, T),
 * output = engine.weightedSum(weights, V). This file picks the largest weight for display, compares
 * strings for the hard lookup and turns coordinates into pixels.
 *
 * Attributes (declared in `props` below): word, query, temperature, fallback.
 * Events: `input` while dragging, `change` on every committed change, with detail
 * { query: [x, y], word, temperature, fallback, weights: [4], output: [2] }.
 * Controls `hide` can hide: word (the query-word menu), query (the x/y boxes), temperature,
 * fallback (the hard lookup's fallback toggle).
 */
import { WidgetBase, el, fmt, svg } from './base.js';
import { setAttrs, setText } from './dom.js';

/** The dictionary: key vectors (2-D, where the word sits) and the value each key returns (size, speed). */
export const KEYS = [
  { name: 'cat', key: [2.0, 0.6], value: [2, 5] },
  { name: 'dog', key: [1.2, 1.8], value: [4, 6] },
  { name: 'car', key: [-1.8, 0.9], value: [7, 9] },
  { name: 'tree', key: [-0.4, -2.0], value: [9, 0] },
];
/** Query words: the four keys plus three words the dictionary does not hold. */
export const WORDS = [
  ...KEYS.map((k) => ({ name: k.name, point: k.key })),
  { name: 'kitten', point: [1.6, 0.3] },
  { name: 'puppy', point: [0.9, 1.5] },
  { name: 'truck', point: [-1.6, 1.3] },
];
const VALUE_DIMS = ['size', 'speed'];
const LIM = 3; // the plane spans -3..3 on both axes
const T_MIN = 0.05, T_MAX = 10;
const T_STEPS = 200; // the temperature range input: position p gives T = T_MIN * (T_MAX / T_MIN)^(p / T_STEPS), a log scale
/** Temperature for a range position, rounded to 3 significant digits. */
export const tempAt = (p) => Number((T_MIN * (T_MAX / T_MIN) ** (p / T_STEPS)).toPrecision(3));
const posOf = (t) => Math.round((Math.log(t / T_MIN) / Math.log(T_MAX / T_MIN)) * T_STEPS);

const round2 = (v) => Math.round(v * 100) / 100;
const clampQ = (v) => Math.max(-LIM, Math.min(LIM, v));
/** A weight as a percentage; tiny but non-zero weights say so instead of printing 0.0%. */
/**
 * A weight as a percentage. Every softmax weight is above 0 and below 1, even where float32 rounds
 * it to exactly 0 or 1 (a low temperature), so the ends read "<0.1%" and ">99.9%", never "0.0%".
 */
export const pct = (w) => (w < 0.0005 ? '<0.1%' : w >= 0.9995 ? '>99.9%' : `${(w * 100).toFixed(1)}%`);
/** The same, whole percents, for the labels on the plane: "<1%" and ">99%" at the ends. */
export const pctShort = (w) => (w < 0.005 ? '<1%' : w >= 0.995 ? '>99%' : `${Math.round(w * 100)}%`);
const vec = (v, d = 1) => `(${v.map((x) => fmt(x, d)).join(', ')})`;

export class SoftLookup extends WidgetBase {
  static tag = 'attn-soft-lookup';
  static styles = ['soft-lookup.css'];
  static props = [
    { name: 'word', type: 'enum', values: WORDS.map((w) => w.name), default: 'kitten',
      description: 'Query word: the hard lookup looks it up; the soft lookup uses its point on the plane.' },
    { name: 'query', type: 'numbers', minItems: 2, maxItems: 2, min: -LIM, max: LIM, default: null,
      description: 'Query point "x,y" (each -3..3); when given it replaces the word\'s point (the hard lookup then has no word).' },
    { name: 'temperature', type: 'number', min: T_MIN, max: T_MAX, default: 1,
      description: 'Softmax temperature T (0.05-10): weights = softmax(scores / T). Low T is close to a hard lookup.' },
    { name: 'fallback', type: 'boolean', default: false,
      description: 'The hard lookup falls back to the best-scoring key when there is no exact match.' },
  ];
  static controls = ['word', 'query', 'temperature', 'fallback'];

  static checks = {
    'top-key': {
      description: 'Key number `key` (1-4) gets the largest weight.',
      args: [{ name: 'key', type: 'integer', min: 1, max: 4, description: 'Key number, 1-based (1 cat, 2 dog, 3 car, 4 tree).' }],
      run(w, args) {
        const r = w.result, top = r.top, want = args.key - 1;
        const ok = top === want;
        return { correct: ok, message: `The largest weight goes to ${KEYS[top].name} (key ${top + 1}, ${pct(r.weights[top])})${ok ? '' : `, not ${KEYS[want].name} (${pct(r.weights[want])})`}.` };
      },
    },
    'weight-above': {
      description: 'Key number `key` gets more than `threshold` of the weight.',
      args: [
        { name: 'key', type: 'integer', min: 1, max: 4, description: 'Key number, 1-based.' },
        { name: 'threshold', type: 'number', min: 0, max: 1, description: 'Weight to beat (0-1).' },
      ],
      run(w, args) {
        const i = args.key - 1, v = w.result.weights[i], ok = v > args.threshold;
        return { correct: ok, message: `${KEYS[i].name} (key ${i + 1}) gets ${pct(v)} of the weight at temperature ${fmt(w.state.temperature)}${ok ? '' : `; the goal is more than ${pct(args.threshold)}`}.` };
      },
    },
    'max-weight-below': {
      description: 'No key gets more than `threshold` of the weight.',
      args: [{ name: 'threshold', type: 'number', min: 0.25, max: 1, description: 'Largest weight allowed (0.25-1).' }],
      run(w, args) {
        const r = w.result, v = r.weights[r.top], ok = v < args.threshold;
        return { correct: ok, message: `The largest weight is ${pct(v)} (${KEYS[r.top].name}) at temperature ${fmt(w.state.temperature)}${ok ? '' : `; get it below ${pct(args.threshold)}`}.` };
      },
    },
  };

  readProps() {
    super.readProps();
    const { word, query, temperature, fallback } = this.values;
    const point = WORDS.find((w) => w.name === word).point;
    this.state = query ? { word: null, q: [...query], temperature, fallback } : { word, q: [...point], temperature, fallback };
  }

  /** The live state in props terms: a query word, or (when the query is a free point) the point itself. */
  currentValues() {
    const v = { ...this.values };
    if (!this.state) return v;
    const s = this.state;
    Object.assign(v, { temperature: s.temperature, fallback: s.fallback });
    if (s.word) Object.assign(v, { word: s.word, query: undefined });
    else v.query = [...s.q];
    return v;
  }

  setup() {
    const id = (s) => `sl-${s}`;
    // controls
    this.wordSelect = el('select', { id: id('word') },
      ...WORDS.map((w) => el('option', { value: w.name }, w.name)), el('option', { value: '' }, '(your point)'));
    this.xInput = el('input', { id: id('x'), type: 'number', min: -LIM, max: LIM, step: 0.1, inputmode: 'decimal' });
    this.yInput = el('input', { id: id('y'), type: 'number', min: -LIM, max: LIM, step: 0.1, inputmode: 'decimal' });
    this.tInput = el('input', { id: id('t'), type: 'range', min: '0', max: String(T_STEPS), step: '1' });
    this.tOut = el('output', { for: id('t'), class: 'val' });
    // plane
    this.plane = svg('svg', { class: 'plane', viewBox: '0 0 300 300', role: 'group', 'aria-labelledby': id('plane-title') });
    this.handle = svg('circle', { class: 'q-handle', r: 9, tabindex: '0', role: 'slider', 'aria-label': 'Query point (arrow keys move it)',
      'aria-valuemin': String(-LIM), 'aria-valuemax': String(LIM) });
    // soft table
    this.rowsBody = el('tbody');
    this.outRow = el('tr', { class: 'blend' });
    this.softNote = el('p', { class: 'soft-note', 'aria-live': 'polite' });
    // hard panel
    this.hardCode = el('p', { class: 'code' });
    this.hardResult = el('p', { class: 'hard-result', 'aria-live': 'polite' });
    this.fallbackBox = el('input', { type: 'checkbox', id: id('fallback') });

    const table = el('table', { class: 'weights' },
      el('caption', {}, `Soft lookup: every key is scored (values are ${VALUE_DIMS.join(', ')})`),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Key'), el('th', { scope: 'col' }, 'Key vector'),
        el('th', { scope: 'col' }, 'Score q·k'), el('th', { scope: 'col' }, 'Weight'),
        el('th', { scope: 'col' }, 'Value'))),
      this.rowsBody, el('tfoot', {}, this.outRow));

    this.body.replaceChildren(
      el('div', { class: 'sl-controls' },
        el('div', { class: 'field', 'data-control': 'word' }, el('label', { for: id('word') }, 'Query word'), this.wordSelect),
        el('div', { class: 'field xy', 'data-control': 'query' },
          el('span', { class: 'field-label', id: id('xy-label') }, 'Query point'),
          el('div', { class: 'xy-row', role: 'group', 'aria-labelledby': id('xy-label') },
            el('label', { for: id('x') }, 'x'), this.xInput, el('label', { for: id('y') }, 'y'), this.yInput)),
        el('div', { class: 'field temp', 'data-control': 'temperature' },
          el('label', { for: id('t') }, 'Temperature T ', this.tOut), this.tInput)),
      el('div', { class: 'sl-main' },
        el('figure', { class: 'plane-fig' },
          el('figcaption', { id: id('plane-title') }, 'Keys (blue arrows) and your query (orange). Drag the query, or focus it and use the arrow keys.'),
          this.plane),
        el('div', { class: 'soft-side' },
          el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Scores, weights and values' }, table), this.softNote)),
      el('div', { class: 'compare' },
        el('section', { class: 'card hard', 'aria-labelledby': id('hard-h') },
          el('h3', { id: id('hard-h') }, 'Hard lookup (a dictionary)'),
          this.hardCode, this.hardResult,
          el('label', { class: 'toggle', 'data-control': 'fallback' }, this.fallbackBox, ' If there is no exact match, return the best-scoring key’s value')),
        el('section', { class: 'card soft', 'aria-labelledby': id('soft-h') },
          el('h3', { id: id('soft-h') }, 'Soft lookup (attention)'),
          this.softResult = el('p', { class: 'soft-result' }))));

    this.buildPlane();

    this.wordSelect.addEventListener('change', () => {
      const w = WORDS.find((x) => x.name === this.wordSelect.value);
      if (w) Object.assign(this.state, { word: w.name, q: [...w.point] });
      else this.state.word = null;
      this.refresh(true);
    });
    const onXY = (input, committed) => {
      const x = Number(this.xInput.value), y = Number(this.yInput.value);
      if (this.xInput.value === '' || this.yInput.value === '' || !Number.isFinite(x) || !Number.isFinite(y)) return;
      this.setQuery([x, y], committed, committed ? null : input); // don't rewrite the box the learner is typing in
    };
    for (const input of [this.xInput, this.yInput]) {
      input.addEventListener('input', () => onXY(input, false));
      input.addEventListener('change', () => onXY(input, true));
    }
    const onT = (committed) => {
      this.state.temperature = tempAt(Number(this.tInput.value));
      this.refresh(committed);
    };
    this.tInput.addEventListener('input', () => onT(false));
    this.tInput.addEventListener('change', () => onT(true));
    this.fallbackBox.addEventListener('change', () => {
      this.state.fallback = this.fallbackBox.checked;
      this.drawHard();
      this.emitState('change');
    });

    // dragging: the whole plane is the drag surface
    this.plane.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      this.dragging = e.pointerId;
      this.plane.setPointerCapture?.(e.pointerId);
      this.handle.focus({ preventScroll: true });
      this.setQuery(this.toData(e), false);
    });
    this.plane.addEventListener('pointermove', (e) => {
      if (this.dragging === e.pointerId) this.setQuery(this.toData(e), false);
    });
    const end = (e) => {
      if (this.dragging !== e.pointerId) return;
      this.dragging = null;
      this.setQuery(this.toData(e), true);
    };
    this.plane.addEventListener('pointerup', end);
    this.plane.addEventListener('pointercancel', (e) => {
      if (this.dragging !== e.pointerId) return;
      this.dragging = null;
      this.update(true);
    });
    this.handle.addEventListener('keydown', (e) => {
      const step = e.shiftKey ? 0.5 : 0.1;
      const [x, y] = this.state.q;
      const to = { ArrowLeft: [x - step, y], ArrowRight: [x + step, y], ArrowUp: [x, y + step], ArrowDown: [x, y - step] }[e.key];
      if (!to) return;
      e.preventDefault();
      this.setQuery(to, true);
    });
  }

  /** Moves the query to a point; a moved query is no longer a dictionary word. */
  setQuery([x, y], committed, typing = null) {
    const q = [round2(clampQ(x)), round2(clampQ(y))];
    const word = WORDS.find((w) => w.point[0] === q[0] && w.point[1] === q[1]);
    this.state.q = q;
    this.state.word = word ? word.name : null;
    this.typing = typing;
    this.refresh(committed);
  }

  /**
   * A learner's input: recomputed through the engine and announced (`input`, or `change` when
   * committed) at once, drawn in the next animation frame, once however many inputs came in between
   * (a held arrow key, a drag).
   */
  refresh(committed) {
    this.recompute();
    this.inNextFrame('draw', () => this.draw());
    this.emitState(committed ? 'change' : 'input');
  }

  // ---- geometry (pixels <-> plane coordinates) ----
  px(v) { return 150 + (v / LIM) * 130; }
  py(v) { return 150 - (v / LIM) * 130; }
  toData(e) {
    const box = this.plane.getBoundingClientRect();
    const sx = ((e.clientX - box.left) / box.width) * 300, sy = ((e.clientY - box.top) / box.height) * 300;
    const snap = (v) => Math.round(v * 20) / 20; // 0.05 steps
    return [snap(((sx - 150) / 130) * LIM), snap(((150 - sy) / 130) * LIM)];
  }

  buildPlane() {
    const deco = svg('g', { 'aria-hidden': 'true' });
    for (let v = -LIM; v <= LIM; v++) {
      const cls = v === 0 ? 'axis' : 'grid';
      deco.append(svg('line', { class: cls, x1: this.px(-LIM), x2: this.px(LIM), y1: this.py(v), y2: this.py(v) }),
        svg('line', { class: cls, x1: this.px(v), x2: this.px(v), y1: this.py(-LIM), y2: this.py(LIM) }));
      if (v !== 0) {
        deco.append(svg('text', { class: 'tick', x: this.px(v), y: this.py(0) + 13, 'text-anchor': 'middle' }, String(v).replace('-', '−')));
        deco.append(svg('text', { class: 'tick', x: this.px(0) - 5, y: this.py(v) + 4, 'text-anchor': 'end' }, String(v).replace('-', '−')));
      }
    }
    deco.append(svg('defs', {},
      svg('marker', { id: 'sl-head-k', viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { class: 'head-k', d: 'M0,0 L10,5 L0,10 z' })),
      svg('marker', { id: 'sl-head-q', viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { class: 'head-q', d: 'M0,0 L10,5 L0,10 z' }))));
    this.keyArrows = KEYS.map((k) => svg('line', { class: 'key-arrow', x1: this.px(0), y1: this.py(0), x2: this.px(k.key[0]), y2: this.py(k.key[1]), 'marker-end': 'url(#sl-head-k)' }));
    this.keyLabels = KEYS.map(() => svg('text', { class: 'key-label' }));
    this.qArrow = svg('line', { class: 'q-arrow', x1: this.px(0), y1: this.py(0), 'marker-end': 'url(#sl-head-q)' });
    this.qLabel = svg('text', { class: 'q-label' });
    deco.append(...this.keyArrows, ...this.keyLabels, this.qArrow, this.qLabel);
    this.plane.replaceChildren(deco, this.handle);
  }

  /** Puts a label just beyond the tip of an arrow from the origin, kept inside the 300 x 300 plane. */
  placeLabel(node, [x, y], gap, below = y < 0) {
    const tx = this.px(x), ty = this.py(y);
    const width = node.textContent.length * 7.4; // ~13px bold text; only used to keep labels inside the plane
    let anchor = x > 0.25 ? 'start' : x < -0.25 ? 'end' : 'middle';
    let lx = tx + (anchor === 'start' ? gap : anchor === 'end' ? -gap : 0);
    let ly = ty + (below ? gap + 10 : -gap);
    const left = anchor === 'start' ? lx : anchor === 'end' ? lx - width : lx - width / 2;
    if (left + width > 296) {
      anchor = 'end';
      lx = 296;
      ly = ty + (below ? gap + 14 : -gap - 6);
    } else if (left < 4) {
      anchor = 'start';
      lx = 4;
      ly = ty + (below ? gap + 14 : -gap - 6);
    }
    ly = Math.max(14, Math.min(294, ly));
    setAttrs(node, { x: lx.toFixed(1), y: ly.toFixed(1), 'text-anchor': anchor });
    const x0 = anchor === 'start' ? lx : anchor === 'end' ? lx - width : lx - width / 2;
    return { x0, x1: x0 + width, y0: ly - 12, y1: ly + 3 };
  }

  /**
   * Puts the query's label next to the handle, never under it: tries the eight spots around the
   * handle, outward (away from the origin) first, and takes the first that stays inside the plane
   * and clears the handle, the arrows, the keys' labels and tips, and the axis numbers;
   * when every spot is crowded, the least crowded one.
   */
  placeQueryLabel(q, keyBoxes) {
    const node = this.qLabel, w = node.textContent.length * 8, h = 13;
    const tx = this.px(q[0]), ty = this.py(q[1]);
    const R = 13; // handle radius 9, its stroke and focus ring
    const c = R * 0.71 + 2;
    const spots = [
      [0, () => [tx + R + 3, ty - h / 2]], [45, () => [tx + c, ty - c - h]], [90, () => [tx - w / 2, ty - R - 3 - h]],
      [135, () => [tx - c - w, ty - c - h]], [180, () => [tx - R - 3 - w, ty - h / 2]], [225, () => [tx - c - w, ty + c]],
      [270, () => [tx - w / 2, ty + R + 3]], [315, () => [tx + c, ty + c]],
    ];
    const out = Math.hypot(q[0], q[1]) > 0.05 ? (Math.atan2(q[1], q[0]) * 180) / Math.PI : 0;
    const gap = (a) => Math.min(Math.abs(a - out) % 360, 360 - (Math.abs(a - out) % 360));
    spots.sort((a, b) => gap(a[0]) - gap(b[0]));
    const o = [this.px(0), this.py(0)];
    const ticks = [-3, -2, -1, 1, 2, 3].flatMap((v) => [
      { x0: this.px(v) - 7, x1: this.px(v) + 7, y0: o[1] + 4, y1: o[1] + 16 },
      { x0: o[0] - 14, x1: o[0] - 2, y0: this.py(v) - 5, y1: this.py(v) + 5 }]);
    const tips = KEYS.map((k) => ({ x0: this.px(k.key[0]) - 7, x1: this.px(k.key[0]) + 7, y0: this.py(k.key[1]) - 7, y1: this.py(k.key[1]) + 7 }));
    const overlaps = (b, k) => b.x0 < k.x1 && k.x0 < b.x1 && b.y0 < k.y1 && k.y0 < b.y1;
    const crosses = (b, [ex, ey]) => Array.from({ length: 24 }, (_, i) => i / 24)
      .some((t) => { const x = o[0] + (ex - o[0]) * t, y = o[1] + (ey - o[1]) * t; return x > b.x0 && x < b.x1 && y > b.y0 && y < b.y1; });
    const keyTips = KEYS.map((k) => [this.px(k.key[0]), this.py(k.key[1])]);
    const cost = ([x0, y0]) => {
      const b = { x0, x1: x0 + w, y0, y1: y0 + h };
      if (b.x0 < 2 || b.x1 > 298 || b.y0 < 2 || b.y1 > 298) return Infinity;
      return 10 * keyBoxes.filter((k) => overlaps(b, k)).length + 10 * tips.filter((k) => overlaps(b, k)).length
        + 4 * Number(crosses(b, [tx, ty])) + 2 * keyTips.filter((e) => crosses(b, e)).length + 3 * ticks.filter((k) => overlaps(b, k)).length;
    };
    let best = null;
    for (const [, at] of spots) {
      const p = at(), k = cost(p);
      if (!best || k < best.k) best = { p, k };
      if (k === 0) break;
    }
    const [x0, y0] = best.k === Infinity ? [Math.max(2, Math.min(298 - w, tx - w / 2)), Math.max(2, ty - R - 3 - h)] : best.p;
    // anchor the text on the side facing the handle, so a label wider than estimated grows away from it
    const side = x0 + w <= tx - 2 ? 'end' : x0 >= tx + 2 ? 'start' : 'middle';
    setAttrs(node, { x: (side === 'end' ? x0 + w : side === 'start' ? x0 : x0 + w / 2).toFixed(1), y: (y0 + 10).toFixed(1), 'text-anchor': side });
  }

  /** Scores, weights and the blended value, all from the engine. */
  compute() {
    const K = KEYS.map((k) => k.key), V = KEYS.map((k) => k.value);
    const S = this.engine.scores([this.state.q], K);
    const A = this.engine.softmaxRows(S, this.state.temperature);
    const O = this.engine.weightedSum(A, V);
    const scores = Array.from(S.data), weights = Array.from(A.data);
    let top = 0, best = 0;
    weights.forEach((w, i) => { if (w > weights[top]) top = i; });
    scores.forEach((s, i) => { if (s > scores[best]) best = i; });
    return { scores, weights, output: Array.from(O.data), top, best };
  }

  update(committed = false) {
    if (!this.engine || !this.wordSelect) return;
    this.cancelFrame('draw');
    this.recompute();
    this.draw();
    if (committed) this.emitState('change');
  }

  /** Scores, weights and the blend for the current state; bad state falls back to the defaults with a note. */
  recompute() {
    const notes = [];
    try {
      this.result = this.compute();
    } catch (err) {
      notes.push(err.message);
      const d = Object.fromEntries(SoftLookup.props.map((p) => [p.name, p.default]));
      this.state = { word: d.word, q: [...WORDS.find((w) => w.name === d.word).point], temperature: d.temperature, fallback: this.state.fallback };
      this.result = this.compute();
    }
    this.setNotice([...this.propErrors, ...notes]);
  }

  emitState(type) {
    const r = this.result;
    this.emit(type, { query: [...this.state.q], word: this.state.word, temperature: this.state.temperature, fallback: this.state.fallback,
      weights: [...r.weights], output: [...r.output] });
  }

  draw() {
    const s = this.state, r = this.result;
    // controls
    this.wordSelect.value = s.word ?? '';
    if (this.typing !== this.xInput) this.xInput.value = String(s.q[0]);
    if (this.typing !== this.yInput) this.yInput.value = String(s.q[1]);
    this.typing = null;
    this.tInput.value = String(posOf(s.temperature));
    this.tOut.textContent = fmt(s.temperature);
    this.tInput.setAttribute('aria-valuetext', `T = ${fmt(s.temperature)}`);
    this.fallbackBox.checked = s.fallback;
    // plane
    const [qx, qy] = s.q;
    setAttrs(this.handle, { cx: this.px(qx), cy: this.py(qy), 'aria-valuenow': qx,
      'aria-valuetext': `x ${fmt(qx)}, y ${fmt(qy)}${s.word ? ` (${s.word})` : ''}; top key ${KEYS[r.top].name} ${pct(r.weights[r.top])}` });
    const far = Math.hypot(this.px(qx) - this.px(0), this.py(qy) - this.py(0)) > 13; // pixels: hide a stub arrow under the handle
    setAttrs(this.qArrow, { x2: this.px(qx), y2: this.py(qy) });
    this.qArrow.classList.toggle('hidden', !far);
    const boxes = KEYS.map((k, i) => {
      this.keyLabels[i].textContent = `${i + 1} ${k.name} ${pctShort(r.weights[i])}`;
      return this.placeLabel(this.keyLabels[i], k.key, 8);
    });
    this.qLabel.textContent = `q${s.word ? ` = ${s.word}` : ''}`;
    this.placeQueryLabel(s.q, boxes);
    KEYS.forEach((k, i) => {
      const step = Math.min(4, Math.round(r.weights[i] * 4));
      setAttrs(this.keyArrows[i], { class: `key-arrow w${step}${i === r.top ? ' top' : ''}` });
    });
    // soft table: the four rows are built once, then their numbers, bars and classes are patched
    if (!this.rowParts) {
      this.rowParts = KEYS.map((k, i) => {
        const score = el('td'), pctOut = el('span', { class: 'pct' });
        const fill = svg('rect', { class: 'bar-fill', x: 0, y: 0, height: 10 });
        const bar = svg('svg', { class: 'bar', viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' },
          svg('rect', { class: 'bar-bg', x: 0, y: 0, width: 100, height: 10 }), fill);
        const tr = el('tr', {},
          el('th', { scope: 'row' }, `${i + 1} ${k.name}`),
          el('td', {}, vec(k.key)),
          score,
          el('td', { class: 'w' }, pctOut, bar),
          el('td', {}, vec(k.value, 0)));
        return { tr, score, pctOut, fill };
      });
      this.rowsBody.replaceChildren(...this.rowParts.map((p) => p.tr));
      this.outCell = el('td', { class: 'out' });
      this.outRow.replaceChildren(el('th', { scope: 'row', colspan: '4' }, 'Blended value Σ weight × value'), this.outCell);
    }
    this.rowParts.forEach((p, i) => {
      const w = r.weights[i];
      const cls = i === r.top ? 'top' : '';
      setAttrs(p.tr, { class: cls });
      setText(p.score, fmt(r.scores[i]));
      setText(p.pctOut, pct(w));
      setAttrs(p.fill, { width: (w * 100).toFixed(2) });
    });
    setText(this.outCell, vec(r.output));
    // soft summary
    const w = r.weights[r.top];
    let note;
    if (w > 0.99) note = `Nearly one-hot: ${KEYS[r.top].name} takes ${pct(w)}, so the soft lookup now behaves like a hard one.`;
    else if (w < 0.4) note = `Spread out: no key gets more than ${pct(w)}; the answer is a broad average of the values.`;
    else note = `${KEYS[r.top].name} leads with ${pct(w)}, but every key still gets some weight: the softmax gives a distribution, not a single pick.`;
    this.softNote.textContent = note;
    this.softResult.replaceChildren(
      'Returns a blend of ', el('strong', {}, 'all four'), ' values: ',
      el('strong', { class: 'big' }, vec(r.output)),
      ` (${VALUE_DIMS.join(', ')}). Largest weight: ${KEYS[r.top].name}, ${pct(w)}.`);
    this.drawHard();
  }

  drawHard() {
    const s = this.state, r = this.result;
    const word = s.word;
    const hit = word ? KEYS.find((k) => k.name === word) : null;
    this.hardCode.replaceChildren(el('code', {}, word ? `values["${word}"]` : `values[(${fmt(s.q[0])}, ${fmt(s.q[1])})]`));
    let parts;
    if (hit) parts = ['Exact match: returns ', el('strong', { class: 'big' }, vec(hit.value, 0)), ` (${VALUE_DIMS.join(', ')}), ${hit.name}’s value and nothing else.`];
    else if (s.fallback) {
      const b = KEYS[r.best];
      parts = [`No key is ${word ? `“${word}”` : 'this point'}. Falling back to the best-scoring key, ${b.name} (score ${fmt(r.scores[r.best])}): returns `,
        el('strong', { class: 'big' }, vec(b.value, 0)), '. One value; the others are ignored.'];
    } else parts = [el('strong', {}, 'KeyError: '), word ? `“${word}” is not a key. ` : 'a point you dragged is not a key. ',
      'A hard lookup needs an exact match; it returns one value or nothing.'];
    this.hardResult.replaceChildren(...parts);
    this.hardResult.classList.toggle('miss', !hit && !s.fallback);
  }
}
