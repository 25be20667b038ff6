// model.bin: the compact binary form of a trained model (config, vocabulary, weights).
// Pure bytes in, bytes out (no files), so the WASM engine can decode the same format.
// Version 2 (int8 weights with one float32 scale per row, written by default, about half the bytes of
// version 1) and version 1 (float16 weights) are both read.
//
// All integers are little-endian. Layout, version 1:
//
//   offset  type       field
//   0       char[4]    magic "ATLM"
//   4       u32        version (1)
//   8       u32        vocab_size V (ids 0 and 1 are "[PAD]" and "[MASK]")
//   12      u32        d_model
//   16      u32        n_layers
//   20      u32        n_heads
//   24      u32        d_ff
//   28      u32        max_positions P
//   32      u32        flags: must be 1 (bit 0: output projection tied to the token embeddings;
//                      activation GELU-tanh, pre-LayerNorm, eps 1e-5)
//   36      u32        vocab_bytes: size of the vocabulary block that follows
//   40      V words    each: u8 length (1..255), then that many UTF-8 bytes, in id order
//   ...     u32        weight_count: number of float16 values that follow
//   ...     u16[]      weights, IEEE 754 binary16, in named_tensors() order, each tensor row-major:
//                        tok (V x d), pos (P x d),
//                        per block l: ln1_g, ln1_b (d), W_q (d x d), b_q, W_k, b_k, W_v, b_v, W_o, b_o,
//                                     ln2_g, ln2_b, W_1 (d x d_ff), b_1 (d_ff), W_2 (d_ff x d), b_2,
//                        lnf_g, lnf_b (d), out_b (V)
//   end-4   u32        checksum: 32-bit FNV-1a of every byte before it
//
// Version 2 is version 1 with version = 2 and the u16[] weights replaced by int8 rows. Every tensor, in
// the same order, is cut into rows: each row of a matrix with more than one row (tok, pos, W_*), or a
// whole 1 x n vector (gains, biases) as one row. Each row is stored as
//   f32 scale (0 <= scale <= 65504 / 127), then one i8 per weight (-127..127; -128 is refused); weight = i8 x scale.
// The encoder first rounds every weight to float16 (so version 2 of a float16 model equals version 2
// of the float32 model it came from, bit for bit), then scale = max |w| / 127 over the row and
// i8 = round(w / scale), clamped to +-127. weight_count still counts weights, not bytes.
#pragma once

#include <cstdint>
#include <string>

#include "model.hpp"

namespace attn {

/// The version encode_model writes by default (int8 rows) and the older float16 one; both decode.
constexpr uint32_t kModelVersion = 2;
constexpr uint32_t kModelVersionFloat16 = 1;

enum class WeightFormat { int8_rows, float16 };

/// Largest model.bin this build decodes (64 MiB; the shipped course model is about 360 KB). Larger
/// announced sizes are refused before anything is allocated.
constexpr size_t kMaxModelBytes = size_t{64} << 20;

/// IEEE 754 binary16 <-> binary32, round to nearest even; overflow goes to +-Inf.
uint16_t float_to_half(float f);
float half_to_float(uint16_t h);

/// The model as model.bin bytes: version 2 (int8 rows, the default) or version 1 (float16). Throws
/// Error("encode_model", ...) on an invalid config, a vocabulary that does not match it, or a weight
/// that is not finite in float16.
std::string encode_model(const Model& model, WeightFormat format = WeightFormat::int8_rows);

/// Parses model.bin bytes. Throws Error("model.bin", ...) saying what is wrong: bad magic, an
/// unsupported version, a truncated or over-long file (or one over kMaxModelBytes), an impossible
/// config (header values reported as stored), a broken vocabulary (a word that is not UTF-8, holds a
/// control character or appears twice), a checksum mismatch, a non-finite float16 weight, or (version 2)
/// a scale that is negative, not finite or over 65504 / 127, or an int8 of -128. Never reads past the end of `bytes`.
Model decode_model(const std::string& bytes);

}  // namespace attn
