#include "ml/vae.h"

#include <cmath>
#include <stdexcept>

#include <torch/torch.h>

#include "ml/config_fields.h"
#include "ml/model_loader.h"
#include "ml/parallel_ops.h"

namespace mb::ml {

namespace F = torch::nn::functional;

namespace {

constexpr double kVaeEps = 1e-6;

torch::nn::GroupNorm groupNorm(int64_t groups, int64_t channels) {
    return torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, channels).eps(kVaeEps));
}

torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t k) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).padding(k / 2));
}

} // namespace

VaeConfig VaeConfig::from_json(const nlohmann::json& j, const std::string& source) {
    const ConfigFields f(j, "VAE", source);
    VaeConfig c;
    c.inChannels = f.optional<int64_t>("in_channels", c.inChannels);
    c.outChannels = f.optional<int64_t>("out_channels", c.outChannels);
    c.latentChannels = f.optional<int64_t>("latent_channels", c.latentChannels);
    c.blockOutChannels = f.optional<std::vector<int64_t>>("block_out_channels", {64});
    c.layersPerBlock = f.optional<int64_t>("layers_per_block", 1);
    c.normNumGroups = f.optional<int64_t>("norm_num_groups", 32);
    c.scalingFactor = f.optional<double>("scaling_factor", c.scalingFactor);
    c.useQuantConv = f.optional<bool>("use_quant_conv", true);
    c.usePostQuantConv = f.optional<bool>("use_post_quant_conv", true);
    c.midBlockAttention = f.optional<bool>("mid_block_add_attention", true);
    const auto down = f.optional<std::vector<std::string>>("down_block_types", {});
    const auto up = f.optional<std::vector<std::string>>("up_block_types", {});
    if (c.blockOutChannels.empty() || c.blockOutChannels.size() > 8) {
        f.fail("block_out_channels must list 1..8 widths");
    }
    if ((!down.empty() && down.size() != c.blockOutChannels.size()) ||
        (!up.empty() && up.size() != c.blockOutChannels.size())) {
        f.fail("down/up_block_types must have one entry per block_out_channels");
    }
    for (const auto& t : down) {
        if (t != "DownEncoderBlock2D") {
            f.fail("unsupported down block type \"" + t + "\"");
        }
    }
    for (const auto& t : up) {
        if (t != "UpDecoderBlock2D") {
            f.fail("unsupported up block type \"" + t + "\"");
        }
    }
    for (int64_t ch : c.blockOutChannels) {
        if (ch < 1 || c.normNumGroups < 1 || ch % c.normNumGroups != 0) {
            f.fail("block width " + std::to_string(ch) + " is not a multiple of norm_num_groups " +
                   std::to_string(c.normNumGroups));
        }
    }
    if (c.layersPerBlock < 1 || c.latentChannels < 1 || c.inChannels < 1 || c.outChannels < 1) {
        f.fail("layers_per_block and channel counts must be positive");
    }
    if (!(c.scalingFactor > 0)) {
        f.fail("scaling_factor must be positive");
    }
    const std::string act = f.optional<std::string>("act_fn", "silu");
    if (act != "silu") {
        f.fail("act_fn must be \"silu\"");
    }
    return c;
}

VaeConfig VaeConfig::from_file(const std::string& path) {
    return from_json(read_json_file(path), path);
}

// ----------------------------------------------------------------------------------------------- attention

VaeAttentionImpl::VaeAttentionImpl(int64_t channels, int64_t groups) {
    group_norm = register_module("group_norm", groupNorm(groups, channels));
    to_q = register_module("to_q", torch::nn::Linear(channels, channels));
    to_k = register_module("to_k", torch::nn::Linear(channels, channels));
    to_v = register_module("to_v", torch::nn::Linear(channels, channels));
    out = torch::nn::Linear(channels, channels);
    register_module("to_out", torch::nn::ModuleList(out));
}

torch::Tensor VaeAttentionImpl::forward(const torch::Tensor& x) {
    const int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
    const torch::Tensor h = group_norm(x).view({N, C, H * W}).transpose(1, 2); // [N, HW, C]
    AttentionExtras extras;
    extras.upcastSoftmax = true;
    const torch::Tensor a = multi_head_attention(linear(to_q, h), linear(to_k, h), linear(to_v, h), 1,
                                                 1.0 / std::sqrt(double(C)), extras);
    return x + linear(out, a).transpose(1, 2).reshape({N, C, H, W});
}

VaeMidBlockImpl::VaeMidBlockImpl(int64_t channels, int64_t groups, bool attention) {
    auto resnets = torch::nn::ModuleList();
    for (int i = 0; i < 2; ++i) {
        m_resnets.emplace_back(channels, channels, 0, groups, kVaeEps);
        resnets->push_back(m_resnets.back());
    }
    if (attention) {
        m_attention = VaeAttention(channels, groups);
        register_module("attentions", torch::nn::ModuleList(m_attention));
    }
    register_module("resnets", resnets);
}

torch::Tensor VaeMidBlockImpl::forward(torch::Tensor x) {
    x = m_resnets[0](x);
    if (m_attention) {
        x = m_attention(x);
    }
    return m_resnets[1](x);
}

// ------------------------------------------------------------------------------------------ encoder/decoder

VaeEncoderImpl::VaeEncoderImpl(const VaeConfig& c) {
    const auto& boc = c.blockOutChannels;
    const int64_t g = c.normNumGroups;
    m_convIn = register_module("conv_in", conv(c.inChannels, boc[0], 3));
    auto blocks = torch::nn::ModuleList();
    int64_t outCh = boc[0];
    for (size_t i = 0; i < boc.size(); ++i) {
        const int64_t inCh = outCh;
        outCh = boc[i];
        auto block = std::make_shared<torch::nn::Module>();
        auto resnets = torch::nn::ModuleList();
        m_resnets.emplace_back();
        for (int64_t l = 0; l < c.layersPerBlock; ++l) {
            m_resnets.back().emplace_back(l == 0 ? inCh : outCh, outCh, 0, g, kVaeEps);
            resnets->push_back(m_resnets.back().back());
        }
        block->register_module("resnets", resnets);
        if (i + 1 < boc.size()) {
            m_down.emplace_back(outCh, 0); // pad right/bottom by one, stride-2 conv without padding
            block->register_module("downsamplers", torch::nn::ModuleList(m_down.back()));
        }
        blocks->push_back(block);
    }
    register_module("down_blocks", blocks);
    m_mid = register_module("mid_block", VaeMidBlock(boc.back(), g, c.midBlockAttention));
    m_normOut = register_module("conv_norm_out", groupNorm(g, boc.back()));
    m_convOut = register_module("conv_out", conv(boc.back(), 2 * c.latentChannels, 3));
}

torch::Tensor VaeEncoderImpl::forward(const torch::Tensor& x) {
    torch::Tensor h = m_convIn(x);
    for (size_t i = 0; i < m_resnets.size(); ++i) {
        for (auto& r : m_resnets[i]) {
            h = r(h);
        }
        if (i < m_down.size()) {
            h = m_down[i](h);
        }
    }
    h = m_mid(h);
    return m_convOut(F::silu(m_normOut(h)));
}

VaeDecoderImpl::VaeDecoderImpl(const VaeConfig& c) {
    const auto& boc = c.blockOutChannels;
    const int64_t g = c.normNumGroups;
    m_convIn = register_module("conv_in", conv(c.latentChannels, boc.back(), 3));
    m_mid = register_module("mid_block", VaeMidBlock(boc.back(), g, c.midBlockAttention));
    auto blocks = torch::nn::ModuleList();
    const std::vector<int64_t> rev(boc.rbegin(), boc.rend());
    int64_t outCh = rev[0];
    for (size_t i = 0; i < rev.size(); ++i) {
        const int64_t prevOut = outCh;
        outCh = rev[i];
        auto block = std::make_shared<torch::nn::Module>();
        auto resnets = torch::nn::ModuleList();
        m_resnets.emplace_back();
        for (int64_t l = 0; l < c.layersPerBlock + 1; ++l) {
            m_resnets.back().emplace_back(l == 0 ? prevOut : outCh, outCh, 0, g, kVaeEps);
            resnets->push_back(m_resnets.back().back());
        }
        block->register_module("resnets", resnets);
        if (i + 1 < rev.size()) {
            m_up.emplace_back(outCh);
            block->register_module("upsamplers", torch::nn::ModuleList(m_up.back()));
        }
        blocks->push_back(block);
    }
    register_module("up_blocks", blocks);
    m_normOut = register_module("conv_norm_out", groupNorm(g, boc[0]));
    m_convOut = register_module("conv_out", conv(boc[0], c.outChannels, 3));
}

torch::Tensor VaeDecoderImpl::forward(const torch::Tensor& z) {
    torch::Tensor h = m_mid(m_convIn(z));
    for (size_t i = 0; i < m_resnets.size(); ++i) {
        for (auto& r : m_resnets[i]) {
            h = r(h);
        }
        if (i < m_up.size()) {
            h = m_up[i](h);
        }
    }
    return m_convOut(F::silu(m_normOut(h)));
}

// ----------------------------------------------------------------------------------------------
// AutoencoderKL

torch::Tensor LatentDistribution::sample(c10::optional<at::Generator> generator) const {
    // A seeded generator draws on its own device (the CPU's), so a seed gives the same sample everywhere.
    const c10::Device drawOn =
        generator.has_value() && generator->defined() ? generator->device() : mean.device();
    const torch::Tensor eps =
        at::randn(mean.sizes(), generator, mean.options().device(drawOn)).to(mean.device());
    return mean + std * eps;
}

AutoencoderKLImpl::AutoencoderKLImpl(const VaeConfig& config) : m_config(config) {
    encoder = register_module("encoder", VaeEncoder(config));
    decoder = register_module("decoder", VaeDecoder(config));
    const int64_t L = config.latentChannels;
    if (config.useQuantConv) {
        quant_conv = register_module("quant_conv", conv(2 * L, 2 * L, 1));
    }
    if (config.usePostQuantConv) {
        post_quant_conv = register_module("post_quant_conv", conv(L, L, 1));
    }
}

LatentDistribution AutoencoderKLImpl::encode(const torch::Tensor& images) {
    const int64_t s = m_config.scaleFactor();
    if (images.dim() != 4 || images.size(1) != m_config.inChannels || images.size(2) % s ||
        images.size(3) % s) {
        throw std::invalid_argument("VAE encode: images must be [N, " + std::to_string(m_config.inChannels) +
                                    ", H, W] with H and W multiples of " + std::to_string(s));
    }
    torch::Tensor moments = encoder(images);
    if (quant_conv) {
        moments = quant_conv(moments);
    }
    LatentDistribution d;
    const int64_t L = m_config.latentChannels;
    d.mean = moments.narrow(1, 0, L);
    d.logvar = moments.narrow(1, L, L).clamp(-30.0, 20.0);
    d.std = torch::exp(0.5 * d.logvar);
    return d;
}

torch::Tensor AutoencoderKLImpl::decode(const torch::Tensor& latents) {
    if (latents.dim() != 4 || latents.size(1) != m_config.latentChannels) {
        throw std::invalid_argument("VAE decode: latents must be [N, " +
                                    std::to_string(m_config.latentChannels) + ", h, w]");
    }
    return decoder(post_quant_conv ? post_quant_conv(latents) : latents);
}

torch::Tensor AutoencoderKLImpl::decode_sliced(const torch::Tensor& latents, int64_t framesPerChunk) {
    if (framesPerChunk < 1) {
        throw std::invalid_argument("VAE decode: framesPerChunk must be at least 1");
    }
    const int64_t N = latents.size(0);
    if (N <= framesPerChunk) {
        return decode(latents);
    }
    torch::Tensor out;
    for (int64_t i = 0; i < N; i += framesPerChunk) {
        const int64_t n = std::min(framesPerChunk, N - i);
        const torch::Tensor part = decode(latents.narrow(0, i, n));
        if (!out.defined()) {
            std::vector<int64_t> shape = part.sizes().vec();
            shape[0] = N;
            out = torch::empty(shape, part.options());
        }
        out.narrow(0, i, n).copy_(part);
    }
    return out;
}

torch::Tensor AutoencoderKLImpl::decode_video(const torch::Tensor& latents, int64_t framesPerChunk) {
    if (latents.dim() != 5) {
        throw std::invalid_argument("VAE decode_video: latents must be [B, C, F, h, w]");
    }
    const int64_t B = latents.size(0), C = latents.size(1), Fr = latents.size(2);
    const torch::Tensor folded =
        latents.permute({0, 2, 1, 3, 4}).reshape({B * Fr, C, latents.size(3), latents.size(4)});
    const torch::Tensor images = decode_sliced(folded, framesPerChunk);
    return images.view({B, Fr, images.size(1), images.size(2), images.size(3)})
        .permute({0, 2, 1, 3, 4})
        .contiguous();
}

LatentDistribution AutoencoderKLImpl::encode_video(const torch::Tensor& video, int64_t framesPerChunk) {
    if (video.dim() != 5 || framesPerChunk < 1) {
        throw std::invalid_argument("VAE encode_video: video must be [B, C, F, H, W] and framesPerChunk ≥ 1");
    }
    const int64_t B = video.size(0), C = video.size(1), Fr = video.size(2);
    const torch::Tensor folded =
        video.permute({0, 2, 1, 3, 4}).reshape({B * Fr, C, video.size(3), video.size(4)});
    std::vector<torch::Tensor> means, logvars;
    for (int64_t i = 0; i < B * Fr; i += framesPerChunk) {
        const LatentDistribution d = encode(folded.narrow(0, i, std::min(framesPerChunk, B * Fr - i)));
        means.push_back(d.mean);
        logvars.push_back(d.logvar);
    }
    LatentDistribution d;
    d.mean = torch::cat(means, 0);
    d.logvar = torch::cat(logvars, 0);
    d.std = torch::exp(0.5 * d.logvar);
    return d;
}

} // namespace mb::ml
