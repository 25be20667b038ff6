/**
 * <attn-qkv>: lesson 6's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class QkvProjection extends WidgetBase {
  static tag = 'attn-qkv';
  static props = [];
}
