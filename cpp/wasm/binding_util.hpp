// What every embind module shares (cpp/wasm/*.cpp): argument checks, matrix copies in and out, and
// `guarded`, which turns any C++ exception into a returned JS Error (never thrown across wasm).
// Matrices cross the boundary as { rows, cols, data: Float32Array } (row-major), copied in bulk.
// Every number arrives as a double and every flag as a JS value, checked by the core (args.hpp,
// limits.hpp) before use: embind's int and bool conversions would wrap 2^32 + 1 to 1 and turn
// "bogus" into true without a word.
#pragma once

#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <new>
#include <string>

#include "args.hpp"
#include "describe.hpp"
#include "errors.hpp"
#include "limits.hpp"
#include "matrix.hpp"

namespace attnjs {

using emscripten::val;
using attn::Matrix;

constexpr long long kMaxInt = 2147483647;

// A JS value for a message: strings quoted and cut, numbers as JS prints them, other things by type.
inline std::string describe_js(const val& v) {
  const std::string type = v.typeOf().as<std::string>();
  if (type == "string") return attn::quote(v.as<std::string>());
  if (type == "number") return attn::num(v.as<double>());
  if (type == "boolean") return v.isTrue() ? "true" : "false";
  if (v.isNull()) return "null";
  if (type == "object") return val::global("Array").call<bool>("isArray", v) ? "an array" : "an object";
  return "a value of type " + type;
}

// true or false, and nothing else.
inline bool flag(const char* fn, const char* arg, const val& v) {
  if (v.isTrue()) return true;
  if (v.isFalse()) return false;
  throw attn::Error(fn, std::string(arg) + " must be true or false (got " + describe_js(v) + ")");
}

// The length of a typed-array argument, as a whole number (its size is checked by the caller).
inline long long length_of(const char* fn, const char* arg, const val& data) {
  const val length = data["length"];
  if (!length.isNumber()) throw attn::Error(fn, std::string(arg) + " must be a typed array (it has no length)");
  return attn::whole_number(fn, (std::string(arg) + ".length").c_str(), length.as<double>(), 0, 9007199254740991LL);
}

// Float32Array (length rows*cols) -> Matrix, with one bulk TypedArray.set. Rows and columns are
// checked as whole numbers and their product against kMaxMatrixElements before anything is allocated.
inline Matrix from_js(const char* fn, const char* arg, const val& data, double rows_in, double cols_in) {
  const std::string name = arg;
  const long long rows = attn::whole_number(fn, (name + ".rows").c_str(), rows_in, 0, attn::kMaxMatrixElements);
  const long long cols = attn::whole_number(fn, (name + ".cols").c_str(), cols_in, 0, attn::kMaxMatrixElements);
  attn::check_matrix_size(fn, name, rows, cols);
  const long long length = length_of(fn, arg, data);
  if (length != rows * cols)
    throw attn::Error(fn, name + " is " + std::to_string(rows) + "x" + std::to_string(cols) + " but its data has " +
                              std::to_string(length) + " numbers");
  Matrix m(rows, cols);
  if (m.size() > 0) val(emscripten::typed_memory_view(m.size(), m.data())).call<void>("set", data);
  return m;
}

// A vector argument (Float32Array of any length up to kMaxMatrixElements) as a 1 x n matrix.
inline Matrix vector_from_js(const char* fn, const char* arg, const val& data) {
  return from_js(fn, arg, data, 1, static_cast<double>(length_of(fn, arg, data)));
}

// Matrix -> { rows, cols, data: new Float32Array } (a copy: callers never manage wasm memory).
inline val to_js(const Matrix& m) {
  val data = val::global("Float32Array").new_(static_cast<double>(m.size()));
  if (m.size() > 0) data.call<void>("set", val(emscripten::typed_memory_view(m.size(), m.data())));
  val out = val::object();
  out.set("rows", static_cast<double>(m.rows()));
  out.set("cols", static_cast<double>(m.cols()));
  out.set("data", data);
  return out;
}

template <class F>
inline val guarded(F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    // Should be unreachable (the core bounds every size); say so plainly if it ever is not.
    return val::global("Error").new_(std::string("out of memory: the request is too large for this device"));
  } catch (const std::exception& e) {
    return val::global("Error").new_(std::string(e.what()));
  }
}

// Bytes the allocator has handed out: lets tests prove that failing calls free everything.
inline double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace attnjs
