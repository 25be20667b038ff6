// Token embeddings for the course: a small vocabulary of hand-designed, interpretable vectors.
//
// Every vector has kFeatures = 8 named dimensions (noun, verb, function word, animate, human,
// motion, size, plural) holding small numbers (multiples of 0.5) a learner can multiply by hand.
// A word outside the vocabulary gets a deterministic vector of tenths seeded by the word itself,
// so the same word always gets the same vector; `known` marks which rows came from the vocabulary.
#pragma once

#include <string>
#include <vector>

#include "matrix.hpp"

namespace attn {

constexpr int kFeatures = 8;
constexpr int kMaxTokens = 512;

/// The names of the 8 feature dimensions, in column order.
const std::vector<std::string>& feature_names();

/// Every word of the built-in vocabulary, sorted.
std::vector<std::string> vocabulary();

struct Embedding {
  Matrix X;                  // (n x kFeatures) row i is token i's vector (plus its position if asked)
  std::vector<bool> known;   // (n) true when token i is in the vocabulary, false for a seeded vector
};

/// Sinusoidal position vectors (n x d): PE[p][2i] = sin(p / 10000^(2i/d)), PE[p][2i+1] = cos(same).
Matrix sinusoidal_positions(int n, int d);

/// Embeds 1..kMaxTokens tokens (case-insensitive, each 1-64 bytes) into X (n x kFeatures),
/// adding sinusoidal positions when `positions` is true. Throws Error on an empty list,
/// too many tokens, or an empty or over-long token.
Embedding embed(const std::vector<std::string>& tokens, bool positions = false);

}  // namespace attn
