/**
 * The embed docs page (dist/embed/index.html): how to put the course's widgets on another web page
 * (script form, classic-script form, iframe form, what a host must serve), then every registered
 * widget with its attributes (from `static props`), the control names `hide` takes (from `static
 * controls`), a live example and the snippet for that example.
 *
 * Snippets are written with the placeholder origin https://YOUR-SITE/; web/app/embed-docs.js swaps
 * in the address the page was actually served from and adds Copy buttons.
 */
import { escapeHtml, pageShell, titleHtml } from './html.mjs';
import { lessonPath } from './lesson-page.mjs';
import { parseProp, serializeProp } from '../../web/widgets/props.js';
import { widgetInfo } from '../../web/widgets/widget-info.js';

export const EMBED_DOCS_PATH = 'embed/';
const ROOT = '../';
export const PLACEHOLDER = 'https://YOUR-SITE/';
const GLOBAL_CONTROLS = ['controls', 'toolbar'];

/** The accepted values of a declared prop, in words. */
export function allowedText(d) {
  const range = d.min !== undefined || d.max !== undefined ? ` from ${d.min ?? '−∞'} to ${d.max ?? '∞'}` : '';
  switch (d.type) {
    case 'number': return `number${range}`;
    case 'integer': return `whole number${range}`;
    case 'boolean': return 'true or false';
    case 'enum': return `one of ${d.values.join(', ')}`;
    case 'tokens': return `1 to ${d.maxTokens ?? 12} words (letters, digits, ' and -) separated by spaces`;
    case 'cell': return '"row,col": two whole numbers, counted from 1';
    case 'numbers': return `${d.minItems ?? 1} to ${d.maxItems ?? 16} comma-separated numbers${range ? `, each${range}` : ''}`;
    default: return d.type;
  }
}

function defaultText(d) {
  if (d.default === null || d.default === undefined) return 'none';
  try {
    return serializeProp(d, d.default);
  } catch {
    return String(d.default);
  }
}

/** The example's attributes, keeping only those the widget accepts. */
function exampleAttributes(W) {
  const out = [];
  for (const [name, text] of Object.entries(widgetInfo(W).example)) {
    const d = (W.props ?? []).find((p) => p.name === name);
    if (!d || parseProp(d, text).error) {
      console.warn(`embed-docs: ${W.tag} example attribute ${name}="${text}" is not valid any more; left out`);
      continue;
    }
    out.push([name, text]);
  }
  return out;
}

const attrs = (pairs) => pairs.map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join('');

/** Text of the frame hash for an example: values URL-encoded, "," kept, space as "+". */
function frameHash(short, pairs) {
  const enc = (t) => encodeURIComponent(t).replace(/%2C/gi, ',').replace(/%20/g, '+');
  return [`widget=${enc(short)}`, ...pairs.map(([k, v]) => `${k}=${enc(v)}`)].join('&');
}

function snippetBlock(id, label, text) {
  return `<figure class="snippet">
<figcaption id="${id}-label">${escapeHtml(label)}</figcaption>
<pre><code data-snippet="${id}">${escapeHtml(text)}</code></pre>
</figure>`;
}

function propRows(W) {
  return (W.props ?? []).map((d) => `<tr>
<th scope="row"><code>${escapeHtml(d.name)}</code></th>
<td>${escapeHtml(allowedText(d))}</td>
<td><code>${escapeHtml(defaultText(d))}</code></td>
<td>${escapeHtml(d.description ?? '')}</td>
</tr>`).join('\n');
}

function widgetSection(W, { course, written }) {
  const info = widgetInfo(W);
  const id = `w-${info.short}`;
  const example = exampleAttributes(W);
  const element = `<${W.tag}${attrs(example)}></${W.tag}>`;
  const controls = [...(Array.isArray(W.controls) ? W.controls : []), ...GLOBAL_CONTROLS];
  const entry = info.lesson && course ? course.lessons.find((l) => l.number === info.lesson) : null;
  const lessonLink = entry && written?.has(entry.number)
    ? `<p class="embed-lesson">Used in <a href="${ROOT}${lessonPath(entry)}">Lesson ${entry.number}: ${titleHtml(entry.title)}</a>.</p>`
    : '';
  return `<section class="embed-widget" id="${id}" aria-labelledby="${id}-title" data-tag="${escapeHtml(W.tag)}">
<h2 id="${id}-title">${escapeHtml(info.title)} <code class="embed-tag">&lt;${escapeHtml(W.tag)}&gt;</code></h2>
${info.summary ? `<p>${escapeHtml(info.summary)}</p>` : ''}
${lessonLink}
<div class="embed-props-wrap" role="region" tabindex="0" aria-labelledby="${id}-props">
<table class="embed-props">
<caption id="${id}-props">Attributes of <code>&lt;${escapeHtml(W.tag)}&gt;</code></caption>
<thead><tr><th scope="col">Attribute</th><th scope="col">Accepts</th><th scope="col">Default</th><th scope="col">What it does</th></tr></thead>
<tbody>
${propRows(W)}
<tr>
<th scope="row"><code>hide</code></th>
<td>comma-separated names: ${controls.map((c) => `<code>${escapeHtml(c)}</code>`).join(', ')}</td>
<td><code>none</code></td>
<td>Hides those control groups (<code>controls</code> hides them all, <code>toolbar</code> the share and save buttons).</td>
</tr>
</tbody>
</table>
</div>
<p class="embed-example-label" id="${id}-example">Live example:</p>
<div class="widget embed-example" role="group" aria-labelledby="${id}-example">
${element}
</div>
${snippetBlock(`${id}-script`, 'Script form', `<script type="module" src="${PLACEHOLDER}embed.js"></script>\n${element}`)}
${snippetBlock(`${id}-iframe`, 'Iframe form', `<iframe src="${PLACEHOLDER}embed.html#${frameHash(info.short, example).replace(/&/g, '&amp;')}" title="${info.title.replace(/"/g, '&quot;')} (Attention Lab)" width="100%" height="600" loading="lazy" allow="clipboard-write" style="border:0;max-width:100%"></iframe>\n<script src="${PLACEHOLDER}embed-resize.js" async></script>`)}
</section>`;
}

/**
 * Render the page.
 *   widgets: the registry (web/widgets/index.js);  course, written: optional, for lesson links.
 * Returns a full HTML document string.
 */
export function renderEmbedDocs(widgets, { course = null, written = null } = {}) {
  const toc = widgets.map((W) => {
    const info = widgetInfo(W);
    return `<li><a href="#w-${escapeHtml(info.short)}">${escapeHtml(info.title)}</a> <code>&lt;${escapeHtml(W.tag)}&gt;</code></li>`;
  }).join('\n');
  const main = `<section class="embed-intro" aria-labelledby="embed-title">
<p class="eyebrow">Attention Lab · for bloggers and teachers</p>
<h1 id="embed-title">Put a widget on your own page</h1>
<p class="promise">Every widget in the course works on any web page: one script tag, then the widget's tag with the attributes you want. Each widget below shows its attributes, a live example and the snippet that makes it. The “Embed this” button under any widget in the lessons gives the snippet for what it shows at that moment.</p>
${snippetBlock('how-module', 'Script form (an ES module; put it once per page, anywhere)', `<script type="module" src="${PLACEHOLDER}embed.js"></script>\n<attn-softmax scores="2,1,0.1" temperature="1"></attn-softmax>`)}
<p>Where only a plain script tag is allowed, use the classic form instead; it loads the same module:</p>
${snippetBlock('how-classic', 'Classic script form', `<script src="${PLACEHOLDER}embed-classic.js" async></script>\n<attn-softmax scores="2,1,0.1" temperature="1"></attn-softmax>`)}
<p>Where no scripts are allowed at all, use a frame. Its address says which widget to show (<code>widget=</code> is the tag without <code>attn-</code>) and its attributes; the optional script lets the frame grow and shrink with the widget:</p>
${snippetBlock('how-iframe', 'Iframe form', `<iframe src="${PLACEHOLDER}embed.html#widget=softmax&amp;scores=2,1,0.1&amp;hide=controls" title="Softmax with a temperature (Attention Lab)" width="100%" height="480" loading="lazy" allow="clipboard-write" style="border:0;max-width:100%"></iframe>\n<script src="${PLACEHOLDER}embed-resize.js" async></script>`)}
<h2 id="embed-behaviour">What to expect</h2>
<ul>
<li>Nothing heavy loads until a widget comes near the screen; then the attention engine (a WebAssembly file) loads once, and every widget on the page shares it.</li>
<li>Widgets live in their own Shadow DOM: your page's CSS cannot break them and theirs never touches your page. They follow the reader's light or dark setting.</li>
<li>A bad attribute (not a number, out of range, too many words) shows a short note inside the widget, which then uses its default for that attribute. Nothing you type is ever treated as HTML.</li>
<li>Widgets send DOM events: <code>ready</code> once drawn, <code>change</code> (with the new state in <code>event.detail</code>) after every committed change, and <code>input</code> while dragging.</li>
<li>Widgets work under a strict Content Security Policy such as <code>default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'</code> when served from your own site. Loading them from another site needs that site in <code>script-src</code>, <code>style-src</code> and <code>connect-src</code>.</li>
</ul>
<h2 id="embed-hosting">Hosting the files yourself</h2>
<p>Copy the whole built site (the folder with <code>embed.js</code>) to any static host. To serve it to pages on other sites, the host must send <code>Access-Control-Allow-Origin: *</code> for <code>.js</code>, <code>.mjs</code> and <code>.wasm</code> files (module scripts and the engine are fetched with CORS), and <code>application/wasm</code> as the type of <code>.wasm</code> files.</p>
</section>
<nav class="embed-toc" aria-labelledby="embed-toc-heading">
<h2 id="embed-toc-heading">The widgets</h2>
<ol>
${toc}
</ol>
</nav>
${widgets.map((W) => widgetSection(W, { course, written })).join('\n')}`;
  const html = pageShell({
    title: 'Embed the widgets · Attention Lab',
    description: 'Every Attention Lab widget, its attributes, a live example and the snippet to put it on your own page.',
    root: ROOT,
    main,
    script: 'app/embed-docs.js',
    current: 'embed',
  });
  // the page's own stylesheet, after site.css
  return html.replace(`<link rel="stylesheet" href="${ROOT}styles/site.css">`,
    `<link rel="stylesheet" href="${ROOT}styles/site.css">\n<link rel="stylesheet" href="${ROOT}styles/embed-docs.css">`);
}
