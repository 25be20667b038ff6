/**
 * <attn-dot-arrows>: lesson 3's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class DotArrows extends WidgetBase {
  static tag = 'attn-dot-arrows';
  static props = [];
}
