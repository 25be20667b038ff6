// The grammar sampler as a step function: engine.sampleSentences (WASM) gives exactly what the
// native `attn sentences` gives for the same request, every sentence has the asked length, the asked
// relations (from its gold parse) and a well-formed tree, requests are reproducible from their seed,
// and bad requests get a plain message naming the option.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../../web/core/engine.js';

const ATTN = fileURLToPath(new URL('../../build/native/attn', import.meta.url));
let engine;
before(async () => {
  engine = await loadEngine();
});

// The sampler lives in the course-model module, which loads on demand (lessons 1-9 never fetch it).
test('sampleSentences names what to await until the course-model module is loaded, then samples', async () => {
  assert.throws(() => engine.sampleSentences({ seed: 1 }), {
    name: 'Error',
    message: 'sampleSentences: the course-model module is not loaded yet: await engine.loadModel() or engine.loadModelModule() first',
  });
  assert.throws(() => engine.grammarVocabulary(), /grammarVocabulary: the course-model module is not loaded yet/);
  assert.equal(await engine.loadModelModule(), engine);
  assert.equal(engine.sampleSentences({ seed: 1 }).sentences.length, 1);
});

function cli(args) {
  const r = spawnSync(ATTN, ['sentences', ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const REQUESTS = [
  { seed: 0, count: 20 },
  { seed: 7, count: 50, words: 5 },
  { seed: 123456789, count: 30, words: 5, needs: ['det'] },
  { seed: 42, count: 30, words: 5, needs: ['dobj'] },
  { seed: 42, count: 30, words: 5, needs: ['pobj'] },
  { seed: 9007199254740991, count: 10, words: 0, needs: ['cc', 'conj'] },
  { seed: 3, count: 10, words: 7, needs: ['amod', 'det'] },
];

test('WASM sampleSentences equals the native `attn sentences` for the same seeds and needs', () => {
  for (const r of REQUESTS) {
    const args = ['--seed', String(r.seed), '--count', String(r.count)];
    if (r.words !== undefined) args.push('--words', String(r.words));
    if (r.needs) args.push('--needs', r.needs.join(','));
    const native = cli(args);
    const wasm = engine.sampleSentences(r);
    assert.deepEqual(wasm, native, JSON.stringify(r));
    assert.equal(wasm.sentences.length, r.count);
  }
});

test('every sentence has the asked length, contains the asked relations and forms one tree', () => {
  for (const r of REQUESTS) {
    const { sentences } = engine.sampleSentences(r);
    const words = r.words ?? 5;
    const seen = new Set();
    for (const s of sentences) {
      if (words) assert.equal(s.words.length, words);
      assert.equal(s.heads.length, s.words.length);
      assert.equal(s.rels.length, s.words.length);
      for (const need of r.needs ?? []) assert.ok(s.rels.includes(need), `${s.words.join(' ')} lacks ${need}`);
      assert.equal(s.heads.filter((h) => h === -1).length, 1, 'one root');
      // every word reaches the root without a cycle
      s.heads.forEach((_, i) => {
        let at = i;
        for (let steps = 0; at !== -1; steps++) {
          assert.ok(steps <= s.words.length, `cycle in ${s.words.join(' ')}`);
          at = s.heads[at];
        }
      });
      const key = s.words.join(' ');
      assert.ok(!seen.has(key), `repeat: ${key}`);
      seen.add(key);
    }
  }
});

test('the same request gives the same sentences; another seed gives others', () => {
  const a = engine.sampleSentences({ seed: 11, count: 5 });
  const b = engine.sampleSentences({ seed: 11, count: 5 });
  const c = engine.sampleSentences({ seed: 12, count: 5 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.sentences, c.sentences);
  // a longer request starts with the shorter one (a stream, not a reshuffle)
  assert.deepEqual(engine.sampleSentences({ seed: 11, count: 8 }).sentences.slice(0, 5), a.sentences);
});

test('thousands of distinct five-word sentences', () => {
  const { sentences } = engine.sampleSentences({ seed: 1, count: 1000, words: 5 });
  assert.equal(new Set(sentences.map((s) => s.words.join(' '))).size, 1000);
});

test('bad requests name the option and what is allowed', () => {
  const bad = [
    [{ words: 2 }, /sampleSentences: words must be 0 \(any length\) or 3\.\.16 \(got 2\)/],
    [{ words: 40 }, /words must be a whole number from 0 to 16 \(got 40\)/],
    [{ count: 0 }, /count/],
    [{ count: 1.5 }, /count/],
    [{ seed: -1 }, /seed/],
    [{ seed: 'x' }, /seed must be a whole number, got "x"/],
    [{ needs: 'det' }, /needs must be a list of relation names/],
    [{ needs: ['dets'] }, /needs: unknown relation "dets" \(known: root, det, amod/],
    [{ word: 5 }, /unknown option "word" \(known: words, count, seed, needs\)/],
  ];
  for (const [req, re] of bad) assert.throws(() => engine.sampleSentences(req), re, JSON.stringify(req));
  assert.throws(() => engine.sampleSentences(null), /must be an object/);
  const r = spawnSync(ATTN, ['sentences', '--seed', '1', '--needs', 'nope'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown relation "nope"/);
});

test('a request the grammar cannot meet ends with a message, not a hang', () => {
  // a three-word sentence cannot hold a determiner, an adjective, a preposition and its object
  assert.throws(() => engine.sampleSentences({ words: 3, needs: ['det', 'amod', 'prep', 'pobj'] }),
    /the grammar gave only 0 of 1 distinct sentences of 3 words with det, amod, prep, pobj in 200000 draws/);
});

test('the grammar vocabulary lists every sampled word', () => {
  const vocab = new Set(engine.grammarVocabulary());
  for (const s of engine.sampleSentences({ seed: 5, count: 200, words: 0 }).sentences)
    for (const w of s.words) assert.ok(vocab.has(w), w);
});
