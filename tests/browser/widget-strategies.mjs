/**
 * How a learner answers each kind of widget question, for the lesson harness (lessons.test.mjs).
 * Keyed by widget tag, then check name (never by question id: lessons are rewritten, checks stay).
 *
 *   STRATEGIES[tag][check] = async ({ page, widget, args, solved }) => void
 *     page:   the Playwright page;  widget: a Locator of the widget element (CSS locators pierce
 *             its shadow root);  args: the question's check arguments (as in the lesson file);
 *     solved(): true once the widget's live state satisfies the question (the same check the
 *             quiz grades), for strategies that try things the way a learner would.
 *
 * A strategy drives the widget through its controls (keyboard, clicks, typing), never by setting
 * attributes, and leaves it in a state the question accepts; the harness then presses Check and
 * expects "correct". A new widget check needs a strategy here, or the harness fails naming it.
 */
import { KEYS as LOOKUP_KEYS } from '../../web/widgets/soft-lookup.js';

/** Presses a key on a focused control `times` times. */
async function press(page, control, key, times = 1) {
  await control.focus();
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

/** Types into a text or number box and commits it with Enter. */
async function type(control, value) {
  await control.fill(String(value));
  await control.press('Enter');
}

/** Runs each action in turn until the question is solved; true when one did. */
async function tryEach(actions, solved) {
  for (const act of actions) {
    await act();
    if (await solved()) return true;
  }
  return false;
}

/** Presses Play on a live trainer, waits (up to 3 minutes) until `done([widget, arg])` holds in the page, then pauses. */
async function trainUntil(page, widget, done, arg) {
  await widget.locator('button[data-action="play"]').click();
  await page.waitForFunction(done, [await widget.elementHandle(), arg], { timeout: 180000, polling: 250 });
  if ((await widget.locator('button[data-action="play"]').getAttribute('aria-pressed')) === 'true')
    await widget.locator('button[data-action="play"]').click();
}

/** The widget's live state in its attributes' terms (the deep-link API), for aiming, not for setting. */
const current = (widget) => widget.evaluate((w) => w.currentValues());

const tenth = (v) => Math.round(v * 10) / 10;

async function setArrows(widget, a, b) {
  for (const [k, v] of [['a', a], ['b', b]]) {
    await type(widget.getByLabel(`Arrow ${k}, x coordinate`), tenth(v[0]));
    await type(widget.getByLabel(`Arrow ${k}, y coordinate`), tenth(v[1]));
  }
}

/** Clicks the cells of a table one by one (row-major, skipping the diagonal when asked) until solved. */
async function clickCellsUntil(widget, selector, solved, { offDiagonal = false } = {}) {
  const cells = await widget.locator(selector).evaluateAll((tds) => tds.map((td) => [Number(td.dataset.row), Number(td.dataset.col)]));
  const actions = cells
    .filter(([r, c]) => !offDiagonal || r !== c)
    .map(([r, c]) => () => widget.locator(`${selector}[data-row="${r}"][data-col="${c}"]`).click());
  return tryEach(actions, solved);
}

/** Plays one round of the predict-the-head game, guessing "the previous word" for every row. */
async function playRound(widget) {
  const rows = await widget.locator('button.ph-cell').evaluateAll((bs) => Math.max(...bs.map((b) => Number(b.dataset.row))) + 1);
  for (let i = 0; i < rows; i++) await widget.locator(`button.ph-cell[data-row="${i}"][data-col="${Math.max(0, i - 1)}"]`).click();
  await widget.locator('button.ph-commit').click();
  await widget.locator('.ph-result table').waitFor();
  await widget.locator('button.ph-next').click();
}

/** Plays one round of the game aiming at each row's largest weight (read from the widget's trace, as a learner who parsed well). */
async function playRoundWell(widget) {
  const targets = await widget.evaluate((w) => {
    const p = w.puzzle;
    return p.trace.attention[p.head.layer - 1][p.head.head - 1].map((row) => row.indexOf(Math.max(...row)));
  });
  for (const [i, j] of targets.entries()) await widget.locator(`button.ph-cell[data-row="${i}"][data-col="${j}"]`).click();
  await widget.locator('button.ph-commit').click();
  await widget.locator('.ph-result table').first().waitFor();
  await widget.locator('button.ph-next').click();
}

export const STRATEGIES = {
  'attn-rnn-forget': {
    'first-token-below': async ({ page, widget, solved }) => {
      await press(page, widget.locator('#rnn-length'), 'End');
      await press(page, widget.locator('#rnn-gain'), 'Home');
      await tryEach(Array.from({ length: 58 }, () => () => press(page, widget.locator('#rnn-gain'), 'ArrowRight')), solved);
    },
    'first-token-above': async ({ page, widget, solved }) => {
      await press(page, widget.locator('#rnn-length'), 'End');
      await press(page, widget.locator('#rnn-gain'), 'End');
      await tryEach(Array.from({ length: 58 }, () => () => press(page, widget.locator('#rnn-gain'), 'ArrowLeft')), solved);
    },
    'gain-at-least': ({ page, widget }) => press(page, widget.locator('#rnn-gain'), 'End'),
    'gain-at-most': ({ page, widget }) => press(page, widget.locator('#rnn-gain'), 'Home'),
  },

  'attn-soft-lookup': {
    'top-key': async ({ widget, args }) => {
      const [x, y] = LOOKUP_KEYS[args.key - 1].key;
      await type(widget.locator('#sl-x'), tenth(x * 1.4));
      await type(widget.locator('#sl-y'), tenth(y * 1.4));
    },
    'weight-above': async ({ page, widget, args }) => {
      const [x, y] = LOOKUP_KEYS[args.key - 1].key;
      await type(widget.locator('#sl-x'), tenth(x * 1.4));
      await type(widget.locator('#sl-y'), tenth(y * 1.4));
      await press(page, widget.locator('#sl-t'), 'Home'); // the coldest softmax: the nearest key takes nearly all
    },
    'max-weight-below': ({ page, widget }) => press(page, widget.locator('#sl-t'), 'End'),
  },

  'attn-dot-arrows': {
    'dot-sign': async ({ widget, args }) => {
      const { extent } = await current(widget);
      const len = Math.min(extent, args['min-length'] + 1);
      const b = { positive: [len, 0.5], negative: [-len, 0.5], zero: [0, len] }[args.sign];
      await setArrows(widget, [len, 0], b);
    },
    'angle-between': async ({ widget, args, solved }) => {
      const { extent } = await current(widget);
      const theta = ((args.min + args.max) / 2) * (Math.PI / 180);
      await tryEach([3, extent].map((r) => () => setArrows(widget, [r, 0], [r * Math.cos(theta), r * Math.sin(theta)])), solved);
    },
    'dot-at-least': async ({ widget, args }) => {
      const { extent } = await current(widget);
      const cos = args['max-cosine'] >= 1 ? 1 : Math.max(-1, args['max-cosine'] - 0.02);
      const theta = Math.acos(cos);
      await setArrows(widget, [extent, 0], [extent * Math.cos(theta), extent * Math.sin(theta)]);
    },
  },

  'attn-softmax': {
    'top-probability-at-least': ({ widget, solved }) =>
      tryEach(Array.from({ length: 4 }, () => () => widget.getByRole('button', { name: 'Multiply every score by 10' }).click()), solved),
    'max-prob-below': ({ widget }) => type(widget.getByRole('spinbutton', { name: /temperature/i }), 20),
    'sum-to-one-after-shift': async ({ widget }) => {
      await widget.getByRole('button', { name: 'Reset' }).click();
      await widget.getByRole('button', { name: 'Add 100 to every score' }).click();
    },
    'gradient-below': ({ widget, solved }) =>
      tryEach(Array.from({ length: 4 }, () => () => widget.getByRole('button', { name: 'Multiply every score by 10' }).click()), solved),
  },

  'attn-embed': {
    'positions-on': ({ widget }) => widget.locator('#positions').check(),
    'sentence-has-unknown': ({ widget }) => type(widget.locator('#own-words'), 'my cat ate spaghetti'),
    'repeated-rows-differ': async ({ widget }) => {
      await widget.locator('#preset').selectOption('the cat chased the mouse');
      await widget.locator('#positions').check();
    },
  },

  'attn-qkv': {
    'selected-cell-in': async ({ widget, args }) => {
      await widget.locator(`label[for="pick-${args.matrix}"]`).click();
      await widget.locator(`table.o td[data-row="${Math.max(0, args.row - 1)}"][data-col="0"]`).click();
    },
    'weight-edited': async ({ widget, args }) => {
      await widget.locator(`label[for="pick-${args.matrix === 'any' ? 'Q' : args.matrix}"]`).click();
      await widget.locator('table.w td[data-row="0"][data-col="0"]').click();
      await widget.getByRole('button', { name: /increase the selected weight/ }).click();
    },
    'by-hand-correct': async ({ widget }) => {
      // the learner picks a cell the lesson has not worked out and works its sum out; the test
      // reads the engine's value of that cell
      await widget.locator('table.o td[data-row="0"][data-col="0"]').click();
      const value = await widget.evaluate((w) => w.cellValue());
      await type(widget.locator('#by-hand-input'), value.toFixed(3));
    },
  },

  'attn-score-matrix': {
    'asymmetric-pair': ({ widget, solved }) => clickCellsUntil(widget, 'table.s td.cell', solved, { offDiagonal: true }),
    'scaled-on': ({ widget }) => widget.locator('input[type=checkbox]').first().check(),
  },

  'attn-dk-scaling': {
    'saturated-without-scaling': async ({ page, widget, solved }) => {
      // raise d_k one step at a time; if no d_k does it on this draw, ask for a new draw and retry
      const slider = widget.getByRole('slider', { name: /dk|d k|width of q and k/i });
      for (let draw = 0; draw < 5; draw++) {
        await press(page, slider, 'Home');
        if (await tryEach(Array.from({ length: 8 }, () => () => press(page, slider, 'ArrowRight')), solved)) return;
        await widget.getByRole('button', { name: 'New random draw' }).click();
      }
    },
  },

  'attn-row-softmax': {
    'causal-on': async ({ widget, args }) => {
      await widget.locator('.controls input[type=checkbox]').check();
      await widget.locator(`table.weights td[data-row="${Math.max(0, args.row - 1)}"][data-col="0"]`).click();
    },
    'selected-row': ({ widget, args }) => widget.locator(`table.weights td[data-row="${args.row - 1}"][data-col="0"]`).click(),
    'row-max-weight-at-least': async ({ page, widget, solved }) => {
      await press(page, widget.getByRole('slider', { name: 'Temperature T' }), 'Home');
      await clickCellsUntil(widget, 'table.weights td.cell', solved);
    },
  },

  'attn-weighted-sum': {
    'selected-output': ({ widget, args }) => widget.locator(`.ws-picker button[data-row="${args.row - 1}"]`).click(),
    'top-contributor': async ({ widget, solved }) => {
      const rows = await widget.locator('.ws-picker button[data-row]').count();
      await tryEach(Array.from({ length: rows }, (_, i) => () => widget.locator(`.ws-picker button[data-row="${i}"]`).click()), solved);
    },
  },

  'attn-head-split': {
    'heads-is': ({ widget, args }) => widget.locator(`label[for="hs-h${args.count}"]`).click(),
    'both-retrieved': async ({ page, widget }) => {
      await widget.locator('label[for="hs-h2"]').click();
      await press(page, widget.locator('#hs-sharp'), 'End');
    },
  },

  'attn-head-shapes': {
    'layer-is': async ({ page, widget, args }) => {
      await widget.locator('#hsh-layer').selectOption(String(args.layer));
      await page.waitForFunction(({ el, layer }) => el.currentValues().layer === layer, { el: await widget.elementHandle(), layer: args.layer });
    },
    'head-highlighted': ({ widget, args }) => widget.locator(`label[for="hsh-h${args.head}"]`).click(),
  },

  'attn-head-gallery': {
    'head-selected': ({ widget, args }) => widget.locator(`button.hg-tile[data-head="${args.layer}-${args.head}"]`).click(),
    'head-with-label': async ({ widget, solved }) => {
      const tiles = await widget.locator('button.hg-tile').evaluateAll((bs) => bs.map((b) => b.dataset.head));
      await tryEach(tiles.map((id) => () => widget.locator(`button.hg-tile[data-head="${id}"]`).click()), solved);
    },
    'typed-sentence': async ({ widget }) => {
      await type(widget.locator('#hg-input'), 'the dog found a red ball');
      await widget.evaluate((el) => el.modelLoading); // the model loads for a typed sentence: a learner waits for its heads
    },
  },

  'attn-path-length': {
    'path-hops': async ({ page, widget, args }) => {
      await press(page, widget.locator('#pl-n'), 'End');
      await press(page, widget.locator('#pl-from'), 'Home');
      await press(page, widget.locator('#pl-to'), 'Home');
      const { from, to } = await current(widget);
      await press(page, widget.locator('#pl-to'), 'ArrowRight', args.hops - (to - from));
    },
    'n-beyond-crossover': ({ page, widget }) => press(page, widget.locator('#pl-cost-n'), 'End'),
    'attention-cheaper': ({ page, widget }) => press(page, widget.locator('#pl-cost-n'), 'Home'),
  },

  'attn-predict-head': {
    'rounds-played-at-least': async ({ widget, args }) => {
      for (let r = 0; r < args.n; r++) await playRound(widget);
    },
    'beat-offset-on-relations': ({ widget, solved }) => tryEach(Array.from({ length: 40 }, () => () => playRoundWell(widget)), solved),
    'traced-layer': async ({ widget }) => {
      await widget.locator('#ph-mode').selectOption('trace');
      await widget.locator('table.ph-grid').nth(3).waitFor();
      const grids = await widget.locator('table.ph-grid').count();
      for (let g = 0; g < grids; g++) {
        const grid = widget.locator('table.ph-grid').nth(g);
        const rows = await grid.locator('tbody tr').count();
        for (let i = 0; i < rows; i++) await grid.locator(`button.ph-cell[data-row="${i}"][data-col="${i}"]`).click();
      }
      await widget.locator('button.ph-commit').click();
      await widget.locator('table.ph-routing').waitFor();
    },
  },

  'attn-train-live': {
    // Train (trying a few seeds, as a learner told "a new seed gives other heads" might) until a tile
    // shows the asked label, pause, and enlarge that head.
    'labelled-head-selected': async ({ page, widget, args, solved }) => {
      const kind = args.kind ?? 'previous token';
      for (const seed of [2, 1, 3]) {
        await widget.locator('#tl-seed').fill(String(seed));
        await widget.locator('#tl-seed').press('Enter');
        await trainUntil(page, widget, ([w, k]) => [...w.shadowRoot.querySelectorAll('.tl-head')]
          .some((b) => b.querySelector('.tl-head-label').textContent.includes(k)) || (w.run?.step ?? 0) >= 1200, kind);
        const tile = widget.locator('.tl-head').filter({ has: page.locator('.tl-head-label', { hasText: kind }) }).first();
        if (await tile.count()) {
          await tile.click();
          if (await solved()) return;
        }
      }
    },
    // Train one run with `a` heads and one with `b`, each past `steps`.
    'compared-heads': async ({ page, widget, args }) => {
      for (const heads of [args.a, args.b]) {
        await widget.locator('#tl-heads').selectOption(String(heads));
        await trainUntil(page, widget, ([w, steps]) => (w.run?.step ?? 0) >= steps, args.steps);
      }
    },
  },

  'attn-pipeline': {
    // args count from 1 like the attributes; data-step and the head menu's values count from 0
    'reached-step': async ({ widget, args }) => widget.locator(`.stepper button[data-step="${args.step - 1}"]`).click(),
    'stage-shows': async ({ widget, solved }) => {
      const steps = await widget.locator('.stepper button[data-step]').count();
      await tryEach(Array.from({ length: steps }, (_, i) => () => widget.locator(`.stepper button[data-step="${i}"]`).click()), solved);
    },
    'causal-on': ({ widget }) => widget.locator('#causal').check(),
    'causal-weights': async ({ widget }) => {
      await widget.locator('#causal').check();
      await widget.locator('.stepper button[data-step="5"]').click();
    },
    'head-selected': ({ widget, args }) => widget.locator('#head').selectOption(String(args.head - 1)),
  },
};
