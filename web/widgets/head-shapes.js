/**
 * <attn-head-shapes>: lesson 11's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class HeadShapes extends WidgetBase {
  static tag = 'attn-head-shapes';
  static props = [];
}
