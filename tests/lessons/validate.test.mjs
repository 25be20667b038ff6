/**
 * Lesson validation: every lesson file in lessons/ passes, and the validator rejects each kind of
 * defect with a specific message. Lessons are being written concurrently, so the real-file tests
 * loop over whatever lessons exist.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { widgets } from '../../web/widgets/index.js';
import { GLOBAL_ATTRIBUTES, parseProp } from '../../web/widgets/props.js';
import { listLessonFiles, loadCourse, parseLesson } from '../../scripts/lib/lessons.mjs';
import { findDuplicateQuizIds, validateLessonSource } from '../../scripts/lib/validate.mjs';
import { pacing } from '../../scripts/lib/pacing.mjs';
import { createMarkdown } from '../../scripts/lib/markdown.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const course = await loadCourse(path.join(REPO, 'lessons', 'course.yaml'));
const files = await listLessonFiles(path.join(REPO, 'lessons'));
const sources = await Promise.all(files.map(async (file) => ({ file: path.relative(REPO, file), text: await readFile(file, 'utf8') })));
const ctx = { course, widgets };

test('course.yaml lists 14 lessons in 4 phases, numbered 1..14', () => {
  assert.equal(course.phases.length, 4);
  assert.deepEqual(course.lessons.map((l) => l.number), Array.from({ length: 14 }, (_, i) => i + 1));
});

for (const { file, text } of sources) {
  test(`${file}: passes the validator`, () => {
    const { lesson, errors } = validateLessonSource(text, file, ctx);
    assert.ok(lesson, 'the lesson parses');
    assert.deepEqual(errors, []);
  });

  test(`${file}: front matter matches course.yaml`, () => {
    const { front } = parseLesson(text, file);
    const entry = course.lessons.find((l) => l.number === front.number);
    assert.ok(entry, `course.yaml has lesson ${front.number}`);
    assert.equal(path.basename(file), `${String(entry.number).padStart(2, '0')}-${entry.slug}.md`);
    assert.equal(front.title, entry.title);
    assert.equal(front.minutes, entry.minutes);
  });

  test(`${file}: every widget tag is registered and every attribute is declared and valid`, () => {
    for (const { tag, attrs } of parseLesson(text, file).widgets) {
      const W = widgets.find((w) => w.tag === tag);
      assert.ok(W, `<${tag}> is registered`);
      for (const [name, value] of attrs) {
        if (GLOBAL_ATTRIBUTES.includes(name)) continue;
        const decl = W.props.find((p) => p.name === name);
        assert.ok(decl, `<${tag}> declares ${name}`);
        assert.equal(parseProp(decl, value).error, undefined, `<${tag} ${name}="${value}">`);
      }
    }
  });

  test(`${file}: misconception tags are whole numbers 1..17`, () => {
    for (const { data } of parseLesson(text, file).quizzes)
      for (const c of data.choices ?? [])
        if (c.misconception !== undefined) assert.ok(Number.isInteger(c.misconception) && c.misconception >= 1 && c.misconception <= 17);
  });
}

test('quiz ids are unique across the course', () => {
  const entries = sources.map(({ file, text }) => ({ file, lesson: parseLesson(text, file) }));
  assert.deepEqual(findDuplicateQuizIds(entries), []);
  const ids = entries.flatMap((e) => e.lesson.quizzes.map((q) => q.data.id));
  assert.equal(new Set(ids).size, ids.length);
});

test('lesson 7 has at least 3 questions and one distractor for misconception 2', (t) => {
  const seven = sources.find((s) => path.basename(s.file).startsWith('07-'));
  if (!seven) return t.skip('lessons/07-*.md is not written yet');
  const { quizzes } = parseLesson(seven.text, seven.file);
  assert.ok(quizzes.length >= 3, `found ${quizzes.length} questions`);
  assert.ok(quizzes.some((q) => (q.data.choices ?? []).some((c) => c.misconception === 2)));
});

// ---- the validator must be able to fail ----

const GOOD = `---
number: 7
title: "QK^T gives you every pairwise compatibility at once"
minutes: 7
recap: "Scores for every pair in one multiply."
sources:
  V17: "Vaswani et al. 2017."
---

The scores are $S = QK^\\top$, one per pair[^V17].

<attn-score-matrix sentence="the cat sat" seed="7" heads="2" head="1"></attn-score-matrix>

\`\`\`quiz
id: t-sym
kind: single
prompt: "Is $S$ symmetric?"
choices:
  - text: "Yes."
    misconception: 2
    explain: "Separate W_Q and W_K make it asymmetric."
  - text: "No, not in general."
    correct: true
    explain: "Right."
  - text: "Scaling makes the weights have std 1."
    misconception: 3
    explain: "It is the scores, and only under independence."
  - text: "The scaling stops overflow."
    misconception: 4
    explain: "Subtracting the max does that."
\`\`\`

\`\`\`quiz
id: t-count
kind: numeric
prompt: "How many scores for 5 tokens?"
answer: 25
tolerance: 0
explain: "5 x 5 = 25."
\`\`\`
`;

const FILE = 'lessons/07-pairwise-scores.md';

/** Validate GOOD with one substring replaced; returns the error messages. */
function errorsAfter(find, replace, file = FILE) {
  assert.ok(GOOD.includes(find), `fixture contains ${JSON.stringify(find)}`);
  return validateLessonSource(GOOD.replace(find, replace), file, ctx).errors;
}

function assertError(errors, pattern) {
  assert.ok(errors.some((e) => pattern.test(e)), `expected an error matching ${pattern}, got:\n${errors.join('\n') || '(none)'}`);
  for (const e of errors) assert.ok(e.startsWith(FILE), `"${e}" names the file`);
}

test('the fixture lesson is valid', () => {
  assert.deepEqual(validateLessonSource(GOOD, FILE, ctx).errors, []);
});

// ---- pacing: "Go deeper" sections, placement, the minute budget ----

const strict = { ...ctx, pacingPending: new Set() };
const THIRD = `\`\`\`quiz
id: t-third
kind: single
prompt: "Which matrix holds the keys?"
choices:
  - text: "K"
    correct: true
    explain: "Right."
  - text: "Q"
    explain: "Q holds the queries."
\`\`\`
`;

test('a "Go deeper" section renders collapsed and its words are off the main path', () => {
  const deep = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
  const text = GOOD.replace('<attn-score-matrix', `::: deeper The variance argument\n${deep}\n:::\n\n<attn-score-matrix`);
  const lesson = parseLesson(text, FILE);
  const before = pacing(parseLesson(GOOD, FILE)), after = pacing(lesson);
  assert.equal(after.proseWords, before.proseWords + 4, 'the visible title "deeper The variance argument" is on the main path');
  assert.equal(after.deeperWords, 300);
  const html = createMarkdown().render(`::: deeper The variance argument\n${deep}\n:::\n`, {});
  assert.match(html, /<details class="deeper"><summary>Go deeper: The variance argument<\/summary>/);
  assert.ok(!/<details class="deeper" open/.test(html), 'collapsed by default');
});

test('pacing counts prose, page questions (prompt, choices, right explanation) and widget tasks', () => {
  const p = pacing(parseLesson(GOOD, FILE));
  assert.equal(p.pageQuestions, 2);
  assert.equal(p.widgetTasks, 1, 'one widget that no question uses');
  // t-sym: prompt 3 words (the formula is one) + choices 1+4+7+4 + right explanation 1; t-count: 6 + 4
  assert.equal(p.quizWords, 3 + 1 + 4 + 7 + 4 + 1 + 6 + 4);
  const moved = pacing(parseLesson(GOOD.replace('id: t-count', 'id: t-count\nplacement: review'), FILE));
  assert.equal(moved.pageQuestions, 1);
  assert.equal(moved.reviewQuestions, 1);
  assert.equal(moved.quizWords, p.quizWords - 10);
});

test('a question inside a "Go deeper" section is marked placement: deeper, is off the main path, and only such a question sits there', () => {
  const inside = GOOD.replace('```quiz\nid: t-count', '::: deeper Extra\n```quiz\nid: t-count').replace('explain: "5 x 5 = 25."\n```', 'explain: "5 x 5 = 25."\n```\n:::');
  assertError(validateLessonSource(inside, FILE, ctx).errors, /quiz "t-count": a question inside a "Go deeper" section needs placement: deeper/);
  const marked = inside.replace('id: t-count', 'id: t-count\nplacement: deeper');
  const ok = validateLessonSource(marked, FILE, ctx);
  assert.deepEqual(ok.errors, []);
  const p = pacing(ok.lesson);
  assert.equal(p.deeperQuestions, 1);
  assert.equal(p.pageQuestions, pacing(validateLessonSource(GOOD, FILE, ctx).lesson).pageQuestions - 1, 'not a page question');
  assertError(errorsAfter('id: t-count', 'id: t-count\nplacement: deeper'), /quiz "t-count": placement: deeper is for questions inside a "Go deeper" section/);
  assertError(errorsAfter('<attn-score-matrix', '::: deeper Never closed\n\n<attn-score-matrix'), /:\d+: "::: deeper" has no closing ":::" line/);
  assertError(errorsAfter('id: t-count', 'id: t-count\nplacement: sidebar'), /quiz "t-count": placement must be one of page, review, deeper, got "sidebar"/);
});

test('rejects a lesson with too few questions on its page, or whose main path is over its minutes', () => {
  assertError(validateLessonSource(GOOD, FILE, strict).errors, /2 questions on the page; keep 3-4/);
  const three = GOOD + '\n' + THIRD;
  assert.deepEqual(validateLessonSource(three, FILE, strict).errors, []);
  const long = three.replace('The scores are', `${'Many words of prose here. '.repeat(300)}The scores are`);
  assertError(validateLessonSource(long, FILE, strict).errors, /main path takes \d+(\.\d)? min but the lesson has 7/);
  const deeper = three.replace('The scores are', `::: deeper History\n${'Many words of prose here. '.repeat(300)}\n:::\n\nThe scores are`);
  assert.deepEqual(validateLessonSource(deeper, FILE, strict).errors, [], 'the same words in a Go deeper section are fine');
});

test('rejects two correct answers in a single-answer question', () => {
  assertError(errorsAfter('  - text: "Yes."\n', '  - text: "Yes."\n    correct: true\n'),
    /quiz "t-sym": a single-answer question needs exactly one correct choice, found 2/);
});

test('rejects a choice without an explanation', () => {
  assertError(errorsAfter('    explain: "Right."\n', ''), /quiz "t-sym": choice 2: missing explanation/);
});

test('rejects an unknown widget attribute', () => {
  assertError(errorsAfter('head="1"', 'head="1" colour="red"'), /:12: <attn-score-matrix> has unknown attribute "colour"/);
});

test('rejects an out-of-range widget value', () => {
  assertError(errorsAfter('heads="2"', 'heads="9"'), /<attn-score-matrix> heads: 9 is outside the allowed range 1\.\.8/);
});

test('rejects an unknown widget tag', () => {
  assertError(errorsAfter('<attn-score-matrix sentence', '<attn-heatmap sentence'), /<attn-heatmap> is not a registered widget/);
});

test('rejects an unknown footnote key', () => {
  assertError(errorsAfter('pair[^V17]', 'pair[^NOPE]'), /:10: unknown footnote key \[\^NOPE\]/);
});

test('rejects front matter that disagrees with course.yaml', () => {
  assertError(errorsAfter('minutes: 7', 'minutes: 9'), /minutes is 9 but course\.yaml says 7/);
  assertError(errorsAfter('title: "QK^T', 'title: "QKT'), /title "QKT gives you every pairwise compatibility at once" does not equal course\.yaml/);
  assertError(errorsAfter('number: 7', 'number: 8'), /number is 8 but the file name and course\.yaml say 7/);
});

test('rejects bad YAML in the front matter and in a quiz', () => {
  assertError(errorsAfter('minutes: 7', 'minutes: [7'), /front matter: bad YAML/);
  assertError(errorsAfter('kind: numeric', 'kind: [numeric'), /quiz: bad YAML/);
});

test('rejects other invalid quizzes', () => {
  assertError(errorsAfter('kind: single', 'kind: multi'), /kind must be one of single, multiple, numeric, widget/);
  assertError(errorsAfter('tolerance: 0', 'tolerance: -1'), /tolerance must be a number >= 0, got -1/);
  assertError(errorsAfter('answer: 25', 'answer: "many"'), /answer must be a finite number/);
  assertError(errorsAfter('misconception: 2', 'misconception: 18'), /misconception must be a whole number 1\.\.17, got 18/);
  assertError(errorsAfter('id: t-count', 'id: t-sym'), /quiz "t-sym": id is used twice in this lesson/);
  assertError(errorsAfter('prompt: "Is $S$ symmetric?"', 'prompt: "Is $\\\\frac{S$ symmetric?"'), /math "\\frac\{S"/);
});

test('checks widget questions against the widget on the page and its declared checks', () => {
  const withWidget = (quiz) => GOOD.replace('<attn-score-matrix sentence', '<attn-score-matrix id="s" sentence') + `
\`\`\`quiz
id: t-live
kind: widget
${quiz}
prompt: "Select an asymmetric pair."
explain: "Rows use queries, columns keys."
\`\`\`
`;
  assert.deepEqual(validateLessonSource(withWidget('widget: s\ncheck: asymmetric-pair'), FILE, ctx).errors, []);
  assertError(validateLessonSource(withWidget('widget: nope\ncheck: asymmetric-pair'), FILE, ctx).errors,
    /quiz "t-live": widget must be the id of exactly one widget in this lesson, got "nope"/);
  assertError(validateLessonSource(withWidget('widget: s\ncheck: make-tea'), FILE, ctx).errors,
    /quiz "t-live": <attn-score-matrix> has no check "make-tea" \(declared: asymmetric-pair, scaled-on\)/);
  assertError(validateLessonSource(withWidget('widget: s\ncheck: scaled-on\nargs: { key: 2 }'), FILE, ctx).errors,
    /check "scaled-on" has no argument "key"/);
});

test('rejects a lesson that misses a misconception course.yaml assigns to it', () => {
  assertError(errorsAfter('    misconception: 4\n', ''),
    /course\.yaml says this lesson targets misconception\(s\) 4, but no wrong choice or widget question is tagged with it/);
});

test('rejects a multiple-answer question whose choices are all correct', () => {
  const all = GOOD.replace('kind: single', 'kind: multiple').replaceAll(/^(  - text: "(?:Yes\.|Scaling[^"]*|The scaling[^"]*)"\n)/gm, '$1    correct: true\n');
  assertError(validateLessonSource(all, FILE, ctx).errors, /a multiple-answer question needs at least one incorrect choice/);
});

test('rejects a quiz id used by two lessons', () => {
  const a = { file: 'a.md', lesson: parseLesson(GOOD, 'a.md') };
  const b = { file: 'b.md', lesson: parseLesson(GOOD, 'b.md') };
  assert.match(findDuplicateQuizIds([a, b])[0], /^b\.md:\d+: quiz id "t-sym" is already used in a\.md$/);
});

test('the site build fails with one line naming the file', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'attn-lessons-'));
  try {
    await writeFile(path.join(dir, '07-pairwise-scores.md'), GOOD.replace('pair[^V17]', 'pair[^NOPE]'));
    const run = promisify(execFile)(process.execPath, [path.join(REPO, 'scripts/build-site.mjs'), '--lessons', dir, '--out', path.join(dir, 'dist')]);
    const err = await run.then(() => null, (e) => e);
    assert.ok(err, 'the build fails');
    assert.equal(err.code, 1);
    assert.match(err.stderr.trim(), /^build-site: .*07-pairwise-scores\.md:10: unknown footnote key \[\^NOPE\]/);
    assert.equal(err.stderr.trim().split('\n').length, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
