#pragma once
/**
 * \file scheduler.h
 * \brief DDIM sampling (η = 0) and DDPM forward noising, configured from diffusers' scheduler_config.json.
 *
 * Follows diffusers' DDIMScheduler: β table ("linear", "scaled_linear" or "squaredcos_cap_v2") and
 * ᾱ = cumprod(1 − β) in float32, bit-equal to diffusers on torch 1.13 whatever the LibTorch version;
 * set_timesteps with "leading" (default, + steps_offset), "trailing" or "linspace" spacing, with numpy's
 * arithmetic; step() computes x₀ and x_{t−Δ} with the same float32 0-d tensor arithmetic, so results are
 * bit-identical to the reference. add_noise is the DDPM forward process √ᾱ_t·x₀ + √(1−ᾱ_t)·ε used to make
 * training inputs.
 */
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/types.h>

namespace mb::ml {

/** The scheduler_config.json fields the math uses (other fields are ignored). */
struct SchedulerConfig {
    int64_t numTrainTimesteps = 1000;
    double betaStart = 0.0001;
    double betaEnd = 0.02;
    std::string betaSchedule = "linear"; ///< linear | scaled_linear | squaredcos_cap_v2
    bool setAlphaToOne = true;
    int64_t stepsOffset = 0;
    std::string predictionType = "epsilon";  ///< epsilon | sample | v_prediction
    std::string timestepSpacing = "leading"; ///< leading | trailing | linspace
    bool clipSample = false;
    double clipSampleRange = 1.0;

    /** Parses a diffusers scheduler config (defaults as in diffusers for absent fields). `source` names the
     *  file in errors; unsupported options (thresholding, trained_betas, rescale_betas_zero_snr) throw. */
    static SchedulerConfig from_json(const nlohmann::json& j, const std::string& source);
    static SchedulerConfig from_file(const std::string& path);
};

namespace detail {
/** numpy.linspace(start, stop, num) in float64, value for value (endpoint included). */
std::vector<double> np_linspace(double start, double stop, int64_t num);
/** numpy.arange(start, stop, step) in float64, value for value (length ceil((stop − start)/step)). */
std::vector<double> np_arange(double start, double stop, double step);
/** numpy's round(): to the nearest integer, halves to even. */
int64_t np_round(double v);
} // namespace detail

class DDIMScheduler {
public:
    explicit DDIMScheduler(SchedulerConfig config);

    const SchedulerConfig& config() const { return m_config; }
    /** β table, float32 [T]. */
    const torch::Tensor& betas() const { return m_betas; }
    /** ᾱ table, float32 [T]. */
    const torch::Tensor& alphas_cumprod() const { return m_alphasCumprod; }
    /** ᾱ used for the step after the last timestep: 1 (set_alpha_to_one) or ᾱ[0]. 0-d float32. */
    const torch::Tensor& final_alpha_cumprod() const { return m_finalAlphaCumprod; }
    double init_noise_sigma() const { return 1.0; }

    /** Chooses `numInferenceSteps` (1..T) timesteps; throws std::invalid_argument outside that range. */
    void set_timesteps(int64_t numInferenceSteps);
    /** Timesteps from set_timesteps, int64 [N], descending. Empty before set_timesteps. */
    const torch::Tensor& timesteps() const { return m_timesteps; }
    int64_t num_inference_steps() const { return m_numInferenceSteps; }

    struct StepOutput {
        torch::Tensor prevSample;         ///< x_{t−Δ}
        torch::Tensor predOriginalSample; ///< x₀ prediction
    };
    /**
     * One deterministic DDIM step (η = 0) from timestep `t` (normally an element of timesteps()) with the
     * model output of the configured prediction type. Any tensor shape; computes in the sample's dtype.
     * Requires set_timesteps first.
     */
    StepOutput step(const torch::Tensor& modelOutput, int64_t t, const torch::Tensor& sample) const;

    /**
     * DDPM forward noising: √ᾱ_t·x₀ + √(1−ᾱ_t)·noise, with `timesteps` int64 of shape [B] (or [1]/0-d,
     * broadcast) indexing the first dimension of `original`.
     */
    torch::Tensor add_noise(const torch::Tensor& original, const torch::Tensor& noise,
                            const torch::Tensor& timesteps) const;

    /** v-prediction target √ᾱ_t·ε − √(1−ᾱ_t)·x₀ (for training with prediction_type v_prediction). */
    torch::Tensor get_velocity(const torch::Tensor& sample, const torch::Tensor& noise,
                               const torch::Tensor& timesteps) const;

private:
    torch::Tensor perSampleFactor(const torch::Tensor& table, const torch::Tensor& timesteps,
                                  const torch::Tensor& like) const;
    SchedulerConfig m_config;
    torch::Tensor m_betas, m_alphasCumprod, m_finalAlphaCumprod, m_timesteps;
    int64_t m_numInferenceSteps = 0;
};

} // namespace mb::ml
