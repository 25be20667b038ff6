// The live trainer (issue 12): a thin embind layer over cpp/course's Trainer (forward, backward,
// Adam), the grammar sampler and the head analysis. It is compiled into the course-model module
// (web/core/wasm/model.mjs) with model_bindings.cpp (model_module.cpp), which <attn-train-live> runs in a Web Worker
// (web/widgets/train-worker.js); the core module (bindings.cpp) does not include it.
//
// As in bindings.cpp, no C++ exception crosses into JS: every entry point returns a JS Error object
// instead, and every number arrives as a double checked by the core before use.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "analyze.hpp"
#include "bridge.hpp"
#include "args.hpp"
#include "describe.hpp"
#include "grammar.hpp"
#include "limits.hpp"
#include "model_io.hpp"
#include "train.hpp"

using emscripten::val;

namespace {

// Every call of the trainer: a thrown error comes back as a JS Error (bridge.hpp), and running out of
// memory names the model the learner chose.
template <class F>
val trainer_guarded(F&& f) {
  return attn_wasm::guarded(std::forward<F>(f), "out of memory: this model does not fit in this device's memory");
}

constexpr const char* kFn = "trainer";

// A whole-number option of `opts` (a plain object), or `fallback` when it is absent.
long long option(const val& opts, const char* name, long long fallback, long long lo, long long hi) {
  const val v = opts[name];
  if (v.isUndefined()) return fallback;
  if (!v.isNumber()) throw attn::Error(kFn, std::string(name) + " must be a number");
  return attn::whole_number(kFn, name, v.as<double>(), lo, hi);
}

// The same options `attn train` takes (cpp/tools/model_cli.cpp train_options), with its defaults;
// d_ff is 4 d_model there too.
attn::TrainOptions options_from_js(const val& opts) {
  if (opts.isNull() || opts.typeOf().as<std::string>() != "object") throw attn::Error(kFn, "options must be an object");
  attn::TrainOptions o;
  o.seed = static_cast<uint64_t>(option(opts, "seed", 1, 0, 1LL << 52));
  o.n_heads = static_cast<int>(option(opts, "heads", o.n_heads, 1, 64));
  o.n_layers = static_cast<int>(option(opts, "layers", o.n_layers, 1, 8));
  o.d_model = static_cast<int>(option(opts, "dModel", o.d_model, 1, 256));
  o.batch = static_cast<int>(option(opts, "batch", o.batch, 1, 1024));
  o.steps = static_cast<int>(option(opts, "steps", o.steps, 1, 10000000));
  const val lr = opts["lr"];
  if (!lr.isUndefined()) o.lr = attn::positive_float(kFn, "lr", lr.isNumber() ? lr.as<double>() : -1);
  o.d_ff = 4 * o.d_model;
  if (o.d_model % o.n_heads != 0)
    throw attn::Error(kFn, "heads " + std::to_string(o.n_heads) + " does not divide dModel " + std::to_string(o.d_model));
  return o;
}

// Copies `n` numbers from wasm memory into a new JS typed array of type `type`.
template <class T>
val copy_out(const char* type, const T* data, size_t n) {
  val out = val::global(type).new_(static_cast<double>(n));
  if (n > 0) out.call<void>("set", val(emscripten::typed_memory_view(n, data)));
  return out;
}

// A number JSON cannot write (NaN, +-Infinity) becomes null, as it did when the analysis crossed as
// JSON text (nlohmann writes such numbers as null).
void finite_or_null(attn::Tree& t) {
  if (t.kind == attn::Tree::Kind::Number && !std::isfinite(t.number)) t = attn::Tree();
  for (attn::Tree& x : t.items) finite_or_null(x);
  for (auto& [k, x] : t.fields) finite_or_null(x);
}

// { sentences, tokens, heads: [head_tree of each head] } as JS values: what JSON.parse gave of the JSON
// text this module used to return (key order included), without linking nlohmann::json.
val analysis_js(const attn::ModelAnalysis& a) {
  attn::Tree heads = attn::Tree::list();
  for (const attn::HeadReport& r : a.heads) heads.push(attn::head_tree(r));
  attn::Tree t = attn::Tree::object()
                     .set("sentences", attn::Tree::of_integer(a.sentences))
                     .set("tokens", attn::Tree::of_integer(a.tokens))
                     .set("heads", std::move(heads));
  finite_or_null(t);
  return attn_wasm::to_js(t);
}

class LiveTrainer {
 public:
  /// Starts a fresh run (seeded weights, step 0); returns an Error (and keeps no run) on bad options.
  val reset(val opts) {
    return trainer_guarded([&] {
      trainer_.reset();
      trainer_ = std::make_unique<attn::Trainer>(options_from_js(opts));
      return val::undefined();
    });
  }

  /// Trains `count` steps; returns a Float64Array of their losses, or an Error.
  val step(double count) {
    return trainer_guarded([&] {
      const long long n = attn::whole_number("step", "count", count, 1, 100000);
      std::vector<double> losses;
      for (long long i = 0; i < n; ++i) losses.push_back(need().step());
      return copy_out("Float64Array", losses.data(), losses.size());
    });
  }

  double steps() const { return trainer_ ? trainer_->steps_done() : 0; }

  /// { loss, accuracy, tokens } on the first `count` sentences of the held-out stream (as `attn train`).
  val heldOut(double count) {
    return trainer_guarded([&] {
      const attn::EvalResult r = attn::evaluate(need().model(), static_cast<int>(attn::whole_number("heldOut", "count", count, 1, 5000)));
      val out = val::object();
      out.set("loss", r.loss);
      out.set("accuracy", r.accuracy);
      out.set("tokens", r.tokens);
      return out;
    });
  }

  /// Every head's attention on `text` (words separated by spaces): { n, layers, heads, words,
  /// weights: Float32Array(layers * heads * n * n), layer-major, row = query }, or an Error naming
  /// the first word the model does not know.
  val probe(const std::string& text) {
    return trainer_guarded([&] {
      const attn::Model& m = need().model();
      std::vector<int> ids;
      val words = val::array();
      size_t start = 0;
      while (start < text.size()) {
        const size_t end = std::min(text.find(' ', start), text.size());
        if (end > start) {
          const std::string w = text.substr(start, end - start);
          const int id = attn::find_token(m.vocab, w);
          if (id < 0) throw attn::Error("probe", "the model does not know the word " + attn::quote(w));
          ids.push_back(id);
          words.call<void>("push", w);
        }
        start = end + 1;
      }
      if (ids.empty()) throw attn::Error("probe", "the sentence has no words");
      if (static_cast<int>(ids.size()) > m.config.max_positions)
        throw attn::Error("probe", "the sentence has " + std::to_string(ids.size()) + " words; the model reads at most " +
                                       std::to_string(m.config.max_positions));
      const attn::ModelTrace t = attn::model_forward(m, ids);
      const size_t n = ids.size();
      std::vector<float> flat;
      flat.reserve(m.config.n_layers * m.config.n_heads * n * n);
      for (const auto& layer : t.attention)
        for (const attn::Matrix& a : layer) flat.insert(flat.end(), a.data(), a.data() + a.size());
      val out = val::object();
      out.set("n", static_cast<double>(n));
      out.set("layers", m.config.n_layers);
      out.set("heads", m.config.n_heads);
      out.set("words", words);
      out.set("weights", copy_out("Float32Array", flat.data(), flat.size()));
      return out;
    });
  }

  /// The head analysis of `attn analyze --sentences count` on the current (float32) weights:
  /// { sentences, tokens, heads: [...] } (analysis_js).
  val analyze(double count) {
    return trainer_guarded([&] {
      const int n = static_cast<int>(attn::whole_number("analyze", "count", count, 1, 5000));
      return analysis_js(attn::analyze_model(need().model(), n));
    });
  }

  /// The current weights as model.bin bytes in float16 (version 1, what `attn train --format f16` writes).
  val modelBytes() {
    return trainer_guarded([&] {
      const std::string bytes = attn::encode_model(need().model(), attn::ModelFormat::f16);
      return copy_out("Uint8Array", reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    });
  }

  /// The current float32 weights, every tensor in named_tensors order, flattened (for tests).
  val weights() {
    return trainer_guarded([&] {
      std::vector<float> flat;
      for (const auto& [name, t] : attn::named_tensors(need().model().params)) flat.insert(flat.end(), t->data(), t->data() + t->size());
      return copy_out("Float32Array", flat.data(), flat.size());
    });
  }

 private:
  attn::Trainer& need() {
    if (!trainer_) throw attn::Error(kFn, "no run: call reset(options) first");
    return *trainer_;
  }
  std::unique_ptr<attn::Trainer> trainer_;
};

/// The head analysis of model.bin bytes on `count` sentences (what `attn analyze` computes), as
/// analysis_js gives it.
val analyze_model_bytes(val bytes, double count) {
  return trainer_guarded([&] {
    const val length = bytes["length"];
    if (!length.isNumber()) throw attn::Error("analyzeModel", "bytes must be a Uint8Array");
    const long long size = attn::whole_number("analyzeModel", "bytes.length", length.as<double>(), 1, attn::kMaxModelBytes);
    std::string buf(static_cast<size_t>(size), '\0');
    val(emscripten::typed_memory_view(buf.size(), reinterpret_cast<uint8_t*>(buf.data()))).call<void>("set", bytes);
    const int n = static_cast<int>(attn::whole_number("analyzeModel", "count", count, 1, 5000));
    return analysis_js(attn::analyze_model(attn::decode_model(buf), n));
  });
}

/// The `index`-th sentence (0-based) of the grammar stream with `seed` that has at most `max_words` words.
val sample_sentence(double seed, double index, double max_words) {
  return trainer_guarded([&] {
    attn::Grammar g(static_cast<uint64_t>(attn::whole_number("sampleSentence", "seed", seed, 0, 1LL << 52)));
    const long long k = attn::whole_number("sampleSentence", "index", index, 0, 10000);
    const long long cap = attn::whole_number("sampleSentence", "max_words", max_words, 2, 64);
    for (long long found = 0;;) {
      const attn::Sentence s = g.next();
      if (static_cast<long long>(s.words.size()) > cap) continue;
      if (found++ < k) continue;
      std::string text;
      for (const std::string& w : s.words) text += (text.empty() ? "" : " ") + w;
      return val(text);
    }
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(attn_train) {
  emscripten::class_<LiveTrainer>("LiveTrainer")
      .constructor<>()
      .function("reset", &LiveTrainer::reset)
      .function("step", &LiveTrainer::step)
      .function("steps", &LiveTrainer::steps)
      .function("heldOut", &LiveTrainer::heldOut)
      .function("probe", &LiveTrainer::probe)
      .function("analyze", &LiveTrainer::analyze)
      .function("modelBytes", &LiveTrainer::modelBytes)
      .function("weights", &LiveTrainer::weights);
  emscripten::function("analyzeModel", &analyze_model_bytes);
  emscripten::function("sampleSentence", &sample_sentence);
}
