/**
 * <attn-softmax>: lesson 4's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class SoftmaxBars extends WidgetBase {
  static tag = 'attn-softmax';
  static props = [];
}
