// What both embind modules of the site share (bindings.cpp: the core every page loads;
// model_bindings.cpp: the course model and grammar, loaded on demand by lessons 10-14): turning a C++
// exception into a returned JS Error, reading a typed array's length as a checked whole number,
// results as JS values (matrices and Trees, never JSON text), and the allocator's bytes in use for
// the leak tests.
#pragma once

#include <emscripten/val.h>
#include <malloc.h>

#include <new>
#include <stdexcept>
#include <string>

#include "args.hpp"
#include "errors.hpp"
#include "matrix.hpp"
#include "tree.hpp"

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

/// Matrix -> { rows, cols, data: new Float32Array } (row-major; a copy: callers never manage wasm
/// memory). One slice() of a view on the wasm heap: the copy is a single bulk call.
inline val to_js(const attn::Matrix& m) {
  val out = val::object();
  out.set("rows", static_cast<double>(m.rows()));
  out.set("cols", static_cast<double>(m.cols()));
  out.set("data", val(emscripten::typed_memory_view(static_cast<size_t>(m.size()), m.data())).call<val>("slice"));
  return out;
}

/// A Tree (tree.hpp) as JS values: null, booleans, numbers, strings, arrays, objects (keys in the
/// Tree's sorted order) and matrices as to_js(Matrix) gives them. engine.js turns the matrices into
/// the arrays of rows the CLI's JSON has, where callers want that form.
inline val to_js(const attn::Tree& t) {
  using K = attn::Tree::Kind;
  switch (t.kind) {
    case K::Null: return val::null();
    case K::Flag: return val(t.flag);
    case K::Integer: return val(static_cast<double>(t.integer));
    case K::Number: return val(t.number);
    case K::Text: return val(t.text);
    case K::Matrix: return to_js(t.matrix);
    case K::List: {
      val a = val::array();
      for (size_t i = 0; i < t.items.size(); ++i) a.set(i, to_js(t.items[i]));
      return a;
    }
    case K::Object: {
      val o = val::object();
      for (const auto& [k, v] : t.fields) o.set(k, to_js(v));
      return o;
    }
  }
  return val::null();
}

/// Bytes the allocator has handed out: lets tests prove that failing calls free everything.
inline double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace attn_wasm
