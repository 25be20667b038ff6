/**
 * The learner's progress, kept in localStorage under STORAGE_KEY:
 *
 *   { version: 1, seed, lastLesson,
 *     lessons: { "7": { answers: { [quizId]: { correct, tries, value } }, completed, completedAt } } }
 *
 * Opening never throws. Corrupt JSON or an unknown version is backed up under
 * `attention-lab/progress-backup-<timestamp>` and replaced by a fresh record, and `notice` says so.
 * Without usable localStorage (private mode, blocked cookies) progress lives in memory only.
 */

export const STORAGE_KEY = 'attention-lab/progress';
export const BACKUP_PREFIX = 'attention-lab/progress-backup-';
export const VERSION = 1;

/** A fresh progress record with the given shuffle seed (a 32-bit unsigned integer). */
export function emptyProgress(seed) {
  return { version: VERSION, seed, lessons: {}, lastLesson: null };
}

/** A random 32-bit unsigned seed. */
export function randomSeed() {
  if (globalThis.crypto?.getRandomValues) return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
  return Math.floor(Math.random() * 2 ** 32);
}

/**
 * Check a parsed value against the version-1 schema. Returns an error string, or '' when valid.
 */
export function schemaError(p) {
  if (!isObject(p)) return 'not an object';
  if (p.version !== VERSION) return `unknown version ${JSON.stringify(p.version)}`;
  if (!Number.isInteger(p.seed) || p.seed < 0) return 'seed is not a whole number';
  if (!isObject(p.lessons)) return 'lessons is not an object';
  for (const [n, lesson] of Object.entries(p.lessons)) {
    if (!isObject(lesson) || !isObject(lesson.answers)) return `lesson ${n} has no answers object`;
    for (const a of Object.values(lesson.answers))
      if (!isObject(a) || typeof a.correct !== 'boolean' || !Number.isInteger(a.tries)) return `lesson ${n} has a malformed answer`;
  }
  return '';
}

/**
 * Status of lesson `number` in a progress record: 'done', 'started' or 'not-started'.
 */
export function lessonStatus(progress, number) {
  const lesson = progress.lessons[String(number)];
  if (lesson?.completed) return 'done';
  return lesson && Object.keys(lesson.answers).length > 0 ? 'started' : 'not-started';
}

/**
 * Open the progress store.
 *   storage: a Storage-like object (getItem/setItem); defaults to localStorage when usable.
 *   now:     clock in ms, for timestamps.
 * Returns { data, notice, persistent, lesson(n), recordAnswer(n, quizId, { correct, value }),
 *           markCompleted(n), setLastLesson(n), status(n), completedCount(numbers) }.
 * `notice` is '' or a sentence to show the learner (progress was reset, or cannot be saved).
 */
export function openProgress({ storage = usableLocalStorage(), now = () => Date.now() } = {}) {
  const store = { data: null, notice: '', persistent: storage !== null };
  let backend = storage ?? memoryStorage();
  if (!store.persistent) store.notice = 'This browser is not letting the course save data, so your progress lasts only until you close this tab.';

  const save = () => {
    try {
      backend.setItem(STORAGE_KEY, JSON.stringify(store.data));
    } catch {
      backend = memoryStorage();
      store.persistent = false;
      store.notice = 'Your progress could not be saved in this browser (storage is full or blocked); it lasts only until you close this tab.';
    }
  };

  store.data = load(backend, now, (message) => (store.notice = message));
  if (store.data === null) {
    store.data = emptyProgress(randomSeed());
    save();
  }

  store.lesson = (n) => {
    const key = String(n);
    store.data.lessons[key] ??= { answers: {}, completed: false, completedAt: null };
    return store.data.lessons[key];
  };
  store.recordAnswer = (n, quizId, { correct, value }) => {
    const answers = store.lesson(n).answers;
    const tries = (answers[quizId]?.tries ?? 0) + 1;
    answers[quizId] = { correct, tries, value };
    save();
    return answers[quizId];
  };
  store.markCompleted = (n) => {
    const lesson = store.lesson(n);
    if (lesson.completed) return;
    lesson.completed = true;
    lesson.completedAt = new Date(now()).toISOString();
    save();
  };
  store.setLastLesson = (n) => {
    store.data.lastLesson = n;
    save();
  };
  store.status = (n) => lessonStatus(store.data, n);
  store.completedCount = (numbers) => numbers.filter((n) => store.status(n) === 'done').length;
  return store;
}

/** Read and check the stored record; null when there is none or it had to be reset. */
function load(backend, now, warn) {
  let raw;
  try {
    raw = backend.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
  if (raw === null || raw === undefined) return null;
  let parsed = null;
  let problem = '';
  try {
    parsed = JSON.parse(raw);
    problem = schemaError(parsed);
  } catch {
    problem = 'not valid JSON';
  }
  if (!problem) return parsed;
  const backupKey = `${BACKUP_PREFIX}${now()}`;
  try {
    backend.setItem(backupKey, raw);
    warn(`Your saved progress could not be read (${problem}), so it was reset. The old data was kept in this browser's storage under "${backupKey}".`);
  } catch {
    warn(`Your saved progress could not be read (${problem}), so it was reset.`);
  }
  return null;
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

function memoryStorage() {
  const map = new Map();
  return { getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, String(v)) };
}

function isObject(x) {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
