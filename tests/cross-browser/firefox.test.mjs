// Firefox ESR (puppeteer-core over WebDriver BiDi): the whole built site, an embed on another
// origin and the service worker. See suite.mjs and checks.mjs.
import { defineSuite } from './suite.mjs';
import { startFirefox } from './firefox.mjs';

defineSuite('Firefox ESR', startFirefox);
