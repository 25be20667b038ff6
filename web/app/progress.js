/**
 * The learner's progress, kept in localStorage under STORAGE_KEY. No DOM: tests drive it with a
 * fake storage object and a fake clock.
 *
 * Schema version 2:
 *
 *   { version: 2, seed, createdAt,
 *     lessons: { "7": { answers: { [quizId]: { correct, tries, value, at, revealed? } }, completed, completedAt } },
 *     last:    { lesson, anchor, label, quiz, at },          // where the learner left off
 *     review:  { [quizId]: { lesson, box, due, added, at, history } } }   // see leitner.js
 *
 *   seed:   32-bit unsigned integer; shuffles choices the same way on every visit.
 *   answers[id].value: the last answer (choice indices, a number, or a widget's message);
 *           tries counts every graded check; at is an ISO time (null for answers migrated from v1);
 *           revealed: true once the learner pressed "Show answer" (kept by later answers; the
 *           review deck treats revealing like a wrong answer).
 *   last.anchor: id of the section heading or quiz the learner was at on that lesson's page;
 *           label is its plain text (shown with textContent only).
 *   review: one entry per question answered wrong at least once (Leitner box 1..5, due day).
 *   A record migrated from v1 also carries migratedFrom: 1 and migratedAt (ISO time).
 *
 * Version 1 (before spaced review) was
 *   { version: 1, seed, lastLesson, lessons: { "7": { answers: { [id]: { correct, tries, value } }, completed, completedAt } } }
 * and is migrated on open (and on import): every lesson, answer and completion is kept as it was
 * (answers get at: null), lastLesson becomes last.lesson, and every answer that is wrong or took
 * more than one try joins review in box 1, due at once. The v1 text is also kept under a backup key.
 *
 * Opening never throws. Corrupt JSON, a wrong shape or a version this code does not know (a newer
 * site, say) is backed up under `attention-lab/progress-backup-<ms>` and replaced by a fresh
 * record, and `notice` says so; if even the backup cannot be written, the stored text is left
 * untouched and progress lives in memory. Without usable localStorage (private mode, blocked
 * cookies) progress lives in memory only. Every write re-reads the stored record first, so two
 * tabs do not overwrite each other's answers; in a browser the `storage` event keeps `data` fresh.
 */
import { BOXES, applyAnswer, dayString, isDay } from './leitner.js';

export const STORAGE_KEY = 'attention-lab/progress';
export const BACKUP_PREFIX = 'attention-lab/progress-backup-';
export const VERSION = 2;
/** The `format` field of an exported file. */
export const EXPORT_FORMAT = 'attention-lab/progress';
/** Imported files larger than this are refused before parsing. */
export const MAX_IMPORT_BYTES = 1_000_000;
const LABEL_LIMIT = 140;
const UNCHANGED = Symbol('unchanged');

/** A fresh progress record with the given shuffle seed (a 32-bit unsigned integer). */
export function emptyProgress(seed, createdAt = null) {
  return { version: VERSION, seed, createdAt, lessons: {}, last: emptyLast(), review: {} };
}

function emptyLast() {
  return { lesson: null, anchor: null, label: null, quiz: null, at: null };
}

/** A random 32-bit unsigned seed. */
export function randomSeed() {
  if (globalThis.crypto?.getRandomValues) return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
  return Math.floor(Math.random() * 2 ** 32);
}

/** Check a parsed value against the version-2 schema. Returns an error string, or '' when valid. */
export function schemaError(p) {
  if (!isObject(p)) return 'not an object';
  if (p.version !== VERSION) return `unknown version ${short(p.version)}`;
  return v2Error(p);
}

/** Check a parsed value against the version-1 schema (the version field aside). */
function v1Error(p) {
  if (!isSeed(p.seed)) return 'seed is not a whole number';
  return lessonsError(p.lessons, false);
}

function v2Error(p) {
  if (!isSeed(p.seed)) return 'seed is not a whole number';
  const lessons = lessonsError(p.lessons, true);
  if (lessons) return lessons;
  if (!isObject(p.last)) return 'the last position ("last") is not an object';
  if (!(p.last.lesson === null || isLessonNumber(p.last.lesson))) return 'last.lesson is not a lesson number';
  for (const k of ['anchor', 'label', 'quiz', 'at'])
    if (!(p.last[k] === null || p.last[k] === undefined || typeof p.last[k] === 'string')) return `last.${k} is not text`;
  if (!isObject(p.review)) return 'review is not an object';
  for (const [id, e] of Object.entries(p.review)) {
    const where = `review entry ${short(id)}`;
    if (!isObject(e)) return `${where} is not an object`;
    if (!Number.isInteger(e.box) || e.box < 1 || e.box > BOXES) return `${where}: box must be a whole number from 1 to ${BOXES}`;
    if (!isDay(e.due)) return `${where}: due is not a date (YYYY-MM-DD)`;
    if (!isLessonNumber(e.lesson)) return `${where}: lesson is not a lesson number`;
    if (!Array.isArray(e.history)) return `${where}: history is not a list`;
    if (!e.history.every((h) => isObject(h) && typeof h.correct === 'boolean')) return `${where}: history holds a malformed answer`;
  }
  return '';
}

function lessonsError(lessons, strict) {
  if (!isObject(lessons)) return 'lessons is not an object';
  for (const [n, lesson] of Object.entries(lessons)) {
    if (!isObject(lesson) || !isObject(lesson.answers)) return `lesson ${short(n)} has no answers object`;
    for (const [id, a] of Object.entries(lesson.answers))
      if (!isObject(a) || typeof a.correct !== 'boolean' || !Number.isInteger(a.tries) || !(a.revealed === undefined || typeof a.revealed === 'boolean'))
        return `lesson ${short(n)} has a malformed answer (${short(id)})`;
    if (strict && lesson.completed !== undefined && typeof lesson.completed !== 'boolean')
      return `lesson ${short(n)}: completed must be true or false`;
  }
  return '';
}

/**
 * Turn a parsed record of any known version into a version-2 record.
 *   { today: "YYYY-MM-DD", at: ISO time } date the migration (review due day, timestamps).
 * Returns { data, from } (from: the version read) or { error, future } (future: the version
 * number when the record comes from a newer site).
 */
export function upgrade(parsed, { today, at }) {
  if (!isObject(parsed)) return { error: 'not an object' };
  const v = parsed.version;
  if (v === VERSION) {
    const error = v2Error(parsed);
    return error ? { error } : { data: parsed, from: VERSION };
  }
  if (v === 1) {
    const error = v1Error(parsed);
    return error ? { error } : { data: migrateV1(parsed, { today, at }), from: 1 };
  }
  if (Number.isInteger(v) && v > VERSION) return { error: `it was saved by a newer version of Attention Lab (schema version ${v})`, future: v };
  return { error: v === undefined ? 'it has no schema version' : `unknown schema version ${short(v)}` };
}

/** Version 1 -> version 2 (see the top of this file). `v1` must pass the v1 schema check. */
export function migrateV1(v1, { today, at }) {
  const out = emptyProgress(v1.seed, null);
  out.migratedFrom = 1;
  out.migratedAt = at;
  for (const [n, lesson] of Object.entries(v1.lessons)) {
    const answers = {};
    for (const [id, a] of Object.entries(lesson.answers)) {
      answers[id] = { ...a, at: typeof a.at === 'string' ? a.at : null };
      if ((!a.correct || a.tries > 1) && isLessonNumber(Number(n)))
        out.review[id] = { lesson: Number(n), box: 1, due: today, added: at, at, history: [] };
    }
    out.lessons[n] = {
      ...lesson,
      answers,
      completed: Boolean(lesson.completed),
      completedAt: typeof lesson.completedAt === 'string' ? lesson.completedAt : null,
    };
  }
  if (isLessonNumber(v1.lastLesson)) out.last.lesson = v1.lastLesson;
  for (const [k, v] of Object.entries(v1)) if (!['version', 'seed', 'lessons', 'lastLesson'].includes(k) && !(k in out)) out[k] = v;
  return out;
}

/**
 * Combine two version-2 records: the union of lessons, answers and review entries. For an answer,
 * a review entry or the last position held by both, the more recent one (by `at`) wins, `b` on
 * a tie; a lesson completed in either stays completed. Used when another tab running an older
 * site wrote a version-1 record over ours. Returns a new record with a's seed.
 */
export function mergeProgress(a, b) {
  const out = structuredClone(a);
  for (const [n, lb] of Object.entries(b.lessons)) {
    const la = (out.lessons[n] ??= { answers: {}, completed: false, completedAt: null });
    for (const [id, answer] of Object.entries(lb.answers)) if (!la.answers[id] || newer(answer, la.answers[id])) la.answers[id] = structuredClone(answer);
    if (lb.completed && !la.completed) {
      la.completed = true;
      la.completedAt = lb.completedAt ?? null;
    }
  }
  for (const [id, e] of Object.entries(b.review)) if (!out.review[id] || newer(e, out.review[id])) out.review[id] = structuredClone(e);
  if (b.last.lesson !== null && (out.last.lesson === null || newer(b.last, out.last))) out.last = { ...b.last };
  return out;
}

/** x is at least as recent as y (by ISO `at`; more tries when neither has a time). */
function newer(x, y) {
  if (typeof x.at === 'string' && typeof y.at === 'string') return x.at >= y.at;
  if (typeof x.at === 'string') return true;
  if (typeof y.at === 'string') return false;
  return (x.tries ?? 0) >= (y.tries ?? 0);
}

/**
 * Status of lesson `number` in a progress record: 'done', 'started' or 'not-started'.
 */
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

/** The file name of an export made at time `ms`: attention-lab-progress-YYYY-MM-DD.json (local day). */
export function exportFileName(ms) {
  return `attention-lab-progress-${dayString(ms)}.json`;
}

/** The text of an export file for `progress` made at ISO time `at`. */
export function exportText(progress, at) {
  return `${JSON.stringify({ format: EXPORT_FORMAT, exportedAt: at, progress }, null, 2)}\n`;
}

/**
 * Read the text of a file the learner wants to import: an export file
 * ({ format: "attention-lab/progress", exportedAt, progress: record }) or a bare record of
 * version 1 or 2 (e.g. a backup copied out of the browser's storage).
 * Returns { data, from } (a version-2 record, migrated when needed) or { error } with a sentence
 * for the learner. Never throws.
 */
export function parseProgressFile(text, { today, at }) {
  const s = String(text ?? '');
  if (s.length > MAX_IMPORT_BYTES)
    return { error: `The file is ${Math.round(s.length / 1000)} kB, far larger than an Attention Lab progress file, so it was not read.` };
  if (s.trim() === '') return { error: 'The file is empty.' };
  let parsed;
  try {
    parsed = JSON.parse(s.replace(/^\uFEFF/, ''));
  } catch {
    return { error: 'The file is not JSON, so it cannot be Attention Lab progress. Pick a file made with "Export progress".' };
  }
  if (!isObject(parsed)) return { error: 'The file holds JSON, but not an Attention Lab progress record (expected an object with "format" and "progress").' };
  let record;
  if ('format' in parsed) {
    if (parsed.format !== EXPORT_FORMAT) return { error: `The file is not an Attention Lab progress file (its format is ${short(parsed.format)}, expected "${EXPORT_FORMAT}").` };
    if (!isObject(parsed.progress)) return { error: 'The file says it is Attention Lab progress, but it holds no "progress" record.' };
    record = parsed.progress;
  } else if ('version' in parsed) {
    record = parsed;
  } else {
    return { error: 'The file holds JSON, but not Attention Lab progress: it has neither a "format" nor a "version" field.' };
  }
  const r = upgrade(record, { today, at });
  if (r.future) return { error: `The file was saved by a newer version of Attention Lab (schema version ${r.future}); this site reads schema versions 1 and ${VERSION}. Update the site, then import it again.` };
  if (r.error) return { error: `The file looks like Attention Lab progress but is damaged: ${r.error}.` };
  return { data: structuredClone(r.data), from: r.from };
}

/**
 * Open the progress store.
 *   storage: a Storage-like object (getItem/setItem/removeItem); defaults to localStorage when usable.
 *   now:     clock in ms, for timestamps and review days.
 *   events:  where to listen for `storage` events from other tabs (defaults to window when
 *            storage is the default localStorage; pass null to not listen).
 * Returns the store:
 *   data, notice ('' or a sentence for the learner), persistent (false = memory only),
 *   today(), lesson(n), status(n), completedCount(numbers),
 *   recordAnswer(n, quizId, { correct, value, kind }) -> the saved answer (answer on a lesson page),
 *   recordReveal(n, quizId, { kind }) -> the saved answer, now with revealed: true ("Show answer" on
 *     a lesson page; the question goes to review box 1 like a wrong answer),
 *   markCompleted(n), setLastLesson(n), setPosition({ lesson, anchor, label, quiz }),
 *   reviewEntry(quizId), recordReview(quizId, { correct, kind, lesson, fresh }) -> { entry, change }
 *     (fresh: a new review-only question answered for the first time, see leitner.js),
 *   exportText(), importText(text) -> { ok, error } or { ok, from, backupKey, summary },
 *   restoreBackup(key) -> boolean, onChange(callback) (another tab changed the data).
 */
export function openProgress({ storage, now = () => Date.now(), events } = {}) {
  const usingDefault = storage === undefined;
  if (usingDefault) storage = usableLocalStorage();
  if (events === undefined) events = usingDefault && storage ? globalThis : null;
  const store = { data: null, notice: '', persistent: storage !== null };
  let backend = storage ?? memoryStorage();
  let lastRaw = null;
  const listeners = new Set();
  const stamp = () => new Date(now()).toISOString();
  const today = () => dayString(now());
  const say = (message) => {
    if (!store.notice.includes(message)) store.notice = store.notice ? `${store.notice} ${message}` : message;
  };
  if (!store.persistent) say('This browser is not letting the course save data, so your progress lasts only until you close this tab.');

  const fallBackToMemory = () => {
    backend = memoryStorage();
    store.persistent = false;
  };

  const save = () => {
    const raw = JSON.stringify(store.data);
    try {
      backend.setItem(STORAGE_KEY, raw);
    } catch {
      fallBackToMemory();
      backend.setItem(STORAGE_KEY, raw);
      say('Your progress could not be saved in this browser (storage is full or blocked); it lasts only until you close this tab.');
    }
    lastRaw = raw;
  };

  /** Keep `raw` under a fresh backup key; returns the key, or null when it cannot be written. */
  const backup = (raw) => {
    try {
      const base = `${BACKUP_PREFIX}${now()}`;
      let key = base;
      for (let i = 2; backend.getItem(key) !== null; i++) key = `${base}-${i}`;
      backend.setItem(key, raw);
      return key;
    } catch {
      return null;
    }
  };

  const readRaw = () => {
    try {
      return backend.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  };

  /** Stored text -> { data, from } or { problem, future }. */
  const interpret = (raw) => {
    let parsed;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { problem: 'not valid JSON' };
    }
    const r = upgrade(parsed, { today: today(), at: stamp() });
    return r.error ? { problem: r.error, future: r.future } : r;
  };

  const fresh = () => emptyProgress(randomSeed(), stamp());

  // ---- open ----
  const raw = readRaw();
  if (raw === null || raw === undefined) {
    store.data = fresh();
    save();
  } else {
    const r = interpret(raw);
    if (r.data && r.from === VERSION) {
      store.data = r.data;
      lastRaw = raw;
    } else if (r.data) {
      const key = backup(raw);
      store.data = r.data;
      save();
      say(`Your saved progress was upgraded to this version of the course; every answer and completed lesson was kept.${key ? ` A copy of the old data is in this browser's storage under "${key}".` : ''}`);
    } else {
      const key = backup(raw);
      const what = r.future
        ? `Your saved progress was written by a newer version of Attention Lab (schema version ${r.future}), which this page cannot read`
        : `Your saved progress could not be read (${r.problem})`;
      store.data = fresh();
      if (key === null) {
        fallBackToMemory();
        save();
        say(`${what}, and there is no room to keep a copy, so it was left untouched and progress made on this visit will not be saved.`);
      } else {
        save();
        say(`${what}, so it was ${r.future ? 'set aside and progress starts afresh' : 'reset'}. The old data was kept in this browser's storage under "${key}".`);
      }
    }
  }

  /** Re-read the stored record before a write, so another tab's answers are not overwritten. */
  const refresh = () => {
    if (!store.persistent) return;
    const raw = readRaw();
    if (raw === null || raw === undefined || raw === lastRaw) return;
    const r = interpret(raw);
    if (r.data && r.from === VERSION) {
      store.data = r.data;
      lastRaw = raw;
    } else if (r.data) {
      // an older version of the site, open in another tab, wrote a version-1 record: keep both
      const key = backup(raw);
      store.data = mergeProgress(r.data, store.data);
      say(`Another tab running an older version of the course saved progress in the old format; it was merged with yours.${key ? ` A copy is under "${key}".` : ''}`);
    } else {
      const key = backup(raw);
      if (key) say(`Unreadable progress data appeared in this browser's storage (${r.problem}); it was kept under "${key}" and your progress was saved over it.`);
    }
  };

  const update = (mutate) => {
    refresh();
    const result = mutate(store.data);
    if (result !== UNCHANGED) save();
    return result === UNCHANGED ? undefined : result;
  };

  const ensureLesson = (data, n) => (data.lessons[String(n)] ??= { answers: {}, completed: false, completedAt: null });

  store.today = today;
  store.lesson = (n) => ensureLesson(store.data, n);
  store.status = (n) => lessonStatus(store.data, n);
  store.completedCount = (numbers) => numbers.filter((n) => store.status(n) === 'done').length;
  store.reviewEntry = (quizId) => store.data.review[quizId] ?? null;

  store.recordAnswer = (n, quizId, { correct, value, kind }) =>
    update((data) => {
      const answers = ensureLesson(data, n).answers;
      const at = stamp();
      const saved = { correct, tries: (answers[quizId]?.tries ?? 0) + 1, value, at };
      if (answers[quizId]?.revealed) saved.revealed = true;
      answers[quizId] = saved;
      const { entry } = applyAnswer(data.review[quizId] ?? null, { correct, where: 'lesson', kind, lesson: Number(n), today: today(), at });
      if (entry) data.review[quizId] = entry;
      return saved;
    });

  store.recordReveal = (n, quizId, { kind }) =>
    update((data) => {
      const answers = ensureLesson(data, n).answers;
      const at = stamp();
      const saved = { correct: false, tries: 0, value: null, ...answers[quizId], revealed: true, at };
      answers[quizId] = saved;
      const { entry } = applyAnswer(data.review[quizId] ?? null, { correct: false, where: 'lesson', kind, lesson: Number(n), today: today(), at });
      if (entry) data.review[quizId] = entry;
      return saved;
    });

  store.markCompleted = (n) =>
    update((data) => {
      const lesson = ensureLesson(data, n);
      if (lesson.completed) return UNCHANGED;
      lesson.completed = true;
      lesson.completedAt = stamp();
      return undefined;
    });

  /**
   * Remember where the learner is. Without an anchor, opening the same lesson again keeps the
   * anchor saved before; a different lesson starts at its top.
   */
  store.setPosition = ({ lesson, anchor = null, label = null, quiz = null }) =>
    update((data) => {
      const last = data.last;
      const sameLesson = last.lesson === lesson;
      const next = anchor === null && sameLesson
        ? { ...last, lesson }
        : { lesson, anchor, label: label === null ? null : String(label).slice(0, LABEL_LIMIT), quiz };
      if (sameLesson && next.anchor === last.anchor && next.label === last.label && next.quiz === last.quiz && last.at) return UNCHANGED;
      data.last = { ...next, at: stamp() };
      return undefined;
    });
  store.setLastLesson = (n) => store.setPosition({ lesson: n });

  store.recordReview = (quizId, { correct, kind, lesson, fresh = false }) =>
    update((data) => {
      const at = stamp();
      const { entry, change } = applyAnswer(data.review[quizId] ?? null, { correct, where: 'review', kind, lesson, today: today(), at, fresh });
      if (entry) data.review[quizId] = entry;
      return { entry, change };
    });

  store.exportText = () => {
    refresh();
    return exportText(store.data, stamp());
  };

  /**
   * Replace the progress with an imported file's. The current progress is first kept under a
   * backup key (returned, so the page can offer to undo); when that copy cannot be written
   * nothing is imported.
   */
  store.importText = (text) => {
    const r = parseProgressFile(text, { today: today(), at: stamp() });
    if (r.error) return { ok: false, error: r.error };
    refresh();
    const backupKey = backup(JSON.stringify(store.data));
    if (backupKey === null)
      return { ok: false, error: 'There is no room in this browser\'s storage to keep a copy of your current progress, so the file was not imported. Export your current progress first, or free some space.' };
    store.data = r.data;
    save();
    return { ok: true, from: r.from, backupKey, summary: summarize(store.data) };
  };

  /** Put back the progress kept under backup `key` (e.g. to undo an import). Returns success. */
  store.restoreBackup = (key) => {
    let raw;
    try {
      raw = backend.getItem(key);
    } catch {
      return false;
    }
    if (typeof raw !== 'string' || !key.startsWith(BACKUP_PREFIX)) return false;
    const r = interpret(raw);
    if (!r.data) return false;
    store.data = r.data;
    save();
    return true;
  };

  store.onChange = (callback) => listeners.add(callback);
  if (events && typeof events.addEventListener === 'function') {
    events.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY || typeof event.newValue !== 'string' || event.newValue === lastRaw) return;
      const r = interpret(event.newValue);
      if (!r.data || r.from !== VERSION) return;
      store.data = r.data;
      lastRaw = event.newValue;
      for (const callback of listeners) callback();
    });
  }
  return store;
}

/** localStorage if it exists and accepts a write, else null. */
function usableLocalStorage() {
  try {
    const s = globalThis.localStorage;
    if (!s) return null;
    const probe = 'attention-lab/probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

/** A Storage-like object in memory. */
export function memoryStorage() {
  const map = new Map();
  return {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

function isObject(x) {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function isSeed(x) {
  return Number.isInteger(x) && x >= 0;
}

function isLessonNumber(x) {
  return Number.isInteger(x) && x > 0;
}

/** A value quoted for a message, cut short (ids and versions come from files and storage). */
function short(value) {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
