#include "grammar.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "args.hpp"
#include "describe.hpp"
#include "errors.hpp"
#include "tree_json.hpp"

namespace attn {

using namespace lexicon;

namespace {

// Every probability of the grammar in one place (all of them enter grammar_hash()).
struct Probabilities {
  double transitive = 0.55;      // a clause's verb takes an object
  double present = 0.8;          // present tense (agreement visible) rather than past
  double plural = 0.3;           // a subject or object noun is plural
  double plural_pobj = 0.08;     // a preposition's object is plural
  double bare_plural = 20;       // weight of "no determiner" before a plural noun (determiners sum to ~85)
  double the_pobj = 0.6;         // a preposition's object takes "the" outright
  double pronoun_subject = 0.15;
  double pronoun_object = 0.08;
  double pronoun_pobj = 0.05;
  double one_adjective = 0.35;
  double two_adjectives = 0.12;
  double relative_clause = 0.12;  // after a subject or object noun
  double subject_relative = 0.6;  // "the dog that barks" rather than "the ball that the dog chased"
  double who_for_people = 0.7;    // "who" rather than "that" after a person
  double noun_pp = 0.12;          // "the cat under the table"
  double verb_pp = 0.3;           // "sleeps under the table"
  double subject_coordination = 0.07;
  double object_coordination = 0.05;
  double verb_coordination = 0.07;
  double clause_coordination = 0.08;
  double force_five_words = 0.25;  // resample until the sentence has exactly five words
  double keep_three_words = 0.5;   // keep a three-word sentence (otherwise resample)
  int min_words = 3;
  int max_words = 16;
};
constexpr Probabilities kP{};
constexpr const char* kGrammarVersion = "attention-lab grammar v1";

constexpr int kUnset = -2;

bool starts_with_vowel(const std::string& w) { return !w.empty() && std::string("aeiou").find(w[0]) != std::string::npos; }

}  // namespace

const char* rel_name(Rel r) {
  static const char* const names[kRelCount] = {"root", "det",   "amod", "nsubj", "dobj", "prep",
                                               "pobj", "relcl", "ref",  "cc",    "conj"};
  return names[static_cast<int>(r)];
}

Grammar::Grammar(uint64_t seed) : rng_(seed * 0xD1B54A32D192ED03ULL + 0x6A09E667F3BCC909ULL) {}

double Grammar::uniform() { return static_cast<double>(rng_.next() >> 11) * (1.0 / 9007199254740992.0); }

size_t Grammar::pick(size_t n) { return static_cast<size_t>(rng_.next() % n); }

int Grammar::add(const std::string& word, int head, Rel rel) {
  s_.words.push_back(word);
  s_.heads.push_back(head);
  s_.rels.push_back(rel);
  return static_cast<int>(s_.words.size()) - 1;
}

const Verb* Grammar::pick_verb(unsigned subject, unsigned object_must, bool transitive) {
  std::vector<const Verb*> ok;
  for (const Verb& v : verbs())
    if ((v.subject & subject) && (v.object != 0) == transitive && (object_must == 0 || (v.object & object_must)))
      ok.push_back(&v);
  return ok.empty() ? nullptr : ok[pick(ok.size())];
}

// ---------------------------------------------------------------- noun phrases

Grammar::Np Grammar::noun_phrase(unsigned allowed, Role role, int depth, bool allow_pronoun) {
  const double p_pronoun =
      role == Role::subject ? kP.pronoun_subject : role == Role::object ? kP.pronoun_object : kP.pronoun_pobj;
  if (uniform() < p_pronoun && allow_pronoun) {
    std::vector<const Pronoun*> ok;
    for (const Pronoun& p : pronouns())
      if (p.subject == (role == Role::subject) && (p.classes & allowed)) ok.push_back(&p);
    if (!ok.empty()) {
      const Pronoun& p = *ok[pick(ok.size())];
      return {add(p.word, kUnset, Rel::root), p.agrees == Number::plural, p.classes & allowed, true, false};
    }
  }
  std::vector<const Noun*> candidates;
  for (const Noun& n : nouns())
    if (n.classes & allowed) candidates.push_back(&n);
  const Noun& noun = *candidates[pick(candidates.size())];
  const bool plural = uniform() < (role == Role::pobj ? kP.plural_pobj : kP.plural);

  // Determiner (or none before a plural), chosen by weight for the noun's number.
  int det = -1;
  if (role == Role::pobj && uniform() < kP.the_pobj) {
    det = add("the", kUnset, Rel::det);
  } else {
    double total = plural ? kP.bare_plural : 0;
    for (const Determiner& d : determiners()) total += plural ? d.weight_plural : d.weight_singular;
    double r = uniform() * total;
    for (const Determiner& d : determiners()) {
      r -= plural ? d.weight_plural : d.weight_singular;
      if (r < 0) {
        det = add(d.word, kUnset, Rel::det);
        break;
      }
    }
  }

  // Adjectives: up to two, of different kinds, in English order (opinion, size, age, colour, material).
  std::vector<const Adjective*> fits;
  for (const Adjective& a : adjectives())
    if (a.applies_to & noun.classes) fits.push_back(&a);
  std::vector<const Adjective*> chosen;
  const double r = uniform();
  const int count = r < kP.two_adjectives ? 2 : r < kP.two_adjectives + kP.one_adjective ? 1 : 0;
  for (int k = 0; k < count && !fits.empty(); ++k) {
    const Adjective* a = fits[pick(fits.size())];
    chosen.push_back(a);
    fits.erase(std::remove_if(fits.begin(), fits.end(), [&](const Adjective* b) { return b->order == a->order; }),
               fits.end());
  }
  std::stable_sort(chosen.begin(), chosen.end(), [](const Adjective* a, const Adjective* b) { return a->order < b->order; });
  std::vector<int> adjs;
  for (const Adjective* a : chosen) adjs.push_back(add(a->word, kUnset, Rel::amod));

  const int head = add(plural ? noun.plural : noun.singular, kUnset, Rel::root);
  if (det >= 0) s_.heads[det] = head;
  for (int a : adjs) s_.heads[a] = head;
  Np np{head, plural, noun.classes, false, false};

  if (depth == 0 && role != Role::pobj) {
    if (uniform() < kP.relative_clause) {
      relative_clause(np);
      np.modified = true;
    } else if (uniform() < kP.noun_pp) {
      np.modified = true;
      const unsigned kinds = (noun.classes & kAnimate)  ? kPpInRoom | kPpNear | kPpUnder | kPpOn | kPpWithThing
                             : (noun.classes & kThing) ? kPpInRoom | kPpNear | kPpUnder | kPpOn
                                                       : kPpNear;
      prep_phrase(head, kinds);
    }
  }
  return np;
}

void Grammar::relative_clause(const Np& noun) {
  const bool present = uniform() < kP.present;
  if (uniform() < kP.subject_relative) {  // "the dog that chased the cat"
    const bool transitive = uniform() < kP.transitive;
    const Verb* v = pick_verb(noun.classes, 0, transitive);
    if (!v) return;
    const bool who = (noun.classes & kPerson) && uniform() < kP.who_for_people;
    add(who ? "who" : "that", noun.head, Rel::ref);
    const int verb = add(!present ? v->past : noun.plural ? v->base : v->third_singular, noun.head, Rel::relcl);
    if (v->object) {
      const Np o = noun_phrase(v->object, Role::object, 1);
      s_.heads[o.head] = verb;
      s_.rels[o.head] = Rel::dobj;
    }
    return;
  }
  const Verb* v = pick_verb(kAnimate, noun.classes, true);  // "the ball that the dog chased"
  if (!v) return;
  add("that", noun.head, Rel::ref);
  const Np subj = noun_phrase(v->subject, Role::subject, 1);
  const int verb = add(!present ? v->past : subj.plural ? v->base : v->third_singular, noun.head, Rel::relcl);
  s_.heads[subj.head] = verb;
  s_.rels[subj.head] = Rel::nsubj;
}

void Grammar::prep_phrase(int attach_to, unsigned pp_kinds) {
  std::vector<const Preposition*> ok;
  for (const Preposition& p : prepositions())
    if (p.kind & pp_kinds) ok.push_back(&p);
  const Preposition& p = *ok[pick(ok.size())];
  const int prep = add(p.word, attach_to, Rel::prep);
  const Np obj = noun_phrase(p.objects, Role::pobj, 1);
  s_.heads[obj.head] = prep;
  s_.rels[obj.head] = Rel::pobj;
}

// ---------------------------------------------------------------- clauses and sentences

int Grammar::clause(int depth) {
  const Verb* v = pick_verb(~0u, 0, uniform() < kP.transitive);
  const bool present = uniform() < kP.present;
  std::vector<unsigned> subject_classes;
  bool plural;
  int subject;
  if (depth == 0 && uniform() < kP.subject_coordination) {  // "the cat and the dog sleep"
    const Np a = noun_phrase(v->subject, Role::subject, 1);
    const int cc = add("and", kUnset, Rel::cc);
    const Np b = noun_phrase(v->subject, Role::subject, 1, false);
    s_.heads[cc] = b.head;
    s_.heads[b.head] = a.head;
    s_.rels[b.head] = Rel::conj;
    subject = a.head;
    plural = true;
    subject_classes = {a.classes, b.classes};
  } else {
    const Np a = noun_phrase(v->subject, Role::subject, depth);
    subject = a.head;
    plural = a.plural;
    subject_classes = {a.classes};
  }
  const auto form = [&](const Verb* w) { return !present ? w->past : plural ? w->base : w->third_singular; };
  const int verb = add(form(v), kUnset, Rel::root);
  s_.heads[subject] = verb;
  s_.rels[subject] = Rel::nsubj;

  if (v->object) {
    const Np o = noun_phrase(v->object, Role::object, depth);
    s_.heads[o.head] = verb;
    s_.rels[o.head] = Rel::dobj;
    if (depth == 0 && !o.pronoun && !o.modified && uniform() < kP.object_coordination) {  // "eats an apple or a pear"
      const int cc = add(uniform() < 0.7 ? "and" : "or", kUnset, Rel::cc);
      const Np o2 = noun_phrase(v->object, Role::object, 1, false);
      s_.heads[cc] = o2.head;
      s_.heads[o2.head] = o.head;
      s_.rels[o2.head] = Rel::conj;
    }
  }
  if (v->pps && uniform() < kP.verb_pp) prep_phrase(verb, v->pps);

  if (depth == 0 && uniform() < kP.verb_coordination) {  // "the dog runs and jumps"
    std::vector<const Verb*> ok;
    for (const Verb& w : verbs()) {
      bool fits = &w != v;
      for (unsigned c : subject_classes) fits = fits && (w.subject & c);
      if (fits) ok.push_back(&w);
    }
    if (!ok.empty()) {
      const Verb* w = ok[pick(ok.size())];
      const int cc = add(uniform() < 0.8 ? "and" : "or", kUnset, Rel::cc);
      const int verb2 = add(form(w), verb, Rel::conj);
      s_.heads[cc] = verb2;
      if (w->object) {
        const Np o = noun_phrase(w->object, Role::object, 1);
        s_.heads[o.head] = verb2;
        s_.rels[o.head] = Rel::dobj;
      }
    }
  }
  return verb;
}

Sentence Grammar::attempt() {
  s_ = Sentence{};
  const int verb = clause(0);
  s_.heads[verb] = -1;
  s_.rels[verb] = Rel::root;
  if (uniform() < kP.clause_coordination) {  // "the cat sleeps but the dog runs"
    const int cc = add(uniform() < 0.6 ? "and" : "but", kUnset, Rel::cc);
    const int verb2 = clause(1);
    s_.heads[cc] = verb2;
    s_.heads[verb2] = verb;
    s_.rels[verb2] = Rel::conj;
  }
  for (size_t i = 0; i + 1 < s_.words.size(); ++i)
    if (s_.words[i] == "a" && starts_with_vowel(s_.words[i + 1])) s_.words[i] = "an";
  return s_;
}

Sentence Grammar::next() {
  const bool five = uniform() < kP.force_five_words;
  for (;;) {
    Sentence s = attempt();
    const int n = static_cast<int>(s.words.size());
    bool that_that = false;  // "the ball that that dog chased" is grammatical but hard to read
    for (int i = 0; i + 1 < n; ++i) that_that = that_that || (s.words[i] == "that" && s.words[i + 1] == "that");
    if (that_that) continue;
    if (five) {
      if (n == 5) return s;
      continue;
    }
    if (n < kP.min_words || n > kP.max_words) continue;
    if (n == kP.min_words && uniform() >= kP.keep_three_words) continue;
    return s;
  }
}

// ---------------------------------------------------------------- the sampler (engine.sampleSentences)

Rel rel_from_name(const std::string& name) {
  std::string known;
  for (int r = 0; r < kRelCount; ++r) {
    if (name == rel_name(static_cast<Rel>(r))) return static_cast<Rel>(r);
    known += (r ? ", " : "") + std::string(rel_name(static_cast<Rel>(r)));
  }
  throw Error("sampleSentences", "needs: unknown relation " + quote(name) + " (known: " + known + ")");
}

std::vector<Sentence> sample_sentences(const SampleRequest& q, long long* draws_out) {
  const char* fn = "sampleSentences";
  if (q.words != 0 && (q.words < kP.min_words || q.words > kP.max_words))
    throw Error(fn, "words must be 0 (any length) or " + std::to_string(kP.min_words) + ".." +
                        std::to_string(kP.max_words) + " (got " + std::to_string(q.words) + ")");
  if (q.count < 1 || q.count > kSampleMaxCount)
    throw Error(fn, "count must be 1.." + std::to_string(kSampleMaxCount) + " (got " + std::to_string(q.count) + ")");
  Grammar g(q.seed);
  std::vector<Sentence> out;
  std::set<std::vector<std::string>> seen;
  long long draws = 0;
  while (static_cast<int>(out.size()) < q.count) {
    if (draws >= kSampleMaxDraws) {
      std::string need;
      for (Rel r : q.needs) need += (need.empty() ? "" : ", ") + std::string(rel_name(r));
      throw Error(fn, "the grammar gave only " + std::to_string(out.size()) + " of " + std::to_string(q.count) +
                          " distinct sentences" + (q.words ? " of " + std::to_string(q.words) + " words" : "") +
                          (need.empty() ? "" : " with " + need) + " in " + std::to_string(kSampleMaxDraws) + " draws");
    }
    Sentence s = g.next();
    ++draws;
    if (q.words != 0 && static_cast<int>(s.words.size()) != q.words) continue;
    bool ok = true;
    for (Rel r : q.needs) ok = ok && std::find(s.rels.begin(), s.rels.end(), r) != s.rels.end();
    if (!ok || !seen.insert(s.words).second) continue;
    out.push_back(std::move(s));
  }
  if (draws_out) *draws_out = draws;
  return out;
}

Tree sample_sentences_tree(const Tree& j) {
  const char* fn = "sampleSentences";
  if (j.kind != Tree::Kind::Object) throw Error(fn, "the request must be an object like {\"words\": 5, \"count\": 3, \"seed\": 7}");
  for (const auto& field : j.fields)
    if (field.first != "words" && field.first != "count" && field.first != "seed" && field.first != "needs")
      throw Error(fn, "unknown option " + quote(field.first) + " (known: words, count, seed, needs)");
  const auto number = [&](const char* key, long long lo, long long hi, long long fallback) {
    const Tree* v = j.find(key);
    if (!v) return fallback;
    if (!v->is_number()) throw Error(fn, std::string(key) + " must be a whole number, got " + describe(*v));
    return whole_number(fn, key, v->as_double(), lo, hi);
  };
  SampleRequest q;
  q.words = static_cast<int>(number("words", 0, kP.max_words, q.words));
  q.count = static_cast<int>(number("count", 1, kSampleMaxCount, q.count));
  q.seed = static_cast<uint64_t>(number("seed", 0, 9007199254740991LL, 0));
  if (const Tree* n = j.find("needs")) {
    if (n->kind != Tree::Kind::List) throw Error(fn, "needs must be a list of relation names, got " + describe(*n));
    for (const Tree& r : n->items) {
      if (r.kind != Tree::Kind::Text) throw Error(fn, "needs must hold relation names (strings), got " + describe(r));
      q.needs.push_back(rel_from_name(r.text));
    }
  }
  long long draws = 0;
  const std::vector<Sentence> got = sample_sentences(q, &draws);
  Tree list = Tree::list();
  for (const Sentence& s : got) {
    Tree rels = Tree::list();
    for (Rel r : s.rels) rels.push(Tree::of_text(rel_name(r)));
    list.push(Tree::object().set("words", Tree::texts(s.words)).set("heads", Tree::integers(s.heads)).set("rels", std::move(rels)));
  }
  return Tree::object()
      .set("seed", Tree::of_integer(static_cast<long long>(q.seed)))
      .set("words", Tree::of_integer(q.words))
      .set("grammar_hash", Tree::of_text(grammar_hash()))
      .set("draws", Tree::of_integer(draws))
      .set("sentences", std::move(list));
}

std::string sample_sentences_json(const std::string& request_json) {
  const auto j = nlohmann::json::parse(request_json, nullptr, false);
  // Text that is not a JSON object reads as null, which sample_sentences_tree refuses by name.
  return to_json(sample_sentences_tree(j.is_object() ? tree_of_json(j) : Tree())).dump();
}

// ---------------------------------------------------------------- vocabulary, hash, agreement

std::vector<std::string> grammar_vocabulary() {
  std::set<std::string> w = {"an", "who", "that", "and", "or", "but"};
  for (const Noun& n : nouns()) w.insert({n.singular, n.plural});
  for (const Verb& v : verbs()) w.insert({v.third_singular, v.base, v.past});
  for (const Adjective& a : adjectives()) w.insert(a.word);
  for (const Determiner& d : determiners()) w.insert(d.word);
  for (const Pronoun& p : pronouns()) w.insert(p.word);
  for (const Preposition& p : prepositions()) w.insert(p.word);
  return {w.begin(), w.end()};
}

std::string grammar_hash() {
  std::string dump = kGrammarVersion;
  char buf[64];
  const auto put = [&](double v) {
    std::snprintf(buf, sizeof buf, "|%.17g", v);
    dump += buf;
  };
  for (double v : {kP.transitive, kP.present, kP.plural, kP.plural_pobj, kP.bare_plural, kP.the_pobj,
                   kP.pronoun_subject, kP.pronoun_object, kP.pronoun_pobj, kP.one_adjective, kP.two_adjectives,
                   kP.relative_clause, kP.subject_relative, kP.who_for_people, kP.noun_pp, kP.verb_pp,
                   kP.subject_coordination, kP.object_coordination, kP.verb_coordination, kP.clause_coordination,
                   kP.force_five_words, kP.keep_three_words, double(kP.min_words), double(kP.max_words)})
    put(v);
  for (const Noun& n : nouns()) dump += std::string("|N ") + n.singular + " " + n.plural + " " + std::to_string(n.classes);
  for (const Verb& v : verbs())
    dump += std::string("|V ") + v.third_singular + " " + v.base + " " + v.past + " " + std::to_string(v.subject) +
            " " + std::to_string(v.object) + " " + std::to_string(v.pps);
  for (const Adjective& a : adjectives())
    dump += std::string("|A ") + a.word + " " + std::to_string(a.applies_to) + " " + std::to_string(a.order);
  for (const Determiner& d : determiners()) {
    dump += std::string("|D ") + d.word + " " + std::to_string(static_cast<int>(d.number));
    put(d.weight_singular);
    put(d.weight_plural);
  }
  for (const Pronoun& p : pronouns())
    dump += std::string("|P ") + p.word + " " + std::to_string(p.subject) + " " +
            std::to_string(static_cast<int>(p.agrees)) + " " + std::to_string(p.classes);
  for (const Preposition& p : prepositions())
    dump += std::string("|R ") + p.word + " " + std::to_string(p.kind) + " " + std::to_string(p.objects);
  const uint64_t h = hash_word(dump);  // FNV-1a 64 (random.hpp)
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

Number agreement_number(const std::string& word) {
  static const std::map<std::string, Number> table = [] {
    std::map<std::string, Number> t;
    const auto put = [&t](const std::string& w, Number n) {
      const auto [it, inserted] = t.emplace(w, n);
      if (!inserted && it->second != n) it->second = Number::any;  // e.g. "read": base and past
    };
    for (const Noun& n : nouns()) put(n.singular, Number::singular), put(n.plural, Number::plural);
    for (const Verb& v : verbs())
      put(v.third_singular, Number::singular), put(v.base, Number::plural), put(v.past, Number::any);
    for (const Determiner& d : determiners()) put(d.word, d.number);
    put("an", Number::singular);
    for (const Pronoun& p : pronouns()) put(p.word, p.agrees);
    return t;
  }();
  const auto it = table.find(word);
  return it == table.end() ? Number::any : it->second;
}

}  // namespace attn
