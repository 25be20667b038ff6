/**
 * Lesson pacing: does a lesson's main path fit its minutes?
 *
 * The rule (lessons/README.md, "Pacing"): a learner reads 200 words a minute and spends one minute
 * per widget task. The main path is
 *   - the prose outside "Go deeper" sections (`::: deeper Title` ... `:::`), where a formula counts
 *     as one word and widget tags, footnote markers and quiz blocks count nothing;
 *   - every question on the page (`placement: page`, the default): its prompt, the text of every
 *     choice, and the explanation of the right answer (numeric and widget questions: prompt and
 *     explanation). Questions with `placement: review` live in the review deck, not on the page;
 *   - widget tasks: one per widget question on the page, plus one per main-path widget that no
 *     question on the page names (driving a widget takes time even when nothing is graded).
 * Wrong-answer explanations are not counted: a learner reads them only after a wrong pick.
 */

export const WORDS_PER_MINUTE = 200;
/** How many questions a lesson keeps on its page; the rest go to the review deck. */
export const PAGE_QUESTIONS = { min: 3, max: 4 };

/** Words in a piece of lesson Markdown: quiz blocks, HTML tags and footnote markers removed, each formula one word. */
export function countWords(markdown) {
  const text = String(markdown ?? '')
    .replace(/```quiz[\s\S]*?```/g, ' ')
    .replace(/\$\$[\s\S]*?\$\$/g, ' F ')
    .replace(/\$[^$\n]+\$/g, ' F ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\[\^[^\]]+\]/g, ' ');
  return text.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;
}

/**
 * Where a question is shown: 'page' (default: on the main path, needed for completion), 'review'
 * (only in the review deck) or 'deeper' (inside its "Go deeper" section, beside the widget it asks
 * about: off the main path, so neither timed nor needed to complete the lesson).
 */
export function placementOf(quiz) {
  return quiz?.placement === 'review' || quiz?.placement === 'deeper' ? quiz.placement : 'page';
}

/**
 * The 1-based file line ranges [first, last] of the lesson's "Go deeper" sections, from the parsed
 * tokens (lesson from lessons.mjs parseLesson).
 */
export function deeperRanges(lesson) {
  return lesson.tokens
    .filter((t) => t.type === 'deeper_open' && t.map)
    .map((t) => [lesson.bodyLine + t.map[0], lesson.bodyLine + t.map[1] - 1]);
}

/** Is file line `line` inside one of `ranges`? */
export function insideRanges(line, ranges) {
  return line !== undefined && ranges.some(([a, b]) => line >= a && line <= b);
}

/** The body without the inside of every "Go deeper" section (its title line stays: it is visible). */
function mainPathBody(lesson, ranges) {
  const inside = ranges.map(([a, b]) => [a + 1, b]);
  return lesson.body
    .split('\n')
    .filter((_, i) => !insideRanges(lesson.bodyLine + i, inside))
    .join('\n');
}

/** Words a learner reads for one question on the page. */
export function questionWords(q) {
  const parts = [q.prompt];
  if (Array.isArray(q.choices)) {
    for (const c of q.choices) {
      parts.push(c?.text);
      if (c?.correct === true) parts.push(c.explain);
    }
  } else {
    parts.push(q.explain);
  }
  return parts.reduce((n, t) => n + countWords(t), 0);
}

/**
 * The pacing estimate of a parsed lesson:
 *   { budget, minutes, proseWords, quizWords, deeperWords, pageQuestions, reviewQuestions, deeperQuestions, widgetTasks }
 * minutes = (proseWords + quizWords) / 200 + widgetTasks, rounded to a tenth.
 */
export function pacing(lesson) {
  const ranges = deeperRanges(lesson);
  const proseWords = countWords(mainPathBody(lesson, ranges));
  const deeperWords = countWords(lesson.body) - proseWords;
  const onPage = lesson.quizzes.filter(({ data }) => placementOf(data) === 'page');
  const quizWords = onPage.reduce((n, { data }) => n + questionWords(data), 0);
  const widgetQuestions = onPage.filter(({ data }) => data.kind === 'widget');
  const named = new Set(widgetQuestions.map(({ data }) => data.widget));
  const idOf = (w) => w.attrs.find(([k]) => k === 'id')?.[1];
  const mainWidgets = lesson.widgets.filter((w) => !insideRanges(w.line, ranges));
  const widgetTasks = widgetQuestions.length + mainWidgets.filter((w) => !named.has(idOf(w))).length;
  const minutes = Math.round(((proseWords + quizWords) / WORDS_PER_MINUTE + widgetTasks) * 10) / 10;
  return {
    budget: lesson.front.minutes,
    minutes,
    proseWords,
    quizWords,
    deeperWords,
    pageQuestions: onPage.length,
    reviewQuestions: lesson.quizzes.filter(({ data }) => placementOf(data) === 'review').length,
    deeperQuestions: lesson.quizzes.filter(({ data }) => placementOf(data) === 'deeper').length,
    widgetTasks,
  };
}
