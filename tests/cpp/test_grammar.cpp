// The course grammar: seeded, valid dependency trees, agreement, sensible lengths.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "grammar.hpp"

using attn::Rel;
using attn::Sentence;
using attn::lexicon::Number;

namespace {

std::vector<Sentence> sample(uint64_t seed, int n) {
  attn::Grammar g(seed);
  std::vector<Sentence> out;
  for (int i = 0; i < n; ++i) out.push_back(g.next());
  return out;
}

std::string text(const Sentence& s) {
  std::string t;
  for (const auto& w : s.words) t += (t.empty() ? "" : " ") + w;
  return t;
}

// The word whose number a present-tense verb must agree with (see grammar.hpp), or -1.
int controller(const Sentence& s, int verb) {
  for (int i = 0; i < static_cast<int>(s.words.size()); ++i)
    if (s.heads[i] == verb && s.rels[i] == Rel::nsubj) return i;
  if (s.rels[verb] == Rel::relcl) return s.heads[verb];  // subject relative: "the dogs that bark"
  if (s.rels[verb] == Rel::conj) return controller(s, s.heads[verb]);  // "the dog runs and jumps"
  return -1;
}

bool is_coordinated(const Sentence& s, int noun) {
  for (int i = 0; i < static_cast<int>(s.words.size()); ++i)
    if (s.heads[i] == noun && s.rels[i] == Rel::conj) return true;
  return false;
}

}  // namespace

TEST(Grammar, SameSeedSameSentences) {
  const auto a = sample(3, 200), b = sample(3, 200), c = sample(4, 200);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(a[i].words, b[i].words);
    EXPECT_EQ(a[i].heads, b[i].heads);
  }
  int same = 0;
  for (int i = 0; i < 200; ++i) same += a[i].words == c[i].words;
  EXPECT_LT(same, 40);
}

TEST(Grammar, EveryTokenHasOneHeadAndTheTreeHasNoCycles) {
  for (const Sentence& s : sample(1, 5000)) {
    const int n = static_cast<int>(s.words.size());
    ASSERT_EQ(s.heads.size(), s.words.size());
    ASSERT_EQ(s.rels.size(), s.words.size());
    int roots = 0;
    for (int i = 0; i < n; ++i) {
      ASSERT_GE(s.heads[i], -1) << text(s);
      ASSERT_LT(s.heads[i], n) << text(s);
      ASSERT_NE(s.heads[i], i) << text(s);
      ASSERT_EQ(s.heads[i] == -1, s.rels[i] == Rel::root) << text(s);
      roots += s.heads[i] == -1;
      int at = i, steps = 0;  // walking up the heads must reach the root within n steps
      while (at != -1 && steps <= n) at = s.heads[at], ++steps;
      ASSERT_EQ(at, -1) << "cycle in: " << text(s);
    }
    ASSERT_EQ(roots, 1) << text(s);
  }
}

TEST(Grammar, SubjectsAndVerbsAgree) {
  int checked = 0;
  for (const Sentence& s : sample(2, 5000)) {
    for (int v = 0; v < static_cast<int>(s.words.size()); ++v) {
      const Number verb = attn::agreement_number(s.words[v]);
      if (verb == Number::any || (s.rels[v] != Rel::root && s.rels[v] != Rel::relcl && s.rels[v] != Rel::conj)) continue;
      const int c = controller(s, v);
      if (c < 0) continue;  // e.g. a conjoined noun
      const Number subject = is_coordinated(s, c) ? Number::plural : attn::agreement_number(s.words[c]);
      EXPECT_EQ(verb, subject) << s.words[c] << " ... " << s.words[v] << " in: " << text(s);
      ++checked;
    }
  }
  EXPECT_GT(checked, 2000);
}

TEST(Grammar, DeterminersAgreeAndAnPrecedesVowels) {
  for (const Sentence& s : sample(5, 3000))
    for (int i = 0; i < static_cast<int>(s.words.size()); ++i) {
      if (s.rels[i] == Rel::det) {
        const Number d = attn::agreement_number(s.words[i]);
        if (d != Number::any) EXPECT_EQ(d, attn::agreement_number(s.words[s.heads[i]])) << text(s);
        EXPECT_LT(i, s.heads[i]) << text(s);
        EXPECT_LE(s.heads[i] - i, 3) << text(s);
      }
      if (s.words[i] == "a") EXPECT_EQ(std::string("aeiou").find(s.words[i + 1][0]), std::string::npos) << text(s);
      if (s.words[i] == "an") EXPECT_NE(std::string("aeiou").find(s.words[i + 1][0]), std::string::npos) << text(s);
      if (s.rels[i] == Rel::amod) EXPECT_LT(i, s.heads[i]) << text(s);
      if (s.rels[i] == Rel::pobj) EXPECT_EQ(s.rels[s.heads[i]], Rel::prep) << text(s);
      if (s.rels[i] == Rel::cc) EXPECT_TRUE(s.words[i] == "and" || s.words[i] == "or" || s.words[i] == "but") << text(s);
      if (s.rels[i] == Rel::ref) EXPECT_TRUE(s.words[i] == "who" || s.words[i] == "that") << text(s);
    }
}

TEST(Grammar, LengthsAndFiveWordSentences) {
  const auto s = sample(6, 4000);
  int five = 0, total = 0, longer = 0;
  for (const auto& x : s) {
    const int n = static_cast<int>(x.words.size());
    EXPECT_GE(n, 3);
    EXPECT_LE(n, 16);
    five += n == 5;
    longer += n > 14;
    total += n;
  }
  EXPECT_GT(five, 4000 / 4);              // plenty of five-word sentences (lesson 14)
  EXPECT_LT(longer, 4000 / 20);           // mostly 4-14 words
  EXPECT_GT(total / 4000.0, 5.0);
  EXPECT_LT(total / 4000.0, 9.0);
}

TEST(Grammar, VocabularyCoversEveryWordAndEveryRelationOccurs) {
  const auto vocab = attn::grammar_vocabulary();
  EXPECT_GT(vocab.size(), 300u);
  EXPECT_LT(vocab.size(), 700u);
  EXPECT_TRUE(std::is_sorted(vocab.begin(), vocab.end()));
  const std::set<std::string> v(vocab.begin(), vocab.end());
  std::set<Rel> seen;
  for (const Sentence& s : sample(8, 3000))
    for (size_t i = 0; i < s.words.size(); ++i) {
      EXPECT_TRUE(v.count(s.words[i])) << s.words[i];
      seen.insert(s.rels[i]);
    }
  EXPECT_EQ(seen.size(), static_cast<size_t>(attn::kRelCount));
}

TEST(Grammar, HashIsPinned) {
  // Changing the grammar changes the language the shipped model was trained on: retrain
  // web/model/ (see docs/model.md) and update this value together.
  EXPECT_EQ(attn::grammar_hash(), attn::grammar_hash());
  EXPECT_EQ(attn::grammar_hash().size(), 16u);
  EXPECT_EQ(attn::grammar_hash(), "8d6dbba569181942");
}
