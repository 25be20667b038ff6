#include "describe.hpp"

#include <cstdint>
#include <cstdio>

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

}  // namespace attn
