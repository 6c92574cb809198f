#pragma once
/**
 * \file unet3d.h
 * \brief UNet3DConditionModel (ModelScope / Zeroscope text-to-video UNet), NOTES §3.
 *
 * Built only from config.json (block types, channels, layers, head width, groups, eps, cross-attention width:
 * nothing architectural is hard-coded), so the tiny test model and the real 1.4 G-parameter model go
 * through the same code. named_parameters() equal the diffusers state_dict keys, so weights load with
 * load_weights()/load_component_weights() by exact name.
 *
 * forward(sample [B, C, F, H, W], timestep, text [B, tokens, D], hook) → noise prediction [B, C, F, H, W].
 * The timestep is an integer or floating tensor with 0 dims, [1] (broadcast) or [B] (one per item).
 * The optional CrossAttentionHook sees every spatial cross-attention layer (attention.h).
 */
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>

#include "ml/attention.h"
#include "ml/unet_blocks.h"

namespace mb::ml {

/** The architecture fields of a UNet3DConditionModel config.json. */
struct UNet3DConfig {
    int64_t inChannels = 4;
    int64_t outChannels = 4;
    std::vector<int64_t> blockOutChannels{320, 640, 1280, 1280};
    std::vector<std::string> downBlockTypes;
    std::vector<std::string> upBlockTypes;
    int64_t layersPerBlock = 2;
    std::vector<int64_t> attentionHeadDim; ///< per down block (a single int in config is repeated)
    int64_t crossAttentionDim = 1024;
    int64_t normNumGroups = 32;
    double normEps = 1e-5;
    int64_t downsamplePadding = 1;

    /** Parses and validates; errors name `source` and the field. */
    static UNet3DConfig from_json(const nlohmann::json& j, const std::string& source);
    static UNet3DConfig from_file(const std::string& path);
    /** Width of the time embedding (4 × first block width). */
    int64_t timeEmbedDim() const { return 4 * blockOutChannels.front(); }
};

/**
 * How a call with batch ≥ 2 uses several CPU threads when no gradient is needed and no hook or capture
 * is attached. Split: the batch is cut into one slice per intra-op thread and each slice runs the whole
 * UNet on its own thread (single-threaded ops and BLAS inside), results concatenated; this removes the
 * per-op synchronisation that dominates small models. Ops: every op parallelises itself (the LibTorch
 * default). Auto = Split: measured on 2 cores (bench unet, CFG batch 2), the tiny model 0.022 s/step split vs
 * 0.058 s with multi-threaded ops (0.039 s on one thread), the Zeroscope config at 256×144×8 16.7 s vs 19.7
 * s. Per-sample results are the same either way up to BLAS summation order; a fixed mode and thread count
 * give identical results run to run.
 */
enum class BatchParallelMode { Auto, Split, Ops };

/** Down (CrossAttnDownBlock3D / DownBlock3D) or up (CrossAttnUpBlock3D / UpBlock3D) block. */
class UNetBlock3DImpl : public torch::nn::Module {
public:
    struct Spec {
        bool up = false;
        int index = 0;
        bool crossAttention = false;
        bool stca = false;
        std::vector<int64_t> resnetIn; ///< input width of each resnet (including the skip for up blocks)
        int64_t out = 0;
        int64_t tembChannels = 0;
        int64_t groups = 32;
        double eps = 1e-5;
        int64_t headDim = 64;
        int64_t contextDim = 1024;
        bool resample = false; ///< downsampler / upsampler present
        int64_t downsamplePadding = 1;
    };
    explicit UNetBlock3DImpl(const Spec& spec);
    const Spec& spec() const { return m_spec; }
    int64_t layers() const { return static_cast<int64_t>(m_resnets.size()); }

    /** Down block: runs the layers, pushing each output (and the downsampled one) onto `skips`. */
    torch::Tensor forwardDown(torch::Tensor x, const torch::Tensor& temb, const UNetCall& call,
                              std::vector<torch::Tensor>& skips);
    /** Up block: pops one skip per layer; `upsampleSize` = the next skip's H×W (empty for the last block). */
    torch::Tensor forwardUp(torch::Tensor x, const torch::Tensor& temb, const UNetCall& call,
                            std::vector<torch::Tensor>& skips, c10::IntArrayRef upsampleSize);

private:
    torch::Tensor layer(size_t i, torch::Tensor x, const torch::Tensor& temb, const UNetCall& call);
    /** layer() with each sub-module under gradient checkpointing (see checkpoint.h). */
    torch::Tensor checkpointedLayer(size_t i, torch::Tensor x, const torch::Tensor& temb,
                                    const UNetCall& call);
    Spec m_spec;
    std::string m_path;
    std::vector<ResnetBlock2D> m_resnets;
    std::vector<TemporalConvLayer> m_tempConvs;
    std::vector<Transformer2D> m_attentions;
    std::vector<TransformerTemporal> m_tempAttentions;
    std::vector<CrossAttentionInfo> m_sites;
    Downsample2D m_down{nullptr};
    Upsample2D m_up{nullptr};
};
TORCH_MODULE(UNetBlock3D);

/** UNetMidBlock3DCrossAttn: resnet, temp conv, then (attention, temporal attention, resnet, temp conv). */
class UNetMidBlock3DImpl : public torch::nn::Module {
public:
    UNetMidBlock3DImpl(int64_t channels, int64_t tembChannels, int64_t groups, double eps, int64_t headDim,
                       int64_t contextDim);
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& temb, const UNetCall& call);

private:
    std::vector<ResnetBlock2D> m_resnets;
    std::vector<TemporalConvLayer> m_tempConvs;
    Transformer2D m_attention{nullptr};
    TransformerTemporal m_tempAttention{nullptr};
    CrossAttentionInfo m_site;
};
TORCH_MODULE(UNetMidBlock3D);

class UNet3DConditionModelImpl : public torch::nn::Module {
public:
    explicit UNet3DConditionModelImpl(const UNet3DConfig& config);
    const UNet3DConfig& config() const { return m_config; }

    /**
     * Noise prediction. sample [B, C_in, F, H, W]; timestep 0-d, [1] or [B] (integer or floating);
     * encoderHiddenStates [B, tokens, cross_attention_dim]. Throws std::invalid_argument on shape errors.
     */
    torch::Tensor forward(const torch::Tensor& sample, const torch::Tensor& timestep,
                          const torch::Tensor& encoderHiddenStates, CrossAttentionHook* hook = nullptr);
    /** Same, reporting named intermediates ("conv_in", "down_blocks.0.resnets.0", "mid_block", …;
     *  frame-folded [B·F, C, h, w]) to `capture`. */
    torch::Tensor forward_capture(const torch::Tensor& sample, const torch::Tensor& timestep,
                                  const torch::Tensor& encoderHiddenStates, CrossAttentionHook* hook,
                                  const CaptureFn& capture);

    /** Module paths of the cross-attention layers the hook sees, with their static description. */
    std::vector<CrossAttentionInfo> cross_attention_layers() const;

    /** See BatchParallelMode (default Auto). */
    void set_batch_parallel(BatchParallelMode mode) { m_batchParallel = mode; }
    BatchParallelMode batch_parallel() const { return m_batchParallel; }
    /** True when a forward() call with these inputs would take the split path. */
    bool would_split_batch(const torch::Tensor& sample, const CrossAttentionHook* hook) const;

    torch::nn::Conv2d conv_in{nullptr}, conv_out{nullptr};
    torch::nn::Linear time_linear_1{nullptr}, time_linear_2{nullptr};
    TransformerTemporal transformer_in{nullptr};
    torch::nn::GroupNorm conv_norm_out{nullptr};
    std::vector<UNetBlock3D> down_blocks, up_blocks;
    UNetMidBlock3D mid_block{nullptr};

private:
    torch::Tensor run(const torch::Tensor& sample, const torch::Tensor& timestep,
                      const torch::Tensor& encoderHiddenStates, CrossAttentionHook* hook,
                      const CaptureFn* capture);
    torch::Tensor runSplitBatch(const torch::Tensor& sample, const torch::Tensor& timestep,
                                const torch::Tensor& encoderHiddenStates);
    UNet3DConfig m_config;
    BatchParallelMode m_batchParallel = BatchParallelMode::Auto;
};
TORCH_MODULE(UNet3DConditionModel);

} // namespace mb::ml
