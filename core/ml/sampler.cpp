#include "ml/sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include <torch/torch.h>

namespace mb::ml {

namespace {

struct NamedKind {
    SamplerKind kind;
    const char* name;
};
constexpr NamedKind kSamplers[] = {{SamplerKind::Ddim, "ddim"},
                                   {SamplerKind::DpmSolverPP2M, "dpmpp-2m"},
                                   {SamplerKind::DpmSolverPP2MKarras, "dpmpp-2m-karras"},
                                   {SamplerKind::Euler, "euler"}};

void check_step_count(int64_t n, int64_t T) {
    if (n < 1 || n > T) {
        throw std::invalid_argument("number of inference steps " + std::to_string(n) + " must be in 1.." +
                                    std::to_string(T));
    }
}

/** `what` (a const query taking a step index) needs set_timesteps and i in 0..N-1. */
void check_step_index(const Sampler& s, int64_t i, const char* what) {
    const int64_t n = s.num_inference_steps();
    if (n == 0) {
        throw std::logic_error(std::string(what) + " called before set_timesteps");
    }
    if (i < 0 || i >= n) {
        throw std::out_of_range(std::string(what) + ": step " + std::to_string(i) + " outside 0.." +
                                std::to_string(n - 1));
    }
}

/** Steps run in order 0..N-1 after set_timesteps: multistep solvers build on the previous steps' outputs. */
void check_step_order(const std::string& sampler, int64_t i, int64_t due, int64_t n) {
    if (due >= n) {
        throw std::logic_error(sampler + " step " + std::to_string(i) + " called after the last of " +
                               std::to_string(n) + " steps: call set_timesteps to start again");
    }
    if (i != due) {
        throw std::logic_error(sampler + " step " + std::to_string(i) + " called where step " +
                               std::to_string(due) + " of " + std::to_string(n) +
                               " is due: steps run in order 0..N-1 after set_timesteps");
    }
}

/** Why `ts` cannot be a schedule for T training steps ("" if it can): out of 0..T-1 or repeated. */
std::string schedule_problem(const std::vector<int64_t>& ts, int64_t T) {
    for (size_t i = 0; i < ts.size(); ++i) {
        if (ts[i] < 0 || ts[i] >= T) {
            return "reach timestep " + std::to_string(ts[i]) + ", outside the model's 0.." +
                   std::to_string(T - 1);
        }
        if (i > 0 && ts[i] >= ts[i - 1]) {
            return "repeat timestep " + std::to_string(ts[i]);
        }
    }
    return {};
}

/**
 * Throws std::invalid_argument when `spaced(n)` is not a valid schedule, naming the largest smaller step
 * count that is (spacings with steps_offset or a coarse step ratio run out of distinct timesteps before T).
 */
template <typename Spaced> void check_schedule(const Spaced& spaced, int64_t n, const SchedulerConfig& c) {
    const std::vector<int64_t> ts = spaced(n);
    const std::string problem = schedule_problem(ts, c.numTrainTimesteps);
    if (problem.empty()) {
        return;
    }
    int64_t most = n - 1;
    while (most > 1 && !schedule_problem(spaced(most), c.numTrainTimesteps).empty()) {
        --most;
    }
    throw std::invalid_argument(std::to_string(n) + " inference steps " + problem + " (\"" +
                                c.timestepSpacing + "\" spacing, steps_offset " +
                                std::to_string(c.stepsOffset) + "): use at most " + std::to_string(most) +
                                " steps");
}

/** The training noise levels σ_t = √((1 − ᾱ_t)/ᾱ_t), float32 as diffusers computes them, t = 0..T-1. */
std::vector<float> training_sigmas(const SchedulerConfig& config) {
    const DDIMScheduler tables(config);
    const torch::Tensor ac = tables.alphas_cumprod();
    const torch::Tensor s = ((1 - ac) / ac).pow(0.5).contiguous();
    return std::vector<float>(s.data_ptr<float>(), s.data_ptr<float>() + s.numel());
}

/**
 * diffusers' sigma→timestep map: the fractional index where log σ falls in the ascending float32 table
 * `logSigmas`, interpolated linearly in log σ, in numpy 1.x's mixed float32/float64 arithmetic (a float64
 * scalar meeting a float32 array is computed in float32; the final blend of indices is float64).
 */
double sigma_to_t(double sigma, const std::vector<float>& logSigmas) {
    const float logSigma = static_cast<float>(std::log(std::max(sigma, 1e-10)));
    const auto T = static_cast<int64_t>(logSigmas.size());
    int64_t low = 0; // the last index whose log σ is ≤ logSigma (0 if none)
    for (int64_t i = 0; i < T; ++i) {
        if (logSigma - logSigmas[static_cast<size_t>(i)] >= 0.0f) {
            low = i;
        }
    }
    low = std::min(low, T - 2);
    const int64_t high = low + 1;
    const float lo = logSigmas[static_cast<size_t>(low)], hi = logSigmas[static_cast<size_t>(high)];
    const float w = std::clamp((lo - logSigma) / (lo - hi), 0.0f, 1.0f);
    return static_cast<double>(1.0f - w) * static_cast<double>(low) +
           static_cast<double>(w) * static_cast<double>(high);
}

/** A sampler stepping through an [N+1] σ table (DPM-Solver++ and Euler): schedule and step order. */
class SigmaSampler : public Sampler {
public:
    const torch::Tensor& timesteps() const override { return m_timesteps; }
    torch::Tensor sigmas() const override { return m_sigmas; }

protected:
    explicit SigmaSampler(const SchedulerConfig& config)
        : m_config(config), m_trainingSigmas(training_sigmas(config)) {}

    void install(const std::vector<int64_t>& timesteps, std::vector<float> sigmas) {
        sigmas.push_back(0.0f); // final_sigmas_type "zero": the last step lands on the clean sample
        m_timesteps = torch::tensor(timesteps, torch::kInt64);
        m_sigmas = torch::tensor(sigmas, torch::kFloat32);
        m_nextStep = 0;
    }
    void begin_step(int64_t i) {
        if (num_inference_steps() == 0) {
            throw std::logic_error(sampler_name(kind()) + " step called before set_timesteps");
        }
        check_step_order(sampler_name(kind()), i, m_nextStep, num_inference_steps());
    }
    void end_step() { ++m_nextStep; }
    /** σ_i as a 0-d float32 tensor (the arithmetic below mirrors diffusers' 0-d tensor arithmetic). */
    torch::Tensor sigma(int64_t i) const { return m_sigmas[i]; }

    SchedulerConfig m_config;
    std::vector<float> m_trainingSigmas;
    torch::Tensor m_timesteps, m_sigmas;
    int64_t m_nextStep = 0;
};

/** diffusers' DPMSolverMultistepScheduler with algorithm_type dpmsolver++, solver_order 2, midpoint. */
class DpmSolverPP2M final : public SigmaSampler {
public:
    DpmSolverPP2M(const SchedulerConfig& config, bool karras) : SigmaSampler(config), m_karras(karras) {}

    SamplerKind kind() const override {
        return m_karras ? SamplerKind::DpmSolverPP2MKarras : SamplerKind::DpmSolverPP2M;
    }

    void set_timesteps(int64_t n) override {
        check_step_count(n, m_config.numTrainTimesteps);
        std::vector<int64_t> ts;
        std::vector<float> sig;
        if (m_karras) {
            karras_schedule(n, ts, sig);
        } else {
            const auto spaced = [this](int64_t k) { return spaced_timesteps(k); };
            check_schedule(spaced, n, m_config);
            ts = spaced(n);
            // np.interp at integer timesteps: exactly the training σ there.
            for (const int64_t t : ts) {
                sig.push_back(m_trainingSigmas[static_cast<size_t>(t)]);
            }
        }
        install(ts, std::move(sig));
        m_previousX0 = torch::Tensor();
        m_lowerOrderSteps = 0;
    }

    double init_noise_sigma() const override { return 1.0; }

    torch::Tensor scale_model_input(const torch::Tensor& sample, int64_t i) const override {
        check_step_index(*this, i, "scale_model_input");
        return sample;
    }

    StepOutput step(const torch::Tensor& modelOutput, int64_t i, const torch::Tensor& sample) override {
        begin_step(i);
        const torch::Tensor x = sample.to(torch::kFloat32);
        const torch::Tensor x0 = convert_model_output(modelOutput.to(torch::kFloat32), x, i);
        // The final σ is 0, so the last step is first order (lower_order_final); so is the first, which has
        // no previous model output.
        const bool firstOrder = m_lowerOrderSteps < 1 || i == num_inference_steps() - 1;
        StepOutput out;
        out.prevSample = firstOrder ? first_order_update(x0, i, x) : second_order_update(x0, i, x);
        out.predOriginalSample = x0;
        m_previousX0 = x0;
        m_lowerOrderSteps = std::min<int64_t>(m_lowerOrderSteps + 1, 2);
        end_step();
        return out;
    }

private:
    /** diffusers' "leading" / "linspace" / "trailing" integer timesteps for this solver (descending). */
    std::vector<int64_t> spaced_timesteps(int64_t n) const {
        const int64_t T = m_config.numTrainTimesteps;
        const int64_t last = T; // lambda_min_clipped = −inf clips nothing
        std::vector<int64_t> ts;
        if (m_config.timestepSpacing == "leading") {
            // arange(n + 1) · (last // (n + 1)), reversed, without the final 0, plus steps_offset
            const int64_t ratio = last / (n + 1);
            for (int64_t i = n; i >= 1; --i) {
                ts.push_back(i * ratio + m_config.stepsOffset);
            }
        } else if (m_config.timestepSpacing == "linspace") {
            // round(linspace(0, last − 1, n + 1)), reversed, without the final 0
            const std::vector<double> v = detail::np_linspace(0.0, static_cast<double>(last - 1), n + 1);
            for (int64_t i = n; i >= 1; --i) {
                ts.push_back(detail::np_round(v[static_cast<size_t>(i)]));
            }
        } else { // trailing: round(arange(last, 0, −T/n)) − 1
            const double ratio = static_cast<double>(T) / static_cast<double>(n);
            for (const double v : detail::np_arange(static_cast<double>(last), 0.0, -ratio)) {
                ts.push_back(detail::np_round(v) - 1);
            }
        }
        return ts;
    }

    /** Karras et al.'s σ schedule (ρ = 7) between the training σ range, and the timesteps nearest each σ. */
    void karras_schedule(int64_t n, std::vector<int64_t>& ts, std::vector<float>& sig) const {
        std::vector<float> logSigmas(m_trainingSigmas.size());
        for (size_t i = 0; i < logSigmas.size(); ++i) {
            logSigmas[i] = static_cast<float>(std::log(static_cast<double>(m_trainingSigmas[i])));
        }
        constexpr double rho = 7.0;
        const double sigmaMin = m_trainingSigmas.front(), sigmaMax = m_trainingSigmas.back();
        const double minInvRho = std::pow(sigmaMin, 1 / rho), maxInvRho = std::pow(sigmaMax, 1 / rho);
        for (const double ramp : detail::np_linspace(0.0, 1.0, n)) {
            const double s = std::pow(maxInvRho + ramp * (minInvRho - maxInvRho), rho);
            ts.push_back(detail::np_round(sigma_to_t(s, logSigmas)));
            sig.push_back(static_cast<float>(s));
        }
    }

    /** The VP coefficients of σ: α = 1/√(σ²+1) and σ·α. */
    static std::pair<torch::Tensor, torch::Tensor> alpha_sigma(const torch::Tensor& s) {
        const torch::Tensor alpha = torch::reciprocal((s.pow(2) + 1).pow(0.5));
        return {alpha, s * alpha};
    }
    static torch::Tensor lambda(const std::pair<torch::Tensor, torch::Tensor>& as) {
        return torch::log(as.first) - torch::log(as.second);
    }

    /** The x₀ prediction DPM-Solver++ integrates, from the model output of the configured type. */
    torch::Tensor convert_model_output(const torch::Tensor& m, const torch::Tensor& x, int64_t i) const {
        if (m_config.predictionType == "sample") {
            return m;
        }
        const auto [alphaT, sigmaT] = alpha_sigma(sigma(i));
        if (m_config.predictionType == "epsilon") {
            return (x - sigmaT * m) / alphaT;
        }
        return alphaT * x - sigmaT * m; // v_prediction
    }

    /** DPM-Solver++ first order (DDIM in λ): from σ_i to σ_{i+1}. */
    torch::Tensor first_order_update(const torch::Tensor& x0, int64_t i, const torch::Tensor& x) const {
        const auto t = alpha_sigma(sigma(i + 1)), s = alpha_sigma(sigma(i));
        const torch::Tensor h = lambda(t) - lambda(s);
        return (t.second / s.second) * x - (t.first * (torch::exp(-h) - 1.0)) * x0;
    }

    /** DPM-Solver++(2M) midpoint: the first-order step plus half the λ-difference of the last two x₀. */
    torch::Tensor second_order_update(const torch::Tensor& x0, int64_t i, const torch::Tensor& x) const {
        const auto t = alpha_sigma(sigma(i + 1)), s0 = alpha_sigma(sigma(i)), s1 = alpha_sigma(sigma(i - 1));
        const torch::Tensor lambdaT = lambda(t), lambdaS0 = lambda(s0), lambdaS1 = lambda(s1);
        const torch::Tensor h = lambdaT - lambdaS0, h0 = lambdaS0 - lambdaS1;
        const torch::Tensor r0 = h0 / h;
        const torch::Tensor& d0 = x0;
        const torch::Tensor d1 = (1.0 / r0) * (x0 - m_previousX0);
        return (t.second / s0.second) * x - (t.first * (torch::exp(-h) - 1.0)) * d0 -
               0.5 * (t.first * (torch::exp(-h) - 1.0)) * d1;
    }

    bool m_karras;
    torch::Tensor m_previousX0;
    int64_t m_lowerOrderSteps = 0;
};

/** diffusers' EulerDiscreteScheduler: linear σ interpolation, discrete timesteps, no churn. */
class EulerSampler final : public SigmaSampler {
public:
    explicit EulerSampler(const SchedulerConfig& config) : SigmaSampler(config) {}

    SamplerKind kind() const override { return SamplerKind::Euler; }

    void set_timesteps(int64_t n) override {
        check_step_count(n, m_config.numTrainTimesteps);
        const auto spaced = [this](int64_t k) { return spaced_timesteps(k); };
        check_schedule(spaced, n, m_config);
        const std::vector<int64_t> ts = spaced(n);
        std::vector<float> sig;
        for (const int64_t t : ts) { // np.interp at integral timesteps: exactly the training σ there
            sig.push_back(m_trainingSigmas[static_cast<size_t>(t)]);
        }
        install(ts, std::move(sig));
        const torch::Tensor maxSigma = m_sigmas.max();
        m_initNoiseSigma = m_config.timestepSpacing == "leading"
                               ? (maxSigma.pow(2) + 1).pow(0.5).item<float>()
                               : maxSigma.item<float>();
    }

    double init_noise_sigma() const override {
        if (num_inference_steps() == 0) {
            throw std::logic_error(
                "euler init_noise_sigma depends on the schedule: call set_timesteps first");
        }
        return m_initNoiseSigma;
    }

    torch::Tensor scale_model_input(const torch::Tensor& sample, int64_t i) const override {
        check_step_index(*this, i, "scale_model_input");
        return sample / (sigma(i).pow(2) + 1).pow(0.5);
    }

    StepOutput step(const torch::Tensor& modelOutput, int64_t i, const torch::Tensor& sample) override {
        begin_step(i);
        const torch::Tensor x = sample.to(torch::kFloat32);
        const torch::Tensor m = modelOutput.to(torch::kFloat32);
        // No churn (γ = 0): σ̂ = σ.
        const torch::Tensor s = sigma(i);
        torch::Tensor x0;
        if (m_config.predictionType == "epsilon") {
            x0 = x - s * m;
        } else if (m_config.predictionType == "sample") {
            x0 = m;
        } else { // v_prediction
            x0 = m * (-s / (s.pow(2) + 1).pow(0.5)) + (x / (s.pow(2) + 1));
        }
        const torch::Tensor derivative = (x - x0) / s;
        const torch::Tensor dt = sigma(i + 1) - s;
        StepOutput out;
        out.prevSample = x + derivative * dt;
        out.predOriginalSample = x0;
        end_step();
        return out;
    }

private:
    /** diffusers' "leading" / "trailing" timesteps for Euler (descending; integral). */
    std::vector<int64_t> spaced_timesteps(int64_t n) const {
        const int64_t T = m_config.numTrainTimesteps;
        std::vector<int64_t> ts;
        if (m_config.timestepSpacing == "leading") { // arange(n) · (T // n), reversed, plus steps_offset
            const int64_t ratio = T / n;
            for (int64_t i = n - 1; i >= 0; --i) {
                ts.push_back(i * ratio + m_config.stepsOffset);
            }
        } else { // trailing: round(arange(T, 0, −T/n)) − 1
            const double ratio = static_cast<double>(T) / static_cast<double>(n);
            for (const double v : detail::np_arange(static_cast<double>(T), 0.0, -ratio)) {
                ts.push_back(detail::np_round(v) - 1);
            }
        }
        return ts;
    }

    double m_initNoiseSigma = 0;
};

/** DDIM (η = 0) as a Sampler: DDIMScheduler::step at timesteps()[i], on float32 inputs. */
class DdimSampler final : public Sampler {
public:
    explicit DdimSampler(const SchedulerConfig& config) : m_scheduler(config) {}

    SamplerKind kind() const override { return SamplerKind::Ddim; }
    void set_timesteps(int64_t n) override {
        m_scheduler.set_timesteps(n);
        const torch::Tensor& ts = m_scheduler.timesteps();
        m_timesteps.assign(ts.data_ptr<int64_t>(), ts.data_ptr<int64_t>() + ts.numel());
        m_nextStep = 0;
    }
    const torch::Tensor& timesteps() const override { return m_scheduler.timesteps(); }
    torch::Tensor sigmas() const override { return {}; }
    double init_noise_sigma() const override { return m_scheduler.init_noise_sigma(); }
    torch::Tensor scale_model_input(const torch::Tensor& sample, int64_t i) const override {
        check_step_index(*this, i, "scale_model_input");
        return sample;
    }
    StepOutput step(const torch::Tensor& modelOutput, int64_t i, const torch::Tensor& sample) override {
        if (m_timesteps.empty()) {
            throw std::logic_error("ddim step called before set_timesteps");
        }
        check_step_order("ddim", i, m_nextStep, static_cast<int64_t>(m_timesteps.size()));
        const auto o = m_scheduler.step(modelOutput.to(torch::kFloat32), m_timesteps[static_cast<size_t>(i)],
                                        sample.to(torch::kFloat32));
        ++m_nextStep;
        return {o.prevSample, o.predOriginalSample};
    }

private:
    DDIMScheduler m_scheduler;
    std::vector<int64_t> m_timesteps;
    int64_t m_nextStep = 0;
};

} // namespace

std::string sampler_name(SamplerKind kind) {
    for (const NamedKind& s : kSamplers) {
        if (s.kind == kind) {
            return s.name;
        }
    }
    throw std::invalid_argument("unknown SamplerKind " + std::to_string(static_cast<int>(kind)));
}

std::vector<std::string> sampler_names() {
    std::vector<std::string> names;
    for (const NamedKind& s : kSamplers) {
        names.emplace_back(s.name);
    }
    return names;
}

SamplerKind parse_sampler(const std::string& name) {
    std::string choices;
    for (const NamedKind& s : kSamplers) {
        if (name == s.name) {
            return s.kind;
        }
        choices += (choices.empty() ? "" : ", ") + std::string(s.name);
    }
    throw std::invalid_argument("unknown sampler \"" + name + "\": choose one of " + choices);
}

Sampler::~Sampler() = default;

int64_t Sampler::num_inference_steps() const {
    const torch::Tensor& ts = timesteps();
    return ts.defined() ? ts.numel() : 0;
}

double Sampler::progress_before(int64_t stepIndex) const {
    const int64_t n = num_inference_steps();
    if (n == 0) {
        throw std::logic_error("progress_before called before set_timesteps");
    }
    if (stepIndex < 0 || stepIndex > n) {
        throw std::out_of_range("progress_before: step " + std::to_string(stepIndex) + " outside 0.." +
                                std::to_string(n));
    }
    return static_cast<double>(stepIndex) / static_cast<double>(n);
}

std::unique_ptr<Sampler> make_sampler(SamplerKind kind, const SchedulerConfig& config) {
    const std::string name = sampler_name(kind);
    const std::string& p = config.predictionType;
    if (p != "epsilon" && p != "v_prediction" && p != "sample") {
        throw std::invalid_argument(name + ": unsupported prediction_type \"" + p +
                                    "\" (epsilon, v_prediction or sample)");
    }
    const std::string& b = config.betaSchedule;
    if (b != "linear" && b != "scaled_linear" && b != "squaredcos_cap_v2") {
        throw std::invalid_argument(name + ": unsupported beta_schedule \"" + b + "\"");
    }
    const std::string& sp = config.timestepSpacing;
    if (sp != "leading" && sp != "trailing" && sp != "linspace") {
        throw std::invalid_argument(name + ": unsupported timestep_spacing \"" + sp + "\"");
    }
    if (kind != SamplerKind::Ddim && config.numTrainTimesteps < 2) {
        throw std::invalid_argument(name + " needs at least 2 training timesteps");
    }
    switch (kind) {
    case SamplerKind::Ddim:
        return std::make_unique<DdimSampler>(config);
    case SamplerKind::DpmSolverPP2M:
        return std::make_unique<DpmSolverPP2M>(config, false);
    case SamplerKind::DpmSolverPP2MKarras:
        return std::make_unique<DpmSolverPP2M>(config, true);
    case SamplerKind::Euler:
        if (sp == "linspace") {
            // diffusers' Euler uses fractional timesteps there (linspace(0, T−1, N) in float32); the UNet
            // timestep here is int64, and rounding it would silently differ from diffusers.
            throw std::invalid_argument(
                "euler: timestep_spacing \"linspace\" gives fractional timesteps, "
                "which the int64 UNet timestep cannot carry (use leading or trailing)");
        }
        return std::make_unique<EulerSampler>(config);
    }
    throw std::invalid_argument("unknown SamplerKind " + std::to_string(static_cast<int>(kind)));
}

} // namespace mb::ml
