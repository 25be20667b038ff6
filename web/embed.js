/**
 * Attention Lab for other web pages: one ES module that registers every course widget as a custom
 * element. A blog post needs only
 *
 *   <script type="module" src="https://HOST/embed.js"></script>
 *   <attn-softmax scores="2,1,0.1" temperature="1"></attn-softmax>
 *
 * Nothing else loads until a widget nears the viewport; then the WASM engine loads once and every
 * widget on the page shares it. Every file is found relative to this module's address
 * (import.meta.url), so it works from any origin that serves the site with
 * `Access-Control-Allow-Origin` on .js/.mjs/.wasm (module scripts and fetch are CORS requests).
 * The attributes of every widget are listed at https://HOST/embed/.
 */
import { defineWidgets, widgets } from './widgets/index.js';

defineWidgets();

export { widgets };
