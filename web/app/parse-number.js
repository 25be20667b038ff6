/**
 * A tiny parser for the numbers learners type into numeric quiz answers. It reads arithmetic on
 * numbers and never evaluates code: the text is tokenised and walked by a small recursive-descent
 * grammar, so "alert(1)" or "2**1e9" cannot run or hang anything.
 *
 * Accepted:
 *   numbers     25, -0.5, .5, 0,5 (decimal comma), 1,024 (thousands), 1e-3, 1.5E+2
 *   minus signs - (hyphen), − (U+2212), – (en dash)
 *   operators   + -, * × · /, ÷, ^ or ** (powers, right-associative, exponent may be negative)
 *   brackets    ( )
 * so 1/1024, 2^-10, 2**-10, 1/2^10, (3+1)/8, 3 × 0.25 all read as numbers. A leading minus binds
 * looser than a power, as in maths: -2^2 is -4. Spaces are ignored (but not inside a number).
 */

const MAX_LENGTH = 80;
const MAX_DEPTH = 20;
const MINUS = /[−–]/g;
// A number token: thousands groups (1,024 but not 0,125), a decimal comma or point, an exponent.
const NUMBER = /^(?:[1-9]\d{0,2}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:[.,]\d+|\.)?|\.\d+)(?:e[+-]?\d+)?/i;
const THOUSANDS = /^[1-9]\d{0,2}(?:,\d{3})+/;
const OPERATORS = [['**', '^'], ['*', '*'], ['×', '*'], ['·', '*'], ['/', '/'], ['÷', '/'], ['^', '^'], ['+', '+'], ['-', '-'], ['(', '('], [')', ')']];

/**
 * Read a typed answer. `text`: what the learner typed (any value; converted to a string).
 * Returns a finite number, or NaN when the text is empty, is not arithmetic on numbers, is longer
 * than 80 characters, nests brackets deeper than 20, or works out to something not finite
 * (1/0, 10^400). Never throws.
 */
export function parseNumber(text) {
  const source = String(text ?? '').replace(MINUS, '-').trim();
  if (source === '' || source.length > MAX_LENGTH) return NaN;
  const tokens = tokenize(source);
  if (!tokens) return NaN;
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos];
  const take = (op) => (tokens[pos] === op ? (pos++, true) : false);

  // expr := term (('+' | '-') term)*
  const expr = () => {
    let value = term();
    for (;;) {
      if (take('+')) value += term();
      else if (take('-')) value -= term();
      else return value;
    }
  };
  // term := unary (('*' | '/') unary)*
  const term = () => {
    let value = unary();
    for (;;) {
      if (take('*')) value *= unary();
      else if (take('/')) value /= unary();
      else return value;
    }
  };
  // unary := ('-' | '+') unary | power
  const unary = () => {
    if (take('-')) return -unary();
    if (take('+')) return unary();
    return power();
  };
  // power := atom ('^' unary)?      (right-associative: 2^3^2 = 2^9, 2^-10 allowed)
  const power = () => {
    const base = atom();
    return take('^') ? base ** unary() : base;
  };
  // atom := number | '(' expr ')'
  const atom = () => {
    const t = peek();
    if (typeof t === 'number') {
      pos++;
      return t;
    }
    if (t === '(' && depth < MAX_DEPTH) {
      pos++;
      depth++;
      const value = expr();
      depth--;
      if (take(')')) return value;
    }
    throw new SyntaxError('not arithmetic');
  };

  try {
    const value = expr();
    return pos === tokens.length && Number.isFinite(value) ? value : NaN;
  } catch {
    return NaN;
  }
}

/** Split the text into numbers and operator strings; null when something else is in it. */
function tokenize(source) {
  const tokens = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    if (/^\s/.test(rest)) {
      i++;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      const raw = number[0];
      tokens.push(Number(THOUSANDS.test(raw) ? raw.replace(/,/g, '') : raw.replace(',', '.')));
      i += number[0].length;
      continue;
    }
    const op = OPERATORS.find(([symbol]) => rest.startsWith(symbol));
    if (!op) return null;
    tokens.push(op[1]);
    i += op[0].length;
  }
  return tokens;
}
