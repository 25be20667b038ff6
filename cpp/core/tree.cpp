#include "tree.hpp"

#include <algorithm>

namespace attn {

Tree Tree::of_flag(bool v) {
  Tree t;
  t.kind = Kind::Flag;
  t.flag = v;
  return t;
}

Tree Tree::of_integer(long long v) {
  Tree t;
  t.kind = Kind::Integer;
  t.integer = v;
  return t;
}

Tree Tree::of_number(double v) {
  Tree t;
  t.kind = Kind::Number;
  t.number = v;
  return t;
}

Tree Tree::of_text(std::string v) {
  Tree t;
  t.kind = Kind::Text;
  t.text = std::move(v);
  return t;
}

Tree Tree::of_matrix(attn::Matrix m) {
  Tree t;
  t.kind = Kind::Matrix;
  t.matrix = std::move(m);
  return t;
}

Tree Tree::list() {
  Tree t;
  t.kind = Kind::List;
  return t;
}

Tree Tree::object() {
  Tree t;
  t.kind = Kind::Object;
  return t;
}

Tree Tree::texts(const std::vector<std::string>& v) {
  Tree t = list();
  for (const auto& s : v) t.push(of_text(s));
  return t;
}

Tree Tree::integers(const std::vector<int>& v) {
  Tree t = list();
  for (int i : v) t.push(of_integer(i));
  return t;
}

Tree Tree::flags(const std::vector<bool>& v) {
  Tree t = list();
  for (bool b : v) t.push(of_flag(b));
  return t;
}

Tree& Tree::push(Tree v) & {
  items.push_back(std::move(v));
  return *this;
}

const Tree* Tree::find(const std::string& key) const {
  if (kind != Kind::Object) return nullptr;
  auto it = std::lower_bound(fields.begin(), fields.end(), key, [](const auto& f, const std::string& k) { return f.first < k; });
  return it != fields.end() && it->first == key ? &it->second : nullptr;
}

Tree& Tree::set(const std::string& key, Tree v) & {
  auto it = std::lower_bound(fields.begin(), fields.end(), key, [](const auto& f, const std::string& k) { return f.first < k; });
  if (it != fields.end() && it->first == key) it->second = std::move(v);
  else fields.emplace(it, key, std::move(v));
  return *this;
}

}  // namespace attn
