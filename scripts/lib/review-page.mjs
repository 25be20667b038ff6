/**
 * The review page (dist/review/index.html): missed questions come back on a Leitner schedule
 * (web/app/leitner.js). The page ships every question of every built lesson inside inert
 * <template> elements; web/app/review.js clones the ones that are due into the queue.
 *
 *   <template class="review-item" data-quiz-id="ID" data-kind="single|multiple|numeric|widget"
 *             data-placement="page|review" data-lesson="N" data-order="K">
 *     <li class="review-card" data-quiz-id="ID" data-kind="…">
 *       <h3 class="review-from">…lesson link…</h3>
 *       <p class="review-meta"></p>                       (box and due day, filled by review.js)
 *       <form class="quiz" …>…</form>                     (the lesson page's form, same data; not for widget questions)
 *         or <div class="review-widget"><p class="review-widget-prompt">…</p><p>…"answer it on the lesson page" link</p></div>
 *       <p class="review-outcome" aria-live="polite" hidden></p>   (what the answer did to the box)
 *     </li>
 *   </template>
 *
 * data-order is the question's position in course order (lesson, then place on the page, then the
 * lesson's review-only questions). Review-only questions (placement "review") are never on a lesson
 * page; they join the deck as new cards once their lesson is completed (leitner.js newCards).
 */
import { escapeHtml, pageShell, titleHtml } from './html.mjs';
import { lessonPath } from './lesson-page.mjs';
import { INTERVAL_DAYS, RULES } from '../../web/app/leitner.js';

/** The review page's path from the site root, and the root seen from the page. */
export const REVIEW_PATH = 'review/';
export const REVIEW_ROOT = '../';

/**
 * Render the review page.
 *   course: from loadCourse;  items: review items of every built lesson in course order
 *   (from renderLessonWithReview, rendered with reviewRoot REVIEW_ROOT).
 * Returns a full HTML document string.
 */
export function renderReviewPage(course, items) {
  const main = `<section class="review-intro" aria-labelledby="review-title">
<p class="eyebrow">Attention Lab · spaced review</p>
<h1 id="review-title">Review</h1>
<p class="promise">Questions you answered wrong come back here, spaced out, with new questions from the lessons you completed: each time you get one right it moves up a box and waits longer before it returns.</p>
<p class="review-summary" id="review-summary" aria-live="polite">Loading your review…</p>
<noscript><p class="notice">The review needs JavaScript: it reads your answers from this browser's storage.</p></noscript>
</section>
<div class="empty-state" id="review-empty" hidden></div>
<section class="review-due" id="review-due" aria-labelledby="review-due-heading" hidden>
<h2 id="review-due-heading">Due now</h2>
<ol class="review-queue" id="review-queue"></ol>
</section>
<section class="review-later" id="review-later" aria-labelledby="review-later-heading" hidden>
<h2 id="review-later-heading">Coming up</h2>
<ul class="review-upcoming" id="review-upcoming"></ul>
</section>
${rulesSection()}
<div class="review-bank" id="review-bank">
${items.map((item, order) => template(item, order)).join('\n')}
</div>`;
  return pageShell({
    title: 'Review missed questions · Attention Lab',
    description: 'Questions you answered wrong come back, spaced out with Leitner boxes.',
    root: REVIEW_ROOT,
    main,
    script: 'app/review.js',
    current: 'review',
  });
}

function rulesSection() {
  const rows = INTERVAL_DAYS.map((d, i) => `<tr><th scope="row">Box ${i + 1}</th><td>${d === 1 ? 'every day' : `every ${d} days`}</td></tr>`);
  return `<section class="review-rules" aria-labelledby="review-rules-heading">
<h2 id="review-rules-heading">How review works</h2>
<p>Review uses <dfn>Leitner boxes</dfn>: five boxes, and a question travels up them as you get it right.</p>
<ul>
${RULES.map((r) => `<li>${escapeHtml(r)}</li>`).join('\n')}
</ul>
<table class="box-table">
<caption>How long a question waits in each box</caption>
<thead><tr><th scope="col">Box</th><th scope="col">Comes back</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<p>Answers given here are practice: they move questions between boxes but do not change your answers or completed lessons on the lesson pages. The schedule is saved in this browser with the rest of your progress, and travels with it when you export it from the <a href="${REVIEW_ROOT}#your-progress">course home page</a>.</p>
</section>`;
}

function template(item, order) {
  const { id, kind, entry, placement = 'page' } = item;
  const href = `${REVIEW_ROOT}${lessonPath(entry)}#quiz-${escapeHtml(id)}`;
  const from = `<h3 class="review-from"><span class="review-from-label">Lesson ${entry.number}:</span> <a href="${REVIEW_ROOT}${lessonPath(entry)}">${titleHtml(entry.title)}</a></h3>`;
  const body = item.formHtml
    ? item.formHtml.trim()
    : `<div class="review-widget">
<p class="review-widget-prompt">${item.promptHtml}</p>
<p class="review-widget-action">This question is answered with the interactive widget on its page: <a href="${href}">answer it on the lesson page</a>.</p>
</div>`;
  return `<template class="review-item" data-quiz-id="${escapeHtml(id)}" data-kind="${escapeHtml(kind)}" data-placement="${escapeHtml(placement)}" data-lesson="${entry.number}" data-order="${order}">
<li class="review-card" data-quiz-id="${escapeHtml(id)}" data-kind="${escapeHtml(kind)}">
${from}
<p class="review-meta"></p>
${body}
<p class="review-outcome" aria-live="polite" hidden></p>
</li>
</template>`;
}
