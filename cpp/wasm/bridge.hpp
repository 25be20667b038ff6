// What both embind modules of the site share (bindings.cpp: the core every page loads;
// model_bindings.cpp: the course model and grammar, loaded on demand by lessons 10-14): turning a C++
// exception into a returned JS Error, reading a typed array's length as a checked whole number, and
// the allocator's bytes in use for the leak tests.
#pragma once

#include <emscripten/val.h>
#include <malloc.h>

#include <new>
#include <stdexcept>
#include <string>

#include "args.hpp"
#include "errors.hpp"

namespace attn_wasm {

using emscripten::val;

/// f()'s value, or a JS Error carrying the message of whatever it threw (nothing crosses into JS).
/// `out_of_memory` is the message for std::bad_alloc: for the core's step functions it should be
/// unreachable (the core bounds every size); the live trainer names the model instead.
template <class F>
val guarded(F&& f, const char* out_of_memory = "out of memory: the request is too large for this device") {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return val::global("Error").new_(std::string(out_of_memory));
  } catch (const std::exception& e) {
    return val::global("Error").new_(std::string(e.what()));
  }
}

/// The length of a typed-array argument, as a whole number (its size is checked by the caller).
inline long long length_of(const char* fn, const char* arg, const val& data) {
  const val length = data["length"];
  if (!length.isNumber()) throw attn::Error(fn, std::string(arg) + " must be a typed array (it has no length)");
  return attn::whole_number(fn, (std::string(arg) + ".length").c_str(), length.as<double>(), 0, 9007199254740991LL);
}

/// Bytes the allocator has handed out: lets tests prove that failing calls free everything.
inline double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace attn_wasm
