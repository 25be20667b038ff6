// Spaced review and grading without a browser: the Leitner rules (web/app/leitner.js) alone and
// through the progress store with a moving clock, grading (grade.js) and the seeded shuffle
// (shuffle.js), and the review page the build writes (scripts/lib/review-page.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BOXES, HISTORY_LIMIT, INTERVAL_DAYS, RULES, addDays, applyAnswer, dayString, daysBetween, dueQueue,
  formatDay, isDay, isDue, nextDueDay,
} from '../../web/app/leitner.js';
import { openProgress } from '../../web/app/progress.js';
import { gradeChoices, gradeNumeric, parseNumber } from '../../web/app/grade.js';
import { hashString, seededRandom, seededShuffle } from '../../web/app/shuffle.js';
import { createMarkdown } from '../../scripts/lib/markdown.mjs';
import { loadCourse, parseLesson } from '../../scripts/lib/lessons.mjs';
import { renderLessonWithReview } from '../../scripts/lib/lesson-page.mjs';
import { REVIEW_ROOT, renderReviewPage } from '../../scripts/lib/review-page.mjs';
import { renderHomePage } from '../../scripts/lib/home-page.mjs';

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

// ---- grading and shuffling ----

test('parseNumber: integers, decimals, signs, exponents and a decimal comma', () => {
  const cases = { 25: 25, '-0.5': -0.5, '+3': 3, '.5': 0.5, '5.': 5, '1e3': 1000, '2.5E-1': 0.25, '0,5': 0.5, '-1,25': -1.25, ' 7 ': 7, '1 000': 1000 };
  for (const [text, want] of Object.entries(cases)) assert.equal(parseNumber(text), want, text);
  for (const bad of ['', 'abc', '1/2', '0x10', '1.2.3', '1,2,3', '--1', 'NaN', 'Infinity', '1e']) assert.ok(Number.isNaN(parseNumber(bad)), bad);
});

test('gradeNumeric: tolerance, empty and non-numeric input', () => {
  const q = { answer: 2.25, tolerance: 0.01 };
  assert.deepEqual(gradeNumeric(q, '2,25'), { correct: true, value: 2.25 });
  assert.deepEqual(gradeNumeric(q, '2.26'), { correct: true, value: 2.26 });
  assert.equal(gradeNumeric(q, '2.27').correct, false);
  assert.deepEqual(gradeNumeric(q, '  '), { error: 'empty' });
  assert.deepEqual(gradeNumeric(q, 'two'), { error: 'not-a-number' });
  assert.equal(gradeNumeric({ answer: 0.3, tolerance: 0 }, String(0.1 + 0.2)).correct, true, 'float noise is allowed');
});

test('gradeChoices: the picked set must equal the correct set', () => {
  const q = { choices: [{ correct: false }, { correct: true }, { correct: true }] };
  assert.equal(gradeChoices(q, [1, 2]).correct, true);
  assert.equal(gradeChoices(q, [2, 1, 2]).correct, true);
  assert.equal(gradeChoices(q, [1]).correct, false);
  assert.equal(gradeChoices(q, [0, 1, 2]).correct, false);
  assert.equal(gradeChoices(q, []).correct, false);
});

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
  assert.deepEqual(review.map((r) => [r.id, r.kind, r.index, r.total, r.formHtml === null]), [
    ['t-one', 'single', 1, 3, false], ['t-num', 'numeric', 2, 3, false], ['t-widget', 'widget', 3, 3, true]]);
  assert.match(review[0].formHtml, /<form class="quiz" id="quiz-t-one" data-quiz-id="t-one" data-kind="single" novalidate>/);
  assert.match(review[0].formHtml, /<span class="quiz-number">Lesson 7, question 1<\/span>/);
  // the lesson page's form is unchanged: "Question 1 of 3" and the page's own footnote anchor
  assert.match(html, /<span class="quiz-number">Question 1 of 3<\/span>/);
  assert.match(html, /<a href="#source-V17" id="ref-V17-2" aria-label="Source 1">\[1\]<\/a>/);
  // on the review page a footnote links to the lesson page's source, keeps its number, has no id
  assert.match(review[0].formHtml, /<a href="\.\.\/lessons\/07-pairwise-scores\/#source-V17" aria-label="Source 1 \(on the lesson page\)">\[1\]<\/a>/);
  assert.doesNotMatch(review[0].formHtml, /id="ref-/);
});

test('the review page: templates with the same quiz forms, widget questions link to their page, rules shown', () => {
  const { review } = build();
  const html = renderReviewPage(course, review);
  const templates = [...html.matchAll(/<template class="review-item" data-quiz-id="([^"]+)" data-kind="(\w+)" data-lesson="7" data-order="(\d)">/g)].map((m) => [m[1], m[2], m[3]]);
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
  const html = renderHomePage(course, new Set([7]), review.map((q) => ({ id: q.id, lesson: 7, kind: q.kind })));
  assert.match(html, /<a href="\.\/review\/">Review<\/a>/);
  const list = JSON.parse(/<script type="application\/json" id="course-questions">(.*?)<\/script>/.exec(html)[1]);
  assert.deepEqual(list, [['t-one', 7, 'single'], ['t-num', 7, 'numeric'], ['t-widget', 7, 'widget']]);
  assert.match(html, /<section class="your-progress" id="your-progress" aria-labelledby="your-progress-heading">/);
  assert.match(html, /<button type="button" class="button" id="export-progress">Export progress<\/button>/);
  assert.match(html, /<input type="file" id="import-file" accept="\.json,application\/json" aria-label="Progress file to import" hidden>/);
  assert.match(html, /<p class="transfer-status" id="transfer-status" role="status"><\/p>/);
  assert.match(html, /<p class="review-teaser" id="review-teaser" hidden><\/p>/);
  // older callers (two arguments) still work
  assert.match(renderHomePage(course, new Set([7])), /id="course-questions">\[\]<\/script>/);
});
