/**
 * The home page: course title and promise, course progress bar, the phases with their lessons
 * (written lessons link to their page and carry a status badge; the rest are "coming soon"),
 * and the FAQ list. web/app/home.js fills the badges and the bar from saved progress.
 */
import { escapeHtml, pageShell, titleHtml } from './html.mjs';
import { lessonPath } from './lesson-page.mjs';

/**
 * Render the home page.
 *   course: from loadCourse;  written: Set of lesson numbers that have a page.
 * Returns a full HTML document string.
 */
export function renderHomePage(course, written) {
  const total = course.lessons.length;
  const main = `<section class="hero" aria-labelledby="course-title">
<p class="eyebrow">Attention Lab · ${total} micro-lessons</p>
<h1 id="course-title">${escapeHtml(course.title)}</h1>
<p class="promise">${escapeHtml(course.promise)}</p>
<div class="course-progress">
<div class="progress" id="course-progress" role="progressbar" aria-label="Course progress" aria-valuemin="0" aria-valuemax="${total}" aria-valuenow="0" aria-valuetext="0 of ${total} lessons done"><div class="progress-fill"></div></div>
<p class="progress-text" id="course-progress-text">0 of ${total} lessons done</p>
</div>
<p class="continue" id="continue" hidden></p>
</section>
<section class="course" id="lessons" aria-labelledby="lessons-heading">
<h2 id="lessons-heading">Lessons</h2>
${course.phases.map((phase) => phaseBlock(phase, written)).join('\n')}
</section>
<section class="faq" aria-labelledby="faq-heading">
<h2 id="faq-heading">Frequently asked questions</h2>
<ul class="faq-list">
${course.faq.map((q) => `<li><span class="faq-question">${escapeHtml(q)}</span> <span class="badge badge-soon">Answer coming soon</span></li>`).join('\n')}
</ul>
</section>`;
  return pageShell({
    title: `${course.title} · Attention Lab`,
    description: course.promise,
    root: '',
    main,
    script: 'app/home.js',
    current: 'home',
  });
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
    ? `<a class="lesson-link" href="${lessonPath(l)}" data-lesson-link="${l.number}">${titleHtml(l.title)}</a>`
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
