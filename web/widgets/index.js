/**
 * The widget registry: every custom element the course uses. Importing this module in a browser
 * defines the elements; in node (lesson validation) it only exposes the declarations.
 */
import { RnnForget } from './rnn-forget.js';
import { SoftLookup } from './soft-lookup.js';
import { DotArrows } from './dot-arrows.js';
import { SoftmaxBars } from './softmax-bars.js';
import { EmbedTable } from './embed-table.js';
import { QkvProjection } from './qkv-projection.js';
import { ScoreMatrix } from './score-matrix.js';
import { DkScaling } from './dk-scaling.js';
import { RowSoftmax } from './row-softmax.js';
import { WeightedSum } from './weighted-sum.js';
import { Pipeline } from './pipeline.js';
import { HeadSplit } from './head-split.js';
import { HeadShapes } from './head-shapes.js';
import { HeadGallery } from './head-gallery.js';
import { PathLength } from './path-length.js';
import { PredictHead } from './predict-head.js';
import { TrainLive } from './train-live.js';

export const widgets = [RnnForget, SoftLookup, DotArrows, SoftmaxBars, EmbedTable, QkvProjection, ScoreMatrix, DkScaling, RowSoftmax, WeightedSum, Pipeline,
  HeadSplit, HeadShapes, HeadGallery, PathLength, PredictHead, TrainLive];

/** Define every widget as a custom element (no-op outside a browser or when already defined). */
export function defineWidgets() {
  if (typeof customElements === 'undefined') return;
  for (const W of widgets) if (!customElements.get(W.tag)) customElements.define(W.tag, W);
}
