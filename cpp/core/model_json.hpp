// The course model's trace: shared by `attn model-trace` (native, JSON text) and the WASM engine
// (engine.loadModel().trace(), JS objects with one Float32Array per matrix), so both return the same
// numbers: both print the one Tree model_trace_tree builds (tree.hpp).
#pragma once

#include <nlohmann/json.hpp>

#include "model.hpp"
#include "tree.hpp"

namespace attn {

/// Input: { "tokens": [words], "unknown": "error" | "mask" (default "error"), "detail": layer index
/// (optional) }. Output: { tokens, ids, known, unknown (positions), n, config, attention[layer][head]
/// (n x n, row = query), predictions (top 5 at each [MASK]) } and, with "detail": L, a "detail"
/// object for block L: { layer, input (n x d), heads: [{ Q, K, V, output (n x d_k) }], concat,
/// W_o (d x d), b_o, projected (n x d) }. Words outside the vocabulary are an error naming them,
/// unless "unknown": "mask" sends them as [MASK] (and lists them) — never silently replaced.
Tree model_trace_tree(const Model& model, const Tree& input);

/// model_trace_tree of parsed JSON (native: the CLI and tests).
Tree model_trace_tree(const Model& model, const nlohmann::json& input);

/// model_trace_tree as JSON.
nlohmann::json model_trace_json(const Model& model, const nlohmann::json& input);

/// The model's configuration (vocab_size, d_model, n_layers, n_heads, d_k, d_ff, max_positions).
Tree config_tree(const ModelConfig& c);

/// config_tree as JSON.
nlohmann::json config_to_json(const ModelConfig& c);

}  // namespace attn
