// The one file that sees Emscripten: a thin embind layer over cpp/core.
//
// Matrices cross the boundary as { rows, cols, data: Float32Array } (row-major), copied in bulk.
// No C++ exception ever crosses into JS: every entry point catches attn::Error and returns a JS
// Error object instead, which web/core/engine.js throws. (Throwing across wasm frames leaks
// shadow stack; returning an Error does not.)
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <string>

#include "attention.hpp"
#include "embed.hpp"
#include "toys.hpp"
#include "model_io.hpp"
#include "model_json.hpp"
#include "trace.hpp"

using emscripten::val;
using attn::Matrix;

namespace {

constexpr double kMaxElements = 16.0 * 1024 * 1024;  // 64 MiB of floats: a clear error, not an OOM abort

// Float32Array (length rows*cols) -> Matrix, with one bulk TypedArray.set.
Matrix from_js(const char* fn, const char* arg, const val& data, int rows, int cols) {
  if (rows < 0 || cols < 0 || static_cast<double>(rows) * cols > kMaxElements)
    throw attn::Error(fn, std::string(arg) + " has an invalid shape " + std::to_string(rows) + "x" + std::to_string(cols));
  const int length = data["length"].as<int>();
  if (length != rows * cols)
    throw attn::Error(fn, std::string(arg) + " is " + std::to_string(rows) + "x" + std::to_string(cols) + " but its data has " +
                              std::to_string(length) + " numbers");
  Matrix m(rows, cols);
  if (m.size() > 0) val(emscripten::typed_memory_view(m.size(), m.data())).call<void>("set", data);
  return m;
}

// Matrix -> { rows, cols, data: new Float32Array } (a copy: callers never manage wasm memory).
val to_js(const Matrix& m) {
  val data = val::global("Float32Array").new_(static_cast<int>(m.size()));
  if (m.size() > 0) data.call<void>("set", val(emscripten::typed_memory_view(m.size(), m.data())));
  val out = val::object();
  out.set("rows", static_cast<int>(m.rows()));
  out.set("cols", static_cast<int>(m.cols()));
  out.set("data", data);
  return out;
}

template <class F>
val guarded(F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return val::global("Error").new_(std::string(e.what()));
  }
}

val trace(const std::string& scenario) {
  return guarded([&] { return val(attn::run_trace_text(scenario)); });
}

val vocab() {
  return guarded([] { return val(nlohmann::json{{"features", attn::feature_names()}, {"words", attn::vocabulary()}}.dump()); });
}

val project(val X, int xr, int xc, val W, int wr, int wc) {
  return guarded([&] { return to_js(attn::project(from_js("project", "X", X, xr, xc), from_js("project", "W", W, wr, wc))); });
}

val scores(val Q, int qr, int qc, val K, int kr, int kc) {
  return guarded([&] { return to_js(attn::scores(from_js("scores", "Q", Q, qr, qc), from_js("scores", "K", K, kr, kc))); });
}

val scale(val S, int r, int c, int d_k) {
  return guarded([&] { return to_js(attn::scale(from_js("scale", "S", S, r, c), d_k)); });
}

val mask_causal(val S, int r, int c) {
  return guarded([&] { return to_js(attn::mask_causal(from_js("mask_causal", "S", S, r, c))); });
}

val softmax_rows(val S, int r, int c, float temperature) {
  return guarded([&] { return to_js(attn::softmax_rows(from_js("softmax_rows", "S", S, r, c), temperature)); });
}

val weighted_sum(val A, int ar, int ac, val V, int vr, int vc) {
  return guarded([&] {
    return to_js(attn::weighted_sum(from_js("weighted_sum", "A", A, ar, ac), from_js("weighted_sum", "V", V, vr, vc)));
  });
}

val dot(val a, val b) {
  return guarded([&] {
    const Matrix A = from_js("dot", "a", a, 1, a["length"].as<int>());
    const Matrix B = from_js("dot", "b", b, 1, b["length"].as<int>());
    return val(attn::dot(A, B));
  });
}

val softmax(val v, float temperature) {
  return guarded([&] { return to_js(attn::softmax(from_js("softmax", "v", v, 1, v["length"].as<int>()), temperature)); });
}

// The whole forward pass with typed results only (no trace JSON): the interactive/bench path.
val multi_head_attention(val X, int n, int d, val Wq, val Wk, val Wv, val Wo, int h, bool causal, bool scale,
                         float temperature) {
  return guarded([&] {
    const char* fn = "multiHeadAttention";
    attn::AttentionOptions opt;
    opt.causal = causal;
    opt.scale = scale;
    opt.temperature = temperature;
    const auto t = attn::multi_head_attention(from_js(fn, "X", X, n, d), from_js(fn, "W_q", Wq, d, d), from_js(fn, "W_k", Wk, d, d),
                                              from_js(fn, "W_v", Wv, d, d), from_js(fn, "W_o", Wo, d, d), h, opt);
    return to_js(t.output);
  });
}

val embed_tokens(const std::string& tokens_json, bool positions) {
  return guarded([&] {
    const auto j = nlohmann::json::parse(tokens_json);
    std::vector<std::string> tokens;
    for (const auto& t : j) tokens.push_back(t.get<std::string>());
    const attn::Embedding e = attn::embed(tokens, positions);
    val out = val::object();
    out.set("X", to_js(e.X));
    val known = val::array();
    for (size_t i = 0; i < e.known.size(); ++i) known.set(i, static_cast<bool>(e.known[i]));
    out.set("known", known);
    val names = val::array();
    for (size_t i = 0; i < attn::feature_names().size(); ++i) names.set(i, attn::feature_names()[i]);
    out.set("features", names);
    return out;
  });
}

val rnn_demo(int T, int d_h, float gain, double seed) {
  return guarded([&] {
    if (!(seed >= 0) || seed > 9007199254740991.0) throw attn::Error("rnn_demo", "seed must be a whole number >= 0");
    const attn::RnnTrace r = attn::rnn_demo(T, d_h, gain, static_cast<uint64_t>(seed));
    val out = val::object();
    out.set("H", to_js(r.H));
    out.set("influence", to_js(r.influence)["data"]);
    return out;
  });
}

val compare_vectors(val a, val b) {
  return guarded([&] {
    const auto c = attn::compare_vectors(from_js("compareVectors", "a", a, 1, a["length"].as<int>()),
                                         from_js("compareVectors", "b", b, 1, b["length"].as<int>()));
    val out = val::object();
    out.set("dot", c.dot);
    out.set("normA", c.norm_a);
    out.set("normB", c.norm_b);
    out.set("cosine", c.cosine);
    out.set("angleDeg", c.angle_deg);
    out.set("projection", c.projection);
    return out;
  });
}

val softmax_jacobian(val v, float temperature) {
  return guarded([&] {
    return to_js(attn::softmax_jacobian(from_js("softmaxJacobian", "v", v, 1, v["length"].as<int>()), temperature));
  });
}

// The trained course model (lessons 10-14), decoded once from model.bin bytes.
class CourseModel {
 public:
  explicit CourseModel(attn::Model m) : model_(std::move(m)) {}
  /// JSON text in (see model_json.hpp), JSON text or an Error out.
  val trace(const std::string& input) const {
    return guarded([&] {
      const auto j = nlohmann::json::parse(input, nullptr, false);
      if (j.is_discarded()) throw attn::Error("input", "invalid JSON");
      return val(attn::model_trace_json(model_, j).dump());
    });
  }
  /// { config, vocab: [words] } as JSON text.
  std::string info() const {
    return nlohmann::json{{"config", attn::config_to_json(model_.config)}, {"vocab", model_.vocab}}.dump();
  }

 private:
  attn::Model model_;
};

// Decodes model.bin bytes (a Uint8Array) into a CourseModel, or returns an Error naming what is wrong.
val load_model(val bytes) {
  return guarded([&] {
    const int length = bytes["length"].as<int>();
    std::string buf(static_cast<size_t>(length), '\0');
    if (length > 0) val(emscripten::typed_memory_view(buf.size(), reinterpret_cast<uint8_t*>(buf.data()))).call<void>("set", bytes);
    return val(CourseModel(attn::decode_model(buf)));
  });
}

// Bytes the allocator has handed out: lets tests prove that failing calls free everything.
int heap_in_use() { return static_cast<int>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(attn) {
  emscripten::function("trace", &trace);
  emscripten::function("vocab", &vocab);
  emscripten::function("project", &project);
  emscripten::function("scores", &scores);
  emscripten::function("scale", &scale);
  emscripten::function("maskCausal", &mask_causal);
  emscripten::function("softmaxRows", &softmax_rows);
  emscripten::function("weightedSum", &weighted_sum);
  emscripten::function("dot", &dot);
  emscripten::function("softmax", &softmax);
  emscripten::function("multiHeadAttention", &multi_head_attention);
  emscripten::function("embed", &embed_tokens);
  emscripten::function("rnnDemo", &rnn_demo);
  emscripten::function("compareVectors", &compare_vectors);
  emscripten::function("softmaxJacobian", &softmax_jacobian);
  emscripten::function("heapInUse", &heap_in_use);
  emscripten::class_<CourseModel>("CourseModel").function("trace", &CourseModel::trace).function("info", &CourseModel::info);
  emscripten::function("loadModel", &load_model);
}
