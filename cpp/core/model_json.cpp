#include "model_json.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "attention.hpp"
#include "describe.hpp"
#include "trace.hpp"
#include "tree_json.hpp"

namespace attn {

using nlohmann::json;

Tree config_tree(const ModelConfig& c) {
  return Tree::object()
      .set("vocab_size", Tree::of_integer(c.vocab_size))
      .set("d_model", Tree::of_integer(c.d_model))
      .set("n_layers", Tree::of_integer(c.n_layers))
      .set("n_heads", Tree::of_integer(c.n_heads))
      .set("d_k", Tree::of_integer(c.d_model / c.n_heads))
      .set("d_ff", Tree::of_integer(c.d_ff))
      .set("max_positions", Tree::of_integer(c.max_positions));
}

json config_to_json(const ModelConfig& c) { return to_json(config_tree(c)); }

namespace {

Tree detail_tree(const Model& model, ModelTrace& t, int layer) {
  AttentionDetail& d = t.details[static_cast<size_t>(layer)];
  const auto& b = model.params.blocks[static_cast<size_t>(layer)];
  Tree heads = Tree::list();
  for (size_t h = 0; h < d.Q.size(); ++h)
    heads.push(Tree::object()
                   .set("Q", Tree::of_matrix(std::move(d.Q[h])))
                   .set("K", Tree::of_matrix(std::move(d.K[h])))
                   .set("V", Tree::of_matrix(std::move(d.V[h])))
                   .set("output", Tree::of_matrix(std::move(d.outputs[h]))));
  return Tree::object()
      .set("layer", Tree::of_integer(layer))
      .set("input", Tree::of_matrix(std::move(d.input)))
      .set("heads", std::move(heads))
      .set("concat", Tree::of_matrix(std::move(d.concat)))
      .set("W_o", Tree::of_matrix(b.W_o))
      .set("b_o", Tree::of_matrix(b.b_o))
      .set("projected", Tree::of_matrix(std::move(d.projected)));
}

}  // namespace

Tree model_trace_tree(const Model& model, const Tree& in) {
  if (in.kind != Tree::Kind::Object) throw Error("input", "expected a JSON object like {\"tokens\": [\"the\", \"cat\"]}");
  for (const auto& [k, v] : in.fields) {
    (void)v;
    if (k != "tokens" && k != "unknown" && k != "detail")
      throw Error("input", "unknown key " + quote(k) + " (allowed: tokens, unknown, detail)");
  }
  const Tree* tp = in.find("tokens");
  if (!tp || tp->kind != Tree::Kind::List)
    throw Error("input.tokens", "expected an array of words, got " + (tp ? describe(*tp) : "nothing"));
  bool mask_unknown = false;
  if (const Tree* u = in.find("unknown")) {
    if (!u->is_text("error") && !u->is_text("mask"))
      throw Error("input.unknown", "must be \"error\" or \"mask\", got " + describe(*u));
    mask_unknown = u->text == "mask";
  }
  int detail = -1;
  if (const Tree* d = in.find("detail")) {
    if (d->kind != Tree::Kind::Integer || d->integer < 0 || d->integer >= model.config.n_layers)
      throw Error("input.detail", "must be a layer index 0 to " + std::to_string(model.config.n_layers - 1) + ", got " + describe(*d));
    detail = static_cast<int>(d->integer);
  }
  const Tree& toks = *tp;
  const size_t n = toks.size();
  if (n < 1 || n > static_cast<size_t>(model.config.max_positions))
    throw Error("input.tokens", "has " + std::to_string(n) + " words; the model takes 1 to " + std::to_string(model.config.max_positions));
  std::vector<std::string> words;
  std::vector<int> ids, unknown;
  std::vector<bool> known;
  for (size_t i = 0; i < n; ++i) {
    const std::string where = "input.tokens[" + std::to_string(i) + "]";
    if (toks.items[i].kind != Tree::Kind::Text) throw Error(where, "expected a string, got " + describe(toks.items[i]));
    words.push_back(toks.items[i].text);
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
  ModelTrace t = model_forward(model, ids);
  Tree layers = Tree::list();
  for (auto& heads : t.attention) {
    Tree hs = Tree::list();
    for (Matrix& w : heads) hs.push(Tree::of_matrix(std::move(w)));
    layers.push(std::move(hs));
  }
  Tree predictions = Tree::list();
  for (size_t i = 0; i < n; ++i) {
    if (ids[i] != kMaskId) continue;
    const Vector p = softmax_rows(t.logits.row(i));
    std::vector<int> order(static_cast<size_t>(p.size()));
    for (int j = 0; j < p.size(); ++j) order[static_cast<size_t>(j)] = j;
    const int k = std::min<int>(5, static_cast<int>(order.size()));
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int x, int y) { return p(x) > p(y); });
    Tree top = Tree::list();
    for (int r = 0; r < k; ++r)
      top.push(Tree::object()
                   .set("word", Tree::of_text(model.vocab[static_cast<size_t>(order[r])]))
                   .set("p", Tree::of_number(p(order[r]))));
    predictions.push(Tree::object().set("position", Tree::of_integer(static_cast<long long>(i))).set("top", std::move(top)));
  }
  Tree out = Tree::object()
                 .set("tokens", Tree::texts(words))
                 .set("ids", Tree::integers(ids))
                 .set("known", Tree::flags(known))
                 .set("unknown", Tree::integers(unknown))
                 .set("n", Tree::of_integer(static_cast<long long>(n)))
                 .set("config", config_tree(model.config))
                 .set("attention", std::move(layers))
                 .set("predictions", std::move(predictions));
  if (detail >= 0) out.set("detail", detail_tree(model, t, detail));
  return out;
}

Tree model_trace_tree(const Model& model, const json& in) { return model_trace_tree(model, tree_of_json(in)); }

json model_trace_json(const Model& model, const json& in) { return to_json(model_trace_tree(model, in)); }

}  // namespace attn
