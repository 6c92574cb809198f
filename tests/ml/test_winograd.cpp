// Winograd F(2×2, 3×3) convolution equals LibTorch's direct 3×3 convolution (padding 1) up to float32
// summation order, for even and odd sizes, with and without bias; with autograd the direct path is used.
#include "ml/winograd_conv.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace mb::ml;

namespace {
double relErr(const torch::Tensor& a, const torch::Tensor& b) {
    return ((a - b).abs().max() / b.abs().max()).item<double>();
}
} // namespace

TEST(Winograd, MatchesDirectConvolution) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(5);
    struct Case {
        int64_t n, c, k, h, w;
        bool bias;
    };
    for (const Case& cs :
         {Case{2, 128, 160, 9, 16, true}, Case{1, 130, 128, 7, 5, false}, Case{3, 64, 32, 1, 1, true},
          Case{1, 8, 8, 2, 3, true}, Case{2, 256, 256, 18, 32, true}}) {
        torch::NoGradGuard noGrad;
        const torch::Tensor x = torch::randn({cs.n, cs.c, cs.h, cs.w}, gen);
        const torch::Tensor w = torch::randn({cs.k, cs.c, 3, 3}, gen) * 0.05;
        const torch::Tensor b = cs.bias ? torch::randn({cs.k}, gen) : torch::Tensor();
        const torch::Tensor expected = torch::conv2d(x, w, b, 1, 1);
        const torch::Tensor got = conv3x3_winograd(x, w, b);
        ASSERT_EQ(got.sizes(), expected.sizes());
        EXPECT_LT(relErr(got, expected), 2e-6)
            << cs.n << "x" << cs.c << "x" << cs.h << "x" << cs.w << " -> " << cs.k;
        // A non-contiguous input gives the same result.
        const torch::Tensor xt = x.transpose(2, 3).contiguous().transpose(2, 3);
        EXPECT_TRUE(torch::allclose(conv3x3_winograd(xt, w, b), got, 0, 0));
    }
}

TEST(Winograd, ChoosesDirectConvolutionForSmallLayersAndForTraining) {
    EXPECT_FALSE(winograd_conv_worthwhile(torch::zeros({1, 32, 8, 8}), torch::zeros({32, 32, 3, 3})));
    EXPECT_FALSE(winograd_conv_worthwhile(torch::zeros({1, 320, 2, 2}), torch::zeros({320, 320, 3, 3})));
    EXPECT_TRUE(winograd_conv_worthwhile(torch::zeros({8, 320, 18, 32}), torch::zeros({320, 320, 3, 3})));
    EXPECT_FALSE(winograd_conv_worthwhile(torch::zeros({8, 1280, 5, 8}), torch::zeros({1280, 1280, 3, 3})));
    EXPECT_FALSE(winograd_conv_worthwhile(torch::zeros({8, 320, 18, 32}), torch::zeros({320, 320, 1, 1})));
    // With autograd conv3x3_same keeps LibTorch's convolution, so gradients reach the weights.
    const torch::Tensor x = torch::randn({8, 128, 16, 16});
    const torch::Tensor w = (torch::randn({128, 128, 3, 3}) * 0.05).requires_grad_(true);
    conv3x3_same(x, w, {}).sum().backward();
    ASSERT_TRUE(w.grad().defined());
    EXPECT_GT(w.grad().abs().sum().item<double>(), 0.0);
}

TEST(Winograd, LargeBatchesAreComputedInChunksWithTheSameResult) {
    torch::NoGradGuard noGrad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(8);
    // 16·256·(36·64) floats of tiles per image: 9.4 M, so 4 images exceed the 16.8 M budget and are chunked.
    const torch::Tensor x = torch::randn({4, 256, 72, 128}, gen);
    const torch::Tensor w = torch::randn({256, 256, 3, 3}, gen) * 0.02;
    const torch::Tensor b = torch::randn({256}, gen);
    const torch::Tensor whole = conv3x3_winograd(x, w, b);
    EXPECT_LT(relErr(whole, torch::conv2d(x, w, b, 1, 1)), 2e-6);
    EXPECT_TRUE(torch::equal(whole.narrow(0, 3, 1), conv3x3_winograd(x.narrow(0, 3, 1), w, b)));
}

TEST(Winograd, TemporalConvolutionMatchesConv3d) {
    torch::NoGradGuard noGrad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(9);
    for (const int64_t frames : {4, 5, 8, 24, 7}) {
        const int64_t B = 2, C = 128, H = 16, W = 17;
        const torch::Tensor x = torch::randn({B * frames, C, H, W}, gen);
        const torch::Tensor weight = torch::randn({C, C, 3, 1, 1}, gen) * 0.05; // Conv3d (3,1,1)
        const torch::Tensor bias = torch::randn({C}, gen);
        // Reference: the 5-D Conv3d with padding 1 in time on [B, C, F, H, W].
        const torch::Tensor x5 = x.view({B, frames, C, H, W}).permute({0, 2, 1, 3, 4});
        const torch::Tensor ref5 = torch::conv3d(x5, weight, bias, 1, {1, 0, 0});
        const torch::Tensor ref = ref5.permute({0, 2, 1, 3, 4}).reshape({B * frames, C, H, W});
        const torch::Tensor taps = weight.view({C, C, 3}).permute({2, 0, 1});
        ASSERT_TRUE(temporal_winograd_worthwhile(x, frames, taps));
        const torch::Tensor got = temporal_conv3_winograd(x, frames, taps, bias);
        ASSERT_EQ(got.sizes(), ref.sizes());
        EXPECT_LT(relErr(got, ref), 5e-6) << frames << " frames";
    }
    EXPECT_FALSE(temporal_winograd_worthwhile(torch::zeros({6, 128, 2, 2}), 3, torch::zeros({3, 128, 128})));
}
