#include "cli_io.hpp"

#include <fstream>

#include "describe.hpp"
#include "errors.hpp"

namespace attn::cli {

long long to_int(const std::string& s, const std::string& what, long long lo, long long hi) {
  size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != s.size() || s.empty() || v < lo || v > hi)
    throw Error(what, "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + quote(s));
  return v;
}

std::string read_bounded(std::istream& in, const std::string& what) {
  std::string out;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.append(buf, static_cast<size_t>(in.gcount()));
    if (out.size() > kMaxInputBytes)
      throw Error(what, "larger than " + std::to_string(kMaxInputBytes) + " bytes; nothing this CLI reads is that large");
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot open for reading");
  return read_bounded(in, path);
}

}  // namespace attn::cli
