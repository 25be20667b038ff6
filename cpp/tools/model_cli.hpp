// The model subcommands of the attn CLI (see attn.cpp for the list). Each takes the argument
// vector after the subcommand name, writes JSON to stdout or files, progress to stderr, and throws
// attn::Error on bad input (the caller prints it and exits with code 2).
#pragma once

#include <string>
#include <vector>

namespace attn::cli {

/// attn train --heads H --steps N --seed S --out DIR [--d-model D] [--layers L] [--batch B] [--lr X]
///            [--format int8|f16] (model.bin's encoding, default int8) [--f16-copy FILE] (the same weights
///            in float16 too, the reference for the int8 check)
int train(const std::vector<std::string>& args);

/// attn analyze --model DIR/model.bin --out DIR/analysis.json [--sentences N]
int analyze(const std::vector<std::string>& args);

/// attn compare-heads --model A.bin --reference B.bin [--sentences N]: per head, the largest |difference|
/// of the attention weights over the analysis sentences (JSON on stdout)
int compare_heads(const std::vector<std::string>& args);

/// attn model-trace --model DIR/model.bin < {"tokens": [...], "unknown": "error" | "mask"}
int model_trace(const std::vector<std::string>& args);

/// attn ablate --steps N --out DIR [--heads 1,2,4,8,16] [--seeds 1,2] [--d-model D] [--layers L] [--batch B]
///             [--shipped-steps M] (recorded, to say how the ablation budget compares with the shipped model's)
int ablate(const std::vector<std::string>& args);

}  // namespace attn::cli
