#pragma once
/**
 * \file motion_control.h
 * \brief Text-to-video generation with MotionBooth's training-free controls (method §7–§9): per-frame boxes
 *        steer each subject through cross-attention editing, and the camera path shifts the noisy latent.
 *
 * It runs the pipeline's one denoising loop (TextToVideoPipeline::denoise) with two hooks:
 *  1. inside the shift window the latent is shifted first (LatentShifter, fills outside the subjects'
 *     current boxes, seeded: reproducible);
 *  2. the conditional pass runs with the attention editor (amplify during the first part of the schedule,
 *     suppress always), the unconditional pass without it; guided = u + g·(c − u); the sampler's step.
 *  The amplify span and the shift window are fractions of the schedule, so a take of 20 steps with a
 *  multistep sampler steers at the same noise levels as one of 50 DDIM steps: step i of N is inside a span
 *  [a, b) when round(a·N) ≤ i < round(b·N) (schedule_step()).
 *  3. boxes are given in output-frame coordinates (where each subject must appear in the video). Until the
 *     shift has happened, the edit targets box + (camera displacement still to come), so the subject lands
 *     where it was drawn once the latent has moved — for every subject, not only the last one.
 */
#include "ml/attention_edit.h"
#include "ml/pipeline.h"

#include <array>
#include <functional>
#include <string>
#include <vector>

namespace mb::ml {

/** The denoiser with a cross-attention hook (nullptr = none). */
using ControlledUnetFn = std::function<torch::Tensor(const torch::Tensor& sample, int64_t t,
                                                     const torch::Tensor& text, CrossAttentionHook* hook)>;

struct ControlledSubject {
    std::string phrase;            ///< the subject's words in the prompt, e.g. "sks toy robot"
    std::vector<BoxF> screenBoxes; ///< per frame, normalised output-frame box
};

struct MotionControlParams {
    std::vector<ControlledSubject> subjects; ///< empty = no subject control
    double alpha = 7.5;                      ///< edit_scale
    /** Amplification acts during this first fraction of the schedule (τ/N: 5 of 50 steps = 0.1). */
    double amplifyUntil = 0.1;
    bool suppressOtherWords = true;
    /** Camera travel per frame as fractions of the frame (x, y); empty or all zero = static camera. */
    std::vector<std::array<double, 2>> cameraTravel;
    /** The latent-shift window as fractions of the schedule (steps 10..20 of 50 = [0.2, 0.4)). */
    double shiftFrom = 0.2;
    double shiftUntil = 0.4;
    /** Run the conditional and unconditional UNet passes of each step at the same time, one per thread with
     *  single-threaded ops inside (parallel_ops.h run_concurrently), instead of one after the other with
     *  every op multi-threaded. Results equal up to BLAS summation order; fixed per setting. */
    bool concurrentGuidancePasses = false;
    /** Phrases whose cross-attention centroid is measured per frame after the last step, in one extra
     *  unedited conditional pass on the finished latent (attention_probe.h); empty = no measurement. Given
     *  separately from `subjects` so that uncontrolled renders are measured the same way. */
    std::vector<std::string> measuredPhrases;
};

/** What the controlled render did, for the sidecar and the log. */
struct MotionControlReport {
    std::vector<std::vector<int>> phraseTokens;       ///< per subject, token positions in the prompt
    int64_t promptLength = 0;                         ///< tokens incl. start and end
    int64_t fillShortages = 0;                        ///< latent-shift fills that sampled with replacement
    std::vector<std::array<int64_t, 2>> shiftApplied; ///< per frame, total cells moved (x, y)
    int64_t amplifySteps = 0;                         ///< steps 0..amplifySteps−1 were amplified
    int64_t shiftFirstStep = 0, shiftStepCount = 0;   ///< the shift window in steps of this take
    /** Per measured phrase, per frame: the attention centroid (x, y) in 0..1 frame coordinates (empty for a
     *  phrase that is not in the prompt). */
    std::vector<std::vector<std::array<double, 2>>> attentionCentroids;
};

/** The seed of the latent-shift fill sampler derived from the take's seed (documented in the sidecar). */
uint64_t latent_shift_seed(uint64_t seed);

/** The step of an N-step schedule at which a fraction of it is reached: round(fraction·N), in 0..N.
 *  Throws std::invalid_argument for a fraction outside [0, 1] or not finite. */
int64_t schedule_step(double fraction, int64_t steps);

/**
 * Generates a video with motion control. `pipeline` provides tokenizer, text encoder, scheduler config and
 * VAE; `unet` is the same model with a hook argument. Throws std::invalid_argument when a subject phrase is
 * not in the prompt, box counts differ from the frame count, or sizes are invalid; JobCancelled on cancel.
 */
TextToVideoResult generate_with_motion_control(TextToVideoPipeline& pipeline, const ControlledUnetFn& unet,
                                               const TextToVideoParams& params,
                                               const MotionControlParams& control,
                                               const mb::JobControl& job = {},
                                               const StepCallback& onStep = {},
                                               MotionControlReport* report = nullptr);

} // namespace mb::ml
