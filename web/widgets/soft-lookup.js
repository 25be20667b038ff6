/**
 * <attn-soft-lookup>: lesson 2's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class SoftLookup extends WidgetBase {
  static tag = 'attn-soft-lookup';
  static props = [];
}
