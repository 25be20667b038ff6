// Fuzzes `attn model-trace` / model.trace(): JSON input text against the shipped course model.
// Success must give JSON with one n x n attention matrix per layer and head.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "errors.hpp"
#include "model_io.hpp"
#include "model_json.hpp"

namespace {

const attn::Model& shipped_model() {
  static const attn::Model model = [] {
    std::ifstream in(ATTN_MODEL_BIN, std::ios::binary);
    return attn::decode_model(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  }();
  return model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const attn::Model& model = shipped_model();
  const auto input = nlohmann::json::parse(reinterpret_cast<const char*>(data), reinterpret_cast<const char*>(data) + size,
                                           nullptr, false);
  if (input.is_discarded()) return 0;  // the CLI and the binding answer "invalid JSON" before this point
  nlohmann::json out;
  try {
    out = attn::model_trace_json(model, input);
  } catch (const attn::Error&) {
    return 0;
  }
  const size_t n = out.at("n").get<size_t>();
  if (out.at("attention").size() != static_cast<size_t>(model.config.n_layers)) std::abort();
  for (const auto& layer : out.at("attention"))
    for (const auto& head : layer)
      if (head.size() != n) std::abort();
  (void)out.dump();  // every string in the output must be printable JSON
  return 0;
}
