// Subject motion control (method §8): the edit raises the subject tokens' attention inside the box at every
// resolution of the tiny UNet and zeroes it outside; other words are masked per the option.
#include "ml/attention_edit.h"
#include "ml/model_loader.h"
#include "ml/unet3d.h"

#include <gtest/gtest.h>
#include <set>
#include <torch/torch.h>

using namespace mb::ml;

TEST(BoxCells, RoundingClampingAndTinyBoxes) {
    auto c = box_cells({0.25, 0.5, 0.75, 1.0}, 4, 8); // → rows [2,4), cols [2,6)
    EXPECT_EQ(c, (std::array<int64_t, 4>{2, 4, 2, 6}));
    c = box_cells({-0.5, -0.2, 0.3, 0.4}, 5, 10); // clamped at 0
    EXPECT_EQ(c, (std::array<int64_t, 4>{0, 2, 0, 3}));
    c = box_cells({0.41, 0.41, 0.44, 0.44}, 5, 9); // rounds to nothing: the centre cell stays
    EXPECT_EQ(c, (std::array<int64_t, 4>{2, 3, 3, 4}));
    c = box_cells({1.2, 0.1, 1.5, 0.3}, 5, 9); // off the map
    EXPECT_EQ(c[1] - c[0], 0);
}

TEST(AttentionEditor, BiasValues) {
    AttentionEditor e;
    AttentionEditSettings s;
    s.alpha = 2.0;
    s.promptLength = 6; // SOT w1 w2 w3 w4 EOT: words at 1..4
    e.configure({{{2, 3}, {{0.0, 0.0, 0.5, 0.5}}}}, s);
    auto b = e.build_bias(1, 1, 2, 2, 8);
    // Box = cell (0,0) of 4: boost 2·(1 − 1/4) = 1.5 for tokens 2, 3; −2e10 outside.
    EXPECT_FLOAT_EQ(b[0][0][0][2].item<float>(), 1.5f);
    EXPECT_FLOAT_EQ(b[0][0][3][3].item<float>(), -2e10f);
    EXPECT_FLOAT_EQ(b[0][0][1][1].item<float>(), -2e10f); // other word suppressed everywhere
    EXPECT_FLOAT_EQ(b[0][0][0][0].item<float>(), 0.0f);   // SOT untouched
    EXPECT_FLOAT_EQ(b[0][0][0][5].item<float>(), 0.0f);   // EOT untouched
    EXPECT_FLOAT_EQ(b[0][0][0][7].item<float>(), 0.0f);   // padding untouched
    s.amplify = false;
    s.suppressOtherWords = false;
    e.configure({{{2, 3}, {{0.0, 0.0, 0.5, 0.5}}}}, s);
    b = e.build_bias(2, 1, 2, 2, 8);
    EXPECT_FLOAT_EQ(b[0][0][0][2].item<float>(), 0.0f);
    EXPECT_FLOAT_EQ(b[0][0][1][1].item<float>(), 0.0f);
    EXPECT_FLOAT_EQ(b[0][0][3][2].item<float>(), -2e10f);
    EXPECT_EQ(b[1].abs().max().item<float>(), 0.0f); // batch item 1 (unconditional) untouched
}

namespace {
/** Applies the editor's bias and records the subject tokens' attention per layer. */
struct Probe : CrossAttentionHook {
    AttentionEditor* editor = nullptr;
    std::vector<int64_t> tokens;
    std::vector<std::pair<CrossAttentionInfo, torch::Tensor>> seen; // [B·F, h·w] subject attention
    torch::Tensor logit_bias(const CrossAttentionInfo& i) override {
        return editor ? editor->logit_bias(i) : torch::Tensor();
    }
    bool wants_probabilities(const CrossAttentionInfo&) override { return true; }
    void observe_probabilities(const CrossAttentionInfo& i, const torch::Tensor& p) override {
        auto idx = torch::tensor(tokens, torch::kLong);
        seen.emplace_back(i, p.mean(1).index_select(-1, idx).sum(-1)); // [B·F, h·w]
    }
};
} // namespace

TEST(AttentionEditor, RaisesSubjectAttentionInsideTheBoxAtEveryResolution) {
    torch::NoGradGuard ng;
    const std::string dir = std::string(MB_TEST_DATA) + "/reference/tiny/unet";
    UNet3DConditionModel unet(UNet3DConfig::from_file(dir + "/config.json"));
    load_component_weights(*unet, dir);
    unet->eval();
    torch::manual_seed(5);
    const int64_t F = 3;
    auto sample = torch::randn({1, 4, F, 16, 24});
    auto text = torch::randn({1, 77, 32});
    const std::vector<int64_t> tokens{2, 3};
    // The box moves left to right over the frames.
    std::vector<BoxF> boxes{{0.0, 0.25, 0.5, 1.0}, {0.25, 0.25, 0.75, 1.0}, {0.5, 0.25, 1.0, 1.0}};

    Probe plain;
    plain.tokens = tokens;
    unet->forward(sample, torch::tensor(981), text, &plain);

    AttentionEditor editor;
    AttentionEditSettings s;
    s.alpha = 7.5;
    s.promptLength = 6;
    editor.configure({{tokens, boxes}}, s);
    Probe edited;
    edited.tokens = tokens;
    edited.editor = &editor;
    unet->forward(sample, torch::tensor(981), text, &edited);

    ASSERT_EQ(plain.seen.size(), edited.seen.size());
    ASSERT_GE(edited.seen.size(), 3u);
    std::set<std::pair<int64_t, int64_t>> resolutions;
    for (size_t l = 0; l < edited.seen.size(); ++l) {
        const auto& info = edited.seen[l].first;
        resolutions.insert({info.height, info.width});
        for (int64_t f = 0; f < F; ++f) {
            auto c = box_cells(boxes[size_t(f)], info.height, info.width);
            auto in = torch::zeros({info.height, info.width}, torch::kBool);
            in.slice(0, c[0], c[1]).slice(1, c[2], c[3]).fill_(true);
            in = in.view(-1);
            auto e = edited.seen[l].second[f];
            auto p = plain.seen[l].second[f];
            EXPECT_EQ(e.masked_select(~in).abs().max().item<float>(), 0.0f)
                << info.modulePath << " frame " << f;
            EXPECT_GT(e.masked_select(in).mean().item<float>(),
                      p.masked_select(in).mean().item<float>() + 0.05)
                << info.modulePath << " frame " << f;
        }
    }
    EXPECT_GE(resolutions.size(), 2u) << "the tiny UNet has cross-attention at several resolutions";
}
