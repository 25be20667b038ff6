// The one error type of the core: every step function throws attn::Error on bad input, with a
// message that names the function, the argument and the shapes involved, e.g.
// "scores: Q is 5x8 but K is 5x4 (Q and K need the same number of columns)".
#pragma once

#include <stdexcept>
#include <string>

namespace attn {

class Error : public std::invalid_argument {
 public:
  /// `where` is the function or scenario path ("scores", "weights.W_q"); `what` says what is wrong.
  Error(const std::string& where, const std::string& what) : std::invalid_argument(where + ": " + what) {}
};

}  // namespace attn
