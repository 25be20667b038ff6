#include "model_json.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "attention.hpp"
#include "describe.hpp"
#include "trace.hpp"

namespace attn {

using nlohmann::json;

json config_to_json(const ModelConfig& c) {
  return {{"vocab_size", c.vocab_size}, {"d_model", c.d_model},       {"n_layers", c.n_layers},
          {"n_heads", c.n_heads},       {"d_k", c.d_model / c.n_heads}, {"d_ff", c.d_ff},
          {"max_positions", c.max_positions}};
}

namespace {

json detail_json(const Model& model, const ModelTrace& t, int layer) {
  const AttentionDetail& d = t.details[static_cast<size_t>(layer)];
  const auto& b = model.params.blocks[static_cast<size_t>(layer)];
  json heads = json::array();
  for (size_t h = 0; h < d.Q.size(); ++h)
    heads.push_back({{"Q", matrix_to_json(d.Q[h])}, {"K", matrix_to_json(d.K[h])}, {"V", matrix_to_json(d.V[h])},
                     {"output", matrix_to_json(d.outputs[h])}});
  return {{"layer", layer},
          {"input", matrix_to_json(d.input)},
          {"heads", heads},
          {"concat", matrix_to_json(d.concat)},
          {"W_o", matrix_to_json(b.W_o)},
          {"b_o", matrix_to_json(b.b_o)},
          {"projected", matrix_to_json(d.projected)}};
}

}  // namespace

json model_trace_json(const Model& model, const json& in) {
  if (!in.is_object()) throw Error("input", "expected a JSON object like {\"tokens\": [\"the\", \"cat\"]}");
  for (const auto& [k, v] : in.items()) {
    (void)v;
    if (k != "tokens" && k != "unknown" && k != "detail")
      throw Error("input", "unknown key " + quote(k) + " (allowed: tokens, unknown, detail)");
  }
  if (!in.contains("tokens") || !in["tokens"].is_array())
    throw Error("input.tokens", "expected an array of words, got " + (in.contains("tokens") ? describe(in["tokens"]) : "nothing"));
  bool mask_unknown = false;
  if (in.contains("unknown")) {  // read in place: copying a hostile, deeply nested value would recurse once per level
    const json& u = in["unknown"];
    if (!u.is_string() || (u != "error" && u != "mask"))
      throw Error("input.unknown", "must be \"error\" or \"mask\", got " + describe(u));
    mask_unknown = u == "mask";
  }
  int detail = -1;
  if (in.contains("detail")) {
    const json& d = in["detail"];
    if (!d.is_number_integer() || d.get<long long>() < 0 || d.get<long long>() >= model.config.n_layers)
      throw Error("input.detail", "must be a layer index 0 to " + std::to_string(model.config.n_layers - 1) + ", got " + describe(d));
    detail = d.get<int>();
  }
  const json& toks = in["tokens"];
  const size_t n = toks.size();
  if (n < 1 || n > static_cast<size_t>(model.config.max_positions))
    throw Error("input.tokens", "has " + std::to_string(n) + " words; the model takes 1 to " + std::to_string(model.config.max_positions));
  std::vector<std::string> words;
  std::vector<int> ids, unknown;
  json known = json::array();
  for (size_t i = 0; i < n; ++i) {
    const std::string where = "input.tokens[" + std::to_string(i) + "]";
    if (!toks[i].is_string()) throw Error(where, "expected a string, got " + describe(toks[i]));
    words.push_back(toks[i].get<std::string>());
    // [PAD] only reserves an id (sentences are never padded): the model never saw it inside a sentence,
    // so its attention would mean nothing. [MASK] is allowed: it asks for the model's predictions.
    if (words.back() == kPadToken)
      throw Error(where, "\"[PAD]\" is the padding token, which never appears inside a sentence; type a word, or "
                         "\"[MASK]\" to ask the model what belongs there");
    const int id = find_token(model.vocab, words.back());
    known.push_back(id >= 0);
    if (id < 0) unknown.push_back(static_cast<int>(i));
    ids.push_back(id < 0 ? kMaskId : id);
  }
  if (!unknown.empty() && !mask_unknown) {
    constexpr size_t kListed = 5;  // name a few: the message must stay one short line
    std::string list;
    for (size_t k = 0; k < unknown.size() && k < kListed; ++k) list += (list.empty() ? "" : ", ") + quote(words[unknown[k]]);
    if (unknown.size() > kListed) list += " and " + std::to_string(unknown.size() - kListed) + " more";
    throw Error("input.tokens", "not in the model's vocabulary: " + list +
                                    " (the vocabulary is lower-case; pass \"unknown\": \"mask\" to send them as [MASK])");
  }
  const ModelTrace t = model_forward(model, ids);
  json layers = json::array();
  for (const auto& heads : t.attention) {
    json hs = json::array();
    for (const Matrix& w : heads) hs.push_back(matrix_to_json(w));
    layers.push_back(std::move(hs));
  }
  json predictions = json::array();
  for (size_t i = 0; i < n; ++i) {
    if (ids[i] != kMaskId) continue;
    const Vector p = softmax_rows(t.logits.row(i));
    std::vector<int> order(static_cast<size_t>(p.size()));
    for (int j = 0; j < p.size(); ++j) order[static_cast<size_t>(j)] = j;
    const int k = std::min<int>(5, static_cast<int>(order.size()));
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int x, int y) { return p(x) > p(y); });
    json top = json::array();
    for (int r = 0; r < k; ++r) top.push_back({{"word", model.vocab[static_cast<size_t>(order[r])]}, {"p", p(order[r])}});
    predictions.push_back({{"position", i}, {"top", top}});
  }
  json out = {{"tokens", words}, {"ids", ids},     {"known", known},         {"unknown", unknown},
              {"n", n},          {"config", config_to_json(model.config)}, {"attention", layers}, {"predictions", predictions}};
  if (detail >= 0) out["detail"] = detail_json(model, t, detail);
  return out;
}

}  // namespace attn
