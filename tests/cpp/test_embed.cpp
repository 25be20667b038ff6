// The hand-designed vocabulary, seeded vectors for unknown words, and sinusoidal positions.
#include <gtest/gtest.h>

#include <cmath>

#include "embed.hpp"

TEST(Embed, KnownWordsUseTheirFeatures) {
  const auto e = attn::embed({"The", "cat", "chased"});
  ASSERT_EQ(e.X.rows(), 3);
  ASSERT_EQ(e.X.cols(), attn::kFeatures);
  EXPECT_EQ(attn::feature_names()[0], "noun");
  EXPECT_EQ(e.X(0, 2), 1.0f);  // "the" is a function word, case-insensitively
  EXPECT_EQ(e.X(1, 0), 1.0f);  // "cat" is a noun ...
  EXPECT_EQ(e.X(1, 3), 1.0f);  // ... and animate
  EXPECT_EQ(e.X(2, 1), 1.0f);  // "chased" is a verb ...
  EXPECT_EQ(e.X(2, 5), 1.0f);  // ... of motion
  EXPECT_TRUE(e.known[0] && e.known[1] && e.known[2]);
}

TEST(Embed, UnknownWordsGetTheSameSeededVectorEveryTime) {
  const auto a = attn::embed({"zebra", "cat", "zebra"});
  const auto b = attn::embed({"ZEBRA"});
  EXPECT_FALSE(a.known[0]);
  EXPECT_TRUE(a.known[1]);
  EXPECT_TRUE(a.X.row(0).isApprox(a.X.row(2)));
  EXPECT_TRUE(a.X.row(0).isApprox(b.X.row(0)));
  for (int j = 0; j < attn::kFeatures; ++j) {
    const float v = a.X(0, j) * 10;
    EXPECT_NEAR(v, std::round(v), 1e-4);  // tenths
    EXPECT_LE(std::abs(a.X(0, j)), 1.0f);
  }
  EXPECT_FALSE(a.X.row(0).isApprox(attn::embed({"yak"}).X.row(0)));
}

TEST(Embed, PositionsMakeRepeatedWordsDiffer) {
  const auto plain = attn::embed({"the", "cat", "the"});
  EXPECT_TRUE(plain.X.row(0).isApprox(plain.X.row(2)));
  const auto pos = attn::embed({"the", "cat", "the"}, true);
  EXPECT_FALSE(pos.X.row(0).isApprox(pos.X.row(2)));
  // Position 0 adds sin(0) = 0 and cos(0) = 1 alternately.
  EXPECT_FLOAT_EQ(pos.X(0, 0), plain.X(0, 0));
  EXPECT_FLOAT_EQ(pos.X(0, 1), plain.X(0, 1) + 1.0f);
}

TEST(Embed, SinusoidalPositionsHandComputed) {
  const auto P = attn::sinusoidal_positions(3, 4);
  EXPECT_NEAR(P(1, 0), std::sin(1.0), 1e-6);
  EXPECT_NEAR(P(1, 1), std::cos(1.0), 1e-6);
  EXPECT_NEAR(P(2, 2), std::sin(2.0 / 100.0), 1e-6);  // 10000^(2/4) = 100
  EXPECT_NEAR(P(2, 3), std::cos(2.0 / 100.0), 1e-6);
}

TEST(Embed, Errors) {
  EXPECT_THROW(attn::embed({}), attn::Error);
  EXPECT_THROW(attn::embed({""}), attn::Error);
  EXPECT_THROW(attn::embed(std::vector<std::string>(513, "a")), attn::Error);
  EXPECT_THROW(attn::embed({std::string(65, 'a')}), attn::Error);
  EXPECT_THROW(attn::sinusoidal_positions(0, 4), attn::Error);
}
