// AutoencoderKL (tiny) against vectors/vae.safetensors. Tolerance max|Δ| ≤ 1e-4 (README suggestion; the
// reference's own 1-vs-2-thread noise is ≤ 8e-6).
#include "ml/vae.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "ml/model_loader.h"
#include "ml/safetensors.h"

using namespace mb::ml;

namespace {

const std::string kRef = MB_TEST_DATA "/reference";
constexpr double kTol = 1e-4;

AutoencoderKL loadTiny() {
    AutoencoderKL vae(VaeConfig::from_file(kRef + "/tiny/vae/config.json"));
    LoadOptions strict;
    strict.requireComplete = true;
    const KeyReport r = load_component_weights(*vae, kRef + "/tiny/vae", strict);
    EXPECT_TRUE(r.complete()) << r.summary();
    vae->eval();
    return vae;
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
    EXPECT_EQ(a.sizes(), b.sizes());
    return a.sizes() == b.sizes() ? (a - b).abs().max().item<double>() : 1e30;
}

} // namespace

TEST(VaeParity, EncodeDecodeRoundTrip) {
    AutoencoderKL vae = loadTiny();
    EXPECT_EQ(vae->config().scaleFactor(), 4);
    EXPECT_DOUBLE_EQ(vae->config().scalingFactor, 0.18215);
    const TensorMap ref = read_safetensors(kRef + "/vectors/vae.safetensors");
    torch::NoGradGuard noGrad;
    const LatentDistribution d = vae->encode(ref.at("image"));
    EXPECT_LE(maxAbsDiff(d.mean, ref.at("latent_mean")), kTol);
    EXPECT_LE(maxAbsDiff(d.logvar, ref.at("latent_logvar")), kTol);
    EXPECT_LE(maxAbsDiff(d.std, ref.at("latent_std")), kTol);
    EXPECT_LE(maxAbsDiff(vae->decode(ref.at("z")), ref.at("decoded")), kTol);
    EXPECT_LE(maxAbsDiff(vae->decode(d.mode()), ref.at("roundtrip_mode")), kTol);
}

TEST(VaeParity, SlicedAndVideoDecodeEqualWholeBatch) {
    AutoencoderKL vae = loadTiny();
    const TensorMap ref = read_safetensors(kRef + "/vectors/vae.safetensors");
    torch::NoGradGuard noGrad;
    const torch::Tensor whole = vae->decode(ref.at("z"));
    for (int64_t chunk : {1, 2, 3, 8}) {
        EXPECT_LE(maxAbsDiff(vae->decode_sliced(ref.at("z"), chunk), whole), 1e-5) << chunk;
    }
    EXPECT_THROW(vae->decode_sliced(ref.at("z"), 0), std::invalid_argument);
    // Video layout: [B, C, F, h, w] with frames = the 3 rows.
    const torch::Tensor video = ref.at("z").permute({1, 0, 2, 3}).unsqueeze(0);
    const torch::Tensor frames = vae->decode_video(video, 2);
    ASSERT_EQ(frames.sizes(), (std::vector<int64_t>{1, 3, 3, 32, 48}));
    EXPECT_LE(maxAbsDiff(frames[0].permute({1, 0, 2, 3}), ref.at("decoded")), kTol);
    const LatentDistribution dv = vae->encode_video(ref.at("image").permute({1, 0, 2, 3}).unsqueeze(0), 2);
    EXPECT_LE(maxAbsDiff(dv.mean, ref.at("latent_mean")), kTol);
}

TEST(VaeParity, SeededSamplingIsReproducible) {
    AutoencoderKL vae = loadTiny();
    const TensorMap ref = read_safetensors(kRef + "/vectors/vae.safetensors");
    torch::NoGradGuard noGrad;
    const LatentDistribution d = vae->encode(ref.at("image"));
    auto g1 = at::make_generator<at::CPUGeneratorImpl>(123);
    auto g2 = at::make_generator<at::CPUGeneratorImpl>(123);
    const torch::Tensor a = d.sample(g1), b = d.sample(g2);
    EXPECT_TRUE(torch::equal(a, b));
    auto g3 = at::make_generator<at::CPUGeneratorImpl>(123);
    const torch::Tensor eps = at::randn(d.mean.sizes(), g3, d.mean.options());
    EXPECT_LE(maxAbsDiff(a, d.mean + d.std * eps), 1e-6);
    EXPECT_GT(maxAbsDiff(a, d.mean), 1e-3);
}

TEST(VaeParity, RejectsBadInput) {
    AutoencoderKL vae = loadTiny();
    torch::NoGradGuard noGrad;
    EXPECT_THROW(vae->encode(torch::zeros({1, 3, 30, 48})), std::invalid_argument);
    EXPECT_THROW(vae->decode(torch::zeros({1, 3, 8, 8})), std::invalid_argument);
    nlohmann::json cfg = read_json_file(kRef + "/tiny/vae/config.json");
    cfg["norm_num_groups"] = 5;
    EXPECT_THROW(VaeConfig::from_json(cfg, "bad.json"), std::runtime_error);
}
