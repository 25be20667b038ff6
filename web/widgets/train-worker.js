/**
 * The live trainer's Web Worker (issue 12), started only by <attn-train-live> (train-live.js).
 *
 * It loads the course-model WASM module (../core/wasm/model.mjs: cpp/course's Trainer, grammar
 * sampler and head analysis), trains in chunks and posts a snapshot after each chunk, so the page
 * never waits on a training step. Every number comes from the C++ module; this file only schedules.
 *
 * Messages in (each carries `run`, the widget's run number; replies carry it back so the widget can
 * drop a chunk that finished after a reset):
 *   { type: 'reset', run, options: { seed, heads, layers, dModel, batch, lr, steps }, probe,
 *     heldOutEvery, heldOutSentences, analyzeEvery, analysisSentences }
 *   { type: 'play', run, speed: 'slow' | 'medium' | 'fast', until }  (trains up to step `until`, then stops)   { type: 'pause', run }
 *   { type: 'step', run, count }   { type: 'probe', run, text }   { type: 'sample', run, index }
 *   { type: 'fault', kind: 'throw' | 'oom' }   (tests only: makes the worker die the way a crash would)
 * Messages out: { type: 'ready' }, { type: 'snapshot', run, ... }, { type: 'sample', run, text },
 *   { type: 'error', run, message } (bad input; the run goes on), { type: 'fatal', message } (the
 *   module is unusable: the widget offers a restart).
 */
import createTrainModule from '../core/wasm/model.mjs';

/** Time budget of one chunk (ms) and the pause after it, per speed. */
export const SPEEDS = {
  slow: { budget: 0, steps: 1, rest: 400 },
  medium: { budget: 0, steps: 1, rest: 60 },
  fast: { budget: 120, steps: Infinity, rest: 0 },
};

let M = null;
let trainer = null;
let settings = null;
let run = 0;
let playing = false;
let timer = 0;
let trainMs = 0;

function fatal(err) {
  playing = false;
  clearTimeout(timer);
  postMessage({ type: 'fatal', message: String(err?.message ?? err) });
  close();
}

/** Runs `fn`; a returned Error is a bad request (reported, the run goes on); anything thrown is fatal. */
function guard(fn) {
  try {
    fn();
  } catch (err) {
    if (err instanceof Error && err.fromModule) postMessage({ type: 'error', run, message: err.message });
    else fatal(err);
  }
}

const call = (r) => {
  if (r instanceof Error) {
    r.fromModule = true;
    throw r;
  }
  return r;
};

function probe() {
  const p = call(trainer.probe(settings.probe));
  return { words: p.words, n: p.n, layers: p.layers, heads: p.heads, weights: p.weights };
}

function analysis() {
  const a = call(trainer.analyze(settings.analysisSentences));
  return a.heads.map((h) => ({
    id: h.id, layer: h.layer, head: h.head, label: h.label, previous: h.previous, next: h.next, self: h.self,
    first: h.first, entropy: h.entropy, uniform_entropy: h.uniform_entropy,
  }));
}

/** Trains `count` steps (or until the speed's time budget runs out) and posts one snapshot. */
function chunk(count, budget) {
  const t0 = performance.now();
  const losses = [];
  let heldOut = null, heads = null;
  do {
    losses.push(...call(trainer.step(1)));
    const step = trainer.steps();
    if (step % settings.heldOutEvery === 0) heldOut = { step, ...call(trainer.heldOut(settings.heldOutSentences)) };
    if (step % settings.analyzeEvery === 0) heads = { step, heads: analysis() };
  } while (losses.length < count && performance.now() - t0 < budget && trainer.steps() < (settings.until ?? Infinity));
  trainMs += performance.now() - t0;
  let map = null;
  try {
    map = probe();
  } catch (err) {
    if (!err.fromModule) throw err;
  }
  const weights = map?.weights;
  postMessage({ type: 'snapshot', run, step: trainer.steps(), losses, heldOut, analysis: heads, probe: map, trainMs },
    weights ? [weights.buffer] : []);
}

function loop() {
  if (!playing) return;
  const s = SPEEDS[settings.speed] ?? SPEEDS.fast;
  guard(() => chunk(s.steps, s.budget));
  if (trainer && trainer.steps() >= (settings.until ?? Infinity)) playing = false;
  if (playing) timer = setTimeout(loop, s.rest);
}

function handle(msg) {
  switch (msg.type) {
    case 'reset': {
      playing = false;
      clearTimeout(timer);
      run = msg.run;
      trainMs = 0;
      settings = { ...msg };
      trainer?.delete();
      trainer = new M.LiveTrainer();
      call(trainer.reset(msg.options));
      const map = probe();
      postMessage({ type: 'snapshot', run, step: 0, losses: [], trainMs: 0, probe: map,
        heldOut: { step: 0, ...call(trainer.heldOut(settings.heldOutSentences)) },
        analysis: { step: 0, heads: analysis() } }, [map.weights.buffer]);
      return;
    }
    case 'play':
      if (msg.run !== run || !trainer) return;
      settings.speed = msg.speed;
      settings.until = msg.until ?? Infinity;
      if (!playing) {
        playing = true;
        timer = setTimeout(loop, 0);
      }
      return;
    case 'pause':
      playing = false;
      clearTimeout(timer);
      return;
    case 'step':
      if (msg.run !== run || !trainer) return;
      settings.until = Infinity;
      chunk(msg.count, Infinity);
      return;
    case 'probe': {
      if (msg.run !== run || !trainer) return;
      const before = settings.probe;
      settings.probe = msg.text;
      try {
        const map = probe();
        postMessage({ type: 'probe', run, step: trainer.steps(), probe: map }, [map.weights.buffer]);
      } catch (err) {
        settings.probe = before;
        throw err;
      }
      return;
    }
    case 'sample':
      postMessage({ type: 'sample', run, text: call(M.sampleSentence(msg.seed, msg.index, 12)) });
      return;
    case 'fault':
      if (msg.kind === 'oom') throw new WebAssembly.RuntimeError('Aborted(OOM)');
      setTimeout(() => {
        throw new Error('the trainer crashed (simulated)');
      });
      return;
    default:
  }
}

const queue = [];
onmessage = (e) => {
  if (!M) queue.push(e.data);
  else guard(() => handle(e.data));
};

createTrainModule().then(
  (module) => {
    M = module;
    postMessage({ type: 'ready' });
    for (const msg of queue.splice(0)) guard(() => handle(msg));
  },
  (err) => fatal(new Error(`the trainer's WebAssembly module could not load (${err?.message ?? err})`)),
);
