/**
 * The widget registry: every custom element the course uses. Importing this module in a browser
 * defines the elements; in node (lesson validation) it only exposes the declarations.
 */
import { ScoreMatrix } from './score-matrix.js';

export const widgets = [ScoreMatrix];

/** Define every widget as a custom element (no-op outside a browser or when already defined). */
export function defineWidgets() {
  if (typeof customElements === 'undefined') return;
  for (const W of widgets) if (!customElements.get(W.tag)) customElements.define(W.tag, W);
}
