/**
 * <attn-predict-head>: lesson 14's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class PredictHead extends WidgetBase {
  static tag = 'attn-predict-head';
  static props = [];
}
