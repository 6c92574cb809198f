// The subject-attention probe (box-following by attention): centroids of hand-made probability maps.
#include "ml/attention_probe.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace mb::ml;

namespace {

CrossAttentionInfo layer(int64_t h, int64_t w, int64_t frames) {
    CrossAttentionInfo info;
    info.modulePath = "test.attn2";
    info.height = h;
    info.width = w;
    info.batch = 1;
    info.frames = frames;
    info.heads = 2;
    info.tokens = 5;
    return info;
}

} // namespace

TEST(AttentionProbe, CentroidOfEachFrameAveragedOverLayers) {
    SubjectAttentionProbe probe({{2, 3}});
    // Layer 1, 3×4 map, 2 frames. Frame 0: the subject's tokens attend only at cell (x 3, y 0) (both heads);
    // frame 1: uniformly. Other tokens get the rest of each row's probability (ignored by the probe).
    torch::Tensor p1 = torch::full({2, 2, 12, 5}, 0.1);
    torch::Tensor f0 = p1.select(0, 0); // [heads, cells, tokens]
    f0.select(2, 2).zero_();
    f0.select(2, 3).zero_();
    f0.select(1, 3).select(1, 2).fill_(0.4); // cell index y·w + x = 0·4 + 3
    f0.select(1, 3).select(1, 3).fill_(0.2);
    probe.observe_probabilities(layer(3, 4, 2), p1);
    auto c = probe.centroids();
    ASSERT_EQ(c.size(), 1u);
    ASSERT_EQ(c[0].size(), 2u);
    EXPECT_NEAR(c[0][0][0], 3.5 / 4, 1e-6);
    EXPECT_NEAR(c[0][0][1], 0.5 / 3, 1e-6);
    EXPECT_NEAR(c[0][1][0], 0.5, 1e-6);
    EXPECT_NEAR(c[0][1][1], 0.5, 1e-6);

    // Layer 2, a finer 6×8 map: frame 0 all at cell (x 0, y 5); frame 1 uniform again. The frame's centroid
    // is the mean of the two layers' centroids.
    torch::Tensor p2 = torch::full({2, 2, 48, 5}, 0.1);
    torch::Tensor g0 = p2.select(0, 0);
    g0.select(2, 2).zero_();
    g0.select(2, 3).zero_();
    g0.select(1, 5 * 8 + 0).select(1, 2).fill_(0.3);
    probe.observe_probabilities(layer(6, 8, 2), p2);
    c = probe.centroids();
    EXPECT_EQ(probe.layers_seen(), 2);
    EXPECT_NEAR(c[0][0][0], (3.5 / 4 + 0.5 / 8) / 2, 1e-6);
    EXPECT_NEAR(c[0][0][1], (0.5 / 3 + 5.5 / 6) / 2, 1e-6);
    EXPECT_NEAR(c[0][1][0], 0.5, 1e-6);

    // A map that does not match the layer's size is refused.
    EXPECT_THROW(probe.observe_probabilities(layer(5, 5, 2), p1), std::invalid_argument);
}

TEST(AttentionProbe, NoLayerNoCentroids) {
    SubjectAttentionProbe probe({{1}, {2}});
    const auto c = probe.centroids();
    ASSERT_EQ(c.size(), 2u);
    EXPECT_TRUE(c[0].empty());
    EXPECT_TRUE(c[1].empty());
}
