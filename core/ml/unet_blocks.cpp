#include "ml/unet_blocks.h"

#include <cmath>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "ml/parallel_ops.h"
#include "ml/winograd_conv.h"

namespace mb::ml {

namespace F = torch::nn::functional;

namespace {

torch::nn::GroupNorm makeGroupNorm(int64_t groups, int64_t channels, double eps) {
    if (groups < 1 || channels % groups != 0) {
        throw std::invalid_argument("GroupNorm: " + std::to_string(channels) +
                                    " channels cannot be split into " + std::to_string(groups) +
                                    " groups (norm_num_groups in config.json)");
    }
    return torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, channels).eps(eps).affine(true));
}

torch::nn::Conv2d conv2d(int64_t in, int64_t out, int64_t k, int64_t stride = 1, int64_t pad = 0) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).stride(stride).padding(pad).bias(true));
}

/** A module that only holds "proj" (diffusers' GEGLU), so the key reads ff.net.0.proj. */
class GegluImpl : public torch::nn::Module {
public:
    GegluImpl(int64_t dim, int64_t inner) {
        proj = register_module("proj", torch::nn::Linear(dim, 2 * inner));
    }
    torch::nn::Linear proj{nullptr};
};
TORCH_MODULE(Geglu);

/** GEGLU + output projection of `rows` rows. */
torch::Tensor feedForwardRows(const torch::Tensor& x, torch::nn::Linear proj, torch::nn::Linear out,
                              int64_t inner) {
    const torch::Tensor h = linear(proj, x);
    const torch::Tensor a = h.narrow(-1, 0, inner);
    const torch::Tensor g = h.narrow(-1, inner, inner);
    return linear(out, a * F::gelu(g));
}

} // namespace

int64_t feedforward_chunk_elements() {
    return int64_t(1) << 25;
}

// ----------------------------------------------------------------------------------------------
// ResnetBlock2D

ResnetBlock2DImpl::ResnetBlock2DImpl(int64_t in, int64_t out, int64_t tembChannels, int64_t groups,
                                     double eps) {
    norm1 = register_module("norm1", makeGroupNorm(groups, in, eps));
    conv1 = register_module("conv1", conv2d(in, out, 3, 1, 1));
    if (tembChannels > 0) {
        time_emb_proj = register_module("time_emb_proj", torch::nn::Linear(tembChannels, out));
    }
    norm2 = register_module("norm2", makeGroupNorm(groups, out, eps));
    conv2 = register_module("conv2", conv2d(out, out, 3, 1, 1));
    if (in != out) {
        conv_shortcut = register_module("conv_shortcut", conv2d(in, out, 1));
    }
}

torch::Tensor ResnetBlock2DImpl::forward(const torch::Tensor& x, const torch::Tensor& tembActivated) {
    torch::Tensor h = conv3x3_same(F::silu(norm1(x)), conv1->weight, conv1->bias);
    if (time_emb_proj && tembActivated.defined()) {
        h = h + linear(time_emb_proj, tembActivated).unsqueeze(-1).unsqueeze(-1);
    }
    h = conv3x3_same(F::silu(norm2(h)), conv2->weight, conv2->bias);
    return (conv_shortcut ? conv_shortcut(x) : x) + h;
}

// ------------------------------------------------------------------------------------------ group norm
// helpers

torch::Tensor group_norm_over_frames(const torch::Tensor& x, int64_t frames,
                                     const torch::nn::GroupNorm& norm) {
    const int64_t BF = x.size(0), C = x.size(1), G = norm->options.num_groups();
    const int64_t B = BF / frames, Cg = C / G;
    const double eps = norm->options.eps();
    const bool grad = torch::GradMode::is_enabled() &&
                      (x.requires_grad() || norm->weight.requires_grad() || norm->bias.requires_grad());
    if (!grad && x.is_cpu() && x.scalar_type() == torch::kFloat32 && x.is_contiguous() &&
        norm->weight.scalar_type() == torch::kFloat32) {
        // One task per (item, group): statistics over its frames × channels × pixels (double accumulators),
        // then the per-channel affine in a second pass. Two passes over memory, no temporaries.
        const int64_t HW = x.numel() / (BF * C);
        torch::Tensor out = torch::empty_like(x);
        const float* X = x.data_ptr<float>(); // cpu: this branch is for CPU tensors only
        float* Y = out.data_ptr<float>();     // cpu: as above
        const torch::Tensor gammaT = norm->weight.contiguous(), betaT = norm->bias.contiguous();
        const float* gamma = gammaT.data_ptr<float>(); // cpu: the weights are where x is
        const float* beta = betaT.data_ptr<float>();   // cpu: as above
        at::parallel_for(0, B * G, 1, [&](int64_t begin, int64_t end) {
            for (int64_t bg = begin; bg < end; ++bg) {
                const int64_t b = bg / G, g = bg % G;
                double sum = 0, sumSq = 0;
                for (int64_t f = 0; f < frames; ++f) {
                    for (int64_t c = 0; c < Cg; ++c) {
                        const float* row = X + (((b * frames + f) * C) + g * Cg + c) * HW;
                        float s = 0.f, sq = 0.f;
                        for (int64_t i = 0; i < HW; ++i) {
                            s += row[i];
                            sq += row[i] * row[i];
                        }
                        sum += s;
                        sumSq += sq;
                    }
                }
                const double count = double(frames * Cg * HW);
                const double mean = sum / count;
                const double var = std::max(0.0, sumSq / count - mean * mean);
                const double rstd = 1.0 / std::sqrt(var + eps);
                for (int64_t f = 0; f < frames; ++f) {
                    for (int64_t c = 0; c < Cg; ++c) {
                        const int64_t ch = g * Cg + c;
                        const float scale = float(rstd * gamma[ch]);
                        const float shift = float(beta[ch] - mean * rstd * gamma[ch]);
                        const int64_t offset = (((b * frames + f) * C) + ch) * HW;
                        const float* row = X + offset;
                        float* dst = Y + offset;
                        for (int64_t i = 0; i < HW; ++i) {
                            dst[i] = row[i] * scale + shift;
                        }
                    }
                }
            }
        });
        return out;
    }
    if (!x.is_cpu()) {
        // Accelerators: LibTorch's own GroupNorm on the [B, C, F, H, W] view (what diffusers runs), which
        // keeps its statistics in float32 for fp16/bf16 inputs; two layout copies are cheap there.
        const torch::Tensor x5 = x.reshape({B, frames, C, x.size(2), x.size(3)}).permute({0, 2, 1, 3, 4});
        const torch::Tensor y = torch::group_norm(x5, G, norm->weight, norm->bias, eps);
        return y.permute({0, 2, 1, 3, 4}).reshape(x.sizes());
    }
    // Autograd path: [B·F, C, H, W] viewed as [B, F, G, C/G, H·W]; statistics per (b, g) over frames,
    // channels of the group and pixels — GroupNorm on the 5-D [B, C, F, H, W] tensor without permuting.
    const torch::Tensor x5 = x.reshape({B, frames, G, Cg, -1});
    const auto vm = torch::var_mean(x5, {1, 3, 4}, /*unbiased=*/false, /*keepdim=*/true);
    const torch::Tensor rstd = (std::get<0>(vm) + eps).rsqrt(); // [B,1,G,1,1]
    const torch::Tensor gammaV = norm->weight.view({1, 1, G, Cg, 1});
    const torch::Tensor betaV = norm->bias.view({1, 1, G, Cg, 1});
    const torch::Tensor scale = rstd * gammaV; // [B,1,G,C/G,1]
    const torch::Tensor shift = betaV - std::get<1>(vm) * scale;
    return torch::addcmul(shift, x5, scale).view(x.sizes());
}

// ------------------------------------------------------------------------------------------
// TemporalConvLayer

TemporalConvLayerImpl::TemporalConvLayerImpl(int64_t channels, int64_t groups) {
    for (int i = 0; i < 4; ++i) {
        auto stage = torch::nn::ModuleList();
        norms[i] = makeGroupNorm(groups, channels, 1e-5);
        convs[i] =
            torch::nn::Conv3d(torch::nn::Conv3dOptions(channels, channels, {3, 1, 1}).padding({1, 0, 0}));
        stage->push_back(norms[i]);
        stage->push_back(torch::nn::SiLU());
        if (i > 0) {
            stage->push_back(torch::nn::Dropout(0.1)); // inactive in eval; keeps the key index (convK.3)
        }
        stage->push_back(convs[i]);
        register_module("conv" + std::to_string(i + 1), stage);
    }
}

torch::Tensor TemporalConvLayerImpl::forward(const torch::Tensor& x, int64_t frames) {
    const int64_t BF = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
    const int64_t B = BF / frames;
    torch::Tensor h = x;
    for (int i = 0; i < 4; ++i) {
        const torch::Tensor a = F::silu(group_norm_over_frames(h, frames, norms[i]));
        const bool grad =
            torch::GradMode::is_enabled() && (a.requires_grad() || convs[i]->weight.requires_grad());
        const torch::Tensor taps = convs[i]->weight.view({C, C, 3}).permute({2, 0, 1}); // [3, K, C]
        if (!grad && temporal_winograd_worthwhile(a, frames, taps)) {
            h = temporal_conv3_winograd(a, frames, taps, convs[i]->bias);
            continue;
        }
        // Conv3d with kernel (3,1,1), zero padding in time, computed in the folded layout: one 1×1 conv gives
        // W_k·x for the three taps k, then out[f] = W_0·x[f−1] + W_1·x[f] + W_2·x[f+1] + bias.
        const torch::Tensor w = convs[i]->weight.permute({2, 0, 1, 3, 4}).reshape({3 * C, C, 1, 1});
        const torch::Tensor y = F::conv2d(a, w).view({B, frames, 3, C, H, W});
        torch::Tensor out = y.select(2, 1) + convs[i]->bias.view({1, 1, C, 1, 1});
        if (frames > 1) {
            out.narrow(1, 1, frames - 1).add_(y.select(2, 0).narrow(1, 0, frames - 1));
            out.narrow(1, 0, frames - 1).add_(y.select(2, 2).narrow(1, 1, frames - 1));
        }
        h = out.view({BF, C, H, W});
    }
    return x + h;
}

// -------------------------------------------------------------------------------------------- FeedForward

FeedForwardImpl::FeedForwardImpl(int64_t dim, int64_t mult) : m_inner(dim * mult) {
    auto net = torch::nn::ModuleList();
    Geglu geglu(dim, m_inner);
    proj = geglu->proj;
    out = torch::nn::Linear(m_inner, dim);
    net->push_back(geglu);
    net->push_back(torch::nn::Dropout(0.0));
    net->push_back(out);
    register_module("net", net);
}

torch::Tensor FeedForwardImpl::forward(const torch::Tensor& x) {
    const bool grad = torch::GradMode::is_enabled();
    const int64_t rows = x.numel() / x.size(-1);
    const int64_t perRow = 3 * m_inner; // projection (2·inner) + activation (inner)
    if (grad || rows * perRow <= feedforward_chunk_elements()) {
        return feedForwardRows(x, proj, out, m_inner);
    }
    // Without autograd, go in row chunks so the 2·inner-wide intermediate stays small.
    const torch::Tensor flat = x.reshape({rows, x.size(-1)});
    torch::Tensor result = torch::empty({rows, out->options.out_features()}, x.options());
    const int64_t step = std::max<int64_t>(1, feedforward_chunk_elements() / perRow);
    for (int64_t r = 0; r < rows; r += step) {
        const int64_t n = std::min(step, rows - r);
        result.narrow(0, r, n).copy_(feedForwardRows(flat.narrow(0, r, n), proj, out, m_inner));
    }
    std::vector<int64_t> shape = x.sizes().vec();
    shape.back() = out->options.out_features();
    return result.view(shape);
}

// ---------------------------------------------------------------------------------- BasicTransformerBlock

BasicTransformerBlockImpl::BasicTransformerBlockImpl(int64_t dim, int64_t heads, int64_t headDim,
                                                     int64_t contextDim) {
    auto ln = [dim] { return torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(1e-5)); };
    norm1 = register_module("norm1", ln());
    attn1 = register_module("attn1", Attention(dim, 0, heads, headDim));
    norm2 = register_module("norm2", ln());
    attn2 = register_module("attn2", Attention(dim, contextDim, heads, headDim));
    norm3 = register_module("norm3", ln());
    ff = register_module("ff", FeedForward(dim));
}

torch::Tensor BasicTransformerBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& context,
                                                 const CrossAttentionSite* site) {
    torch::Tensor h = x + attn1(norm1(x));
    const torch::Tensor n2 = norm2(h);
    AttentionExtras extras;
    torch::Tensor probs;
    bool observe = false;
    if (site && site->hook) {
        extras.bias = site->hook->logit_bias(site->info);
        observe = site->hook->wants_probabilities(site->info);
        if (observe) {
            extras.probabilities = &probs;
        }
    }
    h = h + attn2(n2, context.defined() ? context : n2, extras);
    if (observe) {
        site->hook->observe_probabilities(site->info, probs);
    }
    return h + ff(norm3(h));
}

// ------------------------------------------------------------------------------------------ Transformer2D

Transformer2DImpl::Transformer2DImpl(int64_t channels, int64_t heads, int64_t headDim, int64_t contextDim,
                                     int64_t groups) {
    const int64_t inner = heads * headDim;
    norm = register_module("norm", makeGroupNorm(groups, channels, 1e-6));
    proj_in = register_module("proj_in", torch::nn::Linear(channels, inner));
    block = BasicTransformerBlock(inner, heads, headDim, contextDim);
    transformer_blocks = register_module("transformer_blocks", torch::nn::ModuleList(block));
    proj_out = register_module("proj_out", torch::nn::Linear(inner, channels));
}

torch::Tensor Transformer2DImpl::forward(const torch::Tensor& x, const UNetCall& call,
                                         const CrossAttentionInfo* site) {
    const int64_t BF = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
    torch::Tensor h = norm(x).permute({0, 2, 3, 1}).reshape({BF, H * W, C}); // token = row·W + column
    h = linear(proj_in, h);
    CrossAttentionSite hooked;
    const CrossAttentionSite* sitePtr = nullptr;
    if (call.hook && site) {
        hooked.info = *site;
        hooked.info.height = H;
        hooked.info.width = W;
        hooked.info.batch = call.batch;
        hooked.info.frames = call.frames;
        hooked.info.heads = block->attn2->heads();
        hooked.info.headDim = block->attn2->headDim();
        hooked.info.tokens = call.context.size(1);
        hooked.info.device = x.device();
        hooked.hook = call.hook;
        sitePtr = &hooked;
    }
    h = block(h, call.context, sitePtr);
    h = linear(proj_out, h);
    return x + h.view({BF, H, W, C}).permute({0, 3, 1, 2});
}

// ------------------------------------------------------------------------------------ TransformerTemporal

TransformerTemporalImpl::TransformerTemporalImpl(int64_t channels, int64_t heads, int64_t headDim,
                                                 int64_t groups) {
    const int64_t inner = heads * headDim;
    norm = register_module("norm", makeGroupNorm(groups, channels, 1e-6));
    proj_in = register_module("proj_in", torch::nn::Linear(channels, inner));
    block = BasicTransformerBlock(inner, heads, headDim, 0);
    transformer_blocks = register_module("transformer_blocks", torch::nn::ModuleList(block));
    proj_out = register_module("proj_out", torch::nn::Linear(inner, channels));
}

torch::Tensor TransformerTemporalImpl::forward(const torch::Tensor& x, int64_t frames) {
    const int64_t BF = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
    const int64_t B = BF / frames;
    // Sequences = pixels (index b·H·W + y·W + x), tokens = frames.
    torch::Tensor h = group_norm_over_frames(x, frames, norm)
                          .view({B, frames, C, H * W})
                          .permute({0, 3, 1, 2})
                          .reshape({B * H * W, frames, C});
    h = linear(proj_in, h);
    h = block(h, torch::Tensor(), nullptr);
    h = linear(proj_out, h);
    return x + h.view({B, H * W, frames, C}).permute({0, 2, 3, 1}).reshape({BF, C, H, W});
}

// ----------------------------------------------------------------------------------- Down/Upsample2D

Downsample2DImpl::Downsample2DImpl(int64_t channels, int64_t padding) : m_padding(padding) {
    conv = register_module("conv", conv2d(channels, channels, 3, 2, padding));
}

torch::Tensor Downsample2DImpl::forward(const torch::Tensor& x) {
    if (m_padding == 0) {
        return conv(F::pad(x, F::PadFuncOptions({0, 1, 0, 1}).mode(torch::kConstant).value(0)));
    }
    return conv(x);
}

Upsample2DImpl::Upsample2DImpl(int64_t channels) {
    conv = register_module("conv", conv2d(channels, channels, 3, 1, 1));
}

torch::Tensor Upsample2DImpl::forward(const torch::Tensor& x, c10::IntArrayRef size) {
    std::vector<int64_t> target =
        size.empty() ? std::vector<int64_t>{2 * x.size(2), 2 * x.size(3)} : size.vec();
    return conv3x3_same(F::interpolate(x, F::InterpolateFuncOptions().size(target).mode(torch::kNearest)),
                        conv->weight, conv->bias);
}

// ------------------------------------------------------------------------------------- timestep embedding

torch::Tensor timestep_embedding(const torch::Tensor& timesteps, int64_t dim) {
    // Same tensor operations as diffusers' get_timestep_embedding (flip_sin_to_cos=True, shift 0), so the
    // float32 rounding matches.
    const int64_t half = dim / 2;
    torch::Tensor exponent =
        torch::arange(0, half, torch::TensorOptions().dtype(torch::kFloat32).device(timesteps.device())) *
        (-std::log(10000.0));
    exponent = exponent / static_cast<double>(half);
    const torch::Tensor freqs = torch::exp(exponent);
    const torch::Tensor args = timesteps.unsqueeze(1).to(torch::kFloat32) * freqs.unsqueeze(0);
    torch::Tensor emb = torch::cat({torch::cos(args), torch::sin(args)}, -1);
    if (dim % 2 == 1) {
        emb = F::pad(emb, F::PadFuncOptions({0, 1}));
    }
    return emb;
}

} // namespace mb::ml
