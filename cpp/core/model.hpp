// The tiny transformer whose heads lessons 10-14 show: a bidirectional (BERT-like) masked language
// model over whole words, one token per word.
//
//   x_0   = tok[ids] + pos[0..n)                                   token + learned position embeddings
//   for each of n_layers pre-LayerNorm blocks:
//     x  += MultiHead(LN_1(x)) W_o + b_o                           4 heads by default, no causal mask
//     x  += GELU(LN_2(x) W_1 + b_1) W_2 + b_2                      d_ff = 4 d_model
//   h     = LN_f(x)
//   logits = h tok^T + out_b                                       output projection tied to tok
//
// Token ids 0 and 1 are the special tokens [PAD] and [MASK]; words follow. Sentences are never
// padded (a batch is a list of segments), so [PAD] only reserves an id for callers that pad.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "layers.hpp"
#include "matrix.hpp"

namespace attn {

constexpr int kPadId = 0;
constexpr int kMaskId = 1;
inline const char* const kPadToken = "[PAD]";
inline const char* const kMaskToken = "[MASK]";

struct ModelConfig {
  int vocab_size = 0;      // V, including [PAD] and [MASK]
  int d_model = 64;        // d
  int n_layers = 3;        // L
  int n_heads = 4;         // h; d_k = d / h
  int d_ff = 256;          // MLP width
  int max_positions = 16;  // P: longest sentence the position table covers
};

/// One configuration field with its allowed range, in model.bin header order.
struct ConfigField {
  const char* name;
  int ModelConfig::*member;
  int lo, hi;
};

/// vocab_size, d_model, n_layers, n_heads, d_ff, max_positions with their ranges.
const std::vector<ConfigField>& config_fields();

/// Throws Error(where, "<field> = <value> is out of range [lo, hi]") when `value` is outside `f`'s
/// range. Takes 64 bits so a header value such as 4294967295 is reported as it is.
void check_config_field(const ConfigField& f, long long value, const char* where);

/// Throws Error(where, ...) naming the first field out of range (heads not dividing d_model included).
void validate_config(const ModelConfig& c, const char* where);

/// The weights of one pre-LayerNorm block. Row-vector convention: y = x W + b.
template <class T>
struct BlockParams {
  Mat<T> ln1_g, ln1_b;        // (1 x d) LayerNorm before attention
  Mat<T> W_q, W_k, W_v, W_o;  // (d x d)
  Mat<T> b_q, b_k, b_v, b_o;  // (1 x d)
  Mat<T> ln2_g, ln2_b;        // (1 x d) LayerNorm before the MLP
  Mat<T> W_1, b_1;            // (d x d_ff), (1 x d_ff)
  Mat<T> W_2, b_2;            // (d_ff x d), (1 x d)
};

template <class T>
struct Params {
  Mat<T> tok;                          // (V x d) token embeddings, also the (tied) output projection
  Mat<T> pos;                          // (P x d) learned position embeddings
  std::vector<BlockParams<T>> blocks;  // L entries
  Mat<T> lnf_g, lnf_b;                 // (1 x d) final LayerNorm
  Mat<T> out_b;                        // (1 x V) output bias
};

/// Every tensor with its name ("tok", "block0.W_q", ...) in the canonical order: the order of the
/// model.bin weights, of Adam's state and of the gradient checks.
template <class T>
std::vector<std::pair<std::string, Mat<T>*>> named_tensors(Params<T>& p);
template <class T>
std::vector<std::pair<std::string, const Mat<T>*>> named_tensors(const Params<T>& p);

/// All-zero parameters of the right shapes (gains included: callers set them).
template <class T>
Params<T> zero_params(const ModelConfig& c);

/// Seeded initialisation: embeddings N(0, 0.02), weights N(0, 1/d_in) with the two residual-branch
/// outputs (W_o, W_2) further scaled by 1/sqrt(2 L), biases 0, LayerNorm gains 1.
Params<float> init_params(const ModelConfig& c, uint64_t seed);

/// Same parameters in another scalar type (float <-> double, for the gradient checks).
template <class To, class From>
Params<To> cast_params(const Params<From>& p);

/// A trained model: config, vocabulary (id -> word) and weights.
struct Model {
  ModelConfig config;
  std::vector<std::string> vocab;
  Params<float> params;
};

/// The id of `word` in `vocab`, or -1 when it is not there (exact match).
int find_token(const std::vector<std::string>& vocab, const std::string& word);

/// One block's attention sub-layer, kept so lesson 11 can trace the shapes with real matrices.
struct AttentionDetail {
  Matrix input;                // (n x d) LN_1(x): what every head projects (the full vector, not a slice)
  std::vector<Matrix> Q, K, V; // [head] (n x d_k): columns [h d_k, (h+1) d_k) of input W + b
  std::vector<Matrix> outputs; // [head] (n x d_k) weights . V
  Matrix concat;               // (n x d) head outputs side by side
  Matrix projected;            // (n x d) concat W_o + b_o, added to the residual stream
};

/// Every intermediate a lesson may draw for one sentence.
struct ModelTrace {
  std::vector<AttentionDetail> details;        // [layer]
  std::vector<Matrix> embeddings;              // (L + 1) residual streams: x_0 (n x d), then after each block
  std::vector<std::vector<Matrix>> attention;  // [layer][head]: n x n softmax weights, row = query
  Matrix hidden;                               // (n x d) after the final LayerNorm
  Matrix logits;                               // (n x V)
};

/// Runs one sentence (1..max_positions ids, each in [0, V)) through the model with the core's
/// step functions (project, scores, scale, softmax_rows, weighted_sum, split_heads, concat_heads).
/// Throws Error("model_forward", ...) on an empty or over-long sentence, an id out of range, a trace
/// larger than kMaxTraceNumbers (limits.hpp), or weights so large that float32 overflows in a block.
ModelTrace model_forward(const Model& model, const std::vector<int>& ids);

}  // namespace attn
