/**
 * <attn-head-gallery>: lesson 12's widget (being written; see the lesson brief).
 */
import { WidgetBase } from './base.js';

export class HeadGallery extends WidgetBase {
  static tag = 'attn-head-gallery';
  static props = [];
}
