/**
 * The rules of lesson 14's game, without the DOM (node tests import this file directly):
 * which head and sentence a round shows, the pre-chosen baselines, the graded score, and the
 * learner's running record (kept in the course progress store under the widget key "predict-head").
 *
 * Rounds. Round r under seed s shows head `roundPlan(s, r).headIndex` (the 12 heads in a fresh
 * seeded order every 12 rounds, so all three layers take part) on a five-word sentence drawn by the
 * engine's grammar sampler (engine.sampleSentences) from the round's own sampler seed. A head whose
 * analysis label names a relation ("noun → its determiner") only gets sentences whose gold parse has
 * that relation; positional, mixed and broad heads get any sentence.
 *
 * Scoring. A row scores the weight the real head puts on the guessed word, so a round scores 0-5 and
 * a near-tie costs almost nothing. Every round shows the same score for three strategies fixed before
 * the round: chance (1/n per row: exactly 1 per round, since each row's weights sum to 1), the head's
 * fixed offset (previous / next / self / first word, whichever its analysis.json shares rank first,
 * measured on held-out sentences) and "follow the label" (the related word from the gold parse for a
 * relation head's rows where the relation applies, the label's offset for a positional head, the
 * fixed offset elsewhere). Every weight comes from the engine; this file only picks, adds and compares.
 */
import { cleanSentence } from './dom.js';
import { labelKind } from './head-gallery.js';

export { cleanSentence };

export const WORDS = 5;
export const RECORD_KEY = 'predict-head';
export const RECORD_VERSION = 2;
export const RECORD_ROUNDS_KEPT = 100;
export const LEGACY_GAME_KEY = 'attention-lab/predict-head';
export const OFFSET_KEYS = ['previous', 'next', 'self', 'first'];
export const OFFSET_NAMES = { previous: 'the previous word', next: 'the next word', self: 'the word itself', first: 'the first word' };

/** A 32-bit hash of two whole numbers (picks rounds; no attention math). */
export function mix(a, b) {
  let h = Math.imul((a >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = (h ^ Math.imul((b >>> 0) + 0x632be5ab, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Head index (0-based) and sampler seed of round r (from 1) under a game seed. */
export function roundPlan(seed, round, nHeads = 12) {
  const block = Math.floor((round - 1) / nHeads);
  const order = [...Array(nHeads).keys()];
  for (let i = nHeads - 1; i > 0; i--) {
    const j = mix(mix(seed, block), i) % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return { headIndex: order[(round - 1) % nHeads], samplerSeed: mix(seed + 0x51ed, round) };
}

/** The relation a head's label names ({ relation, direction, phrase, ... } from analysis.json) or null. */
export function headRelation(head) {
  const r = head.best_relation;
  return r && head.label.split('; ').includes(r.phrase) ? r : null;
}

/** Relation names a round for this head must contain. */
export const needsFor = (head) => (headRelation(head) ? [headRelation(head).relation] : []);

/**
 * The sentence of round r for `head`: the first of a few sampled candidates whose (head, sentence)
 * pair is not in `avoid` (a Set of "head|sentence" keys), else the first. Returns { words, heads, rels }.
 */
export function sentenceFor(engine, head, samplerSeed, avoid = null) {
  const { sentences } = engine.sampleSentences({ words: WORDS, count: 4, seed: samplerSeed, needs: needsFor(head) });
  return sentences.find((s) => !avoid?.has(`${head.id}|${s.words.join(' ')}`)) ?? sentences[0];
}

/** The offset a head is most often at, from its analysis.json shares (chosen before any round). */
export function fixedOffsetKey(head) {
  return OFFSET_KEYS.reduce((best, k) => ((head[k] ?? 0) > (head[best] ?? 0) ? k : best), OFFSET_KEYS[0]);
}

/** Row targets of a fixed offset; a row with no previous (next) word points at itself. */
export function offsetTargets(key, n) {
  return [...Array(n).keys()].map((i) => ({ previous: i > 0 ? i - 1 : i, next: i < n - 1 ? i + 1 : i, self: i, first: 0 })[key]);
}

const LABEL_OFFSETS = { 'previous token': 'previous', 'next token': 'next', 'first token': 'first', self: 'self' };

/**
 * "Follow the label": row targets from the head's label and the sentence's gold parse
 * ({ heads, rels }), or null when the label needs a parse and there is none (your own sentence).
 */
export function labelTargets(head, n, parse) {
  const base = offsetTargets(fixedOffsetKey(head), n);
  const kind = labelKind(head.label);
  if (kind === 'positional') {
    const key = LABEL_OFFSETS[head.label.split('; ')[0]];
    return key ? offsetTargets(key, n) : base;
  }
  const rel = headRelation(head);
  if (!rel) return base;
  if (!parse) return null;
  return base.map((t, i) => {
    if (rel.direction === 'dependent_to_head') return parse.rels[i] === rel.relation && parse.heads[i] >= 0 ? parse.heads[i] : t;
    const j = parse.heads.findIndex((h, k) => h === i && parse.rels[k] === rel.relation);
    return j >= 0 ? j : t;
  });
}

/** The rows a relation head's label speaks about (its query side), for the round's explanation. */
export function relationRows(head, parse) {
  const rel = headRelation(head);
  if (!rel || !parse) return [];
  return parse.words.map((_, i) => i).filter((i) => (rel.direction === 'dependent_to_head'
    ? parse.rels[i] === rel.relation
    : parse.heads.some((h, k) => h === i && parse.rels[k] === rel.relation)));
}

/** Score of row targets on a weight map: the weight on each guessed word, added over the rows. */
export function scoreRows(targets, weights) {
  return weights.reduce((s, row, i) => s + (targets[i] === null || targets[i] === undefined ? 0 : row[targets[i]]), 0);
}

/** Everything a revealed round reports: learner and baseline scores, rounded to hundredths. */
export function scoreRound({ head, weights, guess, parse }) {
  const n = weights.length;
  const round2 = (x) => Math.round(x * 100) / 100;
  const offsetKey = fixedOffsetKey(head);
  const label = labelTargets(head, n, parse);
  return {
    learner: round2(scoreRows(guess, weights)),
    chance: 1,
    offset: round2(scoreRows(offsetTargets(offsetKey, n), weights)),
    offsetKey,
    label: label ? round2(scoreRows(label, weights)) : null,
    labelTargets: label,
  };
}

// ---------------------------------------------------------------- the running record

/** A fresh record: { v, played, rounds: [[head, you, offset, label|null], ...] } (newest last). */
export const emptyRecord = () => ({ v: RECORD_VERSION, played: 0, rounds: [] });

/** The stored record if it is one this version reads, else null. */
export function readRecord(value) {
  if (!value || typeof value !== 'object' || value.v !== RECORD_VERSION || !Number.isInteger(value.played) || !Array.isArray(value.rounds)) return null;
  const ok = (x) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= WORDS;
  const rounds = value.rounds.filter((r) => Array.isArray(r) && typeof r[0] === 'string' && ok(r[1]) && ok(r[2]) && (r[3] === null || ok(r[3])));
  const out = { v: RECORD_VERSION, played: Math.max(value.played, rounds.length), rounds: rounds.slice(-RECORD_ROUNDS_KEPT) };
  if (Number.isInteger(value.traced) && value.traced > 0) out.traced = value.traced;
  if (value.legacy && Number.isInteger(value.legacy.rounds)) out.legacy = { rounds: value.legacy.rounds, best: Number(value.legacy.best) || 0 };
  return out;
}

/** The record after a whole layer was traced and revealed. */
export const addTrace = (record) => ({ ...record, traced: (record.traced ?? 0) + 1 });

/** The record with one more round. */
export function addRound(record, head, s) {
  const rounds = [...record.rounds, [head, s.learner, s.offset, s.label]].slice(-RECORD_ROUNDS_KEPT);
  return { ...record, played: record.played + 1, rounds };
}

/**
 * The old game record (localStorage "attention-lab/predict-head", { version: 1, rounds: [{ score,
 * round, head, guess, ... }] }, argmax-scored) as a legacy summary, or null if it is unusable.
 */
export function legacySummary(raw) {
  try {
    const g = JSON.parse(raw);
    if (!g || g.version !== 1 || !Array.isArray(g.rounds)) return null;
    const scores = g.rounds.map((r) => r?.score).filter((x) => Number.isInteger(x) && x >= 0 && x <= WORDS);
    return { rounds: scores.length, best: scores.length ? Math.max(...scores) : 0 };
  } catch {
    return null;
  }
}

/** Averages of the last `n` rounds matching `filter` (head id -> bool): { count, you, offset, label, labelCount }. */
export function averages(record, { n = Infinity, filter = () => true } = {}) {
  const rows = record.rounds.filter((r) => filter(r[0])).slice(-n);
  const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const labels = rows.map((r) => r[3]).filter((x) => x !== null);
  return { count: rows.length, you: mean(rows.map((r) => r[1])), offset: mean(rows.map((r) => r[2])), label: mean(labels), labelCount: labels.length };
}

// ---------------------------------------------------------------- your own sentence

function editDistance(a, b) {
  const d = [...Array(b.length + 1).keys()];
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return d[b.length];
}

/** Up to `k` in-vocabulary words closest in spelling to `word` (ties alphabetical). */
export function suggestions(word, vocab, k = 3) {
  return vocab.filter((v) => /^[a-z]/.test(v))
    .map((v) => [editDistance(word, v) - (v[0] === word[0] ? 0.5 : 0), v])
    .sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1))
    .slice(0, k).map(([, v]) => v);
}

// ---------------------------------------------------------------- routing through the layers

/**
 * "Follow the strongest link": for each word, the single largest weight over every head of the top
 * layer, then from the word it points at, the largest over every head of the layer below, down to
 * layer 1. attention[layer][head] is n x n (row = query). Returns, per word, a list from the top
 * layer down of { layer, head, from, to, weight } (1-based layer and head, 0-based positions).
 */
export function strongestPaths(attention) {
  const n = attention[0][0].length;
  return [...Array(n).keys()].map((start) => {
    const path = [];
    let at = start;
    for (let L = attention.length - 1; L >= 0; L--) {
      let best = { head: 0, to: at, weight: -1 };
      attention[L].forEach((w, h) => w[at].forEach((v, j) => {
        if (v > best.weight) best = { head: h, to: j, weight: v };
      }));
      path.push({ layer: L + 1, head: best.head + 1, from: at, to: best.to, weight: best.weight });
      at = best.to;
    }
    return path;
  });
}
