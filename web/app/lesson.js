/**
 * Entry point of a lesson page: defines the widgets, starts the quizzes, remembers this lesson as
 * the last one visited, and announces "Lesson complete" once every question is answered correctly.
 * The lesson number comes from <main data-lesson="N">.
 */
import { openProgress } from './progress.js';
import { startQuizzes } from './quiz.js';
import { showNotice } from './notice.js';
import { watchScrollableRegions } from './scrollers.js';

const main = document.getElementById('main');
const lesson = Number(main.dataset.lesson);
const progress = openProgress();
progress.setLastLesson(lesson);

const recheckScrolling = watchScrollableRegions(main);
const quizzes = startQuizzes(main, {
  progress,
  lesson,
  onAnswer: () => {
    updateCompletion();
    showNotice(progress.notice);
    recheckScrolling();
  },
});
updateCompletion();
showNotice(progress.notice);
loadWidgets().then(recheckScrolling);

function updateCompletion() {
  const answers = progress.data.lessons[String(lesson)]?.answers ?? {};
  if (quizzes.every((q) => answers[q.id]?.correct)) progress.markCompleted(lesson);
  const box = document.querySelector('.lesson-complete');
  if (!box || progress.status(lesson) !== 'done' || !box.hidden) return;
  box.textContent = quizzes.length
    ? '✓ Lesson complete: you answered every question on this page correctly.'
    : '✓ Lesson complete.';
  box.hidden = false;
}

/** Widgets load separately so a widget failure never stops the quizzes. */
async function loadWidgets() {
  try {
    const { defineWidgets } = await import('../widgets/index.js');
    defineWidgets();
  } catch (err) {
    console.error('Attention Lab: the interactive widgets could not be loaded.', err);
  }
}
