// Matrix types and argument checks shared by every step function.
//
// Conventions: row vectors, row-major float32 matrices. A sequence of n tokens with d features
// is an n x d matrix whose row i is token i.
#pragma once

#include <Eigen/Core>
#include <string>

#include "errors.hpp"

namespace attn {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::Matrix<float, 1, Eigen::Dynamic, Eigen::RowMajor>;  // a row vector

/// "5x8": the shape of a matrix as it appears in error messages.
std::string shape(const Matrix& m);

/// A number as it appears in error messages: "9", "0.25", "1e+39".
std::string num(double v);

/// Throws Error(fn, ...) naming `arg` when `m` is empty or holds NaN or +-Inf.
void check_finite(const char* fn, const char* arg, const Matrix& m);

/// Like check_finite but allows -Inf (masked scores); NaN and +Inf still throw.
void check_finite_or_masked(const char* fn, const char* arg, const Matrix& m);

}  // namespace attn
