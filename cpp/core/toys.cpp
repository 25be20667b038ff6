#include "toys.hpp"

#include <cmath>
#include <string>
#include <tuple>

#include "attention.hpp"
#include "limits.hpp"
#include "random.hpp"

namespace attn {

RnnTrace rnn_run(const Matrix& X, const Matrix& W_xh, const Matrix& W_hh) {
  const char* fn = "rnn_run";
  check_finite(fn, "X", X);
  check_finite(fn, "W_xh", W_xh);
  check_finite(fn, "W_hh", W_hh);
  const Eigen::Index T = X.rows(), d_h = W_hh.rows();
  if (W_hh.cols() != d_h) throw Error(fn, "W_hh is " + shape(W_hh) + " but must be square (d_h x d_h)");
  if (W_xh.rows() != X.cols() || W_xh.cols() != d_h)
    throw Error(fn, "W_xh is " + shape(W_xh) + " but must be " + std::to_string(X.cols()) + "x" + std::to_string(d_h) +
                        " (X is " + shape(X) + ", W_hh is " + shape(W_hh) + ")");
  RnnTrace r{Matrix(T, d_h), Vector(T)};
  Vector h = Vector::Zero(d_h);
  for (Eigen::Index t = 0; t < T; ++t) {
    h = (h * W_hh + X.row(t) * W_xh).array().tanh().matrix();
    r.H.row(t) = h;
  }
  // Walk back from the last step: G = d h_T / d a_t where a_t is step t's pre-activation,
  // G_T = D_T and G_{t} = D_t W_hh G_{t+1}; then d h_T / d x_t = W_xh G_t.
  Matrix G = (1.0f - r.H.row(T - 1).array().square()).matrix().asDiagonal();
  for (Eigen::Index t = T - 1; t >= 0; --t) {
    r.influence(t) = (W_xh * G).norm();
    // A large W_hh multiplies the Jacobian by about its spectral radius at every step back.
    if (!std::isfinite(r.influence(t)))
      throw Error(fn, "the influence of input " + std::to_string(t) + " on the last state overflows float32: W_hh amplifies it over " +
                          std::to_string(T - 1 - t) + " steps (use smaller recurrent weights or a shorter sequence)");
    if (t > 0) G = (1.0f - r.H.row(t - 1).array().square()).matrix().asDiagonal() * (W_hh * G);
  }
  return r;
}

RnnTrace rnn_demo(int T, int d_h, double gain_in, uint64_t seed) {
  const char* fn = "rnn_demo";
  if (T < 1 || T > kRnnMaxLength)
    throw Error(fn, "length must be 1 to " + std::to_string(kRnnMaxLength) + " (got " + std::to_string(T) + ")");
  if (d_h < 1 || d_h > kRnnMaxHidden)
    throw Error(fn, "hidden size must be 1 to " + std::to_string(kRnnMaxHidden) + " (got " + std::to_string(d_h) + ")");
  if (!std::isfinite(gain_in) || gain_in <= 0.0 || gain_in > 4.0)
    throw Error(fn, "gain must be > 0 and <= 4 (got " + num(gain_in) + ")");
  const float gain = static_cast<float>(gain_in);
  const float inv = 1.0f / std::sqrt(static_cast<float>(d_h));
  // A sum of 3 uniform tenths is close to Gaussian; its variance is 3 * 0.367 ~ 1.1, so divide by ~1.05.
  Matrix W_hh = seeded_matrix(d_h, d_h, seed, 1) + seeded_matrix(d_h, d_h, seed, 2) + seeded_matrix(d_h, d_h, seed, 3);
  W_hh *= gain * inv / 1.05f;
  const Matrix W_xh = seeded_matrix(d_h, d_h, seed, 4) * inv;
  const Matrix X = seeded_matrix(T, d_h, seed, 5);
  try {
    return rnn_run(X, W_xh, W_hh);
  } catch (const Error&) {
    // The only way a seeded demo fails is the overflow above: say it in the demo's own terms.
    throw Error(fn, "with gain " + num(gain_in) + " over " + std::to_string(T) + " steps the influence of the first inputs " +
                        "overflows float32; use a smaller gain or a shorter sequence");
  }
}

namespace {

// |v| without overflowing on the way: the plain norm while the squares are safe (n * 1e30 stays below
// float32's 3.4e38 for any allowed n, and the result is the one lessons always showed), else scaled by
// the largest entry first, so a vector near 1e20 has a length instead of Inf.
float safe_norm(const Vector& v) {
  const float m = v.cwiseAbs().maxCoeff();
  if (m < 1e15f) return v.norm();
  return m * (v / m).norm();
}

}  // namespace

VectorComparison compare_vectors(const Vector& a, const Vector& b) {
  const float d = dot(a, b);  // checks lengths, finiteness and overflow of the dot product
  VectorComparison c{d, safe_norm(a), safe_norm(b), 0.0f, 0.0f, 0.0f};
  for (const auto& [name, norm, v] : {std::tuple<const char*, float, const Vector*>{"a", c.norm_a, &a}, {"b", c.norm_b, &b}})
    if (!std::isfinite(norm))
      throw Error("compare_vectors", std::string("the length of ") + name + " overflows float32 (its largest |entry| is " +
                                         num(v->cwiseAbs().maxCoeff()) + "); use smaller numbers");
  if (c.norm_a > 0.0f && c.norm_b > 0.0f) {
    // Divide one length at a time: |a| |b| itself may overflow when a and b are nearly orthogonal.
    c.cosine = std::max(-1.0f, std::min(1.0f, d / c.norm_a / c.norm_b));
    c.angle_deg = std::acos(c.cosine) * 180.0f / 3.14159265358979f;
  }
  if (c.norm_a > 0.0f) c.projection = d / c.norm_a;
  return c;
}

Matrix softmax_jacobian(const Vector& v, float temperature) {
  const Vector s = softmax(v, temperature);  // checks the input and the temperature
  check_matrix_size("softmax_jacobian", "the Jacobian", s.size(), s.size());
  Matrix J = -(s.transpose() * s);
  J.diagonal() += s.transpose();
  J /= temperature;
  if (!J.allFinite())
    throw Error("softmax_jacobian", "the Jacobian overflows float32 because temperature " + num(temperature) +
                                        " is too small (1 / temperature must be finite)");
  return J;
}

}  // namespace attn
