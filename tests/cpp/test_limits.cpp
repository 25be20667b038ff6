// The core's resource bounds and argument checks (issue 10, "Engine edges"): oversized results are
// refused before they are allocated, JS numbers are never wrapped or truncated, float32 overflow
// blames the inputs, and messages stay short however large or deep the input.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "error_of.hpp"
#include "attention.hpp"
#include "describe.hpp"
#include "limits.hpp"
#include "toys.hpp"
#include "trace.hpp"
#include "tree_json.hpp"

using attn::Matrix;
using attn::Vector;

#define EXPECT_CONTAINS(haystack, needle) EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

TEST(Limits, OversizedResultsAreRefusedBeforeAllocating) {
  // 8192 x 8192 floats would be 256 MB; nothing is allocated, the message gives the sizes.
  const Matrix tall = Matrix::Ones(8192, 1);
  EXPECT_EQ(error_of([&] { attn::scores(tall, tall); }),
            "scores: the result of Q·K^T is 8192x8192 = 67108864 numbers; at most 4194304 fit in one matrix");
  EXPECT_CONTAINS(error_of([&] { attn::project(tall.topRows(4096), Matrix::Ones(1, 4096)); }), "X·W is 4096x4096");
  EXPECT_CONTAINS(error_of([&] { attn::weighted_sum(tall.topRows(4096), Matrix::Ones(1, 4096)); }), "A·V is 4096x4096");
  EXPECT_CONTAINS(error_of([] { attn::softmax_jacobian(Vector::Zero(4096)); }), "the Jacobian is 4096x4096");
  // Exactly at the limit is fine.
  const Matrix S = attn::scores(tall.topRows(2048), tall.topRows(2048));
  EXPECT_EQ(S.size(), attn::kMaxMatrixElements);
}

TEST(Limits, MultiHeadAttentionKeepsABoundedTrace) {
  const Matrix X = Matrix::Constant(2048, 4, 0.1f), W = Matrix::Identity(4, 4);
  EXPECT_CONTAINS(error_of([&] { attn::multi_head_attention(X, W, W, W, W, 4); }),
                  "multi_head_attention: keeping every intermediate would hold 67182592 numbers (n = 2048, d_model = 4, h = 4)");
  EXPECT_CONTAINS(error_of([] {
                    attn::run_trace_text(R"({"X":[[1]],"d_model":1})");  // fine
                    nlohmann::json s = {{"X", nlohmann::json::array()}, {"heads", 8}};
                    for (int i = 0; i < 512; ++i) s["X"].push_back(std::vector<float>(512, 0.1f));
                    attn::run_trace(s);
                  }),
                  "scenario: the trace would hold 12058624 numbers (n = 512, d_model = 512, heads = 8)");
}

TEST(Limits, OverflowBlamesTheInputsNotAnInnerStep) {
  const Matrix X = Matrix::Constant(1, 2, 3e38f), ones = Matrix::Ones(2, 2), I = Matrix::Identity(2, 2);
  const std::string e = error_of([&] { attn::multi_head_attention(X, ones, I, I, I, 1); });
  EXPECT_CONTAINS(e, "multi_head_attention: X·W_q overflows float32 at [0][0]: the largest |X| is 3e+38 and the largest |W_q| is 1");
  EXPECT_EQ(e.find("split_heads"), std::string::npos) << e;
  EXPECT_CONTAINS(error_of([&] { attn::multi_head_attention(Matrix::Constant(1, 2, 1e20f), I, I, I, I, 1); }),
                  "head 1 of 1: Q·K^T (from X, W_q and W_k) overflows float32");
  EXPECT_CONTAINS(error_of([&] { attn::project(Matrix::Constant(1, 1, 3e38f), Matrix::Constant(1, 1, 2)); }),
                  "project: X·W overflows float32 at [0][0]: the largest |X| is 3e+38 and the largest |W| is 2");
  Vector big(2);
  big << 3e38f, 3e38f;
  EXPECT_CONTAINS(error_of([&] { attn::dot(big, big); }), "dot: a·b overflows float32");
}

TEST(Limits, VectorLengthsNearFloatMaxDoNotOverflow) {
  Vector a(2), b(2);
  a << 3e19f, 3e19f;
  b << 1e-19f, -1e-19f;
  const auto c = attn::compare_vectors(a, b);
  EXPECT_NEAR(c.norm_a / 4.2426407e19f, 1.0f, 1e-6f);  // |a| = 3e19 sqrt(2), not Inf
  EXPECT_FLOAT_EQ(c.cosine, 0.0f);
  a << 3e38f, 3e38f;
  EXPECT_CONTAINS(error_of([&] { attn::compare_vectors(a, b); }), "the length of a overflows float32 (its largest |entry| is 3e+38)");
  // Ordinary lengths are exactly what they always were.
  a << 3, 4;
  EXPECT_EQ(attn::compare_vectors(a, a).norm_a, 5.0f);
}

TEST(Limits, RnnInfluenceOverflowIsNamed) {
  EXPECT_EQ(error_of([] { attn::rnn_demo(512, 64, 4.0, 1); }),
            "rnn_demo: with gain 4 over 512 steps the influence of the first inputs overflows float32; use a smaller gain or a shorter sequence");
  EXPECT_EQ(error_of([] { attn::rnn_demo(10, 8, 1e39, 1); }), "rnn_demo: gain must be > 0 and <= 4 (got 1e+39)");
  const auto r = attn::rnn_demo(100, 64, 3.0, 1);  // the widget's largest settings stay finite
  EXPECT_TRUE(r.influence.allFinite());
}

TEST(Limits, TinyTemperatureJacobianIsNamed) {
  EXPECT_CONTAINS(error_of([] { attn::softmax_jacobian(Vector::Zero(2), 1e-45f); }),
                  "softmax_jacobian: the Jacobian overflows float32 because temperature 1.4");
}

TEST(Args, WholeNumbersAreNeverWrapped) {
  EXPECT_EQ(attn::whole_number("f", "n", 7, 0, 10), 7);
  EXPECT_EQ(error_of([] { attn::whole_number("project", "X.rows", 4294967297.0, 0, 4194304); }),
            "project: X.rows must be a whole number from 0 to 4194304 (got 4294967297)");
  EXPECT_EQ(error_of([] { attn::whole_number("scale", "d_k", 1e308, 1, 2147483647); }),
            "scale: d_k must be a whole number from 1 to 2147483647 (got 1e+308)");
  EXPECT_CONTAINS(error_of([] { attn::whole_number("f", "h", 2.5, 1, 8); }), "(got 2.5)");
  EXPECT_CONTAINS(error_of([] { attn::whole_number("f", "h", NAN, 1, 8); }), "(got NaN)");
  EXPECT_CONTAINS(error_of([] { attn::whole_number("f", "h", -INFINITY, 1, 8); }), "(got -Infinity)");
  EXPECT_CONTAINS(error_of([] { attn::whole_number("f", "h", -1, 0, 8); }), "(got -1)");
}

TEST(Args, FloatsSayWhatTheyGot) {
  EXPECT_EQ(attn::positive_float("f", "temperature", 0.5), 0.5f);
  EXPECT_EQ(error_of([] { attn::positive_float("softmax", "temperature", 1e39); }),
            "softmax: temperature must be a finite number > 0 that float32 can hold (1.2e-38 to 3.4e+38), got 1e+39");
  EXPECT_CONTAINS(error_of([] { attn::positive_float("f", "temperature", 1e-50); }), "got 1e-50");
  EXPECT_CONTAINS(error_of([] { attn::positive_float("f", "temperature", 0); }), "got 0");
}

TEST(Describe, NumbersAndTextInMessages) {
  EXPECT_EQ(attn::num(4294967297.0), "4294967297");
  EXPECT_EQ(attn::num(0.1f), "0.1");
  EXPECT_EQ(attn::num(0.25), "0.25");
  EXPECT_EQ(attn::num(std::nan("")), "NaN");
  EXPECT_EQ(attn::quote("a\nb\"c"), "\"a\\nb\\\"c\"");
  EXPECT_EQ(attn::quote("\x01"), "\"\\u0001\"");
  EXPECT_EQ(attn::quote("ab\xff"), "\"ab\xEF\xBF\xBD\"");  // not UTF-8: U+FFFD
  EXPECT_EQ(attn::quote(std::string(100000, 'k')), "\"" + std::string(40, 'k') + "...\"");
  EXPECT_EQ(attn::quote("\xC3\xA9\xC3\xA9\xC3\xA9", 3), "\"\xC3\xA9\xC3\xA9...\"");  // cuts between characters, never inside é
  const auto deep = nlohmann::json::parse(std::string(100000, '[') + std::string(100000, ']'));
  EXPECT_EQ(attn::describe(deep), "an array of 1 item");  // described, never printed (printing recurses per level)
  EXPECT_EQ(attn::describe(nlohmann::json::object()), "an object with 0 keys");
  EXPECT_EQ(attn::utf8_problem("caf\xC3\xA9"), std::string::npos);
  EXPECT_EQ(attn::utf8_problem("a\xC0\xAF"), 1u);      // overlong
  EXPECT_EQ(attn::utf8_problem("\xED\xA0\x80"), 0u);   // a surrogate
}

TEST(Describe, HostileScenarioValuesGiveShortMessages) {
  const std::string deep = std::string(100000, '[') + "1" + std::string(100000, ']');
  EXPECT_EQ(error_of([&] { attn::run_trace_text(R"({"tokens":["a"],"positions":)" + deep + "}"); }),
            R"(positions: must be "none" or "sinusoidal", got an array of 1 item)");
  const std::string key(100000, 'k');
  const std::string e = error_of([&] { attn::run_trace_text(R"({"tokens":["a"],")" + key + R"(":1})"); });
  EXPECT_LT(e.size(), 200u) << e.size();
  EXPECT_CONTAINS(e, "scenario: unknown key \"kkkk");
  EXPECT_CONTAINS(error_of([] { attn::run_trace_text(R"({"tokens":["a"],"temperature":1e-50})"); }),
                  "temperature: 1e-50 is too small for float32");
  EXPECT_CONTAINS(error_of([] { attn::run_trace_text(R"({"tokens":["a"],"heads":4294967298})"); }),
                  "heads: 4294967298 is out of range (allowed 1 to 8)");
}
