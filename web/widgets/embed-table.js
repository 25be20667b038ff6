/**
 * <attn-embed>: lesson 5's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class EmbedTable extends WidgetBase {
  static tag = 'attn-embed';
  static props = [];
}
