// The course-model WASM module (web/core/wasm/model.mjs + model.wasm) as one translation unit: the
// course model and grammar that engine.js loads on the main thread (model_bindings.cpp) and the live
// trainer that <attn-train-live> runs in a Web Worker (train_bindings.cpp). One file instead of two
// linked objects because bridge.hpp, which both include, may define JS helpers (EM_JS), and an EM_JS
// defined in two objects of one module does not link (duplicate symbol); so every helper and every
// embind registration exists once in the module. Each binding file keeps its own EMSCRIPTEN_BINDINGS
// block and its names in the anonymous namespace, and none of them repeats another's.
#include "model_bindings.cpp"
#include "train_bindings.cpp"
