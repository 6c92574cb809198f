#pragma once
/**
 * \file mixed_precision.h
 * \brief Training in half precision on CUDA: autocast (float32 weights, fp16/bf16 computation) and dynamic
 *        loss scaling for fp16.
 *
 * Weights, gradients and the AdamW state stay float32 (an update of lr 5e-6 is far below a half-precision
 * weight's resolution); autocast runs the matrix products and convolutions of the forward pass in the lower
 * precision and keeps the reductions (softmax, norms, losses) in float32, as torch.autocast("cuda") does.
 * Autocast acts on CUDA tensors only: the CPU path never enables it and stays bit-identical to plain float32.
 *
 * fp16's largest value is 65504 and its smallest normal 6e-5: small gradients underflow to zero. LossScaler
 * multiplies the loss by a large factor before backward and divides the gradients by it before clipping
 * and the optimizer step; a step whose gradients came out inf/NaN is skipped and the factor halved; after
 * `growthInterval` good steps in a row it doubles (torch.cuda.amp.GradScaler's defaults). bf16 has float32's
 * range and needs no scaling.
 */
#include <cstdint>
#include <vector>

#include <c10/core/ScalarType.h>
#include <torch/types.h>

namespace mb::ml {

/**
 * Enables CUDA autocast with `dtype` (Half or BFloat16) for its lifetime and restores the previous state
 * (enabled flag and dtype; the cast cache is cleared when the outermost scope ends). `enabled` false: does
 * nothing, so callers can construct it unconditionally.
 */
class CudaAutocastScope {
public:
    CudaAutocastScope(bool enabled, c10::ScalarType dtype);
    ~CudaAutocastScope();
    CudaAutocastScope(const CudaAutocastScope&) = delete;
    CudaAutocastScope& operator=(const CudaAutocastScope&) = delete;

    /** Whether CUDA autocast is on in this thread, and its dtype (what a recomputation must restore). */
    static bool active();
    static c10::ScalarType active_dtype();

private:
    bool m_enabled;
    bool m_previous = false;
    c10::ScalarType m_previousDtype = c10::ScalarType::Half;
};

/** Dynamic loss scaling for fp16 training (see the file comment). */
class LossScaler {
public:
    struct Options {
        double initialScale = 65536.0; ///< 2^16
        double growthFactor = 2.0;
        double backoffFactor = 0.5;
        int64_t growthInterval = 2000; ///< good steps in a row before the scale grows
    };
    LossScaler();
    explicit LossScaler(Options options);

    double scale() const { return m_scale; }
    /** `loss · scale` (what backward is called on). */
    torch::Tensor scaled(const torch::Tensor& loss) const;
    /**
     * Divides every defined gradient of `parameters` by the scale and says whether all of them are finite.
     * Then updates the scale: halved after a non-finite step, grown after growthInterval finite ones. A false
     * return means: skip this optimizer step (its gradients are garbage).
     */
    bool unscale_and_update(const std::vector<torch::Tensor>& parameters);
    int64_t skipped_steps() const { return m_skipped; }

    /** The state a resume checkpoint keeps (scale, good steps in a row, steps skipped). */
    void restore(double scale, int64_t goodSteps, int64_t skipped);
    int64_t good_steps() const { return m_good; }

private:
    Options m_options;
    double m_scale;
    int64_t m_good = 0, m_skipped = 0;
};

} // namespace mb::ml
