/**
 * <attn-dk-scaling>: why scores are divided by √d_k, shown rather than told.
 *
 * Attributes (declared in `props` below): dk, seed.
 * A d_k control (2 … 512, in powers of two) and one random query against six random keys, every
 * entry drawn with mean 0 and variance 1. The row of scores q·k_j goes through a softmax twice:
 * as is, and divided by √d_k. A table records, for every d_k the learner visits, the measured
 * spread (standard deviation) of q·k over 2,000 fresh random pairs next to √d_k. Every number
 * comes from engine.scalingDemo() (the C++ core); this file only draws.
 * Events: `change` with detail { dk, seed } on every committed change.
 * Controls `hide` can hide: dk (the d_k control), draw (the "New random draw" button).
 */
import { WidgetBase, el, fmt, svg } from './base.js';

/** The d_k values the control steps through. */
export const STOPS = [2, 4, 8, 16, 32, 64, 128, 256, 512];
const KEYS = 6;

/** A weight near 0 or 1 with enough digits to see it (0.000079, not 0.00). */
function weight(v) {
  if (v >= 0.99995) return v === 1 ? '≈ 1' : '> 0.9999'; // exactly 1 only after float32 rounding
  if (v >= 0.995) return v.toFixed(4);
  if (v > 0 && v < 0.005) return v < 0.0001 ? '< 0.0001' : v.toFixed(4);
  return fmt(v, 2);
}

export class DkScaling extends WidgetBase {
  static tag = 'attn-dk-scaling';
  static styles = ['dk-scaling.css'];
  static props = [
    { name: 'dk', type: 'integer', min: 2, max: 512, default: 2,
      description: 'Width d_k of the random query and keys: 2, 4, 8, …, 512 (other values snap to the nearest power of two).' },
    { name: 'seed', type: 'integer', min: 1, max: 2147483647, default: 1,
      description: 'Seed of the random draw (the "New random draw" button adds 1).' },
  ];
  static controls = ['dk', 'draw'];

  static checks = {
    'saturated-without-scaling': {
      description: 'Without the scaling the row gives at least `min` to one key, while the scaled row gives less than `min` to every key.',
      args: [{ name: 'min', type: 'number', min: 0.5, max: 1, default: 0.95, description: 'Largest weight that counts as saturated.' }],
      run(w, { min }) {
        const d = w.demo, raw = Math.max(...d.weightsRaw), scaled = Math.max(...d.weightsScaled);
        const what = `At d_k = ${d.dK} the largest weight is ${weight(raw)} without the scaling and ${weight(scaled)} with it`;
        if (raw < min) return { correct: false, message: `${what}. The unscaled row is not saturated yet (below ${fmt(min, 2)}): make d_k larger.` };
        if (scaled >= min) return { correct: false, message: `${what}. The scaled row is saturated too on this draw; try a new random draw.` };
        return { correct: true, message: `${what}.` };
      },
    },
  };

  setup() {
    this.range = el('input', { type: 'range', id: 'dk-range', min: 0, max: STOPS.length - 1, step: 1 });
    this.dkOut = el('output', { for: 'dk-range', class: 'dk-value' });
    this.drawButton = el('button', { type: 'button', class: 'secondary' }, 'New random draw');
    this.summary = el('p', { class: 'dk-summary', 'aria-live': 'polite' });
    this.charts = el('div', { class: 'dk-charts' });
    this.rowTable = el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'The row as a table' });
    this.spreadTable = el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Spread of q·k for every d_k you visited' });
    this.seen = new Map(); // d_k -> { raw, scaled } spreads measured on a visit
    this.body.replaceChildren(
      el('div', { class: 'controls' },
        el('div', { class: 'dk-control', 'data-control': 'dk' },
          el('label', { for: 'dk-range' }, 'd', el('sub', {}, 'k'), ' (width of q and k)'), this.range, this.dkOut),
        el('div', { 'data-control': 'draw' }, this.drawButton)),
      el('p', { class: 'hint' }, 'One random query q and six random keys; every entry has mean 0 and variance 1. Move dₖ with the slider or the arrow keys.'),
      this.summary,
      this.charts,
      el('details', { class: 'table-view' }, el('summary', {}, 'Table view of the row'), this.rowTable),
      this.spreadTable);
    this.range.addEventListener('input', () => {
      this.state.dk = STOPS[Number(this.range.value)];
      this.update(true);
    });
    this.drawButton.addEventListener('click', () => {
      this.state.seed = this.state.seed >= 2147483647 ? 1 : this.state.seed + 1;
      this.update(true);
    });
  }

  readProps() {
    super.readProps();
    const { dk, seed } = this.values;
    const snapped = STOPS.reduce((best, s) => (Math.abs(Math.log2(s) - Math.log2(dk)) < Math.abs(Math.log2(best) - Math.log2(dk)) ? s : best));
    if (snapped !== dk) this.propErrors = [...this.propErrors, `dk: ${dk} is not a power of two; showing ${snapped}`];
    this.setNotice(this.propErrors);
    this.state = { dk: snapped, seed };
  }

  currentValues() {
    return { ...this.values, ...(this.state ? { dk: this.state.dk, seed: this.state.seed } : {}) };
  }

  update(committed = false) {
    if (!this.engine) return;
    const s = this.state;
    try {
      // The core measures the spread over 2,000 fresh pairs: about a quarter of a second at d_k = 512
      // on a slow machine. A stop already visited with this draw is kept, so sliding back is instant.
      const key = `${s.dk}:${s.seed}`;
      if (this.memo?.seed !== s.seed) this.memo = { seed: s.seed, demos: new Map() };
      if (!this.memo.demos.has(key)) this.memo.demos.set(key, this.engine.scalingDemo({ dK: s.dk, keys: KEYS, seed: s.seed }));
      this.demo = this.memo.demos.get(key);
    } catch (err) {
      this.setNotice([...this.propErrors, err.message]);
      return;
    }
    this.seen.set(s.dk, { raw: this.demo.spreadRaw, scaled: this.demo.spreadScaled });
    this.draw();
    if (committed) this.emit('change', { dk: s.dk, seed: s.seed });
  }

  draw() {
    const d = this.demo;
    const i = STOPS.indexOf(d.dK);
    this.range.value = String(i);
    this.range.setAttribute('aria-valuetext', `d_k = ${d.dK}`);
    this.dkOut.textContent = `${d.dK}  (√dₖ = ${fmt(Math.sqrt(d.dK), 1)})`;

    const rawTop = Math.max(...d.weightsRaw), scaledTop = Math.max(...d.weightsScaled);
    const rawKey = d.weightsRaw.indexOf(rawTop) + 1;
    this.summary.replaceChildren(
      el('span', {}, `Scores q·k spread about ${fmt(d.spreadRaw, 1)} (standard deviation over ${d.samples.toLocaleString('en')} random pairs; √${d.dK} = ${fmt(Math.sqrt(d.dK), 1)}). `),
      el('span', {}, 'Without scaling, the largest weight is '), el('strong', {}, weight(rawTop)), ` (key ${rawKey})`,
      el('span', {}, rawTop >= 0.95 ? ': the softmax has saturated. ' : '. '),
      el('span', {}, `Divided by √${d.dK}, the largest weight is `), el('strong', {}, weight(scaledTop)), '.');

    this.charts.replaceChildren(
      this.chart(d.weightsRaw, 'Without scaling: softmax(q·k)', 'raw'),
      this.chart(d.weightsScaled, `Scaled: softmax(q·k / √${d.dK})`, 'scaled'));

    const head = ['key', 'q·k', 'weight', `q·k / √${d.dK}`, 'weight'];
    this.rowTable.replaceChildren(el('table', { class: 'dk-table' },
      el('caption', {}, `One row of scores at dₖ = ${d.dK}, without and with the scaling`),
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...Array.from(d.raw, (r, j) => el('tr', {},
        el('th', { scope: 'row' }, `key ${j + 1}`),
        el('td', {}, fmt(r, 2)), el('td', {}, weight(d.weightsRaw[j])),
        el('td', {}, fmt(d.scaled[j], 2)), el('td', {}, weight(d.weightsScaled[j])))))));

    this.spreadTable.replaceChildren(el('table', { class: 'dk-table spread' },
      el('caption', {}, 'Spread of q·k for each dₖ you have visited'),
      el('thead', {}, el('tr', {}, ...['dₖ', '√dₖ', 'spread of q·k', 'spread of q·k / √dₖ'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...STOPS.map((k) => {
        const m = this.seen.get(k);
        return el('tr', { class: k === d.dK ? 'current' : undefined },
          el('th', { scope: 'row' }, String(k)), el('td', {}, fmt(Math.sqrt(k), 1)),
          el('td', {}, m ? fmt(m.raw, 1) : '—'), el('td', {}, m ? fmt(m.scaled, 2) : '—'));
      }))));
  }

  /** Six bars of weights between 0 and 1, labelled under each bar and with its value above. */
  chart(weights, title, kind) {
    const W = 300, H = 150, top = 22, bottom = 24, gap = 10;
    const bw = (W - gap * (weights.length + 1)) / weights.length;
    const y = (v) => top + (1 - v) * (H - top - bottom);
    const bars = Array.from(weights, (v, j) => {
      const x = gap + j * (bw + gap);
      return svg('g', {},
        svg('rect', { class: `bar ${kind}`, x, y: y(v), width: bw, height: Math.max(0, y(0) - y(v)) }),
        svg('text', { x: x + bw / 2, y: y(v) - 5 }, v < 0.005 ? '≈ 0' : v >= 0.995 ? '≈ 1' : fmt(v, 2)),
        svg('text', { class: 'muted', x: x + bw / 2, y: H - 6 }, `key ${j + 1}`));
    });
    return el('figure', { class: 'dk-chart-box' },
      el('figcaption', {}, title),
      svg('svg', { class: 'dk-chart', viewBox: `0 0 ${W} ${H}`, role: 'img',
        'aria-label': `${title}: ${Array.from(weights, (v, j) => `key ${j + 1} ${weight(v)}`).join(', ')}` },
      svg('line', { class: 'axis', x1: 0, x2: W, y1: y(0), y2: y(0) }),
      svg('line', { class: 'grid', x1: 0, x2: W, y1: y(1), y2: y(1) }),
      ...bars));
  }
}
