/**
 * The progress record: its schema, the names it may hold, reading a parsed record of any known
 * version into a clean version-2 record, the v1 -> v2 migration and the merge of two records.
 * Pure functions (no storage, no DOM); web/app/progress.js keeps the record in localStorage.
 *
 * Schema version 2:
 *
 *   { version: 2, seed, createdAt,
 *     lessons: { "7": { answers: { [quizId]: { correct, tries, value, at, revealed? } }, completed, completedAt } },
 *     last:    { lesson, anchor, label, quiz, at },          // where the learner left off
 *     review:  { [quizId]: { lesson, box, due, added, at, history } },   // see leitner.js
 *     widgets: { [widgetKey]: <small JSON value> } }          // what a widget asked to keep
 *
 *   seed:   32-bit unsigned integer; shuffles choices the same way on every visit.
 *   answers[id].value: the last answer (choice indices, a number, or a widget's message);
 *           tries counts every graded check; at is an ISO time (null for answers migrated from v1);
 *           revealed: true when the learner pressed "Show answer" (review treats it as a miss).
 *   last.anchor: id of the section heading or quiz the learner was at on that lesson's page;
 *           label is its plain text (shown with textContent only).
 *   review: one entry per question answered wrong (or revealed) at least once.
 *   widgets: keyed by the widget's tag without "attn-" (e.g. "predict-head"); each value is plain
 *           JSON of at most WIDGET_RECORD_LIMIT characters, at most WIDGET_KEYS_LIMIT keys.
 *   A record migrated from v1 also carries migratedFrom: 1 and migratedAt (ISO time). Other
 *   top-level fields with plain names are kept as they are.
 *
 * Version 1 (before spaced review) was
 *   { version: 1, seed, lastLesson, lessons: { "7": { answers: { [id]: { correct, tries, value } }, completed, completedAt } } }
 *
 * Names are validated: lesson keys are lesson numbers ("1".."999"), answer and review keys are
 * quiz ids (lower-case words joined by "-"), widget keys are widget names. The maps keyed by
 * those names (lessons, answers, review, widgets) are null-prototype objects, so no name, not even
 * "__proto__", can reach Object.prototype. An entry whose name is not valid is never copied: it
 * is listed in `lost` so the caller can say so (and keep the original text as a backup).
 */
import { BOXES, isDay } from './leitner.js';

export const VERSION = 2;
/** Longest widget record, in characters of JSON. */
export const WIDGET_RECORD_LIMIT = 4096;
/** Most widget records one learner can hold. */
export const WIDGET_KEYS_LIMIT = 64;
/** Deepest nesting of arrays/objects in a widget record. */
const WIDGET_DEPTH_LIMIT = 8;

const LESSON_KEY = /^[1-9][0-9]{0,2}$/;
const QUIZ_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const QUIZ_ID_LIMIT = 80;
const WIDGET_KEY = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const WIDGET_KEY_LIMIT = 40;
/** Top-level fields this code writes; any other field is "extra" and kept when its name is plain. */
const KNOWN_FIELDS = ['version', 'seed', 'createdAt', 'lessons', 'last', 'review', 'widgets', 'migratedFrom', 'migratedAt'];
const EXTRA_FIELD = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** A map keyed by names from data: no prototype, so "__proto__" is just a name. */
export function dict() {
  return Object.create(null);
}

/** True for a lesson key: a lesson number 1..999 written as text ("7"). */
export function isLessonKey(key) {
  return typeof key === 'string' && LESSON_KEY.test(key);
}

/** True for a quiz id: lower-case letters and digits in words joined by "-", at most 80 characters. */
export function isQuizId(id) {
  return typeof id === 'string' && id.length <= QUIZ_ID_LIMIT && QUIZ_ID.test(id);
}

/** True for a widget key: a widget tag without "attn-" ("predict-head"), at most 40 characters. */
export function isWidgetKey(key) {
  return typeof key === 'string' && key.length <= WIDGET_KEY_LIMIT && WIDGET_KEY.test(key);
}

/** True for a lesson number as a number (1..999). */
export function isLessonNumber(x) {
  return Number.isInteger(x) && x > 0 && x < 1000;
}

/**
 * Why `value` cannot be a widget record ('' when it can): it must be plain JSON (null, true/false,
 * a finite number, text, lists and plain objects, nested at most 8 deep) of at most
 * WIDGET_RECORD_LIMIT characters. Returns the error text; the JSON text is not returned.
 */
export function widgetValueError(value) {
  const shape = jsonShapeError(value, 0);
  if (shape) return shape;
  const length = JSON.stringify(value).length;
  return length > WIDGET_RECORD_LIMIT
    ? `it is ${length.toLocaleString('en')} characters as JSON; the limit is ${WIDGET_RECORD_LIMIT.toLocaleString('en')}`
    : '';
}

function jsonShapeError(v, depth) {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return '';
  if (typeof v === 'number') return Number.isFinite(v) ? '' : `it holds ${v}, which JSON cannot keep`;
  if (depth >= WIDGET_DEPTH_LIMIT) return `it is nested more than ${WIDGET_DEPTH_LIMIT} levels deep`;
  if (Array.isArray(v)) {
    for (const x of v) {
      const e = jsonShapeError(x, depth + 1);
      if (e) return e;
    }
    return '';
  }
  if (typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
    for (const x of Object.values(v)) {
      const e = jsonShapeError(x, depth + 1);
      if (e) return e;
    }
    return '';
  }
  return `it holds ${v === undefined ? 'undefined' : `a ${typeof v === 'object' ? v.constructor?.name ?? 'object' : typeof v}`}, which is not plain JSON`;
}

/** A fresh version-2 record with the given shuffle seed (a 32-bit unsigned integer). */
export function emptyProgress(seed, createdAt = null) {
  return { version: VERSION, seed, createdAt, lessons: dict(), last: emptyLast(), review: dict(), widgets: dict() };
}

function emptyLast() {
  return { lesson: null, anchor: null, label: null, quiz: null, at: null };
}

/**
 * Check a parsed value against the version-2 schema, names included. Returns an error string,
 * or '' when it is a clean version-2 record.
 */
export function schemaError(p) {
  if (!isObject(p)) return 'not an object';
  if (p.version !== VERSION) return `unknown version ${short(p.version)}`;
  const r = readV2(p);
  if (r.error) return r.error;
  return r.lost.length ? `it holds ${lostList(r.lost)}, whose name${r.lost.length === 1 ? ' is' : 's are'} not valid` : '';
}

/**
 * Turn a parsed record of any known version into a clean version-2 record (a new object; the
 * input is not changed).
 *   { today: "YYYY-MM-DD", at: ISO time } date a v1 migration (review due day, timestamps).
 * Returns { data, from, lost } (from: the version read; lost: descriptions of entries left out
 * because their names are not valid, e.g. 'lesson "__proto__"') or { error, future } (future:
 * the version number when the record comes from a newer site).
 */
export function upgrade(parsed, { today, at }) {
  if (!isObject(parsed)) return { error: 'not an object' };
  const v = parsed.version;
  if (v === VERSION) {
    const r = readV2(parsed);
    return r.error ? { error: r.error } : { data: r.data, from: VERSION, lost: r.lost };
  }
  if (v === 1) {
    const r = readV1(parsed, { today, at });
    return r.error ? { error: r.error } : { data: r.data, from: 1, lost: r.lost };
  }
  if (Number.isInteger(v) && v > VERSION) return { error: `it was saved by a newer version of Attention Lab (schema version ${v})`, future: v };
  return { error: v === undefined ? 'it has no schema version' : `unknown schema version ${short(v)}` };
}

/**
 * Version 1 -> version 2: every lesson, answer and completion is kept as it was (answers get
 * at: null), lastLesson becomes last.lesson, and every answer that is wrong or took more than one
 * try joins review in box 1, due on `today`. Returns the v2 record; throws a TypeError naming the
 * problem when `v1` is not a valid version-1 record. Entries with invalid names are left out
 * (use upgrade() to learn which).
 */
export function migrateV1(v1, { today, at }) {
  const r = readV1(v1, { today, at });
  if (r.error) throw new TypeError(`not a version-1 progress record: ${r.error}`);
  return r.data;
}

function readV1(p, { today, at }) {
  if (!isSeed(p.seed)) return { error: 'seed is not a whole number' };
  const lost = [];
  const lessons = readLessons(p.lessons, { strict: false, lost });
  if (lessons.error) return lessons;
  const out = emptyProgress(p.seed, null);
  out.migratedFrom = 1;
  out.migratedAt = at;
  for (const [n, lesson] of Object.entries(lessons.value)) {
    for (const [id, a] of Object.entries(lesson.answers)) {
      a.at = typeof a.at === 'string' ? a.at : null;
      if (!a.correct || a.tries > 1) out.review[id] = { lesson: Number(n), box: 1, due: today, added: at, at, history: [] };
    }
    lesson.completed = Boolean(lesson.completed);
    lesson.completedAt = typeof lesson.completedAt === 'string' ? lesson.completedAt : null;
  }
  out.lessons = lessons.value;
  if (isLessonNumber(p.lastLesson)) out.last.lesson = p.lastLesson;
  copyExtras(p, out, ['lastLesson'], lost);
  return { data: out, lost };
}

function readV2(p) {
  if (!isSeed(p.seed)) return { error: 'seed is not a whole number' };
  const lost = [];
  const lessons = readLessons(p.lessons, { strict: true, lost });
  if (lessons.error) return lessons;
  if (!isObject(p.last)) return { error: 'the last position ("last") is not an object' };
  if (!(p.last.lesson === null || isLessonNumber(p.last.lesson))) return { error: 'last.lesson is not a lesson number' };
  for (const k of ['anchor', 'label', 'quiz', 'at'])
    if (!(p.last[k] === null || p.last[k] === undefined || typeof p.last[k] === 'string')) return { error: `last.${k} is not text` };
  const review = readReview(p.review, lost);
  if (review.error) return review;
  const widgets = readWidgets(p.widgets, lost);
  if (widgets.error) return widgets;
  const out = {
    version: VERSION,
    seed: p.seed,
    createdAt: typeof p.createdAt === 'string' ? p.createdAt : null,
    lessons: lessons.value,
    last: { ...emptyLast(), ...pick(p.last, ['lesson', 'anchor', 'label', 'quiz', 'at']) },
    review: review.value,
    widgets: widgets.value,
  };
  if (p.migratedFrom !== undefined) out.migratedFrom = p.migratedFrom;
  if (p.migratedAt !== undefined) out.migratedAt = p.migratedAt;
  copyExtras(p, out, [], lost);
  return { data: out, lost };
}

function readLessons(lessons, { strict, lost }) {
  if (!isObject(lessons)) return { error: 'lessons is not an object' };
  const value = dict();
  for (const [n, lesson] of Object.entries(lessons)) {
    if (!isObject(lesson) || !isObject(lesson.answers)) return { error: `lesson ${short(n)} has no answers object` };
    const answers = dict();
    for (const [id, a] of Object.entries(lesson.answers)) {
      if (!isObject(a) || typeof a.correct !== 'boolean' || !Number.isInteger(a.tries))
        return { error: `lesson ${short(n)} has a malformed answer (${short(id)})` };
      if (a.revealed !== undefined && typeof a.revealed !== 'boolean') return { error: `lesson ${short(n)}, answer ${short(id)}: revealed must be true or false` };
      if (!isLessonKey(n)) continue;
      if (isQuizId(id)) answers[id] = copyEntry(a);
      else lost.push(`answer ${short(id)} in lesson ${n}`);
    }
    if (strict && lesson.completed !== undefined && typeof lesson.completed !== 'boolean')
      return { error: `lesson ${short(n)}: completed must be true or false` };
    if (!isLessonKey(n)) {
      lost.push(`lesson ${short(n)}`);
      continue;
    }
    const { answers: _answers, ...rest } = lesson;
    const copy = copyJson(rest);
    copy.answers = answers;
    if (strict) {
      copy.completed = lesson.completed === true;
      copy.completedAt = typeof lesson.completedAt === 'string' ? lesson.completedAt : null;
    }
    value[n] = copy;
  }
  return { value };
}

function readReview(review, lost) {
  if (!isObject(review)) return { error: 'review is not an object' };
  const value = dict();
  for (const [id, e] of Object.entries(review)) {
    const where = `review entry ${short(id)}`;
    if (!isObject(e)) return { error: `${where} is not an object` };
    if (!Number.isInteger(e.box) || e.box < 1 || e.box > BOXES) return { error: `${where}: box must be a whole number from 1 to ${BOXES}` };
    if (!isDay(e.due)) return { error: `${where}: due is not a date (YYYY-MM-DD)` };
    if (!isLessonNumber(e.lesson)) return { error: `${where}: lesson is not a lesson number` };
    if (!Array.isArray(e.history)) return { error: `${where}: history is not a list` };
    if (!e.history.every((h) => isObject(h) && typeof h.correct === 'boolean')) return { error: `${where}: history holds a malformed answer` };
    if (isQuizId(id)) value[id] = copyEntry(e);
    else lost.push(`review entry ${short(id)}`);
  }
  return { value };
}

function readWidgets(widgets, lost) {
  const value = dict();
  if (widgets === undefined) return { value };
  if (!isObject(widgets)) return { error: 'widgets is not an object' };
  let count = 0;
  for (const [key, record] of Object.entries(widgets)) {
    const problem = !isWidgetKey(key) ? '' : widgetValueError(record) || (count >= WIDGET_KEYS_LIMIT ? `more than ${WIDGET_KEYS_LIMIT} widget records` : '');
    if (!isWidgetKey(key)) lost.push(`widget record ${short(key)}`);
    else if (problem) lost.push(`widget record ${short(key)} (${problem})`);
    else {
      value[key] = copyJson(record);
      count += 1;
    }
  }
  return { value };
}

/** Copy top-level fields this code does not know (other than `skip`) when their names are plain. */
function copyExtras(from, to, skip, lost) {
  for (const [k, v] of Object.entries(from)) {
    if (KNOWN_FIELDS.includes(k) || skip.includes(k)) continue;
    if (EXTRA_FIELD.test(k)) Object.defineProperty(to, k, { value: copyJson(v), enumerable: true, writable: true, configurable: true });
    else lost.push(`field ${short(k)}`);
  }
}

/**
 * Combine two clean version-2 records: the union of lessons, answers, review entries and widget
 * records. For an answer, a review entry or the last position held by both, the more recent one
 * (by `at`) wins, `b` on a tie; a widget record held by both is b's; a lesson completed in either
 * stays completed. Used when another tab running an older site wrote a version-1 record over ours.
 * Returns a new record with a's seed; a and b are not changed.
 */
export function mergeProgress(a, b) {
  const out = copyRecord(a);
  for (const [n, lb] of Object.entries(b.lessons)) {
    out.lessons[n] ??= { answers: dict(), completed: false, completedAt: null };
    const la = out.lessons[n];
    for (const [id, answer] of Object.entries(lb.answers)) if (!la.answers[id] || newer(answer, la.answers[id])) la.answers[id] = copyJson(answer);
    if (lb.completed && !la.completed) {
      la.completed = true;
      la.completedAt = lb.completedAt ?? null;
    }
  }
  for (const [id, e] of Object.entries(b.review)) if (!out.review[id] || newer(e, out.review[id])) out.review[id] = copyJson(e);
  for (const [key, value] of Object.entries(b.widgets ?? {})) if (Object.keys(out.widgets).length < WIDGET_KEYS_LIMIT || key in out.widgets) out.widgets[key] = copyJson(value);
  if (b.last.lesson !== null && (out.last.lesson === null || newer(b.last, out.last))) out.last = { ...b.last };
  return out;
}

/** A deep copy of a clean version-2 record (null-prototype maps stay so). */
export function copyRecord(record) {
  return readV2(JSON.parse(JSON.stringify(record))).data;
}

/** x is at least as recent as y (by ISO `at`; more tries when neither has a time). */
function newer(x, y) {
  if (typeof x.at === 'string' && typeof y.at === 'string') return x.at >= y.at;
  if (typeof x.at === 'string') return true;
  if (typeof y.at === 'string') return false;
  return (x.tries ?? 0) >= (y.tries ?? 0);
}

/** Status of lesson `number` in a progress record: 'done', 'started' or 'not-started'. */
export function lessonStatus(progress, number) {
  const lesson = progress.lessons[String(number)];
  if (lesson?.completed) return 'done';
  return lesson && Object.keys(lesson.answers).length > 0 ? 'started' : 'not-started';
}

/** Counts for messages: { lessonsDone, answers, inReview }. */
export function summarize(progress) {
  const lessons = Object.values(progress.lessons);
  return {
    lessonsDone: lessons.filter((l) => l.completed).length,
    answers: lessons.reduce((sum, l) => sum + Object.keys(l.answers).length, 0),
    inReview: Object.keys(progress.review).length,
  };
}

/**
 * A sentence for the learner about entries left out (the `lost` list of upgrade), or '' when
 * none were: 'One entry could not be kept because its name is not valid: lesson "__proto__".'
 */
export function lostSentence(lost) {
  if (!lost?.length) return '';
  const n = lost.length;
  return `${n === 1 ? 'One entry' : `${n} entries`} could not be kept because ${n === 1 ? 'its name is' : 'their names are'} not valid: ${lostList(lost)}.`;
}

function lostList(lost) {
  const shown = lost.slice(0, 3).join(', ');
  return lost.length > 3 ? `${shown} and ${lost.length - 3} more` : shown;
}

/** A copy of an object of fields whose values are JSON: nested objects are copied, text is shared. */
function copyEntry(entry) {
  const out = { ...entry };
  for (const [k, v] of Object.entries(out)) if (v !== null && typeof v === 'object') out[k] = copyJson(v);
  return out;
}

/** A plain JSON copy: own data properties only, so a "__proto__" key stays a key. */
function copyJson(value) {
  return JSON.parse(JSON.stringify(value));
}

function pick(object, keys) {
  const out = {};
  for (const k of keys) if (object[k] !== undefined) out[k] = object[k];
  return out;
}

export function isObject(x) {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function isSeed(x) {
  return Number.isInteger(x) && x >= 0;
}

/** A value quoted for a message, cut short (ids and versions come from files and storage). */
export function short(value) {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
