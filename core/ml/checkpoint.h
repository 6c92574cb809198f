#pragma once
/**
 * \file checkpoint.h
 * \brief Gradient checkpointing: run part of a network without keeping its activations for backward, and
 *        recompute them when the gradient arrives.
 *
 * Why: training the real Zeroscope UNet on a 24-frame 576×320 clip would keep ~60 GB of activations (and
 * ~8 GB of attention probabilities per full-resolution layer) for backward. With checkpointing only the
 * inputs of each checkpointed piece are kept; during backward one piece at a time is re-run with autograd on
 * and differentiated, so the peak is the stored inputs plus the largest single piece. It costs about one
 * extra forward pass.
 *
 * checkpointed(body, inputs, parameters): `body` must compute its result from `inputs` and the module
 * `parameters` only, deterministically (no dropout or random numbers; hooks it calls must have no side
 * effects that matter twice). Gradients are returned for every input that requires grad and for every
 * parameter that requires grad (the autograd engine accumulates them into `.grad` as usual; a "parameter" may
 * be a non-leaf such as LoRA's adapted weight, and its gradient then flows on into the adapter). When
 * autograd is off, or nothing requires grad, it simply calls `body`.
 *
 * gradient_checkpointing_enabled(): a thread-local switch (set with GradientCheckpointingScope) that the UNet
 * and the attention read: the UNet checkpoints its sub-modules, and attention with autograd recomputes each
 * chunk's probabilities in backward instead of storing them. Backward runs on the thread that called it
 * (CPU), and the recomputation restores the switch as it was during the forward pass, and CUDA autocast
 * likewise (mixed_precision.h).
 */
#include <functional>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

namespace mb::ml {

using CheckpointBody = std::function<torch::Tensor(const std::vector<torch::Tensor>& inputs)>;

/** See the file comment. Undefined entries of `inputs` are passed through to `body` as undefined. */
torch::Tensor checkpointed(CheckpointBody body, const std::vector<torch::Tensor>& inputs,
                           const std::vector<torch::Tensor>& parameters);

/** What a checkpointed body over `module` may train: its parameters that require grad, plus the weight and
 *  bias members its Linear layers actually read when LoRA has pointed them at adapted weights (lora.h). */
std::vector<torch::Tensor> trainables_read_by(const torch::nn::Module& module);

/** True while a GradientCheckpointingScope(true) is active on this thread. */
bool gradient_checkpointing_enabled();

/** Sets the thread-local switch for its lifetime and restores the previous value. */
class GradientCheckpointingScope {
public:
    explicit GradientCheckpointingScope(bool enabled);
    ~GradientCheckpointingScope();
    GradientCheckpointingScope(const GradientCheckpointingScope&) = delete;
    GradientCheckpointingScope& operator=(const GradientCheckpointingScope&) = delete;

private:
    bool m_previous;
};

} // namespace mb::ml
