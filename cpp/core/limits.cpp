#include "limits.hpp"

#include <cmath>
#include <cstdio>

namespace attn {

namespace {

// A count of numbers in full ("4198400", never "4.1984e+06"): counts here are whole and below 1e21.
std::string count(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

// The largest |entry| of m, for messages.
float largest(const Matrix& m) { return m.size() ? m.cwiseAbs().maxCoeff() : 0.0f; }

}  // namespace

void check_matrix_size(const char* fn, const std::string& what, long long rows, long long cols) {
  const double n = static_cast<double>(rows) * static_cast<double>(cols);
  if (n > static_cast<double>(kMaxMatrixElements))
    throw Error(fn, what + " is " + std::to_string(rows) + "x" + std::to_string(cols) + " = " + count(n) +
                        " numbers; at most " + count(static_cast<double>(kMaxMatrixElements)) + " fit in one matrix");
}

void check_trace_size(const char* fn, const std::string& what, double numbers, const std::string& why) {
  if (numbers > static_cast<double>(kMaxTraceNumbers))
    throw Error(fn, what + " would hold " + count(numbers) + " numbers (" + why + "); at most " +
                        count(static_cast<double>(kMaxTraceNumbers)) +
                        " are allowed: use fewer tokens, a smaller d_model or fewer heads");
}

void check_product(const char* fn, const std::string& product_name, const Matrix& product, const char* a_name,
                   const Matrix& a, const char* b_name, const Matrix& b) {
  // Fast path: one branch-free pass over the raw numbers (a comparison with NaN is false). This file
  // is compiled -Oz in wasm, where indexing through Eigen stays a call per entry: the course model's
  // 18 products per sentence spent about a tenth of its trace here.
  const float* d = product.data();
  bool bad = false;
  for (Eigen::Index i = 0, n = product.size(); i < n; ++i) bad |= !(std::fabs(d[i]) <= 3.40282347e+38f);
  if (!bad) return;
  for (Eigen::Index i = 0; i < product.rows(); ++i)
    for (Eigen::Index j = 0; j < product.cols(); ++j)
      if (!std::isfinite(product(i, j)))
        throw Error(fn, product_name + " overflows float32 at [" + std::to_string(i) + "][" + std::to_string(j) +
                            "]: the largest |" + a_name + "| is " + num(largest(a)) + " and the largest |" + b_name +
                            "| is " + num(largest(b)) + " (use smaller numbers)");
}

}  // namespace attn
