/**
 * <attn-pipeline>: the whole of self-attention for one short sentence, one named stage at a time.
 *
 *   1 Embed    tokens -> X (n x 8 named features, optionally plus sinusoidal positions)
 *   2 Project  Q = X·W_Q, K = X·W_K, V = X·W_V (the selected head's columns)
 *   3 Scores   scores = Q·Kᵀ
 *   4 Scale    scaled = scores / √dₖ
 *   5 Mask     −∞ above the diagonal when causal; otherwise nothing is hidden
 *   6 Softmax  weights = softmax of each row
 *   7 Output   output = weights·V (per head; with several heads also concat and ·W_O)
 *
 * Attributes (declared in `props` below): sentence, seed, heads, head, step, causal, positions.
 * Numbering is 1-based everywhere a learner sees it: the stage labels, the `step` and `head`
 * attributes (and so deep links) and the quiz checks' arguments. Inside, the state, the `data-step`
 * of the stepper buttons and the stage, and the `change` event count from 0.
 * Every number comes from one engine.trace() call per scenario (recomputed only when the
 * sentence, seed, heads, causal or positions change); this file only lays the trace out.
 * Controls: Previous / Next, a stepper (ordered list of the 7 stage names, aria-current="step"),
 * Left/Right or Page Up/Page Down (Home/End) while the widget has focus, a head selector when
 * heads > 1, a causal-mask toggle. The previous stage's output stays visible, smaller and untinted.
 * Events: `change` with detail { step, stage, head, causal } on every step, head or mask change
 * (step and head 0-based like the state: step 0 is the stage 'embed', which `stage` names).
 * Controls `hide` can hide: causal (the mask toggle), head (the head menu), stepper (the 7 stage
 * buttons), nav (Previous / Next); the keys keep working.
 */
import { WidgetBase, el, fmt } from './base.js';
import { matrixTable } from './matrix-table.js';

const STAGES = [
  { id: 'embed', name: 'Embed', shows: ['X'] },
  { id: 'project', name: 'Project', shows: ['Q', 'K', 'V'] },
  { id: 'scores', name: 'Scores', shows: ['scores'] },
  { id: 'scale', name: 'Scale', shows: ['scaled'] },
  { id: 'mask', name: 'Mask', shows: ['masked'] },
  { id: 'softmax', name: 'Softmax', shows: ['weights'] },
  { id: 'output', name: 'Output', shows: ['output'] },
];
const MATRICES = STAGES.flatMap((s) => s.shows);
const LAST = STAGES.length - 1; // the state counts stages from 0
const SOFTMAX = STAGES.findIndex((s) => s.id === 'softmax');

export class Pipeline extends WidgetBase {
  static tag = 'attn-pipeline';
  static styles = ['pipeline.css'];
  static props = [
    { name: 'sentence', type: 'tokens', maxTokens: 8, default: ['the', 'cat', 'chased', 'the', 'mouse'],
      description: 'The sentence, 1-8 words separated by spaces.' },
    { name: 'seed', type: 'integer', min: 0, max: 2147483647, default: 7,
      description: 'Seed that draws the weights W_Q, W_K, W_V and W_O.' },
    { name: 'heads', type: 'integer', min: 1, max: 8, default: 1,
      description: 'Number of heads h; must divide d_model = 8 (1, 2, 4 or 8).' },
    { name: 'head', type: 'integer', min: 1, max: 8, default: 1, description: 'Which head to show first (1 = the first).' },
    { name: 'step', type: 'integer', min: 1, max: STAGES.length, default: 1,
      description: 'Stage shown first, counted from 1: 1 embed, 2 project, 3 scores, 4 scale, 5 mask, 6 softmax, 7 output.' },
    { name: 'causal', type: 'boolean', default: false,
      description: 'Start with the causal mask on (each token sees only itself and earlier tokens).' },
    { name: 'positions', type: 'enum', values: ['none', 'sinusoidal'], default: 'none',
      description: 'Add sinusoidal position vectors to the embeddings.' },
  ];
  static controls = ['causal', 'head', 'stepper', 'nav'];

  static checks = {
    'reached-step': {
      description: 'The widget is showing stage `step` (counted from 1 like the step attribute: 1 embed, 2 project, 3 scores, 4 scale, 5 mask, 6 softmax, 7 output).',
      args: [{ name: 'step', type: 'integer', min: 1, max: STAGES.length, description: 'The stage to be on, counted from 1.' }],
      run(w, { step }) {
        const now = w.state.step;
        const ok = now === step - 1;
        // A wrong try does not name the step asked for: a question may ask the learner to find it.
        return { correct: ok, message: ok
          ? `You are on step ${step} of 7, ${STAGES[now].name}.`
          : `The widget shows step ${now + 1} of 7 (${STAGES[now].name}), which is not the step asked for. Step through and check again.` };
      },
    },
    'stage-shows': {
      description: 'The stage on screen produces the named matrix (X, Q, K, V, scores, scaled, masked, weights or output).',
      args: [{ name: 'matrix', type: 'enum', values: MATRICES, description: 'The matrix the current stage must produce.' }],
      run(w, { matrix }) {
        const now = STAGES[w.state.step];
        const ok = now.shows.includes(matrix);
        // A wrong try says what this step makes, never which step makes the matrix asked for.
        return { correct: ok, message: ok
          ? `Step ${w.state.step + 1} (${now.name}) produces ${matrix}.`
          : `Step ${w.state.step + 1} (${now.name}) produces ${now.shows.join(', ')}, not ${matrix}. Step through and look for the stage that makes ${matrix}.` };
      },
    },
    'causal-on': {
      description: 'The causal mask toggle is on.',
      args: [],
      run: (w) => ({ correct: w.state.causal, message: w.state.causal
        ? 'The causal mask is on: each token sees only itself and the tokens before it.'
        : 'The “Causal mask” toggle is still off.' }),
    },
    'causal-weights': {
      description: 'The causal mask is on and the Softmax stage is showing (zero weights above the diagonal).',
      args: [],
      run(w) {
        const { causal, step } = w.state;
        if (!causal) return { correct: false, message: 'The “Causal mask” toggle is still off.' };
        if (step !== SOFTMAX) return { correct: false, message: `The mask is on, but step ${step + 1} (${STAGES[step].name}) produces ${STAGES[step].shows.join(', ')}, not the weights. Step through and look for the stage that makes the weights.` };
        return { correct: true, message: 'Causal mask on and the weights on screen: every cell above the diagonal is 0.00.' };
      },
    },
    'head-selected': {
      description: 'The head selector shows head `head` (counted from 1 like the head attribute).',
      args: [{ name: 'head', type: 'integer', min: 1, max: 8, description: 'The head to be selected, counted from 1.' }],
      run(w, { head }) {
        const ok = w.state.head === head - 1;
        return { correct: ok, message: ok ? `Head ${head} is selected.`
          : `Head ${w.state.head + 1} is selected, which is not the head asked for. Pick another head and check again.` };
      },
    },
  };

  /** Moved to another place in the page (e.g. by a blog's script): keep the learner's place and redraw. */
  connectedCallback() {
    const kept = this.engine && this.state ? { ...this.state } : null;
    super.connectedCallback();
    if (kept) {
      this.state = kept;
      this.update();
    }
  }

  readProps() {
    super.readProps();
    const { head, step, causal } = this.values;
    // Attributes count from 1 (what a learner reads in a deep link); the state counts from 0.
    this.state = { head: head - 1, step: step - 1, causal };
  }

  /** The live state in props terms: what the engine ran (after any fallback), the stage, head and mask. */
  currentValues() {
    const v = { ...this.values };
    if (this.state) Object.assign(v, { head: this.state.head + 1, step: this.state.step + 1, causal: this.state.causal });
    const t = this.trace;
    if (t) Object.assign(v, { sentence: [...t.tokens], seed: t.seed, heads: t.heads, positions: t.positions });
    return v;
  }

  setup() {
    this.body.tabIndex = -1; // a click anywhere inside gives the widget focus, so the arrow keys work
    this.causalBox = el('input', { type: 'checkbox', id: 'causal' });
    this.headSelect = el('select', { id: 'head' });
    this.headLabel = el('label', { class: 'head-pick' }, 'Head ', this.headSelect);
    this.summary = el('p', { class: 'sentence' });
    this.stepButtons = STAGES.map((s, i) => el('button', { type: 'button', 'data-step': i },
      el('span', { class: 'num', 'aria-hidden': 'true' }, String(i + 1)),
      el('span', { class: 'name' }, el('span', { class: 'visually-hidden' }, `Step ${i + 1}: `), s.name)));
    this.stepper = el('ol', { class: 'stepper', 'aria-label': 'Stages of self-attention', 'data-control': 'stepper' },
      this.stepButtons.map((b) => el('li', {}, b)));
    this.prevButton = el('button', { type: 'button', class: 'nav-prev' }, el('span', { 'aria-hidden': 'true' }, '← '), 'Previous');
    this.nextButton = el('button', { type: 'button', class: 'nav-next' }, 'Next', el('span', { 'aria-hidden': 'true' }, ' →'));
    this.status = el('p', { class: 'status', 'aria-live': 'polite' });
    this.stage = el('section', { class: 'stage', tabindex: '0', 'aria-labelledby': 'stage-title', 'aria-describedby': 'keys-hint' });
    this.body.replaceChildren(
      el('p', { class: 'title' }, 'Self-attention, one step at a time'),
      this.summary,
      el('div', { class: 'controls' },
        el('label', { class: 'toggle', 'data-control': 'causal' }, this.causalBox, ' Causal mask (no peeking at later words)'),
        el('span', { class: 'head-slot', 'data-control': 'head' }, this.headLabel)),
      this.stepper,
      el('div', { class: 'nav', 'data-control': 'nav' }, this.prevButton, this.status, this.nextButton),
      this.stage,
      el('p', { class: 'hint', id: 'keys-hint' }, 'Keys: ← → or Page Up / Page Down step through the stages while the widget has focus; Home and End jump to the first and last.'));

    this.stepButtons.forEach((b, i) => b.addEventListener('click', () => this.go(i)));
    this.prevButton.addEventListener('click', () => this.go(this.state.step - 1));
    this.nextButton.addEventListener('click', () => this.go(this.state.step + 1));
    this.causalBox.addEventListener('change', () => {
      this.state.causal = this.causalBox.checked;
      this.update(true);
    });
    this.headSelect.addEventListener('change', () => {
      this.state.head = Number(this.headSelect.value);
      this.draw();
      this.emitChange();
    });
    this.body.addEventListener('keydown', (e) => this.onKey(e));
    // Scroll boxes that really overflow become focusable (keyboard scrolling) and named regions;
    // when the widget's width changes, the flow picks side-by-side or stacked again.
    if (typeof ResizeObserver !== 'undefined') {
      this.resizer = new ResizeObserver((entries) => {
        for (const { target } of entries) markScrollable(target);
      });
      let width = 0;
      new ResizeObserver(() => {
        if (this.stage.clientWidth === width) return;
        width = this.stage.clientWidth;
        this.layoutFlow();
      }).observe(this.stage);
    }
  }

  /**
   * Previous output and new output sit side by side when both fit at their natural width, else
   * they stack (previous above, arrow pointing down). Pure layout: widths of rendered tables.
   */
  layoutFlow() {
    const flow = this.stage.querySelector('.flow');
    if (!flow || !flow.isConnected || flow.clientWidth === 0) return;
    const gap = 12, arrow = 40;
    const widths = (sel) => [...flow.querySelectorAll(sel)].map((n) => n.offsetWidth);
    const from = widths('.from table, .from .tokens li');
    const fromW = from.reduce((a, b) => a + b, 0) + gap * Math.max(0, from.length - 1);
    const toW = Math.max(0, ...widths('.to table'));
    flow.classList.toggle('stacked', fromW + arrow + toW + 2 * gap > flow.clientWidth);
    this.stage.querySelectorAll('.mbox').forEach(markScrollable);
  }

  /** The scenario from the attributes and the live toggle. */
  scenario() {
    const v = this.values;
    return { tokens: v.sentence, seed: v.seed, heads: v.heads, causal: this.state.causal, positions: v.positions };
  }

  /**
   * One engine.trace() per distinct scenario. On an engine error (e.g. heads not dividing 8) the
   * message goes into `notes` and the widget falls back to one head, then to all defaults.
   */
  computeTrace(notes) {
    const want = this.scenario();
    const key = JSON.stringify(want);
    if (this.cache?.key === key) {
      notes.push(...this.cache.notes);
      return this.cache.trace;
    }
    const defaults = Object.fromEntries(Pipeline.props.map((p) => [p.name, p.default]));
    const tries = [want, { ...want, heads: defaults.heads },
      { tokens: defaults.sentence, seed: defaults.seed, heads: defaults.heads, causal: want.causal, positions: defaults.positions }];
    const mine = [];
    let trace = null;
    for (const s of tries) {
      try {
        trace = this.engine.trace(s);
        break;
      } catch (err) {
        if (!mine.includes(err.message)) mine.push(err.message);
      }
    }
    this.cache = { key, trace, notes: mine };
    notes.push(...mine);
    return trace;
  }

  update(committed = false) {
    if (!this.engine) return;
    const notes = [];
    const t = this.computeTrace(notes);
    if (!t) {
      this.showFatal(`The attention engine could not run this scenario: ${notes.join('; ')}`);
      return;
    }
    if (this.state.head >= t.heads) {
      notes.push(`head: ${this.state.head + 1} is more than heads = ${t.heads}; showing head 1`);
      this.state.head = 0;
    }
    this.setNotice([...this.propErrors, ...notes]);
    this.trace = t;
    this.draw();
    if (committed) this.emitChange();
  }

  emitChange() {
    const { step, head, causal } = this.state;
    this.emit('change', { step, stage: STAGES[step].id, head, causal });
  }

  /** Moves to stage `step` (clamped); redraws and emits `change` when it really moved. */
  go(step, focusStepper = false) {
    const to = Math.max(0, Math.min(LAST, step));
    if (to === this.state.step || !this.trace) return;
    this.state.step = to;
    this.draw();
    if (focusStepper) this.stepButtons[to].focus();
    this.emitChange();
  }

  onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const target = e.composedPath()[0];
    if (target?.closest?.('select')) return; // arrows belong to the head selector there
    const inBox = target?.closest?.('.mbox');
    const moves = { ArrowLeft: -1, ArrowRight: 1, PageUp: -1, PageDown: 1 };
    let to;
    if (e.key in moves) {
      if (inBox && e.key.startsWith('Arrow')) return; // arrows scroll a wide matrix's own box
      to = this.state.step + moves[e.key];
    } else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = LAST;
    else return;
    e.preventDefault();
    this.go(to, Boolean(target?.closest?.('.stepper')));
  }

  /** Token labels for rows and columns; repeated words get their 1-based position. */
  labels() {
    const words = this.trace.tokens;
    return words.map((w, i) => (words.indexOf(w) !== words.lastIndexOf(w) ? `${w} ${i + 1}` : w));
  }

  draw() {
    const t = this.trace, s = this.state;
    const unknown = t.tokens.filter((_, i) => !t.known[i]);
    this.summary.replaceChildren(
      el('span', { class: 'words' }, `“${t.tokens.join(' ')}”`),
      el('span', {}, ` · ${t.n} token${t.n > 1 ? 's' : ''} · d_model ${t.d_model} · ${t.heads} head${t.heads > 1 ? 's' : ''} · dₖ ${t.d_k}${t.positions === 'sinusoidal' ? ' · sinusoidal positions' : ''}`),
      unknown.length ? el('span', { class: 'unknown' }, ` · not in the vocabulary (seeded random vectors): ${unknown.join(', ')}`) : '');

    this.causalBox.checked = s.causal;
    this.headLabel.hidden = t.heads === 1;
    if (this.headSelect.options.length !== t.heads)
      this.headSelect.replaceChildren(...t.per_head.map((_, i) => el('option', { value: i }, `${i + 1} of ${t.heads}`)));
    this.headSelect.value = String(s.head);

    this.stepButtons.forEach((b, i) => {
      if (i === s.step) b.setAttribute('aria-current', 'step');
      else b.removeAttribute('aria-current');
      b.classList.toggle('done', i < s.step);
    });
    this.prevButton.setAttribute('aria-disabled', String(s.step === 0));
    this.nextButton.setAttribute('aria-disabled', String(s.step === LAST));
    this.status.textContent = `Step ${s.step + 1} of 7: ${STAGES[s.step].name}`;
    this.drawStage();
  }

  /** A matrix with its visible label (kept outside the scroll box) and a table caption for screen readers. */
  matrix(name, rows, { label, rowLabels, colLabels, role = 'now' }) {
    const caption = `${label} (${rows.length} × ${rows[0].length})`;
    const wide = rows[0].length > 6 ? ' wide' : '';
    const { table } = matrixTable(rows, { caption, rowLabels, colLabels, className: role + wide,
      ...(role === 'prev' ? { scale: Infinity } : {}) }); // earlier stages: untinted, smaller
    table.dataset.matrix = name;
    table.dataset.role = role;
    const box = el('div', { class: 'mbox', 'data-label': caption }, table);
    return el('div', { class: `mat ${role}` }, el('p', { class: 'mcap', 'aria-hidden': 'true' }, caption), box);
  }

  /**
   * Shows the current stage. A stage's elements depend only on the trace, the step and the head, so
   * each is built once and kept: a step click puts the kept elements back. After a stage is shown,
   * the other stages of the same head are built while the page is idle, so a first click on them
   * does not build seven tables inside its handler either.
   */
  drawStage() {
    const s = this.state;
    const nodes = this.stageNodes(s.step, s.head);
    this.resizer?.disconnect();
    this.stage.dataset.step = String(s.step);
    this.stage.replaceChildren(...nodes);
    // Measured in the next animation frame (before it paints), not inside the input's handler:
    // reading widths right after the swap forced a layout per step click, and several clicks
    // within one frame need only one.
    this.inNextFrame('layout', () => this.layoutFlow());
    this.stage.querySelectorAll('.mbox').forEach((b) => this.resizer?.observe(b));
    this.prebuildStages();
  }

  /** The elements of stage `step` for head `head` of the current trace, built on first use. */
  stageNodes(step, head) {
    if (this.stageCache?.trace !== this.trace) this.stageCache = { trace: this.trace, nodes: new Map() };
    const key = `${step}:${head}`;
    let nodes = this.stageCache.nodes.get(key);
    if (!nodes) {
      nodes = this.buildStage(step, head);
      this.stageCache.nodes.set(key, nodes);
    }
    return nodes;
  }

  /** Builds the stages of the head shown not built yet, one per idle slice. */
  prebuildStages() {
    if (this.prebuilding) return;
    this.prebuilding = true;
    const idle = globalThis.requestIdleCallback ?? ((f) => setTimeout(() => f({ timeRemaining: () => 10 }), 50));
    const work = (deadline) => {
      if (!this.isConnected || !this.trace) {
        this.prebuilding = false;
        return;
      }
      for (let step = 0; step <= LAST; step++) {
        if (this.stageCache.trace === this.trace && this.stageCache.nodes.has(`${step}:${this.state.head}`)) continue;
        if (deadline.timeRemaining() < 10) {
          idle(work);
          return;
        }
        this.stageNodes(step, this.state.head);
      }
      this.prebuilding = false;
    };
    idle(work);
  }

  /** Builds stage `step` for head `head`: title, formula, one-sentence explanation, previous output -> new output. */
  buildStage(step, head) {
    const t = this.trace, s = { step, head }, h = t.per_head[s.head];
    const L = this.labels();
    const multi = t.heads > 1;
    const first = s.head * t.d_k; // this head's columns in Q, K, V and concat (0-based)
    const headCols = Array.from({ length: t.d_k }, (_, m) => String(first + m + 1));
    const allCols = Array.from({ length: t.d_model }, (_, m) => String(m + 1));
    const colRange = `columns ${first + 1}–${first + t.d_k}`;
    const tag = multi ? `, head ${s.head + 1}` : '';
    const tokRows = { rowLabels: L, colLabels: L };
    const perHead = { rowLabels: L, colLabels: headCols };
    const lastRow = t.n - 1;
    const q = (label, rows, extra) => this.matrix(label, rows, extra);

    let formula, explain, example = null, prev = [], prevFrom = null, now = [], more = [];
    switch (s.step) {
      case 0: {
        const features = t.features ?? allCols;
        formula = t.positions === 'sinusoidal' ? 'X = embed(tokens) + positions' : 'X = embed(tokens)';
        explain = `Each word becomes one row of X with ${t.d_model} hand-made features (${features.join(', ')})`
          + (t.positions === 'sinusoidal' ? ', plus a sinusoidal position vector so word order is visible.' : '; nothing here tells the rows apart by position.');
        prevFrom = 'The words';
        prev = [el('ol', { class: 'tokens' }, t.tokens.map((w, i) => el('li', {}, el('span', { class: 'tok-i' }, `${i + 1}`), ` ${w}`)))];
        now = [q('X', t.X, { label: t.positions === 'sinusoidal' ? 'X = embedding + position' : 'X', rowLabels: L, colLabels: features })];
        if (unknownCount(t)) example = 'Words outside the small vocabulary get a seeded vector of random tenths.';
        break;
      }
      case 1: {
        formula = 'Q = X·W_Q,  K = X·W_K,  V = X·W_V';
        explain = 'The same X is multiplied by three weight matrices: a row of Q says what that word is looking for, a row of K what it can be found by, and a row of V what it hands over'
          + (multi ? `; head ${s.head + 1} keeps ${colRange} of each product, its own projection of the full X (not a slice of X).` : '.');
        prevFrom = 'From step 1';
        prev = [q('X', t.X, { label: 'X', rowLabels: L, colLabels: t.features ?? allCols, role: 'prev' })];
        now = [q('Q', h.Q, { label: `Q${tag}`, ...perHead }), q('K', h.K, { label: `K${tag}`, ...perHead }), q('V', h.V, { label: `V${tag}`, ...perHead })];
        const slice = (W) => W.map((row) => row.slice(first, first + t.d_k));
        more = [el('details', { class: 'weights' },
          el('summary', {}, `Show the weights W_Q, W_K, W_V${multi ? ` (${colRange})` : ''}`),
          el('div', { class: 'now-row' },
            q('W_Q', slice(t.weights.W_q), { label: `W_Q${multi ? `, ${colRange}` : ''}`, rowLabels: allCols, colLabels: headCols }),
            q('W_K', slice(t.weights.W_k), { label: `W_K${multi ? `, ${colRange}` : ''}`, rowLabels: allCols, colLabels: headCols }),
            q('W_V', slice(t.weights.W_v), { label: `W_V${multi ? `, ${colRange}` : ''}`, rowLabels: allCols, colLabels: headCols })))];
        break;
      }
      case 2:
        formula = 'scores = Q·Kᵀ';
        explain = 'Every query row is dotted with every key row: the cell in row i, column j says how well word i’s question matches word j’s key.';
        example = `For example, scores[${L[lastRow]}, ${L[0]}] = q(${L[lastRow]})·k(${L[0]}) = ${fmt(h.scores[lastRow][0])}.`;
        prevFrom = 'From step 2';
        prev = [q('Q', h.Q, { label: `Q${tag}`, ...perHead, role: 'prev' }), q('K', h.K, { label: `K${tag}`, ...perHead, role: 'prev' })];
        now = [q('scores', h.scores, { label: 'scores', ...tokRows })];
        break;
      case 3:
        formula = `scaled = scores / √dₖ = scores / √${t.d_k}`;
        explain = `Every score is divided by √${t.d_k} (dₖ = ${t.d_k} numbers per query and key), which keeps long dot products from pushing the softmax into all-or-nothing.`;
        example = `For example, ${fmt(h.scores[lastRow][0])} becomes ${fmt(h.scaled[lastRow][0])}.`;
        prevFrom = 'From step 3';
        prev = [q('scores', h.scores, { label: 'scores', ...tokRows, role: 'prev' })];
        now = [q('scaled', h.scaled, { label: 'scaled', ...tokRows })];
        break;
      case 4:
        if (t.causal) {
          formula = 'masked = scaled, with −∞ wherever column > row';
          explain = 'Causal mask: every score above the diagonal becomes −∞, so word i can only look at itself and the words before it.';
        } else {
          formula = 'masked = scaled (no mask)';
          explain = 'No mask: every token may look at every token, so the scores pass through unchanged (tick “Causal mask” to hide later words).';
        }
        prevFrom = 'From step 4';
        prev = [q('scaled', h.scaled, { label: 'scaled', ...tokRows, role: 'prev' })];
        now = [q('masked', h.masked, { label: 'masked', ...tokRows })];
        break;
      case 5: {
        formula = 'weights = softmax(each row of masked)';
        explain = 'Softmax turns each row into positive weights that add up to 1, giving bigger scores bigger shares'
          + (t.causal ? '; a −∞ score gets a weight of exactly 0.' : '.');
        const row = h.weights[lastRow];
        const best = row.indexOf(Math.max(...row));
        example = `Row ${L[lastRow]} gives its largest share, ${fmt(row[best])}, to ${L[best]}.`;
        prevFrom = 'From step 5';
        prev = [q('masked', h.masked, { label: 'masked', ...tokRows, role: 'prev' })];
        now = [q('weights', h.weights, { label: 'weights', ...tokRows })];
        break;
      }
      case 6: {
        formula = multi ? `output${tag} = weights·V, then output = concat(heads)·W_O` : 'output = weights·V';
        explain = 'Each output row is a blend of the rows of V, mixed in the proportions of that word’s row of weights'
          + (multi ? `; the ${t.heads} heads’ outputs then sit side by side (concat) and W_O mixes them into the layer’s output.` : '.');
        const terms = h.weights[lastRow].map((a, j) => `${fmt(a)}·v(${L[j]})`).join(' + ');
        example = `Output row ${L[lastRow]} = ${terms} = (${h.output[lastRow].map((v) => fmt(v)).join(', ')}).`;
        prevFrom = 'From steps 6 and 2';
        prev = [q('weights', h.weights, { label: 'weights', ...tokRows, role: 'prev' }), q('V', h.V, { label: `V${tag}`, ...perHead, role: 'prev' })];
        now = [q('output', h.output, { label: `output${tag}`, ...perHead })];
        if (multi) {
          more = [el('div', { class: 'combine' },
            el('p', { class: 'sub' }, `All ${t.heads} heads together: concat puts head outputs side by side (head ${s.head + 1} fills ${colRange}), then output = concat·W_O.`),
            el('div', { class: 'now-row' },
              q('concat', t.concat, { label: 'concat', rowLabels: L, colLabels: allCols }),
              q('final', t.output, { label: 'output = concat·W_O', rowLabels: L, colLabels: allCols })),
            el('details', { class: 'weights' }, el('summary', {}, 'Show the output projection W_O'),
              el('div', { class: 'now-row' }, q('W_O', t.weights.W_o, { label: 'W_O', rowLabels: allCols, colLabels: allCols }))))];
        }
        break;
      }
    }

    const stage = STAGES[s.step];
    return [
      el('h3', { id: 'stage-title', class: 'stage-title' }, `${s.step + 1}. ${stage.name}${tag}`),
      el('p', { class: 'formula' }, formula),
      el('p', { class: 'explain' }, explain),
      example ? el('p', { class: 'example' }, example) : '',
      el('div', { class: 'flow' },
        el('div', { class: 'from' }, el('p', { class: 'flow-label' }, prevFrom), el('div', { class: 'prev-row' }, prev)),
        el('div', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
        el('div', { class: 'to' }, el('p', { class: 'flow-label' }, `Step ${s.step + 1}: ${stage.name}`), el('div', { class: 'now-row' }, now))),
      ...more].filter((n) => n !== '');
  }
}

function unknownCount(t) {
  return t.known ? t.known.filter((k) => !k).length : 0;
}

/** A scroll box that overflows becomes a focusable, named region; otherwise it is plain. */
function markScrollable(box) {
  const overflows = box.scrollWidth > box.clientWidth + 1;
  box.parentElement?.classList.toggle('overflowing', overflows);
  if (overflows) {
    box.tabIndex = 0;
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', `${box.dataset.label} — scrolls sideways`);
  } else {
    box.removeAttribute('tabindex');
    box.removeAttribute('role');
    box.removeAttribute('aria-label');
  }
}
