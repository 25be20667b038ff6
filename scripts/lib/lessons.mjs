/**
 * Parsing of the course catalog and of lesson files (see lessons/README.md). Parsing only
 * extracts; validate.mjs decides what is wrong. Both the site build and the lesson tests use these.
 *
 * Line numbers are 1-based lines of the lesson file.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { createMarkdown } from './markdown.mjs';

/** Lesson file names: `NN-slug.md`. */
export const LESSON_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

const TAG = /<(attn-[A-Za-z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const ENTITIES = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', '#39': "'" };

/** An error that carries the 1-based line it refers to (or undefined). */
export class LessonSyntaxError extends Error {
  constructor(message, line) {
    super(message);
    this.line = line;
  }
}

/**
 * Read and flatten course.yaml. Returns { title, promise, phases, faq, lessons } where lessons is
 * [{ number, slug, title, minutes, phase }] in course order. Throws a one-line Error naming the file
 * on bad YAML or a missing section.
 */
export async function loadCourse(file) {
  let course;
  try {
    course = loadYaml(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}:${(err.mark?.line ?? 0) + 1}: bad YAML: ${yamlReason(err)}`);
  }
  if (!Array.isArray(course?.phases) || !course.phases.every((p) => Array.isArray(p?.lessons)) || !Array.isArray(course.faq))
    throw new Error(`${file}: expected title, promise, phases (each with lessons) and faq`);
  const lessons = course.phases.flatMap((phase) => phase.lessons.map((l) => ({ ...l, phase: phase.number })));
  return { ...course, lessons };
}

/** List lesson files (`NN-slug.md`) in a directory, sorted by name. Returns absolute paths. */
export async function listLessonFiles(dir) {
  const names = await readdir(dir);
  return names.filter((n) => LESSON_FILE.test(n)).sort().map((n) => path.join(dir, n));
}

/**
 * Split a lesson into its YAML front matter and Markdown body.
 * Returns { data, body, bodyLine } (bodyLine: file line where the body starts).
 * Throws LessonSyntaxError when the front matter is missing, unterminated or bad YAML.
 */
export function parseFrontMatter(text) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0].trim() !== '---') throw new LessonSyntaxError('front matter: the file must start with a "---" line', 1);
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end === -1) throw new LessonSyntaxError('front matter: no closing "---" line', 1);
  let data;
  try {
    data = loadYaml(lines.slice(1, end).join('\n'));
  } catch (err) {
    throw new LessonSyntaxError(`front matter: bad YAML: ${yamlReason(err)}`, 2 + (err.mark?.line ?? 0));
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new LessonSyntaxError('front matter: must be a YAML mapping (key: value lines)', 2);
  return { data, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 };
}

/**
 * Parse the YAML of one ```quiz fence. Returns the question object (not yet validated).
 * Throws LessonSyntaxError on bad YAML or a non-mapping; `line` is the fence's first content line.
 */
export function parseQuizBlock(yaml, line) {
  let data;
  try {
    data = loadYaml(yaml);
  } catch (err) {
    throw new LessonSyntaxError(`quiz: bad YAML: ${yamlReason(err)}`, line + (err.mark?.line ?? 0));
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new LessonSyntaxError('quiz: the block must be a YAML mapping (id:, kind:, prompt: ...)', line);
  return data;
}

/**
 * Find every `<attn-*>` opening tag in HTML text. Returns [{ tag, attrs: [[name, value]] }] with
 * lower-cased names and entity-decoded values ('' for a bare attribute).
 */
export function findWidgetTagsInHtml(html) {
  const found = [];
  for (const m of html.matchAll(TAG)) {
    const attrs = [...m[2].matchAll(ATTR)].map((a) => [a[1].toLowerCase(), decode(a[2] ?? a[3] ?? a[4] ?? '')]);
    found.push({ tag: m[1].toLowerCase(), attrs });
  }
  return found;
}

/**
 * Parse a whole lesson file. Returns
 *   { file, front, body, bodyLine, tokens, quizzes: [{ data, line, token }],
 *     widgets: [{ tag, attrs, line }], footnotes: [{ key, line }], math: [{ tex, display, line }] }
 * Throws LessonSyntaxError for bad front matter or bad quiz YAML.
 */
export function parseLesson(text, file, md = createMarkdown()) {
  const { data, body, bodyLine } = parseFrontMatter(text);
  let tokens;
  try {
    tokens = md.parse(body, {});
  } catch (err) {
    if (err.bodyLine === undefined) throw err;
    throw new LessonSyntaxError(err.message, bodyLine + err.bodyLine);
  }
  const lesson = { file, front: data, body, bodyLine, tokens, quizzes: [], widgets: [], footnotes: [], math: [] };
  for (const token of tokens) {
    const line = token.map ? bodyLine + token.map[0] : undefined;
    if (token.type === 'fence' && token.info.trim() === 'quiz') {
      lesson.quizzes.push({ data: parseQuizBlock(token.content, line + 1), line, token });
    } else if (token.type === 'html_block') {
      for (const w of findWidgetTagsInHtml(token.content)) lesson.widgets.push({ ...w, line });
    } else if (token.type === 'math_block') {
      lesson.math.push({ tex: token.content, display: true, line });
    } else if (token.type === 'inline') {
      collectInline(token.children, line, lesson);
    }
  }
  return lesson;
}

/**
 * Collect footnote references and math from inline Markdown (a quiz prompt, choice or explanation).
 * Returns { footnotes: [{ key, line }], math: [{ tex, display, line }] }.
 */
export function scanInline(text, line, md = createMarkdown()) {
  const out = { widgets: [], footnotes: [], math: [] };
  for (const token of md.parseInline(String(text), {})) collectInline(token.children, line, out);
  return { footnotes: out.footnotes, math: out.math };
}

function collectInline(children, line, into) {
  for (const c of children ?? []) {
    if (c.type === 'footnote_ref') into.footnotes.push({ key: c.meta.key, line });
    else if (c.type === 'math_inline') into.math.push({ tex: c.content, display: false, line });
    else if (c.type === 'math_display_inline') into.math.push({ tex: c.content, display: true, line });
    else if (c.type === 'html_inline') for (const w of findWidgetTagsInHtml(c.content)) into.widgets.push({ ...w, line });
  }
}

function decode(value) {
  return value.replace(/&(amp|quot|apos|lt|gt|#39);/g, (_, name) => ENTITIES[name]);
}

function yamlReason(err) {
  return err.reason ?? String(err.message ?? err).split('\n')[0];
}
