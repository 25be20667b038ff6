// Multi-head attention against an independent, loop-only double-precision implementation.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "attention.hpp"
#include "random.hpp"

using attn::Matrix;

namespace {

using Dbl = std::vector<std::vector<double>>;

Dbl to_dbl(const Matrix& m) {
  Dbl d(m.rows(), std::vector<double>(m.cols()));
  for (int i = 0; i < m.rows(); ++i)
    for (int j = 0; j < m.cols(); ++j) d[i][j] = m(i, j);
  return d;
}

Dbl matmul(const Dbl& a, const Dbl& b) {
  Dbl c(a.size(), std::vector<double>(b[0].size(), 0.0));
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t k = 0; k < b.size(); ++k)
      for (size_t j = 0; j < b[0].size(); ++j) c[i][j] += a[i][k] * b[k][j];
  return c;
}

// The textbook definition, written from the paper's equations with plain loops and no Eigen.
Dbl reference_mha(const Matrix& X, const std::vector<Matrix>& W, int h, bool causal) {
  const Dbl x = to_dbl(X);
  const Dbl q = matmul(x, to_dbl(W[0])), k = matmul(x, to_dbl(W[1])), v = matmul(x, to_dbl(W[2]));
  const size_t n = x.size(), d = x[0].size(), dk = d / h;
  Dbl concat(n, std::vector<double>(d, 0.0));
  for (int head = 0; head < h; ++head) {
    const size_t off = head * dk;
    for (size_t i = 0; i < n; ++i) {
      std::vector<double> s(n);
      double mx = -1e300;
      for (size_t j = 0; j < n; ++j) {
        double acc = 0;
        for (size_t m = 0; m < dk; ++m) acc += q[i][off + m] * k[j][off + m];
        s[j] = (causal && j > i) ? -1e300 : acc / std::sqrt(static_cast<double>(dk));
        mx = std::max(mx, s[j]);
      }
      double z = 0;
      for (size_t j = 0; j < n; ++j) z += (causal && j > i) ? 0.0 : std::exp(s[j] - mx);
      for (size_t j = 0; j < n; ++j) {
        const double a = (causal && j > i) ? 0.0 : std::exp(s[j] - mx) / z;
        for (size_t m = 0; m < dk; ++m) concat[i][off + m] += a * v[j][off + m];
      }
    }
  }
  return matmul(concat, to_dbl(W[3]));
}

}  // namespace

class MhaAgreement : public ::testing::TestWithParam<std::tuple<int, int, int, bool>> {};

TEST_P(MhaAgreement, MatchesIndependentImplementation) {
  const auto [n, d, h, causal] = GetParam();
  const Matrix X = attn::seeded_matrix(n, d, 11, 0);
  std::vector<Matrix> W;
  for (int i = 0; i < 4; ++i) W.push_back(attn::seeded_matrix(d, d, 5, i) * (1.0f / std::sqrt(static_cast<float>(d))));
  attn::AttentionOptions opt;
  opt.causal = causal;
  const auto t = attn::multi_head_attention(X, W[0], W[1], W[2], W[3], h, opt);
  const Dbl ref = reference_mha(X, W, h, causal);
  double worst = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) worst = std::max(worst, std::abs(ref[i][j] - t.output(i, j)));
  EXPECT_LT(worst, 1e-5) << "n=" << n << " d=" << d << " h=" << h;
}

INSTANTIATE_TEST_SUITE_P(Shapes, MhaAgreement,
                         ::testing::Values(std::make_tuple(5, 8, 2, false), std::make_tuple(5, 8, 2, true),
                                           std::make_tuple(1, 4, 1, false), std::make_tuple(7, 16, 4, true),
                                           std::make_tuple(32, 64, 8, false), std::make_tuple(3, 12, 3, false)));

TEST(MultiHead, TraceKeepsEveryIntermediate) {
  const Matrix X = attn::seeded_matrix(5, 8, 1, 0);
  std::vector<Matrix> W;
  for (int i = 0; i < 4; ++i) W.push_back(attn::seeded_matrix(8, 8, 2, i));
  attn::AttentionOptions opt;
  opt.causal = true;
  const auto t = attn::multi_head_attention(X, W[0], W[1], W[2], W[3], 2, opt);
  ASSERT_EQ(t.heads.size(), 2u);
  const auto& h1 = t.heads[1];
  EXPECT_TRUE(h1.Q.isApprox(t.Q.middleCols(4, 4)));  // head 1 owns columns 4..7
  EXPECT_TRUE(h1.scaled.isApprox(h1.scores / 2.0f));  // sqrt(d_k) = sqrt(4)
  EXPECT_EQ(h1.masked(0, 4), -INFINITY);
  EXPECT_EQ(h1.weights(0, 4), 0.0f);
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(h1.weights.row(i).sum(), 1.0, 1e-6);
  EXPECT_TRUE(t.concat.middleCols(4, 4).isApprox(h1.output));
}

TEST(MultiHead, SplitConcatRoundTrip) {
  const Matrix m = attn::seeded_matrix(3, 6, 3, 0);
  EXPECT_TRUE(attn::concat_heads(attn::split_heads(m, 3)).isApprox(m));
}

TEST(MultiHead, Errors) {
  const Matrix X = Matrix::Ones(5, 8), W = Matrix::Ones(8, 8);
  try {
    attn::multi_head_attention(X, W, W, W, W, 3);
    FAIL();
  } catch (const attn::Error& e) {
    EXPECT_STREQ(e.what(), "multi_head_attention: h = 3 does not divide d_model = 8");
  }
  try {
    attn::multi_head_attention(X, W, Matrix::Ones(8, 4), W, W, 2);
    FAIL();
  } catch (const attn::Error& e) {
    EXPECT_STREQ(e.what(), "multi_head_attention: W_k is 8x4 but must be 8x8 (d_model x d_model, X is 5x8)");
  }
  EXPECT_THROW(attn::split_heads(X, 0), attn::Error);
  EXPECT_THROW(attn::concat_heads({}), attn::Error);
  EXPECT_THROW(attn::concat_heads({Matrix::Ones(2, 2), Matrix::Ones(3, 2)}), attn::Error);
}
