// What each attention head does, measured the way Clark et al. (2019) measured BERT's heads.
//
// For one head and a set of sentences with gold parses (grammar.hpp):
//   - positional shares: of the query tokens, the fraction whose most-attended token (argmax over
//     all keys, self included) is the previous token (queries 2..n), the next token (queries 1..n-1),
//     itself (all queries) or the first token (queries 2..n);
//   - mean attention entropy in nats over all query rows, next to the mean log(n) a uniform head gets;
//   - for every gold relation in both directions (dependent -> head, head -> dependent) the accuracy
//     of predicting the related word as the most-attended OTHER token (self excluded, ties to the
//     earliest), against the best fixed-offset baseline: the accuracy of always answering
//     "the word at relative offset k" for the single best k (ignoring k = 0).
// A short label is derived from those numbers with the thresholds below.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "grammar.hpp"
#include "matrix.hpp"
#include "model.hpp"
#include "tree.hpp"

namespace attn {

/// Label thresholds (documented in analysis.json too).
constexpr double kPositionalShare = 0.5;  // "previous token" etc. when that share reaches 0.5 (Clark: > 50%)
constexpr double kSyntaxMargin = 0.10;    // syntactic when accuracy beats the offset baseline by 10 points (Voita)
constexpr double kSyntaxAccuracy = 0.5;   // ... and the accuracy itself is at least 0.5
constexpr int kSyntaxMinCount = 30;       // ... on at least 30 relation instances
constexpr double kBroadEntropy = 0.75;    // "broad/diffuse" when mean entropy >= 0.75 x mean log(n)

enum class Direction { dependent_to_head, head_to_dependent };
const char* direction_name(Direction d);  // "dependent_to_head", "head_to_dependent"

struct RelationKey {
  Rel rel;
  Direction dir;
  bool operator<(const RelationKey& o) const { return rel != o.rel ? rel < o.rel : dir < o.dir; }
};

struct OffsetBaseline {
  int count = 0;         // relation instances
  int offset = 0;        // best relative offset (target index - query index)
  double accuracy = 0;   // fraction of instances at that offset
};

struct RelationScore {
  int count = 0;
  double accuracy = 0;   // the head's accuracy
  double baseline = 0;   // best fixed-offset accuracy for the same instances
  int baseline_offset = 0;
};

struct HeadReport {
  int layer = 0, head = 0;  // 0-based
  double previous = 0, next = 0, self = 0, first = 0;
  double entropy = 0;          // mean nats per query row
  double uniform_entropy = 0;  // mean log(n) over the same rows
  std::map<RelationKey, RelationScore> relations;
  std::string label;
};

/// Best fixed-offset baseline of every relation and direction in `sentences` (root excluded).
std::map<RelationKey, OffsetBaseline> offset_baselines(const std::vector<Sentence>& sentences);

/// Scores one head. attention[s] is sentence s's n x n weights (row = query, rows sum to 1).
/// Throws Error("analyze_head", ...) when the counts or shapes disagree.
HeadReport analyze_head(const std::vector<Sentence>& sentences, const std::vector<Matrix>& attention,
                        const std::map<RelationKey, OffsetBaseline>& baselines);

/// The label of a head from its numbers: "broad/diffuse" when its entropy is high; otherwise the
/// positional part ("previous token") and the syntactic part ("determiner → its noun") joined by
/// "; ", or "mixed" when neither applies.
std::string head_label(const HeadReport& r);

/// The relation and direction whose accuracy beats its baseline by the most (count >= kSyntaxMinCount);
/// returns false when there is none.
bool best_relation(const HeadReport& r, RelationKey* key, RelationScore* score);

/// "determiner -> its noun" etc.
std::string relation_phrase(const RelationKey& k);

/// Every head of `model` scored on the first `count` sentences (of at most max_positions words) of
/// the kAnalysisSeed stream (train.hpp): what `attn analyze` writes, and what the browser's live
/// trainer reruns on a few sentences every N steps.
struct ModelAnalysis {
  int sentences = 0;
  int tokens = 0;
  std::map<RelationKey, OffsetBaseline> baselines;
  std::vector<HeadReport> heads;  // layer-major: [layer * n_heads + head], layer and head set
};
ModelAnalysis analyze_model(const Model& model, int count);

/// Per head (layer-major), the largest absolute difference between the attention weights of `a` and
/// `b` over the sentences analyze_model(a, count) scores: how far one weight set in two encodings
/// (model.bin versions 1 and 2) moves the heads. Throws Error("attention_difference", ...) when the
/// models differ in config or vocabulary.
std::vector<double> attention_difference(const Model& a, const Model& b, int count);

/// One head report as a Tree (layer and head 1-based, as in Clark et al.'s "8-10"): the fields are
/// listed here only. The CLI prints it as JSON (head_json); the live trainer's WASM module hands it to
/// JS as objects (cpp/wasm/train_bindings.cpp), so that module links no nlohmann::json.
Tree head_tree(const HeadReport& r);

/// head_tree as JSON (to_json, tree_json.hpp).
nlohmann::json head_json(const HeadReport& r);

}  // namespace attn
