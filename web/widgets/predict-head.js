/**
 * <attn-predict-head>: lesson 14's game. Each round shows a fresh five-word sentence from the course
 * grammar (engine.sampleSentences) and one head of the course's trained model; the learner picks,
 * for every query word (row), the word they think the head attends to most, commits, and then sees
 * the real map (model.trace) with a graded score (the weight the head puts on each guessed word,
 * 0-5 per round) beside the same score for three strategies fixed in advance: chance, the head's
 * fixed offset from analysis.json, and "follow the label". Rules: ./predict-head-rounds.js.
 *
 * Attributes (declared in `props` below): seed, round, head, sentence, hint, mode, layer, mask-unknown.
 * Round r under a seed is reproducible; `head` + `sentence` open that exact round (what Copy link
 * saves: currentValues() carries both). A learner can also type five words of their own (unknown
 * words are named, with suggestions and a [MASK] option) and play them with any head or all in turn.
 * Mode "trace" asks for every head of one layer at once on the same sentence, reveals them together,
 * then shows where each word's information came from through layers 3 → 2 → 1 (strongest link).
 * The running record (last 100 rounds) lives in the course progress store under the widget key
 * "predict-head", so it is exported and imported with progress; the old separate localStorage
 * record is migrated into it once. Without a store (an embed) the record lives in memory.
 * Events: `change` { seed, round, head, sentence, hint, mode, layer } on a new round or setting;
 * `commit` { round, head, sentence, guess, score } when a round is scored.
 * Controls `hide` can hide: hint, own (the own-sentence form), trace (the mode switch), record.
 * Rounds 1-36 of the lesson's seed (their sampled sentences, gold parses and maps) come from the
 * engine's results made at build time (a trace pack, model-presets.js); the course model (~300 KiB)
 * loads only for what no pack holds: a sentence of your own, a later round, another seed.
 */
import { WidgetBase, el, fmt } from './base.js';
import { removedNotice } from './dom.js';
import { plainTrace } from '../core/engine.js';
import { PACKS, loadPack, roundKey } from './model-presets.js';
import { matrixTable } from './matrix-table.js';
import { argmax, describeHead, describeRelation, labelKind, loadAnalysis, mapSvg, tokenLabels } from './head-gallery.js';
import {
  LEGACY_GAME_KEY, OFFSET_NAMES, RECORD_KEY, WORDS, addRound, addTrace, averages, cleanSentence, emptyRecord,
  headRelation, legacySummary, readRecord, relationRows, roundPlan, scoreRound, sentenceFor, strongestPaths, suggestions,
} from './predict-head-rounds.js';

export * from './predict-head-rounds.js';

const HEAD_IDS = ['1-1', '1-2', '1-3', '1-4', '2-1', '2-2', '2-3', '2-4', '3-1', '3-2', '3-3', '3-4'];
const two = (x) => (x === null || x === undefined ? 'n/a' : fmt(x, 2));

/**
 * The course progress store, asked of the page with a bubbling `attn-progress-store` event whose
 * detail.provide(store) the course's lesson page answers (web/app/lesson.js); null elsewhere (an embed).
 */
function requestStore(widget) {
  let store = null;
  widget.dispatchEvent(new CustomEvent('attn-progress-store', { bubbles: true, composed: true, detail: { provide: (s) => { store = s; } } }));
  return store;
}

/** A guess grid: a table of toggle buttons, one tab stop (roving). onPick(i, j) after each pick. */
function guessGrid(words, { caption, id, onPick }) {
  const guess = Array(words.length).fill(null);
  let focus = [0, 0];
  let locked = false;
  const table = el('table', { class: 'ph-grid', 'aria-describedby': 'ph-howto' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, el('td', { class: 'corner' }), words.map((w, j) => el('th', { scope: 'col' }, el('span', { class: 'num' }, `${j + 1}`), el('span', { class: 'w' }, ` ${w}`))))));
  const body = el('tbody');
  const cells = words.map((qw, i) => {
    const row = words.map((kw, j) => el('button', {
      type: 'button', class: 'ph-cell', 'data-row': i, 'data-col': j, 'data-grid': id, tabindex: '-1',
      'aria-pressed': 'false', 'aria-label': `Row ${i + 1}, ${qw} looks most at ${j + 1} ${kw}`,
    }, '·'));
    body.append(el('tr', {}, el('th', { scope: 'row' }, `${i + 1} ${qw}`), row.map((b) => el('td', {}, b))));
    return row;
  });
  table.append(body);
  // writes only what differs: an arrow key changes two cells' tab stops, a pick two cells' marks
  const refresh = () => cells.forEach((row, i) => row.forEach((b, j) => {
    const on = guess[i] === j, tab = i === focus[0] && j === focus[1] ? 0 : -1;
    if (b.getAttribute('aria-pressed') !== String(on)) {
      b.setAttribute('aria-pressed', String(on));
      b.textContent = on ? '●' : '·';
      b.classList.toggle('picked', on);
    }
    if (b.tabIndex !== tab) b.tabIndex = tab;
    if (b.disabled !== locked) b.disabled = locked;
  }));
  table.addEventListener('click', (e) => {
    const b = e.target.closest('button.ph-cell');
    if (!b || locked) return;
    const [i, j] = [Number(b.dataset.row), Number(b.dataset.col)];
    guess[i] = j;
    focus = [i, j];
    refresh();
    onPick?.(i, j);
  });
  table.addEventListener('keydown', (e) => {
    const b = e.target.closest?.('button.ph-cell');
    if (!b || locked) return;
    const n = cells.length;
    const [i, j] = [Number(b.dataset.row), Number(b.dataset.col)];
    const to = { ArrowUp: [i - 1, j], ArrowDown: [i + 1, j], ArrowLeft: [i, j - 1], ArrowRight: [i, j + 1], Home: [i, 0], End: [i, n - 1] }[e.key];
    if (!to) return;
    e.preventDefault();
    focus = to.map((x) => Math.max(0, Math.min(n - 1, x)));
    refresh();
    cells[focus[0]][focus[1]].focus();
  });
  refresh();
  return {
    table, guess,
    missing: () => guess.map((g, i) => (g === null ? i + 1 : null)).filter(Boolean),
    lock() { locked = true; refresh(); },
    /** As new: no guesses, the tab stop on the first cell, unlocked. */
    reset() { guess.fill(null); focus = [0, 0]; locked = false; refresh(); },
    focus() { cells[focus[0]][focus[1]].focus(); },
  };
}

export class PredictHead extends WidgetBase {
  static tag = 'attn-predict-head';
  static styles = ['head-gallery.css', 'predict-head.css'];
  static props = [
    { name: 'seed', type: 'integer', min: 0, max: 999999, default: 7, description: 'Seed of the rounds: round r under a seed always shows the same head and sentence.' },
    { name: 'round', type: 'integer', min: 0, max: 99999, default: 0,
      description: 'Round to show (from 1); 0 continues after the rounds already played.' },
    { name: 'head', type: 'enum', values: HEAD_IDS, default: null,
      description: 'Open this head ("layer-head", from 1) instead of the round\'s own; with sentence, opens an exact round.' },
    { name: 'sentence', type: 'tokens', maxTokens: WORDS, default: null,
      description: 'Play these five words instead of the round\'s sampled sentence (words outside the vocabulary are flagged).' },
    { name: 'mask-unknown', type: 'boolean', default: false, description: 'Run words of `sentence` outside the vocabulary as [MASK] instead of asking first.' },
    { name: 'hint', type: 'boolean', default: false, description: 'Show the head\'s measured label and shares before guessing.' },
    { name: 'mode', type: 'enum', values: ['round', 'trace'], default: 'round', description: '"round": one head per round; "trace": every head of one layer on the same sentence, then the routing through the layers.' },
    { name: 'layer', type: 'integer', min: 1, max: 3, default: 1, description: 'The layer to predict in trace mode (from 1).' },
  ];
  static controls = ['hint', 'own', 'trace', 'record'];

  static checks = {
    'rounds-played-at-least': {
      description: 'The learner has committed at least n rounds (saved record).',
      args: [{ name: 'n', type: 'integer', min: 1, max: 100, default: 3, description: 'Rounds.' }],
      run(w, { n }) {
        const played = w.record?.played ?? 0;
        return { correct: played >= n, message: `You have played ${played} round${played === 1 ? '' : 's'}${played >= n ? '.' : `; play ${n - played} more.`}` };
      },
    },
    'traced-layer': {
      description: 'The learner has predicted a whole layer in trace mode and revealed it.',
      args: [],
      run(w) {
        const n = w.record?.traced ?? 0;
        return { correct: n > 0, message: n > 0 ? `You have traced ${n} layer${n === 1 ? '' : 's'}.` : 'Switch the mode to "Trace a whole layer", guess every row of the four grids, then reveal.' };
      },
    },
    'beat-offset-on-relations': {
      description: 'Over the last n rounds on relation heads, the learner\'s average beats the head\'s pre-chosen fixed offset.',
      args: [{ name: 'n', type: 'integer', min: 1, max: 50, default: 5, description: 'Rounds on relation heads.' }],
      run(w, { n }) {
        const rel = new Set((w.analysis?.heads ?? []).filter((h) => headRelation(h)).map((h) => h.id));
        const a = averages(w.record ?? emptyRecord(), { n, filter: (id) => rel.has(id) });
        if (a.count < n)
          return { correct: false, message: `You have played ${a.count} round${a.count === 1 ? '' : 's'} on a relation head (${[...rel].join(', ')}); play ${n - a.count} more. Tip: "Next round" brings every head in turn.` };
        const ok = a.you > a.offset;
        return { correct: ok, message: `Over your last ${n} rounds on relation heads you averaged ${two(a.you)} of 5; the fixed offset averaged ${two(a.offset)}.${ok ? '' : ' Parse each sentence first: which word is the noun\'s determiner, the verb\'s object?'}` };
      },
    },
  };

  readProps() {
    super.readProps();
    const v = this.values;
    this.state = { ...(this.state ?? {}), seed: v.seed, hint: v.hint, mode: v.mode, layer: v.layer, requested: { round: v.round, head: v.head, sentence: v.sentence, mask: v['mask-unknown'] } };
  }

  currentValues() {
    const v = { ...this.values };
    if (this.state) Object.assign(v, { seed: this.state.seed, hint: this.state.hint, mode: this.state.mode, layer: this.state.layer });
    const p = this.puzzle;
    if (p) Object.assign(v, { round: p.round ?? 0, head: p.head.id, sentence: [...p.tokens], 'mask-unknown': p.masked.length > 0 });
    return v;
  }

  setup() {
    this.record = emptyRecord();
    this.seen = new Set();
    this.storeNotice = el('p', { class: 'notice ph-game-notice', role: 'status', hidden: '' });
    this.heading = el('h3', { class: 'ph-heading' });
    this.sentenceLine = el('p', { class: 'ph-sentence' });
    this.hintBox = el('input', { type: 'checkbox', id: 'ph-hint' });
    this.hintText = el('div', { class: 'ph-hint', 'aria-live': 'polite' });
    this.modeSelect = el('select', { id: 'ph-mode' }, el('option', { value: 'round' }, 'One head per round'), el('option', { value: 'trace' }, 'Trace a whole layer'));
    this.layerSelect = el('select', { id: 'ph-layer' }, [1, 2, 3].map((L) => el('option', { value: String(L) }, `Layer ${L}`)));
    this.gridWrap = el('div', { class: 'ph-grid-wrap' });
    this.progressLine = el('p', { class: 'ph-progress', 'aria-live': 'polite' });
    this.commitBtn = el('button', { type: 'button', class: 'ph-commit' }, 'Reveal the real map');
    this.nextBtn = el('button', { type: 'button', class: 'ph-next', hidden: '' }, 'Next round');
    this.freshBtn = el('button', { type: 'button', class: 'ph-fresh', hidden: '' }, 'Back to fresh sentences');
    this.result = el('section', { class: 'ph-result', 'aria-live': 'polite', 'aria-label': 'Result of this round', hidden: '' });
    this.recordBox = el('section', { class: 'ph-record', 'data-control': 'record', 'aria-label': 'Your record' });
    // your own sentence
    this.ownInput = el('input', { id: 'ph-own', type: 'text', autocomplete: 'off', spellcheck: 'false', enterkeyhint: 'go' });
    this.ownHead = el('select', { id: 'ph-own-head', 'aria-label': 'Head to play your sentence with' }, el('option', { value: 'all' }, 'All heads in turn'), HEAD_IDS.map((id) => el('option', { value: id }, `Head ${id}`)));
    this.ownMsg = el('div', { class: 'ph-own-msg', role: 'status' });
    const ownForm = el('form', { class: 'ph-own', 'data-control': 'own' },
      el('div', { class: 'hg-field' }, el('label', { for: 'ph-own' }, 'Or play your own five words'),
        el('div', { class: 'hg-row' }, this.ownInput, this.ownHead, el('button', { type: 'submit' }, 'Play them'))),
      this.ownMsg);
    this.body.replaceChildren(
      this.storeNotice,
      el('div', { class: 'controls ph-modes', 'data-control': 'trace' },
        el('label', { for: 'ph-mode' }, 'Mode '), this.modeSelect, el('label', { for: 'ph-layer', class: 'ph-layer-label' }, ' Layer '), this.layerSelect),
      this.heading, this.sentenceLine,
      el('label', { class: 'toggle', for: 'ph-hint', 'data-control': 'hint' }, this.hintBox, ' Show a hint (the head\'s measured label)'),
      this.hintText,
      el('p', { class: 'hint', id: 'ph-howto' }, 'For each word (row), pick the word you think this head looks at most. Arrow keys move, Enter or Space picks; or tap.'),
      this.gridWrap,
      el('div', { class: 'ph-actions' }, this.commitBtn, this.nextBtn, this.freshBtn, this.progressLine),
      this.result, ownForm, this.recordBox);
    this.hintBox.addEventListener('change', () => {
      this.state.hint = this.hintBox.checked;
      this.drawHint();
      this.emitChange();
    });
    // the mode or layer (a select arrowed through fires one change per arrow) opens at the next
    // frame, once: the first trace of a layer builds four grids, which is no work for the handler
    const reopen = () => this.inNextFrame('reopen', () => this.openPuzzle(this.puzzleSource(), true, false));
    this.modeSelect.addEventListener('change', () => {
      this.clearOwnMessage();
      this.state.mode = this.modeSelect.value;
      reopen();
    });
    this.layerSelect.addEventListener('change', () => {
      this.clearOwnMessage();
      this.state.layer = Number(this.layerSelect.value);
      reopen();
    });
    this.commitBtn.addEventListener('click', () => this.commit());
    this.nextBtn.addEventListener('click', () => {
      this.clearOwnMessage();
      this.next();
    });
    this.freshBtn.addEventListener('click', () => {
      this.clearOwnMessage();
      this.openRound(this.lastRound + 1, true);
    });
    ownForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.playOwn(false);
    });
    this.ownHead.addEventListener('change', () => {
      if (this.puzzle?.own && this.ownHead.value !== 'all') this.openPuzzle({ ...this.puzzleSource(), head: this.ownHead.value }, true, false);
    });
  }

  update() {
    if (!this.engine) return;
    this.hintBox.checked = this.state.hint;
    this.modeSelect.value = this.state.mode;
    this.layerSelect.value = String(this.state.layer);
    if (!this.loading) {
      // without the pack (a failed fetch) every round goes through the model
      this.loading = Promise.all([loadPack(PACKS.rounds).catch(() => null), loadAnalysis(), requestStore(this)]).then(([pack, analysis, store]) => {
        this.pack = pack;
        this.analysis = analysis;
        this.attachStore(store);
      });
      this.loading.catch(() => (this.loading = null));
    }
    return this.loading.then(() => this.openRequested(), (err) => this.showFatal(`The head analysis could not load: ${err.message}`));
  }

  /**
   * Runs then() once the course model is loaded (at once if it is), saying in `line` that it loads;
   * only the last request waiting runs. A failed load says so there and keeps the puzzle shown (with
   * nothing shown yet, the widget says it cannot play). Returns a promise.
   */
  needModel(then, line = this.progressLine) {
    if (this.model) return Promise.resolve(then());
    this.modelWait = then;
    line.textContent = 'Loading the course model (about 300 KiB)…';
    (this.modelLines ??= new Set()).add(line);
    if (!this.modelLoading) {
      this.modelLoading = this.engine.loadModel().then((model) => {
        this.model = model;
        this.modelLoading = null;
        for (const l of this.modelLines) l.textContent = '';
        this.modelLines.clear();
        const f = this.modelWait;
        this.modelWait = null;
        return f?.();
      }, (err) => {
        this.modelLoading = null;
        this.modelWait = null;
        this.modelLines.clear();
        const message = `The course model could not load (${err.message}). Rounds 1–${this.pack?.meta.count ?? 0} of seed ${this.pack?.meta.seed ?? '7'} still play; check the connection and try again.`;
        if (!this.puzzle) {
          // a link to a sentence or round that needs the model: play round 1 from the pack instead
          if (!this.presetRound(1)) return this.showFatal(`The course model could not load: ${err.message}`);
          this.openRound(1, false);
        }
        this.progressLine.textContent = '';
        this.ownMsg.replaceChildren();
        line.textContent = message;
      });
    }
    return this.modelLoading;
  }

  /** Round r's precomputed sentence (with its gold parse) and trace, or null (another seed, a later round). */
  presetRound(r) {
    if (!this.pack || this.state.seed !== this.pack.meta.seed) return null;
    this.presetRounds ??= new Map();
    if (!this.presetRounds.has(r)) {
      const v = this.pack.get(roundKey(this.state.seed, r));
      if (v) {
        v.trace = plainTrace(v.trace);
        (this.presetTraces ??= new Map()).set(v.sentence.words.join(' '), v.trace);
      }
      this.presetRounds.set(r, v ?? null);
    }
    return this.presetRounds.get(r);
  }

  // ------------------------------------------------------------ the record in the progress store

  attachStore(store) {
    this.store = store;
    const notices = [];
    if (store) {
      const saved = store.widgetRecord(RECORD_KEY);
      const read = saved === undefined ? emptyRecord() : readRecord(saved);
      if (saved !== undefined && !read) notices.push('Your saved game record could not be read, so it starts again.');
      this.record = read ?? emptyRecord();
      this.migrateLegacy(notices);
      store.onChange?.(() => {
        const fresh = readRecord(store.widgetRecord(RECORD_KEY));
        if (fresh) {
          this.record = fresh;
          this.drawRecord();
        }
      });
    } else notices.push('Your rounds are kept only until you leave this page (no course progress store here).');
    this.storeNotice.hidden = notices.length === 0;
    this.storeNotice.textContent = notices.join(' ');
  }

  /** Moves the old separate localStorage record (before the course store held it) into the store. */
  migrateLegacy(notices) {
    let raw = null;
    try {
      raw = globalThis.localStorage?.getItem(LEGACY_GAME_KEY) ?? null;
    } catch {
      return;
    }
    if (raw === null) return;
    const legacy = legacySummary(raw);
    if (legacy && !this.record.legacy) {
      this.record = { ...this.record, legacy, played: this.record.played + legacy.rounds };
      if (!this.saveRecord()) return;
      notices.push(`Your ${legacy.rounds} earlier round${legacy.rounds === 1 ? '' : 's'} (scored the old way, best ${legacy.best} of 5 rows) now count in your course progress.`);
    } else if (!legacy) notices.push('An old game record in this browser could not be read and was removed.');
    try {
      globalThis.localStorage.removeItem(LEGACY_GAME_KEY);
    } catch {
      /* leave it */
    }
  }

  saveRecord() {
    if (!this.store) return true;
    try {
      this.store.recordWidget(RECORD_KEY, this.record);
      return true;
    } catch (err) {
      this.storeNotice.hidden = false;
      this.storeNotice.textContent = `Your round could not be saved: ${err.message}`;
      return false;
    }
  }

  // ------------------------------------------------------------ choosing what to show

  get headsById() {
    return new Map(this.analysis.heads.map((h) => [h.id, h]));
  }

  /** Opens what the attributes ask for: an exact round (head + sentence), round r, or the next round. */
  openRequested() {
    const q = this.state.requested;
    const round = q.round || this.record.played + 1;
    if (q.sentence) {
      if (q.sentence.length !== WORDS) {
        this.setNotice([...this.propErrors, `sentence: has ${q.sentence.length} words; the game uses exactly ${WORDS}`]);
        return this.openRound(round, false);
      }
      const planned = this.plannedRound(round);
      if (planned === null) return this.needModel(() => this.openRequested());
      const parse = planned && planned.sentence.words.join(' ') === q.sentence.join(' ') ? planned.sentence : null;
      return this.openPuzzle({ words: q.sentence, head: q.head ?? planned?.head.id ?? '1-1', round: parse ? round : 0, parse, own: !parse, mask: q.mask }, false);
    }
    return this.openRound(round, false, q.head);
  }

  /**
   * Head and gold-parsed sentence of round r under the seed: precomputed (when its sentence is not
   * one to avoid), else sampled by the engine; null when that needs the model, not loaded yet.
   */
  plannedRound(r, avoid = null) {
    const plan = roundPlan(this.state.seed, r, this.analysis.heads.length);
    const head = this.analysis.heads[plan.headIndex];
    const pre = this.presetRound(r);
    if (pre && !avoid?.has(`${head.id}|${pre.sentence.words.join(' ')}`)) return { head, sentence: pre.sentence };
    if (!this.model) return null;
    return { head, sentence: sentenceFor(this.engine, head, plan.samplerSeed, avoid) };
  }

  openRound(r, committed, headOverride = null) {
    let p;
    try {
      p = this.plannedRound(r, committed ? this.seen : null);
    } catch (err) {
      this.setNotice([...this.propErrors, err.message]);
      return;
    }
    if (p === null) return this.needModel(() => this.openRound(r, committed, headOverride));
    this.lastRound = r;
    return this.openPuzzle({ words: p.sentence.words, head: headOverride ?? p.head.id, round: r, parse: headOverride ? null : p.sentence, own: false }, committed);
  }

  puzzleSource() {
    const p = this.puzzle;
    return { words: p.tokens, head: p.head.id, round: p.round, parse: p.parse, own: p.own, mask: p.masked.length > 0 };
  }

  /**
   * Sets up a puzzle: { words, head (id), round (0 = not a numbered round), parse (gold or null),
   * own, mask }. Traces it, clears the guesses and draws one grid (round) or four (trace).
   * committed: emit `change` and, with moveFocus, put focus on the first grid.
   */
  openPuzzle({ words, head, round, parse, own, mask }, committed, moveFocus = true) {
    const key = words.join(' ');
    this.traces ??= new Map();
    const known = this.traces.get(key) ?? this.presetTraces?.get(key);
    if (!known && !this.model) return this.needModel(() => this.openPuzzle({ words, head, round, parse, own, mask }, committed, moveFocus), own ? this.ownMsg : this.progressLine);
    this.modelWait = null; // a puzzle waiting for the model gives way to this one
    // (a traced sentence without the model is a precomputed round's: its words are all in the vocabulary)
    const unknown = this.model ? [...new Set(words.filter((w) => !this.model.vocab.includes(w) || w.startsWith('[')))] : known.unknown.map((i) => known.tokens[i]);
    if (unknown.length && !mask) {
      this.pendingOwn = { words, head };
      this.showUnknown(unknown);
      if (!this.puzzle) return this.openRound(round || this.record.played + 1, false);
      return;
    }
    let t;
    try {
      // the same words trace the same (a mode or layer change keeps the sentence): keep the last few
      t = this.traces.get(key) ?? this.presetTraces?.get(key);
      if (!t) {
        t = this.model.trace(words, { unknown: 'mask' });
        this.traces.set(key, t);
        if (this.traces.size > 8) this.traces.delete(this.traces.keys().next().value);
      }
    } catch (err) {
      this.setNotice([...this.propErrors, err.message]);
      return;
    }
    const info = this.headsById.get(head) ?? this.analysis.heads[0];
    this.setNotice(this.propErrors);
    this.puzzle = { head: info, tokens: [...t.tokens], labels: tokenLabels(t), masked: t.unknown.map((i) => t.tokens[i]), trace: t, round, parse, own };
    if (round) this.lastRound = round;
    if (!own) this.seen.add(`${info.id}|${t.tokens.join(' ')}`);
    this.revealed = false;
    const trace = this.state.mode === 'trace';
    const L = this.state.layer;
    this.layerSelect.hidden = !trace;
    this.body.querySelector('.ph-layer-label').hidden = !trace;
    this.heading.textContent = trace
      ? `${round ? `Round ${round}` : 'Your sentence'}: trace layer ${L} (heads ${L}-1 to ${L}-4)`
      : `${round ? `Round ${round}` : 'Your sentence'}: head ${info.id} (layer ${info.layer}, head ${info.head})`;
    // the plain words (the grid's labels number repeated words, "the 1", which reads oddly in a sentence)
    const plain = t.tokens.map((w, i) => (t.known[i] ? w : `[MASK] (${w})`));
    this.sentenceLine.replaceChildren('Sentence: ', el('strong', {}, `“${plain.join(' ')}”`),
      this.puzzle.masked.length ? el('span', { class: 'unknown' }, ` Run as [MASK]: ${this.puzzle.masked.join(', ')}.`) : '');
    const heads = trace ? this.analysis.heads.filter((h) => h.layer === L) : [info];
    // a grid already built for the same words, head and caption (a mode or layer changed back) is
    // reset instead of built again: its buttons stay in place
    this.gridCache ??= new Map();
    this.grids = heads.map((h) => {
      const caption = trace ? `Head ${h.id}: your guess` : 'Your guess: row = the word asking, column = the word it looks at most';
      const key = `${h.id}|${caption}|${this.puzzle.labels.join(' ')}`;
      let g = this.gridCache.get(key);
      if (g) g.grid.reset();
      else {
        const grid = guessGrid(this.puzzle.labels, { caption, id: h.id, onPick: () => this.drawProgress() });
        g = { grid, box: el('div', { class: 'ph-one' }, grid.table) };
        this.gridCache.set(key, g);
        if (this.gridCache.size > 12) this.gridCache.delete(this.gridCache.keys().next().value);
      }
      return { head: h, grid: g.grid, box: g.box };
    });
    this.gridWrap.classList.toggle('ph-trace', trace);
    const boxes = this.grids.map((g) => g.box);
    if (boxes.length !== this.gridWrap.children.length || boxes.some((b, i) => this.gridWrap.children[i] !== b)) this.gridWrap.replaceChildren(...boxes);
    this.commitBtn.textContent = trace ? `Reveal all ${heads.length} maps` : 'Reveal the real map';
    this.drawHint();
    this.result.hidden = true;
    this.result.replaceChildren();
    this.commitBtn.hidden = false;
    this.nextBtn.hidden = true;
    this.freshBtn.hidden = !own;
    this.drawProgress();
    this.drawRecord();
    if (committed) {
      this.emitChange();
      // a select being arrowed through keeps focus (each arrow is a change); buttons hand it to the grid
      if (moveFocus) this.grids[0].grid.focus();
    }
  }

  next() {
    const p = this.puzzle;
    if (p.own && this.state.mode === 'round') {
      const i = HEAD_IDS.indexOf(p.head.id);
      this.openPuzzle({ ...this.puzzleSource(), head: HEAD_IDS[(i + 1) % HEAD_IDS.length] }, true);
    } else this.openRound((this.lastRound ?? 0) + 1, true);
  }

  // ------------------------------------------------------------ your own sentence

  playOwn(mask) {
    if (!this.analysis) return;
    const { words, removed } = cleanSentence(this.ownInput.value);
    const notes = removed.length ? [removedNotice(removed)] : [];
    if (words.length !== WORDS) {
      this.ownMsg.replaceChildren(el('p', {}, ...notes.map((n) => `${n} `), `Type exactly ${WORDS} words; that has ${words.length}.`));
      return;
    }
    // your words are checked against the model's vocabulary: load it first
    if (!this.model) return this.needModel(() => this.playOwn(mask), this.ownMsg);
    const start = this.ownHead.value === 'all' ? (this.puzzle?.head.id ?? '1-1') : this.ownHead.value;
    this.ownMsg.replaceChildren(...notes.map((n) => el('p', {}, n)));
    this.openPuzzle({ words, head: start, round: 0, parse: null, own: true, mask }, true);
  }

  /** Drops the own-sentence message (a notice or the unknown-word list) once the learner moves on. */
  clearOwnMessage() {
    this.ownMsg.replaceChildren();
    this.pendingOwn = null;
  }

  showUnknown(unknown) {
    const vocab = this.model.vocab;
    const items = unknown.map((w) => {
      const near = suggestions(w, vocab);
      const buttons = near.map((s) => {
        const b = el('button', { type: 'button', class: 'ph-suggest' }, s);
        b.addEventListener('click', () => {
          const words = this.pendingOwn.words.map((x) => (x === w ? s : x));
          this.ownInput.value = words.join(' ');
          this.pendingOwn.words = words;
          this.playOwn(false);
        });
        return b;
      });
      return el('li', {}, `“${w}”: not in the model's vocabulary. `, near.length ? 'Did you mean ' : '', ...buttons.flatMap((b, i) => (i ? [' ', b] : [b])), near.length ? '?' : '');
    });
    const mask = el('button', { type: 'button', class: 'ph-mask' }, `Run ${unknown.length === 1 ? 'it' : 'them'} as [MASK]`);
    mask.addEventListener('click', () => {
      const { words, head } = this.pendingOwn;
      this.ownMsg.replaceChildren();
      this.openPuzzle({ words, head, round: 0, parse: null, own: true, mask: true }, true);
    });
    const shown = this.puzzle ? ` The grid still shows “${this.puzzle.tokens.join(' ')}”.` : '';
    this.ownMsg.replaceChildren(el('p', {}, el('strong', {}, 'Your sentence is not in play yet: the model only knows the words of the course grammar. '),
      `Pick a suggestion or run the unknown word${unknown.length === 1 ? '' : 's'} as [MASK] to play it.${shown}`),
      el('ul', { class: 'ph-unknown' }, items), mask);
  }

  // ------------------------------------------------------------ guessing and revealing

  drawHint() {
    const p = this.puzzle;
    if (!p) return;
    const show = this.state.hint || this.revealed;
    this.hintText.hidden = !show;
    const heads = this.grids?.map((g) => g.head) ?? [p.head];
    this.hintText.replaceChildren(...(show ? heads.map((h) => el('p', {}, el('strong', {}, `Head ${h.id}, measured label: ${h.label}. `), describeHead(h))) : []));
  }

  drawProgress() {
    const total = this.grids.reduce((s, g) => s + g.grid.guess.length, 0);
    const done = this.grids.reduce((s, g) => s + g.grid.guess.filter((x) => x !== null).length, 0);
    this.progressLine.textContent = this.revealed ? '' : `${done} of ${total} rows guessed.`;
  }

  /** Scores every grid against its head's real map, saves the rounds and shows the result. */
  commit() {
    if (this.revealed) return;
    const open = this.grids.map(({ head, grid }) => [head, grid.missing()]).filter(([, m]) => m.length);
    if (open.length) {
      this.progressLine.textContent = `Pick a word for every row first (still open: ${open.map(([h, m]) => `${this.grids.length > 1 ? `head ${h.id} ` : ''}row${m.length > 1 ? 's' : ''} ${m.join(', ')}`).join('; ')}).`;
      return;
    }
    const p = this.puzzle;
    const results = this.grids.map(({ head, grid }) => {
      const weights = p.trace.attention[head.layer - 1][head.head - 1];
      return { head, grid, weights, s: scoreRound({ head, weights, guess: grid.guess, parse: p.parse }) };
    });
    for (const r of results) this.record = addRound(this.record, r.head.id, r.s);
    if (this.state.mode === 'trace') this.record = addTrace(this.record);
    this.saveRecord();
    this.revealed = true;
    for (const { grid } of results) grid.lock();
    this.drawHint();
    this.drawResult(results);
    this.commitBtn.hidden = true;
    this.nextBtn.hidden = false;
    this.nextBtn.textContent = p.own && this.state.mode === 'round' ? 'Next head' : 'Next round';
    this.drawProgress();
    this.drawRecord();
    for (const r of results)
      this.emit('commit', { round: p.round, head: r.head.id, sentence: p.tokens.join(' '), guess: [...r.grid.guess], score: { ...r.s, labelTargets: undefined } });
    this.nextBtn.focus();
  }

  drawResult(results) {
    const p = this.puzzle;
    const n = p.tokens.length;
    const blocks = results.map(({ head, grid, weights, s }) => {
      const tops = weights.map((row) => argmax(row));
      const table = matrixTable(weights, { caption: `Head ${head.id}: the real attention weights (row = query)`, rowLabels: p.labels, colLabels: p.labels, className: 'ph-real', scale: 1 });
      table.cells.forEach((row, i) => {
        row[tops[i]].classList.add('ph-top');
        row[tops[i]].append(el('span', { class: 'ph-mark' }, ' ★'));
        if (grid.guess[i] !== tops[i]) row[grid.guess[i]].classList.add('ph-miss');
      });
      const rows = p.labels.map((w, i) => el('li', { class: grid.guess[i] === tops[i] ? 'right' : 'wrong' },
        `${i + 1} ${w}: you said ${p.labels[grid.guess[i]]}, which gets ${fmt(weights[i][grid.guess[i]], 2)}; the largest weight is on ${p.labels[tops[i]]} (${fmt(weights[i][tops[i]], 2)}).`));
      const verdict = s.learner > s.offset ? 'You beat the fixed offset.' : s.learner === s.offset ? 'You tied the fixed offset.' : 'The fixed offset did better this time.';
      return el('div', { class: 'ph-head-result', 'data-head': head.id },
        el('p', { class: 'ph-score' }, el('strong', {}, `Head ${head.id}: you scored ${two(s.learner)} of ${n}.`), ` ${verdict}`),
        this.baselineTable(head, s, n),
        el('div', { class: 'ph-real-wrap' }, mapSvg(weights, { labels: p.labels, className: 'map big' }),
          el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': `Real attention weights of head ${head.id}` }, table.table)),
        el('ul', { class: 'ph-rows' }, rows),
        this.explain(head, s));
    });
    this.result.hidden = false;
    this.result.replaceChildren(
      el('p', { class: 'hint' }, `A row scores the weight the head really puts on the word you picked, so a round scores 0 to ${n} and a near-tie costs almost nothing. ★ marks each row's largest weight; a dashed cell is a pick that was not the largest.`),
      ...blocks,
      this.state.mode === 'trace' ? this.routing() : '');
    this.applyHide();
  }

  /** The round's score beside the three strategies fixed before it. */
  baselineTable(head, s, n) {
    const rows = [
      ['You', s.learner],
      ['Chance (1 in 5 per row)', s.chance],
      [`Fixed offset: ${OFFSET_NAMES[s.offsetKey]}`, s.offset],
      ['Follow the label', s.label],
    ];
    return el('div', { class: 'ph-baselines-wrap' },
      el('table', { class: 'ph-baselines' },
        el('caption', {}, `Scores on this round (out of ${n})`),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Strategy'), el('th', { scope: 'col' }, 'Score'))),
        el('tbody', {}, rows.map(([name, v]) => el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, v === null ? 'n/a (your own sentence has no gold parse)' : two(v)))))),
      el('p', { class: 'hint' }, `The fixed offset is head ${head.id}'s most common position over ${this.analysis.sentences} held-out sentences, chosen before any round.`));
  }

  /** After the reveal: what the label says and why a mixed or broad head is hard. */
  explain(head, s) {
    const kind = labelKind(head.label);
    const p = this.puzzle;
    const parts = [el('strong', {}, `Head ${head.id} (“${head.label}”): `), describeHead(head), ' ', describeRelation(head)];
    if (kind === 'relation') {
      const rows = relationRows(head, p.parse);
      if (rows.length) parts.push(` In this sentence the label speaks about row${rows.length > 1 ? 's' : ''} ${rows.map((i) => `${i + 1} ${p.labels[i]}`).join(', ')}; on the other rows the label says nothing, so "follow the label" used the fixed offset there.`);
      parts.push(' Relation scores in the analysis leave out attention to the word itself; the map and this game count it.');
    } else if (kind === 'mixed' || kind === 'broad') {
      parts.push(kind === 'broad'
        ? ' This head spreads its weight, so no pick scores much on any row: even a perfect model of it earns little, and chance is close to the best anyone can do.'
        : ' This head has no single measured pattern, so nobody can call it reliably from the sentence alone; beating chance here is already a good result.');
    }
    return el('p', { class: 'ph-explain' }, ...parts);
  }

  /** Routing view: the strongest link from each word down through layers 3, 2 and 1. */
  routing() {
    const p = this.puzzle;
    const paths = strongestPaths(p.trace.attention);
    const L = p.trace.attention.length;
    const table = el('table', { class: 'matrix ph-routing' },
      el('caption', {}, `Where each word's strongest link leads, from layer ${L} down to layer 1`),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Word'), [...Array(L).keys()].map((k) => el('th', { scope: 'col' }, `Layer ${L - k}`)))),
      el('tbody', {}, paths.map((path, i) => el('tr', {}, el('th', { scope: 'row' }, `${i + 1} ${p.labels[i]}`),
        path.map((step) => el('td', {}, `→ ${step.to + 1} ${p.labels[step.to]}`, el('span', { class: 'ph-via' }, ` (head ${step.layer}-${step.head}, ${fmt(step.weight, 2)})`)))))));
    return el('section', { class: 'ph-route', 'aria-label': 'Routing through the layers' },
      el('h4', {}, 'Routing: where did each word\'s information come from?'),
      el('p', {}, 'Method: follow the strongest link. For each word, take the single largest weight over all four heads of layer 3; from the word it points at, the largest over layer 2; then layer 1.'),
      el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Routing table' }, table),
      el('p', { class: 'hint' }, 'Limits: it keeps one link per step and drops every other weight; it ignores the residual connection, through which each position also keeps its own information; and it reads weights, not how much the values moved the output. Attention rollout (Abnar and Zuidema, 2020) instead combines the whole maps of every layer; it is still an estimate of where information flows, not a measure of what the model used.'));
  }

  // ------------------------------------------------------------ the record

  drawRecord() {
    const rec = this.record;
    // the record is replaced, never changed in place: the same object is already drawn
    if (rec === this.drawnRecord) return;
    this.drawnRecord = rec;
    const a = averages(rec);
    const legacy = rec.legacy ? ` (including ${rec.legacy.rounds} from before the course saved them)` : '';
    if (!a.count) {
      this.recordBox.replaceChildren(el('p', { class: 'ph-record-line' }, `Rounds played: ${rec.played}${legacy}. Your average and a chart will appear here.`));
      return;
    }
    const last = rec.rounds.slice(-30);
    const chart = this.chart(last);
    this.recordBox.replaceChildren(
      el('p', { class: 'ph-record-line' }, `Rounds played: ${rec.played}${legacy}. Average of your last ${a.count}: you ${two(a.you)} · fixed offset ${two(a.offset)} · follow the label ${two(a.label)}${a.labelCount < a.count ? ` (on ${a.labelCount})` : ''} · chance 1.00.`),
      chart,
      el('details', { class: 'ph-record-table' }, el('summary', {}, 'Table view of the chart'),
        el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Recent rounds' },
          el('table', { class: 'matrix' }, el('thead', {}, el('tr', {}, ['Round', 'Head', 'You', 'Fixed offset', 'Follow the label', 'Chance'].map((h) => el('th', { scope: 'col' }, h)))),
            el('tbody', {}, last.map((r, i) => el('tr', {}, el('td', {}, String(rec.played - last.length + i + 1)), el('td', {}, r[0]), el('td', {}, two(r[1])), el('td', {}, two(r[2])), el('td', {}, two(r[3])), el('td', {}, '1.00'))))))));
  }

  /** A small line chart of the last rounds: you vs the fixed offset, follow the label and chance. */
  chart(rounds) {
    const NS = 'http://www.w3.org/2000/svg';
    const W = 300, H = 100, n = rounds.length;
    const x = (i) => (n === 1 ? W / 2 : 8 + (i * (W - 16)) / (n - 1));
    const y = (v) => H - 6 - (v / WORDS) * (H - 12);
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('class', 'ph-chart');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Chart of your recent rounds against the fixed offset, follow the label and chance; the table view below has the numbers.');
    const line = (values, cls) => {
      const pts = values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean);
      const e = document.createElementNS(NS, pts.length > 1 ? 'polyline' : 'circle');
      if (pts.length > 1) e.setAttribute('points', pts.join(' '));
      else if (pts.length === 1) {
        const [cx, cy] = pts[0].split(',');
        Object.entries({ cx, cy, r: 3 }).forEach(([k, v]) => e.setAttribute(k, v));
      }
      e.setAttribute('class', cls);
      svg.append(e);
    };
    // your thick line goes first, so a strategy that ties you stays visible as dashes on top of it
    line(rounds.map(() => 1), 'chance');
    line(rounds.map((r) => r[1]), 'you');
    line(rounds.map((r) => r[2]), 'offset');
    line(rounds.map((r) => r[3]), 'label');
    const legend = el('p', { class: 'ph-legend' },
      el('span', { class: 'you' }, '━ you'), ' ', el('span', { class: 'offset' }, '╍ fixed offset'), ' ',
      el('span', { class: 'label' }, '┉ follow the label'), ' ', el('span', { class: 'chance' }, '─ chance'), ` (last ${n} rounds, 0 to ${WORDS})`);
    return el('div', { class: 'ph-chart-wrap' }, svg, legend);
  }

  emitChange() {
    const p = this.puzzle;
    this.emit('change', { seed: this.state.seed, round: p?.round ?? 0, head: p?.head.id, sentence: p ? p.tokens.join(' ') : '', hint: this.state.hint, mode: this.state.mode, layer: this.state.layer });
  }
}
