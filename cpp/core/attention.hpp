// Scaled dot-product and multi-head attention as named step functions.
//
// Each step returns a new matrix (nothing is overwritten), so a caller can keep and draw every
// intermediate: scores -> scaled -> masked -> weights -> output. Shapes use n for tokens,
// d_model for the embedding width, h for heads and d_k = d_model / h for one head's width.
#pragma once

#include <vector>

#include "matrix.hpp"

namespace attn {

// ---------------------------------------------------------------- toy helpers (lessons 3-4)

/// a·b for two vectors of the same length. Throws on empty, mismatched or non-finite input.
float dot(const Vector& a, const Vector& b);

/// softmax(v / temperature) for one vector (length >= 1, temperature > 0). -Inf entries get weight 0;
/// a vector of only -Inf throws.
Vector softmax(const Vector& v, float temperature = 1.0f);

// ---------------------------------------------------------------- single-head steps

/// a · b with no checks (callers check shapes and overflow): the arithmetic of project() and
/// weighted_sum(), Eigen's product natively and, in wasm, a simd128 kernel for products of 32,768
/// multiply-adds or more. The course model's weight products use it directly (model.cpp).
Matrix multiply(const Matrix& a, const Matrix& b);

/// a · b^T with no checks (callers check shapes and overflow): Eigen's product natively, a simd128
/// kernel in wasm, where Eigen 3.4 has no vector code. The course model's output layer uses it.
Matrix multiply_transposed(const Matrix& a, const Matrix& b);

/// X (n x d_in) · W (d_in x d_out) -> (n x d_out). Used for Q, K, V and the output projection.
Matrix project(const Matrix& X, const Matrix& W);

/// Q (n x d_k) · K^T (d_k x m) -> S (n x m): S[i][j] is query i's compatibility with key j.
Matrix scores(const Matrix& Q, const Matrix& K);

/// S / sqrt(d_k) with d_k >= 1: keeps the scores' variance near 1 so softmax does not saturate.
Matrix scale(const Matrix& S, int d_k);

/// Square S (n x n) with every entry above the diagonal (a query looking at a later key) set to -Inf.
Matrix mask_causal(const Matrix& S);

/// Row-wise softmax(S / temperature) (n x m), each row a distribution summing to 1. Subtracts the
/// row max first so large scores cannot overflow. -Inf entries (masked) get exactly 0; a row that is
/// all -Inf throws, as does temperature <= 0, NaN or +Inf.
Matrix softmax_rows(const Matrix& S, float temperature = 1.0f);

/// A (n x m) · V (m x d_v) -> (n x d_v): output row i is the A[i]-weighted blend of the rows of V.
Matrix weighted_sum(const Matrix& A, const Matrix& V);

// ---------------------------------------------------------------- multi-head

/// Splits M (n x d_model) into h blocks of columns: head t gets columns [t*d_k, (t+1)*d_k).
std::vector<Matrix> split_heads(const Matrix& M, int h);

/// Inverse of split_heads: h blocks of (n x d_k) side by side -> (n x h*d_k).
Matrix concat_heads(const std::vector<Matrix>& heads);

struct AttentionOptions {
  bool causal = false;       // mask keys after the query (decoder-style)
  bool scale = true;         // divide scores by sqrt(d_k)
  float temperature = 1.0f;  // softmax temperature (> 0)
};

/// Every intermediate of one head, all kept for drawing.
struct HeadTrace {
  Matrix Q, K, V;   // (n x d_k) this head's columns of the full projections
  Matrix scores;    // (n x n) Q·K^T
  Matrix scaled;    // (n x n) scores / sqrt(d_k), or scores when options.scale is false
  Matrix masked;    // (n x n) scaled with -Inf above the diagonal when causal, else scaled
  Matrix weights;   // (n x n) softmax_rows(masked, temperature)
  Matrix output;    // (n x d_k) weights · V
};

struct MultiHeadTrace {
  Matrix Q, K, V;                // (n x d_model) X·W_q, X·W_k, X·W_v
  std::vector<HeadTrace> heads;  // h entries
  Matrix concat;                 // (n x d_model) head outputs side by side
  Matrix output;                 // (n x d_model) concat · W_o
};

/// Standard multi-head self-attention with zero biases. X is n x d_model; W_q, W_k, W_v and W_o
/// are d_model x d_model; h must divide d_model. Returns every intermediate of every head.
MultiHeadTrace multi_head_attention(const Matrix& X, const Matrix& W_q, const Matrix& W_k, const Matrix& W_v,
                                    const Matrix& W_o, int h, const AttentionOptions& options = {});

}  // namespace attn
