/**
 * <attn-softmax>: editable scores become probabilities (lesson 4).
 *
 * Attributes (declared in `props` below): scores, temperature, labels, gradient.
 * Scores change by dragging a bar (mouse or touch), by focusing a bar and pressing the arrow keys
 * (0.1 a step, Shift or Page Up/Down for 1), or by typing in the table. The probabilities come from
 * engine.softmax(scores, T), their sum from engine.dot(p, 1), and the sensitivities from
 * engine.softmaxJacobian(scores, T); this file only draws and compares. Buttons add 100 to every
 * score (nothing changes), multiply every score by 10 (the softmax saturates) and reset.
 * Events: `input` while a bar is dragged; `change` with detail { scores, temperature, probabilities }
 * on every committed change.
 * Controls `hide` can hide: temperature (slider and box), buttons (add 100, times 10, reset),
 * table (the table of scores with its number boxes).
 */
import { WidgetBase, el, fmt, svg } from './base.js';
import { matrixTable, tint } from './matrix-table.js';

/** Scores the buttons, inputs and the attribute may reach. */
const LIMIT = 1000;
/** Temperature slider stops (the number box takes any value in 0.05..20). */
const STOPS = [0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9, 10];
/** Chart geometry in viewBox units. */
const COL = 60, H = 150, TOP = 24, BOTTOM = 40;
/** Below this largest Jacobian entry the distribution counts as saturated. */
const TINY = 0.01;

const clean = (v) => Math.round(v * 1e6) / 1e6;
const score = (v) => (Math.abs(v * 10 - Math.round(v * 10)) < 1e-6 ? fmt(v, 1) : fmt(v, 2));
/** A probability as a percentage; a softmax output is never exactly 0 or 1, even where float32 rounds it so. */
const pct = (p) => (p < 0.0005 ? '<0.1%' : p >= 0.9995 ? '>99.9%' : `${(p * 100).toFixed(1)}%`);
const SUP = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
/**
 * A small number readably, never in e-notation: 4 decimals from 0.001 up; a plain decimal with two
 * significant digits down to a millionth ("0.000045"); "4.5 × 10⁻⁸" below that.
 */
export function small(v) {
  if (Math.abs(v) < 1e-30) return '0';
  if (Math.abs(v) >= 0.001) return fmt(v, 4);
  if (Math.abs(v) >= 1e-6) return fmt(v, -Math.floor(Math.log10(Math.abs(v))) + 1).replace(/0+$/, '');
  const [m, e] = v.toExponential(1).split('e');
  return `${m.replace('-', '−')} × 10${[...e.replace('+', '')].map((ch) => SUP[ch]).join('')}`;
}
const nearestStop = (t) => STOPS.reduce((best, s, i) => (Math.abs(Math.log(s / t)) < Math.abs(Math.log(STOPS[best] / t)) ? i : best), 0);

export class SoftmaxBars extends WidgetBase {
  static tag = 'attn-softmax';
  static styles = ['softmax-bars.css'];
  static props = [
    { name: 'scores', type: 'numbers', minItems: 2, maxItems: 8, min: -LIMIT, max: LIMIT, default: [2, 1, 0.1],
      description: `The scores (logits), 2-8 comma-separated numbers from -${LIMIT} to ${LIMIT}.` },
    { name: 'temperature', type: 'number', min: 0.05, max: 20, default: 1,
      description: 'The starting temperature T: the softmax is taken of scores / T.' },
    { name: 'labels', type: 'tokens', maxTokens: 8, default: null,
      description: 'Optional names for the scores, one word each (as many as there are scores).' },
    { name: 'gradient', type: 'boolean', default: true,
      description: "Show the softmax's sensitivities (its Jacobian) and how they shrink when it saturates." },
  ];
  static controls = ['temperature', 'buttons', 'table'];

  static checks = {
    'top-probability-at-least': {
      description: 'The largest probability is at least threshold.',
      args: [{ name: 'threshold', type: 'number', min: 0, max: 1, description: 'Smallest accepted top probability.' }],
      run(w, { threshold }) {
        const { p, top } = w.result;
        const ok = p[top] >= threshold;
        return { correct: ok, message: `The largest probability is ${fmt(p[top], 3)} (${w.labels()[top]}); the target is at least ${fmt(threshold, 3)}.` };
      },
    },
    'max-prob-below': {
      description: 'Every probability is below threshold (the distribution is spread out); optionally score number keep-top is still the largest.',
      args: [
        { name: 'threshold', type: 'number', min: 0, max: 1, description: 'Every probability must stay below this.' },
        { name: 'keep-top', type: 'integer', min: 0, max: 8, default: 0,
          description: 'If not 0: the 1-based position of the score that must still be the largest (ties count).' },
      ],
      run(w, args) {
        const { p, top } = w.result, labels = w.labels(), s = w.state.scores, k = args['keep-top'] - 1;
        const here = `The largest probability is ${fmt(p[top], 3)} (${labels[top]})`;
        if (k >= 0 && k < s.length && s.some((x) => x > s[k]))
          return { correct: false, message: `${here}, but "${labels[k]}" no longer has the largest score (${score(s[k])}). Keep it on top.` };
        const ok = p[top] < args.threshold;
        return { correct: ok, message: `${here}; the target is below ${fmt(args.threshold, 3)}.` };
      },
    },
    'sum-to-one-after-shift': {
      description: 'Every score moved by the same non-zero amount from the start, and the probabilities did not change.',
      args: [],
      run(w) {
        const now = w.state.scores, start = w.start.scores;
        const c = now[0] - start[0];
        const same = now.every((s, i) => Math.abs(s - start[i] - c) < 1e-6);
        if (!same || Math.abs(c) < 1e-9)
          return { correct: false, message: 'The scores have not all moved by the same amount from where they started. Press "Add 100 to every score" (or Reset first).' };
        const { p, sum } = w.result;
        const was = w.engine.softmax(start, w.state.temperature);
        const unchanged = p.every((x, i) => Math.abs(x - was[i]) < 1e-4);
        const shift = `${c > 0 ? '+' : '−'}${score(Math.abs(c))}`;
        return { correct: unchanged, message: unchanged
          ? `Every score moved by ${shift}; the probabilities are still ${[...p].map(pct).join(', ')} and sum to ${fmt(sum, 3)}.`
          : `Every score moved by ${shift}, but the probabilities changed — that should not happen.` };
      },
    },
    'gradient-below': {
      description: 'The largest |∂p_i/∂z_j| of the softmax is below value (saturated).',
      args: [{ name: 'value', type: 'number', min: 0, max: 1, description: 'The largest Jacobian entry must be below this.' }],
      run(w, { value }) {
        const { largest } = w.result;
        return { correct: largest < value, message: `The largest |∂pᵢ/∂zⱼ| is ${small(largest)}; the target is below ${small(value)}.` };
      },
    },
  };

  readProps() {
    super.readProps();
    const { scores, temperature, labels } = this.values;
    this.propNotes = [];
    if (labels && labels.length !== scores.length)
      this.propNotes.push(`labels: ${labels.length} word${labels.length === 1 ? '' : 's'} for ${scores.length} scores; numbering the scores instead`);
    this.start = { scores: [...scores], temperature };
    this.state = { scores: [...scores], temperature };
    this.comparison = null;
    this.frozen = null;
    this.setNotice([...this.propErrors, ...this.propNotes]);
  }

  /** The live state in props terms: the scores and the temperature as they are now. */
  currentValues() {
    const v = { ...this.values };
    if (this.state) Object.assign(v, { scores: [...this.state.scores], temperature: this.state.temperature });
    if (v.labels === null) v.labels = undefined; // no labels attribute: nothing to write
    return v;
  }

  labels() {
    const { labels } = this.values;
    return labels && labels.length === this.state.scores.length ? labels : this.state.scores.map((_, i) => `${i + 1}`);
  }

  setup() {
    const uid = Math.random().toString(36).slice(2, 8);
    this.ids = { t: `t-${uid}`, tn: `tn-${uid}`, hint: `hint-${uid}` };
    this.range = el('input', { type: 'range', id: this.ids.t, min: 0, max: STOPS.length - 1, step: 1 });
    this.tBox = el('input', { type: 'number', id: this.ids.tn, min: 0.05, max: 20, step: 0.05, inputmode: 'decimal',
      'aria-label': 'Temperature T = (exact value)' });
    this.range.addEventListener('input', () => this.setTemperature(STOPS[Number(this.range.value)], false));
    this.range.addEventListener('change', () => this.setTemperature(STOPS[Number(this.range.value)], true));
    this.tBox.addEventListener('change', () => {
      const t = Number(this.tBox.value);
      if (this.tBox.value.trim() === '' || !Number.isFinite(t)) return this.update();
      this.setTemperature(Math.max(0.05, Math.min(20, t)), true);
    });
    const add = el('button', { type: 'button' }, 'Add 100 to every score');
    const times = el('button', { type: 'button' }, 'Multiply every score by 10');
    const reset = el('button', { type: 'button', class: 'secondary' }, 'Reset');
    add.addEventListener('click', () => this.transform('add'));
    times.addEventListener('click', () => this.transform('times'));
    reset.addEventListener('click', () => {
      this.state = { scores: [...this.start.scores], temperature: this.start.temperature };
      this.comparison = null;
      this.compareLine.textContent = '';
      this.update(true);
    });

    this.scoreSvg = svg('svg', { class: 'chart scores', role: 'group', 'aria-label': 'Scores: each bar is a slider' });
    this.probSvg = svg('svg', { class: 'chart probs', role: 'img' });
    this.sumLine = el('p', { class: 'sum' });
    this.tbody = el('tbody');
    this.table = el('table', { class: 'values', 'data-control': 'table' },
      el('caption', {}, 'Scores and probabilities (type a score to change it)'),
      el('thead', {}, el('tr', {}, ...['token', 'score z', 'probability p', 'percent'].map((h) => el('th', { scope: 'col' }, h)))),
      this.tbody);
    this.compareLine = el('p', { class: 'compare', 'aria-live': 'polite' });
    this.live = el('p', { class: 'sr-only', 'aria-live': 'polite' });
    this.gradPanel = el('section', { class: 'grad', 'aria-label': 'How much the probabilities respond to the scores' });

    this.body.replaceChildren(
      el('div', { class: 'controls' },
        el('div', { class: 'temp', 'data-control': 'temperature' },
          el('label', { for: this.ids.t }, 'Temperature T'), this.range,
          el('span', { class: 'exact' }, el('label', { for: this.ids.tn }, 'T ='), this.tBox)),
        el('div', { class: 'buttons', 'data-control': 'buttons' }, add, times, reset)),
      el('div', { class: 'sm-charts' },
        el('figure', {}, el('figcaption', {}, 'Scores z (drag a bar)'), this.scoreSvg),
        el('figure', {}, el('figcaption', {}, 'Probabilities p = softmax(z / T)'), this.probSvg)),
      el('p', { id: this.ids.hint, class: 'hint' }, 'Drag a score bar up or down, or focus it and use the arrow keys (Shift moves by 1).'),
      this.sumLine,
      this.compareLine,
      this.table,
      this.gradPanel,
      this.live);
    this.n = 0;
  }

  /** (Re)builds the bar columns and table rows when the number of scores changes. */
  buildColumns() {
    const n = this.state.scores.length, labels = this.labels();
    this.n = n;
    this.labelKey = labels.join(' ');
    const width = n * COL, height = TOP + H + BOTTOM;
    for (const s of [this.scoreSvg, this.probSvg]) {
      s.replaceChildren();
      s.setAttribute('viewBox', `0 0 ${width} ${height}`);
      s.setAttribute('width', String(Math.round(width * 1.25)));
    }
    const short = (t) => (t.length > 7 ? `${t.slice(0, 6)}…` : t);
    this.zero = svg('line', { class: 'baseline', x1: 0, x2: width });
    this.scoreSvg.append(this.zero);
    this.probSvg.append(svg('line', { class: 'baseline', x1: 0, x2: width, y1: TOP + H, y2: TOP + H }));
    this.cols = labels.map((label, i) => {
      const x = i * COL;
      const g = svg('g', { class: 'bar', tabindex: '0', role: 'slider', 'aria-label': `Score bar for ${label}`,
        'aria-valuemin': -LIMIT, 'aria-valuemax': LIMIT, 'aria-describedby': this.ids.hint });
      const hit = svg('rect', { class: 'hit', x, y: 0, width: COL, height: TOP + H + BOTTOM });
      const rect = svg('rect', { class: 'fill', x: x + 10, width: COL - 20 });
      const grip = svg('rect', { class: 'grip', x: x + 16, width: COL - 32, height: 4, rx: 2 });
      const value = svg('text', { class: 'value', x: x + COL / 2, 'text-anchor': 'middle' });
      const name = svg('text', { class: 'name', x: x + COL / 2, y: TOP + H + BOTTOM - 8, 'text-anchor': 'middle' }, short(label));
      g.append(hit, rect, grip, value);
      this.scoreSvg.append(g, name);
      g.addEventListener('keydown', (e) => this.onKey(i, e));
      g.addEventListener('pointerdown', (e) => this.onPointerDown(i, g, e));
      // CSS touch-action does not reach inside SVG in every browser: stop the page panning this way
      g.addEventListener('touchstart', (e) => e.preventDefault(), { passive: false });
      g.addEventListener('pointermove', (e) => this.onPointerMove(i, e));
      g.addEventListener('pointerup', () => this.endDrag());
      g.addEventListener('pointercancel', () => this.endDrag());
      g.addEventListener('lostpointercapture', () => this.endDrag());

      const pRect = svg('rect', { class: 'fill', x: x + 10, width: COL - 20 });
      const pText = svg('text', { class: 'value', x: x + COL / 2, 'text-anchor': 'middle' });
      this.probSvg.append(pRect, pText,
        svg('text', { class: 'name', x: x + COL / 2, y: TOP + H + BOTTOM - 8, 'text-anchor': 'middle' }, short(label)));

      const input = el('input', { type: 'number', step: '0.1', min: -LIMIT, max: LIMIT, inputmode: 'decimal', 'aria-label': `Score of ${label}` });
      input.addEventListener('input', () => this.typed(i, input, false));
      input.addEventListener('change', () => this.typed(i, input, true));
      const pCell = el('td', { class: 'num' }), pctCell = el('td', { class: 'num' });
      const row = el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, input), pCell, pctCell);
      return { g, rect, grip, value, pRect, pText, input, pCell, pctCell, row };
    });
    this.tbody.replaceChildren(...this.cols.map((c) => c.row));
  }

  onKey(i, e) {
    const big = e.shiftKey ? 1 : 0.1;
    const steps = { ArrowUp: big, ArrowRight: big, ArrowDown: -big, ArrowLeft: -big, PageUp: 1, PageDown: -1 };
    if (!(e.key in steps)) return;
    e.preventDefault();
    this.setScore(i, this.state.scores[i] + steps[e.key], true);
  }

  onPointerDown(i, g, e) {
    if (e.button !== undefined && e.button !== 0) return;
    e.preventDefault();
    g.focus();
    g.setPointerCapture?.(e.pointerId);
    this.frozen = this.domain();
    this.dragging = { i, moved: false };
    this.onPointerMove(i, e);
  }

  onPointerMove(i, e) {
    if (!this.dragging || this.dragging.i !== i) return;
    const pt = this.scoreSvg.createSVGPoint();
    pt.x = e.clientX;
    pt.y = e.clientY;
    const y = pt.matrixTransform(this.scoreSvg.getScreenCTM().inverse()).y;
    const [lo, hi] = this.frozen;
    const v = hi - ((Math.max(TOP, Math.min(TOP + H, y)) - TOP) / H) * (hi - lo);
    if (this.setScore(i, Math.round(v * 10) / 10, false)) {
      this.dragging.moved = true;
      this.emit('input', this.detail());
    }
  }

  endDrag() {
    if (!this.dragging) return;
    const { moved } = this.dragging;
    this.dragging = null;
    this.frozen = null;
    this.update(moved);
  }

  typed(i, input, commit) {
    const v = Number(input.value);
    if (input.value.trim() === '' || !Number.isFinite(v)) {
      if (commit) this.update();
      return;
    }
    // The input event already set the score uncommitted, so on change it is usually unchanged: commit anyway.
    if (!this.setScore(i, v, commit) && commit) this.update(true);
  }

  /** Sets score i (kept within ±LIMIT); returns whether it changed. */
  setScore(i, v, commit) {
    const next = clean(Math.max(-LIMIT, Math.min(LIMIT, v)));
    if (next === this.state.scores[i]) return false;
    this.state.scores[i] = next;
    this.comparison = null;
    this.update(commit);
    return true;
  }

  setTemperature(t, commit) {
    this.state.temperature = clean(t);
    this.comparison = null;
    this.update(commit);
  }

  /** The two buttons: an input edit on every score, then a before/after comparison. */
  transform(kind) {
    const s = this.state.scores;
    const next = s.map((v) => clean(kind === 'add' ? v + 100 : v * 10));
    if (next.some((v) => Math.abs(v) > LIMIT)) {
      this.comparison = null;
      this.compareLine.textContent = `That would push a score past ${LIMIT}, this widget's limit. Press Reset first.`;
      return;
    }
    const before = { scores: [...s], p: [...this.result.p], largest: this.result.largest };
    this.state.scores = next;
    this.update(true);
    this.comparison = { kind, before };
    this.describeComparison();
  }

  detail() {
    return { scores: [...this.state.scores], temperature: this.state.temperature, probabilities: [...this.result.p] };
  }

  /** Everything the widget shows, from the engine. */
  compute() {
    const { scores, temperature } = this.state;
    const p = Array.from(this.engine.softmax(scores, temperature));
    const sum = this.engine.dot(p, p.map(() => 1));
    const J = this.engine.softmaxJacobian(scores, temperature);
    const n = scores.length;
    const rows = Array.from({ length: n }, (_, i) => Array.from(J.data.subarray(i * n, (i + 1) * n)));
    const largest = Math.max(...J.data.map(Math.abs));
    const top = p.reduce((best, x, i) => (x > p[best] ? i : best), 0);
    return { p, sum, J: rows, largest, top };
  }

  update(committed = false) {
    if (!this.engine) return;
    const labels = this.labels();
    if (this.n !== this.state.scores.length || this.labelKey !== labels.join(' ')) this.buildColumns();
    try {
      this.result = this.compute();
      this.setNotice([...this.propErrors, ...this.propNotes]);
    } catch (err) {
      this.setNotice([...this.propErrors, ...this.propNotes, err.message]);
      if (!this.result) return;
    }
    this.draw();
    if (committed) {
      this.live.textContent = this.summary();
      this.emit('change', this.detail());
    }
  }

  summary() {
    const labels = this.labels(), { p, sum } = this.result;
    return `T = ${fmt(this.state.temperature)}. Probabilities: ${p.map((x, i) => `${labels[i]} ${pct(x)}`).join(', ')}; sum ${fmt(sum, 3)}.`;
  }

  /** The score axis: always shows 0 and leaves room to drag past the current extremes. */
  domain() {
    const s = this.state.scores;
    const lo = Math.min(0, ...s), hi = Math.max(0, ...s);
    const pad = Math.max(1, (hi - lo) * 0.25);
    return [lo - pad, hi + pad];
  }

  draw() {
    const { scores, temperature } = this.state, { p, sum, top } = this.result, labels = this.labels();
    const [lo, hi] = this.frozen ?? this.domain();
    const yOf = (v) => TOP + ((hi - v) / (hi - lo)) * H;
    const y0 = yOf(0);
    this.zero.setAttribute('y1', y0);
    this.zero.setAttribute('y2', y0);
    this.cols.forEach((c, i) => {
      const v = scores[i], y = yOf(v);
      const sign = v > 0 ? 'pos' : v < 0 ? 'neg' : 'zero';
      c.rect.setAttribute('y', Math.min(y, y0));
      c.rect.setAttribute('height', Math.max(1, Math.abs(y - y0)));
      c.rect.setAttribute('class', `fill ${sign}`);
      c.grip.setAttribute('y', (v >= 0 ? Math.min(y, y0) : Math.max(y, y0)) - 2);
      c.value.textContent = score(v);
      c.value.setAttribute('y', v >= 0 ? Math.min(y, y0) - 6 : Math.max(y, y0) + 16);
      c.g.setAttribute('aria-valuenow', v);
      c.g.setAttribute('aria-valuetext', `${score(v)}, probability ${pct(p[i])}`);
      const py = TOP + (1 - p[i]) * H;
      c.pRect.setAttribute('y', py);
      c.pRect.setAttribute('height', Math.max(0.5, TOP + H - py));
      c.pRect.setAttribute('class', `fill prob${i === top ? ' top' : ''}`);
      c.pText.textContent = pct(p[i]);
      c.pText.setAttribute('y', py - 6);
      c.pText.setAttribute('class', `value${i === top ? ' top' : ''}`);
      if (this.root.activeElement !== c.input || Number(c.input.value) !== v) c.input.value = String(v);
      c.pCell.textContent = p[i] > 0 && p[i] < 0.0005 ? small(p[i]) : fmt(p[i], 3);
      c.pctCell.textContent = pct(p[i]);
    });
    this.probSvg.setAttribute('aria-label', `Probabilities: ${p.map((x, i) => `${labels[i]} ${pct(x)}`).join(', ')}`);
    this.range.value = String(nearestStop(temperature));
    this.range.setAttribute('aria-valuetext', `T = ${fmt(temperature)}`);
    if (this.root.activeElement !== this.tBox || Number(this.tBox.value) !== temperature) this.tBox.value = String(temperature);
    this.sumLine.replaceChildren(el('strong', {}, `Sum of the probabilities = ${fmt(sum, 3)}`),
      `  ·  largest: ${labels[top]} with ${pct(p[top])}`);
    if (!this.comparison) this.compareLine.textContent = '';
    this.drawGradient();
  }

  drawGradient() {
    this.gradPanel.hidden = !this.values.gradient;
    if (!this.values.gradient) return;
    const { J, largest } = this.result, labels = this.labels();
    const saturated = largest < TINY;
    const key = labels.join('\n');
    if (this.gradKey !== key) {
      // built when the scores' names or count change; otherwise only its numbers and words are patched
      const m = matrixTable(J, { caption: 'Jacobian: row i, column j holds ∂pᵢ/∂zⱼ', rowLabels: labels.map((l) => `p ${l}`),
        colLabels: labels.map((l) => `z ${l}`), className: 'jac' });
      const open = this.gradPanel.querySelector('details')?.open ?? false;
      this.grad = { cells: m.cells, big: el('p'), largest: el('strong'), diag: el('p'), verdict: el('p', { class: 'verdict' }) };
      this.grad.big.append('Largest |∂pᵢ/∂zⱼ| = ', this.grad.largest);
      this.gradPanel.replaceChildren(
        el('h3', {}, 'How hard can learning push these probabilities?'),
        this.grad.big, this.grad.diag, this.grad.verdict,
        el('details', { open }, el('summary', {}, 'Show the whole Jacobian'),
          el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Jacobian table' }, m.table)));
      this.gradKey = key;
    }
    const g = this.grad, text = (node, t) => { if (node.textContent !== t) node.textContent = t; };
    const scale = Math.max(1e-9, ...J.flat().map(Math.abs));
    g.cells.forEach((row, i) => row.forEach((td, j) => {
      const cls = `cell ${tint(J[i][j], scale)}`;
      if (td.className !== cls) td.className = cls;
      text(td, small(J[i][j]));
    }));
    const bigClass = `grad-big ${saturated ? 'tiny' : ''}`;
    if (g.big.className !== bigClass) g.big.className = bigClass;
    text(g.largest, small(largest));
    text(g.diag, `Diagonal ∂pᵢ/∂zᵢ: ${J.map((row, i) => `${labels[i]} ${small(row[i])}`).join(' · ')}`);
    text(g.verdict, saturated
      ? 'Nearly one-hot: nudging any score barely moves any probability, so the gradient that flows back through this softmax is tiny.'
      : 'Spread out: nudging a score still moves the probabilities, so learning gets a usable gradient.');
  }

  describeComparison() {
    const { kind, before } = this.comparison, { p, largest } = this.result;
    const list = (xs, f) => xs.map(f).join(', ');
    if (kind === 'add') {
      const same = before.p.every((x, i) => pct(x) === pct(p[i]));
      this.compareLine.replaceChildren(el('strong', {}, 'Added 100 to every score: '),
        `${list(before.scores, score)} → ${list(this.state.scores, score)}. Probabilities before: ${list(before.p, pct)}; after: ${list(p, pct)}${same ? ' — identical.' : '.'}`);
    } else {
      const t = before.p.reduce((best, x, i) => (x > before.p[best] ? i : best), 0);
      this.compareLine.replaceChildren(el('strong', {}, 'Multiplied every score by 10: '),
        `${list(before.scores, score)} → ${list(this.state.scores, score)}. The top probability went from ${pct(before.p[t])} to ${pct(p[t])}; the largest |∂pᵢ/∂zⱼ| from ${small(before.largest)} to ${small(largest)}.`);
    }
  }
}
