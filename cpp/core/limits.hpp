// Resource bounds of the core. A request larger than these is a clear attn::Error naming the sizes,
// never an out-of-memory abort (std::bad_alloc natively, a trap in WASM), and the native CLI and the
// WASM engine enforce the same numbers because both call these checks. docs/engine.md lists them.
#pragma once

#include <string>

#include "matrix.hpp"

namespace attn {

/// Most numbers one matrix may hold, input or result: 2^22 = 4,194,304 float32 values (16 MiB),
/// e.g. 2048 x 2048 scores. Anything a lesson or an embed draws is thousands of times smaller.
constexpr long long kMaxMatrixElements = 1LL << 22;

/// Most numbers one multi-head forward pass or one trace may keep (every intermediate of every head
/// plus, for a trace, its inputs and weights): 2^23 = 8,388,608, about 80 MB as trace JSON.
constexpr long long kMaxTraceNumbers = 1LL << 23;

/// Throws Error(fn, "<what> is RxC = N numbers; at most 4194304 fit in one matrix") when a `rows` x
/// `cols` matrix called `what` ("X", "the result of Q·K^T") would hold more than kMaxMatrixElements
/// numbers. Sizes are counted in doubles, so nothing wraps.
void check_matrix_size(const char* fn, const std::string& what, long long rows, long long cols);

/// Throws Error(fn, ...) when `what` needs more than kMaxTraceNumbers numbers; `why` lists the sizes
/// that produce the count ("n = 512, d_model = 1024, heads = 8").
void check_trace_size(const char* fn, const std::string& what, double numbers, const std::string& why);

/// Throws Error(fn, ...) when `product`, computed from `a` (named a_name) and `b`, holds +-Inf or NaN:
/// float32 overflowed inside the step, so the message blames the inputs and gives their largest
/// magnitudes ("X·W_q overflows float32 at [0][2]: the largest |X| is 3e+38 and the largest |W_q| is 2").
void check_product(const char* fn, const std::string& product_name, const Matrix& product, const char* a_name,
                   const Matrix& a, const char* b_name, const Matrix& b);

}  // namespace attn
