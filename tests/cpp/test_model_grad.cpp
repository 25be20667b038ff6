// Finite-difference gradient checks, in double, for every backward op of layers.hpp and for the
// whole model (model_grad.hpp); plus a check that the float instantiation gives the same gradient.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "layers.hpp"
#include "model_grad.hpp"
#include "random.hpp"

using attn::Mat;
using D = Mat<double>;

namespace {

// A seeded matrix of values in [-scale, scale] (tenths times scale).
D rnd(int r, int c, uint64_t stream, double scale = 1.0) {
  return attn::seeded_matrix(r, c, 1234, stream).cast<double>() * scale;
}

// Central differences of f with respect to every entry of x; compares with `analytic`.
// Tolerance: |a - n| <= 1e-8 + 1e-6 * max(|a|, |n|), far below any real backward mistake (O(1) relative).
void check_gradient(const std::function<double()>& f, D& x, const D& analytic, const std::string& name) {
  ASSERT_EQ(x.rows(), analytic.rows()) << name;
  ASSERT_EQ(x.cols(), analytic.cols()) << name;
  const double eps = 1e-5;
  double worst = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double keep = x.data()[i];
    x.data()[i] = keep + eps;
    const double up = f();
    x.data()[i] = keep - eps;
    const double down = f();
    x.data()[i] = keep;
    const double numeric = (up - down) / (2 * eps), a = analytic.data()[i];
    const double err = std::abs(a - numeric) / (1e-2 + std::max(std::abs(a), std::abs(numeric)));
    worst = std::max(worst, err);
    EXPECT_LE(std::abs(a - numeric), 1e-8 + 1e-6 * std::max(std::abs(a), std::abs(numeric)))
        << name << "[" << i << "]: analytic " << a << " numeric " << numeric;
  }
  EXPECT_LT(worst, 1e-6) << name;
}

// loss = sum(Y .* R): a scalar whose gradient with respect to Y is R.
double dotsum(const D& Y, const D& R) { return (Y.array() * R.array()).sum(); }

}  // namespace

TEST(Backward, Linear) {
  D X = rnd(3, 4, 1), W = rnd(4, 5, 2), b = rnd(1, 5, 3);
  const D R = rnd(3, 5, 4);
  const auto f = [&] { return dotsum(attn::linear<double>(X, W, b), R); };
  D dW = D::Zero(4, 5), db = D::Zero(1, 5);
  const D dX = attn::linear_backward<double>(X, W, R, dW, db);
  check_gradient(f, X, dX, "dX");
  check_gradient(f, W, dW, "dW");
  check_gradient(f, b, db, "db");
}

TEST(Backward, LayerNorm) {
  D X = rnd(3, 6, 5, 2.0), g = rnd(1, 6, 6), b = rnd(1, 6, 7);
  const D R = rnd(3, 6, 8);
  const auto f = [&] { return dotsum(attn::layer_norm<double>(X, g, b, nullptr), R); };
  attn::LayerNormCache<double> cache;
  attn::layer_norm<double>(X, g, b, &cache);
  D dg = D::Zero(1, 6), db = D::Zero(1, 6);
  const D dX = attn::layer_norm_backward<double>(R, g, cache, dg, db);
  check_gradient(f, X, dX, "dX");
  check_gradient(f, g, dg, "dg");
  check_gradient(f, b, db, "db");
}

TEST(Backward, Gelu) {
  D X = rnd(4, 5, 9, 3.0);
  const D R = rnd(4, 5, 10);
  const auto f = [&] { return dotsum(attn::gelu<double>(X), R); };
  check_gradient(f, X, attn::gelu_backward<double>(X, R), "dX");
  EXPECT_NEAR(attn::gelu<double>(D::Constant(1, 1, 1.0))(0, 0), 0.8411919906082768, 1e-12);  // tanh form at 1
}

TEST(Backward, SoftmaxRows) {
  D S = rnd(3, 4, 11, 3.0);
  const D R = rnd(3, 4, 12);
  const auto f = [&] { return dotsum(attn::softmax_rows_fast<double>(S), R); };
  check_gradient(f, S, attn::softmax_rows_backward<double>(attn::softmax_rows_fast<double>(S), R), "dS");
}

TEST(Backward, SelfAttentionOverSegments) {
  const int heads = 2, d = 6;
  const std::vector<attn::Segment> segs = {{0, 3}, {3, 4}};
  D Q = rnd(7, d, 13, 2.0), K = rnd(7, d, 14, 2.0), V = rnd(7, d, 15);
  const D R = rnd(7, d, 16);
  const auto f = [&] { return dotsum(attn::self_attention<double>(Q, K, V, heads, segs, nullptr), R); };
  attn::AttentionCache<double> cache;
  attn::self_attention<double>(Q, K, V, heads, segs, &cache);
  ASSERT_EQ(cache.weights.size(), 4u);
  EXPECT_EQ(cache.weights[2].rows(), 4);  // segment 1, head 0
  D dQ, dK, dV;
  attn::self_attention_backward<double>(R, Q, K, V, heads, segs, cache, dQ, dK, dV);
  check_gradient(f, Q, dQ, "dQ");
  check_gradient(f, K, dK, "dK");
  check_gradient(f, V, dV, "dV");
  // Segments do not see each other: changing sentence 1 leaves sentence 0's output alone.
  const D before = attn::self_attention<double>(Q, K, V, heads, segs, nullptr);
  V.row(5) *= 3;
  const D after = attn::self_attention<double>(Q, K, V, heads, segs, nullptr);
  EXPECT_EQ(before.topRows(3), after.topRows(3));
}

TEST(Backward, Embedding) {
  D table = rnd(5, 3, 17);
  const std::vector<int> ids = {1, 3, 1, 0};
  const D R = rnd(4, 3, 18);
  const auto f = [&] { return dotsum(attn::embedding<double>(table, ids), R); };
  D dT = D::Zero(5, 3);
  attn::embedding_backward<double>(R, ids, dT);
  check_gradient(f, table, dT, "dTable");
  EXPECT_EQ(dT.row(2), D::Zero(1, 3));  // an unused id gets no gradient
}

TEST(Backward, CrossEntropy) {
  D logits = rnd(4, 6, 19, 3.0);
  const std::vector<int> targets = {0, 5, 2, 2};
  const auto f = [&] { return attn::cross_entropy<double>(logits, targets, nullptr, nullptr); };
  D dlogits;
  int correct = 0;
  const double loss = attn::cross_entropy<double>(logits, targets, &dlogits, &correct);
  check_gradient(f, logits, dlogits, "dlogits");
  // By hand for row 0: -log softmax(row)[0].
  double lse = 0;
  for (int j = 0; j < 6; ++j) lse += std::exp(logits(0, j));
  const double row0 = std::log(lse) - logits(0, 0);
  EXPECT_GT(loss, 0);
  EXPECT_NEAR(attn::cross_entropy<double>(logits.topRows(1), {0}, nullptr, nullptr), row0, 1e-12);
}

namespace {

attn::ModelConfig tiny_config() { return {10, 8, 2, 2, 16, 6}; }

// Every parameter seeded in [-0.5, 0.5] (gains and biases too) so every path carries gradient.
attn::Params<double> tiny_params(const attn::ModelConfig& c) {
  auto p = attn::zero_params<double>(c);
  uint64_t stream = 100;
  for (auto& [name, m] : attn::named_tensors(p)) *m = rnd(static_cast<int>(m->rows()), static_cast<int>(m->cols()), stream++, 0.5);
  return p;
}

attn::Batch tiny_batch() {
  attn::Batch b;
  b.ids = {2, 1, 5, 9, 3, 1, 1, 4};  // two sentences; 1 is [MASK]
  b.positions = {0, 1, 2, 0, 1, 2, 3, 4};
  b.segments = {{0, 3}, {3, 5}};
  b.predict_rows = {1, 5, 6, 7};
  b.targets = {7, 2, 8, 4};
  return b;
}

}  // namespace

TEST(Backward, WholeModel) {
  const auto c = tiny_config();
  auto p = tiny_params(c);
  const auto batch = tiny_batch();
  auto grad = attn::zero_params<double>(c);
  attn::model_loss<double>(p, c, batch, &grad);
  const auto f = [&] { return attn::model_loss<double>(p, c, batch, nullptr); };
  auto ps = attn::named_tensors(p);
  auto gs = attn::named_tensors(grad);
  for (size_t i = 0; i < ps.size(); ++i) check_gradient(f, *ps[i].second, *gs[i].second, ps[i].first);
  // The gradient is not trivially zero anywhere that matters.
  EXPECT_GT(grad.blocks[0].W_q.norm(), 1e-4);
  EXPECT_GT(grad.pos.row(4).norm(), 1e-4);
  EXPECT_EQ(grad.pos.row(5).norm(), 0.0);  // position 5 is never used
}

TEST(Backward, FloatGradientMatchesDouble) {
  const auto c = tiny_config();
  const auto pd = tiny_params(c);
  const auto pf = attn::cast_params<float>(pd);
  const auto batch = tiny_batch();
  auto gd = attn::zero_params<double>(c);
  auto gf = attn::zero_params<float>(c);
  const double ld = attn::model_loss<double>(pd, c, batch, &gd);
  const float lf = attn::model_loss<float>(pf, c, batch, &gf);
  EXPECT_NEAR(lf, ld, 1e-5 * std::abs(ld));
  const auto a = attn::named_tensors(gd);
  const auto b = attn::named_tensors(gf);
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_LE((b[i].second->cast<double>() - *a[i].second).norm(), 1e-4 * (1e-3 + a[i].second->norm())) << a[i].first;
}
