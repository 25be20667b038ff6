// The shipped int8 model.bin (version 2) against the float16 model it was made from
// (tests/model/model-float16.bin, the version 1 file shipped before): the heads must be unchanged.
// On the analysis sentence stream (the held-out sentences `attn analyze` scores, seed kAnalysisSeed,
// independent of training): every head's label is identical, and every attention weight of every
// head is within kMapTolerance of the float16 model's. A control quantization with 3 levels per row
// must break the tolerance, so the check is not vacuous.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "analyze.hpp"
#include "grammar.hpp"
#include "model_io.hpp"
#include "train.hpp"

namespace {

constexpr float kMapTolerance = 0.05f;    // absolute, per attention weight (weights are in [0, 1])
constexpr double kMeanTolerance = 0.002;  // mean |difference| over all weights of all heads
constexpr int kSentences = 1000;        // as many as `attn analyze` scores by default

std::string read_bytes(const std::string& rel) {
  std::ifstream in(std::string(ATTN_SOURCE_DIR) + "/" + rel, std::ios::binary);
  EXPECT_TRUE(in.good()) << rel;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

uint32_t version_of(const std::string& bytes) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[4 + i])) << (8 * i);
  return v;
}

struct Heads {
  std::vector<std::string> labels;            // [layer * H + head]
  std::vector<std::vector<attn::Matrix>> maps;  // [layer * H + head][sentence]
};

Heads heads_of(const attn::Model& model) {
  const attn::ModelConfig& c = model.config;
  attn::Grammar grammar(attn::kAnalysisSeed);
  std::vector<attn::Sentence> sentences;
  Heads out;
  out.maps.resize(c.n_layers * c.n_heads);
  while (static_cast<int>(sentences.size()) < kSentences) {
    attn::Sentence s = grammar.next();
    if (static_cast<int>(s.words.size()) > c.max_positions) continue;
    std::vector<int> ids;
    for (const std::string& w : s.words) ids.push_back(attn::find_token(model.vocab, w));
    const attn::ModelTrace t = attn::model_forward(model, ids);
    for (int l = 0; l < c.n_layers; ++l)
      for (int h = 0; h < c.n_heads; ++h) out.maps[l * c.n_heads + h].push_back(t.attention[l][h]);
    sentences.push_back(std::move(s));
  }
  const auto baselines = attn::offset_baselines(sentences);
  for (const auto& maps : out.maps) out.labels.push_back(attn::head_label(attn::analyze_head(sentences, maps, baselines)));
  return out;
}

// Largest |a - b| over every head, sentence and weight; `mean` gets the mean |a - b|.
float max_map_difference(const Heads& a, const Heads& b, double* mean = nullptr) {
  float worst = 0;
  double sum = 0;
  size_t count = 0;
  for (size_t h = 0; h < a.maps.size(); ++h)
    for (size_t s = 0; s < a.maps[h].size(); ++s) {
      const attn::Matrix d = (a.maps[h][s] - b.maps[h][s]).cwiseAbs();
      worst = std::max(worst, d.maxCoeff());
      sum += d.cast<double>().sum();
      count += static_cast<size_t>(d.size());
    }
  if (mean) *mean = sum / static_cast<double>(count);
  return worst;
}

}  // namespace

TEST(ModelInt8, ShippedFileIsTheFloat16ModelInInt8AtAboutHalfTheBytes) {
  const std::string f16 = read_bytes("tests/model/model-float16.bin"), shipped = read_bytes("web/model/model.bin");
  ASSERT_GT(f16.size(), 40u);
  ASSERT_GT(shipped.size(), 40u);
  EXPECT_EQ(version_of(f16), attn::kModelVersionFloat16);
  EXPECT_EQ(version_of(shipped), attn::kModelVersion);
  EXPECT_LT(shipped.size(), f16.size() * 55 / 100) << shipped.size() << " vs " << f16.size();
  EXPECT_TRUE(attn::encode_model(attn::decode_model(f16)) == shipped) << "web/model/model.bin is not the int8 form of tests/model/model-float16.bin";
  EXPECT_TRUE(attn::encode_model(attn::decode_model(f16), attn::WeightFormat::float16) == f16);
}

TEST(ModelInt8, EveryHeadKeepsItsLabelAndItsAttentionMaps) {
  const attn::Model f16 = attn::decode_model(read_bytes("tests/model/model-float16.bin"));
  const attn::Model int8 = attn::decode_model(read_bytes("web/model/model.bin"));
  const Heads a = heads_of(f16), b = heads_of(int8);
  ASSERT_EQ(a.labels.size(), 12u);
  for (size_t h = 0; h < a.labels.size(); ++h) EXPECT_EQ(a.labels[h], b.labels[h]) << "head " << h / 4 + 1 << "-" << h % 4 + 1;
  double mean = 0;
  const float worst = max_map_difference(a, b, &mean);
  EXPECT_LE(worst, kMapTolerance);
  EXPECT_LE(mean, kMeanTolerance);
  std::cout << "[ int8 ] attention-weight difference over " << kSentences << " sentences x 12 heads: largest " << worst
            << ", mean " << mean << '\n';

  // Control: 3 levels per row (-s, 0, +s) is far too coarse, and the same check says so.
  attn::Model coarse = f16;
  for (auto& [name, t] : attn::named_tensors(coarse.params))
    for (Eigen::Index r = 0; r < t->rows(); ++r) {
      auto row = t->row(r);
      const float s = row.cwiseAbs().maxCoeff();
      if (s > 0) row = (row / s).array().round().matrix() * s;
    }
  double coarse_mean = 0;
  EXPECT_GT(max_map_difference(a, heads_of(coarse), &coarse_mean), kMapTolerance);
  EXPECT_GT(coarse_mean, kMeanTolerance);
}
