// A result's structure, written once: the trace (trace.cpp) and the course model's trace
// (model_json.cpp) build a Tree, and generic code turns it into what each side needs. The native CLI
// prints it as JSON text (tree_to_json, tree_json.cpp); the WASM modules hand it to JS as objects whose
// matrices are { rows, cols, data: Float32Array } (attn_wasm::to_js, cpp/wasm/bridge.hpp), never as
// JSON text. So the list of fields exists in one place only.
//
// Objects keep their keys sorted (byte order), the order nlohmann::json prints them in, so the JS
// objects list their keys in the same order as JSON.parse of the CLI's output does.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "matrix.hpp"

namespace attn {

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

  /// Appends to a List; returns *this.
  Tree& push(Tree v);
  /// Sets `key` in an Object (replacing an earlier value), keeping the keys sorted; returns *this.
  Tree& set(const std::string& key, Tree v);
};

}  // namespace attn
