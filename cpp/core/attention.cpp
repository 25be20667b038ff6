#include "attention.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "limits.hpp"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace attn {

namespace {

#if defined(__wasm_simd128__)
// Eigen 3.4 has no WebAssembly SIMD kernels, so in wasm its products run scalar: X·W for 5 tokens and
// d_model 512 took 4 to 6 times as long as the native (SSE) build. This kernel copies 8 columns of b
// at a time into a contiguous strip (reading b down a column with a stride of a power of two would
// miss the cache on every row), then keeps R rows of a times those 8 columns in registers (2R simd128
// accumulators) while it walks down the shared dimension. The native build keeps Eigen's products
// (and so the trainer its exact bits), and so do products under 32,768 multiply-adds in wasm: the
// lessons' small matrices keep the very numbers they showed before (a by-hand sum or a "64 of 64
// entries equal" identity rounds the same), and at that size the call costs more than the arithmetic.
constexpr double kKernelMinMultiplyAdds = 32768;

template <int R>
void multiply_strip(const float* a, Eigen::Index k, const float* strip, float* out, Eigen::Index m) {
  v128_t lo[R], hi[R];
  for (int r = 0; r < R; ++r) lo[r] = hi[r] = wasm_f32x4_splat(0.0f);
  for (Eigen::Index p = 0; p < k; ++p) {
    const v128_t b0 = wasm_v128_load(strip + 8 * p), b1 = wasm_v128_load(strip + 8 * p + 4);
    for (int r = 0; r < R; ++r) {
      const v128_t x = wasm_f32x4_splat(a[r * k + p]);
      lo[r] = wasm_f32x4_add(lo[r], wasm_f32x4_mul(x, b0));
      hi[r] = wasm_f32x4_add(hi[r], wasm_f32x4_mul(x, b1));
    }
  }
  for (int r = 0; r < R; ++r) {
    wasm_v128_store(out + r * m, lo[r]);
    wasm_v128_store(out + r * m + 4, hi[r]);
  }
}

// a · B for B = b, or B = b^T when `transposed` (then the strips are gathered from b's rows: the
// output layer's a · tok^T used to build the whole 458 x 64 transpose first, on every call). One
// function with a flag rather than a template: two copies of it cost 4 KB of the core module.
Matrix multiply_kernel(const Matrix& a, const Matrix& b, bool transposed) {
  const Eigen::Index n = a.rows(), k = a.cols(), m = transposed ? b.rows() : b.cols();
  Matrix out(n, m);
  std::vector<float> strip(static_cast<size_t>(8 * k));
  Eigen::Index j = 0;
  for (; j + 8 <= m; j += 8) {
    if (transposed) {
      for (int c = 0; c < 8; ++c) {
        const float* row = b.data() + (j + c) * k;
#pragma clang loop vectorize(disable) unroll(disable)
        for (Eigen::Index p = 0; p < k; ++p) strip[static_cast<size_t>(8 * p + c)] = row[p];
      }
    } else {
      for (Eigen::Index p = 0; p < k; ++p)
        wasm_v128_store(strip.data() + 8 * p, wasm_v128_load(b.data() + p * m + j)),
            wasm_v128_store(strip.data() + 8 * p + 4, wasm_v128_load(b.data() + p * m + j + 4));
    }
    Eigen::Index i = 0;
    for (; i + 4 <= n; i += 4) multiply_strip<4>(a.data() + i * k, k, strip.data(), out.data() + i * m + j, m);
    for (; i < n; ++i) multiply_strip<1>(a.data() + i * k, k, strip.data(), out.data() + i * m + j, m);
  }
  for (; j < m; ++j)
    for (Eigen::Index i = 0; i < n; ++i) {
      float s = 0.0f;
#pragma clang loop vectorize(disable) unroll(disable)
      for (Eigen::Index p = 0; p < k; ++p) s += a(i, p) * (transposed ? b(j, p) : b(p, j));
      out(i, j) = s;
    }
  return out;
}

// out (n x m) = a (n x k) . b (k x m), all row-major, with Eigen 3.4's own additions in Eigen's own
// order, four output columns per simd128 lane group. In wasm Eigen has no vector code and runs its
// general product (gebp, mr = 1, nr = 4) scalar, packing both operands first: the course model's
// Q, K, V and output projections (5 x 64 times 64 x 64) spent a fifth of its trace there. Eigen's
// order, per output (token t, column j): for t in the first floor(n / 4) * 4 rows, the even steps
// of the first k & ~7 (its 8-fold peeled loop) summed in one accumulator and the odd steps in a
// second, the two added, then the remaining steps one by one; for the last n % 4 rows, one
// accumulator from the first step to the last. Checked equal, bit for bit, to Eigen's a * b in this
// build for 32,462 shapes (2..16 x 1..300 x 2..300 under the kernel threshold, columns a multiple
// of 4 or not; Eigen's blocking splits the depth past 816, hence kEigenOrderMaxDepth).
void eigen_order_product(const float* a, const float* b, float* out, long n, long k, long m) {
  const long peeled = k & ~7L, n4 = (n / 4) * 4;
  for (long t0 = 0; t0 < n4; t0 += 4) {
    const float* a0 = a + t0 * k;
    for (long j = 0; j < m; j += 4) {
      v128_t C[4], D[4];
      for (int r = 0; r < 4; ++r) C[r] = D[r] = wasm_f32x4_splat(0.0f);
      for (long p = 0; p < peeled; p += 2) {
        const v128_t b0 = wasm_v128_load(b + p * m + j), b1 = wasm_v128_load(b + (p + 1) * m + j);
        for (int r = 0; r < 4; ++r) {
          C[r] = wasm_f32x4_add(C[r], wasm_f32x4_mul(wasm_f32x4_splat(a0[r * k + p]), b0));
          D[r] = wasm_f32x4_add(D[r], wasm_f32x4_mul(wasm_f32x4_splat(a0[r * k + p + 1]), b1));
        }
      }
      for (int r = 0; r < 4; ++r) C[r] = wasm_f32x4_add(C[r], D[r]);
      for (long p = peeled; p < k; ++p) {
        const v128_t b0 = wasm_v128_load(b + p * m + j);
        for (int r = 0; r < 4; ++r) C[r] = wasm_f32x4_add(C[r], wasm_f32x4_mul(wasm_f32x4_splat(a0[r * k + p]), b0));
      }
      for (int r = 0; r < 4; ++r) wasm_v128_store(out + (t0 + r) * m + j, C[r]);
    }
  }
  for (long t = n4; t < n; ++t)
    for (long j = 0; j < m; j += 4) {
      v128_t C = wasm_f32x4_splat(0.0f);
      for (long p = 0; p < k; ++p) C = wasm_f32x4_add(C, wasm_f32x4_mul(wasm_f32x4_splat(a[t * k + p]), wasm_v128_load(b + p * m + j)));
      wasm_v128_store(out + t * m + j, C);
    }
}

constexpr Eigen::Index kEigenOrderMaxDepth = 512;

}  // namespace

Matrix multiply(const Matrix& a, const Matrix& b) {
  const Eigen::Index n = a.rows(), k = a.cols(), m = b.cols();
  if (static_cast<double>(n) * static_cast<double>(k) * static_cast<double>(m) < kKernelMinMultiplyAdds) {
    // Where Eigen takes its general product (not the coefficient-wise one for k + n + m < 20, nor a
    // matrix-vector product for one row or column), the same numbers without the packing; for a
    // multiple of 4 columns only (d_model is), which keeps the kernel small.
    if (n >= 2 && m >= 4 && m % 4 == 0 && k >= 1 && k <= kEigenOrderMaxDepth && k + n + m >= 20) {
      Matrix out(n, m);
      eigen_order_product(a.data(), b.data(), out.data(), n, k, m);
      return out;
    }
    return a * b;
  }
  return multiply_kernel(a, b, false);
}

namespace {
#endif

std::string str(Eigen::Index v) { return std::to_string(v); }

void check_temperature(const char* fn, float t) {
  if (!std::isfinite(t) || t <= 0.0f)
    throw Error(fn, "temperature must be a finite number > 0 (got " + num(t) + ")");
}

// a_name·b_name for matrices whose shapes are already checked: refuses a result larger than
// kMaxMatrixElements before allocating it, and blames the inputs when float32 overflows inside.
Matrix product(const char* fn, const std::string& name, const Matrix& a, const char* a_name, const Matrix& b,
               const char* b_name) {
  // The message is built only when it is needed (it was a heap string on every call).
  if (static_cast<double>(a.rows()) * static_cast<double>(b.cols()) > static_cast<double>(kMaxMatrixElements))
    check_matrix_size(fn, "the result of " + name, a.rows(), b.cols());
  Matrix out = multiply(a, b);
  check_product(fn, name, out, a_name, a, b_name, b);
  return out;
}

// Q·K^T with the same checks as product().
Matrix transposed_product(const char* fn, const std::string& name, const Matrix& Q, const Matrix& K) {
  if (static_cast<double>(Q.rows()) * static_cast<double>(K.rows()) > static_cast<double>(kMaxMatrixElements))
    check_matrix_size(fn, "the result of " + name, Q.rows(), K.rows());
  Matrix out = multiply_transposed(Q, K);
  check_product(fn, name, out, "Q", Q, "K", K);
  return out;
}

}  // namespace

#if !defined(__wasm_simd128__)
Matrix multiply(const Matrix& a, const Matrix& b) { return a * b; }
#endif

Matrix multiply_transposed(const Matrix& a, const Matrix& b) {
#if defined(__wasm_simd128__)
  if (static_cast<double>(a.rows()) * static_cast<double>(a.cols()) * static_cast<double>(b.rows()) < kKernelMinMultiplyAdds)
    return a * b.transpose();
  return multiply_kernel(a, b, true);
#else
  return a * b.transpose();
#endif
}

// ---------------------------------------------------------------- toy helpers

float dot(const Vector& a, const Vector& b) {
  check_finite("dot", "a", a);
  check_finite("dot", "b", b);
  if (a.size() != b.size())
    throw Error("dot", "a has " + str(a.size()) + " entries but b has " + str(b.size()) + " (they must match)");
  const float d = a.dot(b);
  if (!std::isfinite(d)) check_product("dot", "a·b", Matrix::Constant(1, 1, d), "a", a, "b", b);
  return d;
}

Vector softmax(const Vector& v, float temperature) {
  check_temperature("softmax", temperature);
  check_finite_or_masked("softmax", "v", v);
  return softmax_rows(v, temperature);
}

// ---------------------------------------------------------------- single-head steps

Matrix project(const Matrix& X, const Matrix& W) {
  check_finite("project", "X", X);
  check_finite("project", "W", W);
  if (X.cols() != W.rows())
    throw Error("project", "X is " + shape(X) + " but W is " + shape(W) + " (X's columns must equal W's rows)");
  return product("project", "X·W", X, "X", W, "W");
}

Matrix scores(const Matrix& Q, const Matrix& K) {
  check_finite("scores", "Q", Q);
  check_finite("scores", "K", K);
  if (Q.cols() != K.cols())
    throw Error("scores", "Q is " + shape(Q) + " but K is " + shape(K) + " (Q and K need the same number of columns)");
  return transposed_product("scores", "Q·K^T", Q, K);
}

Matrix scale(const Matrix& S, int d_k) {
  check_finite("scale", "S", S);
  if (d_k < 1) throw Error("scale", "d_k must be >= 1 (got " + std::to_string(d_k) + ")");
  return S / std::sqrt(static_cast<float>(d_k));
}

Matrix mask_causal(const Matrix& S) {
  check_finite("mask_causal", "S", S);
  if (S.rows() != S.cols()) throw Error("mask_causal", "S is " + shape(S) + " but must be square (n x n)");
  Matrix M = S;
  for (Eigen::Index i = 0; i < M.rows(); ++i)
    for (Eigen::Index j = i + 1; j < M.cols(); ++j) M(i, j) = -INFINITY;
  return M;
}

Matrix softmax_rows(const Matrix& S, float temperature) {
  check_temperature("softmax_rows", temperature);
  check_finite_or_masked("softmax_rows", "S", S);
  Matrix A(S.rows(), S.cols());
  for (Eigen::Index i = 0; i < S.rows(); ++i) {
    // Subtract the row max so exp() never sees a large positive argument (softmax is shift invariant).
    const float m = S.row(i).maxCoeff();
    if (m == -INFINITY) throw Error("softmax_rows", "row " + str(i) + " of S is entirely masked (-Inf)");
    float sum = 0.0f;
    for (Eigen::Index j = 0; j < S.cols(); ++j) {
      const float e = S(i, j) == -INFINITY ? 0.0f : std::exp((S(i, j) - m) / temperature);
      A(i, j) = e;
      sum += e;
    }
    A.row(i) /= sum;  // sum >= 1 because the max entry contributes exp(0)
  }
  return A;
}

Matrix weighted_sum(const Matrix& A, const Matrix& V) {
  check_finite("weighted_sum", "A", A);
  check_finite("weighted_sum", "V", V);
  if (A.cols() != V.rows())
    throw Error("weighted_sum",
                "A is " + shape(A) + " but V is " + shape(V) + " (A needs one column per row of V)");
  return product("weighted_sum", "A·V", A, "A", V, "V");
}

// ---------------------------------------------------------------- multi-head

std::vector<Matrix> split_heads(const Matrix& M, int h) {
  check_finite("split_heads", "M", M);
  if (h < 1 || M.cols() % h != 0)
    throw Error("split_heads", "h = " + std::to_string(h) + " does not divide d_model = " + str(M.cols()) +
                                   " (M is " + shape(M) + ")");
  const Eigen::Index d_k = M.cols() / h;
  std::vector<Matrix> out;
  out.reserve(h);
  for (int t = 0; t < h; ++t) out.emplace_back(M.middleCols(t * d_k, d_k));
  return out;
}

Matrix concat_heads(const std::vector<Matrix>& heads) {
  if (heads.empty()) throw Error("concat_heads", "needs at least one head");
  const Eigen::Index n = heads[0].rows(), d_k = heads[0].cols();
  for (size_t t = 0; t < heads.size(); ++t) {
    check_finite("concat_heads", "heads[t]", heads[t]);
    if (heads[t].rows() != n || heads[t].cols() != d_k)
      throw Error("concat_heads", "head " + std::to_string(t) + " is " + shape(heads[t]) + " but head 0 is " +
                                      shape(heads[0]) + " (all heads need the same shape)");
  }
  Matrix out(n, d_k * static_cast<Eigen::Index>(heads.size()));
  for (size_t t = 0; t < heads.size(); ++t) out.middleCols(static_cast<Eigen::Index>(t) * d_k, d_k) = heads[t];
  return out;
}

MultiHeadTrace multi_head_attention(const Matrix& X, const Matrix& W_q, const Matrix& W_k, const Matrix& W_v,
                                    const Matrix& W_o, int h, const AttentionOptions& options) {
  const char* fn = "multi_head_attention";
  check_finite(fn, "X", X);
  const Eigen::Index d = X.cols();
  const std::pair<const char*, const Matrix*> ws[] = {{"W_q", &W_q}, {"W_k", &W_k}, {"W_v", &W_v}, {"W_o", &W_o}};
  for (const auto& [name, W] : ws) {
    check_finite(fn, name, *W);
    if (W->rows() != d || W->cols() != d)
      throw Error(fn, std::string(name) + " is " + shape(*W) + " but must be " + str(d) + "x" + str(d) +
                          " (d_model x d_model, X is " + shape(X) + ")");
  }
  if (h < 1 || d % h != 0)
    throw Error(fn, "h = " + std::to_string(h) + " does not divide d_model = " + str(d));
  check_temperature(fn, options.temperature);

  const double n = static_cast<double>(X.rows()), dm = static_cast<double>(d);
  check_trace_size(fn, "keeping every intermediate", 9 * n * dm + 4.0 * h * n * n,
                   "n = " + str(X.rows()) + ", d_model = " + str(d) + ", h = " + std::to_string(h));

  // The products are named after the caller's arguments, so an overflow blames X or a weight matrix.
  MultiHeadTrace t;
  t.Q = product(fn, "X·W_q", X, "X", W_q, "W_q");
  t.K = product(fn, "X·W_k", X, "X", W_k, "W_k");
  t.V = product(fn, "X·W_v", X, "X", W_v, "W_v");
  const auto Qs = split_heads(t.Q, h), Ks = split_heads(t.K, h), Vs = split_heads(t.V, h);
  const int d_k = static_cast<int>(d / h);
  std::vector<Matrix> outputs;
  for (int i = 0; i < h; ++i) {
    const std::string head_name = "head " + std::to_string(i + 1) + " of " + std::to_string(h) + ": ";
    HeadTrace head;
    head.Q = Qs[i];
    head.K = Ks[i];
    head.V = Vs[i];
    head.scores = transposed_product(fn, head_name + "Q·K^T (from X, W_q and W_k)", head.Q, head.K);
    head.scaled = options.scale ? scale(head.scores, d_k) : head.scores;
    head.masked = options.causal ? mask_causal(head.scaled) : head.scaled;
    head.weights = softmax_rows(head.masked, options.temperature);
    head.output = product(fn, head_name + "weights·V (from X and W_v)", head.weights, "weights", head.V, "V");
    outputs.push_back(head.output);
    t.heads.push_back(std::move(head));
  }
  t.concat = concat_heads(outputs);
  t.output = product(fn, "concat·W_o", t.concat, "concat", W_o, "W_o");
  return t;
}

}  // namespace attn
