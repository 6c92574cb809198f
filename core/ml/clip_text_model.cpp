#include "ml/clip_text_model.h"

#include "ml/model_loader.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace mb::ml {

namespace {

int64_t intField(const nlohmann::json& j, const char* key, int64_t fallback, const std::string& source) {
    if (!j.contains(key) || j[key].is_null())
        return fallback;
    if (!j[key].is_number_integer())
        throw std::runtime_error(source + ": \"" + key + "\" must be an integer");
    return j[key].get<int64_t>();
}

double numberField(const nlohmann::json& j, const char* key, double fallback, const std::string& source) {
    if (!j.contains(key) || j[key].is_null())
        return fallback;
    if (!j[key].is_number())
        throw std::runtime_error(source + ": \"" + key + "\" must be a number");
    return j[key].get<double>();
}

bool isSupportedActivation(const std::string& act) {
    return act == "gelu" || act == "quick_gelu" || act == "gelu_new" || act == "gelu_pytorch_tanh";
}

torch::nn::LayerNorm layerNorm(const ClipTextConfig& c) {
    return torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps));
}

} // namespace

ClipTextConfig ClipTextConfig::from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object())
        throw std::runtime_error(source + ": text encoder config is not a JSON object");
    ClipTextConfig c;
    c.vocab_size = intField(j, "vocab_size", c.vocab_size, source);
    c.hidden_size = intField(j, "hidden_size", c.hidden_size, source);
    c.intermediate_size = intField(j, "intermediate_size", c.intermediate_size, source);
    c.num_hidden_layers = intField(j, "num_hidden_layers", c.num_hidden_layers, source);
    c.num_attention_heads = intField(j, "num_attention_heads", c.num_attention_heads, source);
    c.max_position_embeddings = intField(j, "max_position_embeddings", c.max_position_embeddings, source);
    c.eos_token_id = intField(j, "eos_token_id", c.eos_token_id, source);
    c.layer_norm_eps = numberField(j, "layer_norm_eps", c.layer_norm_eps, source);
    if (j.contains("hidden_act")) {
        if (!j["hidden_act"].is_string())
            throw std::runtime_error(source + ": \"hidden_act\" must be a string");
        c.hidden_act = j["hidden_act"].get<std::string>();
    }
    if (c.vocab_size <= 0 || c.hidden_size <= 0 || c.intermediate_size <= 0 || c.num_hidden_layers < 0 ||
        c.num_attention_heads <= 0 || c.max_position_embeddings <= 0 || !(c.layer_norm_eps > 0))
        throw std::runtime_error(source + ": text encoder sizes must be positive");
    if (c.hidden_size % c.num_attention_heads != 0)
        throw std::runtime_error(source + ": hidden_size " + std::to_string(c.hidden_size) +
                                 " is not divisible by num_attention_heads " +
                                 std::to_string(c.num_attention_heads));
    if (!isSupportedActivation(c.hidden_act))
        throw std::runtime_error(source + ": unsupported hidden_act \"" + c.hidden_act +
                                 "\" (supported: gelu, quick_gelu, gelu_new, gelu_pytorch_tanh)");
    return c;
}

// --- attention
// ------------------------------------------------------------------------------------------------

ClipAttentionImpl::ClipAttentionImpl(const ClipTextConfig& c)
    : m_heads(c.num_attention_heads), m_headDim(c.head_dim()), m_scale(std::pow(double(c.head_dim()), -0.5)) {
    // Registration order = transformers' state_dict order: k, v, q, out.
    k_proj = register_module("k_proj", torch::nn::Linear(c.hidden_size, c.hidden_size));
    v_proj = register_module("v_proj", torch::nn::Linear(c.hidden_size, c.hidden_size));
    q_proj = register_module("q_proj", torch::nn::Linear(c.hidden_size, c.hidden_size));
    out_proj = register_module("out_proj", torch::nn::Linear(c.hidden_size, c.hidden_size));
}

torch::Tensor ClipAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& additive_mask) {
    const int64_t b = x.size(0), n = x.size(1), width = x.size(2);
    // Same op order as transformers' eager CLIPAttention: scale q after the projection, bmm, add mask,
    // softmax, bmm (keeps the result bit-identical to the reference).
    auto heads = [&](const torch::Tensor& t) {
        return t.view({b, n, m_heads, m_headDim})
            .transpose(1, 2)
            .contiguous()
            .view({b * m_heads, n, m_headDim});
    };
    const torch::Tensor q = heads(q_proj->forward(x) * m_scale);
    const torch::Tensor k = heads(k_proj->forward(x));
    const torch::Tensor v = heads(v_proj->forward(x));
    torch::Tensor scores = torch::bmm(q, k.transpose(1, 2));
    scores = (scores.view({b, m_heads, n, n}) + additive_mask).view({b * m_heads, n, n});
    const torch::Tensor probs = torch::softmax(scores, -1);
    torch::Tensor out = torch::bmm(probs, v);
    out = out.view({b, m_heads, n, m_headDim}).transpose(1, 2).reshape({b, n, width});
    return out_proj->forward(out);
}

// --- MLP / layer
// ------------------------------------------------------------------------------------------------

ClipMlpImpl::ClipMlpImpl(const ClipTextConfig& c) : m_act(c.hidden_act) {
    fc1 = register_module("fc1", torch::nn::Linear(c.hidden_size, c.intermediate_size));
    fc2 = register_module("fc2", torch::nn::Linear(c.intermediate_size, c.hidden_size));
}

torch::Tensor ClipMlpImpl::forward(const torch::Tensor& x) {
    torch::Tensor h = fc1->forward(x);
    if (m_act == "gelu")
        h = torch::gelu(h);
    else if (m_act == "quick_gelu")
        h = h * torch::sigmoid(1.702 * h);
    else // gelu_new / gelu_pytorch_tanh
        h = torch::gelu(h, "tanh");
    return fc2->forward(h);
}

ClipEncoderLayerImpl::ClipEncoderLayerImpl(const ClipTextConfig& c) {
    self_attn = register_module("self_attn", ClipAttention(c));
    layer_norm1 = register_module("layer_norm1", layerNorm(c));
    mlp = register_module("mlp", ClipMlp(c));
    layer_norm2 = register_module("layer_norm2", layerNorm(c));
}

torch::Tensor ClipEncoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& additive_mask) {
    torch::Tensor h = x + self_attn->forward(layer_norm1->forward(x), additive_mask);
    return h + mlp->forward(layer_norm2->forward(h));
}

// --- embeddings / encoder / transformer
// ------------------------------------------------------------------------

ClipTextEmbeddingsImpl::ClipTextEmbeddingsImpl(const ClipTextConfig& c) {
    token_embedding = register_module("token_embedding", torch::nn::Embedding(c.vocab_size, c.hidden_size));
    position_embedding =
        register_module("position_embedding", torch::nn::Embedding(c.max_position_embeddings, c.hidden_size));
}

torch::Tensor ClipTextEmbeddingsImpl::forward(const torch::Tensor& input_ids) {
    const int64_t n = input_ids.size(1);
    const torch::Tensor positions =
        torch::arange(n, torch::TensorOptions().dtype(torch::kLong).device(input_ids.device()));
    return token_embedding->forward(input_ids) + position_embedding->forward(positions.unsqueeze(0));
}

ClipEncoderImpl::ClipEncoderImpl(const ClipTextConfig& c) {
    layers = register_module("layers", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.num_hidden_layers; ++i)
        layers->push_back(ClipEncoderLayer(c));
}

ClipTextTransformerImpl::ClipTextTransformerImpl(const ClipTextConfig& c) : m_config(c) {
    embeddings = register_module("embeddings", ClipTextEmbeddings(c));
    encoder = register_module("encoder", ClipEncoder(c));
    final_layer_norm = register_module("final_layer_norm", layerNorm(c));
}

ClipTextOutput ClipTextTransformerImpl::forward(const torch::Tensor& input_ids,
                                                const torch::Tensor& attention_mask,
                                                bool output_hidden_states) {
    ClipTextOutput out;
    torch::Tensor h = embeddings->forward(input_ids);
    const int64_t b = input_ids.size(0), n = input_ids.size(1);
    const auto dtype = h.scalar_type();
    const double lowest = dtype == torch::kFloat64    ? std::numeric_limits<double>::lowest()
                          : dtype == torch::kBFloat16 ? -3.3895313892515355e38
                          : dtype == torch::kFloat16  ? -65504.0
                                                      : double(std::numeric_limits<float>::lowest());
    // Causal mask: key j > query i gets the dtype minimum, [1, 1, N, N].
    torch::Tensor mask = torch::full({n, n}, lowest, h.options()).triu(1).view({1, 1, n, n});
    if (attention_mask.defined()) {
        // transformers' _prepare_4d_attention_mask: padding keys get the dtype minimum, added to the causal
        // mask.
        const torch::Tensor keep = attention_mask.to(h.device()).to(torch::kBool).view({b, 1, 1, n});
        const torch::Tensor padding = torch::zeros({b, 1, 1, n}, h.options())
                                          .masked_fill(keep.logical_not(), lowest)
                                          .expand({b, 1, n, n});
        mask = mask + padding;
    }
    if (output_hidden_states)
        out.hidden_states.push_back(h);
    for (const auto& layer : *encoder->layers) {
        h = layer->as<ClipEncoderLayer>()->forward(h, mask);
        if (output_hidden_states)
            out.hidden_states.push_back(h);
    }
    out.last_hidden_state = final_layer_norm->forward(h);
    torch::Tensor eosIndex;
    if (m_config.eos_token_id == 2)
        eosIndex = input_ids.to(torch::kInt).argmax(-1); // legacy configs: the eos id is the largest id
    else
        eosIndex = (input_ids == m_config.eos_token_id).to(torch::kInt).argmax(-1);
    out.pooler_output = out.last_hidden_state.index(
        {torch::arange(b, torch::TensorOptions().dtype(torch::kLong).device(h.device())),
         eosIndex.to(torch::kLong)});
    return out;
}

ClipTextModelImpl::ClipTextModelImpl(const ClipTextConfig& c) : m_config(c) {
    text_model = register_module("text_model", ClipTextTransformer(c));
}

ClipTextOutput ClipTextModelImpl::forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                                          bool output_hidden_states) {
    if (!input_ids.defined() || input_ids.dim() != 2 || input_ids.size(1) == 0)
        throw std::invalid_argument("CLIPTextModel: input_ids must be a non-empty [batch, length] tensor");
    if (input_ids.is_floating_point() || input_ids.is_complex())
        throw std::invalid_argument("CLIPTextModel: input_ids must be an integer tensor");
    if (input_ids.size(1) > m_config.max_position_embeddings)
        throw std::invalid_argument("CLIPTextModel: sequence length " + std::to_string(input_ids.size(1)) +
                                    " exceeds max_position_embeddings " +
                                    std::to_string(m_config.max_position_embeddings));
    const torch::Tensor ids = input_ids.to(torch::kLong);
    if (ids.min().item<int64_t>() < 0 || ids.max().item<int64_t>() >= m_config.vocab_size)
        throw std::invalid_argument("CLIPTextModel: token ids must lie in [0, " +
                                    std::to_string(m_config.vocab_size) + ")");
    if (attention_mask.defined() && attention_mask.sizes() != input_ids.sizes())
        throw std::invalid_argument("CLIPTextModel: attention_mask must have the shape of input_ids");
    return text_model->forward(ids, attention_mask, output_hidden_states);
}

ClipTextModel load_clip_text_model(const std::string& componentDir, KeyReport* report,
                                   const std::string& variant) {
    const nlohmann::json cfg = read_component_config(componentDir);
    ClipTextModel model(ClipTextConfig::from_json(cfg, componentDir + "/config.json"));
    LoadOptions options;
    options.requireComplete = true;
    KeyReport r = load_component_weights(*model, componentDir, options, variant);
    model->eval();
    if (report)
        *report = std::move(r);
    return model;
}

} // namespace mb::ml
