/**
 * HTML helpers shared by the page templates: escaping, safe JSON for <script> blocks, and the
 * page shell every page uses (skip link, site header with nav, <main>, footer).
 *
 * Pages link scripts and stylesheets by their source paths under web/; the build rewrites those
 * links to the hashed bundles (scripts/lib/bundle.mjs, finishPage). Every page carries the Content
 * Security Policy below in a <meta http-equiv>, so any static server applies it: nothing inline.
 */

/** The site's policy: same-origin files only, wasm compilation allowed, no inline script or style. */
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for use in HTML content or a quoted attribute value. */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** JSON for an inline `<script type="application/json">`: `<` is written as \u003c so no tag can close it. */
export function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** A title for display in HTML: `QK^T` shows the T as a superscript. Returns HTML. */
export function titleHtml(title) {
  return escapeHtml(title).replace(/\^([A-Za-z0-9])\b/g, '<sup>$1</sup>');
}

/** A title for plain-text places (<title>): `QK^T` becomes `QKᵀ`. */
export function titleText(title) {
  return title.replace(/\^T\b/g, 'ᵀ');
}

/**
 * The page shell. `root` is the relative path from the page to the site root ('' or '../../');
 * every URL in the shell is relative so the site works from any server root.
 *   { title, root, main, script, mainAttrs, current: 'home' | 'review' | 'faq' | 'embed' | undefined }  ->  full HTML document string
 */
export function pageShell({ title, description, root, main, script, mainAttrs = '', current }) {
  const home = root === '' ? './' : root;
  const homeCurrent = current === 'home' ? ' aria-current="page"' : '';
  const reviewCurrent = current === 'review' ? ' aria-current="page"' : '';
  const embedCurrent = current === 'embed' ? ' aria-current="page"' : '';
  const faqCurrent = current === 'faq' ? ' aria-current="page"' : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(description)}">
<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="#f4f6f8" media="(prefers-color-scheme: light)">
<meta name="theme-color" content="#181d23" media="(prefers-color-scheme: dark)">
<link rel="icon" href="${root}icons/icon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="${root}icons/icon-192.png">
<link rel="manifest" href="${root}manifest.webmanifest">
<link rel="stylesheet" href="${root}styles/site.css">
<script type="module" src="${root}${script}"></script>
<script type="module" src="${root}app/sw-register.js"></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<div class="site-header-inner">
<a class="brand" href="${home}">Attention Lab</a>
<nav aria-label="Site">
<ul class="site-nav">
<li><a href="${home}"${homeCurrent}>Course home</a></li>
<li><a href="${home}#lessons">All lessons</a></li>
<li><a href="${home}review/"${reviewCurrent}>Review</a></li>
<li><a href="${home}faq/"${faqCurrent}>FAQ</a></li>
<li><a href="${home}embed/"${embedCurrent}>Embed</a></li>
</ul>
</nav>
</div>
</header>
<main id="main" tabindex="-1"${mainAttrs}>
<p id="progress-notice" class="notice" role="status" hidden></p>
${main}
</main>
<footer class="site-footer">
<p>Attention Lab: an interactive course on attention in neural networks. Works offline; your progress stays in this browser.</p>
</footer>
</body>
</html>
`;
}
