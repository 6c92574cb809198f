#include "ml/motion_control.h"

#include "ml/attention_probe.h"
#include "ml/latent_shift.h"
#include "ml/parallel_ops.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <torch/torch.h>

namespace mb::ml {

uint64_t latent_shift_seed(uint64_t seed) {
    // A fixed, documented mix (SplitMix64 finaliser) so the fill sampler never shares a stream with the
    // noise.
    uint64_t z = seed + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int64_t schedule_step(double fraction, int64_t steps) {
    if (!std::isfinite(fraction) || fraction < 0.0 || fraction > 1.0)
        throw std::invalid_argument("motion control: a schedule fraction must be in 0..1, got " +
                                    std::to_string(fraction));
    return std::clamp<int64_t>(std::llround(fraction * double(steps)), 0, steps);
}

namespace {

/** Background map [F, h, w]: false inside every subject's current box (cells truncated, as the reference). */
torch::Tensor background_map(const std::vector<std::vector<BoxF>>& boxes, int64_t F, int64_t h, int64_t w) {
    auto bg = torch::ones({F, h, w}, torch::kBool); // cpu: the latent shift plans its fills on the CPU
    for (const auto& subject : boxes)
        for (int64_t f = 0; f < F; ++f) {
            const BoxF& b = subject[size_t(f)];
            const int64_t x0 = std::clamp<int64_t>(int64_t(std::trunc(b[0] * w)), 0, w);
            const int64_t x1 = std::clamp<int64_t>(int64_t(std::trunc(b[2] * w)), 0, w);
            const int64_t y0 = std::clamp<int64_t>(int64_t(std::trunc(b[1] * h)), 0, h);
            const int64_t y1 = std::clamp<int64_t>(int64_t(std::trunc(b[3] * h)), 0, h);
            if (x1 > x0 && y1 > y0)
                bg[f].slice(0, y0, y1).slice(1, x0, x1).fill_(false);
        }
    return bg;
}

} // namespace

TextToVideoResult generate_with_motion_control(TextToVideoPipeline& pipeline, const ControlledUnetFn& unet,
                                               const TextToVideoParams& params,
                                               const MotionControlParams& control, const mb::JobControl& job,
                                               const StepCallback& onStep, MotionControlReport* report) {
    torch::NoGradGuard noGrad;
    const PipelineGeometry& g = pipeline.geometry();
    const int64_t H = params.height ? params.height : g.default_sample_size * g.vae_scale_factor;
    const int64_t W = params.width ? params.width : g.default_sample_size * g.vae_scale_factor;
    const int64_t F = params.num_frames;
    if (F < 1 || params.num_inference_steps < 1)
        throw std::invalid_argument("motion control: frames and steps must be at least 1");
    if (H % g.vae_scale_factor || W % g.vae_scale_factor)
        throw std::invalid_argument("motion control: " + std::to_string(W) + "x" + std::to_string(H) +
                                    " is not a multiple of the VAE scale factor " +
                                    std::to_string(g.vae_scale_factor));
    const int64_t h = H / g.vae_scale_factor, w = W / g.vae_scale_factor;

    std::vector<int64_t> condIds;
    const torch::Tensor cond = pipeline.encode_prompt(params.prompt, &condIds);
    const torch::Tensor uncond =
        params.guidance_scale > 1.0 ? pipeline.encode_prompt(params.negative_prompt) : torch::Tensor();
    const int64_t promptLength =
        std::min<int64_t>(int64_t(pipeline.tokenizer().encode(params.prompt).size()), 77);

    MotionControlReport rep;
    rep.promptLength = promptLength;
    std::vector<EditedSubject> edited(control.subjects.size());
    for (size_t i = 0; i < control.subjects.size(); ++i) {
        const auto& s = control.subjects[i];
        if (int64_t(s.screenBoxes.size()) != F)
            throw std::invalid_argument("motion control: subject \"" + s.phrase + "\" has " +
                                        std::to_string(s.screenBoxes.size()) + " boxes for " +
                                        std::to_string(F) + " frames");
        const std::vector<int> tokens = pipeline.tokenizer().find_phrase(condIds, s.phrase);
        if (tokens.empty())
            throw std::invalid_argument("motion control: the phrase \"" + s.phrase +
                                        "\" is not in the prompt \"" + params.prompt +
                                        "\" (or was cut off after 75 tokens)");
        rep.phraseTokens.push_back(tokens);
        edited[i].tokens.assign(tokens.begin(), tokens.end());
    }

    // Camera: per-frame total displacement in latent cells (ruling 10).
    std::vector<std::array<double, 2>> total(size_t(F), {0.0, 0.0});
    bool moving = false;
    if (!control.cameraTravel.empty()) {
        if (int64_t(control.cameraTravel.size()) != F)
            throw std::invalid_argument("motion control: camera travel has " +
                                        std::to_string(control.cameraTravel.size()) + " frames, the shot " +
                                        std::to_string(F));
        for (int64_t f = 0; f < F; ++f) {
            total[size_t(f)] = {control.cameraTravel[size_t(f)][0] * double(w),
                                control.cameraTravel[size_t(f)][1] * double(h)};
            moving = moving || total[size_t(f)][0] != 0.0 || total[size_t(f)][1] != 0.0;
        }
    }
    const int64_t N = params.num_inference_steps;
    if (control.shiftUntil < control.shiftFrom)
        throw std::invalid_argument("motion control: the latent-shift window ends before it starts");
    rep.amplifySteps = schedule_step(control.amplifyUntil, N);
    rep.shiftFirstStep = schedule_step(control.shiftFrom, N);
    rep.shiftStepCount = schedule_step(control.shiftUntil, N) - rep.shiftFirstStep;
    const bool shifting = moving && rep.shiftStepCount > 0;
    LatentShifter shifter(total, int(std::max<int64_t>(1, rep.shiftStepCount)),
                          latent_shift_seed(params.seed));

    torch::Tensor latents =
        params.latents.defined() ? params.latents.clone() : pipeline.initial_latents(params.seed, F, H, W);
    if (latents.dim() != 5 || latents.size(2) != F || latents.size(3) != h || latents.size(4) != w)
        throw std::invalid_argument("motion control: initial latents have the wrong shape");
    // The noise is drawn on the CPU (the same latents from a seed on every device) and denoised where the
    // text encoder, and so the models, are.
    latents = latents.to(cond.device());

    AttentionEditor editor;
    // Where each subject's box is in the latent right now: output box + displacement still to come.
    auto currentBoxes = [&]() {
        std::vector<std::vector<BoxF>> boxes(control.subjects.size());
        for (size_t s = 0; s < control.subjects.size(); ++s)
            for (int64_t f = 0; f < F; ++f) {
                BoxF b = control.subjects[s].screenBoxes[size_t(f)];
                if (shifting) {
                    const auto rem = shifter.remaining(f);
                    const double dx = rem[0] / double(w), dy = rem[1] / double(h);
                    b = {b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy};
                }
                boxes[s].push_back(b);
            }
        return boxes;
    };

    DenoiseHooks hooks;
    if (shifting)
        hooks.before_step = [&](int64_t i, const torch::Tensor& x) {
            if (i >= rep.shiftFirstStep && i < rep.shiftFirstStep + rep.shiftStepCount)
                return shifter.step(x, background_map(currentBoxes(), F, h, w));
            return x;
        };
    if (!edited.empty())
        hooks.conditional = [&](int64_t i, const torch::Tensor& x, int64_t t, const torch::Tensor& text) {
            const auto boxes = currentBoxes();
            for (size_t s = 0; s < edited.size(); ++s)
                edited[s].boxes = boxes[s];
            AttentionEditSettings st;
            st.alpha = control.alpha;
            st.amplify = i < rep.amplifySteps;
            st.suppressOtherWords = control.suppressOtherWords;
            st.promptLength = promptLength;
            editor.configure(edited, st, {0});
            return unet(x, t, text, &editor);
        };
    else
        hooks.conditional = [&](int64_t, const torch::Tensor& x, int64_t t, const torch::Tensor& text) {
            return unet(x, t, text, nullptr);
        };
    DenoiseSettings settings;
    settings.num_inference_steps = N;
    settings.guidance_scale = params.guidance_scale;
    settings.sampler = params.sampler;
    settings.concurrent_passes = control.concurrentGuidancePasses;
    settings.compute_dtype = params.compute_dtype;
    const torch::Tensor embeds = params.guidance_scale > 1.0 ? torch::cat({uncond, cond}) : cond;
    // The unconditional pass goes through the same denoiser, without a hook.
    hooks.unconditional = [&](int64_t, const torch::Tensor& x, int64_t t, const torch::Tensor& text) {
        return unet(x, t, text, nullptr);
    };
    latents = pipeline.denoise(embeds, latents, settings, hooks, job, onStep);
    const std::unique_ptr<Sampler> schedule = make_sampler(params.sampler, pipeline.scheduler_config());
    schedule->set_timesteps(N);
    const torch::Tensor timesteps = schedule->timesteps();
    const DDIMScheduler ddim(pipeline.scheduler_config()); // the forward (noising) process, any sampler
    job.checkCancelled();
    if (!control.measuredPhrases.empty() && N > 0) {
        // A phrase that is not in the prompt (possible when its subject is not controlled) has no attention
        // to measure: its entry stays empty.
        std::vector<std::vector<int64_t>> tokens;
        std::vector<size_t> found;
        for (size_t i = 0; i < control.measuredPhrases.size(); ++i) {
            const std::vector<int> t = pipeline.tokenizer().find_phrase(condIds, control.measuredPhrases[i]);
            if (!t.empty()) {
                tokens.emplace_back(t.begin(), t.end());
                found.push_back(i);
            }
        }
        rep.attentionCentroids.assign(control.measuredPhrases.size(), {});
        if (!tokens.empty()) {
            // The finished latent is noised again to the middle of the schedule, where cross-attention maps
            // are the most localised (at the last, nearly noise-free step they are close to uniform); the
            // noise is seeded from the take's seed, so the measurement is reproducible.
            const int64_t tProbe = timesteps[N / 2].item<int64_t>();
            auto gen =
                at::make_generator<at::CPUGeneratorImpl>(latent_shift_seed(params.seed) ^ 0x5A5A5A5Aull);
            // cpu: drawn from the CPU generator (the same noise on every device), then moved
            const torch::Tensor noise =
                torch::randn(latents.sizes(), gen, latents.options().device(torch::kCPU))
                    .to(latents.device());
            const torch::Tensor noisy = ddim.add_noise(
                latents, noise,
                torch::full({latents.size(0)}, tProbe, torch::kLong)); // cpu: add_noise moves it
            SubjectAttentionProbe probe(tokens);
            unet(noisy.to(params.compute_dtype), tProbe, cond.to(params.compute_dtype), &probe);
            const auto c = probe.centroids(0);
            for (size_t k = 0; k < found.size(); ++k)
                rep.attentionCentroids[found[k]] = c[k];
        }
    }
    rep.fillShortages = shifter.fill_shortages();
    for (int64_t f = 0; f < F; ++f) {
        const auto rem = shifter.remaining(f);
        rep.shiftApplied.push_back({int64_t(std::llround(total[size_t(f)][0] - rem[0])),
                                    int64_t(std::llround(total[size_t(f)][1] - rem[1]))});
    }
    if (report)
        *report = rep;

    const torch::Tensor video =
        pipeline.decode_latents(latents, params.decode_frames_per_batch, job); // [1,3,F,H,W]
    torch::Tensor frames =
        (video / 2 + 0.5).clamp(0, 1)[0].permute({1, 2, 3, 0}).contiguous().cpu(); // [F,H,W,3]
    if (params.format == FrameFormat::Uint8)
        frames = frames.mul(255).round().to(torch::kUInt8);
    return {frames, latents};
}

} // namespace mb::ml
