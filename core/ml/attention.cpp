#include "ml/attention.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <ATen/Parallel.h>
#include <torch/torch.h>
#include <torch/version.h>

#include "ml/checkpoint.h"
#include "ml/parallel_ops.h"

namespace mb::ml {

namespace {

std::atomic<int64_t> g_chunkElements{int64_t(1) << 24};
std::atomic<AttentionKernel> g_kernel{AttentionKernel::Auto};

// at::scaled_dot_product_attention arrived in LibTorch 2.0, its `scale` argument in 2.1.
#if TORCH_VERSION_MAJOR >= 2
constexpr bool kHasSdpa = true;
#else
constexpr bool kHasSdpa = false;
#endif

/** A per-thread scratch tensor reused across calls, so big score buffers are not re-faulted every layer. */
torch::Tensor& scratch(int slot) {
    thread_local torch::Tensor buffers[3];
    return buffers[slot];
}

torch::Tensor scratchOf(int slot, c10::IntArrayRef shape, const torch::TensorOptions& options) {
    torch::Tensor& b = scratch(slot);
    if (!b.defined() || b.device() != options.device() || b.scalar_type() != options.dtype().toScalarType() ||
        b.is_inference() != c10::InferenceMode::is_enabled()) {
        b = torch::empty(shape, options);
    } else {
        b.resize_(shape); // keeps the storage when it is large enough
    }
    return b;
}

std::string shapeText(c10::IntArrayRef s) {
    std::string out = "[";
    for (size_t i = 0; i < s.size(); ++i) {
        out += (i ? ", " : "") + std::to_string(s[i]);
    }
    return out + "]";
}

/** Longest key sequence the fused kernel handles (its per-row scores live on the stack). */
constexpr int64_t kFusedMaxKeys = 32;

/** softmax(q·kᵀ·scale)·v for short key sequences, float32, without autograd. Layout as multi_head_attention.
 */
torch::Tensor fusedShortAttention(const torch::Tensor& qIn, const torch::Tensor& kIn,
                                  const torch::Tensor& vIn, int64_t heads, double scale) {
    const torch::Tensor q = qIn.contiguous(), k = kIn.contiguous(), v = vIn.contiguous();
    const int64_t N = q.size(0), Lq = q.size(1), Lk = k.size(1);
    const int64_t d = q.size(2) / heads, dv = v.size(2) / heads;
    torch::Tensor out = torch::empty({N, Lq, heads * dv}, q.options());
    const float* Q = q.data_ptr<float>(); // cpu: the caller checked that q, k and v are CPU tensors
    const float* K = k.data_ptr<float>(); // cpu: as above
    const float* V = v.data_ptr<float>(); // cpu: as above
    float* O = out.data_ptr<float>();     // cpu: made with q's options
    const float s = static_cast<float>(scale);
    const int64_t work = N * heads;
    const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, Lq * Lk * (d + dv)));
    at::parallel_for(0, work, grain, [&](int64_t begin, int64_t end) {
        float scores[kFusedMaxKeys];
        for (int64_t bh = begin; bh < end; ++bh) {
            const int64_t n = bh / heads, h = bh % heads;
            const float* kBase = K + n * Lk * heads * d + h * d;
            const float* vBase = V + n * Lk * heads * dv + h * dv;
            for (int64_t i = 0; i < Lq; ++i) {
                const float* qi = Q + (n * Lq + i) * heads * d + h * d;
                float maxScore = -std::numeric_limits<float>::infinity();
                for (int64_t j = 0; j < Lk; ++j) {
                    const float* kj = kBase + j * heads * d;
                    float dot = 0.f;
                    for (int64_t c = 0; c < d; ++c) {
                        dot += qi[c] * kj[c];
                    }
                    scores[j] = dot * s;
                    maxScore = std::max(maxScore, scores[j]);
                }
                float total = 0.f;
                for (int64_t j = 0; j < Lk; ++j) {
                    scores[j] = std::exp(scores[j] - maxScore);
                    total += scores[j];
                }
                const float inv = 1.f / total;
                float* oi = O + (n * Lq + i) * heads * dv + h * dv;
                for (int64_t c = 0; c < dv; ++c) {
                    oi[c] = 0.f;
                }
                for (int64_t j = 0; j < Lk; ++j) {
                    const float p = scores[j] * inv;
                    const float* vj = vBase + j * heads * dv;
                    for (int64_t c = 0; c < dv; ++c) {
                        oi[c] += p * vj[c];
                    }
                }
            }
        }
    });
    return out;
}

/** Whether a call without bias or probabilities goes to at::scaled_dot_product_attention. */
bool useSdpa(const torch::Tensor& q, int64_t headDim, double scale) {
    const AttentionKernel kernel = g_kernel.load();
    if (!kHasSdpa || kernel == AttentionKernel::Explicit)
        return false;
#if TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR == 0
    // 2.0's SDPA always scales by 1/√d.
    if (std::abs(scale * std::sqrt(double(headDim)) - 1.0) > 1e-12)
        return false;
#else
    (void)headDim;
    (void)scale;
#endif
    // Auto takes SDPA on CUDA only: there it is the fused flash / memory-efficient kernel diffusers uses. On
    // the CPU today's explicit path stays (the reference tolerances and the CPU timings were measured with
    // it; SDPA's CPU speed and rounding under LibTorch 2.x are not measured here).
    return kernel == AttentionKernel::Sdpa || q.is_cuda();
}

/** softmax(q·kᵀ·scale)·v through at::scaled_dot_product_attention, in the layout of multi_head_attention. */
torch::Tensor sdpaAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                            int64_t heads, double scale) {
#if TORCH_VERSION_MAJOR >= 2
    const int64_t N = q.size(0), Lq = q.size(1), Lk = k.size(1);
    const int64_t d = q.size(2) / heads, dv = v.size(2) / heads;
    const torch::Tensor qh = q.reshape({N, Lq, heads, d}).transpose(1, 2);
    const torch::Tensor kh = k.reshape({N, Lk, heads, d}).transpose(1, 2);
    const torch::Tensor vh = v.reshape({N, Lk, heads, dv}).transpose(1, 2);
#if TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR == 0
    (void)scale;
    const torch::Tensor o = at::scaled_dot_product_attention(qh, kh, vh, {}, 0.0, false);
#else
    const torch::Tensor o = at::scaled_dot_product_attention(qh, kh, vh, {}, 0.0, false, scale);
#endif
    return o.transpose(1, 2).reshape({N, Lq, heads * dv});
#else
    (void)q, (void)k, (void)v, (void)heads, (void)scale;
    throw std::logic_error("scaled_dot_product_attention needs LibTorch 2.0 or later");
#endif
}

} // namespace

void set_attention_kernel(AttentionKernel kernel) {
    g_kernel.store(kernel);
}

AttentionKernel attention_kernel() {
    return g_kernel.load();
}

bool sdpa_available() {
    return kHasSdpa;
}

int64_t attention_chunk_elements() {
    return g_chunkElements.load();
}

void set_attention_chunk_elements(int64_t elements) {
    if (elements < 1) {
        throw std::invalid_argument("attention chunk size must be at least 1 element");
    }
    g_chunkElements.store(elements);
}

torch::Tensor multi_head_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                   int64_t heads, double scale, const AttentionExtras& extras) {
    if (q.dim() != 3 || k.dim() != 3 || v.dim() != 3 || k.size(0) != q.size(0) || v.size(0) != q.size(0) ||
        k.size(1) != v.size(1) || heads < 1 || q.size(2) % heads != 0 || v.size(2) % heads != 0 ||
        k.size(2) != q.size(2)) {
        throw std::invalid_argument("multi_head_attention: incompatible shapes q " + shapeText(q.sizes()) +
                                    ", k " + shapeText(k.sizes()) + ", v " + shapeText(v.sizes()) + " for " +
                                    std::to_string(heads) + " heads");
    }
    const int64_t N = q.size(0), Lq = q.size(1), Lk = k.size(1);
    const int64_t d = q.size(2) / heads, dv = v.size(2) / heads;

    torch::Tensor bias = extras.bias;
    if (bias.defined()) {
        if (bias.dim() != 4 || (bias.size(0) != 1 && bias.size(0) != N) ||
            (bias.size(1) != 1 && bias.size(1) != heads) || bias.size(2) != Lq || bias.size(3) != Lk) {
            throw std::invalid_argument("attention logit bias has shape " + shapeText(bias.sizes()) +
                                        ", expected [1|" + std::to_string(N) + ", 1|" +
                                        std::to_string(heads) + ", " + std::to_string(Lq) + ", " +
                                        std::to_string(Lk) + "]");
        }
    }
    // On an accelerator in half precision the logits get the bias and the softmax in float32, as diffusers'
    // fused kernels do inside SDPA (a −1e10 edit bias is −inf in fp16). The CPU keeps its measured path.
    const bool deviceUpcast = !q.is_cpu() && q.scalar_type() != torch::kFloat32;
    if (bias.defined()) {
        const auto biasType = deviceUpcast ? torch::kFloat32 : q.scalar_type();
        if (bias.device() != q.device() || bias.scalar_type() != biasType) {
            bias = bias.to(q.device(), biasType);
        }
    }
    const bool grad =
        torch::GradMode::is_enabled() && (q.requires_grad() || k.requires_grad() || v.requires_grad() ||
                                          (bias.defined() && bias.requires_grad()));

    if (!bias.defined() && !extras.probabilities && useSdpa(q, d, scale)) {
        return sdpaAttention(q, k, v, heads, scale);
    }

    // Short key sequences (temporal attention over frames, small maps): one fused pass per (row, head)
    // instead of thousands of tiny GEMM calls, reading q/k/v in place and writing the merged-head output.
    if (!grad && !bias.defined() && !extras.probabilities && Lk <= kFusedMaxKeys && q.is_cpu() &&
        k.is_cpu() && v.is_cpu() && q.scalar_type() == torch::kFloat32 &&
        k.scalar_type() == torch::kFloat32 && v.scalar_type() == torch::kFloat32) {
        return fusedShortAttention(q, k, v, heads, scale);
    }

    // Heads-major layouts: q pre-scaled (cheaper than scaling every score; exact when scale is a power of 2).
    const torch::Tensor qh = (q.reshape({N, Lq, heads, d}).permute({0, 2, 1, 3}) * scale).contiguous();
    const torch::Tensor kh = k.reshape({N, Lk, heads, d}).permute({0, 2, 1, 3}).contiguous();
    const torch::Tensor vh = v.reshape({N, Lk, heads, dv}).permute({0, 2, 1, 3}).contiguous();

    const int64_t budget = attention_chunk_elements();
    const int64_t perRow = heads * Lq * Lk;
    int64_t rowsPerChunk = N, queriesPerChunk = Lq;
    if (perRow > budget) {
        rowsPerChunk = 1;
        queriesPerChunk = std::max<int64_t>(1, budget / std::max<int64_t>(1, heads * Lk));
    } else if (N * perRow > budget) {
        rowsPerChunk = std::max<int64_t>(1, budget / std::max<int64_t>(1, perRow));
    }

    torch::Tensor out = torch::empty({N, Lq, heads, dv}, q.options());
    torch::Tensor probsAll;
    if (extras.probabilities) {
        probsAll = torch::empty({N, heads, Lq, Lk}, q.options());
    }
    const auto softmaxType = extras.upcastSoftmax || deviceUpcast ? torch::kFloat32 : q.scalar_type();

    // Without autograd and with OpenBLAS single-threaded, the chunks themselves run in parallel (each one a
    // single-threaded GEMM): make at least one chunk per thread.
    const bool parallel = !grad && q.is_cpu() && split_products_over_threads();
    if (parallel) {
        const int64_t threads = at::get_num_threads();
        if (rowsPerChunk >= N && N >= threads) {
            rowsPerChunk = (N + threads - 1) / threads;
        } else if (rowsPerChunk >= N && queriesPerChunk >= Lq) {
            queriesPerChunk = std::max<int64_t>(1, (Lq + threads - 1) / threads);
        }
    }
    const int64_t rowChunks = (N + rowsPerChunk - 1) / rowsPerChunk;
    const int64_t queryChunks = (Lq + queriesPerChunk - 1) / queriesPerChunk;

    auto runChunk = [&](int64_t chunk) {
        const int64_t b0 = (chunk / queryChunks) * rowsPerChunk, r0 = (chunk % queryChunks) * queriesPerChunk;
        const int64_t nb = std::min(rowsPerChunk, N - b0), nr = std::min(queriesPerChunk, Lq - r0);
        const torch::Tensor kc = kh.narrow(0, b0, nb).reshape({nb * heads, Lk, d}).transpose(1, 2);
        const torch::Tensor vc = vh.narrow(0, b0, nb).reshape({nb * heads, Lk, dv});
        const torch::Tensor qc = qh.narrow(0, b0, nb).narrow(2, r0, nr).reshape({nb * heads, nr, d});
        torch::Tensor biasChunk;
        if (bias.defined()) {
            biasChunk = bias.size(0) == 1 ? bias : bias.narrow(0, b0, nb);
            biasChunk = biasChunk.narrow(2, r0, nr);
        }
        torch::Tensor probs, chunkOut;
        if (grad) {
            const auto valueType = q.scalar_type();
            auto attend = [nb, heads, nr, Lk, softmaxType, valueType,
                           deviceUpcast](const std::vector<torch::Tensor>& in) {
                torch::Tensor scores = torch::bmm(in[0], in[1]);
                if (deviceUpcast) {
                    scores = scores.to(torch::kFloat32);
                }
                if (in[3].defined()) {
                    scores = (scores.view({nb, heads, nr, Lk}) + in[3]).view({nb * heads, nr, Lk});
                }
                const torch::Tensor p = torch::softmax(scores, -1, softmaxType).to(valueType);
                return torch::bmm(p, in[2]);
            };
            if (gradient_checkpointing_enabled() && !extras.probabilities) {
                // Training with checkpointing: keep only q/k/v, recompute this chunk's probabilities in
                // backward (they are the largest activations at full resolution).
                chunkOut = checkpointed(attend, {qc, kc, vc, biasChunk}, {});
            } else {
                torch::Tensor scores = torch::bmm(qc, kc);
                if (deviceUpcast) {
                    scores = scores.to(torch::kFloat32);
                }
                if (biasChunk.defined()) {
                    scores = (scores.view({nb, heads, nr, Lk}) + biasChunk).view({nb * heads, nr, Lk});
                }
                probs = torch::softmax(scores, -1, softmaxType).to(q.scalar_type());
                chunkOut = torch::bmm(probs, vc);
            }
        } else {
            torch::Tensor scores = scratchOf(0, {nb * heads, nr, Lk}, q.options());
            at::bmm_out(scores, qc, kc);
            if (deviceUpcast) {
                torch::Tensor scores32 = scores.to(torch::kFloat32);
                if (biasChunk.defined()) {
                    scores32.view({nb, heads, nr, Lk}).add_(biasChunk);
                }
                probs = torch::softmax(scores32, -1).to(q.scalar_type());
            } else {
                if (biasChunk.defined()) {
                    scores.view({nb, heads, nr, Lk}).add_(biasChunk);
                }
                if (extras.upcastSoftmax && q.scalar_type() != torch::kFloat32) {
                    probs = torch::softmax(scores, -1, torch::kFloat32).to(q.scalar_type());
                } else {
                    probs = scratchOf(1, {nb * heads, nr, Lk}, q.options());
                    at::_softmax_out(probs, scores, -1, false);
                }
            }
            chunkOut = scratchOf(2, {nb * heads, nr, dv}, q.options());
            at::bmm_out(chunkOut, probs, vc);
        }
        if (probsAll.defined()) {
            probsAll.narrow(0, b0, nb).narrow(2, r0, nr).copy_(probs.view({nb, heads, nr, Lk}));
        }
        out.narrow(0, b0, nb).narrow(1, r0, nr).copy_(
            chunkOut.view({nb, heads, nr, dv}).permute({0, 2, 1, 3}));
    };

    const int64_t chunks = rowChunks * queryChunks;
    if (parallel && chunks > 1) {
        const bool inference = c10::InferenceMode::is_enabled();
        at::parallel_for(0, chunks, 1, [&](int64_t begin, int64_t end) {
            // OpenMP workers do not inherit LibTorch's thread-local modes: restore them.
            c10::InferenceMode inferenceGuard(inference);
            torch::NoGradGuard noGrad;
            for (int64_t c = begin; c < end; ++c) {
                runChunk(c);
            }
        });
    } else {
        for (int64_t c = 0; c < chunks; ++c) {
            runChunk(c);
        }
    }
    if (extras.probabilities) {
        *extras.probabilities = probsAll;
    }
    return out.view({N, Lq, heads * dv});
}

AttentionImpl::AttentionImpl(int64_t queryDim, int64_t contextDim, int64_t heads, int64_t headDim,
                             bool qkvBias)
    : m_heads(heads), m_headDim(headDim) {
    const int64_t inner = heads * headDim;
    const int64_t ctx = contextDim > 0 ? contextDim : queryDim;
    to_q =
        register_module("to_q", torch::nn::Linear(torch::nn::LinearOptions(queryDim, inner).bias(qkvBias)));
    to_k = register_module("to_k", torch::nn::Linear(torch::nn::LinearOptions(ctx, inner).bias(qkvBias)));
    to_v = register_module("to_v", torch::nn::Linear(torch::nn::LinearOptions(ctx, inner).bias(qkvBias)));
    m_out = torch::nn::Linear(torch::nn::LinearOptions(inner, queryDim).bias(true));
    to_out =
        register_module("to_out", torch::nn::ModuleList(m_out)); // key "to_out.0" (dropout has no weights)
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& context,
                                     const AttentionExtras& extras) {
    const torch::Tensor& ctx = context.defined() ? context : x;
    const torch::Tensor q = linear(to_q, x);
    const torch::Tensor k = linear(to_k, ctx);
    const torch::Tensor v = linear(to_v, ctx);
    const torch::Tensor o =
        multi_head_attention(q, k, v, m_heads, 1.0 / std::sqrt(static_cast<double>(m_headDim)), extras);
    return linear(m_out, o);
}

} // namespace mb::ml
