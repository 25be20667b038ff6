#include "args.hpp"

#include <cfloat>
#include <cmath>
#include <string>

#include "matrix.hpp"

namespace attn {

long long whole_number(const char* fn, const char* arg, double v, long long lo, long long hi) {
  if (!std::isfinite(v) || std::floor(v) != v || v < static_cast<double>(lo) || v > static_cast<double>(hi))
    throw Error(fn, std::string(arg) + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                        " (got " + num(v) + ")");
  return static_cast<long long>(v);
}

float positive_float(const char* fn, const char* arg, double v) {
  if (!std::isfinite(v) || v < static_cast<double>(FLT_MIN) || v > static_cast<double>(FLT_MAX))
    throw Error(fn, std::string(arg) + " must be a finite number > 0 that float32 can hold (1.2e-38 to 3.4e+38), got " + num(v));
  return static_cast<float>(v);
}

}  // namespace attn
