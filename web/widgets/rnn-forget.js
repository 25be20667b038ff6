/**
 * <attn-rnn-forget>: lesson 1's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class RnnForget extends WidgetBase {
  static tag = 'attn-rnn-forget';
  static props = [];
}
