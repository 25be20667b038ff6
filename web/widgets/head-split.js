/**
 * <attn-head-split>: lesson 10's widget. One head must blend two things it needs; two heads of half
 * the size each fetch one cleanly.
 *
 * A hand-built sentence "the dog chased the cat" with d_model = 4: X is one-hot over four features
 * (dog, verb, cat, function word) and the weights are hand-designed so that the verb's query matches
 * the subject's key in projected columns 1-2 and the object's key in columns 3-4 (every head reads all 4 input features); W_O is the identity, so
 * the output is the concatenation itself. The learner switches between 1 head (d_k = 4) and 2 heads
 * (d_k = 2) with the SAME four matrices, and moves a sharpness slider (the softmax temperature is
 * 1 / sharpness). The widget shows the verb's attention weights per head, the value rows of "dog"
 * and "cat" next to the verb's output, a plot of each 2-dimensional slot, a cost readout
 * (multiply-adds, arithmetic on sizes only) and the evidence: our own ablation (web/model/ablation.json)
 * beside Vaswani et al. Table 3 rows (A). Every attention number comes from engine.trace().
 * Events: `change` { heads, sharpness, weights: [[...]], output: [...] } on committed changes.
 * Controls `hide` can hide: heads (the 1/2-head switch), sharpness (the slider), cost, evidence.
 */
import { WidgetBase, el, fmt, svg } from './base.js';
import { matrixTable, tint } from './matrix-table.js';
import { loadModelData } from '../core/engine.js';

const TOKENS = ['the', 'dog', 'chased', 'the', 'cat'];
const LABELS = ['the 1', 'dog', 'chased', 'the 4', 'cat'];
const QUERY = 2, SUBJECT = 1, OBJECT = 4;
const CLEAN = 0.8; // a slot counts as "retrieved cleanly" when its head puts at least this weight on the right token

/** Vaswani et al. 2017, Table 3 rows (A): dev set newstest2013, EN-DE (the numbers lesson 10 quotes). */
export const VASWANI_T3A = [
  { h: 1, dk: 512, ppl: '5.29', bleu: '24.9' },
  { h: 4, dk: 128, ppl: '5.00', bleu: '25.5' },
  { h: 8, dk: 64, ppl: '4.92', bleu: '25.8' },
  { h: 16, dk: 32, ppl: '4.91', bleu: '25.8' },
  { h: 32, dk: 16, ppl: '5.01', bleu: '25.4' },
];

/** A visible "scrolls sideways" note for a wide table (shown only when the widget is narrow; see head-split.css). */
const scrollHint = () => el('p', { class: 'hs-scroll-hint', 'aria-hidden': 'true' }, 'Wide table: scroll it sideways for more columns →');

export class HeadSplit extends WidgetBase {
  static tag = 'attn-head-split';
  static styles = ['head-split.css'];
  static props = [
    { name: 'heads', type: 'integer', min: 1, max: 2, default: 1,
      description: 'Number of heads: 1 (d_k = 4) or 2 (d_k = 2), with the same weight matrices.' },
    { name: 'sharpness', type: 'number', min: 0.25, max: 4, default: 1,
      description: 'How sharp the softmax is: the temperature is 1 / sharpness.' },
  ];
  static controls = ['heads', 'sharpness', 'cost', 'evidence'];

  static checks = {
    'heads-is': {
      description: 'The widget runs the given number of heads.',
      args: [{ name: 'count', type: 'integer', min: 1, max: 2, description: 'Number of heads.' }],
      run(w, { count }) {
        const ok = w.state.heads === count;
        return { correct: ok, message: ok ? `The widget runs ${count} head${count > 1 ? 's' : ''}.` : `The widget runs ${w.state.heads} head${w.state.heads > 1 ? 's' : ''}, not ${count}.` };
      },
    },
    'both-retrieved': {
      description: `The verb fetches its subject and its object cleanly (weight at least ${CLEAN} on each, in the head serving that slot).`,
      args: [],
      run(w) {
        const r = w.retrieval();
        const ok = r.subject >= CLEAN && r.object >= CLEAN;
        const said = `Subject slot: weight ${fmt(r.subject)} on "dog"; object slot: weight ${fmt(r.object)} on "cat"`;
        if (ok) return { correct: true, message: `${said}. Both are above ${CLEAN}: each head fetched one word cleanly.` };
        // Says what is short of the goal, never which control fixes it (that is the task, and the
        // lesson's question on why one head blends).
        const hint = w.state.heads === 1
          ? `Both need at least ${CLEAN}. Move the sharpness and watch whether these two numbers can ever both get there with this setup.`
          : `At least one is below ${CLEAN}: the softmax still spreads weight over the other words.`;
        return { correct: false, message: `${said}. ${hint}` };
      },
    },
  };

  /** The engine scenario for a head count and a sharpness (hand-designed X and weights, d_model 4). */
  static scenario(heads, sharpness) {
    const Z = [0, 0, 0, 0];
    // X columns (features): dog, verb, cat, function word. Rows of each W are those features.
    const X = [[0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]];
    const weights = {
      W_q: [Z, [5, 0, 5, 0], Z, Z], // the verb asks for "dog-like" in dims 1-2 and "cat-like" in dims 3-4
      W_k: [[1, 0, 0, 0], Z, [0, 0, 1, 0], Z], // dog answers in dim 1, cat in dim 3
      W_v: [[1, 0, 1, 0], Z, [0, 1, 0, 1], Z], // dog's value reads (1, 0) in each slot, cat's (0, 1)
      W_o: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
    };
    return { X, weights, heads, scale: true, temperature: 1 / sharpness };
  }

  /** Multiply-adds of one self-attention layer: arithmetic on sizes only (no attention math). */
  static cost(n, d, h) {
    const dk = d / h;
    const proj = 3 * n * d * d, scores = h * n * n * dk, mix = h * n * n * dk, out = n * d * d;
    return { dk, proj, scores, mix, out, total: proj + scores + mix + out, exps: h * n * n };
  }

  setup() {
    this.radios = [1, 2].map((h) => el('input', { type: 'radio', name: 'hs-heads', value: h, id: `hs-h${h}` }));
    this.slider = el('input', { type: 'range', id: 'hs-sharp', min: '0.25', max: '4', step: '0.25' });
    this.sharpOut = el('output', { for: 'hs-sharp', class: 'hs-sharp-val' });
    this.info = el('p', { class: 'sentence' });
    this.weightsBox = el('div', { class: 'hs-panel' });
    this.valuesBox = el('div', { class: 'hs-panel' });
    this.plotBox = el('div', { class: 'hs-plots' });
    this.verdict = el('p', { class: 'hs-verdict', 'aria-live': 'polite' });
    this.costBox = el('section', { class: 'hs-section', 'data-control': 'cost', 'aria-labelledby': 'hs-cost-h' });
    this.evidenceBox = el('section', { class: 'hs-section', 'data-control': 'evidence', 'aria-labelledby': 'hs-ev-h' },
      el('h3', { id: 'hs-ev-h' }, 'The evidence: our model and the paper'), el('p', { class: 'hint' }, 'Loading the ablation data…'));
    this.body.replaceChildren(
      el('div', { class: 'controls' },
        el('fieldset', { class: 'hs-heads', 'data-control': 'heads' },
          el('legend', {}, 'Heads'),
          el('label', { class: 'toggle', for: 'hs-h1' }, this.radios[0], ' 1 head (dₖ = 4)'),
          el('label', { class: 'toggle', for: 'hs-h2' }, this.radios[1], ' 2 heads (dₖ = 2 each)')),
        el('div', { class: 'hs-slider', 'data-control': 'sharpness' },
          el('label', { for: 'hs-sharp' }, 'Sharpness'), this.slider, this.sharpOut)),
      this.info,
      el('div', { class: 'hs-grid' }, this.weightsBox, this.valuesBox),
      this.plotBox,
      this.verdict,
      this.costBox,
      this.evidenceBox);
    // The controls take the new trace (and send their events) at once and draw at the next animation
    // frame: the slider and the radios lay the page out right after their event, which then also
    // paid for every number and mark just written. A held key draws once per frame.
    for (const r of this.radios) r.addEventListener('change', () => {
      if (!r.checked) return;
      this.state.heads = Number(r.value);
      this.update(true, 'change', true);
    });
    this.slider.addEventListener('input', () => {
      this.state.sharpness = Number(this.slider.value);
      this.update(false, 'input', true);
    });
    this.slider.addEventListener('change', () => this.update(true, 'change', true));
    this.loadEvidence();
  }

  readProps() {
    super.readProps();
    this.state = { heads: this.values.heads, sharpness: this.values.sharpness };
  }

  currentValues() {
    const v = { ...this.values };
    if (this.state) Object.assign(v, { heads: this.state.heads, sharpness: this.state.sharpness });
    return v;
  }

  /** Weight on the subject (in the head serving dims 1-2) and on the object (head serving dims 3-4). */
  retrieval() {
    const ph = this.trace.per_head;
    const subjHead = ph[0], objHead = ph[ph.length - 1];
    return { subject: subjHead.weights[QUERY][SUBJECT], object: objHead.weights[QUERY][OBJECT] };
  }

  update(committed = false, eventType = 'change', inFrame = false) {
    if (!this.engine) return;
    const notes = [];
    try {
      this.trace = this.traceOf(this.state.heads, this.state.sharpness);
    } catch (err) {
      notes.push(err.message);
      this.state.heads = 1;
      this.state.sharpness = 1;
      this.trace = this.engine.trace(HeadSplit.scenario(1, 1));
    }
    this.setNotice([...this.propErrors, ...notes]);
    // The slider's spoken value and its readout follow at once, before the drawing.
    const sharp = `${fmt(this.state.sharpness)} (temperature ${fmt(this.trace.temperature, 3)})`;
    if (this.slider.getAttribute('aria-valuetext') !== sharp) this.slider.setAttribute('aria-valuetext', sharp);
    if (this.sharpOut.textContent !== sharp) this.sharpOut.textContent = sharp;
    if (inFrame) this.inNextFrame('draw', () => this.draw());
    else {
      this.cancelFrame('draw');
      this.draw();
    }
    if (committed || eventType === 'input') {
      const detail = { heads: this.state.heads, sharpness: this.state.sharpness,
        weights: this.trace.per_head.map((h) => [...h.weights[QUERY]]), output: [...this.trace.output[QUERY]] };
      this.emit(committed ? 'change' : 'input', detail);
    }
    this.prefetchTraces();
  }

  /**
   * Traces every slider position (nearest first, this head count, then the other) while the page is
   * idle, so a slider step or a head switch finds its trace ready instead of running the engine inside
   * the input's handler. 2 × 16 small traces; traceOf keeps up to 64.
   */
  prefetchTraces() {
    if (this.prefetching) return;
    this.prefetching = true;
    const idle = globalThis.requestIdleCallback ?? ((f) => setTimeout(() => f({ timeRemaining: () => 10 }), 50));
    const work = (deadline) => {
      if (!this.isConnected || !this.engine) {
        this.prefetching = false;
        return;
      }
      const { heads, sharpness } = this.state;
      const steps = Array.from({ length: 16 }, (_, k) => 0.25 * (k + 1)).sort((a, b) => Math.abs(a - sharpness) - Math.abs(b - sharpness));
      for (const [h, x] of [...steps.map((x) => [heads, x]), ...steps.map((x) => [heads === 1 ? 2 : 1, x])]) {
        if (this.traces?.has(`${h} ${x}`)) continue;
        if (deadline.timeRemaining() < 4) {
          idle(work);
          return;
        }
        try {
          this.traceOf(h, x);
        } catch {
          break; // a scenario the engine refuses: update() reports it when the learner gets there
        }
      }
      this.prefetching = false;
    };
    idle(work);
  }

  /** The engine's trace of one scenario; the traces of the slider's positions are kept (a trace depends on nothing else). */
  traceOf(heads, sharpness) {
    const key = `${heads} ${sharpness}`;
    this.traces ??= new Map();
    if (!this.traces.has(key)) {
      this.traces.set(key, this.engine.trace(HeadSplit.scenario(heads, sharpness)));
      if (this.traces.size > 64) this.traces.delete(this.traces.keys().next().value);
    }
    return this.traces.get(key);
  }

  /**
   * Shows a matrix table in box: the first time (or when its shape changed) built by matrixTable,
   * later its cells' numbers and tints are written in place (the same fmt and tint matrixTable uses).
   */
  showTable(box, key, rows, options, marks) {
    const old = box._table;
    if (old && old.key === key) {
      rows.forEach((row, i) => row.forEach((v, j) => {
        const td = old.cells[i][j], text = fmt(v), cls = `cell ${tint(v, options.scale)}${marks[i] ? ` ${marks[i]}` : ''}`;
        if (td.textContent !== text) td.textContent = text;
        if (td.className !== cls) td.className = cls;
      }));
      return false;
    }
    const t = matrixTable(rows, options);
    t.cells.forEach((r, i) => { if (marks[i]) r.forEach((td) => td.classList.add(marks[i])); });
    box._table = { key, cells: t.cells, table: t.table };
    return t.table;
  }

  draw() {
    const t = this.trace, s = this.state;
    if (t === this.drawnTrace) return;
    this.drawnTrace = t;
    for (const r of this.radios) r.checked = Number(r.value) === s.heads;
    this.slider.value = String(s.sharpness);
    this.info.textContent = `“the dog chased the cat” · d_model ${t.d_model} · ${t.heads} head${t.heads > 1 ? 's' : ''} · d_k ${t.d_k} · query: “chased” (token 3) · W_O = identity`;

    // The verb's weights: one row per key token, one column per head (each column is a row of that
    // head's weight matrix), so the table stays narrow enough for a phone at any head count.
    const rows = LABELS.map((_, j) => t.per_head.map((h) => h.weights[QUERY][j]));
    const colLabels = t.heads === 1 ? ['head 1 (cols 1–4)'] : ['head 1 (cols 1–2)', 'head 2 (cols 3–4)'];
    const wt = this.showTable(this.weightsBox, t.heads, rows, { caption: 'Attention weights of “chased” on each key', rowLabels: LABELS, colLabels, scale: 1, className: 'hs-w' },
      { [SUBJECT]: 'hs-subj', [OBJECT]: 'hs-obj' });
    if (wt) this.weightsBox.replaceChildren(wt);

    // Value rows of dog and cat beside the verb's output.
    const out = t.output[QUERY];
    const vt = this.showTable(this.valuesBox, 'values', [t.V[SUBJECT], t.V[OBJECT], out], {
      caption: 'Values and the output of “chased”',
      rowLabels: ['V of “dog”', 'V of “cat”', 'output of “chased”'],
      colLabels: ['col 1 subj.', 'col 2 subj.', 'col 3 obj.', 'col 4 obj.'], scale: 1, className: 'hs-v',
    }, { 2: 'hs-out' });
    if (vt) {
      this.headsHint = el('p', { class: 'hint' });
      this.valuesBox.replaceChildren(vt, el('p', { class: 'hint' }, 'Columns 1–2 of the projected vectors are the subject slot, columns 3–4 the object slot. In each slot “dog” reads (1, 0) and “cat” (0, 1).'),
        this.headsHint);
    }
    this.headsHint.textContent = t.heads === 1
      ? 'One head scores with all 4 columns of Q and K, so it gives “chased” one row of weights for both slots.'
      : 'Each head reads all 4 input features of every token through its own block of columns of W_Q, W_K and W_V: head 1 gets columns 1–2 of Q, K and V, head 2 columns 3–4.';

    const plots = [this.plot(0, 'Subject slot (columns 1–2)', SUBJECT), this.plot(2, 'Object slot (columns 3–4)', OBJECT)];
    if (plots.some((f, i) => this.plotBox.children[i] !== f)) this.plotBox.replaceChildren(...plots);

    const r = this.retrieval();
    const slot = (name, word, other, w, head) => {
      const h = t.per_head[head].weights[QUERY];
      const wOther = h[other === 'cat' ? OBJECT : SUBJECT];
      const clean = w >= CLEAN;
      return `${name} slot (head ${head + 1}): ${fmt(w)} on “${word}”, ${fmt(wOther)} on “${other}” — ${clean ? 'fetched cleanly' : wOther >= 0.2 ? 'a blend of both' : 'too diffuse'}.`;
    };
    this.verdict.replaceChildren(
      el('span', {}, slot('Subject', 'dog', 'cat', r.subject, 0)), ' ',
      el('span', {}, slot('Object', 'cat', 'dog', r.object, t.heads - 1)));
    this.drawCost();
  }

  /** One 2-D slot: value points of every token and the verb's output, drawn from engine numbers. */
  plot(col, title, want) {
    const t = this.trace, W = 190, H = 190, pad = 34, span = W - 2 * pad;
    const px = (x) => pad + ((x + 0.1) / 1.3) * span, py = (y) => H - pad - ((y + 0.1) / 1.3) * span;
    const V = t.V, o = t.output[QUERY];
    const pt = (i) => [V[i][col], V[i][col + 1]];
    const [dx, dy] = pt(SUBJECT), [cx, cy] = pt(OBJECT), [ox, oy] = [o[col], o[col + 1]];
    // "output" names its dot without running into dog's or cat's label or past the plot's edge:
    // centred above the dot (above dog's label when the dot is near dog), to its right when it
    // is below cat, above cat's label when it lands on cat
    const dist = (x, y) => Math.hypot(ox - x, oy - y);
    const outputLabel = dist(dx, dy) < 0.45 ? { x: px(ox), y: Math.min(py(oy), py(dy)) - 26, 'text-anchor': 'middle' }
      : dist(cx, cy) < 0.2 ? { x: px(ox) + 6, y: py(cy) - 22, 'text-anchor': 'start' }
        : dist(cx, cy) < 0.45 ? { x: px(ox) + 12, y: py(oy) + 4, 'text-anchor': 'start' }
          : { x: Math.min(W - 24, Math.max(24, px(ox))), y: Math.max(12, py(oy) - 16), 'text-anchor': 'middle' };
    const desc = `${title}: dog's value at (${fmt(dx)}, ${fmt(dy)}), cat's at (${fmt(cx)}, ${fmt(cy)}), the other words' at (${fmt(V[0][col])}, ${fmt(V[0][col + 1])}); the output of “chased” lands at (${fmt(ox)}, ${fmt(oy)}).`;
    const marks = [
      ['line', { x1: px(0), y1: py(0), x2: px(1.15), y2: py(0), class: 'axis' }],
      ['line', { x1: px(0), y1: py(0), x2: px(0), y2: py(1.15), class: 'axis' }],
      ['text', { x: px(1.15), y: py(0) + 16, class: 'axlab', 'text-anchor': 'end' }, `col ${col + 1}`],
      ['text', { x: px(0) - 6, y: py(1.15) + 4, class: 'axlab', 'text-anchor': 'end' }, `col ${col + 2}`],
      ['line', { x1: px(dx), y1: py(dy), x2: px(cx), y2: py(cy), class: 'between' }],
      ['circle', { cx: px(V[0][col]), cy: py(V[0][col + 1]), r: 4, class: 'other' }],
      ['circle', { cx: px(dx), cy: py(dy), r: 7, class: 'dog' }],
      ['text', { x: px(dx), y: py(dy) - 11, class: 'ptlab', 'text-anchor': 'middle' }, 'dog'],
      ['rect', { x: px(cx) - 6, y: py(cy) - 6, width: 12, height: 12, class: 'cat' }],
      ['text', { x: px(cx) + 10, y: py(cy) + 4, class: 'ptlab' }, 'cat'],
      ['circle', { cx: px(ox), cy: py(oy), r: 9, class: 'out' }],
      ['text', { ...outputLabel, class: 'ptlab strong' }, 'output'],
    ];
    const caption = `${title}: output (${fmt(ox)}, ${fmt(oy)})`;
    // built once per slot; later the same marks get their new positions and the new text in place
    this.plots ??= new Map();
    const old = this.plots.get(col);
    if (old) {
      old.svg.setAttribute('aria-label', desc);
      marks.forEach(([, attrs], k) => {
        for (const [name, v] of Object.entries(attrs)) if (old.nodes[k].getAttribute(name) !== String(v)) old.nodes[k].setAttribute(name, String(v));
      });
      old.caption.textContent = caption;
      return old.figure;
    }
    const nodes = marks.map(([tag, attrs, text]) => svg(tag, attrs, text));
    const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'hs-plot', role: 'img', 'aria-label': desc }, ...nodes);
    const cap = el('figcaption', {}, caption);
    const figure = el('figure', { class: `hs-fig ${want === SUBJECT ? 'subj' : 'obj'}` }, s, cap);
    this.plots.set(col, { svg: s, nodes, caption: cap, figure });
    return figure;
  }

  drawCost() {
    const n = this.trace.n, d = this.trace.d_model;
    // the table depends on n and d only (the same for every head count and sharpness): built once
    if (this.costDrawn === `${n} ${d}`) return;
    this.costDrawn = `${n} ${d}`;
    const cols = [
      { label: `toy, 1 head`, c: HeadSplit.cost(n, d, 1) },
      { label: `toy, 2 heads`, c: HeadSplit.cost(n, d, 2) },
      { label: 'd_model 512, 1 head', c: HeadSplit.cost(n, 512, 1) },
      { label: 'd_model 512, 8 heads', c: HeadSplit.cost(n, 512, 8) },
    ];
    const num = (v) => v.toLocaleString('en-US');
    const lines = [
      ['d_k per head', (c) => num(c.dk)],
      ['Q, K, V projections: 3·n·d·d', (c) => num(c.proj)],
      ['scores QKᵀ: h·n·n·d_k', (c) => num(c.scores)],
      ['weights·V: h·n·n·d_k', (c) => num(c.mix)],
      ['output W_O: n·d·d', (c) => num(c.out)],
      ['total multiply-adds', (c) => num(c.total)],
      ['softmax exponentials: h·n·n', (c) => num(c.exps)],
    ];
    const table = el('table', { class: 'hs-cost' },
      el('caption', {}, `Cost of one attention layer for n = ${n} tokens`),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'step'), ...cols.map((c) => el('th', { scope: 'col' }, c.label)))),
      el('tbody', {}, ...lines.map(([name, f], i) => el('tr', { class: i === 5 ? 'total' : '' },
        el('th', { scope: 'row' }, name), ...cols.map((c) => el('td', {}, f(c.c)))))));
    this.costBox.replaceChildren(el('h3', { id: 'hs-cost-h' }, 'What the split costs'),
      scrollHint(), el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Cost table (scrolls sideways)' }, table),
      el('p', { class: 'hint' }, 'h heads of size d/h do the same multiply-adds as one head of size d: h × (n·n·d/h) = n·n·d. Only the softmax count grows with h, and it is small next to the rest.'));
  }

  async loadEvidence() {
    try {
      this.ablation = await loadModelData('../model/ablation.json');
      this.drawEvidence();
    } catch (err) {
      this.evidenceBox.replaceChildren(el('h3', { id: 'hs-ev-h' }, 'The evidence: our model and the paper'),
        el('p', { class: 'notice' }, `The ablation data could not load: ${err.message}`));
    }
  }

  drawEvidence() {
    const a = this.ablation, rows = a.summary;
    const best = rows.reduce((b, r) => (r.heldout_loss_mean < b.heldout_loss_mean ? r : b), rows[0]);
    const perSeed = (h) => a.runs.filter((r) => r.heads === h).map((r) => `seed ${r.seed}: ${r.heldout_loss.toFixed(4)}`).join(', ');
    const ours = el('table', { class: 'hs-ev ours' },
      el('caption', {}, `Ours: held-out masked-word loss (lower is better), d_model ${a.fixed.d_model}, ${a.fixed.n_layers} layers, ${a.fixed.training.steps} steps`),
      el('thead', {}, el('tr', {}, ...['heads', 'd_k', 'loss, mean', 'spread (sd)', 'per seed', 'accuracy'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows.map((r) => el('tr', { class: r === best ? 'best' : '', 'data-heads': r.heads },
        el('th', { scope: 'row' }, `${r.heads}${r === best ? ' (best)' : ''}`),
        el('td', {}, String(r.d_k)),
        el('td', { class: 'loss' }, r.heldout_loss_mean.toFixed(4)),
        el('td', { class: 'sd' }, `± ${r.heldout_loss_sd.toFixed(4)}`),
        el('td', { class: 'seeds' }, perSeed(r.heads)),
        el('td', { class: 'acc' }, r.heldout_accuracy_mean.toFixed(4))))));
    const theirs = el('table', { class: 'hs-ev theirs' },
      el('caption', {}, 'Vaswani et al. 2017, Table 3 rows (A): EN→DE dev set, d_model 512 (no error bars reported)'),
      el('thead', {}, el('tr', {}, ...['h', 'd_k', 'perplexity (lower better)', 'BLEU (higher better)'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...VASWANI_T3A.map((r) => el('tr', {},
        el('th', { scope: 'row' }, `${r.h}${r.h === 8 ? ' (base)' : ''}`), el('td', {}, String(r.dk)), el('td', {}, r.ppl), el('td', {}, r.bleu)))));
    // Plain reading of our numbers (comparisons and differences of measured losses, no attention math).
    const worse = rows.filter((r) => r.heads > best.heads && r.heldout_loss_mean > best.heldout_loss_mean);
    const maxSd = Math.max(...rows.filter((r) => r.heads >= 4).map((r) => r.heldout_loss_sd));
    const gaps = rows.filter((r) => r.heads >= 4 && r !== best).map((r) => `${r.heads} heads +${(r.heldout_loss_mean - best.heldout_loss_mean).toFixed(4)}`);
    const one = rows.find((r) => r.heads === 1);
    const reading = [
      `Best in ours: ${best.heads} heads (loss ${best.heldout_loss_mean.toFixed(4)}). One head: ${one ? one.heldout_loss_mean.toFixed(4) : '—'}, clearly worse.`,
      worse.length ? ` More heads than that got worse: ${worse.map((r) => `${r.heads} heads ${r.heldout_loss_mean.toFixed(4)}`).join(', ')}.` : '',
      ` Gaps among 4 to 16 heads: ${gaps.join(', ')}; the seed spread there reaches ${maxSd.toFixed(4)} with only ${rows[0].seeds} seeds, so read those gaps as rough.`,
    ].join('');
    this.evidenceBox.replaceChildren(el('h3', { id: 'hs-ev-h' }, 'The evidence: our model and the paper'),
      el('div', { class: 'hs-ev-grid' },
        el('div', {}, scrollHint(), el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Our ablation table (scrolls sideways)' }, ours)),
        el('div', {}, scrollHint(), el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Vaswani Table 3 rows A (scrolls sideways)' }, theirs))),
      el('p', { class: 'hs-reading' }, reading),
      el('p', { class: 'hint' }, `Budget: ${a.budget}. In the paper, 32 heads scored worse than 8 or 16.`));
  }
}
