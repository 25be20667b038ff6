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

/**
 * The byte offset of a named place in a model file: a header field, "vocab" (first word),
 * "weight_count", "weights" (the first weight byte: a float16 in version 1, the first row's float32
 * scale in version 2), "checksum", or a number. `plus` is added.
 */
export function offsetOf(bytes, at, plus = 0) {
  if (typeof at === 'number') return at + plus;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const vocabBytes = bytes.length >= 40 ? view.getUint32(36, true) : 0;
  const places = { vocab: 40, weight_count: 40 + vocabBytes, weights: 44 + vocabBytes, checksum: bytes.length - 4 };
  const i = HEADER.indexOf(at);
  if (i >= 0) return 4 * i + plus;
  if (at in places) return places[at] + plus;
  throw new Error(`model-bin recipe: unknown place "${at}"`);
}

const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));

/** [rows, cols] of every tensor in model.bin order (see cpp/core/model_io.hpp). */
function tensorShapes({ vocab_size: V, d_model: d, n_layers: L, d_ff: f, max_positions: P }) {
  const block = [[1, d], [1, d], [d, d], [1, d], [d, d], [1, d], [d, d], [1, d], [d, d], [1, d], [1, d], [1, d], [d, f], [1, f], [f, d], [1, d]];
  return [[V, d], [P, d], ...Array.from({ length: L }, () => block).flat(), [1, d], [1, d], [1, V]];
}

/**
 * A tiny model file: { config: { vocab_size?, d_model, n_layers, n_heads, d_ff, max_positions },
 * words?: [...] (after [PAD] and [MASK]; default w2, w3, ...), flags?: 1, version?: 1 | 2 }.
 * Version 1 (the default here; the old float16 format, still read): fill is the float16 bits of
 * every weight (default 0x2e66, about 0.1). Version 2 (int8 rows, what the build ships): every row
 * stores `scale` (a float32, default 0.1 / 127) and every weight the int8 `q` (default 127), so each
 * weight is q x scale. vocab_size defaults to the number of words.
 */
export function tinyModel({ config, words, fill = 0x2e66, flags = 1, version = 1, scale = 0.1 / 127, q = 127 }) {
  const c = { ...config };
  const enc = new TextEncoder();
  const vocab = ['[PAD]', '[MASK]', ...(words ?? Array.from({ length: (c.vocab_size ?? 3) - 2 }, (_, i) => `w${i + 2}`))];
  c.vocab_size ??= vocab.length;
  const wordBytes = vocab.map((w) => enc.encode(w));
  const vocabBytes = wordBytes.reduce((n, w) => n + 1 + w.length, 0);
  const { vocab_size: V, d_model: d, n_layers: L, d_ff: f, max_positions: P } = c;
  const count = V * d + P * d + L * (4 * d + 4 * d * d + 4 * d + 2 * d * f + f + d) + 2 * d + V;
  const shapes = tensorShapes(c);
  const rows = shapes.reduce((n, [r]) => n + r, 0);
  const weightBytes = version === 2 ? count + 4 * rows : 2 * count;
  const bytes = new Uint8Array(40 + vocabBytes + 4 + weightBytes + 4);
  const view = new DataView(bytes.buffer);
  bytes.set(enc.encode('ATLM'), 0);
  [version, V, d, L, c.n_heads, f, P, flags, vocabBytes].forEach((v, i) => view.setUint32(4 + 4 * i, v, true));
  let at = 40;
  for (const w of wordBytes) {
    bytes[at] = w.length;
    bytes.set(w, at + 1);
    at += 1 + w.length;
  }
  view.setUint32(at, count, true);
  at += 4;
  if (version === 2) {
    for (const [r, cols] of shapes)
      for (let i = 0; i < r; i++) {
        view.setFloat32(at, scale, true);
        at += 4;
        for (let j = 0; j < cols; j++) view.setInt8(at++, q);
      }
  } else {
    for (let i = 0; i < count; i++, at += 2) view.setUint16(at, fill, true);
  }
  return reseal(bytes);
}

/**
 * Applies one recipe ({ mutate, ..., reseal?, then?: [recipes] }) to a copy of `base` and returns the
 * new bytes. mutate: "none" | "truncate" { length } (negative: drop from the end) | "append" { hex } |
 * "u8" / "u16" / "u32" { at, plus?, value } | "f32" { at, plus?, value (a number, "NaN" or "Infinity") } | "bytes" { at, plus?, hex } (overwrite) |
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
      view().setFloat32(where(), recipe.value === 'NaN' ? NaN : recipe.value === 'Infinity' ? Infinity : recipe.value, true);
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
