// Half-precision training's CPU-checkable parts: the dynamic loss scaler (unscaling, skipping a step whose
// gradients overflowed, backing off and growing, restoring its state), autocast scopes that do nothing when
// off, and the refusals: half precision trains on CUDA only, and the CPU keeps plain float32.
#include "ml/compute_precision.h"
#include "ml/mixed_precision.h"
#include "ml/pretrainer.h"
#include "ml/subject_trainer.h"

#include <gtest/gtest.h>

#include <limits>

using namespace mb::ml;

namespace {

const std::string kTiny = std::string(MB_TEST_DATA) + "/reference/tiny";

/** A parameter whose gradient is `grad`. */
torch::Tensor withGrad(const torch::Tensor& grad) {
    torch::Tensor p = torch::zeros_like(grad).requires_grad_(true);
    p.mutable_grad() = grad.clone();
    return p;
}

} // namespace

TEST(LossScaler, UnscalesFiniteGradientsAndGrowsAfterTheInterval) {
    LossScaler::Options o;
    o.initialScale = 1024;
    o.growthInterval = 2;
    LossScaler scaler(o);
    const torch::Tensor loss = torch::full({}, 0.5);
    EXPECT_DOUBLE_EQ(scaler.scaled(loss).item<double>(), 512.0);

    torch::Tensor p = withGrad(torch::full({3}, 2048.0));
    EXPECT_TRUE(scaler.unscale_and_update({p}));
    EXPECT_TRUE(torch::equal(p.grad(), torch::full({3}, 2.0))) << "gradients divided by the scale";
    EXPECT_DOUBLE_EQ(scaler.scale(), 1024.0) << "one good step: not yet grown";
    p = withGrad(torch::full({3}, 1024.0));
    EXPECT_TRUE(scaler.unscale_and_update({p}));
    EXPECT_DOUBLE_EQ(scaler.scale(), 2048.0) << "two good steps in a row: doubled";
    EXPECT_EQ(scaler.good_steps(), 0);
    EXPECT_EQ(scaler.skipped_steps(), 0);
}

TEST(LossScaler, SkipsAndBacksOffWhenAGradientOverflowed) {
    LossScaler scaler;
    const double start = scaler.scale();
    torch::Tensor fine = withGrad(torch::ones({4}));
    torch::Tensor bad = withGrad(torch::ones({2}));
    bad.mutable_grad()[1] = std::numeric_limits<float>::infinity();
    torch::Tensor noGrad = torch::zeros({2}).requires_grad_(true); // no gradient: ignored
    EXPECT_FALSE(scaler.unscale_and_update({fine, bad, noGrad}));
    EXPECT_DOUBLE_EQ(scaler.scale(), start / 2);
    EXPECT_EQ(scaler.skipped_steps(), 1);
    torch::Tensor nan = withGrad(torch::full({1}, std::numeric_limits<float>::quiet_NaN()));
    EXPECT_FALSE(scaler.unscale_and_update({nan}));
    EXPECT_DOUBLE_EQ(scaler.scale(), start / 4);
    EXPECT_TRUE(scaler.unscale_and_update({}));

    scaler.restore(8.0, 3, 5);
    EXPECT_DOUBLE_EQ(scaler.scale(), 8.0);
    EXPECT_EQ(scaler.good_steps(), 3);
    EXPECT_EQ(scaler.skipped_steps(), 5);
    EXPECT_THROW(scaler.restore(0.0, 0, 0), std::invalid_argument);
    LossScaler::Options wrong;
    wrong.backoffFactor = 1.5;
    EXPECT_THROW(LossScaler{wrong}, std::invalid_argument);
}

TEST(MixedPrecision, AutocastScopesOffDoNothingAndBadDtypesAreRefused) {
    EXPECT_FALSE(CudaAutocastScope::active());
    {
        CudaAutocastScope off(false, c10::ScalarType::Half);
        EXPECT_FALSE(CudaAutocastScope::active());
    }
    {
        CudaAutocastScope on(true, c10::ScalarType::BFloat16);
        EXPECT_TRUE(CudaAutocastScope::active());
        EXPECT_EQ(CudaAutocastScope::active_dtype(), c10::ScalarType::BFloat16);
        // CPU tensors are untouched by CUDA autocast: a float32 product stays float32.
        EXPECT_EQ(torch::mm(torch::ones({2, 2}), torch::ones({2, 2})).scalar_type(), torch::kFloat32);
    }
    EXPECT_FALSE(CudaAutocastScope::active()) << "the previous state is restored";
    EXPECT_THROW(CudaAutocastScope(true, c10::ScalarType::Float), std::invalid_argument);
}

TEST(MixedPrecision, TrainingPrecisionIsFp32OnTheCpuAndHalfPrecisionIsRefusedThere) {
    const c10::Device cpu(c10::DeviceType::CPU);
    EXPECT_EQ(resolve_training_precision(PrecisionChoice::Auto, cpu).dtype, c10::ScalarType::Float);
    EXPECT_EQ(resolve_training_precision(PrecisionChoice::Fp32, cpu).name, "fp32");
    for (const auto choice : {PrecisionChoice::Bf16, PrecisionChoice::Fp16}) {
        try {
            resolve_training_precision(choice, cpu);
            ADD_FAILURE() << "half-precision training accepted on the CPU";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("needs a CUDA device"), std::string::npos) << e.what();
        }
    }
    // On CUDA (resolved without a card: the names alone) every choice is accepted, auto is half precision.
    const c10::Device cuda(c10::DeviceType::CUDA, 0);
    EXPECT_EQ(resolve_training_precision(PrecisionChoice::Fp16, cuda).dtype, c10::ScalarType::Half);
    EXPECT_EQ(resolve_training_precision(PrecisionChoice::Bf16, cuda).dtype, c10::ScalarType::BFloat16);
    EXPECT_NE(resolve_training_precision(PrecisionChoice::Auto, cuda).dtype, c10::ScalarType::Float);

    // The trainers refuse a half-precision compute dtype for a model on the CPU.
    const UNet3DConfig cfg = UNet3DConfig::from_file(kTiny + "/unet/config.json");
    UNet3DConditionModel unet(cfg);
    TrainingImages im;
    im.pixels = torch::randn({1, cfg.inChannels, 8, 8});
    im.masks = torch::ones({1, 1, 32, 32});
    im.text = torch::randn({1, 77, cfg.crossAttentionDim});
    im.phraseTokens = {{2}};
    SubjectTrainingOptions so;
    so.videoLoss = false;
    so.computeDtype = c10::ScalarType::BFloat16;
    EXPECT_THROW(SubjectTrainer(unet.ptr(), nullptr, DDIMScheduler(SchedulerConfig{}), im, {}, so),
                 std::invalid_argument);
    AutoencoderKL vae(VaeConfig::from_file(kTiny + "/vae/config.json"));
    PretrainOptions po;
    po.computeDtype = c10::ScalarType::Half;
    EXPECT_THROW(VaePretrainer(vae.ptr(), po), std::invalid_argument);
}
