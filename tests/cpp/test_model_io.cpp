// model.bin: float16 conversion, a save/load round trip, and clear errors for corrupt files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "model_io.hpp"
#include "random.hpp"
#include "train.hpp"

namespace {

attn::Model small_model() {
  attn::Model m;
  m.vocab = attn::course_vocabulary();
  m.config = {static_cast<int>(m.vocab.size()), 8, 2, 2, 32, 16};
  m.params = attn::init_params(m.config, 9);
  m.params.blocks[1].b_1.setConstant(-0.3f);
  return m;
}

// Expects decode_model to throw attn::Error whose message contains `needle`.
void expect_decode_error(const std::string& bytes, const std::string& needle) {
  try {
    attn::decode_model(bytes);
    FAIL() << "expected an error containing: " << needle;
  } catch (const attn::Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("model.bin: ", 0), 0u) << e.what();
  }
}

void put_u32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

uint32_t fnv1a32(const std::string& s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 16777619u;
  return h;
}

// Rewrites the trailing checksum so a deliberate edit is judged on its own merits.
void reseal(std::string& s) { put_u32(s, s.size() - 4, fnv1a32(s, s.size() - 4)); }

}  // namespace

TEST(Half, KnownValues) {
  EXPECT_EQ(attn::float_to_half(1.0f), 0x3C00);
  EXPECT_EQ(attn::float_to_half(-2.0f), 0xC000);
  EXPECT_EQ(attn::float_to_half(65504.0f), 0x7BFF);
  EXPECT_EQ(attn::float_to_half(65520.0f), 0x7C00);  // rounds up past the largest half: Inf
  EXPECT_EQ(attn::float_to_half(0.0f), 0x0000);
  EXPECT_EQ(attn::float_to_half(-0.0f), 0x8000);
  EXPECT_EQ(attn::float_to_half(std::ldexp(1.0f, -24)), 0x0001);  // smallest subnormal
  EXPECT_EQ(attn::float_to_half(std::ldexp(1.0f, -26)), 0x0000);  // underflows to zero
  EXPECT_EQ(attn::float_to_half(1.0f + std::ldexp(1.0f, -11)), 0x3C00);      // tie -> even
  EXPECT_EQ(attn::float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);  // tie -> even (up)
  EXPECT_EQ(attn::half_to_float(0x3555), 0.333251953125f);
  EXPECT_TRUE(std::isinf(attn::half_to_float(0xFC00)));
  EXPECT_TRUE(std::isnan(attn::half_to_float(0x7E00)));
}

TEST(Half, EveryFiniteHalfRoundTrips) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7C00) == 0x7C00) continue;
    ASSERT_EQ(attn::float_to_half(attn::half_to_float(static_cast<uint16_t>(h))), h) << std::hex << h;
  }
}

TEST(ModelBin, RoundTripWithinFloat16Rounding) {
  const attn::Model m = small_model();
  const std::string bytes = attn::encode_model(m, attn::WeightFormat::float16);
  const attn::Model back = attn::decode_model(bytes);
  EXPECT_EQ(back.vocab, m.vocab);
  EXPECT_EQ(back.config.d_model, 8);
  EXPECT_EQ(back.config.n_layers, 2);
  EXPECT_EQ(back.config.n_heads, 2);
  EXPECT_EQ(back.config.d_ff, 32);
  EXPECT_EQ(back.config.max_positions, 16);
  const auto a = attn::named_tensors(m.params);
  const auto b = attn::named_tensors(back.params);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].second->rows(), b[i].second->rows()) << a[i].first;
    ASSERT_EQ(a[i].second->cols(), b[i].second->cols()) << a[i].first;
    const attn::Matrix err = (*a[i].second - *b[i].second).cwiseAbs();
    const attn::Matrix tol = a[i].second->cwiseAbs() * std::ldexp(1.0f, -11) + attn::Matrix::Constant(err.rows(), err.cols(), 3e-8f);
    EXPECT_TRUE((err.array() <= tol.array()).all()) << a[i].first;
  }
  EXPECT_EQ(attn::encode_model(back, attn::WeightFormat::float16), bytes);  // already-rounded weights: same bytes
  EXPECT_EQ(attn::encode_model(back), attn::encode_model(m));  // int8 rows of a float16 model = of its float32 source
  // Size: header + vocabulary + 2 bytes per weight + counts and checksum.
  size_t words = 0, weights = 0;
  for (const auto& w : m.vocab) words += 1 + w.size();
  for (const auto& [name, t] : a) weights += static_cast<size_t>(t->size());
  EXPECT_EQ(bytes.size(), 40 + words + 4 + 2 * weights + 4);
}

TEST(ModelBin, Int8RowsWithinHalfAStepOfTheirScale) {
  const attn::Model m = small_model();
  const std::string bytes = attn::encode_model(m);
  const attn::Model back = attn::decode_model(bytes);
  EXPECT_EQ(back.vocab, m.vocab);
  const auto a = attn::named_tensors(m.params);
  const auto b = attn::named_tensors(back.params);
  size_t words = 0, weights = 0, rows = 0;
  for (const auto& w : m.vocab) words += 1 + w.size();
  for (size_t i = 0; i < a.size(); ++i) {
    weights += static_cast<size_t>(a[i].second->size());
    rows += static_cast<size_t>(a[i].second->rows());
    for (Eigen::Index r = 0; r < a[i].second->rows(); ++r) {
      const float step = a[i].second->row(r).cwiseAbs().maxCoeff() / 127.0f;
      const float err = (a[i].second->row(r) - b[i].second->row(r)).cwiseAbs().maxCoeff();
      // half an int8 step, plus float16 rounding of the largest weight
      EXPECT_LE(err, 0.5f * step + step * 127.0f * std::ldexp(1.0f, -11) + 1e-7f) << a[i].first << " row " << r;
    }
  }
  // Size: header + vocabulary + one byte per weight + a float32 scale per row + counts and checksum.
  EXPECT_EQ(bytes.size(), 40 + words + 4 + weights + 4 * rows + 4);
  EXPECT_EQ(attn::encode_model(back), bytes);  // decoded int8 rows encode to the same bytes again
}

TEST(ModelBin, CorruptFilesGiveClearErrors) {
  const std::string good = attn::encode_model(small_model());
  expect_decode_error("", "not a model file");
  expect_decode_error("GIF89a....", "not a model file");
  expect_decode_error(good.substr(0, 20), "truncated");
  expect_decode_error(good.substr(0, good.size() / 2), "truncated");
  expect_decode_error(good.substr(0, good.size() - 1), "truncated");
  expect_decode_error(good + "x", "unexpected bytes");

  std::string v = good;
  put_u32(v, 4, 3);
  expect_decode_error(v, "version 3 is not supported");

  std::string flipped = good;
  flipped[good.size() - 100] ^= 0x01;
  expect_decode_error(flipped, "checksum mismatch");

  std::string heads = good;
  put_u32(heads, 20, 3);  // 3 heads do not divide d_model 8
  expect_decode_error(heads, "does not divide");

  std::string huge = good;
  put_u32(huge, 12, 0xFFFFFFFFu);
  expect_decode_error(huge, "d_model");

  std::string inf = attn::encode_model(small_model(), attn::WeightFormat::float16);
  inf[inf.size() - 6] = 0x00;
  inf[inf.size() - 5] = 0x7C;  // last weight (out_b) = +Inf
  reseal(inf);
  expect_decode_error(inf, "out_b");

  std::string minus128 = good;
  minus128[minus128.size() - 5] = static_cast<char>(0x80);  // last weight (out_b) = -128
  reseal(minus128);
  expect_decode_error(minus128, "out_b[");

  std::string scale = good;
  const size_t out_b_row = good.size() - 4 - static_cast<size_t>(small_model().config.vocab_size) - 4;
  put_u32(scale, out_b_row, 0xBF800000u);  // out_b's scale = -1
  reseal(scale);
  expect_decode_error(scale, "out_b row 0 has the scale -1");

  std::string pad = good;
  pad[42] = 'X';  // "[PAD]" -> "[XAD]"
  reseal(pad);
  expect_decode_error(pad, "[PAD]");
}

TEST(ModelBin, RandomDamageNeverCrashes) {
  const std::string good = attn::encode_model(small_model());
  attn::Rng rng(77);
  for (int k = 0; k < 300; ++k) {
    std::string bad = good;
    if (k % 3 == 0) bad.resize(rng.next() % good.size());
    else {
      for (int j = 0; j < 4; ++j) bad[rng.next() % 48] = static_cast<char>(rng.next());  // header and first words
      if (k % 3 == 2) reseal(bad);
    }
    try {
      attn::decode_model(bad);
    } catch (const attn::Error&) {
      // expected: any other exception type fails the test
    }
  }
}
