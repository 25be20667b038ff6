// The model subcommands of the attn CLI (see attn.cpp for the list). Each takes the argument
// vector after the subcommand name, writes JSON to stdout or files, progress to stderr, and throws
// attn::Error on bad input (the caller prints it and exits with code 2).
#pragma once

#include <string>
#include <vector>

namespace attn::cli {

/// attn train --heads H --steps N --seed S --out DIR [--d-model D] [--layers L] [--batch B] [--lr X]
int train(const std::vector<std::string>& args);

/// attn analyze --model DIR/model.bin --out DIR/analysis.json [--sentences N]
int analyze(const std::vector<std::string>& args);

/// attn convert --model IN.bin --out OUT.bin [--format int8|float16] [--sentences N]
/// Re-encodes a model.bin (int8 rows by default; see model_io.hpp) and prints the output's held-out
/// loss and accuracy (the manifest's "heldout" numbers, N = 2000 sentences by default) as JSON.
int convert(const std::vector<std::string>& args);

/// attn model-trace --model DIR/model.bin < {"tokens": [...], "unknown": "error" | "mask"}
int model_trace(const std::vector<std::string>& args);

/// attn ablate --steps N --out DIR [--heads 1,2,4,8,16] [--seeds 1,2] [--d-model D] [--layers L] [--batch B]
///             [--shipped-steps M] (recorded, to say how the ablation budget compares with the shipped model's)
int ablate(const std::vector<std::string>& args);

}  // namespace attn::cli
