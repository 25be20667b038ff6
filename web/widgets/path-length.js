/**
 * <attn-path-length>: lesson 13's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class PathLength extends WidgetBase {
  static tag = 'attn-path-length';
  static props = [];
}
