#include "ml/scheduler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <torch/torch.h>

#include "ml/config_fields.h"
#include "ml/model_loader.h"

namespace mb::ml {

namespace {

// a·b rounded once to float. The double product is exact; the conversion also keeps the compiler from fusing
// the multiplication into a following addition (a fused multiply-add rounds only once).
float mul_rounded(float a, float b) {
    return static_cast<float>(static_cast<double>(a) * static_cast<double>(b));
}

/**
 * torch.linspace(start, end, steps, dtype=float32) value for value as torch 1.13's CPU kernel (AVX2) computes
 * it, the kernel the reference tables were made with. It steps in float from the nearer end: element i is
 * fma(step, i, start) in the first half and fma(−step, steps−1−i, end) in the second. It writes 16 elements
 * per iteration as two vectors of 8 where only each vector's first element uses that formula and lane k adds
 * k·step (rounded) to it; the tail left after the last full 16 is element by element. (Larger tables than one
 * parallel chunk, 32768 elements, were split by thread there; the same formula is used for them here.)
 */
std::vector<float> torch113_linspace_f32(double startD, double endD, int64_t steps) {
    const float start = static_cast<float>(startD), end = static_cast<float>(endD);
    std::vector<float> out(static_cast<size_t>(steps));
    if (steps == 1) {
        out[0] = start;
        return out;
    }
    const float step = (end - start) / static_cast<float>(steps - 1);
    const int64_t halfway = steps / 2;
    auto element = [&](int64_t i) {
        return i < halfway ? std::fma(step, static_cast<float>(i), start)
                           : std::fma(-step, static_cast<float>(steps - 1 - i), end);
    };
    constexpr int64_t kLanes = 8;
    int64_t i = 0;
    for (; i + 2 * kLanes <= steps; i += 2 * kLanes) {
        for (int64_t v = i; v < i + 2 * kLanes; v += kLanes) {
            const float base = element(v);
            out[static_cast<size_t>(v)] = base;
            for (int64_t k = 1; k < kLanes; ++k) {
                out[static_cast<size_t>(v + k)] = base + mul_rounded(static_cast<float>(k), step);
            }
        }
    }
    for (; i < steps; ++i) {
        out[static_cast<size_t>(i)] = element(i);
    }
    return out;
}

} // namespace

namespace detail {

std::vector<double> np_linspace(double start, double stop, int64_t num) {
    // numpy: y = arange(num) · ((stop − start)/(num − 1)) + start, then y[-1] = stop exactly.
    std::vector<double> y(static_cast<size_t>(std::max<int64_t>(num, 0)));
    const double delta = stop - start;
    const double step = num > 1 ? delta / static_cast<double>(num - 1) : 0.0;
    for (int64_t i = 0; i < num; ++i) {
        y[static_cast<size_t>(i)] =
            (num > 1 ? static_cast<double>(i) * step : static_cast<double>(i) * delta) + start;
    }
    if (num > 1) {
        y.back() = stop;
    }
    return y;
}

std::vector<double> np_arange(double start, double stop, double step) {
    // numpy stores start and start + step, then fills a[i] = start + i·(a[1] − a[0]).
    const double len = std::ceil((stop - start) / step);
    const int64_t n = len > 0 ? static_cast<int64_t>(len) : 0;
    std::vector<double> a(static_cast<size_t>(n));
    if (n > 0) {
        a[0] = start;
    }
    if (n > 1) {
        a[1] = start + step;
        const double delta = a[1] - start;
        for (int64_t i = 2; i < n; ++i) {
            a[static_cast<size_t>(i)] = start + static_cast<double>(i) * delta;
        }
    }
    return a;
}

int64_t np_round(double v) {
    return static_cast<int64_t>(std::nearbyint(v));
}

} // namespace detail

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
    // Plain loops rather than torch::linspace/cumprod: those kernels round differently across LibTorch
    // versions, and the tables must equal the reference's (diffusers on torch 1.13) on every version.
    std::vector<float> betas;
    if (m_config.betaSchedule == "linear") {
        betas = torch113_linspace_f32(m_config.betaStart, m_config.betaEnd, T);
    } else if (m_config.betaSchedule == "scaled_linear") {
        // Linear in √β, squared (the latent-diffusion schedule), all in float32 like the reference.
        betas = torch113_linspace_f32(std::sqrt(m_config.betaStart), std::sqrt(m_config.betaEnd), T);
        for (float& b : betas) {
            b = b * b;
        }
    } else { // squaredcos_cap_v2: Nichol & Dhariwal's cosine ᾱ, β capped at 0.999, computed in double
        auto alphaBar = [](double t) {
            const double c = std::cos((t + 0.008) / 1.008 * M_PI / 2);
            return c * c;
        };
        betas.resize(static_cast<size_t>(T));
        for (int64_t i = 0; i < T; ++i) {
            const double t1 = static_cast<double>(i) / T, t2 = static_cast<double>(i + 1) / T;
            betas[static_cast<size_t>(i)] =
                static_cast<float>(std::min(1 - alphaBar(t2) / alphaBar(t1), 0.999));
        }
    }
    // cumprod(1 − β): torch 1.13's CPU cumprod multiplies in double (the accumulate type of float) and stores
    // each partial product rounded to float.
    std::vector<float> alphasCumprod(betas.size());
    double product = 1.0;
    for (size_t i = 0; i < betas.size(); ++i) {
        product *= static_cast<double>(1.0f - betas[i]);
        alphasCumprod[i] = static_cast<float>(product);
    }
    m_betas = torch::tensor(betas, torch::kFloat32);
    m_alphasCumprod = torch::tensor(alphasCumprod, torch::kFloat32);
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
        // round(arange(T, 0, −T/n)) − 1
        const double ratio = static_cast<double>(T) / static_cast<double>(n);
        for (const double v : detail::np_arange(static_cast<double>(T), 0.0, -ratio)) {
            ts.push_back(detail::np_round(v) - 1);
        }
    } else { // round(linspace(0, T−1, n)), reversed
        const std::vector<double> v = detail::np_linspace(0.0, static_cast<double>(T - 1), n);
        for (auto it = v.rbegin(); it != v.rend(); ++it) {
            ts.push_back(detail::np_round(*it));
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
