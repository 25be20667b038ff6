/**
 * <attn-dot-arrows>: two arrows a and b on a grid, and their dot product (lesson 3).
 *
 * Attributes (declared in `props` below): a, b, extent, projection, cosine.
 * Drag either arrow tip (mouse or touch), or focus a tip and use the arrow keys (0.1 a step, Shift
 * for 1), or type the coordinates in the table. Every number shown — a·b, the lengths, cos θ, the
 * angle, the shadow of b on a's line, the cosine similarity — comes from engine.compareVectors();
 * this file only draws. Buttons double or halve b's length (a·b doubles, the cosine does not move).
 * Events: `input` while a tip is being dragged; `change` with detail { a, b, dot, cosine, angleDeg }
 * on every committed change.
 * Controls `hide` can hide: buttons (double, halve, reset), table (the coordinate boxes).
 */
import { WidgetBase, el, fmt, svg } from './base.js';
import { setAttrs } from './dom.js';

/** Half the grid's width in viewBox units, and the margin around it (drawing geometry only). */
const HALF = 160;
const MARGIN = 16;
/** |a·b| at or below this counts as zero (coordinates move in steps of 0.1). */
const ZERO = 0.005;

const tenth = (v) => Math.round(v * 10) / 10;
/** A coordinate with as many decimals as it has (1 to 3): halving b gives hundredths, shown exactly, not rounded. */
const coord = (v) => fmt(v, Math.max(1, Math.min(3, (String(Number(Number(v).toFixed(3))).split('.')[1] ?? '').length)));
/** A factor in a written-out product: negative numbers in parentheses. */
const factor = (v, d = 2) => (fmt(v, d).startsWith('−') ? `(${fmt(v, d)})` : fmt(v, d));
const pair = (v) => `(${coord(v[0])}, ${coord(v[1])})`;
const signOf = (dot, tol) => (dot > tol ? 'positive' : dot < -tol ? 'negative' : 'zero');

export class DotArrows extends WidgetBase {
  static tag = 'attn-dot-arrows';
  static styles = ['dot-arrows.css'];
  static props = [
    { name: 'a', type: 'numbers', minItems: 2, maxItems: 2, min: -8, max: 8, default: [2, 1],
      description: 'Arrow a as "x,y" (kept inside the plane, rounded to tenths).' },
    { name: 'b', type: 'numbers', minItems: 2, maxItems: 2, min: -8, max: 8, default: [1, 2],
      description: 'Arrow b as "x,y" (kept inside the plane, rounded to tenths).' },
    { name: 'extent', type: 'integer', min: 2, max: 8, default: 4,
      description: 'The plane shows -extent..extent on both axes.' },
    { name: 'projection', type: 'boolean', default: true,
      description: "Draw the shadow (projection) of b on a's line." },
    { name: 'cosine', type: 'boolean', default: true,
      description: 'Show the cosine similarity beside the dot product.' },
  ];
  static controls = ['buttons', 'table'];

  static checks = {
    'dot-sign': {
      description: 'a·b has the given sign (zero within the tolerance), with both arrows longer than min-length.',
      args: [
        { name: 'sign', type: 'enum', values: ['positive', 'negative', 'zero'], description: 'The sign a·b must have.' },
        { name: 'min-length', type: 'number', min: 0, max: 12, default: 0, description: 'Both arrows must be longer than this.' },
        { name: 'tolerance', type: 'number', min: 0, max: 1, default: ZERO, description: '|a·b| at or below this counts as zero.' },
      ],
      run(w, args) {
        const c = w.cmp, minLen = args['min-length'], tol = args.tolerance;
        const got = signOf(c.dot, tol);
        const here = `a = ${pair(w.state.a)}, b = ${pair(w.state.b)}: a·b = ${fmt(c.dot)} (${got})`;
        const short = [['a', c.normA], ['b', c.normB]].filter(([, n]) => !(n > minLen));
        if (got !== args.sign) return { correct: false, message: `${here}, not ${args.sign}.` };
        if (short.length)
          return { correct: false, message: `${here}, but ${short.map(([k, n]) => `|${k}| = ${fmt(n)}`).join(' and ')} — both arrows must be longer than ${fmt(minLen, 1)}.` };
        return { correct: true, message: `${here}, with |a| = ${fmt(c.normA)} and |b| = ${fmt(c.normB)}.` };
      },
    },
    'angle-between': {
      description: 'The angle between a and b lies between min and max degrees (both arrows non-zero).',
      args: [
        { name: 'min', type: 'number', min: 0, max: 180, description: 'Smallest accepted angle in degrees.' },
        { name: 'max', type: 'number', min: 0, max: 180, description: 'Largest accepted angle in degrees.' },
      ],
      run(w, { min, max }) {
        const c = w.cmp;
        if (!(c.normA > 0 && c.normB > 0)) return { correct: false, message: 'One arrow has length 0, so there is no angle. Give both arrows some length.' };
        const ok = c.angleDeg >= min - 0.05 && c.angleDeg <= max + 0.05;
        return { correct: ok, message: `The angle is ${fmt(c.angleDeg, 1)}°; the target is ${fmt(min, 1)}° to ${fmt(max, 1)}°.` };
      },
    },
    'dot-at-least': {
      description: 'a·b is at least value, while the cosine similarity is at most max-cosine.',
      args: [
        { name: 'value', type: 'number', min: -200, max: 200, description: 'Smallest accepted a·b.' },
        { name: 'max-cosine', type: 'number', min: -1, max: 1, default: 1, description: 'Largest accepted cosine similarity.' },
      ],
      run(w, args) {
        const c = w.cmp, want = args.value, maxCos = args['max-cosine'];
        const here = `a·b = ${fmt(c.dot)} and cos θ = ${fmt(c.cosine, 3)}`;
        if (c.dot < want - 1e-6) return { correct: false, message: `${here}; a·b must reach ${fmt(want)}.` };
        if (c.cosine > maxCos + 1e-6) return { correct: false, message: `${here}; the cosine must stay at or below ${fmt(maxCos, 3)}.` };
        return { correct: true, message: `${here}.` };
      },
    },
  };

  /** Reads the attributes and keeps both tips inside the plane (a note says when one was moved). */
  readProps() {
    super.readProps();
    const { a, b, extent } = this.values;
    const notes = [];
    const fit = (name, v) => {
      const kept = v.map((x) => tenth(Math.max(-extent, Math.min(extent, x))));
      if (kept.some((x, i) => Math.abs(x - v[i]) > 0.05)) notes.push(`${name}: (${v.join(', ')}) lies outside the plane (±${extent}); using ${pair(kept)}`);
      return kept;
    };
    this.state = { a: fit('a', a), b: fit('b', b) };
    this.start = { a: [...this.state.a], b: [...this.state.b] };
    this.propNotes = notes;
    this.comparison = null;
    this.setNotice([...this.propErrors, ...notes]);
  }

  /** The live state in props terms: where the two tips are now. */
  currentValues() {
    const v = { ...this.values };
    if (this.state) Object.assign(v, { a: [...this.state.a], b: [...this.state.b] });
    return v;
  }

  setup() {
    const id = (s) => `${s}-${Math.random().toString(36).slice(2, 8)}`;
    this.ids = { hint: id('hint'), desc: id('desc') };
    this.buildPlane();
    this.builtExtent = this.values.extent;
    this.inputs = {};
    this.lengthCells = {};
    const rows = ['a', 'b'].map((k) => {
      this.inputs[k] = ['x', 'y'].map((axis, i) => {
        const input = el('input', { type: 'number', step: '0.1', inputmode: 'decimal', 'aria-label': `Arrow ${k}, ${axis} coordinate` });
        input.addEventListener('input', () => this.typed(k, i, input, false));
        input.addEventListener('change', () => this.typed(k, i, input, true));
        return input;
      });
      this.lengthCells[k] = el('td', { class: 'num' });
      return el('tr', { class: `row-${k}` },
        el('th', { scope: 'row' }, el('span', { class: `swatch ${k}`, 'aria-hidden': 'true' }), ` ${k}`),
        el('td', {}, this.inputs[k][0]), el('td', {}, this.inputs[k][1]), this.lengthCells[k]);
    });
    const table = el('table', { class: 'vectors', 'data-control': 'table' },
      el('caption', {}, 'The two arrows (type to move them)'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'arrow'), el('th', { scope: 'col' }, 'x'), el('th', { scope: 'col' }, 'y'),
        el('th', { scope: 'col' }, 'length'))),
      el('tbody', {}, ...rows));

    this.signLine = el('p', { class: 'sign' });
    this.dotCard = el('div', { class: 'card dot' });
    this.cosCard = el('div', { class: 'card cos' });
    this.eqs = el('dl', { class: 'eqs' });
    this.live = el('p', { class: 'sr-only', 'aria-live': 'polite' });
    this.compareLine = el('p', { class: 'compare', 'aria-live': 'polite' });
    this.doubleBtn = el('button', { type: 'button' }, 'Double b’s length');
    this.halveBtn = el('button', { type: 'button', class: 'secondary' }, 'Halve b’s length');
    const reset = el('button', { type: 'button', class: 'secondary' }, 'Reset');
    this.doubleBtn.addEventListener('click', () => this.scaleB(2));
    this.halveBtn.addEventListener('click', () => this.scaleB(0.5));
    reset.addEventListener('click', () => {
      this.state = { a: [...this.start.a], b: [...this.start.b] };
      this.comparison = null;
      this.update(true);
    });

    this.body.replaceChildren(
      el('div', { class: 'da-layout' },
        el('div', { class: 'da-plane' }, this.svgEl,
          el('p', { id: this.ids.hint, class: 'hint' }, 'Drag a tip, or focus it and press the arrow keys (Shift moves by 1).')),
        el('div', { class: 'da-read' },
          this.signLine,
          el('div', { class: 'cards' }, this.dotCard, this.cosCard),
          this.eqs,
          el('div', { class: 'controls', 'data-control': 'buttons' }, this.doubleBtn, this.halveBtn, reset),
          this.compareLine,
          table)),
      el('p', { id: this.ids.desc, class: 'sr-only' }),
      this.live);
    this.desc = this.body.querySelector(`#${this.ids.desc}`);
    this.svgEl.setAttribute('aria-describedby', this.ids.desc);
  }

  /** The plane: grid, axes, a's line, the shadow, the angle mark, both arrows and their handles. */
  buildPlane() {
    const E = this.values.extent, UNIT = HALF / E, half = HALF + MARGIN;
    this.unit = UNIT;
    const grid = svg('g', { class: 'grid', 'aria-hidden': 'true' });
    this.ticks = [];
    for (let i = -E; i <= E; i++) {
      grid.append(svg('line', { x1: i * UNIT, y1: -E * UNIT, x2: i * UNIT, y2: E * UNIT, class: i === 0 ? 'axis' : '' }));
      grid.append(svg('line', { x1: -E * UNIT, y1: i * UNIT, x2: E * UNIT, y2: i * UNIT, class: i === 0 ? 'axis' : '' }));
      if (i !== 0 && (E <= 5 || i % 2 === 0)) {
        this.ticks.push(svg('text', { x: i * UNIT, y: 14, class: 'tick', 'text-anchor': 'middle' }, String(i).replace('-', '−')),
          svg('text', { x: -5, y: -i * UNIT + 4, class: 'tick', 'text-anchor': 'end' }, String(i).replace('-', '−')));
      }
    }
    // numbers over every line (a y number sits on its own grid line, drawn later in the loop)
    grid.append(...this.ticks);
    this.parts = {
      guide: svg('line', { class: 'guide' }),
      drop: svg('line', { class: 'drop' }),
      shadow: svg('line', { class: 'shadow' }),
      shadowLabel: svg('text', { class: 'shadow-label' }),
      arc: svg('path', { class: 'arc' }),
      square: svg('path', { class: 'square' }),
      arcLabel: svg('text', { class: 'arc-label', 'text-anchor': 'middle' }, 'θ'),
    };
    const drawing = svg('g', { 'aria-hidden': 'true' }, ...Object.values(this.parts));
    this.arrows = {};
    this.handles = {};
    for (const k of ['b', 'a']) {
      const line = svg('line', { class: `shaft ${k}` });
      const head = svg('polygon', { class: `head ${k}` });
      const label = svg('text', { class: `name ${k}`, 'text-anchor': 'middle' }, k);
      drawing.append(line, head, label);
      this.arrows[k] = { line, head, label };
    }
    const handleLayer = svg('g');
    for (const k of ['b', 'a']) {
      const h = svg('g', { class: `handle ${k}`, tabindex: '0', role: 'slider', 'aria-roledescription': '2-D handle',
        'aria-label': `Tip of arrow ${k}`, 'aria-valuemin': -E, 'aria-valuemax': E, 'aria-describedby': this.ids.hint },
      svg('circle', { class: 'hit', r: 22 }), svg('circle', { class: 'dot', r: 8 }));
      h.addEventListener('keydown', (e) => this.onKey(k, e));
      h.addEventListener('pointerdown', (e) => this.onPointerDown(k, h, e));
      // CSS touch-action does not reach inside SVG in every browser: stop the page panning this way
      h.addEventListener('touchstart', (e) => e.preventDefault(), { passive: false });
      h.addEventListener('pointermove', (e) => this.onPointerMove(k, e));
      h.addEventListener('pointerup', () => this.endDrag());
      h.addEventListener('pointercancel', () => this.endDrag());
      h.addEventListener('lostpointercapture', () => this.endDrag());
      handleLayer.append(h);
      this.handles[k] = h;
    }
    this.svgEl = svg('svg', { class: 'plane', viewBox: `${-half} ${-half} ${2 * half} ${2 * half}`, role: 'group',
      'aria-label': 'The plane with arrows a and b' }, grid, drawing, handleLayer);
  }

  onKey(k, e) {
    const step = e.shiftKey ? 1 : 0.1;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const d = moves[e.key];
    if (!d) return;
    e.preventDefault();
    this.moveTo(k, [this.state[k][0] + d[0], this.state[k][1] + d[1]], true);
  }

  onPointerDown(k, handle, e) {
    if (e.button !== undefined && e.button !== 0) return;
    e.preventDefault();
    handle.focus();
    handle.setPointerCapture?.(e.pointerId);
    this.dragging = { k, moved: false };
  }

  onPointerMove(k, e) {
    if (!this.dragging || this.dragging.k !== k) return;
    const p = this.svgEl.createSVGPoint();
    p.x = e.clientX;
    p.y = e.clientY;
    const q = p.matrixTransform(this.svgEl.getScreenCTM().inverse());
    if (this.moveTo(k, [q.x / this.unit, -q.y / this.unit], false)) {
      this.dragging.moved = true;
      this.emit('input', this.detail());
    }
  }

  endDrag() {
    if (!this.dragging) return;
    const { moved } = this.dragging;
    this.dragging = null;
    if (moved) this.commit();
  }

  /** Moves tip k to v (clamped to the plane, rounded to tenths); returns whether it moved. */
  moveTo(k, v, commit) {
    const E = this.values.extent;
    const next = v.map((x) => tenth(Math.max(-E, Math.min(E, x))));
    if (next[0] === this.state[k][0] && next[1] === this.state[k][1]) return false;
    this.state[k] = next;
    this.comparison = null;
    this.update(commit);
    return true;
  }

  typed(k, i, input, commit) {
    const x = Number(input.value);
    if (input.value.trim() === '' || !Number.isFinite(x)) {
      if (commit) this.update();
      return;
    }
    const v = [...this.state[k]];
    v[i] = x;
    // The input event already moved the arrow uncommitted, so on change it is usually unchanged: commit anyway.
    if (!this.moveTo(k, v, commit) && commit) this.update(true);
  }

  /**
   * Multiplies b's coordinates by f (an input edit, not vector math): a·b scales by f, cos θ does not.
   * The result is kept exact (halving a tenth gives hundredths), not rounded back to tenths: rounding
   * would turn b slightly and move the cosine the lesson says stays put.
   */
  scaleB(f) {
    const E = this.values.extent;
    const next = this.state.b.map((x) => Number((x * f).toFixed(6)));
    const refuse = (text) => {
      this.comparison = null;
      this.compareLine.textContent = text;
    };
    if (this.state.b[0] === 0 && this.state.b[1] === 0) return refuse('b has length 0, so scaling it changes nothing. Drag b out first.');
    if (next.some((x) => Math.abs(x) > E)) return refuse(`Doubling would put b at ${pair(next)}, outside the plane (±${E}). Halve b or shorten it first.`);
    const before = { b: [...this.state.b], ...this.cmp };
    this.state.b = next;
    this.update(true);
    this.comparison = { f, before };
    this.describeComparison();
  }

  detail() {
    const c = this.cmp;
    return { a: [...this.state.a], b: [...this.state.b], dot: c.dot, cosine: c.cosine, angleDeg: c.angleDeg };
  }

  commit() {
    this.live.textContent = this.summary();
    this.emit('change', this.detail());
  }

  update(committed = false) {
    if (!this.engine) return;
    if (this.builtExtent !== this.values.extent) this.setup();
    try {
      this.cmp = this.engine.compareVectors(this.state.a, this.state.b);
      this.setNotice([...this.propErrors, ...this.propNotes]);
    } catch (err) {
      this.setNotice([...this.propErrors, ...this.propNotes, err.message]);
      if (!this.cmp) return;
    }
    this.draw();
    if (committed) this.commit();
  }

  summary() {
    const c = this.cmp, s = signOf(c.dot, ZERO);
    const angle = c.normA > 0 && c.normB > 0 ? `, angle ${fmt(c.angleDeg, 1)} degrees` : '';
    return `a = ${pair(this.state.a)}, b = ${pair(this.state.b)}: a·b = ${fmt(c.dot)} (${s}), cosine ${fmt(c.cosine, 3)}${angle}.`;
  }

  draw() {
    const { a, b } = this.state, c = this.cmp, v = this.values;
    const hasAngle = c.normA > 0 && c.normB > 0;
    const sign = signOf(c.dot, ZERO);
    this.drawPlane(sign, hasAngle);

    for (const k of ['a', 'b']) {
      const h = this.handles[k], [x, y] = this.state[k];
      h.setAttribute('transform', `translate(${x * this.unit} ${-y * this.unit})`);
      h.setAttribute('aria-valuenow', x);
      h.setAttribute('aria-valuetext', `x ${coord(x)}, y ${coord(y)}`);
      this.inputs[k].forEach((input, i) => {
        if (this.root.activeElement !== input || Number(input.value) !== this.state[k][i]) input.value = String(this.state[k][i]);
      });
      this.lengthCells[k].textContent = fmt(k === 'a' ? c.normA : c.normB);
    }

    const words = {
      positive: ['+', 'a·b is positive', 'the arrows lean the same way (angle below 90°).'],
      negative: ['−', 'a·b is negative', 'the arrows lean apart (angle above 90°).'],
      zero: ['0', 'a·b is zero', hasAngle ? 'the arrows are perpendicular (angle 90°).' : 'an arrow of length 0 makes every dot product 0.'],
    }[sign];
    this.signLine.className = `sign ${sign}`;
    this.signLine.replaceChildren(el('span', { class: 'sign-icon', 'aria-hidden': 'true' }, words[0]),
      el('span', {}, el('strong', {}, words[1]), `: ${words[2]}`));

    this.dotCard.replaceChildren(el('span', { class: 'card-label' }, 'Dot product a·b'), el('span', { class: 'card-value' }, fmt(c.dot)),
      el('span', { class: 'card-note' }, 'grows with both lengths'));
    this.cosCard.hidden = !v.cosine;
    this.cosCard.replaceChildren(el('span', { class: 'card-label' }, 'Cosine similarity'),
      el('span', { class: 'card-value' }, hasAngle ? fmt(c.cosine, 3) : '—'), el('span', { class: 'card-note' }, 'direction only, lengths divided out'));

    const rows = [
      ['Multiply and add', `a·b = (${coord(a[0])})(${coord(b[0])}) + (${coord(a[1])})(${coord(b[1])}) = ${fmt(c.dot)}`],
      ['Lengths and angle', hasAngle
        ? `|a| |b| cos θ = ${fmt(c.normA)} × ${fmt(c.normB)} × cos ${fmt(c.angleDeg, 1)}° = ${fmt(c.normA)} × ${fmt(c.normB)} × ${factor(c.cosine, 3)} = ${fmt(c.dot)}`
        : 'An arrow of length 0 has no direction, so there is no angle.'],
      ['Angle', hasAngle ? `θ = ${fmt(c.angleDeg, 1)}°` : 'undefined'],
    ];
    if (v.projection) rows.push(['Shadow of b on a', c.normA > 0
      ? `${fmt(c.projection)} (signed), and |a| × shadow = ${fmt(c.normA)} × ${factor(c.projection)} = ${fmt(c.dot)}`
      : 'a has length 0: it has no line to cast a shadow on.']);
    if (v.cosine) rows.push(['Cosine similarity', hasAngle ? `cos θ = a·b / (|a| |b|) = ${fmt(c.cosine, 3)}` : 'undefined']);
    this.eqs.replaceChildren(...rows.flatMap(([t, d]) => [el('dt', {}, t), el('dd', {}, d)]));

    const E = v.extent;
    if (!this.comparison) this.compareLine.textContent = '';
    this.desc.textContent = `Grid from −${E} to ${E}. Arrow a goes from the origin to ${pair(a)}, arrow b to ${pair(b)}. ${this.summary()}`
      + (v.projection && c.normA > 0 ? ` The shadow of b on a's line has signed length ${fmt(c.projection)}.` : '');
  }

  /**
   * The shadow's label and the angle's θ often land on the axes' tick numbers (an arrow near an
   * axis): hide the ticks they cover, so "shadow 1.79" reads cleanly instead of printed over a "1"
   * and a "2". `labels`: the label nodes on show (falsy entries are skipped).
   */
  /**
   * Runs uncoverTicks in the next animation frame (before it paints), once per frame: measuring the
   * labels (getBBox) forces a layout, which inside an input's handler made every input wait for it.
   */
  scheduleUncover(labels) {
    this.uncoverLabels = labels;
    this.inNextFrame('uncover', () => this.uncoverTicks(this.uncoverLabels));
  }

  uncoverTicks(labels) {
    const boxes = labels.filter(Boolean).map((n) => {
      try { return n.getBBox(); } catch { return null; }
    }).filter((b) => b && b.width > 0);
    for (const t of this.ticks) {
      const r = boxes.length ? t.getBBox() : null;
      const hit = boxes.some((box) => r.x < box.x + box.width + 2 && box.x - 2 < r.x + r.width && r.y < box.y + box.height && box.y < r.y + r.height);
      t.classList.toggle('covered', hit);
    }
  }

  /** Pixel geometry of the picture; every length and angle it shows came from the engine. */
  drawPlane(sign, hasAngle) {
    const c = this.cmp, P = this.parts, E = this.values.extent, UNIT = this.unit;
    const px = (v) => [v[0] * UNIT, -v[1] * UNIT];
    for (const k of ['a', 'b']) {
      const [tx, ty] = px(this.state[k]);
      const L = Math.hypot(tx, ty), { line, head, label } = this.arrows[k];
      const hl = Math.min(14, L), ux = L ? tx / L : 0, uy = L ? ty / L : 0;
      setAttrs(line, { x1: 0, y1: 0, x2: tx - ux * hl * 0.8, y2: ty - uy * hl * 0.8 });
      const bx = tx - ux * hl, by = ty - uy * hl;
      setAttrs(head, { points: L ? `${tx},${ty} ${bx - uy * 6},${by + ux * 6} ${bx + uy * 6},${by - ux * 6}` : '' });
      setAttrs(label, { x: tx + (L ? ux * 21 : 14), y: ty + (L ? uy * 21 : -14) + 6 });
    }
    const [ax, ay] = px(this.state.a), La = Math.hypot(ax, ay);
    const showShadow = this.values.projection && c.normA > 0;
    if (La > 0) {
      // a's whole line, cut where it leaves the grid
      const far = Math.min(ax ? (E * UNIT) / Math.abs(ax) : Infinity, ay ? (E * UNIT) / Math.abs(ay) : Infinity);
      setAttrs(P.guide, { x1: -ax * far, y1: -ay * far, x2: ax * far, y2: ay * far, visibility: 'visible' });
    } else setAttrs(P.guide, { visibility: 'hidden' });
    if (showShadow) {
      // the shadow's end: the engine's signed shadow length laid along a's direction
      const t = c.projection / c.normA, sx = ax * t, sy = ay * t;
      const [bx, by] = px(this.state.b);
      // draw the shadow bar just beside a's line, on the side away from b, so neither hides it
      const side = ax * by - ay * bx > 0 ? -1 : 1, nx = (-ay / La) * side, ny = (ax / La) * side;
      const off = 8, lab = 22;
      setAttrs(P.drop, { x1: bx, y1: by, x2: sx, y2: sy, visibility: 'visible' });
      setAttrs(P.shadow, { x1: nx * off, y1: ny * off, x2: sx + nx * off, y2: sy + ny * off, class: `shadow ${sign}`,
        visibility: sign === 'zero' ? 'hidden' : 'visible' });
      P.shadowLabel.textContent = `shadow ${fmt(c.projection)}`;
      setAttrs(P.shadowLabel, { x: sx / 2 + nx * lab, y: sy / 2 + ny * lab + 4, visibility: sign === 'zero' ? 'hidden' : 'visible',
        'text-anchor': 'middle' });
    } else ['drop', 'shadow', 'shadowLabel'].forEach((n) => setAttrs(P[n], { visibility: 'hidden' }));

    // angle mark: an arc for any angle, a small square for a right angle
    const [bx, by] = px(this.state.b), Lb = Math.hypot(bx, by);
    if (!hasAngle) {
      ['arc', 'square', 'arcLabel'].forEach((n) => setAttrs(P[n], { visibility: 'hidden' }));
      this.scheduleUncover([showShadow && sign !== 'zero' && P.shadowLabel]);
      return;
    }
    const pa = Math.atan2(ay, ax), pb = Math.atan2(by, bx);
    let d = pb - pa;
    while (d > Math.PI) d -= 2 * Math.PI;
    while (d <= -Math.PI) d += 2 * Math.PI;
    const r = Math.min(30, La * 0.6, Lb * 0.6);
    const at = (ang, rad) => [Math.cos(ang) * rad, Math.sin(ang) * rad];
    if (sign === 'zero') {
      const s = Math.min(12, r);
      const [p1x, p1y] = at(pa, s), [p2x, p2y] = at(pb, s);
      setAttrs(P.square, { d: `M${p1x},${p1y} L${p1x + p2x},${p1y + p2y} L${p2x},${p2y}`, visibility: 'visible' });
      setAttrs(P.arc, { visibility: 'hidden' });
    } else {
      const [s1x, s1y] = at(pa, r), [s2x, s2y] = at(pb, r);
      setAttrs(P.arc, { d: `M${s1x},${s1y} A${r},${r} 0 0 ${d > 0 ? 1 : 0} ${s2x},${s2y}`, visibility: 'visible' });
      setAttrs(P.square, { visibility: 'hidden' });
    }
    const [lx, ly] = at(pa + d / 2, r + 12);
    setAttrs(P.arcLabel, { x: lx, y: ly + 5, visibility: 'visible' });
    this.scheduleUncover([showShadow && sign !== 'zero' && P.shadowLabel, P.arcLabel]);
  }

  describeComparison() {
    const { f, before } = this.comparison, c = this.cmp;
    const verb = f === 2 ? 'Doubled' : 'Halved';
    this.compareLine.replaceChildren(
      el('strong', {}, `${verb} b: ${pair(before.b)} → ${pair(this.state.b)}. `),
      `a·b went from ${fmt(before.dot)} to ${fmt(c.dot)}; the cosine similarity stayed ${fmt(c.cosine, 3)} (was ${fmt(before.cosine, 3)}).`);
  }
}
