#include "lexicon.hpp"

namespace attn::lexicon {

const std::vector<Noun>& nouns() {
  static const std::vector<Noun> t = {
      // animals
      {"cat", "cats", kAnimal}, {"dog", "dogs", kAnimal}, {"mouse", "mice", kAnimal},
      {"horse", "horses", kAnimal}, {"rabbit", "rabbits", kAnimal}, {"fox", "foxes", kAnimal},
      {"bear", "bears", kAnimal}, {"lion", "lions", kAnimal}, {"tiger", "tigers", kAnimal},
      {"cow", "cows", kAnimal}, {"pig", "pigs", kAnimal}, {"goat", "goats", kAnimal},
      {"frog", "frogs", kAnimal}, {"monkey", "monkeys", kAnimal}, {"elephant", "elephants", kAnimal},
      {"squirrel", "squirrels", kAnimal}, {"turtle", "turtles", kAnimal}, {"puppy", "puppies", kAnimal},
      {"kitten", "kittens", kAnimal}, {"bird", "birds", kAnimal | kBird}, {"owl", "owls", kAnimal | kBird},
      {"duck", "ducks", kAnimal | kBird}, {"parrot", "parrots", kAnimal | kBird},
      // people
      {"girl", "girls", kPerson}, {"boy", "boys", kPerson}, {"child", "children", kPerson},
      {"man", "men", kPerson}, {"woman", "women", kPerson}, {"teacher", "teachers", kPerson},
      {"farmer", "farmers", kPerson}, {"baker", "bakers", kPerson}, {"doctor", "doctors", kPerson},
      {"pilot", "pilots", kPerson}, {"sailor", "sailors", kPerson}, {"king", "kings", kPerson},
      {"queen", "queens", kPerson}, {"student", "students", kPerson}, {"friend", "friends", kPerson},
      {"neighbor", "neighbors", kPerson}, {"baby", "babies", kPerson}, {"grandmother", "grandmothers", kPerson},
      {"grandfather", "grandfathers", kPerson}, {"artist", "artists", kPerson}, {"singer", "singers", kPerson},
      {"prince", "princes", kPerson}, {"princess", "princesses", kPerson}, {"nurse", "nurses", kPerson},
      // food
      {"apple", "apples", kFood | kHandheld}, {"cake", "cakes", kFood}, {"cookie", "cookies", kFood | kHandheld},
      {"carrot", "carrots", kFood | kHandheld}, {"banana", "bananas", kFood | kHandheld},
      {"egg", "eggs", kFood | kHandheld}, {"sandwich", "sandwiches", kFood | kHandheld}, {"pie", "pies", kFood},
      {"pear", "pears", kFood | kHandheld}, {"peach", "peaches", kFood | kHandheld},
      {"cherry", "cherries", kFood}, {"muffin", "muffins", kFood | kHandheld},
      {"orange", "oranges", kFood | kHandheld},
      // things
      {"box", "boxes", kHandheld | kOpenable | kContainer | kWooden}, {"hat", "hats", kHandheld}, {"cup", "cups", kHandheld | kContainer},
      {"bag", "bags", kHandheld | kOpenable | kContainer}, {"basket", "baskets", kHandheld | kOpenable | kContainer},
      {"key", "keys", kHandheld}, {"lamp", "lamps", kHandheld}, {"stone", "stones", kHandheld},
      {"shoe", "shoes", kHandheld}, {"flower", "flowers", kHandheld}, {"blanket", "blankets", kHandheld | kCover},
      {"bottle", "bottles", kHandheld | kOpenable | kContainer}, {"umbrella", "umbrellas", kHandheld | kCover},
      {"candle", "candles", kHandheld}, {"feather", "feathers", kHandheld}, {"spoon", "spoons", kHandheld | kWooden},
      {"ball", "balls", kToy | kHandheld}, {"kite", "kites", kToy | kHandheld}, {"drum", "drums", kToy | kHandheld},
      {"doll", "dolls", kToy | kHandheld | kWooden}, {"toy", "toys", kToy | kHandheld | kWooden}, {"puzzle", "puzzles", kToy},
      {"balloon", "balloons", kToy | kHandheld},
      {"book", "books", kText | kWritable | kHandheld | kOpenable},
      {"letter", "letters", kText | kWritable | kHandheld | kOpenable}, {"story", "stories", kText | kWritable},
      {"poem", "poems", kText | kWritable}, {"note", "notes", kText | kWritable | kHandheld},
      {"map", "maps", kText | kPicture | kHandheld}, {"picture", "pictures", kPicture | kHandheld},
      // places
      {"garden", "gardens", kRoom}, {"park", "parks", kRoom | kCross}, {"house", "houses", kRoom | kPicture},
      {"forest", "forests", kRoom}, {"kitchen", "kitchens", kRoom}, {"school", "schools", kRoom},
      {"field", "fields", kRoom | kCross}, {"barn", "barns", kRoom}, {"library", "libraries", kRoom},
      {"yard", "yards", kRoom}, {"room", "rooms", kRoom}, {"town", "towns", kRoom}, {"village", "villages", kRoom},
      {"cave", "caves", kRoom}, {"farm", "farms", kRoom}, {"castle", "castles", kRoom | kPicture},
      {"river", "rivers", kWater | kCross | kOver}, {"lake", "lakes", kWater | kCross}, {"pond", "ponds", kWater},
      {"tree", "trees", kLandmark | kCover | kClimb | kPicture}, {"table", "tables", kLandmark | kCover | kSurface | kWooden},
      {"bridge", "bridges", kLandmark | kCover | kCross | kWooden}, {"fence", "fences", kLandmark | kOver | kClimb | kPicture | kWooden},
      {"wall", "walls", kLandmark | kSurface | kOver | kClimb}, {"window", "windows", kLandmark | kOpenable | kWooden},
      {"door", "doors", kLandmark | kOpenable | kPicture | kWooden}, {"rock", "rocks", kLandmark | kSurface | kOver | kClimb},
      {"hill", "hills", kLandmark | kSurface | kOver | kClimb}, {"bench", "benches", kLandmark | kSurface | kCover | kWooden},
      {"bed", "beds", kLandmark | kSurface | kCover | kWooden}, {"mat", "mats", kLandmark | kSurface},
      {"street", "streets", kLandmark | kCross},
  };
  return t;
}

const std::vector<Verb>& verbs() {
  static const std::vector<Verb> t = {
      // intransitive
      {"sleeps", "sleep", "slept", kAnimate, 0, kStatic},
      {"runs", "run", "ran", kAnimate, 0, kMotion | kPpWithFriend},
      {"jumps", "jump", "jumped", kAnimate, 0, kMotion | kPpOn},
      {"walks", "walk", "walked", kAnimate, 0, kMotion | kPpWithFriend},
      {"swims", "swim", "swam", kAnimate, 0, kPpInWater | kPpAcross | kPpWithFriend},
      {"flies", "fly", "flew", kBird, 0, kPpOver | kPpNear | kPpInRoom},
      {"sings", "sing", "sang", kPerson | kBird, 0, kStatic | kPpWithFriend},
      {"dances", "dance", "danced", kPerson, 0, kStatic | kPpWithFriend},
      {"laughs", "laugh", "laughed", kPerson, 0, kStatic | kPpWithFriend},
      {"smiles", "smile", "smiled", kPerson, 0, kStatic},
      {"plays", "play", "played", kAnimate, 0, kStatic | kPpWithFriend | kPpWithThing},
      {"waits", "wait", "waited", kAnimate, 0, kStatic | kPpWithFriend},
      {"rests", "rest", "rested", kAnimate, 0, kStatic},
      {"hides", "hide", "hid", kAnimate, 0, kStatic},
      {"sits", "sit", "sat", kAnimate, 0, kStatic | kPpWithFriend},
      {"cries", "cry", "cried", kPerson, 0, kStatic},
      // transitive
      {"chases", "chase", "chased", kAnimate, kAnimal | kToy, kMotion},
      {"sees", "see", "saw", kAnimate, kAnimate | kThing | kPlace, kStatic},
      {"watches", "watch", "watched", kAnimate, kAnimate | kToy, kStatic},
      {"likes", "like", "liked", kAnimate, kAnimate | kThing, 0},
      {"loves", "love", "loved", kAnimate, kAnimate | kFood | kToy | kText | kRoom, 0},
      {"finds", "find", "found", kAnimate, kAnimate | kThing, kStatic},
      {"carries", "carry", "carried", kAnimate, kHandheld | kFood, kMotion},
      {"holds", "hold", "held", kPerson, kHandheld | kFood, kStatic},
      {"eats", "eat", "ate", kAnimate, kFood, kStatic},
      {"reads", "read", "read", kPerson, kText, kStatic | kPpWithFriend},
      {"writes", "write", "wrote", kPerson, kWritable, kStatic},
      {"draws", "draw", "drew", kPerson, kAnimate | kPicture | kToy | kFood, kStatic},
      {"paints", "paint", "painted", kPerson, kPicture | kToy, kStatic},
      {"follows", "follow", "followed", kAnimate, kAnimate, kMotion},
      {"helps", "help", "helped", kAnimate, kAnimate, kStatic},
      {"visits", "visit", "visited", kPerson, kPerson | kRoom, 0},
      {"feeds", "feed", "fed", kPerson, kAnimal, kStatic},
      {"catches", "catch", "caught", kAnimate, kToy, kStatic},
      {"buys", "buy", "bought", kPerson, kFood | kHandheld | kToy | kText, kPpInRoom},
      {"makes", "make", "made", kPerson, kFood | kToy | kPicture, kPpInRoom | kPpWithFriend},
      {"opens", "open", "opened", kPerson, kOpenable, kStatic},
      {"brings", "bring", "brought", kAnimate, kHandheld | kFood | kToy, 0},
      {"wants", "want", "wanted", kAnimate, kFood | kToy | kHandheld, 0},
      {"hugs", "hug", "hugged", kPerson, kAnimate | kToy, kStatic},
      {"climbs", "climb", "climbed", kAnimate, kClimb, kPpInRoom},
      {"crosses", "cross", "crossed", kAnimate, kCross, kPpWithFriend},
  };
  return t;
}

const std::vector<Adjective>& adjectives() {
  static const std::vector<Adjective> t = {
      {"happy", kAnimate, 1}, {"sleepy", kAnimate, 1}, {"hungry", kAnimate, 1}, {"brave", kAnimate, 1},
      {"clever", kAnimate, 1}, {"kind", kPerson, 1}, {"friendly", kAnimate, 1}, {"lazy", kAnimate, 1},
      {"busy", kPerson | kRoom, 1}, {"funny", kAnimate | kText | kToy, 1}, {"gentle", kAnimate, 1},
      {"quiet", kAnimate | kRoom, 1}, {"shy", kAnimate, 1}, {"tired", kAnimate, 1},
      {"beautiful", kAnimate | kThing | kPlace, 1}, {"sweet", kFood | kAnimal, 1}, {"fresh", kFood, 1},
      {"shiny", kHandheld | kToy, 1}, {"soft", kAnimal | kToy, 1}, {"heavy", kHandheld | kText, 1},
      {"empty", kContainer | kRoom, 1}, {"dark", kRoom | kWater, 1}, {"deep", kWater, 1},
      {"long", kText | kWater | kCross, 1}, {"big", kAnimate | kThing | kPlace, 2},
      {"small", kAnimate | kThing | kPlace, 2}, {"little", kAnimate | kThing | kPlace, 2},
      {"tiny", kAnimal | kThing, 2}, {"tall", kPerson | kClimb, 2}, {"old", kAnimate | kThing | kPlace, 3},
      {"young", kAnimate, 3}, {"new", kThing | kRoom | kLandmark, 3}, {"red", kThing | kLandmark | kRoom, 4},
      {"blue", kThing | kLandmark | kRoom, 4}, {"green", kThing | kLandmark | kRoom, 4},
      {"yellow", kThing | kLandmark | kRoom, 4}, {"purple", kThing, 4}, {"pink", kThing | kAnimal, 4},
      {"brown", kAnimal | kThing | kLandmark, 4}, {"white", kAnimal | kThing | kLandmark | kRoom, 4},
      {"black", kAnimal | kThing | kLandmark, 4}, {"grey", kAnimal | kLandmark, 4},
      {"wooden", kWooden, 5},
  };
  return t;
}

const std::vector<Determiner>& determiners() {
  static const std::vector<Determiner> t = {
      {"the", Number::any, 45, 40}, {"a", Number::singular, 30, 0},  {"this", Number::singular, 4, 0},
      {"that", Number::singular, 3, 0}, {"every", Number::singular, 2, 0}, {"one", Number::singular, 2, 0},
      {"these", Number::plural, 0, 5},  {"those", Number::plural, 0, 4},  {"some", Number::plural, 0, 8},
      {"many", Number::plural, 0, 5},   {"two", Number::plural, 0, 6},    {"three", Number::plural, 0, 4},
      {"my", Number::any, 5, 4},        {"our", Number::any, 3, 2},       {"your", Number::any, 3, 2},
      {"his", Number::any, 2, 1},       {"their", Number::any, 1, 2},
  };
  return t;
}

const std::vector<Pronoun>& pronouns() {
  static const std::vector<Pronoun> t = {
      {"he", true, Number::singular, kPerson},   {"she", true, Number::singular, kPerson},
      {"it", true, Number::singular, kAnimal},   {"they", true, Number::plural, kAnimate},
      {"we", true, Number::plural, kPerson},     {"you", true, Number::plural, kPerson},
      {"i", true, Number::plural, kPerson},      {"him", false, Number::singular, kPerson},
      {"her", false, Number::singular, kPerson}, {"it", false, Number::singular, kAnimal | kThing},
      {"them", false, Number::plural, kAnimate | kThing}, {"us", false, Number::plural, kPerson},
      {"me", false, Number::singular, kPerson},  {"you", false, Number::plural, kPerson},
  };
  return t;
}

const std::vector<Preposition>& prepositions() {
  static const std::vector<Preposition> t = {
      {"in", kPpInRoom, kRoom},         {"in", kPpInWater, kWater},     {"near", kPpNear, kPlace},
      {"behind", kPpNear, kLandmark | kRoom}, {"beside", kPpNear, kLandmark | kWater}, {"by", kPpNear, kLandmark | kWater},
      {"under", kPpUnder, kCover},      {"on", kPpOn, kSurface},        {"over", kPpOver, kOver},
      {"across", kPpAcross, kCross},    {"with", kPpWithFriend, kAnimate}, {"with", kPpWithThing, kToy | kHandheld},
  };
  return t;
}

}  // namespace attn::lexicon
