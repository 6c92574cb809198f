#include "ml/scheduler.h"

#include <cmath>
#include <stdexcept>

#include <torch/torch.h>

#include "ml/config_fields.h"
#include "ml/model_loader.h"

namespace mb::ml {

SchedulerConfig SchedulerConfig::from_json(const nlohmann::json& j, const std::string& source) {
    const ConfigFields f(j, "scheduler", source);
    SchedulerConfig c;
    c.numTrainTimesteps = f.optional<int64_t>("num_train_timesteps", c.numTrainTimesteps);
    c.betaStart = f.optional<double>("beta_start", c.betaStart);
    c.betaEnd = f.optional<double>("beta_end", c.betaEnd);
    c.betaSchedule = f.optional<std::string>("beta_schedule", c.betaSchedule);
    c.setAlphaToOne = f.optional<bool>("set_alpha_to_one", c.setAlphaToOne);
    c.stepsOffset = f.optional<int64_t>("steps_offset", c.stepsOffset);
    c.predictionType = f.optional<std::string>("prediction_type", c.predictionType);
    c.timestepSpacing = f.optional<std::string>("timestep_spacing", c.timestepSpacing);
    c.clipSample = f.optional<bool>("clip_sample", c.clipSample);
    c.clipSampleRange = f.optional<double>("clip_sample_range", c.clipSampleRange);

    if (c.numTrainTimesteps < 1 || c.numTrainTimesteps > 100000) {
        f.fail("num_train_timesteps must be in 1..100000");
    }
    if (c.betaSchedule != "linear" && c.betaSchedule != "scaled_linear" &&
        c.betaSchedule != "squaredcos_cap_v2") {
        f.fail("unsupported beta_schedule \"" + c.betaSchedule + "\"");
    }
    if (c.predictionType != "epsilon" && c.predictionType != "sample" && c.predictionType != "v_prediction") {
        f.fail("unsupported prediction_type \"" + c.predictionType + "\"");
    }
    if (c.timestepSpacing != "leading" && c.timestepSpacing != "trailing" &&
        c.timestepSpacing != "linspace") {
        f.fail("unsupported timestep_spacing \"" + c.timestepSpacing + "\"");
    }
    if (f.optional<bool>("thresholding", false)) {
        f.fail("thresholding is not supported");
    }
    if (f.optional<bool>("rescale_betas_zero_snr", false)) {
        f.fail("rescale_betas_zero_snr is not supported");
    }
    if (j.contains("trained_betas") && !j["trained_betas"].is_null()) {
        f.fail("trained_betas is not supported");
    }
    return c;
}

SchedulerConfig SchedulerConfig::from_file(const std::string& path) {
    return from_json(read_json_file(path), path);
}

DDIMScheduler::DDIMScheduler(SchedulerConfig config) : m_config(std::move(config)) {
    const int64_t T = m_config.numTrainTimesteps;
    if (m_config.betaSchedule == "linear") {
        m_betas = torch::linspace(m_config.betaStart, m_config.betaEnd, T, torch::kFloat32);
    } else if (m_config.betaSchedule == "scaled_linear") {
        // Linear in √β, squared (the latent-diffusion schedule), all in float32 like the reference.
        m_betas =
            torch::linspace(std::sqrt(m_config.betaStart), std::sqrt(m_config.betaEnd), T, torch::kFloat32)
                .pow(2);
    } else { // squaredcos_cap_v2: Nichol & Dhariwal's cosine ᾱ, β capped at 0.999, computed in double
        auto alphaBar = [](double t) {
            const double c = std::cos((t + 0.008) / 1.008 * M_PI / 2);
            return c * c;
        };
        std::vector<double> b(static_cast<size_t>(T));
        for (int64_t i = 0; i < T; ++i) {
            const double t1 = static_cast<double>(i) / T, t2 = static_cast<double>(i + 1) / T;
            b[static_cast<size_t>(i)] = std::min(1 - alphaBar(t2) / alphaBar(t1), 0.999);
        }
        m_betas = torch::tensor(b, torch::kFloat64).to(torch::kFloat32);
    }
    m_alphasCumprod = torch::cumprod(1.0 - m_betas, 0);
    m_finalAlphaCumprod = m_config.setAlphaToOne ? torch::tensor(1.0f) : m_alphasCumprod[0].clone();
}

void DDIMScheduler::set_timesteps(int64_t n) {
    const int64_t T = m_config.numTrainTimesteps;
    if (n < 1 || n > T) {
        throw std::invalid_argument("number of inference steps " + std::to_string(n) + " must be in 1.." +
                                    std::to_string(T));
    }
    std::vector<int64_t> ts;
    ts.reserve(static_cast<size_t>(n));
    if (m_config.timestepSpacing == "leading") {
        const int64_t ratio = T / n;
        for (int64_t i = n - 1; i >= 0; --i) {
            ts.push_back(i * ratio + m_config.stepsOffset);
        }
    } else if (m_config.timestepSpacing == "trailing") {
        const double ratio = static_cast<double>(T) / static_cast<double>(n);
        // numpy arange(T, 0, -ratio): ceil(T / ratio) values T − k·ratio, rounded half-to-even, minus 1.
        const auto count = static_cast<int64_t>(std::ceil(static_cast<double>(T) / ratio));
        for (int64_t k = 0; k < count; ++k) {
            ts.push_back(static_cast<int64_t>(std::nearbyint(static_cast<double>(T) - k * ratio)) - 1);
        }
    } else { // linspace(0, T−1, n), rounded half-to-even, reversed
        for (int64_t i = n - 1; i >= 0; --i) {
            const double v = n == 1 ? 0.0 : static_cast<double>(T - 1) * static_cast<double>(i) / (n - 1);
            ts.push_back(static_cast<int64_t>(std::nearbyint(v)));
        }
    }
    for (const int64_t t : ts) {
        if (t < 0 || t >= T) {
            // "leading" spacing adds steps_offset: with 1000 training steps and offset 1, 1000 inference
            // steps would start at timestep 1000, which the model never saw (diffusers fails the same way).
            int64_t most = n - 1;
            while (most > 1 && (most - 1) * (T / most) + m_config.stepsOffset > T - 1) {
                --most;
            }
            throw std::invalid_argument(std::to_string(n) + " inference steps reach timestep " +
                                        std::to_string(t) + ", outside the model's 0.." +
                                        std::to_string(T - 1) + " (\"" + m_config.timestepSpacing +
                                        "\" spacing, steps_offset " + std::to_string(m_config.stepsOffset) +
                                        "): use at most " + std::to_string(most) + " steps");
        }
    }
    m_timesteps = torch::tensor(ts, torch::kInt64);
    m_numInferenceSteps = n;
}

DDIMScheduler::StepOutput DDIMScheduler::step(const torch::Tensor& modelOutput, int64_t t,
                                              const torch::Tensor& sample) const {
    if (m_numInferenceSteps == 0) {
        throw std::logic_error("DDIMScheduler::step called before set_timesteps");
    }
    const int64_t T = m_config.numTrainTimesteps;
    if (t < 0 || t >= T) {
        throw std::invalid_argument("timestep " + std::to_string(t) + " outside 0.." + std::to_string(T - 1));
    }
    const int64_t prev = t - T / m_numInferenceSteps;
    // 0-d float32 tensors and the same operation order as the reference, so rounding matches bit for bit.
    const torch::Tensor alphaT = m_alphasCumprod[t];
    const torch::Tensor alphaPrev = prev >= 0 ? m_alphasCumprod[prev] : m_finalAlphaCumprod;
    const torch::Tensor betaT = 1 - alphaT;

    torch::Tensor x0, eps;
    if (m_config.predictionType == "epsilon") {
        x0 = (sample - betaT.pow(0.5) * modelOutput) / alphaT.pow(0.5);
        eps = modelOutput;
    } else if (m_config.predictionType == "sample") {
        x0 = modelOutput;
        eps = (sample - alphaT.pow(0.5) * x0) / betaT.pow(0.5);
    } else {
        x0 = alphaT.pow(0.5) * sample - betaT.pow(0.5) * modelOutput;
        eps = alphaT.pow(0.5) * modelOutput + betaT.pow(0.5) * sample;
    }
    if (m_config.clipSample) {
        x0 = x0.clamp(-m_config.clipSampleRange, m_config.clipSampleRange);
    }
    // η = 0: σ_t = 0, so the direction term is √(1 − ᾱ_prev)·ε.
    const torch::Tensor direction = (1 - alphaPrev).pow(0.5) * eps;
    StepOutput out;
    out.prevSample = alphaPrev.pow(0.5) * x0 + direction;
    out.predOriginalSample = x0;
    return out;
}

torch::Tensor DDIMScheduler::perSampleFactor(const torch::Tensor& table, const torch::Tensor& timesteps,
                                             const torch::Tensor& like) const {
    if (timesteps.scalar_type() != torch::kInt64 && timesteps.scalar_type() != torch::kInt32) {
        throw std::invalid_argument("add_noise: timesteps must be an integer tensor");
    }
    const torch::Tensor idx = timesteps.to(torch::kCPU, torch::kInt64).flatten();
    if (idx.numel() > 0 && (idx.min().item<int64_t>() < 0 || idx.max().item<int64_t>() >= table.size(0))) {
        throw std::invalid_argument("add_noise: timestep outside 0.." + std::to_string(table.size(0) - 1));
    }
    if (idx.numel() != 1 && (like.dim() == 0 || idx.numel() != like.size(0))) {
        throw std::invalid_argument("add_noise: " + std::to_string(idx.numel()) +
                                    " timesteps for a batch of " +
                                    std::to_string(like.dim() ? like.size(0) : 0));
    }
    torch::Tensor f = table.to(like.device(), like.scalar_type()).index_select(0, idx.to(like.device()));
    std::vector<int64_t> shape(static_cast<size_t>(std::max<int64_t>(like.dim(), 1)), 1);
    shape[0] = f.size(0);
    return f.view(shape);
}

torch::Tensor DDIMScheduler::add_noise(const torch::Tensor& original, const torch::Tensor& noise,
                                       const torch::Tensor& timesteps) const {
    const torch::Tensor sqrtAlpha = perSampleFactor(m_alphasCumprod, timesteps, original).pow(0.5);
    const torch::Tensor sqrtOneMinus = (1 - perSampleFactor(m_alphasCumprod, timesteps, original)).pow(0.5);
    return sqrtAlpha * original + sqrtOneMinus * noise;
}

torch::Tensor DDIMScheduler::get_velocity(const torch::Tensor& sample, const torch::Tensor& noise,
                                          const torch::Tensor& timesteps) const {
    const torch::Tensor sqrtAlpha = perSampleFactor(m_alphasCumprod, timesteps, sample).pow(0.5);
    const torch::Tensor sqrtOneMinus = (1 - perSampleFactor(m_alphasCumprod, timesteps, sample)).pow(0.5);
    return sqrtAlpha * noise - sqrtOneMinus * sample;
}

} // namespace mb::ml
