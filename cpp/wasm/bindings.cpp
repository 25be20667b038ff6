// The core embind module (attn.mjs/.wasm), the one every lesson and embed loads: a thin layer over
// cpp/core's step functions, trace, embeddings and toys. The trained model lives in its own module
// (model_bindings.cpp). Shared argument and matrix helpers: binding_util.hpp.
//
// No C++ exception ever crosses into JS: every entry point catches it and returns a JS Error object
// instead, which web/core/engine.js throws. (Throwing across wasm frames leaks shadow stack;
// returning an Error does not.)
#include <nlohmann/json.hpp>
#include <string>

#include "attention.hpp"
#include "binding_util.hpp"
#include "embed.hpp"
#include "toys.hpp"
#include "trace.hpp"

using namespace attnjs;

namespace {

val trace(const std::string& scenario) {
  return guarded([&] { return val(attn::run_trace_text(scenario)); });
}

val vocab() {
  return guarded([] { return val(nlohmann::json{{"features", attn::feature_names()}, {"words", attn::vocabulary()}}.dump()); });
}

val project(val X, double xr, double xc, val W, double wr, double wc) {
  return guarded([&] { return to_js(attn::project(from_js("project", "X", X, xr, xc), from_js("project", "W", W, wr, wc))); });
}

val scores(val Q, double qr, double qc, val K, double kr, double kc) {
  return guarded([&] { return to_js(attn::scores(from_js("scores", "Q", Q, qr, qc), from_js("scores", "K", K, kr, kc))); });
}

val scale(val S, double r, double c, double d_k) {
  return guarded([&] {
    const Matrix s = from_js("scale", "S", S, r, c);
    return to_js(attn::scale(s, static_cast<int>(attn::whole_number("scale", "d_k", d_k, 1, kMaxInt))));
  });
}

val mask_causal(val S, double r, double c) {
  return guarded([&] { return to_js(attn::mask_causal(from_js("mask_causal", "S", S, r, c))); });
}

val softmax_rows(val S, double r, double c, double temperature) {
  return guarded([&] {
    const float t = attn::positive_float("softmax_rows", "temperature", temperature);
    return to_js(attn::softmax_rows(from_js("softmax_rows", "S", S, r, c), t));
  });
}

val weighted_sum(val A, double ar, double ac, val V, double vr, double vc) {
  return guarded([&] {
    return to_js(attn::weighted_sum(from_js("weighted_sum", "A", A, ar, ac), from_js("weighted_sum", "V", V, vr, vc)));
  });
}

val dot(val a, val b) {
  return guarded([&] { return val(attn::dot(vector_from_js("dot", "a", a), vector_from_js("dot", "b", b))); });
}

val softmax(val v, double temperature) {
  return guarded([&] {
    const float t = attn::positive_float("softmax", "temperature", temperature);
    return to_js(attn::softmax(vector_from_js("softmax", "v", v), t));
  });
}

// The whole forward pass with typed results only (no trace JSON): the interactive/bench path.
val multi_head_attention(val X, double n, double d, val Wq, val Wk, val Wv, val Wo, double h, val causal, val scale,
                         double temperature) {
  return guarded([&] {
    const char* fn = "multiHeadAttention";
    attn::AttentionOptions opt;
    opt.causal = flag(fn, "causal", causal);
    opt.scale = flag(fn, "scale", scale);
    opt.temperature = attn::positive_float(fn, "temperature", temperature);
    const int heads = static_cast<int>(attn::whole_number(fn, "h", h, 1, kMaxInt));
    const Matrix x = from_js(fn, "X", X, n, d);
    const double w = static_cast<double>(x.cols());
    const auto t = attn::multi_head_attention(x, from_js(fn, "W_q", Wq, w, w), from_js(fn, "W_k", Wk, w, w),
                                              from_js(fn, "W_v", Wv, w, w), from_js(fn, "W_o", Wo, w, w), heads, opt);
    return to_js(t.output);
  });
}

// Tokens as JSON text (an array of strings); positions true / false or "sinusoidal" / "none".
val embed_tokens(const std::string& tokens_json, val positions) {
  return guarded([&] {
    const char* fn = "embed";
    bool with_positions = false;
    if (positions.isString()) {
      const std::string p = positions.as<std::string>();
      if (p != "none" && p != "sinusoidal")
        throw attn::Error(fn, "positions must be true, false, \"none\" or \"sinusoidal\" (got " + describe_js(positions) + ")");
      with_positions = p == "sinusoidal";
    } else if (positions.isTrue() || positions.isFalse()) {
      with_positions = positions.isTrue();
    } else {
      throw attn::Error(fn, "positions must be true, false, \"none\" or \"sinusoidal\" (got " + describe_js(positions) + ")");
    }
    const auto j = nlohmann::json::parse(tokens_json, nullptr, false);
    if (!j.is_array()) throw attn::Error(fn, "tokens must be an array of words");
    std::vector<std::string> tokens;
    for (size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_string())
        throw attn::Error(fn, "tokens[" + std::to_string(i) + "] must be a string, got " + attn::describe(j[i]));
      tokens.push_back(j[i].get<std::string>());
    }
    const attn::Embedding e = attn::embed(tokens, with_positions);
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

val rnn_demo(double T, double d_h, double gain, double seed) {
  return guarded([&] {
    const char* fn = "rnn_demo";
    const int length = static_cast<int>(attn::whole_number(fn, "length", T, 1, attn::kRnnMaxLength));
    const int hidden = static_cast<int>(attn::whole_number(fn, "hidden", d_h, 1, attn::kRnnMaxHidden));
    const auto s = static_cast<uint64_t>(attn::whole_number(fn, "seed", seed, 0, 9007199254740991LL));
    const attn::RnnTrace r = attn::rnn_demo(length, hidden, gain, s);
    val out = val::object();
    out.set("H", to_js(r.H));
    out.set("influence", to_js(r.influence)["data"]);
    return out;
  });
}

val compare_vectors(val a, val b) {
  return guarded([&] {
    const auto c = attn::compare_vectors(vector_from_js("compareVectors", "a", a), vector_from_js("compareVectors", "b", b));
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

val softmax_jacobian(val v, double temperature) {
  return guarded([&] {
    const float t = attn::positive_float("softmaxJacobian", "temperature", temperature);
    return to_js(attn::softmax_jacobian(vector_from_js("softmaxJacobian", "v", v), t));
  });
}

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
}
