/**
 * Build-time HTML for one quiz question (a validated ```quiz block). The page gets an accessible
 * form; the grading data (correct choices, explanations as HTML) rides along as JSON for
 * web/app/quiz.js. Prompt, choices and explanations are inline Markdown with math.
 *
 * <form class="quiz" id="quiz-ID" data-quiz-id="ID" data-kind="single|multiple|numeric|widget">
 *   <fieldset class="quiz-fieldset">
 *     <legend class="quiz-prompt">…</legend>
 *     <ul class="quiz-choices"><li class="quiz-choice" data-choice="I"><input …><label …>…</label></li></ul>
 *       or <div class="quiz-numeric"><label for="ID-answer">…</label><input class="quiz-input" …></div>
 *       or <p class="quiz-widget-note">… (kind "widget": graded from a widget's live state)</p>
 *     <div class="quiz-actions"><button type="submit" class="quiz-check">Check</button>
 *       <button type="button" class="quiz-reveal …" hidden>Show answer</button></div>   (offered after two wrong tries)
 *     <div class="quiz-feedback" aria-live="polite" tabindex="-1"></div>
 *   </fieldset>
 *   <script type="application/json" class="quiz-data">{…}</script>
 * </form>
 */
import { escapeHtml, scriptJson } from './html.mjs';

/**
 * Render quiz `q` (validated data) as question `index` (1-based) of `total`. `inline(text)` renders
 * inline Markdown + math to HTML. Options: `label` replaces the "Question N of M" line (plain
 * text; the review page says which lesson the question is from). Returns an HTML string.
 */
export function renderQuiz(q, index, total, inline, { label } = {}) {
  const id = escapeHtml(q.id);
  const hint = q.kind === 'multiple' ? ' <span class="quiz-hint">Select all that apply.</span>' : '';
  const number = label === undefined ? `Question ${index} of ${total}` : escapeHtml(label);
  const legend = `<legend class="quiz-prompt"><span class="quiz-number">${number}</span> ${inline(q.prompt)}${hint}</legend>`;
  const body = q.kind === 'numeric' ? numericInput(id) : q.kind === 'widget' ? widgetNote(q) : choiceList(q, id, inline);
  const data = {
    id: q.id,
    kind: q.kind,
    explain: q.explain === undefined ? null : inline(q.explain),
    ...(q.kind === 'numeric'
      ? { answer: q.answer, tolerance: q.tolerance }
      : q.kind === 'widget'
      ? { widget: q.widget, check: q.check, args: q.args ?? {} }
      : { choices: q.choices.map((c) => ({ correct: c.correct === true, explain: inline(c.explain) })) }),
  };
  const optional = q.placement === 'deeper' ? ' data-placement="deeper"' : '';
  return `<form class="quiz" id="quiz-${id}" data-quiz-id="${id}" data-kind="${q.kind}"${optional} novalidate>
<fieldset class="quiz-fieldset">
${legend}
${body}
<div class="quiz-actions"><button type="submit" class="quiz-check">Check</button> <button type="button" class="quiz-reveal button button-secondary" hidden>Show answer</button></div>
<div class="quiz-feedback" aria-live="polite" tabindex="-1"></div>
</fieldset>
<script type="application/json" class="quiz-data">${scriptJson(data)}</script>
</form>
`;
}

function choiceList(q, id, inline) {
  const type = q.kind === 'single' ? 'radio' : 'checkbox';
  const items = q.choices.map((c, i) => `<li class="quiz-choice" data-choice="${i}">
<input type="${type}" name="${id}" id="${id}-c${i}" value="${i}">
<label for="${id}-c${i}">${inline(c.text)}</label>
</li>`);
  return `<ul class="quiz-choices">\n${items.join('\n')}\n</ul>`;
}

function widgetNote(q) {
  return `<p class="quiz-widget-note">Answer by using the widget <a href="#${escapeHtml(q.widget)}">above</a>, then press Check: the widget's live state is graded.</p>`;
}

function numericInput(id) {
  return `<div class="quiz-numeric">
<label for="${id}-answer">Your answer (a number)</label>
<input class="quiz-input" type="text" inputmode="decimal" autocomplete="off" spellcheck="false" id="${id}-answer" name="${id}">
</div>`;
}
