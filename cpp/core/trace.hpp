// The trace contract: a JSON scenario in, every intermediate of multi-head attention out.
// Shared by the native CLI (attn trace) and the WASM engine (engine.trace), so both give the
// same numbers. The format is documented in docs/engine.md ("The trace contract").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "matrix.hpp"

namespace attn {

/// Validates `scenario` and runs it. Throws attn::Error whose message names the offending key
/// path ("weights.W_q[2]", "temperature") and what is allowed.
nlohmann::json run_trace(const nlohmann::json& scenario);

/// Same, from and to JSON text. Invalid JSON throws attn::Error("scenario", ...), never aborts.
std::string run_trace_text(const std::string& scenario_text);

/// Matrix -> JSON array of rows; -Inf (masked) becomes null. Numbers are the shortest decimal
/// that reads back as the same float.
nlohmann::json matrix_to_json(const Matrix& m);

}  // namespace attn
