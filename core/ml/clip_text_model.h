#pragma once
/**
 * \file clip_text_model.h
 * \brief transformers' CLIPTextModel (the text encoder of Zeroscope / ModelScope T2V) in LibTorch.
 *
 * Architecture (N §4): token embedding + learned position embedding → num_hidden_layers pre-LayerNorm
 * blocks (`x += out_proj(MHA(layer_norm1(x)))` with a causal mask, `x += fc2(act(fc1(layer_norm2(x))))`)
 * → final_layer_norm = last_hidden_state. q is scaled by head_dim^-0.5 before q·kᵀ; masked scores get the
 * dtype minimum, as transformers does. The real config has 23 layers × 1024 wide × 16 heads, GELU (erf).
 *
 * Parameter names: ClipTextModel's named_parameters() are exactly the transformers state_dict keys
 * (`text_model.embeddings.token_embedding.weight`, `text_model.encoder.layers.N.self_attn.q_proj.weight`,
 * …, in state_dict order), so mb::ml::load_weights copies a `model.safetensors` 1:1. The non-persistent
 * `position_ids` buffer is not registered (positions are 0..N-1).
 *
 * Only core/ml code includes this header (it pulls in torch).
 */
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace mb::ml {

struct KeyReport;

/** The fields of text_encoder/config.json the model needs. */
struct ClipTextConfig {
    int64_t vocab_size = 49408;
    int64_t hidden_size = 512;
    int64_t intermediate_size = 2048;
    int64_t num_hidden_layers = 12;
    int64_t num_attention_heads = 8;
    int64_t max_position_embeddings = 77;
    double layer_norm_eps = 1e-5;
    std::string hidden_act = "quick_gelu"; ///< "gelu" (erf), "quick_gelu", "gelu_new" / "gelu_pytorch_tanh"
    int64_t eos_token_id = 2; ///< 2 = legacy: pooler takes argmax(input_ids) (the eos id is largest)

    /**
     * Reads a transformers CLIPTextConfig JSON (missing fields keep transformers' defaults). Throws
     * std::runtime_error naming `source` when a field has the wrong type or the sizes are inconsistent
     * (hidden_size not divisible by num_attention_heads, non-positive sizes, unknown hidden_act).
     */
    static ClipTextConfig from_json(const nlohmann::json& config, const std::string& source);
    int64_t head_dim() const { return hidden_size / num_attention_heads; }
};

/** What a forward pass returns. */
struct ClipTextOutput {
    torch::Tensor last_hidden_state; ///< [B, N, hidden] after final_layer_norm (the pipeline uses this)
    torch::Tensor pooler_output;     ///< [B, hidden]: last_hidden_state at the eos position
    std::vector<torch::Tensor> hidden_states; ///< embeddings, then each layer's output (only when asked)
};

class ClipAttentionImpl : public torch::nn::Module {
public:
    explicit ClipAttentionImpl(const ClipTextConfig& config);
    /** x [B, N, C]; additive_mask [B or 1, 1, N, N] (0 = keep, dtype minimum = masked). */
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& additive_mask);
    torch::nn::Linear k_proj{nullptr}, v_proj{nullptr}, q_proj{nullptr}, out_proj{nullptr};

private:
    int64_t m_heads, m_headDim;
    double m_scale;
};
TORCH_MODULE(ClipAttention);

class ClipMlpImpl : public torch::nn::Module {
public:
    explicit ClipMlpImpl(const ClipTextConfig& config);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Linear fc1{nullptr}, fc2{nullptr};

private:
    std::string m_act;
};
TORCH_MODULE(ClipMlp);

class ClipEncoderLayerImpl : public torch::nn::Module {
public:
    explicit ClipEncoderLayerImpl(const ClipTextConfig& config);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& additive_mask);
    ClipAttention self_attn{nullptr};
    torch::nn::LayerNorm layer_norm1{nullptr};
    ClipMlp mlp{nullptr};
    torch::nn::LayerNorm layer_norm2{nullptr};
};
TORCH_MODULE(ClipEncoderLayer);

class ClipTextEmbeddingsImpl : public torch::nn::Module {
public:
    explicit ClipTextEmbeddingsImpl(const ClipTextConfig& config);
    /** input_ids [B, N] int64 → token + position embeddings [B, N, C]. */
    torch::Tensor forward(const torch::Tensor& input_ids);
    torch::nn::Embedding token_embedding{nullptr}, position_embedding{nullptr};
};
TORCH_MODULE(ClipTextEmbeddings);

class ClipEncoderImpl : public torch::nn::Module {
public:
    explicit ClipEncoderImpl(const ClipTextConfig& config);
    torch::nn::ModuleList layers{nullptr};
};
TORCH_MODULE(ClipEncoder);

class ClipTextTransformerImpl : public torch::nn::Module {
public:
    explicit ClipTextTransformerImpl(const ClipTextConfig& config);
    ClipTextOutput forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                           bool output_hidden_states);
    ClipTextEmbeddings embeddings{nullptr};
    ClipEncoder encoder{nullptr};
    torch::nn::LayerNorm final_layer_norm{nullptr};

private:
    ClipTextConfig m_config;
};
TORCH_MODULE(ClipTextTransformer);

class ClipTextModelImpl : public torch::nn::Module {
public:
    explicit ClipTextModelImpl(const ClipTextConfig& config);
    /**
     * input_ids [B, N] (any integer dtype, N ≤ max_position_embeddings, ids < vocab_size); optional
     * attention_mask [B, N] (1 = attend, 0 = padding; the pipeline passes none). Throws std::invalid_argument
     * for a wrong rank/length or an out-of-range id. Runs without autograd bookkeeping only if the caller
     * holds a torch::NoGradGuard.
     */
    ClipTextOutput forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask = {},
                           bool output_hidden_states = false);
    const ClipTextConfig& config() const { return m_config; }
    ClipTextTransformer text_model{nullptr};

private:
    ClipTextConfig m_config;
};
TORCH_MODULE(ClipTextModel);

/**
 * Builds a ClipTextModel from a transformers text_encoder folder (config.json + model.safetensors), in
 * eval mode, float32 (fp16/bf16 weights are up-cast). Every key must match (a missing, unexpected or
 * mis-shaped key throws std::runtime_error naming the folder and keys; the legacy `position_ids` buffer is
 * ignored). When `report` is given it receives the loader's key report. `variant` picks e.g. the
 * `model.fp16.safetensors` weights.
 */
ClipTextModel load_clip_text_model(const std::string& componentDir, KeyReport* report = nullptr,
                                   const std::string& variant = {});

} // namespace mb::ml
