// Samplers against vectors/samplers.safetensors (diffusers v0.31.0's DPMSolverMultistepScheduler and
// EulerDiscreteScheduler built from the real Zeroscope DDIM config). Acceptance: timesteps exact, sigmas ≤
// 1e-6 relative, each step's sample ≤ 1e-5 of absmax and the free-running loop ≤ 1e-4, fed the stored model
// outputs.
#include "ml/sampler.h"

#include "ml/model_loader.h"
#include "ml/safetensors.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdio>
#include <fstream>
#include <iterator>

using namespace mb::ml;

namespace {

const std::string kConfig = MB_TEST_DATA "/reference/tiny/scheduler/scheduler_config.json";
const std::string kVectors = MB_TEST_DATA "/reference/vectors/samplers.safetensors";
const std::string kResolved = MB_TEST_DATA "/reference/vectors/samplers.config.json";
const std::string kDdimVectors = MB_TEST_DATA "/reference/vectors/ddim_scheduler.safetensors";

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
    EXPECT_EQ(a.sizes(), b.sizes());
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}
double absMax(const torch::Tensor& a) {
    return a.abs().max().item<double>();
}

const TensorMap& vectors() {
    static const TensorMap v = read_safetensors(kVectors);
    return v;
}

struct Case {
    const char* prefix;
    SamplerKind kind;
    int64_t steps;
};
const Case kCases[] = {{"dpmpp2m", SamplerKind::DpmSolverPP2M, 20},
                       {"dpmpp2m", SamplerKind::DpmSolverPP2M, 25},
                       {"dpmpp2m_karras", SamplerKind::DpmSolverPP2MKarras, 20},
                       {"dpmpp2m_karras", SamplerKind::DpmSolverPP2MKarras, 25},
                       {"euler", SamplerKind::Euler, 20},
                       {"euler", SamplerKind::Euler, 25}};

std::string key(const Case& c, const std::string& what) {
    return std::string(c.prefix) + "_" + std::to_string(c.steps) + "_" + what;
}

SchedulerConfig withPrediction(const std::string& predictionType) {
    nlohmann::json j = read_json_file(kConfig);
    j["prediction_type"] = predictionType;
    return SchedulerConfig::from_json(j, predictionType);
}

} // namespace

TEST(Samplers, ReferenceWasMadeFromThisConfig) {
    // The generator resolved the same DDIM config into each scheduler: check the fields that carry over.
    // Python's json writes lambda_min_clipped as -Infinity, which is not JSON: drop that token first.
    std::ifstream in(kResolved);
    ASSERT_TRUE(in.good()) << kResolved;
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (size_t at; (at = text.find("-Infinity")) != std::string::npos;) {
        text.replace(at, 9, "null");
    }
    const nlohmann::json resolved = nlohmann::json::parse(text);
    const nlohmann::json ddim = read_json_file(kConfig);
    for (const char* name : {"dpmpp2m", "dpmpp2m_karras", "euler"}) {
        SCOPED_TRACE(name);
        const auto& r = resolved.at(name);
        for (const char* field : {"num_train_timesteps", "beta_start", "beta_end", "beta_schedule",
                                  "steps_offset", "prediction_type", "timestep_spacing"}) {
            EXPECT_EQ(r.at(field), ddim.at(field)) << field;
        }
        EXPECT_EQ(r.at("final_sigmas_type"), "zero");
        EXPECT_EQ(r.at("_diffusers_version"), "0.31.0");
    }
    EXPECT_EQ(resolved.at("dpmpp2m").at("algorithm_type"), "dpmsolver++");
    EXPECT_EQ(resolved.at("dpmpp2m").at("solver_order"), 2);
    EXPECT_EQ(resolved.at("dpmpp2m").at("solver_type"), "midpoint");
    EXPECT_EQ(resolved.at("dpmpp2m").at("lower_order_final"), true);
    EXPECT_EQ(resolved.at("dpmpp2m").at("euler_at_final"), false);
    EXPECT_EQ(resolved.at("dpmpp2m_karras").at("use_karras_sigmas"), true);
    EXPECT_EQ(resolved.at("euler").at("interpolation_type"), "linear");
    EXPECT_EQ(resolved.at("euler").at("timestep_type"), "discrete");
}

TEST(Samplers, EveryReferenceCase) {
    const TensorMap& ref = vectors();
    const SchedulerConfig config = SchedulerConfig::from_file(kConfig);
    for (const Case& c : kCases) {
        const std::string name = std::string(c.prefix) + "_" + std::to_string(c.steps);
        SCOPED_TRACE(name);
        auto s = make_sampler(c.kind, config);
        EXPECT_EQ(s->kind(), c.kind);
        s->set_timesteps(c.steps);
        EXPECT_EQ(s->num_inference_steps(), c.steps);

        EXPECT_EQ(s->timesteps().scalar_type(), torch::kInt64);
        EXPECT_TRUE(torch::equal(s->timesteps(), ref.at(key(c, "timesteps"))))
            << s->timesteps() << ref.at(key(c, "timesteps"));
        const torch::Tensor& wantSigmas = ref.at(key(c, "sigmas"));
        ASSERT_EQ(s->sigmas().sizes(), wantSigmas.sizes());
        const double sigmaRel = ((s->sigmas().to(torch::kFloat64) - wantSigmas.to(torch::kFloat64)).abs() /
                                 wantSigmas.to(torch::kFloat64).abs().clamp_min(1e-30))
                                    .max()
                                    .item<double>();
        EXPECT_LE(sigmaRel, 1e-6);
        EXPECT_FLOAT_EQ(static_cast<float>(s->init_noise_sigma()),
                        ref.at(key(c, "init_noise_sigma"))[0].item<float>());

        const torch::Tensor& inputs = ref.at(key(c, "model_inputs"));
        const torch::Tensor& outputs = ref.at(key(c, "model_outputs"));
        const torch::Tensor& samples = ref.at(key(c, "samples"));
        const torch::Tensor& x0 = ref.at(key(c, "x0"));

        // Free-running loop from the stored starting latents, fed the stored model outputs.
        torch::Tensor x = x0;
        double loopDev = 0, inputDev = 0;
        for (int64_t i = 0; i < c.steps; ++i) {
            inputDev =
                std::max(inputDev, maxAbsDiff(s->scale_model_input(x, i), inputs[i]) / absMax(inputs[i]));
            x = s->step(outputs[i], i, x).prevSample;
            EXPECT_EQ(x.scalar_type(), torch::kFloat32);
            loopDev = std::max(loopDev, maxAbsDiff(x, samples[i]) / absMax(samples[i]));
        }
        EXPECT_LE(loopDev, 1e-4);
        EXPECT_LE(inputDev, 1e-5);

        // Step by step: each step starts from the reference's previous sample (the multistep history is the
        // sampler's own, built from those samples).
        s->set_timesteps(c.steps);
        double stepDev = 0;
        for (int64_t i = 0; i < c.steps; ++i) {
            const torch::Tensor in = i == 0 ? x0 : samples[i - 1];
            const torch::Tensor out = s->step(outputs[i], i, in).prevSample;
            stepDev = std::max(stepDev, maxAbsDiff(out, samples[i]) / absMax(samples[i]));
        }
        EXPECT_LE(stepDev, 1e-5);
        std::printf("[ %-18s ] sigmas rel %.2e | model inputs %.2e | per step %.2e | loop %.2e (of absmax)\n",
                    name.c_str(), sigmaRel, inputDev, stepDev, loopDev);
    }
}

TEST(Samplers, NamesRoundTrip) {
    const std::vector<std::string> names = sampler_names();
    ASSERT_EQ(names, (std::vector<std::string>{"ddim", "dpmpp-2m", "dpmpp-2m-karras", "euler"}));
    const SamplerKind kinds[] = {SamplerKind::Ddim, SamplerKind::DpmSolverPP2M,
                                 SamplerKind::DpmSolverPP2MKarras, SamplerKind::Euler};
    for (size_t i = 0; i < names.size(); ++i) {
        EXPECT_EQ(sampler_name(kinds[i]), names[i]);
        EXPECT_EQ(parse_sampler(names[i]), kinds[i]);
        EXPECT_EQ(make_sampler(kinds[i], SchedulerConfig::from_file(kConfig))->kind(), kinds[i]);
    }
    try {
        parse_sampler("DPM++");
        FAIL() << "DPM++ is not a sampler name";
    } catch (const std::invalid_argument& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("\"DPM++\""), std::string::npos) << m;
        for (const std::string& n : names) {
            EXPECT_NE(m.find(n), std::string::npos) << m;
        }
    }
    EXPECT_THROW(parse_sampler(""), std::invalid_argument);
    EXPECT_THROW(parse_sampler("Euler"), std::invalid_argument);
}

TEST(Samplers, StepsMustComeInOrder) {
    const SchedulerConfig config = SchedulerConfig::from_file(kConfig);
    const torch::Tensor x = torch::randn({1, 4, 2, 3, 3});
    for (const std::string& name : sampler_names()) {
        SCOPED_TRACE(name);
        auto s = make_sampler(parse_sampler(name), config);
        EXPECT_EQ(s->num_inference_steps(), 0);
        EXPECT_THROW(s->step(x, 0, x), std::logic_error);           // before set_timesteps
        EXPECT_THROW(s->scale_model_input(x, 0), std::logic_error); // likewise
        EXPECT_THROW(s->progress_before(0), std::logic_error);      // likewise
        s->set_timesteps(4);
        EXPECT_THROW(s->step(x, 1, x), std::logic_error); // skipping step 0
        torch::Tensor y = s->step(x, 0, x).prevSample;
        EXPECT_THROW(s->step(x, 0, y), std::logic_error); // repeating step 0
        EXPECT_THROW(s->step(x, 2, y), std::logic_error); // skipping step 1
        for (int64_t i = 1; i < 4; ++i) {
            y = s->step(x, i, y).prevSample;
        }
        EXPECT_THROW(s->step(x, 4, y), std::logic_error); // past the last step
        EXPECT_THROW(s->scale_model_input(x, 4), std::out_of_range);
        EXPECT_THROW(s->scale_model_input(x, -1), std::out_of_range);
        s->set_timesteps(4); // resets: step 0 is due again
        EXPECT_NO_THROW(s->step(x, 0, x));
        EXPECT_DOUBLE_EQ(s->progress_before(0), 0.0);
        EXPECT_DOUBLE_EQ(s->progress_before(1), 0.25);
        EXPECT_DOUBLE_EQ(s->progress_before(4), 1.0);
        EXPECT_THROW(s->progress_before(5), std::out_of_range);
    }
}

TEST(Samplers, RestartingGivesTheSameTrajectory) {
    // set_timesteps clears the multistep history: a second run reproduces the first bit for bit.
    const TensorMap& ref = vectors();
    auto s = make_sampler(SamplerKind::DpmSolverPP2M, SchedulerConfig::from_file(kConfig));
    const torch::Tensor& eps = ref.at("dpmpp2m_20_model_outputs");
    torch::Tensor first, second;
    for (torch::Tensor* out : {&first, &second}) {
        s->set_timesteps(20);
        torch::Tensor x = ref.at("dpmpp2m_20_x0");
        for (int64_t i = 0; i < 20; ++i) {
            x = s->step(eps[i], i, x).prevSample;
        }
        *out = x;
    }
    EXPECT_TRUE(torch::equal(first, second));
}

TEST(Samplers, StepCountsOutOfRange) {
    const SchedulerConfig config = SchedulerConfig::from_file(kConfig); // T = 1000, leading, steps_offset 1
    for (const std::string& name : sampler_names()) {
        SCOPED_TRACE(name);
        auto s = make_sampler(parse_sampler(name), config);
        for (int64_t n : {int64_t{0}, int64_t{-3}, int64_t{1001}}) {
            try {
                s->set_timesteps(n);
                FAIL() << n << " steps accepted";
            } catch (const std::invalid_argument& e) {
                EXPECT_NE(std::string(e.what()).find("must be in 1..1000"), std::string::npos) << e.what();
            }
        }
        s->set_timesteps(1);
        EXPECT_EQ(s->num_inference_steps(), 1);
    }
    // "leading" DPM spacing is (N+1)-based: 999 steps reach timestep 1000, 1000 repeat timesteps.
    auto dpm = make_sampler(SamplerKind::DpmSolverPP2M, config);
    dpm->set_timesteps(998);
    EXPECT_EQ(dpm->timesteps()[0].item<int64_t>(), 999);
    for (int64_t n : {999, 1000}) {
        try {
            dpm->set_timesteps(n);
            FAIL() << n << " steps accepted";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("use at most 998 steps"), std::string::npos) << e.what();
        }
    }
    auto euler = make_sampler(SamplerKind::Euler, config);
    euler->set_timesteps(999);
    EXPECT_THROW(euler->set_timesteps(1000), std::invalid_argument); // timestep 1000
    // Karras timesteps come from the σ range, not the spacing: any 1..T works.
    auto karras = make_sampler(SamplerKind::DpmSolverPP2MKarras, config);
    karras->set_timesteps(1000);
    EXPECT_EQ(karras->timesteps()[0].item<int64_t>(), 999);
    EXPECT_EQ(karras->timesteps()[999].item<int64_t>(), 0);
    karras->set_timesteps(1);
    EXPECT_EQ(karras->timesteps()[0].item<int64_t>(), 999);
    EXPECT_EQ(karras->sigmas().size(0), 2);
}

TEST(Samplers, FirstAndLastStepsAreFirstOrder) {
    // One DPM-Solver++ step from σ to 0 lands exactly on its x₀ prediction (the final σ is 0).
    auto s = make_sampler(SamplerKind::DpmSolverPP2M, SchedulerConfig::from_file(kConfig));
    s->set_timesteps(1);
    torch::manual_seed(3);
    const torch::Tensor x = torch::randn({1, 4, 2, 3, 3}), eps = torch::randn({1, 4, 2, 3, 3});
    const auto out = s->step(eps, 0, x);
    EXPECT_LE(maxAbsDiff(out.prevSample, out.predOriginalSample), 1e-6);
    auto e = make_sampler(SamplerKind::Euler, SchedulerConfig::from_file(kConfig));
    e->set_timesteps(1);
    const auto eo = e->step(eps, 0, x);
    EXPECT_LE(maxAbsDiff(eo.prevSample, eo.predOriginalSample), 1e-5);
}

TEST(Samplers, PredictionTypesAgreeWithEpsilon) {
    // Feeding the v or x₀ equivalent of the stored ε gives the ε trajectory (to float rounding).
    const TensorMap& ref = vectors();
    const SchedulerConfig eps = withPrediction("epsilon");
    for (SamplerKind kind : {SamplerKind::Ddim, SamplerKind::DpmSolverPP2M, SamplerKind::DpmSolverPP2MKarras,
                             SamplerKind::Euler}) {
        const std::string prefix = kind == SamplerKind::Euler                 ? "euler_20_"
                                   : kind == SamplerKind::DpmSolverPP2MKarras ? "dpmpp2m_karras_20_"
                                                                              : "dpmpp2m_20_";
        for (const std::string type : {"v_prediction", "sample"}) {
            SCOPED_TRACE(sampler_name(kind) + " " + type);
            auto a = make_sampler(kind, eps);
            auto b = make_sampler(kind, withPrediction(type));
            a->set_timesteps(20);
            b->set_timesteps(20);
            const DDIMScheduler ddim(eps);
            torch::Tensor xa = ref.at(prefix + "x0"), xb = xa;
            double worst = 0;
            for (int64_t i = 0; i < 20; ++i) {
                const torch::Tensor& e = ref.at(prefix + "model_outputs")[i];
                const auto oa = a->step(e, i, xa);
                // The x₀ this ε implies, and v = α·ε − σ·x₀ in the variance-preserving form of the sample.
                const torch::Tensor x0 = oa.predOriginalSample;
                double alpha, sigma;
                if (kind == SamplerKind::Ddim) {
                    const double ac = ddim.alphas_cumprod()[a->timesteps()[i].item<int64_t>()].item<double>();
                    alpha = std::sqrt(ac);
                    sigma = std::sqrt(1 - ac);
                } else {
                    const double s = a->sigmas()[i].item<double>();
                    alpha = 1 / std::sqrt(s * s + 1);
                    sigma = s * alpha;
                }
                const torch::Tensor model = type == "sample" ? x0 : alpha * e - sigma * x0;
                const auto ob = b->step(model, i, xb);
                xa = oa.prevSample;
                xb = ob.prevSample;
                worst = std::max(worst, maxAbsDiff(xa, xb) / absMax(xa));
            }
            EXPECT_LE(worst, 1e-5);
        }
    }
}

TEST(Samplers, UnsupportedConfigsAreRefused) {
    SchedulerConfig c = SchedulerConfig::from_file(kConfig);
    c.predictionType = "flow";
    for (const std::string& name : sampler_names()) {
        try {
            make_sampler(parse_sampler(name), c);
            FAIL() << name << " accepted prediction_type flow";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("\"flow\""), std::string::npos) << e.what();
        }
    }
    c = SchedulerConfig::from_file(kConfig);
    c.timestepSpacing = "linspace";
    EXPECT_THROW(make_sampler(SamplerKind::Euler, c), std::invalid_argument);
    EXPECT_NO_THROW(make_sampler(SamplerKind::DpmSolverPP2M, c)->set_timesteps(20));
    EXPECT_NO_THROW(make_sampler(SamplerKind::Ddim, c)->set_timesteps(20));
}

TEST(Samplers, OtherSpacings) {
    nlohmann::json j = read_json_file(kConfig);
    j["timestep_spacing"] = "trailing";
    const SchedulerConfig trailing = SchedulerConfig::from_json(j, "trailing");
    auto dpm = make_sampler(SamplerKind::DpmSolverPP2M, trailing);
    dpm->set_timesteps(3); // round(arange(1000, 0, -333.33)) - 1
    EXPECT_TRUE(torch::equal(dpm->timesteps(), torch::tensor({999, 666, 332}, torch::kInt64)));
    auto euler = make_sampler(SamplerKind::Euler, trailing);
    euler->set_timesteps(3);
    EXPECT_TRUE(torch::equal(euler->timesteps(), torch::tensor({999, 666, 332}, torch::kInt64)));
    // Trailing spacing starts at σ_max: Euler's initial noise is σ_max itself, not √(σ_max² + 1).
    EXPECT_FLOAT_EQ(static_cast<float>(euler->init_noise_sigma()), euler->sigmas()[0].item<float>());
    j["timestep_spacing"] = "linspace";
    auto lin = make_sampler(SamplerKind::DpmSolverPP2M, SchedulerConfig::from_json(j, "linspace"));
    lin->set_timesteps(3); // round(linspace(0, 999, 4))[::-1][:-1]
    EXPECT_TRUE(torch::equal(lin->timesteps(), torch::tensor({999, 666, 333}, torch::kInt64)));
}

TEST(Samplers, HalfInputsComputeInFloat) {
    const TensorMap& ref = vectors();
    for (const std::string& name : sampler_names()) {
        SCOPED_TRACE(name);
        const SchedulerConfig config = SchedulerConfig::from_file(kConfig);
        auto a = make_sampler(parse_sampler(name), config), b = make_sampler(parse_sampler(name), config);
        a->set_timesteps(20);
        b->set_timesteps(20);
        const torch::Tensor x = ref.at("dpmpp2m_20_x0").to(torch::kHalf);
        const torch::Tensor e = ref.at("dpmpp2m_20_model_outputs")[0].to(torch::kHalf);
        const auto oh = a->step(e, 0, x);
        const auto of = b->step(e.to(torch::kFloat32), 0, x.to(torch::kFloat32));
        EXPECT_EQ(oh.prevSample.scalar_type(), torch::kFloat32);
        EXPECT_EQ(oh.predOriginalSample.scalar_type(), torch::kFloat32);
        EXPECT_TRUE(torch::equal(oh.prevSample, of.prevSample));
    }
}

TEST(Samplers, DdimSamplerIsDdimSchedulerBitForBit) {
    const TensorMap ref = read_safetensors(kDdimVectors);
    const SchedulerConfig config = SchedulerConfig::from_file(kConfig);
    DDIMScheduler scheduler(config);
    auto sampler = make_sampler(SamplerKind::Ddim, config);
    scheduler.set_timesteps(50);
    sampler->set_timesteps(50);
    EXPECT_TRUE(torch::equal(sampler->timesteps(), scheduler.timesteps()));
    EXPECT_FALSE(sampler->sigmas().defined());
    EXPECT_EQ(sampler->init_noise_sigma(), 1.0);
    const torch::Tensor& eps = ref.at("loop_eps");
    torch::Tensor xs = ref.at("loop_latents")[0], xd = xs;
    for (int64_t i = 0; i < 50; ++i) {
        EXPECT_TRUE(torch::equal(sampler->scale_model_input(xs, i), xs));
        const auto os = sampler->step(eps[i], i, xs);
        const auto od = scheduler.step(eps[i], scheduler.timesteps()[i].item<int64_t>(), xd);
        ASSERT_TRUE(torch::equal(os.prevSample, od.prevSample)) << "step " << i;
        ASSERT_TRUE(torch::equal(os.predOriginalSample, od.predOriginalSample)) << "step " << i;
        xs = os.prevSample;
        xd = od.prevSample;
    }
    EXPECT_LE(maxAbsDiff(xs, ref.at("loop_latents")[50]), 1e-6);
}
