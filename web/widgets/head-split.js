/**
 * <attn-head-split>: lesson 10's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class HeadSplit extends WidgetBase {
  static tag = 'attn-head-split';
  static props = [];
}
