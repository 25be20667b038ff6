#include "embed.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "limits.hpp"
#include "random.hpp"

namespace attn {

namespace {

using Features = std::array<float, kFeatures>;

struct Entry {
  const char* word;
  Features features;
};

// The vocabulary as constant data (an initializer list of std::string pairs compiled into 15 KB of
// wasm code, an eighth of the core module's code; this array is data, copied into the map once).
// Columns:                      noun verb func anim human motion size plural
constexpr Entry kTable[] = {
  // determiners and other function words
  {"the", {0, 0, 1, 0, 0, 0, 0, 0}},
  {"a", {0, 0, 1, 0, 0, 0, 0, -0.5}},
  {"an", {0, 0, 1, 0, 0, 0, 0, -0.5}},
  {"this", {0, 0, 1, 0, 0, 0, 0.5, -0.5}},
  {"these", {0, 0, 1, 0, 0, 0, 0.5, 1}},
  {"and", {0, 0, 1, 0, 0, 0, 0, 0.5}},
  {"because", {0, 0.5, 1, 0, 0, 0, 0, 0}},
  {"too", {0, 0, 0.5, 0, 0, 0, 1, 0}},
  {"on", {0, 0, 0.5, 0, 0, 0, 0.5, 0}},
  {"in", {0, 0, 0.5, 0, 0, 0, -0.5, 0}},
  {"under", {0, 0, 0.5, 0, 0, 0, -1, 0}},
  {"over", {0, 0, 0.5, 0, 0, 0.5, 1, 0}},
  // pronouns: half noun, half function word
  {"i", {0.5, 0, 0.5, 1, 1, 0, 0, -0.5}},
  {"you", {0.5, 0, 0.5, 1, 1, 0, 0, 0}},
  {"we", {0.5, 0, 0.5, 1, 1, 0, 0, 1}},
  {"she", {0.5, 0, 0.5, 1, 1, 0, 0, -0.5}},
  {"he", {0.5, 0, 0.5, 1, 1, 0, 0, -0.5}},
  {"it", {0.5, 0, 0.5, 0, 0, 0, 0, -0.5}},
  {"they", {0.5, 0, 0.5, 0.5, 0.5, 0, 0, 1}},
  {"me", {0.5, 0, 0.5, 1, 1, -0.5, 0, -0.5}},
  {"him", {0.5, 0, 0.5, 1, 1, -0.5, 0, -0.5}},
  {"her", {0.5, 0, 0.5, 1, 1, -0.5, 0, -0.5}},
  {"them", {0.5, 0, 0.5, 0.5, 0.5, -0.5, 0, 1}},
  // animals
  {"animal", {1, 0, 0, 1, 0, 0, 0, 0}},
  {"cat", {1, 0, 0, 1, 0, 0, -0.5, 0}},
  {"cats", {1, 0, 0, 1, 0, 0, -0.5, 1}},
  {"dog", {1, 0, 0, 1, 0, 0, 0, 0}},
  {"dogs", {1, 0, 0, 1, 0, 0, 0, 1}},
  {"mouse", {1, 0, 0, 1, 0, 0, -1, 0}},
  {"mice", {1, 0, 0, 1, 0, 0, -1, 1}},
  {"bird", {1, 0, 0, 1, 0, 0.5, -1, 0}},
  {"birds", {1, 0, 0, 1, 0, 0.5, -1, 1}},
  {"fish", {1, 0, 0, 1, 0, 0.5, -0.5, 0}},
  {"fox", {1, 0, 0, 1, 0, 0.5, -0.5, 0}},
  {"horse", {1, 0, 0, 1, 0, 0.5, 1, 0}},
  // people
  {"man", {1, 0, 0, 1, 1, 0, 0.5, 0}},
  {"woman", {1, 0, 0, 1, 1, 0, 0.5, 0}},
  {"child", {1, 0, 0, 1, 1, 0, -0.5, 0}},
  {"children", {1, 0, 0, 1, 1, 0, -0.5, 1}},
  {"girl", {1, 0, 0, 1, 1, 0, -0.5, 0}},
  {"boy", {1, 0, 0, 1, 1, 0, -0.5, 0}},
  {"teacher", {1, 0, 0, 1, 1, 0, 0.5, 0}},
  // things and places
  {"mat", {1, 0, 0, 0, 0, 0, 0, 0}},
  {"ball", {1, 0, 0, 0, 0, 0.5, -0.5, 0}},
  {"book", {1, 0, 0, 0, 0, 0, -0.5, 0}},
  {"books", {1, 0, 0, 0, 0, 0, -0.5, 1}},
  {"food", {1, 0, 0, 0, 0, 0, 0, 0.5}},
  {"cheese", {1, 0, 0, 0, 0, 0, -0.5, 0.5}},
  {"tree", {1, 0, 0, 0, 0, 0, 1, 0}},
  {"house", {1, 0, 0, 0, 0, 0, 1, 0}},
  {"street", {1, 0, 0, 0, 0, 0, 0.5, 0}},
  {"park", {1, 0, 0, 0, 0, 0, 1, 0}},
  {"river", {1, 0, 0, 0, 0, 0.5, 1, 0}},
  // verbs
  {"chased", {0, 1, 0, 0, 0, 1, 0, 0}},
  {"chases", {0, 1, 0, 0, 0, 1, 0, -0.5}},
  {"ran", {0, 1, 0, 0, 0, 1, 0, 0}},
  {"runs", {0, 1, 0, 0, 0, 1, 0, -0.5}},
  {"jumped", {0, 1, 0, 0, 0, 1, 0.5, 0}},
  {"crossed", {0, 1, 0, 0, 0, 1, 0, 0}},
  {"cross", {0, 1, 0, 0, 0, 1, 0, 0.5}},
  {"sat", {0, 1, 0, 0, 0, -0.5, 0, 0}},
  {"sits", {0, 1, 0, 0, 0, -0.5, 0, -0.5}},
  {"slept", {0, 1, 0, 0, 0, -1, 0, 0}},
  {"sleeps", {0, 1, 0, 0, 0, -1, 0, -0.5}},
  {"ate", {0, 1, 0, 0, 0, 0, 0, 0}},
  {"eats", {0, 1, 0, 0, 0, 0, 0, -0.5}},
  {"saw", {0, 1, 0, 0, 0, 0, 0, 0}},
  {"sees", {0, 1, 0, 0, 0, 0, 0, -0.5}},
  {"gave", {0, 1, 0, 0, 0, 0.5, 0, 0}},
  {"found", {0, 1, 0, 0, 0, 0, 0, 0}},
  {"read", {0, 1, 0, 0, 0, -0.5, 0, 0}},
  {"likes", {0, 1, 0, 0.5, 0, 0, 0, -0.5}},
  {"loves", {0, 1, 0, 0.5, 0, 0, 0, -0.5}},
  {"is", {0, 0.5, 0.5, 0, 0, 0, 0, -0.5}},
  {"was", {0, 0.5, 0.5, 0, 0, 0, 0, -0.5}},
  {"are", {0, 0.5, 0.5, 0, 0, 0, 0, 1}},
  {"were", {0, 0.5, 0.5, 0, 0, 0, 0, 1}},
  {"didn't", {0, 0.5, 0.5, 0, 0, -0.5, 0, 0}},
  // adjectives
  {"big", {0, 0, 0, 0, 0, 0, 1, 0}},
  {"small", {0, 0, 0, 0, 0, 0, -1, 0}},
  {"little", {0, 0, 0, 0, 0, 0, -1, 0}},
  {"quick", {0, 0, 0, 0, 0, 1, 0, 0}},
  {"lazy", {0, 0, 0, 0, 0, -1, 0, 0}},
  {"tired", {0, 0, 0, 0.5, 0, -1, 0, 0}},
  {"happy", {0, 0, 0, 0.5, 0.5, 0.5, 0, 0}},
  {"old", {0, 0, 0, 0.5, 0, -0.5, 0.5, 0}},
};

const std::map<std::string, Features>& table() {
  static const std::map<std::string, Features> t = [] {
    std::map<std::string, Features> m;
    for (const Entry& e : kTable) m.emplace(e.word, e.features);  // like the map's initializer list: the first of a duplicate stays
    return m;
  }();
  return t;
}

std::string lower(const std::string& s) {
  std::string out = s;
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

const std::vector<std::string>& feature_names() {
  static const std::vector<std::string> names = {"noun", "verb", "function", "animate", "human", "motion", "size", "plural"};
  return names;
}

std::vector<std::string> vocabulary() {
  std::vector<std::string> words;
  for (const auto& kv : table()) words.push_back(kv.first);
  return words;
}

Matrix sinusoidal_positions(int n, int d) {
  if (n < 1 || d < 1) throw Error("sinusoidal_positions", "n and d must be >= 1 (got n=" + std::to_string(n) + ", d=" + std::to_string(d) + ")");
  check_matrix_size("sinusoidal_positions", "the position table", n, d);
  Matrix P(n, d);
  for (int p = 0; p < n; ++p)
    for (int j = 0; j < d; ++j) {
      const double angle = p / std::pow(10000.0, (2 * (j / 2)) / static_cast<double>(d));
      P(p, j) = static_cast<float>(j % 2 == 0 ? std::sin(angle) : std::cos(angle));
    }
  return P;
}

Embedding embed(const std::vector<std::string>& tokens, bool positions) {
  const int n = static_cast<int>(tokens.size());
  if (n < 1) throw Error("embed", "tokens is empty (need 1 to " + std::to_string(kMaxTokens) + " tokens)");
  if (n > kMaxTokens)
    throw Error("embed", "tokens has " + std::to_string(n) + " entries; at most " + std::to_string(kMaxTokens) + " are allowed");
  Embedding e{Matrix(n, kFeatures), std::vector<bool>(n)};
  for (int i = 0; i < n; ++i) {
    const std::string w = lower(tokens[i]);
    if (w.empty() || w.size() > 64)
      throw Error("embed", "tokens[" + std::to_string(i) + "] must be 1 to 64 bytes long (got " + std::to_string(w.size()) + ")");
    const auto it = table().find(w);
    e.known[i] = it != table().end();
    if (e.known[i])
      for (int j = 0; j < kFeatures; ++j) e.X(i, j) = it->second[j];
    else
      e.X.row(i) = seeded_matrix(1, kFeatures, hash_word(w), 0);
  }
  if (positions) e.X += sinusoidal_positions(n, kFeatures);
  return e;
}

}  // namespace attn
