// The vocabulary of the course grammar (grammar.hpp), as plain tables: every noun, verb, adjective,
// determiner, pronoun and preposition with the semantic classes that keep generated sentences
// sensible ("the cat sleeps", never "the cup sleeps").
#pragma once

#include <string>
#include <vector>

namespace attn::lexicon {

// Semantic classes of nouns, combined as bit masks.
enum Class : unsigned {
  kAnimal = 1u << 0,
  kBird = 1u << 1,      // can fly
  kPerson = 1u << 2,
  kFood = 1u << 3,
  kHandheld = 1u << 4,  // can be carried or held
  kToy = 1u << 5,
  kText = 1u << 6,      // can be read
  kWritable = 1u << 7,  // can be written
  kPicture = 1u << 8,   // can be drawn or painted as an object
  kOpenable = 1u << 9,
  kRoom = 1u << 10,     // "in the X": garden, house, forest
  kWater = 1u << 11,    // river, lake, pond
  kLandmark = 1u << 12, // "near the X": tree, fence, bench
  kSurface = 1u << 13,  // "on the X"
  kCover = 1u << 14,    // "under the X"
  kOver = 1u << 15,     // "over the X"
  kCross = 1u << 16,    // "across the X", "crosses the X"
  kClimb = 1u << 17,    // "climbs the X"
  kWooden = 1u << 18,   // can be "wooden"
  kContainer = 1u << 19,// can be "empty"
};
constexpr unsigned kAnimate = kAnimal | kPerson;
constexpr unsigned kThing = kFood | kHandheld | kToy | kText | kPicture;
constexpr unsigned kPlace = kRoom | kWater | kLandmark;

// Kinds of prepositional phrase a verb or noun accepts, combined as bit masks.
enum PpKind : unsigned {
  kPpInRoom = 1u << 0,     // in + kRoom
  kPpInWater = 1u << 1,    // in + kWater
  kPpNear = 1u << 2,       // near / behind / beside / by + any place
  kPpUnder = 1u << 3,      // under + kCover
  kPpOn = 1u << 4,         // on + kSurface
  kPpOver = 1u << 5,       // over + kOver
  kPpAcross = 1u << 6,     // across + kCross
  kPpWithFriend = 1u << 7, // with + animate (companion)
  kPpWithThing = 1u << 8,  // with + toy or handheld thing
};
constexpr unsigned kStatic = kPpInRoom | kPpNear | kPpUnder | kPpOn;
constexpr unsigned kMotion = kPpInRoom | kPpNear | kPpOver | kPpAcross;

struct Noun {
  const char* singular;
  const char* plural;
  unsigned classes;
};

struct Verb {
  const char* third_singular;  // "sleeps"
  const char* base;            // "sleep" (plural subjects, I, you)
  const char* past;            // "slept"
  unsigned subject;            // classes a subject may have
  unsigned object;             // classes an object may have; 0 = intransitive
  unsigned pps;                // PpKind mask of phrases that may follow the verb (phrase)
};

struct Adjective {
  const char* word;
  unsigned applies_to;  // noun classes it fits
  int order;            // English adjective order: 1 opinion, 2 size, 3 age, 4 colour, 5 material
};

enum class Number { singular, plural, any };

struct Determiner {
  const char* word;
  Number number;
  double weight_singular;  // relative frequency before a singular noun
  double weight_plural;    // relative frequency before a plural noun
};

struct Pronoun {
  const char* word;
  bool subject;     // nominative (he) or accusative (him)
  Number agrees;    // verb agreement: he -> sleeps (singular); they, I, you -> sleep (plural)
  unsigned classes; // what it can stand for
};

struct Preposition {
  const char* word;
  PpKind kind;
  unsigned objects;  // noun classes of its object
};

const std::vector<Noun>& nouns();
const std::vector<Verb>& verbs();
const std::vector<Adjective>& adjectives();
const std::vector<Determiner>& determiners();  // "a" stands for a/an: the generator picks by sound
const std::vector<Pronoun>& pronouns();
const std::vector<Preposition>& prepositions();

}  // namespace attn::lexicon
