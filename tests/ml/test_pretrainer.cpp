// Training from scratch (the default model's recipe) on the tiny reference architecture: the fresh-network
// initialisation, VAE and UNet steps that lower their losses, bit-identical resume, the moving average, and
// the caption embedding cache.
#include "ml/pretrainer.h"
#include "ml/subject_trainer.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <torch/torch.h>

namespace fs = std::filesystem;
using namespace mb::ml;

namespace {

const std::string kTiny = std::string(MB_TEST_DATA) + "/reference/tiny";

/** Two 4-frame clips of a bright square sliding over a dark gradient, 32×32, in [−1, 1]. */
CaptionedVideoBatch makeBatch() {
    CaptionedVideoBatch b;
    const int64_t F = 4, H = 32, W = 32;
    b.video = torch::linspace(-0.9, -0.3, W).view({1, 1, 1, 1, W}).expand({2, 3, F, H, W}).clone();
    for (int64_t c = 0; c < 2; ++c)
        for (int64_t f = 0; f < F; ++f)
            b.video[c].select(1, f).narrow(1, 8 + 2 * c, 12).narrow(2, 4 + 4 * f, 12).fill_(0.7);
    b.captions = {"a red ball on a forest path", "a blue cube on a foggy pier"};
    return b;
}

std::shared_ptr<AutoencoderKLImpl> freshVae(uint64_t seed) {
    const VaeConfig config = VaeConfig::from_file(kTiny + "/vae/config.json");
    auto vae = std::make_shared<AutoencoderKLImpl>(config);
    initialise_vae_from_scratch(*vae, seed);
    return vae;
}

struct UNetRun {
    TrainingModels models;
    std::shared_ptr<UNet3DConditionModelImpl> unet;
    std::unique_ptr<UNetPretrainer> trainer;
    int encodeCalls = 0;
};

std::unique_ptr<UNetRun> makeUNetRun(PretrainOptions o, bool trainText = false) {
    auto r = std::make_unique<UNetRun>();
    r->models = load_training_models(kTiny);
    r->unet = std::make_shared<UNet3DConditionModelImpl>(r->models.unet->config());
    initialise_unet_from_scratch(*r->unet, o.seed);
    UNetRun* raw = r.get();
    auto encode = [raw, trainText](const std::vector<std::string>& prompts) {
        ++raw->encodeCalls;
        if (!trainText)
            return encode_prompts(raw->models, prompts);
        std::vector<torch::Tensor> ids;
        for (const auto& p : prompts)
            ids.push_back(torch::tensor(raw->models.tokenizer->encode_padded(p, 77).ids, torch::kLong));
        return raw->models.textEncoder->forward(torch::stack(ids)).last_hidden_state;
    };
    r->trainer =
        std::make_unique<UNetPretrainer>(r->unet, r->models.vae, encode, DDIMScheduler(r->models.scheduler),
                                         o, trainText ? r->models.textEncoder.ptr() : nullptr);
    return r;
}

TensorMap copied(const TensorMap& m) {
    TensorMap out;
    for (const auto& [k, t] : m)
        out[k] = t.clone();
    return out;
}

bool sameState(const TensorMap& a, const TensorMap& b) {
    if (a.size() != b.size())
        return false;
    for (const auto& [k, t] : a) {
        const auto it = b.find(k);
        if (it == b.end() || !torch::equal(t, it->second))
            return false;
    }
    return true;
}

} // namespace

TEST(Pretrainer, FreshUNetStartsAsAPerFrameModel) {
    const UNet3DConfig config = UNet3DConfig::from_file(kTiny + "/unet/config.json");
    UNet3DConditionModelImpl a(config), b(config);
    initialise_unet_from_scratch(a, 5);
    initialise_unet_from_scratch(b, 5);
    EXPECT_TRUE(sameState(module_state(a), module_state(b))) << "the seed fixes the weights";
    int zeroed = 0;
    for (const auto& p : a.named_parameters()) {
        const bool temporalOut = p.key().find(".conv4.3.") != std::string::npos ||
                                 (p.key().find("proj_out") != std::string::npos &&
                                  (p.key().find("temp_attentions") != std::string::npos ||
                                   p.key().rfind("transformer_in.", 0) == 0));
        if (temporalOut) {
            EXPECT_EQ(p.value().abs().max().item<float>(), 0.f) << p.key();
            ++zeroed;
        }
    }
    EXPECT_GT(zeroed, 4);
    // With every temporal path at zero, each frame's output depends on that frame alone.
    torch::NoGradGuard noGrad;
    a.eval();
    auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
    const torch::Tensor x = torch::randn({1, 4, 3, 8, 8}, gen);
    const torch::Tensor text = torch::randn({1, 7, config.crossAttentionDim}, gen);
    const torch::Tensor t = torch::tensor({500});
    const torch::Tensor whole = a.forward(x, t, text);
    const torch::Tensor single = a.forward(x.narrow(2, 1, 1), t, text);
    EXPECT_TRUE(torch::allclose(whole.narrow(2, 1, 1), single, 1e-4, 1e-5));
}

TEST(Pretrainer, VaeLearnsToReconstruct) {
    PretrainOptions o;
    o.learningRate = 2e-3;
    o.warmupSteps = 5;
    o.vaeFramesPerStep = 8;
    VaePretrainer trainer(freshVae(1), o);
    const CaptionedVideoBatch batch = makeBatch();
    const double before = trainer.evaluate(batch, 3).reconstruction;
    for (int i = 0; i < 40; ++i)
        trainer.step(batch);
    const double after = trainer.evaluate(batch, 3).reconstruction;
    EXPECT_LT(after, 0.6 * before) << "L1 " << before << " → " << after;
    EXPECT_EQ(trainer.steps_done(), 40);
    const double scaling = trainer.measure_scaling_factor(batch);
    EXPECT_TRUE(std::isfinite(scaling));
    EXPECT_GT(scaling, 0.0);
}

TEST(Pretrainer, UNetLossFallsAndResumeIsBitIdentical) {
    PretrainOptions o;
    o.learningRate = 1e-3;
    o.warmupSteps = 2;
    o.seed = 11;
    const CaptionedVideoBatch batch = makeBatch();
    auto straight = makeUNetRun(o);
    const double before = straight->trainer->evaluate(batch, 5).loss;
    for (int i = 0; i < 4; ++i)
        straight->trainer->step(batch);

    auto first = makeUNetRun(o);
    first->trainer->step(batch);
    first->trainer->step(batch);
    const fs::path dir = fs::temp_directory_path() / "mb_pretrain_resume";
    fs::remove_all(dir);
    first->trainer->save_checkpoint(dir.string());
    auto resumed = makeUNetRun(o);
    resumed->trainer->load_checkpoint(dir.string());
    EXPECT_EQ(resumed->trainer->steps_done(), 2);
    resumed->trainer->step(batch);
    resumed->trainer->step(batch);
    EXPECT_TRUE(sameState(module_state(*straight->unet), module_state(*resumed->unet)));
    EXPECT_TRUE(sameState(straight->trainer->ema_state(), resumed->trainer->ema_state()));

    // A checkpoint of another seed or kind is refused by name.
    PretrainOptions other = o;
    other.seed = 12;
    auto wrongSeed = makeUNetRun(other);
    EXPECT_THROW(wrongSeed->trainer->load_checkpoint(dir.string()), std::runtime_error);
    VaePretrainer vaeTrainer(freshVae(0), o);
    EXPECT_THROW(vaeTrainer.load_checkpoint(dir.string()), std::runtime_error);
    fs::remove_all(dir);

    for (int i = 0; i < 26; ++i)
        straight->trainer->step(batch);
    const double after = straight->trainer->evaluate(batch, 5).loss;
    EXPECT_LT(after, 0.8 * before) << "ε-MSE " << before << " → " << after;
    // Captions are encoded once each (two captions and the dropout's empty one at most).
    EXPECT_LE(straight->encodeCalls, 4);
}

TEST(Pretrainer, MovingAverageLagsTheWeights) {
    PretrainOptions o;
    o.learningRate = 1e-3;
    o.warmupSteps = 1;
    o.emaDecay = 0.9;
    auto run = makeUNetRun(o);
    TensorMap start = module_state(*run->unet);
    for (auto& [k, t] : start)
        t = t.clone(); // module_state aliases the live parameters
    const CaptionedVideoBatch batch = makeBatch();
    for (int i = 0; i < 3; ++i)
        run->trainer->step(batch);
    const TensorMap now = module_state(*run->unet), ema = run->trainer->ema_state();
    ASSERT_EQ(ema.size(), now.size());
    double toStart = 0, toNow = 0, moved = 0;
    for (const auto& [k, t] : now) {
        moved += (t - start.at(k)).abs().sum().item<double>();
        toNow += (ema.at(k) - t).abs().sum().item<double>();
        toStart += (ema.at(k) - start.at(k)).abs().sum().item<double>();
    }
    EXPECT_GT(moved, 0.0);
    EXPECT_GT(toNow, 0.0) << "the average is not the weights";
    EXPECT_LT(toStart, moved) << "the average moved less than the weights";
}

TEST(Pretrainer, ConcurrentClipsLearnWhatOneBatchedPassLearns) {
    PretrainOptions o;
    o.learningRate = 1e-3;
    o.warmupSteps = 1;
    o.captionDropout = 0;
    const CaptionedVideoBatch batch = makeBatch();
    auto batched = makeUNetRun(o);
    o.concurrentClips = true;
    auto concurrent = makeUNetRun(o);
    const double a = batched->trainer->step(batch).loss, b = concurrent->trainer->step(batch).loss;
    EXPECT_NEAR(a, b, 1e-5 * std::abs(a));
    const TensorMap wa = module_state(*batched->unet), wb = module_state(*concurrent->unet);
    double sumDiff = 0;
    int64_t count = 0;
    for (const auto& [k, t] : wa) {
        sumDiff += (t - wb.at(k)).abs().sum().item<double>();
        count += t.numel();
    }
    // AdamW's first step moves every weight by about ±lr (the sign of its gradient): summation-order
    // differences can flip the sign only of gradients that are nearly zero, a tiny share of the weights.
    EXPECT_LT(sumDiff / double(count), 0.01 * o.learningRate) << "the same update up to summation order";
    const double ea = batched->trainer->evaluate(batch, 9).loss,
                 eb = concurrent->trainer->evaluate(batch, 9).loss;
    EXPECT_NEAR(ea, eb, 1e-3 * ea);
}

TEST(Pretrainer, TrainedTextEncoderLearnsItsLayersNotItsTokenTableAndResumes) {
    PretrainOptions o;
    o.learningRate = 1e-3;
    o.warmupSteps = 1;
    o.seed = 3;
    const CaptionedVideoBatch batch = makeBatch();
    auto straight = makeUNetRun(o, /*trainText=*/true);
    const TensorMap textBefore = copied(module_state(*straight->models.textEncoder));
    for (int i = 0; i < 3; ++i)
        straight->trainer->step(batch);
    const TensorMap textAfter = module_state(*straight->models.textEncoder);
    const std::string table = "text_model.embeddings.token_embedding.weight";
    EXPECT_TRUE(torch::equal(textBefore.at(table), textAfter.at(table))) << "the token table is fixed";
    int moved = 0;
    for (const auto& [k, t] : textAfter)
        if (k != table && !torch::equal(t, textBefore.at(k)))
            ++moved;
    EXPECT_GT(moved, 4) << "the encoder's layers train";

    // The moving average covers the encoder and is a complete, loadable text encoder state.
    const TensorMap te = straight->trainer->text_encoder_ema_state();
    EXPECT_EQ(te.size(), textAfter.size());
    EXPECT_TRUE(torch::equal(te.at(table), textBefore.at(table)));
    EXPECT_FALSE(torch::equal(te.at("text_model.final_layer_norm.weight"),
                              textAfter.at("text_model.final_layer_norm.weight")))
        << "the average lags the weights";

    // Resume: bit-identical, text encoder included.
    auto first = makeUNetRun(o, true);
    first->trainer->step(batch);
    const fs::path dir = fs::temp_directory_path() / "mb_pretrain_resume_text";
    fs::remove_all(dir);
    first->trainer->save_checkpoint(dir.string());
    auto resumed = makeUNetRun(o, true);
    resumed->trainer->load_checkpoint(dir.string());
    resumed->trainer->step(batch);
    resumed->trainer->step(batch);
    EXPECT_TRUE(sameState(module_state(*straight->unet), module_state(*resumed->unet)));
    EXPECT_TRUE(sameState(textAfter, module_state(*resumed->models.textEncoder)));
    EXPECT_TRUE(sameState(te, resumed->trainer->text_encoder_ema_state()));
    // A frozen-text run refuses that checkpoint by name (and the other way round).
    auto frozen = makeUNetRun(o, false);
    EXPECT_THROW(frozen->trainer->load_checkpoint(dir.string()), std::runtime_error);
    EXPECT_THROW(frozen->trainer->text_encoder_ema_state(), std::logic_error);
    fs::remove_all(dir);

    // Concurrent clips each encode their own caption (a shared graph could not be back-propagated twice).
    o.concurrentClips = true;
    o.captionDropout = 0;
    auto concurrent = makeUNetRun(o, true);
    const double loss = concurrent->trainer->step(batch).loss;
    EXPECT_TRUE(std::isfinite(loss));
    const TensorMap textConcurrent = module_state(*concurrent->models.textEncoder);
    EXPECT_FALSE(torch::equal(textConcurrent.at("text_model.final_layer_norm.weight"),
                              textBefore.at("text_model.final_layer_norm.weight")));
}
