// The masked-LM loss of the tiny transformer (model.hpp) and its gradient with respect to every
// parameter, by a hand-written backward pass through layers.hpp. Templated on the scalar: training
// uses float, the whole-model gradient check uses double.
#pragma once

#include <vector>

#include "layers.hpp"
#include "model.hpp"

namespace attn {

/// A batch of sentences stacked row by row (no padding).
struct Batch {
  std::vector<int> ids;            // (N) input token ids, [MASK] already substituted
  std::vector<int> positions;      // (N) position of each token inside its sentence
  std::vector<Segment> segments;   // one per sentence
  std::vector<int> predict_rows;   // (M) rows whose original token is predicted
  std::vector<int> targets;        // (M) the original token ids at those rows
};

/// Optional outputs of model_loss besides the loss.
template <class T>
struct LossExtras {
  int correct = 0;                  // predictions (argmax) equal to the target
  std::vector<Mat<T>> attention;    // filled when keep_attention: [layer * (segments * heads) + s * heads + t]
  Mat<T> logits;                    // (M x V) filled when keep_logits
  bool keep_attention = false;
  bool keep_logits = false;
};

/// Mean cross-entropy over the predicted rows. When `grad` is not null it must have the shapes of
/// `p` (see zero_params) and receives dLoss/dParam (overwritten, not accumulated).
template <class T>
T model_loss(const Params<T>& p, const ModelConfig& c, const Batch& batch, Params<T>* grad,
             LossExtras<T>* extras = nullptr);

}  // namespace attn
