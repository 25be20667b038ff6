// `npm run train` reproduces the shipped weights bit for bit: retrain with the shipped command into
// a temporary folder and compare bytes. (About 3 minutes of one core: the longest test, on purpose.)
// The same run also writes its float weights in the float16 encoding (--f16-copy, which leaves
// model.bin as it is), the reference that proves the int8 model.bin keeps every head.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ATTN = join(ROOT, 'build/native/attn');

/** Largest |int8 - float16| of any attention weight of any head on the 1,000 analysis sentences. Measured
 * 0.0430 (head 3-2) on the shipped model; docs/model.md states both. */
const ATTENTION_TOLERANCE = 0.05;

function run(cmd, args) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: ROOT });
    let err = '', out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, err, out }));
  });
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
let dir, trained;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'attn-train-'));
  trained = await run(ATTN, ['train', '--heads', '4', '--steps', '6000', '--seed', '1', '--out', dir, '--f16-copy', join(dir, 'model-f16.bin')]);
}, { timeout: 15 * 60 * 1000 });

after(() => rmSync(dir, { recursive: true, force: true }));

test('retraining with the shipped command gives byte-identical model.bin and analysis', { timeout: 5 * 60 * 1000 }, async () => {
  const manifest = readJson(join(ROOT, 'web/model/manifest.json'));
  assert.match(manifest.command, /^attn train --heads 4 --steps 6000 --seed 1 --out web\/model$/);
  assert.equal(trained.code, 0, trained.err);
  assert.ok(readFileSync(join(dir, 'model.bin')).equals(readFileSync(join(ROOT, 'web/model/model.bin'))), 'model.bin differs from the shipped weights');
  const fresh = readJson(join(dir, 'manifest.json'));
  assert.equal(fresh.grammar_hash, manifest.grammar_hash);
  assert.deepEqual(fresh.heldout, manifest.heldout);
  assert.deepEqual(fresh.model_bin, manifest.model_bin);
  // The shipped analysis is the analysis of the shipped (int8) model.bin.
  const a = await run(ATTN, ['analyze', '--model', join(dir, 'model.bin'), '--out', join(dir, 'analysis.json')]);
  assert.equal(a.code, 0, a.err);
  const { command, ...ours } = readJson(join(dir, 'analysis.json'));
  const { command: shippedCommand, ...shipped } = readJson(join(ROOT, 'web/model/analysis.json'));
  assert.match(shippedCommand, /^attn analyze --model web\/model\/model.bin /);
  assert.deepEqual(ours, shipped);
});

test('int8 model.bin keeps every head of the float16 encoding: labels identical, attention within the tolerance', { timeout: 5 * 60 * 1000 }, async () => {
  assert.equal(trained.code, 0, trained.err);
  const int8 = readFileSync(join(dir, 'model.bin')), f16 = readFileSync(join(dir, 'model-f16.bin'));
  assert.equal(int8.readUInt32LE(4), 2, 'model.bin is version 2 (int8)');
  assert.equal(f16.readUInt32LE(4), 1, 'the reference is version 1 (float16)');
  assert.ok(int8.length < 0.55 * f16.length, `${int8.length} bytes against ${f16.length}`);
  const labels = {};
  for (const name of ['model.bin', 'model-f16.bin']) {
    const r = await run(ATTN, ['analyze', '--model', join(dir, name), '--out', join(dir, `${name}.json`)]);
    assert.equal(r.code, 0, r.err);
    labels[name] = readJson(join(dir, `${name}.json`)).labels;
  }
  assert.equal(Object.keys(labels['model.bin']).length, 12);
  assert.deepEqual(labels['model.bin'], labels['model-f16.bin']);
  const c = await run(ATTN, ['compare-heads', '--model', join(dir, 'model.bin'), '--reference', join(dir, 'model-f16.bin')]);
  assert.equal(c.code, 0, c.err);
  const diff = JSON.parse(c.out);
  assert.equal(diff.sentences, 1000);
  assert.deepEqual(Object.keys(diff.heads), Object.keys(labels['model.bin']));
  for (const [head, d] of Object.entries(diff.heads)) {
    assert.ok(d > 0, `head ${head}: the two encodings give identical attention, so this compares nothing`);
    assert.ok(d <= ATTENTION_TOLERANCE, `head ${head}: attention differs by up to ${d} (tolerance ${ATTENTION_TOLERANCE})`);
  }
  assert.equal(diff.max_abs_diff, Math.max(...Object.values(diff.heads)));
});
