// A seeded probabilistic grammar of simple English that writes its own gold dependency parse.
//
// Sentences are lower-case words with no punctuation, 3 to 16 words; about a third have exactly five
// words, the length lesson 14 uses (a quarter of the draws are resampled until they do). Structures: determiners and adjectives before
// nouns, singular and plural nouns, subject and object pronouns, transitive and intransitive verbs in
// present (with subject-verb agreement) and past tense, prepositional phrases on verbs and nouns,
// subject and object relative clauses, and coordination of subjects, objects, verbs and clauses.
// Semantic classes (lexicon.hpp) keep it sensible: only animals and people sleep, only food is eaten.
//
// Relations (head -> dependent arcs stored on the dependent, UD-like):
//   det    determiner -> its noun              amod   adjective -> its noun
//   nsubj  subject noun/pronoun -> its verb    dobj   object noun/pronoun -> its verb
//   prep   preposition -> the verb or noun it modifies
//   pobj   object noun/pronoun -> its preposition
//   relcl  relative-clause verb -> the noun the clause modifies
//   ref    relative pronoun (who, that) -> that same noun
//   cc     conjunction -> the conjunct after it   conj   second conjunct -> first conjunct
//   root   the main verb (head -1)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lexicon.hpp"
#include "random.hpp"
#include "tree.hpp"

namespace attn {

enum class Rel { root, det, amod, nsubj, dobj, prep, pobj, relcl, ref, cc, conj };
constexpr int kRelCount = 11;

/// "det", "nsubj", ...
const char* rel_name(Rel r);

struct Sentence {
  std::vector<std::string> words;
  std::vector<int> heads;  // heads[i]: index of word i's head, -1 for the root
  std::vector<Rel> rels;   // rels[i]: the relation of word i to its head
};

class Grammar {
 public:
  /// Same seed, same sentences, on every platform (splitmix64, integer-only choices).
  explicit Grammar(uint64_t seed);

  /// The next sentence of the stream.
  Sentence next();

 private:
  struct Np {
    int head;
    bool plural;
    unsigned classes;
    bool pronoun;
    bool modified;  // followed by a relative clause or prepositional phrase
  };
  enum class Role { subject, object, pobj };

  double uniform();
  size_t pick(size_t n);
  Sentence attempt();
  int add(const std::string& word, int head, Rel rel);
  int clause(int depth);
  Np noun_phrase(unsigned allowed, Role role, int depth, bool allow_pronoun = true);
  void relative_clause(const Np& noun);
  void prep_phrase(int attach_to, unsigned pp_kinds);
  const lexicon::Verb* pick_verb(unsigned subject, unsigned object_must, bool transitive);

  Rng rng_;
  Sentence s_;
};

/// What sample_sentences draws: `count` distinct sentences of exactly `words` words (0: any length)
/// that contain every relation in `needs`, taken in order from the stream of Grammar(seed).
struct SampleRequest {
  int words = 5;
  int count = 1;
  uint64_t seed = 0;
  std::vector<Rel> needs;
};

/// Limits of a request (sample_sentences throws attn::Error outside them).
constexpr int kSampleMaxCount = 1000;
constexpr long long kSampleMaxDraws = 200000;   // stream sentences examined before giving up

/// The relation called `name` ("det", "dobj", ...); throws attn::Error naming the known ones.
Rel rel_from_name(const std::string& name);

/// The sampler behind engine.sampleSentences and `attn sentences`: same request, same sentences
/// (in the same order) on every platform. Throws attn::Error with a plain message when the request
/// is out of range or the grammar cannot meet it within kSampleMaxDraws draws. `draws`, if given,
/// receives how many stream sentences were examined.
std::vector<Sentence> sample_sentences(const SampleRequest& request, long long* draws = nullptr);

/// JSON text in, JSON text out: {"words":5,"count":3,"seed":7,"needs":["det"]} ->
/// {"seed":7,"words":5,"grammar_hash":"...","draws":N,"sentences":[{"words":[...],"heads":[...],"rels":[...]}]}
/// (heads 0-based, -1 for the root). Missing keys take SampleRequest's defaults.
std::string sample_sentences_json(const std::string& request_json);

/// The same as a Tree in and out (tree.hpp): what engine.sampleSentences hands the WASM module, a
/// JS object read as the CLI reads its JSON, and gets back as JS values, so the model module needs
/// no JSON library. sample_sentences_json is this between JSON texts.
Tree sample_sentences_tree(const Tree& request);

/// Every word the grammar can produce, sorted (no duplicates).
std::vector<std::string> grammar_vocabulary();

/// 16 hex digits: FNV-1a 64 of a canonical dump of every rule probability and lexicon table.
/// Changes whenever the language the grammar generates changes.
std::string grammar_hash();

/// The agreement number of a determiner, noun, pronoun or verb form: "sleeps" and "cat" are
/// singular, "sleep", "cats", "they", "you", "i" plural, "slept", "the", "read" any. Unknown: any.
lexicon::Number agreement_number(const std::string& word);

}  // namespace attn
