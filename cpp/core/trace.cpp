#include "trace.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "attention.hpp"
#include "describe.hpp"
#include "embed.hpp"
#include "limits.hpp"
#include "random.hpp"

namespace attn {

using nlohmann::json;

namespace {

constexpr int kMaxDModel = 1024;
const std::vector<std::string> kKeys = {"tokens", "X",         "d_model", "heads",  "seed",
                                        "weights", "positions", "causal",  "scale",  "temperature"};
const std::vector<std::string> kWeightKeys = {"W_q", "W_k", "W_v", "W_o"};

// Levenshtein distance, to suggest the key a typo meant.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

void check_keys(const json& obj, const std::vector<std::string>& allowed, const std::string& where) {
  for (const auto& [key, value] : obj.items()) {
    (void)value;
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string best;
    size_t best_d = 3;
    for (const auto& k : allowed) {
      // A length difference of 3 or more already means a distance of 3 or more: skip the quadratic work.
      if (key.size() > k.size() + 2 || k.size() > key.size() + 2) continue;
      if (size_t d = edit_distance(key, k); d < best_d) best_d = d, best = k;
    }
    throw Error(where, "unknown key " + quote(key) +
                           (best.empty() ? " (allowed: " + join(allowed) + ")" : " (did you mean \"" + best + "\"?)"));
  }
}

std::string type_name(const json& j) { return j.is_null() ? "null" : j.type_name(); }

long long get_int(const json& s, const char* key, long long def, long long lo, long long hi) {
  if (!s.contains(key)) return def;
  const json& v = s[key];
  if (!v.is_number_integer() && !(v.is_number_float() && std::floor(v.get<double>()) == v.get<double>()))
    throw Error(key, "expected a whole number, got " + (v.is_number() ? v.dump() : type_name(v)));
  // The range check runs on the double, so 2^64 or 1e300 is reported as given, never wrapped.
  const double d = v.get<double>();
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi))
    throw Error(key, v.dump() + " is out of range (allowed " + std::to_string(lo) + " to " + std::to_string(hi) + ")");
  return static_cast<long long>(d);
}

bool get_bool(const json& s, const char* key, bool def) {
  if (!s.contains(key)) return def;
  if (!s[key].is_boolean()) throw Error(key, "expected true or false, got " + type_name(s[key]));
  return s[key].get<bool>();
}

// Reads a rectangular matrix of finite numbers; rows/cols of -1 mean "any".
Matrix get_matrix(const json& j, const std::string& where, long long rows, long long cols, long long max_rows) {
  if (!j.is_array()) throw Error(where, "expected an array of rows, got " + type_name(j));
  if (j.empty()) throw Error(where, "has no rows (n = 0)");
  if (static_cast<long long>(j.size()) > max_rows)
    throw Error(where, "has " + std::to_string(j.size()) + " rows; at most " + std::to_string(max_rows) + " are allowed");
  if (rows >= 0 && static_cast<long long>(j.size()) != rows)
    throw Error(where, "has " + std::to_string(j.size()) + " rows but must have " + std::to_string(rows));
  if (!j[0].is_array()) throw Error(where + "[0]", "expected an array of numbers, got " + type_name(j[0]));
  const long long c = cols >= 0 ? cols : static_cast<long long>(j[0].size());
  if (c < 1 || c > kMaxDModel)
    throw Error(where + "[0]", "has " + std::to_string(c) + " numbers; rows need 1 to " + std::to_string(kMaxDModel));
  Matrix m(static_cast<Eigen::Index>(j.size()), c);
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string row = where + "[" + std::to_string(i) + "]";
    if (!j[i].is_array()) throw Error(row, "expected an array of numbers, got " + type_name(j[i]));
    if (static_cast<long long>(j[i].size()) != c)
      throw Error(row, "has " + std::to_string(j[i].size()) + " numbers but must have " + std::to_string(c));
    for (size_t k = 0; k < j[i].size(); ++k) {
      const json& v = j[i][k];
      const std::string cell = row + "[" + std::to_string(k) + "]";
      if (!v.is_number())
        throw Error(cell, "expected a number, got " + type_name(v) + (v.is_null() ? " (NaN and Infinity are not allowed)" : ""));
      const float f = static_cast<float>(v.get<double>());
      if (!std::isfinite(f)) throw Error(cell, v.dump() + " is not a finite float32");
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) = f;
    }
  }
  return m;
}

double tidy(float v) {
  char buf[32];
  for (int p = 6; p <= 9; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, static_cast<double>(v));
    if (std::strtof(buf, nullptr) == v) break;
  }
  return std::strtod(buf, nullptr);
}

}  // namespace

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

Tree trace_tree(const json& s) {
  if (!s.is_object()) throw Error("scenario", "expected a JSON object, got " + type_name(s));
  check_keys(s, kKeys, "scenario");
  const bool has_tokens = s.contains("tokens"), has_x = s.contains("X");
  if (has_tokens == has_x) throw Error("scenario", "give exactly one of \"tokens\" (words) or \"X\" (an n x d_model matrix)");

  // Inputs: X (n x d_model) from words or given directly.
  Tree out = Tree::object();
  Matrix X;
  std::vector<std::string> tokens;
  if (has_tokens) {
    const json& t = s["tokens"];
    if (!t.is_array()) throw Error("tokens", "expected an array of words, got " + type_name(t));
    for (size_t i = 0; i < t.size(); ++i) {
      if (!t[i].is_string()) throw Error("tokens[" + std::to_string(i) + "]", "expected a string, got " + type_name(t[i]));
      tokens.push_back(t[i].get<std::string>());
    }
    const Embedding e = embed(tokens, false);
    X = e.X;
    out.set("known", Tree::flags(e.known));
    out.set("features", Tree::texts(feature_names()));
  } else {
    X = get_matrix(s["X"], "X", -1, -1, kMaxTokens);
    for (Eigen::Index i = 0; i < X.rows(); ++i) tokens.push_back("x" + std::to_string(i));
  }
  const long long d_model = get_int(s, "d_model", X.cols(), 1, kMaxDModel);
  if (d_model != X.cols())
    throw Error("d_model", std::to_string(d_model) + " does not match the input width " + std::to_string(X.cols()) +
                               (has_tokens ? " (the built-in vocabulary has " + std::to_string(kFeatures) +
                                                 " features; pass \"X\" for other sizes)"
                                           : " (X's rows have " + std::to_string(X.cols()) + " numbers)"));
  const long long heads = get_int(s, "heads", 1, 1, d_model);
  if (d_model % heads != 0)
    throw Error("heads", std::to_string(heads) + " does not divide d_model = " + std::to_string(d_model) +
                             " (each head gets d_model / heads columns)");
  const long long seed = get_int(s, "seed", 0, 0, 9007199254740991LL);
  // Everything the trace will hold: X (n d), weights (4 d^2), Q, K, V (3 n d), per head Q, K, V and
  // output (4 n d over all heads) and scores, scaled, masked, weights (4 n^2 each), concat and output.
  const double n = static_cast<double>(X.rows()), dm = static_cast<double>(d_model);
  check_trace_size("scenario", "the trace", 10 * n * dm + 4 * dm * dm + 4.0 * static_cast<double>(heads) * n * n,
                   "n = " + std::to_string(X.rows()) + ", d_model = " + std::to_string(d_model) +
                       ", heads = " + std::to_string(heads));

  std::string positions = "none";
  if (s.contains("positions")) {
    if (!s["positions"].is_string() || (s["positions"] != "none" && s["positions"] != "sinusoidal"))
      throw Error("positions", "must be \"none\" or \"sinusoidal\", got " + describe(s["positions"]));
    positions = s["positions"].get<std::string>();
  }
  if (positions == "sinusoidal") X += sinusoidal_positions(static_cast<int>(X.rows()), static_cast<int>(X.cols()));

  AttentionOptions opt;
  opt.causal = get_bool(s, "causal", false);
  opt.scale = get_bool(s, "scale", true);
  if (s.contains("temperature")) {
    const json& t = s["temperature"];
    if (!t.is_number()) throw Error("temperature", "expected a number, got " + type_name(t));
    const double v = t.get<double>();
    if (!(v > 0.0) || v > 1e6) throw Error("temperature", t.dump() + " is out of range (must be > 0 and <= 1e6)");
    if (v < static_cast<double>(FLT_MIN))
      throw Error("temperature", t.dump() + " is too small for float32 (the smallest allowed is 1.2e-38)");
    opt.temperature = static_cast<float>(v);
  }

  // Weights: given ones are checked; missing ones are drawn from the seed (stream 0..3).
  const json no_weights = json::object();
  const json& w = s.contains("weights") ? s["weights"] : no_weights;
  if (!w.is_object()) throw Error("weights", "expected an object with W_q, W_k, W_v, W_o, got " + type_name(w));
  check_keys(w, kWeightKeys, "weights");
  std::vector<Matrix> W;
  for (size_t i = 0; i < kWeightKeys.size(); ++i) {
    const std::string& k = kWeightKeys[i];
    W.push_back(w.contains(k) ? get_matrix(w[k], "weights." + k, d_model, d_model, kMaxDModel)
                              : seeded_matrix(static_cast<int>(d_model), static_cast<int>(d_model), static_cast<uint64_t>(seed), i));
  }

  MultiHeadTrace t = multi_head_attention(X, W[0], W[1], W[2], W[3], static_cast<int>(heads), opt);

  out.set("tokens", Tree::texts(tokens));
  out.set("n", Tree::of_integer(X.rows()));
  out.set("d_model", Tree::of_integer(d_model));
  out.set("heads", Tree::of_integer(heads));
  out.set("d_k", Tree::of_integer(d_model / heads));
  out.set("seed", Tree::of_integer(seed));
  out.set("positions", Tree::of_text(positions));
  out.set("causal", Tree::of_flag(opt.causal));
  out.set("scale", Tree::of_flag(opt.scale));
  out.set("temperature", Tree::of_number(tidy(opt.temperature)));
  out.set("X", Tree::of_matrix(std::move(X)));
  Tree weights = Tree::object();
  for (size_t i = 0; i < kWeightKeys.size(); ++i) weights.set(kWeightKeys[i], Tree::of_matrix(std::move(W[i])));
  out.set("weights", std::move(weights));
  out.set("Q", Tree::of_matrix(std::move(t.Q)));
  out.set("K", Tree::of_matrix(std::move(t.K)));
  out.set("V", Tree::of_matrix(std::move(t.V)));
  Tree per_head = Tree::list();
  for (HeadTrace& h : t.heads)
    per_head.push(Tree::object()
                      .set("Q", Tree::of_matrix(std::move(h.Q)))
                      .set("K", Tree::of_matrix(std::move(h.K)))
                      .set("V", Tree::of_matrix(std::move(h.V)))
                      .set("scores", Tree::of_matrix(std::move(h.scores)))
                      .set("scaled", Tree::of_matrix(std::move(h.scaled)))
                      .set("masked", Tree::of_matrix(std::move(h.masked)))
                      .set("weights", Tree::of_matrix(std::move(h.weights)))
                      .set("output", Tree::of_matrix(std::move(h.output))));
  out.set("per_head", std::move(per_head));
  out.set("concat", Tree::of_matrix(std::move(t.concat)));
  out.set("output", Tree::of_matrix(std::move(t.output)));
  return out;
}

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
