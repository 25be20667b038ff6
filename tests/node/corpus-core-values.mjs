/**
 * Values for the C++-side hostile-input corpus that JSON cannot write directly, written as one-key
 * macro objects inside a case's `input` and expanded here:
 *
 *   { "$fill": [rows, cols, value] }   an array of `rows` rows of `cols` copies of value
 *   { "$repeat": [value, times] }      an array of `times` copies of value
 *   { "$string": [unit, times] }       unit repeated `times` times, as one string
 *   { "$num": "NaN" | "Infinity" | "-Infinity" | "-0" }
 *   { "$f32": [numbers] }              a Float32Array
 *   { "$matrix": [rows, cols, value] } { rows, cols, data: Float32Array(rows * cols) filled with value }
 *   { "$u8": "base64" }                a Uint8Array
 *   { "$bigint": "5" }, { "$undefined": true }
 *   { "$shipped": true }               the shipped web/model/model.bin as a Uint8Array
 *
 * Raw scenario / model-trace text (invalid JSON, or nesting 100,000 levels deep, which JSON.stringify
 * itself cannot write) is a string input, or { "$text": [parts] } where a part is a string or
 * { "repeat": s, "times": n }; raw bytes are { "$bytes": "base64" } (CLI only: a JS string cannot hold
 * bytes that are not UTF-8).
 */

import { readFileSync } from 'node:fs';

const SHIPPED = new URL('../../web/model/model.bin', import.meta.url);

const MACROS = {
  $fill: ([rows, cols, value]) => Array.from({ length: rows }, () => Array(cols).fill(expand(value))),
  $repeat: ([value, times]) => Array.from({ length: times }, () => expand(value)),
  $string: ([unit, times]) => unit.repeat(times),
  $num: (name) => ({ NaN, Infinity, '-Infinity': -Infinity, '-0': -0 })[name],
  $f32: (numbers) => Float32Array.from(numbers.map(expand)),
  $matrix: ([rows, cols, value]) => ({ rows, cols, data: new Float32Array(rows * cols).fill(expand(value)) }),
  $u8: (base64) => new Uint8Array(Buffer.from(base64, 'base64')),
  $bigint: (digits) => BigInt(digits),
  $undefined: () => undefined,
  $shipped: () => new Uint8Array(readFileSync(SHIPPED)),
};

/** Expands every macro object inside `v` (recursively); other values are copied as they are. */
export function expand(v) {
  if (Array.isArray(v)) return v.map(expand);
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] in MACROS) return MACROS[keys[0]](v[keys[0]]);
    return Object.fromEntries(keys.map((k) => [k, expand(v[k])]));
  }
  return v;
}

/**
 * The text (or, for $bytes, the Buffer) a case sends to `attn trace` / `attn model-trace` and to the
 * binding: strings and $text as they are, anything else as JSON after expanding its macros.
 */
export function rawInput(input) {
  if (typeof input === 'string') return input;
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    if ('$bytes' in input) return Buffer.from(input.$bytes, 'base64');
    if ('$text' in input)
      return input.$text.map((p) => (typeof p === 'string' ? p : p.repeat.repeat(p.times))).join('');
  }
  return JSON.stringify(expand(input));
}
