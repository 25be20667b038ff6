/**
 * <attn-head-gallery>: every head of the course's trained model (3 layers x 4 heads) on one
 * sentence, each as a small attention map labelled from web/model/analysis.json.
 *
 * Attributes (declared in `props` below): sentence, head, group, mask-unknown.
 * The learner picks a preset sentence or types one; words outside the model's vocabulary are listed
 * in an inline message and never replaced silently: a button runs the sentence with them as [MASK]
 * (marked "[MASK] (word)" everywhere). Clicking or focusing a head enlarges it (an SVG heat map with
 * token labels, and a real <table> of the weights). A toggle groups the heads by label type.
 * Every weight comes from `model.trace()` (the engine); every label, share, entropy and relation
 * accuracy from analysis.json. This file only draws, formats and compares (argmax for display).
 * The presets are drawn from the engine's traces made at build time (a trace pack, model-presets.js):
 * the course model (~300 KiB) loads only when the learner runs a sentence of their own.
 * Events: `change` with detail { sentence, head: "L-H", group, masked: [words] } on committed changes.
 * Controls `hide` can hide: sentence (the preset/typing form), group (the grouping toggle), table
 * (the table view of the enlarged head).
 */
import { WidgetBase, el, fmt, svg } from './base.js';
import { matrixTable } from './matrix-table.js';
import { parseProp } from './props.js';
import { breakAfterSlash, cleanSentence, removedNotice } from './dom.js';
import { loadModelData } from '../core/engine.js';
import { GALLERY_PRESETS, PACKS, galleryKey, loadPack, plainEntry } from './model-presets.js';

const HEAD_IDS = ['1-1', '1-2', '1-3', '1-4', '2-1', '2-2', '2-3', '2-4', '3-1', '3-2', '3-3', '3-4'];

export { GALLERY_PRESETS };

let analysisPromise = null;
/** analysis.json, fetched once per page. */
export function loadAnalysis() {
  if (!analysisPromise) {
    analysisPromise = loadModelData('../model/analysis.json');
    analysisPromise.catch(() => (analysisPromise = null));
  }
  return analysisPromise;
}

export { cleanSentence };

/** What the relation tags on the tiles mean (the course grammar's relations, grammar.hpp). */
export const RELATION_TAGS = {
  det: 'determiner ("the", "a") and its noun',
  amod: 'adjective and its noun',
  nsubj: 'subject and its verb',
  dobj: 'direct object and its verb',
  prep: 'preposition and the word it modifies',
  pobj: 'object of a preposition and the preposition',
  relcl: 'verb of a relative clause and its noun',
  ref: '"who"/"that" and its noun',
  cc: 'joining word ("and", "or", "but") and what follows it',
  conj: 'second of two joined words and the first',
};

/** Index of the largest entry of a row (ties go to the earliest), for display and scoring. */
export function argmax(row) {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/** The kind of an analysis label: 'positional', 'relation', 'mixed' or 'broad'. */
export function labelKind(label) {
  if (label === 'broad/diffuse') return 'broad';
  if (label === 'mixed') return 'mixed';
  const first = label.split('; ')[0];
  if (/(previous|next|first) token|^self/.test(first)) return 'positional';
  return 'relation';
}

export const KIND_TITLES = {
  positional: 'Positional (previous / next / self / first token)',
  relation: 'Relation-like (beats the fixed-offset baseline)',
  mixed: 'Mixed (no single pattern)',
  broad: 'Broad / diffuse (spreads its attention)',
};

const pct = (v) => `${Math.round(v * 100)}%`;

/** A word as shown in the maps: masked words are marked. */
export function tokenLabels(trace) {
  const words = trace.tokens.map((w, i) => (trace.known[i] ? w : `[MASK] (${w})`));
  return words.map((w, i) => (words.indexOf(w) !== words.lastIndexOf(w) ? `${w} ${i + 1}` : w));
}

/** One-line description of a head's measured behaviour (analysis.json). */
export function describeHead(h) {
  const parts = [`previous ${pct(h.previous)}`, `next ${pct(h.next)}`, `self ${pct(h.self)}`, `first ${pct(h.first)}`];
  return `Share of words whose strongest attention goes to the ${parts.join(', ')} (the shares overlap, so they can add up to more than 100%); entropy ${fmt(h.entropy)} nats (a uniform head: ${fmt(h.uniform_entropy)}).`;
}

/** The best relation vs its fixed-offset baseline, in words. */
export function describeRelation(h) {
  const r = h.best_relation;
  if (!r) return 'No relation measured.';
  const k = Math.abs(r.baseline_offset);
  const off = `always ${k} word${k === 1 ? '' : 's'} to the ${r.baseline_offset > 0 ? 'right' : 'left'}`;
  // within half a point the two round to the same percentage: call that level, not a win or a loss
  const gap = r.accuracy - r.baseline;
  const cmp = gap >= 0.005 ? 'beats' : gap <= -0.005 ? 'trails' : 'is level with';
  return `Best relation: ${r.phrase}, right ${pct(r.accuracy)} of ${r.count} times; it ${cmp} the best fixed offset (${off}: ${pct(r.baseline)}).`;
}

/** Small SVG heat map of an n x n weight matrix (aria-hidden; the table carries the numbers). */
export function mapSvg(weights, { labels = null, className = 'map' } = {}) {
  const n = weights.length;
  const pad = labels ? Math.max(...labels.map((l) => l.length)) * 0.34 + 0.4 : 0;
  const size = n + pad;
  const map = svg('svg', { viewBox: `${-pad} ${-pad} ${size} ${size}`, class: className, 'aria-hidden': 'true', focusable: 'false' });
  const node = (tag, attrs, text) => map.appendChild(svg(tag, attrs, text));
  node('rect', { x: 0, y: 0, width: n, height: n, class: 'frame-rect' });
  weights.forEach((row, i) => {
    const top = argmax(row);
    row.forEach((v, j) => {
      const step = Math.max(0, Math.min(5, Math.round(v * 5)));
      node('rect', { x: j + 0.04, y: i + 0.04, width: 0.92, height: 0.92, class: `a${step}${j === top ? ' top' : ''}` });
    });
  });
  if (labels) {
    labels.forEach((l, i) => {
      node('text', { x: -0.2, y: i + 0.62, class: 'lab row-lab' }, l);
      node('text', { x: 0, y: 0, class: 'lab col-lab', transform: `translate(${i + 0.62} -0.2) rotate(-90)` }, l);
    });
  }
  return map;
}

export class HeadGallery extends WidgetBase {
  static tag = 'attn-head-gallery';
  static styles = ['head-gallery.css'];
  static props = [
    { name: 'sentence', type: 'tokens', maxTokens: 16, default: ['the', 'cat', 'chased', 'the', 'mouse'],
      description: 'The sentence, 1-16 lower-case words from the model\'s vocabulary (others are flagged and can be run as [MASK]).' },
    { name: 'head', type: 'enum', values: HEAD_IDS, default: '1-2', description: 'The enlarged head, "layer-head" numbered from 1.' },
    { name: 'group', type: 'boolean', default: false, description: 'Group the heads by label type instead of by layer.' },
    { name: 'mask-unknown', type: 'boolean', default: false,
      description: 'Run words outside the vocabulary as [MASK] (they stay flagged) instead of asking first.' },
  ];
  static controls = ['sentence', 'group', 'table'];

  static checks = {
    'head-selected': {
      description: 'The enlarged head is the given one (layer and head numbered from 1).',
      args: [
        { name: 'layer', type: 'integer', min: 1, max: 3, default: 1, description: 'Layer, from 1.' },
        { name: 'head', type: 'integer', min: 1, max: 4, default: 1, description: 'Head, from 1.' },
      ],
      run(w, { layer, head }) {
        const id = w.state?.head;
        const ok = id === `${layer}-${head}`;
        return { correct: ok, message: ok ? `Head ${id} is enlarged.` : (id ? `Head ${id} is enlarged, which is not the head asked for. Enlarge another head and check again.` : 'No head is enlarged yet: enlarge one and check again.') };
      },
    },
    'head-with-label': {
      description: 'The enlarged head\'s analysis label is of the given kind.',
      args: [{ name: 'kind', type: 'enum', values: ['positional', 'relation', 'mixed', 'broad', 'mixed-or-broad'], default: 'mixed-or-broad', description: 'Label kind.' }],
      run(w, { kind }) {
        const h = w.headInfo(w.state?.head);
        if (!h) return { correct: false, message: 'The head analysis has not loaded yet.' };
        const k = labelKind(h.label);
        const ok = kind === 'mixed-or-broad' ? k === 'mixed' || k === 'broad' : k === kind;
        return { correct: ok, message: `Head ${h.id} is labelled "${h.label}".${ok ? '' : ' That is not the kind of head asked for: enlarge another head and check again.'}` };
      },
    },
    'typed-sentence': {
      description: 'The gallery shows a sentence the learner typed (not one of the presets).',
      args: [],
      run(w) {
        if (w.modelLoading) return { correct: false, message: 'The course model is still loading to run your sentence: check again once the heads show it.' };
        const s = w.trace ? w.trace.tokens.join(' ') : '';
        const ok = Boolean(w.trace) && w.state.typed && !GALLERY_PRESETS.includes(s);
        return { correct: ok, message: ok ? `The heads now show your sentence "${s}".` : 'Type a sentence of your own in the box and press "Show heads".' };
      },
    },
  };

  readProps() {
    super.readProps();
    const v = this.values;
    this.state = { sentence: [...v.sentence], head: v.head, group: v.group, mask: v['mask-unknown'], typed: this.state?.typed ?? false };
  }

  currentValues() {
    const v = { ...this.values };
    if (this.state) Object.assign(v, { head: this.state.head, group: this.state.group });
    if (this.trace) Object.assign(v, { sentence: [...this.trace.tokens], 'mask-unknown': this.trace.unknown.length > 0 });
    return v;
  }

  headInfo(id) {
    return this.analysis?.heads.find((h) => h.id === id) ?? null;
  }

  setup() {
    this.presetSelect = el('select', { id: 'hg-preset' },
      el('option', { value: '' }, 'Choose a sentence…'), ...GALLERY_PRESETS.map((s) => el('option', { value: s }, s)));
    this.input = el('input', { id: 'hg-input', type: 'text', autocomplete: 'off', spellcheck: 'false', enterkeyhint: 'go' });
    const form = el('form', { class: 'hg-form', 'data-control': 'sentence' },
      el('div', { class: 'hg-field' }, el('label', { for: 'hg-preset' }, 'Preset'), this.presetSelect),
      el('div', { class: 'hg-field hg-type' }, el('label', { for: 'hg-input' }, 'Or type a sentence (lower case, up to 16 words)'),
        el('div', { class: 'hg-row' }, this.input, el('button', { type: 'submit' }, 'Show heads'))));
    this.unknownBox = el('div', { class: 'hg-unknown', role: 'status', hidden: '' });
    this.groupBox = el('input', { type: 'checkbox', id: 'hg-group' });
    this.status = el('p', { class: 'sentence hg-status', 'aria-live': 'polite' });
    this.summary = el('p', { class: 'hg-summary' });
    this.tagsLine = el('p', { class: 'hint hg-tags' });
    this.gallery = el('div', { class: 'hg-gallery' });
    this.detail = el('section', { class: 'hg-detail', 'aria-live': 'polite', 'aria-label': 'Enlarged head' });
    this.body.replaceChildren(
      form, this.unknownBox,
      el('div', { class: 'controls' }, el('label', { class: 'toggle', 'data-control': 'group', for: 'hg-group' }, this.groupBox, ' Group heads by label type')),
      this.status, this.summary, this.tagsLine, this.gallery, this.detail);
    // a preset or the grouping redraws every tile: at the next frame, once however many changes came
    // before it (a select arrowed through), so the input's handler stays short
    this.presetSelect.addEventListener('change', () => {
      if (!this.presetSelect.value) return;
      this.input.value = '';
      this.removedNote = '';
      this.inNextFrame('preset', () => this.presetSelect.value && this.run(this.presetSelect.value.split(' '), { typed: false, mask: false }));
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const { words, removed } = cleanSentence(this.input.value);
      const r = parseProp(HeadGallery.props[0], words.join(' '));
      if (r.error) {
        // the shown sentence stays; what was pending or removed before belongs to an older attempt
        const note = removedNotice(removed);
        this.pending = null;
        this.removedNote = '';
        if (this.trace) this.drawStatus();
        return this.showUnknown([], `${note ? `${note} ` : ''}${r.error.replace(/^sentence: /, 'Your sentence ')}`);
      }
      this.presetSelect.value = '';
      this.removedNote = removedNotice(removed);
      this.run(r.value, { typed: true, mask: false });
    });
    this.groupBox.addEventListener('change', () => {
      this.state.group = this.groupBox.checked;
      this.inNextFrame('group', () => {
        this.drawGallery();
        this.emitChange();
      });
    });
    this.gallery.addEventListener('click', (e) => {
      const b = e.target.closest('button.hg-tile');
      if (b) this.selectHead(b.dataset.head, true);
    });
    this.gallery.addEventListener('focusin', (e) => {
      const b = e.target.closest('button.hg-tile');
      if (b) this.selectHead(b.dataset.head, true);
    });
    this.gallery.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** Attribute changes redraw: load the presets' traces and the analysis once, then draw. */
  update() {
    if (!this.engine) return;
    return this.loadAll().then(() => this.run(this.state.sentence, { typed: this.state.typed, mask: this.state.mask, fromProps: true }),
      (err) => this.showFatal(`The head analysis could not load: ${err.message}`));
  }

  loadAll() {
    if (!this.loading) {
      // without the pack (a failed fetch) every sentence goes through the model
      this.loading = Promise.all([loadPack(PACKS.gallery).catch(() => null), loadAnalysis()]).then(([pack, analysis]) => {
        this.pack = pack;
        this.analysis = analysis;
      });
      this.loading.catch(() => (this.loading = null));
    }
    return this.loading;
  }

  /** The build's trace of a preset sentence (as model.trace gives it), or undefined. */
  presetTrace(words) {
    const key = galleryKey(words);
    this.presets ??= new Map();
    if (!this.presets.has(key) && this.pack) this.presets.set(key, plainEntry(this.pack, key));
    return this.presets.get(key);
  }

  /**
   * Runs then() once the course model is loaded (at once if it is), showing that it loads; a failed
   * load says so and keeps the sentence shown. Only the last request waiting runs. Returns a promise.
   */
  needModel(then) {
    if (this.model) return Promise.resolve(then());
    this.modelWait = then;
    if (!this.modelLoading) {
      this.unknownBox.hidden = false;
      this.unknownBox.replaceChildren(el('p', { class: 'hg-loading' }, 'Loading the course model to run this sentence…'));
      this.modelLoading = this.engine.loadModel().then((model) => {
        this.model = model;
        this.modelLoading = null;
        this.unknownBox.hidden = true;
        this.unknownBox.replaceChildren();
        const f = this.modelWait;
        this.modelWait = null;
        return f?.();
      }, (err) => {
        this.modelLoading = null;
        this.modelWait = null;
        if (!this.trace) {
          // nothing drawn yet (a link to a typed sentence): the lesson's sentence from the pack,
          // drawn before the message, which drawing it would otherwise clear
          if (!this.presetTrace(HeadGallery.props[0].default)) return this.showFatal(`The course model could not load: ${err.message}`);
          this.run(HeadGallery.props[0].default, { typed: false, mask: false, fromProps: true });
        }
        this.showUnknown([], `The course model could not load (${err.message}), so only the preset sentences can be shown. Check the connection and try again`);
      });
    }
    return this.modelLoading;
  }

  /** Traces `words` through the model; unknown words stop here with a message unless mask is on. */
  run(words, { typed, mask, fromProps = false }) {
    const preset = this.presetTrace(words);
    if (!preset && !this.model) return this.needModel(() => this.run(words, { typed, mask, fromProps }));
    this.modelWait = null; // a sentence waiting for the model gives way to this one
    const unknown = preset ? preset.unknown.map((i) => preset.tokens[i])
      : [...new Set(words.filter((w) => !this.model.vocab.includes(w) || w === '[PAD]' || w === '[MASK]'))];
    if (unknown.length && !mask) {
      if (!this.trace) this.run(HeadGallery.props[0].default, { typed: false, mask: false, fromProps: true });
      this.pending = { words, typed };
      this.showUnknown(unknown);
      this.drawStatus();
      return;
    }
    let t;
    try {
      t = preset ?? this.model.trace(words, { unknown: 'mask' });
    } catch (err) {
      this.showUnknown([], err.message);
      return;
    }
    this.pending = null;
    this.unknownBox.hidden = true;
    this.unknownBox.replaceChildren();
    this.trace = t;
    this.state.sentence = [...t.tokens];
    this.state.typed = typed;
    this.setNotice(this.propErrors);
    this.drawStatus();
    this.drawGallery();
    this.drawDetail();
    if (!fromProps) this.emitChange();
  }

  /** The inline message for words outside the vocabulary (or a typing error), with the [MASK] offer. */
  showUnknown(unknown, error = null) {
    this.unknownBox.hidden = false;
    if (error) {
      this.unknownBox.replaceChildren(el('p', {}, `${error}.`));
      return;
    }
    const button = el('button', { type: 'button', class: 'hg-mask' }, `Run with ${unknown.length === 1 ? 'it' : 'them'} as [MASK]`);
    button.addEventListener('click', () => this.pending && this.run(this.pending.words, { typed: this.pending.typed, mask: true }));
    this.unknownBox.replaceChildren(
      el('p', {}, el('strong', {}, 'Not in the model\'s vocabulary: '), unknown.map((w) => `“${w}”`).join(', '),
        '. The model only knows the words of the course grammar. Nothing was replaced.'),
      button);
  }

  drawStatus() {
    const t = this.trace;
    const masked = t.unknown.map((i) => t.tokens[i]);
    this.status.replaceChildren(
      this.removedNote ? el('span', { class: 'hg-removed' }, `${this.removedNote} `) : '',
      `Showing ${t.n} token${t.n === 1 ? '' : 's'}: “${tokenLabels(t).join(' ')}”. Rows are the words asking (queries), columns the words looked at (keys).`,
      masked.length ? el('span', { class: 'unknown hg-masked' }, ` Run as [MASK]: ${masked.join(', ')}.`) : '',
      this.pending ? el('span', { class: 'unknown' }, ' (Still showing this sentence until you decide about the unknown words.)') : '');
  }

  /** Tiles, by layer or grouped by label kind. */
  drawGallery() {
    const t = this.trace, a = this.analysis;
    this.groupBox.checked = this.state.group;
    const counts = {};
    for (const h of a.heads) counts[h.label] = (counts[h.label] ?? 0) + 1;
    this.summary.textContent = `Labels measured on ${a.sentences} held-out sentences (${a.heads.length} heads): ` +
      Object.entries(counts).map(([l, c]) => `${l} × ${c}`).join(', ') + '.';
    const tags = [...new Set(a.heads.map((h) => h.best_relation?.relation).filter((r) => RELATION_TAGS[r]))];
    this.tagsLine.replaceChildren(el('strong', {}, 'Relation tags: '), tags.map((r) => `${r} = ${RELATION_TAGS[r]}`).join('; '),
      '. A tile\'s relation line reads "tag: how often the head linked the pair, vs the best fixed offset"; it skips a word\'s link to itself, which the maps count.');
    const tile = (h) => {
      const w = t.attention[h.layer - 1][h.head - 1];
      return el('button', { type: 'button', class: 'hg-tile', 'data-head': h.id, 'data-kind': labelKind(h.label),
        'aria-pressed': String(h.id === this.state.head) },
      el('span', { class: 'hg-id' }, `Head ${h.id}`),
      el('span', { class: 'hg-label' }, breakAfterSlash(h.label)),
      mapSvg(w, { className: 'map mini' }),
      el('span', { class: 'hg-stats' }, `prev ${pct(h.previous)} · next ${pct(h.next)} · self ${pct(h.self)} · first ${pct(h.first)}`),
      el('span', { class: 'hg-stats' }, `entropy ${fmt(h.entropy)} / ${fmt(h.uniform_entropy)}`),
      el('span', { class: 'hg-stats' }, `${h.best_relation.relation}: ${pct(h.best_relation.accuracy)} vs ${pct(h.best_relation.baseline)}`));
    };
    const groups = this.state.group
      ? Object.keys(KIND_TITLES).map((k) => [KIND_TITLES[k], a.heads.filter((h) => labelKind(h.label) === k)]).filter(([, hs]) => hs.length)
      : [1, 2, 3].map((L) => [`Layer ${L}`, a.heads.filter((h) => h.layer === L)]);
    this.gallery.replaceChildren(...groups.map(([title, hs]) =>
      el('section', { class: 'hg-group', 'aria-label': title }, el('h3', {}, title), el('div', { class: 'hg-tiles' }, hs.map(tile)))));
  }

  onKey(e) {
    const tiles = [...this.gallery.querySelectorAll('button.hg-tile')];
    const i = tiles.indexOf(e.target.closest?.('button.hg-tile'));
    if (i < 0) return;
    const to = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: tiles.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    tiles[Math.max(0, Math.min(tiles.length - 1, to))].focus();
  }

  selectHead(id, committed) {
    if (id === this.state.head && this.detail.dataset.head === id) return;
    this.state.head = id;
    for (const b of this.gallery.querySelectorAll('button.hg-tile')) b.setAttribute('aria-pressed', String(b.dataset.head === id));
    this.drawDetail();
    if (committed) this.emitChange();
  }

  /** The enlarged head: labelled heat map, description, and the weights as a real table. */
  drawDetail() {
    const t = this.trace, h = this.headInfo(this.state.head);
    const w = t.attention[h.layer - 1][h.head - 1];
    const labels = tokenLabels(t);
    const tops = w.map((row) => labels[argmax(row)]);
    this.detail.dataset.head = h.id;
    const table = matrixTable(w, { caption: `Head ${h.id} attention weights (row = query word, column = key word)`, rowLabels: labels, colLabels: labels, className: 'hg-table', scale: 1 });
    this.detail.replaceChildren(
      el('h3', {}, `Head ${h.id} (layer ${h.layer}, head ${h.head}): ${h.label}`),
      el('div', { class: 'hg-big' }, mapSvg(w, { labels, className: 'map big' }),
        el('div', { class: 'hg-text' },
          el('p', {}, describeHead(h)),
          el('p', {}, describeRelation(h)),
          el('p', { class: 'hg-tops' }, `On this sentence each word looks most at: ${labels.map((l, i) => `${l} → ${tops[i]}`).join('; ')}.`),
          el('p', { class: 'hint' }, 'The label and shares come from many sentences; one sentence can look different. A map shows where a head looks, not why the model predicts what it does.'))),
      el('div', { class: 'scroll hg-table-wrap', 'data-control': 'table', tabindex: '0', role: 'region', 'aria-label': `Table of head ${h.id}` }, table.table));
    this.applyHide();
  }

  emitChange() {
    const t = this.trace;
    this.emit('change', { sentence: [...t.tokens], head: this.state.head, group: this.state.group, masked: t.unknown.map((i) => t.tokens[i]) });
  }
}
