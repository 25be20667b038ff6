/**
 * <attn-qkv>: one X, three weight matrices, three outputs: Q = X·W_Q, K = X·W_K, V = X·W_V.
 *
 * Attributes (declared in `props` below): sentence, seed, matrix, positions, selected, weight, focus,
 * wq, wk, wv (edited weights as row,col,value triples, so a link or an embed can carry the edits).
 * A segmented control (radio group) picks Q, K or V, so only one 8x8 weight matrix is on screen.
 * Hovering, tapping or focusing a cell of the output (arrow keys move) highlights the row of X and
 * the column of W that made it and writes the sum out term by term: the factors and the engine's
 * total, never a product computed here. Selecting a weight cell opens an editor (type a value or
 * use the -0.1/+0.1 buttons); the widget re-runs the engine with the edited weights and marks the
 * output cells that changed. A by-hand box checks the learner's value for the selected cell.
 * Every number comes from engine.trace() (and engine.dot for the by-hand tolerance); this file
 * only draws and compares.
 * Events: `change` with detail { matrix, selected: [row, col], value, edited } on committed changes;
 * `byhand` with { correct, value, expected, matrix, selected } after each by-hand check.
 * Controls `hide` can hide: matrix (the Q/K/V picker), byhand (the by-hand box), edit (the weight editor).
 * Practice mode (`practice`, for a lesson's by-hand exercise): every output cell the learner has not
 * computed yet reads "?" (text, tint, markers and labels), so no value can be copied into the by-hand
 * box; "Show all values" reveals them, and a cell answered after it was on show does not count for
 * `by-hand-correct`. Without `practice` only the selected cell is hidden, as before.
 */
import { WidgetBase, el, fmt } from './base.js';
import { matrixTable, refillTable } from './matrix-table.js';
import { PracticeMode, gradeByHand, revealControl } from './by-hand.js';

const NAMES = ['Q', 'K', 'V'];
const WEIGHT = { Q: 'W_q', K: 'W_k', V: 'W_v' };
const ROLE = { Q: 'query', K: 'key', V: 'value' };
const ROLES = { Q: 'queries', K: 'keys', V: 'values' };
/** What a row of each matrix is for, in the lesson's words (check messages). */
const ROW_MEANS = { Q: 'queries: what each token looks for', K: 'keys: how each token is found', V: 'values: what each token hands over' };
const SUB = { Q: 'W_Q', K: 'W_K', V: 'W_V' };
const STEP = 0.1;
const LIMIT = 10;
/** d_model: every weight matrix is D x D. */
const D = 8;
/** The attribute that carries each matrix's edited weights. */
const EDIT_PROP = { Q: 'wq', K: 'wk', V: 'wv' };

/** No edited weights: an empty "row,col" -> value map per matrix. */
function noEdits() {
  return Object.fromEntries(NAMES.map((m) => [m, new Map()]));
}

/** "W" with the matrix letter as a real subscript (plain-text messages spell it W_Q). */
function wn(m) {
  return el('span', { class: 'wname' }, 'W', el('sub', {}, m));
}

/**
 * Roving tab stop on cell (i, j): only the cells whose tabindex changes are written (a write restyles
 * them, and a focus() right after would then lay the page out inside the handler).
 */
function rove(cells, i, j) {
  cells.forEach((row, r) => row.forEach((td, c) => {
    const stop = r === i && c === j ? '0' : '-1';
    if (td.getAttribute('tabindex') !== stop) td.setAttribute('tabindex', stop);
  }));
}

/** Short display: 2 decimals at most, trailing zeros dropped ("0.50" -> "0.5", "1.00" -> "1"). */
export function short(v) {
  return fmt(v).replace(/\.?0+$/, '');
}

export class QkvProjection extends PracticeMode(WidgetBase) {
  static tag = 'attn-qkv';
  static styles = ['qkv-projection.css'];
  static props = [
    { name: 'sentence', type: 'tokens', maxTokens: 8, default: ['the', 'cat', 'chased', 'the', 'mouse'],
      description: 'The sentence, 1-8 words separated by spaces.' },
    { name: 'seed', type: 'integer', min: 0, max: 2147483647, default: 7,
      description: 'Seed that draws the weight matrices W_Q, W_K and W_V (tenths in [-1, 1]).' },
    { name: 'matrix', type: 'enum', values: NAMES, default: 'Q', description: 'Which projection to show first: Q, K or V.' },
    { name: 'positions', type: 'enum', values: ['none', 'sinusoidal'], default: 'none',
      description: 'Add sinusoidal position vectors to the embeddings.' },
    { name: 'selected', type: 'cell', default: [2, 1], description: 'Selected output cell "row,col", counted from 1 ("2,1": token 2, column 1).' },
    { name: 'weight', type: 'cell', default: [1, 1],
      description: 'Selected weight "row,col" (counted from 1) of the weight matrix shown, the one the editor changes.' },
    { name: 'focus', type: 'enum', values: ['cell', 'weight'], default: 'cell',
      description: 'What the explanation describes: the selected output cell or the selected weight.' },
    ...NAMES.map((m) => ({ name: EDIT_PROP[m], type: 'numbers', minItems: 3, maxItems: 3 * D * D, min: -LIMIT, max: LIMIT, default: null,
      description: `Edited weights of W_${m} as "row,col,value" triples (row and column counted from 1, value -${LIMIT}..${LIMIT}); the others keep their seeded values.` })),
    { name: 'practice', type: 'boolean', default: false,
      description: 'Practice by hand: output cells not yet computed in the by-hand box show "?" until the learner computes them or presses "Show all values".' },
  ];
  static controls = ['matrix', 'byhand', 'edit'];

  static checks = {
    'selected-cell-in': {
      description: 'The widget shows the named matrix (Q, K or V) with a cell selected (in the given row, if one is given).',
      args: [
        { name: 'matrix', type: 'enum', values: NAMES, description: 'The matrix the learner should be in.' },
        { name: 'row', type: 'integer', min: 0, max: 8, default: 0, description: 'The token row (counted from 1) the cell must be in; 0 for any row.' },
      ],
      run(w, { matrix, row }) {
        // A wrong matrix is described by what it holds, never by naming the matrix the question wants.
        const shown = w.state.matrix, here = w.cellName(), [i] = w.state.selected;
        if (shown !== matrix)
          return { correct: false, message: `${here} is in ${shown}, whose rows are the tokens' ${ROW_MEANS[shown]}. That is not what the question asks about: think about which matrix holds it, show that one, and select again.` };
        if (row > 0 && i !== row - 1)
          return { correct: false, message: `${here} is in row ${i + 1} (${w.labels()[i]}). The question is about row ${row} (${w.labels()[row - 1] ?? 'beyond the sentence'}): select a cell there.` };
        return { correct: true, message: `${here} is in row ${i + 1} of ${shown}: the ${ROLE[shown]} of “${w.labels()[i]}”.` };
      },
    },
    'weight-edited': {
      description: 'At least one weight of the named matrix (or of any, by default) differs from the seeded value.',
      args: [{ name: 'matrix', type: 'enum', values: ['any', ...NAMES], default: 'any', description: 'Which weight matrix must be edited.' }],
      run(w, { matrix }) {
        w.flushEdit(); // an edit still waiting for its frame counts
        const edited = NAMES.filter((m) => w.editedCells(m).length > 0);
        const ok = matrix === 'any' ? edited.length > 0 : edited.includes(matrix);
        if (edited.length === 0) return { correct: false, message: 'All weights still have their seeded values. Select a weight cell and change it.' };
        const summary = edited.map((m) => `${SUB[m]}: ${w.editedCells(m).length} weight(s), ${m} columns ${[...new Set(w.editedCells(m).map(([, c]) => c + 1))].join(', ')} changed`).join('; ');
        return ok
          ? { correct: true, message: `Edited ${summary}. The other two matrices did not move.` }
          : { correct: false, message: `Edited ${summary}, but not ${SUB[matrix]}. Switch to ${matrix} and change one of its weights.` };
      },
    },
    'by-hand-correct': {
      description: 'The learner computed the selected cell by hand and the engine agreed (for the current cell and weights), on a cell other than the one the widget starts on (the lesson works that one out).',
      args: [],
      run(w) {
        w.flushEdit();
        const b = w.byHand;
        const current = b && b.key === w.byHandKey();
        const [i, j] = w.state.selected, [si, sj] = w.values.selected;
        if (w.state.matrix === w.values.matrix && i === si - 1 && j === sj - 1)
          return { correct: false, message: `${w.cellName()} is the cell the lesson works out for you. Select another cell and compute that one.` };
        if (current && b.correct && b.peeked)
          return { correct: false, message: `${w.cellName()} was on show (“Show all values”) before you answered, so it does not count. Hide the values again, pick a cell you have not seen (another matrix works) and compute that one.` };
        if (current && b.correct) return { correct: true, message: `Your ${short(b.value)} for ${w.cellName()} matches the engine.` };
        if (current) return { correct: false, message: `Your ${short(b.value)} for ${w.cellName()} does not match yet. Try again in the by-hand box.` };
        return { correct: false, message: `No correct by-hand answer for ${w.cellName()} yet: type your value in “Compute this cell by hand” and press Check there first.` };
      },
    },
  };

  setup() {
    this.radios = NAMES.map((m) => el('input', { type: 'radio', name: 'which', value: m, id: `pick-${m}` }));
    const picker = el('fieldset', { class: 'seg', 'data-control': 'matrix' }, el('legend', {}, 'Projection'),
      ...NAMES.map((m, k) => el('label', { for: `pick-${m}` }, this.radios[k], el('span', {}, `${m} = X·`, wn(m)))));
    this.grid = el('div', { class: 'mm-grid qkv-grid' });
    this.shapeLine = el('p', { class: 'sentence' });
    this.explain = el('p', { class: 'explain', 'aria-live': 'polite' });
    this.weightLabel = el('label', { for: 'weight-input' });
    this.weightInput = el('input', { id: 'weight-input', type: 'text', inputmode: 'decimal', autocomplete: 'off', size: '6' });
    this.minus = el('button', { type: 'button', class: 'step', 'aria-label': `−${STEP}: decrease the selected weight` }, `−${STEP}`);
    this.plus = el('button', { type: 'button', class: 'step', 'aria-label': `+${STEP}: increase the selected weight` }, `+${STEP}`);
    this.resetButton = el('button', { type: 'button', class: 'secondary' }, 'Reset all weights');
    this.weightMsg = el('p', { class: 'weight-msg', 'aria-live': 'polite' });
    const weightForm = el('form', { class: 'weight-edit', 'data-control': 'edit' },
      el('h3', {}, 'Edit the selected weight'), this.weightLabel,
      el('div', { class: 'row' }, this.minus, this.weightInput, this.plus, el('button', { type: 'submit' }, 'Set')),
      el('div', { class: 'row' }, this.resetButton),
      this.weightMsg);
    this.handLabel = el('label', { for: 'by-hand-input' });
    this.handInput = el('input', { id: 'by-hand-input', type: 'text', inputmode: 'decimal', autocomplete: 'off', size: '8' });
    this.handFeedback = el('p', { class: 'feedback', 'aria-live': 'polite' });
    this.reveal = revealControl('values', () => {
      this.revealAll = !this.revealAll;
      this.mask();
      if (this.state.focus === 'cell') this.describe(...this.state.selected);
    });
    const handForm = el('form', { class: 'by-hand', 'data-control': 'byhand' },
      el('h3', {}, 'Compute this cell by hand'), this.handLabel,
      el('div', { class: 'row' }, this.handInput, el('button', { type: 'submit' }, 'Check')), this.handFeedback, this.reveal.box);
    // On a phone the three 8-column tables keep readable cells and scroll sideways; the hint says so
    // (shown only while the box really overflows).
    this.scrollBox = el('div', { class: 'scroll qkv-scroll', tabindex: '-1' }, this.grid);
    this.scrollHint = el('p', { class: 'scroll-hint', hidden: '' }, 'Swipe or scroll the tables sideways to see all 8 columns →');
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver(() => {
        const overflows = this.scrollBox.scrollWidth - this.scrollBox.clientWidth > 1;
        if (overflows === this.scrollBox.classList.contains('overflows')) return;
        this.scrollHint.hidden = !overflows;
        this.scrollBox.classList.toggle('overflows', overflows);
      }).observe(this.scrollBox);
    }
    this.body.replaceChildren(picker, this.shapeLine, this.scrollHint,
      this.scrollBox, this.explain,
      el('div', { class: 'forms' }, handForm, weightForm));

    // A matrix switch writes the tables at the next animation frame too (a held arrow key in the
    // radio group draws once per frame); a selection or Check before then draws it first (flushEdit).
    this.radios.forEach((r) => r.addEventListener('change', () => {
      if (!r.checked) return;
      this.flushEdit();
      this.state.matrix = r.value;
      this.editPending = true;
      this.inNextFrame('edit', () => {
        this.editPending = false;
        this.update(true);
      });
    }));
    handForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.checkByHand();
    });
    weightForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.setWeightFromInput();
    });
    this.minus.addEventListener('click', () => this.nudge(-1));
    this.plus.addEventListener('click', () => this.nudge(1));
    this.resetButton.addEventListener('click', () => {
      this.cancelFrame('edit');
      this.pendingEdit = null;
      this.edits = noEdits();
      this.weightMsg.textContent = 'All weights are back to their seeded values.';
      this.editPending = true;
      this.inNextFrame('edit', () => {
        this.editPending = false;
        this.update(true);
      });
    });
  }

  readProps() {
    super.readProps();
    const { matrix, selected, weight, focus } = this.values;
    // Attributes count from 1 (what a learner reads in a deep link); the state counts from 0.
    const from1 = (cell) => cell.map((x) => Math.max(0, x - 1));
    this.state = { matrix, selected: from1(selected), weight: from1(weight), focus };
    // edits: per matrix, "row,col" -> the value typed for that weight
    this.edits = noEdits();
    for (const m of NAMES) {
      const name = EDIT_PROP[m], list = this.values[name];
      if (!list) continue;
      const problem = list.length % 3 !== 0 ? `needs row,col,value triples, got ${list.length} numbers`
        : list.findIndex((v, k) => k % 3 < 2 && !(Number.isInteger(v) && v >= 1 && v <= D)) >= 0
          ? `rows and columns must be whole numbers from 1 to ${D}` : null;
      if (problem) {
        this.propErrors.push(`${name}: ${problem}; using the seeded weights`);
        this.values[name] = null;
        continue;
      }
      for (let k = 0; k < list.length; k += 3) this.edits[m].set(`${list[k] - 1},${list[k + 1] - 1}`, list[k + 2]);
    }
    if (weight[0] > D || weight[1] > D || weight[0] < 1 || weight[1] < 1) {
      this.propErrors.push(`weight: ${weight.join(',')} is outside the ${D}x${D} weights; selecting 1,1`);
      this.state.weight = [0, 0];
    }
    this.setNotice(this.propErrors);
    this.byHand = null;
    // Practice mode: cells the learner computed, cells that were on show ("Show all values").
    this.solved = new Set();
    this.seen = new Set();
    this.revealAll = false;
  }

  /** The live state in props terms, edited weights included (only those that really differ). */
  currentValues() {
    const v = { ...this.values };
    if (!this.state) return v;
    const s = this.state;
    v.practice = v.practice || undefined; // a link or an embed carries practice mode only when it is on
    Object.assign(v, { matrix: s.matrix, selected: s.selected.map((x) => x + 1), weight: s.weight.map((x) => x + 1), focus: s.focus });
    if (this.base) Object.assign(v, { sentence: [...this.base.tokens], seed: this.base.seed, positions: this.base.positions });
    for (const m of NAMES) {
      const seeded = this.base?.weights[WEIGHT[m]];
      const cells = [...this.edits[m]].map(([key, x]) => [...key.split(',').map(Number), x])
        .filter(([r, c, x]) => !seeded || Math.fround(x) !== Math.fround(seeded[r][c]))
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      v[EDIT_PROP[m]] = cells.length ? cells.map(([r, c, x]) => [r + 1, c + 1, x]).flat() : undefined;
    }
    return v;
  }

  scenario(weights) {
    const v = this.values;
    return { tokens: v.sentence, seed: v.seed, heads: 1, positions: v.positions, ...(weights ? { weights } : {}) };
  }

  /** The seeded trace and, when weights were edited, the trace with the edited weights. */
  computeTraces(notes) {
    let base;
    // The seeded trace depends only on the sentence, seed and positions: a weight edit reuses it.
    const key = JSON.stringify(this.scenario());
    if (this.baseCache?.key === key) base = this.baseCache.trace;
    else try {
      base = this.engine.trace(this.scenario());
      this.baseCache = { key, trace: base };
    } catch (err) {
      notes.push(err.message);
      const d = Object.fromEntries(QkvProjection.props.map((p) => [p.name, p.default]));
      this.values = { ...this.values, sentence: d.sentence, seed: d.seed, positions: d.positions };
      base = this.engine.trace(this.scenario());
    }
    const weights = {};
    for (const m of NAMES) {
      if (!this.edits[m].size) continue;
      const W = base.weights[WEIGHT[m]].map((row) => [...row]);
      for (const [key, x] of this.edits[m]) {
        const [r, c] = key.split(',').map(Number);
        W[r][c] = x;
      }
      weights[WEIGHT[m]] = W;
    }
    if (Object.keys(weights).length === 0) return { base, live: base };
    try {
      return { base, live: this.engine.trace(this.scenario(weights)) };
    } catch (err) {
      notes.push(err.message);
      this.edits = noEdits();
      return { base, live: base };
    }
  }

  update(committed = false) {
    if (!this.engine) return;
    const notes = [];
    const { base, live } = this.computeTraces(notes);
    this.base = base;
    this.trace = live;
    const s = this.state, n = live.n;
    if (s.weight[0] >= live.d_model || s.weight[1] >= live.d_model) s.weight = [0, 0];
    if (s.selected[0] >= n || s.selected[1] >= live.d_model) {
      notes.push(`selected: ${s.selected.map((x) => x + 1).join(',')} is outside the ${n}x${live.d_model} output; selecting 1,1`);
      s.selected = [0, 0];
    }
    this.setNotice([...this.propErrors, ...notes]);
    this.draw();
    if (committed) this.emitChange();
  }

  emitChange() {
    this.emit('change', { matrix: this.state.matrix, selected: [...this.state.selected], value: this.cellValue(), edited: NAMES.filter((m) => this.editedCells(m).length) });
  }

  labels() {
    const words = this.trace.tokens;
    return words.map((w, i) => (words.indexOf(w) !== words.lastIndexOf(w) ? `${w} ${i + 1}` : w));
  }

  W(m = this.state.matrix) {
    return this.trace.weights[WEIGHT[m]];
  }

  out(m = this.state.matrix) {
    return this.trace[m];
  }

  cellValue() {
    const [i, j] = this.state.selected;
    return this.out()[i][j];
  }

  cellName() {
    const [i, j] = this.state.selected;
    return `${this.state.matrix}[${this.labels()[i]}, ${j + 1}]`;
  }

  /** [row, col] of every weight of matrix m that differs from its seeded value (as printed). */
  editedCells(m) {
    const now = this.trace.weights[WEIGHT[m]], was = this.base.weights[WEIGHT[m]];
    const cells = [];
    now.forEach((row, r) => row.forEach((v, c) => { if (fmt(v) !== fmt(was[r][c])) cells.push([r, c]); }));
    return cells;
  }

  /** Whether the by-hand box is on screen (hide="byhand" or "controls" removes it). */
  byHandShown() {
    const hidden = this.hiddenControls();
    return !hidden.has('byhand') && !hidden.has('controls');
  }

  /** The selected cell's value may show: the learner computed it, or there is no by-hand box (hide="byhand"). */
  solvedHere() {
    if (this.practiceOn()) return this.cellShown(...this.state.selected);
    return !this.byHandShown() || Boolean(this.byHand?.correct && this.byHand.key === this.byHandKey());
  }

  /**
   * Hides what the learner may not see yet: in practice mode every cell not computed, otherwise the
   * selected cell (and its twins). While "Show all values" is on, every cell shown counts as seen.
   */
  mask() {
    if (!this.tables) return;
    const { O } = this.tables;
    if (!this.maskOutput(O.cells)) return;
    // An edit's up/down marker stays on a hidden cell (the direction, never the number).
    O.cells.flat().forEach((td) => {
      if (!td.hiddenChildren || !td.classList.contains('changed') || td.querySelector('.mark')) return;
      const mark = td.hiddenChildren.find((n) => n.classList?.contains('mark'));
      if (mark) td.append(el('span', { class: 'mark', 'aria-hidden': 'true' }, mark.textContent), el('span', { class: 'vh' }, ' (changed by your edits)'));
    });
  }

  /** Hiding or showing the by-hand box shows or hides the selected cell's value with it. */
  applyHide() {
    super.applyHide();
    if (!this.tables || !this.state) return;
    this.mask();
    if (this.state.focus === 'cell') this.describe(...this.state.selected);
  }

  /** Names one output cell with what its value depends on (matrix, cell, the weight column), so an edit elsewhere keeps it. */
  cellKey(i, j, m = this.state.matrix) {
    return JSON.stringify([m, i, j, this.W(m).map((row) => row[j])]);
  }

  byHandKey() {
    return this.cellKey(...this.state.selected);
  }

  draw() {
    const t = this.trace, s = this.state, m = s.matrix;
    const labels = this.labels(), features = t.features, dims = Array.from({ length: t.d_model }, (_, k) => `${k + 1}`);
    this.radios.forEach((r) => (r.checked = r.value === m));
    const unknown = t.tokens.filter((_, i) => !t.known[i]);
    this.shapeLine.replaceChildren(
      el('span', {}, `X (${t.n} × ${t.d_model}) · `, wn(m), ` (${t.d_model} × ${t.d_model}) = ${m} (${t.n} × ${t.d_model}). Row i of ${m} is token i's ${ROLE[m]}.`),
      unknown.length ? el('span', { class: 'unknown' }, ` Not in the vocabulary (seeded random vectors): ${unknown.join(', ')}.`) : '');

    const out = this.out(), was = this.base[m];
    const xOpts = { caption: `X (${t.positions === 'none' ? 'the same for Q, K and V' : 'with positions; the same for Q, K and V'})`, rowLabels: labels, colLabels: features, className: 'x' };
    const wOpts = { caption: el('span', {}, wn(m), ' (weights)'), rowLabels: features, colLabels: dims, focusable: true, className: 'w' };
    const oOpts = { caption: el('span', {}, `${m} = X·`, wn(m), ` (${ROLES[m]})`), rowLabels: labels, colLabels: dims, focusable: true, className: 'o s' };
    // Same shapes as last time (an edit, a matrix switch): write the numbers into the tables already
    // on screen, so nothing is rebuilt and the focused cell keeps its focus.
    // X depends on the scenario only (the seeded trace): a matrix switch or an edit leaves it as it is.
    const old = this.tables, sameX = old && this.xFor === this.base;
    const reuse = old && (sameX || refillTable(old.X, t.X, xOpts)) && refillTable(old.W, this.W(), wOpts) && refillTable(old.O, out, oOpts);
    const X = reuse ? old.X : matrixTable(t.X, xOpts);
    const W = reuse ? old.W : matrixTable(this.W(), wOpts);
    const O = reuse ? old.O : matrixTable(out, oOpts);
    if (!(reuse && sameX)) X.cells.forEach((row, i) => row.forEach((td, k) => (td.textContent = short(t.X[i][k]))));
    this.xFor = this.base;
    const editedSet = new Set(this.editedCells(m).map(([r, c]) => `${r},${c}`));
    W.cells.forEach((row, r) => row.forEach((td, c) => {
      td.textContent = short(this.W()[r][c]);
      if (editedSet.has(`${r},${c}`)) {
        td.classList.add('edited');
        td.append(el('span', { class: 'mark', 'aria-hidden': 'true' }, '✎'), el('span', { class: 'vh' }, ' (edited)'));
      }
    }));
    let changed = 0;
    O.cells.forEach((row, i) => row.forEach((td, j) => {
      td.textContent = short(out[i][j]);
      if (fmt(out[i][j]) === fmt(was[i][j])) return;
      changed++;
      const up = out[i][j] > was[i][j];
      td.classList.add('changed');
      td.append(el('span', { class: 'mark', 'aria-hidden': 'true' }, up ? '↑' : '↓'),
        el('span', { class: 'vh' }, ` (changed from ${short(was[i][j])})`));
    }));
    this.tables = { X, W, O };
    const hint = [`Hover, tap or focus a cell of ${m} (arrow keys move) to see the row of X and the column of `, wn(m), ' behind it. ',
      'Select a weight in ', wn(m), ' to edit it.',
      changed ? el('span', { class: 'legend' }, ` ${changed} cell${changed > 1 ? 's' : ''} of ${m} changed by your edits (↑ up, ↓ down; ✎ marks edited weights).`) : ''];
    if (reuse) {
      this.outHowTo.replaceChildren(...hint);
    } else {
      this.outHowTo = el('p', { id: 'out-how-to', class: 'hint' }, ...hint);
      this.grid.replaceChildren(el('div', { class: 'slot-corner', 'aria-hidden': 'true' }, '·'), W.table, X.table, O.table);
      O.table.setAttribute('aria-describedby', 'out-how-to');
      W.table.setAttribute('aria-describedby', 'w-how-to');
      this.grid.append(this.outHowTo,
        el('p', { id: 'w-how-to', class: 'vh' }, 'Arrow keys move between weights; the editor below changes the selected one.'));
      this.wire(O, (i, j, focus) => this.select(i, j, focus), (i, j) => this.highlight(i, j), () => this.restore());
      this.wire(W, (r, c, focus) => this.selectWeight(r, c, focus), (r, c) => this.highlightWeight(r, c), () => this.restore());
    }
    const mode = s.focus;
    this.selectWeight(s.weight[0], s.weight[1], false, false);
    this.select(s.selected[0], s.selected[1], false, false);
    if (mode === 'weight') this.highlightWeight(...s.weight);
    s.focus = mode;
    if (this.byHand && this.byHand.key !== this.byHandKey()) {
      this.handFeedback.textContent = '';
      this.handFeedback.className = 'feedback';
    }
  }

  /** Back to the committed selection after a hover preview: the output cell or the weight, whichever was chosen last. */
  restore() {
    if (this.state.focus === 'weight') this.highlightWeight(...this.state.weight);
    else this.highlight(...this.state.selected);
  }

  /** Click, hover, focus and arrow keys on a focusable table. */
  wire(tb, choose, preview, leave) {
    const cellOf = (e) => e.target.closest('td.cell');
    const at = (td) => [Number(td.dataset.row), Number(td.dataset.col)];
    tb.table.addEventListener('click', (e) => { const td = cellOf(e); if (td) choose(...at(td), true); });
    // A preview reads the tables: a matrix switch or edit still waiting for its frame is drawn first.
    tb.table.addEventListener('pointerover', (e) => { const td = cellOf(e); if (td) { this.flushEdit(); preview(...at(td)); } });
    tb.table.addEventListener('pointerleave', () => { this.flushEdit(); leave(); });
    // A focus() of our own (arrow keys) has selected the cell already: the focusin it fires has nothing to add.
    tb.table.addEventListener('focusin', (e) => { const td = cellOf(e); if (td && !this.focusing) choose(...at(td), false); });
    tb.table.addEventListener('keydown', (e) => {
      const td = cellOf(e);
      if (!td) return;
      const [i, j] = at(td), rows = tb.cells.length, cols = tb.cells[0].length;
      const to = { ArrowUp: [i - 1, j], ArrowDown: [i + 1, j], ArrowLeft: [i, j - 1], ArrowRight: [i, j + 1], Home: [i, 0], End: [i, cols - 1] }[e.key];
      if (!to) return;
      e.preventDefault();
      choose(Math.max(0, Math.min(rows - 1, to[0])), Math.max(0, Math.min(cols - 1, to[1])), true);
    });
  }

  /** Moves focus to a cell the widget has just selected, without its focusin selecting it a second time. */
  focusCell(td) {
    this.focusing = true;
    try {
      td.focus();
    } finally {
      this.focusing = false;
    }
  }

  /** Makes output cell (i, j) the selected one: roving tabindex, highlight, sum, by-hand label. */
  select(i, j, focus, emitChange = true) {
    this.flushEdit();
    const changed = i !== this.state.selected[0] || j !== this.state.selected[1];
    const refocused = this.state.focus !== 'cell';
    this.state.selected = [i, j];
    this.state.focus = 'cell';
    const { O } = this.tables;
    rove(O.cells, i, j);
    if (focus) this.focusCell(O.cells[i][j]);
    this.mask();
    this.highlight(i, j);
    this.handLabel.textContent = `Your value for ${this.cellName()} (row ${i + 1}, column ${j + 1})`;
    if (changed) {
      this.handFeedback.textContent = '';
      this.handFeedback.className = 'feedback';
      this.handInput.value = '';
    }
    if ((changed || refocused) && emitChange) this.emitChange();
  }

  /** Outlines row i of X, column j of W and cell (i, j) of the output; writes the sum out. */
  highlight(i, j) {
    const { X, W, O } = this.tables;
    this.root.querySelectorAll('.hl, .hl-cell, .hl-w').forEach((n) => n.classList.remove('hl', 'hl-cell', 'hl-w'));
    X.cells[i].forEach((td) => td.classList.add('hl'));
    W.cells.forEach((row) => row[j].classList.add('hl'));
    O.cells[i][j].classList.add('hl-cell');
    W.cells[this.state.weight[0]][this.state.weight[1]].classList.add('hl-w');
    this.describe(i, j);
  }

  describe(i, j) {
    const t = this.trace, m = this.state.matrix, labels = this.labels(), W = this.W();
    const terms = t.X[i].map((x, k) => el('span', { class: x === 0 ? 'term zero' : 'term' }, `(${short(x)})(${short(W[k][j])})`));
    const sum = [];
    terms.forEach((term, k) => sum.push(k ? ' + ' : '', term));
    // The selected cell is the by-hand exercise (in practice mode every cell not computed yet): its
    // sum stays hidden until the learner gets it right.
    const [si, sj] = this.state.selected;
    const selected = i === si && j === sj;
    this.explain.replaceChildren(
      el('strong', {}, `${m}[${labels[i]}, ${j + 1}]`),
      ` = row ${i + 1} of X (${labels[i]}) · column ${j + 1} of `, wn(m), ' = ', ...sum,
      this.cellShown(i, j) ? ` = ${fmt(this.out()[i][j], 3)}` : selected ? ' = ? (yours to work out below)' : ' = ? (select it to work it out)');
  }

  /** Selects weight (r, c): roving tabindex, marks the feature column of X and the output column it feeds. */
  selectWeight(r, c, focus, announce = true) {
    this.flushEdit();
    const changed = r !== this.state.weight[0] || c !== this.state.weight[1];
    const refocused = this.state.focus !== 'weight';
    this.state.weight = [r, c];
    this.state.focus = 'weight';
    const { W } = this.tables;
    rove(W.cells, r, c);
    if (focus) this.focusCell(W.cells[r][c]);
    this.highlightWeight(r, c);
    this.weightLabel.replaceChildren(this.weightName(r, c), `: multiplies the “${this.trace.features[r]}” column of X and feeds column ${c + 1} of ${this.state.matrix}`);
    this.weightInput.value = short(this.W()[r][c]);
    if (changed && announce) this.weightMsg.textContent = '';
    if ((changed || refocused) && announce) this.emitChange();
  }

  /** The selected weight's name as an element: W<sub>Q</sub>[feature, column]. */
  weightName(r, c) {
    return el('span', {}, wn(this.state.matrix), `[${this.trace.features[r]}, ${c + 1}]`);
  }

  /** Preview of what a weight touches: its X column and its output column. */
  highlightWeight(r, c) {
    const { X, W, O } = this.tables;
    this.root.querySelectorAll('.hl, .hl-cell, .hl-w').forEach((n) => n.classList.remove('hl', 'hl-cell', 'hl-w'));
    X.cells.forEach((row) => row[r].classList.add('hl'));
    O.cells.forEach((row) => row[c].classList.add('hl'));
    W.cells[r][c].classList.add('hl-w');
    this.explain.replaceChildren(el('strong', {}, this.weightName(r, c)), ` = ${short(this.W()[r][c])}. It multiplies each token's “${this.trace.features[r]}” feature (column ${r + 1} of X) and adds into column ${c + 1} of ${this.state.matrix}; tokens whose “${this.trace.features[r]}” is 0 are not affected.`);
  }

  nudge(sign) {
    const [r, c] = this.state.weight;
    // The new value is the printed one moved by one step, rounded to tenths for display: no model math.
    const next = Number((Number(short(this.weightNow(r, c)).replace('−', '-')) + sign * STEP).toFixed(2));
    this.setWeight(next);
  }

  /** Weight (r, c) of the matrix shown as it stands, an edit still to be drawn included. */
  weightNow(r, c, m = this.state.matrix) {
    const key = `${r},${c}`;
    return this.edits[m].has(key) ? this.edits[m].get(key) : this.base.weights[WEIGHT[m]][r][c];
  }

  setWeightFromInput() {
    const raw = this.weightInput.value.trim().replace('−', '-').replace(',', '.');
    const x = Number(raw);
    if (raw === '' || !Number.isFinite(x) || Math.abs(x) > LIMIT) {
      this.weightMsg.textContent = `“${this.weightInput.value.slice(0, 20)}” is not a number between −${LIMIT} and ${LIMIT}. Type something like 0.5.`;
      this.weightMsg.className = 'weight-msg wrong';
      return;
    }
    this.setWeight(x);
  }

  /**
   * Replaces the selected weight; the engine re-runs with the edited matrices and the tables are
   * written at the next animation frame, not inside the click or key handler. Clicks within one
   * frame add up (each edits the weight as it stands) and are drawn once.
   */
  setWeight(x) {
    if (Math.abs(x) > LIMIT) {
      this.weightMsg.textContent = `Weights stay between −${LIMIT} and ${LIMIT} here.`;
      this.weightMsg.className = 'weight-msg wrong';
      return;
    }
    const m = this.state.matrix, [r, c] = this.state.weight;
    const p = this.pendingEdit;
    if (this.editPending && (!p || p.m !== m || p.r !== r || p.c !== c)) this.flushEdit();
    if (!this.pendingEdit) this.pendingEdit = { m, r, c, before: this.out().map((row) => row[c]), old: this.weightNow(r, c) };
    this.edits[m].set(`${r},${c}`, x);
    this.editPending = true;
    this.inNextFrame('edit', () => this.commitEdit());
  }

  /** Runs the engine with the edits and draws them (the frame job of setWeight). */
  commitEdit() {
    const p = this.pendingEdit;
    this.pendingEdit = null;
    this.editPending = false;
    this.update(true);
    if (!p) return;
    const { m, r, c, before, old } = p;
    const x = this.weightNow(r, c, m);
    const moved = this.out(m).filter((row, i) => fmt(row[c]) !== fmt(before[i])).length;
    this.weightMsg.className = 'weight-msg';
    this.weightMsg.replaceChildren(this.weightName(r, c), `: ${short(old)} → ${short(x)}. ${moved} of ${this.trace.n} cells in column ${c + 1} of ${m} changed; every other column stayed put.`);
  }

  /** Draws an edit, a reset or a matrix switch still waiting for its frame now: what comes next reads the tables. */
  flushEdit() {
    if (!this.editPending) return;
    this.cancelFrame('edit');
    if (this.pendingEdit) this.commitEdit();
    else {
      this.editPending = false;
      this.update(true);
    }
  }

  /** The selected cell's products as shown on screen: [[x, w], ...], one per feature. */
  factors(i, j) {
    const W = this.W(), num = (v) => Number(short(v).replace('−', '-'));
    return this.trace.X[i].map((x, k) => [num(x), num(W[k][j])]);
  }

  /** Grades the learner's number (or products) for the selected cell; the sum is revealed only when right. */
  checkByHand() {
    this.flushEdit();
    const [i, j] = this.state.selected;
    const refocused = this.state.focus !== 'cell';
    this.state.focus = 'cell';
    const factors = this.factors(i, j);
    // The engine's products and sum of the factors on screen, run only when the grading needs them.
    const products = () => factors.map(([a, b]) => this.engine.dot([a], [b]));
    const fromScreen = () => this.engine.dot(factors.map((f) => f[0]), factors.map((f) => f[1]));
    const r = gradeByHand({ text: this.handInput.value, factors, products, total: fromScreen, alsoAccept: [this.cellValue()] });
    const key = this.byHandKey();
    // In practice mode an answer typed while the value was on show ("Show all values") is not the learner's own.
    const peeked = this.practiceOn() && (this.revealAll || this.seen.has(key));
    if (Number.isFinite(r.value)) this.byHand = { key, correct: r.correct, value: r.value, peeked };
    if (r.correct) {
      this.solved.add(key);
      this.mask();
    }
    this.highlight(i, j);
    if (refocused) this.emitChange();
    const note = peeked ? ' This cell was on show before you answered, so it does not count as computed by you.' : '';
    this.handFeedback.textContent = r.correct ? `${r.message} The full sum is now shown above.${note}` : r.message;
    this.handFeedback.className = `feedback ${r.correct ? 'right' : 'wrong'}`;
    this.emit('byhand', { correct: r.correct && !peeked, value: r.value, matrix: this.state.matrix, selected: [i, j], ...(peeked ? { peeked } : {}) });
  }
}
