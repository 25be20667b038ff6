// Progress store against the attacks and accidents of issue 10, and the store additions other
// pages rely on: a "__proto__" lesson in an imported file, a newer site's record with no room for
// a copy, backups that fill the quota, names the v1 migration used to drop silently, widget
// records (recordWidget / widgetRecord) and answers revealed with "Show answer".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BACKUP_PREFIX, EXPORT_FORMAT, MAX_BACKUPS, STORAGE_KEY, WIDGET_KEYS_LIMIT, WIDGET_RECORD_LIMIT,
  emptyProgress, parseProgressFile, schemaError, upgrade,
} from '../../web/app/progress.js';
import { backups, fakeClock, fakeStorage, open, plain, stored } from './progress-helpers.mjs';

const PROTO_FILE = '{"version":2,"seed":1,"createdAt":null,"lessons":{"__proto__":{"answers":{},"completed":true,"completedAt":"PWNED"}},"last":{"lesson":null},"review":{}}';
const untouchedPrototype = () => {
  assert.equal(({}).completed, undefined, 'Object.prototype.completed');
  assert.equal(({}).answers, undefined, 'Object.prototype.answers');
  assert.equal(Object.getOwnPropertyNames(Object.prototype).includes('completedAt'), false);
};

test('issue 10 repro: a "__proto__" lesson in an imported file never reaches Object.prototype', () => {
  const s = fakeStorage();
  const now = fakeClock();
  const p = open(s, now);
  const r = p.importText(PROTO_FILE);
  assert.equal(r.ok, true);
  assert.match(r.warning, /One entry could not be kept because its name is not valid: lesson "__proto__"\./);
  assert.deepEqual(r.lost, ['lesson "__proto__"']);
  // another tab running an older site writes a version-1 record
  s.map.set(STORAGE_KEY, '{"version":1,"seed":5,"lessons":{}}');
  now.addMs(1000);
  const saved = p.recordAnswer(7, 'l07-symmetric', { correct: false, value: [0], kind: 'single' });
  assert.equal(saved.tries, 1);
  p.markCompleted(7);
  untouchedPrototype();
  assert.equal(stored(s).lessons['7'].completed, true);
  assert.equal(Object.hasOwn(stored(s).lessons, '__proto__'), false);
  // and later writes keep working
  assert.equal(p.recordAnswer(7, 'l07-symmetric', { correct: true, value: [1], kind: 'single' }).tries, 2);
});

test('a "__proto__" lesson stored by hand is copied aside, left out, and the learner told', () => {
  const s = fakeStorage({ [STORAGE_KEY]: PROTO_FILE });
  const p = open(s);
  untouchedPrototype();
  const [key] = backups(s);
  assert.equal(s.getItem(key), PROTO_FILE, 'the exact text is kept');
  assert.match(p.notice, /lesson "__proto__"/);
  assert.ok(p.notice.includes(key));
  assert.equal(schemaError(stored(s)), '');
  p.recordAnswer(3, 'l03-sign', { correct: true, value: [1] });
  untouchedPrototype();
});

test('every map keyed by names is a null-prototype object, so "__proto__" and "constructor" stay names', () => {
  const v2 = emptyProgress(1);
  v2.lessons = JSON.parse('{"7":{"answers":{"__proto__":{"correct":true,"tries":1},"constructor":{"correct":true,"tries":1},"ok-id":{"correct":true,"tries":1}},"completed":false}}');
  v2.review = JSON.parse('{"__proto__":{"lesson":7,"box":1,"due":"2025-03-10","history":[]}}');
  v2.widgets = JSON.parse('{"__proto__":{"x":1},"hasOwnProperty":2,"predict-head":{"score":4}}');
  const r = upgrade(JSON.parse(JSON.stringify(v2)), { today: '2025-03-10', at: 'x' });
  for (const map of [r.data.lessons, r.data.lessons['7'].answers, r.data.review, r.data.widgets]) assert.equal(Object.getPrototypeOf(map), null);
  assert.deepEqual(Object.keys(r.data.lessons['7'].answers), ['constructor', 'ok-id'], '"constructor" is a valid quiz id, kept as a plain key');
  assert.equal(r.data.lessons['7'].answers.constructor.tries, 1);
  assert.deepEqual(Object.keys(r.data.widgets), ['predict-head']);
  assert.deepEqual(r.lost.sort(), ['answer "__proto__" in lesson 7', 'review entry "__proto__"', 'widget record "__proto__"', 'widget record "hasOwnProperty"'].sort());
  untouchedPrototype();
});

test('issue 10 repro: v1 migration keeps or reports odd names (nothing disappears silently)', () => {
  const v1 = '{"version":1,"seed":5,"lastLesson":7,"constructor":{"keep":1},"toString":"keep me","__proto__":{"polluted":true},'
    + '"lessons":{"__proto__":{"answers":{"a":{"correct":false,"tries":1}},"completed":true},'
    + '"7":{"answers":{"__proto__":{"correct":false,"tries":1},"l07-read-cell":{"correct":true,"tries":1}},"completed":false}}}';
  const r = parseProgressFile(v1, { today: '2025-03-10', at: '2025-03-10T12:00:00.000Z' });
  assert.equal(r.from, 1);
  assert.deepEqual(r.data.constructor, { keep: 1 }, 'a top-level "constructor" field is kept');
  assert.equal(r.data.toString, 'keep me', 'a top-level "toString" field is kept');
  assert.deepEqual(r.lost.sort(), ['answer "__proto__" in lesson 7', 'field "__proto__"', 'lesson "__proto__"'].sort());
  assert.match(r.warning, /^3 entries could not be kept because their names are not valid: /);
  assert.ok(r.data.lessons['7'].answers['l07-read-cell']);
  assert.equal(({}).polluted, undefined);
  // the import says what was left out, and the store saves what was kept
  const s = fakeStorage();
  const p = open(s);
  const result = p.importText(v1);
  assert.equal(result.ok, true);
  assert.equal(result.warning, r.warning);
  assert.equal(stored(s).toString, 'keep me');
  // on open, a stored v1 record with odd names: the notice says what was lost, a full copy is kept
  const s2 = fakeStorage({ [STORAGE_KEY]: v1 });
  const p2 = open(s2);
  assert.match(p2.notice, /upgraded.*3 entries could not be kept.*"__proto__"/);
  assert.doesNotMatch(p2.notice, /every answer and completed lesson was kept/);
  assert.equal(s2.getItem(backups(s2)[0]), v1);
  untouchedPrototype();
});

/** Storage holding `raw` under the progress key, with `room` characters of quota left. */
function nearlyFull(raw, room) {
  const s = fakeStorage({ [STORAGE_KEY]: raw, 'some-other-site-data': 'x'.repeat(20000) });
  s.quota = s.used() + room;
  return s;
}

const FUTURE = JSON.stringify({ version: 3, seed: 1, lessons: { 7: { answers: { q: { correct: true, tries: 1 } } } }, newThing: 'x'.repeat(500) });

test('issue 10 repro: a newer site\'s record with ~300 characters of quota left is never overwritten (on open)', () => {
  const s = nearlyFull(FUTURE, 300);
  const p = open(s);
  assert.equal(s.getItem(STORAGE_KEY), FUTURE);
  assert.equal(p.persistent, false);
  assert.match(p.notice, /newer version of Attention Lab \(schema version 3\).*no room.*left untouched/);
  p.recordAnswer(7, 'q', { correct: false, value: [0] });
  assert.equal(s.getItem(STORAGE_KEY), FUTURE);
  assert.equal(p.data.lessons['7'].answers.q.tries, 1, 'the page still works, in memory');
});

test('issue 10 repro: a newer site\'s record written by another tab is not overwritten when no copy fits', () => {
  const s = fakeStorage({ 'some-other-site-data': 'x'.repeat(20000) });
  const now = fakeClock();
  const p = open(s, now);
  p.recordAnswer(7, 'mine', { correct: true, value: [0] });
  s.map.set(STORAGE_KEY, FUTURE); // a newer site in another tab
  s.quota = s.used() + 300;
  now.addMs(1000);
  p.recordAnswer(7, 'later', { correct: true, value: [1] });
  assert.equal(s.getItem(STORAGE_KEY), FUTURE, 'the newer record is still there');
  assert.equal(p.persistent, false);
  assert.match(p.notice, /Another tab changed the saved progress\..*newer version.*no room to keep a copy, so it was left untouched/);
  assert.deepEqual(Object.keys(p.data.lessons['7'].answers), ['mine', 'later']);
  // with room, the same event copies it aside first
  const roomy = fakeStorage();
  const q = open(roomy, now);
  roomy.map.set(STORAGE_KEY, FUTURE);
  q.recordAnswer(7, 'x', { correct: true, value: [0] });
  assert.equal(roomy.getItem(backups(roomy)[0]), FUTURE);
  assert.match(q.notice, /It was kept under "attention-lab\/progress-backup-/);
});

test('corrupt text from another tab is copied aside before it is written over, or left alone', () => {
  const s = fakeStorage();
  const p = open(s);
  s.map.set(STORAGE_KEY, '{half a record');
  s.full = true;
  p.recordAnswer(7, 'a', { correct: true, value: [0] });
  assert.equal(s.getItem(STORAGE_KEY), '{half a record');
  assert.equal(p.persistent, false);
  assert.match(p.notice, /could not be read \(not valid JSON\).*left untouched/);
});

/** A valid v2 export file of about `chars` characters (answers with long widget messages). */
function bigFile(chars) {
  const record = emptyProgress(42, '2025-03-01T00:00:00.000Z');
  const answers = {};
  const one = (i) => ({ correct: i % 2 === 0, tries: 1, value: `message ${i} `.padEnd(900, '.'), at: '2025-03-01T10:00:00.000Z' });
  const size = JSON.stringify({ 'l07-q1000': one(1000) }).length;
  for (let i = 1000; (i - 999) * size < chars - 300; i++) answers[`l07-q${i}`] = one(i);
  record.lessons['7'] = { answers, completed: false, completedAt: null };
  return JSON.stringify({ format: EXPORT_FORMAT, exportedAt: 'x', progress: record });
}

test('issue 10 repro: import backups are bounded, so a sixth import of a 942 kB file still fits a 5 MB quota', () => {
  const file = bigFile(942_000);
  assert.ok(file.length > 900_000 && file.length < 1_000_000, `file is ${file.length} characters`);
  const s = fakeStorage({}, { quota: 5 * 1024 * 1024 });
  const now = fakeClock();
  const p = open(s, now);
  const keys = [];
  for (let i = 1; i <= 8; i++) {
    now.addMs(60_000);
    const r = p.importText(file);
    assert.equal(r.ok, true, `import ${i}: ${r.error}`);
    keys.push(r.backupKey);
    assert.ok(backups(s).length <= MAX_BACKUPS, `import ${i} leaves ${backups(s).length} backups`);
  }
  assert.ok(backups(s).includes(keys.at(-1)), 'the newest copy is kept');
  assert.ok(!backups(s).includes(keys[0]), 'the oldest copy was pruned');
  assert.match(p.notice, /Only the 3 newest copies of earlier progress are kept, so the oldest \("attention-lab\/progress-backup-\d+"\) was removed\./);
  assert.equal(p.persistent, true);
  assert.equal(p.restoreBackup(keys.at(-1)), true, 'undo still works');
});

test('when storage is short, the oldest copies make room for a newer one, with a notice', () => {
  const now = fakeClock();
  const s = fakeStorage();
  const p = open(s, now);
  p.recordAnswer(7, 'a', { correct: true, value: 'x'.repeat(3000) });
  const file = p.exportText();
  s.map.set(`${BACKUP_PREFIX}100`, 'x'.repeat(5000)); // two old copies from long ago
  s.map.set(`${BACKUP_PREFIX}200`, 'y'.repeat(5000));
  s.quota = s.used() + 1000; // the copy of the current progress (about 3.2 kB) does not fit
  const r = p.importText(file);
  assert.equal(r.ok, true);
  assert.equal(s.getItem(`${BACKUP_PREFIX}100`), null, 'the oldest copy was removed');
  assert.equal(s.getItem(`${BACKUP_PREFIX}200`), 'y'.repeat(5000), 'only as much as needed');
  assert.match(p.notice, /Storage for this site is nearly full, so the oldest copy of earlier progress \("attention-lab\/progress-backup-100"\) was removed to make room\./);
  // keys that are not ours are never touched
  assert.equal(s.getItem('some-other-key'), null);
});

test('a full storage prunes old copies (never the newest) before giving up on saving', () => {
  const s = fakeStorage();
  const p = open(s);
  s.map.set(`${BACKUP_PREFIX}100`, 'x'.repeat(4000));
  s.map.set(`${BACKUP_PREFIX}200`, 'y'.repeat(4000));
  s.quota = s.used() + 100;
  p.recordAnswer(7, 'a', { correct: true, value: 'z'.repeat(1000) });
  assert.equal(p.persistent, true);
  assert.equal(stored(s).lessons['7'].answers.a.value.length, 1000);
  assert.equal(s.getItem(`${BACKUP_PREFIX}100`), null);
  assert.ok(s.getItem(`${BACKUP_PREFIX}200`), 'the newest copy is kept');
  p.recordAnswer(7, 'b', { correct: true, value: 'z'.repeat(8000) });
  assert.equal(p.persistent, false, 'then memory, with a notice');
  assert.ok(s.getItem(`${BACKUP_PREFIX}200`));
  assert.match(p.notice, /could not be saved in this browser/);
});

test('recordWidget / widgetRecord: kept, copied, exported, imported, merged with another tab', () => {
  const s = fakeStorage();
  const now = fakeClock();
  const a = open(s, now);
  const b = open(s, now);
  assert.equal(a.widgetRecord('predict-head'), undefined);
  const saved = a.recordWidget('predict-head', { score: 3, rounds: [1, 0, 1] });
  assert.deepEqual(saved, { score: 3, rounds: [1, 0, 1] });
  saved.score = 99;
  assert.equal(a.widgetRecord('predict-head').score, 3, 'the caller gets a copy');
  a.widgetRecord('predict-head').rounds.push(5);
  assert.deepEqual(a.widgetRecord('predict-head').rounds, [1, 0, 1]);
  b.recordWidget('head-gallery', 'L2H1'); // another tab, another widget
  assert.deepEqual(plain(stored(s).widgets), { 'predict-head': { score: 3, rounds: [1, 0, 1] }, 'head-gallery': 'L2H1' });
  // unchanged values are not written again
  const writes = s.writes;
  b.recordWidget('head-gallery', 'L2H1');
  assert.equal(s.writes, writes);
  // export -> import elsewhere
  const c = open(fakeStorage(), now);
  assert.equal(c.importText(a.exportText()).ok, true);
  assert.equal(c.widgetRecord('head-gallery'), 'L2H1');
  // an older tab writing v1 over the record: the widget records survive the merge
  s.map.set(STORAGE_KEY, JSON.stringify({ version: 1, seed: 1, lessons: {} }));
  a.recordAnswer(7, 'q', { correct: true, value: [0] });
  assert.equal(stored(s).widgets['predict-head'].score, 3);
  // a record saved before widgets existed opens with an empty widgets area
  const old = { ...plain(emptyProgress(5)) };
  delete old.widgets;
  const d = open(fakeStorage({ [STORAGE_KEY]: JSON.stringify(old) }));
  assert.equal(d.notice, '');
  assert.equal(d.widgetRecord('predict-head'), undefined);
});

test('recordWidget refuses bad keys, values that are not plain JSON, and records that are too large', () => {
  const s = fakeStorage();
  const p = open(s);
  for (const key of ['__proto__', 'attn-Predict', '', 'predict head', '<img>', 'x'.repeat(41), 7, null])
    assert.throws(() => p.recordWidget(key, 1), { name: 'TypeError', message: /widget key .* is not valid/ }, String(key));
  for (const [value, why] of [
    [undefined, /undefined, which is not plain JSON/], [NaN, /holds NaN, which JSON cannot keep/], [{ a: Infinity }, /Infinity/],
    [() => 1, /a function/], [new Date(0), /a Date/], [new Map(), /a Map/], [[[[[[[[[[1]]]]]]]]], /nested more than 8 levels/],
    ['x'.repeat(WIDGET_RECORD_LIMIT), /4,098 characters as JSON; the limit is 4,096/],
  ]) assert.throws(() => p.recordWidget('predict-head', value), { name: 'RangeError', message: why });
  assert.equal(p.widgetRecord('predict-head'), undefined, 'nothing was kept');
  assert.ok(p.recordWidget('predict-head', 'x'.repeat(WIDGET_RECORD_LIMIT - 2)), 'exactly at the limit is fine');
  for (let i = 1; i < WIDGET_KEYS_LIMIT; i++) p.recordWidget(`w${i}`, i);
  assert.throws(() => p.recordWidget('one-too-many', 1), { name: 'RangeError', message: /64 widgets already keep records/ });
  assert.equal(p.recordWidget('w1', 'replaced'), 'replaced', 'replacing an existing record is fine');
  assert.equal(Object.keys(stored(s).widgets).length, WIDGET_KEYS_LIMIT);
});

test('an imported file\'s widget records are checked: bad names and oversized values are reported, the rest kept', () => {
  const record = plain(emptyProgress(1));
  record.widgets = { 'predict-head': { score: 2 }, 'Bad Name': 1, 'head-gallery': 'x'.repeat(WIDGET_RECORD_LIMIT + 10) };
  const r = parseProgressFile(JSON.stringify(record), { today: '2025-03-10', at: 'x' });
  assert.deepEqual(plain(r.data.widgets), { 'predict-head': { score: 2 } });
  assert.deepEqual(r.lost, ['widget record "Bad Name"', 'widget record "head-gallery" (it is 4,108 characters as JSON; the limit is 4,096)']);
  const notObject = parseProgressFile(JSON.stringify({ ...record, widgets: [] }), { today: '2025-03-10', at: 'x' });
  assert.match(notObject.error, /damaged: widgets is not an object/);
});

test('an answer revealed with "Show answer" is kept as revealed and goes to review like a miss', () => {
  const s = fakeStorage();
  const now = fakeClock();
  const p = open(s, now);
  const saved = p.recordAnswer(7, 'l07-symmetric', { correct: true, value: [1], kind: 'single', revealed: true });
  assert.equal(saved.revealed, true);
  assert.equal(stored(s).lessons['7'].answers['l07-symmetric'].revealed, true);
  const entry = p.reviewEntry('l07-symmetric');
  assert.equal(entry.box, 1);
  assert.equal(entry.due, p.today(), 'due today, like a wrong answer on the page');
  // a plain right answer adds no review entry and no revealed flag
  const right = p.recordAnswer(7, 'l07-read-cell', { correct: true, value: [2], kind: 'single' });
  assert.equal('revealed' in right, false);
  assert.equal(p.reviewEntry('l07-read-cell'), null);
  // the flag survives export and import; a non-boolean flag in a file is refused
  const q = open(fakeStorage(), now);
  assert.equal(q.importText(p.exportText()).ok, true);
  assert.equal(q.data.lessons['7'].answers['l07-symmetric'].revealed, true);
  const bad = plain(p.data);
  bad.lessons['7'].answers['l07-symmetric'].revealed = 'yes';
  assert.match(q.importText(JSON.stringify(bad)).error, /revealed must be true or false/);
});

test('store methods refuse lesson numbers and quiz ids that are not valid names', () => {
  const p = open(fakeStorage());
  for (const n of ['__proto__', 0, -1, 1.5, 1000, 'constructor', null])
    assert.throws(() => p.recordAnswer(n, 'l07-a', { correct: true, value: [0] }), { name: 'TypeError', message: /lesson must be a lesson number from 1 to 999/ }, String(n));
  for (const id of ['__proto__', 'L07-A', '', 'a b', 'x'.repeat(81)])
    assert.throws(() => p.recordAnswer(7, id, { correct: true, value: [0] }), { name: 'TypeError', message: /quiz id .* is not valid/ }, id);
  assert.throws(() => p.recordAnswer(7, 'l07-a', { correct: 'yes', value: [0] }), { name: 'TypeError', message: /correct must be true or false/ });
  assert.throws(() => p.markCompleted('__proto__'), TypeError);
  assert.throws(() => p.setPosition({ lesson: '__proto__' }), TypeError);
  untouchedPrototype();
  assert.deepEqual(Object.keys(p.data.lessons), []);
});
