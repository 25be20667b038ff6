// The theming API (docs/widgets.md): widgets read only --attn-* custom properties from the page
// around them, their private names are set inside the shadow root (never on :host, where a page
// rule can override them), and the site's own stylesheets use only --attn-* names. A blog with
// `:root { --fg: #fff }` must not be able to turn a widget's text white; the browser side of
// that is tests/browser/theming.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const read = (f) => readFileSync(join(ROOT, f), 'utf8');
const list = (dir, ext) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(ext)).map((f) => `${dir}/${f}`);

/**
 * Custom properties of a stylesheet: defs [{ name, selectors }] (selectors: the enclosing rule
 * preludes, outermost first) and reads [{ name, fallback }] (var() uses, fallback: has one).
 */
export function customProperties(css) {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const defs = [];
  const stack = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') {
      stack.push(text.slice(start, i).trim());
      start = i + 1;
    } else if (c === '}' || c === ';') {
      const m = /^\s*(--[\w-]+)\s*:/.exec(text.slice(start, i));
      if (m) defs.push({ name: m[1], selectors: [...stack] });
      if (c === '}') stack.pop();
      start = i + 1;
    }
  }
  const reads = [...text.matchAll(/var\(\s*(--[\w-]+)\s*(,)?/g)].map((m) => ({ name: m[1], fallback: Boolean(m[2]) }));
  return { defs, reads };
}

const widgetCss = list('web/widgets', '.css');
const siteCss = list('web/styles', '.css');
const documented = new Set([...read('docs/widgets.md').matchAll(/^\| `(--attn-[\w-]+)` \|/gm)].map((m) => m[1]));

test('the parser finds definitions with their selectors and reads with their fallbacks', () => {
  const { defs, reads } = customProperties(':host { --a: 1 } @media (x) { .frame { --b: var(--c, red); color: var(--b) } } /* --z: 1 */');
  assert.deepEqual(defs, [{ name: '--a', selectors: [':host'] }, { name: '--b', selectors: ['@media (x)', '.frame'] }]);
  assert.deepEqual(reads, [{ name: '--c', fallback: true }, { name: '--b', fallback: false }]);
});

test('the theming API is documented: eleven --attn-* properties with light and dark defaults', () => {
  assert.equal(documented.size, 11, [...documented].join(' '));
  for (const name of documented) assert.match(read('docs/widgets.md'), new RegExp(`\\| \`${name}\` \\| [^|]+ \\| \`#[0-9a-f]{6}\` \\| \`#[0-9a-f]{6}\` \\|`), name);
});

test('widget stylesheets read only documented --attn-* names from the host; private names are set inside the shadow root', () => {
  const all = widgetCss.map((f) => ({ f, ...customProperties(read(f)) }));
  const privateNames = new Set();
  for (const { f, defs } of all)
    for (const d of defs) {
      assert.ok(!d.name.startsWith('--attn-'), `${f}: a widget must not set ${d.name}, the page's to set`);
      assert.ok(!d.selectors.some((s) => /:host/.test(s)), `${f}: ${d.name} is set on :host, where a page rule can override it; set it on .frame`);
      privateNames.add(d.name);
    }
  for (const { f, reads } of all)
    for (const r of reads) {
      if (r.name.startsWith('--attn-')) {
        assert.ok(documented.has(r.name), `${f}: ${r.name} is not in the theming table of docs/widgets.md`);
        assert.ok(r.fallback, `${f}: var(${r.name}) needs a default`);
      } else {
        assert.ok(privateNames.has(r.name), `${f}: reads ${r.name} from the host page; use an --attn-* property or a private name set on .frame`);
      }
    }
  for (const name of documented) assert.ok(all.some(({ reads }) => reads.some((r) => r.name === name)), `${name} is documented but no widget reads it`);
});

test('widget scripts put no custom properties in inline styles or read them from the host element', () => {
  for (const f of list('web/widgets', '.js')) {
    const text = read(f);
    for (const m of text.matchAll(/var\(\s*(--[\w-]+)|getPropertyValue\(\s*'(--[\w-]+)'|setProperty\(\s*'(--[\w-]+)'/g)) {
      const name = m[1] ?? m[2] ?? m[3];
      assert.ok(name.startsWith('--w-') || name === '--u', `${f}: ${name}`);
    }
  }
});

test('site stylesheets and the update banner use only --attn-* names, each one defined', () => {
  const sources = [...siteCss, 'web/app/sw-register.js'];
  const defined = new Set(siteCss.flatMap((f) => customProperties(read(f)).defs.map((d) => d.name)));
  for (const f of sources) {
    const { defs, reads } = customProperties(read(f));
    for (const { name } of [...defs, ...reads]) assert.ok(name.startsWith('--attn-'), `${f}: ${name} should be --attn-${name.slice(2)}`);
    for (const r of reads) assert.ok(r.fallback || defined.has(r.name), `${f}: var(${r.name}) is never defined`);
  }
  // the site hands its palette to the widgets
  for (const name of documented) assert.ok(defined.has(name), `site.css does not set ${name}`);
});
