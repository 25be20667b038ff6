// Learner progress end to end in headless Chromium: missed questions on lesson 7 come back on the
// review page and are graded there; reloads keep everything; corrupt, old (v1) and future records
// never break a page and show a notice; two tabs do not overwrite each other; export then import
// round-trips through real files; and axe-core finds no serious violations on home and review.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startBrowser, seriousViolations } from './browser.mjs';

const LESSON = '/lessons/07-pairwise-scores/';
const KEY = 'attention-lab/progress';
let b, tmp;
before(async () => {
  b = await startBrowser();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'attn-progress-'));
});
after(async () => {
  await b?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** A fresh page whose localStorage holds `value` under the progress key before any script runs. */
async function seededPage(value, options) {
  const page = await b.newPage(options);
  await page.addInitScript(([key, v]) => {
    if (sessionStorage.getItem('seeded')) return;
    localStorage.setItem(key, v);
    sessionStorage.setItem('seeded', '1');
  }, [KEY, value]);
  return page;
}

const stored = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key)), KEY);
const backupKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('attention-lab/progress-backup-')));
const quizData = async (form) => JSON.parse(await form.locator('script.quiz-data').textContent());
const localDay = (offset = 0) => {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/**
 * On lesson 7: answer a choice question, the numeric question and the widget question wrong.
 * The first two are due for review at once; the widget question (answered on its page only)
 * comes back tomorrow.
 */
async function missThreeOnLesson7(page) {
  await page.goto(b.base + LESSON);
  const single = page.locator('form.quiz[data-quiz-id="l07-read-cell"]');
  const data = await quizData(single);
  await single.locator(`#l07-read-cell-c${data.choices.findIndex((c) => !c.correct)}`).check();
  await single.locator('button.quiz-check').click();
  assert.equal(await single.getAttribute('data-state'), 'wrong');

  const numeric = page.locator('form.quiz[data-quiz-id="l07-divisor"]');
  const n = await quizData(numeric);
  await numeric.locator('.quiz-input').fill(String(n.answer + n.tolerance + 1));
  await numeric.locator('button.quiz-check').click();
  assert.equal(await numeric.getAttribute('data-state'), 'wrong');

  await page.locator('#scores').scrollIntoViewIfNeeded();
  await page.locator('#scores table.s td[data-row="2"][data-col="2"]').click();
  const widget = page.locator('form.quiz[data-quiz-id="l07-find-asymmetry"]');
  await widget.locator('button.quiz-check').click();
  assert.equal(await widget.getAttribute('data-state'), 'wrong');
}

test('missed questions come back on the review page, are graded there, and reloads keep everything', async () => {
  const page = await b.newPage();
  await page.goto(b.base + '/review/');
  await page.locator('#review-empty:not([hidden])').waitFor();
  assert.match(await page.locator('#review-empty').textContent(), /Nothing to review: answer some questions first\./);

  await missThreeOnLesson7(page);
  await page.goto(b.base + '/');
  assert.match(await page.locator('#review-teaser').textContent(), /2 missed questions are due for review/);
  await page.locator('nav[aria-label="Site"] a', { hasText: 'Review' }).click();
  await page.waitForURL('**/review/');

  const cards = page.locator('#review-queue > li.review-card');
  assert.equal(await cards.count(), 2);
  assert.match(await page.locator('#review-summary').textContent(), /^2 questions are due now\. 1 more waits for a later day\.$/);
  // the choice and numeric questions come as the lesson's own forms, ready to grade
  const single = page.locator('#review-queue form.quiz[data-quiz-id="l07-read-cell"]');
  const numeric = page.locator('#review-queue form.quiz[data-quiz-id="l07-divisor"]');
  assert.equal(await single.getAttribute('data-ready'), 'true');
  assert.match(await cards.first().locator('.review-meta').textContent(), /Box 1 of 5 · due today/);
  // the widget question waits until tomorrow
  assert.match(await page.locator('#review-upcoming li[data-quiz-id="l07-find-asymmetry"]').textContent(), /Lesson 7 · box 1 of 5 · comes back on .* \(tomorrow\)/);

  // right answer: up to box 2, back in two days
  const s = await quizData(single);
  await single.locator(`#l07-read-cell-c${s.choices.findIndex((c) => c.correct)}`).check();
  await single.locator('button.quiz-check').click();
  assert.equal(await single.getAttribute('data-state'), 'correct');
  const singleCard = page.locator('#review-queue > li[data-quiz-id="l07-read-cell"]');
  assert.match(await singleCard.locator('.review-outcome').textContent(), /^Moved up to box 2 of 5: it comes back on .* \(in 2 days\)\.$/);
  // wrong answer: box 1, back tomorrow; the explanation stays hidden (it would give the answer away)
  const n = await quizData(numeric);
  await numeric.locator('.quiz-input').fill(String(n.answer + n.tolerance + 2).replace('.', ','));
  await numeric.locator('button.quiz-check').click();
  assert.equal(await numeric.getAttribute('data-state'), 'wrong');
  assert.equal(await numeric.locator('.quiz-explain-all').count(), 0);
  assert.match(await page.locator('#review-queue > li[data-quiz-id="l07-divisor"] .review-outcome').textContent(), /^Back to box 1: it comes back on .* \(tomorrow\)\.$/);
  assert.match(await page.locator('#review-summary').textContent(), /Reviewed 2 of 2 due questions: done for today/);

  const saved = await stored(page);
  assert.equal(saved.review['l07-read-cell'].box, 2);
  assert.equal(saved.review['l07-read-cell'].due, localDay(2));
  assert.equal(saved.review['l07-divisor'].box, 1);
  assert.equal(saved.review['l07-divisor'].due, localDay(1));

  // reload: nothing is due any more, everything waits, and nothing was lost
  await page.reload();
  await page.locator('#review-empty:not([hidden])').waitFor();
  assert.match(await page.locator('#review-empty').textContent(), /All caught up, next review on .* \(tomorrow\)\./);
  assert.match(await page.locator('#review-summary').textContent(), /You reviewed 2 questions today\./);
  assert.equal(await page.locator('#review-queue > li').count(), 0);
  assert.deepEqual(await page.locator('#review-upcoming > li').evaluateAll((lis) => lis.map((li) => li.dataset.quizId)), ['l07-find-asymmetry', 'l07-divisor', 'l07-read-cell']);
  assert.match(await page.locator('#review-upcoming li[data-quiz-id="l07-read-cell"] .review-upcoming-meta').textContent(), /box 2 of 5 · comes back on .* \(in 2 days\)/);
  assert.deepEqual(await stored(page), saved);

  // the lesson page still shows the learner's own (wrong) answers: review answers are practice
  await page.goto(b.base + LESSON);
  assert.equal(await page.locator('form.quiz[data-quiz-id="l07-read-cell"]').getAttribute('data-state'), 'wrong');
  assert.equal(await page.locator('form.quiz[data-quiz-id="l07-divisor"]').getAttribute('data-state'), 'wrong');
  assert.deepEqual(page.problems, []);
});

test('a due widget question links to its lesson page, where a right answer counts as its review', async () => {
  const record = {
    version: 2, seed: 3, createdAt: null,
    lessons: { 7: { answers: { 'l07-find-asymmetry': { correct: false, tries: 1, value: 'diagonal', at: null } }, completed: false, completedAt: null } },
    last: { lesson: 7, anchor: null, label: null, quiz: null, at: null },
    review: { 'l07-find-asymmetry': { lesson: 7, box: 1, due: localDay(0), added: null, at: null, history: [] } },
  };
  const page = await seededPage(JSON.stringify(record));
  await page.goto(b.base + '/review/');
  assert.match(await page.locator('#review-summary').textContent(), /1 question is due now \(1 of them on its lesson page\)/);
  const card = page.locator('#review-queue > li.review-card');
  assert.equal(await card.locator('form').count(), 0);
  const link = card.getByRole('link', { name: 'answer it on the lesson page' });
  assert.equal(await link.getAttribute('href'), '../lessons/07-pairwise-scores/#quiz-l07-find-asymmetry');
  assert.deepEqual(await seriousViolations(page), []);
  await link.click();
  await page.waitForURL(/#quiz-l07-find-asymmetry$/);
  await page.locator('#scores').scrollIntoViewIfNeeded();
  await page.locator('#scores table.s td[data-row="1"][data-col="4"]').click();
  const form = page.locator('form.quiz[data-quiz-id="l07-find-asymmetry"]');
  await form.locator('button.quiz-check').click();
  assert.equal(await form.getAttribute('data-state'), 'correct');
  const saved = await stored(page);
  assert.equal(saved.review['l07-find-asymmetry'].box, 2);
  assert.equal(saved.review['l07-find-asymmetry'].due, localDay(2));
  assert.deepEqual(page.problems, []);
});

test('all caught up: the empty state names the next review day', async () => {
  const record = {
    version: 2, seed: 7, createdAt: null,
    lessons: { 7: { answers: { 'l07-read-cell': { correct: true, tries: 2, value: [1], at: null } }, completed: false, completedAt: null } },
    last: { lesson: 7, anchor: null, label: null, quiz: null, at: null },
    review: { 'l07-read-cell': { lesson: 7, box: 3, due: localDay(4), added: null, at: null, history: [] } },
  };
  const page = await seededPage(JSON.stringify(record));
  await page.goto(b.base + '/review/');
  await page.locator('#review-empty:not([hidden])').waitFor();
  assert.match(await page.locator('#review-empty').textContent(), /All caught up, next review on .* \(in 4 days\)\./);
  assert.equal(await page.locator('#review-due').isHidden(), true);
  assert.equal(await page.locator('#review-upcoming > li').count(), 1);
  await page.goto(b.base + '/');
  assert.match(await page.locator('#review-teaser').textContent(), /all caught up; the next missed question comes back on .* \(in 4 days\)/);
  assert.deepEqual(page.problems, []);
});

test('the review page works from the keyboard', async () => {
  const record = {
    version: 2, seed: 11, createdAt: null,
    lessons: { 7: { answers: { 'l07-overflow': { correct: false, tries: 1, value: [0], at: null } }, completed: false, completedAt: null } },
    last: { lesson: null, anchor: null, label: null, quiz: null, at: null },
    review: { 'l07-overflow': { lesson: 7, box: 2, due: localDay(-3), added: null, at: null, history: [] } },
  };
  const page = await seededPage(JSON.stringify(record));
  await page.goto(b.base + '/review/');
  const form = page.locator('#review-queue form.quiz');
  const data = await quizData(form);
  const right = data.choices.findIndex((c) => c.correct);
  assert.match(await page.locator('.review-meta').textContent(), /Box 2 of 5 · due since .* \(3 days ago\)/);
  // Tab from the lesson link in the card heading into the radio group, arrow to the right choice
  await page.locator('.review-from a').focus();
  await page.keyboard.press('Tab');
  const order = await form.locator('.quiz-choice').evaluateAll((lis) => lis.map((li) => Number(li.dataset.choice)));
  assert.equal(await page.evaluate(() => document.activeElement.value), String(order[0]));
  for (let i = 0; i < order.indexOf(right); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  assert.equal(await page.evaluate(() => document.activeElement.value), String(right));
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await form.getAttribute('data-state'), 'correct');
  assert.match(await page.locator('.review-outcome').textContent(), /Moved up to box 3 of 5/);
});

test('last position: the home page links back to the section the learner was reading', async () => {
  const page = await b.newPage();
  await page.goto(b.base + LESSON);
  await page.locator('#section-why-s-is-not-symmetric').evaluate((h) => h.scrollIntoView());
  await page.waitForFunction((key) => JSON.parse(localStorage.getItem(key)).last.anchor === 'section-why-s-is-not-symmetric', KEY);
  await page.goto(b.base + '/');
  const link = page.locator('#continue a.continue-link');
  assert.match(await page.locator('#continue').textContent(), /Continue where you left off:/);
  assert.match(await link.textContent(), /Lesson 7: .* · Why S is not symmetric →/);
  assert.match(await link.getAttribute('href'), /lessons\/07-pairwise-scores\/#section-why-s-is-not-symmetric$/);
  await link.click();
  await page.waitForURL(/#section-why-s-is-not-symmetric$/);
  const top = await page.locator('#section-why-s-is-not-symmetric').evaluate((h) => h.getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 200, `the heading is near the top of the window (top ${top})`);
  // checking a question makes it the place to come back to
  const form = page.locator('form.quiz[data-quiz-id="l07-divisor"]');
  await form.locator('.quiz-input').fill('2');
  await form.locator('button.quiz-check').click();
  await page.goto(b.base + '/');
  assert.match(await page.locator('#continue a.continue-link').getAttribute('href'), /#quiz-l07-divisor$/);
  assert.deepEqual(page.problems, []);
});

test('corrupt JSON never breaks a page: backed up, reset, and a visible notice', async () => {
  for (const where of ['/', LESSON, '/review/']) {
    const page = await seededPage('{"version":2,"seed":1,"lessons":{"7":');
    await page.goto(b.base + where);
    const notice = page.locator('#progress-notice');
    await notice.waitFor({ state: 'visible' });
    assert.match(await notice.textContent(), /could not be read \(not valid JSON\)\. It was reset/);
    const keys = await backupKeys(page);
    assert.equal(keys.length, 1);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), keys[0]), '{"version":2,"seed":1,"lessons":{"7":');
    assert.ok((await notice.textContent()).includes(keys[0]));
    assert.equal((await stored(page)).version, 2);
    assert.deepEqual(page.problems, [], where);
  }
});

test('a v1 record is migrated: notice shown, every answer still there, misses due for review', async () => {
  const v1 = {
    version: 1, seed: 99, lastLesson: 7,
    lessons: { 7: { answers: {
      'l07-read-cell': { correct: false, tries: 1, value: [0] },
      'l07-divisor': { correct: true, tries: 1, value: 8 },
    }, completed: false, completedAt: null } },
  };
  const page = await b.newPage();
  await page.goto(b.base + LESSON);
  const readCell = await quizData(page.locator('form.quiz[data-quiz-id="l07-read-cell"]'));
  v1.lessons[7].answers['l07-read-cell'].value = [readCell.choices.findIndex((c) => !c.correct)];

  const fresh = await seededPage(JSON.stringify(v1));
  await fresh.goto(b.base + '/');
  const notice = fresh.locator('#progress-notice');
  await notice.waitFor({ state: 'visible' });
  assert.match(await notice.textContent(), /upgraded to this version of the course; every answer and completed lesson was kept/);
  assert.equal(await fresh.locator('[data-lesson-status="7"]').getAttribute('data-status'), 'started');
  assert.match(await fresh.locator('#continue').textContent(), /Continue where you left off: Lesson 7/);
  const saved = await stored(fresh);
  assert.equal(saved.version, 2);
  assert.equal(saved.seed, 99);
  assert.deepEqual(saved.lessons['7'].answers['l07-read-cell'], { correct: false, tries: 1, value: v1.lessons[7].answers['l07-read-cell'].value, at: null });
  assert.equal((await backupKeys(fresh)).length, 1);

  await fresh.goto(b.base + LESSON);
  assert.equal(await fresh.locator('#progress-notice').isHidden(), true, 'the notice is shown once');
  const form = fresh.locator('form.quiz[data-quiz-id="l07-read-cell"]');
  assert.equal(await form.getAttribute('data-state'), 'wrong');
  assert.equal(await form.locator(`#l07-read-cell-c${v1.lessons[7].answers['l07-read-cell'].value[0]}`).isChecked(), true);
  assert.equal(await fresh.locator('form.quiz[data-quiz-id="l07-divisor"]').getAttribute('data-state'), 'correct');
  assert.equal(await fresh.locator('form.quiz[data-quiz-id="l07-divisor"] .quiz-input').inputValue(), '8');

  await fresh.goto(b.base + '/review/');
  assert.deepEqual(await fresh.locator('#review-queue > li').evaluateAll((lis) => lis.map((li) => li.dataset.quizId)), ['l07-read-cell']);
  assert.deepEqual(fresh.problems, []);
});

test('a record from a newer site is set aside with a notice, not destroyed', async () => {
  const future = JSON.stringify({ version: 9, seed: 1, lessons: {}, shinyNewThing: [1, 2] });
  const page = await seededPage(future);
  await page.goto(b.base + '/review/');
  await page.locator('#progress-notice').waitFor({ state: 'visible' });
  assert.match(await page.locator('#progress-notice').textContent(), /newer version of Attention Lab \(schema version 9\)/);
  const keys = await backupKeys(page);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), keys[0]), future);
  assert.match(await page.locator('#review-empty').textContent(), /Nothing to review/);
});

test('two tabs answering at the same time keep both answers', async () => {
  const first = await b.newPage();
  await first.goto(b.base + LESSON);
  const second = await first.context().newPage();
  await second.goto(b.base + LESSON);
  const answer = async (page, id, pickCorrect) => {
    const form = page.locator(`form.quiz[data-quiz-id="${id}"]`);
    const data = await quizData(form);
    await form.locator(`#${id}-c${data.choices.findIndex((c) => c.correct === pickCorrect)}`).check();
    await form.locator('button.quiz-check').click();
  };
  await answer(first, 'l07-read-cell', true);
  // the second tab misses the widget question (Check on the untouched widget)
  await second.locator('#scores').scrollIntoViewIfNeeded();
  await second.locator('#scores table.s td.cell').first().waitFor();
  const widget = second.locator('form.quiz[data-quiz-id="l07-find-asymmetry"]');
  await widget.locator('button.quiz-check').click();
  assert.equal(await widget.getAttribute('data-state'), 'wrong');
  const saved = await stored(second);
  assert.deepEqual(Object.keys(saved.lessons['7'].answers).sort(), ['l07-find-asymmetry', 'l07-read-cell']);
  assert.ok(saved.review['l07-find-asymmetry']);
  // the other tab's home page follows along (storage event)
  await second.goto(b.base + '/');
  const numeric = first.locator('form.quiz[data-quiz-id="l07-divisor"]');
  await numeric.locator('.quiz-input').fill('7');
  await numeric.locator('button.quiz-check').click();
  await second.waitForFunction(() => /1 missed question is due/.test(document.getElementById('review-teaser').textContent));
  const both = await stored(second);
  assert.deepEqual(Object.keys(both.lessons['7'].answers).sort(), ['l07-divisor', 'l07-find-asymmetry', 'l07-read-cell']);
});

test('export then import round-trips through a file; bad files change nothing; undo restores', async () => {
  const page = await b.newPage();
  await missThreeOnLesson7(page);
  await page.goto(b.base + '/');
  const before = await stored(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-progress').click()]);
  assert.match(download.suggestedFilename(), /^attention-lab-progress-\d{4}-\d{2}-\d{2}\.json$/);
  assert.equal(download.suggestedFilename(), `attention-lab-progress-${localDay()}.json`);
  const file = path.join(tmp, download.suggestedFilename());
  await download.saveAs(file);
  const exported = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(exported.format, 'attention-lab/progress');
  assert.deepEqual(exported.progress, before);
  assert.match(await page.locator('#transfer-status').textContent(), /saved as attention-lab-progress-/);

  // another browser profile: fresh progress, then import
  const other = await b.newPage();
  await other.goto(b.base + '/');
  const mine = await stored(other);
  await other.locator('#import-progress').waitFor();

  // bad files first: specific messages, nothing changes, no HTML from the file is rendered
  const bad = [
    [{ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('this is not json') }, /notes\.json: The file is not JSON.*Nothing was changed\./],
    [{ name: '<img src=x onerror="window.pwned=1">.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"<b>x</b>","progress":{}}') }, /<img src=x onerror="window\.pwned=1">\.json: The file is not an Attention Lab progress file \(its format is "<b>x<\/b>"/],
    [{ name: 'future.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...exported, progress: { ...exported.progress, version: 3 } })) }, /newer version of Attention Lab \(schema version 3\)/],
    [{ name: 'empty.json', mimeType: 'application/json', buffer: Buffer.alloc(0) }, /empty\.json: The file is empty\./],
  ];
  for (const [payload, message] of bad) {
    await other.setInputFiles('#import-file', payload);
    await other.waitForFunction((m) => new RegExp(m).test(document.getElementById('transfer-status').textContent), message.source);
    assert.equal(await other.locator('#transfer-status').getAttribute('data-state'), 'error');
    assert.deepEqual(await stored(other), mine);
  }
  assert.equal(await other.locator('#transfer-status img, #transfer-status b').count(), 0);
  assert.equal(await other.evaluate(() => window.pwned), undefined);

  // the real file; undo puts the previous progress back; importing again sticks
  await other.setInputFiles('#import-file', file);
  await other.waitForFunction(() => /^Imported /.test(document.getElementById('transfer-status').textContent));
  assert.match(await other.locator('#transfer-status').textContent(), /0 lessons done, 3 answers, 3 questions in review\. Your previous progress was kept in this browser under "attention-lab\/progress-backup-\d+"/);
  assert.deepEqual(await stored(other), before);
  assert.equal(await other.locator('[data-lesson-status="7"]').getAttribute('data-status'), 'started');
  assert.match(await other.locator('#review-teaser').textContent(), /2 missed questions are due/);
  await other.locator('#undo-import').click();
  assert.match(await other.locator('#transfer-status').textContent(), /import was undone: your previous progress is back/);
  assert.equal(await other.locator('#undo-import').isHidden(), true);
  assert.equal(await other.evaluate(() => document.activeElement.id), 'import-progress');
  assert.deepEqual(await stored(other), mine);
  assert.equal(await other.locator('[data-lesson-status="7"]').getAttribute('data-status'), 'not-started');

  await other.setInputFiles('#import-file', file);
  await other.waitForFunction(() => /^Imported /.test(document.getElementById('transfer-status').textContent));
  await other.goto(b.base + '/review/');
  assert.equal(await other.locator('#review-queue > li').count(), 2);
  await other.goto(b.base + LESSON);
  assert.equal(await other.locator('form.quiz[data-quiz-id="l07-read-cell"]').getAttribute('data-state'), 'wrong');
  assert.deepEqual(await stored(other), before, 'and a reload keeps it');
  assert.deepEqual(page.problems, []);
  assert.deepEqual(other.problems, []);
});

test('an exported v1-style raw record can be imported too', async () => {
  const page = await b.newPage();
  await page.goto(b.base + '/');
  const v1 = { version: 1, seed: 5, lastLesson: 7, lessons: { 7: { answers: { 'l07-symmetric': { correct: false, tries: 2, value: [0] } }, completed: false, completedAt: null } } };
  await page.setInputFiles('#import-file', { name: 'old.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(v1)) });
  await page.waitForFunction(() => /^Imported /.test(document.getElementById('transfer-status').textContent));
  assert.match(await page.locator('#transfer-status').textContent(), /older format and was upgraded/);
  const saved = await stored(page);
  assert.deepEqual(saved.lessons['7'].answers['l07-symmetric'], { correct: false, tries: 2, value: [0], at: null });
  assert.equal(saved.review['l07-symmetric'].box, 1);
});

test('issue 10: a "__proto__" lesson in an imported file is reported and never pollutes the page', async () => {
  const page = await b.newPage();
  await page.goto(b.base + '/');
  const file = '{"version":2,"seed":1,"createdAt":null,"lessons":{"__proto__":{"answers":{},"completed":true,"completedAt":"PWNED"}},"last":{"lesson":null},"review":{}}';
  await page.setInputFiles('#import-file', { name: 'proto.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await page.waitForFunction(() => /^Imported /.test(document.getElementById('transfer-status').textContent));
  assert.match(await page.locator('#transfer-status').textContent(), /One entry could not be kept because its name is not valid: lesson "__proto__"\./);
  // an older site in another tab writes a version-1 record, then the learner answers on lesson 7
  await page.evaluate((key) => localStorage.setItem(key, '{"version":1,"seed":5,"lessons":{}}'), KEY);
  await page.goto(b.base + LESSON);
  const form = page.locator('form.quiz[data-quiz-id="l07-read-cell"]');
  await form.locator('#l07-read-cell-c0').check();
  await form.locator('button.quiz-check').click();
  assert.notEqual(await form.getAttribute('data-state'), null);
  assert.equal(await page.evaluate(() => ({}).completed), undefined);
  assert.ok((await stored(page)).lessons['7'].answers['l07-read-cell']);
  assert.deepEqual(page.problems, []);
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe-core: no serious violations on home and review (${colorScheme})`, async () => {
    const page = await b.newPage({ colorScheme });
    await page.goto(b.base + '/review/');
    await page.locator('#review-empty:not([hidden])').waitFor();
    assert.deepEqual(await seriousViolations(page), [], 'empty review');
    await missThreeOnLesson7(page);
    await page.goto(b.base + '/review/');
    const form = page.locator('#review-queue form.quiz').first();
    await form.locator('button.quiz-check').click(); // "pick an answer first"
    await form.locator('.quiz-choice input, .quiz-input').first().evaluate((el) => (el.type === 'text' ? (el.value = '1') : el.click()));
    await form.locator('button.quiz-check').click(); // graded: explanations and the box outcome show
    await page.locator('.review-outcome:not([hidden])').waitFor();
    assert.deepEqual(await seriousViolations(page), [], 'review with due, answered and upcoming questions');
    await page.reload();
    assert.deepEqual(await seriousViolations(page), [], 'review after reload');
    await page.goto(b.base + '/');
    await page.locator('#export-progress').click();
    assert.deepEqual(await seriousViolations(page), [], 'home with progress');
    assert.deepEqual(page.problems, []);
  });
}

test('a 360 px phone: home and review do not scroll sideways', async () => {
  const page = await b.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await missThreeOnLesson7(page);
  for (const where of ['/', '/review/']) {
    await page.goto(b.base + where);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${where} overflows by ${overflow}px`);
  }
});
