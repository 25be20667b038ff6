// The JSON trace contract: shapes, head columns, masks as null, defaults, and every error path.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "trace.hpp"
#include "tree_json.hpp"

using nlohmann::json;

namespace {

json run(const std::string& text) { return json::parse(attn::run_trace_text(text)); }

std::string error_of(const std::string& text) {
  try {
    attn::run_trace_text(text);
  } catch (const attn::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(Trace, ShapesAndFields) {
  const json t = run(R"({"tokens":["the","cat","chased","the","mouse"],"d_model":8,"heads":2,"seed":7,"causal":true})");
  EXPECT_EQ(t["n"], 5);
  EXPECT_EQ(t["d_k"], 4);
  EXPECT_EQ(t["tokens"][2], "chased");
  EXPECT_EQ(t["X"].size(), 5u);
  EXPECT_EQ(t["Q"][0].size(), 8u);
  ASSERT_EQ(t["per_head"].size(), 2u);
  const json& h = t["per_head"][1];
  EXPECT_EQ(h["Q"][0].size(), 4u);
  EXPECT_EQ(h["Q"][3][0], t["Q"][3][4]);  // head 1 uses columns 4..7
  EXPECT_TRUE(h["masked"][0][1].is_null());
  EXPECT_EQ(h["weights"][0][1], 0.0);
  EXPECT_EQ(h["weights"][0][0], 1.0);
  EXPECT_EQ(t["output"][4].size(), 8u);
  EXPECT_EQ(t["known"], json::array({true, true, true, true, true}));
}

TEST(Trace, SameSeedSameWeightsAndGivenWeightsAreUsed) {
  const std::string base = R"({"X":[[1,0],[0,1]],"seed":3)";
  EXPECT_EQ(run(base + "}")["weights"], run(base + "}")["weights"]);
  EXPECT_NE(run(base + "}")["weights"]["W_q"], run(R"({"X":[[1,0],[0,1]],"seed":4})")["weights"]["W_q"]);
  // Identity weights, no scaling: scores = X X^T = I, weights = softmax rows of I.
  const json t = run(R"({"X":[[1,0],[0,1]],"scale":false,"weights":{"W_q":[[1,0],[0,1]],"W_k":[[1,0],[0,1]],"W_v":[[1,0],[0,1]],"W_o":[[1,0],[0,1]]}})");
  EXPECT_EQ(t["per_head"][0]["scores"], json::parse("[[1,0],[0,1]]"));
  const double e = std::exp(1.0);
  EXPECT_NEAR(t["output"][0][0].get<double>(), e / (e + 1), 1e-6);
}

TEST(Trace, Errors) {
  EXPECT_EQ(error_of("{bad"), "scenario: invalid JSON: parse error at line 1, column 2: syntax error while parsing object key - invalid literal; last read: '{b'; expected string literal");
  EXPECT_EQ(error_of("[]"), "scenario: expected a JSON object, got array");
  EXPECT_EQ(error_of(R"({"X":[[1e999]]})").rfind("scenario: invalid JSON: number overflow", 0), 0u);
  EXPECT_EQ(error_of(R"({"tokens":["a"],"temprature":2})"), "scenario: unknown key \"temprature\" (did you mean \"temperature\"?)");
  EXPECT_EQ(error_of(R"({"tokens":["a"],"zzzzzz":2})"), "scenario: unknown key \"zzzzzz\" (allowed: tokens, X, d_model, heads, seed, weights, positions, causal, scale, temperature)");
  EXPECT_EQ(error_of(R"({"tokens":["a"],"X":[[1]]})"), "scenario: give exactly one of \"tokens\" (words) or \"X\" (an n x d_model matrix)");
  EXPECT_EQ(error_of(R"({"tokens":[]})"), "embed: tokens is empty (need 1 to 512 tokens)");
  EXPECT_EQ(error_of(R"({"X":[]})"), "X: has no rows (n = 0)");
  EXPECT_EQ(error_of(R"({"X":[[1,2],[3]]})"), "X[1]: has 1 numbers but must have 2");
  EXPECT_EQ(error_of(R"({"X":[[1,null]]})"), "X[0][1]: expected a number, got null (NaN and Infinity are not allowed)");
  EXPECT_EQ(error_of(R"({"X":[[1e39]]})"), "X[0][0]: 1e+39 is not a finite float32");
  EXPECT_EQ(error_of(R"({"tokens":["a","b"],"heads":3})"), "heads: 3 does not divide d_model = 8 (each head gets d_model / heads columns)");
  EXPECT_EQ(error_of(R"({"tokens":["a"],"heads":0})"), "heads: 0 is out of range (allowed 1 to 8)");
  EXPECT_EQ(error_of(R"({"tokens":["a"],"heads":1.5})"), "heads: expected a whole number, got 1.5");
  EXPECT_EQ(error_of(R"({"tokens":["a"],"d_model":16})"), "d_model: 16 does not match the input width 8 (the built-in vocabulary has 8 features; pass \"X\" for other sizes)");
  EXPECT_EQ(error_of(R"({"tokens":["a"],"weights":{"W_q":[[1]]}})"), "weights.W_q: has 1 rows but must have 8");
  EXPECT_EQ(error_of(R"({"tokens":["a"],"weights":{"Wq":1}})"), "weights: unknown key \"Wq\" (did you mean \"W_q\"?)");
  EXPECT_EQ(error_of(R"({"tokens":["a"],"causal":"yes"})"), "causal: expected true or false, got string");
  EXPECT_EQ(error_of(R"({"tokens":["a"],"temperature":0})"), "temperature: 0 is out of range (must be > 0 and <= 1e6)");
  EXPECT_EQ(error_of(R"({"tokens":["a"],"positions":"learned"})"), "positions: must be \"none\" or \"sinusoidal\", got \"learned\"");
  EXPECT_EQ(error_of(R"({"tokens":[1]})"), "tokens[0]: expected a string, got number");
  std::string many = R"({"X":[)";
  for (int i = 0; i < 513; ++i) many += std::string(i ? "," : "") + "[1]";
  EXPECT_EQ(error_of(many + "]}"), "X: has 513 rows; at most 512 are allowed");
}
