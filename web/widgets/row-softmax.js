/**
 * <attn-row-softmax>: lesson 8's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class RowSoftmax extends WidgetBase {
  static tag = 'attn-row-softmax';
  static props = [];
}
