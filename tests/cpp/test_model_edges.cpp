// The course model's hostile inputs (issue 10): model.bin header values reported as stored, words
// that could not be shown as text refused, [PAD] refused as a typed word, and a trace whose size would
// explode refused before the forward pass.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "error_of.hpp"
#include "model_io.hpp"
#include "model_json.hpp"
#include "train.hpp"

namespace {

attn::Model small_model(std::vector<std::string> vocab = attn::course_vocabulary()) {
  attn::Model m;
  m.vocab = std::move(vocab);
  m.config = {static_cast<int>(m.vocab.size()), 8, 2, 2, 16, 8};
  m.params = attn::init_params(m.config, 5);
  return m;
}

void put_u32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

void reseal(std::string& s) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i + 4 < s.size(); ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 16777619u;
  put_u32(s, s.size() - 4, h);
}

}  // namespace

TEST(ModelEdges, HeaderValuesAreReportedAsStored) {
  const std::string good = attn::encode_model(small_model());
  const char* names[] = {"vocab_size", "d_model", "n_layers", "n_heads", "d_ff", "max_positions"};
  for (int i = 0; i < 6; ++i)
    for (uint32_t v : {1000001u, 4294967295u}) {
      std::string bad = good;
      put_u32(bad, 8 + 4 * i, v);
      EXPECT_NE(error_of([&] { attn::decode_model(bad); }).find(std::string(names[i]) + " = " + std::to_string(v) + " is out of range"),
                std::string::npos)
          << error_of([&] { attn::decode_model(bad); });
    }
}

TEST(ModelEdges, OversizedFilesAreRefusedBeforeReading) {
  std::string bad = attn::encode_model(small_model());
  put_u32(bad, 36, 0xFFFFFFFFu);  // a 4 GB vocabulary block
  EXPECT_NE(error_of([&] { attn::decode_model(bad); }).find("this build reads model files of at most 67108864 bytes"), std::string::npos);
}

TEST(ModelEdges, WordsMustBePrintableText) {
  auto vocab = attn::course_vocabulary();
  const std::string good = attn::encode_model(small_model(vocab));
  const size_t word2 = 40 + 6 + 7;  // [PAD] and [MASK] take 6 and 7 bytes; then word 2's length byte
  for (const auto& [bytes, needle] : std::vector<std::pair<std::string, std::string>>{
           {"\xff", "word 2 is not valid UTF-8 (at byte 0)"},
           {"\xc0", "word 2 is not valid UTF-8"},
           {"\x07", "word 2 contains the control character 7 at byte 0"}}) {
    std::string bad = good;
    bad[word2 + 1] = bytes[0];
    reseal(bad);
    EXPECT_NE(error_of([&] { attn::decode_model(bad); }).find(needle), std::string::npos) << error_of([&] { attn::decode_model(bad); });
  }
  vocab[2] = "a\nb";
  EXPECT_NE(error_of([&] { attn::encode_model(small_model(vocab)); }).find("control character 10"), std::string::npos);
}

TEST(ModelEdges, PadIsNotAWordButMaskIs) {
  const attn::Model m = small_model();
  EXPECT_EQ(error_of([&] { attn::model_trace_json(m, {{"tokens", {"the", "[PAD]"}}}); }),
            "input.tokens[1]: \"[PAD]\" is the padding token, which never appears inside a sentence; type a word, or "
            "\"[MASK]\" to ask the model what belongs there");
  EXPECT_NE(error_of([&] { attn::model_trace_json(m, {{"tokens", {"[PAD]"}}, {"unknown", "mask"}}); }).find("padding token"),
            std::string::npos);
  const auto t = attn::model_trace_json(m, {{"tokens", {"the", "[MASK]"}}});
  EXPECT_EQ(t["predictions"].size(), 1u);
}

TEST(ModelEdges, MessagesStayShort) {
  const attn::Model m = small_model();
  nlohmann::json words = nlohmann::json::array();
  for (int i = 0; i < 8; ++i) words.push_back(std::string(100000, static_cast<char>('a' + i)));
  const std::string e = error_of([&] { attn::model_trace_json(m, {{"tokens", words}}); });
  EXPECT_LT(e.size(), 400u);
  EXPECT_NE(e.find(" and 3 more"), std::string::npos) << e;
  const auto detail = nlohmann::json::parse(R"({"tokens":["the"],"detail":18446744073709551615})");
  EXPECT_EQ(error_of([&] { attn::model_trace_json(m, detail); }), "input.detail: must be a layer index 0 to 1, got 18446744073709551615");
  const auto deep = nlohmann::json::parse(R"({"tokens":["the"],"unknown":)" + std::string(100000, '[') + std::string(100000, ']') + "}");
  EXPECT_EQ(error_of([&] { attn::model_trace_json(m, deep); }), "input.unknown: must be \"error\" or \"mask\", got an array of 1 item");
}

TEST(ModelEdges, AnExplodingTraceIsRefusedBeforeTheForwardPass) {
  attn::Model m;
  m.vocab = {"[PAD]", "[MASK]", "w"};
  m.config = {3, 256, 16, 256, 1, 512};  // legal: 16 layers of 256 one-column heads
  m.params = attn::zero_params<float>(m.config);
  const std::vector<int> ids(512, 1);
  EXPECT_NE(error_of([&] { attn::model_forward(m, ids); })
                .find("model_forward: the model's trace would hold 1090782720 numbers (n = 512, 16 layers of 256 heads"),
            std::string::npos)
      << error_of([&] { attn::model_forward(m, ids); });
}
