// Single-head step functions against values computed by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "attention.hpp"

using attn::Matrix;
using attn::Vector;

namespace {

Matrix M(int r, int c, std::initializer_list<float> v) {
  Matrix m(r, c);
  auto it = v.begin();
  for (int i = 0; i < r; ++i)
    for (int j = 0; j < c; ++j) m(i, j) = *it++;
  return m;
}

Vector V(std::initializer_list<float> v) {
  Vector out(static_cast<Eigen::Index>(v.size()));
  int i = 0;
  for (float x : v) out(i++) = x;
  return out;
}

// Expects `call` to throw attn::Error whose message contains `needle`.
template <class F>
void expect_error(F call, const std::string& needle) {
  try {
    call();
    FAIL() << "expected attn::Error containing: " << needle;
  } catch (const attn::Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(Dot, HandComputed) {
  // (1, 0, -2, 0.5) . (2, 1, 0.5, -2) = 2 + 0 - 1 - 1 = 0
  EXPECT_FLOAT_EQ(attn::dot(V({1, 0, -2, 0.5}), V({2, 1, 0.5, -2})), 0.0f);
  EXPECT_FLOAT_EQ(attn::dot(V({1, 2, 0, -1}), V({2, 1, 3, -1})), 5.0f);
}

TEST(Dot, Errors) {
  expect_error([] { attn::dot(V({1, 2}), V({1, 2, 3})); }, "dot: a has 2 entries but b has 3");
  expect_error([] { attn::dot(V({1, NAN}), V({1, 2})); }, "dot: a (1x2) contains NaN at [0][1]");
  expect_error([] { attn::dot(V({1, 2}), V({INFINITY, 2})); }, "contains +Inf");
  expect_error([] { attn::dot(Vector(0), Vector(0)); }, "dot: a is empty");
}

TEST(Softmax, KnownValues) {
  // Lesson 4 reference values: (2, 1, 0.1) -> (0.659, 0.242, 0.099); T = 0.5 -> (0.864, 0.117, 0.019); T = 5 -> (0.400, 0.327, 0.273)
  const Vector s = attn::softmax(V({2, 1, 0.1f}));
  EXPECT_NEAR(s(0), 0.659, 5e-4);
  EXPECT_NEAR(s(1), 0.242, 5e-4);
  EXPECT_NEAR(s(2), 0.099, 5e-4);
  const Vector cold = attn::softmax(V({2, 1, 0.1f}), 0.5f);
  EXPECT_NEAR(cold(0), 0.864, 5e-4);
  EXPECT_NEAR(cold(2), 0.019, 5e-4);
  const Vector hot = attn::softmax(V({2, 1, 0.1f}), 5.0f);
  EXPECT_NEAR(hot(0), 0.400, 5e-4);
  EXPECT_NEAR(hot(1), 0.327, 5e-4);
  EXPECT_NEAR(hot(2), 0.273, 5e-4);
  // Two equal scores split evenly: e^0 / (e^0 + e^0).
  const Vector half = attn::softmax(V({3, 3}));
  EXPECT_FLOAT_EQ(half(0), 0.5f);
}

TEST(Softmax, ShiftInvariance) {
  const Vector a = attn::softmax(V({2, 1, 0.1f}));
  const Vector b = attn::softmax(V({102, 101, 100.1f}));
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(a(i), b(i), 1e-6);
}

TEST(Softmax, StableAtLargeMagnitudes) {
  // Without subtracting the max, exp(1e4) overflows to Inf and the result would be NaN.
  const Vector big = attn::softmax(V({1e4f, 1e4f - 1, -1e4f}));
  EXPECT_TRUE(big.allFinite());
  EXPECT_NEAR(big(0), 1 / (1 + std::exp(-1.0)), 1e-6);
  EXPECT_NEAR(big(2), 0.0, 1e-30);
  const Vector neg = attn::softmax(V({-1e4f, -1e4f}));
  EXPECT_FLOAT_EQ(neg(0), 0.5f);
  EXPECT_NEAR(big.sum(), 1.0, 1e-6);
}

TEST(Softmax, Errors) {
  expect_error([] { attn::softmax(V({1, 2}), 0.0f); }, "softmax: temperature must be a finite number > 0");
  expect_error([] { attn::softmax(V({1, 2}), -1.0f); }, "temperature");
  expect_error([] { attn::softmax(V({-INFINITY, -INFINITY})); }, "entirely masked");
  expect_error([] { attn::softmax(V({1, NAN})); }, "NaN");
}

TEST(Project, HandComputed) {
  // [1 2; 3 4] . [1 0 1; 0 1 -1] = [1 2 -1; 3 4 -1]
  const Matrix P = attn::project(M(2, 2, {1, 2, 3, 4}), M(2, 3, {1, 0, 1, 0, 1, -1}));
  EXPECT_TRUE(P.isApprox(M(2, 3, {1, 2, -1, 3, 4, -1})));
  expect_error([] { attn::project(M(2, 3, {1, 2, 3, 4, 5, 6}), M(2, 2, {1, 2, 3, 4})); },
               "project: X is 2x3 but W is 2x2 (X's columns must equal W's rows)");
}

TEST(Scores, HandComputedAndAsymmetric) {
  // Q rows (1,0), (0,2); K rows (1,1), (3,0): S = [[1, 3], [2, 0]]; S[0][1] != S[1][0].
  const Matrix S = attn::scores(M(2, 2, {1, 0, 0, 2}), M(2, 2, {1, 1, 3, 0}));
  EXPECT_TRUE(S.isApprox(M(2, 2, {1, 3, 2, 0})));
  EXPECT_NE(S(0, 1), S(1, 0));
  expect_error([] { attn::scores(Matrix::Ones(5, 8), Matrix::Ones(5, 4)); },
               "scores: Q is 5x8 but K is 5x4 (Q and K need the same number of columns)");
}

TEST(Scale, DividesBySqrtDk) {
  const Matrix S = attn::scale(M(1, 2, {8, -4}), 4);
  EXPECT_TRUE(S.isApprox(M(1, 2, {4, -2})));
  expect_error([] { attn::scale(M(1, 1, {1}), 0); }, "scale: d_k must be >= 1 (got 0)");
}

TEST(MaskCausal, SetsFutureToMinusInf) {
  const Matrix S = attn::mask_causal(M(3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(S(0, 1), -INFINITY);
  EXPECT_EQ(S(0, 2), -INFINITY);
  EXPECT_EQ(S(1, 2), -INFINITY);
  EXPECT_EQ(S(1, 0), 4);
  EXPECT_EQ(S(2, 2), 9);
  expect_error([] { attn::mask_causal(Matrix::Ones(2, 3)); }, "mask_causal: S is 2x3 but must be square");
}

TEST(SoftmaxRows, RowsSumToOneAndMaskedIsZero) {
  const Matrix A = attn::softmax_rows(attn::mask_causal(M(3, 3, {1, 2, 3, 0, 0, 5, 2, 1, 0.1f})));
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(A.row(i).sum(), 1.0, 1e-6);
  EXPECT_FLOAT_EQ(A(0, 0), 1.0f);  // the first query may only see itself
  EXPECT_EQ(A(0, 1), 0.0f);
  EXPECT_FLOAT_EQ(A(1, 0), 0.5f);  // two equal visible scores renormalise to halves
  EXPECT_NEAR(A(2, 0), 0.659, 5e-4);
}

TEST(SoftmaxRows, Errors) {
  Matrix S = M(2, 2, {1, 2, 3, 4});
  S(1, 0) = S(1, 1) = -INFINITY;
  expect_error([&] { attn::softmax_rows(S); }, "softmax_rows: row 1 of S is entirely masked (-Inf)");
  S(1, 1) = INFINITY;
  expect_error([&] { attn::softmax_rows(S); }, "contains +Inf at [1][1]");
}

TEST(WeightedSum, BlendsRowsOfV) {
  // Row 0 takes half of each value row; row 1 takes only the second.
  const Matrix O = attn::weighted_sum(M(2, 2, {0.5f, 0.5f, 0, 1}), M(2, 3, {2, 0, 4, 0, 2, -2}));
  EXPECT_TRUE(O.isApprox(M(2, 3, {1, 1, 1, 0, 2, -2})));
  expect_error([] { attn::weighted_sum(Matrix::Ones(2, 3), Matrix::Ones(2, 2)); },
               "weighted_sum: A is 2x3 but V is 2x2 (A needs one column per row of V)");
}
