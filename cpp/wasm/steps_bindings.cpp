// The steps module (web/core/wasm/steps.mjs + steps.wasm, issue 11): only the step functions that
// the widgets which never trace call (softmax-bars, dot-arrows, soft-lookup, rnn-forget, dk-scaling),
// loaded by engine.js's loadSteps() on pages that hold nothing else (lessons 1-4, a blog post with one
// <attn-softmax>). It is the core's binding layer itself (bindings.cpp, compiled again with
// ATTN_STEPS_ONLY, which leaves out its registration block) registering a subset of the same functions
// under the same names: the same C++ computes every number and writes every message, so the two
// modules cannot disagree (tests/node/steps.test.mjs checks they do not). The functions not
// registered here are never emitted, and with them go the trace, the input Tree reader, the
// vocabulary and the multi-head code.
#define ATTN_STEPS_ONLY
#include "bindings.cpp"

EMSCRIPTEN_BINDINGS(attn_steps) {
  emscripten::function("scores", &scores);
  emscripten::function("softmaxRows", &softmax_rows);
  emscripten::function("weightedSum", &weighted_sum);
  emscripten::function("dot", &dot);
  emscripten::function("softmax", &softmax);
  emscripten::function("rnnDemo", &rnn_demo);
  emscripten::function("compareVectors", &compare_vectors);
  emscripten::function("softmaxJacobian", &softmax_jacobian);
  emscripten::function("scalingDemo", &scaling_demo);
  emscripten::function("heapInUse", &attn_wasm::heap_in_use);
}
