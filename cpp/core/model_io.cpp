#include "model_io.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include "describe.hpp"

namespace attn {

namespace {

constexpr char kMagic[4] = {'A', 'T', 'L', 'M'};
constexpr uint32_t kFlagsV1 = 1;  // tied output projection; GELU-tanh; pre-LN
constexpr size_t kHeaderBytes = 40;

std::string str(uint64_t v) { return std::to_string(v); }

uint32_t fnv1a32(const char* data, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 16777619u;
  }
  return h;
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint32_t get_u32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
  return v;
}

void put_f32(std::string& out, float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  put_u32(out, x);
}

float get_f32(const std::string& s, size_t at) {
  const uint32_t x = get_u32(s, at);
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

uint16_t get_u16(const std::string& s, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(s[at]) | (static_cast<unsigned char>(s[at + 1]) << 8));
}

// Version 2 stores these tensors as int8 rows with a scale each; the others (vectors) as float16.
bool is_matrix(const std::string& name) { return name == "tok" || name == "pos" || name.find(".W_") != std::string::npos; }

// How many weights the config needs, and (version 2) how many matrix rows and matrix weights. In 64
// bits: size_t is 32 bits in WASM.
struct Counts {
  uint64_t weights = 0, rows = 0, int8s = 0;
};

Counts counts(const ModelConfig& c) {
  const uint64_t d = c.d_model, f = c.d_ff, V = c.vocab_size, P = c.max_positions, L = c.n_layers;
  const uint64_t per_block = 4 * d + 4 * d * d + 4 * d + 2 * d * f + f + d;
  Counts n;
  n.weights = V * d + P * d + L * per_block + 2 * d + V;
  n.rows = V + P + L * (5 * d + f);
  n.int8s = V * d + P * d + L * (4 * d * d + 2 * d * f);
  return n;
}

// Bytes from weight_count to the checksum (both excluded).
uint64_t weight_block_bytes(const Counts& n, uint32_t version) {
  if (version == 1) return 2 * n.weights;
  return 4 + 4 * n.rows + n.int8s + 2 * (n.weights - n.int8s);
}

// Why `w` cannot be a vocabulary word ("" when it can): it must be UTF-8 with no control characters
// (C0, DEL or C1), so every output prints as JSON and shows as plain text.
std::string word_problem(const std::string& w) {
  if (const size_t at = utf8_problem(w); at != std::string::npos) return "is not valid UTF-8 (at byte " + str(at) + ")";
  for (size_t i = 0; i < w.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(w[i]);
    const bool c1 = b == 0xC2 && i + 1 < w.size() && static_cast<unsigned char>(w[i + 1]) < 0xA0;  // U+0080..U+009F
    if (b < 0x20 || b == 0x7F || c1)
      return "contains the control character " + str(c1 ? static_cast<unsigned char>(w[i + 1]) : b) + " at byte " + str(i);
  }
  return "";
}

}  // namespace

// ---------------------------------------------------------------- float16

uint16_t float_to_half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u, exp = (x >> 23) & 0xFFu;
  uint32_t mant = x & 0x7FFFFFu;
  if (exp == 0xFF) return static_cast<uint16_t>(sign | 0x7C00u | (mant ? 0x200u : 0u));  // Inf, NaN
  const int e = static_cast<int>(exp) - 127 + 15;
  if (e >= 31) return static_cast<uint16_t>(sign | 0x7C00u);  // too large: Inf
  if (e <= 0) {                                               // a half subnormal, or zero
    if (e < -10) return static_cast<uint16_t>(sign);
    mant |= 0x800000u;
    const int shift = 14 - e;
    uint32_t h = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1), halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (h & 1u))) ++h;
    return static_cast<uint16_t>(sign | h);
  }
  uint32_t h = sign | (static_cast<uint32_t>(e) << 10) | (mant >> 13);
  const uint32_t rem = mant & 0x1FFFu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;  // a carry rolls into the exponent, as it should
  return static_cast<uint16_t>(h);
}

float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16, exp = (h >> 10) & 0x1Fu, mant = h & 0x3FFu;
  uint32_t x;
  if (exp == 0) {
    const float v = std::ldexp(static_cast<float>(mant), -24);
    return sign ? -v : v;
  }
  if (exp == 31) x = sign | 0x7F800000u | (mant << 13);
  else x = sign | ((exp + 112) << 23) | (mant << 13);
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

// ---------------------------------------------------------------- encode

ModelFormat parse_model_format(const std::string& name, const std::string& what) {
  if (name == "int8") return ModelFormat::int8;
  if (name == "f16") return ModelFormat::f16;
  throw Error(what, "expected int8 or f16, got " + quote(name));
}

std::string encode_model(const Model& model, ModelFormat format) {
  const ModelConfig& c = model.config;
  validate_config(c, "encode_model");
  if (format != ModelFormat::f16 && format != ModelFormat::int8)
    throw Error("encode_model", "format " + str(static_cast<uint32_t>(format)) + " is not 1 (f16) or 2 (int8)");
  if (static_cast<int>(model.vocab.size()) != c.vocab_size)
    throw Error("encode_model", "vocab has " + str(model.vocab.size()) + " words but vocab_size is " + str(c.vocab_size));
  const Counts n = counts(c);
  size_t held = 0;
  for (const auto& [name, m] : named_tensors(model.params)) held += static_cast<size_t>(m->size());
  if (held != n.weights)
    throw Error("encode_model", "params hold " + str(held) + " weights but the config needs " + str(n.weights));
  std::string out(kMagic, 4);
  for (int v : {static_cast<int>(format), c.vocab_size, c.d_model, c.n_layers, c.n_heads, c.d_ff,
                c.max_positions, static_cast<int>(kFlagsV1)})
    put_u32(out, static_cast<uint32_t>(v));
  std::string words;
  for (const std::string& w : model.vocab) {
    if (w.empty() || w.size() > 255)
      throw Error("encode_model", "word " + quote(w) + " must be 1 to 255 bytes (got " + str(w.size()) + ")");
    if (const std::string why = word_problem(w); !why.empty()) throw Error("encode_model", "word " + quote(w) + " " + why);
    words.push_back(static_cast<char>(w.size()));
    words += w;
  }
  put_u32(out, static_cast<uint32_t>(words.size()));
  out += words;
  put_u32(out, static_cast<uint32_t>(n.weights));

  const auto put_half = [](std::string& to, const std::string& name, const float* data, Eigen::Index i) {
    const uint16_t h = float_to_half(data[i]);
    if ((h & 0x7C00u) == 0x7C00u)
      throw Error("encode_model", name + " has " + num(data[i]) + " at " + str(i) + ", not finite in float16");
    to.push_back(static_cast<char>(h & 0xFF));
    to.push_back(static_cast<char>(h >> 8));
  };
  if (format == ModelFormat::f16) {
    for (const auto& [name, m] : named_tensors(model.params))
      for (Eigen::Index i = 0; i < m->size(); ++i) put_half(out, name, m->data(), i);
  } else {
    std::string scales, int8s, halves;
    for (const auto& [name, m] : named_tensors(model.params)) {
      if (!is_matrix(name)) {
        for (Eigen::Index i = 0; i < m->size(); ++i) put_half(halves, name, m->data(), i);
        continue;
      }
      for (Eigen::Index r = 0; r < m->rows(); ++r) {
        const float* row = m->data() + r * m->cols();
        float largest = 0;
        for (Eigen::Index j = 0; j < m->cols(); ++j) {
          const float a = std::fabs(row[j]);
          if (!(a <= 65504.0f))  // NaN fails too
            throw Error("encode_model", name + " has " + num(row[j]) + " at " + str(r * m->cols() + j) +
                                            ", not finite in float16");
          largest = std::max(largest, a);
        }
        // An all-zero row (or one so tiny its scale underflows) stores q = 0 with scale 1.
        const float scale = largest / 127.0f > 0 ? largest / 127.0f : 1.0f;
        put_f32(scales, scale);
        for (Eigen::Index j = 0; j < m->cols(); ++j) {
          const long q = std::lround(row[j] / scale);
          int8s.push_back(static_cast<char>(static_cast<int8_t>(std::clamp(q, -127L, 127L))));
        }
      }
    }
    put_u32(out, static_cast<uint32_t>(n.rows));
    out += scales;
    out += int8s;
    out += halves;
  }
  put_u32(out, fnv1a32(out.data(), out.size()));
  return out;
}

// ---------------------------------------------------------------- decode

Model decode_model(const std::string& bytes) {
  const char* where = "model.bin";
  if (bytes.size() < 4 || std::memcmp(bytes.data(), kMagic, 4) != 0)
    throw Error(where, "not a model file (the first 4 bytes must be \"ATLM\")");
  if (bytes.size() < kHeaderBytes)
    throw Error(where, "truncated: " + str(bytes.size()) + " bytes is shorter than the 40-byte header");
  const uint32_t version = get_u32(bytes, 4);
  if (version != 1 && version != 2)
    throw Error(where, "version " + str(version) + " is not supported (this build reads versions 1 and 2)");
  Model m;
  ModelConfig& c = m.config;
  size_t at = 8;
  for (const ConfigField& f : config_fields()) {
    const uint32_t v = get_u32(bytes, at);
    check_config_field(f, v, where);  // in 64 bits: 4294967295 is reported as it is
    c.*f.member = static_cast<int>(v);
    at += 4;
  }
  validate_config(c, where);
  const uint32_t flags = get_u32(bytes, 32);
  if (flags != kFlagsV1)
    throw Error(where, "flags = " + str(flags) + " but version " + str(version) + " requires 1 (tied output)");
  const size_t vocab_bytes = get_u32(bytes, 36);
  const Counts n = counts(c);
  const uint64_t expected = uint64_t{kHeaderBytes} + vocab_bytes + 4 + weight_block_bytes(n, version) + 4;
  if (expected > kMaxModelBytes)
    throw Error(where, "the header announces " + str(expected) + " bytes; this build reads model files of at most " +
                           str(kMaxModelBytes) + " bytes");
  if (vocab_bytes > bytes.size() || bytes.size() < expected)
    throw Error(where, "truncated: " + str(bytes.size()) + " bytes but the header announces " +
                           (vocab_bytes > bytes.size() ? "a larger vocabulary block" : str(expected) + " bytes"));
  if (bytes.size() > expected)
    throw Error(where, str(bytes.size() - expected) + " unexpected bytes after the checksum (file is " +
                           str(bytes.size()) + " bytes, expected " + str(expected) + ")");
  const uint32_t stored = get_u32(bytes, expected - 4), actual = fnv1a32(bytes.data(), expected - 4);
  if (stored != actual) throw Error(where, "checksum mismatch (the file is corrupt)");

  at = kHeaderBytes;
  const size_t vocab_end = kHeaderBytes + vocab_bytes;
  std::set<std::string> seen;
  for (int i = 0; i < c.vocab_size; ++i) {
    if (at >= vocab_end) throw Error(where, "vocabulary block ends after " + str(i) + " of " + str(c.vocab_size) + " words");
    const size_t len = static_cast<unsigned char>(bytes[at]);
    if (len == 0 || at + 1 + len > vocab_end)
      throw Error(where, "word " + str(i) + " has length " + str(len) + ", which does not fit the vocabulary block");
    m.vocab.push_back(bytes.substr(at + 1, len));
    if (const std::string why = word_problem(m.vocab.back()); !why.empty())
      throw Error(where, "word " + str(i) + " " + why + " (words are shown to learners as text)");
    if (!seen.insert(m.vocab.back()).second) throw Error(where, "word " + quote(m.vocab.back()) + " appears twice");
    at += 1 + len;
  }
  if (at != vocab_end) throw Error(where, str(vocab_end - at) + " stray bytes at the end of the vocabulary block");
  if (m.vocab[kPadId] != kPadToken || m.vocab[kMaskId] != kMaskToken)
    throw Error(where, "ids 0 and 1 must be \"[PAD]\" and \"[MASK]\"");
  const uint32_t count = get_u32(bytes, at);
  if (count != n.weights)
    throw Error(where, "weight_count = " + str(count) + " but the config needs " + str(n.weights));
  at += 4;

  m.params = zero_params<float>(c);
  const auto read_half = [&](const std::string& name, float* data, Eigen::Index i) {
    const uint16_t h = get_u16(bytes, at);
    if ((h & 0x7C00u) == 0x7C00u) throw Error(where, name + "[" + str(i) + "] is Inf or NaN");
    data[i] = half_to_float(h);
    at += 2;
  };
  if (version == 1) {
    for (auto& [name, t] : named_tensors(m.params))
      for (Eigen::Index i = 0; i < t->size(); ++i) read_half(name, t->data(), i);
    return m;
  }
  const uint32_t rows = get_u32(bytes, at);
  if (rows != n.rows) throw Error(where, "scale_count = " + str(rows) + " but the config needs " + str(n.rows));
  size_t scale_at = at + 4;
  at = scale_at + 4 * size_t{rows};  // the int8 weights, then the float16 vectors
  for (auto& [name, t] : named_tensors(m.params)) {
    if (!is_matrix(name)) continue;
    for (Eigen::Index r = 0; r < t->rows(); ++r, scale_at += 4) {
      const float scale = get_f32(bytes, scale_at);
      if (!(scale > 0 && scale <= kMaxScale))  // NaN fails too
        throw Error(where, "the scale of " + name + " row " + str(static_cast<uint64_t>(r)) + " is " + num(scale) +
                               "; scales must be finite, > 0 and at most 65504/127");
      float* row = t->data() + r * t->cols();
      for (Eigen::Index j = 0; j < t->cols(); ++j, ++at) {
        const int8_t q = static_cast<int8_t>(static_cast<unsigned char>(bytes[at]));
        if (q == -128)
          throw Error(where, name + "[" + str(static_cast<uint64_t>(r * t->cols() + j)) +
                                 "] is -128; int8 weights are -127 to 127");
        row[j] = static_cast<float>(q) * scale;
      }
    }
  }
  for (auto& [name, t] : named_tensors(m.params))
    if (!is_matrix(name))
      for (Eigen::Index i = 0; i < t->size(); ++i) read_half(name, t->data(), i);
  return m;
}

}  // namespace attn
