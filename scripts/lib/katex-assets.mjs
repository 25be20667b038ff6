/**
 * Vendor KaTeX's stylesheet and woff2 fonts into the site. KaTeX's CSS lists each font as
 * woff2, then woff and ttf fallbacks; every browser we target reads woff2, so we ship only those
 * and strip the fallbacks so no url() points at a file we did not copy.
 */
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

const FALLBACK = /,\s*url\([^)]*\.(?:woff|ttf)\)\s*format\((["'])(?:woff|truetype)\1\)/g;

/** Remove woff/ttf fallbacks from KaTeX CSS text. Returns the new CSS. */
export function stripFontFallbacks(css) {
  return css.replace(FALLBACK, '');
}

/**
 * Copy katex.min.css (fallbacks stripped) and fonts/*.woff2 from `katexDist` to `outDir`.
 * Throws if any url() in the copied CSS does not resolve to a copied file.
 */
export async function copyKatexAssets(katexDist, outDir) {
  await mkdir(path.join(outDir, 'fonts'), { recursive: true });
  const fonts = (await readdir(path.join(katexDist, 'fonts'))).filter((f) => f.endsWith('.woff2'));
  await Promise.all(fonts.map((f) => copyFile(path.join(katexDist, 'fonts', f), path.join(outDir, 'fonts', f))));
  const css = stripFontFallbacks(await readFile(path.join(katexDist, 'katex.min.css'), 'utf8'));
  const missing = [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)]
    .map((m) => m[1])
    .filter((url) => !existsSync(path.join(outDir, url)));
  if (missing.length) throw new Error(`katex.min.css: url() points at missing files: ${missing.join(', ')}`);
  await writeFile(path.join(outDir, 'katex.min.css'), css);
  return { fonts: fonts.length };
}
