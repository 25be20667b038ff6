// The core WASM module every page loads: a thin embind layer over cpp/core's step functions. The course
// model and the grammar sampler (lessons 10-14 only) live in model_bindings.cpp, a module of its own
// that web/core/engine.js loads on first use; what both share is in bridge.hpp.
//
// Matrices cross the boundary as { rows, cols, data: Float32Array } (row-major), copied in bulk, and so
// do the matrices of the trace (bridge.hpp, to_js).
// No C++ exception ever crosses into JS: every entry point catches it and returns a JS Error object
// instead, which web/core/engine.js throws. (Throwing across wasm frames leaks shadow stack;
// returning an Error does not.)
//
// Every number arrives as a double and every flag as a JS value, checked by the core (args.hpp,
// limits.hpp) before use: embind's int and bool conversions would wrap 2^32 + 1 to 1 and turn
// "bogus" into true without a word.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "args.hpp"
#include "attention.hpp"
#include "bridge.hpp"
#include "describe.hpp"
#include "embed.hpp"
#include "limits.hpp"
#include "toys.hpp"
#include "trace.hpp"

using emscripten::val;
using attn::Matrix;
using attn_wasm::guarded;
using attn_wasm::length_of;
using attn_wasm::to_js;

namespace {

constexpr long long kMaxInt = 2147483647;

// A JS value for a message: strings quoted and cut, numbers as JS prints them, other things by type.
std::string describe_js(const val& v) {
  const std::string type = v.typeOf().as<std::string>();
  if (type == "string") return attn::quote(v.as<std::string>());
  if (type == "number") return attn::num(v.as<double>());
  if (type == "boolean") return v.isTrue() ? "true" : "false";
  if (v.isNull()) return "null";
  if (type == "object") return val::global("Array").call<bool>("isArray", v) ? "an array" : "an object";
  return "a value of type " + type;
}

// true or false, and nothing else.
bool flag(const char* fn, const char* arg, const val& v) {
  if (v.isTrue()) return true;
  if (v.isFalse()) return false;
  throw attn::Error(fn, std::string(arg) + " must be true or false (got " + describe_js(v) + ")");
}

// Float32Array (length rows*cols) -> Matrix, with one bulk TypedArray.set. Rows and columns are
// checked as whole numbers and their product against kMaxMatrixElements before anything is allocated.
Matrix from_js(const char* fn, const char* arg, const val& data, double rows_in, double cols_in) {
  const std::string name = arg;
  const long long rows = attn::whole_number(fn, (name + ".rows").c_str(), rows_in, 0, attn::kMaxMatrixElements);
  const long long cols = attn::whole_number(fn, (name + ".cols").c_str(), cols_in, 0, attn::kMaxMatrixElements);
  attn::check_matrix_size(fn, name, rows, cols);
  const long long length = length_of(fn, arg, data);
  if (length != rows * cols)
    throw attn::Error(fn, name + " is " + std::to_string(rows) + "x" + std::to_string(cols) + " but its data has " +
                              std::to_string(length) + " numbers");
  Matrix m(rows, cols);
  if (m.size() > 0) val(emscripten::typed_memory_view(m.size(), m.data())).call<void>("set", data);
  return m;
}

// A vector argument (Float32Array of any length up to kMaxMatrixElements) as a 1 x n matrix.
Matrix vector_from_js(const char* fn, const char* arg, const val& data) {
  return from_js(fn, arg, data, 1, static_cast<double>(length_of(fn, arg, data)));
}

// The full trace (trace.hpp) as JS objects, matrices as { rows, cols, data: Float32Array }: no JSON
// text crosses the boundary either way. The scenario object is read into the same input Tree the
// CLI reads from JSON text (bridge.hpp, tree_of_js), so both name bad input with the same message.
val trace(val scenario) {
  return guarded([&] { return to_js(attn::trace_tree(attn_wasm::tree_of_js(scenario, "scenario"))); });
}

val vocab() {
  return guarded([] {
    return to_js(attn::Tree::object()
                     .set("features", attn::Tree::texts(attn::feature_names()))
                     .set("words", attn::Tree::texts(attn::vocabulary())));
  });
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

// Tokens as a JS array of strings; positions true / false or "sinusoidal" / "none".
val embed_tokens(val tokens_in, val positions) {
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
    if (!val::global("Array").call<bool>("isArray", tokens_in)) throw attn::Error(fn, "tokens must be an array of words");
    const attn::Tree j = attn_wasm::tree_of_js(tokens_in, fn);
    std::vector<std::string> tokens;
    for (size_t i = 0; i < j.items.size(); ++i) {
      if (j.items[i].kind != attn::Tree::Kind::Text)
        throw attn::Error(fn, "tokens[" + std::to_string(i) + "] must be a string, got " + attn::describe(j.items[i]));
      tokens.push_back(j.items[i].text);
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

// ---- lesson 7: scalingDemo (why divide by sqrt(d_k)) -------------------------------- begin
// { dK, q, K, raw, scaled, weightsRaw, weightsScaled: Float32Array, spreadRaw, spreadScaled,
//   samples } for d_k in 1..512 and 1..16 keys, all computed by attn::scaling_demo.
val scaling_demo(double d_k, double n_keys, double seed) {
  return guarded([&] {
    const char* fn = "scalingDemo";
    const int dk = static_cast<int>(attn::whole_number(fn, "d_k", d_k, 1, attn::kScalingMaxDk));
    const int n = static_cast<int>(attn::whole_number(fn, "keys", n_keys, 1, attn::kScalingMaxKeys));
    const auto s = static_cast<uint64_t>(attn::whole_number(fn, "seed", seed, 0, 9007199254740991LL));
    const attn::ScalingDemo d = attn::scaling_demo(dk, n, s);
    val out = val::object();
    out.set("dK", dk);
    out.set("q", to_js(d.q)["data"]);
    out.set("K", to_js(d.K));
    out.set("raw", to_js(d.raw)["data"]);
    out.set("scaled", to_js(d.scaled)["data"]);
    out.set("weightsRaw", to_js(d.weights_raw)["data"]);
    out.set("weightsScaled", to_js(d.weights_scaled)["data"]);
    out.set("spreadRaw", d.spread_raw);
    out.set("spreadScaled", d.spread_scaled);
    out.set("samples", attn::kScalingSamples);
    return out;
  });
}
// ---- lesson 7: scalingDemo ------------------------------------------------------------ end

}  // namespace

// steps_bindings.cpp compiles this file too (the light steps module) and registers a subset of the
// functions above instead of this block: keep them in the anonymous namespace, so whatever it does not
// register is never emitted there (nor linked: that module has no trace, Tree or embed code).
#ifndef ATTN_STEPS_ONLY
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
  emscripten::function("scalingDemo", &scaling_demo);  // lesson 7 block above
  emscripten::function("heapInUse", &attn_wasm::heap_in_use);
}
#endif
