// The model's two forward paths agree (step functions vs the training layers), training is
// deterministic to the byte, and masked-LM batches are built as documented.
#include <gtest/gtest.h>

#include <set>

#include "model.hpp"
#include "model_grad.hpp"
#include "model_io.hpp"
#include "train.hpp"

namespace {

attn::TrainOptions tiny_options(uint64_t seed) {
  attn::TrainOptions o;
  o.d_model = 16;
  o.n_layers = 2;
  o.n_heads = 2;
  o.d_ff = 64;
  o.steps = 30;
  o.batch = 6;
  o.seed = seed;
  o.eval_sentences = 40;
  return o;
}

}  // namespace

TEST(Model, StepFunctionForwardMatchesTrainingForward) {
  attn::Model m;
  m.vocab = attn::course_vocabulary();
  m.config = {static_cast<int>(m.vocab.size()), 16, 2, 4, 64, 16};
  m.params = attn::init_params(m.config, 3);
  for (auto& [name, t] : attn::named_tensors(m.params))
    if (name.find("_b") != std::string::npos) t->setConstant(0.01f);  // non-zero biases exercise every add
  const std::vector<int> ids = {2, 40, 100, 7, 300, 5};
  const attn::ModelTrace t = attn::model_forward(m, ids);

  attn::Batch b;
  b.ids = ids;
  b.positions = {0, 1, 2, 3, 4, 5};
  b.segments = {{0, 6}};
  b.predict_rows = b.positions;
  b.targets = ids;
  attn::LossExtras<float> x;
  x.keep_attention = x.keep_logits = true;
  attn::model_loss<float>(m.params, m.config, b, nullptr, &x);
  ASSERT_EQ(x.attention.size(), 8u);
  for (int l = 0; l < 2; ++l)
    for (int h = 0; h < 4; ++h) EXPECT_TRUE(t.attention[l][h].isApprox(x.attention[l * 4 + h], 1e-5f)) << l << "-" << h;
  EXPECT_TRUE(t.logits.isApprox(x.logits, 1e-5f));
  for (const auto& layer : t.attention)
    for (const auto& w : layer) EXPECT_TRUE(w.rowwise().sum().isApprox(attn::Matrix::Ones(6, 1), 1e-5f));
}

TEST(Model, ForwardRejectsBadIds) {
  attn::Model m;
  m.vocab = attn::course_vocabulary();
  m.config = {static_cast<int>(m.vocab.size()), 8, 1, 2, 16, 4};
  m.params = attn::init_params(m.config, 1);
  EXPECT_THROW(attn::model_forward(m, {}), attn::Error);
  EXPECT_THROW(attn::model_forward(m, {2, 3, 4, 5, 6}), attn::Error);  // longer than max_positions
  EXPECT_THROW(attn::model_forward(m, {2, m.config.vocab_size}), attn::Error);
  EXPECT_THROW(attn::model_forward(m, {-1}), attn::Error);
}

TEST(Model, TrainingIsDeterministicToTheByte) {
  const auto a = attn::train(tiny_options(5));
  const auto b = attn::train(tiny_options(5));
  const auto c = attn::train(tiny_options(6));
  const std::string ba = attn::encode_model(a.model), bb = attn::encode_model(b.model);
  EXPECT_EQ(ba, bb);
  EXPECT_EQ(a.heldout.loss, b.heldout.loss);
  EXPECT_NE(ba, attn::encode_model(c.model));
  EXPECT_GT(a.heldout.tokens, 40);
  EXPECT_GE(a.heldout.accuracy, 0.0);
  EXPECT_LE(a.heldout.accuracy, 1.0);
  // Below uniform guessing over the vocabulary after a few steps.
  EXPECT_LT(a.heldout.loss, std::log(static_cast<double>(a.model.config.vocab_size)));
}

TEST(Model, VocabularyHasSpecialTokensFirst) {
  const auto v = attn::course_vocabulary();
  ASSERT_GT(v.size(), 300u);
  EXPECT_EQ(v[attn::kPadId], "[PAD]");
  EXPECT_EQ(v[attn::kMaskId], "[MASK]");
  EXPECT_EQ(std::set<std::string>(v.begin(), v.end()).size(), v.size());
  EXPECT_GE(attn::find_token(v, "cat"), 2);
  EXPECT_EQ(attn::find_token(v, "zebra"), -1);
}

TEST(Model, MaskedBatchesFollowTheRecipe) {
  attn::Grammar g(11);
  std::vector<attn::Sentence> s;
  for (int i = 0; i < 200; ++i) s.push_back(g.next());
  const auto vocab = attn::course_vocabulary();
  attn::Rng rng(1);
  const attn::Batch b = attn::make_batch(s, vocab, 0.15, rng);
  ASSERT_EQ(b.segments.size(), s.size());
  int masked = 0, rows = 0;
  for (size_t k = 0; k < s.size(); ++k) {
    const auto [begin, n] = b.segments[k];
    EXPECT_EQ(n, static_cast<int>(s[k].words.size()));
    rows += n;
    for (int i = 0; i < n; ++i) EXPECT_EQ(b.positions[begin + i], i);
  }
  EXPECT_EQ(rows, static_cast<int>(b.ids.size()));
  for (size_t j = 0; j < b.predict_rows.size(); ++j) {
    masked += b.ids[b.predict_rows[j]] == attn::kMaskId;
    EXPECT_GE(b.targets[j], 2);  // targets are real words
  }
  const double frac = static_cast<double>(masked) / b.predict_rows.size();
  EXPECT_GT(frac, 0.7);  // ~80% [MASK]
  EXPECT_LT(frac, 0.9);
  EXPECT_GE(b.predict_rows.size(), s.size());  // at least one per sentence

  attn::Rng rng2(1);
  const attn::Batch e = attn::make_batch(s, vocab, 0.15, rng2, true);
  for (int r : e.predict_rows) EXPECT_EQ(e.ids[r], attn::kMaskId);
}
