// WebKitGTK, Safari's engine (MiniBrowser under Xvfb through WebKitWebDriver and
// selenium-webdriver): the whole built site, an embed on another origin and the service worker.
// See suite.mjs and checks.mjs.
import { defineSuite } from './suite.mjs';
import { startWebKit } from './webkit.mjs';

defineSuite('WebKitGTK', startWebKit);
