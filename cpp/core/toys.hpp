// Step functions for the early lessons: a vanilla RNN and its forgetting (lesson 1), two-vector
// geometry (lesson 3), the softmax Jacobian (lesson 4) and why scores are divided by sqrt(d_k)
// (lesson 7).
#pragma once

#include <cstdint>

#include "matrix.hpp"

namespace attn {

// ---------------------------------------------------------------- lesson 1: a vanilla tanh RNN

struct RnnTrace {
  Matrix H;          // (T x d_h) hidden state after each step, row t = h_t
  Vector influence;  // (T) ||dh_T / dx_t||_F: how much input t can still move the final state
};

/// h_t = tanh(h_{t-1} W_hh + x_t W_xh), h_0 = 0, for X (T x d_in), W_xh (d_in x d_h), W_hh (d_h x d_h).
/// influence[t] is the Frobenius norm of the Jacobian of the last state with respect to input t:
/// dh_T/dx_t = W_xh D_t W_hh D_{t+1} ... W_hh D_T with D_k = diag(1 - h_k^2) (row-vector form).
RnnTrace rnn_run(const Matrix& X, const Matrix& W_xh, const Matrix& W_hh);

constexpr int kRnnMaxLength = 512;  // longest rnn_demo sequence
constexpr int kRnnMaxHidden = 64;   // widest rnn_demo hidden state

/// A seeded demo: T inputs of width d_h drawn as tenths, W_xh = 0.5 * I-ish seeded matrix scaled by
/// 1/sqrt(d_h), W_hh = gain * seeded Gaussian-like matrix / sqrt(d_h) (spectral radius near gain).
/// 1 <= T <= kRnnMaxLength, 1 <= d_h <= kRnnMaxHidden, 0 < gain <= 4 (checked as a double, so 1e39
/// is reported as 1e39, then used as a float32).
RnnTrace rnn_demo(int T, int d_h, double gain, uint64_t seed);

// ---------------------------------------------------------------- lesson 3: two arrows

struct VectorComparison {
  float dot;          // a . b
  float norm_a;       // |a|
  float norm_b;       // |b|
  float cosine;       // a . b / (|a| |b|); 0 when either has length 0
  float angle_deg;    // angle between a and b in degrees (0..180); 0 when either has length 0
  float projection;   // signed length of b's shadow on a: a . b / |a| (0 when |a| = 0)
};

/// Compares two equal-length finite vectors: dot = |a| |b| cos(angle).
VectorComparison compare_vectors(const Vector& a, const Vector& b);

// ---------------------------------------------------------------- lesson 4: saturation

/// Jacobian of s = softmax(v / T): J[i][j] = ds_i/dv_j = s_i (delta_ij - s_j) / T  (n x n).
Matrix softmax_jacobian(const Vector& v, float temperature = 1.0f);

// ---------------------------------------------------------------- lesson 7: why divide by sqrt(d_k)

constexpr int kScalingMaxDk = 512;     // widest query/key in scaling_demo
constexpr int kScalingMaxKeys = 16;    // most keys in the demo row
constexpr int kScalingSamples = 2000;  // random (q, k) pairs behind the measured spread

struct ScalingDemo {
  Vector q;                // (d_k) one random query, entries of mean 0 and variance 1
  Matrix K;                // (n_keys x d_k) random keys from the same distribution
  Vector raw;              // (n_keys) q . k_j
  Vector scaled;           // (n_keys) q . k_j / sqrt(d_k)
  Vector weights_raw;      // softmax(raw): the row without the scaling
  Vector weights_scaled;   // softmax(scaled): the row with it
  float spread_raw;        // standard deviation of q . k over kScalingSamples fresh random pairs
  float spread_scaled;     // the same pairs' standard deviation of q . k / sqrt(d_k)
};

/// A seeded experiment for "why divide by sqrt(d_k)": draws standard normal q and keys (Box-Muller
/// on the splitmix64 stream, so native and WASM agree), scores one row with and without the
/// scaling and softmaxes both, and measures the spread of q . k over kScalingSamples independent
/// pairs (it grows like sqrt(d_k); scaled, it stays near 1).
/// 1 <= d_k <= kScalingMaxDk, 1 <= n_keys <= kScalingMaxKeys.
ScalingDemo scaling_demo(int d_k, int n_keys, uint64_t seed);

}  // namespace attn
