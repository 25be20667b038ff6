#include "train.hpp"

#include <cmath>
#include <map>

#include "model_io.hpp"

namespace attn {

namespace {

constexpr double kPi = 3.141592653589793;

int lookup(const std::map<std::string, int>& index, const std::string& w) {
  const auto it = index.find(w);
  if (it == index.end()) throw Error("make_batch", "word \"" + w + "\" is not in the vocabulary");
  return it->second;
}

// Adam (Kingma & Ba 2015) with bias correction; state in the parameters' own shapes.
class Adam {
 public:
  explicit Adam(const ModelConfig& c) : m_(zero_params<float>(c)), v_(zero_params<float>(c)) {}

  void step(Params<float>& p, const Params<float>& g, double lr) {
    ++t_;
    const double c1 = 1 - std::pow(kBeta1, t_), c2 = 1 - std::pow(kBeta2, t_);
    const auto ps = named_tensors(p), ms = named_tensors(m_), vs = named_tensors(v_);
    const auto gs = named_tensors(g);
    for (size_t i = 0; i < ps.size(); ++i) {
      auto& w = *ps[i].second;
      const auto& dw = *gs[i].second;
      auto& m = *ms[i].second;
      auto& v = *vs[i].second;
      m = kBeta1 * m + (1 - kBeta1) * dw;
      v = kBeta2 * v + (1 - kBeta2) * dw.cwiseProduct(dw);
      const float step = static_cast<float>(lr / c1), denom = static_cast<float>(1 / std::sqrt(c2));
      w.array() -= step * m.array() / ((v.array().sqrt() * denom) + kEps);
    }
  }

 private:
  static constexpr float kBeta1 = 0.9f, kBeta2 = 0.999f, kEps = 1e-8f;
  Params<float> m_, v_;
  int t_ = 0;
};

double learning_rate(const TrainOptions& o, int step) {
  if (step >= o.steps) return o.lr * o.final_lr;
  const int warm = std::max(1, static_cast<int>(o.warmup * o.steps));
  if (step < warm) return o.lr * (step + 1) / warm;
  const double progress = static_cast<double>(step - warm) / std::max(1, o.steps - warm);
  return o.lr * (o.final_lr + (1 - o.final_lr) * 0.5 * (1 + std::cos(kPi * progress)));
}

// Scales the gradient so its global L2 norm is at most `clip`.
void clip_gradient(Params<float>& g, double clip) {
  double sq = 0;
  for (auto& [name, m] : named_tensors(g)) sq += m->cast<double>().squaredNorm();
  const double norm = std::sqrt(sq);
  if (norm > clip)
    for (auto& [name, m] : named_tensors(g)) *m *= static_cast<float>(clip / norm);
}

}  // namespace

std::vector<std::string> course_vocabulary() {
  std::vector<std::string> v = {kPadToken, kMaskToken};
  for (const std::string& w : grammar_vocabulary()) v.push_back(w);
  return v;
}

Batch make_batch(const std::vector<Sentence>& sentences, const std::vector<std::string>& vocab, double mask_rate,
                 Rng& rng, bool always_mask) {
  std::map<std::string, int> index;
  for (size_t i = 0; i < vocab.size(); ++i) index.emplace(vocab[i], static_cast<int>(i));
  Batch b;
  for (const Sentence& s : sentences) {
    const int n = static_cast<int>(s.words.size()), begin = static_cast<int>(b.ids.size());
    b.segments.push_back({begin, n});
    for (int i = 0; i < n; ++i) {
      b.ids.push_back(lookup(index, s.words[i]));
      b.positions.push_back(i);
    }
    const int k = std::max(1, static_cast<int>(std::lround(mask_rate * n)));
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i) order[i] = i;
    for (int i = 0; i < k; ++i) std::swap(order[i], order[i + static_cast<int>(rng.next() % (n - i))]);
    std::sort(order.begin(), order.begin() + k);
    for (int j = 0; j < k; ++j) {
      const int row = begin + order[j];
      b.predict_rows.push_back(row);
      b.targets.push_back(b.ids[row]);
      const uint64_t r = rng.next() % 10;
      if (always_mask || r < 8) b.ids[row] = kMaskId;
      else if (r == 8) b.ids[row] = 2 + static_cast<int>(rng.next() % (vocab.size() - 2));
    }
  }
  return b;
}

EvalResult evaluate(const Model& model, int n) {
  Grammar grammar(kHeldOutSeed);
  Rng rng(kHeldOutSeed ^ 0x5A5A5A5AULL);
  EvalResult r;
  double loss_sum = 0;
  int correct = 0;
  for (int done = 0; done < n;) {
    std::vector<Sentence> chunk;
    for (; done < n && chunk.size() < 256; ++done) chunk.push_back(grammar.next());
    const Batch b = make_batch(chunk, model.vocab, 0.15, rng, true);
    LossExtras<float> extras;
    const double loss = model_loss<float>(model.params, model.config, b, nullptr, &extras);
    loss_sum += loss * static_cast<double>(b.targets.size());
    correct += extras.correct;
    r.tokens += static_cast<int>(b.targets.size());
  }
  r.loss = loss_sum / r.tokens;
  r.accuracy = static_cast<double>(correct) / r.tokens;
  return r;
}

struct Trainer::State {
  State(const TrainOptions& o, const ModelConfig& c)
      : grammar(o.seed), rng(o.seed ^ 0xC0FFEE1234ULL), adam(c), grad(zero_params<float>(c)) {}
  Grammar grammar;
  Rng rng;
  Adam adam;
  Params<float> grad;
};

Trainer::Trainer(const TrainOptions& o) : options_(o) {
  model_.vocab = course_vocabulary();
  model_.config = {static_cast<int>(model_.vocab.size()), o.d_model, o.n_layers, o.n_heads, o.d_ff, o.max_positions};
  validate_config(model_.config, "train");
  if (o.steps < 1 || o.batch < 1) throw Error("train", "steps and batch must be >= 1");
  model_.params = init_params(model_.config, o.seed);
  state_ = std::make_unique<State>(o, model_.config);
}

Trainer::~Trainer() = default;

double Trainer::step() {
  State& s = *state_;
  std::vector<Sentence> sentences;
  for (int i = 0; i < options_.batch; ++i) sentences.push_back(s.grammar.next());
  const Batch b = make_batch(sentences, model_.vocab, options_.mask_rate, s.rng);
  const double loss = model_loss<float>(model_.params, model_.config, b, &s.grad);
  clip_gradient(s.grad, options_.clip);
  s.adam.step(model_.params, s.grad, learning_rate(options_, step_));
  ++step_;
  return loss;
}

TrainResult train(const TrainOptions& o, const std::function<void(int, double)>& progress) {
  TrainResult result;
  Trainer trainer(o);
  double interval_loss = 0;
  int interval_steps = 0;
  for (int step = 0; step < o.steps; ++step) {
    interval_loss += trainer.step();
    ++interval_steps;
    if ((step + 1) % 100 == 0 || step + 1 == o.steps) {
      result.curve.emplace_back(step + 1, interval_loss / interval_steps);
      if (progress) progress(step + 1, interval_loss / interval_steps);
      interval_loss = 0;
      interval_steps = 0;
    }
  }
  result.model = trainer.model();
  // Score exactly what ships: the weights as model.bin holds them.
  result.heldout = evaluate(decode_model(encode_model(result.model, o.format)), o.eval_sentences);
  return result;
}

}  // namespace attn
