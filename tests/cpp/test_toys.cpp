// The early-lesson step functions: RNN influence (against hand values and finite differences),
// two-vector geometry and the softmax Jacobian.
#include <gtest/gtest.h>

#include <cmath>

#include "random.hpp"
#include "toys.hpp"

using attn::Matrix;
using attn::Vector;

namespace {
Matrix M1(float v) { return Matrix::Constant(1, 1, v); }
}  // namespace

TEST(Rnn, OneUnitHandComputed) {
  Matrix X(2, 1);
  X << 1, 0;
  const auto r = attn::rnn_run(X, M1(1), M1(0.5f));
  const double h1 = std::tanh(1.0), h2 = std::tanh(0.5 * h1);
  EXPECT_NEAR(r.H(0, 0), h1, 1e-6);
  EXPECT_NEAR(r.H(1, 0), h2, 1e-6);
  EXPECT_NEAR(r.influence(1), 1 - h2 * h2, 1e-6);                          // dh2/dx2 = tanh'(a2)
  EXPECT_NEAR(r.influence(0), (1 - h1 * h1) * 0.5 * (1 - h2 * h2), 1e-6);  // dh2/dx1 through one W_hh
}

TEST(Rnn, InfluenceMatchesFiniteDifferences) {
  const int T = 6, d = 3;
  const Matrix X = attn::seeded_matrix(T, d, 9, 0), W_xh = attn::seeded_matrix(d, d, 9, 1), W_hh = attn::seeded_matrix(d, d, 9, 2);
  const auto r = attn::rnn_run(X, W_xh, W_hh);
  const double eps = 1e-3;
  for (int t = 0; t < T; ++t) {
    double sq = 0;
    for (int i = 0; i < d; ++i) {
      Matrix Xp = X, Xm = X;
      Xp(t, i) += eps;
      Xm(t, i) -= eps;
      const Vector diff = (attn::rnn_run(Xp, W_xh, W_hh).H.row(T - 1) - attn::rnn_run(Xm, W_xh, W_hh).H.row(T - 1)) / (2 * eps);
      sq += diff.squaredNorm();
    }
    EXPECT_NEAR(r.influence(t), std::sqrt(sq), 2e-3) << "t=" << t;
  }
}

TEST(Rnn, SmallGainForgetsExponentiallyLargeGainDoesNot) {
  const auto low = attn::rnn_demo(60, 16, 0.6f, 1);
  const auto high = attn::rnn_demo(60, 16, 1.8f, 1);
  // Influence of the first token on the last state, relative to the last token's own influence.
  EXPECT_LT(low.influence(0) / low.influence(59), 1e-6);
  EXPECT_GT(high.influence(0) / high.influence(59), 1e-2);
  // Below 1 the decay is steady: each 10 steps back multiplies the influence by a similar factor.
  const double r1 = low.influence(40) / low.influence(50), r2 = low.influence(30) / low.influence(40);
  EXPECT_LT(r1, 0.2);
  EXPECT_NEAR(std::log(r1), std::log(r2), 1.5);
}

TEST(Rnn, Errors) {
  EXPECT_THROW(attn::rnn_run(Matrix::Ones(2, 2), Matrix::Ones(2, 3), Matrix::Ones(2, 2)), attn::Error);
  EXPECT_THROW(attn::rnn_run(Matrix::Ones(2, 2), Matrix::Ones(2, 2), Matrix::Ones(2, 3)), attn::Error);
  EXPECT_THROW(attn::rnn_demo(0, 8, 1, 1), attn::Error);
  EXPECT_THROW(attn::rnn_demo(10, 8, 0, 1), attn::Error);
  EXPECT_THROW(attn::rnn_demo(10, 8, NAN, 1), attn::Error);
  try {
    attn::rnn_demo(600, 8, 1, 1);
    FAIL();
  } catch (const attn::Error& e) {
    EXPECT_STREQ(e.what(), "rnn_demo: length must be 1 to 512 (got 600)");
  }
}

TEST(CompareVectors, HandComputed) {
  Vector a(2), b(2);
  a << 3, 4;
  b << 4, 3;
  const auto c = attn::compare_vectors(a, b);
  EXPECT_FLOAT_EQ(c.dot, 24);
  EXPECT_FLOAT_EQ(c.norm_a, 5);
  EXPECT_FLOAT_EQ(c.cosine, 0.96f);
  EXPECT_NEAR(c.angle_deg, 16.2602, 1e-3);
  EXPECT_FLOAT_EQ(c.projection, 4.8f);
  // Length matters for the dot product, not for the cosine.
  const auto d = attn::compare_vectors(a * 2, b);
  EXPECT_FLOAT_EQ(d.dot, 48);
  EXPECT_FLOAT_EQ(d.cosine, 0.96f);
  Vector z = Vector::Zero(2);
  EXPECT_EQ(attn::compare_vectors(z, b).cosine, 0);
  EXPECT_THROW(attn::compare_vectors(a, Vector::Ones(3)), attn::Error);
}

TEST(SoftmaxJacobian, HandComputedAndSaturating) {
  Vector v(2);
  v << 0, 0;
  const Matrix J = attn::softmax_jacobian(v);
  EXPECT_FLOAT_EQ(J(0, 0), 0.25f);
  EXPECT_FLOAT_EQ(J(0, 1), -0.25f);
  v << 10, 0;  // saturated: s ~ (1, 0), every entry near 0
  EXPECT_LT(attn::softmax_jacobian(v).cwiseAbs().maxCoeff(), 1e-4);
  Vector w(3);
  w << 2, 1, 0.1f;
  const Matrix K = attn::softmax_jacobian(w);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(K.row(i).sum(), 0.0, 1e-6);  // shifting every score changes nothing
  EXPECT_THROW(attn::softmax_jacobian(w, 0), attn::Error);
}

TEST(ScalingDemo, SpreadGrowsLikeSqrtDkAndScaledRowIsRawOverSqrtDk) {
  for (int dk : {2, 64, 512}) {
    const auto d = attn::scaling_demo(dk, 6, 3);
    EXPECT_NEAR(d.spread_raw / std::sqrt(static_cast<float>(dk)), 1.0f, 0.1f) << "d_k = " << dk;
    EXPECT_NEAR(d.spread_scaled, 1.0f, 0.1f) << "d_k = " << dk;
    ASSERT_EQ(d.raw.size(), 6);
    for (int j = 0; j < 6; ++j) {
      EXPECT_NEAR(d.raw(j), d.q.dot(d.K.row(j)), 1e-3f);
      EXPECT_NEAR(d.scaled(j), d.raw(j) / std::sqrt(static_cast<float>(dk)), 1e-4f);
    }
    EXPECT_NEAR(d.weights_raw.sum(), 1.0f, 1e-5f);
    EXPECT_NEAR(d.weights_scaled.sum(), 1.0f, 1e-5f);
  }
}

TEST(ScalingDemo, MeasuredSpreadIsUnbiasedOverManyDraws) {
  // q . k of two independent standard normal vectors has variance exactly d_k: averaged over 60 draws
  // of 2,000 pairs each, spread_raw^2 / d_k lands within 2% of 1 if the normal draws are right.
  for (int dk : {1, 8, 64}) {
    double mean = 0;
    for (uint64_t seed = 1; seed <= 60; ++seed) {
      const auto d = attn::scaling_demo(dk, 4, seed);
      mean += d.spread_raw * d.spread_raw / dk / 60.0;
    }
    EXPECT_NEAR(mean, 1.0, 0.02) << "d_k = " << dk;
  }
}

TEST(ScalingDemo, RefusesOutOfRangeSizes) {
  EXPECT_THROW(attn::scaling_demo(0, 6, 1), attn::Error);
  EXPECT_THROW(attn::scaling_demo(513, 6, 1), attn::Error);
  EXPECT_THROW(attn::scaling_demo(8, 0, 1), attn::Error);
  EXPECT_THROW(attn::scaling_demo(8, 17, 1), attn::Error);
}
