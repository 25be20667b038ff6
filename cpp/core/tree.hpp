// A result's structure, written once: the trace (trace.cpp) and the course model's trace
// (model_json.cpp) build a Tree, and generic code turns it into what each side needs. The native CLI
// prints it as JSON text (to_json, tree_json.cpp); the WASM modules hand it to JS as objects whose
// matrices are { rows, cols, data: Float32Array } (attn_wasm::to_js, cpp/wasm/bridge.hpp), never as
// JSON text. So the list of fields exists in one place only.
//
// Objects keep their keys sorted (byte order), the order nlohmann::json prints them in, so the JS
// objects list their keys in the same order as JSON.parse of the CLI's output does.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "matrix.hpp"

namespace attn {

/// How deep an input tree is read in full (see Tree::cut): a scenario's deepest checked value is a
/// weight's cell, weights.W_q[i][k], at depth 4.
constexpr int kInputDepth = 6;

struct Tree {
  enum class Kind { Null, Flag, Integer, Number, Text, List, Object, Matrix };

  Kind kind = Kind::Null;
  bool flag = false;
  long long integer = 0;
  double number = 0;  // a float stored here is printed as the double it converts to
  std::string text;
  std::vector<Tree> items;                          // List
  std::vector<std::pair<std::string, Tree>> fields;  // Object, sorted by key
  attn::Matrix matrix;                              // Matrix: JSON rows with -Inf as null; JS Float32Array
  // Input trees (a scenario read from JSON text or from a JS value): a List or Object nested deeper
  // than kInputDepth keeps only its size (`cut`), since no check looks that deep; so a cyclic or
  // absurdly deep value is read in bounded time and stack. A Number whose `text` is set is a whole
  // number past 2^63 - 1 that JSON wrote as digits (nlohmann reads it as unsigned): messages print `text`.
  bool cut = false;
  size_t cut_size = 0;

  static Tree of_flag(bool v);
  static Tree of_integer(long long v);
  static Tree of_number(double v);
  static Tree of_text(std::string v);
  static Tree of_matrix(attn::Matrix m);
  static Tree list();
  static Tree object();
  static Tree texts(const std::vector<std::string>& v);
  static Tree integers(const std::vector<int>& v);
  static Tree flags(const std::vector<bool>& v);

  /// Items of a List or keys of an Object (also when cut); 0 for anything else.
  size_t size() const { return cut ? cut_size : kind == Kind::List ? items.size() : kind == Kind::Object ? fields.size() : 0; }
  /// The value at `key` in an Object, or nullptr.
  const Tree* find(const std::string& key) const;
  bool is_number() const { return kind == Kind::Integer || kind == Kind::Number; }
  /// A whole number as JSON text wrote it (nlohmann's is_number_integer).
  bool is_integer() const { return kind == Kind::Integer || (kind == Kind::Number && !text.empty()); }
  bool is_text(const char* s) const { return kind == Kind::Text && text == s; }
  /// A number as a double (nlohmann's get<double>).
  double as_double() const { return kind == Kind::Integer ? static_cast<double>(integer) : number; }

  /// Appends to a List; returns *this.
  Tree& push(Tree v) &;
  /// Sets `key` in an Object (replacing an earlier value), keeping the keys sorted; returns *this.
  Tree& set(const std::string& key, Tree v) &;
  // On a temporary (Tree::object().set(..).set(..)) the same, returning the temporary itself, so
  // `Tree t = Tree::object().set(...)` and `push(Tree::object().set(...))` move it: returning
  // Tree& there copied the finished tree, every matrix in it included, once per chain.
  Tree&& push(Tree v) && { return std::move(push(std::move(v))); }
  Tree&& set(const std::string& key, Tree v) && { return std::move(set(key, std::move(v))); }
};

}  // namespace attn
