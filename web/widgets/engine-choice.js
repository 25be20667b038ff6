/**
 * Which engine a widget loads (issue 11). The widgets in STEPS_TAGS call only the step functions of
 * the light steps module (web/core/engine.js loadSteps(), STEP_FUNCTIONS; tests/node/registry.test.mjs
 * checks their code); on a page that holds no other widget they load it instead of the core. The
 * widgets in CORE_TAGS need the core, and on a page with one of them so do the others: one module per
 * page, never both for nothing. The two lists together name every widget of registry.js (the test
 * checks); they are spelled out here because this module imports nothing: base.js uses it, and the
 * registry imports every widget (an import cycle otherwise).
 */

export const STEPS_TAGS = new Set(['attn-rnn-forget', 'attn-soft-lookup', 'attn-dot-arrows', 'attn-softmax', 'attn-dk-scaling']);

export const CORE_TAGS = ['attn-embed', 'attn-qkv', 'attn-score-matrix', 'attn-row-softmax', 'attn-weighted-sum', 'attn-pipeline',
  'attn-head-split', 'attn-head-shapes', 'attn-head-gallery', 'attn-path-length', 'attn-predict-head', 'attn-train-live'];

/** True when `root` (a document or element) holds, or is, a widget that needs the core engine. */
export function needsCore(root) {
  return (root.nodeType === 1 && CORE_TAGS.includes(root.localName)) || root.querySelector(CORE_TAGS.join(',')) !== null;
}
