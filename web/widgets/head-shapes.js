/**
 * <attn-head-shapes>: lesson 11's widget. The shapes of multi-head attention in the course model,
 * one layer at a time: LN(x) (n x 64) -> Q (n x 64) split into 4 blocks of 16 columns -> per-head
 * attention weights (n x n) -> head outputs (n x 16) -> concat (n x 64) -> times W_O (64 x 64)
 * -> projected (n x 64). Choosing, hovering or focusing a head highlights its columns in Q and the
 * concat, its attention map, its output and its row block of W_O. A last panel shows, for one token,
 * that concat·W_O equals the sum over heads of head_h · (W_O rows of block h), every product and the
 * sum computed by the engine (project, weightedSum).
 * Every number comes from the engine's model trace (`model.trace(tokens, { detail })`); this file
 * lays numbers out and draws them. Words outside the vocabulary are sent as [MASK] and flagged.
 * The preset sentences at layer 1 and the lesson's own sentence at every layer are drawn from the
 * engine's traces made at build time (one trace pack per layer, model-presets.js shapesPresets,
 * fetched when that layer is first shown); the course model (~300 KiB) loads only for what no pack
 * holds: a sentence the learner types, another preset at layer 2 or 3.
 * Events: `change` { sentence, layer, head, token } on committed changes.
 * Controls `hide` can hide: sentence (presets and text box), layer, head, token.
 */
import { WidgetBase, el, fmt, svg } from './base.js';
import { matrixTable, tint } from './matrix-table.js';
import { parseProp } from './props.js';
import { cleanSentence, removedNotice } from './dom.js';
import { PACKS, SHAPES_PRESETS as PRESETS, loadPack, plainEntry, shapesKey } from './model-presets.js';

const maxAbs = (rows) => Math.max(1e-9, ...rows.flat().map(Math.abs));

export class HeadShapes extends WidgetBase {
  static tag = 'attn-head-shapes';
  static styles = ['head-shapes.css'];
  static props = [
    { name: 'sentence', type: 'tokens', maxTokens: 16, default: ['the', 'cat', 'chased', 'the', 'mouse'],
      description: 'The sentence, 1-16 lower-case words; words outside the model vocabulary are sent as [MASK] and flagged.' },
    { name: 'layer', type: 'integer', min: 1, max: 3, default: 1, description: 'Which layer (block) of the model to show, 1-based.' },
    { name: 'head', type: 'integer', min: 1, max: 4, default: 1, description: 'The highlighted head, 1-based.' },
    { name: 'token', type: 'integer', min: 1, max: 16, default: 3, description: 'The token (1-based) whose row the "heads add up" panel takes apart.' },
  ];
  static controls = ['sentence', 'layer', 'head', 'token'];

  static checks = {
    'layer-is': {
      description: 'The widget shows the given layer (1-based).',
      args: [{ name: 'layer', type: 'integer', min: 1, max: 3, description: 'Layer, 1-based.' }],
      run: (w, { layer }) => ({ correct: w.state.layer === layer,
        message: w.state.layer === layer ? `Layer ${layer} is shown.` : `The widget shows layer ${w.state.layer}, which is not the layer asked for. Pick another layer and check again.` }),
    },
    'head-highlighted': {
      description: 'The given head (1-based) is the highlighted one.',
      args: [{ name: 'head', type: 'integer', min: 1, max: 4, description: 'Head, 1-based.' }],
      run(w, { head }) {
        const h = w.state.head, dk = w.config?.d_k ?? 16;
        const cols = (x) => `columns ${(x - 1) * dk + 1}–${x * dk}`;
        return h === head
          ? { correct: true, message: `Head ${head} is highlighted: ${cols(head)} of Q and of the concat, rows ${(head - 1) * dk + 1}–${head * dk} of W_O.` }
          : { correct: false, message: `Head ${h} is highlighted: its output fills ${cols(h)} of the concat, which is not the block the question asks about. Pick another head and check again.` };
      },
    },
  };

  setup() {
    this.presetSelect = el('select', { id: 'hsh-preset' },
      el('option', { value: '' }, 'Pick a sentence…'), ...PRESETS.map((p) => el('option', { value: p }, p)));
    this.textInput = el('input', { type: 'text', id: 'hsh-text', autocomplete: 'off', spellcheck: 'false', size: '28' });
    this.textStatus = el('p', { class: 'hint hsh-status', 'aria-live': 'polite' });
    this.layerSelect = el('select', { id: 'hsh-layer' }, ...[1, 2, 3].map((l) => el('option', { value: l }, `Layer ${l}`)));
    this.headRadios = [1, 2, 3, 4].map((h) => el('input', { type: 'radio', name: 'hsh-head', value: h, id: `hsh-h${h}` }));
    this.tokenSelect = el('select', { id: 'hsh-token' });
    this.info = el('p', { class: 'sentence' });
    this.stages = el('ol', { class: 'hsh-stages' });
    const form = el('form', { class: 'hsh-sentence', 'data-control': 'sentence' },
      el('label', { for: 'hsh-preset' }, 'Sentence '), this.presetSelect,
      el('label', { for: 'hsh-text' }, 'or type one '),
      el('span', { class: 'row' }, this.textInput, el('button', { type: 'submit' }, 'Run')));
    this.body.replaceChildren(
      form, this.textStatus,
      el('div', { class: 'controls' },
        el('label', { 'data-control': 'layer', for: 'hsh-layer' }, 'Layer ', this.layerSelect),
        el('fieldset', { class: 'hsh-heads', 'data-control': 'head' }, el('legend', {}, 'Highlight head'),
          ...this.headRadios.map((r, i) => el('label', { class: 'toggle hsh-headlab', for: `hsh-h${i + 1}`, 'data-head': i }, r, ` ${i + 1}`)))),
      this.info,
      // Shown only on narrow screens (head-shapes.css), where the 4-head diagrams are wider than the card.
      el('p', { class: 'hint hsh-narrow' }, 'The diagrams are wider than this screen: scroll each one sideways to see every head →'),
      this.stages);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.setSentence(this.textInput.value);
    });
    this.presetSelect.addEventListener('change', () => {
      if (this.presetSelect.value) this.setSentence(this.presetSelect.value);
    });
    this.layerSelect.addEventListener('change', () => {
      this.state.layer = Number(this.layerSelect.value);
      this.updateInFrame();
    });
    for (const r of this.headRadios) r.addEventListener('change', () => {
      if (!r.checked) return;
      this.state.head = Number(r.value);
      this.highlight(this.state.head - 1);
      this.emitChange();
    });
    this.tokenSelect.addEventListener('change', () => {
      this.state.token = Number(this.tokenSelect.value);
      this.drawSum();
      this.emitChange();
    });
    // Hover previews a head anywhere a head's block is drawn; leaving restores the chosen head.
    this.stages.addEventListener('pointerover', (e) => {
      const node = e.target.closest?.('[data-head]');
      if (node) this.highlight(Number(node.dataset.head));
    });
    this.stages.addEventListener('pointerleave', () => this.highlight(this.state.head - 1));
  }

  // The course model loads after the engine: report `ready` (property and event) only once the
  // first trace is drawn, so deep links, embeds and tests never see an empty widget.
  get ready() { return Boolean(this._ready && this.trace); }
  set ready(v) { this._ready = v; }

  emit(type, detail) {
    if (type === 'ready' && !this.trace) {
      this._pendingReady = true;
      return;
    }
    super.emit(type, detail);
  }

  readProps() {
    super.readProps();
    const { sentence, layer, head, token } = this.values;
    this.state = { sentence: [...sentence], layer, head, token };
  }

  currentValues() {
    const v = { ...this.values };
    if (this.state) Object.assign(v, { sentence: [...this.state.sentence], layer: this.state.layer, head: this.state.head, token: this.state.token });
    return v;
  }

  emitChange() {
    const s = this.state;
    this.emit('change', { sentence: [...s.sentence], layer: s.layer, head: s.head, token: s.token });
  }

  setSentence(text) {
    const decl = HeadShapes.props[0];
    // Punctuation is dropped (and reported) as in the other sentence boxes: the model reads words only.
    const { words, removed } = cleanSentence(text);
    const r = parseProp(decl, words.join(' '));
    if (r.error) {
      this.textStatus.textContent = r.error.replace(/^sentence: /, 'That sentence ');
      return;
    }
    this.statusNote = removedNotice(removed);
    this.textStatus.textContent = this.statusNote;
    this.state.sentence = r.value;
    this.updateInFrame();
  }

  /**
   * The learner's own sentence or layer change: traced and drawn at the next animation frame, once
   * however many changes came before it (a select arrowed through); `change` follows the drawing.
   */
  updateInFrame() {
    this.inNextFrame('update', () => this.update(true));
  }

  update(committed = false) {
    if (!this.engine) return;
    const s = this.state, key = shapesKey(s.layer, s.sentence);
    if (!this.model && !this.traces?.has(key)) {
      // a preset comes from its layer's pack (fetched once); anything else needs the model
      const file = PACKS.shapes[s.layer - 1];
      this.packs ??= new Map();
      if (!this.packs.has(file)) return this.wait(loadPack(file).catch(() => null), (pack) => {
        this.packs.set(file, pack);
        if (pack) this.config ??= pack.meta.config;
      }, `Loading layer ${s.layer}…`, committed);
      if (!this.packs.get(file)?.keys.includes(key)) return this.wait(this.engine.loadModel(), (model) => {
        this.model = model;
        this.config = model.config;
      }, 'Loading the course model to trace this sentence…', committed);
    }
    this.waitTicket = (this.waitTicket ?? 0) + 1; // nothing still loading may draw over this
    const notes = [];
    let t;
    try {
      t = this.traceOf(s.sentence, s.layer);
    } catch (err) {
      notes.push(err.message);
      s.sentence = [...HeadShapes.props[0].default];
      s.layer = 1;
      t = this.traceOf(s.sentence, 1);
    }
    if (s.token > t.n) {
      notes.push(`token: ${s.token} is beyond the ${t.n} words of the sentence; using token 1`);
      s.token = 1;
    }
    this.setNotice([...this.propErrors, ...notes]);
    // the same trace and token as drawn (Run on the same sentence, a select moved back and forth
    // past a cached one): nothing to redraw; the head is highlighted, not drawn
    this.drawn = { sentence: [...s.sentence], layer: s.layer };
    if (t !== this.trace || s.token !== this.drawnToken || !this.cards) {
      this.trace = t;
      this.draw();
    } else {
      this.syncControls();
      for (const r of this.headRadios) r.checked = Number(r.value) === s.head;
      this.highlight(s.head - 1);
    }
    if (this._pendingReady) {
      this._pendingReady = false;
      this.emit('ready', {});
    }
    if (committed) this.emitChange();
  }

  /**
   * Waits for `promise` (a pack or the model), showing `message` in the status line, then keeps what
   * it gave (keep) and updates again; only the latest wait draws. A failed model load says so and
   * goes back to what was drawn (or the default sentence when nothing was). Returns a promise.
   */
  wait(promise, keep, message, committed) {
    const ticket = (this.waitTicket = (this.waitTicket ?? 0) + 1);
    if (!this.trace) {
      // nothing drawn yet (a link to a sentence or layer that needs the model): the controls show
      // what is loading, not an empty box, "Layer 1" and no head
      const s = this.state, text = s.sentence.join(' ');
      this.layerSelect.value = String(s.layer);
      this.textInput.value = text;
      this.presetSelect.value = PRESETS.includes(text) ? text : '';
      for (const r of this.headRadios) r.checked = Number(r.value) === s.head;
    }
    // after the note on punctuation dropped from the sentence, if there is one
    this.textStatus.textContent = `${this.statusNote ?? ''} ${message}`.trim();
    return promise.then((v) => {
      keep(v);
      if (ticket !== this.waitTicket) return undefined;
      this.textStatus.textContent = this.statusNote ?? '';
      return this.update(committed);
    }, (err) => {
      if (ticket !== this.waitTicket) return undefined;
      const s = this.state;
      if (this.trace) {
        s.sentence = [...this.drawn.sentence];
        s.layer = this.drawn.layer;
        this.syncControls();
      } else {
        s.sentence = [...HeadShapes.props[0].default];
        s.layer = 1;
      }
      const failed = `The course model could not load (${err.message}), so only the sentences traced in advance can be shown. Check the connection and try again.`;
      this.textStatus.textContent = failed;
      if (this.trace) return undefined;
      // nothing was drawn: the default sentence may first wait for its layer's pack, which clears
      // the status line; the learner still needs to know why the linked sentence is not shown
      return Promise.resolve(this.update(false)).then(() => {
        if (!this.textStatus.textContent) this.textStatus.textContent = failed;
      });
    });
  }

  /**
   * The trace of a sentence with one layer's detail: from the layer's pack for a preset, else from
   * the model; the last few are kept (a trace depends on nothing else).
   */
  traceOf(sentence, layer) {
    const key = shapesKey(layer, sentence);
    this.traces ??= new Map();
    let t = this.traces.get(key);
    if (!t) {
      const pack = this.packs?.get(PACKS.shapes[layer - 1]);
      t = pack && plainEntry(pack, key);
      if (t) {
        // the pack leaves out the concat: the head outputs side by side, laid out again here
        const d = t.detail;
        d.concat = d.input.map((_, i) => d.heads.flatMap((hd) => hd.output[i]));
      } else t = this.model.trace(sentence, { unknown: 'mask', detail: layer - 1 });
      this.traces.set(key, t);
      if (this.traces.size > 8) this.traces.delete(this.traces.keys().next().value);
    }
    return t;
  }

  labels() {
    const w = this.trace.tokens;
    return w.map((x, i) => (w.indexOf(x) !== w.lastIndexOf(x) ? `${x} ${i + 1}` : x));
  }

  /** A compact heat strip (SVG, tinted by class), with an outline per block of columns or rows. */
  strip(rows, { cw = 6, ch = 14, blocks = 0, blockAxis = 'col', rowLabels = null, label, colTicks = true }) {
    const n = rows.length, m = rows[0].length, scale = maxAbs(rows);
    const left = rowLabels ? 64 : 4, top = colTicks ? 14 : 4;
    const W = left + m * cw + 4, H = top + n * ch + 4;
    // One <path> per tint class (a few nodes instead of one rect per cell: W_O alone has 4096 cells).
    const byClass = new Map();
    rows.forEach((row, i) => row.forEach((v, j) => {
      const cls = tint(v, scale);
      if (!byClass.has(cls)) byClass.set(cls, []);
      byClass.get(cls).push(`M${left + j * cw} ${top + i * ch}h${cw}v${ch}h${-cw}z`);
    }));
    const g = svg('g', {}, ...[...byClass].map(([cls, d]) => svg('path', { d: d.join(''), class: `c ${cls}` })));
    const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'hsh-strip', role: 'img', 'aria-label': label }, g);
    if (rowLabels) rowLabels.forEach((r, i) => s.append(svg('text', { x: left - 4, y: top + i * ch + ch - 3, class: 'rl', 'text-anchor': 'end' }, r.length > 9 ? `${r.slice(0, 8)}…` : r)));
    if (blocks) {
      const size = (blockAxis === 'col' ? m : n) / blocks;
      for (let b = 0; b < blocks; b++) {
        const attrs = blockAxis === 'col'
          ? { x: left + b * size * cw, y: top, width: size * cw, height: n * ch }
          : { x: left, y: top + b * size * ch, width: m * cw, height: size * ch };
        s.append(svg('rect', { ...attrs, class: 'blk', 'data-head': b }));
        if (blockAxis === 'row') s.append(svg('text', { x: left - 4, y: attrs.y + attrs.height / 2 + 4, class: 'tick', 'text-anchor': 'end', 'data-head': b }, `head ${b + 1}`));
        if (colTicks && blockAxis === 'col') s.append(svg('text', { x: attrs.x + attrs.width / 2, y: top - 3, class: 'tick', 'text-anchor': 'middle', 'data-head': b }, `head ${b + 1}`));
      }
    }
    return s;
  }

  /**
   * A stage card: title, shape in text, formula line, visual, and a numbers table built on demand.
   * The k-th card is built once and filled again on later draws (its scroll regions, open table
   * and the token select keep their place and focus).
   */
  stage(k, title, shape, note, visual, tableFn) {
    this.cards ??= [];
    let c = this.cards[k];
    if (!c) {
      c = { h3: el('h3'), shape: el('span', { class: 'shape' }), note: el('p', { class: 'hsh-note' }), visual: el('div', { class: 'scroll hsh-visual', tabindex: '0', role: 'region' }) };
      c.li = el('li', { class: 'hsh-stage' }, el('div', { class: 'hsh-head' }, c.h3, c.shape), c.note, c.visual);
      if (tableFn) {
        const box = el('div', { class: 'scroll hsh-numbers', tabindex: '0', role: 'region' });
        c.box = box;
        c.det = el('details', {}, el('summary', {}, 'Numbers (table)'), box);
        c.det.addEventListener('toggle', () => { if (c.det.open) c.det._build(); });
        c.li.append(c.det);
      }
      this.cards[k] = c;
    }
    c.h3.textContent = title;
    c.shape.textContent = shape;
    c.note.hidden = !note;
    const parts = note ? [].concat(note) : [], now = c.note.childNodes;
    // unchanged parts stay (a control inside, the token select, keeps focus)
    const same = parts.length === now.length && parts.every((x, i) => (typeof x === 'string' ? now[i].nodeType === 3 && now[i].data === x : now[i] === x));
    if (!same) c.note.replaceChildren(...parts);
    c.visual.setAttribute('aria-label', `${title}: ${shape} (scrolls sideways)`);
    c.visual.replaceChildren(visual);
    if (tableFn) {
      c.box.setAttribute('aria-label', `${title}: numbers`);
      c.det._build = () => c.box.replaceChildren(tableFn());
      c.box.replaceChildren(); // built when opened (or below, when it is open)
    }
    return c.li;
  }

  /** W_O's strip depends on the layer only. */
  woStrip(d, dm, H, layer) {
    this.woStrips ??= new Map();
    if (!this.woStrips.has(layer)) this.woStrips.set(layer, this.strip(d.W_o, { cw: 4, ch: 4, blocks: H, blockAxis: 'row', colTicks: false, rowLabels: [], label: `W_O, ${dm} by ${dm}, in ${H} row blocks` }));
    return this.woStrips.get(layer);
  }

  /** The sentence box, the preset and layer selects show the drawn trace. */
  syncControls() {
    const t = this.trace, text = t.tokens.join(' ');
    this.layerSelect.value = String(this.state.layer);
    this.textInput.value = text;
    this.presetSelect.value = PRESETS.includes(text) ? text : '';
  }

  draw() {
    const t = this.trace, d = t.detail, s = this.state, labels = this.labels();
    const c = this.config, dk = c.d_k, H = c.n_heads, n = t.n, dm = c.d_model;
    this.syncControls();
    const optionsKey = labels.join('\n');
    if (optionsKey !== this.tokenOptions) {
      this.tokenOptions = optionsKey;
      this.tokenSelect.replaceChildren(...labels.map((w, i) => el('option', { value: i + 1 }, `${i + 1}: ${w}`)));
    }
    this.tokenSelect.value = String(s.token);
    const unknown = t.tokens.filter((_, i) => !t.known[i]);
    this.info.replaceChildren(
      el('span', {}, `Course model · layer ${s.layer} of ${c.n_layers} · n = ${n} tokens · d_model ${dm} · ${H} heads · d_k = ${dm} / ${H} = ${dk}`),
      unknown.length ? el('span', { class: 'unknown' }, ` · not in the vocabulary, sent as [MASK]: ${unknown.join(', ')}`) : '');

    const cols = (h) => `${h * dk + 1}–${(h + 1) * dk}`;
    const Qfull = d.input.map((_, i) => d.heads.flatMap((hd) => hd.Q[i]));
    const colLabels = (m, from = 1) => Array.from({ length: m }, (_, j) => String(j + from));
    const full = (rows, caption, m = dm) => () => matrixTable(rows, { caption, rowLabels: labels, colLabels: colLabels(m) }).table;

    const A = t.attention[s.layer - 1];
    const attnGrids = el('div', { class: 'hsh-row' }, ...A.map((W, h) => el('figure', { class: 'hsh-mini', 'data-head': h },
      this.strip(W, { cw: Math.max(8, Math.min(16, Math.floor(96 / n))), ch: Math.max(8, Math.min(16, Math.floor(96 / n))), colTicks: false, label: `Head ${h + 1} attention weights, ${n} × ${n}` }),
      el('figcaption', { 'data-head': h }, `head ${h + 1}: ${n} × ${n}`))));
    const outStrips = el('div', { class: 'hsh-row' }, ...d.heads.map((hd, h) => el('figure', { class: 'hsh-mini', 'data-head': h },
      this.strip(hd.output, { cw: 5, ch: 10, colTicks: false, label: `Head ${h + 1} output, ${n} × ${dk}` }),
      el('figcaption', { 'data-head': h }, `head ${h + 1}: ${n} × ${dk}`))));

    this.tokenLabel ??= el('label', { for: 'hsh-token', class: 'hsh-tok', 'data-control': 'token' }, 'Token: ', this.tokenSelect);
    this.sumStage = this.stage(7, 'Heads add up', `${H} × (1 × ${dk}) · (${dk} × ${dm}) summed = 1 × ${dm}`,
      ['concat · W_O equals the sum over heads of (head h’s output) · (head h’s rows of W_O). Every product and the sum below are computed by the engine.',
        ' ', this.tokenLabel],
      el('div', { class: 'hsh-sum' }), null);

    const cards = [
      this.stage(0, '1. Input to attention: LN(x)', `${n} × ${dm}`,
        `Each row is one token after the layer norm. Every head reads all ${dm} columns of it.`,
        this.strip(d.input, { rowLabels: labels, label: `Input, ${n} by ${dm}` }), full(d.input, `LN(x), ${n} × ${dm}`)),
      this.stage(1, '2. Q = LN(x) · W_Q + b_Q, split into heads', `${n} × ${dm} → ${H} blocks of ${n} × ${dk}`,
        [`W_Q is ${dm} × ${dm}; head h owns ${dk} of its columns, so its block of Q is the full ${dm}-wide input times a ${dm} × ${dk} slice of W_Q. The split slices the projection, not the input. K and V split the same way.`],
        this.strip(Qfull, { blocks: H, rowLabels: labels, label: `Q, ${n} by ${dm}, in ${H} blocks of ${dk} columns` }),
        () => matrixTable(Qfull.map((r) => r.slice((s.head - 1) * dk, s.head * dk)), { caption: `Q block of head ${s.head}: columns ${cols(s.head - 1)}, ${n} × ${dk}`, rowLabels: labels, colLabels: colLabels(dk, (s.head - 1) * dk + 1) }).table),
      this.stage(2, '3. Attention weights per head: softmax(Q_h K_hᵀ / √d_k)', `${H} × (${n} × ${n})`,
        `Each head scores every pair with its own ${dk}-wide queries and keys. Row = the token asking.`, attnGrids,
        () => matrixTable(A[s.head - 1], { caption: `Head ${s.head} attention weights, ${n} × ${n}`, rowLabels: labels, colLabels: labels, scale: 1 }).table),
      this.stage(3, '4. Head outputs: A_h · V_h', `${H} × (${n} × ${dk})`,
        `Each head blends its own ${dk}-wide values.`, outStrips,
        () => matrixTable(d.heads[s.head - 1].output, { caption: `Head ${s.head} output, ${n} × ${dk}`, rowLabels: labels, colLabels: colLabels(dk) }).table),
      this.stage(4, '5. Concat', `${n} × ${dm}`,
        `The ${H} outputs side by side: head h fills columns ${dk}(h−1)+1 to ${dk}h.`,
        this.strip(d.concat, { blocks: H, rowLabels: labels, label: `Concat, ${n} by ${dm}, in ${H} blocks` }), full(d.concat, `Concat, ${n} × ${dm}`)),
      this.stage(5, '6. W_O', `${dm} × ${dm}`,
        `Row block h of W_O (rows ${dk}(h−1)+1 to ${dk}h) is what head h’s columns of the concat multiply.`,
        this.woStrip(d, dm, H, s.layer),
        () => matrixTable(d.W_o.slice((s.head - 1) * dk, s.head * dk), { caption: `W_O rows ${cols(s.head - 1)} (head ${s.head}), ${dk} × ${dm}`, rowLabels: colLabels(dk, (s.head - 1) * dk + 1), colLabels: colLabels(dm) }).table),
      this.stage(6, '7. Projected = concat · W_O + b_O', `${n} × ${dm}`,
        'This is what the attention layer adds back to the residual stream.',
        this.strip(d.projected, { rowLabels: labels, label: `Projected, ${n} by ${dm}` }), full(d.projected, `Projected, ${n} × ${dm}`)),
      this.sumStage,
    ];
    if (this.stages.children.length !== cards.length) this.stages.replaceChildren(...cards);
    for (const det of this.stages.querySelectorAll('details')) if (det.open) det._build();
    this.drawSum();
    for (const r of this.headRadios) r.checked = Number(r.value) === s.head;
    this.highlight(s.head - 1);
    this.applyHide();
  }

  /** The E21 identity for one token row, every product and the sum by the engine. */
  drawSum() {
    this.drawnToken = this.state.token;
    const t = this.trace, d = t.detail, i = this.state.token - 1, c = this.config, dk = c.d_k, dm = c.d_model;
    const labels = this.labels();
    const e = this.engine, rowOf = (m) => Array.from(m.data);
    const parts = d.heads.map((hd, h) => rowOf(e.project([hd.output[i]], d.W_o.slice(h * dk, (h + 1) * dk))));
    const sum = rowOf(e.weightedSum([parts.map(() => 1)], parts));
    const direct = rowOf(e.project([d.concat[i]], d.W_o));
    // Two float32 sums in different orders differ in their last bits: compare within half of the
    // third decimal (rounding both to 3 decimals could split a pair that straddles a rounding edge).
    const same = sum.filter((v, j) => Math.abs(v - direct[j]) < 5e-4).length;
    const rows = [...parts, sum, direct];
    const rowLabels = [...parts.map((_, h) => `head ${h + 1} · W_O rows ${h * dk + 1}–${(h + 1) * dk}`), 'sum of the 4', 'concat · W_O'];
    const table = matrixTable(rows, { caption: `Row ${i + 1} (“${labels[i]}”): per-head parts, their sum, and concat · W_O (1 × ${dm} each)`, rowLabels, colLabels: Array.from({ length: dm }, (_, j) => String(j + 1)), className: 'hsh-sumt' });
    table.cells.slice(0, parts.length).forEach((r, h) => r.forEach((td) => td.setAttribute('data-head', h)));
    table.table.querySelectorAll('tbody tr').forEach((tr, h) => { if (h < parts.length) tr.setAttribute('data-head', h); });
    const box = this.sumStage.querySelector('.hsh-sum');
    box.replaceChildren(
      this.strip(rows, { rowLabels: [...parts.map((_, h) => `head ${h + 1}`), 'sum', 'concat·W_O'], label: `Token ${i + 1}: four head parts, their sum and concat times W_O, 1 by ${dm} each` }),
      el('p', { class: 'hsh-match' }, `${same} of ${dm} entries of the sum equal concat · W_O to within 0.0005. (The model then adds the bias b_O.)`),
      el('div', { class: 'hsh-sumtable', tabindex: '0', role: 'region', 'aria-label': 'Per-head parts table (scrolls sideways)' }, table.table));
    this.highlight(this.state.head - 1);
  }

  /** Marks head h (0-based) everywhere: Q and concat column blocks, W_O row block, its map and output. */
  highlight(h) {
    if (!this.stages) return;
    for (const node of this.stages.querySelectorAll('[data-head]')) node.classList.toggle('on', Number(node.dataset.head) === h);
    for (const lab of this.root.querySelectorAll('.hsh-headlab')) lab.classList.toggle('on', Number(lab.dataset.head) === h);
  }
}
