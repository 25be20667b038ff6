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

void check_keys(const Tree& obj, const std::vector<std::string>& allowed, const std::string& where) {
  for (const auto& [key, value] : obj.fields) {
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

long long get_int(const Tree& s, const char* key, long long def, long long lo, long long hi) {
  const Tree* v = s.find(key);
  if (!v) return def;
  if (!v->is_integer() && !(v->kind == Tree::Kind::Number && std::floor(v->number) == v->number))
    throw Error(key, std::string("expected a whole number, got ") + (v->is_number() ? literal(*v) : type_name(*v)));
  // The range check runs on the double, so 2^64 or 1e300 is reported as given, never wrapped.
  const double d = v->as_double();
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi))
    throw Error(key, literal(*v) + " is out of range (allowed " + std::to_string(lo) + " to " + std::to_string(hi) + ")");
  return static_cast<long long>(d);
}

bool get_bool(const Tree& s, const char* key, bool def) {
  const Tree* v = s.find(key);
  if (!v) return def;
  if (v->kind != Tree::Kind::Flag) throw Error(key, std::string("expected true or false, got ") + type_name(*v));
  return v->flag;
}

// Reads a rectangular matrix of finite numbers; rows/cols of -1 mean "any".
Matrix get_matrix(const Tree& j, const std::string& where, long long rows, long long cols, long long max_rows) {
  if (j.kind != Tree::Kind::List) throw Error(where, std::string("expected an array of rows, got ") + type_name(j));
  const size_t n = j.size();
  if (n == 0) throw Error(where, "has no rows (n = 0)");
  if (static_cast<long long>(n) > max_rows)
    throw Error(where, "has " + std::to_string(n) + " rows; at most " + std::to_string(max_rows) + " are allowed");
  if (rows >= 0 && static_cast<long long>(n) != rows)
    throw Error(where, "has " + std::to_string(n) + " rows but must have " + std::to_string(rows));
  const Tree& first = j.items[0];
  if (first.kind != Tree::Kind::List) throw Error(where + "[0]", std::string("expected an array of numbers, got ") + type_name(first));
  const long long c = cols >= 0 ? cols : static_cast<long long>(first.size());
  if (c < 1 || c > kMaxDModel)
    throw Error(where + "[0]", "has " + std::to_string(c) + " numbers; rows need 1 to " + std::to_string(kMaxDModel));
  Matrix m(static_cast<Eigen::Index>(n), c);
  for (size_t i = 0; i < n; ++i) {
    const Tree& r = j.items[i];
    if (r.kind != Tree::Kind::List)
      throw Error(where + "[" + std::to_string(i) + "]", std::string("expected an array of numbers, got ") + type_name(r));
    if (static_cast<long long>(r.size()) != c)
      throw Error(where + "[" + std::to_string(i) + "]", "has " + std::to_string(r.size()) + " numbers but must have " + std::to_string(c));
    for (size_t k = 0; k < r.items.size(); ++k) {
      const Tree& v = r.items[k];
      if (!v.is_number() || !std::isfinite(static_cast<float>(v.as_double()))) {
        const std::string cell = where + "[" + std::to_string(i) + "][" + std::to_string(k) + "]";
        if (!v.is_number())
          throw Error(cell, std::string("expected a number, got ") + type_name(v) +
                                (v.kind == Tree::Kind::Null ? " (NaN and Infinity are not allowed)" : ""));
        throw Error(cell, literal(v) + " is not a finite float32");
      }
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) = static_cast<float>(v.as_double());
    }
  }
  return m;
}

}  // namespace

double tidy(float v) {
  char buf[32];
  for (int p = 6; p <= 9; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, static_cast<double>(v));
    if (std::strtof(buf, nullptr) == v) break;
  }
  return std::strtod(buf, nullptr);
}

Tree trace_tree(const Tree& s) {
  if (s.kind != Tree::Kind::Object) throw Error("scenario", std::string("expected a JSON object, got ") + type_name(s));
  check_keys(s, kKeys, "scenario");
  const Tree *tok = s.find("tokens"), *xs = s.find("X");
  const bool has_tokens = tok != nullptr, has_x = xs != nullptr;
  if (has_tokens == has_x) throw Error("scenario", "give exactly one of \"tokens\" (words) or \"X\" (an n x d_model matrix)");

  // Inputs: X (n x d_model) from words or given directly.
  Tree out = Tree::object();
  Matrix X;
  std::vector<std::string> tokens;
  if (has_tokens) {
    const Tree& t = *tok;
    if (t.kind != Tree::Kind::List) throw Error("tokens", std::string("expected an array of words, got ") + type_name(t));
    for (size_t i = 0; i < t.items.size(); ++i) {
      if (t.items[i].kind != Tree::Kind::Text)
        throw Error("tokens[" + std::to_string(i) + "]", std::string("expected a string, got ") + type_name(t.items[i]));
      tokens.push_back(t.items[i].text);
    }
    const Embedding e = embed(tokens, false);
    X = e.X;
    out.set("known", Tree::flags(e.known));
    out.set("features", Tree::texts(feature_names()));
  } else {
    X = get_matrix(*xs, "X", -1, -1, kMaxTokens);
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
  if (const Tree* p = s.find("positions")) {
    if (!p->is_text("none") && !p->is_text("sinusoidal"))
      throw Error("positions", "must be \"none\" or \"sinusoidal\", got " + describe(*p));
    positions = p->text;
  }
  if (positions == "sinusoidal") X += sinusoidal_positions(static_cast<int>(X.rows()), static_cast<int>(X.cols()));

  AttentionOptions opt;
  opt.causal = get_bool(s, "causal", false);
  opt.scale = get_bool(s, "scale", true);
  if (const Tree* tp = s.find("temperature")) {
    const Tree& t = *tp;
    if (!t.is_number()) throw Error("temperature", std::string("expected a number, got ") + type_name(t));
    const double v = t.as_double();
    if (!(v > 0.0) || v > 1e6) throw Error("temperature", literal(t) + " is out of range (must be > 0 and <= 1e6)");
    if (v < static_cast<double>(FLT_MIN))
      throw Error("temperature", literal(t) + " is too small for float32 (the smallest allowed is 1.2e-38)");
    opt.temperature = static_cast<float>(v);
  }

  // Weights: given ones are checked; missing ones are drawn from the seed (stream 0..3).
  const Tree no_weights = Tree::object();
  const Tree* wp = s.find("weights");
  const Tree& w = wp ? *wp : no_weights;
  if (w.kind != Tree::Kind::Object)
    throw Error("weights", std::string("expected an object with W_q, W_k, W_v, W_o, got ") + type_name(w));
  check_keys(w, kWeightKeys, "weights");
  std::vector<Matrix> W;
  for (size_t i = 0; i < kWeightKeys.size(); ++i) {
    const std::string& k = kWeightKeys[i];
    const Tree* wk = w.find(k);
    W.push_back(wk ? get_matrix(*wk, "weights." + k, d_model, d_model, kMaxDModel)
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

}  // namespace attn
