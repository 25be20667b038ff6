// The import graph of web/: no cycles (static or dynamic imports), and the layers point one way:
// widgets/ and core/ never import from app/ (app/ pages use widgets, not the other way round).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const WEB = new URL('../../web/', import.meta.url).pathname;

/** Every .js / .mjs file under `dir`, as absolute paths. */
function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.m?js$/.test(name) ? [p] : [];
  });
}

/**
 * The relative modules a file imports: static `import ... from`, `export ... from`, bare
 * `import '...'` and `import('...')` with a literal specifier. Comments are stripped first.
 */
export function importsOf(text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const found = [];
  const patterns = [
    /\bimport\s+[^'"`;()]*?\bfrom\s*(['"])([^'"]+)\1/g,
    /\bexport\s+[^'"`;()]*?\bfrom\s*(['"])([^'"]+)\1/g,
    /\bimport\s*(['"])([^'"]+)\1/g,
    /\bimport\s*\(\s*(['"`])([^'"`$]+)\1\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[2]);
  return [...new Set(found)].filter((s) => s.startsWith('.') || s.startsWith('/'));
}

const files = sources(WEB);
const graph = new Map(files.map((f) => [f, importsOf(readFileSync(f, 'utf8')).map((s) => resolve(dirname(f), s))]));
const rel = (f) => relative(WEB, f);

/** Cycles in `graph` (each as a list of files, the first repeated at the end). */
export function cycles(g) {
  const out = [];
  const state = new Map(); // 1 = on the stack, 2 = done
  const stack = [];
  const visit = (f) => {
    state.set(f, 1);
    stack.push(f);
    for (const to of g.get(f) ?? []) {
      if (state.get(to) === 1) out.push([...stack.slice(stack.indexOf(to)), to]);
      else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of g.keys()) if (!state.has(f)) visit(f);
  return out;
}

test('the import scanner finds static, re-export, bare and dynamic imports, not comments', () => {
  const text = `import { a } from './a.js';\nexport { b } from "../b.js";\nimport './c.js';\nconst d = await import('./d.js');\n// import { e } from './e.js';\n/* import('./f.js') */\nimport x from 'node:fs';`;
  assert.deepEqual(importsOf(text).sort(), ['../b.js', './a.js', './c.js', './d.js']);
  const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
  assert.deepEqual(cycles(g), [['a', 'b', 'c', 'a']]);
});

test('every relative import in web/ points at a file that exists', () => {
  for (const [f, tos] of graph) for (const to of tos) assert.ok(files.includes(to), `${rel(f)} imports ${rel(to)}, which does not exist`);
});

test('web/ has no import cycles', () => {
  assert.deepEqual(cycles(graph).map((c) => c.map(rel).join(' -> ')), []);
});

test('widgets/ and core/ never import from app/', () => {
  const bad = [];
  for (const [f, tos] of graph) {
    if (!/^(widgets|core)\//.test(rel(f))) continue;
    for (const to of tos) if (rel(to).startsWith('app/')) bad.push(`${rel(f)} -> ${rel(to)}`);
  }
  assert.deepEqual(bad, []);
});
