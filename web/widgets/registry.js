/**
 * The lazy widget registry for browsers: every course widget's tag and how to load its code, so a
 * page downloads only the widgets it shows. `defineWidgetsOnPage()` defines the widgets whose tags
 * are in the document (and any added to it later, e.g. a snippet pasted by a blog editor); each
 * widget's module is fetched with a dynamic import the first time its tag appears.
 *
 * The full list of widget classes (for node: lesson validation, the embed docs, tests) is
 * ./index.js; tests/node/registry.test.mjs checks the two name the same widgets.
 */

/** Tag -> () => Promise<widget class>. One dynamic import per widget (one file per tag in a bundle). */
export const LOADERS = {
  'attn-rnn-forget': () => import('./rnn-forget.js').then((m) => m.RnnForget),
  'attn-soft-lookup': () => import('./soft-lookup.js').then((m) => m.SoftLookup),
  'attn-dot-arrows': () => import('./dot-arrows.js').then((m) => m.DotArrows),
  'attn-softmax': () => import('./softmax-bars.js').then((m) => m.SoftmaxBars),
  'attn-embed': () => import('./embed-table.js').then((m) => m.EmbedTable),
  'attn-qkv': () => import('./qkv-projection.js').then((m) => m.QkvProjection),
  'attn-score-matrix': () => import('./score-matrix.js').then((m) => m.ScoreMatrix),
  'attn-dk-scaling': () => import('./dk-scaling.js').then((m) => m.DkScaling),
  'attn-row-softmax': () => import('./row-softmax.js').then((m) => m.RowSoftmax),
  'attn-weighted-sum': () => import('./weighted-sum.js').then((m) => m.WeightedSum),
  'attn-pipeline': () => import('./pipeline.js').then((m) => m.Pipeline),
  'attn-head-split': () => import('./head-split.js').then((m) => m.HeadSplit),
  'attn-head-shapes': () => import('./head-shapes.js').then((m) => m.HeadShapes),
  'attn-head-gallery': () => import('./head-gallery.js').then((m) => m.HeadGallery),
  'attn-path-length': () => import('./path-length.js').then((m) => m.PathLength),
  'attn-predict-head': () => import('./predict-head.js').then((m) => m.PredictHead),
  'attn-train-live': () => import('./train-live.js').then((m) => m.TrainLive),
};

/** Every widget tag, in course order. */
export const TAGS = Object.keys(LOADERS);

const pending = new Map();

/**
 * Loads and defines one widget by tag ("attn-softmax"). Resolves with its class; rejects with an
 * Error naming the tag when it is unknown or its code fails to load (a later call retries).
 */
export function loadWidget(tag) {
  const name = String(tag).toLowerCase();
  if (!Object.hasOwn(LOADERS, name)) return Promise.reject(new Error(`there is no widget <${name}> (known: ${TAGS.join(', ')})`));
  if (!pending.has(name)) {
    const loading = LOADERS[name]().then((W) => {
      if (!customElements.get(name)) customElements.define(name, W);
      return W;
    });
    loading.catch(() => pending.delete(name));
    pending.set(name, loading);
  }
  return pending.get(name);
}

/** The widget tags used inside `root` (a document or element), without duplicates. */
export function tagsIn(root) {
  const found = new Set();
  if (root.nodeType === 1 && Object.hasOwn(LOADERS, root.localName)) found.add(root.localName);
  for (const el of root.querySelectorAll(TAGS.join(','))) found.add(el.localName);
  return [...found];
}

let observer = null;

/**
 * Defines every widget whose tag is in `doc`, now and whenever one is added later. Resolves once the
 * widgets present now are defined; a widget whose code fails to load is reported on the console and
 * shows as its empty tag, without stopping the others. Safe to call more than once.
 */
export function defineWidgetsOnPage(doc = document) {
  const load = (tags) => Promise.all(tags.map((tag) => loadWidget(tag).catch((err) => {
    console.error(`Attention Lab: the <${tag}> widget could not be loaded (${err.message}).`);
  })));
  if (!observer && typeof MutationObserver !== 'undefined') {
    observer = new MutationObserver((records) => {
      const tags = new Set();
      for (const r of records) for (const node of r.addedNodes) if (node.nodeType === 1) for (const t of tagsIn(node)) tags.add(t);
      const missing = [...tags].filter((t) => !customElements.get(t));
      if (missing.length) load(missing);
    });
    observer.observe(doc.documentElement, { childList: true, subtree: true });
  }
  return load(tagsIn(doc));
}
