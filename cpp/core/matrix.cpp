#include "matrix.hpp"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace attn {

std::string shape(const Matrix& m) { return std::to_string(m.rows()) + "x" + std::to_string(m.cols()); }

namespace {

// Shortest %g text (6 to `digits` significant digits) that `reads_back` accepts.
template <class F>
std::string shortest(double v, int digits, F reads_back) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[40];
  for (int p = 6; p <= digits; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, v);
    if (reads_back(buf)) break;
  }
  return buf;
}

}  // namespace

std::string num(double v) {
  return shortest(v, 17, [v](const char* s) { return std::strtod(s, nullptr) == v; });
}

std::string num(float v) {
  return shortest(static_cast<double>(v), 9, [v](const char* s) { return std::strtof(s, nullptr) == v; });
}

namespace {

// Shared scan: reports the first non-finite entry with its position so the learner can find it.
void scan(const char* fn, const char* arg, const Matrix& m, bool allow_neg_inf) {
  if (m.size() == 0) throw Error(fn, std::string(arg) + " is empty (" + shape(m) + ")");
  // Fast path: one branch-free pass the compiler vectorizes (a comparison with NaN is false). The
  // weights of one multi-head call are a million numbers, and this scan was a large part of it in wasm.
  const float* d = m.data();
  bool bad = false;
  if (allow_neg_inf)
    for (Eigen::Index i = 0; i < m.size(); ++i) bad |= !(d[i] <= FLT_MAX);
  else
    for (Eigen::Index i = 0; i < m.size(); ++i) bad |= !(std::fabs(d[i]) <= FLT_MAX);
  if (!bad) return;
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      const float v = m(i, j);
      if (std::isfinite(v) || (allow_neg_inf && v == -INFINITY)) continue;
      const char* kind = std::isnan(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf");
      throw Error(fn, std::string(arg) + " (" + shape(m) + ") contains " + kind + " at [" + std::to_string(i) + "][" +
                          std::to_string(j) + "]");
    }
}

}  // namespace

void check_finite(const char* fn, const char* arg, const Matrix& m) { scan(fn, arg, m, false); }

void check_finite_or_masked(const char* fn, const char* arg, const Matrix& m) { scan(fn, arg, m, true); }

}  // namespace attn
