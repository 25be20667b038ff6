/**
 * model.bin bytes for the hostile-input corpus (tests/corpus/model-bin.json) and the fuzzing seeds
 * (fuzz/make-seeds.mjs): the FNV-1a checksum, the header's named offsets, recipes that edit the
 * shipped file, and tiny hand-made models. The byte layout is documented in cpp/core/model_io.hpp;
 * nothing here decodes a model (the core does that), it only writes bytes.
 */

/** 32-bit FNV-1a of bytes[0, end). */
export function fnv1a(bytes, end = bytes.length) {
  let h = 0x811c9dc5;
  for (let i = 0; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h >>> 0;
}

/** Rewrites the trailing checksum so an edit is judged on its own merits. Returns `bytes`. */
export function reseal(bytes) {
  if (bytes.length >= 4) new DataView(bytes.buffer, bytes.byteOffset).setUint32(bytes.length - 4, fnv1a(bytes, bytes.length - 4), true);
  return bytes;
}

const HEADER = ['magic', 'version', 'vocab_size', 'd_model', 'n_layers', 'n_heads', 'd_ff', 'max_positions', 'flags', 'vocab_bytes'];

/** Weights the config needs: all, matrix rows (version 2's scales) and matrix weights (its int8s). */
function counts({ vocab_size: V, d_model: d, n_layers: L, d_ff: f, max_positions: P }) {
  return {
    weights: V * d + P * d + L * (4 * d + 4 * d * d + 4 * d + 2 * d * f + f + d) + 2 * d + V,
    rows: V + P + L * (5 * d + f),
    int8s: V * d + P * d + L * (4 * d * d + 2 * d * f),
  };
}

/**
 * The byte offset of a named place in a model file: a header field, "vocab" (first word),
 * "weight_count", "weights" (the first weight: float16 in version 1, int8 in version 2), "checksum",
 * version 2's "scale_count", "scales" (the first scale), "int8" (= "weights") and "vectors" (the first
 * float16), or a number. `plus` is added.
 */
export function offsetOf(bytes, at, plus = 0) {
  if (typeof at === 'number') return at + plus;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const u32 = (o) => (bytes.length >= o + 4 ? view.getUint32(o, true) : 0);
  const vocabBytes = u32(36);
  const places = { vocab: 40, weight_count: 40 + vocabBytes, checksum: bytes.length - 4 };
  if (u32(4) === 2) {
    const [V, d, L, , f, P] = [8, 12, 16, 20, 24, 28].map(u32);
    const n = counts({ vocab_size: V, d_model: d, n_layers: L, d_ff: f, max_positions: P });
    Object.assign(places, { scale_count: 44 + vocabBytes, scales: 48 + vocabBytes, int8: 48 + vocabBytes + 4 * n.rows });
    places.weights = places.int8;
    places.vectors = places.int8 + n.int8s;
  } else places.weights = 44 + vocabBytes;
  const i = HEADER.indexOf(at);
  if (i >= 0) return 4 * i + plus;
  if (at in places) return places[at] + plus;
  throw new Error(`model-bin recipe: unknown place "${at}" (in a version ${u32(4)} file)`);
}

const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));

/** Float16 bits -> number. */
function halfToNumber(h) {
  const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/**
 * A tiny model file: { config: { vocab_size?, d_model, n_layers, n_heads, d_ff, max_positions },
 * words?: [...] (after [PAD] and [MASK]; default w2, w3, ...), fill: float16 bits of every weight
 * (default 0x2e66, about 0.1), flags?: 1, version?: 2 }. vocab_size defaults to the number of words.
 * In version 2 the matrices hold the same value as int8 127 (or 0) times a scale of |fill| / 127.
 */
export function tinyModel({ config, words, fill = 0x2e66, flags = 1, version = 2 }) {
  const c = { ...config };
  const enc = new TextEncoder();
  const vocab = ['[PAD]', '[MASK]', ...(words ?? Array.from({ length: (c.vocab_size ?? 3) - 2 }, (_, i) => `w${i + 2}`))];
  c.vocab_size ??= vocab.length;
  const wordBytes = vocab.map((w) => enc.encode(w));
  const vocabBytes = wordBytes.reduce((n, w) => n + 1 + w.length, 0);
  const n = counts(c);
  const weightBytes = version === 2 ? 4 + 4 * n.rows + n.int8s + 2 * (n.weights - n.int8s) : 2 * n.weights;
  const bytes = new Uint8Array(40 + vocabBytes + 4 + weightBytes + 4);
  const view = new DataView(bytes.buffer);
  bytes.set(enc.encode('ATLM'), 0);
  [version, c.vocab_size, c.d_model, c.n_layers, c.n_heads, c.d_ff, c.max_positions, flags, vocabBytes].forEach((v, i) => view.setUint32(4 + 4 * i, v, true));
  let at = 40;
  for (const w of wordBytes) {
    bytes[at] = w.length;
    bytes.set(w, at + 1);
    at += 1 + w.length;
  }
  view.setUint32(at, n.weights, true);
  at += 4;
  let halves = n.weights;
  if (version === 2) {
    const value = halfToNumber(fill);
    view.setUint32(at, n.rows, true);
    at += 4;
    for (let r = 0; r < n.rows; r++, at += 4) view.setFloat32(at, value ? Math.abs(value) / 127 : 1, true);
    for (let i = 0; i < n.int8s; i++, at++) view.setInt8(at, value > 0 ? 127 : value < 0 ? -127 : 0);
    halves -= n.int8s;
  }
  for (let i = 0; i < halves; i++, at += 2) view.setUint16(at, fill, true);
  return reseal(bytes);
}

/**
 * Applies one recipe ({ mutate, ..., reseal?, then?: [recipes] }) to a copy of `base` and returns the
 * new bytes. mutate: "none" | "truncate" { length } (negative: drop from the end) | "append" { hex } |
 * "u8" / "u16" / "u32" / "f32" { at, plus?, value } | "bytes" { at, plus?, hex } (overwrite) |
 * "splice" { at, plus?, remove?, hex? } | "tiny" { ...tinyModel options } (ignores base).
 */
export function applyRecipe(base, recipe) {
  let bytes = recipe.mutate === 'tiny' ? tinyModel(recipe) : base.slice();
  const where = () => offsetOf(bytes, recipe.at, recipe.plus);
  const view = () => new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  switch (recipe.mutate) {
    case 'none':
    case 'tiny':
      break;
    case 'truncate':
      bytes = bytes.slice(0, recipe.length < 0 ? bytes.length + recipe.length : recipe.length);
      break;
    case 'append': {
      const extra = fromHex(recipe.hex);
      const out = new Uint8Array(bytes.length + extra.length);
      out.set(bytes);
      out.set(extra, bytes.length);
      bytes = out;
      break;
    }
    case 'u8':
      bytes[where()] = recipe.value;
      break;
    case 'u16':
      view().setUint16(where(), recipe.value, true);
      break;
    case 'u32':
      view().setUint32(where(), recipe.value >>> 0, true);
      break;
    case 'f32':
      view().setFloat32(where(), recipe.value, true);
      break;
    case 'bytes':
      bytes.set(fromHex(recipe.hex), where());
      break;
    case 'splice': {
      const at = where();
      const insert = fromHex(recipe.hex ?? '');
      bytes = Uint8Array.from([...bytes.subarray(0, at), ...insert, ...bytes.subarray(at + (recipe.remove ?? 0))]);
      break;
    }
    default:
      throw new Error(`model-bin recipe: unknown mutate "${recipe.mutate}"`);
  }
  for (const step of recipe.then ?? []) bytes = applyRecipe(bytes, step);
  if (recipe.reseal) reseal(bytes);
  return bytes;
}
