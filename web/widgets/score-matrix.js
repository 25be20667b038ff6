/**
 * <attn-score-matrix>: the score matrix S = Q·K^T of one head for a short sentence.
 *
 * Attributes (declared in `props` below): sentence, seed, heads, head, scaled, positions, selected.
 * Shows Q (n x d_k), K^T (d_k x n) and S (n x n) laid out like a hand multiplication; hovering,
 * tapping or focusing a cell of S (arrow keys move) highlights the row of Q and the column of K^T it
 * came from and spells out the dot product; a toggle divides S by sqrt(d_k); a by-hand box checks
 * the learner's value for the selected cell: the products are listed but their sum stays hidden until
 * the learner enters it, and a wrong entry names the term that went wrong (by-hand.js). Every number
 * comes from engine.trace() and engine.dot(); this file only draws.
 * Numbering is 1-based everywhere a learner sees it, the `head` and `selected` attributes included.
 * Events: `change` with detail { head, scaled, selected: [row, col], value } on every committed change
 * (head and selected 0-based, as in the engine's trace).
 * Controls `hide` can hide: head (the head selector), scale (the √dₖ toggle), byhand (the by-hand box).
 * Practice mode (`practice`, for a lesson's by-hand exercise): every score the learner has not
 * computed yet reads "?" (text, tint, labels, check messages) until computed or "Show all values" is
 * pressed; a score answered after it was on show is reported as such. Without `practice` only the
 * selected cell is hidden, as before.
 */
import { WidgetBase, el, fmt } from './base.js';
import { matrixTable, refillTable } from './matrix-table.js';
import { PracticeMode, gradeByHand, revealControl } from './by-hand.js';

export class ScoreMatrix extends PracticeMode(WidgetBase) {
  static tag = 'attn-score-matrix';
  static styles = ['score-matrix.css'];
  static props = [
    { name: 'sentence', type: 'tokens', maxTokens: 8, default: ['the', 'cat', 'chased', 'the', 'mouse'],
      description: 'The sentence, 1-8 words separated by spaces.' },
    { name: 'seed', type: 'integer', min: 0, max: 2147483647, default: 7,
      description: 'Seed that draws the projection weights W_Q and W_K.' },
    { name: 'heads', type: 'integer', min: 1, max: 8, default: 2,
      description: 'Number of heads h; must divide d_model = 8.' },
    { name: 'head', type: 'integer', min: 1, max: 8, default: 1, description: 'Which head to show (1 = the first).' },
    { name: 'scaled', type: 'boolean', default: false, description: 'Divide the scores by sqrt(d_k).' },
    { name: 'positions', type: 'enum', values: ['none', 'sinusoidal'], default: 'none',
      description: 'Add sinusoidal position vectors to the embeddings.' },
    { name: 'selected', type: 'cell', default: [1, 1], description: 'Selected cell "row,col" of the score matrix, counted from 1 ("2,5": row 2, column 5).' },
    { name: 'practice', type: 'boolean', default: false,
      description: 'Practice by hand: scores not yet computed in the by-hand box show "?" until the learner computes them or presses "Show all values".' },
  ];
  static controls = ['head', 'scale', 'byhand'];

  static checks = {
    'asymmetric-pair': {
      description: 'The selected score S[i][j] differs from its mirror S[j][i].',
      args: [],
      run(w) {
        const [i, j] = w.state.selected, S = w.shown(), labels = w.labels();
        // A score the learner may not see yet (by-hand practice) is named without its value.
        const say = (a, b) => `S[${labels[a]}, ${labels[b]}]${w.cellShown(a, b) ? ` = ${fmt(S[a][b])}` : ''}`;
        const here = say(i, j), mirror = say(j, i);
        if (i === j) return { correct: false, message: `You selected a diagonal cell (${here}); it is its own mirror. Pick a cell off the diagonal.` };
        const differs = fmt(S[i][j]) !== fmt(S[j][i]);
        const numbers = w.cellShown(i, j) && w.cellShown(j, i);
        return { correct: differs, message: differs ? (numbers ? `${here} but ${mirror}.` : `${here} and its mirror ${mirror} are different numbers.`)
          : `${here} and ${mirror} happen to match (same words, same vectors). Try another pair.` };
      },
    },
    'scaled-on': {
      description: 'The scores are divided by sqrt(d_k).',
      args: [],
      run: (w) => ({ correct: w.state.scaled, message: w.state.scaled ? `Every score is now divided by √${w.trace.d_k}.` : 'The "Divide by √dₖ" toggle is still off.' }),
    },
  };

  setup() {
    this.headSelect = el('select', { 'aria-label': 'Head' });
    this.scaleBox = el('input', { type: 'checkbox' });
    this.grid = el('div', { class: 'mm-grid' });
    this.sentenceLine = el('p', { class: 'sentence' });
    this.explain = el('p', { class: 'explain', 'aria-live': 'polite' });
    this.handLabel = el('label', { for: 'by-hand-input' });
    this.handInput = el('input', { id: 'by-hand-input', type: 'text', inputmode: 'decimal', autocomplete: 'off', size: '8' });
    this.handFeedback = el('p', { class: 'feedback', 'aria-live': 'polite' });
    this.reveal = revealControl('scores', () => {
      this.revealAll = !this.revealAll;
      this.mask();
      this.describe(...this.state.selected);
    });
    const form = el('form', { class: 'by-hand', 'data-control': 'byhand' },
      el('h3', {}, 'Compute this cell by hand'), this.handLabel,
      el('div', { class: 'row' }, this.handInput, el('button', { type: 'submit' }, 'Check')), this.handFeedback, this.reveal.box);
    this.body.replaceChildren(
      el('div', { class: 'controls' },
        el('label', { 'data-control': 'head' }, 'Head ', this.headSelect),
        el('label', { class: 'toggle', 'data-control': 'scale' }, this.scaleBox, ' Divide by √dₖ')),
      this.sentenceLine,
      el('div', { class: 'scroll', tabindex: '-1' }, this.grid),
      this.explain,
      form);
    // The head select and the toggle redraw at the next animation frame, not inside the input's
    // handler: the select's own keyboard handling lays the page out right after its change event,
    // which then also paid for every table cell just written. A key held down redraws once per frame.
    this.headSelect.addEventListener('change', () => {
      this.state.head = Number(this.headSelect.value);
      this.inNextFrame('update', () => this.update(true));
    });
    this.scaleBox.addEventListener('change', () => {
      this.state.scaled = this.scaleBox.checked;
      this.inNextFrame('update', () => this.update(true));
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.checkByHand();
    });
  }

  readProps() {
    super.readProps();
    const { head, scaled, selected } = this.values;
    // Attributes count from 1 (what a learner reads in a deep link); the state counts from 0.
    this.state = { head: head - 1, scaled, selected: selected.map((x) => Math.max(0, x - 1)) };
    // Practice mode: scores the learner computed, scores that were on show ("Show all values").
    this.solved = new Set();
    this.seen = new Set();
    this.revealAll = false;
  }

  /** The live state in props terms: what the engine ran (after any fallback) and the selection. */
  currentValues() {
    const v = { ...this.values, practice: this.values.practice || undefined }; // carried only when on
    if (this.state) Object.assign(v, { head: this.state.head + 1, scaled: this.state.scaled, selected: this.state.selected.map((x) => x + 1) });
    if (this.trace) Object.assign(v, { sentence: [...this.trace.tokens], seed: this.trace.seed, heads: this.trace.heads, positions: this.trace.positions });
    return v;
  }

  /** Runs the scenario through the engine; on a bad combination falls back to defaults with a note. */
  computeTrace(notes) {
    const v = this.values;
    // The trace holds every head and both views: a head switch or the √dₖ toggle reuses it.
    const key = JSON.stringify([v.sentence, v.seed, v.heads, v.positions]);
    if (this.traceCache?.key === key) {
      notes.push(...this.traceCache.notes);
      return this.traceCache.trace;
    }
    const mine = [];
    const trace = this.runTrace(mine);
    this.traceCache = { key, trace, notes: mine };
    notes.push(...mine);
    return trace;
  }

  runTrace(notes) {
    const v = this.values;
    try {
      return this.engine.trace({ tokens: v.sentence, seed: v.seed, heads: v.heads, positions: v.positions });
    } catch (err) {
      notes.push(err.message);
      const d = Object.fromEntries(ScoreMatrix.props.map((p) => [p.name, p.default]));
      return this.engine.trace({ tokens: d.sentence, seed: d.seed, heads: d.heads, positions: d.positions });
    }
  }

  update(committed = false) {
    if (!this.engine) return;
    const notes = [];
    const t = this.computeTrace(notes);
    const s = this.state;
    if (s.head >= t.heads) {
      notes.push(`head: ${s.head + 1} is more than heads = ${t.heads}; showing head 1`);
      s.head = 0;
    }
    if (s.selected[0] >= t.n || s.selected[1] >= t.n) {
      notes.push(`selected: ${s.selected.map((x) => x + 1).join(',')} is outside the ${t.n}x${t.n} matrix; selecting 1,1`);
      s.selected = [0, 0];
    }
    this.setNotice([...this.propErrors, ...notes]);
    this.trace = t;
    this.draw();
    if (committed) this.emit('change', { head: s.head, scaled: s.scaled, selected: [...s.selected], value: this.cellValue() });
  }

  labels() {
    const words = this.trace.tokens;
    return words.map((w, i) => (words.indexOf(w) !== words.lastIndexOf(w) ? `${w} ${i + 1}` : w));
  }

  shown() {
    const h = this.trace.per_head[this.state.head];
    return this.state.scaled ? h.scaled : h.scores;
  }

  cellValue() {
    const [i, j] = this.state.selected;
    return this.shown()[i][j];
  }

  draw() {
    const t = this.trace, s = this.state, h = t.per_head[s.head];
    const labels = this.labels();
    const dims = Array.from({ length: t.d_k }, (_, m) => `${m + 1}`);

    if (this.headSelect.options.length !== t.heads)
      this.headSelect.replaceChildren(...t.per_head.map((_, i) => el('option', { value: i }, `${i + 1} of ${t.heads}`)));
    this.headSelect.value = String(s.head);
    this.headSelect.disabled = t.heads === 1;
    this.scaleBox.checked = s.scaled;

    const unknown = t.tokens.filter((_, i) => !t.known[i]);
    this.sentenceLine.replaceChildren(
      el('span', {}, `${t.n} tokens · d_model ${t.d_model} · ${t.heads} head${t.heads > 1 ? 's' : ''} · d_k ${t.d_k}`),
      unknown.length ? el('span', { class: 'unknown' }, ` · not in the vocabulary (seeded random vectors): ${unknown.join(', ')}`) : '');

    const kT = h.K[0].map((_, m) => h.K.map((row) => row[m]));
    const qOpts = { caption: 'Q (queries)', rowLabels: labels, colLabels: dims, className: 'q' };
    const kOpts = { caption: 'Kᵀ (keys)', rowLabels: dims, colLabels: labels, className: 'kt' };
    const sOpts = {
      caption: s.scaled ? `S / √${t.d_k} (scaled scores)` : 'S = Q·Kᵀ (scores)',
      rowLabels: labels, colLabels: labels, focusable: true, className: 's',
    };
    // Same shapes as on screen (a head switch, the √dₖ toggle): write the numbers into the tables
    // already there, so nothing is rebuilt and the focused control keeps its focus.
    const old = this.tables;
    if (old && refillTable(old.q, h.Q, qOpts) && refillTable(old.k, kT, kOpts) && refillTable(old.S, this.shown(), sOpts)) {
      this.select(s.selected[0], s.selected[1], false, false);
      return;
    }
    const q = matrixTable(h.Q, qOpts);
    const k = matrixTable(kT, kOpts);
    const S = matrixTable(this.shown(), sOpts);
    this.tables = { q, k, S };
    this.grid.replaceChildren(el('div', { class: 'slot-corner', 'aria-hidden': 'true' }, '·'), k.table, q.table, S.table);
    S.table.setAttribute('aria-describedby', 'how-to');
    this.grid.append(el('p', { id: 'how-to', class: 'hint' },
      'Rows ask (queries), columns answer (keys). Hover, tap or focus a score and use the arrow keys to move.'));

    S.table.addEventListener('keydown', (e) => this.onKey(e));
    S.table.addEventListener('click', (e) => {
      const td = e.target.closest('td.cell');
      if (td) this.select(Number(td.dataset.row), Number(td.dataset.col), true);
    });
    S.table.addEventListener('pointerover', (e) => {
      const td = e.target.closest('td.cell');
      if (td) this.highlight(Number(td.dataset.row), Number(td.dataset.col));
    });
    S.table.addEventListener('pointerleave', () => this.highlight(...this.state.selected));
    S.table.addEventListener('focusin', (e) => {
      const td = e.target.closest('td.cell');
      // A focus() of our own (arrow keys) has selected the cell already.
      if (td && !this.focusing) this.select(Number(td.dataset.row), Number(td.dataset.col), false);
    });
    this.select(s.selected[0], s.selected[1], false, false);
  }

  onKey(e) {
    const [i, j] = this.state.selected, n = this.trace.n;
    const moves = { ArrowUp: [i - 1, j], ArrowDown: [i + 1, j], ArrowLeft: [i, j - 1], ArrowRight: [i, j + 1],
      Home: [i, 0], End: [i, n - 1] };
    const to = moves[e.key];
    if (!to) return;
    e.preventDefault();
    const [r, c] = to.map((x) => Math.max(0, Math.min(n - 1, x)));
    this.select(r, c, true);
  }

  /** Makes (i, j) the selected cell: roving tabindex, highlight, explanation, by-hand label. */
  select(i, j, focus, emitChange = true) {
    const changed = i !== this.state.selected[0] || j !== this.state.selected[1];
    this.state.selected = [i, j];
    // Roving tab stop: only the cells whose tabindex changes are written (a write restyles them, and
    // the focus() below would then lay the page out inside the handler).
    this.tables.S.cells.forEach((row, r) => row.forEach((cell, c) => {
      const stop = r === i && c === j ? '0' : '-1';
      if (cell.getAttribute('tabindex') !== stop) cell.setAttribute('tabindex', stop);
    }));
    const td = this.tables.S.cells[i][j];
    if (focus) {
      this.focusing = true;
      try {
        td.focus();
      } finally {
        this.focusing = false;
      }
    }
    this.mask();
    this.highlight(i, j);
    this.describe(i, j);
    const labels = this.labels();
    this.handLabel.textContent = `Your value for ${this.state.scaled ? 'scaled ' : ''}S[${labels[i]}, ${labels[j]}] (row ${i + 1}, column ${j + 1})`;
    if (changed) {
      this.handFeedback.textContent = '';
      this.handInput.value = '';
    } else if (this.feedbackKey !== this.byHandKey()) {
      // A head or √dₖ switch makes it another score: "✓ Correct ... now shown" no longer fits its "?".
      this.handFeedback.textContent = '';
      this.handFeedback.className = 'feedback';
    }
    if (changed && emitChange) this.emit('change', { head: this.state.head, scaled: this.state.scaled, selected: [i, j], value: this.cellValue() });
  }

  /** Marks the query row of Q, the key column of K^T and the cell of S (outline, not colour alone). */
  highlight(i, j) {
    const { q, k, S } = this.tables;
    this.root.querySelectorAll('.hl, .hl-cell').forEach((n) => n.classList.remove('hl', 'hl-cell'));
    q.cells[i].forEach((td) => td.classList.add('hl'));
    k.cells.forEach((row) => row[j].classList.add('hl'));
    S.cells[i][j].classList.add('hl-cell');
  }

  /** Whether the by-hand box is on screen (hide="byhand" or "controls" removes it). */
  byHandShown() {
    const hidden = this.hiddenControls();
    return !hidden.has('byhand') && !hidden.has('controls');
  }

  /** The selected cell's value may show: the learner computed it, or there is no by-hand box (hide="byhand"). */
  solvedHere() {
    return !this.byHandShown() || this.solved.has(this.byHandKey()) || (this.practiceOn() && this.revealAll);
  }

  /**
   * Hides what the learner may not see yet: in practice mode every score not computed, otherwise the
   * selected one (and its twins). While "Show all values" is on, every score shown counts as seen.
   */
  mask() {
    if (!this.tables) return;
    this.maskOutput(this.tables.S.cells);
  }

  /** Hiding or showing the by-hand box shows or hides the selected cell's value with it. */
  applyHide() {
    super.applyHide();
    if (!this.tables || !this.state) return;
    this.mask();
    this.describe(...this.state.selected);
  }

  /** Which score and view a by-hand answer belongs to. */
  cellKey(i, j) {
    return `${this.state.head}:${this.state.scaled}:${i},${j}`;
  }

  /** Which cell and view a by-hand answer belongs to. */
  byHandKey() {
    return this.cellKey(...this.state.selected);
  }

  /** The selected score's products as shown on screen: [[q_m, k_m], ...] (2 decimals). */
  factors(i, j) {
    const h = this.trace.per_head[this.state.head];
    return h.Q[i].map((qv, m) => [Number(fmt(qv).replace('−', '-')), Number(fmt(h.K[j][m]).replace('−', '-'))]);
  }

  /** Spells out the selected score term by term; the sum appears only once the learner has entered it. */
  describe(i, j) {
    const h = this.trace.per_head[this.state.head];
    const labels = this.labels();
    const terms = this.factors(i, j).map(([a, b]) => `(${fmt(a)})(${fmt(b)})`).join(' + ');
    const parts = [
      el('strong', {}, `S[${labels[i]}, ${labels[j]}]`),
      ` = q(${labels[i]}) · k(${labels[j]}) = ${terms}`,
    ];
    // The selected cell is the by-hand exercise (in practice mode every score not computed yet): its
    // sum stays hidden until the learner gets it right.
    const [si, sj] = this.state.selected;
    const where = i === si && j === sj ? 'yours to work out below' : 'select it to work it out';
    if (this.cellShown(i, j)) {
      parts.push(` = ${fmt(h.scores[i][j], 3)}`);
      if (this.state.scaled) parts.push(`; divided by √${this.trace.d_k}: ${fmt(h.scaled[i][j], 3)}`);
    } else {
      parts.push(this.state.scaled ? `, then divided by √${this.trace.d_k}: the result is ${where}.` : ` = ? (${where})`);
    }
    this.explain.replaceChildren(...parts);
  }

  /** Grades the learner's number (or products) for the selected cell; the sum is revealed only when right. */
  checkByHand() {
    const [i, j] = this.state.selected;
    this.feedbackKey = this.byHandKey();
    const h = this.trace.per_head[this.state.head];
    const factors = this.factors(i, j);
    // The engine's products and sum of the factors on screen, run only when the grading needs them.
    const products = () => factors.map(([a, b]) => this.engine.dot([a], [b]));
    const fromScreen = () => this.engine.dot(factors.map((f) => f[0]), factors.map((f) => f[1]));
    const divisor = this.state.scaled ? this.trace.d_k ** 0.5 : 1;
    const r = gradeByHand({
      text: this.handInput.value, factors, products, total: fromScreen, alsoAccept: [h.scores[i][j]],
      scale: this.state.scaled ? { divisor, label: `√${this.trace.d_k}` } : null,
    });
    const key = this.byHandKey();
    // In practice mode an answer typed while the score was on show ("Show all values") is not the learner's own.
    const peeked = this.practiceOn() && (this.revealAll || this.seen.has(key));
    if (r.correct) {
      this.solved.add(key);
      this.mask();
    }
    const note = peeked ? ' This score was on show before you answered, so it does not count as computed by you.' : '';
    this.handFeedback.textContent = r.correct ? `${r.message} The full sum is now shown above.${note}` : r.message;
    this.handFeedback.className = `feedback ${r.correct ? 'right' : 'wrong'}`;
    this.describe(i, j);
    this.emit('byhand', { correct: r.correct && !peeked, value: r.value, selected: [i, j], ...(peeked ? { peeked } : {}) });
  }
}
