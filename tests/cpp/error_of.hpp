// Shared by the C++ tests of hostile input: the message an attn::Error carries.
#pragma once

#include <string>

#include "errors.hpp"

/// The message of the attn::Error that `call` throws, or "(no error)" if it returns. Any other
/// exception type escapes and fails the test.
template <class F>
std::string error_of(F call) {
  try {
    call();
  } catch (const attn::Error& e) {
    return e.what();
  }
  return "(no error)";
}
