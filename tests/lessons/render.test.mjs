/**
 * Lesson rendering: math survives Markdown, footnotes are numbered by first use, quizzes become
 * accessible forms with safe embedded JSON, and math is MathML with no inline style (CSP-clean).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMarkdown } from '../../scripts/lib/markdown.mjs';
import { loadCourse, parseLesson } from '../../scripts/lib/lessons.mjs';
import { renderLessonPage } from '../../scripts/lib/lesson-page.mjs';
import { mathCharacters } from '../../scripts/lib/math-font.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const course = await loadCourse(path.join(REPO, 'lessons', 'course.yaml'));
const entry = course.lessons.find((l) => l.number === 3);

const LESSON = `---
number: 3
title: "${entry.title.replace(/"/g, '\\"')}"
minutes: ${entry.minutes}
recap: "Aligned arrows give $a \\\\cdot b > 0$."
sources:
  A: "Source *A*."
  B: "Source B."
---

Math $a_i * b_j$ and *real emphasis*; a price of $5 and $10 is text[^B]. Again[^A] and again[^B].

<attn-score-matrix heads="2"></attn-score-matrix>

\`\`\`quiz
id: r-one
kind: single
prompt: "Pick <b>one</b>"
choices:
  - text: "Right </script><script>alert(1)</script>"
    correct: true
    explain: "Yes, $x_1$."
  - text: "Wrong"
    explain: "No."
\`\`\`

\`\`\`quiz
id: r-num
kind: numeric
prompt: "How many?"
answer: 25
tolerance: 0.5
explain: "Twenty-five."
\`\`\`
`;

function render(text = LESSON) {
  const md = createMarkdown();
  const lesson = parseLesson(text, 'lessons/03-dot-product.md', md);
  return renderLessonPage({ lesson, entry, prev: null, next: null, md });
}

test('math is protected from emphasis; a lone dollar stays text', () => {
  const html = render();
  assert.match(html, /<msub><mi>a<\/mi><mi>i<\/mi><\/msub><mo>∗<\/mo><msub><mi>b<\/mi><mi>j<\/mi><\/msub>/);
  assert.match(html, /<em>real emphasis<\/em>/);
  assert.equal((html.match(/<em>/g) ?? []).length, 2, 'only the real emphasis and the italic source title');
  assert.match(html, /a price of \$5 and \$10 is text/);
});

test('footnotes are numbered in order of first use and listed under Sources', () => {
  const html = render();
  const refs = [...html.matchAll(/<a href="#source-(\w+)" id="ref-\w+-\d+" aria-label="Source (\d)">\[(\d)\]<\/a>/g)].map((m) => `${m[1]}${m[3]}`);
  assert.deepEqual(refs, ['B1', 'A2', 'B1']);
  const sources = html.slice(html.indexOf('<h2 id="sources-heading">Sources</h2>'));
  assert.ok(sources.indexOf('id="source-B"') < sources.indexOf('id="source-A"'));
});

test('an unknown footnote key fails the render with the file name', () => {
  assert.throws(() => render(LESSON.replace('Again[^A]', 'Again[^Z]')), /^Error: lessons\/03-dot-product\.md: unknown footnote key \[\^Z\]/);
});

test('a widget on its own line becomes a widget block', () => {
  assert.match(render(), /<div class="widget"><attn-score-matrix heads="2"><\/attn-score-matrix><\/div>/);
});

test('quizzes render as accessible forms with safe JSON', () => {
  const html = render();
  assert.match(html, /<form class="quiz" id="quiz-r-one" data-quiz-id="r-one" data-kind="single" novalidate>\n<fieldset class="quiz-fieldset">\n<legend class="quiz-prompt">/);
  assert.match(html, /<input type="radio" name="r-one" id="r-one-c0" value="0">\n<label for="r-one-c0">/);
  assert.match(html, /<label for="r-num-answer">Your answer \(a number\)<\/label>\n<input class="quiz-input" type="text" inputmode="decimal"[^>]* id="r-num-answer"/);
  assert.equal((html.match(/<button type="submit" class="quiz-check">Check<\/button>/g) ?? []).length, 2);
  assert.equal((html.match(/<div class="quiz-feedback" aria-live="polite" tabindex="-1"><\/div>/g) ?? []).length, 2);
  assert.equal((html.match(/<button type="button" class="quiz-reveal button button-secondary" hidden>Show answer<\/button>/g) ?? []).length, 2, '"Show answer" is offered only later, by the runtime');
  const blocks = [...html.matchAll(/<script type="application\/json" class="quiz-data">(.*?)<\/script>/g)].map((m) => m[1]);
  assert.equal(blocks.length, 2);
  for (const b of blocks) assert.ok(!b.includes('<'), 'no raw < inside the JSON');
  const one = JSON.parse(blocks[0]);
  assert.deepEqual(one.choices.map((c) => c.correct), [true, false]);
  assert.match(one.choices[0].explain, /<math>/);
  assert.deepEqual({ ...JSON.parse(blocks[1]), explain: null }, { id: 'r-num', kind: 'numeric', explain: null, answer: 25, tolerance: 0.5 });
});

test('the page shell uses relative URLs and no external resources', () => {
  const html = render();
  assert.match(html, /<html lang="en">/);
  assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.match(html, /<link rel="stylesheet" href="\.\.\/\.\.\/styles\/site\.css">/);
  assert.match(html, /<script type="module" src="\.\.\/\.\.\/app\/lesson\.js"><\/script>/);
  assert.match(html, /<a class="skip-link" href="#main">/);
  assert.match(html, /<aside class="recap" aria-labelledby="recap-heading">\n<h2 id="recap-heading">Recap<\/h2>/);
  assert.doesNotMatch(html, /(?:src|href)="(?:https?:)?\/\//);
});

test('math is MathML only: no inline style, no KaTeX HTML, no TeX source left in the page text', () => {
  const html = render();
  assert.match(html, /<math><msub><mi>a<\/mi><mi>i<\/mi><\/msub>/);
  assert.doesNotMatch(html, /\sstyle="/, 'a strict style-src policy refuses inline style attributes');
  assert.doesNotMatch(html, /katex-html|<annotation|<semantics|class="katex"/);
  const chars = mathCharacters(html);
  assert.ok(['a', 'i', '∗', 'b', 'j'].every((c) => chars.has(c)), [...chars].join(''));
  assert.ok(!chars.has('<') && !chars.has('_'), 'tags and TeX are not counted as characters of the formulas');
});

test('the math font keeps the radical sign that <msqrt> draws though no text of the formula holds it', async () => {
  const { renderMath } = await import('../../scripts/lib/markdown.mjs');
  const html = renderMath('\\sqrt{5} \\approx 2.24', false);
  assert.doesNotMatch(html.replace(/<[^>]*>/g, ''), /√/, 'KaTeX MathML has no √ character in the text of a root');
  assert.ok(mathCharacters(html).has('√'), 'without U+221A in the subset Chromium draws the root with no sign');
  assert.ok(!mathCharacters(renderMath('x^2', false)).has('√'));
});

test('display math is a scrollable block; a bad formula names itself', async () => {
  const { renderMath } = await import('../../scripts/lib/markdown.mjs');
  assert.equal(renderMath('x^2', true), '<span class="katex-display"><math display="block"><msup><mi>x</mi><mn>2</mn></msup></math></span>');
  assert.equal(renderMath('(a)(b)', false), '<math><mo stretchy="false">(</mo><mi>a</mi><mo stretchy="false">)</mo><mo stretchy="false">(</mo><mi>b</mi><mo stretchy="false">)</mo></math>');
  assert.match(renderMath('{a}{b}', false), /^<math>/);
  assert.throws(() => renderMath('\\frac{1}', false), /^Error: math "\\frac\{1\}": /);
  // a sign after a comma or an opening bracket is a prefix; after a closing bracket, a binary minus
  assert.match(renderMath('(1, -1) - (-2)', false), /<mo separator="true">,<\/mo><mo form="prefix">−<\/mo><mn>1<\/mn><mo stretchy="false">\)<\/mo><mo>−<\/mo><mo stretchy="false">\(<\/mo><mo form="prefix">−<\/mo><mn>2<\/mn>/);
  // "cos θ" keeps TeX's thin space; "softmax(x)" does not get one
  assert.match(renderMath('\\cos\\theta', false), /<mi>cos<\/mi><mo rspace="0.1667em">\u2061<\/mo><mi>θ<\/mi>/);
  assert.match(renderMath('\\operatorname{softmax}(x)', false), /<mo>\u2061<\/mo><mo stretchy="false">\(/);
});
