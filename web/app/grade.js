/**
 * Pure grading of quiz answers; no DOM. Question data is the JSON the build embeds in each quiz
 * form: { id, kind, choices?: [{ correct, explain }], answer?, tolerance?, explain }.
 */

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * Grade a single/multiple question. `picked` is an array of original choice indices.
 * Returns { correct } — true only when the picked set equals the set of correct choices.
 */
export function gradeChoices(question, picked) {
  const want = question.choices.map((c, i) => (c.correct ? i : -1)).filter((i) => i >= 0);
  const got = [...new Set(picked)].sort((a, b) => a - b);
  return { correct: got.length === want.length && got.every((i, k) => i === want[k]) };
}

/**
 * Parse a typed number: accepts "25", "-0.5", ".5", "1e3", and a decimal comma ("0,5").
 * Returns the number, or NaN when the text is not a plain number.
 */
export function parseNumber(text) {
  const t = String(text).trim().replace(/\s+/g, '');
  const normal = /^[^.]*,\d+$/.test(t) ? t.replace(',', '.') : t;
  return NUMBER.test(normal) ? Number(normal) : NaN;
}

/**
 * Grade a numeric question from the raw text the learner typed.
 * Returns { error } for empty or non-numeric input, else { correct, value } with
 * correct = |value - answer| <= tolerance (plus a tiny float allowance).
 */
export function gradeNumeric(question, text) {
  if (String(text).trim() === '') return { error: 'empty' };
  const value = parseNumber(text);
  if (!Number.isFinite(value)) return { error: 'not-a-number' };
  const slack = 1e-9 * Math.max(1, Math.abs(question.answer));
  return { correct: Math.abs(value - question.answer) <= question.tolerance + slack, value };
}
