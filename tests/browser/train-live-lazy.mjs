// The live trainer's worker and WebAssembly module (~150 KiB gzip) load on the learner's first Play,
// not when <attn-train-live> is drawn (issue 11: each lesson page <= 250 KiB with everything it loads).
// Shared by the tests of the lessons that show the widget (10 and 12).
import assert from 'node:assert/strict';
import { loadAllWidgets } from './site-pages.mjs';

/**
 * A request for the trainer: its worker bundle or its wasm, the course-model module (model-<hash>.wasm),
 * which the worker runs (not the widget's own train-live bundle). Lessons 10 and 12 load that module on
 * the main thread only for a sentence the learner types, which these tests never do.
 */
export const isTrainerRequest = (url) => /train-worker[^/]*\.js|\/model[^/]*\.wasm|\/model\.mjs/.test(url);

/**
 * Opens `path`, draws every widget (each scrolled into view until ready, as a reader would), checks
 * that nothing of the trainer was fetched, then presses Play on the page's <attn-train-live>: the
 * button says the trainer is loading, keeps the focus, and the model trains.
 */
export async function trainerWaitsForPlay(b, path) {
  const page = await b.newPage({ serviceWorkers: 'block' });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(b.base + path);
  const { bad } = await loadAllWidgets(page, { timeout: 60000 });
  assert.deepEqual(bad, []);
  await page.waitForLoadState('networkidle');
  assert.deepEqual(requests.filter(isTrainerRequest), [], 'the trainer was fetched before Play');
  const w = page.locator('attn-train-live').first();
  assert.equal(await w.evaluate((el) => el.ready), true);
  assert.ok(await w.locator('.tl-head').count() > 0, 'the head tiles are drawn before the trainer loads');
  assert.match(await w.locator('.tl-detail').textContent(), /appears here once the trainer \(about 160 KB\) has loaded: Play or \+10 steps loads it/);
  await w.locator('button[data-action="play"]').focus();
  const during = await w.evaluate((el) => {
    el.shadowRoot.activeElement.click();
    return { text: el.playBtn.textContent, busy: el.playBtn.getAttribute('aria-busy'), status: el.status.textContent };
  });
  assert.deepEqual(during, { text: 'Loading the trainer…', busy: 'true', status: 'Loading the trainer…' });
  await page.waitForFunction((el) => el.run?.step >= 10, await w.elementHandle(), { timeout: 60000 });
  const after = await w.evaluate((el) => ({ text: el.playBtn.textContent, busy: el.playBtn.getAttribute('aria-busy'), status: el.status.textContent,
    focused: el.shadowRoot.activeElement?.dataset.action, maps: el.shadowRoot.querySelectorAll('.tl-head svg.map rect:not(.frame-rect)').length }));
  assert.deepEqual({ ...after, maps: after.maps > 0 }, { text: 'Pause', busy: null, status: 'Training…', focused: 'play', maps: true });
  assert.ok(requests.some((u) => /train-worker/.test(u)) && requests.some((u) => /\/model[^/]*\.wasm$/.test(u)), 'Play fetched the trainer');
  assert.deepEqual(page.problems, []);
  await page.context().close();
}
