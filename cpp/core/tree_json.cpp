#include "tree_json.hpp"

#include <climits>
#include <cmath>

#include "errors.hpp"
#include "trace.hpp"

namespace attn {

using nlohmann::json;

Tree tree_of_json(const json& j, int depth) {
  switch (j.type()) {
    case json::value_t::boolean: return Tree::of_flag(j.get<bool>());
    case json::value_t::number_integer: return Tree::of_integer(j.get<long long>());
    case json::value_t::number_unsigned: {
      const auto u = j.get<unsigned long long>();
      if (u <= static_cast<unsigned long long>(LLONG_MAX)) return Tree::of_integer(static_cast<long long>(u));
      Tree t = Tree::of_number(static_cast<double>(u));
      t.text = std::to_string(u);
      return t;
    }
    case json::value_t::number_float: return Tree::of_number(j.get<double>());
    case json::value_t::string: return Tree::of_text(j.get<std::string>());
    case json::value_t::array: {
      Tree t = Tree::list();
      if (depth >= kInputDepth) {
        t.cut = true, t.cut_size = j.size();
        return t;
      }
      t.items.reserve(j.size());
      for (const json& v : j) t.items.push_back(tree_of_json(v, depth + 1));
      return t;
    }
    case json::value_t::object: {
      Tree t = Tree::object();
      if (depth >= kInputDepth) {
        t.cut = true, t.cut_size = j.size();
        return t;
      }
      // nlohmann keeps keys sorted in byte order, the Tree's order: append.
      for (const auto& [k, v] : j.items()) t.fields.emplace_back(k, tree_of_json(v, depth + 1));
      return t;
    }
    default: return Tree();
  }
}

json matrix_to_json(const Matrix& m) {
  json rows = json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    json row = json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j) == -INFINITY ? json(nullptr) : json(tidy(m(i, j))));
    rows.push_back(std::move(row));
  }
  return rows;
}

json to_json(const Tree& t) {
  switch (t.kind) {
    case Tree::Kind::Null: return nullptr;
    case Tree::Kind::Flag: return t.flag;
    case Tree::Kind::Integer: return t.integer;
    case Tree::Kind::Number: return t.number;
    case Tree::Kind::Text: return t.text;
    case Tree::Kind::Matrix: return matrix_to_json(t.matrix);
    case Tree::Kind::List: {
      json a = json::array();
      for (const Tree& v : t.items) a.push_back(to_json(v));
      return a;
    }
    case Tree::Kind::Object: {
      json o = json::object();
      for (const auto& [k, v] : t.fields) o[k] = to_json(v);
      return o;
    }
  }
  return nullptr;
}

Tree trace_tree(const json& s) { return trace_tree(tree_of_json(s)); }

json run_trace(const json& s) { return to_json(trace_tree(s)); }

Tree trace_tree_text(const std::string& text) {
  json s = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (s.is_discarded()) {
    // Parse again with exceptions only to get nlohmann's position-aware message.
    try {
      const json again = json::parse(text);
      (void)again;
    } catch (const json::exception& e) {
      std::string msg = e.what();
      if (const auto p = msg.find("] "); p != std::string::npos) msg = msg.substr(p + 2);
      throw Error("scenario", "invalid JSON: " + msg);
    }
    throw Error("scenario", "invalid JSON");
  }
  return trace_tree(s);
}

std::string run_trace_text(const std::string& text) { return to_json(trace_tree_text(text)).dump(); }

}  // namespace attn
