/**
 * The service worker's precache list, written into the built sw.js as the last build step.
 *
 * Every file of the built site except sw.js itself is listed by its path relative to the site root
 * with its SHA-256 as an SRI string ("sha256-<base64>"); the service worker checks each download
 * against it, so a cache never mixes files of two versions. The version is a hash of that list:
 * it changes whenever any file's path or content does, which changes sw.js and makes browsers
 * install the new version (web/sw.js explains the update flow).
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isCompressedCopy } from './compress.mjs';

const MARKER = /^const PRECACHE = .*;$/m;

/**
 * Every file under `dir` except sw.js and the precompressed .gz/.br copies (the server's alternates
 * of the same files), as sorted '/'-separated paths relative to `dir`.
 */
export async function listSiteFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/'))
    .filter((p) => p !== 'sw.js' && !isCompressedCopy(p))
    .sort();
}

/** { version, files: { path: 'sha256-…' }, bytes } for the built site in `dir`. */
export async function computePrecache(dir) {
  const files = {};
  let bytes = 0;
  const all = createHash('sha256');
  for (const rel of await listSiteFiles(dir)) {
    const data = await readFile(path.join(dir, rel));
    bytes += data.length;
    files[rel] = `sha256-${createHash('sha256').update(data).digest('base64')}`;
    all.update(`${rel}\n${files[rel]}\n`);
  }
  return { version: all.digest('hex').slice(0, 16), files, bytes };
}

/**
 * Write the precache list into `dir`/sw.js (replacing its `const PRECACHE = …;` line).
 * Call it after every other file of the site is written. Returns { version, count, bytes }.
 */
export async function writePrecache(dir) {
  const { version, files, bytes } = await computePrecache(dir);
  const swPath = path.join(dir, 'sw.js');
  const sw = await readFile(swPath, 'utf8');
  if (!MARKER.test(sw)) throw new Error(`${swPath}: no "const PRECACHE = …;" line to fill in`);
  await writeFile(swPath, sw.replace(MARKER, () => `const PRECACHE = ${JSON.stringify({ version, files })};`));
  return { version, count: Object.keys(files).length, bytes };
}
