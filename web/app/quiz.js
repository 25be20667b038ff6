/**
 * Run-time quizzes: wires every `form.quiz` built by scripts/lib/quiz-html.mjs. Choices are
 * shuffled per learner (stable across reloads), answers are graded on Check and saved, and a saved
 * answer is shown again on reload.
 *
 * A quiz teaches instead of giving the answer away:
 *   - a wrong pick explains why *that* choice is wrong and invites another try; the right choice
 *     and its explanation stay hidden (a multiple-answer question only says whether each picked
 *     choice is right, and whether right ones are still missing, never which);
 *   - a wrong number gets a hint (sign, too high or low, far off, a rounding slip), not the value;
 *   - the question's explanation appears once the answer is right or the learner asks for it:
 *     "Show answer" is offered after the second wrong try, and revealing is recorded (the review
 *     deck then brings the question back soon).
 *
 * State for tests and styling: form[data-state] is "correct", "wrong", "revealed", "empty" or
 * "invalid"; form[data-revealed="true"] once the answer was shown; each marked choice
 * li[data-result] is "picked-correct", "picked-wrong" or "revealed-correct".
 * Text typed by the learner is only ever written with textContent; explanation HTML comes from
 * the build and is trusted. Lesson pages use startQuizzes (answers saved per lesson); the review
 * page starts each form with startQuiz and its own record() and reveal().
 */
import { gradeChoices, gradeNumeric, numericHint } from './grade.js';
import { seededShuffle } from './shuffle.js';

/** Wrong tries after which "Show answer" is offered. */
export const REVEAL_AFTER = 2;

const MARKS = {
  'picked-correct': ['✓', 'Your pick: right'],
  'picked-wrong': ['✗', 'Your pick: not right'],
  'revealed-correct': ['✓', 'Correct answer'],
};

const NUMERIC_HINTS = {
  sign: 'Check the sign of your answer.',
  close: 'Close: check your rounding.',
  'much-high': 'Your number is far too high: off by a factor of ten or more.',
  'much-low': 'Your number is far too low: off by a factor of ten or more.',
  high: 'Your number is too high.',
  low: 'Your number is too low.',
};

/** Has the learner asked for this question's answer (now or on an earlier visit)? */
const wasRevealed = (form) => form.dataset.revealed === 'true';

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
      // "Show answer" is saved as an answer marked revealed (review treats it as a miss)
      reveal: (data) => {
        const last = progress.data.lessons[String(lesson)]?.answers[data.id];
        progress.recordAnswer(lesson, data.id, { correct: false, value: last?.value ?? null, kind: data.kind, revealed: true });
      },
      onAnswer,
    });
    if (quiz) quizzes.push(quiz);
  }
  return quizzes;
}

/**
 * Start one quiz form (the review page uses this directly).
 *   seed: learner seed;  shuffleKey: what the choice order is keyed on (default: the quiz id);
 *   saved(data): the saved answer to show again ({ correct, tries, value, revealed? }), or undefined;
 *   record(data, { correct, value, revealed }): saves a graded answer (revealed: the answer was
 *   shown before it), returns an object with `tries` (graded checks so far, this one included);
 *   reveal(data): records that the learner asked for the answer;
 *   onAnswer(result): as for startQuizzes.
 * Returns { id, form, data }, or null when the form's data cannot be read.
 */
export function startQuiz(form, { seed, shuffleKey, saved = () => undefined, record, reveal = () => {}, onAnswer = () => {} }) {
  const data = readData(form);
  if (!data) return null;
  if (data.kind === 'single' || data.kind === 'multiple') shuffleChoices(form, seed, shuffleKey ?? data.id);
  restore(form, data, saved(data));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onAnswer(check(form, data, record) ?? null);
  });
  form.querySelector('.quiz-reveal')?.addEventListener('click', () => {
    reveal(data);
    showAnswer(form, data);
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
    const saved = record(data, { correct: result.correct, value: result.message, revealed: wasRevealed(form) });
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
    const saved = record(data, { correct: result.correct, value: result.value, revealed: wasRevealed(form) });
    showNumeric(form, data, result.correct, result.value, saved.tries);
    return { data, correct: result.correct, value: result.value, saved };
  }
  const picked = [...form.querySelectorAll('.quiz-choice input:checked')].map((i) => Number(i.value)).sort((a, b) => a - b);
  if (picked.length === 0) {
    feedback(form, 'empty', '', 'Pick an answer first, then press Check.');
    return undefined;
  }
  const { correct } = gradeChoices(data, picked);
  const saved = record(data, { correct, value: picked, revealed: wasRevealed(form) });
  showChoices(form, data, picked, saved.tries);
  return { data, correct, value: picked, saved };
}

function restore(form, data, saved) {
  if (!saved) return;
  const tries = saved.tries ?? 1;
  if (saved.revealed === true) form.dataset.revealed = 'true';
  if (data.kind === 'widget' && typeof saved.value === 'string') showWidgetResult(form, data, saved.correct, saved.value, tries);
  else if (data.kind === 'numeric' && typeof saved.value === 'number') {
    form.querySelector('.quiz-input').value = String(saved.value);
    showNumeric(form, data, saved.correct, saved.value, tries);
  } else if ((data.kind === 'single' || data.kind === 'multiple') && Array.isArray(saved.value) && saved.value.length > 0) {
    for (const input of form.querySelectorAll('.quiz-choice input')) input.checked = saved.value.includes(Number(input.value));
    showChoices(form, data, saved.value, tries);
  }
  if (saved.revealed === true && !saved.correct) showAnswer(form, data, { focus: false });
  else if (saved.revealed === true) offerReveal(form, false);
}

/** Marks the picked choices only: right or not, each with its own explanation. */
function showChoices(form, data, picked, tries) {
  const { correct, wrongPicks, missing } = gradeChoices(data, picked);
  clearChoiceMarks(form);
  for (const li of form.querySelectorAll('.quiz-choice')) {
    const i = Number(li.dataset.choice);
    if (!picked.includes(i)) continue;
    markChoice(li, data.choices[i].correct ? 'picked-correct' : 'picked-wrong', data.choices[i].explain);
  }
  if (correct) {
    showOverallExplain(form, data);
    return verdict(form, true, tries, 'Correct.');
  }
  hideOverallExplain(form);
  let text;
  if (data.kind === 'single') text = 'Not quite. Why that choice is wrong is explained above; try another one.';
  else if (wrongPicks === 0) text = `Every choice you picked is right, but ${missing === 1 ? 'one more is' : 'more are'} right too. Pick ${missing === 1 ? 'it' : 'them'} and check again.`;
  else text = `Not quite: ${wrongPicks === 1 ? 'one of your picks is' : `${wrongPicks} of your picks are`} not right (see why above)${missing > 0 ? ', and at least one right choice is not picked yet' : ''}. Try again.`;
  verdict(form, false, tries, text);
  if (wasRevealed(form)) markAnswer(form, data);
}

function showNumeric(form, data, correct, value, tries) {
  if (correct) {
    showOverallExplain(form, data);
    return verdict(form, true, tries, `Correct: ${value}.`);
  }
  hideOverallExplain(form);
  verdict(form, false, tries, `Not quite: ${value} is not the answer. ${NUMERIC_HINTS[numericHint(data, value)]} Try again.`);
  if (wasRevealed(form)) showOverallExplain(form, data);
}

/** `message` is plain text from the widget describing what it graded (never HTML). */
function showWidgetResult(form, data, correct, message, tries) {
  if (correct) {
    showOverallExplain(form, data);
    return verdict(form, true, tries, `Correct. ${message}`);
  }
  hideOverallExplain(form);
  verdict(form, false, tries, `Not yet. ${message}`);
  if (wasRevealed(form)) showOverallExplain(form, data);
}

/** The learner asked for the answer: mark the right choices (or say the number), show the explanation. */
function showAnswer(form, data, { focus = true } = {}) {
  form.dataset.revealed = 'true';
  offerReveal(form, false);
  let text = 'Here is the answer, with why. It will come back in your review.';
  if (data.kind === 'single' || data.kind === 'multiple') {
    markAnswer(form, data);
    text = `The right ${data.kind === 'single' ? 'choice is' : 'choices are'} marked “Correct answer” above. Pick ${data.kind === 'single' ? 'it' : 'them'} and press Check to finish the question; it will come back in your review.`;
  } else if (data.kind === 'numeric') {
    text = `The answer is ${data.answer}${data.tolerance > 0 ? ` (answers within ±${data.tolerance} count)` : ''}. Type it and press Check to finish the question; it will come back in your review.`;
  } else if (data.kind === 'widget') {
    text = 'The explanation below says what to look for. Set the widget that way and press Check to finish the question; it will come back in your review.';
  }
  showOverallExplain(form, data);
  feedback(form, 'revealed', '', text);
  if (focus) form.querySelector('.quiz-feedback').focus();
}

/** Marks every right choice not already picked as "Correct answer", and shows the explanation. */
function markAnswer(form, data) {
  for (const li of form.querySelectorAll('.quiz-choice')) {
    const choice = data.choices[Number(li.dataset.choice)];
    if (choice.correct && li.dataset.result !== 'picked-correct') markChoice(li, 'revealed-correct', choice.explain);
  }
  showOverallExplain(form, data);
}

function clearChoiceMarks(form) {
  for (const li of form.querySelectorAll('.quiz-choice')) {
    li.querySelector('.quiz-mark')?.remove();
    li.querySelector('.quiz-explain')?.remove();
    delete li.dataset.result;
  }
}

function markChoice(li, result, explainHtml) {
  li.querySelector('.quiz-mark')?.remove();
  li.querySelector('.quiz-explain')?.remove();
  li.dataset.result = result;
  li.append(mark(...MARKS[result]), explanation(explainHtml));
}

function showInvalid(form, input, error) {
  input.setAttribute('aria-invalid', 'true');
  const typed = input.value.trim();
  const text = error === 'empty'
    ? 'Type a number first, then press Check.'
    : `"${typed}" is not a number. Type digits, for example 25, 0.5, 1/8 or 2^-3.`;
  feedback(form, 'invalid', '', text);
}

function showOverallExplain(form, data) {
  hideOverallExplain(form);
  if (!data.explain) return;
  const box = explanation(data.explain);
  box.classList.add('quiz-explain-all');
  form.querySelector('.quiz-feedback').after(box);
}

function hideOverallExplain(form) {
  form.querySelector('.quiz-explain-all')?.remove();
}

/** Shows the verdict; a wrong one after REVEAL_AFTER tries also offers "Show answer". */
function verdict(form, correct, tries, text) {
  const note = !correct && tries > 1 ? ` (attempt ${tries})` : '';
  offerReveal(form, !correct && tries >= REVEAL_AFTER && !wasRevealed(form));
  feedback(form, correct ? 'correct' : 'wrong', correct ? '✓' : '✗', text + note);
}

function offerReveal(form, show) {
  const button = form.querySelector('.quiz-reveal');
  if (button) button.hidden = !show;
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
