#include "toys.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <cstdint>
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

namespace {

/// A standard normal draw (Box-Muller) from two uniform draws of the seeded stream.
float normal(Rng& rng) {
  constexpr double kTwoPi = 6.283185307179586;
  const double u1 = (static_cast<double>(rng.next() >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]: log is finite
  const double u2 = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
  return static_cast<float>(std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2));
}

/// Standard normal draws by Marsaglia and Tsang's ziggurat (128 layers) from the seeded stream: about
/// 99% of draws cost one 64-bit draw, a table look-up and a compare, with no log, sqrt or cos.
class Ziggurat {
 public:
  explicit Ziggurat(Rng& rng) : rng_(rng) {}
  double next() {
    const Tables& t = tables();
    for (;;) {
      const uint64_t bits = rng_.next();
      const int layer = static_cast<int>(bits & 127);
      const auto h = static_cast<int32_t>(bits >> 32);  // signed: the sign of the draw
      const double x = h * t.w[layer];
      if (static_cast<uint32_t>(h < 0 ? -static_cast<int64_t>(h) : h) < t.k[layer]) return x;
      if (layer == 0) {  // the tail beyond r
        double a, b;
        do {
          a = -std::log(uniform()) / kR;
          b = -std::log(uniform());
        } while (b + b < a * a);
        return h > 0 ? kR + a : -kR - a;
      }
      if (t.f[layer] + uniform() * (t.f[layer - 1] - t.f[layer]) < std::exp(-0.5 * x * x)) return x;
    }
  }

 private:
  static constexpr double kR = 3.442619855899;          // where the tail starts
  static constexpr double kArea = 9.91256303526217e-3;  // area of each layer
  struct Tables {
    uint32_t k[128];
    double w[128], f[128];
  };
  static const Tables& tables() {
    static const Tables t = [] {
      Tables t{};
      const double m = 2147483648.0;
      double d = kR, prev = kR;
      const double q = kArea / std::exp(-0.5 * d * d);
      t.k[0] = static_cast<uint32_t>(d / q * m);
      t.k[1] = 0;
      t.w[0] = q / m;
      t.w[127] = d / m;
      t.f[0] = 1.0;
      t.f[127] = std::exp(-0.5 * d * d);
      for (int i = 126; i >= 1; --i) {
        d = std::sqrt(-2.0 * std::log(kArea / d + std::exp(-0.5 * d * d)));
        t.k[i + 1] = static_cast<uint32_t>(d / prev * m);
        prev = d;
        t.f[i] = std::exp(-0.5 * d * d);
        t.w[i] = d / m;
      }
      return t;
    }();
    return t;
  }
  double uniform() { return (static_cast<double>(rng_.next() >> 11) + 1.0) * 0x1.0p-53; }  // (0, 1]
  Rng& rng_;
};

Vector normal_vector(Rng& rng, int n) {
  Vector v(n);
  for (int i = 0; i < n; ++i) v(i) = normal(rng);
  return v;
}

}  // namespace

ScalingDemo scaling_demo(int d_k, int n_keys, uint64_t seed) {
  const char* fn = "scaling_demo";
  if (d_k < 1 || d_k > kScalingMaxDk)
    throw Error(fn, "d_k must be between 1 and " + std::to_string(kScalingMaxDk) + " (got " + std::to_string(d_k) + ")");
  if (n_keys < 1 || n_keys > kScalingMaxKeys)
    throw Error(fn, "n_keys must be between 1 and " + std::to_string(kScalingMaxKeys) + " (got " + std::to_string(n_keys) + ")");
  // Start from a mixed value of the seed: splitmix64 states of consecutive seeds would otherwise
  // be the same stream shifted by one draw, so "a new draw" would repeat the old numbers.
  Rng rng(Rng(seed ^ 0x5CA1E5CA1E5CA1EULL).next());
  ScalingDemo d;
  d.q = normal_vector(rng, d_k);
  d.K = Matrix(n_keys, d_k);
  for (int j = 0; j < n_keys; ++j) d.K.row(j) = normal_vector(rng, d_k);
  const Matrix row = scores(d.q, d.K);  // 1 x n_keys
  d.raw = row.row(0);
  d.scaled = scale(row, d_k).row(0);
  d.weights_raw = softmax(d.raw);
  d.weights_scaled = softmax(d.scaled);
  // The spread is measured, not assumed: fresh pairs, their dot products, their standard deviation.
  // 2 * d_k * kScalingSamples normal draws (2 million at d_k = 512), by the ziggurat and with no
  // vector allocated per pair, so the cost is the draws themselves (Box-Muller's log, sqrt and cos
  // per draw made this about 3x slower natively, more in WASM).
  double sum = 0, sum_sq = 0;
  Ziggurat normal_draw(rng);
  for (int s = 0; s < kScalingSamples; ++s) {
    double p = 0;
    for (int i = 0; i < d_k; ++i) {
      const double a = normal_draw.next();
      p += a * normal_draw.next();
    }
    sum += p;
    sum_sq += p * p;
  }
  const double mean = sum / kScalingSamples;
  const double var = std::max(0.0, sum_sq / kScalingSamples - mean * mean);
  d.spread_raw = static_cast<float>(std::sqrt(var));
  d.spread_scaled = static_cast<float>(std::sqrt(var / d_k));
  return d;
}

}  // namespace attn

