// The differentiable building blocks of the tiny transformer, each as a forward and a hand-written
// backward. Templated on the scalar so training runs in float and the gradient checks run the very
// same code in double (explicitly instantiated for both in layers.cpp).
//
// Conventions: row vectors; a batch of sentences is stacked into one N x d matrix (row r is one
// token) and `segments` says which rows belong to which sentence, so no padding is ever needed.
// Biases and LayerNorm gains are 1 x d matrices. A backward function returns the gradient with
// respect to its input and ADDS the gradients of its parameters into the given accumulators.
#pragma once

#include <Eigen/Core>
#include <vector>

namespace attn {

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Rows [begin, begin + length) of a stacked batch are one sentence.
struct Segment {
  int begin = 0;
  int length = 0;
};

// ---------------------------------------------------------------- linear: Y = X W + b

/// X (N x d_in) · W (d_in x d_out) + b (1 x d_out) -> (N x d_out).
template <class T>
Mat<T> linear(const Mat<T>& X, const Mat<T>& W, const Mat<T>& b);

/// Returns dX (N x d_in); adds X^T dY into dW and the column sums of dY into db.
template <class T>
Mat<T> linear_backward(const Mat<T>& X, const Mat<T>& W, const Mat<T>& dY, Mat<T>& dW, Mat<T>& db);

// ---------------------------------------------------------------- LayerNorm over each row

constexpr double kLayerNormEps = 1e-5;

template <class T>
struct LayerNormCache {
  Mat<T> xhat;                                 // (N x d) normalised input, before gain and bias
  Eigen::Matrix<T, Eigen::Dynamic, 1> inv_std;  // (N) 1 / sqrt(var + eps) per row
};

/// (x - mean) / sqrt(var + eps) * g + b for every row of X (N x d); g, b are 1 x d.
template <class T>
Mat<T> layer_norm(const Mat<T>& X, const Mat<T>& g, const Mat<T>& b, LayerNormCache<T>* cache);

/// Returns dX; adds into dg and db.
template <class T>
Mat<T> layer_norm_backward(const Mat<T>& dY, const Mat<T>& g, const LayerNormCache<T>& cache, Mat<T>& dg, Mat<T>& db);

// ---------------------------------------------------------------- GELU (tanh approximation)

/// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), elementwise (as in BERT and GPT-2).
template <class T>
Mat<T> gelu(const Mat<T>& X);

/// dL/dX given the forward input X and dL/dY.
template <class T>
Mat<T> gelu_backward(const Mat<T>& X, const Mat<T>& dY);

/// Training's pair: the forward pass keeps tanh(...) of every element, and the backward pass reuses
/// it instead of computing it again (tanh was a third of a training step). Same numbers, bit for bit.
template <class T>
Mat<T> gelu(const Mat<T>& X, Mat<T>& tanh_out);
template <class T>
Mat<T> gelu_backward(const Mat<T>& X, const Mat<T>& tanh_in, const Mat<T>& dY);

// ---------------------------------------------------------------- softmax and self-attention

/// Row-wise softmax without checks (the training path; the checked one is attn::softmax_rows).
template <class T>
Mat<T> softmax_rows_fast(const Mat<T>& S);

/// Given A = softmax_rows(S) and dA, returns dS: dS = A ⊙ (dA - rowsum(dA ⊙ A)).
template <class T>
Mat<T> softmax_rows_backward(const Mat<T>& A, const Mat<T>& dA);

template <class T>
struct AttentionCache {
  std::vector<Mat<T>> weights;  // (segments x heads) entries, index s * h + t: n_s x n_s softmax weights
};

/// Bidirectional multi-head self-attention within each segment. Q, K, V are N x d_model (already
/// projected, biases included); head t owns columns [t d_k, (t+1) d_k). Returns the concatenated
/// head outputs (N x d_model), before the output projection.
template <class T>
Mat<T> self_attention(const Mat<T>& Q, const Mat<T>& K, const Mat<T>& V, int heads,
                      const std::vector<Segment>& segments, AttentionCache<T>* cache);

/// Backward of self_attention: from dO (N x d_model) writes dQ, dK, dV (N x d_model each).
template <class T>
void self_attention_backward(const Mat<T>& dO, const Mat<T>& Q, const Mat<T>& K, const Mat<T>& V, int heads,
                             const std::vector<Segment>& segments, const AttentionCache<T>& cache, Mat<T>& dQ,
                             Mat<T>& dK, Mat<T>& dV);

// ---------------------------------------------------------------- embeddings

/// Row r of the result is table.row(ids[r]) (N x d).
template <class T>
Mat<T> embedding(const Mat<T>& table, const std::vector<int>& ids);

/// Adds dY.row(r) into dTable.row(ids[r]) for every r (a scatter-add; repeated ids accumulate).
template <class T>
void embedding_backward(const Mat<T>& dY, const std::vector<int>& ids, Mat<T>& dTable);

// ---------------------------------------------------------------- cross-entropy

/// Mean over rows of -log softmax(logits)[target]. logits is M x V, targets has M entries.
/// Writes dlogits (M x V) when not null; counts argmax == target in *correct when not null.
template <class T>
T cross_entropy(const Mat<T>& logits, const std::vector<int>& targets, Mat<T>* dlogits, int* correct);

}  // namespace attn
