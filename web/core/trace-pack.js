/**
 * Trace packs: engine results computed at build time, stored compactly for the widgets to draw
 * without loading the course model. scripts/lib/model-presets.mjs runs the built model.wasm in node
 * (through engine.js, the same code the browser runs) over every preset state a widget can reach and
 * writes one pack per file; the widgets look entries up by key and draw them exactly as they draw a
 * live trace. No number is computed here: a pack holds the engine's float32 values bit for bit.
 *
 * Format (little-endian): "ATP1", u32 header length, the header as UTF-8 JSON, zero bytes up to a
 * multiple of 4, then every float32 matrix's data as one block stored in byte planes (all first
 * bytes, then all second bytes, ...: the sign and exponent bytes of neighbouring weights are alike,
 * which gzip packs better). The header is { meta, entries: [{ key, request, value }] } where value
 * is any JSON data in which each { rows, cols, data: Float32Array } matrix is written as
 * { "$m": [rows, cols, offset] } (offset in floats into the data block; identical matrices, e.g. a
 * layer's W_O in every sentence, are stored once).
 */

const MAGIC = 'ATP1';

const isMatrix = (v) => v !== null && typeof v === 'object' && v.data instanceof Float32Array;

/** Bytes of a pack holding `entries` ([{ key, request, value }]) and `meta` (JSON data). */
export function encodeTracePack(meta, entries) {
  const blocks = [];
  const seen = new Map(); // bytes as a string -> offset, to store identical matrices once
  let floats = 0;
  const strip = (v) => {
    if (isMatrix(v)) {
      const bytes = new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength);
      const id = `${v.rows}x${v.cols}:${String.fromCharCode(...bytes.subarray(0, 64))}${bytes.length}`;
      let offset;
      for (const cand of seen.get(id) ?? []) if (sameFloats(blocks, cand, v.data)) offset = cand.offset;
      if (offset === undefined) {
        offset = floats;
        blocks.push({ offset, data: Float32Array.from(v.data) });
        if (!seen.has(id)) seen.set(id, []);
        seen.get(id).push({ offset, index: blocks.length - 1 });
        floats += v.data.length;
      }
      return { $m: [v.rows, v.cols, offset] };
    }
    if (Array.isArray(v)) return v.map(strip);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  const header = new TextEncoder().encode(JSON.stringify({ meta, entries: entries.map((e) => ({ ...e, value: strip(e.value) })) }));
  const start = Math.ceil((8 + header.length) / 4) * 4;
  const out = new Uint8Array(start + floats * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, 8);
  const all = new Float32Array(floats);
  for (const b of blocks) all.set(b.data, b.offset);
  const raw = new Uint8Array(all.buffer);
  for (let i = 0; i < floats; i++) for (let k = 0; k < 4; k++) out[start + k * floats + i] = raw[i * 4 + k];
  return out;
}

function sameFloats(blocks, cand, data) {
  const have = blocks[cand.index].data;
  if (have.length !== data.length) return false;
  for (let i = 0; i < data.length; i++) if (!Object.is(have[i], data[i])) return false;
  return true;
}

/**
 * A pack from its bytes: { meta, keys, request(key), get(key) }. get returns a fresh copy of the
 * entry's value (callers may convert it in place, e.g. with plainTrace) whose matrices are
 * { rows, cols, data: Float32Array }, or undefined for a key the pack does not hold. Throws an Error
 * naming what is wrong with bytes that are not a pack.
 */
export function decodeTracePack(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC)
    throw new Error('trace pack: not a trace pack (no "ATP1" at the start)');
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  if (8 + length > bytes.length) throw new Error(`trace pack: the header says ${length} bytes but the file has ${bytes.length - 8} after the start`);
  const { meta, entries } = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  const start = Math.ceil((8 + length) / 4) * 4;
  const floats = (bytes.length - start) / 4;
  if (!Number.isInteger(floats)) throw new Error('trace pack: the data block is not a whole number of float32 values');
  const raw = new Uint8Array(floats * 4);
  for (let i = 0; i < floats; i++) for (let k = 0; k < 4; k++) raw[i * 4 + k] = bytes[start + k * floats + i];
  const data = new Float32Array(raw.buffer);
  const build = (v) => {
    if (Array.isArray(v)) return v.map(build);
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v.$m)) {
        const [rows, cols, offset] = v.$m;
        return { rows, cols, data: data.subarray(offset, offset + rows * cols) };
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, build(x)]));
    }
    return v;
  };
  const byKey = new Map(entries.map((e) => [e.key, e]));
  return {
    meta,
    keys: [...byKey.keys()],
    request: (key) => byKey.get(key)?.request,
    get: (key) => (byKey.has(key) ? build(byKey.get(key).value) : undefined),
  };
}
