// What both embind modules of the site share (bindings.cpp: the core every page loads;
// model_bindings.cpp: the course model and grammar, loaded on demand by lessons 10-14): turning a C++
// exception into a returned JS Error, reading a typed array's length as a checked whole number,
// results as JS values (matrices and Trees, never JSON text), and the allocator's bytes in use for
// the leak tests.
#pragma once

#include <emscripten/val.h>
#include <malloc.h>

#include <cmath>
#include <cstdlib>
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

/// A JS value as an input Tree (tree.hpp), read the way JSON.stringify would have written it, so the
/// core gives the same messages as for the CLI's JSON text: NaN and +-Infinity become null; undefined,
/// functions and symbols are left out of objects and become null in arrays; whole numbers are Integer
/// up to 2^53 and beyond that the digits JSON.stringify writes (nlohmann reads them as whole numbers
/// up to 2^64); object keys come sorted. Unlike JSON.stringify, a typed array (Float32Array, ...)
/// reads as an array of its numbers, and a cyclic or absurdly deep value never throws or recurses
/// without end: containers deeper than attn::kInputDepth keep only their size.
/// `root` names the value in messages ("scenario", "input").
inline attn::Tree tree_of_js(const val& v, const char* root, int depth = 0) {
  using attn::Tree;
  const std::string type = v.typeOf().as<std::string>();
  if (type == "number") {
    const double d = v.as<double>();
    if (!std::isfinite(d)) return Tree();
    if (std::floor(d) != d || std::fabs(d) >= 1e21) return Tree::of_number(d);
    if (std::fabs(d) <= 9007199254740991.0) return Tree::of_integer(static_cast<long long>(d));
    // JSON.stringify writes 2^60 as 1152921504606847000: that whole number is what nlohmann read.
    const std::string digits = v.call<std::string>("toString");
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) return Tree::of_integer(std::strtoll(digits.c_str(), nullptr, 10));
    Tree t = Tree::of_number(d);
    if (d > 0 && d < 18446744073709551616.0) t.text = digits;
    return t;
  }
  if (type == "string") {
    // UTF-8 conversion would pair a lone surrogate with the next character; JSON.stringify wrote it as
    // \ud800, which the CLI's parser refuses. (isWellFormed: Chrome 111, Firefox 119, Safari 16.4.)
    if (v["isWellFormed"].typeOf().as<std::string>() == "function" && !v.call<bool>("isWellFormed"))
      throw attn::Error(root, "invalid JSON: a string holds a lone surrogate (U+D800 to U+DFFF), which is not Unicode text");
    return Tree::of_text(v.as<std::string>());
  }
  if (type == "boolean") return Tree::of_flag(v.isTrue());
  if (type != "object" || v.isNull()) return Tree();  // null, undefined, function, symbol, bigint
  const val array_buffer = val::global("ArrayBuffer");
  if (val::global("Array").call<bool>("isArray", v) ||
      (array_buffer.call<bool>("isView", v) && !v.instanceof(val::global("DataView")))) {
    Tree t = Tree::list();
    const size_t n = v["length"].as<size_t>();
    if (depth >= attn::kInputDepth) {
      t.cut = true, t.cut_size = n;
      return t;
    }
    t.items.reserve(n);
    for (size_t i = 0; i < n; ++i) t.items.push_back(tree_of_js(v[i], root, depth + 1));
    return t;
  }
  Tree t = Tree::object();
  const val keys = val::global("Object").call<val>("keys", v);
  const size_t n = keys["length"].as<size_t>();
  for (size_t i = 0; i < n; ++i) {
    const val key = keys[i];
    const val x = v[key];
    const std::string xt = x.typeOf().as<std::string>();
    if (xt == "undefined" || xt == "function" || xt == "symbol") continue;
    if (depth >= attn::kInputDepth) {
      ++t.cut_size;
      continue;
    }
    t.set(key.as<std::string>(), tree_of_js(x, root, depth + 1));
  }
  if (depth >= attn::kInputDepth) t.cut = true;
  return t;
}

/// Bytes the allocator has handed out: lets tests prove that failing calls free everything.
inline double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace attn_wasm
