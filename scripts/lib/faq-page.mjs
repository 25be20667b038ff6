/**
 * The FAQ page (dist/faq/index.html) from lessons/faq.md.
 *
 * faq.md uses the lesson format without quizzes: YAML front matter (`title`, optional `intro`,
 * `sources`), then one `## Question text {#id}` heading per question of course.yaml `faq`, in the
 * same order and with exactly the same text; `{#id}` gives each answer a stable anchor (the home
 * page links to `faq/#id`). Widget tags on their own lines, $math$, footnotes [^KEY] and links to
 * lessons (`../lessons/NN-slug/`) work as on lesson pages, through the same markdown pipeline,
 * parser (lessons.mjs) and widget declarations (`static props`, parseProp) the lesson validator uses.
 * A link to a course lesson that has no page yet is rendered as plain text marked "coming soon".
 *
 * The page gets a table of contents and the numbered sources; its script (web/app/faq.js) defines
 * the widgets and makes wide boxes keyboard-scrollable, like a lesson page.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkWidgets } from './validate.mjs';
import { LessonSyntaxError, parseLesson } from './lessons.mjs';
import { createFootnoteState, createMarkdown, renderMath } from './markdown.mjs';
import { escapeHtml, pageShell } from './html.mjs';

/** The page's folder from the site root, and the root seen from the page. */
export const FAQ_PATH = 'faq/';
const ROOT = '../';
const FRONT_KEYS = ['title', 'intro', 'sources'];
const HEADING_ID = /\s*\{#([a-z][a-z0-9-]*)\}\s*$/;
const LESSON_LINK = /^\.\.\/lessons\/(\d{2})-([a-z0-9-]+)\/(#[A-Za-z0-9_-]+)?$/;


/**
 * Parse and check faq.md. Returns { faq, errors }: faq = { front, tokens, questions: [{ id, text }] }
 * (null when unparseable); errors are "<file>:<line>: message" lines.
 */
export function validateFaqSource(text, file, { course, widgets }) {
  const md = createMarkdown();
  const errors = [];
  const report = (line, message) => errors.push(`${file}${line ? `:${line}` : ''}: ${message}`);
  let parsed;
  try {
    parsed = parseLesson(text, file, md);
  } catch (err) {
    if (!(err instanceof LessonSyntaxError)) throw err;
    report(err.line, err.message);
    return { faq: null, errors };
  }
  const front = parsed.front;
  for (const key of Object.keys(front)) if (!FRONT_KEYS.includes(key)) report(1, `front matter: unknown key "${key}" (allowed: ${FRONT_KEYS.join(', ')})`);
  if (typeof front.title !== 'string' || !front.title.trim()) report(1, 'front matter: title must be a non-empty string');
  const sources = front.sources && typeof front.sources === 'object' && !Array.isArray(front.sources) ? front.sources : {};
  if (parsed.quizzes.length) report(parsed.quizzes[0].line, 'the FAQ has no quizzes (they belong in the lessons)');

  // questions: ## headings, course order, same text, stable unique ids
  const questions = [];
  const t = parsed.tokens;
  for (let i = 0; i < t.length; i++) {
    if (t[i].type !== 'heading_open' || t[i].tag !== 'h2') continue;
    const line = t[i].map ? parsed.bodyLine + t[i].map[0] : undefined;
    const content = t[i + 1].content;
    const m = HEADING_ID.exec(content);
    if (!m) report(line, `question heading "${content}" needs a stable id at its end, like {#query-key-value}`);
    questions.push({ id: m?.[1] ?? null, text: m ? content.slice(0, m.index) : content, line });
  }
  const want = course.faq;
  if (questions.length !== want.length) report(undefined, `course.yaml lists ${want.length} FAQ questions but faq.md has ${questions.length} "## " headings`);
  questions.forEach((q, k) => {
    if (k < want.length && q.text !== want[k]) report(q.line, `question ${k + 1} must read exactly "${want[k]}" (course.yaml), got "${q.text}"`);
    if (q.id && questions.findIndex((o) => o.id === q.id) !== k) report(q.line, `id "${q.id}" is used twice`);
  });

  for (const ref of parsed.footnotes)
    if (!Object.hasOwn(sources, ref.key)) report(ref.line, `unknown footnote key [^${ref.key}] (sources: ${Object.keys(sources).join(', ') || 'none'})`);
  for (const m of parsed.math) {
    try {
      renderMath(m.tex, m.display);
    } catch (err) {
      report(m.line, err.message);
    }
  }
  checkWidgets(parsed.widgets, widgets, report);
  checkLessonLinks(parsed, course, report);
  return { faq: { file, front, tokens: t, questions, md }, errors };
}

/** Every link of the form ../lessons/NN-slug/ must name a lesson of course.yaml. */
function checkLessonLinks(parsed, course, report) {
  for (const { href, line } of links(parsed)) {
    if (!href.startsWith('../lessons/')) continue;
    const m = LESSON_LINK.exec(href);
    const entry = m && course.lessons.find((l) => l.number === Number(m[1]));
    if (!m || !entry || entry.slug !== m[2]) report(line, `link ${href} does not name a lesson of course.yaml (../lessons/NN-slug/)`);
  }
}

function links(parsed) {
  const out = [];
  for (const token of parsed.tokens) {
    if (token.type !== 'inline') continue;
    const line = token.map ? parsed.bodyLine + token.map[0] : undefined;
    for (const c of token.children ?? []) if (c.type === 'link_open') out.push({ href: c.attrGet('href'), line });
  }
  return out;
}

/**
 * Render a validated FAQ to a full HTML document.
 *   faq: from validateFaqSource;  written: Set of lesson numbers with a page.
 */
export function renderFaqPage({ faq, written }) {
  const { md, front, tokens, questions } = faq;
  // stable ids on the question headings; the {#id} suffix is not shown
  let k = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== 'heading_open' || tokens[i].tag !== 'h2') continue;
    const q = questions[k++];
    tokens[i].attrSet('id', q.id);
    const inline = tokens[i + 1];
    inline.content = q.text;
    const last = inline.children[inline.children.length - 1];
    if (last?.type === 'text') last.content = last.content.replace(HEADING_ID, '');
  }
  const env = { footnotes: createFootnoteState(front.sources) };
  const rules = md.renderer.rules;
  const defaultOpen = rules.link_open ?? ((t, i, o, e, self) => self.renderToken(t, i, o));
  const defaultClose = rules.link_close ?? ((t, i, o, e, self) => self.renderToken(t, i, o));
  const soon = [];
  rules.link_open = (t, i, o, e, self) => {
    const m = LESSON_LINK.exec(t[i].attrGet('href') ?? '');
    if (m && !written.has(Number(m[1]))) {
      soon.push(i);
      return '<span class="link-soon">';
    }
    return defaultOpen(t, i, o, e, self);
  };
  rules.link_close = (t, i, o, e, self) => {
    // the matching open is the nearest earlier link_open in the same inline run
    let j = i - 1;
    while (j >= 0 && t[j].type !== 'link_open') j--;
    if (soon.includes(j)) return ' (coming soon)</span>';
    return defaultClose(t, i, o, e, self);
  };
  let prose;
  try {
    prose = md.renderer.render(tokens, md.options, env);
  } catch (err) {
    throw new Error(`${faq.file}: ${err.message}`);
  }
  const toc = `<nav class="faq-toc" aria-labelledby="faq-toc-heading">
<h2 id="faq-toc-heading">Questions</h2>
<ol>
${questions.map((q) => `<li><a href="#${q.id}">${escapeHtml(q.text)}</a></li>`).join('\n')}
</ol>
</nav>`;
  const main = `<article class="lesson faq-page">
<header class="lesson-header">
<h1>${escapeHtml(front.title)}</h1>
${front.intro ? `<p class="lesson-meta">${escapeHtml(front.intro)}</p>` : ''}
</header>
${toc}
<div class="prose">
${prose}</div>
${sourcesList(env.footnotes, md)}
</article>
<nav class="pager" aria-label="Course">
<span class="pager-prev"></span>
<a class="pager-home" href="${ROOT}">All lessons</a>
<span class="pager-next"></span>
</nav>`;
  return pageShell({
    title: `${front.title} · Attention Lab`,
    description: front.intro ?? 'Short, sourced answers to common questions about attention.',
    root: ROOT,
    main,
    current: 'faq',
    script: 'app/faq.js',
  });
}

/** The numbered sources, in order of first use (the same markup as a lesson page's list). */
function sourcesList(state, md) {
  const keys = [...state.order, ...Object.keys(state.sources).filter((key) => !state.order.includes(key))];
  if (keys.length === 0) return '';
  const items = keys.map((key) => {
    const back = state.uses[key] ? ` <a class="fn-back" href="#ref-${key}-1" aria-label="Back to the first reference">↩</a>` : '';
    return `<li id="source-${key}">${md.renderInline(String(state.sources[key]))}${back}</li>`;
  });
  return `<section class="sources" aria-labelledby="sources-heading">
<h2 id="sources-heading">Sources</h2>
<ol>
${items.join('\n')}
</ol>
</section>`;
}

/**
 * Read and validate `<lessonsDir>/faq.md`. Returns null when there is no FAQ file; throws an Error
 * listing every problem (one "file:line: message" per line) when it is invalid.
 */
export async function readFaq(lessonsDir, { course, widgets }) {
  const file = path.join(lessonsDir, 'faq.md');
  if (!existsSync(file)) return null;
  const rel = path.relative(process.cwd(), file);
  const { faq, errors } = validateFaqSource(await readFile(file, 'utf8'), rel.startsWith('..') ? file : rel, { course, widgets });
  if (errors.length) throw new Error(errors.join('\nbuild-site: '));
  return faq;
}

/** Write dist/faq/index.html (its script is web/app/faq.js); returns the question ids in course order. */
export async function writeFaqPage(out, faq, written) {
  const dir = path.join(out, FAQ_PATH);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'index.html'), renderFaqPage({ faq, written }));
  return faq.questions.map((q) => q.id);
}
