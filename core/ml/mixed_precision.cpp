#include "ml/mixed_precision.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

// LibTorch 2.4 made the autocast switches per device type and deprecated the CUDA-only ones (a deprecation
// warning is an error under this project's zero-warning rule); 1.13 to 2.3 have only the CUDA-only ones.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define MB_AUTOCAST_PER_DEVICE 1
#else
#define MB_AUTOCAST_PER_DEVICE 0
#endif

namespace mb::ml {

namespace {

bool cudaAutocastEnabled() {
#if MB_AUTOCAST_PER_DEVICE
    return at::autocast::is_autocast_enabled(at::kCUDA);
#else
    return at::autocast::is_enabled();
#endif
}

void setCudaAutocast(bool enabled, c10::ScalarType dtype) {
#if MB_AUTOCAST_PER_DEVICE
    at::autocast::set_autocast_dtype(at::kCUDA, dtype);
    at::autocast::set_autocast_enabled(at::kCUDA, enabled);
#else
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(enabled);
#endif
}

c10::ScalarType cudaAutocastDtype() {
#if MB_AUTOCAST_PER_DEVICE
    return at::autocast::get_autocast_dtype(at::kCUDA);
#else
    return at::autocast::get_autocast_gpu_dtype();
#endif
}

} // namespace

CudaAutocastScope::CudaAutocastScope(bool enabled, c10::ScalarType dtype) : m_enabled(enabled) {
    if (!m_enabled)
        return;
    if (dtype != c10::ScalarType::Half && dtype != c10::ScalarType::BFloat16)
        throw std::invalid_argument("autocast: the lower precision must be fp16 or bf16");
    m_previous = cudaAutocastEnabled();
    m_previousDtype = cudaAutocastDtype();
    setCudaAutocast(true, dtype);
    at::autocast::increment_nesting();
}

CudaAutocastScope::~CudaAutocastScope() {
    if (!m_enabled)
        return;
    // The cache of float32 weights cast to half precision lives until the outermost scope ends (as
    // torch.autocast does): the weights change with every optimizer step.
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    setCudaAutocast(m_previous, m_previousDtype);
}

bool CudaAutocastScope::active() {
    return cudaAutocastEnabled();
}

c10::ScalarType CudaAutocastScope::active_dtype() {
    return cudaAutocastDtype();
}

LossScaler::LossScaler() : LossScaler(Options{}) {}

LossScaler::LossScaler(Options options) : m_options(options), m_scale(options.initialScale) {
    if (!(m_options.initialScale > 0) || !(m_options.growthFactor > 1) || !(m_options.backoffFactor > 0) ||
        !(m_options.backoffFactor < 1) || m_options.growthInterval < 1)
        throw std::invalid_argument("loss scaler: the scale must be positive, growth > 1, 0 < backoff < 1 "
                                    "and the growth interval at least 1");
}

torch::Tensor LossScaler::scaled(const torch::Tensor& loss) const {
    return loss * m_scale;
}

bool LossScaler::unscale_and_update(const std::vector<torch::Tensor>& parameters) {
    torch::NoGradGuard noGrad;
    torch::Tensor bad; // one flag on the device, read once: a read per tensor would wait on each
    for (const auto& p : parameters) {
        torch::Tensor g = p.grad();
        if (!g.defined())
            continue;
        g.mul_(1.0 / m_scale);
        const torch::Tensor b = g.isfinite().all().logical_not();
        bad = bad.defined() ? bad.logical_or(b) : b;
    }
    const bool finite = !bad.defined() || !bad.item<bool>();
    if (finite) {
        if (++m_good >= m_options.growthInterval) {
            m_scale *= m_options.growthFactor;
            m_good = 0;
        }
    } else {
        m_scale *= m_options.backoffFactor;
        m_good = 0;
        ++m_skipped;
    }
    return finite;
}

void LossScaler::restore(double scale, int64_t goodSteps, int64_t skipped) {
    if (!(scale > 0) || goodSteps < 0 || skipped < 0)
        throw std::invalid_argument(
            "loss scaler: a saved scale must be positive and its counts non-negative");
    m_scale = scale;
    m_good = goodSteps;
    m_skipped = skipped;
}

} // namespace mb::ml
