// `npm run train` reproduces the shipped weights bit for bit: retrain with the shipped command into
// a temporary folder and compare bytes. (About 3 minutes of one core: the longest test, on purpose.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function run(cmd, args) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: ROOT });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, err }));
  });
}

test('retraining with the shipped command gives byte-identical model.bin and analysis', { timeout: 15 * 60 * 1000 }, async () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'web/model/manifest.json'), 'utf8'));
  assert.match(manifest.command, /^attn train --heads 4 --steps 6000 --seed 1 /);
  const dir = mkdtempSync(join(tmpdir(), 'attn-train-'));
  try {
    const t = await run(join(ROOT, 'build/native/attn'), ['train', '--heads', '4', '--steps', '6000', '--seed', '1', '--out', dir]);
    assert.equal(t.code, 0, t.err);
    assert.ok(readFileSync(join(dir, 'model.bin')).equals(readFileSync(join(ROOT, 'web/model/model.bin'))), 'model.bin differs from the shipped weights');
    const fresh = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    assert.equal(fresh.grammar_hash, manifest.grammar_hash);
    assert.deepEqual(fresh.heldout, manifest.heldout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
