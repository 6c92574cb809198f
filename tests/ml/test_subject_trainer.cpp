// Subject learning on the tiny reference model (CPU): the loss goes down, resume is bit-identical, cancel
// stops within one step, LoRA trains only its adapters and merges exactly, and each loss switch does what it
// says.
#include "ml/lora.h"
#include "ml/subject_trainer.h"
#include "ml/threads.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <torch/torch.h>

namespace fs = std::filesystem;
using namespace mb::ml;

namespace {

const std::string kTiny = std::string(MB_TEST_DATA) + "/reference/tiny";
const std::string kZeroscopeUnet = std::string(MB_TEST_DATA) + "/reference/zeroscope-keys/unet.config.json";
constexpr int64_t kW = 48, kH = 32, kFrames = 4;

/** Two synthetic "photos" (a bright square on a dark field, its mask) and one synthetic clip. */
struct Data {
    TrainingImages images;
    std::vector<PreservationVideo> videos;
};

Data makeData(TrainingModels& m) {
    Data d;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(7);
    const int64_t n = 2;
    d.images.pixels = torch::rand({n, 3, kH, kW}, gen) * 0.2 - 0.9;
    d.images.masks = torch::zeros({n, 1, kH, kW});
    for (int64_t i = 0; i < n; ++i) {
        const int64_t x0 = 8 + 12 * i, y0 = 6;
        d.images.pixels[i].narrow(1, y0, 16).narrow(2, x0, 16).fill_(0.8);
        d.images.masks[i].narrow(1, y0, 16).narrow(2, x0, 16).fill_(1.0);
    }
    const std::string prompt = "a sks dog";
    d.images.text = encode_prompts(m, {prompt, prompt});
    const auto ids = m.tokenizer->encode_padded(prompt).ids;
    std::vector<int64_t> toks;
    for (int t : m.tokenizer->find_phrase(ids, "sks dog"))
        toks.push_back(t);
    d.images.phraseTokens = {toks, toks};
    PreservationVideo v;
    v.frames = torch::rand({3, kFrames + 2, kH, kW}, gen) * 2 - 1;
    v.text = encode_prompts(m, {"a red ball rolling on a wooden floor"});
    v.name = "synthetic";
    d.videos.push_back(v);
    return d;
}

struct TrainRun {
    TrainingModels models;
    std::unique_ptr<SubjectTrainer> trainer;
};

TrainRun makeRun(SubjectTrainingOptions o) {
    TrainRun r;
    r.models = load_training_models(kTiny);
    Data d = makeData(r.models);
    o.videoFrames = kFrames;
    r.trainer = std::make_unique<SubjectTrainer>(r.models.unet, r.models.vae,
                                                 DDIMScheduler(r.models.scheduler), d.images, d.videos, o);
    return r;
}

std::map<std::string, torch::Tensor> snapshot(torch::nn::Module& m) {
    std::map<std::string, torch::Tensor> out;
    for (const auto& p : m.named_parameters(true))
        out[p.key()] = p.value().detach().clone();
    return out;
}

bool sameWeights(torch::nn::Module& m, const std::map<std::string, torch::Tensor>& s) {
    for (const auto& p : m.named_parameters(true))
        if (!torch::equal(p.value(), s.at(p.key())))
            return false;
    return true;
}

double meanEvalLoss(SubjectTrainer& t) {
    double sum = 0;
    for (uint64_t s = 0; s < 4; ++s)
        sum += t.evaluate(100 + s).loss;
    return sum / 4;
}

fs::path tempDir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("mb-subject-trainer-" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

class SubjectTrainerTest : public ::testing::Test {
protected:
    void SetUp() override { configure_threads(2); }
};

} // namespace

TEST_F(SubjectTrainerTest, AFewStepsLowerTheLossOnAFixedBatch) {
    SubjectTrainingOptions o;
    o.learningRate = 1e-3; // the reference's 5e-6 moves a random tiny model too little to see in a few steps
    TrainRun r = makeRun(o);
    const double before = meanEvalLoss(*r.trainer);
    const auto losses = r.trainer->train(8);
    ASSERT_EQ(losses.size(), 8u);
    EXPECT_EQ(r.trainer->steps_done(), 8);
    const double after = meanEvalLoss(*r.trainer);
    EXPECT_LT(after, before) << "before " << before << " after " << after;
    for (const auto& l : losses) {
        EXPECT_TRUE(std::isfinite(l.loss));
        EXPECT_GT(l.subject, 0);
        EXPECT_GT(l.stca, 0);
        EXPECT_GT(l.video, 0);
        // The reported loss is (L_sub + 0.01·L_stca + L_vid) / 2.
        EXPECT_NEAR(l.loss, (l.subject + 0.01 * l.stca + l.video) / 2, 1e-6 * (1 + l.loss));
    }
}

TEST_F(SubjectTrainerTest, TheReferenceHyperParametersAreTheDefaults) {
    const SubjectTrainingOptions o;
    EXPECT_EQ(o.learningRate, 5e-6);
    EXPECT_EQ(o.weightDecay, 0.01);
    EXPECT_EQ(o.beta1, 0.9);
    EXPECT_EQ(o.beta2, 0.999);
    EXPECT_EQ(o.adamEps, 1e-8);
    EXPECT_EQ(o.maxGradNorm, 1.0);
    EXPECT_EQ(o.stcaWeight, 0.01);
    EXPECT_EQ(o.videoWeight, 1.0);
    EXPECT_EQ(o.maxImagesPerStep, 10);
}

TEST_F(SubjectTrainerTest, ResumeFromACheckpointContinuesBitIdentically) {
    for (int64_t rank : {int64_t(0), int64_t(2)}) {
        SCOPED_TRACE(rank ? "LoRA" : "full UNet");
        SubjectTrainingOptions o;
        o.learningRate = 1e-4;
        o.loraRank = rank;
        o.seed = 3;
        const fs::path dir = tempDir("resume");
        const std::string ck = (dir / "resume").string();

        TrainRun straight = makeRun(o);
        const auto lossesA = straight.trainer->train(4);
        straight.trainer->save_weights((dir / "a.safetensors").string());

        {
            TrainRun first = makeRun(o);
            first.trainer->train(2);
            first.trainer->save_checkpoint(ck);
        }
        ASSERT_TRUE(SubjectTrainer::has_checkpoint(ck));
        TrainRun resumed = makeRun(o);
        resumed.trainer->load_checkpoint(ck);
        EXPECT_EQ(resumed.trainer->steps_done(), 2);
        const auto lossesB = resumed.trainer->train(4);
        ASSERT_EQ(lossesB.size(), 2u);
        EXPECT_EQ(lossesB[0].loss, lossesA[2].loss);
        EXPECT_EQ(lossesB[1].loss, lossesA[3].loss);
        resumed.trainer->save_weights((dir / "b.safetensors").string());

        const TensorMap a = read_safetensors((dir / "a.safetensors").string());
        const TensorMap b = read_safetensors((dir / "b.safetensors").string());
        ASSERT_EQ(a.size(), b.size());
        for (const auto& [k, t] : a)
            EXPECT_TRUE(torch::equal(t, b.at(k))) << k;
        EXPECT_TRUE(sameWeights(*resumed.models.unet, snapshot(*straight.models.unet)));

        // A checkpoint of another kind is refused clearly.
        SubjectTrainingOptions other = o;
        other.loraRank = rank ? 0 : 2;
        TrainRun wrong = makeRun(other);
        EXPECT_THROW(wrong.trainer->load_checkpoint(ck), std::runtime_error);
        fs::remove_all(dir);
    }
}

TEST_F(SubjectTrainerTest, CancelStopsWithinOneStepAndLeavesAResumableCheckpoint) {
    SubjectTrainingOptions o;
    o.learningRate = 1e-4;
    TrainRun r = makeRun(o);
    const fs::path dir = tempDir("cancel");
    const std::string ck = (dir / "resume").string();
    mb::CancelToken cancel;
    mb::JobControl jc;
    jc.cancel = &cancel;
    std::vector<mb::JobProgress> reports;
    jc.progress = [&](const mb::JobProgress& p) {
        reports.push_back(p);
        if (p.stage == "train" && p.done == 1)
            cancel.request(); // asked right after step 1: step 2 must not run
    };
    EXPECT_THROW(r.trainer->train(10, jc, ck, 0), mb::JobCancelled);
    EXPECT_EQ(r.trainer->steps_done(), 1);
    EXPECT_TRUE(cancel.acknowledged());
    ASSERT_TRUE(SubjectTrainer::has_checkpoint(ck)); // written on cancel
    // Progress carries the losses.
    bool sawValues = false;
    for (const auto& p : reports)
        if (p.stage == "train" && p.done == 1) {
            ASSERT_EQ(p.values.size(), 4u);
            EXPECT_EQ(p.values[0].first, "loss");
            EXPECT_EQ(p.values[1].first, "L_sub");
            EXPECT_EQ(p.values[2].first, "L_stca");
            EXPECT_EQ(p.values[3].first, "L_vid");
            sawValues = true;
        }
    EXPECT_TRUE(sawValues);

    // A cancel that arrives before a step changes nothing at all.
    const auto before = snapshot(*r.models.unet);
    EXPECT_THROW(r.trainer->step(jc), mb::JobCancelled);
    EXPECT_TRUE(sameWeights(*r.models.unet, before));
    EXPECT_EQ(r.trainer->steps_done(), 1);

    // The cancelled run resumes from its checkpoint.
    TrainRun resumed = makeRun(o);
    resumed.trainer->load_checkpoint(ck);
    EXPECT_EQ(resumed.trainer->steps_done(), 1);
    EXPECT_TRUE(sameWeights(*resumed.models.unet, before));
    resumed.trainer->train(2);
    EXPECT_EQ(resumed.trainer->steps_done(), 2);
    fs::remove_all(dir);
}

TEST_F(SubjectTrainerTest, LoraTrainsOnlyItsAdaptersAndMergesExactly) {
    SubjectTrainingOptions o;
    o.learningRate = 1e-3;
    o.loraRank = 2;
    TrainRun r = makeRun(o);
    EXPECT_TRUE(r.trainer->is_lora());
    const auto base = snapshot(*r.models.unet);
    int64_t adapted = 0;
    EXPECT_EQ(r.trainer->trainable_parameters(), lora_parameter_count(*r.models.unet, 2, &adapted));
    EXPECT_GT(adapted, r.trainer->trainable_parameters());
    r.trainer->train(3);
    EXPECT_TRUE(sameWeights(*r.models.unet, base)); // the UNet's own weights never move

    const fs::path dir = tempDir("lora");
    const std::string path = (dir / "lora.safetensors").string();
    r.trainer->save_weights(path);
    EXPECT_EQ(checkpoint_kind(path), CheckpointKind::Lora);
    const TensorMap ab = read_safetensors(path);
    bool anyB = false;
    for (const auto& [k, t] : ab)
        if (k.find("lora_B") != std::string::npos && t.abs().max().item<float>() > 0)
            anyB = true;
    EXPECT_TRUE(anyB) << "B starts at zero and must have trained";

    // The adapted forward (base + scale·B·A) equals the forward of a fresh UNet with the LoRA merged in.
    torch::NoGradGuard ng;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(11);
    const torch::Tensor x = torch::randn({1, 4, 2, kH / 4, kW / 4}, gen);
    const torch::Tensor text = torch::randn({1, 77, r.models.unet->config().crossAttentionDim}, gen);
    const torch::Tensor t = torch::tensor({int64_t(500)});
    LoraOptions lo;
    lo.rank = 2;
    LoraAdapter adapter(*r.models.unet, lo);
    adapter.load_state(ab, path);
    adapter.activate();
    const torch::Tensor adaptedOut = r.models.unet->forward(x, t, text);
    adapter.deactivate();
    const torch::Tensor baseOut = r.models.unet->forward(x, t, text);
    EXPECT_FALSE(torch::allclose(adaptedOut, baseOut, 0, 1e-7));

    TrainingModels fresh = load_training_models(kTiny);
    EXPECT_EQ(apply_checkpoint(*fresh.unet, path), CheckpointKind::Lora);
    const torch::Tensor mergedOut = fresh.unet->forward(x, t, text);
    // x·(W + s·B·A) and a merged W' agree to float32 rounding, not bit for bit: LibTorch 2.x picks its
    // kernels per tensor (alignment, layout), so two UNet instances with equal weights can round differently.
    // The bound is far below what the adapters change.
    const double absmax = adaptedOut.abs().max().item<double>();
    const double adapterEffect = (adaptedOut - baseOut).abs().max().item<double>();
    const double tolerance = 1e-5 * absmax;
    EXPECT_LT(tolerance, 1e-2 * adapterEffect) << "the bound must be far below the adapters' effect";
    EXPECT_LE((mergedOut - adaptedOut).abs().max().item<double>(), tolerance);
    adapter.merge();
    EXPECT_LE((r.models.unet->forward(x, t, text) - mergedOut).abs().max().item<double>(), tolerance);
    fs::remove_all(dir);
}

TEST_F(SubjectTrainerTest, AFullCheckpointLoadsIntoAFreshUnet) {
    SubjectTrainingOptions o;
    o.learningRate = 1e-3;
    o.baseModelHash = "abc123";
    TrainRun r = makeRun(o);
    r.trainer->train(1);
    const fs::path dir = tempDir("full");
    const std::string path = (dir / "full.safetensors").string();
    r.trainer->save_weights(path);
    const SafetensorsFile f = SafetensorsFile::open(path);
    EXPECT_EQ(f.metadata().at("kind"), "full");
    EXPECT_EQ(f.metadata().at("step"), "1");
    EXPECT_EQ(f.metadata().at("base_model_hash"), "abc123");
    TrainingModels fresh = load_training_models(kTiny);
    EXPECT_FALSE(sameWeights(*fresh.unet, snapshot(*r.models.unet)));
    EXPECT_EQ(apply_checkpoint(*fresh.unet, path), CheckpointKind::Full);
    EXPECT_TRUE(sameWeights(*fresh.unet, snapshot(*r.models.unet)));
    fs::remove_all(dir);
}

TEST_F(SubjectTrainerTest, EachLossCanBeSwitchedOff) {
    SubjectTrainingOptions all;
    TrainRun ref = makeRun(all);
    const StepLosses a = ref.trainer->evaluate(5);
    EXPECT_GT(a.stca, 0);
    EXPECT_GT(a.video, 0);

    SubjectTrainingOptions noStca;
    noStca.stcaLoss = false;
    const StepLosses b = makeRun(noStca).trainer->evaluate(5);
    EXPECT_EQ(b.stca, 0);
    EXPECT_NEAR(b.subject, a.subject,
                1e-5 * a.subject); // same batch and prediction: the collector only observes
    EXPECT_NEAR(b.loss, (b.subject + b.video) / 2, 1e-6 * (1 + b.loss));

    SubjectTrainingOptions noVideo;
    noVideo.videoLoss = false;
    const StepLosses c = makeRun(noVideo).trainer->evaluate(5);
    EXPECT_EQ(c.video, 0);
    EXPECT_EQ(c.subject, a.subject);
    EXPECT_NEAR(c.loss, (c.subject + 0.01 * c.stca) / 2, 1e-6 * (1 + c.loss));

    SubjectTrainingOptions noRegion;
    noRegion.regionLoss = false;
    const StepLosses d = makeRun(noRegion).trainer->evaluate(5);
    EXPECT_NE(d.subject, a.subject); // plain ε-MSE over the whole image instead of the masked sum
    EXPECT_EQ(d.stca, a.stca);
    EXPECT_EQ(d.video, a.video);

    // A video loss without any clip is refused.
    TrainingModels m = load_training_models(kTiny);
    Data data = makeData(m);
    EXPECT_THROW(SubjectTrainer(m.unet, m.vae, DDIMScheduler(m.scheduler), data.images, {}, all),
                 std::invalid_argument);
}

TEST(SubjectTrainerMemory, FullUnetAdamWOnTheRealConfigNeedsAbout21GiBBeforeActivations) {
    const UNet3DConfig cfg = UNet3DConfig::from_file(kZeroscopeUnet);
    const int64_t params = 1'411'233'860; // Zeroscope's UNet (zeroscope-keys/param_counts.json)
    const auto full = estimate_training_memory(cfg, params, 0, 0, 0, 40, 72, 5, 24);
    const double gib = double(int64_t(1) << 30);
    EXPECT_NEAR((full.weightsBytes + full.trainingStateBytes) / gib, 21.0, 0.5);
    EXPECT_GT(full.activationBytes, 0);
    // LoRA keeps only the frozen weights plus small adapter state.
    const auto lora = estimate_training_memory(cfg, params, 4'000'000, 300'000'000, 0, 40, 72, 5, 24);
    EXPECT_LT(lora.weightsBytes + lora.trainingStateBytes,
              0.5 * (full.weightsBytes + full.trainingStateBytes));
    // Activations grow with the frames of the video micro-batch.
    EXPECT_GT(estimate_training_memory(cfg, params, 0, 0, 0, 40, 72, 5, 24).activationBytes,
              estimate_training_memory(cfg, params, 0, 0, 0, 40, 72, 5, 8).activationBytes);
}
