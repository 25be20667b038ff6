/**
 * The browser code and assets of the built site, as dist/ serves them.
 *
 * web/ holds plain ES modules (node tests import them as they are); the build turns them into
 * minified esbuild bundles under dist/assets/ with content-hashed names, so a server may cache them
 * for a year (scripts/serve.mjs does). Each page script is an entry; every widget is its own file,
 * loaded by the registry (web/widgets/registry.js) only when its tag is on the page; code shared by
 * several of them goes into shared chunks. Stylesheets are minified and hashed the same way.
 *
 * How modules find the files they ship with. A module names a file by a string literal holding its
 * path relative to the module: `new URL('./widgets.css', import.meta.url)`, `'../model/model.bin'`,
 * or a bare name next to it (`static styles = ['softmax-bars.css']`). The build replaces each such
 * literal that names an existing .css/.wasm/.bin/.json/.woff2 file under web/ by the hashed file's
 * path relative to dist/assets/, where every bundle lives, and copies that file there. Paths that
 * climb to the site root (`new URL('../sw.js', import.meta.url)`) keep working because every
 * module that uses import.meta.url sits one folder below web/, as its bundle sits one folder below
 * dist/ (the build checks this).
 *
 * Stable names, for URLs others keep: embed.js (the blog registry, at the site root), embed-classic.js
 * and embed-resize.js (minified), sw.js, manifest.webmanifest, icons/ and embed.html (its script and
 * stylesheet links rewritten to the hashed files).
 */
import { build, transform } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Folder (under the site root) of every hashed file. */
export const ASSET_DIR = 'assets';

/** ATTN_MINIFY=0 leaves the page and widget bundles readable (for profiling: function names survive). */
const MINIFY = process.env.ATTN_MINIFY !== '0';

/** Page scripts: bundle name -> source path relative to web/. */
export const ENTRIES = {
  lesson: 'app/lesson.js',
  home: 'app/home.js',
  review: 'app/review.js',
  faq: 'app/faq.js',
  'embed-docs': 'app/embed-docs.js',
  'embed-frame': 'app/embed-frame.js',
  'sw-register': 'app/sw-register.js',
  // Not loaded by a page of its own: shares its code (and its running state) with the lesson script,
  // so tests and tools can reach hashForWidget / startDeepLinks in the built site.
  deeplink: 'app/deeplink.js',
};

/**
 * Web Worker scripts (source paths relative to web/), module workers bundled with the page scripts, so
 * what they share with pages (the course-model module's loader, ~11 KiB gzip) is one shared chunk
 * instead of a second copy inside the worker. A module starts one with
 * `new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' })`; the build replaces
 * that literal by the worker's hashed bundle, which sits in assets/ beside it.
 */
export const WORKERS = ['widgets/train-worker.js'];
const WORKER_LITERAL = /(['"`])(\.\/[\w.-]+-worker\.js)\1/g;

const COPIED = ['sw.js', 'manifest.webmanifest', 'icons'];
const MINIFIED = ['embed-classic.js', 'embed-resize.js'];
const STATIC_HTML = ['embed.html'];
const ASSET_LITERAL = /(['"`])((?:\.{1,2}\/)*[A-Za-z0-9_][\w.-]*(?:\/[\w.-]+)*\.(?:css|wasm|bin|json|woff2))\1/g;

const toPosix = (p) => p.split(path.sep).join('/');

/** `name-<8 hex of sha256>.ext` for a file's bytes. */
export function hashedName(file, bytes) {
  const ext = path.extname(file);
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 8);
  return `${path.basename(file, ext)}-${hash}${ext}`;
}

/** Every *.css file under `dir`, as absolute paths. */
async function cssFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.css')).map((e) => path.join(e.parentPath ?? e.path, e.name)).sort();
}

/**
 * Build web/ into `out` (which must exist and be empty of earlier bundles). `generatedCss` maps a
 * stylesheet's path under web/ to a file made by the build that replaces it (e.g. 'styles/site.css'
 * with the math styles, whose font is cut to the formulas on the pages), or to null to leave it out
 * (a source whose url() only the build can fill). Returns
 * { urls: Map(source path relative to web/ -> path relative to the site root), preloads: Map(page
 * script -> [paths of the chunks it imports statically]), assets: count of hashed files }.
 * Throws an Error naming the file when a module cannot be bundled or breaks the rules above.
 */
export async function bundleSite({ web, out, generatedCss = {} }) {
  const urls = new Map();
  const assetsDir = path.join(out, ASSET_DIR);
  await mkdir(assetsDir, { recursive: true });

  // 1. Stylesheets (url() targets, e.g. fonts, are hashed with them).
  const generated = new Map(Object.entries(generatedCss).map(([key, file]) => [path.join(web, key), file]));
  const css = (await cssFiles(web)).map((f) => (generated.has(f) ? generated.get(f) : f)).filter(Boolean);
  const cssResult = await build({
    entryPoints: css,
    bundle: true,
    minify: true,
    outdir: out,
    outbase: path.dirname(web),
    entryNames: `${ASSET_DIR}/[name]-[hash]`,
    assetNames: `${ASSET_DIR}/[name]-[hash]`,
    loader: { '.woff2': 'file' },
    metafile: true,
    logLevel: 'silent',
  });
  const cssOut = new Map();
  for (const [file, meta] of Object.entries(cssResult.metafile.outputs)) {
    if (!meta.entryPoint) continue;
    const src = path.resolve(meta.entryPoint);
    cssOut.set(src, path.relative(out, path.resolve(file)));
  }
  for (const [key, file] of Object.entries(generatedCss)) if (file) cssOut.set(path.join(web, key), cssOut.get(path.resolve(file)));
  for (const [src, rel] of cssOut) if (src.startsWith(web + path.sep)) urls.set(toPosix(path.relative(web, src)), toPosix(rel));

  // 2. Scripts, with file literals rewritten to hashed assets.
  const copied = new Map();
  const assetFor = async (file) => {
    if (cssOut.has(file)) return path.basename(cssOut.get(file));
    if (!copied.has(file)) {
      const bytes = await readFile(file);
      const name = hashedName(file, bytes);
      await writeFile(path.join(assetsDir, name), bytes);
      copied.set(file, name);
      urls.set(toPosix(path.relative(web, file)), `${ASSET_DIR}/${name}`);
    }
    return copied.get(file);
  };
  const assetPlugin = {
    name: 'attn-assets',
    setup(b) {
      b.onLoad({ filter: /\.m?js$/ }, async (args) => {
        if (!args.path.startsWith(web + path.sep)) return undefined;
        const text = await readFile(args.path, 'utf8');
        const rel = toPosix(path.relative(web, args.path));
        const dir = path.dirname(args.path);
        if (rel.split('/').length !== 2 && /new URL\(\s*(['"`])\.\.\//.test(text))
          throw new Error(`${rel}: climbs out of its folder with new URL('../…', import.meta.url), but only modules one folder below web/ may (their bundles sit one folder below dist/)`);
        const jobs = [];
        text.replace(ASSET_LITERAL, (m, q, ref) => {
          const file = path.resolve(dir, ref);
          if (file.startsWith(web + path.sep) && existsSync(file)) jobs.push(assetFor(file).then((name) => [m, `${q}${ref.includes('/') ? './' : ''}${name}${q}`]));
          return m;
        });
        const swaps = new Map(await Promise.all(jobs));
        const contents = text.replace(ASSET_LITERAL, (m) => swaps.get(m) ?? m).replace(WORKER_LITERAL, (m, q, ref) => {
          const built = workers.get(path.resolve(dir, ref));
          return built ? `${q}./${built}${q}` : m;
        });
        return { contents, loader: 'js' };
      });
    },
  };
  const scriptOptions = {
    absWorkingDir: web,
    bundle: true,
    format: 'esm',
    minify: MINIFY,
    target: 'es2022',
    platform: 'browser',
    external: ['node:*'],
    outdir: out,
    entryNames: '[dir]/[name]-[hash]',
    legalComments: 'none',
    charset: 'utf8',
    metafile: true,
    plugins: [assetPlugin],
    logLevel: 'silent',
  };
  // A worker's hashed name is known only once it is bundled, and the modules that start it must hold
  // that name: the scripts are bundled once unwritten to learn the workers' names, then for real with
  // the literals replaced. No worker imports a module that starts one, so its name cannot depend on
  // the literal; the second build is checked to give the same names.
  const workers = new Map(); // absolute source path -> hashed bundle name in assets/
  const bundleScripts = (write) => build({
    ...scriptOptions,
    write,
    entryPoints: [...Object.entries(ENTRIES).map(([name, src]) => ({ in: src, out: `${ASSET_DIR}/${name}` })),
      ...WORKERS.map((src) => ({ in: src, out: `${ASSET_DIR}/${path.basename(src, '.js')}` })), { in: 'embed.js', out: 'embed' }],
    splitting: true,
    chunkNames: `${ASSET_DIR}/[name]-[hash]`,
  });
  const workerNames = (result) => new Map(WORKERS.map((src) => {
    const file = Object.keys(result.metafile.outputs).find((f) => result.metafile.outputs[f].entryPoint === src);
    if (!file) throw new Error(`${src}: the worker has no bundle`);
    return [path.join(web, src), path.basename(file)];
  }));
  for (const [src, name] of workerNames(await bundleScripts(false))) workers.set(src, name);
  const jsResult = await bundleScripts(true);
  for (const [src, name] of workerNames(jsResult)) {
    if (workers.get(src) !== name) throw new Error(`${path.relative(web, src)}: its bundle was ${workers.get(src)} on the first pass but ${name} on the second; the modules that start it would name the wrong file`);
    urls.set(toPosix(path.relative(web, src)), `${ASSET_DIR}/${name}`);
  }
  const preloads = new Map();
  for (const [file, meta] of Object.entries(jsResult.metafile.outputs)) {
    if (!meta.entryPoint) continue;
    const src = toPosix(path.relative(web, path.resolve(web, meta.entryPoint)));
    let rel = toPosix(path.relative(out, path.resolve(web, file)));
    if (src === 'embed.js') {
      // The blog registry keeps its address; it holds no import.meta (it sits at the root, not in assets/).
      const text = await readFile(path.resolve(web, file), 'utf8');
      if (text.includes('import.meta')) throw new Error('embed.js: its bundle uses import.meta.url but lives at the site root; move that code into a module it imports');
      await rename(path.resolve(web, file), path.join(out, 'embed.js'));
      rel = 'embed.js';
    }
    urls.set(src, rel);
    const statics = meta.imports.filter((i) => i.kind === 'import-statement').map((i) => toPosix(path.relative(out, path.resolve(web, i.path))));
    preloads.set(src, statics);
  }

  // 3. Files with stable names.
  for (const name of COPIED) await cp(path.join(web, name), path.join(out, name), { recursive: true });
  for (const name of MINIFIED) {
    const { code } = await transform(await readFile(path.join(web, name), 'utf8'), { minify: true, target: 'es2017', legalComments: 'none' });
    await writeFile(path.join(out, name), code);
  }
  for (const name of STATIC_HTML) {
    const html = await readFile(path.join(web, name), 'utf8');
    await writeFile(path.join(out, name), rewriteHtmlUrls(html, urls, '', name));
  }
  return { urls, preloads, assets: (await readdir(assetsDir)).length };
}

/**
 * Replace every src="…" / href="…" that names a bundled source (relative to the site root, after
 * `root`) with its built path. Throws when a local .js or .css link has no built file.
 */
export function rewriteHtmlUrls(html, urls, root, where) {
  return html.replace(/\b(src|href)="([^"#?:]+)"/g, (m, attr, value) => {
    if (!value.startsWith(root)) return m;
    const key = value.slice(root.length);
    if (urls.has(key)) return `${attr}="${root}${urls.get(key)}"`;
    if (/\.(?:js|css)$/.test(key)) throw new Error(`${where}: ${attr}="${value}" is not a bundled script or stylesheet`);
    return m;
  });
}

/**
 * A written page, finished: its script and stylesheet links point at the built files and every
 * chunk its module scripts import statically is linked as modulepreload (fetched in parallel, not
 * one import after another). `file` is the page's path relative to the site root.
 */
export function finishPage(html, file, { urls, preloads }) {
  const root = '../'.repeat(toPosix(file).split('/').length - 1);
  const done = rewriteHtmlUrls(html, urls, root, file);
  const scripts = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => m[1].slice(root.length));
  const loaded = new Set(scripts.map((s) => urls.get(s)));
  const chunks = [...new Set(scripts.flatMap((s) => preloads.get(s) ?? []))].filter((c) => !loaded.has(c));
  if (!chunks.length) return done;
  return done.replace('</head>', `${chunks.map((c) => `<link rel="modulepreload" href="${root}${c}">`).join('\n')}\n</head>`);
}
