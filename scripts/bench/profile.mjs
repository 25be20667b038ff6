/**
 * Where the time of a lesson's interactions goes: the bench's interactions step (the same controls,
 * the same keys and clicks), under the DevTools CPU profiler; prints the functions with the most
 * self time. Build readable bundles first so the names survive:
 *
 *   ATTN_MINIFY=0 node scripts/build-site.mjs --out /tmp/dist-readable
 *   ATTN_DIST=/tmp/dist-readable node scripts/bench/profile.mjs /lessons/06-q-k-v/ [top=25]
 *
 * Playwright's own work (locating and focusing elements: query, focus, elementsFromPoint) shows up
 * too; it is not the page's.
 */
import { startBrowser } from '../../tests/browser/browser.mjs';
import { markControls, operate, readiness } from './interactions.mjs';

const [path, top = '25'] = process.argv.slice(2);
if (!path) {
  console.error('usage: node scripts/bench/profile.mjs /lessons/NN-name/ [top]');
  process.exit(2);
}
const { base, newPage, close } = await startBrowser();
try {
  const page = await newPage();
  await page.goto(base + path);
  await page.waitForLoadState('load');
  await readiness(page);
  const controls = await markControls(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const made = await operate(page, controls);
  const { profile } = await cdp.send('Profiler.stop');
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const f = nodes.get(id);
    const key = `${f.functionName || '(anonymous)'}  ${f.url.split('/').pop() || '(native)'}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const idle = /^\((idle|program|garbage collector)\)/;
  console.log(`${path}: ${made} inputs on ${controls.length} controls; self time in ms`);
  for (const [k, ms] of [...self].filter(([k]) => !idle.test(k)).sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
    console.log(`${ms.toFixed(1).padStart(8)}  ${k}`);
  }
  console.log(`(${[...self].filter(([k]) => idle.test(k)).map(([k, ms]) => `${k.split('  ')[0]} ${ms.toFixed(0)}`).join(', ')})`);
} finally {
  await close();
}
