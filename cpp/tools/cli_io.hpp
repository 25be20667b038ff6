// What the native command line reads from the outside: integer options and bounded input. Everything
// throws attn::Error (the CLI prints it on one line and exits with code 2).
#pragma once

#include <cstddef>
#include <istream>
#include <string>

namespace attn::cli {

/// Largest stdin or --model file the CLI reads: 64 MiB, enough for the largest trace scenario (a few
/// tens of MB of JSON) and for any model.bin this build decodes. `attn trace < /dev/zero` stops here.
constexpr size_t kMaxInputBytes = size_t{64} << 20;

/// `s` as an integer in [lo, hi]; throws Error(what, "expected an integer in [lo, hi], got \"s\"").
long long to_int(const std::string& s, const std::string& what, long long lo, long long hi);

/// All of `in`, or Error(what, "larger than 67108864 bytes ...") after kMaxInputBytes.
std::string read_bounded(std::istream& in, const std::string& what);

/// The bytes of the file at `path` (at most kMaxInputBytes); Error(path, ...) when it cannot be read.
std::string read_file(const std::string& path);

}  // namespace attn::cli
