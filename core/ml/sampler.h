#pragma once
/**
 * \file sampler.h
 * \brief Reverse-diffusion solvers behind one interface: DDIM, DPM-Solver++(2M) (uniform or Karras sigmas)
 * and Euler, each matching diffusers' scheduler of the same name built with `Cls.from_config(ddim_config)`.
 *
 * A Sampler is stepped by step index, as diffusers' schedulers are internally:
 *
 *     auto s = make_sampler(kind, config);
 *     s->set_timesteps(N);
 *     x = noise * s->init_noise_sigma();
 *     for (i = 0; i < N; ++i) {
 *         eps = unet(s->scale_model_input(x, i), s->timesteps()[i]);
 *         x = s->step(eps, i, x).prevSample;
 *     }
 *
 * Fed the same model outputs, timesteps are identical to diffusers v0.31.0 and every step's sample agrees to
 * float32 rounding (on LibTorch 1.13 bit for bit).
 */
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

#include "ml/scheduler.h"

namespace mb::ml {

enum class SamplerKind { Ddim, DpmSolverPP2M, DpmSolverPP2MKarras, Euler };

/** "ddim", "dpmpp-2m", "dpmpp-2m-karras", "euler" */
std::string sampler_name(SamplerKind kind);
/** Inverse of sampler_name; throws std::invalid_argument naming the bad value and the four choices. */
SamplerKind parse_sampler(const std::string& name);
/** The four names, in enum order. */
std::vector<std::string> sampler_names();

/** One reverse-diffusion solver, stepped by step index (0..N-1), as diffusers' schedulers are. */
class Sampler {
public:
    virtual ~Sampler();
    virtual SamplerKind kind() const = 0;

    /**
     * Chooses N timesteps (1..T); throws std::invalid_argument when N is outside 1..T or the config's spacing
     * would give timesteps outside 0..T-1 or repeated ones (the message says how many steps are possible).
     * Resets the multistep state: the next step must be step 0.
     */
    virtual void set_timesteps(int64_t numInferenceSteps) = 0;
    /**
     * int64 [N], descending, what diffusers' scheduler.timesteps holds; the UNet's timestep for step i. Empty
     * (undefined) before set_timesteps. Euler's timesteps are floats in diffusers, but integral for the
     * "leading" and "trailing" spacings it accepts here, so these are exact. Karras timesteps are rounded
     * from the sigmas and may repeat for large N (the sigmas do not).
     */
    virtual const torch::Tensor& timesteps() const = 0;
    /** float32 [N+1] noise levels σ (the last 0) for DPM-Solver++ and Euler; undefined for DDIM. */
    virtual torch::Tensor sigmas() const = 0;
    /** N from the last set_timesteps; 0 before it. */
    int64_t num_inference_steps() const;

    /** What the initial N(0,1) latents are multiplied by: 1 for DDIM and DPM-Solver++; for Euler √(σ_max²+1)
     *  with "leading" spacing and σ_max with "trailing" (as diffusers), which needs set_timesteps first
     *  (std::logic_error otherwise). */
    virtual double init_noise_sigma() const = 0;
    /** The UNet input for step i: `sample` itself for DDIM and DPM-Solver++, sample/√(σ_i²+1) for Euler (in
     * the sample's dtype). Throws std::out_of_range for i outside 0..N-1. */
    virtual torch::Tensor scale_model_input(const torch::Tensor& sample, int64_t stepIndex) const = 0;

    struct StepOutput {
        torch::Tensor prevSample;         ///< the sample after step i (input of step i+1)
        torch::Tensor predOriginalSample; ///< x₀ predicted at step i (for cheap previews)
    };
    /**
     * Step i with the model output (of the config's prediction type) at timesteps()[i]. Steps must be called
     * in order 0, 1, 2, ... after set_timesteps (the multistep solver keeps previous model outputs); any
     * other index, or stepping before set_timesteps or past the last step, throws std::logic_error. Computes
     * in float32 whatever the input dtype (diffusers upcasts) and returns float32, on the inputs' device.
     */
    virtual StepOutput step(const torch::Tensor& modelOutput, int64_t stepIndex,
                            const torch::Tensor& sample) = 0;

    /** Fraction of the denoising schedule completed before step i: i / N, for i in 0..N (controls such as
     * "the first τ of the steps" are fractions of the schedule). Throws std::out_of_range otherwise. */
    double progress_before(int64_t stepIndex) const;
};

/**
 * Builds the sampler from the model's (DDIM) scheduler config, as diffusers' Cls.from_config(ddim_config,
 * **kw) does: config fields carry over (beta schedule, timestep_spacing, steps_offset, prediction_type, ...),
 * the solver's own options take diffusers' defaults (DPM-Solver++: solver_order 2, solver_type midpoint,
 * lower_order_final, final sigma 0, no λ clipping; Euler: linear interpolation, discrete timesteps, final
 * sigma 0, no churn). Prediction types: epsilon, v_prediction and sample for all four. Throws
 * std::invalid_argument for anything else, and for Euler with "linspace" spacing (its fractional timesteps
 * cannot be passed to the UNet as int64).
 */
std::unique_ptr<Sampler> make_sampler(SamplerKind kind, const SchedulerConfig& config);

} // namespace mb::ml
