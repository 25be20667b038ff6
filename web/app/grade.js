/**
 * Pure grading of quiz answers; no DOM. Question data is the JSON the build embeds in each quiz
 * form: { id, kind, choices?: [{ correct, explain }], answer?, tolerance?, explain }.
 * Nothing here tells a learner the right answer: a wrong number gets a hint that points the way
 * (sign, direction, size, rounding) without the value, and a wrong set of choices only learns
 * whether the choices picked are right.
 */
import { parseNumber } from './parse-number.js';

export { parseNumber };

/**
 * Grade a single/multiple question. `picked` is an array of original choice indices.
 * Returns { correct, wrongPicks, missing }: correct is true only when the picked set equals the set
 * of correct choices; wrongPicks counts picked choices that are not correct; missing counts correct
 * choices not picked (for a hint that does not say which).
 */
export function gradeChoices(question, picked) {
  const want = question.choices.map((c, i) => (c.correct ? i : -1)).filter((i) => i >= 0);
  const got = [...new Set(picked)].sort((a, b) => a - b);
  const wrongPicks = got.filter((i) => !want.includes(i)).length;
  const missing = want.filter((i) => !got.includes(i)).length;
  return { correct: wrongPicks === 0 && missing === 0, wrongPicks, missing };
}

/**
 * Grade a numeric question from the raw text the learner typed (see parse-number.js for the
 * forms accepted: 0.5, .5, 1/1024, 2^-10, 1e-3, a Unicode minus...).
 * Returns { error: 'empty' | 'not-a-number' }, or { correct, value } with
 * correct = |value - answer| <= tolerance (plus a tiny float allowance), and for a wrong value
 * also `hint`: one of the numericHint keys.
 */
export function gradeNumeric(question, text) {
  if (String(text).trim() === '') return { error: 'empty' };
  const value = parseNumber(text);
  if (!Number.isFinite(value)) return { error: 'not-a-number' };
  const slack = 1e-9 * Math.max(1, Math.abs(question.answer));
  const correct = Math.abs(value - question.answer) <= question.tolerance + slack;
  return correct ? { correct, value } : { correct, value, hint: numericHint(question, value) };
}

/**
 * Which way a wrong number is off, without giving the answer away:
 *   'sign'    the value has the other sign (or is 0 where the answer is not, or the reverse)
 *   'close'   within ten times the tolerance: a rounding slip
 *   'much-high' / 'much-low'   above / below the answer and ten times or more its size (or a tenth or less)
 *   'high' / 'low'             above / below the answer otherwise
 */
export function numericHint({ answer, tolerance }, value) {
  if (Math.sign(value) !== Math.sign(answer)) return 'sign';
  if (tolerance > 0 && Math.abs(value - answer) <= 10 * tolerance) return 'close';
  const ratio = Math.abs(value) / Math.abs(answer);
  const far = ratio >= 10 - 1e-9 || ratio <= 0.1 + 1e-12;
  return `${far ? 'much-' : ''}${value > answer ? 'high' : 'low'}`;
}
