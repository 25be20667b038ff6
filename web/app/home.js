/**
 * Entry point of the home page: fills each lesson's status badge, the course progress bar and
 * the "continue" link from saved progress.
 */
import { openProgress } from './progress.js';
import { showNotice } from './notice.js';

const LABELS = { done: 'Done', started: 'In progress', 'not-started': 'Not started' };

const progress = openProgress();
showNotice(progress.notice);
fillBadges();
fillProgressBar();
fillContinue();

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

function fillContinue() {
  const box = document.getElementById('continue');
  const links = [...document.querySelectorAll('a[data-lesson-link]')];
  if (!box || links.length === 0) return;
  const unfinished = (a) => progress.status(a.dataset.lessonLink) !== 'done';
  const last = links.find((a) => Number(a.dataset.lessonLink) === progress.data.lastLesson);
  const next = last && unfinished(last) ? last : links.find(unfinished);
  if (!next) {
    box.textContent = 'You have finished every lesson written so far. New lessons will appear here.';
  } else {
    const link = document.createElement('a');
    link.className = 'continue-link';
    link.href = next.getAttribute('href');
    const verb = progress.data.lastLesson === null ? 'Start with' : 'Continue with';
    link.append(`${verb} lesson ${next.dataset.lessonLink}: `, ...next.cloneNode(true).childNodes, ' →');
    box.replaceChildren(link);
  }
  box.hidden = false;
}
