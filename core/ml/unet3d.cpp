#include "ml/unet3d.h"

#include <stdexcept>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "ml/checkpoint.h"
#include "ml/config_fields.h"
#include "ml/model_loader.h"
#include "ml/parallel_ops.h"
#include "ml/threads.h"

namespace mb::ml {

namespace F = torch::nn::functional;

namespace {

std::string shapeText(c10::IntArrayRef s) {
    std::string out = "[";
    for (size_t i = 0; i < s.size(); ++i) {
        out += (i ? ", " : "") + std::to_string(s[i]);
    }
    return out + "]";
}

} // namespace

// ------------------------------------------------------------------------------------------------- config

UNet3DConfig UNet3DConfig::from_json(const nlohmann::json& j, const std::string& source) {
    const ConfigFields f(j, "UNet3D", source);
    UNet3DConfig c;
    c.inChannels = f.optional<int64_t>("in_channels", 4);
    c.outChannels = f.optional<int64_t>("out_channels", 4);
    c.blockOutChannels = f.need<std::vector<int64_t>>("block_out_channels");
    c.downBlockTypes = f.need<std::vector<std::string>>("down_block_types");
    c.upBlockTypes = f.need<std::vector<std::string>>("up_block_types");
    c.layersPerBlock = f.optional<int64_t>("layers_per_block", 2);
    c.crossAttentionDim = f.optional<int64_t>("cross_attention_dim", 1024);
    c.normNumGroups = f.optional<int64_t>("norm_num_groups", 32);
    c.normEps = f.optional<double>("norm_eps", 1e-5);
    c.downsamplePadding = f.optional<int64_t>("downsample_padding", 1);

    const size_t n = c.blockOutChannels.size();
    if (n < 1 || c.downBlockTypes.size() != n || c.upBlockTypes.size() != n) {
        f.fail("block_out_channels, down_block_types and up_block_types must have the same length");
    }
    for (int64_t ch : c.blockOutChannels) {
        if (ch < 1) {
            f.fail("block_out_channels must be positive");
        }
    }
    for (const auto& t : c.downBlockTypes) {
        if (t != "CrossAttnDownBlock3D" && t != "DownBlock3D") {
            f.fail("unsupported down block type \"" + t + "\"");
        }
    }
    for (const auto& t : c.upBlockTypes) {
        if (t != "CrossAttnUpBlock3D" && t != "UpBlock3D") {
            f.fail("unsupported up block type \"" + t + "\"");
        }
    }
    if (c.layersPerBlock < 1 || c.inChannels < 1 || c.outChannels < 1 || c.crossAttentionDim < 1) {
        f.fail("layers_per_block, in/out_channels and cross_attention_dim must be positive");
    }
    // "attention_head_dim" is the per-head width (diffusers passes it on as "num_attention_heads").
    const nlohmann::json& ahd =
        j.contains("attention_head_dim") ? j["attention_head_dim"] : nlohmann::json(64);
    if (ahd.is_number_integer()) {
        c.attentionHeadDim.assign(n, ahd.get<int64_t>());
    } else {
        f.fail("attention_head_dim must be one integer (UNet3DConditionModel's transformer_in "
               "uses it directly)");
    }
    if (j.contains("num_attention_heads") && !j["num_attention_heads"].is_null()) {
        f.fail("num_attention_heads is not supported by UNet3DConditionModel (use attention_head_dim)");
    }
    if (j.contains("time_cond_proj_dim") && !j["time_cond_proj_dim"].is_null()) {
        f.fail("time_cond_proj_dim is not supported");
    }
    if (f.optional<double>("mid_block_scale_factor", 1.0) != 1.0) {
        f.fail("mid_block_scale_factor other than 1 is not supported");
    }
    if (f.optional<std::string>("act_fn", "silu") != "silu") {
        f.fail("act_fn must be \"silu\"");
    }
    for (size_t i = 0; i < n; ++i) {
        if (c.blockOutChannels[i] % c.attentionHeadDim[i] != 0) {
            f.fail("block width " + std::to_string(c.blockOutChannels[i]) +
                   " is not a multiple of attention_head_dim " + std::to_string(c.attentionHeadDim[i]));
        }
        if (c.blockOutChannels[i] % c.normNumGroups != 0) {
            f.fail("block width " + std::to_string(c.blockOutChannels[i]) +
                   " is not a multiple of norm_num_groups " + std::to_string(c.normNumGroups));
        }
    }
    return c;
}

UNet3DConfig UNet3DConfig::from_file(const std::string& path) {
    return from_json(read_json_file(path), path);
}

// --------------------------------------------------------------------------------------------- blocks

UNetBlock3DImpl::UNetBlock3DImpl(const Spec& spec) : m_spec(spec) {
    m_path = std::string(spec.up ? "up_blocks." : "down_blocks.") + std::to_string(spec.index);
    auto resnets = torch::nn::ModuleList();
    auto tempConvs = torch::nn::ModuleList();
    auto attentions = torch::nn::ModuleList();
    auto tempAttentions = torch::nn::ModuleList();
    const int64_t heads = spec.out / spec.headDim;
    for (size_t i = 0; i < spec.resnetIn.size(); ++i) {
        m_resnets.emplace_back(spec.resnetIn[i], spec.out, spec.tembChannels, spec.groups, spec.eps);
        resnets->push_back(m_resnets.back());
        m_tempConvs.emplace_back(spec.out, spec.groups);
        tempConvs->push_back(m_tempConvs.back());
        if (spec.crossAttention) {
            m_attentions.emplace_back(spec.out, heads, spec.headDim, spec.contextDim, spec.groups);
            attentions->push_back(m_attentions.back());
            m_tempAttentions.emplace_back(spec.out, heads, spec.headDim, spec.groups);
            tempAttentions->push_back(m_tempAttentions.back());
            CrossAttentionInfo site;
            site.modulePath = m_path + ".attentions." + std::to_string(i) + ".transformer_blocks.0.attn2";
            site.block = spec.up ? CrossAttentionInfo::Block::Up : CrossAttentionInfo::Block::Down;
            site.blockIndex = spec.index;
            site.layerIndex = static_cast<int>(i);
            site.isStcaLayer = spec.stca;
            m_sites.push_back(site);
        }
    }
    register_module("resnets", resnets);
    register_module("temp_convs", tempConvs);
    if (spec.crossAttention) {
        register_module("attentions", attentions);
        register_module("temp_attentions", tempAttentions);
    }
    if (spec.resample) {
        if (spec.up) {
            m_up = Upsample2D(spec.out);
            register_module("upsamplers", torch::nn::ModuleList(m_up));
        } else {
            m_down = Downsample2D(spec.out, spec.downsamplePadding);
            register_module("downsamplers", torch::nn::ModuleList(m_down));
        }
    }
}

torch::Tensor UNetBlock3DImpl::layer(size_t i, torch::Tensor x, const torch::Tensor& temb,
                                     const UNetCall& call) {
    const std::string n = std::to_string(i);
    if (gradient_checkpointing_enabled() && torch::GradMode::is_enabled()) {
        return checkpointedLayer(i, x, temb, call);
    }
    x = m_resnets[i](x, temb);
    call.record(m_path + ".resnets." + n, x);
    x = m_tempConvs[i](x, call.frames);
    call.record(m_path + ".temp_convs." + n, x);
    if (m_spec.crossAttention) {
        x = m_attentions[i](x, call, &m_sites[i]);
        call.record(m_path + ".attentions." + n, x);
        x = m_tempAttentions[i](x, call.frames);
        call.record(m_path + ".temp_attentions." + n, x);
    }
    return x;
}

torch::Tensor UNetBlock3DImpl::checkpointedLayer(size_t i, torch::Tensor x, const torch::Tensor& temb,
                                                 const UNetCall& call) {
    // Each sub-module separately: backward then re-runs one of them at a time, so the peak is the largest
    // single sub-module's activations, not the whole layer's.
    const std::string n = std::to_string(i);
    const int64_t frames = call.frames;
    // The bodies run again in backward, after this call returned: they hold the modules (shared) by value.
    ResnetBlock2D resnet = m_resnets[i];
    x = checkpointed(
        [resnet](const std::vector<torch::Tensor>& in) mutable { return resnet->forward(in[0], in[1]); },
        {x, temb}, trainables_read_by(*resnet));
    call.record(m_path + ".resnets." + n, x);
    TemporalConvLayer tempConv = m_tempConvs[i];
    x = checkpointed(
        [tempConv, frames](const std::vector<torch::Tensor>& in) mutable {
            return tempConv->forward(in[0], frames);
        },
        {x}, trainables_read_by(*tempConv));
    call.record(m_path + ".temp_convs." + n, x);
    if (!m_spec.crossAttention) {
        return x;
    }
    Transformer2D attention = m_attentions[i];
    if (call.hook && call.hook->wants_probabilities(m_sites[i])) {
        // The hook collects probabilities with their graph (STCA loss): run this layer normally.
        x = attention(x, call, &m_sites[i]);
    } else {
        UNetCall replay = call; // what the recomputation needs, without re-reporting intermediates
        replay.capture = nullptr;
        const CrossAttentionInfo* site = &m_sites[i];
        x = checkpointed(
            [attention, replay, site](const std::vector<torch::Tensor>& in) mutable {
                UNetCall c = replay;
                c.context = in[1];
                return attention->forward(in[0], c, site);
            },
            {x, call.context}, trainables_read_by(*attention));
    }
    call.record(m_path + ".attentions." + n, x);
    TransformerTemporal tempAttention = m_tempAttentions[i];
    x = checkpointed(
        [tempAttention, frames](const std::vector<torch::Tensor>& in) mutable {
            return tempAttention->forward(in[0], frames);
        },
        {x}, trainables_read_by(*tempAttention));
    call.record(m_path + ".temp_attentions." + n, x);
    return x;
}

torch::Tensor UNetBlock3DImpl::forwardDown(torch::Tensor x, const torch::Tensor& temb, const UNetCall& call,
                                           std::vector<torch::Tensor>& skips) {
    for (size_t i = 0; i < m_resnets.size(); ++i) {
        x = layer(i, x, temb, call);
        skips.push_back(x);
    }
    if (m_down) {
        x = m_down(x);
        call.record(m_path + ".downsamplers.0", x);
        skips.push_back(x);
    }
    call.record(m_path, x);
    return x;
}

torch::Tensor UNetBlock3DImpl::forwardUp(torch::Tensor x, const torch::Tensor& temb, const UNetCall& call,
                                         std::vector<torch::Tensor>& skips, c10::IntArrayRef upsampleSize) {
    for (size_t i = 0; i < m_resnets.size(); ++i) {
        if (skips.empty()) {
            throw std::logic_error("UNet up block ran out of skip connections");
        }
        torch::Tensor skip = std::move(skips.back());
        skips.pop_back();
        x = torch::cat({x, skip}, 1);
        skip = torch::Tensor();
        x = layer(i, x, temb, call);
    }
    if (m_up) {
        x = m_up(x, upsampleSize);
        call.record(m_path + ".upsamplers.0", x);
    }
    call.record(m_path, x);
    return x;
}

UNetMidBlock3DImpl::UNetMidBlock3DImpl(int64_t channels, int64_t tembChannels, int64_t groups, double eps,
                                       int64_t headDim, int64_t contextDim) {
    auto resnets = torch::nn::ModuleList();
    auto tempConvs = torch::nn::ModuleList();
    for (int i = 0; i < 2; ++i) {
        m_resnets.emplace_back(channels, channels, tembChannels, groups, eps);
        resnets->push_back(m_resnets.back());
        m_tempConvs.emplace_back(channels, groups);
        tempConvs->push_back(m_tempConvs.back());
    }
    const int64_t heads = channels / headDim;
    m_attention = Transformer2D(channels, heads, headDim, contextDim, groups);
    m_tempAttention = TransformerTemporal(channels, heads, headDim, groups);
    register_module("resnets", resnets);
    register_module("temp_convs", tempConvs);
    register_module("attentions", torch::nn::ModuleList(m_attention));
    register_module("temp_attentions", torch::nn::ModuleList(m_tempAttention));
    m_site.modulePath = "mid_block.attentions.0.transformer_blocks.0.attn2";
    m_site.block = CrossAttentionInfo::Block::Mid;
}

torch::Tensor UNetMidBlock3DImpl::forward(torch::Tensor x, const torch::Tensor& temb, const UNetCall& call) {
    x = m_resnets[0](x, temb);
    x = m_tempConvs[0](x, call.frames);
    x = m_attention(x, call, &m_site);
    x = m_tempAttention(x, call.frames);
    x = m_resnets[1](x, temb);
    x = m_tempConvs[1](x, call.frames);
    call.record("mid_block", x);
    return x;
}

// ----------------------------------------------------------------------------------------------- model

UNet3DConditionModelImpl::UNet3DConditionModelImpl(const UNet3DConfig& config) : m_config(config) {
    const auto& boc = config.blockOutChannels;
    const size_t n = boc.size();
    const int64_t temb = config.timeEmbedDim();
    const int64_t groups = config.normNumGroups;

    conv_in = register_module(
        "conv_in", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.inChannels, boc[0], 3).padding(1)));
    auto timeEmbedding = std::make_shared<torch::nn::Module>();
    time_linear_1 = timeEmbedding->register_module("linear_1", torch::nn::Linear(boc[0], temb));
    time_linear_2 = timeEmbedding->register_module("linear_2", torch::nn::Linear(temb, temb));
    register_module("time_embedding", timeEmbedding);
    // transformer_in: 8 heads of attention_head_dim width on the first block's channels (NOTES §3.1).
    transformer_in =
        register_module("transformer_in", TransformerTemporal(boc[0], 8, config.attentionHeadDim[0], groups));

    // The STCA layers: lowest-resolution down block and up block that have cross-attention (ruling 15).
    int stcaDown = -1, stcaUp = -1;
    for (size_t i = 0; i < n; ++i) {
        if (config.downBlockTypes[i] == "CrossAttnDownBlock3D") {
            stcaDown = static_cast<int>(i);
        }
    }
    for (size_t i = n; i-- > 0;) {
        if (config.upBlockTypes[i] == "CrossAttnUpBlock3D") {
            stcaUp = static_cast<int>(i);
        }
    }

    auto downList = torch::nn::ModuleList();
    int64_t outCh = boc[0];
    for (size_t i = 0; i < n; ++i) {
        const int64_t inCh = outCh;
        outCh = boc[i];
        UNetBlock3DImpl::Spec s;
        s.up = false;
        s.index = static_cast<int>(i);
        s.crossAttention = config.downBlockTypes[i] == "CrossAttnDownBlock3D";
        s.stca = s.crossAttention && static_cast<int>(i) == stcaDown;
        for (int64_t l = 0; l < config.layersPerBlock; ++l) {
            s.resnetIn.push_back(l == 0 ? inCh : outCh);
        }
        s.out = outCh;
        s.tembChannels = temb;
        s.groups = groups;
        s.eps = config.normEps;
        s.headDim = config.attentionHeadDim[i];
        s.contextDim = config.crossAttentionDim;
        s.resample = i + 1 < n;
        s.downsamplePadding = config.downsamplePadding;
        down_blocks.emplace_back(s);
        downList->push_back(down_blocks.back());
    }
    register_module("down_blocks", downList);

    mid_block = register_module("mid_block",
                                UNetMidBlock3D(boc.back(), temb, groups, config.normEps,
                                               config.attentionHeadDim.back(), config.crossAttentionDim));

    auto upList = torch::nn::ModuleList();
    std::vector<int64_t> rev(boc.rbegin(), boc.rend());
    std::vector<int64_t> revHead(config.attentionHeadDim.rbegin(), config.attentionHeadDim.rend());
    outCh = rev[0];
    for (size_t i = 0; i < n; ++i) {
        const int64_t prevOut = outCh;
        outCh = rev[i];
        const int64_t inCh = rev[std::min(i + 1, n - 1)];
        UNetBlock3DImpl::Spec s;
        s.up = true;
        s.index = static_cast<int>(i);
        s.crossAttention = config.upBlockTypes[i] == "CrossAttnUpBlock3D";
        s.stca = s.crossAttention && static_cast<int>(i) == stcaUp;
        const int64_t layers = config.layersPerBlock + 1;
        for (int64_t l = 0; l < layers; ++l) {
            const int64_t skipCh = l == layers - 1 ? inCh : outCh;
            s.resnetIn.push_back((l == 0 ? prevOut : outCh) + skipCh);
        }
        s.out = outCh;
        s.tembChannels = temb;
        s.groups = groups;
        s.eps = config.normEps;
        s.headDim = revHead[i];
        s.contextDim = config.crossAttentionDim;
        s.resample = i + 1 < n;
        up_blocks.emplace_back(s);
        upList->push_back(up_blocks.back());
    }
    register_module("up_blocks", upList);

    conv_norm_out = register_module(
        "conv_norm_out",
        torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, boc[0]).eps(config.normEps)));
    conv_out = register_module(
        "conv_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(boc[0], config.outChannels, 3).padding(1)));
}

std::vector<CrossAttentionInfo> UNet3DConditionModelImpl::cross_attention_layers() const {
    std::vector<CrossAttentionInfo> out;
    auto add = [&out](const UNetBlock3D& b) {
        for (int64_t i = 0; b->spec().crossAttention && i < b->layers(); ++i) {
            CrossAttentionInfo info;
            info.modulePath = std::string(b->spec().up ? "up_blocks." : "down_blocks.") +
                              std::to_string(b->spec().index) + ".attentions." + std::to_string(i) +
                              ".transformer_blocks.0.attn2";
            info.block = b->spec().up ? CrossAttentionInfo::Block::Up : CrossAttentionInfo::Block::Down;
            info.blockIndex = b->spec().index;
            info.layerIndex = static_cast<int>(i);
            info.isStcaLayer = b->spec().stca;
            out.push_back(info);
        }
    };
    for (const auto& b : down_blocks) {
        add(b);
    }
    CrossAttentionInfo mid;
    mid.modulePath = "mid_block.attentions.0.transformer_blocks.0.attn2";
    mid.block = CrossAttentionInfo::Block::Mid;
    out.push_back(mid);
    for (const auto& b : up_blocks) {
        add(b);
    }
    return out;
}

bool UNet3DConditionModelImpl::would_split_batch(const torch::Tensor& sample,
                                                 const CrossAttentionHook* hook) const {
    if (m_batchParallel == BatchParallelMode::Ops || hook || sample.dim() != 5 || sample.size(0) < 2 ||
        at::get_num_threads() < 2 || at::in_parallel_region() || !sample.device().is_cpu()) {
        return false;
    }
    // Autograd needs one graph built on the caller's thread: split only when no gradient can flow.
    if (torch::GradMode::is_enabled() && sample.requires_grad()) {
        return false;
    }
    if (torch::GradMode::is_enabled() && !c10::InferenceMode::is_enabled()) {
        for (const auto& p : parameters()) {
            if (p.requires_grad()) {
                return false;
            }
        }
    }
    return true;
}

torch::Tensor UNet3DConditionModelImpl::forward(const torch::Tensor& sample, const torch::Tensor& timestep,
                                                const torch::Tensor& encoderHiddenStates,
                                                CrossAttentionHook* hook) {
    if (would_split_batch(sample, hook)) {
        return runSplitBatch(sample, timestep, encoderHiddenStates);
    }
    return run(sample, timestep, encoderHiddenStates, hook, nullptr);
}

torch::Tensor UNet3DConditionModelImpl::runSplitBatch(const torch::Tensor& sample,
                                                      const torch::Tensor& timestep,
                                                      const torch::Tensor& encoderHiddenStates) {
    const int64_t B = sample.size(0);
    const int64_t parts = std::min<int64_t>(B, at::get_num_threads());
    if (encoderHiddenStates.dim() != 3 || encoderHiddenStates.size(0) != B) {
        return run(sample, timestep, encoderHiddenStates, nullptr, nullptr); // run() reports the shape error
    }
    const bool perItemTimestep = timestep.defined() && timestep.dim() == 1 && timestep.size(0) == B && B > 1;
    std::vector<torch::Tensor> outputs(static_cast<size_t>(parts));
    std::vector<std::function<void()>> tasks;
    for (int64_t p = 0; p < parts; ++p) {
        tasks.push_back([&, p] {
            const int64_t b0 = B * p / parts, b1 = B * (p + 1) / parts;
            const torch::Tensor t = perItemTimestep ? timestep.narrow(0, b0, b1 - b0) : timestep;
            outputs[static_cast<size_t>(p)] =
                run(sample.narrow(0, b0, b1 - b0), t, encoderHiddenStates.narrow(0, b0, b1 - b0), nullptr,
                    nullptr);
        });
    }
    torch::NoGradGuard noGrad; // would_split_batch() made sure no gradient is needed
    run_concurrently(tasks);
    return torch::cat(outputs, 0);
}

torch::Tensor UNet3DConditionModelImpl::forward_capture(const torch::Tensor& sample,
                                                        const torch::Tensor& timestep,
                                                        const torch::Tensor& encoderHiddenStates,
                                                        CrossAttentionHook* hook, const CaptureFn& capture) {
    return run(sample, timestep, encoderHiddenStates, hook, &capture);
}

torch::Tensor UNet3DConditionModelImpl::run(const torch::Tensor& sample, const torch::Tensor& timestep,
                                            const torch::Tensor& encoderHiddenStates,
                                            CrossAttentionHook* hook, const CaptureFn* capture) {
    if (sample.dim() != 5 || sample.size(1) != m_config.inChannels) {
        throw std::invalid_argument("UNet3D: sample must be [B, " + std::to_string(m_config.inChannels) +
                                    ", F, H, W], got " + shapeText(sample.sizes()));
    }
    const int64_t B = sample.size(0), C = sample.size(1), Fr = sample.size(2), H = sample.size(3),
                  W = sample.size(4);
    if (encoderHiddenStates.dim() != 3 || encoderHiddenStates.size(0) != B ||
        encoderHiddenStates.size(2) != m_config.crossAttentionDim) {
        throw std::invalid_argument("UNet3D: encoder_hidden_states must be [" + std::to_string(B) +
                                    ", tokens, " + std::to_string(m_config.crossAttentionDim) + "], got " +
                                    shapeText(encoderHiddenStates.sizes()));
    }
    torch::Tensor t = timestep.defined() ? timestep : torch::Tensor();
    if (!t.defined() || t.dim() > 1 || (t.dim() == 1 && t.size(0) != 1 && t.size(0) != B)) {
        throw std::invalid_argument("UNet3D: timestep must be a scalar, [1] or [" + std::to_string(B) +
                                    "] tensor");
    }
    t = t.reshape({-1}).to(sample.device()).expand({B});

    UNetCall call;
    call.batch = B;
    call.frames = Fr;
    call.hook = hook;
    call.capture = capture;

    // 1. time embedding [B, temb] → per frame.
    const torch::Tensor tProj = timestep_embedding(t, m_config.blockOutChannels[0]).to(sample.scalar_type());
    call.record("time_proj", tProj);
    const torch::Tensor emb = time_linear_2(F::silu(time_linear_1(tProj)));
    call.record("time_embedding", emb);
    // Resnets use SiLU(emb) only: apply it once, then repeat per frame (row b·F + f = item b).
    const torch::Tensor tembAct = F::silu(emb).repeat_interleave(Fr, 0);
    call.context = encoderHiddenStates.repeat_interleave(Fr, 0);

    // 2. fold frames into the batch.
    torch::Tensor x = sample.permute({0, 2, 1, 3, 4}).reshape({B * Fr, C, H, W});
    x = conv_in(x);
    call.record("conv_in", x);
    x = transformer_in(x, Fr);
    call.record("transformer_in", x);

    std::vector<torch::Tensor> skips{x};
    for (auto& block : down_blocks) {
        x = block->forwardDown(x, tembAct, call, skips);
    }
    x = mid_block(x, tembAct, call);
    for (size_t i = 0; i < up_blocks.size(); ++i) {
        const bool last = i + 1 == up_blocks.size();
        const int64_t take = up_blocks[i]->layers();
        std::vector<int64_t> upsampleSize;
        if (!last) {
            if (static_cast<int64_t>(skips.size()) <= take) {
                throw std::logic_error("UNet3D: skip connections do not match the up blocks");
            }
            const torch::Tensor& next = skips[skips.size() - 1 - static_cast<size_t>(take)];
            upsampleSize = {next.size(2), next.size(3)};
        }
        x = up_blocks[i]->forwardUp(x, tembAct, call, skips, upsampleSize);
    }
    x = conv_norm_out(x);
    call.record("conv_norm_out", x);
    x = conv_out(F::silu(x));
    call.record("conv_out", x);
    return x.view({B, Fr, -1, H, W}).permute({0, 2, 1, 3, 4}).contiguous();
}

} // namespace mb::ml
