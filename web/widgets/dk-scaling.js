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
import { setAttrs, setText } from './dom.js';

/** The d_k values the control steps through. */
export const STOPS = [2, 4, 8, 16, 32, 64, 128, 256, 512];
const KEYS = 6;
/** The bar charts' geometry (SVG units). */
const CHART = { W: 300, H: 150, top: 22, bottom: 24, gap: 10 };
CHART.bw = (CHART.W - CHART.gap * (KEYS + 1)) / KEYS;
const barY = (v) => CHART.top + (1 - v) * (CHART.H - CHART.top - CHART.bottom);
const nextSeed = (seed) => (seed >= 2147483647 ? 1 : seed + 1);

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
    // Everything below is built once and then patched in place (text and attributes that changed).
    // The summary is spoken whole (aria-atomic), as when it was rebuilt on every change.
    this.sum = {
      spread: el('span'), rawTop: el('strong'), rawKey: document.createTextNode(''), saturated: el('span'),
      scaledLead: el('span'), scaledTop: el('strong'),
    };
    this.summary = el('p', { class: 'dk-summary', 'aria-live': 'polite', 'aria-atomic': 'true' },
      this.sum.spread, el('span', {}, 'Without scaling, the largest weight is '), this.sum.rawTop, this.sum.rawKey,
      this.sum.saturated, this.sum.scaledLead, this.sum.scaledTop, '.');
    this.rawChart = this.buildChart('raw');
    this.scaledChart = this.buildChart('scaled');
    this.charts = el('div', { class: 'dk-charts' }, this.rawChart.figure, this.scaledChart.figure);
    this.buildRowTable();
    this.buildSpreadTable();
    this.rowTable = el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'The row as a table' }, this.row.table);
    this.spreadTable = el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Spread of q·k for every d_k you visited' }, this.spread.table);
    this.seen = new Map(); // d_k -> { raw, scaled } spreads measured on a visit
    // d_k -> the seed of a visit whose spread is not measured yet: a held arrow key passes stops
    // faster than frames, and only the last one is drawn; the idle measurements fill the others in.
    this.passed = new Map();
    this.demos = new Map(); // `${d_k}:${seed}` -> the core's scalingDemo, for this draw and the next
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
    // The slider and the button change the state, the slider's spoken value and its readout at once
    // (and send `change`); the numbers and the drawing follow at the next animation frame, so a held
    // arrow key costs one update per frame and the handler never runs the core (scalingDemo takes
    // tens of milliseconds at large d_k; the stops around the current one are measured in idle time).
    this.range.addEventListener('input', () => {
      this.state.dk = STOPS[Number(this.range.value)];
      this.update(true, true);
    });
    this.drawButton.addEventListener('click', () => {
      this.state.seed = nextSeed(this.state.seed);
      this.update(true, true);
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

  /** The core's numbers for the current state; a draw still waiting for its frame happens first. */
  get demo() {
    this.flush();
    return this.shown;
  }

  /** Draws now if a draw is waiting for the next frame (a quiz check, Save PNG/SVG read the drawing). */
  flush() {
    if (!this.drawPending) return;
    this.cancelFrame('draw');
    this.render();
  }

  update(committed = false, inFrame = false) {
    if (!this.engine) return;
    const s = this.state;
    // The slider's position, spoken value and readout follow at once, before the drawing.
    const i = String(STOPS.indexOf(s.dk));
    if (this.range.value !== i) this.range.value = i;
    setAttrs(this.range, { 'aria-valuetext': `d_k = ${s.dk}` });
    setText(this.dkOut, `${s.dk}  (√dₖ = ${fmt(Math.sqrt(s.dk), 1)})`);
    const known = this.demos.get(`${s.dk}:${s.seed}`);
    if (known) this.seen.set(s.dk, { raw: known.spreadRaw, scaled: known.spreadScaled });
    else this.passed.set(s.dk, s.seed);
    if (inFrame) {
      this.drawPending = true;
      this.inNextFrame('draw', () => this.render());
    } else {
      this.cancelFrame('draw');
      this.render();
    }
    if (committed) this.emit('change', { dk: s.dk, seed: s.seed });
  }

  /**
   * The core measures the spread over 2,000 fresh pairs: tens of milliseconds at d_k = 512. Every
   * result for this draw (and the next draw's at the current d_k) is kept, so sliding back is instant.
   */
  demoOf(dk, seed) {
    const key = `${dk}:${seed}`;
    if (!this.demos.has(key)) this.demos.set(key, this.engine.scalingDemo({ dK: dk, keys: KEYS, seed }));
    return this.demos.get(key);
  }

  /** Takes the core's numbers for the current state and draws them. */
  render() {
    this.drawPending = false;
    const s = this.state;
    for (const key of this.demos.keys()) {
      const seed = Number(key.split(':')[1]);
      if (seed !== s.seed && seed !== nextSeed(s.seed)) this.demos.delete(key);
    }
    try {
      this.shown = this.demoOf(s.dk, s.seed);
    } catch (err) {
      this.setNotice([...this.propErrors, err.message]);
      return;
    }
    this.seen.set(s.dk, { raw: this.shown.spreadRaw, scaled: this.shown.spreadScaled });
    this.passed.delete(s.dk);
    this.draw();
    this.prefetch();
  }

  /**
   * Measures, while the page is idle, the stops up to two steps either side of the current one
   * (nearest first) for this draw, and the next draw at this d_k, so a slider step or "New random
   * draw" finds its numbers ready. One measurement per idle period, and d_k >= 64 only in a long one
   * (it takes tens of ms); after 40 idle periods too short for it, the frame measures it when needed.
   */
  prefetch() {
    if (this.prefetching) return;
    this.prefetching = true;
    const idle = globalThis.requestIdleCallback ?? ((f) => setTimeout(() => f({ timeRemaining: () => 50 }), 50));
    let short = 0;
    const work = (deadline) => {
      const s = this.state, at = STOPS.indexOf(s.dk);
      const wanted = [[at - 1, s.seed], [at + 1, s.seed], [at, nextSeed(s.seed)], [at - 2, s.seed], [at + 2, s.seed]]
        .filter(([j]) => j >= 0 && j < STOPS.length).map(([j, seed]) => [STOPS[j], seed])
        .concat([...this.passed].filter(([, seed]) => seed === s.seed));
      const next = wanted.find(([dk, seed]) => !this.demos.has(`${dk}:${seed}`));
      if (!next || !this.isConnected || !this.engine || short > 40) {
        this.prefetching = false;
        return;
      }
      if (deadline.timeRemaining() >= (next[0] >= 64 ? 40 : 8)) {
        try {
          const d = this.demoOf(next[0], next[1]);
          if (this.passed.get(next[0]) === next[1]) {
            this.passed.delete(next[0]);
            this.seen.set(next[0], { raw: d.spreadRaw, scaled: d.spreadScaled });
            this.drawSpread(this.shown?.dK);
          }
        } catch {
          this.prefetching = false; // a state the core refuses: render() reports it when the learner gets there
          return;
        }
      } else short += 1;
      idle(work);
    };
    idle(work);
  }

  draw() {
    const d = this.shown;
    const rawTop = Math.max(...d.weightsRaw), scaledTop = Math.max(...d.weightsScaled);
    const rawKey = d.weightsRaw.indexOf(rawTop) + 1;
    const root = `√${d.dK}`;
    setText(this.sum.spread, `Scores q·k spread about ${fmt(d.spreadRaw, 1)} (standard deviation over ${d.samples.toLocaleString('en')} random pairs; ${root} = ${fmt(Math.sqrt(d.dK), 1)}). `);
    setText(this.sum.rawTop, weight(rawTop));
    if (this.sum.rawKey.data !== ` (key ${rawKey})`) this.sum.rawKey.data = ` (key ${rawKey})`;
    setText(this.sum.saturated, rawTop >= 0.95 ? ': the softmax has saturated. ' : '. ');
    setText(this.sum.scaledLead, `Divided by ${root}, the largest weight is `);
    setText(this.sum.scaledTop, weight(scaledTop));

    this.patchChart(this.rawChart, d.weightsRaw, 'Without scaling: softmax(q·k)');
    this.patchChart(this.scaledChart, d.weightsScaled, `Scaled: softmax(q·k / ${root})`);

    setText(this.row.caption, `One row of scores at dₖ = ${d.dK}, without and with the scaling`);
    setText(this.row.scaledHead, `q·k / ${root}`);
    this.row.cells.forEach((c, j) => {
      setText(c[0], fmt(d.raw[j], 2));
      setText(c[1], weight(d.weightsRaw[j]));
      setText(c[2], fmt(d.scaled[j], 2));
      setText(c[3], weight(d.weightsScaled[j]));
    });

    this.drawSpread(d.dK);
  }

  /** The spread table: every stop measured on a visit, the current one marked. */
  drawSpread(current) {
    this.spread.rows.forEach(({ tr, raw, scaled }, j) => {
      const k = STOPS[j], m = this.seen.get(k);
      tr.classList.toggle('current', k === current);
      setText(raw, m ? fmt(m.raw, 1) : '—');
      setText(scaled, m ? fmt(m.scaled, 2) : '—');
    });
  }

  /** The table view of the row: one row per key, columns q·k, weight, q·k / √d_k, weight. */
  buildRowTable() {
    const head = ['key', 'q·k', 'weight', 'q·k / √dₖ', 'weight'].map((h) => el('th', { scope: 'col' }, h));
    const cells = Array.from({ length: KEYS }, () => Array.from({ length: 4 }, () => el('td')));
    const caption = el('caption');
    this.row = {
      caption, scaledHead: head[3], cells,
      table: el('table', { class: 'dk-table' }, caption, el('thead', {}, el('tr', {}, ...head)),
        el('tbody', {}, ...cells.map((c, j) => el('tr', {}, el('th', { scope: 'row' }, `key ${j + 1}`), ...c)))),
    };
  }

  /** The spread of q·k for every stop of the control ("—" until the learner visits it). */
  buildSpreadTable() {
    const rows = STOPS.map((k) => {
      const raw = el('td', {}, '—'), scaled = el('td', {}, '—');
      return { raw, scaled, tr: el('tr', {}, el('th', { scope: 'row' }, String(k)), el('td', {}, fmt(Math.sqrt(k), 1)), raw, scaled) };
    });
    this.spread = {
      rows,
      table: el('table', { class: 'dk-table spread' },
        el('caption', {}, 'Spread of q·k for each dₖ you have visited'),
        el('thead', {}, el('tr', {}, ...['dₖ', '√dₖ', 'spread of q·k', 'spread of q·k / √dₖ'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...rows.map((r) => r.tr))),
    };
  }

  /** Six bars of weights between 0 and 1, labelled under each bar and with its value above (drawn by patchChart). */
  buildChart(kind) {
    const bars = Array.from({ length: KEYS }, (_, j) => {
      const x = CHART.gap + j * (CHART.bw + CHART.gap);
      const rect = svg('rect', { class: `bar ${kind}`, x, width: CHART.bw });
      const value = svg('text', { x: x + CHART.bw / 2 });
      return { rect, value, g: svg('g', {}, rect, value, svg('text', { class: 'muted', x: x + CHART.bw / 2, y: CHART.H - 6 }, `key ${j + 1}`)) };
    });
    const caption = el('figcaption');
    const chart = svg('svg', { class: 'dk-chart', viewBox: `0 0 ${CHART.W} ${CHART.H}`, role: 'img' },
      svg('line', { class: 'axis', x1: 0, x2: CHART.W, y1: barY(0), y2: barY(0) }),
      svg('line', { class: 'grid', x1: 0, x2: CHART.W, y1: barY(1), y2: barY(1) }),
      ...bars.map((b) => b.g));
    return { bars, caption, chart, figure: el('figure', { class: 'dk-chart-box' }, caption, chart) };
  }

  patchChart(c, weights, title) {
    setText(c.caption, title);
    setAttrs(c.chart, { 'aria-label': `${title}: ${Array.from(weights, (v, j) => `key ${j + 1} ${weight(v)}`).join(', ')}` });
    c.bars.forEach(({ rect, value }, j) => {
      const v = weights[j];
      setAttrs(rect, { y: barY(v), height: Math.max(0, barY(0) - barY(v)) });
      setAttrs(value, { y: barY(v) - 5 });
      setText(value, v < 0.005 ? '≈ 0' : v >= 0.995 ? '≈ 1' : fmt(v, 2));
    });
  }
}
