/**
 * <attn-weighted-sum>: one output row of attention as a weighted blend of the value rows.
 *
 * Attributes (declared in `props` below): sentence, seed, heads, head, causal, positions, row, dim.
 * Pick an output row with the token buttons (arrow keys move) or by hovering, tapping or focusing a
 * cell of the output matrix O = A·V (arrow keys move). The widget shows that row's weights next to
 * the value rows V, each token's contribution a_ij·V_j (from the engine: the weight row with every
 * entry but j set to 0, times V), a stacked bar per output dimension, the tokens sorted by share, and
 * a by-hand box for one output entry. Every number comes from the engine; this file only draws.
 * The by-hand box shows the terms a_ij × V_jk, never their sum: the entry it asks for (and any equal
 * entry of its column, a repeated word's) reads "?" in the output table, the bar readout and the
 * contributions' sum row, and its bar has no sum tick, until the learner checks a right answer; a wrong answer names the term that went wrong when it can tell, never the value.
 * Events: `change` { head, causal, row, dim, output } on committed changes,
 * `byhand` { correct, value, expected, row, dim }.
 * Controls `hide` can hide: head, causal (the mask toggle), picker (the output-row buttons),
 * byhand (the by-hand box with its dimension menu).
 */
import { WidgetBase, el, fmt, svg } from './base.js';
import { matrixTable, refillTable, tint } from './matrix-table.js';


export class WeightedSum extends WidgetBase {
  static tag = 'attn-weighted-sum';
  static styles = ['weighted-sum.css'];
  static props = [
    { name: 'sentence', type: 'tokens', maxTokens: 8, default: ['the', 'cat', 'chased', 'the', 'mouse'],
      description: 'The sentence, 1-8 words separated by spaces.' },
    { name: 'seed', type: 'integer', min: 0, max: 2147483647, default: 7,
      description: 'Seed that draws the projection weights.' },
    { name: 'heads', type: 'integer', min: 1, max: 8, default: 2,
      description: 'Number of heads h; must divide d_model = 8.' },
    { name: 'head', type: 'integer', min: 1, max: 8, default: 1, description: 'Which head to show (1 = the first).' },
    { name: 'causal', type: 'boolean', default: false, description: 'Apply the causal (decoder) mask before the softmax.' },
    { name: 'positions', type: 'enum', values: ['none', 'sinusoidal'], default: 'none',
      description: 'Add sinusoidal position vectors to the embeddings.' },
    { name: 'row', type: 'integer', min: 1, max: 8, default: 1, description: 'Selected output row, counted from 1 (1 = the first token).' },
    { name: 'dim', type: 'integer', min: 1, max: 8, default: 1, description: 'Output dimension for the by-hand box, counted from 1.' },
  ];
  static controls = ['head', 'causal', 'picker', 'byhand'];

  static checks = {
    'selected-output': {
      description: 'The given output row (1-based) is selected.',
      args: [{ name: 'row', type: 'integer', min: 1, max: 8, description: 'Output row (1-based).' }],
      run(w, { row }) {
        const i = w.state.row, labels = w.labels(), ok = i === row - 1;
        return { correct: ok, message: ok ? w.traceSummary(i) : `Output row ${i + 1} (${labels[i]}) is selected, not row ${row}.` };
      },
    },
    'top-contributor': {
      description: 'The selected output row takes its largest weight from the given token (1-based).',
      args: [{ name: 'token', type: 'integer', min: 1, max: 8, description: 'Token position (1-based).' }],
      run(w, { token }) {
        const i = w.state.row, labels = w.labels(), a = w.head().weights[i];
        const best = Math.max(...a);
        const tops = a.map((v, j) => (v >= best - 1e-6 ? j : -1)).filter((j) => j >= 0);
        const ok = tops.includes(token - 1);
        const said = `Output row ${i + 1} (${labels[i]}) draws most from ${tops.map((j) => `${labels[j]} (token ${j + 1})`).join(' and ')}, weight ${fmt(best, 3)}`;
        return { correct: ok, message: ok ? `${said}.` : `${said}, not from token ${token}. Try another row.` };
      },
    },
  };

  setup() {
    this.headSelect = el('select', { 'aria-label': 'Head' });
    this.causalBox = el('input', { type: 'checkbox' });
    this.sentenceLine = el('p', { class: 'sentence' });
    this.picker = el('div', { class: 'ws-picker', role: 'radiogroup', 'aria-labelledby': 'ws-pick-label' });
    this.tablesBox = el('div', { class: 'ws-grid' });
    this.blendBox = el('div', { class: 'ws-blend' });
    this.traceBox = el('div', { class: 'ws-trace' });
    this.dimSelect = el('select', { id: 'ws-dim', 'aria-label': 'Output dimension' });
    this.handHint = el('p', { class: 'hint', id: 'ws-hand-hint' });
    this.handLabel = el('label', { for: 'ws-hand-input' });
    this.handInput = el('input', { id: 'ws-hand-input', type: 'text', inputmode: 'decimal', autocomplete: 'off', size: '8',
      'aria-describedby': 'ws-hand-hint' });
    this.handFeedback = el('p', { class: 'feedback', 'aria-live': 'polite' });
    const form = el('form', { class: 'by-hand', 'data-control': 'byhand' },
      el('h3', {}, 'Compute one output entry by hand'),
      el('p', { class: 'hint' }, 'The entry you compute shows as “?” in O until you check a right answer.'),
      el('label', { class: 'dim' }, 'Dimension ', this.dimSelect),
      this.handHint, this.handLabel,
      el('div', { class: 'row' }, this.handInput, el('button', { type: 'submit' }, 'Check')), this.handFeedback);
    this.body.replaceChildren(
      el('div', { class: 'controls' },
        el('label', { 'data-control': 'head' }, 'Head ', this.headSelect),
        el('label', { class: 'toggle', 'data-control': 'causal' }, this.causalBox, ' Causal mask')),
      this.sentenceLine,
      el('div', { class: 'ws-pick', 'data-control': 'picker' }, el('span', { id: 'ws-pick-label', class: 'ws-pick-label' }, 'Output row for'), this.picker),
      el('div', { class: 'scroll', tabindex: '-1' }, this.tablesBox),
      this.blendBox,
      this.traceBox,
      form);

    // A head or mask switch redraws at the next animation frame, not inside the input's handler: the
    // select lays the page out right after its change event, which then also paid for every number
    // just written. A key held down redraws once per frame; `change` follows the redraw.
    this.headSelect.addEventListener('change', () => {
      this.state.head = Number(this.headSelect.value);
      this.inNextFrame('update', () => this.update(true));
    });
    this.causalBox.addEventListener('change', () => {
      this.state.causal = this.causalBox.checked;
      this.inNextFrame('update', () => this.update(true));
    });
    this.dimSelect.addEventListener('change', () => this.select(this.state.row, Number(this.dimSelect.value), false));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.checkByHand();
    });
    this.picker.addEventListener('click', (e) => {
      const b = e.target.closest?.('button');
      if (b) this.select(Number(b.dataset.row), this.state.dim, 'picker');
    });
    this.picker.addEventListener('keydown', (e) => {
      const n = this.trace.n, i = this.state.row;
      const to = { ArrowLeft: i - 1, ArrowUp: i - 1, ArrowRight: i + 1, ArrowDown: i + 1, Home: 0, End: n - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      this.select(Math.max(0, Math.min(n - 1, to)), this.state.dim, 'picker');
    });
    // Delegated once: the output table is rebuilt on every update.
    const cellOf = (e) => e.target.closest?.('table.out td.cell');
    this.tablesBox.addEventListener('click', (e) => {
      const td = cellOf(e);
      if (td) this.select(Number(td.dataset.row), Number(td.dataset.col), 'out');
    });
    this.tablesBox.addEventListener('focusin', (e) => {
      const td = cellOf(e);
      // A focus() of our own (arrow keys) has selected the cell already.
      if (td && !this.focusing) this.select(Number(td.dataset.row), Number(td.dataset.col), false);
    });
    this.tablesBox.addEventListener('keydown', (e) => {
      if (!cellOf(e)) return;
      const { row: i, dim: k } = this.state, n = this.trace.n, d = this.trace.d_k;
      const to = { ArrowUp: [i - 1, k], ArrowDown: [i + 1, k], ArrowLeft: [i, k - 1], ArrowRight: [i, k + 1], Home: [i, 0], End: [i, d - 1] }[e.key];
      if (!to) return;
      e.preventDefault();
      this.select(Math.max(0, Math.min(n - 1, to[0])), Math.max(0, Math.min(d - 1, to[1])), 'out');
    });
    this.tablesBox.addEventListener('pointerover', (e) => {
      const td = cellOf(e);
      if (td && e.pointerType === 'mouse') this.show(Number(td.dataset.row));
    });
    this.tablesBox.addEventListener('pointerleave', () => this.show(this.state.row));
    // Hovering or focusing a token in the trace list marks its segments in the chart.
    this.traceBox.addEventListener('pointerover', (e) => this.markToken(e.target.closest?.('li')?.dataset.token));
    this.traceBox.addEventListener('pointerleave', () => this.markToken(undefined));
    this.traceBox.addEventListener('focusin', (e) => this.markToken(e.target.closest?.('li')?.dataset.token));
    this.traceBox.addEventListener('focusout', () => this.markToken(undefined));
  }

  readProps() {
    super.readProps();
    const { head, causal, row, dim } = this.values;
    // Attributes count from 1 (what a learner reads in a deep link); the state counts from 0.
    this.state = { head: head - 1, causal, row: row - 1, dim: dim - 1 };
    this.handSolved ??= new Set();
  }

  /** Identifies the by-hand entry (sentence, head, mask, row, dimension). */
  handKey() {
    const { head, causal, row, dim } = this.state;
    return [this.trace.tokens.join(' '), this.trace.seed, this.trace.heads, this.trace.positions, head, causal, row, dim].join('|');
  }

  /**
   * Is output entry (i, k) hidden because the learner has not solved the by-hand entry yet? That is
   * the by-hand entry itself and any entry of its column with the same value: a repeated word ("the"
   * 1 and 4) has the same query, weights and output row, so its twin would give the answer away.
   */
  handHides(i, k) {
    const hidden = this.hiddenControls();
    if (hidden.has('byhand') || hidden.has('controls')) return false;
    const { row, dim } = this.state;
    if (k !== dim || this.handSolved.has(this.handKey())) return false;
    const out = this.head().output;
    return i === row || Math.abs(out[i][k] - out[row][k]) < 1e-9;
  }

  /** The live state in props terms: what the engine ran (after any fallback), the toggles and the selection. */
  currentValues() {
    const v = { ...this.values };
    if (this.state) {
      const { head, causal, row, dim } = this.state;
      Object.assign(v, { head: head + 1, causal, row: row + 1, dim: dim + 1 });
    }
    const t = this.trace;
    if (t) Object.assign(v, { sentence: [...t.tokens], seed: t.seed, heads: t.heads, positions: t.positions });
    return v;
  }

  /** Runs the scenario; on a bad combination falls back to the defaults with a note. */
  computeTrace(notes) {
    const v = this.values;
    const run = (p) => this.engine.trace({ tokens: p.sentence, seed: p.seed, heads: p.heads, positions: p.positions, causal: this.state.causal });
    // A head switch or a reselection keeps the scenario: reuse its trace.
    const key = JSON.stringify([v.sentence, v.seed, v.heads, v.positions, this.state.causal]);
    if (this.traceCache?.key === key) return this.traceCache.trace;
    try {
      const trace = run(v);
      this.traceCache = { key, trace };
      return trace;
    } catch (err) {
      notes.push(err.message);
      return run(Object.fromEntries(WeightedSum.props.map((p) => [p.name, p.default])));
    }
  }

  update(committed = false) {
    if (!this.engine) return;
    const notes = [];
    const t = this.computeTrace(notes), s = this.state;
    if (s.head >= t.heads) {
      notes.push(`head: ${s.head + 1} is more than heads = ${t.heads}; showing head 1`);
      s.head = 0;
    }
    if (s.row >= t.n) {
      notes.push(`row: ${s.row + 1} is outside the ${t.n} output rows; selecting row 1`);
      s.row = 0;
    }
    if (s.dim >= t.d_k) {
      notes.push(`dim: ${s.dim + 1} is more than d_v = ${t.d_k}; using dimension 1`);
      s.dim = 0;
    }
    this.setNotice([...this.propErrors, ...notes]);
    if (this.trace !== t) this.contribCache = new Map();
    this.trace = t;
    // Contributions depend on the trace and the head only.
    if (!this.contribCache.has(s.head)) this.contribCache.set(s.head, this.contributions());
    this.contrib = this.contribCache.get(s.head);
    this.draw();
    if (committed) this.emitChange();
  }

  emitChange() {
    const { head, causal, row, dim } = this.state;
    this.emit('change', { head, causal, row, dim, output: [...this.head().output[row]] });
  }

  head() {
    return this.trace.per_head[this.state.head];
  }

  labels() {
    const words = this.trace.tokens;
    return words.map((w, i) => (words.indexOf(w) !== words.lastIndexOf(w) ? `${w} ${i + 1}` : w));
  }

  /**
   * contrib[i][j] = token j's contribution to output row i (d_v numbers): the engine multiplies the
   * weight row i with every entry except j set to 0 by V.
   */
  contributions() {
    const { weights, V } = this.head();
    return weights.map((a) => a.map((_, j) => Array.from(this.engine.weightedSum([a.map((w, m) => (m === j ? w : 0))], V).data)));
  }

  draw() {
    const t = this.trace, s = this.state, h = this.head(), labels = this.labels(), d = t.d_k;
    if (this.headSelect.options.length !== t.heads || this.headSelect.options[0]?.textContent !== `1 of ${t.heads}`)
      this.headSelect.replaceChildren(...t.per_head.map((_, i) => el('option', { value: i }, `${i + 1} of ${t.heads}`)));
    this.headSelect.value = String(s.head);
    this.headSelect.disabled = t.heads === 1;
    this.causalBox.checked = s.causal;
    if (this.dimSelect.options.length !== d) this.dimSelect.replaceChildren(...Array.from({ length: d }, (_, k) => el('option', { value: k }, String(k + 1))));

    const unknown = t.tokens.filter((_, i) => !t.known[i]);
    this.sentenceLine.replaceChildren(
      el('span', {}, `${t.n} tokens · ${t.heads} head${t.heads > 1 ? 's' : ''} · d_v ${d} · O = A·V is ${t.n} × ${d}`),
      unknown.length ? el('span', { class: 'unknown' }, ` · not in the vocabulary (seeded random vectors): ${unknown.join(', ')}`) : '');

    // Same tokens as on screen (a head or mask switch): keep the picker buttons and the output table
    // (and so the focus on them) and write the new numbers in; otherwise build them.
    const tokensKey = JSON.stringify([labels, t.tokens, d]);
    const dims = Array.from({ length: d }, (_, k) => `dim ${k + 1}`);
    const oOpts = { caption: 'Output O = A·V', rowLabels: labels, colLabels: dims, focusable: true, className: 'out' };
    if (this.out && this.tokensKey === tokensKey && refillTable(this.out, h.output, oOpts)) {
      this.wvShown = null;
    } else {
      this.tokensKey = tokensKey;
      this.pickButtons = labels.map((lab, i) => el('button', { type: 'button', role: 'radio', 'data-row': i, class: 'tok' },
        el('span', { class: 'num' }, `${i + 1}`), ` ${t.tokens[i]}`));
      this.picker.replaceChildren(...this.pickButtons);
      // Weights of the selected row next to V: filled in by show().
      this.wvBox = el('div', { class: 'ws-panel' });
      this.wvShown = null;
      this.wvTable = null;
      const O = matrixTable(h.output, oOpts);
      O.table.setAttribute('aria-describedby', 'ws-how');
      this.out = O;
      this.tablesBox.replaceChildren(this.wvBox,
        el('div', { class: 'ws-panel' }, O.table,
          el('p', { class: 'hint', id: 'ws-how' }, 'Pick a row: tap or hover it, or focus a cell and use the arrow keys.')));
    }
    this.select(s.row, s.dim, false, false);
  }

  /** Commits output row i and dimension k. `focus`: 'picker' | 'out' | false (where focus goes). */
  select(i, k, focus, emitChange = true) {
    const changed = i !== this.state.row || k !== this.state.dim;
    this.state.row = i;
    this.state.dim = k;
    // Roving tab stops: only the elements whose state changes are written (a write restyles them,
    // and the focus() below would then lay the page out inside the handler).
    this.pickButtons.forEach((b, m) => {
      if (b.getAttribute('aria-checked') !== String(m === i)) b.setAttribute('aria-checked', String(m === i));
      if (b.getAttribute('tabindex') !== (m === i ? '0' : '-1')) b.tabIndex = m === i ? 0 : -1;
    });
    this.out.cells.forEach((row, r) => row.forEach((td, c) => {
      const stop = r === i && c === k ? '0' : '-1';
      if (td.getAttribute('tabindex') !== stop) td.setAttribute('tabindex', stop);
    }));
    this.focusing = true;
    try {
      if (focus === 'picker') this.pickButtons[i].focus();
      if (focus === 'out') this.out.cells[i][k].focus();
    } finally {
      this.focusing = false;
    }
    this.dimSelect.value = String(k);
    this.maskOutput();
    this.show(i);
    this.drawHand();
    if (changed) {
      this.handFeedback.textContent = '';
      this.handFeedback.className = 'feedback';
      this.handInput.value = '';
    } else if (this.feedbackKey !== this.handKey()) {
      // A head or mask switch makes it another entry: "✓ Correct ... now shown" no longer fits its "?".
      this.handFeedback.textContent = '';
      this.handFeedback.className = 'feedback';
    }
    if (changed && emitChange) this.emitChange();
  }

  /** Writes every output cell, with "?" in place of the unsolved by-hand entry. */
  maskOutput() {
    const out = this.head().output;
    this.out.cells.forEach((row, i) => row.forEach((td, k) => {
      const hide = this.handHides(i, k), text = hide ? '?' : fmt(out[i][k]);
      if (td.textContent !== text) td.textContent = text;
      if (td.classList.contains('hand-hidden') !== hide) td.classList.toggle('hand-hidden', hide);
      if (hide && !td.hasAttribute('aria-label')) td.setAttribute('aria-label', 'hidden until you check your by-hand answer');
      else if (!hide && td.hasAttribute('aria-label')) td.removeAttribute('aria-label');
    }));
  }

  /** Draws output row i's ingredients (hover previews a row without committing it). */
  show(i) {
    if (!this.out) return;
    const h = this.head(), labels = this.labels(), d = this.trace.d_k;
    this.tablesBox.querySelectorAll('.row-hl, .hl-cell').forEach((n) => n.classList.remove('row-hl', 'hl-cell'));
    this.out.cells[i].forEach((td) => td.classList.add('row-hl'));
    this.out.table.querySelectorAll('tbody tr')[i].classList.add('row-hl');
    if (i === this.state.row) this.out.cells[i][this.state.dim].classList.add('hl-cell');

    // Weights of row i beside the value rows, and the trace list: they depend on the trace, the head
    // and the row only, so a move along the row (another dimension) keeps them and moves the mark.
    const shown = this.wvShown;
    const same = shown && shown.trace === this.trace && shown.head === this.state.head && shown.i === i;
    if (same) {
      shown.wv.cells.forEach((row) => row.forEach((td) => td.classList.remove('dim-hl')));
      if (i === this.state.row) shown.wv.cells.forEach((row) => row[1 + this.state.dim].classList.add('dim-hl'));
    } else {
      const rows = h.weights[i].map((a, j) => [a, ...h.V[j]]);
      const opts = {
        caption: `Row ${i + 1}'s weights and the value rows V`, rowLabels: labels,
        colLabels: ['weight', ...Array.from({ length: d }, (_, k) => `dim ${k + 1}`)], className: 'wv',
      };
      // Another row of the same trace: write its weights into the table on screen (the value rows V
      // stay as they are when the head is the same too).
      const old = this.wvTable;
      const sameV = old && this.wvTraceKey === this.trace && this.wvHead === this.state.head;
      if (sameV) {
        old.table.caption.textContent = opts.caption;
        old.cells.forEach((row) => row.forEach((td) => td.classList.remove('dim-hl')));
      }
      const reuse = sameV || (old && this.wvTraceKey === this.trace && refillTable(old, rows, opts));
      const wv = reuse ? old : matrixTable(rows, opts);
      wv.cells.forEach((row, j) => {
        row[0].className = `cell weight ${tint(h.weights[i][j], 1)}`;
        row[0].textContent = fmt(h.weights[i][j], 3);
        if (i === this.state.row) row[1 + this.state.dim].classList.add('dim-hl');
      });
      if (!reuse) this.wvBox.replaceChildren(wv.table);
      this.wvTable = wv;
      this.wvTraceKey = this.trace;
      this.wvHead = this.state.head;
      this.wvShown = { trace: this.trace, head: this.state.head, i, wv };
    }

    this.drawBlend(i);
    if (!same) this.drawTrace(i);
  }

  /**
   * The stacked bars (one per output dimension) and the contributions table they draw. Built once per
   * trace and head (blendParts); a row or dimension change writes the new bars and numbers into them.
   */
  drawBlend(i) {
    const h = this.head(), labels = this.labels(), d = this.trace.d_k, n = this.trace.n;
    const parts = this.contrib[i], out = h.output[i];
    const B = this.blendParts();
    const { x, L, track, lane, top } = B;
    const set = (node, name, v) => { const t = String(v); if (node.getAttribute(name) !== t) node.setAttribute(name, t); };
    const text = (node, t) => { if (node.textContent !== t) node.textContent = t; };
    B.chart.classList.remove('marking');
    for (let k = 0; k < d; k++) {
      const y = top + k * lane, barY = y + 4, barH = 18;
      const ln = B.lanes[k];
      set(ln.g, 'class', k === this.state.dim && i === this.state.row ? 'lane picked' : 'lane');
      const segs = [];
      let pos = 0, neg = 0;
      for (let j = 0; j < n; j++) {
        const c = parts[j][k];
        if (Math.abs(c) < 1e-9) continue;
        const from = c >= 0 ? pos : neg;
        const to = from + c;
        if (c >= 0) pos = to; else neg = to;
        const x1 = Math.min(x(from), x(to)), w = Math.abs(x(to) - x(from));
        const seg = ln.segs[j];
        seg.g.setAttribute('class', `seg t${j} ${c >= 0 ? 'pos' : 'neg'} ${j % 2 ? 'alt' : ''}`.trim());
        set(seg.rect, 'x', x1);
        set(seg.rect, 'width', Math.max(w, 0.5));
        if (w >= 14) {
          set(seg.num, 'x', x1 + w / 2);
          if (!seg.num.parentNode) seg.g.append(seg.num);
        } else seg.num.remove();
        segs.push(seg.g);
      }
      // The sum: a thin line through the bar (so segment numbers stay readable) and bold stubs outside
      // it. On the by-hand entry's lane it is left out (out of the DOM) until the learner has the sum:
      // the tick would point at the answer on the scale.
      const hide = this.handHides(i, k);
      if (!hide) {
        const xt = x(out[k]);
        for (const t of ln.totals) { set(t, 'x1', xt); set(t, 'x2', xt); }
      }
      ln.g.replaceChildren(ln.dimlab, ...ln.ranges, ...segs, ...(hide ? [] : ln.totals), ln.outval);
      text(ln.outval, `= ${hide ? '?' : fmt(out[k])}`);
    }
    text(B.title, `Output row ${i + 1} (${labels[i]}), built from its tokens`);
    text(B.caption, `Contributions a${i + 1},j × V_j to output row ${i + 1} (${labels[i]})`);
    B.rows.forEach((tds, j) => tds.forEach((td, k) => text(td, fmt(parts[j][k], 3))));
    text(B.sumHead, `Sum = O${i + 1}`);
    B.sums.forEach((td, k) => text(td, this.handHides(i, k) ? '?' : fmt(out[k], 3)));
  }

  /** The chart's lanes and the contributions table for the trace and head shown: built once, then reused. */
  blendParts() {
    const B = this.blend;
    if (B && B.trace === this.trace && B.head === this.state.head) return B;
    const h = this.head(), labels = this.labels(), d = this.trace.d_k, n = this.trace.n;
    // One scale for every row and head shown, so switching rows compares like with like.
    let extent = 1e-6;
    for (const row of this.contrib) for (let k = 0; k < d; k++) {
      let pos = 0, neg = 0;
      for (const c of row) if (c[k] >= 0) pos += c[k]; else neg += c[k];
      extent = Math.max(extent, pos, -neg);
    }
    for (const row of h.V) for (const v of row) extent = Math.max(extent, Math.abs(v));
    const L = 48, R = 66, track = 240, lane = 38, top = 8, W = L + track + R, H = top + d * lane + 6;
    const x = (v) => L + track / 2 + (v / extent) * (track / 2);
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'ws-chart', 'aria-hidden': 'true', focusable: 'false' });
    chart.append(svg('line', { x1: x(0), x2: x(0), y1: top - 4, y2: H - 2, class: 'zero' }));
    const lanes = [];
    for (let k = 0; k < d; k++) {
      const y = top + k * lane, barY = y + 4, barH = 18;
      const g = svg('g', { class: 'lane' });
      const dimlab = svg('text', { x: L - 8, y: barY + 13, class: 'dimlab' }, `dim ${k + 1}`);
      // The range of column k of V: a weighted average with weights summing to 1 must land inside it.
      const col = h.V.map((r) => r[k]);
      const lo = Math.min(...col), hi = Math.max(...col);
      const ranges = [svg('line', { x1: x(lo), x2: x(hi), y1: barY + barH + 7, y2: barY + barH + 7, class: 'range' }),
        svg('line', { x1: x(lo), x2: x(lo), y1: barY + barH + 4, y2: barY + barH + 10, class: 'range' }),
        svg('line', { x1: x(hi), x2: x(hi), y1: barY + barH + 4, y2: barY + barH + 10, class: 'range' })];
      const segs = Array.from({ length: n }, (_, j) => {
        const rect = svg('rect', { x: 0, y: barY, width: 0, height: barH });
        const num = svg('text', { x: 0, y: barY + 13, class: 'segnum' }, String(j + 1));
        return { g: svg('g', { class: `seg t${j}`, 'data-token': j }, rect), rect, num };
      });
      const totals = [svg('line', { x1: 0, x2: 0, y1: barY, y2: barY + barH, class: 'total-thin' }),
        svg('line', { x1: 0, x2: 0, y1: barY - 6, y2: barY, class: 'total' }),
        svg('line', { x1: 0, x2: 0, y1: barY + barH, y2: barY + barH + 6, class: 'total' })];
      const outval = svg('text', { x: L + track + 8, y: barY + 13, class: 'outval' });
      g.append(dimlab, ...ranges, outval);
      chart.append(g);
      lanes.push({ g, dimlab, ranges, segs, totals, outval });
    }

    const dims = Array.from({ length: d }, (_, k) => `dim ${k + 1}`);
    const rows = labels.map(() => dims.map(() => el('td')));
    const sums = dims.map(() => el('td'));
    const caption = el('caption'), sumHead = el('th', { scope: 'row' });
    const table = el('table', { class: 'ws-contrib' }, caption,
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Token'), ...dims.map((c) => el('th', { scope: 'col' }, c)))),
      el('tbody', {}, ...labels.map((lab, j) => el('tr', { 'data-token': j },
        el('th', { scope: 'row' }, `${j + 1} ${this.trace.tokens[j]}`), ...rows[j])),
      el('tr', { class: 'sum' }, sumHead, ...sums)));
    const title = el('h3');
    this.blendBox.replaceChildren(title,
      el('div', { class: 'ws-blend-grid' },
        el('div', { class: 'ws-chart-box' }, chart,
          el('p', { class: 'legend' }, 'Each bar stacks the tokens\' contributions (numbers = token positions): blue adds, orange subtracts. ' +
            'The dark tick is their sum, the output value. The grey bracket underneath spans that column of V.')),
        table));
    this.chart = chart;
    this.blend = { trace: this.trace, head: this.state.head, chart, lanes, rows, sums, caption, sumHead, title, x, L, track, lane, top };
    return this.blend;
  }

  /**
   * "Trace an output back to its tokens": tokens sorted by weight, with their share of the blend.
   * One item per token, built once per sentence; a row or head change writes the shares and puts the
   * items in their new order (moving only when the order changes).
   */
  drawTrace(i) {
    const a = this.head().weights[i], labels = this.labels();
    const order = a.map((w, j) => j).sort((p, q) => a[q] - a[p] || p - q);
    const key = JSON.stringify(this.trace.tokens);
    if (this.traceView?.key !== key) {
      const items = this.trace.tokens.map((tok, j) => {
        const it = { fill: el('span'), share: el('span', { class: 'share' }), masked: el('span', { class: 'masked-note' }, ' masked') };
        it.li = el('li', { 'data-token': j, tabindex: '0' },
          el('span', { class: 'who' }, `${j + 1} ${tok}`),
          el('span', { class: 'share-bar', 'aria-hidden': 'true' }, it.fill), it.share);
        return it;
      });
      const title = el('h3'), ol = el('ol', { class: 'ws-shares' });
      this.traceBox.replaceChildren(title, ol,
        el('p', { class: 'hint' }, 'Shares are the weights of this row; they add up to 100%. Hover or focus a token to find its pieces in the bars.'));
      this.traceView = { key, items, title, ol };
    }
    const T = this.traceView;
    T.title.textContent = `Trace output row ${i + 1} (${labels[i]}) back to its tokens`;
    for (const j of order) {
      const it = T.items[j], cls = `fill w${Math.round(a[j] * 20)}`, share = `${fmt(a[j] * 100, 1)}%`;
      if (it.fill.className !== cls) it.fill.className = cls;
      if (it.share.textContent !== share) it.share.textContent = share;
      if (a[j] === 0) { if (!it.masked.parentNode) it.li.append(it.masked); } else it.masked.remove();
    }
    const now = [...T.ol.children];
    if (now.length !== order.length || order.some((j, k) => now[k] !== T.items[j].li)) T.ol.replaceChildren(...order.map((j) => T.items[j].li));
  }

  /** Outlines token j's segments in the chart (undefined clears). */
  markToken(j) {
    if (!this.chart) return;
    this.chart.classList.toggle('marking', j !== undefined);
    this.chart.querySelectorAll('.seg').forEach((s) => s.classList.toggle('marked', s.dataset.token === j));
  }

  drawHand() {
    const { row: i, dim: k } = this.state, h = this.head(), labels = this.labels();
    const paren = (v) => (fmt(v).startsWith('−') ? `(${fmt(v)})` : fmt(v));
    const terms = h.weights[i].map((a, j) => `${fmt(a)} × ${paren(h.V[j][k])}`).join(' + ');
    this.handHint.textContent = `O${i + 1},${k + 1} = Σ_j a${i + 1},j × V_j,${k + 1} = ${terms}`;
    this.handLabel.textContent = `Your value for output row ${i + 1} (${labels[i]}), dimension ${k + 1}`;
  }

  /** Checks the learner's entry against the engine (within 0.01 of the exact value or of the value from the rounded numbers shown). */
  checkByHand() {
    const raw = this.handInput.value.trim().replace('−', '-').replace(',', '.');
    const x = Number(raw);
    this.feedbackKey = this.handKey();
    this.handFeedback.className = 'feedback';
    if (raw === '' || !Number.isFinite(x)) {
      this.handFeedback.textContent = `“${this.handInput.value.slice(0, 20)}” is not a number. Type something like −0.42.`;
      return;
    }
    const { row: i, dim: k } = this.state, h = this.head(), labels = this.labels();
    const r2 = (v) => Number(v.toFixed(2));
    const fromScreen = this.engine.weightedSum([h.weights[i].map(r2)], h.V.map((r) => [r2(r[k])])).data[0];
    const exact = h.output[i][k];
    const near = (a, b) => Math.abs(a - b) <= 0.01;
    const ok = near(x, exact) || near(x, fromScreen);
    if (ok) {
      this.handSolved.add(this.handKey());
      this.maskOutput();
      this.show(i);
      this.handFeedback.textContent = `✓ Correct: O${i + 1},${k + 1} = ${fmt(exact, 3)}. It is now shown in the output table.`;
    } else {
      this.handFeedback.textContent = `✗ Not quite. ${this.handDiagnosis(x, i, k, labels)}`;
    }
    this.handFeedback.className = `feedback ${ok ? 'right' : 'wrong'}`;
    this.emit('byhand', { correct: ok, value: x, expected: exact, row: i, dim: k });
  }

  /**
   * Which term of O_ik = Σ_j a_ij V_jk a wrong sum x got wrong, when one simple slip explains it
   * (a term left out, a term's sign flipped, the weights left out); otherwise only the direction and
   * where to compare. Never states the sum. The terms are the engine's contributions.
   */
  handDiagnosis(x, i, k, labels) {
    const h = this.head(), exact = h.output[i][k];
    const terms = this.contrib[i].map((c) => c[k]);
    const near = (a, b) => Math.abs(a - b) <= 0.01;
    const term = (j) => `term ${j + 1} (token ${j + 1}, ${labels[j]}: ${fmt(h.weights[i][j])} × ${fmt(h.V[j][k])})`;
    for (let j = 0; j < terms.length; j++) {
      if (Math.abs(terms[j]) > 0.01 && near(x, exact - terms[j])) return `Your sum matches the others without ${term(j)}: add that product too.`;
    }
    for (let j = 0; j < terms.length; j++) {
      if (Math.abs(terms[j]) > 0.01 && near(x, exact - 2 * terms[j])) return `Check the sign of ${term(j)}: a weight is never negative, so the product has the sign of the value.`;
    }
    const plain = h.V.reduce((acc, r) => acc + r[k], 0);
    if (near(x, plain)) return 'That is the plain sum of the values: multiply each value by its weight first.';
    return `Your sum is too ${x > exact ? 'high' : 'low'}. Work out each product weight × value and compare it with that token's row in the contributions table: the row that differs is the term that went wrong.`;
  }

  /** Plain-text summary used by the checks. */
  traceSummary(i) {
    const a = this.head().weights[i], labels = this.labels();
    const order = a.map((w, j) => j).sort((p, q) => a[q] - a[p] || p - q).slice(0, 2);
    return `Output row ${i + 1} (${labels[i]}) takes ${order.map((j) => `${fmt(a[j] * 100, 1)}% from ${labels[j]}`).join(' and ')}.`;
  }
}
