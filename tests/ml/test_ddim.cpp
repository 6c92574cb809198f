// DDIM scheduler against vectors/ddim_scheduler.safetensors (REAL zeroscope config). Tolerance: the
// reference re-implementation is bit-exact, we require max|Δ| ≤ 1e-6 on steps and exact tables/timesteps.
// The tables are computed without LibTorch arithmetic, so they stay bit-exact on every LibTorch version.
#include "ml/scheduler.h"

#include "ml/model_loader.h"
#include "ml/safetensors.h"

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <cmath>
#include <utility>

using namespace mb::ml;

namespace {

const std::string kConfig = MB_TEST_DATA "/reference/tiny/scheduler/scheduler_config.json";
const std::string kZeroscopeConfig = MB_TEST_DATA "/reference/zeroscope-keys/scheduler.scheduler_config.json";
const std::string kVectors = MB_TEST_DATA "/reference/vectors/ddim_scheduler.safetensors";

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
    EXPECT_EQ(a.sizes(), b.sizes());
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

} // namespace

TEST(DDIM, TablesMatchExactly) {
    const TensorMap ref = read_safetensors(kVectors);
    for (const std::string& cfg : {kConfig, kZeroscopeConfig}) {
        SCOPED_TRACE(cfg);
        const DDIMScheduler s(SchedulerConfig::from_file(cfg));
        EXPECT_EQ(s.config().betaSchedule, "scaled_linear");
        EXPECT_EQ(s.config().timestepSpacing, "leading");
        EXPECT_EQ(s.config().stepsOffset, 1);
        EXPECT_TRUE(torch::equal(s.betas(), ref.at("betas")));
        EXPECT_TRUE(torch::equal(s.alphas_cumprod(), ref.at("alphas_cumprod")));
        EXPECT_EQ(s.final_alpha_cumprod().item<float>(), ref.at("final_alpha_cumprod")[0].item<float>());
        EXPECT_EQ(s.init_noise_sigma(), ref.at("init_noise_sigma")[0].item<float>());
    }
}

TEST(DDIM, TablesFollowTorch113Linspace) {
    // The β tables reproduce torch 1.13's float32 linspace kernel element for element (that is what the
    // reference was made with); on that version, check it against the kernel itself for assorted ranges and
    // lengths (vector blocks, tails, halves). Other versions round differently, which is why it is not used.
#if TORCH_VERSION_MAJOR == 1 && TORCH_VERSION_MINOR == 13
    nlohmann::json j = read_json_file(kConfig);
    for (const char* schedule : {"linear", "scaled_linear"}) {
        for (const auto& [start, end] :
             {std::pair{0.0001, 0.02}, std::pair{0.00085, 0.012}, std::pair{0.3, 0.7}}) {
            for (int64_t T : {1000, 999, 4000, 37, 31, 17, 16, 2, 1}) {
                SCOPED_TRACE(std::string(schedule) + " " + std::to_string(start) + ".." +
                             std::to_string(end) + " T=" + std::to_string(T));
                j["beta_schedule"] = schedule;
                j["beta_start"] = start;
                j["beta_end"] = end;
                j["num_train_timesteps"] = T;
                const DDIMScheduler s(SchedulerConfig::from_json(j, "linspace check"));
                const torch::Tensor want =
                    std::string(schedule) == "linear"
                        ? torch::linspace(start, end, T, torch::kFloat32)
                        : torch::linspace(std::sqrt(start), std::sqrt(end), T, torch::kFloat32).pow(2);
                EXPECT_TRUE(torch::equal(s.betas(), want));
                EXPECT_TRUE(torch::equal(s.alphas_cumprod(), torch::cumprod(1.0 - want, 0)));
            }
        }
    }
#else
    GTEST_SKIP() << "torch 1.13 only (its kernels are the reference)";
#endif
}

TEST(DDIM, EveryTimestepTable) {
    const TensorMap ref = read_safetensors(kVectors);
    DDIMScheduler s(SchedulerConfig::from_file(kConfig));
    int checked = 0;
    for (int n : {1, 5, 20, 25, 30, 40, 50, 100, 999}) {
        SCOPED_TRACE(n);
        s.set_timesteps(n);
        const torch::Tensor& want = ref.at("timesteps_" + std::to_string(n));
        EXPECT_EQ(s.timesteps().scalar_type(), torch::kInt64);
        EXPECT_TRUE(torch::equal(s.timesteps(), want)) << s.timesteps().slice(0, 0, 8);
        ++checked;
    }
    EXPECT_EQ(checked, 9);
    EXPECT_THROW(s.set_timesteps(0), std::invalid_argument);
    EXPECT_THROW(s.set_timesteps(1001), std::invalid_argument);
}

TEST(DDIM, FourSingleSteps) {
    const TensorMap ref = read_safetensors(kVectors);
    DDIMScheduler s(SchedulerConfig::from_file(kConfig));
    EXPECT_THROW(s.step(ref.at("step_model_output"), 981, ref.at("step_sample")), std::logic_error);
    s.set_timesteps(50);
    for (int t : {981, 501, 21, 1}) {
        SCOPED_TRACE(t);
        const auto out = s.step(ref.at("step_model_output"), t, ref.at("step_sample"));
        const std::string p = "step_t" + std::to_string(t) + "_";
        EXPECT_LE(maxAbsDiff(out.prevSample, ref.at(p + "prev_sample")), 1e-6);
        EXPECT_LE(maxAbsDiff(out.predOriginalSample, ref.at(p + "pred_original_sample")), 1e-6);
    }
}

TEST(DDIM, FiftyStepLoop) {
    const TensorMap ref = read_safetensors(kVectors);
    DDIMScheduler s(SchedulerConfig::from_file(kConfig));
    s.set_timesteps(50);
    const torch::Tensor& eps = ref.at("loop_eps");
    const torch::Tensor& lat = ref.at("loop_latents");
    torch::Tensor x = lat[0];
    double worst = 0;
    for (int64_t i = 0; i < 50; ++i) {
        x = s.step(eps[i], s.timesteps()[i].item<int64_t>(), x).prevSample;
        worst = std::max(worst, maxAbsDiff(x, lat[i + 1]));
    }
    EXPECT_LE(worst, 1e-6);
}

TEST(DDIM, AddNoiseIsTheForwardProcess) {
    const DDIMScheduler s(SchedulerConfig::from_file(kConfig));
    torch::manual_seed(1);
    const torch::Tensor x0 = torch::randn({2, 4, 3, 5, 6});
    const torch::Tensor noise = torch::randn({2, 4, 3, 5, 6});
    const torch::Tensor t = torch::tensor({10, 900}, torch::kInt64);
    const torch::Tensor noisy = s.add_noise(x0, noise, t);
    for (int b = 0; b < 2; ++b) {
        const double a = s.alphas_cumprod()[t[b].item<int64_t>()].item<double>();
        const torch::Tensor want = std::sqrt(a) * x0[b] + std::sqrt(1 - a) * noise[b];
        EXPECT_LE(maxAbsDiff(noisy[b], want), 1e-6);
    }
    // One DDIM step with the true noise at t recovers x0 exactly as the x0 prediction.
    DDIMScheduler d(SchedulerConfig::from_file(kConfig));
    d.set_timesteps(50);
    const auto step = d.step(noise[0], 901,
                             d.add_noise(x0[0].unsqueeze(0), noise[0].unsqueeze(0), torch::tensor({901}))[0]);
    EXPECT_LE(maxAbsDiff(step.predOriginalSample, x0[0]), 1e-4);
    EXPECT_THROW(s.add_noise(x0, noise, torch::tensor({1, 2, 3})), std::invalid_argument);
    EXPECT_THROW(s.add_noise(x0, noise, torch::tensor({1, 1000})), std::invalid_argument);
}

TEST(DDIM, OtherSpacingsAndBadConfigs) {
    nlohmann::json j = read_json_file(kConfig);
    j["timestep_spacing"] = "trailing";
    DDIMScheduler trailing(SchedulerConfig::from_json(j, "trailing"));
    trailing.set_timesteps(3); // numpy: round(arange(1000, 0, -333.33)) - 1 = 999, 666, 332
    EXPECT_TRUE(torch::equal(trailing.timesteps(), torch::tensor({999, 666, 332}, torch::kInt64)));
    j["timestep_spacing"] = "linspace";
    DDIMScheduler lin(SchedulerConfig::from_json(j, "linspace"));
    lin.set_timesteps(4); // round(linspace(0, 999, 4)) reversed = 999, 666, 333, 0
    EXPECT_TRUE(torch::equal(lin.timesteps(), torch::tensor({999, 666, 333, 0}, torch::kInt64)));
    // numpy's own arithmetic decides the near-ties: linspace(0, 999, 27)[13] = 13·(999/26) =
    // 499.49999999999994 rounds to 499 (999·13/26 = 499.5 would give 500), and arange(1000, 0, -1000/48)[3] =
    // 1000 + 3·(a[1] − a[0]) = 937.4999999999999 gives 936 (1000 − 3·ratio = 937.5 would give 937).
    lin.set_timesteps(27);
    EXPECT_EQ(lin.timesteps()[26 - 13].item<int64_t>(), 499);
    trailing.set_timesteps(48);
    EXPECT_EQ(trailing.timesteps()[3].item<int64_t>(), 936);
    j["timestep_spacing"] = "random";
    EXPECT_THROW(SchedulerConfig::from_json(j, "x"), std::runtime_error);
    j["timestep_spacing"] = "leading";
    j["beta_schedule"] = 5;
    try {
        SchedulerConfig::from_json(j, "my.json");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("my.json"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("beta_schedule"), std::string::npos);
    }
}

TEST(DDIM, TooManyLeadingStepsAreRefusedWithTheLimit) {
    DDIMScheduler s(SchedulerConfig::from_file(kConfig)); // 1000 training steps, leading, steps_offset 1
    s.set_timesteps(999);
    EXPECT_EQ(s.timesteps()[0].item<int64_t>(), 999);
    try {
        s.set_timesteps(1000);
        FAIL() << "1000 leading steps with offset 1 reach timestep 1000";
    } catch (const std::invalid_argument& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("timestep 1000"), std::string::npos) << m;
        EXPECT_NE(m.find("at most 999 steps"), std::string::npos) << m;
    }
}
