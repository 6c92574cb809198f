#include "ml/reference_parity.h"

#include <filesystem>
#include <stdexcept>

#include <torch/torch.h>

#include "ml/clip_text_model.h"
#include "ml/model_loader.h"
#include "ml/pipeline.h"
#include "ml/safetensors.h"
#include "ml/unet3d.h"
#include "ml/vae.h"

namespace mb::ml {

namespace {

struct Tolerance {
    double float32;    ///< absolute, before the device scale
    double fp16, bf16; ///< fractions of the reference's largest magnitude
};

/** Measures one output against its reference. `reduced`: the check involves the UNet's compute dtype. */
ParityCheck compare(const std::string& name, const torch::Tensor& ours, const torch::Tensor& reference,
                    const Tolerance& tol, const ParityOptions& o, bool reduced) {
    if (ours.sizes() != reference.sizes())
        throw std::runtime_error("parity " + name + ": shape " + c10::str(ours.sizes()) + " against " +
                                 c10::str(reference.sizes()));
    ParityCheck c;
    c.name = name;
    const torch::Tensor a = ours.detach().to(torch::kCPU, torch::kFloat64);
    const torch::Tensor b = reference.to(torch::kCPU, torch::kFloat64);
    c.maxDiff = (a - b).abs().max().item<double>();
    c.absMax = b.abs().max().item<double>();
    if (!reduced || o.dtype == c10::ScalarType::Float)
        c.tolerance = tol.float32 * o.float32Scale;
    else
        c.tolerance = (o.dtype == c10::ScalarType::Half ? tol.fp16 : tol.bf16) * c.absMax;
    return c;
}

TensorMap vectors(const std::string& dir, const std::string& file) {
    const std::string path = dir + "/vectors/" + file;
    if (!std::filesystem::exists(path))
        throw std::runtime_error("parity: the reference vectors are missing: " + path);
    return read_safetensors(path);
}

} // namespace

double parity_float32_scale(const c10::Device& device) {
    return device.is_cpu() ? 1.0 : 10.0;
}

std::vector<ParityCheck> run_reference_parity(const ParityOptions& o) {
    torch::NoGradGuard noGrad;
    const std::string tiny = o.referenceDir + "/tiny";
    if (!std::filesystem::exists(tiny + "/model_index.json"))
        throw std::runtime_error("parity: the tiny reference model is missing: " + tiny);
    const Tolerance unetTol{1e-4, 3.5e-2, 1e-1};
    const Tolerance latentTol{1e-3, 5e-2, 1.5e-1};
    const Tolerance videoTol{1e-4, 5e-2, 1.5e-1};
    std::vector<ParityCheck> out;

    { // text encoder, float32
        ClipTextModel encoder = load_clip_text_model(tiny + "/text_encoder");
        encoder->to(o.device);
        const TensorMap ref = vectors(o.referenceDir, "text_encoder_forward.safetensors");
        const torch::Tensor hidden = encoder->forward(ref.at("input_ids").to(o.device)).last_hidden_state;
        out.push_back(compare("text_encoder.last_hidden_state", hidden, ref.at("last_hidden_state"),
                              {1e-5, 0, 0}, o, false));
    }
    { // VAE, float32
        AutoencoderKL vae(VaeConfig::from_file(tiny + "/vae/config.json"));
        vae->to(o.device);
        LoadOptions strict;
        strict.requireComplete = true;
        load_component_weights(*vae, tiny + "/vae", strict);
        vae->eval();
        const TensorMap ref = vectors(o.referenceDir, "vae.safetensors");
        out.push_back(compare("vae.decoded", vae->decode(ref.at("z").to(o.device)), ref.at("decoded"),
                              {1e-4, 0, 0}, o, false));
        out.push_back(compare("vae.latent_mean", vae->encode(ref.at("image").to(o.device)).mean,
                              ref.at("latent_mean"), {1e-4, 0, 0}, o, false));
    }
    { // UNet in the compute dtype
        UNet3DConditionModel unet(UNet3DConfig::from_file(tiny + "/unet/config.json"));
        unet->to(o.device, o.dtype);
        LoadOptions strict;
        strict.requireComplete = true;
        load_component_weights(*unet, tiny + "/unet", strict);
        unet->eval();
        auto run = [&](const TensorMap& ref, const std::string& timestep) {
            return unet->forward(ref.at("sample").to(o.device, o.dtype), ref.at(timestep),
                                 ref.at("encoder_hidden_states").to(o.device, o.dtype));
        };
        const TensorMap ref = vectors(o.referenceDir, "unet_forward.safetensors");
        out.push_back(compare("unet_forward.out", run(ref, "timestep"), ref.at("out"), unetTol, o, true));
        out.push_back(compare("unet_forward.out_timesteps_per_sample", run(ref, "timesteps_per_sample"),
                              ref.at("out_timesteps_per_sample"), unetTol, o, true));
        const TensorMap odd = vectors(o.referenceDir, "unet_forward_odd.safetensors");
        out.push_back(compare("unet_forward_odd.out", run(odd, "timestep"), odd.at("out"), unetTol, o, true));
        const TensorMap single = vectors(o.referenceDir, "unet_forward_f1.safetensors");
        out.push_back(
            compare("unet_forward_f1.out", run(single, "timestep"), single.at("out"), unetTol, o, true));
    }
    { // the whole pipeline: 5 DDIM steps with CFG 7.5 from the reference's initial latents
        PipelineLoadOptions load;
        load.device = o.device;
        load.unet_dtype = o.dtype;
        TextToVideoPipeline pipe = load_text_to_video_pipeline(tiny, load);
        const TensorMap ref = vectors(o.referenceDir, "pipeline_tiny.safetensors");
        TextToVideoParams p;
        p.prompt = "a photo of an astronaut riding a horse on mars";
        p.num_frames = 4;
        p.height = 32;
        p.width = 48;
        p.num_inference_steps = 5;
        p.guidance_scale = 7.5;
        p.latents = ref.at("init_latents");
        p.compute_dtype = o.dtype;
        PipelineTrace trace;
        pipe.generate(p, {}, {}, &trace);
        out.push_back(compare("pipeline_tiny.prompt_embeds", trace.prompt_embeds, ref.at("prompt_embeds"),
                              {1e-5, 0, 0}, o, false));
        out.push_back(compare("pipeline_tiny.latents_after_step[4]", trace.latents_after_step.back(),
                              ref.at("latents_after_step")[4], latentTol, o, true));
        out.push_back(
            compare("pipeline_tiny.video_pt", trace.video_pt, ref.at("video_pt"), videoTol, o, true));
    }
    return out;
}

} // namespace mb::ml
