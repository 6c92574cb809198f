// Subject learning losses (method §4, §6): scales, masks, gradients; STCA on a hand-computed case.
#include "ml/attention_edit.h"
#include "ml/subject_losses.h"

#include <cmath>
#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace mb::ml;

TEST(RegionLoss, GradientIsExactlyZeroOutsideTheMask) {
    torch::manual_seed(0);
    auto pred = torch::randn({2, 4, 1, 6, 8}, torch::requires_grad());
    auto target = torch::randn({2, 4, 1, 6, 8});
    auto mask = torch::zeros({2, 1, 6, 8}, torch::kBool);
    mask[0].slice(1, 1, 4).slice(2, 2, 5).fill_(true);
    mask[1].slice(1, 0, 2).slice(2, 0, 8).fill_(true);
    auto loss = subject_region_loss(pred, target, mask);
    loss.backward();
    auto g = pred.grad();
    auto outside = (~mask).unsqueeze(2).expand_as(g);
    EXPECT_EQ(g.masked_select(outside).abs().max().item<float>(), 0.0f);
    EXPECT_GT(g.masked_select(~outside).abs().max().item<float>(), 0.0f);
    // Scale: sum of squared errors over channels and masked positions / masked positions.
    const auto m = mask.unsqueeze(2).to(torch::kFloat32);
    const double expect = (((pred - target) * m).pow(2).sum() / mask.sum()).item<double>();
    EXPECT_NEAR(loss.item<double>(), expect, 1e-6);
    // = 4 × the per-element masked MSE (4 channels): the reference's scale.
    const double perElement = (((pred - target) * m).pow(2).sum() / (mask.sum() * 4)).item<double>();
    EXPECT_NEAR(loss.item<double>(), 4 * perElement, 1e-5);
}

TEST(RegionLoss, EmptyMaskGivesZero) {
    auto pred = torch::randn({1, 4, 5, 5}, torch::requires_grad());
    auto loss =
        subject_region_loss(pred, torch::zeros({1, 4, 5, 5}), torch::zeros({1, 1, 5, 5}, torch::kBool));
    EXPECT_EQ(loss.item<float>(), 0.0f);
    loss.backward(); // still differentiable
}

TEST(RegionLoss, LatentMaskSamplesTheCentralPixels) {
    // With an exact factor 8, a latent cell is set iff one of its 8×8 block's 2×2 central pixels is set.
    auto px = torch::zeros({1, 1, 16, 16});
    px[0][0][3][3] = 1; // central pixel of block (0,0): (3..4, 3..4)
    px[0][0][8][8] = 1; // a corner of block (1,1): not sampled
    auto m = latent_region_mask(px, 2, 2);
    EXPECT_TRUE(m[0][0][0][0].item<bool>());
    EXPECT_FALSE(m[0][0][1][1].item<bool>());
    EXPECT_FALSE(m[0][0][0][1].item<bool>());
}

TEST(StcaLoss, HandComputedValueAndGradient) {
    // Maps a = [0.8, 0.3, 0.5, 0.1], target t = [1, 0, 0.5, 0]:
    // BCE = −mean(t·ln a + (1−t)·ln(1−a)) and dBCE/da = (a − t) / (a(1−a)) / n.
    auto a = torch::tensor({0.8f, 0.3f, 0.5f, 0.1f}).view({1, 1, 2, 2}).set_requires_grad(true);
    auto t = torch::tensor({1.0f, 0.0f, 0.5f, 0.0f}).view({1, 1, 2, 2});
    auto loss = stca_loss(a, t);
    const double expect =
        -(std::log(0.8) + std::log(0.7) + 0.5 * std::log(0.5) + 0.5 * std::log(0.5) + std::log(0.9)) / 4.0;
    EXPECT_NEAR(loss.item<double>(), expect, 1e-6);
    loss.backward();
    const float av[] = {0.8f, 0.3f, 0.5f, 0.1f}, tv[] = {1, 0, 0.5f, 0};
    for (int i = 0; i < 4; ++i)
        EXPECT_NEAR(a.grad().view(-1)[i].item<double>(), (av[i] - tv[i]) / (av[i] * (1 - av[i])) / 4.0, 1e-5);
    // The soft target keeps quarter values (2×2 central pixels of each 32×32 block, method §6).
    auto px = torch::zeros({1, 1, 32, 32});
    px[0][0][15][15] = 1;
    EXPECT_NEAR(stca_target(px, 1, 1).item<double>(), 0.25, 1e-6);
}

TEST(StcaCollector, AveragesHeadsTokensAndLayers) {
    StcaCollector c({1, 2});
    CrossAttentionInfo info;
    info.height = 1;
    info.width = 2;
    info.isStcaLayer = true;
    auto p1 = torch::zeros({1, 2, 2, 4});
    p1.select(3, 1).fill_(0.2); // token 1: 0.2 everywhere
    p1.select(3, 2).fill_(0.4); // token 2: 0.4 → phrase mean 0.3
    auto p2 = torch::zeros({1, 2, 2, 4});
    p2.select(3, 1).fill_(0.5);
    p2.select(3, 2).fill_(0.5); // phrase mean 0.5
    EXPECT_TRUE(c.wants_probabilities(info));
    c.observe_probabilities(info, p1);
    c.observe_probabilities(info, p2);
    EXPECT_EQ(c.layers_seen(), 2);
    EXPECT_TRUE(torch::allclose(c.map(), torch::full({1, 1, 1, 2}, 0.4)));
    info.isStcaLayer = false;
    EXPECT_FALSE(c.wants_probabilities(info));
    c.set_active(false);
    info.isStcaLayer = true;
    EXPECT_FALSE(c.wants_probabilities(info));
}
