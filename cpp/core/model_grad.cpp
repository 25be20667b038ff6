#include "model_grad.hpp"

#include <utility>

namespace attn {

namespace {

// What the backward pass of one block needs from its forward pass.
template <class T>
struct BlockCache {
  Mat<T> x_in;                 // (N x d) residual stream entering the block
  LayerNormCache<T> ln1, ln2;
  Mat<T> a;                    // (N x d) LN_1(x_in)
  Mat<T> Q, K, V;              // (N x d)
  AttentionCache<T> attention;
  Mat<T> O;                    // (N x d) concatenated head outputs
  Mat<T> x_mid;                // (N x d) after the attention residual
  Mat<T> m;                    // (N x d) LN_2(x_mid)
  Mat<T> u;                    // (N x d_ff) pre-activation m W_1 + b_1
  Mat<T> gu;                   // (N x d_ff) GELU(u)
  Mat<T> tu;                   // (N x d_ff) the tanh inside GELU(u), reused by the backward pass
};

template <class T>
Mat<T> block_forward(const BlockParams<T>& b, const ModelConfig& c, const std::vector<Segment>& segs, Mat<T> x,
                     BlockCache<T>& k) {
  k.x_in = x;
  k.a = layer_norm<T>(x, b.ln1_g, b.ln1_b, &k.ln1);
  k.Q = linear<T>(k.a, b.W_q, b.b_q);
  k.K = linear<T>(k.a, b.W_k, b.b_k);
  k.V = linear<T>(k.a, b.W_v, b.b_v);
  k.O = self_attention<T>(k.Q, k.K, k.V, c.n_heads, segs, &k.attention);
  x += linear<T>(k.O, b.W_o, b.b_o);
  k.x_mid = x;
  k.m = layer_norm<T>(x, b.ln2_g, b.ln2_b, &k.ln2);
  k.u = linear<T>(k.m, b.W_1, b.b_1);
  k.gu = gelu<T>(k.u, k.tu);
  x += linear<T>(k.gu, b.W_2, b.b_2);
  return x;
}

// dx: gradient flowing into the block's output; returns the gradient at its input.
template <class T>
Mat<T> block_backward(const BlockParams<T>& b, const ModelConfig& c, const std::vector<Segment>& segs,
                      const BlockCache<T>& k, Mat<T> dx, BlockParams<T>& g) {
  // MLP branch: x_out = x_mid + GELU(LN_2(x_mid) W_1 + b_1) W_2 + b_2
  const Mat<T> dgu = linear_backward<T>(k.gu, b.W_2, dx, g.W_2, g.b_2);
  const Mat<T> du = gelu_backward<T>(k.u, k.tu, dgu);
  const Mat<T> dm = linear_backward<T>(k.m, b.W_1, du, g.W_1, g.b_1);
  dx += layer_norm_backward<T>(dm, b.ln2_g, k.ln2, g.ln2_g, g.ln2_b);
  // Attention branch: x_mid = x_in + Attention(LN_1(x_in)) W_o + b_o
  const Mat<T> dO = linear_backward<T>(k.O, b.W_o, dx, g.W_o, g.b_o);
  Mat<T> dQ, dK, dV;
  self_attention_backward<T>(dO, k.Q, k.K, k.V, c.n_heads, segs, k.attention, dQ, dK, dV);
  Mat<T> da = linear_backward<T>(k.a, b.W_q, dQ, g.W_q, g.b_q);
  da += linear_backward<T>(k.a, b.W_k, dK, g.W_k, g.b_k);
  da += linear_backward<T>(k.a, b.W_v, dV, g.W_v, g.b_v);
  dx += layer_norm_backward<T>(da, b.ln1_g, k.ln1, g.ln1_g, g.ln1_b);
  return dx;
}

}  // namespace

template <class T>
T model_loss(const Params<T>& p, const ModelConfig& c, const Batch& batch, Params<T>* grad, LossExtras<T>* extras) {
  // ---- forward
  Mat<T> x = embedding<T>(p.tok, batch.ids) + embedding<T>(p.pos, batch.positions);
  std::vector<BlockCache<T>> caches(p.blocks.size());
  for (size_t l = 0; l < p.blocks.size(); ++l) x = block_forward<T>(p.blocks[l], c, batch.segments, std::move(x), caches[l]);
  LayerNormCache<T> lnf;
  const Mat<T> h = layer_norm<T>(x, p.lnf_g, p.lnf_b, &lnf);
  const Mat<T> hm = embedding<T>(h, batch.predict_rows);  // (M x d) only the rows we predict
  Mat<T> logits = hm * p.tok.transpose();
  logits.rowwise() += p.out_b.row(0);
  Mat<T> dlogits;
  int correct = 0;
  const T loss = cross_entropy<T>(logits, batch.targets, grad ? &dlogits : nullptr, &correct);
  if (extras) {
    extras->correct = correct;
    if (extras->keep_logits) extras->logits = logits;
    if (extras->keep_attention) {
      extras->attention.clear();
      for (auto& k : caches)
        for (auto& a : k.attention.weights) extras->attention.push_back(a);
    }
  }
  if (!grad) return loss;

  // ---- backward
  Params<T>& g = *grad;
  for (auto& [name, m] : named_tensors(g)) m->setZero();
  g.out_b = dlogits.colwise().sum();
  g.tok.noalias() = dlogits.transpose() * hm;                 // tied output projection
  const Mat<T> dhm = dlogits * p.tok;
  Mat<T> dh = Mat<T>::Zero(h.rows(), h.cols());
  embedding_backward<T>(dhm, batch.predict_rows, dh);
  Mat<T> dx = layer_norm_backward<T>(dh, p.lnf_g, lnf, g.lnf_g, g.lnf_b);
  for (size_t l = p.blocks.size(); l-- > 0;)
    dx = block_backward<T>(p.blocks[l], c, batch.segments, caches[l], std::move(dx), g.blocks[l]);
  embedding_backward<T>(dx, batch.ids, g.tok);
  embedding_backward<T>(dx, batch.positions, g.pos);
  return loss;
}

template float model_loss(const Params<float>&, const ModelConfig&, const Batch&, Params<float>*, LossExtras<float>*);
template double model_loss(const Params<double>&, const ModelConfig&, const Batch&, Params<double>*,
                           LossExtras<double>*);

}  // namespace attn
