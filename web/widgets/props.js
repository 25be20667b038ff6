/**
 * Widget property declarations: one table per widget drives attribute parsing, validation,
 * the lesson validator and (later) the docs page.
 *
 * A declaration is an array of
 *   { name, type, default, description, min?, max?, values?, maxTokens? }
 * where type is one of:
 *   'number'  — finite float in [min, max]
 *   'integer' — whole number in [min, max]
 *   'boolean' — "true" | "false" (a bare attribute counts as true)
 *   'enum'    — one of `values`
 *   'tokens'  — space-separated words (1..maxTokens, each 1-24 letters, digits, ' or -)
 *   'cell'    — "row,col" pair of whole numbers (range checked by the widget)
 *   'numbers' — comma-separated finite numbers, minItems..maxItems of them, each in [min, max]
 *
 * parseProps never throws: it returns { values, errors } where every invalid attribute falls back to
 * its default and contributes one plain-text message naming the attribute and the allowed range.
 */

const WORD = /^[A-Za-z0-9'-]{1,24}$/;

/** Parse one raw attribute string against its declaration; returns { value } or { error }. */
export function parseProp(decl, raw) {
  if (raw === null || raw === undefined) return { value: decl.default };
  const text = String(raw).trim();
  const fail = (why) => ({ error: `${decl.name}: ${why}` });
  switch (decl.type) {
    case 'number':
    case 'integer': {
      const v = text === '' ? NaN : Number(text);
      if (!Number.isFinite(v)) return fail(`"${clip(text)}" is not a number`);
      if (decl.type === 'integer' && !Number.isInteger(v)) return fail(`"${clip(text)}" is not a whole number`);
      if ((decl.min !== undefined && v < decl.min) || (decl.max !== undefined && v > decl.max))
        return fail(`${v} is outside the allowed range ${decl.min}..${decl.max}`);
      return { value: v };
    }
    case 'boolean':
      if (text === '' || text === 'true') return { value: true };
      if (text === 'false') return { value: false };
      return fail(`"${clip(text)}" must be true or false`);
    case 'enum':
      if (decl.values.includes(text)) return { value: text };
      return fail(`"${clip(text)}" must be one of ${decl.values.join(', ')}`);
    case 'tokens': {
      const words = text.split(/\s+/).filter(Boolean);
      const max = decl.maxTokens ?? 12;
      if (words.length === 0) return fail('needs at least one word');
      if (words.length > max) return fail(`has ${words.length} words; at most ${max} are allowed`);
      const bad = words.find((w) => !WORD.test(w));
      if (bad !== undefined) return fail(`"${clip(bad)}" is not a word (letters, digits, ' and - only, at most 24)`);
      return { value: words.map((w) => w.toLowerCase()) };
    }
    case 'cell': {
      const m = /^(\d{1,3}),(\d{1,3})$/.exec(text.replace(/\s+/g, ''));
      if (!m) return fail(`"${clip(text)}" must look like "row,col" (whole numbers, counted from 1)`);
      return { value: [Number(m[1]), Number(m[2])] };
    }
    case 'numbers': {
      const parts = text.split(',').map((p) => p.trim());
      const lo = decl.minItems ?? 1, hi = decl.maxItems ?? 16;
      if (text === '' || parts.length < lo || parts.length > hi)
        return fail(`needs ${lo} to ${hi} comma-separated numbers, got ${text === '' ? 0 : parts.length}`);
      const values = [];
      for (const p of parts) {
        const v = p === '' ? NaN : Number(p);
        if (!Number.isFinite(v)) return fail(`"${clip(p)}" is not a number`);
        if ((decl.min !== undefined && v < decl.min) || (decl.max !== undefined && v > decl.max))
          return fail(`${v} is outside the allowed range ${decl.min}..${decl.max}`);
        values.push(v);
      }
      return { value: values };
    }
    default:
      return fail(`unknown property type ${decl.type}`);
  }
}

/** Parse every declared property from a getter (name -> raw string or null). */
export function parseProps(decls, get) {
  const values = {};
  const errors = [];
  for (const decl of decls) {
    const r = parseProp(decl, get(decl.name));
    if (r.error) {
      errors.push(r.error);
      values[decl.name] = decl.default;
    } else values[decl.name] = r.value;
  }
  return { values, errors };
}

/**
 * The inverse of parseProp: a value of `decl`'s type as attribute text, such that
 * parseProp(decl, serializeProp(decl, v)).value equals v (numbers keep up to 6 significant digits).
 */
export function serializeProp(decl, value) {
  const num = (v) => String(Number(Number(v).toPrecision(6)));
  switch (decl.type) {
    case 'number':
    case 'integer':
      return num(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'tokens':
      return value.join(' ');
    case 'cell':
      return `${value[0]},${value[1]}`;
    case 'numbers':
      return value.map(num).join(',');
    default:
      return String(value);
  }
}

/**
 * Names that are legal on every widget besides its declared props. `hide` takes a comma-separated
 * list of the widget's `static controls` (or "controls" for all of them, "toolbar" for the
 * share/save buttons).
 */
export const GLOBAL_ATTRIBUTES = ['id', 'class', 'title', 'aria-label', 'lang', 'hide'];

function clip(s) {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
