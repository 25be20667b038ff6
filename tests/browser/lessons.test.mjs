// The lesson harness: every written lesson in course.yaml, opened in headless Chromium the way a
// learner meets it. For each lesson:
//   1. on a fresh page, no widget question is correct before its widget is touched;
//   2. every question on the page is answered wrong twice (nothing reveals the right answer, in
//      the visible page or the accessibility tree; "Show answer" is offered after the second
//      try), then right: widget questions through the widget's controls, by the strategy for its
//      tag and check (widget-strategies.mjs);
//   3. the lesson completes, progress records it, the home page shows it done and offers the next
//      lesson; axe-core finds nothing serious on the answered page (light); then the optional
//      questions inside "Go deeper" sections are answered the same way;
//   4. at 360 px in dark mode, with every widget loaded: no sideways scroll, axe clean (also with
//      every "Go deeper" section and widget table view open).
// Plus: the home page lists every lesson of course.yaml.
// What is specific to one widget lives in tests/browser/lessonNN.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { startBrowser, seriousViolations } from './browser.mjs';
import { loadAllWidgets } from './site-pages.mjs';
import { STRATEGIES } from './widget-strategies.mjs';
import { check, quizData, wrongThenRight } from './quiz-helpers.mjs';
import { LESSON_FILE, loadCourse } from '../../scripts/lib/lessons.mjs';
import { lessonPath } from '../../scripts/lib/lesson-page.mjs';

/**
 * Widget questions that are still satisfied by their widget's initial state (a learner could
 * press Check without doing anything). The lesson engineers fix them and remove them here; the
 * harness fails when a listed question no longer passes untouched, so the set only shrinks.
 */
const UNTOUCHED_PENDING = new Set([]);

/**
 * Serious axe findings known on a lesson at 360 px, awaiting their widget's owner: lesson number ->
 * rule ids. The harness fails when a listed finding is gone (remove it here) or a new one appears.
 */
const AXE_PENDING = new Map();

const KEY = 'attention-lab/progress';
const course = await loadCourse(new URL('../../lessons/course.yaml', import.meta.url).pathname);
const written = new Set(readdirSync(new URL('../../lessons/', import.meta.url)).map((f) => LESSON_FILE.exec(f)?.[1]).filter(Boolean).map(Number));
const lessons = course.lessons.filter((l) => written.has(l.number));

let b;
before(async () => {
  b = await startBrowser();
});
after(() => b?.close());

const stored = (page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? 'null'), KEY);

/** Scrolls the widget `id` into view and waits until it has drawn; returns its Locator and tag. */
async function readyWidget(page, id) {
  const widget = page.locator(`[id="${id}"]`);
  await widget.scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => el.ready === true, await widget.elementHandle(), { timeout: 20000 });
  return { widget, tag: await widget.evaluate((el) => el.localName) };
}

/** Opens every closed <details> (Go deeper sections, widget table views), so axe checks them too. */
const openAllDetails = (page) => page.evaluate(() => {
  const roots = [document, ...[...document.querySelectorAll('*')].filter((el) => el.shadowRoot).map((el) => el.shadowRoot)];
  for (const root of roots) for (const d of root.querySelectorAll('details:not([open])')) d.open = true;
  // the page reacts to 'toggle' (e.g. a wide formula becomes a focusable scroll box) in a frame or two
  return new Promise((done) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(done)), 0));
});

/** Reads every quiz on the page: [{ form, data, deeper }] in page order (deeper: inside a "Go deeper" section). */
async function pageQuizzes(page) {
  const forms = page.locator('form.quiz');
  const n = await forms.count();
  const out = [];
  for (let i = 0; i < n; i++) {
    const form = forms.nth(i);
    out.push({ form, data: await quizData(form), deeper: (await form.getAttribute('data-placement')) === 'deeper' });
  }
  return out;
}

/** A question answered wrong twice, then right: widget questions through their widget's strategy. */
async function answerWrongThenRight(page, form, data, label) {
  if (data.kind !== 'widget') {
    await form.scrollIntoViewIfNeeded();
    await wrongThenRight(form, data, label);
    return;
  }
  const { widget, tag } = await readyWidget(page, data.widget);
  const strategy = STRATEGIES[tag]?.[data.check];
  assert.ok(strategy, `${label}: no strategy for <${tag}> check "${data.check}": add one to tests/browser/widget-strategies.mjs`);
  const solved = () => widget.evaluate((w, { c, a }) => w.check(c, a).correct, { c: data.check, a: data.args });
  await strategy({ page, widget, args: data.args, solved });
  assert.equal(await check(form), 'correct', `${label}: after the <${tag}> "${data.check}" strategy: ${await form.locator('.quiz-feedback').textContent()}`);
  if (data.explain) assert.equal(await form.locator('.quiz-explain-all').count(), 1, `${label}: the explanation shows once right`);
}

test('the home page lists every lesson of course.yaml: written ones link to their page, the rest are coming soon', async () => {
  const page = await b.newPage();
  await page.goto(b.base + '/');
  assert.equal(await page.locator('li.lesson-item').count(), course.lessons.length);
  const links = await page.locator('a.lesson-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, lessons.map((l) => lessonPath(l)));
  assert.equal(await page.locator('li.lesson-item .badge-soon').count(), course.lessons.length - lessons.length);
  assert.equal(await page.locator('#course-progress').getAttribute('aria-valuenow'), '0');
  await page.locator(`a.lesson-link[data-lesson-link="${lessons[0].number}"]`).click();
  await page.waitForURL(`**/${lessonPath(lessons[0])}`);
  assert.deepEqual(page.problems, []);
});

for (const lesson of lessons) {
  const url = `/${lessonPath(lesson)}`;
  const name = `lesson ${lesson.number}`;

  test(`${name}: no widget question passes untouched; every question wrong twice (nothing revealed), then right; completion`, async () => {
    const page = await b.newPage();
    await page.goto(b.base + url);
    const all = await pageQuizzes(page);
    // a "Go deeper" section's own questions are optional: answered after the lesson completes (step 4)
    const quizzes = all.filter((q) => !q.deeper);
    const optional = all.filter((q) => q.deeper);
    assert.ok(quizzes.length > 0, `${name} has questions on its page`);

    // 1. fresh page: grading a widget question before touching its widget is not correct
    for (const { form, data } of quizzes.filter((q) => q.data.kind === 'widget')) {
      await readyWidget(page, data.widget);
      const state = await check(form);
      if (UNTOUCHED_PENDING.has(data.id)) {
        assert.equal(state, 'correct', `${data.id} no longer passes untouched: remove it from UNTOUCHED_PENDING`);
        continue;
      }
      assert.equal(state, 'wrong', `${data.id}: Check before touching the widget must not be correct (${await form.locator('.quiz-feedback').textContent()})`);
    }

    // 2. every question: wrong twice, then right
    for (const { form, data } of quizzes) await answerWrongThenRight(page, form, data, `${name}, ${data.id}`);

    // 3. completion, progress, home page
    await page.locator('.lesson-complete:not([hidden])').waitFor();
    const saved = await stored(page);
    const record = saved.lessons[String(lesson.number)];
    assert.equal(record.completed, true);
    for (const { data } of quizzes) assert.equal(record.answers[data.id]?.correct, true, `${data.id} saved as correct`);

    // 4. the optional questions of "Go deeper" sections: opened as a learner would, not correct
    //    untouched, then answered like the others
    for (const { form, data } of optional) {
      await form.evaluate((f) => { f.closest('details').open = true; });
      if (data.kind === 'widget') {
        await readyWidget(page, data.widget);
        assert.equal(await check(form), 'wrong', `${data.id}: Check before touching the widget must not be correct`);
      }
      await answerWrongThenRight(page, form, data, `${name}, ${data.id} (Go deeper)`);
    }
    await openAllDetails(page);
    assert.deepEqual(await seriousViolations(page), [], `${name}: axe (light) on the answered page, every section open`);
    assert.deepEqual(page.problems, []);

    await page.goto(b.base + '/');
    assert.equal(await page.locator(`[data-lesson-status="${lesson.number}"]`).getAttribute('data-status'), 'done');
    assert.equal(await page.locator('#course-progress').getAttribute('aria-valuenow'), '1');
    const next = lessons.find((l) => l.number > lesson.number);
    if (next) {
      assert.match(await page.locator('#continue').textContent(), new RegExp(`Next lesson: Lesson ${next.number}: .* · ${next.minutes} min →`));
      assert.equal(await page.locator('#continue a.continue-link').getAttribute('href'), lessonPath(next));
    }
    assert.deepEqual(page.problems, []);
  });

  test(`${name}: a 360 px phone in dark mode, every widget loaded: no sideways scroll, axe clean`, async () => {
    const page = await b.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
    await page.goto(b.base + url);
    const { bad } = await loadAllWidgets(page);
    assert.deepEqual(bad, []);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name} overflows a 360 px screen by ${overflow}px`);
    await openAllDetails(page);
    const open = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(open <= 0, `${name} overflows a 360 px screen by ${open}px with every section open`);
    const found = await seriousViolations(page);
    const pending = AXE_PENDING.get(lesson.number) ?? [];
    for (const rule of pending) assert.ok(found.some((v) => v.startsWith(`${rule} `)), `${name}: "${rule}" is fixed: remove it from AXE_PENDING`);
    assert.deepEqual(found.filter((v) => !pending.some((rule) => v.startsWith(`${rule} `))), [], `${name}: axe (dark, 360 px, every section open)`);
    assert.deepEqual(page.problems, []);
  });
}
