// Assembling a TextToVideoPipeline from a diffusers folder, and inspecting such
// a folder.
#include "ml/model_loader.h"
#include "ml/pipeline.h"
#include "ml/unet3d.h"
#include "ml/vae.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <sstream>
#include <stdexcept>

namespace mb::ml {

namespace {

int64_t countParameters(torch::nn::Module& m) {
    int64_t n = 0;
    for (const auto& p : m.parameters())
        n += p.numel();
    return n;
}

std::string dumpFields(const nlohmann::json& cfg, std::initializer_list<const char*> fields) {
    std::ostringstream out;
    bool first = true;
    for (const char* f : fields) {
        if (!cfg.contains(f))
            continue;
        out << (first ? "" : ", ") << f << "=" << cfg[f].dump();
        first = false;
    }
    return out.str();
}

double numberOr(const nlohmann::json& cfg, const char* key, double fallback, const std::string& source) {
    if (!cfg.contains(key) || cfg[key].is_null())
        return fallback;
    if (!cfg[key].is_number())
        throw std::runtime_error(source + ": \"" + key + "\" must be a number");
    return cfg[key].get<double>();
}

void requireComponent(const ModelFolder& folder, const std::string& name) {
    if (!folder.components.count(name))
        throw std::runtime_error(folder.root + "/model_index.json: the pipeline has no \"" + name +
                                 "\" component");
}

} // namespace

TextToVideoPipeline load_text_to_video_pipeline(const std::string& model_dir,
                                                const PipelineLoadOptions& options,
                                                std::shared_ptr<UNet3DConditionModelImpl>* unet_module) {
    torch::NoGradGuard noGrad;
    const ModelFolder folder = open_model_folder(model_dir);
    for (const char* c : {"text_encoder", "unet", "vae", "scheduler"})
        requireComponent(folder, c);
    const std::string tokenizerDir =
        options.tokenizer_dir.empty() ? folder.componentDir("tokenizer") : options.tokenizer_dir;
    auto tokenizer = std::make_shared<const ClipTokenizer>(tokenizerDir);

    ClipTextModel textEncoder =
        load_clip_text_model(folder.componentDir("text_encoder"), nullptr, options.variant);

    LoadOptions strict;
    strict.requireComplete = true;
    const std::string unetDir = folder.componentDir("unet");
    const nlohmann::json unetJson = read_component_config(unetDir);
    const UNet3DConfig unetConfig = UNet3DConfig::from_json(unetJson, unetDir + "/config.json");
    UNet3DConditionModel unet(unetConfig);
    load_component_weights(*unet, unetDir, strict, options.variant);
    unet->eval();

    const std::string vaeDir = folder.componentDir("vae");
    const nlohmann::json vaeJson = read_component_config(vaeDir);
    const VaeConfig vaeConfig = VaeConfig::from_json(vaeJson, vaeDir + "/config.json");
    AutoencoderKL vae(vaeConfig);
    load_component_weights(*vae, vaeDir, strict, options.variant);
    vae->eval();

    const std::string schedulerDir = folder.componentDir("scheduler");
    const SchedulerConfig scheduler =
        SchedulerConfig::from_json(read_component_config(schedulerDir), schedulerDir);

    PipelineGeometry geometry;
    geometry.latent_channels = unetConfig.inChannels;
    geometry.vae_scale_factor = vaeConfig.scaleFactor();
    geometry.vae_scaling_factor = vaeConfig.scalingFactor;
    geometry.default_sample_size =
        static_cast<int64_t>(numberOr(unetJson, "sample_size", 32, unetDir + "/config.json"));

    // Components must fit together: text width = cross-attention width, latent channels agree.
    if (textEncoder->config().hidden_size != unetConfig.crossAttentionDim)
        throw std::runtime_error(
            model_dir + ": text encoder width " + std::to_string(textEncoder->config().hidden_size) +
            " differs from the UNet's cross_attention_dim " + std::to_string(unetConfig.crossAttentionDim));
    if (vaeConfig.latentChannels != unetConfig.inChannels)
        throw std::runtime_error(
            model_dir + ": VAE latent_channels " + std::to_string(vaeConfig.latentChannels) +
            " differs from the UNet's in_channels " + std::to_string(unetConfig.inChannels));

    UnetFn unetFn = [unet = unet.ptr()](const torch::Tensor& sample, int64_t t, const torch::Tensor& text) {
        // The reference passes each timestep as a 0-d int64 tensor.
        return unet->forward(sample, torch::scalar_tensor(t, torch::kLong), text);
    };
    if (unet_module)
        *unet_module = unet.ptr();
    VaeDecodeFn vaeFn = [vae = vae.ptr()](const torch::Tensor& z) { return vae->decode(z); };
    return TextToVideoPipeline(std::move(tokenizer), std::move(textEncoder), std::move(unetFn),
                               std::move(vaeFn), scheduler, geometry);
}

std::vector<ComponentReport> inspect_model_folder(const std::string& model_dir) {
    torch::NoGradGuard noGrad;
    const ModelFolder folder = open_model_folder(model_dir);
    std::vector<ComponentReport> reports;
    for (const auto& [name, entry] : folder.components) {
        ComponentReport r;
        r.name = name;
        r.library = entry.library;
        r.class_name = entry.className;
        const std::string dir = folder.componentDir(name);
        try {
            if (name == "tokenizer") {
                const ClipTokenizer tok(dir);
                std::ostringstream s;
                s << "vocab " << tok.vocab_size() << ", merges " << tok.merge_count() << ", bos "
                  << tok.bos_id() << ", eos " << tok.eos_id() << ", pad " << tok.pad_id() << ", max length "
                  << tok.model_max_length();
                r.summary = s.str();
            } else if (name == "scheduler") {
                const nlohmann::json cfg = read_component_config(dir);
                SchedulerConfig::from_json(cfg, dir); // validates
                r.summary = dumpFields(cfg, {"_class_name", "beta_schedule", "beta_start", "beta_end",
                                             "num_train_timesteps", "prediction_type", "set_alpha_to_one",
                                             "steps_offset", "timestep_spacing"});
            } else {
                const nlohmann::json cfg = read_component_config(dir);
                r.weight_files = component_weight_files(dir);
                std::shared_ptr<torch::nn::Module> module;
                if (name == "text_encoder") {
                    module = ClipTextModel(ClipTextConfig::from_json(cfg, dir + "/config.json")).ptr();
                    r.summary = dumpFields(cfg, {"hidden_size", "intermediate_size", "num_hidden_layers",
                                                 "num_attention_heads", "hidden_act",
                                                 "max_position_embeddings", "vocab_size"});
                } else if (name == "unet") {
                    module = UNet3DConditionModel(UNet3DConfig::from_json(cfg, dir + "/config.json")).ptr();
                    r.summary = dumpFields(cfg, {"block_out_channels", "layers_per_block",
                                                 "attention_head_dim", "cross_attention_dim",
                                                 "norm_num_groups", "in_channels", "sample_size"});
                } else if (name == "vae") {
                    module = AutoencoderKL(VaeConfig::from_json(cfg, dir + "/config.json")).ptr();
                    r.summary = dumpFields(cfg, {"block_out_channels", "layers_per_block", "latent_channels",
                                                 "norm_num_groups", "scaling_factor"});
                } else {
                    r.error = "component type not supported by this build";
                }
                if (module) {
                    r.parameters = countParameters(*module);
                    const KeyReport keys = load_component_weights(*module, dir);
                    r.key_report = keys.summary();
                    r.keys_complete = keys.complete();
                }
            }
        } catch (const std::exception& e) {
            r.error = e.what();
            r.keys_complete = false;
        }
        reports.push_back(std::move(r));
    }
    return reports;
}

} // namespace mb::ml
