// The trace contract: a JSON scenario in, every intermediate of multi-head attention out.
// Shared by the native CLI (attn trace, JSON text) and the WASM engine (engine.trace, JS objects with
// one Float32Array per matrix), so both give the same numbers: both print the one Tree trace_tree
// builds. The format is documented in docs/engine.md ("The trace contract").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "matrix.hpp"
#include "tree.hpp"

namespace attn {

/// Validates `scenario` and runs it. Throws attn::Error whose message names the offending key
/// path ("weights.W_q[2]", "temperature") and what is allowed.
Tree trace_tree(const nlohmann::json& scenario);

/// Same, from JSON text. Invalid JSON throws attn::Error("scenario", ...), never aborts.
Tree trace_tree_text(const std::string& scenario_text);

/// trace_tree as JSON.
nlohmann::json run_trace(const nlohmann::json& scenario);

/// trace_tree_text as JSON text: what `attn trace` prints.
std::string run_trace_text(const std::string& scenario_text);

/// A Tree as JSON: matrices as arrays of rows (matrix_to_json), objects with their keys sorted.
nlohmann::json to_json(const Tree& t);

/// Matrix -> JSON array of rows; -Inf (masked) becomes null. Numbers are the shortest decimal
/// that reads back as the same float.
nlohmann::json matrix_to_json(const Matrix& m);

}  // namespace attn
