// Lesson 14's game rules in node, on the real engine, model and analysis.json: rounds are fresh and
// fair, the graded score and the pre-chosen baselines are what the lesson says, and the strategy
// averages quoted in lessons/14-predict-heads.md are the ones measured here over 200 rounds.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine } from '../../web/core/engine.js';
import {
  RECORD_ROUNDS_KEPT, addRound, averages, emptyRecord, fixedOffsetKey, headRelation, labelTargets, legacySummary,
  offsetTargets, readRecord, relationRows, roundPlan, scoreRound, scoreRows, sentenceFor, strongestPaths, suggestions,
} from '../../web/widgets/predict-head-rounds.js';
import { cleanSentence } from '../../web/widgets/head-gallery.js';
import { widgetValueError } from '../../web/app/progress-record.js';
import { openProgress } from '../../web/app/progress.js';

const analysis = JSON.parse(readFileSync(new URL('../../web/model/analysis.json', import.meta.url), 'utf8'));
const lesson = readFileSync(new URL('../../lessons/14-predict-heads.md', import.meta.url), 'utf8');
const SEED = 7; // the lesson's seed attribute
let engine, model;
before(async () => {
  engine = await loadEngine();
  model = await engine.loadModel();
});

/** Round r exactly as the widget opens it from the `round` attribute. */
function round(r, seed = SEED) {
  const plan = roundPlan(seed, r, analysis.heads.length);
  const head = analysis.heads[plan.headIndex];
  const parse = sentenceFor(engine, head, plan.samplerSeed);
  const weights = model.trace(parse.words).attention[head.layer - 1][head.head - 1];
  return { head, parse, weights };
}

/** A seeded generator for the random strategy (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('strategy replay over 200 rounds: the averages lesson 14 quotes are the measured ones', () => {
  const rand = rng(2024);
  const sums = { random: 0, self: 0, offset: 0, label: 0 };
  const N = 200;
  for (let r = 1; r <= N; r++) {
    const { head, parse, weights } = round(r);
    const n = weights.length;
    const randomGuess = weights.map(() => Math.floor(rand() * n));
    sums.random += scoreRows(randomGuess, weights);
    sums.self += scoreRows(offsetTargets('self', n), weights);
    sums.offset += scoreRows(offsetTargets(fixedOffsetKey(head), n), weights);
    sums.label += scoreRows(labelTargets(head, n, parse), weights);
  }
  const avg = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, (v / N).toFixed(2)]));
  console.log('# replay averages over 200 rounds (seed 7):', JSON.stringify(avg));
  const quoted = /random picks (\d+\.\d+), always the word itself (\d+\.\d+), the fixed offset from the analysis alone (\d+\.\d+), follow the label (\d+\.\d+)/.exec(lesson.replace(/\s+/g, ' '));
  assert.ok(quoted, 'lesson 14 quotes the four averages');
  assert.deepEqual({ random: quoted[1], self: quoted[2], offset: quoted[3], label: quoted[4] }, avg);
  // the lesson's reading of them: the offset clearly beats chance, the label does at least as well
  assert.ok(Number(avg.offset) > 1.5 * Number(avg.random));
  assert.ok(Number(avg.label) >= Number(avg.offset));
});

test('500 rounds: every relation head gets a sentence whose gold parse has its relation, on a row it speaks about', () => {
  const relationHeads = analysis.heads.filter((h) => headRelation(h));
  assert.deepEqual(relationHeads.map((h) => h.id), ['1-1', '1-3', '3-2']);
  const shown = new Map();
  for (let r = 1; r <= 500; r++) {
    const plan = roundPlan(SEED, r, 12);
    const head = analysis.heads[plan.headIndex];
    shown.set(head.layer, (shown.get(head.layer) ?? 0) + 1);
    const rel = headRelation(head);
    if (!rel) continue;
    const parse = sentenceFor(engine, head, plan.samplerSeed);
    assert.equal(parse.words.length, 5);
    assert.ok(parse.rels.includes(rel.relation), `round ${r}: "${parse.words.join(' ')}" has no ${rel.relation} for head ${head.id}`);
    assert.ok(relationRows(head, parse).length > 0, `round ${r}: the label of ${head.id} speaks about no row`);
  }
  assert.deepEqual([...shown.keys()].sort(), [1, 2, 3], 'heads from all three layers take part');
});

test('60 rounds in a row give at least 55 distinct (head, sentence) pairs; every 12 rounds show every head', () => {
  const pairs = new Set();
  for (let r = 1; r <= 60; r++) {
    const { head, parse } = round(r);
    pairs.add(`${head.id}|${parse.words.join(' ')}`);
  }
  assert.ok(pairs.size >= 55, `${pairs.size} distinct pairs`);
  for (let block = 0; block < 5; block++) {
    const heads = new Set([...Array(12).keys()].map((k) => roundPlan(SEED, block * 12 + k + 1).headIndex));
    assert.equal(heads.size, 12);
  }
  // another seed gives other rounds
  assert.notDeepEqual(round(1, 8).parse.words, round(1, SEED).parse.words);
});

test('graded scoring: a row earns the weight on the pick, so a near-tie costs almost nothing', () => {
  const w = [[0.43, 0.42, 0.15], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]];
  assert.equal(scoreRows([0, 2, 2], w), 0.43 + 0.8 + 0.4);
  assert.ok(Math.abs(scoreRows([1, 2, 2], w) - scoreRows([0, 2, 2], w)) < 0.011);
  const head = analysis.heads.find((h) => h.id === '1-2'); // previous token
  assert.equal(fixedOffsetKey(head), 'previous');
  assert.deepEqual(offsetTargets('previous', 5), [0, 0, 1, 2, 3]);
  assert.deepEqual(offsetTargets('next', 5), [1, 2, 3, 4, 4]);
  // the fixed offset is the head's, never chosen after seeing the map
  for (const h of analysis.heads) {
    const key = fixedOffsetKey(h);
    for (const k of ['previous', 'next', 'self', 'first']) assert.ok(h[key] >= h[k]);
  }
  const s = scoreRound({ head, weights: round(1).weights, guess: [0, 0, 1, 2, 3], parse: null });
  assert.equal(s.chance, 1);
  assert.equal(s.learner, s.offset, 'always-previous on a previous-token head equals its fixed offset');
});

test('follow the label uses the gold parse: a noun points at its determiner, a verb at its object', () => {
  const det = analysis.heads.find((h) => h.id === '3-2');
  const dobj = analysis.heads.find((h) => h.id === '1-1');
  // "the dog saw a cat": the <-det- dog -nsubj-> saw <-dobj- cat -det-> a
  const parse = { words: ['the', 'dog', 'saw', 'a', 'cat'], heads: [1, 2, -1, 4, 2], rels: ['det', 'nsubj', 'root', 'det', 'dobj'] };
  const t = labelTargets(det, 5, parse);
  assert.equal(t[1], 0, 'dog -> the');
  assert.equal(t[4], 3, 'cat -> a');
  assert.deepEqual(relationRows(det, parse), [1, 4]);
  assert.equal(labelTargets(dobj, 5, parse)[2], 4, 'saw -> cat');
  assert.equal(labelTargets(det, 5, null), null, 'no parse (your own sentence): no label baseline');
});

test('the record fits the progress store, keeps the last 100 rounds and migrates the old one', () => {
  let rec = emptyRecord();
  for (let i = 0; i < 130; i++) rec = addRound(rec, '3-2', { learner: 4.99, offset: 2.37, label: i % 2 ? null : 3.33 });
  assert.equal(rec.played, 130);
  assert.equal(rec.rounds.length, RECORD_ROUNDS_KEPT);
  assert.equal(widgetValueError(rec), '', 'a full record is within the store limit');
  assert.deepEqual(readRecord(JSON.parse(JSON.stringify(rec))), rec);
  assert.equal(readRecord({ v: 1, rounds: [] }), null);
  assert.equal(readRecord('junk'), null);
  const a = averages(rec, { n: 5, filter: (id) => id === '3-2' });
  assert.equal(a.count, 5);
  assert.ok(Math.abs(a.you - 4.99) < 1e-9);
  const old = JSON.stringify({ version: 1, rounds: [{ round: 1, score: 2, head: '1-2', guess: [] }, { round: 2, score: 4, head: '2-1', guess: [] }] });
  assert.deepEqual(legacySummary(old), { rounds: 2, best: 4 });
  assert.equal(legacySummary('{oops'), null);
  // it travels with the progress export and comes back with an import
  const mem = new Map();
  const storage = { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => void mem.set(k, v), removeItem: (k) => void mem.delete(k), key: (i) => [...mem.keys()][i] ?? null, get length() { return mem.size; } };
  const store = openProgress({ storage, events: null });
  store.recordWidget('predict-head', rec);
  const file = store.exportText();
  assert.deepEqual(JSON.parse(file).progress.widgets['predict-head'], rec);
  const other = openProgress({ storage: null, events: null });
  assert.equal(other.importText(file).ok, true);
  assert.deepEqual(readRecord(other.widgetRecord('predict-head')), rec);
});

test('own sentences: punctuation is stripped and reported, unknown words get in-vocabulary suggestions', () => {
  assert.deepEqual(cleanSentence('The dog saw a ball.'), { words: ['the', 'dog', 'saw', 'a', 'ball'], removed: ['.'] });
  const vocab = model.vocab;
  const near = suggestions('dgo', vocab);
  assert.ok(near.includes('dog'), near.join(','));
  for (const w of near) assert.ok(vocab.includes(w));
  const t = model.trace(['the', 'dog', 'saw', 'a', 'cat']);
  assert.deepEqual(t.unknown, []);
});

test('routing: the strongest link is followed from the top layer down', () => {
  const eye = [[1, 0], [0, 1]];
  const swap = [[0, 1], [1, 0]];
  const half = [[0.5, 0.5], [0.5, 0.5]];
  const paths = strongestPaths([[eye, half], [swap, half]]);
  assert.deepEqual(paths[0].map((s) => [s.layer, s.head, s.from, s.to]), [[2, 1, 0, 1], [1, 1, 1, 1]]);
  const real = strongestPaths(model.trace(['the', 'dog', 'saw', 'a', 'cat']).attention);
  assert.equal(real.length, 5);
  for (const p of real) assert.deepEqual(p.map((s) => s.layer), [3, 2, 1]);
});
