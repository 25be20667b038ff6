// model.bin: float16 conversion, save/load round trips of both versions (float16; int8 with per-row
// scales), and clear errors for corrupt files.
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
  const std::string bytes = attn::encode_model(m, attn::ModelFormat::f16);
  EXPECT_EQ(bytes[4], 1);  // version 1: still written on request and read
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
  EXPECT_EQ(attn::encode_model(back, attn::ModelFormat::f16), bytes);  // already-rounded weights encode to the same bytes
  // Size: header + vocabulary + 2 bytes per weight + counts and checksum.
  size_t words = 0, weights = 0;
  for (const auto& w : m.vocab) words += 1 + w.size();
  for (const auto& [name, t] : a) weights += static_cast<size_t>(t->size());
  EXPECT_EQ(bytes.size(), 40 + words + 4 + 2 * weights + 4);
}

bool is_matrix(const std::string& name) { return name == "tok" || name == "pos" || name.find(".W_") != std::string::npos; }

TEST(ModelBin, Int8RoundTripWithinHalfAStepPerRow) {
  attn::Model m = small_model();
  m.params.blocks[0].W_q.row(3).setZero();  // an all-zero row
  m.params.pos(2, 5) = -65504.0f;           // the largest magnitude version 2 holds
  const std::string bytes = attn::encode_model(m);
  EXPECT_EQ(bytes[4], 2);  // the default is version 2
  const attn::Model back = attn::decode_model(bytes);
  EXPECT_EQ(back.vocab, m.vocab);
  const auto a = attn::named_tensors(m.params);
  const auto b = attn::named_tensors(back.params);
  ASSERT_EQ(a.size(), b.size());
  size_t rows = 0, int8s = 0, halves = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const attn::Matrix& x = *a[i].second;
    const attn::Matrix& y = *b[i].second;
    ASSERT_EQ(x.rows(), y.rows()) << a[i].first;
    ASSERT_EQ(x.cols(), y.cols()) << a[i].first;
    if (!is_matrix(a[i].first)) {  // float16, as in version 1
      halves += static_cast<size_t>(x.size());
      const attn::Matrix tol = x.cwiseAbs() * std::ldexp(1.0f, -11) + attn::Matrix::Constant(x.rows(), x.cols(), 3e-8f);
      EXPECT_TRUE(((x - y).cwiseAbs().array() <= tol.array()).all()) << a[i].first;
      continue;
    }
    rows += static_cast<size_t>(x.rows());
    int8s += static_cast<size_t>(x.size());
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
      const float step = x.row(r).cwiseAbs().maxCoeff() / 127.0f;  // the row's scale
      const float err = (x.row(r) - y.row(r)).cwiseAbs().maxCoeff();
      EXPECT_LE(err, 0.5f * step * (1 + 1e-5f)) << a[i].first << " row " << r;
      EXPECT_EQ(y.row(r).cwiseAbs().maxCoeff(), 127 * step) << a[i].first << " row " << r;  // the largest is exact up to float
    }
  }
  EXPECT_TRUE(back.params.blocks[0].W_q.row(3).isZero());
  attn::Model tiny = small_model();  // a row whose scale would underflow: stored as zeros, not refused
  tiny.params.blocks[0].W_k.row(2).setConstant(1e-44f);
  EXPECT_TRUE(attn::decode_model(attn::encode_model(tiny)).params.blocks[0].W_k.row(2).isZero());
  EXPECT_EQ(back.params.pos(2, 5), -65504.0f);
  size_t words = 0;
  for (const auto& w : m.vocab) words += 1 + w.size();
  EXPECT_EQ(bytes.size(), 40 + words + 4 + 4 + 4 * rows + int8s + 2 * halves + 4);
  EXPECT_LT(bytes.size(), attn::encode_model(m, attn::ModelFormat::f16).size());  // 8-wide rows: 4 bytes of scale per 8
}

TEST(ModelBin, EncodeRefusesWeightsOutsideFloat16Range) {
  for (attn::ModelFormat f : {attn::ModelFormat::int8, attn::ModelFormat::f16}) {
    attn::Model m = small_model();
    m.params.blocks[1].W_2(4, 1) = 70000.0f;
    try {
      attn::encode_model(m, f);
      FAIL() << "expected an error";
    } catch (const attn::Error& e) {
      EXPECT_NE(std::string(e.what()).find("block1.W_2 has 70000"), std::string::npos) << e.what();
    }
    m = small_model();
    m.params.tok(7, 0) = std::nanf("");
    EXPECT_THROW(attn::encode_model(m, f), attn::Error);
  }
  EXPECT_THROW(attn::encode_model(small_model(), static_cast<attn::ModelFormat>(3)), attn::Error);
  EXPECT_EQ(attn::parse_model_format("f16", "--format"), attn::ModelFormat::f16);
  EXPECT_THROW(attn::parse_model_format("int4", "--format"), attn::Error);
}

// Version 2 offsets of the small model: weight_count, scale_count, the scales, the int8 weights.
struct V2 {
  size_t weight_count, scale_count, scales, int8s;
};
V2 v2_offsets(const std::string& bytes) {
  const size_t vocab = static_cast<unsigned char>(bytes[36]) | static_cast<unsigned char>(bytes[37]) << 8;
  const size_t at = 40 + vocab;
  const size_t rows = static_cast<unsigned char>(bytes[at + 4]) | static_cast<unsigned char>(bytes[at + 5]) << 8;
  return {at, at + 4, at + 8, at + 8 + 4 * rows};
}

void put_f32(std::string& s, size_t at, float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  put_u32(s, at, x);
}

TEST(ModelBin, CorruptVersion2GivesClearErrors) {
  const std::string good = attn::encode_model(small_model());
  const V2 o = v2_offsets(good);
  attn::decode_model(good);  // the offsets are right when the file decodes
  for (const auto& [value, shown] : std::vector<std::pair<float, std::string>>{
           {0.0f, "is 0;"}, {-0.01f, "is -0.01"}, {std::nanf(""), "is NaN;"}, {INFINITY, "is Infinity;"}, {516.0f, "is 516"}}) {
    std::string bad = good;
    put_f32(bad, o.scales + 4, value);  // tok row 1
    reseal(bad);
    expect_decode_error(bad, "the scale of tok row 1 " + shown.substr(shown.find("is")));
  }
  std::string largest = good;
  put_f32(largest, o.scales, attn::kMaxScale);  // the largest scale is legal
  reseal(largest);
  EXPECT_EQ(attn::decode_model(largest).params.tok.row(0).cwiseAbs().maxCoeff(), 65504.0f);

  std::string q = good;
  q[o.int8s + 9] = static_cast<char>(0x80);  // -128 in tok[9]
  reseal(q);
  expect_decode_error(q, "tok[9] is -128; int8 weights are -127 to 127");

  std::string count = good;
  put_u32(count, o.scale_count, 7);
  reseal(count);
  expect_decode_error(count, "scale_count = 7 but the config needs");

  expect_decode_error(good.substr(0, o.scales + 10), "truncated");  // cut inside the scale table

  std::string v3 = good;
  put_u32(v3, 4, 3);
  expect_decode_error(v3, "version 3 is not supported (this build reads versions 1 and 2)");

  std::string v1 = good;  // version 2 bytes announced as version 1: the sizes disagree
  put_u32(v1, 4, 1);
  reseal(v1);
  expect_decode_error(v1, "truncated: 12026 bytes but the header announces 14878 bytes");
}

TEST(ModelBin, CorruptFilesGiveClearErrors) {
  const std::string good = attn::encode_model(small_model(), attn::ModelFormat::f16);
  expect_decode_error("", "not a model file");
  expect_decode_error("GIF89a....", "not a model file");
  expect_decode_error(good.substr(0, 20), "truncated");
  expect_decode_error(good.substr(0, good.size() / 2), "truncated");
  expect_decode_error(good.substr(0, good.size() - 1), "truncated");
  expect_decode_error(good + "x", "unexpected bytes");

  std::string v = good;
  put_u32(v, 4, 0);
  expect_decode_error(v, "version 0 is not supported");

  std::string flipped = good;
  flipped[good.size() - 100] ^= 0x01;
  expect_decode_error(flipped, "checksum mismatch");

  std::string heads = good;
  put_u32(heads, 20, 3);  // 3 heads do not divide d_model 8
  expect_decode_error(heads, "does not divide");

  std::string huge = good;
  put_u32(huge, 12, 0xFFFFFFFFu);
  expect_decode_error(huge, "d_model");

  std::string inf = good;
  inf[inf.size() - 6] = 0x00;
  inf[inf.size() - 5] = 0x7C;  // last weight (out_b) = +Inf
  reseal(inf);
  expect_decode_error(inf, "out_b");

  std::string pad = good;
  pad[42] = 'X';  // "[PAD]" -> "[XAD]"
  reseal(pad);
  expect_decode_error(pad, "[PAD]");
}

TEST(ModelBin, RandomDamageNeverCrashes) {
  attn::Rng rng(77);
  for (int k = 0; k < 600; ++k) {
    const std::string good = attn::encode_model(small_model(), k % 2 ? attn::ModelFormat::f16 : attn::ModelFormat::int8);
    std::string bad = good;
    if (k % 3 == 0) bad.resize(rng.next() % good.size());
    else {
      const size_t span = (k / 2) % 2 ? 48 : good.size();  // the header and first words, or anywhere
      for (int j = 0; j < 4; ++j) bad[rng.next() % span] = static_cast<char>(rng.next());
      if (k % 3 == 2) reseal(bad);
    }
    try {
      attn::decode_model(bad);
    } catch (const attn::Error&) {
      // expected: any other exception type fails the test
    }
  }
}
