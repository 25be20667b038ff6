#include "describe.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace attn {

namespace {

// Bytes in the UTF-8 character starting at s[i] (1 to 4), or 0 when the bytes there are not UTF-8
// (a stray continuation byte, a truncated or overlong sequence, a surrogate, past U+10FFFF).
size_t utf8_char(const std::string& s, size_t i) {
  const unsigned char b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return 1;
  const size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
  if (len == 0 || b > 0xF4 || i + len > s.size()) return 0;
  uint32_t cp = b & (len == 4 ? 0x07u : len == 3 ? 0x0Fu : 0x1Fu);
  for (size_t k = 1; k < len; ++k) {
    const unsigned char c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3Fu);
  }
  const uint32_t min = len == 4 ? 0x10000u : len == 3 ? 0x800u : 0x80u;
  return cp < min || cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu) ? 0 : len;
}

}  // namespace

size_t utf8_problem(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const size_t len = utf8_char(s, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string::npos;
}

std::string quote(const std::string& s, size_t max) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    if (i >= max) {
      out += "...";
      break;
    }
    const size_t len = utf8_char(s, i);
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
      ++i;
      continue;
    }
    if (b == '"' || b == '\\') {
      out += '\\';
      out += static_cast<char>(b);
    } else if (b == '\n') {
      out += "\\n";
    } else if (b < 0x20 || b == 0x7F) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", b);
      out += esc;
    } else {
      out.append(s, i, len);
    }
    i += len;
  }
  return out + "\"";
}

std::string describe(const nlohmann::json& v) {
  if (v.is_string()) return quote(v.get_ref<const std::string&>());
  if (v.is_array()) return "an array of " + std::to_string(v.size()) + (v.size() == 1 ? " item" : " items");
  if (v.is_object()) return "an object with " + std::to_string(v.size()) + (v.size() == 1 ? " key" : " keys");
  if (v.is_discarded()) return "nothing";
  return v.dump();  // null, true, false or a number: short
}

namespace {

// nlohmann::json's dump of a double (its to_chars + format_buffer): the shortest digits that read back,
// as "1.5", "100.0", "0.001", "1e-05" or "1.5e+300".
std::string float_literal(double x) {
  if (!std::isfinite(x)) return "null";
  std::string out;
  if (std::signbit(x)) out = "-", x = -x;
  if (x == 0) return out + "0.0";
  char buf[40];
  for (int p = 0; p <= 16; ++p) {
    std::snprintf(buf, sizeof buf, "%.*e", p, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  const char* e = std::strchr(buf, 'e');
  std::string digits;
  for (const char* c = buf; c < e; ++c)
    if (*c != '.') digits += *c;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int k = static_cast<int>(digits.size()), n = std::atoi(e + 1) + 1;
  if (k <= n && n <= 15) return out + digits + std::string(static_cast<size_t>(n - k), '0') + ".0";
  if (0 < n && n <= 15) return out + digits.substr(0, static_cast<size_t>(n)) + "." + digits.substr(static_cast<size_t>(n));
  if (-4 < n && n <= 0) return out + "0." + std::string(static_cast<size_t>(-n), '0') + digits;
  char exp[16];
  std::snprintf(exp, sizeof exp, "e%c%02d", n - 1 < 0 ? '-' : '+', std::abs(n - 1));
  return out + digits.substr(0, 1) + (k > 1 ? "." + digits.substr(1) : "") + exp;
}

}  // namespace

std::string literal(const Tree& v) {
  switch (v.kind) {
    case Tree::Kind::Flag: return v.flag ? "true" : "false";
    case Tree::Kind::Integer: return std::to_string(v.integer);
    case Tree::Kind::Number: return v.text.empty() ? float_literal(v.number) : v.text;
    case Tree::Kind::Text: return quote(v.text, static_cast<size_t>(-1));
    default: return "null";
  }
}

const char* type_name(const Tree& v) {
  switch (v.kind) {
    case Tree::Kind::Flag: return "boolean";
    case Tree::Kind::Integer:
    case Tree::Kind::Number: return "number";
    case Tree::Kind::Text: return "string";
    case Tree::Kind::List:
    case Tree::Kind::Matrix: return "array";
    case Tree::Kind::Object: return "object";
    default: return "null";
  }
}

std::string describe(const Tree& v) {
  if (v.kind == Tree::Kind::Text) return quote(v.text);
  const size_t n = v.size();
  if (v.kind == Tree::Kind::List) return "an array of " + std::to_string(n) + (n == 1 ? " item" : " items");
  if (v.kind == Tree::Kind::Object) return "an object with " + std::to_string(n) + (n == 1 ? " key" : " keys");
  return literal(v);
}

}  // namespace attn
