/**
 * Lesson validation: everything that can be wrong with a lesson file, as one-line messages
 * "<file>:<line>: <what is wrong>". Used by the site build (which stops on the first file with
 * errors) and by tests/lessons/validate.test.mjs.
 */
import path from 'node:path';
import { parseProp, GLOBAL_ATTRIBUTES } from '../../web/widgets/props.js';
import { LESSON_FILE, LessonSyntaxError, parseLesson, scanInline } from './lessons.mjs';
import { createMarkdown, renderMath } from './markdown.mjs';
import { PAGE_QUESTIONS, deeperRanges, insideRanges, pacing, placementOf } from './pacing.mjs';

/** Misconceptions are numbered 1..17 in the course fact sheet (see course.yaml). */
export const MISCONCEPTIONS = 17;
/** The quiz kinds lessons/README.md defines. */
export const QUIZ_KINDS = ['single', 'multiple', 'numeric', 'widget'];

const FRONT_KEYS = ['number', 'title', 'minutes', 'recap', 'sources'];
const QUIZ_KEYS = {
  single: ['id', 'kind', 'placement', 'prompt', 'choices', 'explain'],
  numeric: ['id', 'kind', 'placement', 'prompt', 'answer', 'tolerance', 'explain'],
  widget: ['id', 'kind', 'placement', 'prompt', 'widget', 'check', 'args', 'explain', 'misconception'],
};
/** Where a question can live: on the lesson page, or only in the review deck. */
export const PLACEMENTS = ['page', 'review', 'deeper'];
/**
 * Lessons not yet rewritten to fit their minutes (issue 9). Each lesson leaves this list when it
 * is; the pacing and questions-per-page checks apply to every other lesson.
 */
export const PACING_PENDING = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
QUIZ_KEYS.multiple = QUIZ_KEYS.single;
const CHOICE_KEYS = ['text', 'correct', 'explain', 'misconception'];
const QUIZ_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SOURCE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * Parse and check one lesson.
 *   text:   the file's contents;  file: its path (used in messages and to check NN-slug);
 *   course: result of loadCourse;  widgets: widget classes ({ tag, props }) from web/widgets/index.js;
 *   pacingPending: lesson numbers exempt from the pacing checks (default PACING_PENDING).
 * Returns { lesson, errors } — lesson is null when the file could not be parsed; errors is an array
 * of one-line messages (empty when the lesson is fine). Never throws on bad content.
 */
export function validateLessonSource(text, file, { course, widgets, pacingPending = PACING_PENDING }) {
  const md = createMarkdown();
  const errors = [];
  const report = (line, message) => errors.push(`${file}${line ? `:${line}` : ''}: ${message}`);
  let lesson;
  try {
    lesson = parseLesson(text, file, md);
  } catch (err) {
    if (!(err instanceof LessonSyntaxError)) throw err;
    report(err.line, err.message);
    return { lesson: null, errors };
  }
  checkFrontMatter(lesson, course, report);
  const sources = isMapping(lesson.front.sources) ? lesson.front.sources : {};
  const seen = new Set();
  for (const q of lesson.quizzes) checkQuiz(q, seen, md, report);
  for (const q of lesson.quizzes.filter((x) => x.data.kind === 'widget')) checkWidgetQuiz(q, lesson.widgets, widgets, report);
  const recap = nonEmpty(lesson.front.recap) ? scanInline(lesson.front.recap, 1, md) : { footnotes: [], math: [] };
  const refs = [...lesson.footnotes, ...recap.footnotes, ...lesson.quizzes.flatMap((q) => quizInline(q, md).footnotes)];
  for (const ref of refs)
    if (!Object.hasOwn(sources, ref.key))
      report(ref.line, `unknown footnote key [^${ref.key}] (sources: ${Object.keys(sources).join(', ') || 'none'})`);
  for (const m of [...lesson.math, ...recap.math]) checkMath(m, report);
  checkWidgets(lesson.widgets, widgets, report);
  checkMisconceptionCoverage(lesson, course, report);
  checkPacing(lesson, pacingPending, report);
  return { lesson, errors };
}

/**
 * Questions on the main path stay outside "Go deeper"; a question inside one is marked
 * `placement: deeper` (optional, off the main path) and a widget question there asks about a widget
 * of its own section. A lesson keeps 3-4 questions on its page and its main path fits its minutes
 * (pacing.mjs).
 */
function checkPacing(lesson, pending, report) {
  const ranges = deeperRanges(lesson);
  const sectionOf = (line) => ranges.findIndex((r) => insideRanges(line, [r]));
  for (const { data, line } of lesson.quizzes) {
    const inside = sectionOf(line) !== -1;
    if (inside && placementOf(data) !== 'deeper')
      report(line, `quiz "${data.id}": a question inside a "Go deeper" section needs placement: deeper (it is optional and off the main path)`);
    if (!inside && placementOf(data) === 'deeper')
      report(line, `quiz "${data.id}": placement: deeper is for questions inside a "Go deeper" section`);
  }
  for (const { data, line } of lesson.quizzes) {
    if (data.kind !== 'widget' || placementOf(data) === 'review') continue;
    const w = lesson.widgets.find((x) => x.attrs.some(([k, v]) => k === 'id' && v === data.widget));
    if (!w) continue;
    if (placementOf(data) === 'page' && sectionOf(w.line) !== -1)
      report(line, `quiz "${data.id}": a question on the page cannot use widget "${data.widget}", which sits inside a "Go deeper" section`);
    if (placementOf(data) === 'deeper' && sectionOf(w.line) !== sectionOf(line))
      report(line, `quiz "${data.id}": a question in a "Go deeper" section can only use a widget of that section ("${data.widget}" is elsewhere)`);
  }
  if (pending.has(lesson.front.number) || !Number.isInteger(lesson.front.minutes)) return;
  const p = pacing(lesson);
  if (p.pageQuestions < PAGE_QUESTIONS.min || p.pageQuestions > PAGE_QUESTIONS.max)
    report(undefined, `${p.pageQuestions} questions on the page; keep ${PAGE_QUESTIONS.min}-${PAGE_QUESTIONS.max} (give the rest placement: review)`);
  if (p.minutes > p.budget)
    report(undefined, `main path takes ${p.minutes} min but the lesson has ${p.budget} (${p.proseWords} prose words + ${p.quizWords} question words at 200/min, ${p.widgetTasks} widget task(s) at 1 min); move depth into "::: deeper" sections or questions to placement: review`);
}

/**
 * Check that quiz ids are unique across lessons. Takes [{ file, lesson }] (lesson from
 * validateLessonSource, may be null); returns one-line messages.
 */
export function findDuplicateQuizIds(entries) {
  const owner = new Map();
  const errors = [];
  for (const { file, lesson } of entries) {
    for (const q of lesson?.quizzes ?? []) {
      const id = q.data.id;
      if (typeof id !== 'string') continue;
      if (owner.has(id) && owner.get(id) !== file) errors.push(`${file}:${q.line}: quiz id "${id}" is already used in ${owner.get(id)}`);
      else owner.set(id, file);
    }
  }
  return errors;
}

function checkFrontMatter(lesson, course, report) {
  const fm = lesson.front;
  for (const key of Object.keys(fm))
    if (!FRONT_KEYS.includes(key)) report(1, `front matter: unknown key "${key}" (allowed: ${FRONT_KEYS.join(', ')})`);
  const name = path.basename(lesson.file);
  const m = LESSON_FILE.exec(name);
  if (!m) {
    report(undefined, `file name must look like NN-slug.md, got "${name}"`);
    return;
  }
  const entry = course.lessons.find((l) => l.number === Number(m[1]));
  if (!entry) return report(undefined, `course.yaml has no lesson number ${Number(m[1])}`);
  if (entry.slug !== m[2]) report(undefined, `file name slug "${m[2]}" does not match course.yaml slug "${entry.slug}" for lesson ${entry.number}`);
  if (fm.number !== entry.number) report(1, `front matter: number is ${JSON.stringify(fm.number)} but the file name and course.yaml say ${entry.number}`);
  if (fm.title !== entry.title) report(1, `front matter: title ${JSON.stringify(fm.title)} does not equal course.yaml title "${entry.title}"`);
  if (fm.minutes !== entry.minutes) report(1, `front matter: minutes is ${JSON.stringify(fm.minutes)} but course.yaml says ${entry.minutes}`);
  if (!nonEmpty(fm.recap)) report(1, 'front matter: recap must be a non-empty string');
  if (fm.sources !== undefined) {
    if (!isMapping(fm.sources)) report(1, 'front matter: sources must be a mapping KEY: "citation"');
    else for (const [key, text] of Object.entries(fm.sources)) {
      if (!SOURCE_KEY.test(key)) report(1, `front matter: source key "${key}" may only use letters, digits, _ and -`);
      if (!nonEmpty(text)) report(1, `front matter: source ${key} needs a non-empty citation string`);
    }
  }
}

function checkQuiz({ data: q, line }, seen, md, report) {
  const where = `quiz${typeof q.id === 'string' ? ` "${q.id}"` : ''}`;
  const bad = (message) => report(line, `${where}: ${message}`);
  if (typeof q.id !== 'string' || !QUIZ_ID.test(q.id)) bad('id must be lower-case words joined by "-", e.g. l07-symmetric');
  else if (seen.has(q.id)) bad('id is used twice in this lesson');
  else seen.add(q.id);
  if (!QUIZ_KINDS.includes(q.kind)) return bad(`kind must be one of ${QUIZ_KINDS.join(', ')}, got ${JSON.stringify(q.kind)}`);
  for (const key of Object.keys(q))
    if (!QUIZ_KEYS[q.kind].includes(key)) bad(`unknown key "${key}" for a ${q.kind} question (allowed: ${QUIZ_KEYS[q.kind].join(', ')})`);
  if (q.placement !== undefined && !PLACEMENTS.includes(q.placement)) bad(`placement must be one of ${PLACEMENTS.join(', ')}, got ${JSON.stringify(q.placement)}`);
  if (!nonEmpty(q.prompt)) bad('prompt must be a non-empty string');
  if (q.explain !== undefined && !nonEmpty(q.explain)) bad('explain must be a non-empty string');
  if (q.kind === 'numeric') {
    if (typeof q.answer !== 'number' || !Number.isFinite(q.answer)) bad(`answer must be a finite number, got ${JSON.stringify(q.answer)}`);
    if (typeof q.tolerance !== 'number' || !(q.tolerance >= 0) || !Number.isFinite(q.tolerance))
      bad(`tolerance must be a number >= 0, got ${JSON.stringify(q.tolerance)}`);
    if (!nonEmpty(q.explain)) bad('a numeric question needs an explain');
  } else if (q.kind === 'widget') {
    if (!nonEmpty(q.explain)) bad('a widget question needs an explain');
    if (q.placement === 'review') bad('a widget question cannot have placement: review (it is answered with its widget, which lives on the lesson page)');
    if (q.misconception !== undefined && !(Number.isInteger(q.misconception) && q.misconception >= 1 && q.misconception <= MISCONCEPTIONS))
      bad(`misconception must be a whole number 1..${MISCONCEPTIONS}, got ${JSON.stringify(q.misconception)}`);
  } else {
    checkChoices(q, bad);
  }
  for (const m of quizInline({ data: q, line }, md).math) checkMath(m, report);
}

function checkChoices(q, bad) {
  if (!Array.isArray(q.choices) || q.choices.length < 2) return bad('choices must be a list of at least 2 choices');
  q.choices.forEach((c, i) => {
    const which = `choice ${i + 1}`;
    if (!isMapping(c)) return bad(`${which} must be a mapping with text, explain and optional correct/misconception`);
    for (const key of Object.keys(c)) if (!CHOICE_KEYS.includes(key)) bad(`${which}: unknown key "${key}" (allowed: ${CHOICE_KEYS.join(', ')})`);
    if (!nonEmpty(c.text)) bad(`${which}: text must be a non-empty string`);
    if (!nonEmpty(c.explain)) bad(`${which}: missing explanation (every choice needs a non-empty explain)`);
    if (c.correct !== undefined && typeof c.correct !== 'boolean') bad(`${which}: correct must be true or false`);
    if (c.misconception !== undefined && !(Number.isInteger(c.misconception) && c.misconception >= 1 && c.misconception <= MISCONCEPTIONS))
      bad(`${which}: misconception must be a whole number 1..${MISCONCEPTIONS}, got ${JSON.stringify(c.misconception)}`);
  });
  const correct = q.choices.filter((c) => c?.correct === true).length;
  if (q.kind === 'single' && correct !== 1) bad(`a single-answer question needs exactly one correct choice, found ${correct}`);
  if (q.kind === 'multiple' && correct < 1) bad('a multiple-answer question needs at least one correct choice');
  if (q.kind === 'multiple' && correct === q.choices.length) bad('a multiple-answer question needs at least one incorrect choice');
}

/** Footnotes and math inside a quiz's prose fields. */
function quizInline({ data: q, line }, md) {
  const texts = [q.prompt, q.explain, ...(Array.isArray(q.choices) ? q.choices.flatMap((c) => [c?.text, c?.explain]) : [])];
  const out = { footnotes: [], math: [] };
  for (const t of texts.filter((x) => typeof x === 'string')) {
    const found = scanInline(t, line, md);
    out.footnotes.push(...found.footnotes);
    out.math.push(...found.math);
  }
  return out;
}

function checkMath({ tex, display, line }, report) {
  try {
    renderMath(tex, display);
  } catch (err) {
    report(line, err.message);
  }
}

/** Misconceptions a lesson targets: tagged wrong choices, and widget questions tagged as a whole. */
export function targetedMisconceptions(lesson) {
  const found = new Set();
  for (const { data } of lesson.quizzes) {
    if (data.kind === 'widget' && Number.isInteger(data.misconception)) found.add(data.misconception);
    for (const c of Array.isArray(data.choices) ? data.choices : [])
      if (c && c.correct !== true && Number.isInteger(c.misconception)) found.add(c.misconception);
  }
  return found;
}

function checkMisconceptionCoverage(lesson, course, report) {
  const entry = course.lessons.find((l) => l.number === lesson.front.number);
  const want = Array.isArray(entry?.misconceptions) ? entry.misconceptions : [];
  const found = targetedMisconceptions(lesson);
  const missing = want.filter((m) => !found.has(m));
  if (missing.length)
    report(undefined, `course.yaml says this lesson targets misconception(s) ${missing.join(', ')}, but no wrong choice or widget question is tagged with it`);
}

/**
 * A widget question names a widget on the same page by its id, one of the checks that widget
 * declares (`static checks`), and arguments that parse against the check's declared args.
 */
function checkWidgetQuiz({ data: q, line }, found, registry, report) {
  const bad = (message) => report(line, `quiz "${q.id}": ${message}`);
  const onPage = found.filter((w) => w.attrs.some(([k, v]) => k === 'id' && v === q.widget));
  if (typeof q.widget !== 'string' || onPage.length !== 1)
    return bad(`widget must be the id of exactly one widget in this lesson, got ${JSON.stringify(q.widget)}`);
  const W = registry.find((x) => x.tag === onPage[0].tag);
  if (!W) return;
  const checks = W.checks ?? {};
  const check = checks[q.check];
  if (!check) return bad(`<${W.tag}> has no check ${JSON.stringify(q.check)} (declared: ${Object.keys(checks).join(', ') || 'none'})`);
  const args = q.args ?? {};
  if (!isMapping(args)) return bad('args must be a mapping of the check\'s arguments');
  for (const key of Object.keys(args))
    if (!check.args.some((a) => a.name === key)) bad(`check "${q.check}" has no argument "${key}" (declared: ${check.args.map((a) => a.name).join(', ') || 'none'})`);
  for (const decl of check.args) {
    if (!Object.hasOwn(args, decl.name)) {
      if (decl.default === undefined) bad(`check "${q.check}" needs argument "${decl.name}"`);
      continue;
    }
    const parsed = parseProp(decl, String(args[decl.name]));
    if (parsed.error) bad(`args.${parsed.error}`);
  }
}

/**
 * Widget tags and attributes against the registry's `static props` (and `hide` against `static
 * controls`). Shared by lessons and the FAQ page; `report(line, message)` collects the problems.
 */
export function checkWidgets(found, registry, report) {
  const byTag = new Map(registry.map((W) => [W.tag, W]));
  for (const { tag, attrs, line } of found) {
    const W = byTag.get(tag);
    if (!W) {
      report(line, `<${tag}> is not a registered widget (known: ${[...byTag.keys()].join(', ')})`);
      continue;
    }
    const seen = new Set();
    for (const [name, value] of attrs) {
      if (seen.has(name)) report(line, `<${tag}> attribute "${name}" is given twice`);
      seen.add(name);
      const decl = W.props.find((p) => p.name === name);
      if (!decl) {
        if (!GLOBAL_ATTRIBUTES.includes(name))
          report(line, `<${tag}> has unknown attribute "${name}" (declared: ${W.props.map((p) => p.name).join(', ')})`);
        else if (name === 'hide') {
          const known = [...(W.controls ?? []), 'controls', 'toolbar'];
          for (const c of value.split(',').map((x) => x.trim()).filter(Boolean))
            if (!known.includes(c)) report(line, `<${tag}> hide: "${c}" is not a control of this widget (${known.join(', ')})`);
        }
        continue;
      }
      const parsed = parseProp(decl, value);
      if (parsed.error) report(line, `<${tag}> ${parsed.error}`);
    }
  }
}

function nonEmpty(x) {
  return typeof x === 'string' && x.trim() !== '';
}

function isMapping(x) {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
