// Quizzes teach instead of giving the answer away, in headless Chromium on the built site:
// "Show answer" after two wrong tries (keyboard operable, recorded, kept across reloads, due for
// review at once); numeric answers typed as fractions and powers, with hints that never say the
// number; a partly right multiple-answer pick; a widget question's explanation; the review page
// (every question there answered wrong twice without a reveal, then right; Show answer there;
// new cards from review-only questions); and the home page's Today card.
// The questions are found by kind in the built pages, so lesson rewrites do not break this file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startBrowser, seriousViolations } from './browser.mjs';
import { DIST, sitePages } from './site-pages.mjs';
import { check, pick, quizData, wrongAnswers, wrongThenRight } from './quiz-helpers.mjs';

const KEY = 'attention-lab/progress';
let b;
before(async () => {
  b = await startBrowser();
});
after(() => b?.close());

/** Every quiz of every built lesson page: [{ url, id, kind, lesson, data }] in course order. */
function builtQuestions() {
  const out = [];
  for (const url of sitePages().filter((p) => /^\/lessons\/\d\d-/.test(p))) {
    const html = readFileSync(path.join(DIST, url, 'index.html'), 'utf8');
    for (const m of html.matchAll(/<form class="quiz"[^>]*data-quiz-id="([^"]+)" data-kind="(\w+)"[\s\S]*?<script type="application\/json" class="quiz-data">(.*?)<\/script>/g))
      out.push({ url, id: m[1], kind: m[2], lesson: Number(/\/lessons\/(\d\d)-/.exec(url)[1]), data: JSON.parse(m[3]) });
  }
  return out;
}
const QUESTIONS = builtQuestions();

/**
 * The review-only questions (placement: review): on no lesson page, only inside the review page's
 * templates, so the review-page test must add them or they would go unchecked.
 */
function reviewOnlyQuestions() {
  if (!sitePages().includes('/review/')) return [];
  const html = readFileSync(path.join(DIST, 'review', 'index.html'), 'utf8');
  return [...html.matchAll(/<template class="review-item" data-quiz-id="([^"]+)" data-kind="(\w+)" data-placement="review" data-lesson="(\d+)"[^>]*>(?:(?!<\/template>)[\s\S])*?<script type="application\/json" class="quiz-data">(.*?)<\/script>/g)]
    .map((m) => ({ url: '/review/', id: m[1], kind: m[2], lesson: Number(m[3]), data: JSON.parse(m[4]) }));
}
const REVIEW_ONLY = reviewOnlyQuestions();
const first = (pred) => {
  const q = QUESTIONS.find(pred);
  assert.ok(q, 'the built lessons hold such a question');
  return q;
};

const stored = (page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k)), KEY);
const localDay = (offset = 0) => {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
const formOf = (page, id) => page.locator(`form.quiz[data-quiz-id="${id}"]`);

/** Changes the stored progress: opens the home page (which creates a record), edits it here, saves it. */
async function withProgress(page, edit, arg) {
  await page.goto(b.base + '/');
  const record = await stored(page);
  edit(record, arg);
  await page.evaluate(([key, text]) => localStorage.setItem(key, text), [KEY, JSON.stringify(record)]);
}

test('a single-choice question: two wrong picks, then "Show answer" by keyboard marks the answer, is saved, survives a reload', async () => {
  const q = first((x) => x.kind === 'single' && x.data.choices.filter((c) => !c.correct).length >= 2);
  const page = await b.newPage();
  await page.goto(b.base + q.url);
  const form = formOf(page, q.id);
  const [w1, w2] = wrongAnswers(form, q.data);
  await w1.act();
  assert.equal(await check(form), 'wrong');
  assert.match(await form.locator('.quiz-feedback').textContent(), /Not quite\. Why that choice is wrong is explained above; try another one\./);
  assert.equal(await form.locator('.quiz-reveal').isVisible(), false);
  await w2.act();
  assert.equal(await check(form), 'wrong');
  const reveal = form.locator('.quiz-reveal');
  assert.equal(await reveal.isVisible(), true, '"Show answer" is offered after the second wrong try');
  await reveal.focus();
  await page.keyboard.press('Enter');
  assert.equal(await form.getAttribute('data-state'), 'revealed');
  assert.equal(await form.getAttribute('data-revealed'), 'true');
  const right = q.data.choices.findIndex((c) => c.correct);
  const li = form.locator(`.quiz-choice[data-choice="${right}"]`);
  assert.equal(await li.getAttribute('data-result'), 'revealed-correct');
  assert.match(await li.locator('.quiz-mark').textContent(), /Correct answer/);
  assert.equal(await li.locator('.quiz-explain').count(), 1);
  assert.equal(await reveal.isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'quiz-feedback', 'focus moves to what was revealed');
  assert.match(await form.locator('.quiz-feedback').textContent(), /marked “Correct answer” above\. Pick it and press Check/);

  let saved = await stored(page);
  assert.equal(saved.lessons[q.lesson].answers[q.id].revealed, true);
  assert.deepEqual([saved.review[q.id].box, saved.review[q.id].due], [1, localDay()], 'revealing counts as a miss: box 1, due at once');

  await page.reload();
  assert.equal(await form.getAttribute('data-revealed'), 'true', 'the reveal survives a reload');
  assert.equal(await form.locator(`.quiz-choice[data-choice="${right}"]`).getAttribute('data-result'), 'revealed-correct');
  await pick(form, q.data, [right]);
  assert.equal(await check(form), 'correct');
  saved = await stored(page);
  assert.deepEqual([saved.lessons[q.lesson].answers[q.id].correct, saved.lessons[q.lesson].answers[q.id].revealed], [true, true]);
  assert.deepEqual(page.problems, []);
});

test('a numeric question takes fractions and powers, and a wrong number gets a hint, never the value', async () => {
  const q = first((x) => x.kind === 'numeric' && x.data.answer !== 0);
  const { answer } = q.data;
  const page = await b.newPage();
  await page.goto(b.base + q.url);
  const form = formOf(page, q.id);
  const input = form.locator('.quiz-input');
  const feedback = () => form.locator('.quiz-feedback').textContent();
  await input.fill('twelve');
  assert.equal(await check(form), 'invalid');
  assert.match(await feedback(), /"twelve" is not a number\. Type digits, for example 25, 0\.5, 1\/8 or 2\^-3\./);
  await input.fill(String(answer * 100));
  assert.equal(await check(form), 'wrong');
  assert.match(await feedback(), /far too (high|low): off by a factor of ten or more/);
  await input.fill(String(-answer).replace('-', '−'));
  assert.equal(await check(form), 'wrong');
  assert.match(await feedback(), /Check the sign of your answer\./);
  assert.equal(await form.locator('.quiz-explain-all').count(), 0, 'no explanation after a wrong number');
  await input.fill(`${answer * 1024}/2^10`);
  assert.equal(await check(form), 'correct', `${answer * 1024}/2^10 reads as ${answer}`);
  assert.match(await feedback(), new RegExp(`Correct: ${String(answer).replace('.', '\\.')}\\.`));
  assert.equal(await form.locator('.quiz-explain-all').count(), 1);
  assert.deepEqual(page.problems, []);
});

test('a multiple-answer question marks only the picks; missing right choices are counted, never shown', async () => {
  const q = first((x) => x.kind === 'multiple');
  const page = await b.newPage();
  await page.goto(b.base + q.url);
  const form = formOf(page, q.id);
  const right = q.data.choices.map((c, k) => (c.correct ? k : -1)).filter((k) => k >= 0);
  const wrong = q.data.choices.map((c, k) => (c.correct ? -1 : k)).filter((k) => k >= 0);
  const picked = right.length > 1 ? [right[0]] : [right[0], wrong[0]];
  await pick(form, q.data, picked);
  assert.equal(await check(form), 'wrong');
  assert.match(await form.locator('.quiz-feedback').textContent(), right.length > 1
    ? /Every choice you picked is right, but (one more is|more are) right too\./
    : /one of your picks is not right \(see why above\)\. Try again\./);
  const marked = await form.locator('.quiz-choice[data-result]').evaluateAll((lis) => lis.map((li) => Number(li.dataset.choice)).sort());
  assert.deepEqual(marked, [...picked].sort());
  assert.deepEqual(page.problems, []);
});

test('a widget question: its explanation waits until right or revealed', async () => {
  const q = first((x) => x.kind === 'widget' && x.data.explain && x.id !== 'l07-find-asymmetry');
  const page = await b.newPage();
  await page.goto(b.base + q.url);
  const widget = page.locator(`[id="${q.data.widget}"]`);
  await widget.scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => el.ready === true, await widget.elementHandle());
  const form = formOf(page, q.id);
  assert.equal(await check(form), 'wrong');
  assert.equal(await form.locator('.quiz-explain-all').count(), 0);
  assert.equal(await check(form), 'wrong');
  await form.locator('.quiz-reveal').click();
  assert.equal(await form.getAttribute('data-state'), 'revealed');
  assert.equal(await form.locator('.quiz-explain-all').count(), 1);
  assert.match(await form.locator('.quiz-feedback').textContent(), /Set the widget that way and press Check/);
  assert.equal(await check(form), 'wrong', 'revealing does not answer the question: the widget still has to be set');
  assert.equal(await form.locator('.quiz-explain-all').count(), 1, 'what was revealed stays');
  const saved = await stored(page);
  assert.equal(saved.lessons[q.lesson].answers[q.id].revealed, true);
  assert.deepEqual(page.problems, []);
});

test('the review page: every question due (review-only ones too), each answered wrong twice without a reveal, then right', async () => {
  const due = [...QUESTIONS, ...REVIEW_ONLY].filter((q) => q.kind !== 'widget');
  assert.equal(new Set(due.map((q) => q.id)).size, due.length, 'a review-only question is on no lesson page');
  const page = await b.newPage();
  await withProgress(page, (record, arg) => {
    for (const [id, lesson] of arg.ids) record.review[id] = { lesson, box: 1, due: arg.day, added: null, at: null, history: [] };
  },
    { ids: due.map((q) => [q.id, q.lesson]), day: localDay() });
  await page.goto(b.base + '/review/');
  const forms = page.locator('#review-queue form.quiz');
  assert.equal(await forms.count(), due.length, 'every choice and numeric question of the course, review-only ones included, is on the review page');
  for (let i = 0; i < due.length; i++) {
    const form = forms.nth(i);
    const data = await quizData(form);
    await form.scrollIntoViewIfNeeded();
    await wrongThenRight(form, data, `review page, ${data.id}`);
  }
  const saved = await stored(page);
  for (const q of due) assert.equal(saved.review[q.id].box, 1, `${q.id}: missed on review today, so back in box 1`);
  assert.match(await page.locator('#review-summary').textContent(), new RegExp(`Reviewed ${due.length} of ${due.length} due questions: done for today`));
  assert.deepEqual(page.problems, []);
});

test('the review page: "Show answer" there counts as a miss', async () => {
  const q = first((x) => x.kind === 'single');
  const page = await b.newPage();
  await withProgress(page, (record, arg) => {
    record.review[arg.id] = { lesson: arg.lesson, box: 3, due: arg.day, added: null, at: null, history: [] };
  }, { id: q.id, lesson: q.lesson, day: localDay() });
  await page.goto(b.base + '/review/');
  const form = page.locator(`#review-queue form.quiz[data-quiz-id="${q.id}"]`);
  for (const w of wrongAnswers(form, q.data)) {
    await w.act();
    await check(form);
  }
  await form.locator('.quiz-reveal').click();
  assert.equal(await form.getAttribute('data-state'), 'revealed');
  assert.match(await page.locator(`#review-queue > li[data-quiz-id="${q.id}"] .review-outcome`).textContent(), /^Back to box 1: it comes back on .* \(tomorrow\)\.$/);
  assert.equal((await stored(page)).review[q.id].box, 1);
  assert.deepEqual(page.problems, []);
});

test('the review page: review-only questions join as new cards the day after their lesson is completed', async (t) => {
  const reviewOnly = sitePages().includes('/review/')
    ? [...readFileSync(path.join(DIST, 'review', 'index.html'), 'utf8').matchAll(/data-quiz-id="([^"]+)" data-kind="(single|multiple|numeric)" data-placement="review" data-lesson="(\d+)"/g)].map((m) => ({ id: m[1], lesson: Number(m[3]) }))
    : [];
  if (reviewOnly.length === 0) return t.skip('no lesson has a review-only (placement: review) question yet');
  const { lesson } = reviewOnly[0];
  const ids = reviewOnly.filter((q) => q.lesson === lesson).map((q) => q.id);
  const page = await b.newPage();
  const yesterday = new Date(Date.now() - 86400000).toISOString();
  await withProgress(page, (record, arg) => {
    record.lessons[arg.lesson] = { answers: {}, completed: true, completedAt: arg.at };
  }, { lesson, at: new Date().toISOString() });
  await page.goto(b.base + '/review/');
  for (const id of ids) assert.equal(await page.locator(`#review-queue li[data-quiz-id="${id}"]`).count(), 0, 'not on the day the lesson was completed');
  await withProgress(page, (record, arg) => {
    record.lessons[arg.lesson].completedAt = arg.at;
  }, { lesson, at: yesterday });
  await page.goto(b.base + '/');
  assert.match(await page.locator('#review-teaser').textContent(), new RegExp(`due for review \\(${Math.min(ids.length, 5)} new\\)`));
  await page.goto(b.base + '/review/');
  const card = page.locator(`#review-queue li[data-quiz-id="${ids[0]}"]`);
  assert.match(await card.locator('.review-meta').textContent(), /New question from a lesson you completed/);
  const form = card.locator('form.quiz');
  const data = await quizData(form);
  if (data.kind === 'numeric') await form.locator('.quiz-input').fill(String(data.answer));
  else await pick(form, data, data.choices.map((c, k) => (c.correct ? k : -1)).filter((k) => k >= 0));
  assert.equal(await check(form), 'correct');
  assert.match(await card.locator('.review-outcome').textContent(), /^Moved up to box 2 of 5: it comes back on .* \(in 2 days\)\.$/);
  assert.deepEqual(page.problems, []);
});

test('the Today card: the next lesson with its minutes, and the review count said plainly, even without storage', async () => {
  const lessons = sitePages().filter((p) => /^\/lessons\/\d\d-/.test(p));
  const page = await b.newPage();
  await page.goto(b.base + '/');
  const card = page.getByRole('region', { name: 'Today' });
  assert.match(await card.locator('#continue').textContent(), /^Start here: Lesson 1: .* · \d+ min →$/);
  assert.equal(await card.locator('#continue a').getAttribute('href'), lessons[0].slice(1));
  assert.match(await card.locator('#review-teaser').textContent(), /^No questions are due for review today\. Review page$/);
  // keyboard: the lesson link is the first stop in the card
  await card.locator('#continue a').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`**${lessons[0]}`);

  const q = first((x) => x.kind === 'single');
  await withProgress(page, (record, arg) => {
    record.review[arg.id] = { lesson: arg.lesson, box: 1, due: arg.day, added: null, at: null, history: [] };
    record.lessons[1] = { answers: {}, completed: true, completedAt: new Date().toISOString() };
    record.last = { lesson: 1, anchor: null, label: null, quiz: null, at: null };
  }, { id: q.id, lesson: q.lesson, day: localDay() });
  await page.reload();
  assert.match(await card.locator('#continue').textContent(), /^Next lesson: Lesson 2: .* · \d+ min →$/);
  assert.match(await card.locator('#review-teaser').textContent(), /^1 missed question is due for review\. Review it now →$/);
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    assert.deepEqual(await seriousViolations(page), [], colorScheme);
  }

  // no storage at all (blocked): the card still works, in memory
  const blocked = await b.newPage({ viewport: { width: 360, height: 740 }, isMobile: true });
  await blocked.addInitScript(() => Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } }));
  await blocked.goto(b.base + '/');
  assert.match(await blocked.locator('#continue').textContent(), /^Start here: Lesson 1: .* · \d+ min →$/);
  assert.match(await blocked.locator('#review-teaser').textContent(), /^No questions are due for review today\./);
  const overflow = await blocked.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the home page overflows a 360 px screen by ${overflow}px`);
  assert.deepEqual(page.problems, []);
});
