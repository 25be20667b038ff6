// Lesson 7's "why divide by √d_k" step, scalingDemo, from node: the spread of q·k it measures grows
// like √d_k, the scaled row is the raw row over √d_k and goes through the same softmax as
// engine.softmax, and the saturation it shows matches the simulation the course's fact sheet cites
// (d_k = 64, 5 keys: largest unscaled weight about 0.90 on average, scaled about 0.46).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from '../../web/core/engine.js';
import { STOPS } from '../../web/widgets/dk-scaling.js';

let engine;
before(async () => {
  engine = await loadEngine();
});

const close = (actual, expected, tol, what) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} is not within ${tol} of ${expected}`);

test('the measured spread of q·k grows like √d_k, and the scaled spread stays near 1', () => {
  for (const dK of STOPS) {
    const d = engine.scalingDemo({ dK, keys: 6, seed: 3 });
    assert.equal(d.samples, 2000);
    close(d.spreadRaw / Math.sqrt(dK), 1, 0.1, `spread / √${dK}`);
    close(d.spreadScaled, 1, 0.1, `scaled spread at d_k = ${dK}`);
    close(d.spreadScaled, d.spreadRaw / Math.sqrt(dK), 1e-4, 'scaled spread = spread / √d_k');
  }
});

test('one row: scores are q·k, scaled scores are those over √d_k, weights are the core softmax of each', () => {
  const dK = 16, d = engine.scalingDemo({ dK, keys: 6, seed: 5 });
  assert.equal(d.q.length, dK);
  assert.deepEqual([d.K.rows, d.K.cols], [6, dK]);
  for (let j = 0; j < 6; j++) {
    const k = d.K.data.slice(j * dK, (j + 1) * dK);
    close(d.raw[j], engine.dot(d.q, k), 1e-4, `q·k_${j + 1}`);
    close(d.scaled[j], d.raw[j] / 4, 1e-5, `scaled ${j + 1}`);
  }
  assert.deepEqual(Array.from(d.weightsRaw), Array.from(engine.softmax(d.raw)));
  assert.deepEqual(Array.from(d.weightsScaled), Array.from(engine.softmax(d.scaled)));
  close(d.weightsScaled.reduce((a, b) => a + b, 0), 1, 1e-5, 'row sum');
});

test('same seed, same draw; the next seed, a fresh draw (not the same numbers shifted by one)', () => {
  const a = engine.scalingDemo({ dK: 8, seed: 1 }), b = engine.scalingDemo({ dK: 8, seed: 1 }), c = engine.scalingDemo({ dK: 8, seed: 2 });
  assert.deepEqual(Array.from(a.raw), Array.from(b.raw));
  const shared = Array.from(a.q).filter((v) => Array.from(c.q).includes(v) || Array.from(c.K.data).includes(v));
  assert.deepEqual(shared, [], 'seed 2 reuses numbers of seed 1');
});

test('saturation matches the cited simulation: d_k = 64, 5 keys, 200 draws', () => {
  let raw = 0, scaled = 0, above = 0;
  const n = 200;
  for (let seed = 1; seed <= n; seed++) {
    const d = engine.scalingDemo({ dK: 64, keys: 5, seed });
    const top = Math.max(...d.weightsRaw);
    raw += top;
    scaled += Math.max(...d.weightsScaled);
    if (top > 0.99) above++;
  }
  close(raw / n, 0.9, 0.05, 'mean largest unscaled weight');
  close(scaled / n, 0.46, 0.05, 'mean largest scaled weight');
  close(above / n, 0.44, 0.1, 'share of unscaled rows above 0.99');
});

test('bad arguments are refused with a message naming them', () => {
  assert.throws(() => engine.scalingDemo({ dK: 0 }), /scalingDemo: d_k .*0/);
  assert.throws(() => engine.scalingDemo({ dK: 513 }), /scalingDemo: d_k .*513/);
  assert.throws(() => engine.scalingDemo({ dK: 8, keys: 17 }), /scalingDemo: keys .*17/);
  assert.throws(() => engine.scalingDemo({ dK: 1.5 }), /scalingDemo: dK must be a whole number \(got 1.5\)/);
  assert.throws(() => engine.scalingDemo({ dK: 8, seed: -1 }), /scalingDemo: seed .*-1/);
});
