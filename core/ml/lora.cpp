#include "ml/lora.h"

#include "ml/attention.h"
#include "ml/model_loader.h"
#include "ml/seeded_random.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace mb::ml {

namespace {

torch::nn::Linear asLinear(const std::shared_ptr<torch::nn::Module>& m, const std::string& path) {
    auto impl = std::dynamic_pointer_cast<torch::nn::LinearImpl>(m);
    if (!impl)
        throw std::invalid_argument("LoRA: " + path + " is not a Linear module");
    return torch::nn::Linear(impl);
}

} // namespace

LoraAdapter::LoraAdapter(torch::nn::Module& root, const LoraOptions& options) : m_options(options) {
    if (options.rank < 1)
        throw std::invalid_argument("LoRA rank must be at least 1, got " + std::to_string(options.rank));
    torch::NoGradGuard noGrad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(options.seed);
    for (const auto& item : root.named_modules("", /*include_self=*/false)) {
        auto attn = std::dynamic_pointer_cast<AttentionImpl>(item.value());
        if (!attn)
            continue;
        const std::string& p = item.key();
        std::vector<std::pair<std::string, torch::nn::Linear>> projections = {
            {p + ".to_q", attn->to_q},
            {p + ".to_k", attn->to_k},
            {p + ".to_v", attn->to_v},
            {p + ".to_out.0", asLinear(attn->to_out->ptr(0), p + ".to_out.0")}};
        for (auto& [path, linear] : projections) {
            Entry e;
            e.path = path;
            e.linear = linear;
            e.base = linear->named_parameters(false)["weight"];
            const int64_t out = e.base.size(0), in = e.base.size(1);
            // Kaiming-uniform with a = √5 (torch's Linear default, as peft does): bound = 1/√in.
            const double bound = 1.0 / std::sqrt(double(in));
            e.a = (seeded_rand({options.rank, in}, gen, e.base.options()) * (2 * bound) - bound)
                      .set_requires_grad(true);
            e.b = torch::zeros({out, options.rank}, e.base.options()).set_requires_grad(true);
            m_entries.push_back(std::move(e));
        }
    }
    if (m_entries.empty())
        throw std::invalid_argument("LoRA: the model has no attention module to adapt");
}

LoraAdapter::~LoraAdapter() {
    try {
        deactivate();
    } catch (...) {
    }
}

std::vector<torch::Tensor> LoraAdapter::parameters() const {
    std::vector<torch::Tensor> out;
    out.reserve(2 * m_entries.size());
    for (const auto& e : m_entries) {
        out.push_back(e.a);
        out.push_back(e.b);
    }
    return out;
}

void LoraAdapter::activate() {
    const double s = m_options.scale();
    for (auto& e : m_entries)
        e.linear->weight = e.base + torch::mm(e.b, e.a) * s;
}

void LoraAdapter::deactivate() {
    for (auto& e : m_entries)
        e.linear->weight = e.base;
}

void LoraAdapter::merge() {
    torch::NoGradGuard noGrad;
    const double s = m_options.scale();
    for (auto& e : m_entries)
        e.base.add_(torch::mm(e.b, e.a) * s);
    deactivate();
}

TensorMap LoraAdapter::state() const {
    TensorMap out;
    for (const auto& e : m_entries) {
        out[e.path + ".lora_A.weight"] = e.a.detach().clone();
        out[e.path + ".lora_B.weight"] = e.b.detach().clone();
    }
    return out;
}

std::map<std::string, std::string> LoraAdapter::metadata() const {
    char alpha[64];
    std::snprintf(alpha, sizeof alpha, "%.17g",
                  m_options.alpha > 0 ? m_options.alpha : double(m_options.rank));
    return {{"kind", "lora"}, {"rank", std::to_string(m_options.rank)}, {"alpha", alpha}};
}

void LoraAdapter::load_state(const TensorMap& tensors, const std::string& source) {
    torch::NoGradGuard noGrad;
    for (auto& e : m_entries) {
        for (auto [suffix, target] : {std::pair<const char*, torch::Tensor*>{".lora_A.weight", &e.a},
                                      std::pair<const char*, torch::Tensor*>{".lora_B.weight", &e.b}}) {
            const std::string key = e.path + suffix;
            auto it = tensors.find(key);
            if (it == tensors.end())
                throw std::runtime_error(source + ": LoRA tensor " + key + " is missing");
            if (it->second.sizes() != target->sizes())
                throw std::runtime_error(source + ": LoRA tensor " + key + " has shape " +
                                         c10::str(it->second.sizes()) + ", expected " +
                                         c10::str(target->sizes()));
            target->copy_(it->second);
        }
    }
}

CheckpointKind checkpoint_kind(const std::string& path) {
    const SafetensorsFile file = SafetensorsFile::open(path);
    const auto& meta = file.metadata();
    auto it = meta.find("kind");
    if (it == meta.end() || it->second == "full")
        return CheckpointKind::Full;
    if (it->second == "lora")
        return CheckpointKind::Lora;
    throw std::runtime_error(path + ": unknown checkpoint kind \"" + it->second +
                             "\" (expected full or lora)");
}

CheckpointKind apply_checkpoint(torch::nn::Module& unet, const std::string& path) {
    torch::NoGradGuard noGrad;
    const SafetensorsFile file = SafetensorsFile::open(path);
    const auto& meta = file.metadata();
    const CheckpointKind kind = checkpoint_kind(path);
    if (kind == CheckpointKind::Full) {
        const TensorMap weights = read_safetensors(path);
        const KeyReport rep = load_weights(unet, weights, path);
        if (!rep.unexpected.empty())
            throw std::runtime_error(path + ": " + std::to_string(rep.unexpected.size()) +
                                     " keys do not belong to this UNet (e.g. " + rep.unexpected.front() +
                                     ")");
        return kind;
    }
    // LoRA: merge W += (α/r)·B·A for every A/B pair, by the Linear's path.
    auto rankIt = meta.find("rank");
    if (rankIt == meta.end())
        throw std::runtime_error(path + ": LoRA checkpoint without \"rank\" metadata");
    double rank = 0, alpha = 0;
    try {
        rank = std::stod(rankIt->second);
        auto alphaIt = meta.find("alpha");
        alpha = alphaIt == meta.end() ? rank : std::stod(alphaIt->second);
    } catch (const std::exception&) {
        throw std::runtime_error(path + ": LoRA rank/alpha metadata is not a number");
    }
    if (rank < 1)
        throw std::runtime_error(path + ": LoRA rank must be at least 1");
    const double scale = alpha / rank;
    auto params = unet.named_parameters(true);
    const std::string aSuffix = ".lora_A.weight";
    size_t merged = 0;
    for (const std::string& key : file.keys()) {
        if (key.size() > aSuffix.size() &&
            key.compare(key.size() - aSuffix.size(), aSuffix.size(), aSuffix) == 0) {
            const std::string linearPath = key.substr(0, key.size() - aSuffix.size());
            const std::string bKey = linearPath + ".lora_B.weight";
            if (!file.contains(bKey))
                throw std::runtime_error(path + ": " + key + " has no matching " + bKey);
            torch::Tensor* w = params.find(linearPath + ".weight");
            if (!w)
                throw std::runtime_error(path + ": " + linearPath + " is not a layer of this UNet");
            const torch::Tensor a = file.tensor(key), b = file.tensor(bKey);
            if (a.dim() != 2 || b.dim() != 2 || b.size(1) != a.size(0) || b.size(0) != w->size(0) ||
                a.size(1) != w->size(1))
                throw std::runtime_error(path + ": LoRA shapes of " + linearPath + " (A " +
                                         c10::str(a.sizes()) + ", B " + c10::str(b.sizes()) +
                                         ") do not fit its weight " + c10::str(w->sizes()));
            // The file's tensors are read on the CPU; the product is formed where the weight lives.
            w->add_(torch::mm(b.to(w->device()), a.to(w->device())).to(w->dtype()) * scale);
            ++merged;
        } else if (key.find(".lora_B.weight") == std::string::npos) {
            throw std::runtime_error(path + ": unexpected tensor " + key + " in a LoRA checkpoint");
        }
    }
    if (merged == 0)
        throw std::runtime_error(path + ": LoRA checkpoint holds no adapter");
    return kind;
}

} // namespace mb::ml
