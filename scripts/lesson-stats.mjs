/**
 * `node scripts/lesson-stats.mjs`: per written lesson, the prose word count (front matter, quizzes,
 * widget tags and math excluded; each formula counts as one word), the widgets it uses, its quiz
 * questions by kind, and the misconceptions it targets — the figures a lesson's closing note needs.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listLessonFiles, loadCourse, parseLesson } from './lib/lessons.mjs';
import { targetedMisconceptions } from './lib/validate.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Words of prose in a lesson body: quiz blocks, HTML tags and math removed, formulas count once. */
export function proseWords(body) {
  const text = body
    .replace(/```quiz[\s\S]*?```/g, ' ')
    .replace(/\$\$[\s\S]*?\$\$/g, ' F ')
    .replace(/\$[^$\n]+\$/g, ' F ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\[\^[^\]]+\]/g, ' ');
  return text.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;
}

const course = await loadCourse(path.join(ROOT, 'lessons', 'course.yaml'));
const rows = [];
for (const file of await listLessonFiles(path.join(ROOT, 'lessons'))) {
  const lesson = parseLesson(await readFile(file, 'utf8'), file);
  const kinds = {};
  for (const { data } of lesson.quizzes) kinds[data.kind] = (kinds[data.kind] ?? 0) + 1;
  rows.push({
    lesson: lesson.front.number,
    words: proseWords(lesson.body),
    widgets: [...new Set(lesson.widgets.map((w) => w.tag))].join(' '),
    quizzes: lesson.quizzes.length,
    kinds: Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', '),
    misconceptions: [...targetedMisconceptions(lesson)].sort((a, b) => a - b).join(', '),
  });
}
console.log(`${course.lessons.length} lessons in the course, ${rows.length} written\n`);
console.log('| # | prose words | widgets | quiz questions | misconceptions targeted |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.lesson} | ${r.words} | ${r.widgets} | ${r.quizzes} (${r.kinds}) | ${r.misconceptions} |`);
