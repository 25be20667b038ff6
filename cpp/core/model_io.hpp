// model.bin: the compact binary form of a trained model (config, vocabulary, weights).
// Pure bytes in, bytes out (no files), so the WASM engine can decode the same format.
//
// All integers are little-endian. Version 2 (what ships: int8 matrices with one scale per row) and
// version 1 (every weight float16; still read, and written on request as the float16 reference)
// share the header, the vocabulary and the weight count:
//
//   offset  type       field
//   0       char[4]    magic "ATLM"
//   4       u32        version (1 or 2)
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
//   ...     u32        weight_count: number of weights (int8 and float16 together in version 2)
//
// Tensors in named_tensors() order, each row-major:
//   tok (V x d), pos (P x d),
//   per block l: ln1_g, ln1_b (d), W_q (d x d), b_q, W_k, b_k, W_v, b_v, W_o, b_o,
//                ln2_g, ln2_b, W_1 (d x d_ff), b_1 (d_ff), W_2 (d_ff x d), b_2,
//   lnf_g, lnf_b (d), out_b (V)
// The matrices are tok, pos and every W_*; the vectors are the rest (LayerNorm gains and shifts, biases).
//
// Version 1, after weight_count:
//   ...     u16[]      every weight, IEEE 754 binary16, tensor by tensor
// Version 2, after weight_count:
//   ...     u32        scale_count: the number of matrix rows (V + P + n_layers (5 d + d_ff))
//   ...     f32[]      one scale per matrix row, IEEE 754 binary32, matrices in order, rows in order;
//                      each finite, > 0 and at most kMaxScale
//   ...     i8[]       the matrices' weights q in -127..127: weight = q x its row's scale (in float32)
//   ...     u16[]      the vectors' weights, IEEE 754 binary16
//
//   end-4   u32        checksum: 32-bit FNV-1a of every byte before it
#pragma once

#include <cstdint>
#include <string>

#include "model.hpp"

namespace attn {

/// The two encodings, numbered by their model.bin version.
enum class ModelFormat : uint32_t {
  f16 = 1,   // every weight float16 (the float16 reference)
  int8 = 2,  // matrices int8 with one float32 scale per row, vectors float16 (what ships)
};

/// The version encode_model writes by default (decode_model reads 1 and 2).
constexpr uint32_t kModelVersion = static_cast<uint32_t>(ModelFormat::int8);

/// Largest per-row scale of version 2: 127 x kMaxScale is float16's largest value (65504), so both
/// versions hold weights in the same range.
constexpr float kMaxScale = 65504.0f / 127.0f;

/// Largest model.bin this build decodes (64 MiB; the shipped course model is about 196 KB). Larger
/// announced sizes are refused before anything is allocated.
constexpr size_t kMaxModelBytes = size_t{64} << 20;

/// IEEE 754 binary16 <-> binary32, round to nearest even; overflow goes to +-Inf.
uint16_t float_to_half(float f);
float half_to_float(uint16_t h);

/// The model as model.bin bytes: version 2 (int8 matrices, each row scaled by its largest |weight| / 127,
/// rounded to nearest, vectors float16) or version 1 (every weight rounded to float16). Throws
/// Error("encode_model", ...) on an invalid config, a vocabulary that does not match it, or a weight
/// that is not finite in float16 (a matrix weight beyond +-65504 included).
std::string encode_model(const Model& model, ModelFormat format = ModelFormat::int8);

/// "int8" or "f16" -> the format; anything else throws Error(what, ...).
ModelFormat parse_model_format(const std::string& name, const std::string& what);

/// Parses model.bin bytes of version 1 or 2. Throws Error("model.bin", ...) saying what is wrong: bad
/// magic, an unsupported version, a truncated or over-long file (or one over kMaxModelBytes), an impossible
/// config (header values reported as stored), a broken vocabulary (a word that is not UTF-8, holds a
/// control character or appears twice), a checksum mismatch, a non-finite weight, and in version 2 a
/// wrong scale_count, a scale that is not finite, positive and at most kMaxScale, or an int8 weight of
/// -128. Never reads past the end of `bytes`.
Model decode_model(const std::string& bytes);

}  // namespace attn
