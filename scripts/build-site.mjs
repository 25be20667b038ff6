/**
 * Build the static site.
 *
 *   node scripts/build-site.mjs [--out dist] [--lessons DIR] [--course FILE]
 *
 * Deletes and recreates the output folder: web/ copied verbatim, KaTeX css + woff2 fonts under
 * vendor/katex/, index.html (home), lessons/NN-slug/index.html for every lesson file, and
 * review/index.html (every question of every built lesson, for spaced review).
 * Every lesson is validated first (scripts/lib/validate.mjs); on any error the build prints one
 * line per problem, naming the file, and exits with status 1 without writing pages.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { widgets } from '../web/widgets/index.js';
import { listLessonFiles, loadCourse } from './lib/lessons.mjs';
import { findDuplicateQuizIds, validateLessonSource } from './lib/validate.mjs';
import { createMarkdown } from './lib/markdown.mjs';
import { copyKatexAssets } from './lib/katex-assets.mjs';
import { renderHomePage } from './lib/home-page.mjs';
import { lessonPath, renderLessonWithReview } from './lib/lesson-page.mjs';
import { REVIEW_PATH, REVIEW_ROOT, renderReviewPage } from './lib/review-page.mjs';
import { EMBED_DOCS_PATH, renderEmbedDocs } from './lib/embed-docs.mjs';
import { writePrecache } from './lib/precache.mjs';
import { readFaq, writeFaqPage } from './lib/faq-page.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: path.join(REPO, 'dist') },
      lessons: { type: 'string', default: path.join(REPO, 'lessons') },
      course: { type: 'string', default: path.join(REPO, 'lessons', 'course.yaml') },
    },
  });
  const out = path.resolve(values.out);
  guardOutDir(out);
  const course = await loadCourse(values.course);
  const entries = await readLessons(path.resolve(values.lessons), course);
  const faq = await readFaq(path.resolve(values.lessons), { course, widgets }); // lessons/faq.md, validated before anything is written

  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await cp(path.join(REPO, 'web'), out, { recursive: true });
  await copyKatexAssets(path.join(REPO, 'node_modules', 'katex', 'dist'), path.join(out, 'vendor', 'katex'));

  const written = entries.map((e) => e.entry).sort((a, b) => a.number - b.number);
  const reviewItems = [];
  for (const { lesson, entry, md } of [...entries].sort((a, b) => a.entry.number - b.entry.number)) {
    const i = written.indexOf(entry);
    const { html, review } = renderLessonWithReview({ lesson, entry, prev: written[i - 1] ?? null, next: written[i + 1] ?? null, md, reviewRoot: REVIEW_ROOT });
    reviewItems.push(...review);
    const dir = path.join(out, lessonPath(entry));
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.html'), html);
  }
  const questions = reviewItems.map((q) => ({ id: q.id, lesson: q.entry.number, kind: q.kind, placement: q.placement }));
  const faqIds = faq ? await writeFaqPage(out, faq, new Set(written.map((l) => l.number))) : null;
  await writeFile(path.join(out, 'index.html'), renderHomePage(course, new Set(written.map((l) => l.number)), questions, faqIds));
  await mkdir(path.join(out, REVIEW_PATH), { recursive: true });
  await writeFile(path.join(out, REVIEW_PATH, 'index.html'), renderReviewPage(course, reviewItems));
  await mkdir(path.join(out, EMBED_DOCS_PATH), { recursive: true });
  await writeFile(path.join(out, EMBED_DOCS_PATH, 'index.html'), renderEmbedDocs(widgets, { course, written: new Set(written.map((l) => l.number)) }));
  console.log(`build-site: ${entries.length} lesson page(s), home page and review page (${reviewItems.length} questions) written to ${out}`);
  // Last: the service worker's list of every file (with its hash) and the site version.
  const precache = await writePrecache(out);
  console.log(`build-site: sw.js precaches ${precache.count} files (${(precache.bytes / 1048576).toFixed(2)} MB), version ${precache.version}`);
}

/** Read, parse and validate every lesson file; exits the process on any error. */
async function readLessons(dir, course) {
  const files = await listLessonFiles(dir);
  const entries = [];
  const errors = [];
  for (const file of files) {
    const rel = path.relative(process.cwd(), file);
    const shown = rel.startsWith('..') ? file : rel;
    const { lesson, errors: found } = validateLessonSource(await readFile(file, 'utf8'), shown, { course, widgets });
    errors.push(...found);
    if (lesson && found.length === 0) {
      const entry = course.lessons.find((l) => l.number === lesson.front.number);
      entries.push({ file: shown, lesson, entry });
    }
  }
  errors.push(...findDuplicateQuizIds(entries));
  if (errors.length) {
    for (const e of errors) console.error(`build-site: ${e}`);
    process.exit(1);
  }
  const md = createMarkdown();
  return entries.map((e) => ({ ...e, md }));
}

/**
 * Refuse to delete a folder that holds the sources (e.g. --out . or --out web), or any non-empty
 * folder that does not look like an earlier build (no vendor/katex/katex.min.css), e.g. --out /tmp.
 */
function guardOutDir(out) {
  const within = (parent, child) => {
    const rel = path.relative(parent, child);
    return !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  const sources = ['web', 'lessons', 'scripts', 'node_modules'].map((d) => path.join(REPO, d));
  if (within(out, REPO) || sources.some((s) => within(s, out)))
    throw new Error(`--out ${out}: refusing to delete a folder that contains or is part of the sources`);
  const earlierBuild = existsSync(path.join(out, 'vendor', 'katex', 'katex.min.css'));
  if (existsSync(out) && readdirSync(out).length > 0 && !earlierBuild)
    throw new Error(`--out ${out}: refusing to delete a non-empty folder that is not an earlier site build`);
}

main().catch((err) => {
  console.error(`build-site: ${err.message}`);
  process.exit(1);
});
