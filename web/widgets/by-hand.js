/**
 * By-hand sums of products (lessons 6 and 7): the widget lists the terms, never their sum, until the
 * learner has entered a right answer; a wrong answer is answered by naming the term that went wrong,
 * never with the value. Every product and sum comes from the engine (engine.dot), passed in as
 * `products` and `total`; this module only compares the learner's numbers with them.
 *
 * The learner may type one number ("-1.85", "−1,85", "-37/20") or the products themselves as a sum
 * ("-0.7 + -0.7 - 0.45"): then each typed product is compared with the engine's, and the first one
 * that is off is named.
 */
import { el, fmt } from './dom.js';

export const TOLERANCE = 0.01;

const short = (v) => fmt(v, 2).replace(/\.?0+$/, '') || '0';

/**
 * The signed terms of a typed sum of plain decimals ("−0.7 + −0.7 − 0.45" -> [-0.7, -0.7, -0.45]), or
 * null when the text is not such a sum of at least two terms (brackets, products, fractions...).
 */
export function typedTerms(text) {
  const t = String(text ?? '').replace(/[−–]/g, '-').replace(/,/g, '.').replace(/\s+/g, '');
  if (t.length > 120 || !/^[+-]*(\d+\.?\d*|\.\d+)([+-]+(\d+\.?\d*|\.\d+))+$/.test(t)) return null;
  const terms = [];
  for (const m of t.matchAll(/([+-]*)(\d+\.?\d*|\.\d+)/g)) {
    const negative = (m[1].match(/-/g) ?? []).length % 2 === 1;
    terms.push((negative ? -1 : 1) * Number(m[2]));
  }
  return terms;
}

const NUMBER = '(?:\\d+\\.?\\d*|\\.\\d+)';

/** One typed number: a decimal (either minus sign, a decimal comma), a fraction a/b, or a sum of
 *  decimals (read term by term); NaN for anything else. Nothing is ever evaluated. */
export function readNumber(text) {
  const t = String(text ?? '').replace(/[−–]/g, '-').replace(/,/g, '.').replace(/\s+/g, '');
  if (new RegExp(`^[+-]?${NUMBER}(?:e[+-]?\\d+)?$`, 'i').test(t)) return Number(t);
  const f = new RegExp(`^([+-]?${NUMBER})/(${NUMBER})$`).exec(t);
  if (f && Number(f[2]) !== 0) return Number(f[1]) / Number(f[2]);
  const terms = typedTerms(t);
  return terms ? terms.reduce((a, b) => a + b, 0) : NaN;
}

/**
 * Grades a by-hand entry.
 *   text:     what the learner typed
 *   factors:  [[a, b], ...] the pairs shown on screen, in order
 *   products: [a*b, ...] the engine's products of those pairs
 *   total:    the engine's sum (the value accepted within TOLERANCE; `alsoAccept` too, e.g. the exact
 *             value when the screen shows rounded numbers)
 *   products and total may also be functions returning them: they are then asked for only when the
 *   grading needs them (not for text that is no number, and products not for a right answer), so a
 *   press of Check does not run the engine for nothing.
 *   scale:    optional { divisor, label }: the answer is total / divisor (e.g. a scaled score)
 * Returns { correct, value, message }; message never contains the expected value.
 */
export function gradeByHand({ text, factors, products: productsIn, total: totalIn, alsoAccept = [], scale = null }) {
  const value = readNumber(text);
  const shown = String(text ?? '').slice(0, 24);
  if (!Number.isFinite(value)) {
    return { correct: false, value, message: `“${shown}” is not a number. Type your sum, like −1.25, or your products joined by + and −.` };
  }
  const total = typeof totalIn === 'function' ? totalIn() : totalIn;
  const divisor = scale?.divisor ?? 1;
  const near = (x, y) => Math.abs(x - y) <= TOLERANCE;
  if ([total, ...alsoAccept].some((t) => near(value, t / divisor))) {
    return { correct: true, value, message: `✓ Correct: ${short(value)}.` };
  }
  const products = typeof productsIn === 'function' ? productsIn() : productsIn;
  const name = (k) => `term ${k + 1}, (${short(factors[k][0])})(${short(factors[k][1])})`;
  const terms = typedTerms(text);
  if (terms) {
    // The learner typed products. Compare them with the non-zero products (or all of them).
    const nonzero = products.map((p, k) => [p, k]).filter(([p]) => !near(p, 0));
    const aligned = terms.length === products.length ? products.map((p, k) => [p, k]) : terms.length === nonzero.length ? nonzero : null;
    if (!aligned) {
      return { correct: false, value, message: `You typed ${terms.length} products, but this cell has ${products.length} terms (${nonzero.length} of them not zero). Type one product per term.` };
    }
    const bad = aligned.findIndex(([p], i) => !near(terms[i], p));
    if (bad >= 0) {
      const k = aligned[bad][1];
      const sign = Math.sign(terms[bad]) !== Math.sign(products[k]) && near(Math.abs(terms[bad]), Math.abs(products[k]));
      return { correct: false, value, message: `✗ Not quite: ${sign ? 'check the sign of' : 'multiply again'} ${name(k)}; the other products you typed are right.` };
    }
    if (divisor !== 1) return { correct: false, value, message: `✗ Your products are right and so is their sum; now divide it by ${scale.label}.` };
    return { correct: false, value, message: '✗ Your products are right; add them again.' };
  }
  // One number: look for the usual slips, one term at a time.
  const slip = (k) => {
    const rest = total - products[k], [a, b] = factors[k];
    if (near(products[k], 0)) return null;
    if (near(value * divisor, rest)) return `it looks like you left out ${name(k)}`;
    if (near(value * divisor, rest - products[k])) return `check the sign of ${name(k)}`;
    if (near(value * divisor, rest + a + b)) return `you added the two numbers of ${name(k)}, instead of multiplying them`;
    if (near(value * divisor, rest + products[k] * 10) || near(value * divisor, rest + products[k] / 10)) return `check the decimal point in ${name(k)}`;
    return null;
  };
  for (let k = 0; k < products.length; k++) {
    const why = slip(k);
    if (why) return { correct: false, value, message: `✗ Not quite: ${why}.` };
  }
  if (divisor !== 1 && near(value, total)) {
    return { correct: false, value, message: `✗ That is the raw score; the scaled one is divided by ${scale.label}.` };
  }
  return { correct: false, value, message: '✗ Not quite. To find the term that is off, type your products joined by + and − (like 0.5 + −0.45 + 1.2).' };
}

const TINT = /^(pos|neg|t\d)$/;
const HIDDEN_LABEL = 'hidden until you compute it';

/** Puts back the number (and tint) of every cell hidden before. */
function restoreCells(cells) {
  for (const td of cells.flat()) {
    if (!td.hiddenChildren) continue;
    td.replaceChildren(...td.hiddenChildren);
    td.hiddenChildren = null;
    td.classList.remove('hidden-value');
    td.classList.add(...(td.hiddenTint ?? []));
    td.hiddenTint = null;
    td.removeAttribute('aria-label');
  }
}

/** Shows "?" in a cell: its number, its markers and its tint (which would tell the sign) are put aside. */
function concealCell(td) {
  td.hiddenChildren = [...td.childNodes];
  td.hiddenTint = [...td.classList].filter((c) => TINT.test(c));
  td.classList.remove(...td.hiddenTint);
  td.replaceChildren('?');
  td.classList.add('hidden-value');
  td.setAttribute('aria-label', HIDDEN_LABEL);
}

/**
 * Hides the number in one cell of an output table (shows "?"), and in every cell printing the same
 * number, while the learner works it out; puts back every cell hidden before. `cells` is matrixTable's cells; `at` is [row, col] or null.
 */
export function hideCell(cells, at) {
  restoreCells(cells);
  if (!at) return;
  // A repeated word ("the" 1 and 4) gives identical rows and columns, so the hidden value's twin
  // would show it: every cell that prints the same text is hidden with it.
  const text = cells[at[0]][at[1]].textContent;
  for (const td of cells.flat()) if (td.textContent === text) concealCell(td);
}

/**
 * Practice mode: hides every cell of an output table whose value the learner may not see yet
 * (`shows(row, col)` false), and puts back every cell hidden before. Nothing of a hidden cell's value
 * stays in the DOM: its text, markers and tint are kept aside in JS properties only.
 */
export function maskCells(cells, shows) {
  // Only cells whose state changes are touched: a cell hidden before and still hidden keeps its "?".
  cells.forEach((row, i) => row.forEach((td, j) => {
    const show = shows(i, j);
    if (show && td.hiddenChildren) restoreCells([[td]]);
    else if (!show && !td.hiddenChildren) concealCell(td);
  }));
}

/**
 * Practice mode's "Show all values" toggle and a note saying what it costs. `noun` names the cells
 * ("values", "scores"); `onToggle` runs on a press. update(practice, revealAll) shows the control
 * only in practice mode and keeps its label and aria-pressed in step.
 */
export function revealControl(noun, onToggle) {
  const button = el('button', { type: 'button', class: 'secondary reveal', 'aria-pressed': 'false' }, 'Show all values');
  const note = el('p', { class: 'hint reveal-note' });
  const box = el('div', { class: 'row reveal-row', hidden: '' }, button, note);
  button.addEventListener('click', onToggle);
  const update = (practice, revealAll) => {
    box.hidden = !practice;
    button.setAttribute('aria-pressed', String(revealAll));
    button.textContent = revealAll ? 'Hide values not computed yet' : 'Show all values';
    const Noun = noun[0].toUpperCase() + noun.slice(1);
    note.textContent = revealAll
      ? `All ${noun} are on show: a cell you answer now does not count as computed by you.`
      : `${Noun} you have not computed show “?”. Showing them all means they no longer count as yours.`;
  };
  return { box, update };
}

/**
 * Practice mode on an output table: while every value is on show, each cell's key goes into `seen`
 * (an answer typed after that is not the learner's own); then every cell `shows` refuses reads "?".
 */
export function practiceMask(cells, { revealAll, seen, key, shows }) {
  if (revealAll) cells.forEach((row, i) => row.forEach((_, j) => seen.add(key(i, j))));
  maskCells(cells, shows);
}

/**
 * Practice mode for a widget whose output table has a by-hand box (<attn-qkv>, <attn-score-matrix>).
 * The widget provides values.practice, byHandShown(), solvedHere(), cellKey(i, j), state.selected and
 * the sets `solved` and `seen`, the flag `revealAll` and `reveal` (from revealControl).
 */
export const PracticeMode = (Base) => class extends Base {
  /** Practice mode is on: the attribute asks for it and the by-hand box is there to compute with. */
  practiceOn() {
    return Boolean(this.values.practice) && this.byHandShown();
  }

  /** Whether output cell (i, j) may print its value (practice mode: computed, or "Show all values"). */
  cellShown(i, j) {
    if (this.practiceOn()) return this.revealAll || this.solved.has(this.cellKey(i, j));
    const [si, sj] = this.state.selected;
    return i !== si || j !== sj || this.solvedHere();
  }

  /**
   * Hides what the learner may not see yet in the output table `cells`: in practice mode every cell
   * not computed, otherwise the selected cell (and its twins). While "Show all values" is on, every
   * cell shown counts as seen. Returns whether practice mode is on.
   */
  maskOutput(cells) {
    const practice = this.practiceOn();
    this.reveal.update(practice, this.revealAll);
    if (!practice) hideCell(cells, this.solvedHere() ? null : this.state.selected);
    else practiceMask(cells, { revealAll: this.revealAll, seen: this.seen, key: (i, j) => this.cellKey(i, j), shows: (i, j) => this.cellShown(i, j) });
    return practice;
  }
};
