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

/// A number as it appears in error messages: the shortest text that reads back as the same value
/// ("9", "0.25", "4294967297", "1e+308"), and "NaN", "Infinity", "-Infinity" as JavaScript spells them.
std::string num(double v);
/// The same for a float32 value: the shortest text that reads back as the same float ("0.1", not 0.100000001).
std::string num(float v);

/// Throws Error(fn, ...) naming `arg` when `m` is empty or holds NaN or +-Inf.
void check_finite(const char* fn, const char* arg, const Matrix& m);

/// Like check_finite but allows -Inf (masked scores); NaN and +Inf still throw.
void check_finite_or_masked(const char* fn, const char* arg, const Matrix& m);

}  // namespace attn
