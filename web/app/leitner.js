/**
 * Spaced review of missed questions with Leitner boxes. Pure functions, no DOM, no storage:
 * web/app/progress.js keeps the entries, the review page and the build show the rules.
 *
 * A review entry (one per question the learner has missed at least once):
 *   { lesson, box: 1..5, due: "YYYY-MM-DD", added: ISO time, at: ISO time of the last change,
 *     history: [{ at: ISO time, correct, where: "lesson" | "review" }] }   (newest last, capped)
 *
 * The rules (shown on the review page, so keep RULES in step with applyAnswer):
 *   - Answering a question wrong anywhere puts it in box 1. A miss on a lesson page is due for
 *     review at once (widget questions, which are answered on their lesson page, come back the
 *     next day); a miss on the review page comes back the next day.
 *   - A right answer to a due question on the review page moves it up one box (at most box 5).
 *   - After a review a question in box b comes back INTERVAL_DAYS[b - 1] days later:
 *     box 1 every day, box 2 every 2 days, box 3 every 4, box 4 every 8, box 5 every 16.
 *   - Right answers on a lesson page do not move a question (they come straight after reading
 *     the explanation), except for widget questions, which can only be answered there: a right
 *     answer to a due widget question counts as its review.
 *   - Pressing "Show answer" counts as a wrong answer.
 *   - Review-only questions (`placement: review`, never on a lesson page) are new cards: they
 *     join the deck the day after their lesson is completed, at most NEW_PER_DAY a day in course
 *     order (newCards). A new card answered right goes straight to box 2; answered wrong, box 1.
 * Days are the learner's local calendar days, written "YYYY-MM-DD" so they compare as strings.
 */

export const BOXES = 5;
/** Days until the next review for a question in box 1..5 (index box - 1). */
export const INTERVAL_DAYS = [1, 2, 4, 8, 16];
/** How many review-only questions are introduced a day, at most. */
export const NEW_PER_DAY = 5;
/** How many answers each entry keeps in its history. */
export const HISTORY_LIMIT = 30;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The rules as plain sentences, for the review page. */
export const RULES = [
  'A question you answer wrong, on a lesson page or here, goes into box 1.',
  'A right answer here moves a due question up one box (box 5 is the top).',
  'The higher the box, the longer until it comes back: box 1 every day, box 2 every 2 days, box 3 every 4 days, box 4 every 8 days, box 5 every 16 days.',
  'A question you miss on a lesson page is due here at once (a widget question, the next day); one you miss here comes back tomorrow.',
  'Widget questions can only be answered on their lesson page, so they are listed here with a link; when one is due, a right answer there counts as its review.',
  'Pressing “Show answer” counts as a wrong answer: the question goes back to box 1.',
  `Some questions live only here, not on the lesson page. They join the review the day after you complete their lesson, at most ${NEW_PER_DAY} new ones a day; a right first answer puts a new question straight into box 2.`,
];

/** Local calendar day of a time in ms, as "YYYY-MM-DD". */
export function dayString(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `day` ("YYYY-MM-DD") plus `n` calendar days. */
export function addDays(day, n) {
  const m = DAY.exec(day);
  if (!m) throw new Error(`not a day: ${JSON.stringify(day)}`);
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n, 12);
  return dayString(d.getTime());
}

/** Whole days from `from` to `to` (both "YYYY-MM-DD"); negative when `to` is earlier. */
export function daysBetween(from, to) {
  const t = (day) => {
    const m = DAY.exec(day);
    return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  };
  return Math.round((t(to) - t(from)) / 86400000);
}

/** True for a well-formed "YYYY-MM-DD" that names a real date. */
export function isDay(text) {
  const m = DAY.exec(String(text));
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Is the entry due on `today`? */
export function isDue(entry, today) {
  return Boolean(entry) && entry.due <= today;
}

/**
 * Apply one graded answer to a question's review entry (null when it has none).
 *   { correct, where: "lesson" | "review", kind: quiz kind, lesson: number, today: "YYYY-MM-DD", at: ISO time,
 *     fresh: true for a new card (a review-only question without an entry, see newCards) }
 * Returns { entry, change } where entry is the new entry (a fresh object, or the same null) and
 * change is "added" (first miss), "reset" (back to box 1), "up" (moved up a box), "top" (right
 * in box 5, stays there) or "none" (nothing changed but the history). Every answer to a question
 * that has an entry is added to its history; a right answer to a question without one adds nothing.
 */
export function applyAnswer(entry, { correct, where, kind, lesson, today, at, fresh = false }) {
  const record = (e) => ({ ...e, at, history: [...(e.history ?? []), { at, correct, where }].slice(-HISTORY_LIMIT) });
  if (!entry && fresh && correct) return { entry: record({ lesson, box: 2, due: addDays(today, INTERVAL_DAYS[1]), added: at }), change: 'up' };
  if (!correct) {
    const dueAtOnce = where === 'lesson' && kind !== 'widget';
    const next = { lesson: entry?.lesson ?? lesson, box: 1, due: dueAtOnce ? today : addDays(today, INTERVAL_DAYS[0]), added: entry?.added ?? at };
    return { entry: record({ ...entry, ...next }), change: entry ? 'reset' : 'added' };
  }
  if (!entry) return { entry: null, change: 'none' };
  const counts = where === 'review' || kind === 'widget';
  if (!counts || !isDue(entry, today)) return { entry: record(entry), change: 'none' };
  const box = Math.min(entry.box + 1, BOXES);
  const change = entry.box === BOXES ? 'top' : 'up';
  return { entry: record({ ...entry, box, due: addDays(today, INTERVAL_DAYS[box - 1]) }), change };
}

/**
 * The due questions, in the order to review them: lowest box first, then the longest overdue,
 * then course order (the index of the id in `order`, when given).
 *   review: { [quizId]: entry };  today;  order: quiz ids in course order (others are skipped).
 * Returns quiz ids.
 */
export function dueQueue(review, today, order = null) {
  const rank = order ? new Map(order.map((id, i) => [id, i])) : null;
  return Object.entries(review)
    .filter(([id, e]) => isDue(e, today) && (!rank || rank.has(id)))
    .sort(([a, x], [b, y]) => x.box - y.box || (x.due < y.due ? -1 : x.due > y.due ? 1 : 0) || (rank ? rank.get(a) - rank.get(b) : a < b ? -1 : 1))
    .map(([id]) => id);
}

/**
 * The new cards to show today: review-only questions not yet in the deck whose lesson was
 * completed before today, in course order, at most `limit` a day (cards first answered today count
 * against the limit).
 *   items: [{ id, lesson }] review-only questions in course order;
 *   review: { [quizId]: entry };  today: "YYYY-MM-DD";
 *   completed(lesson): the day ("YYYY-MM-DD") the lesson was completed, "" when completed at an
 *   unknown time (migrated progress: counts as long ago), or null when it is not completed.
 * Returns quiz ids.
 */
export function newCards(items, { review, today, completed, limit = NEW_PER_DAY }) {
  const firstAnsweredToday = items.filter(({ id }) => review[id] && typeof review[id].added === 'string' && dayString(Date.parse(review[id].added)) === today).length;
  const room = Math.max(0, limit - firstAnsweredToday);
  return items
    .filter(({ id, lesson }) => {
      const day = completed(lesson);
      return !review[id] && day !== null && day < today;
    })
    .slice(0, room)
    .map(({ id }) => id);
}

/**
 * Today's review from a progress record (web/app/progress.js, schema v2): the due questions
 * (dueQueue) and the new cards (newCards).
 *   data: { lessons, review };  questions: [{ id, lesson, placement }] of the built site in course
 *   order (ids not listed are skipped);  today: "YYYY-MM-DD".
 * Returns { due: [quizId], fresh: [quizId] }.
 */
export function reviewToday(data, questions, today) {
  const order = questions.map((q) => q.id);
  const completed = (n) => {
    const l = data.lessons[String(n)];
    if (!l?.completed) return null;
    const ms = typeof l.completedAt === 'string' ? Date.parse(l.completedAt) : NaN;
    return Number.isFinite(ms) ? dayString(ms) : '';
  };
  const reviewOnly = questions.filter((q) => q.placement === 'review');
  return {
    due: dueQueue(data.review, today, order),
    fresh: newCards(reviewOnly, { review: data.review, today, completed }),
  };
}

/** The earliest due day after `today` among the entries (restricted to `order` ids when given), or null. */
export function nextDueDay(review, today, order = null) {
  const known = order ? new Set(order) : null;
  let best = null;
  for (const [id, e] of Object.entries(review)) {
    if (known && !known.has(id)) continue;
    if (e.due > today && (best === null || e.due < best)) best = e.due;
  }
  return best;
}

/**
 * A day for people: "Thursday, August 14", plus "(today)", "(tomorrow)", "(in 3 days)" or
 * "(2 days ago)" when `today` is given, and the year when it is not this year.
 */
export function formatDay(day, today = null) {
  const m = DAY.exec(day);
  if (!m) return String(day);
  const sameYear = !today || today.slice(0, 4) === m[1];
  const options = { weekday: 'long', month: 'long', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) };
  const text = new Intl.DateTimeFormat('en', options).format(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
  if (!today) return text;
  const n = daysBetween(today, day);
  const rel = n === 0 ? 'today' : n === 1 ? 'tomorrow' : n === -1 ? 'yesterday' : n > 1 ? `in ${n} days` : `${-n} days ago`;
  return `${text} (${rel})`;
}

function pad(n) {
  return String(n).padStart(2, '0');
}
