// Values from the outside world as they appear in error messages: short, on one line, and never
// larger than a few dozen characters however large or deeply nested the input was.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tree.hpp"

namespace attn {

/// `s` in double quotes as JSON would write it ("\"the cat\"", "\"a\\nb\""): quotes, backslashes and
/// control characters escaped so a message stays on one line, cut at a character boundary after `max`
/// bytes with "..." marking the cut. Bytes that are not UTF-8 become U+FFFD.
std::string quote(const std::string& s, size_t max = 40);

/// The byte offset of the first thing in `s` that is not UTF-8 (a stray or missing continuation byte,
/// an overlong form, a surrogate, a code point past U+10FFFF), or std::string::npos when all of it is.
size_t utf8_problem(const std::string& s);

/// A JSON value for a message: numbers, booleans and null as written, strings through quote() ("\"learned\""), and
/// arrays and objects by kind and size ("an array of 3 items", "an object with 2 keys"), so a deeply
/// nested or huge value is never printed (printing it would recurse once per level).
std::string describe(const nlohmann::json& v);

/// describe() for an input Tree (a scenario read from JSON text or from a JS value): the same words
/// nlohmann::json's describe gives for the same JSON.
std::string describe(const Tree& v);

/// A number, boolean or null of an input Tree as nlohmann::json's dump() writes it: whole numbers as
/// digits, other numbers as the shortest decimal that reads back ("2.0", "1e+300", "1e-05").
std::string literal(const Tree& v);

/// nlohmann::json's type_name() for an input Tree: "null", "boolean", "number", "string", "array", "object".
const char* type_name(const Tree& v);

}  // namespace attn
