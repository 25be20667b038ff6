/**
 * <attn-row-softmax>: scaled scores -> row-wise softmax -> attention weights, for one head.
 *
 * Attributes (declared in `props` below): sentence, seed, heads, head, causal, temperature,
 * positions, selected.
 * Two tables side by side (stacked on phones): the scaled scores S/√d_k (masked cells print −∞) and
 * the weights softmax(row / T) with each row's sum. Hovering previews a row; tapping, clicking or
 * focusing a cell selects it (arrow keys move, Home/End jump within the row). The selected row gets
 * a bar chart and a detail table; with the causal mask on, both show the row before and after
 * masking. A by-hand box checks one weight against the engine; that weight (the selected cell) reads
 * "?" in the table, the chart and the detail until the learner has computed it.
 * Every number comes from the engine (trace, softmax, weightedSum); this file only draws.
 * Events: `change` { head, causal, temperature, selected: [row, col], weight } on committed changes,
 * `input` { temperature } while the temperature slider moves, `byhand` { correct, value, expected }.
 * Controls `hide` can hide: head, causal (the mask toggle), temperature, byhand (the by-hand box).
 */
import { WidgetBase, el, fmt, svg } from './base.js';
import { matrixTable, refillTable } from './matrix-table.js';
import { hideCell } from './by-hand.js';


/** "1", "1 and 3", "1, 2 and 5". */
function listWords(items) {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export class RowSoftmax extends WidgetBase {
  static tag = 'attn-row-softmax';
  static styles = ['row-softmax.css'];
  static props = [
    { name: 'sentence', type: 'tokens', maxTokens: 8, default: ['the', 'cat', 'chased', 'the', 'mouse'],
      description: 'The sentence, 1-8 words separated by spaces.' },
    { name: 'seed', type: 'integer', min: 0, max: 2147483647, default: 7,
      description: 'Seed that draws the projection weights.' },
    { name: 'heads', type: 'integer', min: 1, max: 8, default: 2,
      description: 'Number of heads h; must divide d_model = 8.' },
    { name: 'head', type: 'integer', min: 1, max: 8, default: 1, description: 'Which head to show (1 = the first).' },
    { name: 'causal', type: 'boolean', default: false,
      description: 'Apply the causal (decoder) mask: scores above the diagonal become −∞ before the softmax.' },
    { name: 'temperature', type: 'number', min: 0.1, max: 5, default: 1,
      description: 'Softmax temperature T: each row is divided by T before the softmax.' },
    { name: 'positions', type: 'enum', values: ['none', 'sinusoidal'], default: 'none',
      description: 'Add sinusoidal position vectors to the embeddings.' },
    { name: 'selected', type: 'cell', default: [2, 1], description: 'Selected cell "row,col" of the weights, counted from 1 ("2,1": row 2, column 1).' },
  ];
  static controls = ['head', 'causal', 'temperature', 'byhand'];

  static checks = {
    'causal-on': {
      description: 'The causal mask is on (and, if row is 1 or more, that row is selected).',
      args: [{ name: 'row', type: 'integer', min: 0, max: 8, default: 0, description: 'Row to require (1-based); 0 = any row.' }],
      run(w, { row }) {
        if (!w.state.causal) return { correct: false, message: 'The causal mask is still off.' };
        const i = w.state.selected[0];
        if (row >= 1 && i !== row - 1) return { correct: false, message: `The mask is on, but row ${i + 1} is selected, not row ${row}.` };
        return { correct: true, message: w.maskSummary(i) };
      },
    },
    'selected-row': {
      description: 'The given row (1-based) is selected.',
      args: [{ name: 'row', type: 'integer', min: 1, max: 8, description: 'Row (1-based).' }],
      run(w, { row }) {
        const i = w.state.selected[0], ok = i === row - 1;
        return { correct: ok, message: ok ? w.rowSummary(i) : `Row ${i + 1} (${w.labels()[i]}) is selected, not row ${row}.` };
      },
    },
    'row-max-weight-at-least': {
      description: 'The selected row gives at least `min` of its weight to a single token (with two or more visible tokens).',
      args: [{ name: 'min', type: 'number', min: 0, max: 1, description: 'Smallest largest-weight that counts.' }],
      run(w, { min }) {
        const i = w.state.selected[0], labels = w.labels();
        const row = w.live().weights[i], visible = w.live().masked[i].filter((v) => v !== null).length;
        const top = row.indexOf(Math.max(...row));
        // The selected weight is the by-hand exercise: while hidden, the message does not print it either.
        const amount = w.weightHidden(i, top) ? 'its largest weight' : fmt(row[top], 3);
        const what = `Row ${i + 1} (${labels[i]}) gives ${amount} to ${labels[top]} at T = ${fmt(w.state.temperature, 1)}`;
        if (visible < 2) return { correct: false, message: `${what}, but only one token is visible to it under the mask, so that is automatic. Pick a row with at least two visible tokens.` };
        const ok = row[top] >= min;
        return { correct: ok, message: ok ? `${what}.` : `${what}; that is below ${fmt(min, 2)}.` };
      },
    },
  };

  setup() {
    this.headSelect = el('select', { 'aria-label': 'Head' });
    this.causalBox = el('input', { type: 'checkbox' });
    this.tempInput = el('input', { type: 'range', min: '0.1', max: '5', step: '0.1', 'aria-label': 'Temperature T' });
    this.tempOut = el('output', { class: 'temp-value' });
    this.sentenceLine = el('p', { class: 'sentence' });
    this.grid = el('div', { class: 'rs-grid' });
    this.rowBox = el('div', { class: 'rs-row' });
    this.handLabel = el('label', { for: 'by-hand-input' });
    this.handHint = el('p', { class: 'hint', id: 'by-hand-hint' });
    this.handInput = el('input', { id: 'by-hand-input', type: 'text', inputmode: 'decimal', autocomplete: 'off', size: '8',
      'aria-describedby': 'by-hand-hint' });
    this.handFeedback = el('p', { class: 'feedback', 'aria-live': 'polite' });
    const form = el('form', { class: 'by-hand', 'data-control': 'byhand' },
      el('h3', {}, 'Compute one weight by hand'), this.handHint, this.handLabel,
      el('div', { class: 'row' }, this.handInput, el('button', { type: 'submit' }, 'Check')), this.handFeedback);
    this.body.replaceChildren(
      el('div', { class: 'controls' },
        el('label', { 'data-control': 'head' }, 'Head ', this.headSelect),
        el('label', { class: 'toggle', 'data-control': 'causal' }, this.causalBox, ' Causal mask'),
        el('label', { class: 'temp', 'data-control': 'temperature' }, 'Temperature T ', this.tempInput, this.tempOut)),
      this.sentenceLine,
      el('div', { class: 'scroll', tabindex: '-1' }, this.grid),
      el('p', { class: 'hint', id: 'rs-how' },
        'Each row is one token asking. Hover or tap a row, or focus a cell and use the arrow keys; the selected row is drawn below.'),
      this.rowBox,
      form);

    // The controls redraw at the next animation frame, not inside the input's handler: a select or
    // slider lays the page out right after its event, which then also paid for every cell just
    // written. A key held down redraws once per frame; `change` follows the redraw.
    this.headSelect.addEventListener('change', () => {
      this.state.head = Number(this.headSelect.value);
      this.inNextFrame('update', () => this.update(false));
      this.inNextFrame('change', () => this.emitChange());
    });
    this.causalBox.addEventListener('change', () => {
      this.state.causal = this.causalBox.checked;
      this.inNextFrame('update', () => this.update(false));
      this.inNextFrame('change', () => this.emitChange());
    });
    this.tempInput.addEventListener('input', () => {
      this.state.temperature = Number(this.tempInput.value);
      this.tempOut.textContent = fmt(this.state.temperature, 1);
      this.inNextFrame('update', () => {
        this.update(false);
        this.emit('input', { temperature: this.state.temperature });
      });
    });
    this.tempInput.addEventListener('change', () => this.inNextFrame('change', () => this.emitChange()));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.checkByHand();
    });
    // Delegated once: the tables inside the grid are rebuilt on every update.
    const cellOf = (e) => e.target.closest?.('td.cell');
    this.grid.addEventListener('keydown', (e) => this.onKey(e));
    this.grid.addEventListener('click', (e) => {
      const td = cellOf(e);
      if (td) this.select(Number(td.dataset.row), Number(td.dataset.col), true);
    });
    this.grid.addEventListener('focusin', (e) => {
      const td = cellOf(e);
      // A focus() of our own (arrow keys) has selected the cell already.
      if (td && !this.focusing) this.select(Number(td.dataset.row), Number(td.dataset.col), false);
    });
    this.grid.addEventListener('pointerover', (e) => {
      const td = cellOf(e);
      if (td && e.pointerType === 'mouse') this.show(Number(td.dataset.row));
    });
    this.grid.addEventListener('pointerleave', () => this.show(this.state.selected[0]));
  }

  readProps() {
    super.readProps();
    const { head, causal, temperature, selected } = this.values;
    // Attributes count from 1 (what a learner reads in a deep link); the state counts from 0.
    this.state = { head: head - 1, causal, temperature, selected: selected.map((x) => Math.max(0, x - 1)) };
  }

  /** The live state in props terms: what the engine ran (after any fallback), the toggles and the selection. */
  currentValues() {
    const v = { ...this.values };
    if (this.state) {
      const { head, causal, temperature, selected } = this.state;
      Object.assign(v, { head: head + 1, causal, temperature, selected: selected.map((x) => x + 1) });
    }
    const t = this.traces?.plain;
    if (t) Object.assign(v, { sentence: [...t.tokens], seed: t.seed, heads: t.heads, positions: t.positions });
    return v;
  }

  /** Runs the scenario (mask off and mask on); on a bad combination falls back to the defaults with a note. */
  computeTraces(notes) {
    const v = this.values, s = this.state;
    const run = (p, causal) => this.engine.trace({ tokens: p.sentence, seed: p.seed, heads: p.heads, positions: p.positions,
      causal, temperature: s.temperature });
    // The traces depend on the scenario and the temperature only: a head switch, a mask toggle or a
    // temperature step back to a value just shown reuses them.
    const key = JSON.stringify([v.sentence, v.seed, v.heads, v.positions, s.temperature]);
    if (this.traceCache?.key === key) return this.traceCache.traces;
    try {
      const traces = { plain: run(v, false), masked: run(v, true) };
      this.traceCache = { key, traces };
      return traces;
    } catch (err) {
      notes.push(err.message);
      const d = Object.fromEntries(RowSoftmax.props.map((p) => [p.name, p.default]));
      return { plain: run(d, false), masked: run(d, true) };
    }
  }

  update(committed = false) {
    if (!this.engine) return;
    const notes = [];
    this.traces = this.computeTraces(notes);
    const t = this.traces.plain, s = this.state;
    if (s.head >= t.heads) {
      notes.push(`head: ${s.head + 1} is more than heads = ${t.heads}; showing head 1`);
      s.head = 0;
    }
    if (s.selected[0] >= t.n || s.selected[1] >= t.n) {
      notes.push(`selected: ${s.selected.map((x) => x + 1).join(',')} is outside the ${t.n}x${t.n} matrix; selecting 1,1`);
      s.selected = [0, 0];
    }
    this.setNotice([...this.propErrors, ...notes]);
    this.draw();
    if (committed) this.emitChange();
  }

  emitChange() {
    const { head, causal, temperature, selected } = this.state;
    this.emit('change', { head, causal, temperature, selected: [...selected], weight: this.live().weights[selected[0]][selected[1]] });
  }

  /** The head shown, from the trace that matches the mask toggle. */
  live() {
    return (this.state.causal ? this.traces.masked : this.traces.plain).per_head[this.state.head];
  }

  unmasked() {
    return this.traces.plain.per_head[this.state.head];
  }

  labels() {
    const words = this.traces.plain.tokens;
    return words.map((w, i) => (words.indexOf(w) !== words.lastIndexOf(w) ? `${w} ${i + 1}` : w));
  }

  /** Row sums of a weight matrix, through the engine (weights · a column of ones). */
  rowSums(W) {
    return Array.from(this.engine.weightedSum(W, W[0].map(() => [1])).data);
  }

  draw() {
    const t = this.traces.plain, s = this.state, h = this.live();
    const labels = this.labels();
    if (this.headSelect.options.length !== t.heads || this.headSelect.options[0]?.textContent !== `1 of ${t.heads}`)
      this.headSelect.replaceChildren(...t.per_head.map((_, i) => el('option', { value: i }, `${i + 1} of ${t.heads}`)));
    this.headSelect.value = String(s.head);
    this.headSelect.disabled = t.heads === 1;
    this.causalBox.checked = s.causal;
    this.tempInput.value = String(s.temperature);
    this.tempOut.textContent = fmt(s.temperature, 1);

    const unknown = t.tokens.filter((_, i) => !t.known[i]);
    this.sentenceLine.replaceChildren(
      el('span', {}, `${t.n} tokens · ${t.heads} head${t.heads > 1 ? 's' : ''} · d_k ${t.d_k} · scores already divided by √${t.d_k}`),
      unknown.length ? el('span', { class: 'unknown' }, ` · not in the vocabulary (seeded random vectors): ${unknown.join(', ')}`) : '');

    const sOpts = {
      caption: s.causal ? `Scaled scores, masked (S / √${t.d_k})` : `Scaled scores (S / √${t.d_k})`,
      rowLabels: labels, colLabels: labels, focusable: true, className: 'scores',
    };
    const aOpts = {
      caption: s.temperature === 1 ? 'Weights = softmax of each row' : `Weights = softmax of each row / ${fmt(s.temperature, 1)}`,
      rowLabels: labels, colLabels: labels, focusable: true, scale: 1, className: 'weights',
    };
    const arrowText = s.temperature === 1 ? 'softmax' : `softmax(row / ${fmt(s.temperature, 1)})`;
    // Each row's sum, from the engine, in an extra column.
    const sums = this.rowSums(h.weights);
    // Same size as on screen (a temperature step, a head or mask switch): write the numbers into the
    // tables already there, so nothing is rebuilt and the focused control keeps its focus.
    const old = this.tables;
    const reuse = old && refillTable(old.S, h.masked, sOpts) && refillTable(old.A, h.weights, aOpts);
    let S, A;
    if (reuse) {
      ({ S, A } = old);
      A.sumCells.forEach((td, i) => (td.textContent = fmt(sums[i], 3)));
      this.arrowLabel.textContent = arrowText;
    } else {
      S = matrixTable(h.masked, sOpts);
      A = matrixTable(h.weights, aOpts);
      A.table.querySelector('thead tr').append(el('th', { scope: 'col', class: 'sum' },
        el('span', { 'aria-hidden': 'true' }, 'Σ'), el('span', { class: 'vh' }, 'Row sum')));
      A.sumCells = [...A.table.querySelectorAll('tbody tr')].map((tr, i) => tr.appendChild(el('td', { class: 'sum' }, fmt(sums[i], 3))));
      for (const { table } of [S, A]) table.setAttribute('aria-describedby', 'rs-how');
      this.arrowLabel = document.createTextNode(arrowText);
      this.grid.replaceChildren(
        el('div', { class: 'rs-panel' }, S.table),
        el('div', { class: 'rs-arrow', 'aria-hidden': 'true' },
          el('span', { class: 'down' }, '↓ '), this.arrowLabel,
          el('span', { class: 'right' }, ' →')),
        el('div', { class: 'rs-panel' }, A.table));
    }
    h.masked.forEach((row, i) => row.forEach((v, j) => {
      if (v === null) A.cells[i][j].classList.add('zeroed');
    }));
    this.tables = { S, A, sums };
    this.select(s.selected[0], s.selected[1], false, false);
  }

  onKey(e) {
    const td = e.target.closest?.('td.cell');
    if (!td) return;
    const [i, j] = this.state.selected, n = this.traces.plain.n;
    const moves = { ArrowUp: [i - 1, j], ArrowDown: [i + 1, j], ArrowLeft: [i, j - 1], ArrowRight: [i, j + 1], Home: [i, 0], End: [i, n - 1] };
    const to = moves[e.key];
    if (!to) return;
    e.preventDefault();
    const [r, c] = to.map((x) => Math.max(0, Math.min(n - 1, x)));
    this.select(r, c, true, true, td.closest('table').classList.contains('scores') ? 'S' : 'A');
  }

  /** Commits (i, j): roving tabindex in both tables, highlight, row detail, by-hand label. */
  select(i, j, focus, emitChange = true, which = 'A') {
    const changed = i !== this.state.selected[0] || j !== this.state.selected[1];
    this.state.selected = [i, j];
    const { S, A } = this.tables;
    // Roving tab stops: only the cells whose tabindex changes are written (a write restyles them, and
    // the focus() below would then lay the page out inside the handler).
    for (const T of [S, A]) T.cells.forEach((row, r) => row.forEach((td, c) => {
      const stop = r === i && c === j ? '0' : '-1';
      if (td.getAttribute('tabindex') !== stop) td.setAttribute('tabindex', stop);
    }));
    if (focus) {
      this.focusing = true;
      try {
        (which === 'S' ? S : A).cells[i][j].focus();
      } finally {
        this.focusing = false;
      }
    }
    hideCell(A.cells, this.solvedHere() ? null : [i, j]);
    this.show(i);
    const labels = this.labels();
    this.handLabel.textContent = `Your value for the weight in row ${i + 1} (${labels[i]}), column ${j + 1} (${labels[j]})`;
    this.handHint.textContent = this.byHandHint(i);
    if (changed) {
      this.handFeedback.textContent = '';
      this.handFeedback.className = 'feedback';
      this.handInput.value = '';
    } else if (this.feedbackKey !== this.byHandKey()) {
      // A head, mask or temperature change makes it another weight: the verdict on the last one
      // ("✓ Correct ... now shown in the table") no longer describes the "?" on screen.
      this.handFeedback.textContent = '';
      this.handFeedback.className = 'feedback';
    }
    if (changed && emitChange) this.emitChange();
  }

  /** The selected weight may show: the learner computed it, or there is no by-hand box (hide="byhand"). */
  solvedHere() {
    const hidden = this.hiddenControls();
    return hidden.has('byhand') || hidden.has('controls') || this.revealed === this.byHandKey();
  }

  /** Which weight a by-hand answer belongs to: head, mask, temperature and cell. */
  byHandKey() {
    const { head, causal, temperature, selected } = this.state;
    return `${head}:${causal}:${temperature}:${selected.join(',')}`;
  }

  /**
   * Weight (i, j) is the by-hand exercise still to do, or its twin (a repeated word's equal weight),
   * so it is not printed anywhere.
   */
  weightHidden(i, j) {
    const [si, sj] = this.state.selected, W = this.live().weights;
    return !this.solvedHere() && ((i === si && j === sj) || Math.abs(W[i][j] - W[si][sj]) < 1e-9);
  }

  /** Hiding or showing the by-hand box shows or hides the selected weight with it. */
  applyHide() {
    super.applyHide();
    if (!this.tables || !this.state) return;
    const [i, j] = this.state.selected;
    hideCell(this.tables.A.cells, this.solvedHere() ? null : [i, j]);
    this.drawRow(i);
  }

  byHandHint(i) {
    const row = this.live().masked[i].map((v) => fmt(v));
    const T = this.state.temperature;
    const divide = T === 1 ? 'e raised to each score' : `e raised to each score divided by ${fmt(T, 1)}`;
    return `Row ${i + 1}'s scores: ${row.join(', ')}. Weight = (${divide}) ÷ (the sum of those over the row); a −∞ score contributes 0.`;
  }

  /** Highlights row i in both tables and draws its distribution (hover previews it without committing). */
  show(i) {
    if (!this.tables) return;
    const { S, A } = this.tables;
    const [si, sj] = this.state.selected;
    this.grid.querySelectorAll('.row-hl, .hl-cell').forEach((n) => n.classList.remove('row-hl', 'hl-cell'));
    for (const T of [S, A]) {
      T.cells[i].forEach((td) => td.classList.add('row-hl'));
      T.table.querySelectorAll('tbody tr')[i].classList.add('row-hl');
      if (i === si) T.cells[si][sj].classList.add('hl-cell');
    }
    this.drawRow(i);
  }

  /**
   * The selected row as bars (mask off vs on when the mask is on) plus the same numbers as a table.
   * The chart, table and summary are built once per sentence and mask setting; moving along the
   * rows (or a temperature or head step) writes the new heights and numbers into them.
   */
  drawRow(i) {
    const labels = this.labels(), n = labels.length, causal = this.state.causal;
    const after = this.live().weights[i], before = this.unmasked().weights[i], scores = this.live().masked[i];
    const hidden = scores.map((v, j) => (v === null ? j : -1)).filter((j) => j >= 0);
    const W = 64, base = 118, top = 18, x0 = 30;
    const barH = (w) => Math.max(0, w) * (base - top);
    const R = this.rowParts(labels, causal);
    const [si, sj] = this.state.selected;
    const set = (node, name, v) => { const t = String(v); if (node.getAttribute(name) !== t) node.setAttribute(name, t); };
    const text = (node, t) => { if (node.textContent !== t) node.textContent = t; };
    R.bars.forEach((b, j) => {
      const cx = x0 + j * W + W / 2;
      b.g.setAttribute('class', j === sj && i === si ? 'bar-group picked' : 'bar-group');
      // A weight still to be computed by hand gets no bar (out of the DOM): its height would give the value away.
      const hide = this.weightHidden(i, j);
      if (causal) {
        const bw = 22;
        set(b.before, 'y', base - barH(before[j]));
        set(b.before, 'height', barH(before[j]));
        set(b.val, 'x', cx + 1 + bw / 2);
      }
      if (hide) b.bar.remove();
      else {
        set(b.bar, 'y', base - barH(after[j]));
        set(b.bar, 'height', barH(after[j]));
        if (!b.bar.parentNode) b.g.insertBefore(b.bar, b.val);
      }
      set(b.val, 'y', base - (hide ? 0 : barH(after[j])) - 4);
      text(b.val, hide ? '?' : fmt(after[j]));
      if (scores[j] === null) { if (!b.masked.parentNode) b.g.append(b.masked); } else b.masked.remove();
      const tr = R.rows[j];
      if (scores[j] === null) tr.tr.setAttribute('class', 'is-masked'); else tr.tr.removeAttribute('class');
      text(tr.score, fmt(scores[j]));
      const weight = hide ? '?' : fmt(after[j], 3);
      if (causal) text(tr.before, fmt(before[j], 3));
      text(tr.weight, weight);
    });
    if (causal) {
      const [sumBefore] = this.rowSums([before]);
      text(R.sumBefore, fmt(sumBefore, 3));
    }
    text(R.sum, fmt(this.tables.sums[i], 3));
    text(R.caption, `Row ${i + 1} (${labels[i]}) as a distribution`);
    text(R.summary, causal && hidden.length ? this.maskSummary(i) : this.rowSummary(i));
  }

  /** The row chart, detail table and summary for these labels and mask setting: built once, then reused. */
  rowParts(labels, causal) {
    const tokens = this.traces.plain.tokens;
    const key = JSON.stringify([labels, tokens, causal]);
    if (this.rowView?.key === key) return this.rowView;
    const n = labels.length;
    const W = 64, H = 150, base = 118, top = 18, x0 = 30;
    const chart = svg('svg', { viewBox: `0 0 ${x0 + 6 + n * W} ${H}`, class: 'rs-chart', 'aria-hidden': 'true', focusable: 'false' });
    const barH = (w) => Math.max(0, w) * (base - top);
    for (const g of [0.25, 0.5, 0.75, 1]) {
      chart.append(svg('line', { x1: x0, x2: x0 + n * W, y1: base - barH(g), y2: base - barH(g), class: 'grid' }));
      chart.append(svg('text', { x: x0 - 4, y: base - barH(g) + 4, class: 'gl' }, g === 1 ? '1' : String(g).slice(1)));
    }
    chart.append(svg('line', { x1: x0, x2: x0 + n * W, y1: base, y2: base, class: 'axis' }),
      svg('text', { x: x0 - 4, y: base + 4, class: 'gl' }, '0'));
    const bars = labels.map((lab, j) => {
      const cx = x0 + j * W + W / 2;
      const g = svg('g', { class: 'bar-group' });
      const b = { g };
      if (causal) {
        const bw = 22;
        b.before = svg('rect', { x: cx - bw - 1, y: base, width: bw, height: 0, class: 'bar before' });
        b.bar = svg('rect', { x: cx + 1, y: base, width: bw, height: 0, class: 'bar' });
        b.val = svg('text', { x: cx + 1 + bw / 2, y: base - 4, class: 'val' });
        g.append(b.before, b.bar, b.val);
      } else {
        const bw = 34;
        b.bar = svg('rect', { x: cx - bw / 2, y: base, width: bw, height: 0, class: 'bar' });
        b.val = svg('text', { x: cx, y: base - 4, class: 'val' });
        g.append(b.bar, b.val);
      }
      g.append(svg('text', { x: cx, y: base + 15, class: 'tok' }, lab.length > 8 ? `${lab.slice(0, 7)}…` : lab));
      b.masked = svg('text', { x: cx, y: base + 29, class: 'tok muted' }, 'masked');
      chart.append(g);
      return b;
    });

    const head = el('tr', {}, el('th', { scope: 'col' }, 'Column'), el('th', { scope: 'col' }, 'Score'));
    if (causal) head.append(el('th', { scope: 'col' }, 'Weight, no mask'), el('th', { scope: 'col' }, 'Weight, masked'));
    else head.append(el('th', { scope: 'col' }, 'Weight'));
    const rows = labels.map((lab, j) => {
      const r = { score: el('td'), weight: el('td') };
      r.tr = el('tr', {}, el('th', { scope: 'row' }, `${j + 1} ${tokens[j]}`), r.score);
      if (causal) r.before = el('td');
      r.tr.append(...(causal ? [r.before, r.weight] : [r.weight]));
      return r;
    });
    const sum = el('td'), sumBefore = causal ? el('td') : null;
    const sumRow = el('tr', { class: 'sum' }, el('th', { scope: 'row' }, 'Sum'), el('td', {}, ''), ...(causal ? [sumBefore, sum] : [sum]));
    const caption = el('caption');
    const table = el('table', { class: 'rs-detail' }, caption, el('thead', {}, head), el('tbody', {}, ...rows.map((r) => r.tr), sumRow));

    const legend = causal
      ? el('p', { class: 'legend', 'aria-hidden': 'true' },
        el('span', { class: 'key before' }), ' no mask ', el('span', { class: 'key after' }), ' masked before the softmax')
      : null;
    // The summary keeps its element (aria-live reads the new text, not a new region).
    const summary = this.rowView?.summary ?? el('p', { class: 'rs-summary', 'aria-live': 'polite' });
    this.rowBox.replaceChildren(el('div', { class: 'rs-row-grid' }, el('div', { class: 'rs-chart-box' }, chart, legend), table), summary);
    this.rowView = { key, bars, rows, sum, sumBefore, caption, summary };
    return this.rowView;
  }

  /** "Row 2 (cat) sums to 1.000; its largest weight is 0.297, on cat." */
  rowSummary(i) {
    const labels = this.labels(), row = this.live().weights[i];
    const top = row.indexOf(Math.max(...row));
    const largest = this.weightHidden(i, top) ? `its largest weight (yours to compute) is on ${labels[top]}` : `its largest weight is ${fmt(row[top], 3)}, on ${labels[top]}`;
    return `Row ${i + 1} (${labels[i]}) sums to ${fmt(this.tables.sums[i], 3)}; ${largest}.`;
  }

  /** What the causal mask did to row i, with the "zero after the softmax" sum for contrast. */
  maskSummary(i) {
    const labels = this.labels(), scores = this.live().masked[i];
    const hidden = scores.map((v, j) => (v === null ? j + 1 : 0)).filter(Boolean);
    const shownCount = scores.length - hidden.length;
    if (!hidden.length) return `Row ${i + 1} (${labels[i]}) is the last token: nothing is in its future, so the mask changes nothing and the row still sums to ${fmt(this.tables.sums[i], 3)}.`;
    const before = this.unmasked().weights[i];
    const keep = scores.map((v) => [v === null ? 0 : 1]);
    const kept = this.engine.weightedSum([before], keep).data[0];
    return `Row ${i + 1} (${labels[i]}): column${hidden.length > 1 ? 's' : ''} ${listWords(hidden)} lie in its future, so ` +
      `${hidden.length > 1 ? 'those scores are' : 'that score is'} −∞ before the softmax and get weight exactly 0. ` +
      `Zeroing them after the softmax instead would leave a row summing to ${fmt(kept, 3)}; masking first lets the ` +
      `${shownCount} visible weight${shownCount > 1 ? 's' : ''} renormalise to ${fmt(this.tables.sums[i], 3)}.`;
  }

  /** Checks the learner's weight against the engine (within 0.01 of the exact weight, or of the softmax of the rounded scores shown). */
  checkByHand() {
    const raw = this.handInput.value.trim().replace('−', '-').replace(',', '.');
    const x = Number(raw);
    this.feedbackKey = this.byHandKey();
    this.handFeedback.className = 'feedback';
    if (raw === '' || !Number.isFinite(x)) {
      this.handFeedback.textContent = `“${this.handInput.value.slice(0, 20)}” is not a number. Type something like 0.25.`;
      return;
    }
    const [i, j] = this.state.selected;
    const rounded = this.live().masked[i].map((v) => (v === null ? -Infinity : Number(v.toFixed(2))));
    const fromScreen = this.engine.softmax(rounded, this.state.temperature)[j];
    const exact = this.live().weights[i][j];
    const near = (a, b) => Math.abs(a - b) <= 0.01;
    const ok = near(x, exact) || near(x, fromScreen);
    // A wrong answer gets a hint about the step that went wrong, never the weight itself.
    const score = rounded[j] / this.state.temperature;
    const hint = score === -Infinity ? 'This column is masked: its score is −∞, so e^score is 0.'
      : near(x, score) ? 'That is the score itself. The weight is e^score divided by the row total of e^score.'
        : near(x, Math.exp(score)) ? 'That is e^score for this column: now divide it by the total of e^score over the visible columns of the row.'
          : this.state.temperature !== 1 && near(x, this.engine.softmax(rounded, 1)[j]) ? `Divide every score by the temperature T = ${fmt(this.state.temperature, 1)} before exponentiating.`
            : 'Exponentiate every visible score in the row (divided by T), add them up, then divide this column\'s by that total.';
    if (ok) {
      this.revealed = this.byHandKey();
      hideCell(this.tables.A.cells, null);
      this.drawRow(i);
    }
    this.handFeedback.textContent = ok ? `✓ Correct: ${fmt(x, 3)}. The weight is now shown in the table.` : `✗ Not quite. ${hint}`;
    this.handFeedback.className = `feedback ${ok ? 'right' : 'wrong'}`;
    this.emit('byhand', { correct: ok, value: x, expected: exact, selected: [i, j] });
  }
}
