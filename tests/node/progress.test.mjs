// Progress store (web/app/progress.js) without a browser: a fake Storage and a fake clock.
// (The issue-10 findings, widget records and revealed answers: progress-trust.test.mjs.)
// Covers the v1 -> v2 migration, corrupt / wrong-shape / future-version records (backup, reset,
// notice), storage that is missing or full, two tabs writing the same record, export -> import
// round trips, and import refusing bad files with a specific message while changing nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BACKUP_PREFIX, EXPORT_FORMAT, STORAGE_KEY, VERSION, emptyProgress, exportFileName, lessonStatus,
  mergeProgress, migrateV1, openProgress, parseProgressFile, schemaError, summarize,
} from '../../web/app/progress.js';
import { dayString } from '../../web/app/leitner.js';
import { backups, fakeClock, fakeStorage, open, plain, stored } from './progress-helpers.mjs';

const V1 = {
  version: 1,
  seed: 123456789,
  lastLesson: 7,
  lessons: {
    7: {
      answers: {
        'l07-read-cell': { correct: true, tries: 1, value: [2] },
        'l07-symmetric': { correct: false, tries: 1, value: [0] },
        'l07-cell-by-hand': { correct: true, tries: 3, value: 1.25 },
        'l07-find-asymmetry': { correct: true, tries: 1, value: 'S[cat, mouse] = 0.41 but S[mouse, cat] = -0.12' },
      },
      completed: false,
      completedAt: null,
    },
    3: {
      answers: { 'l03-sign': { correct: true, tries: 1, value: [1, 3] } },
      completed: true,
      completedAt: '2025-03-01T09:30:00.000Z',
    },
  },
};

test('a first visit writes a fresh version-2 record and says nothing', () => {
  const s = fakeStorage();
  const p = open(s);
  assert.equal(p.notice, '');
  assert.equal(p.persistent, true);
  assert.equal(stored(s).version, VERSION);
  assert.equal(schemaError(stored(s)), '');
  assert.ok(Number.isInteger(p.data.seed) && p.data.seed >= 0 && p.data.seed < 2 ** 32);
  assert.deepEqual(p.data.last, { lesson: null, anchor: null, label: null, quiz: null, at: null });
  assert.deepEqual(plain(p.data.review), {});
  assert.deepEqual(plain(p.data.widgets), {});
  // reopening reads the same record back without writing
  const writes = s.writes;
  const again = open(s);
  assert.deepEqual(again.data, p.data);
  assert.equal(s.writes, writes);
});

test('v1 -> v2 migration keeps every answer, completion and the last lesson', () => {
  const raw = JSON.stringify(V1);
  const s = fakeStorage({ [STORAGE_KEY]: raw });
  const now = fakeClock();
  const p = open(s, now);
  const today = dayString(now());
  assert.equal(p.data.version, 2);
  assert.equal(p.data.seed, V1.seed);
  for (const [n, lesson] of Object.entries(V1.lessons)) {
    assert.equal(p.data.lessons[n].completed, lesson.completed);
    assert.equal(p.data.lessons[n].completedAt, lesson.completedAt);
    for (const [id, a] of Object.entries(lesson.answers)) assert.deepEqual(p.data.lessons[n].answers[id], { ...a, at: null }, id);
    assert.equal(Object.getPrototypeOf(p.data.lessons[n].answers), null, 'answers keyed by quiz id have no prototype');
  }
  assert.equal(p.data.last.lesson, 7);
  // wrong answers and answers that took several tries join review in box 1, due at once
  assert.deepEqual(Object.keys(p.data.review).sort(), ['l07-cell-by-hand', 'l07-symmetric']);
  assert.deepEqual({ ...p.data.review['l07-symmetric'], added: null, at: null }, { lesson: 7, box: 1, due: today, added: null, at: null, history: [] });
  // statuses as before
  assert.equal(p.status(3), 'done');
  assert.equal(p.status(7), 'started');
  assert.equal(p.status(9), 'not-started');
  // stored as v2, the v1 text kept under a backup key, and the learner is told
  assert.equal(stored(s).version, 2);
  assert.equal(schemaError(stored(s)), '');
  const keys = backups(s);
  assert.equal(keys.length, 1);
  assert.equal(s.getItem(keys[0]), raw);
  assert.match(p.notice, /upgraded.*every answer and completed lesson was kept/);
  assert.ok(p.notice.includes(keys[0]));
  // the next visit reads v2 quietly
  const again = open(s, now);
  assert.equal(again.notice, '');
  assert.deepEqual(again.data, p.data);
  // and the seed (choice order) is unchanged, so answers still point at the same choices
  assert.equal(again.data.seed, V1.seed);
});

test('migrateV1 is pure and keeps unknown extra fields', () => {
  const v1 = structuredClone(V1);
  v1.someday = { keep: 'me' };
  const before = JSON.stringify(v1);
  const out = migrateV1(v1, { today: '2025-03-10', at: '2025-03-10T12:00:00.000Z' });
  assert.equal(JSON.stringify(v1), before);
  assert.deepEqual(out.someday, { keep: 'me' });
  assert.equal(out.migratedFrom, 1);
  assert.equal(schemaError(out), '');
});

for (const [name, raw, reason] of [
  ['corrupt JSON', '{"version":1,"seed":5,"lessons":{', /could not be read \(not valid JSON\)\. It was reset/],
  ['an empty string', '', /could not be read \(not valid JSON\)/],
  ['a JSON array', '[1,2,3]', /could not be read \(not an object\)/],
  ['a v1 record with a malformed answer', JSON.stringify({ version: 1, seed: 3, lessons: { 7: { answers: { x: { correct: 'yes', tries: 1 } } } } }), /lesson "7" has a malformed answer \("x"\)/],
  ['a v2 record with a bad review box', JSON.stringify({ ...emptyProgress(4), review: { q: { lesson: 7, box: 9, due: '2025-03-10', history: [] } } }), /review entry "q": box must be a whole number from 1 to 5/],
  ['a v2 record without lessons', JSON.stringify({ version: 2, seed: 1, last: {}, review: {} }), /lessons is not an object/],
  ['an unknown old version', JSON.stringify({ version: 0, seed: 1, lessons: {} }), /unknown schema version 0/],
]) {
  test(`${name} is backed up, reset and explained`, () => {
    const s = fakeStorage({ [STORAGE_KEY]: raw });
    const p = open(s);
    assert.match(p.notice, reason);
    const keys = backups(s);
    assert.equal(keys.length, 1);
    assert.equal(s.getItem(keys[0]), raw, 'the backup holds the exact old text');
    assert.ok(p.notice.includes(keys[0]), 'the notice names the backup key');
    assert.equal(schemaError(stored(s)), '');
    assert.deepEqual(plain(p.data.lessons), {});
    assert.equal(p.persistent, true);
    // the page keeps working
    p.recordAnswer(7, 'l07-read-cell', { correct: true, value: [1], kind: 'single' });
    assert.equal(stored(s).lessons['7'].answers['l07-read-cell'].tries, 1);
  });
}

test('a record from a newer version is not destroyed: backed up, reset, with a notice', () => {
  const future = JSON.stringify({ version: 3, seed: 1, lessons: { 7: { answers: {} } }, somethingNew: true });
  const s = fakeStorage({ [STORAGE_KEY]: future });
  const p = open(s);
  assert.match(p.notice, /newer version of Attention Lab \(schema version 3\).*set aside/);
  const keys = backups(s);
  assert.equal(s.getItem(keys[0]), future);
  assert.equal(stored(s).version, 2);
});

test('two problems on the same millisecond get distinct backup keys', () => {
  const now = fakeClock();
  const s = fakeStorage({ [STORAGE_KEY]: 'garbage', [`${BACKUP_PREFIX}${now()}`]: 'older backup' });
  const p = open(s, now);
  const keys = backups(s).sort();
  assert.equal(keys.length, 2);
  assert.equal(s.getItem(`${BACKUP_PREFIX}${now()}`), 'older backup');
  assert.equal(s.getItem(`${BACKUP_PREFIX}${now()}-2`), 'garbage');
  assert.ok(p.notice.includes(`${BACKUP_PREFIX}${now()}-2`));
});

test('when not even a backup fits, unreadable data is left untouched and progress stays in memory', () => {
  const s = fakeStorage({ [STORAGE_KEY]: '{broken' });
  s.full = true;
  const p = open(s);
  assert.equal(p.persistent, false);
  assert.match(p.notice, /no room in this browser's storage to keep a copy, so the saved data was left untouched/);
  assert.equal(s.getItem(STORAGE_KEY), '{broken');
  p.recordAnswer(7, 'a', { correct: true, value: [0] });
  assert.equal(p.data.lessons['7'].answers.a.tries, 1);
  assert.equal(s.getItem(STORAGE_KEY), '{broken');
});

test('without storage, progress lives in memory and the learner is told', () => {
  const p = openProgress({ storage: null, now: fakeClock(), events: null });
  assert.equal(p.persistent, false);
  assert.match(p.notice, /lasts only until you close this tab/);
  const saved = p.recordAnswer(7, 'l07-symmetric', { correct: false, value: [0], kind: 'single' });
  assert.equal(saved.tries, 1);
  assert.equal(p.recordAnswer(7, 'l07-symmetric', { correct: true, value: [1], kind: 'single' }).tries, 2);
  assert.equal(p.data.review['l07-symmetric'].box, 1);
  assert.ok(p.exportText().includes('l07-symmetric'));
});

test('a storage that fills up later falls back to memory with a notice, keeping what was done', () => {
  const s = fakeStorage();
  const p = open(s);
  p.recordAnswer(7, 'a', { correct: true, value: [0] });
  s.full = true;
  p.recordAnswer(7, 'b', { correct: false, value: [1] });
  assert.equal(p.persistent, false);
  assert.match(p.notice, /could not be saved in this browser/);
  assert.deepEqual(Object.keys(p.data.lessons['7'].answers), ['a', 'b']);
  assert.ok(stored(s).lessons['7'].answers.a, 'what was saved before stays saved');
});

test('answers: tries count up, the last value and time are kept, completion is stamped once', () => {
  const now = fakeClock();
  const p = open(fakeStorage(), now);
  p.recordAnswer(7, 'q', { correct: false, value: [0], kind: 'single' });
  now.addMs(5000);
  const saved = p.recordAnswer(7, 'q', { correct: true, value: [2], kind: 'single' });
  assert.deepEqual(saved, { correct: true, tries: 2, value: [2], at: new Date(now()).toISOString() });
  assert.equal(lessonStatus(p.data, 7), 'started');
  p.markCompleted(7);
  const first = p.data.lessons['7'].completedAt;
  now.addMs(1000);
  p.markCompleted(7);
  assert.equal(p.data.lessons['7'].completedAt, first);
  assert.equal(p.completedCount([1, 7, 9]), 1);
});

test('last position: a lesson, a section anchor, a question; reopening a lesson keeps its anchor', () => {
  const s = fakeStorage();
  const p = open(s);
  p.setLastLesson(7);
  assert.equal(p.data.last.lesson, 7);
  assert.equal(p.data.last.anchor, null);
  p.setPosition({ lesson: 7, anchor: 'section-try-it', label: 'Try it' });
  p.setLastLesson(7); // the page is opened again
  assert.deepEqual({ ...stored(s).last, at: null }, { lesson: 7, anchor: 'section-try-it', label: 'Try it', quiz: null, at: null });
  p.setPosition({ lesson: 7, anchor: 'quiz-l07-symmetric', label: 'Question 2 of 7', quiz: 'l07-symmetric' });
  assert.equal(stored(s).last.quiz, 'l07-symmetric');
  p.setLastLesson(8); // another lesson starts at its top
  assert.deepEqual({ ...stored(s).last, at: null }, { lesson: 8, anchor: null, label: null, quiz: null, at: null });
  p.setPosition({ lesson: 8, anchor: 'section-x', label: 'x'.repeat(500) });
  assert.equal(p.data.last.label.length, 140);
});

test('two tabs: each write re-reads storage, so neither overwrites the other', () => {
  const s = fakeStorage();
  const now = fakeClock();
  const a = open(s, now);
  const b = open(s, now);
  a.recordAnswer(7, 'one', { correct: true, value: [0] });
  b.recordAnswer(7, 'two', { correct: false, value: [1], kind: 'single' });
  a.recordAnswer(7, 'two', { correct: true, value: [2] }); // a has not seen b's answer in memory
  b.markCompleted(3);
  a.setPosition({ lesson: 7, anchor: 'section-try-it', label: 'Try it' });
  const final = stored(s);
  assert.deepEqual(Object.keys(final.lessons['7'].answers).sort(), ['one', 'two']);
  assert.equal(final.lessons['7'].answers.two.tries, 2, 'tries counted across both tabs');
  assert.equal(final.lessons['3'].completed, true);
  assert.equal(final.review.two.box, 1);
  assert.equal(final.last.anchor, 'section-try-it');
});

test('a tab running the old site writes v1 over v2: the next write merges both', () => {
  const s = fakeStorage();
  const now = fakeClock();
  const p = open(s, now);
  p.recordAnswer(7, 'new-answer', { correct: false, value: [1], kind: 'single' });
  s.map.set(STORAGE_KEY, JSON.stringify(V1)); // the old tab saves its whole v1 record
  now.addMs(1000);
  p.recordAnswer(7, 'another', { correct: true, value: [0] });
  const final = stored(s);
  assert.equal(final.version, 2);
  for (const id of ['new-answer', 'another', ...Object.keys(V1.lessons[7].answers)]) assert.ok(final.lessons['7'].answers[id], id);
  assert.equal(final.lessons['3'].completed, true);
  assert.ok(final.review['new-answer']);
  assert.equal(backups(s).length, 1, 'the v1 text is kept too');
  assert.match(p.notice, /older version of the course.*merged/);
});

test('storage events from another tab refresh the data and call onChange', () => {
  const s = fakeStorage();
  const events = new EventTarget();
  const a = openProgress({ storage: s, now: fakeClock(), events });
  const b = open(s);
  let calls = 0;
  a.onChange(() => (calls += 1));
  b.recordAnswer(7, 'q', { correct: true, value: [0] });
  const event = new Event('storage');
  Object.assign(event, { key: STORAGE_KEY, newValue: s.getItem(STORAGE_KEY) });
  events.dispatchEvent(event);
  assert.equal(calls, 1);
  assert.ok(a.data.lessons['7'].answers.q);
  // garbage from elsewhere is ignored by the listener (the next write deals with it)
  const junk = new Event('storage');
  Object.assign(junk, { key: STORAGE_KEY, newValue: '{' });
  events.dispatchEvent(junk);
  assert.equal(calls, 1);
  assert.ok(a.data.lessons['7'].answers.q);
});

test('export -> import round trip restores the exact record; the replaced progress is backed up and can be restored', () => {
  const now = fakeClock();
  const a = open(fakeStorage(), now);
  a.recordAnswer(7, 'l07-symmetric', { correct: false, value: [0], kind: 'single' });
  a.recordAnswer(7, 'l07-cell-by-hand', { correct: true, value: 4.5, kind: 'numeric' });
  a.recordReview('l07-symmetric', { correct: true, kind: 'single', lesson: 7 });
  a.markCompleted(7);
  a.setPosition({ lesson: 7, anchor: 'section-try-it', label: 'Try it <b>bold</b>' });
  const text = a.exportText();
  const file = JSON.parse(text);
  assert.equal(file.format, EXPORT_FORMAT);
  assert.equal(file.exportedAt, new Date(now()).toISOString());
  assert.equal(exportFileName(now()), 'attention-lab-progress-2025-03-10.json');

  const s = fakeStorage();
  const b = open(s, now);
  b.recordAnswer(2, 'mine', { correct: true, value: [1] });
  const before = structuredClone(b.data);
  const result = b.importText(text);
  assert.equal(result.ok, true);
  assert.equal(result.from, 2);
  assert.deepEqual(result.summary, { lessonsDone: 1, answers: 2, inReview: 1 });
  assert.deepEqual(b.data, a.data);
  assert.deepEqual(stored(s), plain(a.data));
  assert.deepEqual(JSON.parse(s.getItem(result.backupKey)), plain(before), 'the replaced progress was kept');
  // export of the imported record is the same file apart from the time
  assert.deepEqual(JSON.parse(b.exportText()).progress, file.progress);
  // undo
  assert.equal(b.restoreBackup(result.backupKey), true);
  assert.deepEqual(stored(s), plain(before));
  assert.equal(b.restoreBackup('some-other-key'), false);
});

test('importing a v1 file (or a raw stored record) migrates it', () => {
  const p = open(fakeStorage());
  const r1 = p.importText(JSON.stringify(V1));
  assert.equal(r1.ok, true);
  assert.equal(r1.from, 1);
  assert.equal(p.data.lessons['3'].completed, true);
  assert.deepEqual(p.data.lessons['7'].answers['l07-symmetric'], { correct: false, tries: 1, value: [0], at: null });
  const wrapped = JSON.stringify({ format: EXPORT_FORMAT, exportedAt: 'x', progress: V1 });
  assert.equal(p.importText(wrapped).ok, true);
  assert.equal(p.data.last.lesson, 7);
});

const FUTURE = JSON.stringify({ format: EXPORT_FORMAT, progress: { version: 7, seed: 1 } });
for (const [name, text, message] of [
  ['an empty file', '', /^The file is empty\.$/],
  ['a text file', 'hello, not json', /^The file is not JSON/],
  ['a file with a byte-order mark but no JSON', '\uFEFF', /^The file is empty\.|not JSON/],
  ['a JSON list', '[{"version":2}]', /holds JSON, but not an Attention Lab progress record/],
  ['another app\'s JSON', '{"name":"package","dependencies":{}}', /neither a "format" nor a "version" field/],
  ['a file of another format', '{"format":"someone-else/progress","progress":{}}', /not an Attention Lab progress file \(its format is "someone-else\/progress"/],
  ['an export without its record', `{"format":"${EXPORT_FORMAT}","progress":[]}`, /holds no "progress" record/],
  ['a file from a newer site', FUTURE, /newer version of Attention Lab \(schema version 7\)/],
  ['a damaged v2 record', JSON.stringify({ format: EXPORT_FORMAT, progress: { ...emptyProgress(1), last: 'x' } }), /damaged: the last position \("last"\) is not an object/],
  ['a damaged v1 record', JSON.stringify({ version: 1, seed: -1, lessons: {} }), /damaged: seed is not a whole number/],
  ['a record with HTML in an id', JSON.stringify({ version: 1, seed: 1, lessons: { 7: { answers: { '<img src=x onerror=alert(1)>': { correct: 1 } } } } }), /damaged: lesson "7" has a malformed answer/],
  ['a huge file', `{"pad":"${'x'.repeat(1_100_000)}"}`, /far larger than an Attention Lab progress file/],
]) {
  test(`import refuses ${name} with a specific message and changes nothing`, () => {
    const s = fakeStorage();
    const p = open(s);
    p.recordAnswer(7, 'keep', { correct: true, value: [0] });
    const before = s.getItem(STORAGE_KEY);
    const keysBefore = backups(s).length;
    const r = p.importText(text);
    assert.equal(r.ok, false);
    assert.match(r.error, message);
    assert.equal(s.getItem(STORAGE_KEY), before);
    assert.equal(backups(s).length, keysBefore);
    assert.ok(p.data.lessons['7'].answers.keep);
  });
}

test('import needs room for the backup first, or it changes nothing', () => {
  const s = fakeStorage();
  const p = open(s);
  p.recordAnswer(7, 'keep', { correct: true, value: [0] });
  const before = s.getItem(STORAGE_KEY);
  const text = open(fakeStorage()).exportText();
  s.full = true;
  const r = p.importText(text);
  assert.equal(r.ok, false);
  assert.match(r.error, /no room .* to keep a copy of your current progress/);
  assert.equal(s.getItem(STORAGE_KEY), before);
  assert.ok(p.data.lessons['7'].answers.keep);
});

test('parseProgressFile returns a copy, never the caller\'s objects', () => {
  const r = parseProgressFile(JSON.stringify(emptyProgress(9)), { today: '2025-03-10', at: 'x' });
  assert.equal(r.from, 2);
  assert.deepEqual(plain(r.data), plain(emptyProgress(9)));
  assert.equal(summarize(r.data).answers, 0);
});

test('mergeProgress: union of answers, newest wins, completion sticks', () => {
  const a = emptyProgress(1);
  const b = emptyProgress(2);
  a.lessons['7'] = { answers: { x: { correct: false, tries: 1, value: [0], at: '2025-03-10T10:00:00.000Z' } }, completed: false, completedAt: null };
  b.lessons['7'] = { answers: { x: { correct: true, tries: 2, value: [1], at: '2025-03-10T11:00:00.000Z' }, y: { correct: true, tries: 1, at: null } }, completed: true, completedAt: 'c' };
  b.lessons['2'] = { answers: {}, completed: false, completedAt: null };
  a.widgets['predict-head'] = { score: 1 };
  b.widgets['predict-head'] = { score: 3 };
  b.widgets['head-gallery'] = [1, 2];
  const m = mergeProgress(a, b);
  assert.equal(m.seed, 1);
  assert.equal(m.lessons['7'].answers.x.correct, true);
  assert.ok(m.lessons['7'].answers.y);
  assert.equal(m.lessons['7'].completed, true);
  assert.ok(m.lessons['2']);
  assert.deepEqual(plain(m.widgets), { 'predict-head': { score: 3 }, 'head-gallery': [1, 2] }, 'widget records: union, b wins');
  assert.equal(a.lessons['7'].answers.x.correct, false, 'inputs untouched');
});
