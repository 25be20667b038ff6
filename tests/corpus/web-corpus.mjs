/**
 * Loads the web surfaces of the hostile-input corpus (format: /work/coord/BOARD.md, "Hostile-input
 * corpus"): deeplink, embed-hash, postmessage, widget-attributes, progress-file and storage.
 * The runners are tests/node/corpus-web.test.mjs (codecs, progress, storage, postMessage checks)
 * and tests/browser/corpus-web.test.mjs (attributes, embed hashes and postMessage in Chromium).
 *
 * Two spellings keep big or non-JSON inputs readable in the files:
 *   { "repeat": "x", "times": n, "prefix"?: "...", "suffix"?: "..." }  -> prefix + x repeated n times + suffix
 *   { "$js": "NaN" | "Infinity" | "-Infinity" | "undefined" }         -> that JavaScript value
 */
import { readFileSync } from 'node:fs';

export const WEB_SURFACES = ['deeplink', 'embed-hash', 'postmessage', 'widget-attributes', 'progress-file', 'storage'];
const JS = { NaN, Infinity, '-Infinity': -Infinity, undefined };

/** `x` with the two spellings above turned into their values (recursively). */
export function materialize(x) {
  if (Array.isArray(x)) return x.map(materialize);
  if (x === null || typeof x !== 'object') return x;
  const keys = Object.keys(x);
  if (keys.length === 1 && keys[0] === '$js') {
    if (!Object.hasOwn(JS, x.$js)) throw new Error(`unknown $js value ${JSON.stringify(x.$js)}`);
    return JS[x.$js];
  }
  if (typeof x.repeat === 'string' && Number.isInteger(x.times) && keys.every((k) => ['repeat', 'times', 'prefix', 'suffix'].includes(k)))
    return `${x.prefix ?? ''}${x.repeat.repeat(x.times)}${x.suffix ?? ''}`;
  const out = {};
  for (const k of keys) Object.defineProperty(out, k, { value: materialize(x[k]), enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * The cases of tests/corpus/<surface>.json, checked against the agreed format, with inputs
 * materialised: [{ id, input, expect: 'ok' | { error }, note }]. Throws naming the case when the
 * file is malformed (a duplicate id, an expect that is neither "ok" nor { error: text }).
 */
export function loadCorpus(surface) {
  const file = JSON.parse(readFileSync(new URL(`./${surface}.json`, import.meta.url), 'utf8'));
  if (file.surface !== surface) throw new Error(`${surface}.json: surface is ${JSON.stringify(file.surface)}`);
  if (!Array.isArray(file.cases) || file.cases.length === 0) throw new Error(`${surface}.json: no cases`);
  const seen = new Set();
  return file.cases.map((c) => {
    const where = `${surface}.json case ${JSON.stringify(c.id)}`;
    if (typeof c.id !== 'string' || !c.id || seen.has(c.id)) throw new Error(`${where}: ids must be unique, non-empty text`);
    seen.add(c.id);
    if (!Object.hasOwn(c, 'input')) throw new Error(`${where}: no input`);
    const okExpect = c.expect === 'ok' || (c.expect && typeof c.expect.error === 'string' && c.expect.error.length > 0 && Object.keys(c.expect).length === 1);
    if (!okExpect) throw new Error(`${where}: expect must be "ok" or { "error": "<substring>" }`);
    if (typeof c.note !== 'string' || !c.note) throw new Error(`${where}: every case says why in a note`);
    return { id: c.id, input: materialize(c.input), expect: c.expect, note: c.note };
  });
}

/**
 * Compares an outcome with a case's expectation: `message` is the error or notice text ('' when
 * none). Returns '' when they agree, else what went wrong.
 */
export function mismatch(c, message) {
  if (c.expect === 'ok') return message ? `expected no error, got: ${message.slice(0, 300)}` : '';
  if (!message) return `expected an error containing ${JSON.stringify(c.expect.error)}, got none`;
  return message.includes(c.expect.error) ? '' : `expected an error containing ${JSON.stringify(c.expect.error)}, got: ${message.slice(0, 300)}`;
}
