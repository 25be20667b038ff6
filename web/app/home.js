/**
 * Entry point of the home page: fills each lesson's status badge, the course progress bar,
 * "Continue where you left off", the review count, and wires "Your progress" (export to a JSON
 * file, import from one, undo the import). Everything read from storage or a file is written
 * with textContent or as an attribute value, never as HTML.
 */
import { MAX_IMPORT_BYTES, exportFileName, openProgress } from './progress.js';
import { dueQueue, formatDay, nextDueDay } from './leitner.js';
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

function readQuestions() {
  try {
    const list = JSON.parse(document.getElementById('course-questions')?.textContent ?? '[]');
    return Array.isArray(list) ? list.map(([id]) => id) : [];
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

/** A link to lesson `a` (a home-page lesson link), optionally to a place in it. */
function lessonLink(a, { anchor = null, label = null } = {}) {
  const link = document.createElement('a');
  link.className = 'continue-link';
  link.href = anchor ? `${a.getAttribute('href')}#${encodeURIComponent(anchor)}` : a.getAttribute('href');
  link.append(`Lesson ${a.dataset.lessonLink}: `, ...a.cloneNode(true).childNodes);
  if (label) {
    const where = document.createElement('span');
    where.className = 'continue-where';
    where.textContent = ` · ${label}`;
    link.append(where);
  }
  link.append(' →');
  return link;
}

function fillContinue() {
  const box = document.getElementById('continue');
  const links = [...document.querySelectorAll('a[data-lesson-link]')];
  if (!box || links.length === 0) return;
  const unfinished = (a) => progress.status(a.dataset.lessonLink) !== 'done';
  const last = progress.data.last;
  const lastLink = links.find((a) => Number(a.dataset.lessonLink) === last.lesson);
  const parts = [];
  if (lastLink) {
    parts.push(text('span', 'continue-label', 'Continue where you left off:'), ' ', lessonLink(lastLink, last));
    const next = unfinished(lastLink) ? null : links.find(unfinished);
    if (next) parts.push(text('span', 'continue-next', ' Next lesson to finish: '), lessonLink(next));
  } else {
    const next = links.find(unfinished);
    if (next) parts.push(text('span', 'continue-label', 'Start here:'), ' ', lessonLink(next));
  }
  if (links.every((a) => !unfinished(a))) {
    parts.push(text('span', 'continue-done', `${parts.length ? ' ' : ''}You have finished every lesson written so far. New lessons will appear here.`));
  }
  box.replaceChildren(...parts);
  box.hidden = parts.length === 0;
}

function fillReviewTeaser() {
  const box = document.getElementById('review-teaser');
  if (!box) return;
  const today = progress.today();
  const review = progress.data.review;
  const due = dueQueue(review, today, questions).length;
  const next = nextDueDay(review, today, questions);
  const link = document.createElement('a');
  link.href = 'review/';
  if (due > 0) {
    link.textContent = `Review ${due === 1 ? 'it' : 'them'} now →`;
    box.replaceChildren(text('strong', '', `${due} missed question${due === 1 ? ' is' : 's are'} due for review.`), ' ', link);
  } else if (next) {
    link.textContent = 'Review page';
    box.replaceChildren(`Review: all caught up; the next missed question comes back on ${formatDay(next, today)}. `, link);
  } else {
    box.replaceChildren();
  }
  box.hidden = box.childNodes.length === 0;
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
