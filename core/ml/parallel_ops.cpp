#include "ml/parallel_ops.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "ml/threads.h"

namespace mb::ml {

bool split_products_over_threads() {
    if (at::get_num_threads() < 2 || at::in_parallel_region()) {
        return false;
    }
    const ThreadConfig c = current_threads();
    return c.blasThreads <= 1; // -1: no OpenBLAS; LibTorch's own BLAS then runs in the calling thread too
}

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
    const int64_t K = x.size(-1);
    const int64_t N = weight.size(0);
    const int64_t M = K > 0 ? x.numel() / K : 0;
    const bool grad = torch::GradMode::is_enabled() && (x.requires_grad() || weight.requires_grad() ||
                                                        (bias.defined() && bias.requires_grad()));
    // Small products are not worth a parallel region; below ~1 MFLOP the plain op wins.
    if (grad || !x.is_cpu() || M < 64 || M * N * K < (int64_t(1) << 19) || !split_products_over_threads()) {
        return torch::nn::functional::linear(x, weight, bias);
    }
    const torch::Tensor x2 = x.reshape({M, K});
    const torch::Tensor wt = weight.t();
    torch::Tensor out = torch::empty({M, N}, x.options());
    const int64_t parts = at::get_num_threads();
    const bool inference = c10::InferenceMode::is_enabled();
    at::parallel_for(0, parts, 1, [&](int64_t begin, int64_t end) {
        // OpenMP workers do not inherit LibTorch's thread-local modes: restore them.
        c10::InferenceMode inferenceGuard(inference);
        torch::NoGradGuard noGrad;
        for (int64_t p = begin; p < end; ++p) {
            const int64_t r0 = M * p / parts, r1 = M * (p + 1) / parts;
            if (r1 <= r0) {
                continue;
            }
            torch::Tensor o = out.narrow(0, r0, r1 - r0);
            if (bias.defined()) {
                at::addmm_out(o, bias, x2.narrow(0, r0, r1 - r0), wt);
            } else {
                at::mm_out(o, x2.narrow(0, r0, r1 - r0), wt);
            }
        }
    });
    std::vector<int64_t> shape = x.sizes().vec();
    shape.back() = N;
    return out.view(shape);
}

void run_concurrently(const std::vector<std::function<void()>>& tasks) {
    const int64_t n = static_cast<int64_t>(tasks.size());
    if (n == 0) {
        return;
    }
    const bool inference = c10::InferenceMode::is_enabled();
    const bool grad = torch::GradMode::is_enabled();
    // Each task's BLAS calls run on its own OpenMP thread: a shared multi-threaded pool would serialise them.
    BlasThreadsScope singleThreadedBlas(1);
    at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
        // OpenMP workers do not inherit LibTorch's thread-local modes: restore them.
        c10::InferenceMode inferenceGuard(inference);
        torch::AutoGradMode gradGuard(grad && !inference);
        for (int64_t i = begin; i < end; ++i) {
            tasks[static_cast<size_t>(i)]();
        }
    });
}

torch::Tensor linear(const torch::nn::Linear& module, const torch::Tensor& x) {
    return linear(x, module->weight, module->bias);
}

} // namespace mb::ml
