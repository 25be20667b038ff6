/**
 * <attn-pipeline>: lesson 9's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class Pipeline extends WidgetBase {
  static tag = 'attn-pipeline';
  static props = [];
}
