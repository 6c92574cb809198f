#pragma once
/**
 * \file vae.h
 * \brief AutoencoderKL (the Stable Diffusion VAE used by Zeroscope), NOTES §5.
 *
 * Built from config.json (block widths, layers, groups, latent channels, scaling factor); parameter names
 * equal the diffusers keys. Images are [N, 3, H, W] in [−1, 1]; latents [N, latent_channels, H/s, W/s] with
 * s = scale_factor() = 2^(len(block_out_channels) − 1). encode() returns the unscaled posterior (multiply by
 * scaling_factor to get diffusion latents); decode() takes unscaled latents (divide diffusion latents first).
 * Video helpers fold [B, C, F, H, W] to frames and run at most `framesPerChunk` frames at once, so memory
 * stays flat as the frame count grows (the VAE has no temporal layers: chunking does not change results).
 */
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "ml/attention.h"
#include "ml/unet_blocks.h"

namespace mb::ml {

struct VaeConfig {
    int64_t inChannels = 3;
    int64_t outChannels = 3;
    int64_t latentChannels = 4;
    std::vector<int64_t> blockOutChannels{128, 256, 512, 512};
    int64_t layersPerBlock = 2;
    int64_t normNumGroups = 32;
    double scalingFactor = 0.18215;
    bool useQuantConv = true;
    bool usePostQuantConv = true;
    bool midBlockAttention = true;

    static VaeConfig from_json(const nlohmann::json& j, const std::string& source);
    static VaeConfig from_file(const std::string& path);
    /** Pixels per latent cell along each axis. */
    int64_t scaleFactor() const { return int64_t(1) << (blockOutChannels.size() - 1); }
};

/** Single-head spatial self-attention of the VAE mid block (group_norm, to_q/k/v/out.0 with bias, residual).
 */
class VaeAttentionImpl : public torch::nn::Module {
public:
    VaeAttentionImpl(int64_t channels, int64_t groups);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::GroupNorm group_norm{nullptr};
    torch::nn::Linear to_q{nullptr}, to_k{nullptr}, to_v{nullptr}, out{nullptr};
};
TORCH_MODULE(VaeAttention);

/** UNetMidBlock2D without time embedding: resnet, (attention, resnet). */
class VaeMidBlockImpl : public torch::nn::Module {
public:
    VaeMidBlockImpl(int64_t channels, int64_t groups, bool attention);
    torch::Tensor forward(torch::Tensor x);

private:
    std::vector<ResnetBlock2D> m_resnets;
    VaeAttention m_attention{nullptr};
};
TORCH_MODULE(VaeMidBlock);

class VaeEncoderImpl : public torch::nn::Module {
public:
    explicit VaeEncoderImpl(const VaeConfig& c);
    torch::Tensor forward(const torch::Tensor& x);

private:
    torch::nn::Conv2d m_convIn{nullptr}, m_convOut{nullptr};
    std::vector<std::vector<ResnetBlock2D>> m_resnets;
    std::vector<Downsample2D> m_down;
    VaeMidBlock m_mid{nullptr};
    torch::nn::GroupNorm m_normOut{nullptr};
};
TORCH_MODULE(VaeEncoder);

class VaeDecoderImpl : public torch::nn::Module {
public:
    explicit VaeDecoderImpl(const VaeConfig& c);
    torch::Tensor forward(const torch::Tensor& z);

private:
    torch::nn::Conv2d m_convIn{nullptr}, m_convOut{nullptr};
    std::vector<std::vector<ResnetBlock2D>> m_resnets;
    std::vector<Upsample2D> m_up;
    VaeMidBlock m_mid{nullptr};
    torch::nn::GroupNorm m_normOut{nullptr};
};
TORCH_MODULE(VaeDecoder);

/** The diagonal Gaussian posterior of encode(). */
struct LatentDistribution {
    torch::Tensor mean;   ///< [N, latent, h, w]
    torch::Tensor logvar; ///< clamped to [−30, 20]
    torch::Tensor std;    ///< exp(logvar / 2)
    /** mean + std·ε with ε ~ N(0, 1) drawn from `generator` (a seeded CPU generator gives reproducible
     * latents). */
    torch::Tensor sample(c10::optional<at::Generator> generator = c10::nullopt) const;
    torch::Tensor mode() const { return mean; }
};

class AutoencoderKLImpl : public torch::nn::Module {
public:
    explicit AutoencoderKLImpl(const VaeConfig& config);
    const VaeConfig& config() const { return m_config; }

    /** Posterior of images [N, in, H, W] (H, W multiples of scale_factor()). */
    LatentDistribution encode(const torch::Tensor& images);
    /** Images [N, out, H, W] from unscaled latents [N, latent, h, w]. */
    torch::Tensor decode(const torch::Tensor& latents);
    /** decode() over at most `framesPerChunk` rows at a time (framesPerChunk ≥ 1). */
    torch::Tensor decode_sliced(const torch::Tensor& latents, int64_t framesPerChunk);
    /** Video decode: unscaled latents [B, latent, F, h, w] → [B, out, F, H, W], framesPerChunk frames at
     * once. */
    torch::Tensor decode_video(const torch::Tensor& latents, int64_t framesPerChunk = 4);
    /** Video encode: [B, in, F, H, W] → posterior over the frame-folded [B·F, latent, h, w] (row b·F + f). */
    LatentDistribution encode_video(const torch::Tensor& video, int64_t framesPerChunk = 4);

    VaeEncoder encoder{nullptr};
    VaeDecoder decoder{nullptr};
    torch::nn::Conv2d quant_conv{nullptr}, post_quant_conv{nullptr};

private:
    VaeConfig m_config;
};
TORCH_MODULE(AutoencoderKL);

} // namespace mb::ml
