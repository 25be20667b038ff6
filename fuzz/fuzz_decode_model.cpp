// Fuzzes decode_model (model.bin bytes, as `attn model-trace --model` and engine.decodeModel take
// them) and then runs what a page does with a model that decodes: print its info and trace a sentence.
//
// A random edit almost never keeps the FNV-1a checksum right, so each input is tried twice: as given
// (the checksum path) and resealed with a correct checksum, so edits to the header, the vocabulary
// and the weights are judged on their own merits.
#include <cstddef>
#include <cstdint>
#include <string>

#include "errors.hpp"
#include "model_io.hpp"
#include "model_json.hpp"

namespace {

void reseal(std::string& s) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i + 4 < s.size(); ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 16777619u;
  for (int i = 0; i < 4; ++i) s[s.size() - 4 + i] = static_cast<char>((h >> (8 * i)) & 0xFF);
}

void run(const std::string& bytes) {
  attn::Model model;
  try {
    model = attn::decode_model(bytes);
  } catch (const attn::Error&) {
    return;
  }
  (void)nlohmann::json{{"config", attn::config_to_json(model.config)}, {"vocab", model.vocab}}.dump();
  nlohmann::json words = nlohmann::json::array();
  for (int i = 0; i < model.config.max_positions && i < 4; ++i)
    words.push_back(model.vocab[static_cast<size_t>(1 + i % (model.config.vocab_size - 1))]);  // [MASK] and words
  try {
    (void)attn::model_trace_json(model, {{"tokens", words}, {"detail", 0}}).dump();
  } catch (const attn::Error&) {
    // e.g. weights so large that float32 overflows: named, not a crash
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  run(bytes);
  if (bytes.size() >= 48) {
    reseal(bytes);
    run(bytes);
  }
  return 0;
}
