#include "model_cli.hpp"

#include "cli_io.hpp"

#include "model_json.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analyze.hpp"
#include "attention.hpp"
#include "describe.hpp"
#include "model_io.hpp"
#include "trace.hpp"
#include "tree_json.hpp"
#include "train.hpp"

namespace attn::cli {

using nlohmann::json;

namespace {

// ---------------------------------------------------------------- arguments and files

// "--key value" pairs; every key must be in `allowed`.
std::map<std::string, std::string> parse_args(const std::vector<std::string>& args, const std::vector<std::string>& allowed,
                                              const char* cmd) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < args.size(); i += 2) {
    const std::string& k = args[i];
    if (k.rfind("--", 0) != 0 || std::find(allowed.begin(), allowed.end(), k.substr(2)) == allowed.end())
      throw Error(cmd, "unknown option " + quote(k));
    if (i + 1 >= args.size()) throw Error(cmd, "option " + k + " needs a value");
    out[k.substr(2)] = args[i + 1];
  }
  return out;
}

std::string need(const std::map<std::string, std::string>& a, const std::string& key, const char* cmd) {
  const auto it = a.find(key);
  if (it == a.end()) throw Error(cmd, "missing --" + key);
  return it->second;
}

double to_double(const std::string& s, const std::string& what) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != s.size() || !std::isfinite(v) || v <= 0) throw Error(what, "expected a number > 0, got " + quote(s));
  return v;
}

std::vector<int> to_int_list(const std::string& s, const std::string& what) {
  std::vector<int> out;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, ',')) out.push_back(static_cast<int>(to_int(part, what, 0, 1 << 30)));
  if (out.empty()) throw Error(what, "expected a comma-separated list, got " + quote(s));
  return out;
}

void write_file(const std::string& path, const std::string& bytes) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw Error(path, "cannot write");
}

double round4(double v) { return std::round(v * 1e4) / 1e4; }

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

json config_json(const ModelConfig& c) { return config_to_json(c); }

size_t parameter_count(const Params<float>& p) {
  size_t n = 0;
  for (const auto& [name, m] : named_tensors(p)) n += static_cast<size_t>(m->size());
  return n;
}

TrainOptions train_options(const std::map<std::string, std::string>& a, const char* cmd) {
  TrainOptions o;
  if (a.count("heads")) o.n_heads = static_cast<int>(to_int(a.at("heads"), "--heads", 1, 256));
  if (a.count("steps")) o.steps = static_cast<int>(to_int(a.at("steps"), "--steps", 1, 10000000));
  if (a.count("seed")) o.seed = static_cast<uint64_t>(to_int(a.at("seed"), "--seed", 0, 1LL << 62));
  if (a.count("d-model")) o.d_model = static_cast<int>(to_int(a.at("d-model"), "--d-model", 1, 1024));
  if (a.count("layers")) o.n_layers = static_cast<int>(to_int(a.at("layers"), "--layers", 1, 16));
  if (a.count("batch")) o.batch = static_cast<int>(to_int(a.at("batch"), "--batch", 1, 100000));
  if (a.count("lr")) o.lr = to_double(a.at("lr"), "--lr");
  o.d_ff = 4 * o.d_model;
  if (o.d_model % o.n_heads != 0)
    throw Error(cmd, "--heads " + std::to_string(o.n_heads) + " does not divide --d-model " + std::to_string(o.d_model));
  return o;
}

json options_json(const TrainOptions& o) {
  return {{"steps", o.steps},       {"batch_sentences", o.batch}, {"lr", o.lr},
          {"warmup", o.warmup},     {"final_lr", o.final_lr},     {"clip", o.clip},
          {"mask_rate", o.mask_rate}, {"seed", o.seed},           {"optimizer", "Adam(0.9, 0.999, 1e-8), no weight decay"},
          {"schedule", "linear warm-up then cosine decay"}};
}

std::string command_line(const char* cmd, const std::vector<std::string>& args) {
  std::string s = std::string("attn ") + cmd;
  for (const std::string& a : args) s += " " + a;
  return s;
}

}  // namespace

// ---------------------------------------------------------------- train

int train(const std::vector<std::string>& args) {
  const char* cmd = "train";
  const auto a =
      parse_args(args, {"heads", "steps", "seed", "out", "d-model", "layers", "batch", "lr", "format", "f16-copy"}, cmd);
  const std::string out = need(a, "out", cmd);
  TrainOptions o = train_options(a, cmd);
  if (a.count("format")) o.format = parse_model_format(a.at("format"), "--format");
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = cpu_seconds();
  const TrainResult r = train(o, [&](int step, double loss) {
    std::cerr << "step " << step << "/" << o.steps << "  loss " << loss << "  " << seconds_since(t0) << " s\n";
  });
  const double wall = seconds_since(t0), cpu = cpu_seconds() - cpu0;
  const std::string bytes = encode_model(r.model, o.format);
  write_file(out + "/model.bin", bytes);
  // The same float weights in the float16 encoding: the reference the int8 model.bin is checked against.
  if (a.count("f16-copy")) write_file(a.at("f16-copy"), encode_model(r.model, ModelFormat::f16));
  json curve = json::array();
  for (const auto& [step, loss] : r.curve) curve.push_back({step, round4(loss)});
  const json manifest = {
      {"format", "attention-lab model manifest v1"},
      {"command", command_line(cmd, args)},
      {"objective", "masked language model (BERT-style: 15% of tokens predicted, 80/10/10 mask/random/keep), "
                    "bidirectional attention"},
      {"architecture", "token + learned position embeddings; pre-LayerNorm blocks (multi-head self-attention, "
                       "GELU MLP), final LayerNorm, output tied to the token embeddings plus a bias"},
      {"config", config_json(r.model.config)},
      {"parameters", parameter_count(r.model.params)},
      {"training", options_json(o)},
      {"grammar_hash", grammar_hash()},
      {"heldout",
       {{"loss", round4(r.heldout.loss)},
        {"accuracy", round4(r.heldout.accuracy)},
        {"masked_tokens", r.heldout.tokens},
        {"sentences", o.eval_sentences},
        {"note", std::string(o.format == ModelFormat::int8 ? "int8 (per-row scales)" : "float16") +
                     " weights as shipped; every predicted token replaced by [MASK]; fixed sentence stream "
                     "independent of the training seed"}}},
      {"model_bin", {{"bytes", bytes.size()}, {"format_version", static_cast<uint32_t>(o.format)}}},
      {"wall_time_s", std::round(wall * 10) / 10},
      {"cpu_time_s", std::round(cpu * 10) / 10},
      {"threads", 1},
      {"loss_curve", curve}};
  write_file(out + "/manifest.json", manifest.dump(2) + "\n");
  std::cerr << "held-out loss " << r.heldout.loss << ", accuracy " << r.heldout.accuracy << ", " << bytes.size()
            << " bytes, " << wall << " s\n";
  return 0;
}

// ---------------------------------------------------------------- analyze

int analyze(const std::vector<std::string>& args) {
  const char* cmd = "analyze";
  const auto a = parse_args(args, {"model", "out", "sentences"}, cmd);
  const std::string path = need(a, "model", cmd), out = need(a, "out", cmd);
  const int count = a.count("sentences") ? static_cast<int>(to_int(a.at("sentences"), "--sentences", 1, 1000000)) : 1000;
  const Model model = decode_model(read_file(path));
  const ModelConfig& c = model.config;

  const ModelAnalysis analysis = analyze_model(model, count);
  const int tokens = analysis.tokens;
  const auto& baselines = analysis.baselines;
  json heads = json::array(), labels = json::object();
  for (const HeadReport& r : analysis.heads) {
      json j = head_json(r);
      for (const char* k : {"previous", "next", "self", "first", "entropy", "uniform_entropy"}) j[k] = round4(j[k].get<double>());
      for (auto& [rel, dirs] : j["relations"].items())
        for (auto& [dir, v] : dirs.items())
          for (const char* k : {"accuracy", "baseline"}) v[k] = round4(v[k].get<double>());
      if (j.contains("best_relation"))
        for (const char* k : {"accuracy", "baseline"}) j["best_relation"][k] = round4(j["best_relation"][k].get<double>());
      labels[j["id"].get<std::string>()] = r.label;
      heads.push_back(std::move(j));
    }
  json base = json::object();
  for (const auto& [k, b] : baselines)
    base[rel_name(k.rel)][direction_name(k.dir)] = {{"count", b.count}, {"offset", b.offset}, {"accuracy", round4(b.accuracy)}};
  const json result = {
      {"format", "attention-lab head analysis v1"},
      {"command", command_line(cmd, args)},
      {"model_config", config_json(c)},
      {"grammar_hash", grammar_hash()},
      {"sentences", count},
      {"tokens", tokens},
      {"sentence_seed", kAnalysisSeed},
      {"method",
       {{"positional", "share of query tokens whose most-attended token (argmax, self included) is the previous "
                       "token (queries 2..n), the next token (queries 1..n-1), itself, or the first token (queries 2..n)"},
        {"entropy", "mean over query rows of -sum a log a, in nats; uniform_entropy is the mean log(n) of the same rows"},
        {"relations", "accuracy: fraction of gold relation instances where the query word's most-attended other word "
                      "(self excluded, ties to the earliest) is the related word; dependent_to_head queries from the "
                      "dependent, head_to_dependent from the head (Clark et al. 2019). baseline: best single fixed "
                      "relative offset for the same instances"}}},
      {"thresholds",
       {{"positional_share", kPositionalShare},
        {"syntax_margin_over_baseline", kSyntaxMargin},
        {"syntax_min_accuracy", kSyntaxAccuracy},
        {"syntax_min_count", kSyntaxMinCount},
        {"broad_entropy_fraction_of_uniform", kBroadEntropy},
        {"rule", "broad/diffuse when entropy >= broad_entropy_fraction_of_uniform x uniform_entropy; otherwise "
                 "every positional share >= positional_share, plus the best relation (count >= syntax_min_count) if "
                 "it beats its baseline by syntax_margin with accuracy >= syntax_min_accuracy, joined by '; '; "
                 "mixed when none applies"}}},
      {"baselines", base},
      {"labels", labels},
      {"heads", heads}};
  write_file(out, result.dump(1) + "\n");
  return 0;
}

// ---------------------------------------------------------------- compare-heads

int compare_heads(const std::vector<std::string>& args) {
  const char* cmd = "compare-heads";
  const auto a = parse_args(args, {"model", "reference", "sentences"}, cmd);
  const int count = a.count("sentences") ? static_cast<int>(to_int(a.at("sentences"), "--sentences", 1, 1000000)) : 1000;
  const Model model = decode_model(read_file(need(a, "model", cmd)));
  const Model reference = decode_model(read_file(need(a, "reference", cmd)));
  const std::vector<double> diff = attention_difference(model, reference, count);
  json heads = json::object();
  for (int l = 0; l < model.config.n_layers; ++l)
    for (int h = 0; h < model.config.n_heads; ++h)
      heads[std::to_string(l + 1) + "-" + std::to_string(h + 1)] = diff[l * model.config.n_heads + h];
  std::cout << json{{"sentences", count},
                    {"sentence_seed", kAnalysisSeed},
                    {"max_abs_diff", *std::max_element(diff.begin(), diff.end())},
                    {"heads", heads}}
                   .dump(1)
            << '\n';
  return 0;
}

// ---------------------------------------------------------------- model-trace

int model_trace(const std::vector<std::string>& args) {
  const char* cmd = "model-trace";
  const auto a = parse_args(args, {"model"}, cmd);
  const Model model = decode_model(read_file(need(a, "model", cmd)));
  const std::string text = read_bounded(std::cin, "input");
  const json in = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (in.is_discarded()) throw Error("input", "invalid JSON (expected {\"tokens\": [\"the\", \"cat\"]})");
  std::cout << model_trace_json(model, in).dump() << '\n';
  return 0;
}

// ---------------------------------------------------------------- ablate

int ablate(const std::vector<std::string>& args) {
  const char* cmd = "ablate";
  const auto a = parse_args(args, {"heads", "seeds", "steps", "out", "d-model", "layers", "batch", "shipped-steps"}, cmd);
  const std::string out = need(a, "out", cmd);
  const std::vector<int> head_counts = to_int_list(a.count("heads") ? a.at("heads") : "1,2,4,8,16", "--heads");
  const std::vector<int> seeds = to_int_list(a.count("seeds") ? a.at("seeds") : "1", "--seeds");
  auto base_args = a;
  base_args.erase("heads");
  base_args.erase("seeds");
  base_args.erase("out");
  base_args.erase("shipped-steps");
  json runs = json::array(), summary = json::array();
  TrainOptions shown;
  const auto t_all = std::chrono::steady_clock::now();
  const double cpu_all = cpu_seconds();
  for (int h : head_counts) {
    std::vector<double> losses, accs;
    for (int seed : seeds) {
      auto opt_args = base_args;
      opt_args["heads"] = std::to_string(h);
      opt_args["seed"] = std::to_string(seed);
      TrainOptions o = train_options(opt_args, cmd);
      o.format = ModelFormat::f16;  // scored in float16, as ablation.json was: the encoding is not what it compares
      shown = o;
      const auto t0 = std::chrono::steady_clock::now();
      const double cpu0 = cpu_seconds();
      const TrainResult r = train(o);
      const double wall = seconds_since(t0), cpu = cpu_seconds() - cpu0;
      losses.push_back(r.heldout.loss);
      accs.push_back(r.heldout.accuracy);
      runs.push_back({{"heads", h},
                      {"d_k", o.d_model / h},
                      {"seed", seed},
                      {"heldout_loss", round4(r.heldout.loss)},
                      {"heldout_accuracy", round4(r.heldout.accuracy)},
                      {"final_train_loss", round4(r.curve.back().second)},
                      {"wall_time_s", std::round(wall * 10) / 10},
                      {"cpu_time_s", std::round(cpu * 10) / 10}});
      std::cerr << "heads " << h << " seed " << seed << ": held-out loss " << r.heldout.loss << ", accuracy "
                << r.heldout.accuracy << " (" << wall << " s)\n";
    }
    double mean = 0, mean_acc = 0, var = 0;
    for (size_t i = 0; i < losses.size(); ++i) mean += losses[i] / losses.size(), mean_acc += accs[i] / accs.size();
    for (double l : losses) var += (l - mean) * (l - mean);
    const double sd = losses.size() > 1 ? std::sqrt(var / (losses.size() - 1)) : 0.0;
    summary.push_back({{"heads", h},
                       {"d_k", shown.d_model / h},
                       {"seeds", seeds.size()},
                       {"heldout_loss_mean", round4(mean)},
                       {"heldout_loss_sd", round4(sd)},
                       {"heldout_accuracy_mean", round4(mean_acc)}});
  }
  json training = options_json(shown);
  training.erase("seed");
  const json result = {
      {"format", "attention-lab head ablation v1"},
      {"command", command_line(cmd, args)},
      {"question", "At a fixed d_model (so fixed parameter count and compute), how does the number of heads change "
                   "held-out masked-LM loss? Our own version of Vaswani et al. 2017, Table 3 rows (A)."},
      {"fixed", {{"d_model", shown.d_model}, {"n_layers", shown.n_layers}, {"d_ff", shown.d_ff}, {"training", training}}},
      {"note", "every run has the same step budget, batch, schedule, grammar and held-out set; only n_heads (and so "
               "d_k = d_model / n_heads) and the seed change. heldout_loss_sd is the sample standard deviation over seeds."},
      {"grammar_hash", grammar_hash()},
      {"shipped_model_steps", a.count("shipped-steps") ? json(to_int(a.at("shipped-steps"), "--shipped-steps", 1, 10000000)) : json(nullptr)},
      {"budget", a.count("shipped-steps") ? "each run trains " + std::to_string(shown.steps) + " steps; the shipped model trained " +
                                                a.at("shipped-steps") + " (a smaller budget keeps the whole ablation within minutes)"
                                          : "each run trains " + std::to_string(shown.steps) + " steps"},
      {"runs", runs},
      {"summary", summary},
      {"total_wall_time_s", std::round(seconds_since(t_all))},
      {"total_cpu_time_s", std::round(cpu_seconds() - cpu_all)}};
  write_file(out + "/ablation.json", result.dump(2) + "\n");
  return 0;
}

}  // namespace attn::cli
