#include "layers.hpp"

#include <cmath>

namespace attn {

// ---------------------------------------------------------------- linear

template <class T>
Mat<T> linear(const Mat<T>& X, const Mat<T>& W, const Mat<T>& b) {
  Mat<T> Y = X * W;
  Y.rowwise() += b.row(0);
  return Y;
}

template <class T>
Mat<T> linear_backward(const Mat<T>& X, const Mat<T>& W, const Mat<T>& dY, Mat<T>& dW, Mat<T>& db) {
  dW.noalias() += X.transpose() * dY;
  db += dY.colwise().sum();
  return dY * W.transpose();
}

// ---------------------------------------------------------------- LayerNorm

template <class T>
Mat<T> layer_norm(const Mat<T>& X, const Mat<T>& g, const Mat<T>& b, LayerNormCache<T>* cache) {
  const Eigen::Index N = X.rows(), d = X.cols();
  Mat<T> xhat(N, d);
  Eigen::Matrix<T, Eigen::Dynamic, 1> inv_std(N);
  for (Eigen::Index r = 0; r < N; ++r) {
    const T mean = X.row(r).mean();
    const auto centred = X.row(r).array() - mean;
    const T var = centred.square().mean();  // biased variance, as in every LayerNorm
    inv_std(r) = T(1) / std::sqrt(var + T(kLayerNormEps));
    xhat.row(r) = centred * inv_std(r);
  }
  Mat<T> Y = (xhat.array().rowwise() * g.row(0).array()).matrix();
  Y.rowwise() += b.row(0);
  if (cache) {
    cache->xhat = std::move(xhat);
    cache->inv_std = std::move(inv_std);
  }
  return Y;
}

template <class T>
Mat<T> layer_norm_backward(const Mat<T>& dY, const Mat<T>& g, const LayerNormCache<T>& cache, Mat<T>& dg, Mat<T>& db) {
  dg += (dY.array() * cache.xhat.array()).matrix().colwise().sum();
  db += dY.colwise().sum();
  const Mat<T> dxhat = (dY.array().rowwise() * g.row(0).array()).matrix();
  Mat<T> dX(dY.rows(), dY.cols());
  for (Eigen::Index r = 0; r < dY.rows(); ++r) {
    // dx = inv_std * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
    const T m1 = dxhat.row(r).mean();
    const T m2 = dxhat.row(r).dot(cache.xhat.row(r)) / static_cast<T>(dY.cols());
    dX.row(r) = (dxhat.row(r).array() - m1 - cache.xhat.row(r).array() * m2) * cache.inv_std(r);
  }
  return dX;
}

// ---------------------------------------------------------------- GELU

namespace {
constexpr double kGeluC = 0.7978845608028654;  // sqrt(2 / pi)
constexpr double kGeluA = 0.044715;
}  // namespace

namespace {
template <class T>
T gelu_tanh(T x) { return std::tanh(T(kGeluC) * (x + T(kGeluA) * x * x * x)); }
template <class T>
T gelu_from_tanh(T x, T t) { return T(0.5) * x * (T(1) + t); }
template <class T>
T gelu_slope_from_tanh(T x, T t) {
  return T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * T(kGeluC) * (T(1) + T(3 * kGeluA) * x * x);
}
}  // namespace

template <class T>
Mat<T> gelu(const Mat<T>& X) {
  return X.unaryExpr([](T x) { return gelu_from_tanh(x, gelu_tanh(x)); });
}

template <class T>
Mat<T> gelu(const Mat<T>& X, Mat<T>& tanh_out) {
  tanh_out = X.unaryExpr([](T x) { return gelu_tanh(x); });
  return X.binaryExpr(tanh_out, [](T x, T t) { return gelu_from_tanh(x, t); });
}

template <class T>
Mat<T> gelu_backward(const Mat<T>& X, const Mat<T>& dY) {
  const Mat<T> dgelu = X.unaryExpr([](T x) { return gelu_slope_from_tanh(x, gelu_tanh(x)); });
  return (dY.array() * dgelu.array()).matrix();
}

template <class T>
Mat<T> gelu_backward(const Mat<T>& X, const Mat<T>& tanh_in, const Mat<T>& dY) {
  const Mat<T> dgelu = X.binaryExpr(tanh_in, [](T x, T t) { return gelu_slope_from_tanh(x, t); });
  return (dY.array() * dgelu.array()).matrix();
}

// ---------------------------------------------------------------- softmax and self-attention

template <class T>
Mat<T> softmax_rows_fast(const Mat<T>& S) {
  Mat<T> A(S.rows(), S.cols());
  for (Eigen::Index i = 0; i < S.rows(); ++i) {
    const T m = S.row(i).maxCoeff();  // subtract the max so exp never overflows
    A.row(i) = (S.row(i).array() - m).exp();
    A.row(i) /= A.row(i).sum();
  }
  return A;
}

template <class T>
Mat<T> softmax_rows_backward(const Mat<T>& A, const Mat<T>& dA) {
  const Eigen::Matrix<T, Eigen::Dynamic, 1> dot = (dA.array() * A.array()).rowwise().sum();
  return (A.array() * (dA.array().colwise() - dot.array())).matrix();
}

template <class T>
Mat<T> self_attention(const Mat<T>& Q, const Mat<T>& K, const Mat<T>& V, int heads,
                      const std::vector<Segment>& segments, AttentionCache<T>* cache) {
  const Eigen::Index d_k = Q.cols() / heads;
  const T inv_sqrt = T(1) / std::sqrt(static_cast<T>(d_k));
  Mat<T> O(Q.rows(), Q.cols());
  if (cache) cache->weights.assign(segments.size() * heads, Mat<T>());
  for (size_t s = 0; s < segments.size(); ++s) {
    const auto [b, n] = segments[s];
    for (int t = 0; t < heads; ++t) {
      const auto q = Q.block(b, t * d_k, n, d_k), k = K.block(b, t * d_k, n, d_k), v = V.block(b, t * d_k, n, d_k);
      Mat<T> A = softmax_rows_fast<T>((q * k.transpose()) * inv_sqrt);
      O.block(b, t * d_k, n, d_k).noalias() = A * v;
      if (cache) cache->weights[s * heads + t] = std::move(A);
    }
  }
  return O;
}

template <class T>
void self_attention_backward(const Mat<T>& dO, const Mat<T>& Q, const Mat<T>& K, const Mat<T>& V, int heads,
                             const std::vector<Segment>& segments, const AttentionCache<T>& cache, Mat<T>& dQ,
                             Mat<T>& dK, Mat<T>& dV) {
  const Eigen::Index d_k = Q.cols() / heads;
  const T inv_sqrt = T(1) / std::sqrt(static_cast<T>(d_k));
  dQ.resize(Q.rows(), Q.cols());
  dK.resize(K.rows(), K.cols());
  dV.resize(V.rows(), V.cols());
  for (size_t s = 0; s < segments.size(); ++s) {
    const auto [b, n] = segments[s];
    for (int t = 0; t < heads; ++t) {
      const Mat<T>& A = cache.weights[s * heads + t];
      const auto q = Q.block(b, t * d_k, n, d_k), k = K.block(b, t * d_k, n, d_k), v = V.block(b, t * d_k, n, d_k);
      const auto dout = dO.block(b, t * d_k, n, d_k);
      dV.block(b, t * d_k, n, d_k).noalias() = A.transpose() * dout;
      const Mat<T> dS = softmax_rows_backward<T>(A, dout * v.transpose()) * inv_sqrt;
      dQ.block(b, t * d_k, n, d_k).noalias() = dS * k;
      dK.block(b, t * d_k, n, d_k).noalias() = dS.transpose() * q;
    }
  }
}

// ---------------------------------------------------------------- embeddings

template <class T>
Mat<T> embedding(const Mat<T>& table, const std::vector<int>& ids) {
  Mat<T> Y(static_cast<Eigen::Index>(ids.size()), table.cols());
  for (size_t r = 0; r < ids.size(); ++r) Y.row(r) = table.row(ids[r]);
  return Y;
}

template <class T>
void embedding_backward(const Mat<T>& dY, const std::vector<int>& ids, Mat<T>& dTable) {
  for (size_t r = 0; r < ids.size(); ++r) dTable.row(ids[r]) += dY.row(r);
}

// ---------------------------------------------------------------- cross-entropy

template <class T>
T cross_entropy(const Mat<T>& logits, const std::vector<int>& targets, Mat<T>* dlogits, int* correct) {
  const Eigen::Index M = logits.rows();
  if (dlogits) dlogits->resize(M, logits.cols());
  double loss = 0;  // accumulate in double: M can be large
  for (Eigen::Index i = 0; i < M; ++i) {
    Eigen::Index best = 0;
    const T m = logits.row(i).maxCoeff(&best);
    const T log_sum = m + std::log((logits.row(i).array() - m).exp().sum());
    loss += static_cast<double>(log_sum - logits(i, targets[i]));
    if (correct && best == targets[i]) ++*correct;
    if (dlogits) {
      dlogits->row(i) = (logits.row(i).array() - log_sum).exp() / static_cast<T>(M);
      (*dlogits)(i, targets[i]) -= T(1) / static_cast<T>(M);
    }
  }
  return static_cast<T>(loss / static_cast<double>(M));
}

// ---------------------------------------------------------------- instantiations

#define ATTN_LAYERS_INSTANTIATE(T)                                                                                  \
  template Mat<T> linear(const Mat<T>&, const Mat<T>&, const Mat<T>&);                                             \
  template Mat<T> linear_backward(const Mat<T>&, const Mat<T>&, const Mat<T>&, Mat<T>&, Mat<T>&);                  \
  template Mat<T> layer_norm(const Mat<T>&, const Mat<T>&, const Mat<T>&, LayerNormCache<T>*);                     \
  template Mat<T> layer_norm_backward(const Mat<T>&, const Mat<T>&, const LayerNormCache<T>&, Mat<T>&, Mat<T>&);   \
  template Mat<T> gelu(const Mat<T>&);                                                                             \
  template Mat<T> gelu_backward(const Mat<T>&, const Mat<T>&);                                                     \
  template Mat<T> gelu(const Mat<T>&, Mat<T>&);                                                                    \
  template Mat<T> gelu_backward(const Mat<T>&, const Mat<T>&, const Mat<T>&);                                      \
  template Mat<T> softmax_rows_fast(const Mat<T>&);                                                                \
  template Mat<T> softmax_rows_backward(const Mat<T>&, const Mat<T>&);                                             \
  template Mat<T> self_attention(const Mat<T>&, const Mat<T>&, const Mat<T>&, int, const std::vector<Segment>&,    \
                                 AttentionCache<T>*);                                                              \
  template void self_attention_backward(const Mat<T>&, const Mat<T>&, const Mat<T>&, const Mat<T>&, int,           \
                                        const std::vector<Segment>&, const AttentionCache<T>&, Mat<T>&, Mat<T>&,   \
                                        Mat<T>&);                                                                  \
  template Mat<T> embedding(const Mat<T>&, const std::vector<int>&);                                               \
  template void embedding_backward(const Mat<T>&, const std::vector<int>&, Mat<T>&);                               \
  template T cross_entropy(const Mat<T>&, const std::vector<int>&, Mat<T>*, int*);

ATTN_LAYERS_INSTANTIATE(float)
ATTN_LAYERS_INSTANTIATE(double)

#undef ATTN_LAYERS_INSTANTIATE

}  // namespace attn
