#include "model.hpp"

#include <cmath>

#include "attention.hpp"
#include "limits.hpp"
#include "random.hpp"

namespace attn {

namespace {

std::string str(long long v) { return std::to_string(v); }

// Uniform in (0, 1) from the top 53 bits, then Box-Muller for a standard normal.
double uniform01(Rng& rng) { return (static_cast<double>(rng.next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
double gaussian(Rng& rng) {
  const double u = uniform01(rng), v = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
}

void fill_normal(Matrix& m, double stddev, Rng& rng) {
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(stddev * gaussian(rng));
}

Matrix add_bias(Matrix Y, const Matrix& b) {
  Y.rowwise() += b.row(0);
  return Y;
}

}  // namespace

const std::vector<ConfigField>& config_fields() {
  static const std::vector<ConfigField> fields = {
      {"vocab_size", &ModelConfig::vocab_size, 3, 65535}, {"d_model", &ModelConfig::d_model, 1, 1024},
      {"n_layers", &ModelConfig::n_layers, 1, 16},        {"n_heads", &ModelConfig::n_heads, 1, 256},
      {"d_ff", &ModelConfig::d_ff, 1, 8192},              {"max_positions", &ModelConfig::max_positions, 1, 512}};
  return fields;
}

void check_config_field(const ConfigField& f, long long value, const char* where) {
  if (value < f.lo || value > f.hi)
    throw Error(where, std::string(f.name) + " = " + str(value) + " is out of range [" + str(f.lo) + ", " + str(f.hi) + "]");
}

void validate_config(const ModelConfig& c, const char* where) {
  for (const ConfigField& f : config_fields()) check_config_field(f, c.*f.member, where);
  if (c.d_model % c.n_heads != 0)
    throw Error(where, "n_heads = " + str(c.n_heads) + " does not divide d_model = " + str(c.d_model));
}

template <class P, class M>
static std::vector<std::pair<std::string, M*>> tensors_of(P& p) {
  std::vector<std::pair<std::string, M*>> out = {{"tok", &p.tok}, {"pos", &p.pos}};
  for (size_t l = 0; l < p.blocks.size(); ++l) {
    auto& b = p.blocks[l];
    const std::string k = "block" + std::to_string(l) + ".";
    for (auto [name, m] : std::initializer_list<std::pair<const char*, M*>>{
             {"ln1_g", &b.ln1_g}, {"ln1_b", &b.ln1_b}, {"W_q", &b.W_q},   {"b_q", &b.b_q},   {"W_k", &b.W_k},
             {"b_k", &b.b_k},     {"W_v", &b.W_v},     {"b_v", &b.b_v},   {"W_o", &b.W_o},   {"b_o", &b.b_o},
             {"ln2_g", &b.ln2_g}, {"ln2_b", &b.ln2_b}, {"W_1", &b.W_1},   {"b_1", &b.b_1},   {"W_2", &b.W_2},
             {"b_2", &b.b_2}})
      out.emplace_back(k + name, m);
  }
  out.emplace_back("lnf_g", &p.lnf_g);
  out.emplace_back("lnf_b", &p.lnf_b);
  out.emplace_back("out_b", &p.out_b);
  return out;
}

template <class T>
std::vector<std::pair<std::string, Mat<T>*>> named_tensors(Params<T>& p) {
  return tensors_of<Params<T>, Mat<T>>(p);
}

template <class T>
std::vector<std::pair<std::string, const Mat<T>*>> named_tensors(const Params<T>& p) {
  return tensors_of<const Params<T>, const Mat<T>>(p);
}

template <class T>
Params<T> zero_params(const ModelConfig& c) {
  const int d = c.d_model;
  Params<T> p;
  p.tok = Mat<T>::Zero(c.vocab_size, d);
  p.pos = Mat<T>::Zero(c.max_positions, d);
  p.blocks.resize(c.n_layers);
  for (auto& b : p.blocks) {
    for (Mat<T>* m : {&b.ln1_g, &b.ln1_b, &b.b_q, &b.b_k, &b.b_v, &b.b_o, &b.ln2_g, &b.ln2_b, &b.b_2})
      *m = Mat<T>::Zero(1, d);
    for (Mat<T>* m : {&b.W_q, &b.W_k, &b.W_v, &b.W_o}) *m = Mat<T>::Zero(d, d);
    b.W_1 = Mat<T>::Zero(d, c.d_ff);
    b.b_1 = Mat<T>::Zero(1, c.d_ff);
    b.W_2 = Mat<T>::Zero(c.d_ff, d);
  }
  p.lnf_g = Mat<T>::Zero(1, d);
  p.lnf_b = Mat<T>::Zero(1, d);
  p.out_b = Mat<T>::Zero(1, c.vocab_size);
  return p;
}

Params<float> init_params(const ModelConfig& c, uint64_t seed) {
  validate_config(c, "init_params");
  Params<float> p = zero_params<float>(c);
  Rng rng(seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL);
  const double d = c.d_model, residual = 1.0 / std::sqrt(2.0 * c.n_layers);
  fill_normal(p.tok, 0.02, rng);
  fill_normal(p.pos, 0.02, rng);
  for (auto& b : p.blocks) {
    b.ln1_g.setOnes();
    b.ln2_g.setOnes();
    for (Matrix* m : {&b.W_q, &b.W_k, &b.W_v}) fill_normal(*m, 1.0 / std::sqrt(d), rng);
    fill_normal(b.W_o, residual / std::sqrt(d), rng);
    fill_normal(b.W_1, 1.0 / std::sqrt(d), rng);
    fill_normal(b.W_2, residual / std::sqrt(static_cast<double>(c.d_ff)), rng);
  }
  p.lnf_g.setOnes();
  return p;
}

template <class To, class From>
Params<To> cast_params(const Params<From>& p) {
  Params<To> out;
  out.blocks.resize(p.blocks.size());
  const auto src = named_tensors(p);
  const auto dst = named_tensors(out);
  for (size_t i = 0; i < src.size(); ++i) *dst[i].second = src[i].second->template cast<To>();
  return out;
}

int find_token(const std::vector<std::string>& vocab, const std::string& word) {
  for (size_t i = 0; i < vocab.size(); ++i)
    if (vocab[i] == word) return static_cast<int>(i);
  return -1;
}

// ---------------------------------------------------------------- inference with the step functions

namespace {

// LayerNorm of every row (the same formula as layers.hpp's layer_norm, eps 1e-5).
Matrix norm_rows(const Matrix& X, const Matrix& g, const Matrix& b) { return layer_norm<float>(X, g, b, nullptr); }

bool all_finite(const Matrix& m) {
  const float* d = m.data();
  bool bad = false;
  for (Eigen::Index i = 0, n = m.size(); i < n; ++i) bad |= !(std::fabs(d[i]) <= 3.40282347e+38f);
  return !bad;
}

// X W + b for one of the model's weight matrices: project()'s arithmetic (attn::multiply) and then
// the bias, as add_bias(project(X, W), b) computes it, bit for bit. What it skips is project()'s scan
// of W for NaN and Inf on every call (~147,000 weights per sentence, a quarter of the native forward
// pass): decode_model only hands out finite weights of the right shapes. A model built in memory
// with bad weights or shapes still gets project()'s own message, because any shape mismatch or
// non-finite result is handed to project(), which names what is wrong.
Matrix affine(const Matrix& X, const Matrix& W, const Matrix& b) {
  Matrix Y = X.cols() == W.rows() ? multiply(X, W) : project(X, W);
  if (!all_finite(Y)) Y = project(X, W);
  return add_bias(std::move(Y), b);
}

}  // namespace

ModelTrace model_forward(const Model& model, const std::vector<int>& ids) {
  const ModelConfig& c = model.config;
  const int n = static_cast<int>(ids.size());
  if (n < 1 || n > c.max_positions)
    throw Error("model_forward", "a sentence needs 1 to " + str(c.max_positions) + " tokens (got " + str(n) + ")");
  for (int i = 0; i < n; ++i)
    if (ids[i] < 0 || ids[i] >= c.vocab_size)
      throw Error("model_forward", "ids[" + str(i) + "] = " + str(ids[i]) + " is outside [0, " + str(c.vocab_size) + ")");
  const Params<float>& p = model.params;
  // What the trace keeps: per block 8 n d (LN input, Q, K, V, head outputs, concat, projection, residual)
  // and h n^2 attention weights; then x_0, the final LayerNorm and the n x V logits.
  const double nd = static_cast<double>(n) * c.d_model;
  check_trace_size("model_forward", "the model's trace",
                   c.n_layers * (8 * nd + static_cast<double>(c.n_heads) * n * n) + 2 * nd + static_cast<double>(n) * c.vocab_size,
                   "n = " + str(n) + ", " + str(c.n_layers) + " layers of " + str(c.n_heads) + " heads, d_model = " +
                       str(c.d_model) + ", " + str(c.vocab_size) + " words");

  ModelTrace t;
  Matrix x(n, c.d_model);
  for (int i = 0; i < n; ++i) x.row(i) = p.tok.row(ids[i]) + p.pos.row(i);
  t.embeddings.push_back(x);
  const int d_k = c.d_model / c.n_heads;
  for (size_t l = 0; l < p.blocks.size(); ++l) {
    const auto& b = p.blocks[l];
    // Shapes were checked when the model was decoded; what can still go wrong is float32 overflow from
    // huge weights. The step functions name their own arguments, so say which block they were in.
    try {
      const Matrix a = norm_rows(x, b.ln1_g, b.ln1_b);
      const auto Qs = split_heads(affine(a, b.W_q, b.b_q), c.n_heads);
      const auto Ks = split_heads(affine(a, b.W_k, b.b_k), c.n_heads);
      const auto Vs = split_heads(affine(a, b.W_v, b.b_v), c.n_heads);
      std::vector<Matrix> outputs, weights;
      for (int h = 0; h < c.n_heads; ++h) {
        weights.push_back(softmax_rows(scale(scores(Qs[h], Ks[h]), d_k)));
        outputs.push_back(weighted_sum(weights.back(), Vs[h]));
      }
      t.attention.push_back(std::move(weights));
      AttentionDetail d{a, Qs, Ks, Vs, outputs, concat_heads(outputs), Matrix()};
      d.projected = affine(d.concat, b.W_o, b.b_o);
      x += d.projected;
      t.details.push_back(std::move(d));
      const Matrix m = norm_rows(x, b.ln2_g, b.ln2_b);
      x += affine(gelu<float>(affine(m, b.W_1, b.b_1)), b.W_2, b.b_2);
    } catch (const Error& e) {
      throw Error("model_forward", "block " + str(static_cast<long long>(l) + 1) + ": " + e.what());
    }
    if (!x.allFinite())
      throw Error("model_forward", "block " + str(static_cast<long long>(l) + 1) +
                                       " overflows float32 (the model's weights are too large)");
    t.embeddings.push_back(x);
  }
  t.hidden = norm_rows(x, p.lnf_g, p.lnf_b);
  t.logits = add_bias(multiply_transposed(t.hidden, p.tok), p.out_b);
  if (!t.hidden.allFinite() || !t.logits.allFinite())
    throw Error("model_forward", "the output layer overflows float32 (the model's weights are too large)");
  return t;
}

// ---------------------------------------------------------------- instantiations

template std::vector<std::pair<std::string, Mat<float>*>> named_tensors(Params<float>&);
template std::vector<std::pair<std::string, Mat<double>*>> named_tensors(Params<double>&);
template std::vector<std::pair<std::string, const Mat<float>*>> named_tensors(const Params<float>&);
template std::vector<std::pair<std::string, const Mat<double>*>> named_tensors(const Params<double>&);
template Params<float> zero_params(const ModelConfig&);
template Params<double> zero_params(const ModelConfig&);
template Params<double> cast_params(const Params<float>&);
template Params<float> cast_params(const Params<double>&);

}  // namespace attn
