/**
 * Entry point of a lesson page: defines the widgets, starts the quizzes, remembers this lesson and
 * the learner's place in it (the section heading or question nearest the top of the window, or
 * the question last checked) for "Continue where you left off" on the home page, and announces
 * "Lesson complete" once every question on its main path is answered correctly.
 * The lesson number comes from <main data-lesson="N">.
 */
import { openProgress } from './progress.js';
import { startQuizzes } from './quiz.js';
import { showNotice } from './notice.js';
import { watchScrollableRegions } from './scrollers.js';
import { startDeepLinks } from './deeplink.js';

const main = document.getElementById('main');
const lesson = Number(main.dataset.lesson);
const progress = openProgress();
progress.setLastLesson(lesson);
// Widgets that keep a record in the course progress (the lesson 14 game) ask for the store with this
// event (widgets never import app/ code); an embed has no listener, so they keep it in memory.
document.addEventListener('attn-progress-store', (e) => e.detail?.provide?.(progress));

const recheckScrolling = watchScrollableRegions(main);
const quizzes = startQuizzes(main, {
  progress,
  lesson,
  onAnswer: (result) => {
    if (result) rememberPlace(document.getElementById(`quiz-${result.data.id}`));
    updateCompletion();
    showNotice(progress.notice);
    recheckScrolling();
  },
});
// A "Go deeper" section's own questions are optional: the lesson is complete without them.
const required = quizzes.filter((q) => q.form.dataset.placement !== 'deeper');

updateCompletion();
showNotice(progress.notice);
trackPosition();
startDeepLinks();
loadWidgets().then(recheckScrolling);

function updateCompletion() {
  const answers = progress.data.lessons[String(lesson)]?.answers ?? {};
  if (required.every((q) => answers[q.id]?.correct)) progress.markCompleted(lesson);
  const box = document.querySelector('.lesson-complete');
  if (!box || progress.status(lesson) !== 'done' || !box.hidden) return;
  box.textContent = required.length
    ? '✓ Lesson complete: you answered every question on this page correctly.'
    : '✓ Lesson complete.';
  box.hidden = false;
}

/** Places a learner can be returned to: prose section headings and quiz forms. */
function places() {
  return [...main.querySelectorAll('.prose h2[id], .prose h3[id], form.quiz[id]')];
}

/** Plain text naming a place, without the hidden MathML copy of formulas. */
function placeLabel(el) {
  if (el.matches('form.quiz')) return el.querySelector('.quiz-number')?.textContent.trim() || 'a question';
  const copy = el.cloneNode(true);
  for (const hidden of copy.querySelectorAll('.katex-mathml, .visually-hidden')) hidden.remove();
  return copy.textContent.replace(/\s+/g, ' ').trim();
}

function rememberPlace(el) {
  if (!el) return;
  const quiz = el.matches('form.quiz') ? el.dataset.quizId ?? null : null;
  progress.setPosition({ lesson, anchor: el.id, label: placeLabel(el), quiz });
}

/**
 * Save the place nearest the top of the window a moment after scrolling stops (and when the
 * page is hidden), so the home page can link straight back to it.
 */
function trackPosition() {
  let timer = 0;
  const current = () => {
    const line = window.innerHeight * 0.3;
    let found = null;
    for (const el of places()) {
      if (el.getBoundingClientRect().top <= line) found = el;
      else break;
    }
    return found;
  };
  const save = () => {
    clearTimeout(timer);
    timer = 0;
    rememberPlace(current());
  };
  window.addEventListener('scroll', () => {
    clearTimeout(timer);
    timer = setTimeout(save, 700);
  }, { passive: true });
  window.addEventListener('pagehide', () => timer && save());
  if (location.hash) setTimeout(save, 700);
}

/**
 * Widgets load separately so a widget failure never stops the quizzes; only the code of the widgets
 * on this page is fetched (widgets/registry.js).
 */
async function loadWidgets() {
  try {
    const { defineWidgetsOnPage } = await import('../widgets/registry.js');
    await defineWidgetsOnPage();
  } catch (err) {
    console.error('Attention Lab: the interactive widgets could not be loaded.', err);
  }
}
