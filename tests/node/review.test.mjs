// Spaced review without a browser: the Leitner rules (web/app/leitner.js) alone and through the
// progress store with a moving clock, new cards from review-only questions, "Show answer" as a
// miss, the seeded shuffle (shuffle.js), and the pages the build writes (lesson page without its
// review-only questions, review page, home page's Today card). Grading: grade.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BOXES, HISTORY_LIMIT, INTERVAL_DAYS, NEW_PER_DAY, RULES, addDays, applyAnswer, dayString, daysBetween, dueQueue,
  formatDay, isDay, isDue, newCards, nextDueDay, reviewToday,
} from '../../web/app/leitner.js';
import { openProgress } from '../../web/app/progress.js';
import { hashString, seededRandom, seededShuffle } from '../../web/app/shuffle.js';
import { createMarkdown } from '../../scripts/lib/markdown.mjs';
import { loadCourse, parseLesson } from '../../scripts/lib/lessons.mjs';
import { renderLessonWithReview } from '../../scripts/lib/lesson-page.mjs';
import { REVIEW_ROOT, renderReviewPage } from '../../scripts/lib/review-page.mjs';
import { renderHomePage } from '../../scripts/lib/home-page.mjs';
import { validateLessonSource } from '../../scripts/lib/validate.mjs';
import { widgets } from '../../web/widgets/index.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AT = '2025-03-10T12:00:00.000Z';

// ---- days ----

test('days: local calendar arithmetic across months, years, leap days and DST changes', () => {
  assert.equal(addDays('2025-03-10', 1), '2025-03-11');
  assert.equal(addDays('2025-01-31', 1), '2025-02-01');
  assert.equal(addDays('2024-12-31', 1), '2025-01-01');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2025-02-28', 1), '2025-03-01');
  assert.equal(addDays('2025-03-29', 2), '2025-03-31'); // EU DST starts on 30 March
  assert.equal(addDays('2025-11-01', 16), '2025-11-17'); // US DST ends on 2 November
  assert.equal(addDays('2025-03-10', -10), '2025-02-28');
  assert.equal(daysBetween('2025-03-10', '2025-03-26'), 16);
  assert.equal(daysBetween('2025-03-10', '2025-03-09'), -1);
  assert.equal(dayString(new Date(2025, 2, 10, 23, 59).getTime()), '2025-03-10');
  assert.ok(isDay('2024-02-29'));
  for (const bad of ['2025-02-29', '2025-13-01', '2025-3-1', 'tomorrow', '', null]) assert.equal(isDay(bad), false, String(bad));
  assert.throws(() => addDays('soon', 1), /not a day/);
});

test('formatDay names the day and how far it is', () => {
  assert.equal(formatDay('2025-03-12', '2025-03-10'), 'Wednesday, March 12 (in 2 days)');
  assert.equal(formatDay('2025-03-11', '2025-03-10'), 'Tuesday, March 11 (tomorrow)');
  assert.equal(formatDay('2025-03-10', '2025-03-10'), 'Monday, March 10 (today)');
  assert.equal(formatDay('2025-03-08', '2025-03-10'), 'Saturday, March 8 (2 days ago)');
  assert.equal(formatDay('2026-01-02', '2025-12-30'), 'Friday, January 2, 2026 (in 3 days)');
});

// ---- Leitner rules ----

const lessonMiss = (entry, kind = 'single', today = '2025-03-10') => applyAnswer(entry, { correct: false, where: 'lesson', kind, lesson: 7, today, at: AT });
const review = (entry, correct, today) => applyAnswer(entry, { correct, where: 'review', kind: 'single', lesson: 7, today, at: AT });

test('a miss on a lesson page puts the question in box 1, due at once', () => {
  const { entry, change } = lessonMiss(null);
  assert.equal(change, 'added');
  assert.deepEqual(entry, { lesson: 7, box: 1, due: '2025-03-10', added: AT, at: AT, history: [{ at: AT, correct: false, where: 'lesson' }] });
  assert.ok(isDue(entry, '2025-03-10'));
});

test('a missed widget question (answered on its lesson page only) comes back the next day', () => {
  const { entry } = lessonMiss(null, 'widget');
  assert.equal(entry.box, 1);
  assert.equal(entry.due, '2025-03-11');
});

test('right answers on a lesson page never add or move a choice/numeric question', () => {
  assert.deepEqual(applyAnswer(null, { correct: true, where: 'lesson', kind: 'single', lesson: 7, today: '2025-03-10', at: AT }), { entry: null, change: 'none' });
  const { entry } = lessonMiss(null);
  const after = applyAnswer(entry, { correct: true, where: 'lesson', kind: 'numeric', lesson: 7, today: '2025-03-10', at: AT });
  assert.equal(after.change, 'none');
  assert.equal(after.entry.box, 1);
  assert.equal(after.entry.due, entry.due);
  assert.equal(after.entry.history.length, 2, 'the answer is in the history');
});

test('a right answer to a due widget question on its lesson page counts as its review', () => {
  const { entry } = lessonMiss(null, 'widget');
  const early = applyAnswer(entry, { correct: true, where: 'lesson', kind: 'widget', lesson: 7, today: '2025-03-10', at: AT });
  assert.equal(early.change, 'none', 'not due yet on the day of the miss');
  const due = applyAnswer(entry, { correct: true, where: 'lesson', kind: 'widget', lesson: 7, today: '2025-03-11', at: AT });
  assert.equal(due.change, 'up');
  assert.equal(due.entry.box, 2);
  assert.equal(due.entry.due, '2025-03-13');
});

test('review: right moves up one box and waits 1, 2, 4, 8, 16 days; box 5 is the top', () => {
  assert.deepEqual(INTERVAL_DAYS, [1, 2, 4, 8, 16]);
  assert.equal(BOXES, 5);
  let { entry } = lessonMiss(null);
  let today = '2025-03-10';
  const seen = [];
  for (let i = 0; i < 6; i++) {
    const r = review(entry, true, today);
    entry = r.entry;
    seen.push([r.change, entry.box, daysBetween(today, entry.due)]);
    today = entry.due;
  }
  assert.deepEqual(seen, [['up', 2, 2], ['up', 3, 4], ['up', 4, 8], ['up', 5, 16], ['top', 5, 16], ['top', 5, 16]]);
});

test('review: a wrong answer sends the question back to box 1, due tomorrow', () => {
  let { entry } = lessonMiss(null);
  entry = review(entry, true, '2025-03-10').entry; // box 2, due 12th
  entry = review(entry, true, '2025-03-12').entry; // box 3, due 16th
  const r = review(entry, false, '2025-03-16');
  assert.equal(r.change, 'reset');
  assert.equal(r.entry.box, 1);
  assert.equal(r.entry.due, '2025-03-17');
  assert.equal(r.entry.added, AT);
});

test('review: answering again before the question is due changes nothing but the history', () => {
  let { entry } = lessonMiss(null);
  entry = review(entry, true, '2025-03-10').entry; // box 2, due on the 12th
  const again = review(entry, true, '2025-03-10');
  assert.equal(again.change, 'none');
  assert.equal(again.entry.box, 2);
  assert.equal(again.entry.due, '2025-03-12');
  assert.equal(again.entry.history.length, entry.history.length + 1);
});

test('a miss on a lesson page resets a question in a high box', () => {
  let { entry } = lessonMiss(null);
  for (const day of ['2025-03-10', '2025-03-12', '2025-03-16']) entry = review(entry, true, day).entry;
  assert.equal(entry.box, 4);
  const r = lessonMiss(entry, 'single', '2025-03-18');
  assert.equal(r.change, 'reset');
  assert.equal(r.entry.box, 1);
  assert.equal(r.entry.due, '2025-03-18');
});

test('history keeps the last answers only', () => {
  let { entry } = lessonMiss(null);
  for (let i = 0; i < HISTORY_LIMIT + 10; i++) entry = review(entry, false, '2025-03-10').entry;
  assert.equal(entry.history.length, HISTORY_LIMIT);
});

test('dueQueue: lowest box first, then the longest overdue, then course order; nextDueDay', () => {
  const e = (box, due) => ({ lesson: 7, box, due, history: [] });
  const all = { a: e(2, '2025-03-09'), b: e(1, '2025-03-10'), c: e(1, '2025-03-08'), d: e(3, '2025-03-12'), gone: e(1, '2025-03-01'), f: e(1, '2025-03-10') };
  const order = ['f', 'a', 'b', 'c', 'd'];
  assert.deepEqual(dueQueue(all, '2025-03-10', order), ['c', 'f', 'b', 'a']);
  assert.deepEqual(dueQueue(all, '2025-03-10'), ['gone', 'c', 'b', 'f', 'a']);
  assert.equal(nextDueDay(all, '2025-03-10', order), '2025-03-12');
  assert.equal(nextDueDay(all, '2025-03-12', order), null);
  assert.equal(RULES.length >= 4, true);
});

test('through the store: miss on a lesson page, review over days, back to box 1 on a miss', () => {
  let t = new Date(2025, 2, 10, 9).getTime();
  const now = () => t;
  const map = new Map();
  const storage = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, v), removeItem: (k) => map.delete(k) };
  const p = openProgress({ storage, now, events: null });
  const day = () => dayString(t);
  p.recordAnswer(7, 'q', { correct: false, value: [0], kind: 'single' });
  assert.deepEqual(dueQueue(p.data.review, day()), ['q']);
  p.recordAnswer(7, 'q', { correct: true, value: [1], kind: 'single' }); // retry on the lesson page: still due
  assert.deepEqual(dueQueue(p.data.review, day()), ['q']);
  assert.equal(p.recordReview('q', { correct: true, kind: 'single', lesson: 7 }).change, 'up');
  assert.deepEqual(dueQueue(p.data.review, day()), []);
  t += 86400000; // day 1: not due
  assert.deepEqual(dueQueue(p.data.review, day()), []);
  t += 86400000; // day 2: due in box 2
  assert.deepEqual(dueQueue(p.data.review, day()), ['q']);
  const r = p.recordReview('q', { correct: false, kind: 'single', lesson: 7 });
  assert.equal(r.change, 'reset');
  assert.equal(p.data.review.q.due, addDays(day(), 1));
  // the review answer did not touch the lesson's own answer
  assert.equal(p.data.lessons['7'].answers.q.correct, true);
  assert.equal(p.data.lessons['7'].answers.q.tries, 2);
  assert.deepEqual(p.data.review.q.history.map((h) => [h.where, h.correct]), [['lesson', false], ['lesson', true], ['review', true], ['review', false]]);
});

test('new cards: a right first answer goes to box 2, a wrong one to box 1 due tomorrow', () => {
  const fresh = (correct) => applyAnswer(null, { correct, where: 'review', kind: 'single', lesson: 7, today: '2025-03-10', at: AT, fresh: true });
  const up = fresh(true);
  assert.equal(up.change, 'up');
  assert.deepEqual([up.entry.box, up.entry.due, up.entry.lesson], [2, '2025-03-12', 7]);
  const down = fresh(false);
  assert.equal(down.change, 'added');
  assert.deepEqual([down.entry.box, down.entry.due], [1, '2025-03-11']);
  // without `fresh`, a right answer to an unknown question still adds nothing
  assert.deepEqual(applyAnswer(null, { correct: true, where: 'review', kind: 'single', lesson: 7, today: '2025-03-10', at: AT }), { entry: null, change: 'none' });
});

test('newCards: review-only questions join the day after their lesson is completed, at most NEW_PER_DAY a day', () => {
  const items = Array.from({ length: 8 }, (_, i) => ({ id: `r${i}`, lesson: i < 3 ? 1 : 2 }));
  const done = { 1: '2025-03-09', 2: '2025-03-10' };
  const completed = (n) => done[n] ?? null;
  assert.deepEqual(newCards(items, { review: {}, today: '2025-03-10', completed }), ['r0', 'r1', 'r2'], 'lesson 2 was completed today: tomorrow');
  assert.deepEqual(newCards(items, { review: {}, today: '2025-03-09', completed }), [], 'not on the day of completion');
  assert.equal(NEW_PER_DAY, 5);
  assert.deepEqual(newCards(items, { review: {}, today: '2025-03-11', completed }), ['r0', 'r1', 'r2', 'r3', 'r4']);
  // two cards answered for the first time today use up two of today's five places
  const today = '2025-03-11';
  const at = new Date(2025, 2, 11, 8).toISOString();
  const review = { r0: { box: 2, due: '2025-03-13', added: at, history: [] }, r1: { box: 1, due: '2025-03-12', added: at, history: [] } };
  assert.deepEqual(newCards(items, { review, today, completed }), ['r2', 'r3', 'r4']);
  assert.deepEqual(newCards(items, { review, today: '2025-03-12', completed }), ['r2', 'r3', 'r4', 'r5', 'r6']);
  // completed at an unknown time (migrated): long ago
  assert.deepEqual(newCards(items.slice(0, 2), { review: {}, today, completed: () => '' }), ['r0', 'r1']);
  assert.deepEqual(newCards(items, { review: {}, today, completed: () => null }), []);
});

test('reviewToday: due questions from the store and new cards from completed lessons', () => {
  let t = new Date(2025, 2, 10, 9).getTime();
  const p = openProgress({ storage: null, now: () => t, events: null });
  const questions = [
    { id: 'a', lesson: 7, placement: 'page' }, { id: 'b', lesson: 7, placement: 'page' },
    { id: 'c', lesson: 7, placement: 'review' }, { id: 'd', lesson: 8, placement: 'review' },
  ];
  p.recordAnswer(7, 'b', { correct: false, value: [0], kind: 'single' });
  p.recordAnswer(7, 'gone', { correct: false, value: [0], kind: 'single' });
  assert.deepEqual(reviewToday(p.data, questions, p.today()), { due: ['b'], fresh: [] });
  p.markCompleted(7);
  assert.deepEqual(reviewToday(p.data, questions, p.today()).fresh, []);
  t += 86400000;
  assert.deepEqual(reviewToday(p.data, questions, p.today()), { due: ['b'], fresh: ['c'] });
  p.recordReview('c', { correct: true, kind: 'single', lesson: 7, fresh: true });
  assert.deepEqual(reviewToday(p.data, questions, p.today()), { due: ['b'], fresh: [] });
  assert.equal(p.data.review.c.box, 2);
});

// ---- shuffling ----

test('seededShuffle: a stable permutation per seed and key, different across seeds and keys', () => {
  const items = ['a', 'b', 'c', 'd', 'e', 'f'];
  const one = seededShuffle(items, 42, 'l07-symmetric');
  assert.deepEqual(seededShuffle(items, 42, 'l07-symmetric'), one, 'same seed and key, same order');
  assert.deepEqual([...one].sort(), items, 'a permutation');
  assert.deepEqual(items, ['a', 'b', 'c', 'd', 'e', 'f'], 'input untouched');
  const orders = new Set();
  for (let seed = 0; seed < 50; seed++) orders.add(seededShuffle(items, seed, 'k').join(''));
  assert.ok(orders.size > 30, `50 seeds gave only ${orders.size} orders`);
  const keys = new Set(['a', 'b', 'c', 'd', 'e'].map((k) => seededShuffle(items, 42, k).join('')));
  assert.ok(keys.size > 1);
  assert.equal(hashString(''), 0x811c9dc5);
  assert.equal(hashString('a'), 0xe40c292c);
  const r = seededRandom(7);
  const xs = Array.from({ length: 1000 }, r);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.deepEqual(Array.from({ length: 5 }, seededRandom(7)), xs.slice(0, 5));
});

// ---- the review page the build writes ----

const course = await loadCourse(path.join(REPO, 'lessons', 'course.yaml'));
const entry = course.lessons.find((l) => l.number === 7);
const LESSON = `---
number: 7
title: "${entry.title}"
minutes: ${entry.minutes}
recap: "Recap."
sources:
  V17: "Vaswani et al."
---

## Scores & more

Text[^V17].

<attn-score-matrix id="scores"></attn-score-matrix>

\`\`\`quiz
id: t-one
kind: single
prompt: "Pick one[^V17] of $x_1$"
choices:
  - text: "Right </script><script>alert(1)</script>"
    correct: true
    explain: "Yes."
  - text: "Wrong"
    explain: "No."
\`\`\`

## Scores & more

\`\`\`quiz
id: t-num
kind: numeric
prompt: "How many?"
answer: 25
tolerance: 0
explain: "Twenty-five."
\`\`\`

\`\`\`quiz
id: t-widget
kind: widget
prompt: "Click an asymmetric pair."
widget: scores
check: asymmetric-pair
explain: "Because."
\`\`\`
`;

function build() {
  const md = createMarkdown();
  const lesson = parseLesson(LESSON, 'lessons/07-pairwise-scores.md', md);
  return renderLessonWithReview({ lesson, entry, prev: null, next: null, md, reviewRoot: REVIEW_ROOT });
}

test('the lesson page gets section ids; the review items carry every question', () => {
  const { html, review } = build();
  assert.match(html, /<h2 id="section-scores-more">Scores &amp; more<\/h2>/);
  assert.match(html, /<h2 id="section-scores-more-2">Scores &amp; more<\/h2>/);
  assert.deepEqual(review.map((r) => [r.id, r.kind, r.placement, r.index, r.total, r.formHtml === null]), [
    ['t-one', 'single', 'page', 1, 3, false], ['t-num', 'numeric', 'page', 2, 3, false], ['t-widget', 'widget', 'page', 3, 3, true]]);
  assert.match(review[0].formHtml, /<form class="quiz" id="quiz-t-one" data-quiz-id="t-one" data-kind="single" novalidate>/);
  assert.match(review[0].formHtml, /<span class="quiz-number">Lesson 7, question 1<\/span>/);
  // the lesson page's form is unchanged: "Question 1 of 3" and the page's own footnote anchor
  assert.match(html, /<span class="quiz-number">Question 1 of 3<\/span>/);
  assert.match(html, /<a href="#source-V17" id="ref-V17-2" aria-label="Source 1">\[1\]<\/a>/);
  // on the review page a footnote links to the lesson page's source, keeps its number, has no id
  assert.match(review[0].formHtml, /<a href="\.\.\/lessons\/07-pairwise-scores\/#source-V17" aria-label="Source 1 \(on the lesson page\)">\[1\]<\/a>/);
  assert.doesNotMatch(review[0].formHtml, /id="ref-/);
});

test('placement: review keeps a question off the lesson page and in the review deck', () => {
  const md = createMarkdown();
  const source = LESSON.replace('id: t-num\n', 'id: t-num\nplacement: review\n');
  const lesson = parseLesson(source, 'lessons/07-pairwise-scores.md', md);
  const { html, review } = renderLessonWithReview({ lesson, entry, prev: null, next: null, md, reviewRoot: REVIEW_ROOT });
  assert.doesNotMatch(html, /t-num|How many\?|Twenty-five/);
  assert.deepEqual([...html.matchAll(/<span class="quiz-number">([^<]+)<\/span>/g)].map((m) => m[1]), ['Question 1 of 2', 'Question 2 of 2']);
  assert.deepEqual(review.map((r) => [r.id, r.placement, r.index, r.total]), [['t-one', 'page', 1, 2], ['t-widget', 'page', 2, 2], ['t-num', 'review', 1, 1]]);
  assert.match(review[2].formHtml, /<span class="quiz-number">Lesson 7, review question 1<\/span>/);
  const page = renderReviewPage(course, review);
  assert.match(page, /<template class="review-item" data-quiz-id="t-num" data-kind="numeric" data-placement="review" data-lesson="7" data-order="2">/);
  // a widget question cannot move to the review deck: its widget is on the lesson page
  const widgetInReview = LESSON.replace('id: t-widget\n', 'id: t-widget\nplacement: review\n');
  const { errors } = validateLessonSource(widgetInReview, 'lessons/07-pairwise-scores.md', { course, widgets, pacingPending: new Set([7]) });
  assert.ok(errors.some((e) => /t-widget.*cannot have placement: review/.test(e)), errors.join('\n'));
});

test('the review page: templates with the same quiz forms, widget questions link to their page, rules shown', () => {
  const { review } = build();
  const html = renderReviewPage(course, review);
  const templates = [...html.matchAll(/<template class="review-item" data-quiz-id="([^"]+)" data-kind="(\w+)" data-placement="page" data-lesson="7" data-order="(\d)">/g)].map((m) => [m[1], m[2], m[3]]);
  assert.deepEqual(templates, [['t-one', 'single', '0'], ['t-num', 'numeric', '1'], ['t-widget', 'widget', '2']]);
  assert.equal((html.match(/<form class="quiz"/g) ?? []).length, 2);
  assert.match(html, /<a href="\.\.\/lessons\/07-pairwise-scores\/#quiz-t-widget">answer it on the lesson page<\/a>/);
  assert.match(html, /<p class="review-widget-prompt">Click an asymmetric pair\.<\/p>/);
  for (const block of html.matchAll(/<script type="application\/json" class="quiz-data">(.*?)<\/script>/g)) assert.ok(!block[1].includes('<'));
  assert.match(html, /<script type="module" src="\.\.\/app\/review\.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="\.\.\/styles\/site\.css">/);
  assert.match(html, /<a href="\.\.\/review\/" aria-current="page">Review<\/a>/);
  assert.match(html, /<h2 id="review-rules-heading">How review works<\/h2>/);
  for (const [i, d] of INTERVAL_DAYS.entries()) assert.match(html, new RegExp(`<th scope="row">Box ${i + 1}</th><td>every ${d === 1 ? 'day' : `${d} days`}</td>`));
  assert.match(html, /id="review-summary" aria-live="polite"/);
  assert.match(html, /id="review-empty" hidden/);
  assert.doesNotMatch(html, /(?:src|href)="(?:https?:)?\/\//);
});

test('the home page links the review page, lists the built questions and has export/import controls', () => {
  const { review } = build();
  const html = renderHomePage(course, new Set([7]), review.map((q) => ({ id: q.id, lesson: 7, kind: q.kind, placement: q.placement })));
  assert.match(html, /<a href="\.\/review\/">Review<\/a>/);
  const list = JSON.parse(/<script type="application\/json" id="course-questions">(.*?)<\/script>/.exec(html)[1]);
  assert.deepEqual(list, [['t-one', 7, 'single', 'page'], ['t-num', 7, 'numeric', 'page'], ['t-widget', 7, 'widget', 'page']]);
  assert.match(html, /<section class="your-progress" id="your-progress" aria-labelledby="your-progress-heading">/);
  assert.match(html, /<button type="button" class="button" id="export-progress">Export progress<\/button>/);
  assert.match(html, /<input type="file" id="import-file" accept="\.json,application\/json" aria-label="Progress file to import" hidden>/);
  assert.match(html, /<p class="transfer-status" id="transfer-status" role="status"><\/p>/);
  // the Today card, right for a new learner without JavaScript: the first written lesson and its minutes
  assert.match(html, /<section class="today" id="today" aria-labelledby="today-heading">\n<h2 id="today-heading">Today<\/h2>/);
  assert.match(html, new RegExp(`<p class="continue" id="continue"><span class="continue-label">Start here:</span> <a class="continue-link" href="lessons/07-pairwise-scores/">Lesson 7: .* <span class="continue-minutes">· ${entry.minutes} min</span> →</a></p>`));
  assert.match(html, /<p class="review-teaser" id="review-teaser" hidden><\/p>/);
  // older callers (two arguments) still work
  assert.match(renderHomePage(course, new Set([7])), /id="course-questions">\[\]<\/script>/);
});
