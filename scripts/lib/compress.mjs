/**
 * Precompressed copies of the built site: for every file worth compressing (text, wasm, model
 * data; not images or fonts, which are compressed already) a `.gz` (gzip -9) and a `.br` (brotli,
 * quality 11) beside it, written only when smaller. scripts/serve.mjs sends them to browsers that
 * accept the encoding; any other static server simply serves the plain files. Run it last: the
 * copies are not part of the site's file list (scripts/lib/precache.mjs skips them).
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Extensions that compress well. */
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.bin', '.svg', '.webmanifest', '.txt']);
/** The alternate encodings and their file suffixes, in the order a server prefers them. */
export const ENCODINGS = [['br', '.br'], ['gzip', '.gz']];

/** True for a precompressed copy (.gz / .br), which is not a file of the site itself. */
export const isCompressedCopy = (file) => /\.(?:gz|br)$/.test(file);

/** Write the .gz and .br copies under `dir`. Returns { count, gzip, brotli } (files, total bytes). */
export async function compressSite(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let count = 0, gzip = 0, brotli = 0;
  for (const e of entries) {
    if (!e.isFile() || !COMPRESSIBLE.has(path.extname(e.name))) continue;
    const file = path.join(e.parentPath ?? e.path, e.name);
    const data = await readFile(file);
    const gz = gzipSync(data, { level: 9 });
    const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
    if (gz.length < data.length * 0.95) {
      await writeFile(`${file}.gz`, gz);
      gzip += gz.length;
      count += 1;
    }
    if (br.length < data.length * 0.95) {
      await writeFile(`${file}.br`, br);
      brotli += br.length;
    }
  }
  return { count, gzip, brotli };
}
