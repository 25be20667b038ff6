// The trace contract: a scenario in, every intermediate of multi-head attention out.
// Shared by the native CLI (attn trace, JSON text) and the WASM engine (engine.trace, JS objects with
// one Float32Array per matrix), so both give the same numbers and the same messages: the scenario
// arrives as an input Tree (tree.hpp) either way, read from JSON text by the CLI (tree_json.hpp) and
// from the JS object itself by the engine (cpp/wasm/bridge.hpp), and both print the one Tree
// trace_tree builds. The format is documented in docs/engine.md ("The trace contract").
#pragma once

#include <string>

#include "matrix.hpp"
#include "tree.hpp"

namespace attn {

/// Validates `scenario` and runs it. Throws attn::Error whose message names the offending key
/// path ("weights.W_q[2]", "temperature") and what is allowed.
Tree trace_tree(const Tree& scenario);

/// The number the JSON of a trace writes for a float32: the shortest of 6 to 9 significant digits
/// that reads back as the same float.
double tidy(float v);

}  // namespace attn
