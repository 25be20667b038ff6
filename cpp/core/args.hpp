// Numeric arguments that arrive as JavaScript numbers (doubles) and must become C++ integers or
// float32 values. Checked here, in the core, so a binding never truncates or wraps them: 2^32 + 1 is
// not 1, 1e308 is not 0, 2.5 is not 2, and the message says what was received.
#pragma once

#include <cstdint>

namespace attn {

/// `v` as a whole number in [lo, hi]. Throws Error(fn, "<arg> must be a whole number from lo to hi
/// (got v)") for NaN, +-Inf, a fraction or a value out of range. lo and hi must lie within +-2^53.
long long whole_number(const char* fn, const char* arg, double v, long long lo, long long hi);

/// `v` as a float32 in (0, 3.4e38] that is not a subnormal (so 1 / v stays finite). Throws Error(fn, ...)
/// naming `arg` and the value received for NaN, +-Inf, zero, negatives and values float32 cannot hold.
float positive_float(const char* fn, const char* arg, double v);

}  // namespace attn
