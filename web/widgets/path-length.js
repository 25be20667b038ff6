/**
 * <attn-path-length>: lesson 13's widget. Two panels.
 *
 * 1. Path: a sentence of n tokens drawn twice, as an RNN chain and as a self-attention layer. The
 *    learner picks two tokens i < j (two range inputs, or a tap/click on the drawing); the RNN path
 *    from i to j is drawn as j − i hops along the chain, the self-attention path as one arc. As an
 *    honest tie-in to lesson 1, the same seeded tanh RNN as lesson 1 (engine.rnnDemo, run by the
 *    core) reports how much token i can still move the state at token j (‖∂h_j/∂x_i‖) next to
 *    token j's own influence.
 * 2. Cost: per-layer work of self-attention (n²·d) and of a recurrent layer (n·d²) on log-log axes
 *    against n, for a model width d; the crossover at n = d is marked, the chosen n is marked on both
 *    lines, and the sequential operations (1 vs n) are printed. These are sizes multiplied together
 *    (no attention math happens here), as in Vaswani et al. Table 1, which is shown as a table.
 *
 * Attributes (declared in `props` below): n, from, to, cost-n, d.
 * Events: `input` while a slider moves, `change` on every committed change, with detail
 * { n, from, to, hops, costN, d, attentionWork, recurrentWork }.
 * Controls `hide` can hide: length, pair (the path sliders), cost-n, width (the cost sliders).
 */
import { WidgetBase, el, fmt, svg } from './base.js';
import { setAttrs } from './dom.js';

/** The lesson 1 RNN (same defaults as <attn-rnn-forget>), so the numbers can be compared. */
const RNN = { hidden: 16, gain: 0.9, seed: 1 };
const COST_N_EXP = [1, 14]; // cost-n slider: 2 .. 16384, powers of two
const D_EXP = [4, 11]; // d slider: 16 .. 2048

const SUP = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
const decade = (p) => `10${String(p).split('').map((c) => SUP[c]).join('')}`;

/** A count for display: "524,288" up to ten million, then "5.5 × 10¹¹". */
export function fmtCount(v) {
  if (v < 1e7) return Math.round(v).toLocaleString('en-US');
  const p = Math.floor(Math.log10(v));
  return `${(v / 10 ** p).toFixed(1)} × ${decade(p)}`;
}

/** A positive magnitude: plain decimals between 0.01 and 1000, whole numbers above ("1,024"), else 2.1e−5. */
export function fmtMag(v) {
  if (!(v > 0)) return '0';
  if (v >= 0.01 && v < 1000) return Number(v.toPrecision(2)).toString();
  if (v >= 1000) return Math.round(v).toLocaleString('en-US');
  return v.toExponential(1).replace('e+', 'e').replace('-', '−');
}

const nearestExp = (v, [lo, hi]) => Math.max(lo, Math.min(hi, Math.round(Math.log2(v))));

export class PathLength extends WidgetBase {
  static tag = 'attn-path-length';
  static styles = ['path-length.css'];
  static props = [
    { name: 'n', type: 'integer', min: 2, max: 64, default: 12,
      description: 'Sentence length n for the path drawing: how many tokens (2-64).' },
    { name: 'from', type: 'integer', min: 1, max: 63, default: 2,
      description: 'Token i, the earlier of the two tokens (1-based, below `to`).' },
    { name: 'to', type: 'integer', min: 2, max: 64, default: 9,
      description: 'Token j, the later of the two tokens (1-based, above `from`, at most n).' },
    { name: 'cost-n', type: 'integer', min: 2, max: 16384, default: 32,
      description: 'Sequence length n for the cost chart (2-16384; the slider moves in powers of two).' },
    { name: 'd', type: 'integer', min: 16, max: 2048, default: 512,
      description: 'Representation size d for the cost chart (16-2048; the slider moves in powers of two).' },
  ];
  static controls = ['length', 'pair', 'cost-n', 'width'];

  static checks = {
    'path-hops': {
      description: 'The two selected tokens are exactly `hops` steps apart along the RNN chain (and the sentence has at least `min-n` tokens).',
      args: [
        { name: 'hops', type: 'integer', min: 1, max: 63, description: 'Required number of RNN hops, j − i.' },
        { name: 'min-n', type: 'integer', min: 2, max: 64, default: 2, description: 'Shortest accepted sentence.' },
      ],
      run(w, args) {
        const { n, from, to } = w.state, hops = to - from;
        if (n < args['min-n']) return { correct: false, message: `The sentence has ${n} tokens; make it at least ${args['min-n']} long.` };
        const ok = hops === args.hops;
        if (!ok) return { correct: false, message: `Tokens ${from} and ${to} are ${hops} RNN hop${hops === 1 ? '' : 's'} apart: ${hops < args.hops ? 'too close' : 'too far apart'} along the chain. Move token i or token j and check again.` };
        return { correct: true, message: `Tokens ${from} and ${to}: ${hops} RNN hops, 1 self-attention hop.` };
      },
    },
    'n-beyond-crossover': {
      description: 'On the cost chart, n is above d, so a self-attention layer does more work than a recurrent one.',
      args: [],
      run(w) {
        const { costN: n, d } = w.state;
        const ok = n > d;
        return { correct: ok, message: `n = ${n}, d = ${d}: self-attention ${fmtCount(n * n * d)}, recurrent ${fmtCount(n * d * d)}. ${ok ? 'Past the crossover, self-attention costs more.' : `Self-attention ${n === d ? 'does the same work as' : 'is still cheaper than'} the recurrent layer here. Move n and watch the two lines, then check again.`}` };
      },
    },
    'attention-cheaper': {
      description: 'On the cost chart, n is below d, so a self-attention layer does less work than a recurrent one.',
      args: [],
      run(w) {
        const { costN: n, d } = w.state;
        const ok = n < d;
        return { correct: ok, message: `n = ${n}, d = ${d}: self-attention ${fmtCount(n * n * d)}, recurrent ${fmtCount(n * d * d)}.` };
      },
    },
  };

  readProps() {
    super.readProps();
    const v = this.values;
    this.state = { n: v.n, from: v.from, to: v.to, costN: v['cost-n'], d: v.d };
    const s = this.state, notes = [];
    if (s.to > s.n) {
      notes.push(`to: ${s.to} is beyond the ${s.n}-token sentence; using ${s.n}`);
      s.to = s.n;
    }
    if (s.from >= s.to) {
      notes.push(`from: ${s.from} must be below to = ${s.to}; using ${s.to - 1}`);
      s.from = s.to - 1;
    }
    if (notes.length) {
      this.propErrors.push(...notes);
      this.setNotice(this.propErrors);
    }
    this.noticeShown = null; // the notice was just written: update() writes it again
  }

  /** The live state in props terms. */
  currentValues() {
    const v = { ...this.values };
    if (this.state) Object.assign(v, { n: this.state.n, from: this.state.from, to: this.state.to, 'cost-n': this.state.costN, d: this.state.d });
    return v;
  }

  setup() {
    const slider = (name, label, control) => {
      const input = el('input', { id: `pl-${name}`, type: 'range', step: 1 });
      const out = el('output', { for: `pl-${name}`, class: 'val' });
      const box = el('div', { class: 'slider', 'data-control': control }, el('label', { for: `pl-${name}` }, label, out), input);
      return { input, out, box };
    };
    this.sl = {
      n: slider('n', 'Sentence length n ', 'length'),
      from: slider('from', 'Token i ', 'pair'),
      to: slider('to', 'Token j ', 'pair'),
      costN: slider('cost-n', 'Sequence length n ', 'cost-n'),
      d: slider('d', 'Representation size d ', 'width'),
    };
    this.pathSvg = svg('svg', { class: 'paths', 'aria-hidden': 'true', focusable: 'false' });
    this.pathBox = el('div', { class: 'path-box' }, this.pathSvg);
    this.counts = el('p', { class: 'counts', 'aria-live': 'polite' });
    this.influence = el('p', { class: 'influence-line' });
    this.pathTableBody = el('tbody');
    this.pathCaption = el('caption');
    this.costSvg = svg('svg', { class: 'cost', 'aria-hidden': 'true', focusable: 'false' });
    this.costBox = el('div', { class: 'cost-box' }, this.costSvg);
    this.costReadout = el('p', { class: 'cost-readout', 'aria-live': 'polite' });
    this.seqReadout = el('p', { class: 'seq-readout' });
    this.costTableBody = el('tbody');
    this.costCaption = el('caption');

    this.body.replaceChildren(
      el('section', { class: 'panel', 'aria-labelledby': 'pl-path-h' },
        el('h3', { id: 'pl-path-h' }, 'Path length between two tokens'),
        el('div', { class: 'pl-controls' }, this.sl.n.box, this.sl.from.box, this.sl.to.box),
        this.pathBox,
        el('p', { class: 'hint', id: 'pl-path-help' }, 'Tap or click a token in the drawing to move the nearer end of the path there, or use the sliders.'),
        this.counts,
        this.influence,
        el('details', { class: 'table-view' },
          el('summary', {}, 'Table view: every token’s path to token j'),
          el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Paths to token j' },
            el('table', { class: 'data' }, this.pathCaption,
              el('thead', {}, el('tr', {},
                el('th', { scope: 'col' }, 'Token'), el('th', { scope: 'col' }, 'RNN hops to j'),
                el('th', { scope: 'col' }, 'Self-attention hops to j'), el('th', { scope: 'col' }, 'RNN influence ‖∂h_j/∂x_t‖'))),
              this.pathTableBody)))),
      el('section', { class: 'panel', 'aria-labelledby': 'pl-cost-h' },
        el('h3', { id: 'pl-cost-h' }, 'What one layer costs'),
        el('div', { class: 'pl-controls two' }, this.sl.costN.box, this.sl.d.box),
        this.costReadout,
        this.seqReadout,
        el('p', { class: 'legend', 'aria-hidden': 'true' },
          el('span', { class: 'key attn' }, svg('svg', { width: 28, height: 10 }, svg('line', { x1: 0, x2: 28, y1: 5, y2: 5 })), 'self-attention n²·d'),
          el('span', { class: 'key rnn' }, svg('svg', { width: 28, height: 10 }, svg('line', { x1: 0, x2: 28, y1: 5, y2: 5 })), 'recurrent n·d²')),
        this.costBox,
        el('p', { class: 'hint' }, 'Both axes are logarithmic, so equal steps along an axis multiply the value. Solid line: self-attention, n²·d. Dashed line: recurrent, n·d². They cross where n = d.'),
        el('details', { class: 'table-view' },
          el('summary', {}, 'Table view: Vaswani et al. Table 1, with your n and d'),
          el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Cost per layer' },
            el('table', { class: 'data' }, this.costCaption,
              el('thead', {}, el('tr', {},
                el('th', { scope: 'col' }, 'Layer type'), el('th', { scope: 'col' }, 'Work per layer'),
                el('th', { scope: 'col' }, 'Sequential operations'), el('th', { scope: 'col' }, 'Maximum path length'))),
              this.costTableBody)))));

    const s = this.state;
    const on = (key, read) => {
      const { input } = this.sl[key];
      const apply = (committed) => {
        read(Number(input.value));
        this.update(committed, true);
        if (!committed) this.emitState('input');
      };
      input.addEventListener('input', () => apply(false));
      input.addEventListener('change', () => apply(true));
    };
    on('n', (v) => {
      s.n = v;
      s.to = Math.min(s.to, s.n);
      s.from = Math.min(s.from, s.to - 1);
    });
    on('from', (v) => {
      s.from = v;
      if (s.to <= s.from) s.to = s.from + 1;
    });
    on('to', (v) => {
      s.to = v;
      if (s.from >= s.to) s.from = s.to - 1;
    });
    on('costN', (v) => (s.costN = 2 ** v));
    on('d', (v) => (s.d = 2 ** v));

    this.pathBox.addEventListener('pointerdown', (e) => {
      const t = this.tokenAt(e);
      if (t === null) return;
      // the nearer end moves there (ties go to i); a token at an end does nothing
      if (t === s.from || t === s.to) return;
      if (t < s.from || (t < s.to && t - s.from <= s.to - t)) s.from = t;
      else s.to = t;
      this.update(true, true);
    });

    // The boxes' widths, kept by a ResizeObserver (read when layout is clean), so an input never
    // forces a layout to measure them; without one they are read at each draw.
    this.widths = new Map();
    this.drawn = { path: '', cost: '' };
    if (typeof ResizeObserver !== 'undefined') {
      this.resizer = new ResizeObserver((entries) => {
        let changed = false;
        for (const { target } of entries) {
          const w = target.clientWidth, old = this.widths.get(target) ?? 0;
          this.widths.set(target, w);
          if (w && Math.abs(w - old) > 1) changed = true;
        }
        if (changed && this.drawn.path) this.draw();
      });
      this.resizer.observe(this.pathBox);
      this.resizer.observe(this.costBox);
    }
  }

  /** A box's width: the observed one, else measured now. */
  boxWidth(box) {
    return this.widths.get(box) || box.clientWidth;
  }

  /** The lesson-1 RNN read up to token j; influence[t] = ‖∂h_j/∂x_t‖ (from the core). */
  compute(notes) {
    try {
      return this.engine.rnnDemo({ length: this.state.to, ...RNN });
    } catch (err) {
      notes.push(err.message);
      return null;
    }
  }

  /**
   * committed: emit `change`. inFrame (the learner's own input): the sliders follow at once, the
   * drawings, readouts and tables at the next animation frame, once however many inputs came before
   * it (a held arrow key); attribute changes and the first draw are drawn at once.
   */
  update(committed = false, inFrame = false) {
    if (!this.engine || !this.sl) return;
    const s = this.state;
    // the RNN run depends on token j only: run it again only when j moved
    if (this.runTo !== s.to) {
      this.runNotes = [];
      this.run = this.compute(this.runNotes);
      this.runTo = s.to;
    }
    const notice = [...this.propErrors, ...this.runNotes];
    if (notice.join('\n') !== this.noticeShown) {
      this.noticeShown = notice.join('\n');
      this.setNotice(notice);
    }
    const set = (key, { min, max, value, text }) => {
      // written only when different: the slider being dragged already has its value
      const { input, out } = this.sl[key];
      if (input.min !== String(min)) input.min = String(min);
      if (input.max !== String(max)) input.max = String(max);
      if (input.value !== String(value)) input.value = String(value);
      if (out.textContent !== text) {
        input.setAttribute('aria-valuetext', text);
        out.textContent = text;
      }
    };
    set('n', { min: 2, max: 64, value: s.n, text: `${s.n} tokens` });
    set('from', { min: 1, max: s.n - 1, value: s.from, text: `token ${s.from}` });
    set('to', { min: 2, max: s.n, value: s.to, text: `token ${s.to}` });
    set('costN', { min: COST_N_EXP[0], max: COST_N_EXP[1], value: nearestExp(s.costN, COST_N_EXP), text: `n = ${s.costN.toLocaleString('en-US')}` });
    set('d', { min: D_EXP[0], max: D_EXP[1], value: nearestExp(s.d, D_EXP), text: `d = ${s.d.toLocaleString('en-US')}` });
    if (inFrame) this.inNextFrame('draw', () => this.draw());
    else this.draw();
    if (committed) this.emitState('change');
  }

  /** Redraws only the panel whose state changed (each panel's text, drawing and table). */
  draw() {
    const s = this.state;
    const pathKey = `${s.n} ${s.from} ${s.to} ${this.boxWidth(this.pathBox)}`;
    const costKey = `${s.costN} ${s.d} ${this.boxWidth(this.costBox)}`;
    if (pathKey !== this.drawn.path) {
      this.drawn.path = pathKey;
      this.drawCounts();
      this.drawPaths();
      this.drawPathTable();
    }
    if (costKey !== this.drawn.cost) {
      this.drawn.cost = costKey;
      this.drawCostReadout();
      this.drawCost();
      this.drawCostTable();
    }
  }

  summary() {
    const { n, from, to, costN, d } = this.state;
    return { n, from, to, hops: to - from, costN, d, attentionWork: costN * costN * d, recurrentWork: costN * d * d };
  }

  emitState(type) {
    this.emit(type, this.summary());
  }

  /** ‖∂h_j/∂x_t‖ for token t (1-based, t ≤ j), or null when the engine failed. */
  influenceOf(t) {
    return this.run ? this.run.influence[t - 1] : null;
  }

  drawCounts() {
    const { from: i, to: j } = this.state, hops = j - i;
    this.counts.replaceChildren(
      el('span', { class: 'count rnn' }, el('strong', {}, `RNN: ${hops} hop${hops === 1 ? '' : 's'}`),
        ` — token ${i}’s information must pass through ${hops === 1 ? 'one state update' : `${hops} state updates in a row`} to reach token ${j}.`),
      el('span', { class: 'count attn' }, el('strong', {}, 'Self-attention: 1 hop'),
        ` — token ${j}’s query scores token ${i}’s key directly, in one layer, however far apart they are.`));
    const mine = this.influenceOf(i), own = this.influenceOf(j);
    if (mine === null) {
      this.influence.textContent = 'The RNN comparison is unavailable (see the notice).';
      return;
    }
    this.influence.replaceChildren(
      el('strong', {}, 'Lesson 1’s RNN, read up to token j: '),
      `how strongly token ${i} can still move the state there, ‖∂h_${j}/∂x_${i}‖ = ${fmtMag(mine)}, against ${fmtMag(own)} for token ${j} itself` +
        (own > 0 ? ` (token ${i} keeps ${fmtMag(mine / own)} of that, after ${hops} multiplications by the chain).` : '.') +
        ' Attention has no such chain: how much weight token j gives token i depends on their query and key, not on the distance.');
  }

  drawPathTable() {
    const { from: i, to: j } = this.state;
    this.pathCaption.textContent = `Paths from each token up to token j = ${j} (token i = ${i} is marked)`;
    const rows = [];
    for (let t = 1; t <= j; t++) {
      const inf = this.influenceOf(t);
      rows.push(el('tr', { class: t === i ? 'mark' : undefined },
        el('th', { scope: 'row' }, `token ${t}${t === i ? ' (i)' : t === j ? ' (j)' : ''}`),
        el('td', {}, String(j - t)),
        el('td', {}, t === j ? '0' : '1'),
        el('td', {}, inf === null ? '—' : fmtMag(inf))));
    }
    this.pathTableBody.replaceChildren(...rows);
  }

  /** Geometry of the path drawing at the box's current width. */
  pathGeom() {
    const W = Math.max(260, this.boxWidth(this.pathBox) || 640);
    const n = this.state.n;
    const m = { left: 18, right: 18 };
    const pw = W - m.left - m.right;
    const x = (t) => m.left + (n === 1 ? 0 : ((t - 1) / (n - 1)) * pw);
    return { W, m, pw, x, n, narrow: W < 480 };
  }

  drawPaths() {
    const { from: i, to: j, n } = this.state;
    const { W, x, pw, narrow } = this.pathGeom();
    const yR = 58, yA = 186, H = 226;
    const r = n > 40 ? (narrow ? 2.2 : 3.2) : n > 20 ? (narrow ? 3 : 4.5) : 6;
    const g = [];
    const label = (tx, ty, text, cls = 'lbl', anchor = 'middle') => svg('text', { class: cls, x: tx.toFixed(1), y: ty, 'text-anchor': anchor }, text);
    const edge = (xx) => Math.max(30, Math.min(W - 30, xx));

    // RNN row: the chain, the highlighted hops, token numbers
    g.push(label(4, 16, narrow ? 'RNN: one step per token' : 'RNN: information moves one step per token', 'row-title', 'start'));
    for (let t = 1; t < n; t++) {
      const on = t >= i && t < j;
      g.push(svg('line', { class: on ? 'hop on' : 'hop', x1: x(t), y1: yR, x2: x(t + 1), y2: yR }));
    }
    // hop markers (chevrons) on the highlighted segments, when there is room
    const seg = pw / Math.max(1, n - 1);
    if (seg >= 9) for (let t = i; t < j; t++) {
      const cx = (x(t) + x(t + 1)) / 2;
      g.push(svg('path', { class: 'chev', d: `M${(cx - 3).toFixed(1)},${yR - 4} L${(cx + 2).toFixed(1)},${yR} L${(cx - 3).toFixed(1)},${yR + 4}` }));
    }
    // the hop count above the highlighted stretch
    g.push(label(edge((x(i) + x(j)) / 2), yR - 16, `${j - i} hop${j - i === 1 ? '' : 's'}`, 'count-lbl rnn'));

    // attention row: every token can reach every other in one hop; the chosen arc is drawn
    g.push(label(4, yA - 84, narrow ? 'Self-attention: one step, any distance' : 'Self-attention: every token reaches every other in one step', 'row-title', 'start'));
    const lift = Math.min(50, 16 + (x(j) - x(i)) * 0.35);
    const mid = (x(i) + x(j)) / 2;
    g.push(svg('path', { class: 'arc', d: `M${x(j).toFixed(1)},${yA - r - 1} Q${mid.toFixed(1)},${(yA - 2 * lift).toFixed(1)} ${x(i).toFixed(1)},${yA - r - 1}` }));
    // arrowhead at token i (j's query reads i's value)
    g.push(svg('path', { class: 'arrowhead', d: `M${x(i).toFixed(1)},${yA - r - 1} l${(5).toFixed(1)},-8 l-9,1 z` }));
    g.push(label(edge(mid), yA - lift - 11, '1 hop', 'count-lbl attn'));

    for (const [yy, row] of [[yR, 'rnn'], [yA, 'attn']]) {
      for (let t = 1; t <= n; t++) {
        const end = t === i || t === j;
        const between = row === 'rnn' && t > i && t < j;
        g.push(svg('circle', { class: `tok ${row}${end ? ' end' : between ? ' via' : ''}`, cx: x(t).toFixed(1), cy: yy, r: end ? r + 2.5 : r }));
      }
      // token numbers: every token when there is room, else 1, i, j and n
      const every = seg >= 18;
      const shown = every ? Array.from({ length: n }, (_, k) => k + 1) : [...new Set([1, i, j, n])];
      for (const t of shown) {
        const tooClose = !every && t !== i && t !== j && (Math.abs(x(t) - x(i)) < 22 || Math.abs(x(t) - x(j)) < 22);
        if (tooClose) continue;
        const text = (t === i ? 'i=' : t === j ? 'j=' : '') + t;
        g.push(label(x(t), yy + r + 16, every && t !== i && t !== j ? String(t) : text, t === i || t === j ? 'num end' : 'num'));
      }
    }
    this.pathSvg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.pathSvg.setAttribute('width', String(W));
    this.pathSvg.setAttribute('height', String(H));
    this.pathSvg.replaceChildren(...g);
  }

  /** Pointer position -> nearest token (1-based), or null outside the drawing. */
  tokenAt(e) {
    const box = this.pathSvg.getBoundingClientRect();
    if (!box.width) return null;
    const { W, m, pw, n } = this.pathGeom();
    const px = ((e.clientX - box.left) / box.width) * Number(this.pathSvg.getAttribute('width') || W);
    if (px < m.left - 14 || px > m.left + pw + 14) return null;
    return Math.max(1, Math.min(n, 1 + Math.round(((px - m.left) / pw) * (n - 1))));
  }

  drawCostReadout() {
    const { costN: n, d, attentionWork: a, recurrentWork: rr } = this.summary();
    let verdict;
    if (n < d) verdict = `n < d: self-attention does ${fmtMag(rr / a)}× less work than the recurrent layer (the ratio is d / n).`;
    else if (n > d) verdict = `n > d: past the crossover, self-attention does ${fmtMag(a / rr)}× more work than the recurrent layer (the ratio is n / d).`;
    else verdict = 'n = d: the crossover, both layers do the same amount of work.';
    this.costReadout.replaceChildren(
      el('span', { class: 'work attn' }, el('strong', {}, 'Self-attention'), ` n²·d = ${n.toLocaleString('en-US')}² × ${d.toLocaleString('en-US')} = ${fmtCount(a)}`),
      el('span', { class: 'work rnn' }, el('strong', {}, 'Recurrent'), ` n·d² = ${n.toLocaleString('en-US')} × ${d.toLocaleString('en-US')}² = ${fmtCount(rr)}`),
      el('span', { class: 'verdict' }, verdict));
    this.seqReadout.replaceChildren(
      el('strong', {}, 'Sequential operations: '),
      `self-attention 1 (all ${n.toLocaleString('en-US')} positions at once), recurrent ${n.toLocaleString('en-US')} (one position after another).`);
  }

  drawCost() {
    const { costN, d } = this.state;
    const W = Math.max(260, this.boxWidth(this.costBox) || 640);
    const narrow = W < 480;
    const H = narrow ? 260 : 300;
    const m = { left: narrow ? 44 : 52, right: 14, top: 16, bottom: 42 };
    const pw = W - m.left - m.right, ph = H - m.top - m.bottom;
    const [e0, e1] = COST_N_EXP;
    const lo = 2 ** e0, hi = 2 ** e1;
    const att = (n) => n * n * d, rec = (n) => n * d * d;
    const yMin = Math.floor(Math.log10(Math.min(att(lo), rec(lo))));
    const yMax = Math.ceil(Math.log10(Math.max(att(hi), rec(hi))));
    const x = (n) => m.left + ((Math.log2(n) - e0) / (e1 - e0)) * pw;
    const y = (v) => m.top + ((yMax - Math.log10(v)) / (yMax - yMin)) * ph;
    // the chosen n: four marks, moved in place when only n changed
    const xn = x(costN);
    const cursor = {
      line: { class: 'cursor', x1: xn, x2: xn, y1: m.top, y2: m.top + ph },
      circle: { class: 'pt attn', cx: xn, cy: y(att(costN)), r: 5 },
      rect: { class: 'pt rnn', x: xn - 4.5, y: y(rec(costN)) - 4.5, width: 9, height: 9 },
      text: { class: 'tick n-lbl', x: xn + (xn > m.left + pw * 0.75 ? -5 : 5), y: m.top + ph - 6, 'text-anchor': xn > m.left + pw * 0.75 ? 'end' : 'start' },
    };
    const label = `n = ${costN.toLocaleString('en-US')}`;
    const frameKey = `${W} ${d}`;
    if (this.costMarks && this.costFrame === frameKey) {
      for (const [tag, attrs] of Object.entries(cursor)) setAttrs(this.costMarks[tag], attrs);
      this.costMarks.text.textContent = label;
      return;
    }
    this.costFrame = frameKey;
    const g = [];
    const yStep = [1, 2, 3, 4, 5].find((s) => (yMax - yMin) / s <= (narrow ? 5 : 7)) ?? 5;
    for (let p = yMin; p <= yMax; p++) {
      if ((p - yMin) % yStep) continue;
      g.push(svg('line', { class: 'grid', x1: m.left, x2: m.left + pw, y1: y(10 ** p), y2: y(10 ** p) }));
      g.push(svg('text', { class: 'tick', x: m.left - 5, y: y(10 ** p) + 4, 'text-anchor': 'end' }, decade(p)));
    }
    const xStep = narrow ? 3 : 2;
    for (let e = e0; e <= e1; e++) {
      if ((e - e0) % xStep) continue;
      g.push(svg('line', { class: 'grid', x1: x(2 ** e), x2: x(2 ** e), y1: m.top, y2: m.top + ph }));
      g.push(svg('text', { class: 'tick', x: x(2 ** e), y: m.top + ph + 15, 'text-anchor': 'middle' }, (2 ** e).toLocaleString('en-US')));
    }
    g.push(svg('line', { class: 'axis', x1: m.left, x2: m.left + pw, y1: m.top + ph, y2: m.top + ph }));
    g.push(svg('line', { class: 'axis', x1: m.left, x2: m.left, y1: m.top, y2: m.top + ph }));
    g.push(svg('text', { class: 'axis-label', x: m.left + pw / 2, y: H - 6, 'text-anchor': 'middle' }, 'sequence length n (log scale)'));
    // crossover at n = d
    const xc = x(d);
    g.push(svg('line', { class: 'crossover', x1: xc, x2: xc, y1: m.top, y2: m.top + ph }));
    g.push(svg('text', { class: 'cross-lbl', x: xc + (xc > m.left + pw * 0.6 ? -5 : 5), y: m.top + 12, 'text-anchor': xc > m.left + pw * 0.6 ? 'end' : 'start' }, `crossover n = d = ${d.toLocaleString('en-US')}`));
    // the two lines (straight on log-log axes: slope 2 and slope 1)
    g.push(svg('line', { class: 'curve attn', x1: x(lo), y1: y(att(lo)), x2: x(hi), y2: y(att(hi)) }));
    g.push(svg('line', { class: 'curve rnn', x1: x(lo), y1: y(rec(lo)), x2: x(hi), y2: y(rec(hi)) }));
    // the chosen n
    this.costMarks = {
      line: svg('line', cursor.line),
      circle: svg('circle', cursor.circle),
      rect: svg('rect', cursor.rect),
      text: svg('text', cursor.text, label),
    };
    g.push(this.costMarks.line, this.costMarks.circle, this.costMarks.rect, this.costMarks.text);
    g.push(svg('text', { class: 'axis-label', x: 4, y: m.top + ph / 2, transform: `rotate(-90 10 ${m.top + ph / 2})`, 'text-anchor': 'middle' }, 'work per layer'));
    this.costSvg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.costSvg.setAttribute('width', String(W));
    this.costSvg.setAttribute('height', String(H));
    this.costSvg.replaceChildren(...g);
  }

  drawCostTable() {
    const { costN: n, d, attentionWork: a, recurrentWork: r } = this.summary();
    this.costCaption.textContent = `Per layer, for sequence length n, representation size d, kernel width k and neighbourhood size r (Vaswani et al. 2017, Table 1); work evaluated at n = ${n.toLocaleString('en-US')}, d = ${d.toLocaleString('en-US')}`;
    const row = (name, work, seq, path) => el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, work), el('td', {}, seq), el('td', {}, path));
    this.costTableBody.replaceChildren(
      row('Self-attention', `O(n²·d) ≈ ${fmtCount(a)}`, 'O(1)', 'O(1)'),
      row('Recurrent', `O(n·d²) ≈ ${fmtCount(r)}`, `O(n) = ${n.toLocaleString('en-US')}`, 'O(n)'),
      row('Convolutional', 'O(k·n·d²)', 'O(1)', 'O(logₖ n) (dilated)'),
      row('Restricted self-attention', 'O(r·n·d)', 'O(1)', 'O(n/r)'));
  }
}
