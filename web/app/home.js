/**
 * Entry point of the home page: fills each lesson's status badge, the course progress bar, the
 * "Today" card (the lesson to do next with its minutes, "continue where you left off", and how
 * many review questions are due, saying so plainly when none are), and wires "Your progress" (export to a JSON
 * file, import from one, undo the import). Everything read from storage or a file is written
 * with textContent or as an attribute value, never as HTML.
 */
import { MAX_IMPORT_BYTES, exportFileName, openProgress } from './progress.js';
import { dayString, formatDay, nextDueDay, reviewToday } from './leitner.js';
import { showNotice } from './notice.js';

const LABELS = { done: 'Done', started: 'In progress', 'not-started': 'Not started' };

const progress = openProgress();
const questions = readQuestions();
showNotice(progress.notice);
render();
progress.onChange(render);
setUpTransfer();

function render() {
  fillBadges();
  fillProgressBar();
  fillContinue();
  fillReviewTeaser();
}

/** The built questions: [{ id, lesson, placement }] in course order. */
function readQuestions() {
  try {
    const list = JSON.parse(document.getElementById('course-questions')?.textContent ?? '[]');
    return Array.isArray(list) ? list.map(([id, lesson, , placement]) => ({ id, lesson, placement })) : [];
  } catch {
    return [];
  }
}

function fillBadges() {
  for (const badge of document.querySelectorAll('[data-lesson-status]')) {
    const status = progress.status(badge.dataset.lessonStatus);
    badge.dataset.status = status;
    badge.textContent = LABELS[status];
  }
}

function fillProgressBar() {
  const bar = document.getElementById('course-progress');
  if (!bar) return;
  const numbers = [...document.querySelectorAll('.lesson-item[data-lesson]')].map((li) => Number(li.dataset.lesson));
  const total = Number(bar.getAttribute('aria-valuemax')) || numbers.length;
  const done = progress.completedCount(numbers);
  const text = `${done} of ${total} lessons done`;
  bar.setAttribute('aria-valuenow', String(done));
  bar.setAttribute('aria-valuetext', text);
  bar.querySelector('.progress-fill').style.width = `${(100 * done) / total}%`;
  document.getElementById('course-progress-text').textContent = text;
}

/**
 * A link to lesson `a` (a home-page lesson link): to a place in it (anchor, label) when given,
 * else to its top with the lesson's minutes.
 */
function lessonLink(a, { anchor = null, label = null } = {}) {
  const link = document.createElement('a');
  link.className = 'continue-link';
  link.href = anchor ? `${a.getAttribute('href')}#${encodeURIComponent(anchor)}` : a.getAttribute('href');
  link.append(`Lesson ${a.dataset.lessonLink}: `, ...a.cloneNode(true).childNodes);
  if (label) link.append(text('span', 'continue-where', ` · ${label}`));
  else if (a.dataset.minutes) link.append(' ', text('span', 'continue-minutes', `· ${a.dataset.minutes} min`));
  link.append(' →');
  return link;
}

/**
 * The lesson line of the Today card: back to the place in an unfinished lesson the learner left,
 * else the next lesson to do with its minutes ("Start here" for a new learner).
 */
function fillContinue() {
  const box = document.getElementById('continue');
  const links = [...document.querySelectorAll('a[data-lesson-link]')];
  if (!box || links.length === 0) return;
  const unfinished = (a) => progress.status(a.dataset.lessonLink) !== 'done';
  const last = progress.data.last;
  const lastLink = links.find((a) => Number(a.dataset.lessonLink) === last.lesson);
  const next = links.find((a) => unfinished(a) && Number(a.dataset.lessonLink) > (last.lesson ?? 0)) ?? links.find(unfinished);
  const parts = [];
  if (lastLink && unfinished(lastLink)) {
    parts.push(text('span', 'continue-label', 'Continue where you left off:'), ' ', lessonLink(lastLink, last));
  } else if (next) {
    parts.push(text('span', 'continue-label', lastLink ? 'Next lesson:' : 'Start here:'), ' ', lessonLink(next));
  } else {
    parts.push(text('span', 'continue-done', 'You have finished every lesson written so far. New lessons will appear here.'));
  }
  box.replaceChildren(...parts);
  box.hidden = false;
}

function fillReviewTeaser() {
  const box = document.getElementById('review-teaser');
  if (!box) return;
  const today = progress.today();
  const review = progress.data.review;
  const { due, fresh } = reviewToday(progress.data, questions, today);
  const count = due.length + fresh.length;
  const next = nextDueDay(review, today, questions.map((q) => q.id));
  const link = document.createElement('a');
  link.href = 'review/';
  if (count > 0) {
    link.textContent = `Review ${count === 1 ? 'it' : 'them'} now →`;
    const what = fresh.length === 0 ? 'missed question' : 'question';
    const extra = fresh.length > 0 ? ` (${fresh.length} new)` : '';
    box.replaceChildren(text('strong', '', `${count} ${what}${count === 1 ? ' is' : 's are'} due for review${extra}.`), ' ', link);
  } else {
    const parts = ['No questions are due for review today'];
    if (next) parts.push(`: all caught up; the next missed question comes back on ${formatDay(next, today)}`);
    const soon = joiningTomorrow(today);
    parts.push('.');
    if (soon > 0) parts.push(` ${soon} new question${soon === 1 ? '' : 's'} from today's lesson${soon === 1 ? '' : 's'} join${soon === 1 ? 's' : ''} tomorrow.`);
    link.textContent = 'Review page';
    box.replaceChildren(parts.join(''), ' ', link);
  }
  box.hidden = false;
}

/** Review-only questions of lessons completed today: they join the review tomorrow. */
function joiningTomorrow(today) {
  const doneToday = (n) => {
    const l = progress.data.lessons[String(n)];
    return Boolean(l?.completed && typeof l.completedAt === 'string' && dayString(Date.parse(l.completedAt)) === today);
  };
  return questions.filter((q) => q.placement === 'review' && !progress.data.review[q.id] && doneToday(q.lesson)).length;
}

function text(tag, className, content) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.textContent = content;
  return el;
}

// ---- export / import ----

function setUpTransfer() {
  const actions = document.getElementById('transfer-actions');
  if (!actions) return;
  const exportButton = document.getElementById('export-progress');
  const importButton = document.getElementById('import-progress');
  const input = document.getElementById('import-file');
  const undoBox = document.getElementById('transfer-undo');
  const undoButton = document.getElementById('undo-import');
  let undoKey = null;
  actions.hidden = false;

  exportButton.addEventListener('click', () => {
    const name = exportFileName(Date.now());
    const url = URL.createObjectURL(new Blob([progress.exportText()], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
    status(`Your progress was saved as ${name} (look in your downloads). Import it on the home page of any browser to carry on there.`);
  });

  importButton.addEventListener('click', () => input.click());

  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const name = file.name || 'The file';
    if (file.size > MAX_IMPORT_BYTES) {
      status(`${name}: the file is ${Math.round(file.size / 1000)} kB, far larger than an Attention Lab progress file, so it was not read. Nothing was changed.`, 'error');
      return;
    }
    let content;
    try {
      content = await file.text();
    } catch {
      status(`${name}: the file could not be read. Nothing was changed.`, 'error');
      return;
    }
    const result = progress.importText(content);
    if (!result.ok) {
      status(`${name}: ${result.error} Nothing was changed.`, 'error');
      return;
    }
    render();
    const { lessonsDone, answers, inReview } = result.summary;
    const upgraded = result.from === 1 ? ` The file was in the older format and was upgraded${result.warning ? '' : '; nothing in it was lost'}.` : '';
    const lost = result.warning ? ` ${result.warning}` : '';
    status(`Imported ${name}: ${lessonsDone} lesson${lessonsDone === 1 ? '' : 's'} done, ${answers} answer${answers === 1 ? '' : 's'}, ${inReview} question${inReview === 1 ? '' : 's'} in review.${upgraded}${lost} Your previous progress was kept in this browser under "${result.backupKey}"; "Undo import" puts it back.`, 'ok');
    showNotice(progress.notice);
    undoKey = result.backupKey;
    undoBox.hidden = false;
  });

  undoButton.addEventListener('click', () => {
    if (undoKey && progress.restoreBackup(undoKey)) {
      render();
      status('The import was undone: your previous progress is back.', 'ok');
    } else {
      status('The previous progress could not be restored from this browser\'s storage.', 'error');
    }
    undoKey = null;
    undoBox.hidden = true;
    importButton.focus();
  });
}

function status(message, state = 'ok') {
  const el = document.getElementById('transfer-status');
  el.dataset.state = state;
  el.textContent = message;
}
