// Head analysis on hand-made attention patterns whose answers are known.
#include <gtest/gtest.h>

#include <cmath>

#include "analyze.hpp"
#include "model_io.hpp"
#include "train.hpp"

using attn::Direction;
using attn::Matrix;
using attn::Rel;
using attn::RelationKey;
using attn::Sentence;

namespace {

// "the cat chased the mouse" and "the big dog sleeps", with gold parses; repeated to reach the
// minimum relation count the labels need.
std::vector<Sentence> corpus() {
  const Sentence a{{"the", "cat", "chased", "the", "mouse"},
                   {1, 2, -1, 4, 2},
                   {Rel::det, Rel::nsubj, Rel::root, Rel::det, Rel::dobj}};
  const Sentence b{{"the", "big", "dog", "sleeps"}, {2, 2, 3, -1}, {Rel::det, Rel::amod, Rel::nsubj, Rel::root}};
  std::vector<Sentence> out;
  for (int i = 0; i < 20; ++i) out.push_back(i % 2 ? b : a);
  return out;
}

// Every query puts weight 1 on key f(i) (a one-hot row).
template <class F>
std::vector<Matrix> one_hot(const std::vector<Sentence>& s, F f) {
  std::vector<Matrix> out;
  for (const Sentence& x : s) {
    const int n = static_cast<int>(x.words.size());
    Matrix A = Matrix::Zero(n, n);
    for (int i = 0; i < n; ++i) A(i, f(x, i)) = 1;
    out.push_back(A);
  }
  return out;
}

}  // namespace

TEST(Analyze, OffsetBaselines) {
  const auto b = attn::offset_baselines(corpus());
  const auto det = b.at({Rel::det, Direction::dependent_to_head});
  EXPECT_EQ(det.count, 30);  // 2 per "cat" sentence x 10 + 1 per "dog" sentence x 10
  EXPECT_EQ(det.offset, 1);
  EXPECT_NEAR(det.accuracy, 20.0 / 30, 1e-12);
  const auto subj = b.at({Rel::nsubj, Direction::head_to_dependent});  // verb -> its subject
  EXPECT_EQ(subj.offset, -1);
  EXPECT_NEAR(subj.accuracy, 1.0, 1e-12);
  EXPECT_EQ(b.count({Rel::root, Direction::dependent_to_head}), 0u);  // the root has no partner
}

TEST(Analyze, PerfectPreviousTokenHead) {
  const auto s = corpus();
  const auto r = attn::analyze_head(s, one_hot(s, [](const Sentence&, int i) { return i > 0 ? i - 1 : 0; }),
                                    attn::offset_baselines(s));
  EXPECT_DOUBLE_EQ(r.previous, 1.0);
  EXPECT_DOUBLE_EQ(r.next, 0.0);
  EXPECT_NEAR(r.self, 20.0 / 90, 1e-12);  // only the first token attends to itself
  EXPECT_NEAR(r.first, 20.0 / 70, 1e-12);  // the second token's previous token is the first
  EXPECT_NEAR(r.entropy, 0.0, 1e-12);
  EXPECT_EQ(r.label, "previous token");
  // Noun -> its determiner is exactly "one to the left" in 20 of 30 cases, like the baseline.
  const auto det = r.relations.at({Rel::det, Direction::head_to_dependent});
  EXPECT_NEAR(det.accuracy, 20.0 / 30, 1e-12);
  EXPECT_NEAR(det.baseline, 20.0 / 30, 1e-12);
}

TEST(Analyze, SyntacticHeadBeatsTheOffsetBaseline) {
  const auto s = corpus();
  // Determiners and adjectives look at their noun; everything else at itself.
  const auto r = attn::analyze_head(s, one_hot(s, [](const Sentence& x, int i) {
                                      return x.rels[i] == Rel::det || x.rels[i] == Rel::amod ? x.heads[i] : i;
                                    }),
                                    attn::offset_baselines(s));
  const auto det = r.relations.at({Rel::det, Direction::dependent_to_head});
  EXPECT_DOUBLE_EQ(det.accuracy, 1.0);
  EXPECT_NEAR(det.baseline, 20.0 / 30, 1e-12);
  EXPECT_EQ(det.baseline_offset, 1);
  RelationKey k{};
  attn::RelationScore sc;
  ASSERT_TRUE(attn::best_relation(r, &k, &sc));
  EXPECT_EQ(k.rel, Rel::det);
  EXPECT_NEAR(r.self, 50.0 / 90, 1e-12);  // the other words attend to themselves
  EXPECT_EQ(r.label, "self; determiner → its noun");
  EXPECT_EQ(attn::head_json(r)["best_relation"]["relation"], "det");
}

TEST(Analyze, UniformHeadIsBroad) {
  const auto s = corpus();
  std::vector<Matrix> A;
  for (const Sentence& x : s) {
    const int n = static_cast<int>(x.words.size());
    A.push_back(Matrix::Constant(n, n, 1.0f / n));
  }
  const auto r = attn::analyze_head(s, A, attn::offset_baselines(s));
  EXPECT_NEAR(r.entropy, r.uniform_entropy, 1e-6);
  EXPECT_NEAR(r.uniform_entropy, (std::log(5.0) * 50 + std::log(4.0) * 40) / 90, 1e-9);
  EXPECT_EQ(r.label, "broad/diffuse");
  // Ties go to the earliest token: every query's "most attended" is token 0 (token 1 for token 0).
  EXPECT_NEAR(r.first, 1.0, 1e-12);
}

TEST(Analyze, ShapeMismatchesAreErrors) {
  const auto s = corpus();
  EXPECT_THROW(attn::analyze_head(s, {}, {}), attn::Error);
  std::vector<Matrix> A(s.size(), Matrix::Identity(3, 3));
  EXPECT_THROW(attn::analyze_head(s, A, {}), attn::Error);
}

// attention_difference: zero for the same weights, small and non-zero for the same weights in int8,
// an error for models that cannot be compared.
TEST(Analyze, AttentionDifferenceBetweenEncodings) {
  attn::Model m;
  m.vocab = attn::course_vocabulary();
  m.config = {static_cast<int>(m.vocab.size()), 16, 2, 2, 64, 16};
  m.params = attn::init_params(m.config, 5);
  m.params.blocks[0].W_q *= 4.0f;  // sharper heads, so the encoding shows
  m.params.blocks[0].W_k *= 4.0f;
  const std::vector<double> same = attn::attention_difference(m, m, 20);
  ASSERT_EQ(same.size(), 4u);
  for (double d : same) EXPECT_EQ(d, 0.0);
  const attn::Model int8 = attn::decode_model(attn::encode_model(m, attn::ModelFormat::int8));
  const attn::Model f16 = attn::decode_model(attn::encode_model(m, attn::ModelFormat::f16));
  const std::vector<double> d = attn::attention_difference(int8, f16, 20);
  for (int h = 0; h < 2; ++h) {
    EXPECT_GT(d[h], 0.0) << h;
    EXPECT_LT(d[h], 0.2) << h;
  }
  attn::Model other = m;
  other.config.max_positions = 8;
  other.params.pos.conservativeResize(8, 16);
  EXPECT_THROW(attn::attention_difference(m, other, 5), attn::Error);
}
