/**
 * The learner's progress store, kept in localStorage under STORAGE_KEY. No DOM: tests drive it
 * with a fake storage object and a fake clock. The record's schema, names and migration live in
 * progress-record.js, export/import files in progress-file.js, backup copies in
 * progress-backups.js; this file re-exports what pages and tests use from them.
 *
 * Opening never throws, and stored text this page cannot use as it is (corrupt JSON, a wrong
 * shape, a version from a newer site, an old version-1 record, entries with invalid names) is
 * never replaced without a copy: it is first kept under `attention-lab/progress-backup-<ms>`,
 * and `notice` says so. When even that copy cannot be written, the stored text is left untouched
 * and progress lives in memory, with a notice. Without usable localStorage (private mode, blocked
 * cookies) progress lives in memory only. Every write re-reads the stored record first, so two
 * tabs do not overwrite each other's answers, and the same copy-or-leave-alone rule applies to
 * what another tab stored; in a browser the `storage` event keeps `data` fresh.
 */
import { applyAnswer, dayString } from './leitner.js';
import {
  VERSION, WIDGET_KEYS_LIMIT, dict, emptyProgress, isLessonNumber, isQuizId, isWidgetKey, lessonStatus,
  lostSentence, mergeProgress, short, summarize, upgrade, widgetValueError,
} from './progress-record.js';
import { exportText, parseProgressFile } from './progress-file.js';
import { BACKUP_PREFIX, createBackups } from './progress-backups.js';

export {
  VERSION, WIDGET_KEYS_LIMIT, WIDGET_RECORD_LIMIT, copyRecord, emptyProgress, isLessonKey, isQuizId, isWidgetKey,
  lessonStatus, lostSentence, mergeProgress, migrateV1, schemaError, summarize, upgrade, widgetValueError,
} from './progress-record.js';
export { EXPORT_FORMAT, MAX_IMPORT_BYTES, exportFileName, exportText, parseProgressFile } from './progress-file.js';
export { BACKUP_PREFIX, MAX_BACKUPS } from './progress-backups.js';

export const STORAGE_KEY = 'attention-lab/progress';
const LABEL_LIMIT = 140;
const ANCHOR_LIMIT = 200;
const UNCHANGED = Symbol('unchanged');

/** A random 32-bit unsigned seed. */
export function randomSeed() {
  if (globalThis.crypto?.getRandomValues) return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
  return Math.floor(Math.random() * 2 ** 32);
}

/**
 * Open the progress store.
 *   storage: a Storage-like object (getItem/setItem/removeItem, and key/length so old backup
 *            copies can be pruned); defaults to localStorage when usable; null = memory only.
 *   now:     clock in ms, for timestamps and review days.
 *   events:  where to listen for `storage` events from other tabs (defaults to window when
 *            storage is the default localStorage; pass null to not listen).
 * Returns the store:
 *   data (a clean version-2 record), notice ('' or sentences for the learner),
 *   persistent (false = memory only), today(), lesson(n), status(n), completedCount(numbers),
 *   recordAnswer(n, quizId, { correct, value, kind, revealed }) -> the saved answer,
 *   markCompleted(n), setLastLesson(n), setPosition({ lesson, anchor, label, quiz }),
 *   reviewEntry(quizId), recordReview(quizId, { correct, kind, lesson, fresh }) -> { entry, change }
 *     (fresh: a review-only question's first answer, a new card; see leitner.js newCards),
 *   recordWidget(key, value) -> the saved copy, widgetRecord(key) -> a copy or undefined,
 *   exportText(), importText(text) -> { ok: false, error } or
 *     { ok: true, from, backupKey, summary, lost, warning },
 *   restoreBackup(key) -> boolean, onChange(callback) (another tab changed the data).
 * Methods given a lesson number, quiz id or widget key that is not valid throw a TypeError
 * naming it; recordWidget throws a RangeError when the value is too large or not plain JSON.
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
    if (message && !store.notice.includes(message)) store.notice = store.notice ? `${store.notice} ${message}` : message;
  };
  const backups = createBackups({ storage: () => backend, now, say });
  if (!store.persistent) say('This browser is not letting the course save data, so your progress lasts only until you close this tab.');

  const fallBackToMemory = () => {
    backend = memoryStorage();
    store.persistent = false;
  };

  const trySet = (raw) => {
    try {
      backend.setItem(STORAGE_KEY, raw);
      return true;
    } catch {
      return false;
    }
  };

  /** Write the record; when storage is full, old backup copies make room, then memory takes over. */
  const save = () => {
    const raw = JSON.stringify(store.data);
    let ok = trySet(raw);
    while (!ok && store.persistent && backups.pruneForRoom()) ok = trySet(raw);
    if (!ok) {
      fallBackToMemory();
      backend.setItem(STORAGE_KEY, raw);
      say('Your progress could not be saved in this browser (storage is full or blocked); it lasts only until you close this tab.');
    }
    lastRaw = raw;
  };

  const readRaw = () => {
    try {
      return backend.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  };

  /** Stored text -> { data, from, lost } or { problem, future }. */
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
  const usableAsIs = (r) => r.data && r.from === VERSION && r.lost.length === 0;
  /** One or two sentences on what is wrong with stored text that is not usable as it is. */
  const problem = (r) => {
    if (r.data) return r.lost.length ? `In your saved progress, ${lostSentence(r.lost).replace(/^./, (c) => c.toLowerCase())}` : 'Your saved progress was in an older format.';
    return r.future
      ? `Your saved progress was written by a newer version of Attention Lab (schema version ${r.future}), which this page cannot read.`
      : `Your saved progress could not be read (${r.problem}).`;
  };

  const fresh = () => emptyProgress(randomSeed(), stamp());

  // ---- open ----
  const raw = readRaw();
  if (raw === null || raw === undefined) {
    store.data = fresh();
    save();
  } else {
    const r = interpret(raw);
    if (usableAsIs(r)) {
      store.data = r.data;
      lastRaw = raw;
    } else {
      const key = backups.write(raw);
      store.data = r.data ?? fresh();
      if (key === null && !(r.data && r.lost.length === 0)) {
        fallBackToMemory();
        save();
        say(`${problem(r)} There is no room in this browser's storage to keep a copy, so the saved data was left untouched and progress made on this visit will not be saved.`);
      } else if (r.data) {
        save();
        const kept = key ? ` A copy of the old data, with everything in it, is in this browser's storage under "${key}".` : '';
        const upgraded = r.from === VERSION ? '' : 'Your saved progress was upgraded to this version of the course; ';
        say(r.lost.length ? `${upgraded ? `${upgraded.slice(0, -2)}. ` : ''}${problem(r)}${kept}` : `${upgraded}every answer and completed lesson was kept.${kept}`);
      } else {
        save();
        say(`${problem(r)} ${r.future ? 'It was set aside and progress starts afresh' : 'It was reset'}; the old data was kept in this browser's storage under "${key}".`);
      }
    }
  }

  /**
   * Before every write: fold in what another tab stored since. A clean version-2 record is taken
   * as it is; anything else is first copied to a backup (an old-format record is then merged
   * with ours, unreadable text is written over); when no copy fits, the stored text is left
   * alone and this page carries on in memory.
   */
  const refresh = () => {
    if (!store.persistent) return;
    const raw = readRaw();
    if (raw === null || raw === undefined || raw === lastRaw) return;
    const r = interpret(raw);
    if (usableAsIs(r)) {
      store.data = r.data;
      lastRaw = raw;
      return;
    }
    const key = backups.write(raw);
    if (key === null) {
      fallBackToMemory();
      say(`Another tab changed the saved progress. ${problem(r)} There is no room to keep a copy, so it was left untouched; progress made on this page from now on lasts only until you close this tab.`);
      return;
    }
    if (r.data) {
      store.data = mergeProgress(r.data, store.data);
      const who = r.from === VERSION ? 'Another tab saved progress' : 'Another tab running an older version of the course saved progress in the old format';
      say(`${who}; it was merged with yours.${r.lost.length ? ` ${problem(r)}` : ''} A copy is under "${key}".`);
    } else {
      say(`Another tab changed the saved progress. ${problem(r)} It was kept under "${key}" and your progress was saved over it.`);
    }
  };

  const update = (mutate) => {
    refresh();
    const result = mutate(store.data);
    if (result !== UNCHANGED) save();
    return result === UNCHANGED ? undefined : result;
  };

  const ensureLesson = (data, n) => {
    const key = lessonKey(n);
    data.lessons[key] ??= { answers: dict(), completed: false, completedAt: null };
    return data.lessons[key];
  };

  store.today = today;
  store.lesson = (n) => ensureLesson(store.data, n);
  store.status = (n) => lessonStatus(store.data, n);
  store.completedCount = (numbers) => numbers.filter((n) => store.status(n) === 'done').length;
  store.reviewEntry = (quizId) => store.data.review[quizId] ?? null;

  /**
   * Save a graded answer to question `quizId` of lesson `n`. `revealed: true` marks an answer the
   * learner saw with "Show answer": it is kept on the answer, and review treats it as a miss
   * (box 1) whatever `correct` says. Returns the saved answer { correct, tries, value, at, revealed? }.
   */
  store.recordAnswer = (n, quizId, { correct, value, kind, revealed = false }) => {
    checkQuizId(quizId);
    if (typeof correct !== 'boolean') throw new TypeError(`recordAnswer: correct must be true or false, got ${short(correct)}`);
    return update((data) => {
      const answers = ensureLesson(data, n).answers;
      const at = stamp();
      const saved = { correct, tries: (answers[quizId]?.tries ?? 0) + 1, value, at };
      if (revealed === true) saved.revealed = true;
      answers[quizId] = saved;
      const countsAsRight = correct && revealed !== true;
      const { entry } = applyAnswer(data.review[quizId] ?? null, { correct: countsAsRight, where: 'lesson', kind, lesson: Number(n), today: today(), at });
      if (entry) data.review[quizId] = entry;
      return saved;
    });
  };

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
  store.setPosition = ({ lesson, anchor = null, label = null, quiz = null }) => {
    lessonKey(lesson);
    return update((data) => {
      const last = data.last;
      const sameLesson = last.lesson === lesson;
      const next = anchor === null && sameLesson
        ? { ...last, lesson }
        : { lesson, anchor: anchor === null ? null : String(anchor).slice(0, ANCHOR_LIMIT), label: label === null ? null : String(label).slice(0, LABEL_LIMIT), quiz: isQuizId(quiz) ? quiz : null };
      if (sameLesson && next.anchor === last.anchor && next.label === last.label && next.quiz === last.quiz && last.at) return UNCHANGED;
      data.last = { ...next, at: stamp() };
      return undefined;
    });
  };
  store.setLastLesson = (n) => store.setPosition({ lesson: n });

  store.recordReview = (quizId, { correct, kind, lesson, fresh = false }) => {
    checkQuizId(quizId);
    lessonKey(lesson);
    return update((data) => {
      const at = stamp();
      const { entry, change } = applyAnswer(data.review[quizId] ?? null, { correct, where: 'review', kind, lesson, today: today(), at, fresh });
      if (entry) data.review[quizId] = entry;
      return { entry, change };
    });
  };

  /**
   * Keep a widget's record (what it asked to remember, e.g. a game's score) under `key`, the
   * widget's tag without "attn-". `value` must be plain JSON of at most WIDGET_RECORD_LIMIT
   * characters; at most WIDGET_KEYS_LIMIT keys are kept. Returns the saved copy.
   */
  store.recordWidget = (key, value) => {
    checkWidgetKey(key);
    const problem = widgetValueError(value);
    if (problem) throw new RangeError(`recordWidget: the record for widget "${key}" was not saved: ${problem}`);
    const json = JSON.stringify(value);
    return update((data) => {
      const known = Object.hasOwn(data.widgets, key);
      if (known && JSON.stringify(data.widgets[key]) === json) return UNCHANGED;
      if (!known && Object.keys(data.widgets).length >= WIDGET_KEYS_LIMIT)
        throw new RangeError(`recordWidget: the record for widget "${key}" was not saved: ${WIDGET_KEYS_LIMIT} widgets already keep records`);
      data.widgets[key] = JSON.parse(json);
      return JSON.parse(json);
    }) ?? JSON.parse(json);
  };

  /** A copy of the record widget `key` asked to keep, or undefined when it has none. */
  store.widgetRecord = (key) => {
    checkWidgetKey(key);
    return Object.hasOwn(store.data.widgets, key) ? JSON.parse(JSON.stringify(store.data.widgets[key])) : undefined;
  };

  store.exportText = () => {
    refresh();
    return exportText(store.data, stamp());
  };

  /**
   * Replace the progress with an imported file's. The current progress is first kept under a
   * backup key (returned, so the page can offer to undo); when that copy cannot be written
   * nothing is imported. `warning` names entries of the file that were left out ('' if none).
   */
  store.importText = (text) => {
    const r = parseProgressFile(text, { today: today(), at: stamp() });
    if (r.error) return { ok: false, error: r.error };
    refresh();
    const backupKey = backups.write(JSON.stringify(store.data));
    if (backupKey === null)
      return { ok: false, error: 'There is no room in this browser\'s storage to keep a copy of your current progress, so the file was not imported. Export your current progress first, or free some space.' };
    store.data = r.data;
    save();
    return { ok: true, from: r.from, backupKey, summary: summarize(store.data), lost: r.lost, warning: r.warning };
  };

  /** Put back the progress kept under backup `key` (e.g. to undo an import). Returns success. */
  store.restoreBackup = (key) => {
    if (typeof key !== 'string' || !key.startsWith(BACKUP_PREFIX)) return false;
    let raw;
    try {
      raw = backend.getItem(key);
    } catch {
      return false;
    }
    if (typeof raw !== 'string') return false;
    const r = interpret(raw);
    if (!r.data) return false;
    refresh();
    store.data = r.data;
    save();
    return true;
  };

  store.onChange = (callback) => listeners.add(callback);
  if (events && typeof events.addEventListener === 'function') {
    events.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY || typeof event.newValue !== 'string' || event.newValue === lastRaw || !store.persistent) return;
      const r = interpret(event.newValue);
      if (!usableAsIs(r)) return;
      store.data = r.data;
      lastRaw = event.newValue;
      for (const callback of listeners) callback();
    });
  }
  return store;
}

/** The text key of lesson `n` ("7"); throws a TypeError naming `n` when it is not a lesson number. */
function lessonKey(n) {
  const number = typeof n === 'string' && /^[0-9]+$/.test(n) ? Number(n) : n;
  if (!isLessonNumber(number)) throw new TypeError(`progress: lesson must be a lesson number from 1 to 999, got ${short(n)}`);
  return String(number);
}

function checkQuizId(id) {
  if (!isQuizId(id)) throw new TypeError(`progress: quiz id ${short(id)} is not valid (lower-case words joined by "-", at most 80 characters)`);
}

function checkWidgetKey(key) {
  if (!isWidgetKey(key)) throw new TypeError(`progress: widget key ${short(key)} is not valid (the widget's tag without "attn-", e.g. "predict-head")`);
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
