// The C++-reachable hostile-input corpus (tests/corpus/{scenario,model-trace,model-bin,engine}.json,
// format in the coordination board): every case through the native CLI and the WASM engine. A case
// passes only if its outcome is the one written down ("ok", or an error whose message contains the
// given text) in both, both give the very same message, and the message is one short line. A crash
// (signal), a hang (timeout), exit code 1 (internal error), a non-Error throw or a vague message fails.
//
// Environment: ATTN_CLI (default build/native/attn; scripts/sanitize.sh points it at the ASan + UBSan
// build) and CORPUS_ENGINE=off to run only the CLI (the sanitizer tier does: WASM is not sanitized).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyRecipe } from '../corpus/model-bin.mjs';
import { expand, rawInput } from './corpus-core-values.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = process.env.ATTN_CLI ? join(ROOT, process.env.ATTN_CLI) : join(ROOT, 'build/native/attn');
const ENGINE = process.env.CORPUS_ENGINE !== 'off';
const SHIPPED = join(ROOT, 'web/model/model.bin');
const MAX_MESSAGE = 500; // characters: a message names what is wrong, it never echoes a huge input

/** Reads and checks one corpus file: surface name, unique ids, an expected outcome and a note per case. */
function corpus(surface) {
  const file = JSON.parse(readFileSync(join(ROOT, `tests/corpus/${surface}.json`), 'utf8'));
  assert.equal(file.surface, surface);
  const ids = new Set();
  for (const c of file.cases) {
    assert.ok(typeof c.id === 'string' && !ids.has(c.id), `duplicate or missing id ${c.id}`);
    ids.add(c.id);
    assert.ok(c.expect === 'ok' || typeof c.expect?.error === 'string', `${c.id}: expect must be "ok" or { error }`);
    assert.ok(typeof c.note === 'string' && c.note.length > 0, `${c.id}: every case says why it is there`);
  }
  return file.cases;
}

/** Runs the CLI; never throws. */
function cli(args, input) {
  const r = spawnSync(CLI, args, { input, timeout: 120_000, maxBuffer: 1 << 28 });
  return { code: r.status, signal: r.signal, timedOut: r.error?.code === 'ETIMEDOUT', out: r.stdout?.toString() ?? '', err: r.stderr?.toString() ?? '' };
}

/** The message rules every error obeys, wherever it comes from. */
function checkMessage(id, message, expect) {
  assert.ok(message.includes(expect.error), `${id}: message ${JSON.stringify(message)} should contain ${JSON.stringify(expect.error)}`);
  assert.ok(!message.includes('\n'), `${id}: the message must be one line`);
  assert.ok(message.length <= MAX_MESSAGE, `${id}: the message is ${message.length} characters long`);
  assert.match(message, /^[\w.[\]-]+: \S/, `${id}: the message starts with where it went wrong ("where: what")`);
  assert.doesNotMatch(message, /json\.exception|std::|bad_alloc|internal error/, `${id}: the message leaks an implementation detail`);
}

/** Checks a CLI result against the expected outcome and returns the error message (or null). */
function checkCli(id, r, expect) {
  assert.equal(r.timedOut, false, `${id}: the CLI hung`);
  assert.equal(r.signal, null, `${id}: the CLI crashed (${r.signal}): ${r.err.slice(0, 2000)}`);
  if (expect === 'ok') {
    assert.equal(r.code, 0, `${id}: ${r.err.slice(0, 500)}`);
    JSON.parse(r.out);
    return null;
  }
  assert.equal(r.code, 2, `${id}: exit code ${r.code} (2 means bad input): ${r.err.slice(0, 500)}`);
  assert.equal(r.out, '', `${id}: nothing on stdout after an error`);
  const lines = r.err.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `${id}: one line on stderr, got ${r.err.slice(0, 500)}`);
  assert.ok(lines[0].startsWith('attn: '), lines[0]);
  const message = lines[0].slice('attn: '.length);
  checkMessage(id, message, expect);
  return message;
}

/** Checks a binding result (a value or a returned Error) and returns the error message (or null). */
function checkWasm(id, result, expect) {
  if (expect === 'ok') {
    assert.ok(!(result instanceof Error), `${id}: ${result?.message}`);
    return null;
  }
  assert.ok(result instanceof Error, `${id}: expected an Error, got ${String(result).slice(0, 200)}`);
  checkMessage(id, result.message, expect);
  return result.message;
}

let raw; // module instances of our own: the raw binding takes the value JSON.parse gives for the CLI's text
let rawModel; // the course-model module (model.bin decoding and model traces)
let shippedHandle;
let work;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'attn-corpus-'));
  if (!ENGINE) return;
  const { default: create } = await import('../../web/core/wasm/attn.mjs');
  raw = await create({ wasmBinary: readFileSync(join(ROOT, 'web/core/wasm/attn.wasm')) });
  const { default: createModel } = await import('../../web/core/wasm/model.mjs');
  rawModel = await createModel({ wasmBinary: readFileSync(join(ROOT, 'web/core/wasm/model.wasm')) });
  shippedHandle = rawModel.loadModel(new Uint8Array(readFileSync(SHIPPED)));
});
after(() => {
  shippedHandle?.delete();
  rmSync(work, { recursive: true, force: true });
});

/**
 * The engine's side of a text case. The engine takes JS values, never JSON text, so it gets the
 * value JSON.parse gives for the case's text, and must answer exactly as the CLI answers for that
 * value's JSON.stringify text (the text engine.js used to send): the same for most cases; for text a
 * JS value cannot hold as written (18446744073709551615 reads as 2^64, 1e999 as Infinity) the CLI is
 * asked again with the JSON of what JS holds. Raw bytes and text JSON.parse refuses (comments, a byte
 * order mark, NaN literals) are the CLI's alone. A string with a lone surrogate, which the CLI's
 * parser refuses, must still fail with the case's expected words. Values nested too deep for
 * JSON.stringify are held exactly as written, so the CLI's message for the text stands.
 */
function checkEngine(c, cliArgs, cliMessage, call) {
  const text = rawInput(c.input);
  if (typeof text !== 'string') return;
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return;
  }
  const result = call(value);
  let expect = c.expect;
  let message = cliMessage;
  let canonical = text;
  try {
    canonical = JSON.stringify(value);
  } catch {
    // 100,000 levels deep: JSON.stringify overflows the stack (the engine reads it in bounded depth);
    // JSON.parse read it exactly, so the CLI's message for the text stands.
  }
  if (canonical !== text) {
    const again = cli(cliArgs, canonical);
    message = again.code === 0 ? null : again.err.trim().slice('attn: '.length);
    if (message === null) expect = 'ok';
    else if (!message.includes(': invalid JSON')) expect = { error: message };
  }
  const wasm = checkWasm(c.id, result, expect);
  if (message?.includes(': invalid JSON')) return; // lone surrogates: the engine's own words (checked above)
  assert.equal(wasm, message, `${c.id}: the CLI and the engine give the same message`);
  return result;
}

for (const c of corpus('scenario')) {
  test(`scenario: ${c.id}`, () => {
    const input = rawInput(c.input);
    const message = checkCli(c.id, cli(['trace'], input), c.expect);
    if (!ENGINE) return;
    const result = checkEngine(c, ['trace'], message, (value) => raw.trace(value));
    if (result && !(result instanceof Error)) assert.ok(Number.isInteger(result.n) && result.output.data instanceof Float32Array, `${c.id}: a typed trace`);
  });
}

for (const c of corpus('model-trace')) {
  test(`model-trace: ${c.id}`, () => {
    const args = ['model-trace', '--model', SHIPPED];
    const message = checkCli(c.id, cli(args, rawInput(c.input)), c.expect);
    if (!ENGINE) return;
    checkEngine(c, args, message, (value) => shippedHandle.trace(value));
  });
}

const shippedBytes = () => new Uint8Array(readFileSync(SHIPPED));

for (const c of corpus('model-bin')) {
  test(`model-bin: ${c.id}`, () => {
    const bytes = c.input.base64 ? new Uint8Array(Buffer.from(c.input.base64, 'base64')) : applyRecipe(shippedBytes(), c.input);
    const path = join(work, `${c.id}.bin`);
    writeFileSync(path, bytes);
    const input = { tokens: expand(c.input.tokens ?? ['[MASK]']) };
    const message = checkCli(c.id, cli(['model-trace', '--model', path], JSON.stringify(input)), c.expect);
    if (!ENGINE) return;
    const handle = rawModel.loadModel(bytes);
    let result = handle;
    if (!(handle instanceof Error)) {
      try {
        const info = handle.info();
        result = info instanceof Error ? info : handle.trace(input);
      } finally {
        handle.delete();
      }
    }
    assert.equal(checkWasm(c.id, result, c.expect), message, `${c.id}: the CLI and the engine give the same message`);
  });
}

// Engine calls reach the core through the public facade (web/core/engine.js): JS type checks there,
// numbers and sizes in the binding and the core.
const engineCases = corpus('engine');
let engine;
let model;

/** Every typed array in a result holds finite numbers (-Infinity only where maskCausal masks). */
function checkFinite(id, value, allowMasked) {
  if (value instanceof Float32Array) {
    assert.ok(value.every((x) => Number.isFinite(x) || (allowMasked && x === -Infinity)), `${id}: a result holds NaN or Infinity`);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) checkFinite(id, v, allowMasked);
  } else if (typeof value === 'number') {
    assert.ok(Number.isFinite(value), `${id}: result ${value}`);
  }
}

test('engine: every case', { skip: !ENGINE && 'CORPUS_ENGINE=off' }, async (t) => {
  const { loadEngine } = await import('../../web/core/engine.js');
  engine = await loadEngine();
  model = await engine.loadModel();
  engine.trace({ tokens: ['warm', 'up'] });
  const heapBefore = engine.heapInUse();
  for (const c of engineCases) {
    await t.test(c.id, () => {
      const { call, args = [] } = c.input;
      const target = call.startsWith('model.') ? model : engine;
      const fn = target[call.replace(/^model\./, '')];
      assert.equal(typeof fn, 'function', `${c.id}: no such call ${call}`);
      let result;
      let error = null;
      try {
        result = fn.apply(target, expand(args));
      } catch (e) {
        error = e;
      }
      if (c.expect === 'ok') {
        assert.equal(error, null, `${c.id}: ${error?.message}`);
        checkFinite(c.id, result, call === 'maskCausal');
        return;
      }
      assert.ok(error instanceof Error, `${c.id}: expected a thrown Error, got ${error === null ? 'a result' : String(error)}`);
      checkMessage(c.id, error.message, c.expect);
    });
  }
  // Hundreds of failing and oversized calls later, the wasm heap is where it was: nothing leaked.
  assert.equal(engine.heapInUse(), heapBefore, 'heap bytes in use changed over the engine corpus');
});

test('the corpus is large enough', () => {
  const counts = ['scenario', 'model-trace', 'model-bin', 'engine'].map((s) => corpus(s).length);
  assert.ok(counts.reduce((a, b) => a + b) >= 170, `only ${counts.join(' + ')} cases`);
});
