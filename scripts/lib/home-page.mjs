/**
 * The home page: course title and promise, course progress bar, the "Today" card (the next lesson
 * with its minutes, and how many review questions are due), the phases with their lessons (written lessons link to their page and
 * carry a status badge; the rest are "coming soon"), "Your progress" (export / import), and the
 * FAQ list. web/app/home.js fills the badges, the bar, the links and the buttons from saved progress.
 *
 * <script type="application/json" id="course-questions"> lists the built questions as
 * [[quizId, lessonNumber, kind, placement], …] in course order, so the review count skips
 * questions that no longer exist and counts review-only questions that are new today.
 */
import { escapeHtml, pageShell, scriptJson, titleHtml } from './html.mjs';
import { lessonPath } from './lesson-page.mjs';

/**
 * Render the home page.
 *   course: from loadCourse;  written: Set of lesson numbers that have a page;
 *   questions: [{ id, lesson, kind, placement }] of the built lessons in course order (optional);
 *   faqIds: the FAQ page's question anchors in course.yaml order, or null when there is no FAQ page.
 * Returns a full HTML document string.
 */
export function renderHomePage(course, written, questions = [], faqIds = null) {
  const total = course.lessons.length;
  const main = `<section class="hero" aria-labelledby="course-title">
<p class="eyebrow">Attention Lab · ${total} micro-lessons</p>
<h1 id="course-title">${escapeHtml(course.title)}</h1>
<p class="promise">${escapeHtml(course.promise)}</p>
<div class="course-progress">
<div class="progress" id="course-progress" role="progressbar" aria-label="Course progress" aria-valuemin="0" aria-valuemax="${total}" aria-valuenow="0" aria-valuetext="0 of ${total} lessons done"><div class="progress-fill"></div></div>
<p class="progress-text" id="course-progress-text">0 of ${total} lessons done</p>
</div>
${todayCard(course, written)}
</section>
<section class="course" id="lessons" aria-labelledby="lessons-heading">
<h2 id="lessons-heading">Lessons</h2>
${course.phases.map((phase) => phaseBlock(phase, written)).join('\n')}
</section>
${yourProgress()}
<section class="faq" aria-labelledby="faq-heading">
<h2 id="faq-heading">Frequently asked questions</h2>
<ul class="faq-list">
${course.faq.map((q, k) => (faqIds?.[k]
    ? `<li><a class="faq-question" href="faq/#${faqIds[k]}">${escapeHtml(q)}</a></li>`
    : `<li><span class="faq-question">${escapeHtml(q)}</span> <span class="badge badge-soon">Answer coming soon</span></li>`)).join('\n')}
</ul>
</section>
<script type="application/json" id="course-questions">${scriptJson(questions.map((q) => [q.id, q.lesson, q.kind, q.placement ?? 'page']))}</script>`;
  return pageShell({
    title: `${course.title} · Attention Lab`,
    description: course.promise,
    root: '',
    main,
    script: 'app/home.js',
    current: 'home',
  });
}

/**
 * The "Today" card for the daily format. Built for a new learner (start with the first written
 * lesson), so it is right without JavaScript or storage; web/app/home.js rewrites the lesson line
 * from saved progress and fills in the review count.
 */
function todayCard(course, written) {
  const first = course.lessons.find((l) => written.has(l.number));
  const start = first
    ? `<span class="continue-label">Start here:</span> <a class="continue-link" href="${lessonPath(first)}">Lesson ${first.number}: ${titleHtml(first.title)} <span class="continue-minutes">· ${first.minutes} min</span> →</a>`
    : '';
  return `<section class="today" id="today" aria-labelledby="today-heading">
<h2 id="today-heading">Today</h2>
<p class="continue" id="continue"${first ? '' : ' hidden'}>${start}</p>
<p class="review-teaser" id="review-teaser" hidden></p>
</section>`;
}

function phaseBlock(phase, written) {
  return `<section class="phase" aria-labelledby="phase-${phase.number}">
<h3 id="phase-${phase.number}"><span class="phase-number">Phase ${phase.number}</span> ${escapeHtml(phase.title)}</h3>
<p class="phase-outcome"><strong>Outcome:</strong> ${escapeHtml(phase.outcome)}</p>
<ol class="lesson-list">
${phase.lessons.map((l) => lessonItem(l, written.has(l.number))).join('\n')}
</ol>
</section>`;
}

function lessonItem(l, isWritten) {
  const title = isWritten
    ? `<a class="lesson-link" href="${lessonPath(l)}" data-lesson-link="${l.number}" data-minutes="${l.minutes}">${titleHtml(l.title)}</a>`
    : `<span class="lesson-title">${titleHtml(l.title)}</span>`;
  const badge = isWritten
    ? `<span class="badge" data-lesson-status="${l.number}" data-status="not-started">Not started</span>`
    : '<span class="badge badge-soon">Coming soon</span>';
  return `<li class="lesson-item${isWritten ? '' : ' is-soon'}" data-lesson="${l.number}">
<span class="lesson-number" aria-hidden="true">${l.number}</span>
<span class="lesson-main"><span class="visually-hidden">Lesson ${l.number}: </span>${title}
<span class="lesson-minutes">${l.minutes} min</span></span>
${badge}
</li>`;
}

function yourProgress() {
  return `<section class="your-progress" id="your-progress" aria-labelledby="your-progress-heading">
<h2 id="your-progress-heading">Your progress</h2>
<p>Your answers, completed lessons, last position and review schedule are saved in this browser only. Export them to a file to keep a copy or to carry on in another browser. Importing a file replaces the progress in this browser; a copy of the current progress is kept first, and you can undo the import.</p>
<div class="transfer-actions" id="transfer-actions" hidden>
<button type="button" class="button" id="export-progress">Export progress</button>
<button type="button" class="button button-secondary" id="import-progress">Import progress…</button>
<input type="file" id="import-file" accept=".json,application/json" aria-label="Progress file to import" hidden>
</div>
<p class="transfer-status" id="transfer-status" role="status"></p>
<p class="transfer-undo" id="transfer-undo" hidden><button type="button" class="button button-secondary" id="undo-import">Undo import</button></p>
<noscript><p>Export and import need JavaScript.</p></noscript>
</section>`;
}
