// The course model's embind module (attn-model.mjs/.wasm): model.bin decode, forward pass and trace
// for lessons 10-14. Kept out of the core module (bindings.cpp) that every lesson and embed loads;
// web/core/engine.js imports it on demand. Same rules as the core: no C++ exception crosses into JS.
#include <string>

#include "binding_util.hpp"
#include "model_io.hpp"
#include "model_json.hpp"

using namespace attnjs;

namespace {

// The trained course model (lessons 10-14), decoded once from model.bin bytes. JS owns the handle:
// web/core/engine.js keeps one per distinct file and deletes it when its model object is collected.
class CourseModel {
 public:
  explicit CourseModel(attn::Model m) : model_(std::move(m)) {}
  /// JSON text in (see model_json.hpp), JSON text or an Error out.
  val trace(const std::string& input) const {
    return guarded([&] {
      const auto j = nlohmann::json::parse(input, nullptr, false);
      if (j.is_discarded()) throw attn::Error("input", "invalid JSON (expected {\"tokens\": [\"the\", \"cat\"]})");
      return val(attn::model_trace_json(model_, j).dump());
    });
  }
  /// { config, vocab: [words] } as JSON text, or an Error.
  val info() const {
    return guarded([&] {
      return val(nlohmann::json{{"config", attn::config_to_json(model_.config)}, {"vocab", model_.vocab}}.dump());
    });
  }

 private:
  attn::Model model_;
};

// Decodes model.bin bytes (a Uint8Array) into a CourseModel, or returns an Error naming what is wrong.
val load_model(val bytes) {
  return guarded([&] {
    const long long length = length_of("decodeModel", "bytes", bytes);
    if (length > static_cast<long long>(attn::kMaxModelBytes))
      throw attn::Error("model.bin", std::to_string(length) + " bytes is larger than the " +
                                         std::to_string(attn::kMaxModelBytes) + " bytes this build reads");
    std::string buf(static_cast<size_t>(length), '\0');
    if (length > 0) val(emscripten::typed_memory_view(buf.size(), reinterpret_cast<uint8_t*>(buf.data()))).call<void>("set", bytes);
    return val(CourseModel(attn::decode_model(buf)));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(attn_model) {
  emscripten::function("heapInUse", &heap_in_use);
  emscripten::class_<CourseModel>("CourseModel").function("trace", &CourseModel::trace).function("info", &CourseModel::info);
  emscripten::function("loadModel", &load_model);
}
