/**
 * <attn-embed>: a sentence of 1-5 words becomes X, one row of 8 named features per token.
 *
 * Attributes (declared in `props` below): sentence, positions, selected.
 * The learner picks a preset sentence or types up to 5 words (validated inline, never rendered as
 * HTML), sees X (n x 8) with the feature names as columns, and can add sinusoidal positions. Rows
 * of a repeated word are marked and their difference is shown: identical without positions,
 * different with them. A "Reverse the order" button shows that without positions X only reorders
 * its rows. Unknown words are marked "seeded random vector" (badge and text). Hovering, tapping or
 * focusing a row (arrow keys move) reads it out as "the = function word 1, ...".
 * Every number comes from engine.embed() and engine.project(); this file only draws and compares.
 * Numbering is 1-based everywhere a learner sees it (row labels, the read-out, the `selected`
 * attribute and so deep links); the state and the `change` event count rows from 0.
 * Events: `change` with detail { tokens, positions, selected, known } on every committed change
 * (selected 0-based: 0 is the first row).
 * Controls `hide` can hide: sentence (the preset menu and the typing box), positions (the toggle),
 * reverse (the "Reverse the order" button).
 */
import { WidgetBase, el, fmt } from './base.js';
import { matrixTable, tint } from './matrix-table.js';

const MAX_WORDS = 5;
const WORD = /^[A-Za-z'-]{1,24}$/;

/** Preset five-token sentences: every word is in the engine's vocabulary except "laser". */
export const PRESETS = [
  'the cat chased the mouse',
  'the mouse chased the cat',
  'the dog ate the food',
  'she gave him a book',
  'birds sat on the tree',
  'a small bird sat on',
  'the cat chased the laser',
];

/** Short display: 2 decimals at most, trailing zeros dropped ("0.50" -> "0.5", "1.00" -> "1"). */
export function short(v) {
  return fmt(v).replace(/\.?0+$/, '');
}

/** How a feature name reads in a sentence ("function" alone would be ambiguous). */
const SPOKEN = { function: 'function word' };

export class EmbedTable extends WidgetBase {
  static tag = 'attn-embed';
  static styles = ['embed-table.css'];
  static props = [
    { name: 'sentence', type: 'tokens', maxTokens: MAX_WORDS, default: ['the', 'cat', 'chased', 'the', 'mouse'],
      description: 'The sentence to embed, 1-5 words separated by spaces.' },
    { name: 'positions', type: 'boolean', default: false,
      description: 'Start with sinusoidal position vectors added to the rows.' },
    { name: 'selected', type: 'integer', min: 1, max: MAX_WORDS, default: 1,
      description: 'The row read out at the start, counted from 1 (1 = the first token).' },
  ];
  static controls = ['sentence', 'positions', 'reverse'];

  static checks = {
    'positions-on': {
      description: 'The "Add positions" toggle is on.',
      args: [],
      run: (w) => ({
        correct: w.state.positions,
        message: w.state.positions ? 'Positions are on: every row now includes its position vector.' : 'The "Add positions" toggle is still off.',
      }),
    },
    'sentence-has-unknown': {
      description: 'The sentence contains at least one word outside the vocabulary.',
      args: [],
      run(w) {
        const unknown = w.unknownWords();
        return unknown.length
          ? { correct: true, message: `“${unknown.join('”, “')}” is not in the vocabulary, so it got a seeded random vector.` }
          : { correct: false, message: `Every word of “${w.state.tokens.join(' ')}” is in the vocabulary. Type a word it does not know.` };
      },
    },
    'repeated-rows-differ': {
      description: 'A word appears twice and its two rows of X are different numbers.',
      args: [],
      run(w) {
        const pair = w.repeatedPair();
        if (!pair) return { correct: false, message: `No word repeats in “${w.state.tokens.join(' ')}”. Pick a sentence with a repeated word.` };
        const [i, j] = pair, rows = `Rows ${i + 1} and ${j + 1} (both “${w.state.tokens[i]}”)`;
        const differ = w.differingColumns(i, j).length > 0;
        return differ
          ? { correct: true, message: `${rows} now differ: the position vectors tell them apart.` }
          : { correct: false, message: `${rows} are identical: same word, same features, nothing marks where each one stands.` };
      },
    },
  };

  setup() {
    this.presetSelect = el('select', { id: 'preset' });
    this.wordInput = el('input', {
      id: 'own-words', type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false',
      maxlength: '120', 'aria-describedby': 'own-msg',
    });
    this.inputMsg = el('p', { id: 'own-msg', class: 'input-msg', 'aria-live': 'polite' });
    this.resetInputMsg();
    this.posBox = el('input', { type: 'checkbox', id: 'positions' });
    this.reverseButton = el('button', { type: 'button', class: 'secondary', 'data-control': 'reverse' }, 'Reverse the order');
    this.chips = el('ol', { class: 'chips', 'aria-label': 'Tokens' });
    this.tableSlot = el('div', { class: 'scroll embed-scroll' });
    this.readout = el('p', { class: 'explain readout', 'aria-live': 'polite' });
    this.compare = el('div', { class: 'compare' });
    this.orderNote = el('p', { class: 'order-note', 'aria-live': 'polite' });
    this.unknownNote = el('p', { class: 'unknown-note' });
    this.vocabList = el('p', { class: 'vocab-words' });
    const form = el('form', { class: 'own', 'data-control': 'sentence' },
      el('label', { for: 'own-words' }, 'Or type your own (up to 5 words)'),
      el('div', { class: 'row' }, this.wordInput, el('button', { type: 'submit' }, 'Embed')),
      this.inputMsg);
    this.body.replaceChildren(
      el('div', { class: 'controls', 'data-control': 'sentence' },
        el('label', { for: 'preset' }, 'Sentence'), this.presetSelect),
      form,
      el('div', { class: 'controls' },
        el('label', { class: 'toggle', 'data-control': 'positions' }, this.posBox, ' Add positions (sinusoidal)'),
        this.reverseButton),
      this.chips,
      this.tableSlot,
      el('p', { id: 'row-hint', class: 'hint' }, 'Hover, tap or focus a row (arrow keys move) to read it out.'),
      this.readout,
      this.compare,
      this.orderNote,
      this.unknownNote,
      el('details', { class: 'vocab' }, el('summary', {}, 'Words the widget knows'), this.vocabList));

    this.presetSelect.addEventListener('change', () => {
      if (this.presetSelect.value === 'own') return;
      this.setSentence(this.presetSelect.value.split(' '));
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submitOwn();
    });
    this.posBox.addEventListener('change', () => {
      this.state.positions = this.posBox.checked;
      this.orderNote.textContent = '';
      this.update(true);
    });
    this.reverseButton.addEventListener('click', () => this.reverse());
    const vocab = this.engine.vocab();
    this.vocabList.textContent = vocab.words.join(', ');
  }

  readProps() {
    super.readProps();
    const { sentence, positions, selected } = this.values;
    // Attributes count from 1 (what a learner reads in a deep link); the state counts from 0.
    this.state = { tokens: [...sentence], positions, selected: selected - 1 };
  }

  /** The live state in props terms: the sentence shown, the positions toggle and the selected row. */
  currentValues() {
    const v = { ...this.values };
    if (this.state) Object.assign(v, { sentence: [...this.state.tokens], positions: this.state.positions, selected: this.state.selected + 1 });
    return v;
  }

  /** Validates the typed words; on success embeds them, otherwise explains what is wrong inline. */
  submitOwn() {
    const words = this.wordInput.value.trim().split(/\s+/).filter(Boolean);
    const problem = words.length === 0 ? 'Type at least one word.'
      : words.length > MAX_WORDS ? `That is ${words.length} words; this widget takes at most ${MAX_WORDS}.`
        : (() => {
          const bad = words.find((w) => !WORD.test(w));
          return bad === undefined ? null
            : `“${bad.length > 24 ? `${bad.slice(0, 24)}…` : bad}” is not a word: use letters only (an apostrophe or hyphen is fine), no digits or punctuation.`;
        })();
    if (problem) {
      this.wordInput.setAttribute('aria-invalid', 'true');
      this.inputMsg.textContent = problem;
      this.inputMsg.className = 'input-msg wrong';
      return;
    }
    this.wordInput.removeAttribute('aria-invalid');
    this.setSentence(words.map((w) => w.toLowerCase()));
    this.inputMsg.textContent = `Embedded “${words.join(' ').toLowerCase()}”.`;
  }

  /** The line under the text box goes back to its hint once the sentence on screen is another one. */
  resetInputMsg() {
    this.inputMsg.textContent = 'Letters only, 1 to 5 words.';
    this.inputMsg.className = 'input-msg';
  }

  setSentence(tokens) {
    this.resetInputMsg();
    this.state.tokens = tokens;
    this.state.selected = 0;
    this.orderNote.textContent = '';
    this.update(true);
  }

  /** Reverses the word order and reports how many words kept exactly the same row of numbers. */
  reverse() {
    const before = this.rows().map((r) => r.map((v) => fmt(v)).join());
    const n = this.state.tokens.length;
    this.state.tokens = [...this.state.tokens].reverse();
    this.state.selected = n - 1 - this.state.selected;
    this.resetInputMsg();
    this.update(true);
    const after = this.rows().map((r) => r.map((v) => fmt(v)).join());
    const changed = after.filter((row, k) => row !== before[n - 1 - k]).length;
    if (!this.state.positions)
      this.orderNote.textContent = 'Reversed. Every word kept exactly the same row of numbers; only the order of the rows changed. Without positions, nothing inside X records where a word stood.';
    else if (changed === 0)
      this.orderNote.textContent = 'Reversed. A one-word sentence reads the same backwards: its only row keeps its place and its numbers.';
    else
      this.orderNote.textContent = `Reversed. ${changed} of ${n} words now ${changed === 1 ? 'has' : 'have'} a different row, because ${changed === 1 ? 'it' : 'each one'} picked up the position vector of its new place.`;
  }

  /** Embeds through the engine; on failure falls back to the default sentence with a note. */
  computeEmbedding(notes) {
    try {
      return this.engine.embed(this.state.tokens, this.state.positions);
    } catch (err) {
      notes.push(err.message);
      this.state.tokens = [...EmbedTable.props[0].default];
      return this.engine.embed(this.state.tokens, this.state.positions);
    }
  }

  update(committed = false) {
    if (!this.engine) return;
    const notes = [];
    this.emb = this.computeEmbedding(notes);
    const s = this.state;
    if (s.selected >= s.tokens.length) {
      notes.push(`selected: row ${s.selected + 1} is outside the ${s.tokens.length}-token sentence; selecting row 1`);
      s.selected = 0;
    }
    this.setNotice([...this.propErrors, ...notes]);
    this.draw();
    if (committed) this.emit('change', { tokens: [...s.tokens], positions: s.positions, selected: s.selected, known: [...this.emb.known] });
  }

  /** X as an array of rows (drawing convenience, no math). */
  rows() {
    const { rows, cols, data } = this.emb.X;
    return Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));
  }

  labels() {
    const words = this.state.tokens;
    return words.map((w, i) => (words.indexOf(w) !== words.lastIndexOf(w) ? `${w} ${i + 1}` : w));
  }

  unknownWords() {
    return [...new Set(this.state.tokens.filter((_, i) => !this.emb.known[i]))];
  }

  /** The first two positions of the first word that occurs more than once, or null. */
  repeatedPair() {
    const words = this.state.tokens;
    for (let i = 0; i < words.length; i++) {
      const j = words.indexOf(words[i], i + 1);
      if (j > 0) return [i, j];
    }
    return null;
  }

  /** Feature indices where rows i and j print differently (a display comparison). */
  differingColumns(i, j) {
    const X = this.rows();
    return X[i].map((_, m) => m).filter((m) => fmt(X[i][m]) !== fmt(X[j][m]));
  }

  draw() {
    const s = this.state, X = this.rows(), labels = this.labels();
    const features = this.emb.features;
    const text = s.tokens.join(' ');
    // the select keeps its options (and focus) unless "your sentence" comes, goes or changes
    const optionsKey = PRESETS.includes(text) ? '' : text;
    if (this.optionsKey !== optionsKey) {
      const presetOptions = PRESETS.map((p) => el('option', { value: p }, p));
      if (optionsKey) presetOptions.push(el('option', { value: 'own' }, `your sentence: ${text}`));
      this.presetSelect.replaceChildren(...presetOptions);
      this.optionsKey = optionsKey;
    }
    this.presetSelect.value = PRESETS.includes(text) ? text : 'own';
    this.posBox.checked = s.positions;

    const pair = this.repeatedPair();
    const repeated = new Set(pair ? s.tokens.map((w, i) => (w === s.tokens[pair[0]] ? i : -1)).filter((i) => i >= 0) : []);

    const chipsKey = `${text}|${this.emb.known.join()}`;
    if (this.chipsKey !== chipsKey) {
      this.chips.replaceChildren(...s.tokens.map((w, i) => el('li', { class: `chip${this.emb.known[i] ? '' : ' unknown-chip'}` },
        el('span', { class: 'pos' }, `${i + 1}`), ` ${w}`,
        this.emb.known[i] ? '' : el('span', { class: 'badge' }, 'seeded random vector'))));
      this.chipsKey = chipsKey;
    }

    const rowLabel = (i) => {
      const parts = [labels[i]];
      if (!this.emb.known[i]) parts.push(el('span', { class: 'badge mini', 'aria-hidden': 'true' }, '?'), el('span', { class: 'vh' }, ' (not in the vocabulary: seeded random vector)'));
      if (repeated.has(i)) parts.push(el('span', { class: 'rep-mark', 'aria-hidden': 'true' }, '='), el('span', { class: 'vh' }, ' (repeated word)'));
      const frag = document.createDocumentFragment();
      frag.append(...parts);
      return frag;
    };
    const rowKey = (i) => `${labels[i]}|${this.emb.known[i]}|${repeated.has(i)}`;
    const caption = `X (${X.length} × ${features.length})${s.positions ? ': word features + position' : ': word features'}`;
    const shape = `${X.length}|${features.join()}`;
    if (this.table && this.tableShape === shape) {
      // same rows and columns: patch the table in place (a focused row header keeps its focus)
      const t = this.table;
      const cap = t.table.querySelector('caption');
      if (cap.textContent !== caption) cap.textContent = caption;
      const scale = Math.max(1e-9, ...X.flat().map(Math.abs));
      this.rowHeads.forEach((th, i) => {
        const key = rowKey(i);
        if (this.rowKeys[i] !== key) {
          th.replaceChildren(rowLabel(i));
          this.rowKeys[i] = key;
        }
      });
      t.cells.forEach((row, i) => row.forEach((td, m) => {
        const cls = `cell ${tint(X[i][m], scale)}`, txt = short(X[i][m]);
        if (td.className !== cls) td.className = cls;
        if (td.textContent !== txt) td.textContent = txt;
      }));
    } else {
      const t = matrixTable(X, { caption, rowLabels: s.tokens.map((_, i) => rowLabel(i)), colLabels: features, className: 'x embed' });
      t.cells.forEach((row, i) => row.forEach((td, m) => (td.textContent = short(X[i][m]))));
      this.table = t;
      this.tableShape = shape;
      this.rowKeys = s.tokens.map((_, i) => rowKey(i));
      t.table.setAttribute('aria-describedby', 'row-hint');
      this.rowHeads = [...t.table.querySelectorAll('tbody th')];
      this.tableSlot.replaceChildren(t.table);

      t.table.addEventListener('keydown', (e) => this.onKey(e));
      t.table.addEventListener('click', (e) => {
        const tr = e.target.closest('tbody tr');
        if (tr) this.select(this.rowIndex(tr), true);
      });
      t.table.addEventListener('pointerover', (e) => {
        const tr = e.target.closest('tbody tr');
        if (tr) this.show(this.rowIndex(tr));
      });
      t.table.addEventListener('pointerleave', () => this.show(this.state.selected));
      t.table.addEventListener('focusin', (e) => {
        const th = e.target.closest('tbody th');
        if (th) this.select(this.rowHeads.indexOf(th), false);
      });
    }
    this.rowHeads.forEach((th, i) => {
      th.tabIndex = i === s.selected ? 0 : -1;
      th.parentElement.classList.toggle('repeat', repeated.has(i));
      th.parentElement.classList.toggle('unknown-row', !this.emb.known[i]);
    });

    this.drawCompare(pair, X, features);
    const unknown = this.unknownWords();
    this.unknownNote.textContent = unknown.length
      ? `Not in the vocabulary: ${unknown.join(', ')}. Such a word gets a seeded random vector of tenths: the same word always gets the same numbers, but they mean nothing.`
      : '';
    this.show(s.selected);
  }

  rowIndex(tr) {
    return [...tr.parentElement.children].indexOf(tr);
  }

  /** The two rows of a repeated word and their difference (computed by the engine). */
  drawCompare(pair, X, features) {
    if (!pair) {
      this.compare.replaceChildren(el('p', {}, 'No word repeats in this sentence. Pick one with a repeated word (like the two “the”) to compare their rows.'));
      return;
    }
    const [i, j] = pair;
    const D = Array.from({ length: X.length }, (_, k) => (k === i ? 1 : k === j ? -1 : 0));
    const diff = Array.from(this.engine.project([D], X).data);
    const differ = this.differingColumns(i, j);
    const verdict = differ.length === 0
      ? el('p', { class: 'verdict same' }, el('strong', {}, 'Identical rows. '),
        'Same word, same eight numbers: nothing in X says which one comes first.')
      : el('p', { class: 'verdict differ' }, el('strong', {}, `Different in ${differ.length} of ${features.length} columns. `),
        'Each copy now carries the position vector of its own place.');
    this.compare.replaceChildren(
      el('p', { class: 'compare-head' }, `Repeated word “${this.state.tokens[i]}”: rows ${i + 1} and ${j + 1}`),
      el('p', { class: 'diff' }, `row ${i + 1} − row ${j + 1} = (${diff.map((v) => short(v)).join(', ')})`),
      verdict);
  }

  onKey(e) {
    const i = this.state.selected, n = this.state.tokens.length;
    const to = { ArrowUp: i - 1, ArrowDown: i + 1, Home: 0, End: n - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    this.select(Math.max(0, Math.min(n - 1, to)), true);
  }

  /** Makes row i the selected one: roving tabindex, highlight, read-out. */
  select(i, focus) {
    if (i < 0) return;
    const changed = i !== this.state.selected;
    this.state.selected = i;
    this.rowHeads.forEach((th, k) => (th.tabIndex = k === i ? 0 : -1));
    if (focus) this.rowHeads[i].focus();
    this.show(i);
    if (changed) this.emit('change', { tokens: [...this.state.tokens], positions: this.state.positions, selected: i, known: [...this.emb.known] });
  }

  /** Highlights row i (outline, not colour alone) and reads it out feature by feature. */
  show(i) {
    this.table.table.querySelectorAll('tbody tr').forEach((tr, k) => tr.classList.toggle('hl-row', k === i));
    const X = this.rows(), features = this.emb.features, labels = this.labels();
    const named = features.map((f, m) => `${SPOKEN[f] ?? f} ${short(X[i][m])}`);
    const nonzero = features.map((f, m) => [f, m]).filter(([, m]) => fmt(X[i][m]) !== fmt(0));
    let reading;
    // With positions on, a cell is feature + position, so the column names no longer describe it alone.
    if (this.state.positions) reading = `(${X[i].map(short).join(', ')}): the word's features plus the position vector of token ${i + 1}`;
    else if (nonzero.length === features.length) reading = named.join(', ');
    else if (nonzero.length === 0) reading = 'every feature 0';
    else reading = `${nonzero.map(([f, m]) => `${SPOKEN[f] ?? f} ${short(X[i][m])}`).join(', ')}; every other feature 0`;
    const tail = this.emb.known[i] ? '' : ' (seeded random vector: not in the vocabulary)';
    this.readout.replaceChildren(el('strong', {}, `Row ${i + 1}: ${labels[i]}`), ` = ${reading}${tail}.`);
  }
}
