// attn: the native command line over the attention core.
//
//   attn trace < scenario.json > trace.json      run one scenario (see docs/engine.md, "The trace contract")
//   attn bench --n 64 --d 512 --h 8 [--reps 20]  time multi_head_attention, print JSON
//   attn vocab                                   list the built-in vocabulary and feature names
//   attn train --heads 4 --steps N --seed S --out DIR      train the course model (DIR/model.bin, manifest.json)
//   attn analyze --model DIR/model.bin --out FILE.json     what every head attends to (Clark et al. 2019 style)
//   attn model-trace --model DIR/model.bin < {"tokens":[...]}   every layer's and head's attention, as JSON
//   attn compare-heads --model A.bin --reference B.bin     largest attention difference per head (int8 vs float16)
//   attn sentences --seed S [--count N] [--words W] [--needs det,dobj]   grammar sampler (= engine.sampleSentences)
//   attn ablate --steps N --out DIR [--heads 1,2,4,8,16] [--seeds 1,2]   held-out loss vs number of heads
//
// Exit codes: 0 ok, 2 bad input (one line on stderr saying what and where), 1 internal error.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "../core/attention.hpp"
#include "../core/embed.hpp"
#include "../core/random.hpp"
#include "../core/trace.hpp"
#include "../core/tree_json.hpp"
#include "../course/grammar.hpp"
#include "cli_io.hpp"
#include "model_cli.hpp"

namespace {

int usage() {
  std::cerr << "usage: attn trace < scenario.json | attn bench --n N --d D --h H [--reps R] | attn vocab\n"
               "       attn train --heads H --steps N --seed S --out DIR [--d-model D] [--layers L] [--batch B] [--lr X]\n"
               "                  [--format int8|f16] [--f16-copy FILE]\n"
               "       attn analyze --model DIR/model.bin --out FILE.json [--sentences N]\n"
               "       attn compare-heads --model A.bin --reference B.bin [--sentences N]\n"
               "       attn model-trace --model DIR/model.bin < {\"tokens\": [...], \"unknown\": \"error\"|\"mask\"}\n"
               "       attn sentences --seed S [--count N] [--words W] [--needs det,dobj]\n"
               "       attn ablate --steps N --out DIR [--heads 1,2,4,8,16] [--seeds 1,2] [--d-model D] [--layers L]\n";
  return 2;
}

int cmd_trace() {
  std::cout << attn::run_trace_text(attn::cli::read_bounded(std::cin, "scenario")) << '\n';
  return 0;
}

// Median wall time of multi_head_attention on seeded inputs (sizes within the trace contract's).
int cmd_bench(int argc, char** argv) {
  if (argc % 2 != 0) return usage();
  long long n = 64, d = 512, h = 8, reps = 20;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--n") n = attn::cli::to_int(v, k, 1, attn::kMaxTokens);
    else if (k == "--d") d = attn::cli::to_int(v, k, 1, 1024);
    else if (k == "--h") h = attn::cli::to_int(v, k, 1, 1024);  // must divide --d: the core says so
    else if (k == "--reps") reps = attn::cli::to_int(v, k, 1, 100000);
    else return usage();
  }
  const int rows = static_cast<int>(n), width = static_cast<int>(d), heads = static_cast<int>(h);
  const attn::Matrix X = attn::seeded_matrix(rows, width, 1, 0);
  std::vector<attn::Matrix> W;
  for (int i = 0; i < 4; ++i) W.push_back(attn::seeded_matrix(width, width, 2, i) * (1.0f / std::sqrt(static_cast<float>(d))));
  std::vector<double> ms;
  float sink = 0;
  for (int r = 0; r < reps + 1; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto t = attn::multi_head_attention(X, W[0], W[1], W[2], W[3], heads);
    const auto t1 = std::chrono::steady_clock::now();
    sink += t.output(0, 0);
    if (r > 0) ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());  // first run warms up
  }
  std::sort(ms.begin(), ms.end());
  std::cout << nlohmann::json{{"n", n}, {"d_model", d}, {"heads", h}, {"reps", reps}, {"median_ms", ms[ms.size() / 2]},
                              {"checksum", sink}}
                   .dump()
            << '\n';
  return 0;
}

int cmd_vocab() {
  std::cout << nlohmann::json{{"features", attn::feature_names()}, {"words", attn::vocabulary()}}.dump() << '\n';
  return 0;
}

// The grammar sampler, the same function engine.sampleSentences runs in the browser.
int cmd_sentences(int argc, char** argv) {
  if (argc % 2 != 0) return usage();
  nlohmann::json req = nlohmann::json::object();
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--seed") req["seed"] = attn::cli::to_int(v, k, 0, 9007199254740991LL);
    else if (k == "--count") req["count"] = attn::cli::to_int(v, k, 1, attn::kSampleMaxCount);
    else if (k == "--words") req["words"] = attn::cli::to_int(v, k, 0, 16);
    else if (k == "--needs") {
      req["needs"] = nlohmann::json::array();
      size_t start = 0;
      while (start <= v.size()) {
        const size_t comma = v.find(',', start);
        const std::string name = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!name.empty()) req["needs"].push_back(name);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else return usage();
  }
  std::cout << attn::sample_sentences_json(req.dump()) << '\n';
  return 0;
}

// Training allocates and frees matrices of a few hundred KB every step. glibc hands blocks that
// large straight back to the kernel (munmap), so every step paid page faults and zeroing for fresh
// pages: 40% of `attn train`'s time. Keeping freed memory in the heap changes no arithmetic (the
// weights stay bit for bit the same) and makes the retraining check about 1.7x faster.
void keep_freed_memory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string cmd = argv[1];
  try {
    if (cmd == "trace" && argc == 2) return cmd_trace();
    if (cmd == "bench") return cmd_bench(argc, argv);
    if (cmd == "vocab" && argc == 2) return cmd_vocab();
    if (cmd == "sentences") return cmd_sentences(argc, argv);
    const std::vector<std::string> rest(argv + 2, argv + argc);
    if (cmd == "train" || cmd == "ablate") keep_freed_memory();
    if (cmd == "train") return attn::cli::train(rest);
    if (cmd == "analyze") return attn::cli::analyze(rest);
    if (cmd == "model-trace") return attn::cli::model_trace(rest);
    if (cmd == "compare-heads") return attn::cli::compare_heads(rest);
    if (cmd == "ablate") return attn::cli::ablate(rest);
    return usage();
  } catch (const attn::Error& e) {
    std::cerr << "attn: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "attn: internal error: " << e.what() << '\n';
    return 1;
  }
}
