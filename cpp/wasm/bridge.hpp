// What both embind modules of the site share (bindings.cpp: the core every page loads;
// model_bindings.cpp: the course model and grammar, loaded on demand by lessons 10-14): turning a C++
// exception into a returned JS Error, reading a typed array's length as a checked whole number,
// results as JS values (matrices and Trees, never JSON text), and the allocator's bytes in use for
// the leak tests.
#pragma once

#include <emscripten/emscripten.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "args.hpp"
#include "errors.hpp"
#include "matrix.hpp"
#include "tree.hpp"

// Builds the JS value of a flattened Tree (attn_wasm::detail::Flat, below). Texts are read as embind reads a std::string (UTF-8, a NUL byte
// kept as U+0000), numbers as doubles, matrices as { rows, cols, data } with data a copy (slice) of
// the floats: the very values the one-call-per-node version made.
EM_JS(emscripten::EM_VAL, attn_tree_value, (const uint32_t* ops, const double* numbers), {
  let at = ops >> 2;
  let next = numbers >> 3;
  const text = (p, n) => {
    let s;
    let start = p;
    for (let i = 0; i <= n; ++i) {
      if (i === n || HEAPU8[p + i] === 0) {
        const part = UTF8ToString(start, p + i - start);
        s = s === undefined ? part : s + String.fromCharCode(0) + part;
        start = p + i + 1;
      }
    }
    return s;
  };
  const read = () => {
    switch (HEAPU32[at++]) {
      case 1: return false;
      case 2: return true;
      case 3: return HEAPF64[next++];
      case 4: { const p = HEAPU32[at++]; return text(p, HEAPU32[at++]); }
      case 5: {
        const a = [];
        for (let n = HEAPU32[at++]; n > 0; --n) a.push(read());
        return a;
      }
      case 6: {
        const o = {};
        for (let n = HEAPU32[at++]; n > 0; --n) {
          const p = HEAPU32[at++];
          const k = text(p, HEAPU32[at++]);
          o[k] = read();
        }
        return o;
      }
      case 7: {
        const rows = HEAPU32[at++], cols = HEAPU32[at++], p = HEAPU32[at++] >> 2;
        return { rows: rows, cols: cols, data: HEAPF32.slice(p, p + rows * cols) };
      }
      default: return null;
    }
  };
  return Emval.toHandle(read());
});

// What tree_of_js (below) needs to know of a JS value, in one call into JS instead of four to
// eight embind calls (typeof, isWellFormed, Array.isArray, ArrayBuffer.isView, instanceof DataView):
// 0 null or bigint, 1 number, 2 string, 3 false, 4 true, 5 array or typed array (not a DataView),
// 6 other object, 7 undefined, function or symbol, 8 a string with a lone surrogate
// (isWellFormed: Chrome 111, Firefox 119, Safari 16.4; where it is missing, strings pass).
EM_JS(int, attn_js_kind, (emscripten::EM_VAL handle), {
  const v = Emval.toValue(handle);
  switch (typeof v) {
    case 'number': return 1;
    case 'string': return typeof v.isWellFormed === 'function' && !v.isWellFormed() ? 8 : 2;
    case 'boolean': return v ? 4 : 3;
    case 'object':
      if (v === null) return 0;
      return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)) ? 5 : 6;
    case 'undefined': case 'function': case 'symbol': return 7;
    default: return 0;
  }
});

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

namespace detail {

// A Tree flattened for tree_value (below), which builds the whole JS value in one call into JS: the
// trace of the course model used to cross between wasm and JS a few hundred times (an object, a
// set per key, a typed-array view and its slice per matrix, each through embind's JS trampolines),
// a sixth of its time. ops holds, depth first: 0 null, 1 false, 2 true, 3 the next of `numbers`,
// 4 text (pointer, bytes), 5 list (count, items), 6 object (count, then per field the key's pointer
// and bytes and the value), 7 matrix (rows, cols, pointer to the row-major floats). The pointers
// are into the Tree, which outlives the call.
struct Flat {
  std::vector<uint32_t> ops;
  std::vector<double> numbers;
};

inline uint32_t address(const void* p) { return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(p)); }

inline void flatten(const attn::Tree& t, Flat& f) {
  using K = attn::Tree::Kind;
  switch (t.kind) {
    case K::Null: f.ops.push_back(0); return;
    case K::Flag: f.ops.push_back(t.flag ? 2 : 1); return;
    case K::Integer: f.ops.push_back(3), f.numbers.push_back(static_cast<double>(t.integer)); return;
    case K::Number: f.ops.push_back(3), f.numbers.push_back(t.number); return;
    case K::Text: f.ops.insert(f.ops.end(), {4, address(t.text.data()), static_cast<uint32_t>(t.text.size())}); return;
    case K::Matrix:
      f.ops.insert(f.ops.end(), {7, static_cast<uint32_t>(t.matrix.rows()), static_cast<uint32_t>(t.matrix.cols()), address(t.matrix.data())});
      return;
    case K::List:
      f.ops.insert(f.ops.end(), {5, static_cast<uint32_t>(t.items.size())});
      for (const attn::Tree& item : t.items) flatten(item, f);
      return;
    case K::Object:
      f.ops.insert(f.ops.end(), {6, static_cast<uint32_t>(t.fields.size())});
      for (const auto& [k, v] : t.fields) {
        f.ops.insert(f.ops.end(), {address(k.data()), static_cast<uint32_t>(k.size())});
        flatten(v, f);
      }
      return;
  }
  f.ops.push_back(0);
}

}  // namespace detail

/// A Tree (tree.hpp) as JS values: null, booleans, numbers, strings, arrays, objects (keys in the
/// Tree's sorted order) and matrices as to_js(Matrix) gives them. engine.js turns the matrices into
/// the arrays of rows the CLI's JSON has, where callers want that form. Built in one call into JS.
inline val to_js(const attn::Tree& t) {
  detail::Flat f;
  f.ops.reserve(256);
  detail::flatten(t, f);
  return val::take_ownership(attn_tree_value(f.ops.data(), f.numbers.data()));
}

/// A JS value as an input Tree (tree.hpp), read the way JSON.stringify would have written it, so the
/// core gives the same messages as for the CLI's JSON text: NaN and +-Infinity become null; undefined,
/// functions and symbols are left out of objects and become null in arrays; whole numbers are Integer
/// up to 2^53 and beyond that the digits JSON.stringify writes (nlohmann reads them as whole numbers
/// up to 2^64); object keys come sorted. Unlike JSON.stringify, a typed array (Float32Array, ...)
/// reads as an array of its numbers, and a cyclic or absurdly deep value never throws or recurses
/// without end: containers deeper than attn::kInputDepth keep only their size.
/// `root` names the value in messages ("scenario", "input").
inline attn::Tree tree_of_js(const val& v, const char* root, int depth = 0);

namespace detail {

// tree_of_js's value of kind `kind` (attn_js_kind).
inline attn::Tree tree_of_kind(const val& v, int kind, const char* root, int depth) {
  using attn::Tree;
  switch (kind) {
    case 1: {
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
    // UTF-8 conversion would pair a lone surrogate with the next character; JSON.stringify wrote it as
    // \ud800, which the CLI's parser refuses.
    case 8: throw attn::Error(root, "invalid JSON: a string holds a lone surrogate (U+D800 to U+DFFF), which is not Unicode text");
    case 2: return Tree::of_text(v.as<std::string>());
    case 3: return Tree::of_flag(false);
    case 4: return Tree::of_flag(true);
    case 5: {
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
    case 6: {
      Tree t = Tree::object();
      const val keys = val::global("Object").call<val>("keys", v);
      const size_t n = keys["length"].as<size_t>();
      for (size_t i = 0; i < n; ++i) {
        const val key = keys[i];
        const val x = v[key];
        const int xk = attn_js_kind(x.as_handle());
        if (xk == 7) continue;  // undefined, functions and symbols: left out, as JSON.stringify does
        if (depth >= attn::kInputDepth) {
          ++t.cut_size;
          continue;
        }
        t.set(key.as<std::string>(), tree_of_kind(x, xk, root, depth + 1));
      }
      if (depth >= attn::kInputDepth) t.cut = true;
      return t;
    }
    default: return Tree();  // null, bigint; undefined, functions and symbols in arrays
  }
}

}  // namespace detail

inline attn::Tree tree_of_js(const val& v, const char* root, int depth) {
  return detail::tree_of_kind(v, attn_js_kind(v.as_handle()), root, depth);
}

/// Bytes the allocator has handed out: lets tests prove that failing calls free everything.
inline double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace attn_wasm
