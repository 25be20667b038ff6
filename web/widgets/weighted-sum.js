/**
 * <attn-weighted-sum>: lesson 9's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class WeightedSum extends WidgetBase {
  static tag = 'attn-weighted-sum';
  static props = [];
}
