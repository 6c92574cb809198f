// The controlled generation loop (method §7–§9) on the tiny pipeline: shift applied at the right steps and by
// the right cells, boxes that anticipate the camera, reproducibility, cancel, clear errors.
#include "ml/motion_control.h"
#include "ml/unet3d.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace mb::ml;

namespace {
const std::string kTiny = std::string(MB_TEST_DATA) + "/reference/tiny";

/** The tiny model's UNet as the controlled denoiser (what the render job hands the loop). */
ControlledUnetFn realUnet(const std::shared_ptr<UNet3DConditionModelImpl>& unet) {
    return [unet](const torch::Tensor& x, int64_t t, const torch::Tensor& text, CrossAttentionHook* h) {
        return unet->forward(x, torch::scalar_tensor(t, torch::kLong), text, h);
    };
}

TextToVideoParams smallParams() {
    TextToVideoParams p;
    p.prompt = "a photo of an astronaut riding a horse";
    p.num_frames = 4;
    p.width = 48;
    p.height = 32; // latent 12 × 8 (VAE factor 4)
    p.num_inference_steps = 6;
    p.guidance_scale = 7.5;
    p.seed = 11;
    return p;
}
} // namespace

TEST(MotionControl, ShiftMovesEachFrameByItsCellsDuringTheWindowOnly) {
    std::shared_ptr<UNet3DConditionModelImpl> unet;
    TextToVideoPipeline pipe = load_text_to_video_pipeline(kTiny, {}, &unet);
    // A denoiser that predicts zero noise: each DDIM step only rescales the latent uniformly, so any motion
    // in the result comes from the latent shift.
    std::vector<int64_t> stepsSeen;
    ControlledUnetFn zero = [&](const torch::Tensor& x, int64_t t, const torch::Tensor&,
                                CrossAttentionHook*) {
        stepsSeen.push_back(t);
        return torch::zeros_like(x);
    };
    TextToVideoParams p = smallParams();
    MotionControlParams mc;
    mc.shiftFrom = 2.0 / 6; // steps 2 and 3 of 6
    mc.shiftUntil = 4.0 / 6;
    // Travel 0, 1/4, 1/2, 3/4 of the 12-cell width → 0, 3, 6, 9 cells.
    for (int f = 0; f < 4; ++f)
        mc.cameraTravel.push_back({0.25 * f, 0.0});
    MotionControlReport rep;
    torch::Tensor init = pipe.initial_latents(p.seed, 4, 32, 48);
    TextToVideoResult r = generate_with_motion_control(pipe, zero, p, mc, {}, {}, &rep);
    EXPECT_EQ(stepsSeen.size(), 12u); // conditional + unconditional per step
    ASSERT_EQ(rep.shiftApplied.size(), 4u);
    for (int f = 0; f < 4; ++f) {
        EXPECT_EQ(rep.shiftApplied[size_t(f)][0], 3 * f);
        const int64_t d = 3 * f;
        // Final frame f, columns [0, 12−d) = scale × initial columns [d, 12).
        auto fin = r.latents.select(2, f).narrow(3, 0, 12 - d);
        auto src = init.select(2, f).narrow(3, d, 12 - d);
        const double scale = (fin.abs().sum() / src.abs().sum()).item<double>();
        EXPECT_TRUE(torch::allclose(fin, src * scale, 1e-4, 1e-5)) << "frame " << f;
    }
}

TEST(MotionControl, EditedBoxesAnticipateTheCameraUntilTheShiftIsDone) {
    std::shared_ptr<UNet3DConditionModelImpl> unet;
    TextToVideoPipeline pipe = load_text_to_video_pipeline(kTiny, {}, &unet);
    TextToVideoParams p = smallParams();
    MotionControlParams mc;
    mc.shiftFrom = 2.0 / 6; // steps 2 and 3 of 6
    mc.shiftUntil = 4.0 / 6;
    mc.amplifyUntil = 1.0;
    for (int f = 0; f < 4; ++f)
        mc.cameraTravel.push_back({0.25 * f, 0.0});
    ControlledSubject s;
    s.phrase = "astronaut";
    for (int f = 0; f < 4; ++f)
        s.screenBoxes.push_back({0.0, 0.0, 0.25, 1.0}); // drawn at the left quarter on every frame
    mc.subjects.push_back(s);
    // Probe the bias at the latent's own resolution: which columns get amplified for frame 3?
    std::vector<std::pair<int64_t, int64_t>> amplifiedCols; // per call: (first, last) amplified column
    int call = 0;
    ControlledUnetFn probe = [&](const torch::Tensor& x, int64_t, const torch::Tensor&,
                                 CrossAttentionHook* hook) {
        if (call++ % 2 == 0) {
            EXPECT_NE(hook, nullptr) << "conditional pass must be edited";
            CrossAttentionInfo info;
            info.batch = 1;
            info.frames = 4;
            info.height = 8;
            info.width = 12;
            info.tokens = 77;
            auto bias = hook->logit_bias(info); // [4, 1, 96, 77]
            auto tokens =
                pipe.tokenizer().find_phrase(pipe.tokenizer().encode_padded(p.prompt).ids, "astronaut");
            auto row = bias[3][0].select(1, tokens.front()).view({8, 12})[0]; // frame 3, top row
            int64_t first = -1, last = -1;
            for (int64_t c = 0; c < 12; ++c)
                if (row[c].item<float>() > 0) {
                    if (first < 0)
                        first = c;
                    last = c;
                }
            amplifiedCols.push_back({first, last});
        } else {
            EXPECT_EQ(hook, nullptr) << "unconditional pass must not be edited";
        }
        return torch::zeros_like(x);
    };
    generate_with_motion_control(pipe, probe, p, mc, {}, {}, nullptr);
    ASSERT_EQ(amplifiedCols.size(), 6u);
    // Frame 3 travels 9 cells: before the window its box sits 9 cells right of where it is drawn
    // (cols 9..11), after step 2 (which moves it 4 cells: trunc(4.5)) at 5..7, and from step 4 on where it
    // was drawn (0..2).
    EXPECT_EQ(amplifiedCols[0], (std::pair<int64_t, int64_t>{9, 11}));
    EXPECT_EQ(amplifiedCols[1], (std::pair<int64_t, int64_t>{9, 11}));
    EXPECT_EQ(amplifiedCols[2], (std::pair<int64_t, int64_t>{5, 7}));
    EXPECT_EQ(amplifiedCols[3], (std::pair<int64_t, int64_t>{0, 2}));
    EXPECT_EQ(amplifiedCols[4], (std::pair<int64_t, int64_t>{0, 2}));
    EXPECT_EQ(amplifiedCols[5], (std::pair<int64_t, int64_t>{0, 2}));
}

TEST(MotionControl, SameSeedSameVideoAndPhraseErrors) {
    std::shared_ptr<UNet3DConditionModelImpl> unet;
    TextToVideoPipeline pipe = load_text_to_video_pipeline(kTiny, {}, &unet);
    const ControlledUnetFn real = realUnet(unet);
    TextToVideoParams p = smallParams();
    p.num_inference_steps = 4;
    p.format = FrameFormat::Uint8;
    MotionControlParams mc;
    mc.shiftFrom = 0.25; // steps 1 and 2 of 4
    mc.shiftUntil = 0.75;
    for (int f = 0; f < 4; ++f)
        mc.cameraTravel.push_back({-0.2 * f, 0.1 * f});
    ControlledSubject s;
    s.phrase = "horse";
    for (int f = 0; f < 4; ++f)
        s.screenBoxes.push_back({0.1 + 0.2 * f, 0.2, 0.4 + 0.2 * f, 0.9});
    mc.subjects.push_back(s);
    auto a = generate_with_motion_control(pipe, real, p, mc);
    auto b = generate_with_motion_control(pipe, real, p, mc);
    EXPECT_TRUE(torch::equal(a.frames, b.frames)) << "same seed must give the same video bit for bit";
    p.seed = 12;
    auto c = generate_with_motion_control(pipe, real, p, mc);
    EXPECT_FALSE(torch::equal(a.frames, c.frames));

    mc.subjects[0].phrase = "dragon";
    try {
        generate_with_motion_control(pipe, real, p, mc);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("dragon"), std::string::npos);
    }
}

TEST(MotionControl, CancelStopsWithinOneStep) {
    std::shared_ptr<UNet3DConditionModelImpl> unet;
    TextToVideoPipeline pipe = load_text_to_video_pipeline(kTiny, {}, &unet);
    int calls = 0;
    ControlledUnetFn zero = [&](const torch::Tensor& x, int64_t, const torch::Tensor&, CrossAttentionHook*) {
        ++calls;
        return torch::zeros_like(x);
    };
    mb::CancelToken cancel;
    mb::JobControl jc;
    jc.cancel = &cancel;
    jc.progress = [&](const mb::JobProgress& pr) {
        if (pr.stage == "denoise" && pr.done == 2)
            cancel.request();
    };
    EXPECT_THROW(generate_with_motion_control(pipe, zero, smallParams(), {}, jc), mb::JobCancelled);
    EXPECT_EQ(calls, 4); // two steps × (cond + uncond), nothing after the request
}

TEST(MotionControl, ConcurrentGuidancePassesMatchSequentialAndAreReproducible) {
    std::shared_ptr<UNet3DConditionModelImpl> unet;
    TextToVideoPipeline pipe = load_text_to_video_pipeline(kTiny, {}, &unet);
    const ControlledUnetFn real = realUnet(unet);
    TextToVideoParams p = smallParams();
    p.num_inference_steps = 4;
    MotionControlParams mc;
    ControlledSubject s;
    s.phrase = "horse";
    for (int f = 0; f < 4; ++f)
        s.screenBoxes.push_back({0.1 + 0.2 * f, 0.2, 0.4 + 0.2 * f, 0.9});
    mc.subjects.push_back(s); // the conditional pass carries the attention-editing hook
    const int threadsBefore = at::get_num_threads();
    at::set_num_threads(2);
    mc.concurrentGuidancePasses = false;
    const auto sequential = generate_with_motion_control(pipe, real, p, mc);
    mc.concurrentGuidancePasses = true;
    const auto a = generate_with_motion_control(pipe, real, p, mc);
    const auto b = generate_with_motion_control(pipe, real, p, mc);
    at::set_num_threads(threadsBefore);
    EXPECT_TRUE(torch::equal(a.latents, b.latents)) << "concurrent passes must be reproducible bit for bit";
    const double scale = sequential.latents.abs().max().item<double>();
    EXPECT_LT((a.latents - sequential.latents).abs().max().item<double>(), 1e-4 * scale);
}

TEST(MotionControl, ControlsSitAtTheSameFractionOfTheScheduleForAnyStepCount) {
    EXPECT_EQ(schedule_step(0.1, 50), 5);
    EXPECT_EQ(schedule_step(0.2, 50), 10);
    EXPECT_EQ(schedule_step(0.4, 50), 20);
    EXPECT_EQ(schedule_step(0.1, 20), 2);
    EXPECT_EQ(schedule_step(0.2, 20), 4);
    EXPECT_EQ(schedule_step(0.4, 20), 8);
    EXPECT_EQ(schedule_step(1.0, 7), 7);
    EXPECT_THROW(schedule_step(1.5, 20), std::invalid_argument);
    EXPECT_THROW(schedule_step(std::nan(""), 20), std::invalid_argument);

    // The loop: at 10 steps the default window [0.2, 0.4) shifts during steps 2 and 3 only, and amplification
    // (first 10%) lasts one step; the report says so.
    std::shared_ptr<UNet3DConditionModelImpl> unet;
    TextToVideoPipeline pipe = load_text_to_video_pipeline(kTiny, {}, &unet);
    TextToVideoParams p = smallParams();
    p.num_inference_steps = 10;
    p.sampler = SamplerKind::DpmSolverPP2M;
    MotionControlParams mc;
    for (int f = 0; f < 4; ++f)
        mc.cameraTravel.push_back({0.25 * f, 0.0});
    ControlledSubject s;
    s.phrase = "astronaut";
    s.screenBoxes.assign(4, {0.0, 0.0, 0.25, 1.0});
    mc.subjects.push_back(s);
    int step = 0;
    std::vector<int> amplified;
    ControlledUnetFn probe = [&](const torch::Tensor& x, int64_t, const torch::Tensor&,
                                 CrossAttentionHook* hook) {
        if (hook) {
            CrossAttentionInfo info;
            info.batch = 1;
            info.frames = 4;
            info.height = 8;
            info.width = 12;
            info.tokens = 77;
            if (hook->logit_bias(info).max().item<float>() > 0)
                amplified.push_back(step);
            ++step;
        }
        return torch::zeros_like(x);
    };
    MotionControlReport rep;
    generate_with_motion_control(pipe, probe, p, mc, {}, {}, &rep);
    EXPECT_EQ(rep.amplifySteps, 1);
    EXPECT_EQ(rep.shiftFirstStep, 2);
    EXPECT_EQ(rep.shiftStepCount, 2);
    EXPECT_EQ(amplified, std::vector<int>{0});
    ASSERT_EQ(rep.shiftApplied.size(), 4u);
    EXPECT_EQ(rep.shiftApplied[3][0], 9) << "the whole travel is applied within the window";
}
