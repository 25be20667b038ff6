// Grading without a browser (web/app/grade.js, parse-number.js): the forms of number a learner may
// type, what a wrong number is told (never the value), and what a wrong set of choices learns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradeChoices, gradeNumeric, numericHint, parseNumber } from '../../web/app/grade.js';

test('parseNumber: plain numbers, signs, exponents, a decimal comma and thousands', () => {
  const cases = {
    25: 25, '-0.5': -0.5, '+3': 3, '.5': 0.5, '0.5': 0.5, '5.': 5, '1e3': 1000, '2.5E-1': 0.25, '1e-3': 0.001,
    '0,5': 0.5, '-1,25': -1.25, '0,125': 0.125, '1,024': 1024, '1,000,000': 1e6, '1,024.5': 1024.5, ' 7 ': 7,
    '−0.5': -0.5, '–2': -2, '−.5': -0.5,
  };
  for (const [text, want] of Object.entries(cases)) assert.equal(parseNumber(text), want, text);
});

test('parseNumber: fractions, powers and simple arithmetic, with the usual precedence', () => {
  const cases = {
    '1/1024': 1 / 1024, '2^-10': 2 ** -10, '2**-10': 2 ** -10, '2^ -10': 2 ** -10, '1/2^10': 1 / 1024,
    '−2^−10': -(2 ** -10), '-2^2': -4, '2^3^2': 512, '(3+1)/8': 0.5, '3 × 0.25': 0.75, '6 ÷ 4': 1.5,
    '0.3·2': 0.6, '1 - 1/4': 0.75, '((((2))))': 2, '1/2/2': 0.25, '2*-3': -6, '--1': 1,
  };
  for (const [text, want] of Object.entries(cases)) assert.ok(Math.abs(parseNumber(text) - want) < 1e-15, `${text} -> ${parseNumber(text)}`);
});

test('parseNumber: anything else is not a number, and nothing is ever evaluated', () => {
  globalThis.pwned = false;
  const bad = ['', '   ', 'abc', '0x10', '1.2.3', '1,2,3', 'NaN', 'Infinity', '1e', '2 5', '1 ,5', '1/0', '10^400',
    '2**1e9', '(1', '1)', '()', '1+', '*2', 'sqrt(4)', 'Math.PI', 'globalThis.pwned=true', '1;2', `${'('.repeat(30)}1${')'.repeat(30)}`,
    '1'.repeat(81), null, undefined, {}, []];
  for (const text of bad) assert.ok(Number.isNaN(parseNumber(text)), JSON.stringify(text));
  assert.equal(globalThis.pwned, false);
  assert.equal(parseNumber(`${'('.repeat(20)}1${')'.repeat(20)}`), 1, '20 levels of brackets are fine');
});

test('gradeNumeric: tolerance, the forms above, empty and non-numeric input', () => {
  const q = { answer: 2.25, tolerance: 0.01 };
  assert.deepEqual(gradeNumeric(q, '2,25'), { correct: true, value: 2.25 });
  assert.deepEqual(gradeNumeric(q, '2.26'), { correct: true, value: 2.26 });
  assert.deepEqual(gradeNumeric(q, '9/4'), { correct: true, value: 2.25 });
  assert.equal(gradeNumeric(q, '2.27').correct, false);
  assert.deepEqual(gradeNumeric(q, '  '), { error: 'empty' });
  assert.deepEqual(gradeNumeric(q, 'two'), { error: 'not-a-number' });
  assert.equal(gradeNumeric({ answer: 0.3, tolerance: 0 }, String(0.1 + 0.2)).correct, true, 'float noise is allowed');
  const tiny = { answer: 1 / 1024, tolerance: 0 };
  for (const text of ['1/1024', '2^-10', '2**-10', '0.0009765625', '9.765625e-4']) assert.equal(gradeNumeric(tiny, text).correct, true, text);
  assert.equal(gradeNumeric({ answer: -0.5, tolerance: 0 }, '−0.5').correct, true, 'Unicode minus');
});

test('a wrong number gets a hint that points the way but never contains the value', () => {
  const q = { answer: 0.7, tolerance: 0.005 };
  const hints = { '-0.7': 'sign', 0: 'sign', 0.71: 'close', 0.69: 'close', 0.9: 'high', 0.5: 'low', 7: 'much-high', 0.07: 'much-low', 70: 'much-high' };
  for (const [text, want] of Object.entries(hints)) {
    const r = gradeNumeric(q, text);
    assert.equal(r.correct, false, text);
    assert.equal(r.hint, want, text);
  }
  assert.equal(numericHint({ answer: -3, tolerance: 0 }, -2), 'high', 'for a negative answer, -2 is above -3');
  assert.equal(numericHint({ answer: -3, tolerance: 0 }, -40), 'much-low');
  assert.equal(numericHint({ answer: 25, tolerance: 0 }, 24), 'low', 'no "close" without a tolerance: whole-number answers');
  assert.equal(numericHint({ answer: 0, tolerance: 0 }, 0.1), 'sign');
  assert.equal(gradeNumeric(q, '0.7').hint, undefined, 'a right answer has no hint');
});

test('gradeChoices: the picked set must equal the correct set; counts for a hint that names no choice', () => {
  const q = { choices: [{ correct: false }, { correct: true }, { correct: true }] };
  assert.deepEqual(gradeChoices(q, [1, 2]), { correct: true, wrongPicks: 0, missing: 0 });
  assert.equal(gradeChoices(q, [2, 1, 2]).correct, true);
  assert.deepEqual(gradeChoices(q, [1]), { correct: false, wrongPicks: 0, missing: 1 });
  assert.deepEqual(gradeChoices(q, [0, 1, 2]), { correct: false, wrongPicks: 1, missing: 0 });
  assert.deepEqual(gradeChoices(q, [0]), { correct: false, wrongPicks: 1, missing: 2 });
  assert.deepEqual(gradeChoices(q, []), { correct: false, wrongPicks: 0, missing: 2 });
});
