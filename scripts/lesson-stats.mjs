/**
 * `node scripts/lesson-stats.mjs`: per written lesson, the pacing estimate (scripts/lib/pacing.mjs:
 * main-path prose and question words at 200 a minute plus a minute per widget task, against the
 * lesson's minutes), the words in "Go deeper" sections, questions on the page and in the review
 * deck, the widgets it uses and the misconceptions it targets.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listLessonFiles, loadCourse, parseLesson } from './lib/lessons.mjs';
import { pacing } from './lib/pacing.mjs';
import { targetedMisconceptions } from './lib/validate.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const course = await loadCourse(path.join(ROOT, 'lessons', 'course.yaml'));
const rows = [];
for (const file of await listLessonFiles(path.join(ROOT, 'lessons'))) {
  const lesson = parseLesson(await readFile(file, 'utf8'), file);
  const kinds = {};
  for (const { data } of lesson.quizzes) kinds[data.kind] = (kinds[data.kind] ?? 0) + 1;
  rows.push({
    lesson: lesson.front.number,
    ...pacing(lesson),
    widgets: [...new Set(lesson.widgets.map((w) => w.tag))].join(' '),
    kinds: Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', '),
    misconceptions: [...targetedMisconceptions(lesson)].sort((a, b) => a - b).join(', '),
  });
}
console.log(`${course.lessons.length} lessons in the course, ${rows.length} written\n`);
console.log('| # | main path (min) | budget | prose words | question words | widget tasks | go-deeper words | questions page / review | widgets | kinds | misconceptions |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(`| ${r.lesson} | ${r.minutes}${r.minutes > r.budget ? ' (over)' : ''} | ${r.budget} | ${r.proseWords} | ${r.quizWords} | ${r.widgetTasks} | ${r.deeperWords} | ${r.pageQuestions} / ${r.reviewQuestions}${r.deeperQuestions ? ` (+${r.deeperQuestions} in Go deeper)` : ''} | ${r.widgets} | ${r.kinds} | ${r.misconceptions} |`);
