/**
 * <attn-train-live>: train the course's tiny transformer live, in the browser, and watch its heads
 * form (issue 12).
 *
 * The training (forward, backward, Adam on masked-word batches from the course grammar), the held-out
 * loss and the head analysis all run in the C++ trainer compiled to its own WASM module, inside a Web
 * Worker (train-worker.js) that trains in chunks and posts a snapshot after each; this file only
 * schedules, draws and compares label strings. The same seed and settings give the same weights as
 * `attn train` (tests/node/train-live.test.mjs). The worker and its module (about 160 KiB) load on
 * the learner's first Play, +10 steps or probe (at once for a deep link to a step), not when the
 * widget is drawn: until then the head tiles wait, empty, for a trainer.
 *
 * Attributes (declared in `props` below): seed, heads, layers, speed, probe, step, head.
 * Controls `hide` can hide: run (play / pause / +10 / reset), settings (seed, heads, layers, speed),
 * probe (the probe-sentence form), table (the "Show as tables" switch).
 * Events: `change` with detail { step, heads, layers, seed, head } on committed changes, and
 * `label` with detail { id: "L-H", label, step, seconds } when a head gets a new analysis label.
 */
import { WidgetBase, el, fmt, svg } from './base.js';
import { matrixTable } from './matrix-table.js';
import { argmax, labelKind, mapSvg } from './head-gallery.js';
import { breakAfterSlash, cleanSentence, removedNotice, setAttrs, setText } from './dom.js';

/**
 * The live preset: small enough that the first clearly labelled head forms within a minute in
 * Chromium on a 2-core machine (npm run bench prints the figure). `steps` sets the learning-rate
 * schedule (warm-up, cosine decay) exactly as `attn train --steps` does.
 */
export const PRESET = { dModel: 32, batch: 16, lr: 0.003, steps: 2000 };
/** Held-out loss and head analysis cadence (steps) and sizes (sentences). */
export const CADENCE = { heldOutEvery: 25, heldOutSentences: 64, analyzeEvery: 25, analysisSentences: 100 };
export const HEAD_COUNTS = ['1', '2', '4', '8'];
export const LAYER_COUNTS = ['1', '2', '3'];
/** What a worker error without a message says (a worker script that did not load gives none). */
const NO_MESSAGE = 'the trainer stopped without a message';
const MAX_STEP = 2000;
const HEAD_IDS = LAYER_COUNTS.flatMap((l) => ['1', '2', '3', '4', '5', '6', '7', '8'].map((h) => `${l}-${h}`));
/** A worker that posts nothing for this long while training is treated as hung. */
export const WATCHDOG_MS = 20000;

export { labelKind };

/** A label a learner reads as a role ("a previous-token head"). */
export function roleText(label) {
  const role = label.replace(/ token/g, '-token').replace(/; /g, ' and ');
  return `${/^[aeiou]/i.test(role) ? 'an' : 'a'} ${role} head`;
}

const headName = (id) => {
  const [l, h] = id.split('-');
  return `layer ${l}, head ${h}`;
};

/** The words of a probe, numbered when a word repeats ("the 1", "the 4"), 1-based. */
function wordLabels(words) {
  return words.map((w, i) => (words.indexOf(w) !== words.lastIndexOf(w) ? `${w} ${i + 1}` : w));
}

/** Mean of the last `k` numbers up to index i (a readable training curve from noisy batch losses). */
function smooth(values, k = 20) {
  const out = [];
  let sum = 0;
  values.forEach((v, i) => {
    sum += v;
    if (i >= k) sum -= values[i - k];
    out.push(sum / Math.min(i + 1, k));
  });
  return out;
}

/** Starts the trainer's worker; a page on another origin (an embed) gets it through a same-origin blob. */
function startWorker() {
  const url = new URL('./train-worker.js', import.meta.url);
  if (typeof location === 'undefined' || url.origin === location.origin) return new Worker(url, { type: 'module' });
  const blob = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(blob), { type: 'module' });
}

export class TrainLive extends WidgetBase {
  static tag = 'attn-train-live';
  static styles = ['head-gallery.css', 'train-live.css']; // head-gallery.css: the attention maps (mapSvg)
  static props = [
    { name: 'seed', type: 'integer', min: 1, max: 9999, default: 1, description: 'Training seed: the same seed and settings give the same run.' },
    { name: 'heads', type: 'enum', values: HEAD_COUNTS, default: '4', description: 'Heads per layer (the model width stays 32, so more heads means narrower heads).' },
    { name: 'layers', type: 'enum', values: LAYER_COUNTS, default: '2', description: 'Number of layers.' },
    { name: 'speed', type: 'enum', values: ['slow', 'medium', 'fast'], default: 'fast', description: 'Training speed: slow and medium pause between steps so each one can be watched.' },
    { name: 'probe', type: 'tokens', maxTokens: 12, default: ['the', 'small', 'dog', 'chased', 'the', 'cat'],
      description: 'The sentence every head\'s map shows, 1-12 words of the course grammar.' },
    { name: 'step', type: 'integer', min: 0, max: MAX_STEP, default: 0,
      description: 'Train to this step as soon as the widget starts (0: wait for Play). A deep link to a moment of a run.' },
    { name: 'head', type: 'enum', values: HEAD_IDS, default: '1-1', description: 'The enlarged head, "layer-head" numbered from 1.' },
  ];
  static controls = ['run', 'settings', 'probe', 'table'];

  static checks = {
    'labelled-head-selected': {
      description: 'The learner trained the model and enlarged a head whose live label is of the given kind.',
      args: [{ name: 'kind', type: 'enum', values: ['previous token', 'next token', 'self', 'first token', 'positional', 'relation'],
        default: 'previous token', description: 'The label (or kind of label) the enlarged head must have.' }],
      run(w, { kind }) {
        const h = w.headInfo(w.state.head);
        if (!w.run?.step) return { correct: false, message: 'The model has not trained yet: press Play and watch the labels.' };
        if (!h) return { correct: false, message: 'The enlarged head is not in this model; pick one of its heads.' };
        const ok = kind === 'positional' || kind === 'relation' ? labelKind(h.label) === kind : h.label.split('; ').includes(kind);
        return { correct: ok, message: `At step ${w.analysisStep}, ${headName(h.id)} is labelled "${h.label}".` };
      },
    },
    'compared-heads': {
      description: 'The learner trained two runs that differ only in their number of heads, each to at least `steps` steps.',
      args: [
        { name: 'a', type: 'enum', values: HEAD_COUNTS, default: '1', description: 'Heads in one run.' },
        { name: 'b', type: 'enum', values: HEAD_COUNTS, default: '4', description: 'Heads in the other run.' },
        { name: 'steps', type: 'integer', min: 25, max: MAX_STEP, default: 300, description: 'Steps each run must reach.' },
      ],
      run(w, { a, b, steps }) {
        const found = (heads) => w.runs().find((r) => r.heads === heads && r.layers === w.state.layers && r.seed === w.state.seed && r.step >= steps);
        const ra = found(a), rb = found(b);
        if (!ra || !rb) {
          const missing = [ra ? null : a, rb ? null : b].filter(Boolean).map((h) => `${h} head${h === '1' ? '' : 's'}`);
          return { correct: false, message: `Train ${missing.join(' and ')} to step ${steps} or later (same seed and layers) so both curves are on the chart.` };
        }
        const at = (r) => r.heldOut.filter((p) => p.step <= steps).at(-1);
        return { correct: true, message: `Held-out loss at step ${steps}: ${a} head${a === '1' ? '' : 's'} ${fmt(at(ra).loss)}, ${b} heads ${fmt(at(rb).loss)}.` };
      },
    },
  };

  readProps() {
    super.readProps();
    const v = this.values;
    const prev = this.state;
    this.state = { seed: v.seed, heads: v.heads, layers: v.layers, speed: v.speed, probe: v.probe.join(' '), target: v.step, head: v.head, tables: prev?.tables ?? false };
    // A change of the run's settings (from an attribute or a deep link) starts a new run.
    if (prev && this.worker && (prev.seed !== v.seed || prev.heads !== v.heads || prev.layers !== v.layers || (v.step && v.step !== this.run?.step))) this._restartWanted = true;
  }

  currentValues() {
    const s = this.state;
    return { seed: s.seed, heads: s.heads, layers: s.layers, speed: s.speed, probe: s.probe.split(' '), step: this.run?.step ?? s.target, head: s.head };
  }

  /** Every run of this page visit (finished ones and the current one). */
  runs() {
    return [...this.history, ...(this.run ? [this.run] : [])];
  }

  headInfo(id) {
    return this.analysis?.find((h) => h.id === id) ?? null;
  }

  disconnectedCallback() {
    this.stopWorker();
    document.removeEventListener('visibilitychange', this._onVisibility);
  }

  setup() {
    this.history = [];
    this.run = null;
    this.runCounter = 0;
    this.analysis = null;
    this.analysisStep = 0;
    this.probeMap = null;

    const button = (label, action, attrs = {}) => {
      const b = el('button', { type: 'button', 'data-action': action, ...attrs }, label);
      b.addEventListener('click', () => this.action(action));
      return b;
    };
    this.playBtn = button('Play', 'play', { class: 'tl-primary' });
    this.stepBtn = button('+10 steps', 'step');
    this.resetBtn = button('Reset', 'reset');
    const runGroup = el('div', { class: 'tl-run', role: 'group', 'aria-label': 'Training', 'data-control': 'run' }, this.playBtn, this.stepBtn, this.resetBtn);

    const select = (id, label, values, texts) => {
      const s = el('select', { id }, ...values.map((v, i) => el('option', { value: v }, texts ? texts[i] : v)));
      s.addEventListener('change', () => this.settingChanged());
      return el('div', { class: 'tl-field' }, el('label', { for: id }, label), s);
    };
    this.seedInput = el('input', { id: 'tl-seed', type: 'number', min: '1', max: '9999', step: '1', inputmode: 'numeric' });
    this.seedInput.addEventListener('change', () => this.settingChanged());
    const seedField = el('div', { class: 'tl-field' }, el('label', { for: 'tl-seed' }, 'Seed'), this.seedInput);
    const headsField = select('tl-heads', 'Heads per layer', HEAD_COUNTS);
    const layersField = select('tl-layers', 'Layers', LAYER_COUNTS);
    const speedField = select('tl-speed', 'Speed', ['slow', 'medium', 'fast'], ['Slow', 'Medium', 'Fast']);
    [this.headsSelect, this.layersSelect, this.speedSelect] = [headsField, layersField, speedField].map((f) => f.querySelector('select'));
    const settings = el('div', { class: 'tl-settings', 'data-control': 'settings' }, seedField, headsField, layersField, speedField);

    this.probeInput = el('input', { id: 'tl-probe', type: 'text', autocomplete: 'off', spellcheck: 'false', enterkeyhint: 'go' });
    const probeForm = el('form', { class: 'tl-probe', 'data-control': 'probe' },
      el('label', { for: 'tl-probe' }, 'Probe sentence (every map shows it; up to 12 words of the course grammar)'),
      el('div', { class: 'tl-row' }, this.probeInput, el('button', { type: 'submit' }, 'Show'), button('Random sentence', 'sample')));
    probeForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.setProbe(this.probeInput.value);
    });

    this.status = el('p', { class: 'tl-status', role: 'status' });
    this.counter = el('p', { class: 'tl-counter', 'aria-hidden': 'true' });
    this.alert = el('div', { class: 'tl-alert', role: 'alert', hidden: '' });
    this.chart = el('figure', { class: 'tl-chart' });
    this.tableToggle = el('button', { type: 'button', 'aria-pressed': 'false', 'data-control': 'table', class: 'tl-tables' }, 'Show as tables');
    this.tableToggle.addEventListener('click', () => {
      this.state.tables = !this.state.tables;
      this.draw();
    });
    this.grid = el('div', { class: 'tl-grid' });
    this.detail = el('div', { class: 'tl-detail' });
    this.events = el('ol', { class: 'tl-events' });
    this.eventsBox = el('section', { class: 'tl-events-box', 'aria-label': 'When each head got its label' },
      el('h3', {}, 'Labels so far'), this.events);
    this.body.replaceChildren(runGroup, settings, probeForm, this.counter, this.status, this.alert, this.chart, this.tableToggle,
      el('h3', { class: 'tl-heads-title' }, 'Every head on the probe sentence'), this.grid, this.detail, this.eventsBox);

    this._onVisibility = () => {
      if (document.hidden && this.playing) {
        this.pause();
        this.say('Training paused while this tab was hidden. Press Play to go on.');
      }
    };
    document.addEventListener('visibilitychange', this._onVisibility);
  }

  /** Shows the state in the controls (after props change). */
  syncControls() {
    const s = this.state;
    this.seedInput.value = String(s.seed);
    this.headsSelect.value = s.heads;
    this.layersSelect.value = s.layers;
    this.speedSelect.value = s.speed;
    if (this.root.activeElement !== this.probeInput) this.probeInput.value = s.probe;
  }

  update() {
    this.syncControls();
    // The trainer starts on the first thing that needs it (see need()). It starts now for a deep link
    // to a step, or when `hide` leaves the learner no Play to press (an embed that only shows the
    // maps); and a trainer that stopped restarts on a new setting, as it always has.
    const hidden = this.hiddenControls();
    const noPlay = hidden.has('controls') || hidden.has('run');
    if (this._restartWanted || (!this.worker && (this.started || this.state.target > 0 || noPlay))) {
      this._restartWanted = false;
      return this.restart();
    }
    this.draw();
    return undefined;
  }

  /**
   * Starts the trainer for an action that needs it (its first Play, +10 steps, probe or random
   * sentence): the worker queues the action behind loading its module and resetting the run.
   * False once a trainer has stopped (it crashed or could not start): the alert says why.
   */
  need() {
    if (this.worker) return true;
    if (this.started) return false;
    this.restart();
    return true;
  }

  /** A plain-text status line (never HTML). */
  say(text, kind = '') {
    this.status.textContent = text;
    this.statusKind = kind; // 'paused' follows the step; 'probe' clears once a probe is shown
  }

  /** "Paused at step N", kept in step with snapshots that were already on their way. */
  sayPaused() {
    this.say(`Paused at step ${this.run.step}.`, 'paused');
  }

  showAlert(text, withRestart) {
    const restart = el('button', { type: 'button', 'data-action': 'restart' }, 'Restart the trainer');
    restart.addEventListener('click', () => this.restart());
    this.alert.replaceChildren(el('p', {}, text), ...(withRestart ? [restart] : []));
    this.alert.hidden = false;
  }

  stopWorker() {
    clearTimeout(this.watchdog);
    this.playing = false;
    this.loading = false;
    if (this.worker) {
      this.worker.onmessage = this.worker.onerror = null;
      this.worker.terminate();
    }
    this.worker = null;
  }

  /** A fresh worker and a fresh run of the current settings; resolves once step 0 is drawn. */
  restart() {
    this.stopWorker();
    this.started = true;
    this.alert.hidden = true;
    if (this.run?.step) this.history = [...this.history.filter((r) => r.key !== this.run.key), this.run];
    // The worker itself starts after the next paint (startWorkerNow), so the press that needs it
    // paints "Loading the trainer…" at once; what the widget posts until then waits, in order.
    this.worker = { pending: true, queue: [], postMessage(msg) { this.queue.push(msg); }, terminate() {} };
    this.loading = true; // until the run's first snapshot: the module is loading
    this.inNextFrame('worker', () => setTimeout(() => this.startWorkerNow(), 0));
    return new Promise((resolve) => {
      this._drawn = resolve;
      this.resetRun();
      this.armWatchdog(WATCHDOG_MS * 2);
    });
  }

  /** Replaces the stand-in restart() left with the real worker and hands it what was posted meanwhile. */
  startWorkerNow() {
    const pending = this.worker;
    if (!pending?.pending) return; // stopped before it started, or already started
    let worker;
    try {
      worker = startWorker();
    } catch (err) {
      this.stopWorker();
      this.renderButtons();
      this.showAlert(`The trainer could not start here (${err.message}). This page may block Web Workers.`, false);
      this.say('The trainer could not start.');
      this._drawn?.();
      this._drawn = null;
      return;
    }
    this.worker = worker;
    worker.onmessage = (e) => this.onWorker(e.data);
    worker.onerror = (e) => {
      e.preventDefault?.();
      this.crashed(e.message || NO_MESSAGE);
    };
    worker.onmessageerror = () => this.crashed('a message from the trainer could not be read');
    for (const msg of pending.queue) worker.postMessage(msg);
  }

  crashed(why) {
    const step = this.run?.step ?? 0;
    const loading = this.loading; // no snapshot yet: the worker or its module did not load
    this.stopWorker();
    this.renderButtons();
    const oom = /OOM|out of memory|memory/i.test(why);
    if (loading && !oom) {
      this.showAlert(`The trainer could not load (${why === NO_MESSAGE ? 'its files did not arrive' : why}). Check the connection, then restart it.`, true);
      this.say('The trainer could not load.');
    } else {
      this.showAlert(`${oom ? 'The trainer ran out of memory' : 'The trainer stopped'} at step ${step} (${why}). ` +
        'Restart it to train again from step 0: the same seed gives the same run.', true);
      this.say('Training stopped.');
    }
    this._drawn?.();
    this._drawn = null;
  }

  armWatchdog(ms = WATCHDOG_MS) {
    if (this.loading) ms = Math.max(ms, WATCHDOG_MS * 2); // loading the module may take a while on a busy machine
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      if (this.worker && (this.playing || this._drawn || this.busy)) this.crashed(`no reply for ${Math.round(ms / 1000)} s`);
    }, ms);
  }

  resetRun() {
    const s = this.state;
    const run = ++this.runCounter;
    this.run = { id: run, key: `${s.layers}-${s.heads}-${s.seed}`, seed: s.seed, heads: s.heads, layers: s.layers, step: 0, losses: [], heldOut: [], trainMs: 0, labels: {}, events: [] };
    this.analysis = null;
    this.probeMap = null;
    this.playing = false;
    this.busy = true;
    this.worker.postMessage({ type: 'reset', run, options: { seed: s.seed, heads: Number(s.heads), layers: Number(s.layers), ...PRESET },
      probe: s.probe, ...CADENCE });
    if (s.target > 0) this.play(s.target);
    this.renderButtons();
    if (this.loading) this.say('Loading the trainer…', 'loading');
    else this.sayNewRun();
  }

  sayNewRun() {
    const s = this.state;
    this.say(`New run: ${s.layers} layer${s.layers === '1' ? '' : 's'} of ${s.heads} head${s.heads === '1' ? '' : 's'}, seed ${s.seed}.`);
  }

  play(until = MAX_STEP) {
    if (!this.worker) return;
    if (this.run.step >= MAX_STEP) {
      this.say(`This run has reached the widget's limit of ${MAX_STEP} steps. Reset to train again.`);
      return;
    }
    this.playing = true;
    this.worker.postMessage({ type: 'play', run: this.run.id, speed: this.state.speed, until });
    this.armWatchdog();
    this.renderButtons();
  }

  pause() {
    this.playing = false;
    this.worker?.postMessage({ type: 'pause', run: this.run?.id });
    clearTimeout(this.watchdog);
    this.renderButtons();
    this.emitChange();
  }

  action(name) {
    if (this.loading && (name === 'play' || name === 'step')) return undefined; // the first press is on its way
    if (name === 'reset') {
      this.state.target = 0;
      if (this.run?.step) this.history = [...this.history.filter((r) => r.key !== this.run.key), this.run];
      if (this.worker) this.resetRun();
      else if (this.started) this.restart();
      else this.draw(); // no trainer yet: nothing to reset but the settings shown
      return undefined;
    }
    if (!this.need()) return undefined;
    if (name === 'play') {
      if (this.playing) {
        this.pause();
        this.sayPaused();
      } else {
        this.state.target = 0;
        this.play();
        if (!this.loading) this.say('Training…');
      }
    } else if (name === 'step') {
      if (this.playing) this.pause();
      if (this.run.step + 10 > MAX_STEP) return this.say(`This run has reached the widget's limit of ${MAX_STEP} steps.`);
      this.busy = true;
      this.stepping = true;
      this.worker.postMessage({ type: 'step', run: this.run.id, count: 10 });
      this.armWatchdog();
      this.renderButtons();
    } else if (name === 'sample') {
      this.worker.postMessage({ type: 'sample', run: this.run.id, seed: this.state.seed, index: Math.floor(Math.random() * 1000) });
    }
    return undefined;
  }

  settingChanged() {
    const seed = Number(this.seedInput.value);
    if (!Number.isInteger(seed) || seed < 1 || seed > 9999) {
      this.say('The seed must be a whole number from 1 to 9999.');
      this.seedInput.value = String(this.state.seed);
      return;
    }
    const s = this.state;
    const speed = this.speedSelect.value;
    if (speed !== s.speed) {
      s.speed = speed;
      if (this.playing) this.play();
    }
    if (seed !== s.seed || this.headsSelect.value !== s.heads || this.layersSelect.value !== s.layers) {
      Object.assign(s, { seed, heads: this.headsSelect.value, layers: this.layersSelect.value, target: 0 });
      if (Number(s.head.split('-')[0]) > Number(s.layers) || Number(s.head.split('-')[1]) > Number(s.heads)) s.head = '1-1';
      this.action('reset');
    }
    this.emitChange();
  }

  setProbe(text) {
    // Punctuation is dropped with a notice, as in the gallery and the game: the model reads words only.
    const { words, removed } = cleanSentence(text);
    const note = removedNotice(removed);
    if (!words.length) return this.say(`${note ? `${note} ` : ''}Type at least one word.`, 'probe');
    if (words.length > 12) return this.say(`${note ? `${note} ` : ''}The probe has ${words.length} words; at most 12 fit.`, 'probe');
    this.probeNote = note;
    if (!this.need()) return undefined;
    this.worker.postMessage({ type: 'probe', run: this.run.id, text: words.join(' ') });
    return undefined;
  }

  onWorker(msg) {
    if (msg.type === 'fatal') return this.crashed(msg.message);
    if (msg.run !== undefined && msg.run !== this.run?.id) return undefined; // a chunk of a run since reset
    if (this.playing) this.armWatchdog();
    else clearTimeout(this.watchdog);
    if (msg.type === 'error') {
      this.say(`${this.probeNote ? `${this.probeNote} ` : ''}${probeProblem(msg.message)}`, 'probe');
      this.probeNote = '';
      this.busy = false;
      return undefined;
    }
    if (msg.type === 'sample') return this.setProbe(msg.text);
    if (msg.type === 'probe') {
      this.state.probe = msg.probe.words.join(' ');
      this.probeInput.value = this.state.probe;
      this.probeMap = msg.probe;
      // A fixed probe clears the complaint about the last one (and reports removed punctuation).
      if (this.statusKind === 'probe' || this.probeNote) this.say(this.probeNote ?? '', this.probeNote ? 'note' : '');
      this.probeNote = '';
      this.schedule();
      this.emitChange();
      return undefined;
    }
    if (msg.type !== 'snapshot') return undefined;
    if (this.loading) {
      this.loading = false;
      if (this.statusKind === 'loading') {
        if (this.playing) this.say('Training…');
        else this.sayNewRun();
      }
    }
    const run = this.run;
    run.losses.push(...msg.losses);
    run.step = msg.step;
    run.trainMs = msg.trainMs;
    if (msg.heldOut) run.heldOut.push({ step: msg.heldOut.step, loss: msg.heldOut.loss });
    if (msg.probe) this.probeMap = msg.probe;
    if (msg.analysis) this.takeAnalysis(msg.analysis);
    if (this.playing && msg.step >= (this.state.target || MAX_STEP)) {
      this.playing = false;
      this.state.target = 0;
      this.sayPaused();
      this.emitChange();
    } else if (msg.step >= MAX_STEP && this.playing) {
      this.pause();
    }
    else if (!this.playing && this.statusKind === 'paused') {
      this.sayPaused();
      // a chunk already on its way when Pause was pressed moves the step on: the link follows it
      if (msg.losses.length) this.emitChange();
    }
    if (!msg.losses.length || !this.playing) this.busy = false;
    if (this.stepping && !this.playing && msg.losses.length) { // (not the step-0 snapshot of a trainer that just loaded)
      this.stepping = false;
      this.say(`Step ${run.step}.`);
      this.emitChange();
    }
    this.schedule();
    return undefined;
  }

  takeAnalysis({ step, heads }) {
    const run = this.run;
    this.analysis = heads;
    this.analysisStep = step;
    for (const h of heads) {
      const before = run.labels[h.id];
      run.labels[h.id] = h.label;
      const kind = labelKind(h.label);
      if (step === 0 || h.label === before || kind === 'mixed' || kind === 'broad') continue;
      // A head that loses a label and finds it again is listed once, at the first time.
      if (run.events.some((e) => e.id === h.id && e.label === h.label)) continue;
      const seconds = run.trainMs / 1000;
      const event = { id: h.id, label: h.label, step, seconds };
      run.events.push(event);
      this.emit('label', event);
    }
  }

  /** Coalesces redraws to one per frame; the first draw of a run resolves restart(). */
  schedule() {
    this.inNextFrame('draw', () => {
      this.draw();
      if (this._drawn) {
        const done = this._drawn;
        this._drawn = null;
        done();
      }
    });
  }

  renderButtons() {
    // While the trainer loads, the button that started it says so (it stays focused: busy, not disabled).
    const loading = Boolean(this.loading);
    const playText = loading && this.playing ? 'Loading the trainer…' : this.playing ? 'Pause' : 'Play';
    const stepText = loading && this.stepping ? 'Loading the trainer…' : '+10 steps';
    if (this.playBtn.textContent !== playText) this.playBtn.textContent = playText;
    if (this.stepBtn.textContent !== stepText) this.stepBtn.textContent = stepText;
    setAttrs(this.playBtn, { 'aria-pressed': String(Boolean(this.playing)) });
    for (const b of [this.playBtn, this.stepBtn]) {
      b.disabled = this.started && !this.worker; // a trainer that stopped: Restart in the alert
      if (loading) b.setAttribute('aria-busy', 'true');
      else b.removeAttribute('aria-busy');
    }
  }

  emitChange() {
    const s = this.state;
    this.emit('change', { step: this.run?.step ?? 0, heads: s.heads, layers: s.layers, seed: s.seed, head: s.head });
  }

  /** Draws the run (or, before the trainer has started, the empty chart and tiles of the chosen model). */
  draw() {
    this.renderButtons();
    const run = this.run;
    const rate = run?.trainMs > 0 ? (run.step / (run.trainMs / 1000)) : 0;
    const last = run?.heldOut.at(-1);
    setText(this.counter, `Step ${run?.step ?? 0}` + (rate ? ` · ${fmt(rate)} steps/s` : '') +
      (run?.losses.length ? ` · training loss ${fmt(smooth(run.losses).at(-1))}` : '') + (last ? ` · held-out loss ${fmt(last.loss)}` : ''));
    setAttrs(this.tableToggle, { 'aria-pressed': String(this.state.tables) });
    setText(this.tableToggle, this.state.tables ? 'Show as charts' : 'Show as tables');
    this.chart.replaceChildren(...this.drawChart());
    this.drawHeads();
    // The label log changes a few times a run: rebuilt only then.
    const items = run?.events.length ? run.events.map((e) =>
      `${headName(e.id)[0].toUpperCase()}${headName(e.id).slice(1)} became ${roleText(e.label)} at step ${e.step} (${fmt(e.seconds)} s of training).` +
      sinceText(e, run, this.analysisStep)) : null;
    const none = run?.step ? 'No head has a clear label yet.' : 'Press Play: labels appear here as heads form.';
    const key = items ? items.join('\n') : `none:${none}`;
    if (this.eventsKey !== key) {
      this.eventsKey = key;
      this.events.replaceChildren(...(items ? items.map((t) => el('li', {}, t)) : [el('li', { class: 'tl-none' }, none)]));
    }
  }

  drawChart() {
    const runs = this.runs().filter((r) => r.heldOut.length);
    const caption = el('figcaption', {}, 'Loss (lower is better): training loss (solid, averaged over 20 steps) and held-out loss (dashed, dots)' +
      (runs.length > 1 ? '; earlier runs in grey, labelled at their end' : '') + '.');
    if (this.state.tables) {
      const rows = [];
      for (const r of runs) {
        const sm = smooth(r.losses);
        for (const p of r.heldOut) rows.push([r === this.run ? 'this run' : `${r.layers}×${r.heads}, seed ${r.seed}`, p.step, p.step ? fmt(sm[p.step - 1]) : '—', fmt(p.loss)]);
      }
      const table = el('table', { class: 'tl-table' }, el('caption', {}, 'Loss by step'),
        el('thead', {}, el('tr', {}, ...['Run (layers × heads)', 'Step', 'Training loss', 'Held-out loss'].map((t) => el('th', { scope: 'col' }, t)))),
        el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, String(c)))))));
      return [caption, el('div', { class: 'tl-scroll' }, table)];
    }
    const W = 320, H = 150, left = 30, bottom = 18;
    const maxStep = Math.max(100, ...runs.map((r) => r.step));
    const all = runs.flatMap((r) => [...r.heldOut.map((p) => p.loss), ...smooth(r.losses)]);
    const top = Math.max(1, ...all), lo = Math.min(top - 0.5, ...all);
    const x = (s) => left + ((W - left - 6) * s) / maxStep;
    const y = (v) => 6 + ((H - bottom - 6) * (top - v)) / (top - lo || 1);
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'tl-curve', role: 'img', 'aria-label': last2(this.run) });
    const node = (tag, attrs, text) => chart.appendChild(svg(tag, attrs, text));
    node('line', { x1: left, y1: H - bottom, x2: W - 4, y2: H - bottom, class: 'axis' });
    node('line', { x1: left, y1: 4, x2: left, y2: H - bottom, class: 'axis' });
    if (!runs.length) node('text', { x: (left + W) / 2, y: (H - bottom) / 2, class: 'tick middle' }, 'No loss yet: the model has not trained.');
    else {
      node('text', { x: left - 3, y: y(top) + 3, class: 'tick end' }, fmt(top));
      node('text', { x: left - 3, y: y(lo) + 3, class: 'tick end' }, fmt(lo));
    }
    node('text', { x: left, y: H - 4, class: 'tick' }, '0');
    node('text', { x: W - 4, y: H - 4, class: 'tick end' }, `step ${maxStep}`);
    for (const r of runs) {
      const mine = r === this.run;
      const sm = smooth(r.losses);
      const every = Math.max(1, Math.floor(sm.length / 200));
      const pts = sm.filter((_, i) => i % every === 0 || i === sm.length - 1).map((v, i, arr) => {
        const s = i === arr.length - 1 ? sm.length : i * every + 1;
        return `${x(s).toFixed(1)},${y(v).toFixed(1)}`;
      });
      if (pts.length > 1) node('polyline', { points: pts.join(' '), class: mine ? 'train' : 'ghost' });
      const held = r.heldOut.map((p) => `${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`);
      node('polyline', { points: held.join(' '), class: mine ? 'held' : 'ghost held-ghost' });
      if (mine) for (const p of r.heldOut.slice(-40)) node('circle', { cx: x(p.step), cy: y(p.loss), r: 1.6, class: 'held-dot' });
      else {
        const end = r.heldOut.at(-1);
        // Right-aligned at the run's end, unless that would run off the chart's left edge (about 6 px a character).
        const name = runName(r, this.run), fits = x(end.step) - 2 - name.length * 6 > 0;
        node('text', { x: fits ? x(end.step) - 2 : x(end.step) + 2, y: y(end.loss) - 3, class: `tick ${fits ? 'end ' : ''}ghost-lab` }, name);
      }
    }
    const legend = el('p', { class: 'tl-legend' }, el('span', { class: 'key train' }, 'training'), el('span', { class: 'key held' }, 'held-out'),
      ...(runs.length > 1 ? [el('span', { class: 'key ghost' }, 'earlier runs')] : []));
    return [caption, chart, legend];
  }

  /**
   * One tile per head of the model, built when the model's shape changes and patched in place after
   * that: a snapshot changes the tiles' map cells, labels and kinds, never the tiles themselves (the
   * focused tile stays focused, and a frame of training costs attribute writes, not a rebuilt grid).
   */
  drawHeads() {
    const p = this.probeMap;
    if (!p && this.worker) return; // a new run's first snapshot is on its way: the last maps stay until it lands
    const layers = p ? p.layers : Number(this.state.layers), heads = p ? p.heads : Number(this.state.heads);
    if (this.gridShape !== `${layers}x${heads}`) this.buildGrid(layers, heads);
    const matrix = (l, h) => {
      const n = p.n, base = ((l * p.heads) + h) * n * n;
      return Array.from({ length: n }, (_, i) => Array.from(p.weights.subarray(base + i * n, base + (i + 1) * n)));
    };
    for (const t of this.tiles) {
      const info = this.headInfo(t.id);
      const label = info ? info.label : '…';
      setAttrs(t.button, { class: `tl-head kind-${info ? labelKind(label) : 'none'}`, 'aria-pressed': String(this.state.head === t.id) });
      if (t.labelText !== label) {
        t.labelText = label;
        t.label.replaceChildren(...breakAfterSlash(label));
      }
      const map = p ? patchMap(t.map, matrix(t.l, t.h), { className: 'map mini-live' }) : emptyMap(t.map);
      if (map !== t.map) {
        t.map.replaceWith(map);
        t.map = map;
      }
    }
    const [sl, sh] = this.state.head.split('-').map(Number);
    if (sl > layers || sh > heads) {
      this.detail.replaceChildren();
      this.detailMap = null;
      return;
    }
    const info = this.headInfo(this.state.head);
    const title = el('h3', {}, `Layer ${sl}, head ${sh}` + (info ? `: ${info.label}` : ''));
    if (!p) {
      this.detailMap = null;
      this.detail.replaceChildren(title, el('p', { class: 'tl-note' }, 'This head\'s attention on the probe sentence appears here once the trainer ' +
        '(about 160 KB) has loaded: Play or +10 steps loads it and trains the model.'));
      return;
    }
    const labels = wordLabels(p.words);
    const m = matrix(sl - 1, sh - 1);
    const note = info ? el('p', { class: 'tl-note' }, `At step ${this.analysisStep}, over ${CADENCE.analysisSentences} held-out sentences: the strongest attention of ${Math.round(info.previous * 100)}% of words goes to the previous word, ${Math.round(info.next * 100)}% to the next, ${Math.round(info.self * 100)}% to itself.`) : '';
    let view;
    if (this.state.tables) {
      this.detailMap = null;
      view = el('div', { class: 'tl-scroll' }, matrixTable(m, { caption: `Attention weights of layer ${sl}, head ${sh} at step ${this.run.step} (row: the word that attends; columns: the words it attends to)`, rowLabels: labels, colLabels: labels, scale: 1 }).table);
    } else {
      // the enlarged map is kept too while it shows the same head and sentence
      const same = this.detailMapOf === this.state.head ? this.detailMap : null;
      view = this.detailMap = patchMap(same, m, { labels, className: 'map big' });
      this.detailMapOf = this.state.head;
    }
    const key = this.state.tables ? '' : el('p', { class: 'tl-note tl-key' }, 'Each row is a word of the probe and shows where it attends: the stronger the colour, the more weight; the outlined cell is its strongest.');
    this.detail.replaceChildren(title, note, view, key);
  }

  /** The tiles of a model of `layers` × `heads` (each with an empty map until a probe is drawn). */
  buildGrid(layers, heads) {
    this.gridShape = `${layers}x${heads}`;
    this.tiles = [];
    const rows = [];
    for (let l = 0; l < layers; l++) {
      const tiles = el('div', { class: 'tl-layer-heads' });
      rows.push(el('div', { class: 'tl-layer', role: 'group', 'aria-label': `Layer ${l + 1}` }, el('span', { class: 'tl-layer-name', 'aria-hidden': 'true' }, `Layer ${l + 1}`), tiles));
      for (let h = 0; h < heads; h++) {
        const id = `${l + 1}-${h + 1}`;
        const map = emptyMap(null);
        const label = el('span', { class: 'tl-head-label' });
        const button = el('button', { type: 'button', class: 'tl-head kind-none', 'aria-pressed': 'false', 'data-head': id, title: `Layer ${l + 1}, head ${h + 1}` },
          map, el('span', { class: 'tl-head-name' }, `L${l + 1} H${h + 1}`), label);
        button.addEventListener('click', () => {
          this.state.head = id;
          this.draw();
          this.root.querySelector(`.tl-head[data-head="${id}"]`)?.focus();
          this.emitChange();
        });
        tiles.append(button);
        this.tiles.push({ id, l, h, button, map, label, labelText: null });
      }
    }
    this.grid.replaceChildren(...rows);
  }
}

/**
 * A head's map (mapSvg of head-gallery.js), patched in place when `old` shows a map of the same size,
 * labels and class: only the cells' shade classes change as the model trains. Otherwise a new map.
 */
function patchMap(old, weights, opts) {
  const key = `${opts.className}|${weights.length}|${opts.labels?.join(' ') ?? ''}`;
  if (old?.mapKey !== key) {
    const map = mapSvg(weights, opts);
    map.mapKey = key;
    return map;
  }
  // mapSvg's children: the frame, then the n × n cells row by row (then the labels, unchanged)
  const n = weights.length, cells = old.children;
  weights.forEach((row, i) => {
    const top = argmax(row);
    row.forEach((v, j) => {
      const cls = `a${Math.max(0, Math.min(5, Math.round(v * 5)))}${j === top ? ' top' : ''}`;
      const cell = cells[1 + i * n + j];
      if (cell.getAttribute('class') !== cls) cell.setAttribute('class', cls);
    });
  });
  return old;
}

/** The blank square a head tile shows before its model has a trainer. */
function emptyMap(old) {
  if (old?.mapKey === 'empty') return old;
  const map = svg('svg', { viewBox: '0 0 6 6', class: 'map mini-live tl-empty-map', 'aria-hidden': 'true', focusable: 'false' },
    svg('rect', { x: 0, y: 0, width: 6, height: 6, class: 'frame-rect' }));
  map.mapKey = 'empty';
  return map;
}

/** The module's message about a probe ("probe: the model does not know ...") as a sentence with a way out. */
function probeProblem(message) {
  const text = message.replace(/^probe: /, '');
  const sentence = `${text[0].toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
  return /does not know/.test(text) ? `${sentence} Use words of the course grammar, or press "Random sentence".` : sentence;
}

/** After a label event: what the head is labelled now, when that changed since (labels come and go as it trains). */
function sinceText(event, run, step) {
  const now = run.labels[event.id];
  if (!now || now === event.label || !step) return '';
  return ` At step ${step} it is ${labelKind(now) === 'mixed' || labelKind(now) === 'broad' ? 'no longer clearly labelled' : `labelled "${now}"`}.`;
}

/** An earlier run's name on the chart: its heads, plus its layers and seed when they differ from this run. */
function runName(r, current) {
  const parts = [`${r.heads} head${r.heads === '1' ? '' : 's'}`];
  if (r.layers !== current.layers) parts.push(`${r.layers} layer${r.layers === '1' ? '' : 's'}`);
  if (r.seed !== current.seed) parts.push(`seed ${r.seed}`);
  return parts.join(', ');
}

function last2(run) {
  if (!run) return 'Loss curve: empty until the model trains. "Show as tables" lists every point.';
  const h = run.heldOut.at(-1);
  return `Loss curve of this run up to step ${run.step}` + (h ? `; held-out loss ${fmt(h.loss)} at step ${h.step}` : '') + '. "Show as tables" lists every point.';
}
