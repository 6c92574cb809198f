// TextToVideoPipeline vs diffusers' TextToVideoSDPipeline on the tiny model
// (tests/data/reference/vectors/pipeline_tiny.safetensors). Tolerances from vectors/README.md:
// latents ≤ 1e-3, video_pt ≤ 1e-4 (text embeddings ≤ 1e-5, as the text encoder's parity).
#include "ml/model_loader.h"
#include "ml/pipeline.h"
#include "ml/safetensors.h"
#include "ml/unet3d.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdio>

using namespace mb::ml;

namespace {

const std::string kTiny = MB_TEST_DATA "/reference/tiny";
const std::string kVectors = MB_TEST_DATA "/reference/vectors/pipeline_tiny.safetensors";
const char* kPrompt = "a photo of an astronaut riding a horse on mars";
constexpr double kEmbedTol = 1e-5;
constexpr double kNoiseTol = 1e-4;
constexpr double kLatentTol = 1e-3;
constexpr double kVideoTol = 1e-4;

const TensorMap& vectors() {
    static const TensorMap v = read_safetensors(kVectors);
    return v;
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
    EXPECT_EQ(a.sizes(), b.sizes());
    if (a.sizes() != b.sizes())
        return 1e30;
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

std::vector<int64_t> row(const torch::Tensor& t) {
    const torch::Tensor c = t.reshape({-1}).contiguous().to(torch::kLong);
    return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

TextToVideoParams referenceParams() {
    TextToVideoParams p;
    p.prompt = kPrompt;
    p.num_frames = 4;
    p.height = 32;
    p.width = 48;
    p.num_inference_steps = 5;
    p.guidance_scale = 7.5;
    p.latents = vectors().at("init_latents");
    return p;
}

PipelineGeometry tinyGeometry() {
    PipelineGeometry g;
    g.latent_channels = 4;
    g.vae_scale_factor = 4; // tiny VAE: 3 levels
    g.vae_scaling_factor = 0.18215;
    g.default_sample_size = 8;
    return g;
}

/**
 * A pipeline whose UNet replays the reference's recorded noise predictions (recording how far its inputs are
 * from the reference's) and whose VAE returns a constant image: isolates tokenizer + text encoder + CFG +
 * DDIM from the UNet/VAE implementations.
 */
TextToVideoPipeline makeReplayPipeline(int64_t& calls, double& worstInputDiff, double& worstEmbedDiff,
                                       std::vector<int64_t>& seenTimesteps) {
    const auto& v = vectors();
    UnetFn unet = [&, v](const torch::Tensor& sample, int64_t t, const torch::Tensor& text) {
        const int64_t i = calls++;
        seenTimesteps.push_back(t);
        if (i < v.at("unet_inputs").size(0)) {
            worstInputDiff = std::max(worstInputDiff, maxAbsDiff(sample, v.at("unet_inputs")[i]));
            worstEmbedDiff = std::max(worstEmbedDiff, maxAbsDiff(text, v.at("prompt_embeds")));
            return torch::cat({v.at("noise_pred_uncond")[i], v.at("noise_pred_text")[i]});
        }
        return torch::zeros_like(sample);
    };
    VaeDecodeFn vae = [](const torch::Tensor& z) {
        return torch::full({z.size(0), 3, z.size(2) * 4, z.size(3) * 4}, 0.25, z.options());
    };
    return TextToVideoPipeline(
        std::make_shared<ClipTokenizer>(kTiny + "/tokenizer"), load_clip_text_model(kTiny + "/text_encoder"),
        unet, vae, SchedulerConfig::from_file(kTiny + "/scheduler/scheduler_config.json"), tinyGeometry());
}

} // namespace

TEST(PipelineParity, PromptIdsAndEmbeddings) {
    int64_t calls = 0;
    double inDiff = 0, embDiff = 0;
    std::vector<int64_t> ts;
    auto pipe = makeReplayPipeline(calls, inDiff, embDiff, ts);
    std::vector<int64_t> condIds, uncondIds;
    const auto cond = pipe.encode_prompt(kPrompt, &condIds);
    const auto uncond = pipe.encode_prompt("", &uncondIds);
    EXPECT_EQ(condIds, row(vectors().at("cond_input_ids")));
    EXPECT_EQ(uncondIds, row(vectors().at("uncond_input_ids")));
    const double d = maxAbsDiff(torch::cat({uncond, cond}), vectors().at("prompt_embeds"));
    std::printf("prompt_embeds max|diff| = %.3g\n", d);
    EXPECT_LE(d, kEmbedTol);
}

TEST(PipelineParity, CfgAndDdimLoopWithRecordedUnetOutputs) {
    int64_t calls = 0;
    double inDiff = 0, embDiff = 0;
    std::vector<int64_t> ts;
    auto pipe = makeReplayPipeline(calls, inDiff, embDiff, ts);
    PipelineTrace trace;
    int64_t callbacks = 0;
    const auto result = pipe.generate(
        referenceParams(), {},
        [&](int64_t step, int64_t, const torch::Tensor& latents, const torch::Tensor&) {
            EXPECT_EQ(step, callbacks);
            EXPECT_EQ(latents.sizes(), (std::vector<int64_t>{1, 4, 4, 8, 12}));
            ++callbacks;
        },
        &trace);
    EXPECT_EQ(calls, 5);
    EXPECT_EQ(callbacks, 5);
    EXPECT_EQ(ts, row(vectors().at("timesteps")));
    EXPECT_LE(embDiff, kEmbedTol);
    EXPECT_LE(inDiff, kLatentTol);
    ASSERT_EQ(trace.latents_after_step.size(), 5u);
    double worst = 0;
    for (int64_t i = 0; i < 5; ++i)
        worst =
            std::max(worst, maxAbsDiff(trace.latents_after_step[i], vectors().at("latents_after_step")[i]));
    std::printf("latents after step (recorded UNet outputs) max|diff| = %.3g\n", worst);
    EXPECT_LE(worst, kLatentTol);
    // Frames: [F, H, W, 3] of the constant stub image 0.25 → 0.25/2 + 0.5.
    EXPECT_EQ(result.frames.sizes(), (std::vector<int64_t>{4, 32, 48, 3}));
    EXPECT_NEAR(result.frames.min().item<double>(), 0.625, 1e-7);
    EXPECT_NEAR(result.frames.max().item<double>(), 0.625, 1e-7);
}

TEST(PipelineParity, SplitCfgBatchEqualsBatchedCall) {
    // Ruling 18: without edits two batch-1 calls are the same computation as one batch-2 call.
    int64_t calls = 0;
    const auto& v = vectors();
    // A deterministic stand-in whose output depends on each batch row's own text embedding.
    UnetFn unet = [&](const torch::Tensor& sample, int64_t, const torch::Tensor& text) {
        ++calls;
        return sample * 0.5 + text.mean({1, 2}).view({-1, 1, 1, 1, 1});
    };
    VaeDecodeFn vae = [](const torch::Tensor& z) {
        return torch::zeros({z.size(0), 3, z.size(2) * 4, z.size(3) * 4});
    };
    TextToVideoPipeline pipe(
        std::make_shared<ClipTokenizer>(kTiny + "/tokenizer"), load_clip_text_model(kTiny + "/text_encoder"),
        unet, vae, SchedulerConfig::from_file(kTiny + "/scheduler/scheduler_config.json"), tinyGeometry());
    auto params = referenceParams();
    params.latents = v.at("init_latents");
    const auto batched = pipe.generate(params);
    EXPECT_EQ(calls, 5);
    params.split_cfg_batch = true;
    const auto split = pipe.generate(params);
    EXPECT_EQ(calls, 15);
    // The stand-in depends on each row's own text, so the two paths only agree if the split is right.
    EXPECT_LE(maxAbsDiff(batched.latents, split.latents), 1e-6);
}

TEST(PipelineParity, SeededLatentsAreDeterministic) {
    int64_t calls = 0;
    double inDiff = 0, embDiff = 0;
    std::vector<int64_t> ts;
    auto pipe = makeReplayPipeline(calls, inDiff, embDiff, ts);
    const auto a = pipe.initial_latents(50, 4, 32, 48);
    const auto b = pipe.initial_latents(50, 4, 32, 48);
    const auto c = pipe.initial_latents(51, 4, 32, 48);
    EXPECT_EQ(a.sizes(), (std::vector<int64_t>{1, 4, 4, 8, 12}));
    EXPECT_TRUE(torch::equal(a, b));
    EXPECT_FALSE(torch::equal(a, c));
    // Same generator as Python's torch.randn(shape, generator=torch.Generator().manual_seed(50)), which is
    // how the reference drew init_latents ("N(0,1) seed 50").
    EXPECT_LE(maxAbsDiff(a, vectors().at("init_latents")), 0.0);
}

TEST(PipelineParity, RejectsBadParameters) {
    int64_t calls = 0;
    double inDiff = 0, embDiff = 0;
    std::vector<int64_t> ts;
    auto pipe = makeReplayPipeline(calls, inDiff, embDiff, ts);
    auto p = referenceParams();
    p.width = 50; // not a multiple of the tiny VAE's scale factor 4
    EXPECT_THROW(pipe.generate(p), std::invalid_argument);
    p = referenceParams();
    p.num_frames = 0;
    p.latents = torch::Tensor();
    EXPECT_THROW(pipe.generate(p), std::invalid_argument);
    p = referenceParams();
    p.num_inference_steps = 0;
    EXPECT_THROW(pipe.generate(p), std::invalid_argument);
    p = referenceParams();
    p.num_frames = 5; // latents are for 4 frames
    EXPECT_THROW(pipe.generate(p), std::invalid_argument);
    EXPECT_EQ(calls, 0);
}

TEST(PipelineParity, CancelInProgressCallbackStopsWithinOneStep) {
    int64_t calls = 0;
    double inDiff = 0, embDiff = 0;
    std::vector<int64_t> ts;
    auto pipe = makeReplayPipeline(calls, inDiff, embDiff, ts);
    mb::CancelToken cancel;
    mb::JobControl job;
    job.cancel = &cancel;
    std::vector<long long> denoiseReports;
    job.progress = [&](const mb::JobProgress& p) {
        if (p.stage == "denoise") {
            denoiseReports.push_back(p.done);
            EXPECT_EQ(p.total, 5);
            if (p.done == 2)
                cancel.request();
        }
    };
    EXPECT_THROW(pipe.generate(referenceParams(), job), mb::JobCancelled);
    EXPECT_EQ(calls, 2); // the cancel came after step 2: step 3 never ran
    EXPECT_EQ(denoiseReports, (std::vector<long long>{1, 2}));
    EXPECT_TRUE(cancel.acknowledged());

    // Without a cancel every step reports progress, in order.
    denoiseReports.clear();
    cancel.reset();
    job.progress = [&](const mb::JobProgress& p) {
        if (p.stage == "denoise")
            denoiseReports.push_back(p.done);
    };
    calls = 0;
    pipe.generate(referenceParams(), job);
    EXPECT_EQ(denoiseReports, (std::vector<long long>{1, 2, 3, 4, 5}));
}

TEST(PipelineParity, DenoiseLoopWithTinyUnetMatchesReference) {
    // Real tiny UNet (ML-A's UNet3DConditionModel) + our CFG/DDIM loop; VAE stubbed: every UNet output and
    // the latents after every step against the reference.
    torch::NoGradGuard noGrad;
    const std::string unetDir = kTiny + "/unet";
    UNet3DConditionModel unet(UNet3DConfig::from_file(unetDir + "/config.json"));
    LoadOptions strict;
    strict.requireComplete = true;
    load_component_weights(*unet, unetDir, strict);
    unet->eval();
    UnetFn unetFn = [unet = unet.ptr()](const torch::Tensor& sample, int64_t t, const torch::Tensor& text) {
        return unet->forward(sample, torch::scalar_tensor(t, torch::kLong), text);
    };
    VaeDecodeFn vae = [](const torch::Tensor& z) {
        return torch::zeros({z.size(0), 3, z.size(2) * 4, z.size(3) * 4});
    };
    TextToVideoPipeline pipe(
        std::make_shared<ClipTokenizer>(kTiny + "/tokenizer"), load_clip_text_model(kTiny + "/text_encoder"),
        unetFn, vae, SchedulerConfig::from_file(kTiny + "/scheduler/scheduler_config.json"), tinyGeometry());
    PipelineTrace trace;
    pipe.generate(referenceParams(), {}, {}, &trace);
    ASSERT_EQ(trace.noise_pred_text.size(), 5u);
    double noise = 0, latents = 0;
    for (int64_t i = 0; i < 5; ++i) {
        noise = std::max(noise, maxAbsDiff(trace.noise_pred_uncond[i], vectors().at("noise_pred_uncond")[i]));
        noise = std::max(noise, maxAbsDiff(trace.noise_pred_text[i], vectors().at("noise_pred_text")[i]));
        latents =
            std::max(latents, maxAbsDiff(trace.latents_after_step[i], vectors().at("latents_after_step")[i]));
    }
    std::printf("tiny UNet loop: noise preds max|diff| = %.3g, latents max|diff| = %.3g\n", noise, latents);
    EXPECT_LE(noise, kNoiseTol);
    EXPECT_LE(latents, kLatentTol);
}

TEST(PipelineParity, FullTinyPipelineMatchesEveryIntermediate) {
    // The whole pipeline as the app loads it: diffusers folder → tokenizer, CLIP, UNet3D, VAE, DDIM.
    auto pipe = load_text_to_video_pipeline(kTiny);
    EXPECT_EQ(pipe.geometry().vae_scale_factor, 4);
    EXPECT_EQ(pipe.geometry().latent_channels, 4);
    EXPECT_EQ(pipe.geometry().default_sample_size, 8);
    PipelineTrace trace;
    auto params = referenceParams();
    params.decode_frames_per_batch = 3; // slices of 3 + 1 frames: slicing must not change the result
    const auto result = pipe.generate(params, {}, {}, &trace);
    const auto& v = vectors();
    EXPECT_EQ(trace.cond_input_ids, row(v.at("cond_input_ids")));
    EXPECT_EQ(trace.uncond_input_ids, row(v.at("uncond_input_ids")));
    EXPECT_EQ(row(trace.timesteps), row(v.at("timesteps")));
    const double embeds = maxAbsDiff(trace.prompt_embeds, v.at("prompt_embeds"));
    EXPECT_LE(embeds, kEmbedTol);
    ASSERT_EQ(trace.unet_inputs.size(), 5u);
    double inputs = 0, noise = 0, latents = 0;
    for (int64_t i = 0; i < 5; ++i) {
        inputs = std::max(inputs, maxAbsDiff(trace.unet_inputs[i], v.at("unet_inputs")[i]));
        noise = std::max(noise, maxAbsDiff(trace.noise_pred_uncond[i], v.at("noise_pred_uncond")[i]));
        noise = std::max(noise, maxAbsDiff(trace.noise_pred_text[i], v.at("noise_pred_text")[i]));
        latents = std::max(latents, maxAbsDiff(trace.latents_after_step[i], v.at("latents_after_step")[i]));
    }
    const double raw = maxAbsDiff(trace.video_raw, v.at("video_raw"));
    const double pt = maxAbsDiff(trace.video_pt, v.at("video_pt"));
    std::printf("full tiny pipeline max|diff|: prompt_embeds %.3g, unet_inputs %.3g, noise preds %.3g, "
                "latents %.3g, video_raw %.3g, video_pt %.3g\n",
                embeds, inputs, noise, latents, raw, pt);
    EXPECT_LE(inputs, kLatentTol);
    EXPECT_LE(noise, kNoiseTol);
    EXPECT_LE(latents, kLatentTol);
    EXPECT_LE(raw, 2 * kVideoTol); // video_raw ∈ [-2, 2]: same relative tolerance as video_pt ∈ [0, 1]
    EXPECT_LE(pt, kVideoTol);
    // Output frames = video_pt as [F, H, W, 3].
    EXPECT_EQ(result.frames.sizes(), (std::vector<int64_t>{4, 32, 48, 3}));
    EXPECT_LE(maxAbsDiff(result.frames, v.at("video_pt")[0].permute({0, 2, 3, 1})), kVideoTol);
    // uint8 frames are round(x · 255) of the float frames.
    params.format = FrameFormat::Uint8;
    const auto bytes = pipe.generate(params);
    EXPECT_EQ(bytes.frames.scalar_type(), torch::kUInt8);
    EXPECT_TRUE(torch::equal(bytes.frames, (result.frames * 255).round().to(torch::kUInt8)));
}

TEST(PipelineParity, FullTinyPipelineCancelsWithinOneStep) {
    auto pipe = load_text_to_video_pipeline(kTiny);
    mb::CancelToken cancel;
    mb::JobControl job;
    job.cancel = &cancel;
    int64_t steps = 0;
    job.progress = [&](const mb::JobProgress& p) {
        if (p.stage == "denoise" && p.done == 1)
            cancel.request();
    };
    EXPECT_THROW(
        pipe.generate(referenceParams(), job,
                      [&](int64_t, int64_t, const torch::Tensor&, const torch::Tensor&) { ++steps; }),
        mb::JobCancelled);
    EXPECT_EQ(steps, 1);
}

TEST(PipelineParity, SeededGenerationIsReproducible) {
    auto pipe = load_text_to_video_pipeline(kTiny);
    TextToVideoParams p;
    p.prompt = "a sks dog running";
    p.num_frames = 2;
    p.num_inference_steps = 2;
    p.seed = 7;
    const auto a = pipe.generate(p);
    const auto b = pipe.generate(p);
    EXPECT_EQ(a.frames.sizes(), (std::vector<int64_t>{2, 32, 32, 3})); // default size: sample_size 8 × 4
    EXPECT_TRUE(torch::equal(a.frames, b.frames));
    p.seed = 8;
    EXPECT_FALSE(torch::equal(a.frames, pipe.generate(p).frames));
}

TEST(PipelineParity, InspectTinyFolder) {
    const auto reports = inspect_model_folder(kTiny);
    ASSERT_EQ(reports.size(), 5u);
    for (const auto& r : reports) {
        SCOPED_TRACE(r.name);
        EXPECT_TRUE(r.error.empty()) << r.error;
        EXPECT_TRUE(r.keys_complete) << r.key_report;
        const int64_t expected = r.name == "unet"           ? 1615588 // tiny/README.md
                                 : r.name == "text_encoder" ? 51616
                                 : r.name == "vae"          ? 242327
                                                            : 0;
        EXPECT_EQ(r.parameters, expected);
    }
}

TEST(PipelineParity, LoadErrorsNameTheFolder) {
    try {
        load_text_to_video_pipeline("/nonexistent/mb-model");
        FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/mb-model"), std::string::npos) << e.what();
    }
}
