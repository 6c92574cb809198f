#pragma once
/**
 * \file unet_blocks.h
 * \brief Building blocks of UNet3DConditionModel (NOTES §3.3) and the VAE (§5), as torch::nn modules whose
 *        parameter names equal the diffusers state_dict keys.
 *
 * Layout inside the UNet: frames folded into the batch, [B·F, C, H, W] with row b·F + f (NOTES §2).
 * Temporal modules take the frame count to unfold.
 */
#include <functional>
#include <string>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "ml/attention.h"

namespace mb::ml {

/** Receives named intermediate tensors during a forward pass (parity tests, debugging). */
using CaptureFn = std::function<void(const std::string& path, const torch::Tensor& value)>;

/** What one UNet call hands down to its blocks. */
struct UNetCall {
    int64_t batch = 1;
    int64_t frames = 1;
    torch::Tensor context; ///< text states repeated per frame, [B·F, tokens, D]
    CrossAttentionHook* hook = nullptr;
    const CaptureFn* capture = nullptr;
    void record(const std::string& path, const torch::Tensor& t) const {
        if (capture && *capture) {
            (*capture)(path, t);
        }
    }
};

/** ResnetBlock2D: GN→SiLU→conv1 (+ time embedding) →GN→SiLU→conv2, plus (1×1 shortcut) input. */
class ResnetBlock2DImpl : public torch::nn::Module {
public:
    /** tembChannels 0 = no time embedding (VAE). */
    ResnetBlock2DImpl(int64_t in, int64_t out, int64_t tembChannels, int64_t groups, double eps);
    /** x [N, in, H, W]; temb [N, tembChannels] already passed through SiLU (or undefined). */
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& tembActivated = {});
    torch::nn::GroupNorm norm1{nullptr}, norm2{nullptr};
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv_shortcut{nullptr};
    torch::nn::Linear time_emb_proj{nullptr};
};
TORCH_MODULE(ResnetBlock2D);

/** TemporalConvLayer: four GN→SiLU→Conv3d(3,1,1) stages over frames, residual. Keys conv1.0/conv1.2,
 * convK.0/convK.3. */
class TemporalConvLayerImpl : public torch::nn::Module {
public:
    TemporalConvLayerImpl(int64_t channels, int64_t groups);
    torch::Tensor forward(const torch::Tensor& x, int64_t frames);
    torch::nn::GroupNorm norms[4] = {nullptr, nullptr, nullptr, nullptr};
    torch::nn::Conv3d convs[4] = {nullptr, nullptr, nullptr, nullptr};
};
TORCH_MODULE(TemporalConvLayer);

/** GEGLU feed-forward: net.0.proj (dim→2·inner), a·GELU(g), net.2 (inner→dim). */
class FeedForwardImpl : public torch::nn::Module {
public:
    FeedForwardImpl(int64_t dim, int64_t mult = 4);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Linear proj{nullptr}, out{nullptr};

private:
    int64_t m_inner;
};
TORCH_MODULE(FeedForward);

/** A hooked cross-attention call: the layer's full description and the hook to consult. */
struct CrossAttentionSite {
    CrossAttentionInfo info;
    CrossAttentionHook* hook = nullptr;
};

/** BasicTransformerBlock: pre-LN self-attention, cross-attention (or second self-attention), GEGLU FF. */
class BasicTransformerBlockImpl : public torch::nn::Module {
public:
    /** contextDim 0 = "double self-attention" (temporal blocks). */
    BasicTransformerBlockImpl(int64_t dim, int64_t heads, int64_t headDim, int64_t contextDim);
    /** x [N, L, dim]; context [N, tokens, contextDim] or undefined; site non-null only for hooked layers. */
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context,
                          const CrossAttentionSite* site);
    torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr}, norm3{nullptr};
    Attention attn1{nullptr}, attn2{nullptr};
    FeedForward ff{nullptr};
};
TORCH_MODULE(BasicTransformerBlock);

/** Transformer2DModel (spatial, linear projections): GN(eps 1e-6) → proj_in → block → proj_out, residual. */
class Transformer2DImpl : public torch::nn::Module {
public:
    Transformer2DImpl(int64_t channels, int64_t heads, int64_t headDim, int64_t contextDim, int64_t groups);
    /** x [B·F, C, H, W]; `site` describes this layer's attn2 for the hook (may be null). */
    torch::Tensor forward(const torch::Tensor& x, const UNetCall& call, const CrossAttentionInfo* site);
    torch::nn::GroupNorm norm{nullptr};
    torch::nn::Linear proj_in{nullptr}, proj_out{nullptr};
    torch::nn::ModuleList transformer_blocks{nullptr};
    BasicTransformerBlock block{nullptr};
};
TORCH_MODULE(Transformer2D);

/** TransformerTemporalModel: GN over [B, C, F, H, W] (eps 1e-6), attention over frames per pixel, residual.
 */
class TransformerTemporalImpl : public torch::nn::Module {
public:
    TransformerTemporalImpl(int64_t channels, int64_t heads, int64_t headDim, int64_t groups);
    torch::Tensor forward(const torch::Tensor& x, int64_t frames);
    torch::nn::GroupNorm norm{nullptr};
    torch::nn::Linear proj_in{nullptr}, proj_out{nullptr};
    torch::nn::ModuleList transformer_blocks{nullptr};
    BasicTransformerBlock block{nullptr};
};
TORCH_MODULE(TransformerTemporal);

/** Downsample2D with a conv ("downsamplers.0.conv"). padding 0 means pad right/bottom by 1 first (VAE). */
class Downsample2DImpl : public torch::nn::Module {
public:
    Downsample2DImpl(int64_t channels, int64_t padding);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Conv2d conv{nullptr};

private:
    int64_t m_padding;
};
TORCH_MODULE(Downsample2D);

/** Upsample2D: nearest to `size` (or ×2 when size is empty), then 3×3 conv ("upsamplers.0.conv"). */
class Upsample2DImpl : public torch::nn::Module {
public:
    explicit Upsample2DImpl(int64_t channels);
    torch::Tensor forward(const torch::Tensor& x, c10::IntArrayRef size = {});
    torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Upsample2D);

/** Sinusoidal timestep embedding (flip_sin_to_cos, shift 0), computed in float32 exactly like diffusers. */
torch::Tensor timestep_embedding(const torch::Tensor& timesteps, int64_t dim);

/** Group norm of [B·F, C, H, W] with statistics over all frames of an item (the 5-D view [B, C, F, H, W]). */
torch::Tensor group_norm_over_frames(const torch::Tensor& x, int64_t frames,
                                     const torch::nn::GroupNorm& norm);

/** Number of rows processed at once by row-chunked feed-forward layers without autograd. */
int64_t feedforward_chunk_elements();

} // namespace mb::ml
