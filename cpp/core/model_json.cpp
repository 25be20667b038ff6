#include "model_json.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "attention.hpp"
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
      throw Error("input", "unknown key \"" + k + "\" (allowed: tokens, unknown, detail)");
  }
  if (!in.contains("tokens") || !in["tokens"].is_array()) throw Error("input.tokens", "expected an array of words");
  const json& u = in.contains("unknown") ? in["unknown"] : json("error");
  if (!u.is_string() || (u != "error" && u != "mask")) throw Error("input.unknown", "must be \"error\" or \"mask\", got " + u.dump());
  const bool mask_unknown = u == "mask";
  int detail = -1;
  if (in.contains("detail")) {
    const json& d = in["detail"];
    if (!d.is_number_integer() || d.get<long long>() < 0 || d.get<long long>() >= model.config.n_layers)
      throw Error("input.detail", "must be a layer index 0 to " + std::to_string(model.config.n_layers - 1) + ", got " + d.dump());
    detail = d.get<int>();
  }
  const json& toks = in["tokens"];
  const int n = static_cast<int>(toks.size());
  if (n < 1 || n > model.config.max_positions)
    throw Error("input.tokens", "has " + std::to_string(n) + " words; the model takes 1 to " + std::to_string(model.config.max_positions));
  std::vector<std::string> words;
  std::vector<int> ids, unknown;
  json known = json::array();
  for (int i = 0; i < n; ++i) {
    if (!toks[i].is_string()) throw Error("input.tokens[" + std::to_string(i) + "]", "expected a string");
    words.push_back(toks[i].get<std::string>());
    const int id = find_token(model.vocab, words.back());
    known.push_back(id >= 0);
    if (id < 0) unknown.push_back(i);
    ids.push_back(id < 0 ? kMaskId : id);
  }
  if (!unknown.empty() && !mask_unknown) {
    std::string list;
    for (int i : unknown) list += (list.empty() ? "" : ", ") + std::string("\"") + words[i] + "\"";
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
  for (int i = 0; i < n; ++i) {
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
