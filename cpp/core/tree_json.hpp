// Trees and JSON (native only: the WASM modules never link nlohmann::json): the CLI reads a scenario's
// JSON text into an input Tree and prints result Trees as JSON text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "matrix.hpp"
#include "tree.hpp"

namespace attn {

/// A parsed JSON value as an input Tree: containers deeper than kInputDepth keep only their size;
/// whole numbers past 2^63 - 1 keep their digits (Tree::text).
Tree tree_of_json(const nlohmann::json& j, int depth = 0);

/// A Tree as JSON: matrices as arrays of rows (matrix_to_json), objects with their keys sorted.
nlohmann::json to_json(const Tree& t);

/// Matrix -> JSON array of rows; -Inf (masked) becomes null. Numbers are tidy() of each float.
nlohmann::json matrix_to_json(const Matrix& m);

/// trace_tree of a parsed scenario.
Tree trace_tree(const nlohmann::json& scenario);

/// trace_tree of JSON text. Invalid JSON throws attn::Error("scenario", ...), never aborts.
Tree trace_tree_text(const std::string& scenario_text);

/// trace_tree as JSON.
nlohmann::json run_trace(const nlohmann::json& scenario);

/// trace_tree_text as JSON text: what `attn trace` prints.
std::string run_trace_text(const std::string& scenario_text);

}  // namespace attn
