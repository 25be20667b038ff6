// Deterministic, platform-independent random numbers (same values natively and in WASM).
#pragma once

#include <cstdint>
#include <string>

#include "matrix.hpp"

namespace attn {

/// splitmix64: tiny, well-mixed, and defined purely by integer arithmetic.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next();
  /// A multiple of 0.1 in [-1, 1]: small numbers a learner can multiply by hand.
  float tenth();

 private:
  uint64_t state_;
};

/// FNV-1a hash of a word: the seed of its vector when the word is not in the vocabulary.
uint64_t hash_word(const std::string& word);

/// rows x cols matrix of tenths in [-1, 1] drawn from (seed, stream); each stream is independent.
Matrix seeded_matrix(int rows, int cols, uint64_t seed, uint64_t stream);

}  // namespace attn
