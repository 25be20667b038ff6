/**
 * The page for one lesson: header (title, "Lesson N · Phase P · M min"), prose with widgets and
 * quizzes, the recap box, a completion message, the numbered sources, and prev/next navigation.
 * Written to dist/lessons/NN-slug/index.html, so the site root is '../../'.
 */
import { pageShell, titleHtml, titleText } from './html.mjs';
import { createFootnoteState } from './markdown.mjs';
import { renderQuiz } from './quiz-html.mjs';
import { placementOf } from './pacing.mjs';

const ROOT = '../../';

/** Directory of a lesson's page relative to the site root, e.g. "lessons/07-pairwise-scores/". */
export function lessonPath(entry) {
  return `lessons/${String(entry.number).padStart(2, '0')}-${entry.slug}/`;
}

/**
 * Render a validated lesson to a full HTML document.
 *   lesson: from parseLesson;  entry: its course.yaml lesson ({ number, slug, title, minutes, phase });
 *   prev/next: neighbouring written lessons' entries or null;  md: the markdown-it used to parse it.
 * Throws (with the lesson's file name) if a formula or footnote fails to render.
 */
export function renderLessonPage({ lesson, entry, prev, next, md }) {
  return renderLesson({ lesson, entry, prev, next, md }).html;
}

/**
 * Render a lesson page and the review items of its questions (for the review page, whose
 * relative root is `reviewRoot`). Footnote numbers in the items match the lesson page's Sources
 * list and link to it. Returns
 *   { html, review: [{ id, kind, placement, index, total, entry, formHtml, promptHtml }] }
 * with every question of the lesson, those on the page first (in page order), then the
 * review-only ones (`placement: review`, not on the page); index/total count within each group.
 * formHtml is the quiz form (null for widget questions, which are only answerable on their page).
 */
export function renderLessonWithReview({ lesson, entry, prev, next, md, reviewRoot = '../' }) {
  const { html, footnotes } = renderLesson({ lesson, entry, prev, next, md });
  const env = { footnotes: createFootnoteState(lesson.front.sources, { order: footnotes.order, linkBase: `${reviewRoot}${lessonPath(entry)}` }) };
  const inline = (text) => md.renderInline(String(text), env);
  const groups = ['page', 'review'].map((placement) => lesson.quizzes.filter(({ data }) => placementOf(data) === placement));
  try {
    const review = groups.flatMap((group) => group.map(({ data }, i) => {
      const placement = placementOf(data);
      const label = placement === 'page' ? `Lesson ${entry.number}, question ${i + 1}` : `Lesson ${entry.number}, review question ${i + 1}`;
      return {
        id: data.id,
        kind: data.kind,
        placement,
        index: i + 1,
        total: group.length,
        entry,
        formHtml: data.kind === 'widget' ? null : renderQuiz(data, i + 1, group.length, inline, { label }),
        promptHtml: inline(data.prompt),
      };
    }));
    return { html, review };
  } catch (err) {
    throw new Error(`${lesson.file}: ${err.message}`);
  }
}

function renderLesson({ lesson, entry, prev, next, md }) {
  const env = { footnotes: createFootnoteState(lesson.front.sources) };
  const inline = (text) => md.renderInline(String(text), env);
  // Page questions are rendered and numbered; a "Go deeper" section's own questions are rendered
  // where they stand, marked optional; review-only ones live in the review deck.
  const onPage = lesson.quizzes.filter(({ data }) => placementOf(data) === 'page');
  const deeper = lesson.quizzes.filter(({ data }) => placementOf(data) === 'deeper');
  env.renderQuiz = (token) => {
    const i = onPage.findIndex((q) => q.token === token);
    if (i !== -1) return renderQuiz(onPage[i].data, i + 1, onPage.length, inline);
    const d = deeper.find((q) => q.token === token);
    return d ? renderQuiz(d.data, 1, 1, inline, { label: 'Go deeper question (optional)' }) : '';
  };
  let prose;
  let recap;
  try {
    prose = md.renderer.render(lesson.tokens, md.options, env);
    recap = inline(lesson.front.recap);
  } catch (err) {
    throw new Error(`${lesson.file}: ${err.message}`);
  }
  const main = `<article class="lesson">
<header class="lesson-header">
<h1>${titleHtml(entry.title)}</h1>
<p class="lesson-meta">Lesson ${entry.number} · Phase ${entry.phase} · ${entry.minutes} min</p>
</header>
<div class="prose">
${prose}</div>
<aside class="recap" aria-labelledby="recap-heading">
<h2 id="recap-heading">Recap</h2>
<p>${recap}</p>
</aside>
<p class="lesson-complete" role="status" hidden></p>
${sourcesList(env.footnotes, md)}
</article>
${pager(prev, next)}`;
  const html = pageShell({
    title: `Lesson ${entry.number}: ${titleText(entry.title)} · Attention Lab`,
    description: lesson.front.recap,
    root: ROOT,
    main,
    script: 'app/lesson.js',
    mainAttrs: ` data-lesson="${entry.number}"`,
  });
  return { html, footnotes: env.footnotes };
}

function sourcesList(state, md) {
  const keys = [...state.order, ...Object.keys(state.sources).filter((k) => !state.order.includes(k))];
  if (keys.length === 0) return '';
  const items = keys.map((key) => {
    const back = state.uses[key]
      ? ` <a class="fn-back" href="#ref-${key}-1" aria-label="Back to the first reference">↩</a>`
      : '';
    return `<li id="source-${key}">${md.renderInline(String(state.sources[key]))}${back}</li>`;
  });
  return `<section class="sources" aria-labelledby="sources-heading">
<h2 id="sources-heading">Sources</h2>
<ol>
${items.join('\n')}
</ol>
</section>`;
}

function pager(prev, next) {
  const link = (entry, rel, label) =>
    `<a class="pager-${rel}" rel="${rel}" href="${ROOT}${lessonPath(entry)}"><span class="pager-label">${label}</span> <span class="pager-title">${titleHtml(entry.title)}</span></a>`;
  return `<nav class="pager" aria-label="Lessons">
${prev ? link(prev, 'prev', `← Lesson ${prev.number}`) : '<span class="pager-prev"></span>'}
<a class="pager-home" href="${ROOT}">All lessons</a>
${next ? link(next, 'next', `Lesson ${next.number} →`) : '<span class="pager-next"></span>'}
</nav>`;
}
