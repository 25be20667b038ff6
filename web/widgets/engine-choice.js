/**
 * Which engine a widget loads (issue 11). The widgets in STEPS_TAGS call only the step functions of
 * the light steps module (web/core/engine.js loadSteps(), STEP_FUNCTIONS; tests/node/registry.test.mjs
 * checks their code); on a page that holds no other widget they load it instead of the core. Any
 * other widget (every widget tag starts with "attn-", registry.js) needs the core, and then so do
 * they: one module per page, never both for nothing. No imports: base.js uses this, and the registry
 * imports every widget (an import cycle otherwise).
 */

export const STEPS_TAGS = new Set(['attn-rnn-forget', 'attn-soft-lookup', 'attn-dot-arrows', 'attn-softmax', 'attn-dk-scaling']);

/** True when `root` (a document or element) holds, or is, a widget that needs the core engine. */
export function needsCore(root) {
  const other = (el) => el.localName.startsWith('attn-') && !STEPS_TAGS.has(el.localName);
  if (root.nodeType === 1 && other(root)) return true;
  for (const el of root.querySelectorAll('*')) if (other(el)) return true;
  return false;
}
