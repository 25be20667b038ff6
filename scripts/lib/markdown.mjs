/**
 * The lesson Markdown dialect: markdown-it (raw HTML allowed, so widget tags pass through) plus
 * three small rules of our own:
 *   $..$ and $$..$$   math, rendered to MathML by KaTeX at build time;
 *   [^KEY]            a reference to one of the lesson's sources, rendered as a numbered superscript;
 *   a paragraph holding only <attn-*> tags becomes <div class="widget"> (its own scroll container);
 *   every heading gets an id "section-<slug of its text>" (unique per page), so a learner's last
 *   position can point at it (web/app/lesson.js) and sections can be linked;
 *   `::: deeper Title` ... `:::` (each on a line of its own) is a collapsed "Go deeper: Title"
 *   section (<details class="deeper">): depth that is off the lesson's main path (see pacing.mjs).
 * Math is tokenised before emphasis runs, so `d_k` or `a*b` inside math never turns into markup.
 */
import MarkdownIt from 'markdown-it';
import katex from 'katex';

const DOLLAR = 0x24;
/**
 * A minus or plus sign right after another operator, a comma or an opening bracket is a sign, not
 * a binary operator: "(1, −1)" must not be spaced like "1 − 1". KaTeX's MathML leaves that to the
 * browser's operator dictionary, which spaces it as infix; form="prefix" says what it is. Likewise a
 * function name applied to a bare argument ("cos θ", "log n") gets the thin space TeX puts there.
 */
const UNARY_SIGN = /(<mrow>|<mo(?: [^>]*)?>(?![)\]}|⟩‖!′])[^<]*<\/mo>)<mo>([−+])<\/mo>/g;
const FOOTNOTE_REF = /^\[\^([A-Za-z0-9_-]+)\]/;

/**
 * Render one TeX formula with KaTeX as a bare <math> element: the browser lays it out (no inline
 * styles, so pages keep a strict style-src 'self' policy; no KaTeX CSS or fonts; web/styles/math.css
 * sets it in the site's math font). The TeX source annotation is left out (screen readers and
 * "Continue where you left off" labels read the MathML, not the TeX). Display formulas are wrapped
 * in <span class="katex-display"> (a scroll box on narrow screens). Throws an Error naming the
 * formula when KaTeX rejects it.
 */
export function renderMath(tex, displayMode) {
  try {
    const html = leanMath(katex.renderToString(tex, { displayMode, output: 'mathml', throwOnError: true }))
      .replace(UNARY_SIGN, '$1<mo form="prefix">$2</mo>')
      .replace(/<mo>\u2061<\/mo>(?=<m[in]\b)/g, '<mo rspace="0.1667em">\u2061</mo>');
    return displayMode ? `<span class="katex-display">${html}</span>` : html;
  } catch (err) {
    const reason = String(err.message ?? err).replace(/^KaTeX parse error: /, '');
    throw new Error(`math "${tex.trim()}": ${reason}`);
  }
}

/**
 * KaTeX's MathML without what a page does not need (every element counts on formula-heavy pages):
 * the <span class="katex"> around it, the xmlns (HTML knows <math>), the TeX annotation and its
 * <semantics>, and an <mrow> that only wraps the whole formula.
 */
function leanMath(html) {
  let m = html.replace(/^<span class="katex">([\s\S]*)<\/span>$/, '$1')
    .replace(' xmlns="http://www.w3.org/1998/Math/MathML"', '')
    .replace(/<semantics>([\s\S]*)<annotation encoding="application\/x-tex">[\s\S]*?<\/annotation><\/semantics>/, '$1');
  const open = /^(<math[^>]*>)<mrow>([\s\S]*)<\/mrow><\/math>$/.exec(m);
  if (open) {
    let depth = 1;
    for (const t of open[2].matchAll(/<(\/?)mrow\b/g)) if ((depth += t[1] ? -1 : 1) === 0) break;
    if (depth === 1) m = `${open[1]}${open[2]}</math>`;
  }
  return m;
}

/**
 * Create the markdown-it instance used for every lesson. Rendering footnote references needs
 * `env.footnotes` (see createFootnoteState); rendering quiz fences needs `env.renderQuiz(token)`.
 */
export function createMarkdown() {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  md.block.ruler.before('paragraph', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.block.ruler.before('fence', 'deeper', deeperBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.inline.ruler.after('escape', 'math_inline', mathInline);
  md.inline.ruler.before('link', 'footnote_ref', footnoteRef);
  md.core.ruler.push('widget_blocks', widgetBlocks);
  md.core.ruler.push('heading_ids', headingIds);

  md.renderer.rules.math_inline = (tokens, i) => renderMath(tokens[i].content, false);
  md.renderer.rules.math_display_inline = (tokens, i) => renderMath(tokens[i].content, true);
  md.renderer.rules.math_block = (tokens, i) => `<div class="math-block">${renderMath(tokens[i].content, true)}</div>\n`;
  md.renderer.rules.deeper_open = (tokens, i, _opts, env) =>
    `<details class="deeper"><summary>Go deeper: ${md.renderInline(tokens[i].info, env)}</summary>\n<div class="deeper-body">\n`;
  md.renderer.rules.deeper_close = () => '</div>\n</details>\n';
  md.renderer.rules.footnote_ref = (tokens, i, _opts, env) => renderFootnoteRef(tokens[i].meta.key, env);
  const fence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, i, opts, env, self) =>
    tokens[i].info.trim() === 'quiz' && env?.renderQuiz ? env.renderQuiz(tokens[i]) : fence(tokens, i, opts, env, self);
  return md;
}

/**
 * Fresh footnote numbering state for one page: `sources` maps KEY -> source text; `order` collects
 * keys in order of first use; `uses` counts references per key (for unique anchor ids).
 * Options (for quiz text shown on another page, e.g. the review page): `order` presets the
 * numbering (a lesson page's final order, so the numbers match its Sources list) and `linkBase`
 * makes every reference link to `${linkBase}#source-KEY` and carry no id.
 */
export function createFootnoteState(sources, { order = [], linkBase } = {}) {
  return { sources: sources ?? {}, order: [...order], uses: {}, linkBase };
}

function renderFootnoteRef(key, env) {
  const state = env?.footnotes;
  if (!state || !Object.hasOwn(state.sources, key)) throw new Error(`unknown footnote key [^${key}]`);
  if (!state.order.includes(key)) state.order.push(key);
  const n = state.order.indexOf(key) + 1;
  state.uses[key] = (state.uses[key] ?? 0) + 1;
  if (state.linkBase !== undefined)
    return `<sup class="fn-ref"><a href="${state.linkBase}#source-${key}" aria-label="Source ${n} (on the lesson page)">[${n}]</a></sup>`;
  const id = `ref-${key}-${state.uses[key]}`;
  return `<sup class="fn-ref"><a href="#source-${key}" id="${id}" aria-label="Source ${n}">[${n}]</a></sup>`;
}

/** Inline `$tex$` (Pandoc rules: no space just inside the dollars, no digit right after) and `$$tex$$`. */
function mathInline(state, silent) {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== DOLLAR) return false;
  const display = src.charCodeAt(start + 1) === DOLLAR;
  const delim = display ? '$$' : '$';
  const from = start + delim.length;
  if (!display && (from >= state.posMax || /\s/.test(src[from]))) return false;
  let end = from;
  for (;;) {
    end = src.indexOf(delim, end);
    if (end === -1 || end >= state.posMax) return false;
    if (src[end - 1] !== '\\') break;
    end += 1;
  }
  if (end === from) return false;
  if (!display && (/\s/.test(src[end - 1]) || /\d/.test(src[end + 1] ?? ''))) return false;
  if (!silent) {
    const token = state.push(display ? 'math_display_inline' : 'math_inline', 'math', 0);
    token.content = src.slice(from, end);
    token.markup = delim;
  }
  state.pos = end + delim.length;
  return true;
}

/** A block that starts with `$$` at the start of a line and ends at a line ending with `$$`. */
function mathBlock(state, startLine, endLine, silent) {
  const lineText = (n) => state.src.slice(state.bMarks[n] + state.tShift[n], state.eMarks[n]);
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const first = lineText(startLine);
  if (!first.startsWith('$$')) return false;
  const rest = first.slice(2).trimEnd();
  const lines = [];
  let last = startLine;
  if (rest.endsWith('$$') && rest.length >= 2) {
    lines.push(rest.slice(0, -2));
  } else {
    if (rest.includes('$$')) return false;
    lines.push(rest);
    for (last = startLine + 1; last < endLine; last++) {
      const text = lineText(last).trimEnd();
      if (text === '' && state.isEmpty(last)) return false;
      if (text.endsWith('$$')) {
        lines.push(text.slice(0, -2));
        break;
      }
      lines.push(text);
    }
    if (last >= endLine) return false;
  }
  if (silent) return true;
  state.line = last + 1;
  const token = state.push('math_block', 'math', 0);
  token.block = true;
  token.content = lines.join('\n').trim();
  token.markup = '$$';
  token.map = [startLine, state.line];
  return true;
}

const DEEPER_OPEN = /^:::\s*deeper\s+(\S.*)$/;

/**
 * `::: deeper Title` on a line of its own opens a "Go deeper" section that runs to the next line
 * holding only `:::`. The content is ordinary lesson Markdown (prose, math, widget tags). Sections
 * do not nest; an unclosed one throws an Error naming its line.
 */
function deeperBlock(state, startLine, endLine, silent) {
  const lineText = (n) => state.src.slice(state.bMarks[n] + state.tShift[n], state.eMarks[n]).trim();
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const m = DEEPER_OPEN.exec(lineText(startLine));
  if (!m) return false;
  let close = startLine + 1;
  while (close < endLine && lineText(close) !== ':::') {
    if (DEEPER_OPEN.test(lineText(close))) throw deeperError('"Go deeper" sections cannot nest (close the one above first)', close);
    close++;
  }
  if (close >= endLine) throw deeperError('"::: deeper" has no closing ":::" line', startLine);
  if (silent) return true;
  const open = state.push('deeper_open', 'details', 1);
  open.block = true;
  open.info = m[1].trim();
  open.map = [startLine, close + 1];
  const oldParent = state.parentType;
  const oldLineMax = state.lineMax;
  state.parentType = 'deeper';
  state.lineMax = close;
  state.md.block.tokenize(state, startLine + 1, close);
  state.parentType = oldParent;
  state.lineMax = oldLineMax;
  const shut = state.push('deeper_close', 'details', -1);
  shut.block = true;
  state.line = close + 1;
  return true;
}

/** An Error carrying `bodyLine`, the 0-based line of the Markdown source it refers to. */
function deeperError(message, line) {
  return Object.assign(new Error(message), { bodyLine: line });
}

/** `[^KEY]`: a reference to a source listed in the lesson's front matter. */
function footnoteRef(state, silent) {
  if (state.src.charCodeAt(state.pos) !== 0x5b || state.src.charCodeAt(state.pos + 1) !== 0x5e) return false;
  const m = FOOTNOTE_REF.exec(state.src.slice(state.pos, state.posMax));
  if (!m) return false;
  if (!silent) {
    const token = state.push('footnote_ref', '', 0);
    token.meta = { key: m[1] };
  }
  state.pos += m[0].length;
  return true;
}

/** Give every heading without an id one made from its text: "section-<slug>", unique per document. */
function headingIds(state) {
  const used = new Set();
  const t = state.tokens;
  for (let i = 0; i < t.length; i++) {
    if (t[i].type !== 'heading_open' || t[i].attrGet('id')) continue;
    const base = `section-${slugify(t[i + 1]?.content ?? '') || 'untitled'}`;
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    used.add(id);
    t[i].attrSet('id', id);
  }
}

/** "Why $QK^\top$ is big!" -> "why-qk-top-is-big" (ASCII letters and digits, at most 60 characters). */
export function slugify(text) {
  return String(text)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
}

/** Turn a paragraph that only holds widget tags into <div class="widget">. */
function widgetBlocks(state) {
  const t = state.tokens;
  for (let i = 0; i + 2 < t.length; i++) {
    if (t[i].type !== 'paragraph_open' || t[i + 1].type !== 'inline' || t[i + 2].type !== 'paragraph_close') continue;
    const kids = t[i + 1].children ?? [];
    const onlyTags = kids.every((k) => k.type === 'html_inline' || k.type === 'softbreak' || (k.type === 'text' && !k.content.trim()));
    if (!onlyTags || !kids.some((k) => k.type === 'html_inline' && /^<attn-/i.test(k.content))) continue;
    t[i].tag = 'div';
    t[i].attrSet('class', 'widget');
    t[i + 2].tag = 'div';
  }
}
