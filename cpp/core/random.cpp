#include "random.hpp"

namespace attn {

uint64_t Rng::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

float Rng::tenth() { return static_cast<float>(static_cast<int>(next() % 21) - 10) / 10.0f; }

uint64_t hash_word(const std::string& word) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : word) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return h;
}

Matrix seeded_matrix(int rows, int cols, uint64_t seed, uint64_t stream) {
  Rng rng(seed * 0x9E3779B97F4A7C15ULL + stream * 0xD1B54A32D192ED03ULL + 1);
  Matrix m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = rng.tenth();
  return m;
}

}  // namespace attn
