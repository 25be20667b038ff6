// Fuzzes the trace contract's parser and the forward pass behind it: scenario JSON text in, as the
// CLI (`attn trace`) and engine.trace() take it. Success must give JSON whose attention rows sum to 1.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "errors.hpp"
#include "trace.hpp"
#include "tree_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string out;
  try {
    out = attn::run_trace_text(text);
  } catch (const attn::Error&) {
    return 0;  // bad input, named: the expected way to fail
  }
  const auto trace = nlohmann::json::parse(out);  // throws (a finding) if the output is not JSON
  for (const auto& head : trace.at("per_head"))
    for (const auto& row : head.at("weights")) {
      double sum = 0;
      for (const auto& w : row) sum += w.get<double>();
      if (std::fabs(sum - 1.0) > 1e-3) std::abort();  // a weight row that is not a distribution
    }
  return 0;
}
