/**
 * <attn-predict-head>: lesson 14's game. Each round shows a five-word sentence and one head of the
 * course's trained model; the learner picks, for every query word (row), the word they think the
 * head attends to most, commits, and then sees the real map (from `model.trace`) scored against
 * chance and against the best fixed-offset guess (previous / next / self / first word) for that
 * head on that sentence, with the head's measured description from analysis.json.
 *
 * Attributes (declared in `props` below): seed, round, hint.
 * Rounds cycle deterministically through the 12 heads and the sentence list from `seed` and the
 * round number. The game record is kept in localStorage under `attention-lab/predict-head` as
 * { version: 1, rounds: [...] } (the course progress store has no generic slot for it); corrupt
 * data is reset with a visible notice and never throws; without storage the game lives in memory.
 * Scoring compares argmax positions (comparisons only); every weight comes from the engine.
 * Events: `change` { round, seed, hint } on a new round or hint toggle; `commit` { round, head,
 * sentence, guess, argmax, score, chance, positional } when a round is scored.
 * Controls `hide` can hide: hint (the hint toggle), record (the running score).
 */
import { WidgetBase, el, fmt } from './base.js';
import { matrixTable } from './matrix-table.js';
import { argmax, describeHead, describeRelation, loadAnalysis, mapSvg } from './head-gallery.js';

export const GAME_KEY = 'attention-lab/predict-head';
export const GAME_VERSION = 1;
const MAX_ROUNDS_KEPT = 500;

/** Five-word sentences in the style of the course grammar, no repeated word (all in the vocabulary). */
export const GAME_SENTENCES = [
  'a hungry dog ate cookies',
  'she found the shiny key',
  'the girls hugged their grandmother',
  'my friend bought three pears',
  'they watched the brave pilot',
  'two kittens followed the duck',
  'the teacher read a story',
  'the fox hid behind rocks',
  'the cats and dogs play',
  'we painted a yellow door',
  'the old horse ate apples',
  'his neighbor likes red balloons',
];

export const OFFSETS = {
  previous: { name: 'previous word', target: (i) => (i > 0 ? i - 1 : null) },
  next: { name: 'next word', target: (i, n) => (i < n - 1 ? i + 1 : null) },
  self: { name: 'the word itself', target: (i) => i },
  first: { name: 'first word', target: () => 0 },
};

/** Head index (0..11) and sentence index for a round (1-based) under a seed: deterministic cycles. */
export function puzzleFor(seed, round, nHeads = 12, nSentences = GAME_SENTENCES.length) {
  const k = round - 1;
  return {
    headIndex: (seed * 7 + k * 5) % nHeads, // 5 is coprime with 12: every head once per 12 rounds
    sentenceIndex: (seed * 3 + k * 7) % nSentences, // 7 is coprime with 12
  };
}

/** Rows where guess[i] equals argmax[i]. Missing guesses (null) never score. */
export function scoreGuess(guess, argmaxes) {
  return argmaxes.reduce((s, a, i) => s + (guess[i] === a ? 1 : 0), 0);
}

/** Every fixed-offset guess scored on these argmaxes, and the best one (first listed wins ties). */
export function positionalScores(argmaxes) {
  const n = argmaxes.length;
  const all = Object.entries(OFFSETS).map(([key, o]) => {
    const guess = argmaxes.map((_, i) => o.target(i, n));
    return { key, name: o.name, guess, score: scoreGuess(guess, argmaxes) };
  });
  const best = all.reduce((b, x) => (x.score > b.score ? x : b), all[0]);
  return { all, best };
}

/** Validates a stored game record; returns '' or what is wrong. */
export function gameError(g) {
  if (g === null || typeof g !== 'object' || Array.isArray(g)) return 'not an object';
  if (g.version !== GAME_VERSION) return `unknown version ${JSON.stringify(g.version)?.slice(0, 20)}`;
  if (!Array.isArray(g.rounds)) return 'rounds is not a list';
  for (const r of g.rounds) {
    if (r === null || typeof r !== 'object') return 'a round is not an object';
    if (!Number.isInteger(r.score) || r.score < 0 || r.score > 16) return 'a round has no valid score';
    if (!Number.isInteger(r.round) || r.round < 1) return 'a round has no valid round number';
    if (typeof r.head !== 'string' || !Array.isArray(r.guess)) return 'a round is incomplete';
  }
  return '';
}

/**
 * Opens the game record in `storage` (a Storage-like object, or null for memory only).
 * Returns { data, notice, persistent, add(round) }; never throws.
 */
export function openGame(storage) {
  const mem = new Map();
  let backend = storage ?? { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => void mem.set(k, v) };
  const game = { data: { version: GAME_VERSION, rounds: [] }, notice: '', persistent: Boolean(storage) };
  if (!storage) game.notice = 'This browser is not letting the course save data, so your game lasts only until you close this tab.';
  const save = () => {
    try {
      backend.setItem(GAME_KEY, JSON.stringify(game.data));
    } catch {
      backend = { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => void mem.set(k, v) };
      game.persistent = false;
      game.notice = 'Your game could not be saved in this browser (storage is full or blocked); it lasts only until you close this tab.';
    }
  };
  let raw = null;
  try {
    raw = backend.getItem(GAME_KEY);
  } catch {
    raw = null;
  }
  if (raw !== null && raw !== undefined) {
    let parsed, problem;
    try {
      parsed = JSON.parse(raw);
      problem = gameError(parsed);
    } catch {
      problem = 'not valid JSON';
    }
    if (problem) {
      game.notice = `Your saved game could not be read (${problem}), so it was reset and starts again from round 1.`;
      save();
    } else game.data = parsed;
  }
  game.add = (round) => {
    try {
      const again = backend.getItem(GAME_KEY); // another tab may have played too
      const parsed = again ? JSON.parse(again) : null;
      if (parsed && !gameError(parsed)) game.data = parsed;
    } catch {
      /* keep ours */
    }
    game.data.rounds.push(round);
    if (game.data.rounds.length > MAX_ROUNDS_KEPT) game.data.rounds.splice(0, game.data.rounds.length - MAX_ROUNDS_KEPT);
    save();
  };
  return game;
}

function usableStorage() {
  try {
    const s = globalThis.localStorage;
    if (!s) return null;
    s.setItem('attention-lab/probe', '1');
    s.removeItem('attention-lab/probe');
    return s;
  } catch {
    return null;
  }
}

export class PredictHead extends WidgetBase {
  static tag = 'attn-predict-head';
  static styles = ['head-gallery.css', 'predict-head.css'];
  static props = [
    { name: 'seed', type: 'integer', min: 0, max: 999999, default: 7, description: 'Seed that orders the heads and sentences of the rounds.' },
    { name: 'round', type: 'integer', min: 0, max: 9999, default: 0,
      description: 'Round to show (from 1); 0 continues after the rounds already played.' },
    { name: 'hint', type: 'boolean', default: false, description: 'Show the head\'s measured label and shares before guessing.' },
  ];
  static controls = ['hint', 'record'];

  static checks = {
    'rounds-played-at-least': {
      description: 'The learner has committed at least n rounds (saved game).',
      args: [{ name: 'n', type: 'integer', min: 1, max: 100, default: 3, description: 'Rounds.' }],
      run(w, { n }) {
        const played = w.game?.data.rounds.length ?? 0;
        return { correct: played >= n, message: `You have played ${played} round${played === 1 ? '' : 's'}${played >= n ? '.' : `; play ${n - played} more.`}` };
      },
    },
    'beat-chance': {
      description: 'Some committed round scored above chance (more than 1 row in 5).',
      args: [],
      run(w) {
        const rounds = w.game?.data.rounds ?? [];
        const best = rounds.reduce((b, r) => Math.max(b, r.score), 0);
        const ok = rounds.some((r) => r.score > (r.chance ?? 1));
        return { correct: ok, message: rounds.length === 0 ? 'No round played yet: make your guesses and press "Reveal".' : `Your best round scored ${best} of 5; chance expects 1.` };
      },
    },
  };

  readProps() {
    super.readProps();
    const v = this.values;
    this.state = { ...(this.state ?? {}), seed: v.seed, hint: v.hint, requestedRound: v.round };
  }

  currentValues() {
    const v = { ...this.values };
    if (this.state) Object.assign(v, { seed: this.state.seed, hint: this.state.hint, round: this.state.round ?? v.round });
    return v;
  }

  setup() {
    this.game = openGame(usableStorage());
    this.gameNotice = el('p', { class: 'notice ph-game-notice', role: 'status', hidden: '' });
    this.heading = el('h3', { class: 'ph-heading' });
    this.sentenceLine = el('p', { class: 'ph-sentence' });
    this.hintBox = el('input', { type: 'checkbox', id: 'ph-hint' });
    this.hintText = el('div', { class: 'ph-hint', 'aria-live': 'polite' });
    this.gridWrap = el('div', { class: 'ph-grid-wrap' });
    this.progressLine = el('p', { class: 'ph-progress', 'aria-live': 'polite' });
    this.commitBtn = el('button', { type: 'button', class: 'ph-commit' }, 'Reveal the real map');
    this.nextBtn = el('button', { type: 'button', class: 'ph-next', hidden: '' }, 'Next round');
    this.result = el('section', { class: 'ph-result', 'aria-live': 'polite', 'aria-label': 'Result of this round', hidden: '' });
    this.record = el('p', { class: 'ph-record', 'data-control': 'record', role: 'status' });
    this.body.replaceChildren(
      this.gameNotice, this.heading, this.sentenceLine,
      el('label', { class: 'toggle', for: 'ph-hint', 'data-control': 'hint' }, this.hintBox, ' Show a hint (the head\'s measured label)'),
      this.hintText,
      el('p', { class: 'hint', id: 'ph-howto' }, 'For each word (row), pick the word you think this head looks at most. Arrow keys move, Enter or Space picks; or tap.'),
      this.gridWrap,
      el('div', { class: 'ph-actions' }, this.commitBtn, this.nextBtn, this.progressLine),
      this.result, this.record);
    this.hintBox.addEventListener('change', () => {
      this.state.hint = this.hintBox.checked;
      this.drawHint();
      this.emit('change', { round: this.state.round, seed: this.state.seed, hint: this.state.hint });
    });
    this.commitBtn.addEventListener('click', () => this.commit());
    this.nextBtn.addEventListener('click', () => this.startRound(this.state.round + 1, true));
    this.showGameNotice();
  }

  showGameNotice() {
    this.gameNotice.hidden = !this.game.notice;
    this.gameNotice.textContent = this.game.notice;
  }

  update() {
    if (!this.engine) return;
    this.hintBox.checked = this.state.hint;
    return Promise.all([this.engine.loadModel(), loadAnalysis()]).then(([model, analysis]) => {
      this.model = model;
      this.analysis = analysis;
      const r = this.state.requestedRound || this.game.data.rounds.length + 1;
      this.startRound(r, false);
    }, (err) => this.showFatal(`The course model could not load: ${err.message}`));
  }

  /** Sets up round r: picks the head and sentence, traces it, clears the guesses. */
  startRound(r, committed) {
    const { headIndex, sentenceIndex } = puzzleFor(this.state.seed, r, this.analysis.heads.length, GAME_SENTENCES.length);
    const head = this.analysis.heads[headIndex];
    const words = GAME_SENTENCES[sentenceIndex].split(' ');
    let t;
    try {
      t = this.model.trace(words);
    } catch (err) {
      this.setNotice([...this.propErrors, err.message]);
      return;
    }
    this.state.round = r;
    this.puzzle = { head, words, trace: t, weights: t.attention[head.layer - 1][head.head - 1] };
    this.guess = Array(words.length).fill(null);
    this.focusCell = [0, 0];
    this.revealed = false;
    this.heading.textContent = `Round ${r}: head ${head.id} (layer ${head.layer}, head ${head.head})`;
    this.sentenceLine.replaceChildren('Sentence: ', el('strong', {}, `“${words.join(' ')}”`));
    this.drawHint();
    this.drawGrid();
    this.result.hidden = true;
    this.result.replaceChildren();
    this.commitBtn.hidden = false;
    this.nextBtn.hidden = true;
    this.drawProgress();
    this.drawRecord();
    if (committed) {
      this.emit('change', { round: r, seed: this.state.seed, hint: this.state.hint });
      this.gridWrap.querySelector('button[tabindex="0"]')?.focus();
    }
  }

  drawHint() {
    const h = this.puzzle?.head;
    if (!h) return;
    const show = this.state.hint || this.revealed;
    this.hintText.hidden = !show;
    this.hintText.replaceChildren(...(show ? [el('p', {}, el('strong', {}, `Measured label: ${h.label}. `), describeHead(h))] : []));
  }

  /** The 5 x 5 guess grid: a table whose cells are toggle buttons, one tab stop (roving). */
  drawGrid() {
    const { words } = this.puzzle;
    const table = el('table', { class: 'ph-grid', 'aria-describedby': 'ph-howto' },
      el('caption', {}, 'Your guess: row = the word asking, column = the word it looks at most'),
      el('thead', {}, el('tr', {}, el('td', { class: 'corner' }), words.map((w, j) => el('th', { scope: 'col' }, el('span', { class: 'num' }, `${j + 1}`), el('span', { class: 'w' }, ` ${w}`))))));
    const body = el('tbody');
    this.cells = words.map((qw, i) => {
      const row = words.map((kw, j) => el('button', {
        type: 'button', class: 'ph-cell', 'data-row': i, 'data-col': j, tabindex: '-1',
        'aria-pressed': 'false', 'aria-label': `Row ${i + 1}, ${qw} looks most at ${j + 1} ${kw}`,
      }, '·'));
      body.append(el('tr', {}, el('th', { scope: 'row' }, `${i + 1} ${qw}`), row.map((b) => el('td', {}, b))));
      return row;
    });
    table.append(body);
    table.addEventListener('click', (e) => {
      const b = e.target.closest('button.ph-cell');
      if (b) this.pick(Number(b.dataset.row), Number(b.dataset.col));
    });
    table.addEventListener('keydown', (e) => this.onKey(e));
    this.gridWrap.replaceChildren(table);
    this.refreshCells();
  }

  refreshCells() {
    const [fi, fj] = this.focusCell;
    this.cells.forEach((row, i) => row.forEach((b, j) => {
      const on = this.guess[i] === j;
      b.setAttribute('aria-pressed', String(on));
      b.textContent = on ? '●' : '·';
      b.tabIndex = i === fi && j === fj ? 0 : -1;
      b.disabled = this.revealed;
      b.classList.toggle('picked', on);
    }));
  }

  pick(i, j) {
    if (this.revealed) return;
    this.guess[i] = j;
    this.focusCell = [i, j];
    this.refreshCells();
    this.drawProgress();
  }

  onKey(e) {
    const b = e.target.closest?.('button.ph-cell');
    if (!b || this.revealed) return;
    const n = this.cells.length;
    const [i, j] = [Number(b.dataset.row), Number(b.dataset.col)];
    const to = { ArrowUp: [i - 1, j], ArrowDown: [i + 1, j], ArrowLeft: [i, j - 1], ArrowRight: [i, j + 1], Home: [i, 0], End: [i, n - 1] }[e.key];
    if (!to) return;
    e.preventDefault();
    const [r, c] = to.map((x) => Math.max(0, Math.min(n - 1, x)));
    this.focusCell = [r, c];
    this.refreshCells();
    this.cells[r][c].focus();
  }

  drawProgress() {
    const done = this.guess.filter((g) => g !== null).length;
    this.commitBtn.disabled = false;
    this.progressLine.textContent = this.revealed ? '' : `${done} of ${this.guess.length} rows guessed.`;
  }

  /** Scores the guess against the real argmax of each row and saves the round. */
  commit() {
    if (this.revealed) return;
    const missing = this.guess.map((g, i) => (g === null ? i + 1 : null)).filter(Boolean);
    if (missing.length) {
      this.progressLine.textContent = `Pick a word for every row first (still open: row${missing.length > 1 ? 's' : ''} ${missing.join(', ')}).`;
      return;
    }
    const { head, words, weights } = this.puzzle;
    const tops = weights.map((row) => argmax(row));
    const score = scoreGuess(this.guess, tops);
    const pos = positionalScores(tops);
    const n = words.length;
    const chance = n * (1 / n);
    const round = { round: this.state.round, seed: this.state.seed, head: head.id, sentence: words.join(' '), guess: [...this.guess],
      argmax: tops, score, chance, positional: { key: pos.best.key, score: pos.best.score }, hint: this.state.hint, at: new Date().toISOString() };
    this.game.add(round);
    this.showGameNotice();
    this.revealed = true;
    this.refreshCells();
    this.drawHint();
    this.drawResult(round, pos, tops);
    this.commitBtn.hidden = true;
    this.nextBtn.hidden = false;
    this.drawProgress();
    this.drawRecord();
    this.emit('commit', round);
    this.nextBtn.focus();
  }

  drawResult(round, pos, tops) {
    const { head, words, weights } = this.puzzle;
    const n = words.length;
    const labels = words.map((w, j) => `${j + 1} ${w}`);
    const table = matrixTable(weights, { caption: `Head ${head.id}: the real attention weights (row = query)`, rowLabels: labels, colLabels: labels, className: 'ph-real', scale: 1 });
    table.cells.forEach((row, i) => {
      row[tops[i]].classList.add('ph-top');
      row[tops[i]].append(el('span', { class: 'ph-mark' }, ' ★'));
      if (this.guess[i] !== tops[i]) row[this.guess[i]].classList.add('ph-miss');
    });
    const rows = words.map((w, i) => el('li', { class: this.guess[i] === tops[i] ? 'right' : 'wrong' },
      `${i + 1} ${w}: you said ${labels[this.guess[i]]}, the head looks most at ${labels[tops[i]]} (${fmt(weights[i][tops[i]])}) ${this.guess[i] === tops[i] ? '✓' : '✗'}`));
    const offsetLine = pos.all.map((o) => `${o.name} ${o.score}/${n}`).join(' · ');
    const verdict = round.score > pos.best.score ? 'You beat the best fixed-offset guess.'
      : round.score === pos.best.score ? 'You matched the best fixed-offset guess.'
        : `The fixed offset "${pos.best.name}" would have done better on this sentence.`;
    this.result.hidden = false;
    this.result.replaceChildren(
      el('p', { class: 'ph-score' }, el('strong', {}, `Your score: ${round.score} of ${n} rows.`),
        ` Chance: ${fmt(round.chance, 0)} expected (each row has 1 chance in ${n}). Best fixed-offset guess: ${pos.best.name}, ${pos.best.score} of ${n}. ${verdict}`),
      el('p', { class: 'hint' }, `Every fixed offset on this sentence: ${offsetLine} (the first word has no previous word and the last no next word, so those rows count as misses).`),
      el('div', { class: 'ph-real-wrap' }, mapSvg(weights, { labels: words, className: 'map big' }),
        el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Real attention weights' }, table.table)),
      el('p', { class: 'hint' }, '★ marks each row\'s largest weight; a dashed cell is a guess that missed.'),
      el('ul', { class: 'ph-rows' }, rows),
      el('p', {}, el('strong', {}, `What the analysis says about head ${head.id} (“${head.label}”): `), describeHead(head), ' ', describeRelation(head)));
  }

  drawRecord() {
    const rounds = this.game.data.rounds;
    if (!rounds.length) {
      this.record.textContent = 'Rounds played: 0. Your best score will appear here.';
      return;
    }
    const best = Math.max(...rounds.map((r) => r.score));
    const total = rounds.reduce((s, r) => s + r.score, 0);
    const beatChance = rounds.filter((r) => r.score > r.chance).length;
    this.record.textContent = `Best score: ${best} of 5 · rounds played: ${rounds.length} · total ${total} of ${rounds.length * 5} rows · above chance in ${beatChance} round${beatChance === 1 ? '' : 's'}.`;
  }
}
