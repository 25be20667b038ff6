// The course-model WASM module (lessons 10-14): decoding model.bin, the model's forward pass with its
// full trace, and the course grammar's sentence sampler. Kept out of the core module (bindings.cpp)
// that every page loads; web/core/engine.js loads this one on first use (engine.loadModel(),
// engine.loadModelModule()), so lessons 1-9 and most embeds never download it.
//
// As in bindings.cpp, no C++ exception crosses into JS: every entry point returns a JS Error object
// instead (bridge.hpp), and every number arrives as a double checked by the core before use.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "bridge.hpp"
#include "grammar.hpp"
#include "limits.hpp"
#include "model_io.hpp"
#include "model_json.hpp"

using emscripten::val;
using attn_wasm::guarded;

namespace {

// The trained course model, decoded once from model.bin bytes. JS owns the handle:
// web/core/engine.js keeps one per distinct file and deletes it when its model object is collected.
class CourseModel {
 public:
  explicit CourseModel(attn::Model m) : model_(std::move(m)) {}
  /// The input object { tokens, unknown?, detail? } (see model_json.hpp), read as the CLI reads its
  /// JSON (bridge.hpp, tree_of_js); the trace as JS objects with one Float32Array per matrix
  /// (bridge.hpp, to_js), or an Error.
  val trace(val input) const {
    return guarded([&] { return attn_wasm::to_js(attn::model_trace_tree(model_, attn_wasm::tree_of_js(input, "input"))); });
  }
  /// { config, vocab: [words] }, or an Error.
  val info() const {
    return guarded([&] {
      return attn_wasm::to_js(
          attn::Tree::object().set("config", attn::config_tree(model_.config)).set("vocab", attn::Tree::texts(model_.vocab)));
    });
  }

 private:
  attn::Model model_;
};

// Decodes model.bin bytes (a Uint8Array) into a CourseModel, or returns an Error naming what is wrong.
val load_model(val bytes) {
  return guarded([&] {
    const long long length = attn_wasm::length_of("decodeModel", "bytes", bytes);
    if (length > static_cast<long long>(attn::kMaxModelBytes))
      throw attn::Error("model.bin", std::to_string(length) + " bytes is larger than the " +
                                         std::to_string(attn::kMaxModelBytes) + " bytes this build reads");
    std::string buf(static_cast<size_t>(length), '\0');
    if (length > 0) val(emscripten::typed_memory_view(buf.size(), reinterpret_cast<uint8_t*>(buf.data()))).call<void>("set", bytes);
    return val(CourseModel(attn::decode_model(buf)));
  });
}

// The course grammar as a seeded step function (cpp/course/grammar.hpp): the request object read as
// the CLI reads its JSON (bridge.hpp, tree_of_js), the sentences as JS values, or an Error. No JSON
// text either way, so nlohmann::json is not linked into this module.
val sample_sentences(val request) {
  return guarded([&] { return attn_wasm::to_js(attn::sample_sentences_tree(attn_wasm::tree_of_js(request, "sampleSentences"))); });
}

/// Every word the grammar can produce, sorted, as an array of strings.
val grammar_vocabulary() {
  return guarded([] { return attn_wasm::to_js(attn::Tree::texts(attn::grammar_vocabulary())); });
}

}  // namespace

EMSCRIPTEN_BINDINGS(attn_model) {
  emscripten::class_<CourseModel>("CourseModel").function("trace", &CourseModel::trace).function("info", &CourseModel::info);
  emscripten::function("loadModel", &load_model);
  emscripten::function("sampleSentences", &sample_sentences);
  emscripten::function("grammarVocabulary", &grammar_vocabulary);
  emscripten::function("heapInUse", &attn_wasm::heap_in_use);
}
