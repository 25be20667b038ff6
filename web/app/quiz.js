/**
 * Run-time quizzes: wires every `form.quiz` built by scripts/lib/quiz-html.mjs. Choices are
 * shuffled per learner (stable across reloads), answers are graded on Check, explanations are
 * revealed, results are saved in progress, and a saved answer is shown again on reload.
 *
 * State for tests and styling: form[data-state] is "correct", "wrong", "empty" or "invalid";
 * each revealed choice li[data-result] is "picked-correct", "picked-wrong" or "missed-correct".
 * Text typed by the learner is only ever written with textContent; explanation HTML comes from
 * the build and is trusted. Lesson pages use startQuizzes (answers saved per lesson); the review
 * page starts each form with startQuiz and its own record().
 */
import { gradeChoices, gradeNumeric } from './grade.js';
import { seededShuffle } from './shuffle.js';

const MARKS = {
  'picked-correct': ['✓', 'Your answer: correct'],
  'picked-wrong': ['✗', 'Your answer: not correct'],
  'missed-correct': ['✓', 'Correct answer'],
};

/**
 * Start every quiz inside `root`.
 *   progress: store from openProgress();  lesson: lesson number;
 *   onAnswer(result): called after each check; result is { data, correct, value, saved } for a
 *   graded answer, null when nothing was graded (no choice picked, not a number, widget loading).
 * Returns [{ id, form, data }] for the quizzes found (forms with unreadable data are skipped).
 */
export function startQuizzes(root, { progress, lesson, onAnswer = () => {} }) {
  const quizzes = [];
  for (const form of root.querySelectorAll('form.quiz')) {
    const quiz = startQuiz(form, {
      seed: progress.data.seed,
      saved: (data) => progress.data.lessons[String(lesson)]?.answers[data.id],
      record: (data, answer) => progress.recordAnswer(lesson, data.id, { ...answer, kind: data.kind }),
      onAnswer,
    });
    if (quiz) quizzes.push(quiz);
  }
  return quizzes;
}

/**
 * Start one quiz form (the review page uses this directly).
 *   seed: learner seed;  shuffleKey: what the choice order is keyed on (default: the quiz id);
 *   saved(data): the saved answer to show again, or undefined;
 *   record(data, { correct, value }): saves a graded answer, returns an object with `tries`;
 *   onAnswer(result): as for startQuizzes.
 * Returns { id, form, data }, or null when the form's data cannot be read.
 */
export function startQuiz(form, { seed, shuffleKey, saved = () => undefined, record, onAnswer = () => {} }) {
  const data = readData(form);
  if (!data) return null;
  if (data.kind === 'single' || data.kind === 'multiple') shuffleChoices(form, seed, shuffleKey ?? data.id);
  restore(form, data, saved(data));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onAnswer(check(form, data, record) ?? null);
  });
  form.dataset.ready = 'true';
  return { id: data.id, form, data };
}

function readData(form) {
  try {
    return JSON.parse(form.querySelector('script.quiz-data').textContent);
  } catch {
    return null;
  }
}

function shuffleChoices(form, seed, key) {
  const list = form.querySelector('.quiz-choices');
  for (const li of seededShuffle([...list.children], seed, key)) list.append(li);
}

/** Grade the form; returns { data, correct, value, saved } or undefined when nothing was graded. */
function check(form, data, record) {
  if (data.kind === 'widget') {
    const widget = document.getElementById(data.widget);
    if (!widget || typeof widget.check !== 'function' || !widget.ready) {
      feedback(form, 'empty', '', 'The widget is still loading: scroll to it, wait a moment, then press Check.');
      return undefined;
    }
    const result = widget.check(data.check, data.args);
    const saved = record(data, { correct: result.correct, value: result.message });
    showWidgetResult(form, data, result.correct, result.message, saved.tries);
    return { data, correct: result.correct, value: result.message, saved };
  }
  if (data.kind === 'numeric') {
    const input = form.querySelector('.quiz-input');
    const result = gradeNumeric(data, input.value);
    if (result.error) {
      showInvalid(form, input, result.error);
      return undefined;
    }
    input.removeAttribute('aria-invalid');
    const saved = record(data, { correct: result.correct, value: result.value });
    showNumeric(form, data, result.correct, result.value, saved.tries);
    return { data, correct: result.correct, value: result.value, saved };
  }
  const picked = [...form.querySelectorAll('.quiz-choice input:checked')].map((i) => Number(i.value)).sort((a, b) => a - b);
  if (picked.length === 0) {
    feedback(form, 'empty', '', 'Pick an answer first, then press Check.');
    return undefined;
  }
  const { correct } = gradeChoices(data, picked);
  const saved = record(data, { correct, value: picked });
  showChoices(form, data, correct, picked, saved.tries);
  return { data, correct, value: picked, saved };
}

function restore(form, data, saved) {
  if (!saved) return;
  if (data.kind === 'widget' && typeof saved.value === 'string') showWidgetResult(form, data, saved.correct, saved.value, saved.tries);
  else if (data.kind === 'numeric' && typeof saved.value === 'number') {
    form.querySelector('.quiz-input').value = String(saved.value);
    showNumeric(form, data, saved.correct, saved.value, saved.tries);
  } else if ((data.kind === 'single' || data.kind === 'multiple') && Array.isArray(saved.value) && saved.value.length > 0) {
    for (const input of form.querySelectorAll('.quiz-choice input')) input.checked = saved.value.includes(Number(input.value));
    showChoices(form, data, saved.correct, saved.value, saved.tries);
  }
}

function showChoices(form, data, correct, picked, tries) {
  for (const li of form.querySelectorAll('.quiz-choice')) {
    li.querySelector('.quiz-mark')?.remove();
    li.querySelector('.quiz-explain')?.remove();
    const i = Number(li.dataset.choice);
    const choice = data.choices[i];
    const isPicked = picked.includes(i);
    const result = isPicked ? (choice.correct ? 'picked-correct' : 'picked-wrong') : choice.correct ? 'missed-correct' : '';
    if (!result) {
      delete li.dataset.result;
      continue;
    }
    li.dataset.result = result;
    li.append(mark(...MARKS[result]), explanation(choice.explain));
  }
  showOverallExplain(form, data);
  verdict(form, correct, tries, correct ? 'Correct.' : 'Not quite. Read the explanations above, then try again.');
}

function showNumeric(form, data, correct, value, tries) {
  showOverallExplain(form, data);
  const text = correct ? `Correct: ${value}.` : `Not quite: ${value} is not the answer. Read the explanation below, then try again.`;
  verdict(form, correct, tries, text);
}

/** `message` is plain text from the widget describing what it graded (never HTML). */
function showWidgetResult(form, data, correct, message, tries) {
  showOverallExplain(form, data);
  verdict(form, correct, tries, correct ? `Correct. ${message}` : `Not yet. ${message}`);
}

function showInvalid(form, input, error) {
  input.setAttribute('aria-invalid', 'true');
  const typed = input.value.trim();
  const text = error === 'empty' ? 'Type a number first, then press Check.' : `"${typed}" is not a number. Type digits, for example 25 or 0.5.`;
  feedback(form, 'invalid', '', text);
}

function showOverallExplain(form, data) {
  form.querySelector('.quiz-explain-all')?.remove();
  if (!data.explain) return;
  const box = explanation(data.explain);
  box.classList.add('quiz-explain-all');
  form.querySelector('.quiz-feedback').after(box);
}

function verdict(form, correct, tries, text) {
  const note = !correct && tries > 1 ? ` (attempt ${tries})` : '';
  feedback(form, correct ? 'correct' : 'wrong', correct ? '✓' : '✗', text + note);
}

function feedback(form, state, icon, text) {
  form.dataset.state = state;
  const box = form.querySelector('.quiz-feedback');
  box.replaceChildren();
  if (icon) box.append(iconSpan(icon), ' ');
  box.append(text);
}

function mark(icon, text) {
  const span = document.createElement('span');
  span.className = 'quiz-mark';
  span.append(iconSpan(icon), ` ${text}`);
  return span;
}

function iconSpan(icon) {
  const span = document.createElement('span');
  span.className = 'quiz-icon';
  span.setAttribute('aria-hidden', 'true');
  span.textContent = icon;
  return span;
}

function explanation(trustedHtml) {
  const div = document.createElement('div');
  div.className = 'quiz-explain';
  div.innerHTML = trustedHtml;
  return div;
}
