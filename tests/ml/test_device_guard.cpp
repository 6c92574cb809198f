// Device correctness without a GPU: the tiny model's pipeline, every sampler, the motion-controlled loop (box
// edit, latent shift, attention probe), the hooks, subject learning (full, LoRA, checkpointed) and both
// pretrainers run on a stand-in accelerator (fake_device.h) that
// refuses, as CUDA does, a CPU tensor beside device tensors, a CPU generator filling a device tensor and host
// reads of device memory. A tensor made on the wrong device fails these tests; the first test shows that
// the stand-in catches each of those mistakes. Results must match the CPU run (different kernels: the
// CPU-only fast paths are not taken on a device).
#include "fake_device.h"

#include "ml/attention_edit.h"
#include "ml/attention_probe.h"
#include "ml/latent_shift.h"
#include "ml/lora.h"
#include "ml/motion_control.h"
#include "ml/pretrainer.h"
#include "ml/subject_trainer.h"
#include "ml/unet3d.h"
#include "ml/vae.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace mb::ml;
using fakedev::kFake;

namespace {

const std::string kTiny = std::string(MB_TEST_DATA) + "/reference/tiny";

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.cpu().to(torch::kFloat64) - b.cpu().to(torch::kFloat64)).abs().max().item<double>();
}

/** The tiny pipeline, on the CPU or moved to the fake device, with the UNet module. */
struct Tiny {
    std::shared_ptr<UNet3DConditionModelImpl> unet;
    std::shared_ptr<AutoencoderKLImpl> vae;
    TextToVideoPipeline pipe;
    int64_t unetCalls = 0;

    explicit Tiny(bool onFake, torch::ScalarType dtype = torch::kFloat32)
        : pipe(load_text_to_video_pipeline(kTiny, options(dtype), &unet, &vae)) {
        if (!onFake)
            return;
        fakedev::to_fake(*unet);
        fakedev::to_fake(*vae);
        fakedev::to_fake(*pipe.text_encoder().ptr());
        // The denoiser may only ever see the device's tensors in the compute dtype.
        pipe.set_unet([this, inner = pipe.unet(), dtype](const torch::Tensor& sample, int64_t t,
                                                         const torch::Tensor& text) {
            ++unetCalls;
            EXPECT_TRUE(fakedev::isFake(sample)) << "UNet sample on " << sample.device();
            EXPECT_TRUE(fakedev::isFake(text)) << "UNet text on " << text.device();
            EXPECT_EQ(sample.scalar_type(), dtype);
            EXPECT_EQ(text.scalar_type(), dtype);
            return inner(sample, t, text);
        });
    }
    static PipelineLoadOptions options(torch::ScalarType dtype) {
        PipelineLoadOptions o;
        o.unet_dtype = dtype;
        return o;
    }
    /** The denoiser with a hook, as the render job hands it to the motion-controlled loop. */
    ControlledUnetFn controlled(bool onFake) {
        return [this, onFake](const torch::Tensor& x, int64_t t, const torch::Tensor& text,
                              CrossAttentionHook* h) {
            ++unetCalls;
            EXPECT_EQ(fakedev::isFake(x), onFake) << "controlled UNet sample on " << x.device();
            EXPECT_EQ(fakedev::isFake(text), onFake) << "controlled UNet text on " << text.device();
            return unet->forward(x, torch::scalar_tensor(t, torch::kLong), text, h);
        };
    }
};

TextToVideoParams smallParams() {
    TextToVideoParams p;
    p.prompt = "a photo of an astronaut riding a horse";
    p.num_frames = 4;
    p.width = 48;
    p.height = 32; // latent 12 × 8 (VAE factor 4)
    p.num_inference_steps = 4;
    p.guidance_scale = 7.5;
    p.seed = 5;
    return p;
}

MotionControlParams controls(int64_t frames) {
    MotionControlParams mc;
    ControlledSubject s;
    s.phrase = "astronaut";
    for (int64_t f = 0; f < frames; ++f)
        s.screenBoxes.push_back({0.1 + 0.1 * double(f), 0.2, 0.5 + 0.1 * double(f), 0.8});
    mc.subjects.push_back(s);
    mc.amplifyUntil = 0.5;
    mc.shiftFrom = 0.25; // step 1 of 4
    mc.shiftUntil = 0.75;
    for (int64_t f = 0; f < frames; ++f)
        mc.cameraTravel.push_back({0.1 * double(f), 0.05 * double(f)});
    mc.measuredPhrases = {"astronaut", "horse"};
    return mc;
}

} // namespace

TEST(FakeDevice, RefusesWhatCudaRefuses) {
    torch::NoGradGuard noGrad;
    const torch::Tensor a = torch::ones({3, 4}).to(kFake);
    EXPECT_TRUE(fakedev::isFake(a * 2 + 1));
    EXPECT_TRUE(torch::equal((a * 2 + 1).cpu(), torch::full({3, 4}, 3.0)));
    EXPECT_TRUE(fakedev::isFake(a * torch::scalar_tensor(2.0))) << "0-d CPU tensors are scalars on CUDA too";
    EXPECT_THROW(a + torch::ones({3, 4}), std::exception);
    EXPECT_THROW(torch::cat({a, torch::ones({3, 4})}), std::exception);
    EXPECT_THROW(torch::gather(a, 1, torch::zeros({3, 2}, torch::kLong)), std::exception);
    EXPECT_THROW(a.index_select(0, torch::tensor({0, 1}, torch::kLong)), std::exception);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
    EXPECT_THROW(torch::randn({3}, gen, torch::TensorOptions().device(kFake)), std::exception);
    EXPECT_THROW(a.data_ptr<float>(), std::exception);
    EXPECT_THROW((a.accessor<float, 2>()), std::exception);
    // What the code does instead: move, then combine; resize in place; read back through the CPU.
    const torch::Tensor idx = torch::tensor({0, 2}, torch::kLong).to(kFake);
    EXPECT_TRUE(torch::equal(a.index_select(1, idx).cpu(), torch::ones({3, 2})));
    torch::Tensor grown = torch::empty({2}, a.options());
    grown.resize_({50, 50}).fill_(2.0);
    EXPECT_TRUE(fakedev::isFake(grown));
    EXPECT_DOUBLE_EQ(grown.sum().item<double>(), 5000.0);
}

TEST(DeviceGuard, PipelineRunsOnTheDeviceAndMatchesTheCpu) {
    Tiny cpu(false), dev(true);
    for (const bool split : {false, true}) {
        TextToVideoParams p = smallParams();
        p.split_cfg_batch = split;
        const TextToVideoResult a = cpu.pipe.generate(p);
        const TextToVideoResult b = dev.pipe.generate(p);
        EXPECT_TRUE(fakedev::isFake(b.latents));
        EXPECT_TRUE(b.frames.is_cpu()) << "frames come back to the CPU";
        EXPECT_LE(maxAbsDiff(a.latents, b.latents), 1e-3) << "split " << split;
        EXPECT_LE(maxAbsDiff(a.frames, b.frames), 1e-4) << "split " << split;
    }
    EXPECT_EQ(dev.unetCalls, 4 + 8);
}

TEST(DeviceGuard, EverySamplerStepsOnTheDevice) {
    Tiny cpu(false), dev(true);
    for (const SamplerKind kind : {SamplerKind::Ddim, SamplerKind::DpmSolverPP2M,
                                   SamplerKind::DpmSolverPP2MKarras, SamplerKind::Euler}) {
        TextToVideoParams p = smallParams();
        p.num_inference_steps = 3;
        p.sampler = kind;
        int64_t previews = 0;
        const TextToVideoResult b =
            dev.pipe.generate(p, {}, [&](int64_t, int64_t, const torch::Tensor& x, const torch::Tensor& x0) {
                EXPECT_TRUE(fakedev::isFake(x));
                EXPECT_TRUE(fakedev::isFake(x0));
                ++previews;
            });
        EXPECT_EQ(previews, 3);
        EXPECT_LE(maxAbsDiff(cpu.pipe.generate(p).latents, b.latents), 1e-3) << sampler_name(kind);
    }
}

TEST(DeviceGuard, MotionControlledLoopRunsOnTheDeviceAndMatchesTheCpu) {
    Tiny cpu(false), dev(true);
    const TextToVideoParams p = smallParams();
    const MotionControlParams mc = controls(p.num_frames);
    MotionControlReport repCpu, repDev;
    const TextToVideoResult a =
        generate_with_motion_control(cpu.pipe, cpu.controlled(false), p, mc, {}, {}, &repCpu);
    const TextToVideoResult b =
        generate_with_motion_control(dev.pipe, dev.controlled(true), p, mc, {}, {}, &repDev);
    EXPECT_TRUE(fakedev::isFake(b.latents));
    EXPECT_TRUE(b.frames.is_cpu());
    EXPECT_LE(maxAbsDiff(a.latents, b.latents), 1e-3);
    EXPECT_LE(maxAbsDiff(a.frames, b.frames), 1e-4);
    EXPECT_EQ(repCpu.shiftApplied, repDev.shiftApplied);
    EXPECT_GT(repDev.shiftStepCount, 0);
    EXPECT_EQ(repCpu.fillShortages, repDev.fillShortages);
    ASSERT_EQ(repDev.attentionCentroids.size(), 2u);
    for (size_t s = 0; s < 2; ++s) {
        ASSERT_EQ(repDev.attentionCentroids[s].size(), size_t(p.num_frames));
        for (int64_t f = 0; f < p.num_frames; ++f)
            for (int k = 0; k < 2; ++k)
                EXPECT_NEAR(repCpu.attentionCentroids[s][size_t(f)][size_t(k)],
                            repDev.attentionCentroids[s][size_t(f)][size_t(k)], 1e-4);
    }
}

TEST(DeviceGuard, HalfPrecisionPathsRunOnTheDevice) {
    // bf16 on a device takes the accelerator-only branches: float32 logits, bias and softmax in the
    // attention, LibTorch's GroupNorm over frames. The VAE stays float32.
    Tiny fp32(false), cpu(false, torch::kBFloat16), dev(true, torch::kBFloat16);
    TextToVideoParams p = smallParams();
    p.num_inference_steps = 2;
    const MotionControlParams mc = controls(p.num_frames);
    const TextToVideoResult reference =
        generate_with_motion_control(fp32.pipe, fp32.controlled(false), p, mc);
    p.compute_dtype = torch::kBFloat16;
    const TextToVideoResult a = generate_with_motion_control(cpu.pipe, cpu.controlled(false), p, mc);
    const TextToVideoResult b = generate_with_motion_control(dev.pipe, dev.controlled(true), p, mc);
    EXPECT_EQ(b.latents.scalar_type(), torch::kFloat32) << "the sampler's latents stay float32";
    EXPECT_TRUE(torch::isfinite(b.latents.cpu()).all().item<bool>());
    const double cpuDeviation = maxAbsDiff(reference.latents, a.latents);
    const double devDeviation = maxAbsDiff(reference.latents, b.latents);
    std::printf(
        "bf16 against fp32, max|diff| of the latents: CPU path %.3g, device path %.3g (absmax %.3g)\n",
        cpuDeviation, devDeviation, reference.latents.abs().max().item<double>());
    EXPECT_LE(devDeviation, 2 * cpuDeviation + 1e-3);
}

TEST(DeviceGuard, HooksMakeTheirTensorsOnTheLayersDevice) {
    torch::NoGradGuard noGrad;
    CrossAttentionInfo info;
    info.batch = 2;
    info.frames = 3;
    info.height = 4;
    info.width = 6;
    info.heads = 2;
    info.tokens = 77;
    info.isStcaLayer = true;
    info.device = kFake;
    AttentionEditor editor;
    EditedSubject s;
    s.tokens = {2, 3};
    s.boxes.assign(3, BoxF{0.25, 0.25, 0.75, 0.75});
    AttentionEditSettings st;
    st.promptLength = 6;
    editor.configure({s}, st, {0});
    const torch::Tensor bias = editor.logit_bias(info);
    EXPECT_TRUE(fakedev::isFake(bias));
    EXPECT_TRUE(torch::equal(bias.cpu(), editor.build_bias(2, 3, 4, 6, 77)));

    const torch::Tensor probs = torch::softmax(torch::randn({6, 2, 24, 77}), -1).to(kFake);
    StcaCollector stca({2, 3});
    stca.observe_probabilities(info, probs);
    EXPECT_TRUE(fakedev::isFake(stca.map()));
    StcaCollector perItem({});
    perItem.set_item_tokens({{2}, {3, 4}});
    perItem.observe_probabilities(info, probs);
    EXPECT_TRUE(fakedev::isFake(perItem.map()));

    SubjectAttentionProbe probe({{2, 3}});
    probe.observe_probabilities(info, probs);
    ASSERT_EQ(probe.centroids(1).at(0).size(), 3u);

    LatentShifter shifter({{2.0, 1.0}, {0.0, -1.0}, {3.0, 0.0}}, 1, 7);
    const torch::Tensor latents = torch::randn({1, 4, 3, 4, 6}).to(kFake);
    torch::Tensor background = torch::ones({3, 4, 6}, torch::kBool);
    background.narrow(1, 1, 2).narrow(2, 1, 2).fill_(false);
    const torch::Tensor moved = shifter.step(latents, background);
    EXPECT_TRUE(fakedev::isFake(moved));
    EXPECT_EQ(moved.sizes(), latents.sizes());
}

TEST(DeviceGuard, VaeSamplesFromASeededGeneratorOnTheDevice) {
    torch::NoGradGuard noGrad;
    AutoencoderKL vae(VaeConfig::from_file(kTiny + "/vae/config.json"));
    vae->eval();
    const torch::Tensor image = torch::rand({1, 3, 16, 24}) * 2 - 1;
    const LatentDistribution cpuDist = vae->encode(image);
    const torch::Tensor cpuSample = cpuDist.sample(at::make_generator<at::CPUGeneratorImpl>(3));
    fakedev::to_fake(*vae);
    const LatentDistribution devDist = vae->encode(image.to(kFake));
    const torch::Tensor devSample = devDist.sample(at::make_generator<at::CPUGeneratorImpl>(3));
    EXPECT_TRUE(fakedev::isFake(devSample));
    EXPECT_LE(maxAbsDiff(cpuSample, devSample), 1e-5) << "a seed gives the same sample on every device";
}

namespace {

/** Tiny-config subject-training inputs (latent-space photos and one clip, no VAE), made on the CPU. */
struct TrainingInputs {
    TrainingImages images;
    PreservationVideo video;
};

TrainingInputs trainingInputs(const UNet3DConfig& cfg) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(11);
    const int64_t c = cfg.inChannels, h = 8, w = 12, d = cfg.crossAttentionDim;
    TrainingInputs in;
    in.images.pixels = torch::randn({2, c, h, w}, gen);
    in.images.masks = torch::zeros({2, 1, h * 4, w * 4});
    in.images.masks.narrow(2, 8, 16).narrow(3, 12, 24).fill_(1.0);
    in.images.text = torch::randn({2, 77, d}, gen);
    in.images.phraseTokens = {{2, 3}, {2}};
    in.video.frames = torch::randn({c, 3, h, w}, gen);
    in.video.text = torch::randn({1, 77, d}, gen);
    in.video.name = "random";
    return in;
}

/** Two optimizer steps of subject learning on the CPU or the fake device, from the same seeded weights. */
struct TrainedTwoSteps {
    std::vector<StepLosses> losses;
    TensorMap before, after; ///< the UNet's weights (LoRA: merged into the projections)
};

TrainedTwoSteps trainTwoSteps(bool onFake, int64_t loraRank, bool checkpointing) {
    const UNet3DConfig cfg = UNet3DConfig::from_file(kTiny + "/unet/config.json");
    torch::manual_seed(4);
    UNet3DConditionModel unet(cfg);
    TrainedTwoSteps out;
    for (const auto& p : unet->named_parameters())
        out.before[p.key()] = p.value().detach().clone();
    if (onFake)
        fakedev::to_fake(*unet);
    TrainingInputs in = trainingInputs(cfg);
    SubjectTrainingOptions so;
    so.loraRank = loraRank;
    so.videoFrames = 3;
    so.seed = 9;
    so.learningRate = 1e-3; // large enough for the update to show in the weights
    so.gradientCheckpointing = checkpointing;
    SubjectTrainer trainer(unet.ptr(), nullptr, DDIMScheduler(SchedulerConfig{}), std::move(in.images),
                           {in.video}, so);
    out.losses = {trainer.step(), trainer.step()};
    if (trainer.is_lora()) { // what render applies: the adapters merged into the projections
        const std::string file = (std::filesystem::temp_directory_path() /
                                  ("mb-device-lora-" + std::to_string(onFake) + ".safetensors"))
                                     .string();
        trainer.save_weights(file);
        apply_checkpoint(*unet, file);
        std::filesystem::remove(file);
    }
    for (const auto& p : unet->named_parameters())
        out.after[p.key()] = p.value().detach().cpu();
    return out;
}

} // namespace

TEST(DeviceGuard, SubjectTrainingStepsOnTheDeviceAndMatchesTheCpu) {
    // Full UNet, LoRA, and LoRA with gradient checkpointing: inputs, noise, timesteps, the STCA map, the
    // gradients and the AdamW moments must all live on the device.
    for (const auto& [rank, checkpointing] : {std::pair<int64_t, bool>{0, false}, {2, false}, {2, true}}) {
        const auto cpu = trainTwoSteps(false, rank, checkpointing);
        const auto dev = trainTwoSteps(true, rank, checkpointing);
        for (size_t i = 0; i < cpu.losses.size(); ++i) {
            EXPECT_NEAR(cpu.losses[i].loss, dev.losses[i].loss, 1e-4 * (1 + std::abs(cpu.losses[i].loss)))
                << "rank " << rank << " step " << i;
            EXPECT_NEAR(cpu.losses[i].stca, dev.losses[i].stca, 1e-4) << "rank " << rank;
        }
        // AdamW divides by the gradient's running magnitude, so near-zero gradients that differ in the last
        // bits between the kernels move a weight by up to the learning rate: compare against the update.
        double worst = 0, moved = 0;
        for (const auto& [name, w] : cpu.after) {
            worst = std::max(worst, maxAbsDiff(w, dev.after.at(name)));
            moved = std::max(moved, maxAbsDiff(w, cpu.before.at(name)));
        }
        EXPECT_GT(moved, 1e-4) << "rank " << rank << ": training changed the weights";
        EXPECT_LE(worst, 0.25 * moved) << "rank " << rank << ": the trained weights agree";
    }
}

TEST(DeviceGuard, PretrainingStepsOnTheDeviceAndMatchesTheCpu) {
    const VaeConfig vcfg = VaeConfig::from_file(kTiny + "/vae/config.json");
    CaptionedVideoBatch batch;
    batch.video = torch::rand({1, 3, 2, 16, 24}, at::make_generator<at::CPUGeneratorImpl>(2)) * 2 - 1;
    batch.captions = {"a red ball"};
    PretrainOptions po;
    po.warmupSteps = 0;
    po.vaeFramesPerStep = 2;
    std::vector<double> vaeLoss;
    for (const bool onFake : {false, true}) {
        torch::manual_seed(6);
        AutoencoderKL vae(vcfg);
        if (onFake)
            fakedev::to_fake(*vae);
        VaePretrainer trainer(vae.ptr(), po);
        trainer.step(batch);
        vaeLoss.push_back(trainer.step(batch).loss);
    }
    EXPECT_NEAR(vaeLoss[0], vaeLoss[1], 1e-4 * (1 + std::abs(vaeLoss[0])));

    const UNet3DConfig ucfg = UNet3DConfig::from_file(kTiny + "/unet/config.json");
    std::vector<double> unetLoss;
    for (const bool onFake : {false, true}) {
        torch::manual_seed(6);
        AutoencoderKL vae(vcfg);
        UNet3DConditionModel unet(ucfg);
        if (onFake) {
            fakedev::to_fake(*vae);
            fakedev::to_fake(*unet);
        }
        const torch::Device where = onFake ? kFake : torch::Device(torch::kCPU);
        const int64_t d = ucfg.crossAttentionDim;
        auto encode = [where, d](const std::vector<std::string>& captions) {
            return torch::ones({int64_t(captions.size()), 77, d}).to(where);
        };
        UNetPretrainer trainer(unet.ptr(), vae.ptr(), encode, DDIMScheduler(SchedulerConfig{}), po);
        trainer.step(batch);
        unetLoss.push_back(trainer.step(batch).loss);
        EXPECT_EQ(fakedev::isFake(trainer.ema_state().begin()->second), onFake);
    }
    EXPECT_NEAR(unetLoss[0], unetLoss[1], 1e-4 * (1 + std::abs(unetLoss[0])));
}
