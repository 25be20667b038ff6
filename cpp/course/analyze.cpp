#include "analyze.hpp"

#include <algorithm>
#include <cmath>

#include "train.hpp"

namespace attn {

namespace {

std::string str(long long v) { return std::to_string(v); }

// Index of the largest entry of row i of A, skipping column `skip` (-1: skip nothing); ties -> earliest.
int argmax_row(const Matrix& A, int i, int skip) {
  int best = -1;
  for (int j = 0; j < A.cols(); ++j)
    if (j != skip && (best < 0 || A(i, j) > A(i, best))) best = j;
  return best;
}

// Every (query, target) pair of one relation and direction in one sentence.
template <class F>
void for_each_instance(const Sentence& s, F f) {
  for (int i = 0; i < static_cast<int>(s.words.size()); ++i) {
    if (s.heads[i] < 0) continue;
    f(RelationKey{s.rels[i], Direction::dependent_to_head}, i, s.heads[i]);
    f(RelationKey{s.rels[i], Direction::head_to_dependent}, s.heads[i], i);
  }
}

double share(int hits, int total) { return total ? static_cast<double>(hits) / total : 0.0; }

}  // namespace

const char* direction_name(Direction d) {
  return d == Direction::dependent_to_head ? "dependent_to_head" : "head_to_dependent";
}

std::map<RelationKey, OffsetBaseline> offset_baselines(const std::vector<Sentence>& sentences) {
  std::map<RelationKey, std::map<int, int>> counts;  // key -> offset -> instances
  std::map<RelationKey, int> totals;
  for (const Sentence& s : sentences)
    for_each_instance(s, [&](const RelationKey& k, int query, int target) {
      ++counts[k][target - query];
      ++totals[k];
    });
  std::map<RelationKey, OffsetBaseline> out;
  for (const auto& [k, by_offset] : counts) {
    OffsetBaseline b;
    b.count = totals[k];
    int best = -1;
    for (const auto& [offset, c] : by_offset)
      if (c > best) best = c, b.offset = offset;  // ties: the smallest offset (map order)
    b.accuracy = share(best, b.count);
    out[k] = b;
  }
  return out;
}

HeadReport analyze_head(const std::vector<Sentence>& sentences, const std::vector<Matrix>& attention,
                        const std::map<RelationKey, OffsetBaseline>& baselines) {
  if (sentences.size() != attention.size())
    throw Error("analyze_head", str(sentences.size()) + " sentences but " + str(attention.size()) + " attention matrices");
  HeadReport r;
  int prev_hits = 0, prev_total = 0, next_hits = 0, next_total = 0, self_hits = 0, first_hits = 0, rows = 0;
  double entropy = 0, uniform = 0;
  std::map<RelationKey, int> hits, totals;
  for (size_t s = 0; s < sentences.size(); ++s) {
    const Matrix& A = attention[s];
    const int n = static_cast<int>(sentences[s].words.size());
    if (A.rows() != n || A.cols() != n)
      throw Error("analyze_head", "attention[" + str(s) + "] is " + shape(A) + " but sentence " + str(s) + " has " +
                                      str(n) + " words");
    for (int i = 0; i < n; ++i) {
      const int top = argmax_row(A, i, -1);
      if (i > 0) prev_hits += top == i - 1, ++prev_total, first_hits += top == 0;
      if (i + 1 < n) next_hits += top == i + 1, ++next_total;
      self_hits += top == i;
      ++rows;
      for (int j = 0; j < n; ++j)
        if (A(i, j) > 0) entropy -= A(i, j) * std::log(static_cast<double>(A(i, j)));
      uniform += std::log(static_cast<double>(n));
    }
    for_each_instance(sentences[s], [&](const RelationKey& k, int query, int target) {
      hits[k] += argmax_row(A, query, query) == target;
      ++totals[k];
    });
  }
  r.previous = share(prev_hits, prev_total);
  r.next = share(next_hits, next_total);
  r.self = share(self_hits, rows);
  r.first = share(first_hits, prev_total);
  r.entropy = rows ? entropy / rows : 0;
  r.uniform_entropy = rows ? uniform / rows : 0;
  for (const auto& [k, total] : totals) {
    RelationScore sc;
    sc.count = total;
    sc.accuracy = share(hits[k], total);
    const auto b = baselines.find(k);
    if (b != baselines.end()) sc.baseline = b->second.accuracy, sc.baseline_offset = b->second.offset;
    r.relations[k] = sc;
  }
  r.label = head_label(r);
  return r;
}

std::string relation_phrase(const RelationKey& k) {
  static const std::map<Rel, std::pair<const char*, const char*>> phrases = {
      {Rel::det, {"determiner → its noun", "noun → its determiner"}},
      {Rel::amod, {"adjective → its noun", "noun → its adjective"}},
      {Rel::nsubj, {"subject → its verb", "verb → its subject"}},
      {Rel::dobj, {"object → its verb", "verb → its object"}},
      {Rel::prep, {"preposition → the word it modifies", "word → its preposition"}},
      {Rel::pobj, {"noun → its preposition", "preposition → its object"}},
      {Rel::relcl, {"relative-clause verb → its noun", "noun → its relative-clause verb"}},
      {Rel::ref, {"relative pronoun → its noun", "noun → its relative pronoun"}},
      {Rel::cc, {"conjunction → the next conjunct", "conjunct → its conjunction"}},
      {Rel::conj, {"second conjunct → the first", "first conjunct → the second"}},
  };
  const auto it = phrases.find(k.rel);
  if (it == phrases.end()) return rel_name(k.rel);
  return k.dir == Direction::dependent_to_head ? it->second.first : it->second.second;
}

bool best_relation(const HeadReport& r, RelationKey* key, RelationScore* score) {
  bool found = false;
  for (const auto& [k, sc] : r.relations) {
    if (sc.count < kSyntaxMinCount) continue;
    if (!found || sc.accuracy - sc.baseline > score->accuracy - score->baseline) {
      *key = k;
      *score = sc;
      found = true;
    }
  }
  return found;
}

std::string head_label(const HeadReport& r) {
  // A near-uniform head is broad even if its (slight) argmax is regular.
  if (r.uniform_entropy > 0 && r.entropy >= kBroadEntropy * r.uniform_entropy) return "broad/diffuse";
  std::string label;
  const std::pair<double, const char*> positional[] = {
      {r.previous, "previous token"}, {r.next, "next token"}, {r.self, "self"}, {r.first, "first token"}};
  for (const auto& [value, name] : positional)
    if (value >= kPositionalShare) label += (label.empty() ? "" : "; ") + std::string(name);
  RelationKey k{};
  RelationScore sc;
  if (best_relation(r, &k, &sc) && sc.accuracy >= kSyntaxAccuracy && sc.accuracy - sc.baseline >= kSyntaxMargin)
    label += (label.empty() ? "" : "; ") + relation_phrase(k);
  return label.empty() ? "mixed" : label;
}

namespace {

// The first `count` sentences of the kAnalysisSeed stream that fit the model, with their token ids.
struct AnalysisSentences {
  std::vector<Sentence> sentences;
  std::vector<std::vector<int>> ids;
};

AnalysisSentences analysis_sentences(const Model& model, int count) {
  Grammar grammar(kAnalysisSeed);
  AnalysisSentences out;
  while (static_cast<int>(out.sentences.size()) < count) {
    Sentence s = grammar.next();
    if (static_cast<int>(s.words.size()) > model.config.max_positions) continue;
    std::vector<int> ids;
    for (const std::string& w : s.words) {
      const int id = find_token(model.vocab, w);
      if (id < 0) throw Error("analyze", "the grammar word \"" + w + "\" is not in the model's vocabulary (grammar changed?)");
      ids.push_back(id);
    }
    out.ids.push_back(std::move(ids));
    out.sentences.push_back(std::move(s));
  }
  return out;
}

}  // namespace

ModelAnalysis analyze_model(const Model& model, int count) {
  const ModelConfig& c = model.config;
  AnalysisSentences in = analysis_sentences(model, count);
  std::vector<Sentence>& sentences = in.sentences;
  std::vector<std::vector<Matrix>> per_head(c.n_layers * c.n_heads);  // [layer * h + head][sentence]
  ModelAnalysis result;
  for (const std::vector<int>& ids : in.ids) {
    const ModelTrace t = model_forward(model, ids);
    for (int l = 0; l < c.n_layers; ++l)
      for (int h = 0; h < c.n_heads; ++h) per_head[l * c.n_heads + h].push_back(t.attention[l][h]);
    result.tokens += static_cast<int>(ids.size());
  }
  result.sentences = count;
  result.baselines = offset_baselines(sentences);
  for (int l = 0; l < c.n_layers; ++l)
    for (int h = 0; h < c.n_heads; ++h) {
      HeadReport r = analyze_head(sentences, per_head[l * c.n_heads + h], result.baselines);
      r.layer = l;
      r.head = h;
      result.heads.push_back(std::move(r));
    }
  return result;
}

std::vector<double> attention_difference(const Model& a, const Model& b, int count) {
  const ModelConfig &c = a.config, &o = b.config;
  if (c.vocab_size != o.vocab_size || c.d_model != o.d_model || c.n_layers != o.n_layers || c.n_heads != o.n_heads ||
      c.d_ff != o.d_ff || c.max_positions != o.max_positions || a.vocab != b.vocab)
    throw Error("attention_difference", "the two models differ in config or vocabulary");
  std::vector<double> largest(c.n_layers * c.n_heads, 0.0);
  for (const std::vector<int>& ids : analysis_sentences(a, count).ids) {
    const ModelTrace ta = model_forward(a, ids), tb = model_forward(b, ids);
    for (int l = 0; l < c.n_layers; ++l)
      for (int h = 0; h < c.n_heads; ++h) {
        double& m = largest[l * c.n_heads + h];
        m = std::max(m, static_cast<double>((ta.attention[l][h] - tb.attention[l][h]).cwiseAbs().maxCoeff()));
      }
  }
  return largest;
}

}  // namespace attn
