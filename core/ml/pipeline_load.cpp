// Assembling a TextToVideoPipeline from a diffusers folder, and inspecting such
// a folder.
#include "ml/model_loader.h"
#include "ml/pipeline.h"
#include "ml/unet3d.h"
#include "ml/vae.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
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

namespace {

/** The pipeline over built modules, after checking that they fit together. */
TextToVideoPipeline assemble(const std::string& source, std::shared_ptr<const ClipTokenizer> tokenizer,
                             ClipTextModel textEncoder, UNet3DConditionModel unet, AutoencoderKL vae,
                             const SchedulerConfig& scheduler, int64_t sampleSize,
                             std::shared_ptr<UNet3DConditionModelImpl>* unet_module,
                             std::shared_ptr<AutoencoderKLImpl>* vae_module) {
    const UNet3DConfig& unetConfig = unet->config();
    const VaeConfig& vaeConfig = vae->config();
    PipelineGeometry geometry;
    geometry.latent_channels = unetConfig.inChannels;
    geometry.vae_scale_factor = vaeConfig.scaleFactor();
    geometry.vae_scaling_factor = vaeConfig.scalingFactor;
    geometry.default_sample_size = sampleSize;

    // Components must fit together: text width = cross-attention width, latent channels agree.
    if (textEncoder->config().hidden_size != unetConfig.crossAttentionDim)
        throw std::runtime_error(
            source + ": text encoder width " + std::to_string(textEncoder->config().hidden_size) +
            " differs from the UNet's cross_attention_dim " + std::to_string(unetConfig.crossAttentionDim));
    if (vaeConfig.latentChannels != unetConfig.inChannels)
        throw std::runtime_error(
            source + ": VAE latent_channels " + std::to_string(vaeConfig.latentChannels) +
            " differs from the UNet's in_channels " + std::to_string(unetConfig.inChannels));

    UnetFn unetFn = [unet = unet.ptr()](const torch::Tensor& sample, int64_t t, const torch::Tensor& text) {
        // The reference passes each timestep as a 0-d int64 tensor.
        // cpu: a 0-d timestep, which forward() moves to the sample's device
        return unet->forward(sample, torch::scalar_tensor(t, torch::kLong), text);
    };
    if (unet_module)
        *unet_module = unet.ptr();
    if (vae_module)
        *vae_module = vae.ptr();
    // The VAE decodes in float32 whatever the UNet computes in (diffusers upcasts it as well).
    VaeDecodeFn vaeFn = [vae = vae.ptr()](const torch::Tensor& z) {
        return vae->decode(z.to(torch::kFloat32));
    };
    return TextToVideoPipeline(std::move(tokenizer), std::move(textEncoder), std::move(unetFn),
                               std::move(vaeFn), scheduler, geometry);
}

/** `dir/<name>/<file>` (a diffusers folder) or, failing that, `dir/<name>.<file>` (a folder of configs). */
std::string configPath(const std::string& dir, const std::string& name, const std::string& file) {
    const std::string nested = dir + "/" + name + "/" + file;
    if (std::filesystem::exists(nested))
        return nested;
    const std::string flat = dir + "/" + name + "." + file;
    if (std::filesystem::exists(flat))
        return flat;
    throw std::runtime_error(dir + ": no " + name + " config (" + nested + " or " + flat + ")");
}

} // namespace

TextToVideoPipeline load_text_to_video_pipeline(const std::string& model_dir,
                                                const PipelineLoadOptions& options,
                                                std::shared_ptr<UNet3DConditionModelImpl>* unet_module,
                                                std::shared_ptr<AutoencoderKLImpl>* vae_module) {
    torch::NoGradGuard noGrad;
    const ModelFolder folder = open_model_folder(model_dir);
    for (const char* c : {"text_encoder", "unet", "vae", "scheduler"})
        requireComponent(folder, c);
    const std::string tokenizerDir =
        options.tokenizer_dir.empty() ? folder.componentDir("tokenizer") : options.tokenizer_dir;
    auto tokenizer = std::make_shared<const ClipTokenizer>(tokenizerDir);

    ClipTextModel textEncoder =
        load_clip_text_model(folder.componentDir("text_encoder"), nullptr, options.variant);
    textEncoder->to(options.device);

    LoadOptions strict;
    strict.requireComplete = true;
    const std::string unetDir = folder.componentDir("unet");
    const nlohmann::json unetJson = read_component_config(unetDir);
    UNet3DConditionModel unet(UNet3DConfig::from_json(unetJson, unetDir + "/config.json"));
    // Into the target device and dtype first: each file tensor is then converted once, straight into its
    // weight (the same rounding as converting the float32 model afterwards).
    unet->to(options.device, options.unet_dtype);
    load_component_weights(*unet, unetDir, strict, options.variant);
    unet->eval();

    const std::string vaeDir = folder.componentDir("vae");
    AutoencoderKL vae(VaeConfig::from_json(read_component_config(vaeDir), vaeDir + "/config.json"));
    vae->to(options.device);
    load_component_weights(*vae, vaeDir, strict, options.variant);
    vae->eval();

    const std::string schedulerDir = folder.componentDir("scheduler");
    const SchedulerConfig scheduler =
        SchedulerConfig::from_json(read_component_config(schedulerDir), schedulerDir);
    const auto sampleSize =
        static_cast<int64_t>(numberOr(unetJson, "sample_size", 32, unetDir + "/config.json"));
    return assemble(model_dir, std::move(tokenizer), std::move(textEncoder), std::move(unet), std::move(vae),
                    scheduler, sampleSize, unet_module, vae_module);
}

TextToVideoPipeline random_text_to_video_pipeline(const std::string& config_dir, uint64_t seed,
                                                  const PipelineLoadOptions& options,
                                                  std::shared_ptr<UNet3DConditionModelImpl>* unet_module) {
    torch::NoGradGuard noGrad;
    if (options.tokenizer_dir.empty())
        throw std::invalid_argument("random_text_to_video_pipeline: a tokenizer folder is required");
    auto tokenizer = std::make_shared<const ClipTokenizer>(options.tokenizer_dir);
    // The modules' own initialisation from one seeded CPU generator: the same weights on every device.
    torch::manual_seed(seed);
    const std::string textPath = configPath(config_dir, "text_encoder", "config.json");
    ClipTextModel textEncoder(ClipTextConfig::from_json(read_json_file(textPath), textPath));
    textEncoder->eval();
    textEncoder->to(options.device);
    const std::string unetPath = configPath(config_dir, "unet", "config.json");
    const nlohmann::json unetJson = read_json_file(unetPath);
    UNet3DConditionModel unet(UNet3DConfig::from_json(unetJson, unetPath));
    unet->eval();
    unet->to(options.device, options.unet_dtype);
    const std::string vaePath = configPath(config_dir, "vae", "config.json");
    AutoencoderKL vae(VaeConfig::from_file(vaePath));
    vae->eval();
    vae->to(options.device);
    const SchedulerConfig scheduler =
        SchedulerConfig::from_file(configPath(config_dir, "scheduler", "scheduler_config.json"));
    const auto sampleSize = static_cast<int64_t>(numberOr(unetJson, "sample_size", 32, unetPath));
    return assemble(config_dir + " (random weights, seed " + std::to_string(seed) + ")", std::move(tokenizer),
                    std::move(textEncoder), std::move(unet), std::move(vae), scheduler, sampleSize,
                    unet_module, nullptr);
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
