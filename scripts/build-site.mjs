/**
 * Build the static site.
 *
 *   node scripts/build-site.mjs [--out dist] [--lessons DIR] [--course FILE]
 *
 * Deletes and recreates the output folder: index.html (home), lessons/NN-slug/index.html for every
 * lesson file, review/index.html (every question of every built lesson, for spaced review), the FAQ
 * and embed docs pages; the browser code of web/ as minified bundles with hashed names under assets/
 * (scripts/lib/bundle.mjs), the math font cut to the formulas on those pages, the service worker's
 * precache list, and a .gz and .br copy of every file worth compressing (served by scripts/serve.mjs).
 * Every lesson is validated first (scripts/lib/validate.mjs); on any error the build prints one
 * line per problem, naming the file, and exits with status 1 without writing pages.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { widgets } from '../web/widgets/index.js';
import { listLessonFiles, loadCourse } from './lib/lessons.mjs';
import { findDuplicateQuizIds, validateLessonSource } from './lib/validate.mjs';
import { createMarkdown } from './lib/markdown.mjs';
import { bundleSite, finishPage } from './lib/bundle.mjs';
import { mathCharacters, writeMathStyles } from './lib/math-font.mjs';
import { compressSite } from './lib/compress.mjs';
import { renderHomePage } from './lib/home-page.mjs';
import { lessonPath, renderLessonWithReview } from './lib/lesson-page.mjs';
import { REVIEW_PATH, REVIEW_ROOT, renderReviewPage } from './lib/review-page.mjs';
import { EMBED_DOCS_PATH, renderEmbedDocs } from './lib/embed-docs.mjs';
import { writePrecache } from './lib/precache.mjs';
import { readFaq, writeFaqPage } from './lib/faq-page.mjs';
import { writeModelPresets } from './lib/model-presets.mjs';

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
  // The course model's results for every preset of lessons 11, 12 and 14, so those pages draw without
  // loading the model (web/widgets/model-presets.js); bundled (hashed) with the other assets.
  const packs = await writeModelPresets(path.join(REPO, 'web'));
  console.log(`build-site: ${packs.length} trace packs of preset states (${packs.map((p) => `${path.basename(p.file)} ${(p.gz / 1024).toFixed(1)}`).join(', ')} KiB gzip)`);
  await bundleInto(out);
  // Last: the service worker's list of every file (with its hash) and the site version.
  const precache = await writePrecache(out);
  console.log(`build-site: sw.js precaches ${precache.count} files (${(precache.bytes / 1048576).toFixed(2)} MB), version ${precache.version}`);
  const packed = await compressSite(out);
  console.log(`build-site: ${packed.count} files precompressed (gzip ${(packed.gzip / 1024).toFixed(0)} KiB, brotli ${(packed.brotli / 1024).toFixed(0)} KiB in all)`);
}

/**
 * The pages are written: cut the math font to their formulas, bundle web/ into `out` and point every
 * page's links at the built files.
 */
async function bundleInto(out) {
  const pages = (await readdir(out, { recursive: true })).map(String).filter((f) => f.endsWith('.html'));
  const chars = new Set();
  for (const f of pages) mathCharacters(await readFile(path.join(out, f), 'utf8'), chars);
  const tmp = await mkdtemp(path.join(tmpdir(), 'attn-math-'));
  try {
    const web = path.join(REPO, 'web');
    const font = await writeMathStyles({ chars, css: await readFile(path.join(web, 'styles', 'math.css'), 'utf8'), outDir: tmp });
    // One render-blocking stylesheet per page: the site's, with the math styles (and font) in it.
    await writeFile(path.join(tmp, 'site.css'), `@import ${JSON.stringify(path.join(web, 'styles', 'site.css'))};\n@import "./math.css";\n`);
    const built = await bundleSite({ web, out, generatedCss: { 'styles/site.css': path.join(tmp, 'site.css'), 'styles/math.css': null } });
    for (const f of pages) await writeFile(path.join(out, f), finishPage(await readFile(path.join(out, f), 'utf8'), f, built));
    console.log(`build-site: ${built.assets} hashed files in assets/ (bundles, stylesheets, wasm, model data, a ${font.glyphs}-character math font)`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
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
 * folder that does not look like an earlier build (no sw.js and assets/), e.g. --out /tmp.
 */
function guardOutDir(out) {
  const within = (parent, child) => {
    const rel = path.relative(parent, child);
    return !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  const sources = ['web', 'lessons', 'scripts', 'node_modules'].map((d) => path.join(REPO, d));
  if (within(out, REPO) || sources.some((s) => within(s, out)))
    throw new Error(`--out ${out}: refusing to delete a folder that contains or is part of the sources`);
  // (vendor/katex/: the layout of builds before bundling)
  const earlierBuild = existsSync(path.join(out, 'sw.js')) && ['assets', 'vendor/katex'].some((d) => existsSync(path.join(out, d)));
  if (existsSync(out) && readdirSync(out).length > 0 && !earlierBuild)
    throw new Error(`--out ${out}: refusing to delete a non-empty folder that is not an earlier site build`);
}

main().catch((err) => {
  console.error(`build-site: ${err.message}`);
  process.exit(1);
});
