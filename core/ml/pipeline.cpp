#include "ml/pipeline.h"

#include "ml/parallel_ops.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <stdexcept>

namespace mb::ml {

namespace {

torch::Device moduleDevice(torch::nn::Module& m) {
    const auto params = m.parameters();
    return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

} // namespace

TextToVideoPipeline::TextToVideoPipeline(std::shared_ptr<const ClipTokenizer> tokenizer,
                                         ClipTextModel text_encoder, UnetFn unet, VaeDecodeFn vae_decode,
                                         SchedulerConfig scheduler, PipelineGeometry geometry)
    : m_tokenizer(std::move(tokenizer)), m_textEncoder(std::move(text_encoder)), m_unet(std::move(unet)),
      m_vaeDecode(std::move(vae_decode)), m_schedulerConfig(std::move(scheduler)), m_geometry(geometry) {
    if (!m_tokenizer || m_textEncoder.is_empty() || !m_unet || !m_vaeDecode)
        throw std::invalid_argument(
            "TextToVideoPipeline: tokenizer, text encoder, UNet and VAE are all required");
    if (m_geometry.latent_channels < 1 || m_geometry.vae_scale_factor < 1 ||
        !(m_geometry.vae_scaling_factor > 0))
        throw std::invalid_argument(
            "TextToVideoPipeline: invalid geometry (channels, VAE scale factor, scaling)");
}

torch::Tensor TextToVideoPipeline::encode_prompt(const std::string& prompt, std::vector<int64_t>* ids) const {
    torch::NoGradGuard noGrad;
    // The pipeline's call: padding="max_length", max_length=tokenizer.model_max_length (77), truncation.
    const PaddedTokens tokens = m_tokenizer->encode_padded(prompt, m_tokenizer->model_max_length());
    if (ids)
        *ids = tokens.ids;
    const auto encoder = m_textEncoder.ptr(); // torch::nn forward() is non-const; the model is not changed
    const torch::Tensor input =
        torch::tensor(tokens.ids, torch::kLong) // cpu: token ids, moved to the encoder
            .view({1, -1})
            .to(moduleDevice(*encoder));
    return encoder->forward(input).last_hidden_state;
}

torch::Tensor TextToVideoPipeline::initial_latents(uint64_t seed, int64_t frames, int64_t height,
                                                   int64_t width) const {
    const int64_t s = m_geometry.vae_scale_factor;
    auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    // cpu: drawn on the CPU so that a seed starts from the same latents on every device; callers move them
    return torch::randn({1, m_geometry.latent_channels, frames, height / s, width / s}, generator,
                        torch::TensorOptions().dtype(torch::kFloat32));
}

torch::Tensor TextToVideoPipeline::denoise(const torch::Tensor& prompt_embeds,
                                           const torch::Tensor& init_latents, const DenoiseSettings& settings,
                                           const DenoiseHooks& hooks, const mb::JobControl& job,
                                           const StepCallback& on_step, PipelineTrace* trace) {
    torch::NoGradGuard noGrad;
    const bool cfg = settings.guidance_scale > 1.0;
    if (cfg && prompt_embeds.size(0) != 2)
        throw std::invalid_argument("TextToVideoPipeline: CFG needs prompt_embeds [2, N, D] (uncond, cond)");
    const std::unique_ptr<Sampler> sampler = make_sampler(settings.sampler, m_schedulerConfig);
    sampler->set_timesteps(settings.num_inference_steps);
    const torch::Tensor timesteps = sampler->timesteps().to(torch::kCPU);
    if (trace)
        trace->timesteps = timesteps.clone();
    const torch::ScalarType dtype = settings.compute_dtype;
    const torch::Tensor text = prompt_embeds.to(dtype);
    const torch::Tensor uncondText = cfg ? text.slice(0, 0, 1) : torch::Tensor();
    const torch::Tensor condText = cfg ? text.slice(0, 1, 2) : text;
    // Side by side on two CPU threads only: on an accelerator both passes queue on one stream anyway.
    const bool concurrent = settings.concurrent_passes && text.is_cpu();
    // A conditional hook edits one half only, so the halves run as separate calls then.
    const bool split =
        settings.split_cfg_batch || concurrent || bool(hooks.conditional) || bool(hooks.unconditional);

    // The latents live where the text embeddings (and so the models) are.
    torch::Tensor latents =
        init_latents.to(prompt_embeds.device(), torch::kFloat32) * sampler->init_noise_sigma();
    const int64_t steps = timesteps.size(0);
    for (int64_t i = 0; i < steps; ++i) {
        job.checkCancelled();
        const int64_t t = timesteps[i].item<int64_t>();
        if (hooks.before_step)
            latents = hooks.before_step(i, latents);
        const torch::Tensor modelIn = sampler->scale_model_input(latents, i).to(dtype);
        auto conditional = [&]() {
            return hooks.conditional ? hooks.conditional(i, modelIn, t, condText)
                                     : m_unet(modelIn, t, condText);
        };
        auto unconditional = [&]() {
            return hooks.unconditional ? hooks.unconditional(i, modelIn, t, uncondText)
                                       : m_unet(modelIn, t, uncondText);
        };
        torch::Tensor noisePred;
        if (cfg) {
            torch::Tensor uncond, cond;
            if (split) {
                if (concurrent) {
                    run_concurrently({[&] { cond = conditional(); }, [&] { uncond = unconditional(); }});
                } else {
                    cond = conditional();
                    uncond = unconditional();
                }
                if (trace)
                    trace->unet_inputs.push_back(torch::cat({modelIn, modelIn}));
            } else {
                const torch::Tensor batch = torch::cat({modelIn, modelIn});
                if (trace)
                    trace->unet_inputs.push_back(batch);
                const auto halves = m_unet(batch, t, text).chunk(2);
                uncond = halves[0];
                cond = halves[1];
            }
            uncond = uncond.to(torch::kFloat32);
            cond = cond.to(torch::kFloat32);
            if (trace) {
                trace->noise_pred_uncond.push_back(uncond);
                trace->noise_pred_text.push_back(cond);
            }
            noisePred = uncond + settings.guidance_scale * (cond - uncond);
        } else {
            if (trace)
                trace->unet_inputs.push_back(modelIn);
            noisePred = conditional().to(torch::kFloat32);
            if (trace)
                trace->noise_pred_text.push_back(noisePred);
        }
        // The reference folds [B, C, F, h, w] to [B·F, C, h, w] for the step; every sampler step here is
        // elementwise, so the fold changes nothing.
        const Sampler::StepOutput out = sampler->step(noisePred, i, latents);
        latents = out.prevSample;
        if (trace)
            trace->latents_after_step.push_back(latents);
        if (on_step)
            on_step(i, t, latents, out.predOriginalSample);
        job.report("denoise", i + 1, steps);
    }
    return latents;
}

torch::Tensor TextToVideoPipeline::decode_latents(const torch::Tensor& latents, int64_t frames_per_batch,
                                                  const mb::JobControl& job) const {
    torch::NoGradGuard noGrad;
    if (latents.dim() != 5)
        throw std::invalid_argument("TextToVideoPipeline: latents must be [B, C, F, h, w]");
    if (frames_per_batch < 1)
        throw std::invalid_argument("TextToVideoPipeline: decode_frames_per_batch must be at least 1");
    const int64_t b = latents.size(0), c = latents.size(1), f = latents.size(2);
    const int64_t h = latents.size(3), w = latents.size(4);
    // diffusers: `1 / scaling_factor * latents` — a multiplication by the reciprocal, not a division.
    const torch::Tensor folded =
        (latents * (1.0 / m_geometry.vae_scaling_factor)).permute({0, 2, 1, 3, 4}).reshape({b * f, c, h, w});
    std::vector<torch::Tensor> images;
    const int64_t n = b * f;
    for (int64_t start = 0; start < n; start += frames_per_batch) {
        job.checkCancelled();
        const int64_t end = std::min(n, start + frames_per_batch);
        images.push_back(m_vaeDecode(folded.slice(0, start, end)));
        job.report("decode", end, n);
    }
    const torch::Tensor image = torch::cat(images);
    return image.reshape({b, f, image.size(1), image.size(2), image.size(3)})
        .permute({0, 2, 1, 3, 4})
        .to(torch::kFloat32);
}

TextToVideoResult TextToVideoPipeline::generate(const TextToVideoParams& p, const mb::JobControl& job,
                                                const StepCallback& on_step, PipelineTrace* trace) {
    torch::NoGradGuard noGrad;
    const int64_t s = m_geometry.vae_scale_factor;
    const int64_t height = p.height > 0 ? p.height : m_geometry.default_sample_size * s;
    const int64_t width = p.width > 0 ? p.width : m_geometry.default_sample_size * s;
    if (p.height < 0 || p.width < 0 || height % s != 0 || width % s != 0)
        throw std::invalid_argument(
            "TextToVideoPipeline: width and height must be positive multiples of the VAE "
            "scale factor " +
            std::to_string(s) + ", got " + std::to_string(width) + "x" + std::to_string(height));
    if (p.num_frames < 1)
        throw std::invalid_argument("TextToVideoPipeline: the frame count must be at least 1");
    if (p.num_inference_steps < 1)
        throw std::invalid_argument("TextToVideoPipeline: the step count must be at least 1");
    const std::vector<int64_t> latentShape = {1, m_geometry.latent_channels, p.num_frames, height / s,
                                              width / s};

    job.checkCancelled();
    job.report("encode", 0, 1);
    std::vector<int64_t> condIds, uncondIds;
    const torch::Tensor cond = encode_prompt(p.prompt, &condIds);
    torch::Tensor embeds = cond;
    const bool cfg = p.guidance_scale > 1.0;
    if (cfg) {
        const torch::Tensor uncond = encode_prompt(p.negative_prompt, &uncondIds);
        embeds = torch::cat({uncond, cond}); // uncond first, as the reference
    }
    job.report("encode", 1, 1);

    torch::Tensor latents;
    if (p.latents.defined()) {
        if (p.latents.sizes() != torch::IntArrayRef(latentShape))
            throw std::invalid_argument("TextToVideoPipeline: given latents have shape " +
                                        std::string(c10::str(p.latents.sizes())) + ", expected " +
                                        std::string(c10::str(torch::IntArrayRef(latentShape))));
        latents = p.latents.to(torch::kFloat32);
    } else {
        latents = initial_latents(p.seed, p.num_frames, height, width);
    }
    latents = latents.to(embeds.device());
    if (trace) {
        trace->cond_input_ids = condIds;
        trace->uncond_input_ids = uncondIds;
        trace->prompt_embeds = embeds;
        trace->init_latents = latents;
    }

    DenoiseSettings settings;
    settings.num_inference_steps = p.num_inference_steps;
    settings.guidance_scale = p.guidance_scale;
    settings.sampler = p.sampler;
    settings.split_cfg_batch = p.split_cfg_batch;
    settings.compute_dtype = p.compute_dtype;
    latents = denoise(embeds, latents, settings, {}, job, on_step, trace);
    job.checkCancelled();
    const torch::Tensor video = decode_latents(latents, p.decode_frames_per_batch, job);  // [1, 3, F, H, W]
    const torch::Tensor videoPt = (video / 2 + 0.5).clamp(0, 1).permute({0, 2, 1, 3, 4}); // [1, F, 3, H, W]
    if (trace) {
        trace->video_raw = video;
        trace->video_pt = videoPt;
    }
    TextToVideoResult result;
    result.latents = latents;
    torch::Tensor frames = videoPt[0].permute({0, 2, 3, 1}).contiguous().cpu(); // [F, H, W, 3]
    if (p.format == FrameFormat::Uint8)
        frames = (frames * 255).round().to(torch::kUInt8);
    result.frames = frames;
    return result;
}

} // namespace mb::ml
