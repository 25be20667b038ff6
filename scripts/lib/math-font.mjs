/**
 * The site's math font: Latin Modern Math (Debian fonts-lmodern, GUST Font License), cut down at
 * build time to the characters the course's formulas use, as woff2. It is an OpenType MATH font,
 * so browsers lay out fractions, roots, scripts and stretchy brackets of the MathML formulas with
 * it; the subset keeps the MATH table and the size variants it points at (fontTools' subsetter,
 * `python3 -m fontTools.subset`: Debian python3-fonttools, and python3-brotli for woff2).
 *
 *   const chars = mathCharacters(html);                     // every character inside <math>…</math>
 *   await writeMathStyles({ chars, css, outDir });           // outDir/math.css + outDir/math-font.woff2
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export const MATH_FONT = '/usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf';
const FONT_FILE = 'math-font.woff2';
/** Debian's Python, where python3-fonttools installs (a python3 earlier on PATH may lack it). */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
/** Always kept (a handful of glyphs): digits and the commonest operators and brackets. */
const BASE = '0123456789+−=()[]{},.';
/**
 * OpenType features kept: ssty (script-size glyphs in sub- and superscripts), dtls (dotless i and
 * j under accents), flac (flat accents over capitals). Every other GSUB feature would double the
 * file for nothing the browsers use in MathML.
 */
const FEATURES = 'ssty,dtls,flac';

const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };
/**
 * Glyphs that MathML elements draw without the character being in the text: <msqrt> and <mroot>
 * draw the radical sign U+221A (and its size variants, which the subsetter keeps through the MATH
 * table) from the formula's font. Left out of the subset, Chromium draws no sign at all: √5 showed
 * as a bare 5 under a bar.
 */
const DRAWN_BY = { msqrt: '√', mroot: '√' };

/**
 * The set of characters inside every <math>…</math> of `html` (tags and entities decoded), plus
 * the glyphs its elements draw on their own (DRAWN_BY).
 */
export function mathCharacters(html, into = new Set()) {
  for (const m of html.matchAll(/<math\b[^>]*>([\s\S]*?)<\/math>/g)) {
    for (const [tag, ch] of Object.entries(DRAWN_BY)) if (m[1].includes(`<${tag}`)) into.add(ch);
    const text = m[1].replace(/<[^>]*>/g, '').replace(/&(?:lt|gt|amp|quot|#39|#x27);/g, (e) => ENTITIES[e])
      .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)));
    for (const ch of text) into.add(ch);
  }
  return into;
}

/**
 * Write `outDir`/math.css (the text of `css`, whose @font-face names url('./math-font.woff2')) and
 * the subset font next to it. Throws an Error saying what to install when the font or fontTools
 * is missing, or with the subsetter's last message when it fails.
 */
export async function writeMathStyles({ chars, css, outDir }) {
  if (!existsSync(MATH_FONT)) throw new Error(`the math font ${MATH_FONT} is missing (apt-get install fonts-lmodern)`);
  const text = [...new Set([...BASE, ...chars])].filter((c) => c.trim()).join('');
  const unicodes = [...text].map((c) => `U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`).join(',');
  const target = path.join(outDir, FONT_FILE);
  const r = spawnSync(PYTHON, ['-m', 'fontTools.subset', MATH_FONT, `--unicodes=${unicodes}`, '--flavor=woff2', `--output-file=${target}`,
    `--layout-features=${FEATURES}`, '--no-hinting', '--desubroutinize', '--name-IDs=*', '--name-legacy', '--notdef-outline'], { encoding: 'utf8' });
  if (r.error) throw new Error(`python3 -m fontTools.subset could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`fontTools.subset failed (apt-get install python3-fonttools python3-brotli): ${r.stderr.trim().split('\n').at(-1)}`);
  await writeFile(path.join(outDir, 'math.css'), css);
  return { file: target, glyphs: text.length };
}
