/**
 * Attention Lab for other web pages: one small ES module, the widget registry. A blog post needs only
 *
 *   <script type="module" src="https://HOST/embed.js"></script>
 *   <attn-softmax scores="2,1,0.1" temperature="1"></attn-softmax>
 *
 * Only the code of the widgets whose tags are on the page is downloaded (one dynamic import per
 * tag, also for tags added to the page later); the WASM engine loads once, when the first widget
 * nears the viewport, and every widget on the page shares it. Every file is found relative to this
 * module's address, so it works from any origin that serves the site with
 * `Access-Control-Allow-Origin` on .js/.wasm (module scripts and fetch are CORS requests).
 * The attributes of every widget are listed at https://HOST/embed/.
 *
 * Exports TAGS (every widget tag) and loadWidget(tag) -> Promise<widget class> (defines it).
 */
import { TAGS, defineWidgetsOnPage, loadWidget } from './widgets/registry.js';

defineWidgetsOnPage();

export { TAGS, loadWidget };
