/**
 * Answering quiz forms the way a learner does, and checking what a wrong answer shows. Shared by
 * the lesson harness (lessons.test.mjs), the quiz behaviour test (quiz.test.mjs) and the review
 * page test. A form is a Locator of one `form.quiz` (lesson page or review page: same markup).
 */
import assert from 'node:assert/strict';

/** The grading data the build embeds in the form (right answers included: tests may read it). */
export async function quizData(form) {
  return JSON.parse(await form.locator('script.quiz-data').textContent());
}

/** Presses Check; returns the form's data-state afterwards. */
export async function check(form) {
  await form.locator('button.quiz-check').click();
  return form.getAttribute('data-state');
}

/** Picks exactly the choices `indices` (original choice numbers) of a single/multiple question. */
export async function pick(form, data, indices) {
  for (const [k] of data.choices.entries()) {
    const box = form.locator(`input[value="${k}"]`);
    if (indices.includes(k)) await box.check();
    else if (data.kind === 'multiple') await box.uncheck();
  }
}

const rightChoices = (data) => data.choices.map((c, k) => (c.correct ? k : -1)).filter((k) => k >= 0);
const wrongChoices = (data) => data.choices.map((c, k) => (c.correct ? -1 : k)).filter((k) => k >= 0);

/**
 * Two wrong answers a learner might give, as actions on the form: for a single question the first
 * two wrong choices (the one wrong choice twice when there is only one); for a multiple question
 * one wrong choice alone, then one right choice alone (or a right one with a wrong one, when a
 * single right choice would be the full answer); for a numeric question a number above the
 * accepted range, then one of the opposite sign. Returns [{ describe, picked, act }].
 */
export function wrongAnswers(form, data) {
  if (data.kind === 'numeric') {
    const off = Math.abs(data.answer) + data.tolerance + 1;
    return [data.answer + off, -Math.sign(data.answer || 1) * off].map((v) => ({
      describe: `typed ${v}`, picked: [], act: () => form.locator('.quiz-input').fill(String(v)),
    }));
  }
  const right = rightChoices(data), wrong = wrongChoices(data);
  const sets = data.kind === 'single'
    ? [[wrong[0]], [wrong[1] ?? wrong[0]]]
    : [[wrong[0]], right.length > 1 ? [right[0]] : [right[0], wrong[0]]];
  return sets.map((picked) => ({ describe: `picked choice(s) ${picked.map((k) => k + 1).join(', ')}`, picked, act: () => pick(form, data, picked) }));
}

/** Gives the right answer to a single/multiple/numeric question (not yet checked). */
export async function answerRight(form, data) {
  if (data.kind === 'numeric') await form.locator('.quiz-input').fill(String(data.answer));
  else await pick(form, data, rightChoices(data));
}

/**
 * Sentences of the right answer's explanations that a learner who picked `picked` must not see:
 * the explanations of the right choices not picked, and the question's own. Only sentences that
 * appear nowhere else in the question (prompt, choices, wrong choices' explanations) count; plain
 * text without formulas, at least 20 characters.
 */
export async function secretSentences(form, data, picked = []) {
  const secret = [data.explain, ...(data.choices ?? []).filter((c, k) => c.correct && !picked.includes(k)).map((c) => c.explain)].filter(Boolean);
  const open = (data.choices ?? []).filter((c, k) => !c.correct || picked.includes(k)).map((c) => c.explain);
  return form.evaluate((el, { secret, open }) => {
    const plain = (html) => {
      const d = document.createElement('div');
      d.innerHTML = html;
      for (const k of d.querySelectorAll('.katex, .katex-display, sup, a')) k.replaceWith(' ');
      return d.textContent.replace(/\s+/g, ' ').trim();
    };
    const question = el.querySelector('fieldset').cloneNode(true);
    for (const shown of question.querySelectorAll('.quiz-explain, .quiz-mark, .quiz-feedback')) shown.remove();
    const known = [...open.map(plain), question.textContent.replace(/\s+/g, ' ')].join(' ');
    return secret.flatMap((html) => plain(html).split(/(?<=[.!?;:])\s+/))
      .map((s) => s.trim())
      .filter((s) => s.length >= 20 && !known.includes(s));
  }, { secret, open });
}

/** What a sighted learner and a screen reader get from the form: visible text and the accessibility tree. */
async function whatLearnerGets(form) {
  const visible = (await form.evaluate((el) => el.innerText)).replace(/\s+/g, ' ');
  const tree = (await form.ariaSnapshot()).replace(/\\(.)/g, '$1').replace(/\s+/g, ' ');
  return { visible, tree };
}

/**
 * After a wrong answer: the form says "wrong", marks only what was picked, shows no explanation of
 * a right choice or of the question, and neither the page nor the accessibility tree contains the
 * right answer's explanation (`secrets`: secretSentences taken before the check) or, for a
 * numeric question, the answer. `revealOffered`: whether "Show answer" should be visible by now.
 */
export async function assertNothingRevealed(form, data, { picked, secrets, revealOffered, label }) {
  assert.equal(await form.getAttribute('data-state'), 'wrong', `${label}: the answer is graded wrong`);
  const marked = await form.locator('.quiz-choice[data-result]').evaluateAll((lis) => lis.map((li) => [Number(li.dataset.choice), li.dataset.result]));
  for (const [k, result] of marked) {
    assert.ok(picked.includes(k), `${label}: choice ${k + 1}, not picked, is marked "${result}"`);
    assert.notEqual(result, 'revealed-correct', `${label}: a right choice is marked`);
    if (data.kind === 'single') assert.equal(result, 'picked-wrong', `${label}`);
  }
  assert.equal(await form.locator('.quiz-explain-all').count(), 0, `${label}: the question's explanation is shown`);
  assert.equal(await form.locator('.quiz-explain').count(), picked.length, `${label}: only the picked choices are explained`);
  const { visible, tree } = await whatLearnerGets(form);
  for (const s of secrets) {
    assert.ok(!visible.includes(s), `${label}: the page shows the right answer's explanation: "${s}"`);
    assert.ok(!tree.includes(s), `${label}: the accessibility tree holds the right answer's explanation: "${s}"`);
  }
  if (data.kind === 'numeric') {
    const said = (await form.locator('.quiz-feedback').textContent()).replace(/\(attempt \d+\)/, '');
    const typed = await form.locator('.quiz-input').inputValue();
    const answer = String(data.answer).replace('.', '\\.');
    if (!typed.includes(String(data.answer))) assert.doesNotMatch(said, new RegExp(`(^|[^\\d.])${answer}(?![\\d])`), `${label}: the feedback gives the number away`);
  }
  assert.equal(await form.locator('.quiz-reveal').isVisible(), revealOffered, `${label}: "Show answer" ${revealOffered ? 'is offered after a second wrong try' : 'is not offered yet'}`);
}

/**
 * The whole wrong-then-right round on one single/multiple/numeric question: two wrong answers
 * (each checked with assertNothingRevealed), then the right one, which must be graded correct and
 * show the explanation. `label` names the question in failures.
 */
export async function wrongThenRight(form, data, label) {
  for (const [i, wrong] of wrongAnswers(form, data).entries()) {
    const secrets = await secretSentences(form, data, wrong.picked);
    await wrong.act();
    await check(form);
    await assertNothingRevealed(form, data, { picked: wrong.picked, secrets, revealOffered: i >= 1, label: `${label}, ${wrong.describe}` });
  }
  await answerRight(form, data);
  assert.equal(await check(form), 'correct', `${label}: the right answer is graded correct`);
  if (data.explain) assert.equal(await form.locator('.quiz-explain-all').count(), 1, `${label}: the explanation shows once right`);
  assert.equal(await form.locator('.quiz-reveal').isVisible(), false, `${label}: no "Show answer" once right`);
}
