// Training the course model: masked-LM batches from the grammar, Adam, held-out evaluation.
// Single-threaded and fully seeded: the same options give the same weights, byte for byte.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "grammar.hpp"
#include "model.hpp"
#include "model_grad.hpp"
#include "model_io.hpp"

namespace attn {

/// Fixed streams, independent of the training seed, so every run is scored on the same sentences.
constexpr uint64_t kHeldOutSeed = 0x48454C444F5554ULL;   // held-out loss and accuracy
constexpr uint64_t kAnalysisSeed = 0x414E414C59534953ULL; // attention analysis (attn analyze)

struct TrainOptions {
  int d_model = 64;
  int n_layers = 3;
  int n_heads = 4;
  int d_ff = 256;
  int max_positions = 16;
  int steps = 6000;
  int batch = 64;              // sentences per step
  double lr = 2e-3;            // peak Adam learning rate
  double warmup = 0.05;        // fraction of steps with a linear warm-up
  double final_lr = 0.1;       // cosine decay down to this fraction of lr
  double clip = 1.0;           // global gradient-norm clip
  double mask_rate = 0.15;     // fraction of tokens predicted (at least one per sentence)
  uint64_t seed = 1;
  int eval_sentences = 2000;   // held-out sentences
  ModelFormat format = ModelFormat::int8;  // held-out scores are measured on the weights encoded so (what ships)
};

struct EvalResult {
  double loss = 0;      // mean cross-entropy (nats) on the masked tokens
  double accuracy = 0;  // fraction of masked tokens predicted exactly
  int tokens = 0;       // how many masked tokens were scored
};

struct TrainResult {
  Model model;        // the float32 weights as trained (encode_model rounds them for model.bin)
  EvalResult heldout; // measured on decode_model(encode_model(model, options.format))
  std::vector<std::pair<int, double>> curve;  // (step, mean training loss over the preceding interval)
};

/// [PAD], [MASK], then every grammar word in sorted order.
std::vector<std::string> course_vocabulary();

/// Masks each sentence for training: round(mask_rate n) positions (at least 1) are predicted; of
/// those, 80% become [MASK], 10% a random word and 10% stay (BERT's recipe). With `always_mask`
/// every predicted position becomes [MASK] (used for evaluation).
Batch make_batch(const std::vector<Sentence>& sentences, const std::vector<std::string>& vocab, double mask_rate,
                 Rng& rng, bool always_mask = false);

/// Held-out loss and accuracy of `model` on `n` sentences of the kHeldOutSeed stream.
EvalResult evaluate(const Model& model, int n);

/// One training run, one step at a time: `attn train` and the browser's live trainer (issue 12)
/// both drive this class, so the same options give the same weights in both. Step k uses the
/// learning rate of step k of an `options.steps`-step schedule; steps past the budget keep the
/// final rate.
class Trainer {
 public:
  /// Throws Error("train", ...) on a bad configuration (validate_config, steps or batch < 1).
  explicit Trainer(const TrainOptions& options);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// One step: a batch from the grammar, forward, backward, clip, Adam. Returns the batch's loss.
  double step();
  int steps_done() const { return step_; }
  const Model& model() const { return model_; }
  const TrainOptions& options() const { return options_; }

 private:
  struct State;
  TrainOptions options_;
  Model model_;
  std::unique_ptr<State> state_;
  int step_ = 0;
};

/// Trains a model; `progress(step, loss)` is called every 100 steps when given.
TrainResult train(const TrainOptions& options, const std::function<void(int, double)>& progress = {});

}  // namespace attn
