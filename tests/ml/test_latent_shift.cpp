// Camera control (method §9): integer schedule, direction, fills from the same row/column, seeds.
#include "ml/latent_shift.h"

#include <gtest/gtest.h>
#include <set>
#include <torch/torch.h>

using namespace mb::ml;

namespace {
/** A latent whose every cell holds a unique code: channel 0 = row·1000 + column, channel 1 = −code. */
torch::Tensor codedLatent(int64_t F, int64_t h, int64_t w) {
    auto z = torch::zeros({1, 2, F, h, w});
    for (int64_t f = 0; f < F; ++f)
        for (int64_t y = 0; y < h; ++y)
            for (int64_t x = 0; x < w; ++x) {
                z[0][0][f][y][x] = float(y * 1000 + x);
                z[0][1][f][y][x] = -float(y * 1000 + x);
            }
    return z;
}
} // namespace

TEST(LatentShift, ReferenceIntegerScheduleForAConstantPan) {
    // Reference example (method §9): Zeroscope c_x = 0.5 → v = 1.5 cells/frame; totals int(f·v).
    // Here D_f = f·1.5 cells, window of 10 steps.
    const int F = 24;
    std::vector<std::array<double, 2>> total;
    for (int f = 0; f < F; ++f)
        total.push_back({1.5 * f, 0.0});
    LatentShifter s(total, 10, 1);
    auto z = codedLatent(F, 4, 72);
    std::vector<int64_t> applied(F, 0);
    for (int i = 0; i < 10; ++i) {
        std::vector<std::array<int64_t, 2>> moved;
        z = s.step(z, torch::Tensor(), &moved);
        for (int f = 0; f < F; ++f)
            applied[size_t(f)] += moved[size_t(f)][0];
    }
    // The reference's float accumulation (method §9: 0, 1, 2, 4, 5, 7, …, 33, 34), truncation included.
    const int64_t expect[] = {0,  1,  2,  4,  5,  7,  9,  10, 11, 13, 15, 16,
                              18, 19, 21, 22, 23, 25, 26, 28, 30, 31, 33, 34};
    for (int f = 0; f < F; ++f) {
        EXPECT_EQ(applied[size_t(f)], expect[f]) << f;
        EXPECT_LE(std::abs(1.5 * f - double(applied[size_t(f)])), 1.0 + 1e-9);
        EXPECT_NEAR(s.remaining(f)[0], 1.5 * f - applied[size_t(f)], 1e-9);
    }
    EXPECT_THROW(s.step(z, torch::Tensor()), std::logic_error);
}

TEST(LatentShift, MovesAKnownPatternByTheRequestedCellsAndFillsFromTheSameRow) {
    const int64_t h = 6, w = 10;
    // Frame 0 still, frame 1 pans right by 3 cells and down by 2 in one step.
    LatentShifter s({{0, 0}, {3, 2}}, 1, 42);
    auto z = codedLatent(2, h, w);
    auto bg = torch::ones({2, h, w}, torch::kBool);
    bg[1].slice(0, 1, 3).slice(1, 2, 5).fill_(false); // a subject box: rows 1-2, cols 2-4
    auto out = s.step(z, bg);
    EXPECT_TRUE(torch::equal(out.select(2, 0), z.select(2, 0))); // frame 0 untouched
    auto src = z[0][0][1];
    auto dst = out[0][0][1];
    // Content moved left by 3 and up by 2: dst[y][x] = src[y+2][x+3] where both exist.
    for (int64_t y = 0; y + 2 < h; ++y)
        for (int64_t x = 0; x + 3 < w; ++x)
            EXPECT_EQ(dst[y][x].item<float>(), src[y + 2][x + 3].item<float>()) << y << "," << x;
    // New columns (right, rows 0..h-3 after the y shift) come from the same source row (+2 for the y shift),
    // distinct, and never from inside the subject box.
    for (int64_t y = 0; y + 2 < h; ++y) {
        std::set<int64_t> cols;
        for (int64_t x = w - 3; x < w; ++x) {
            const int64_t code = int64_t(dst[y][x].item<float>());
            EXPECT_EQ(code / 1000, y + 2) << "x fill from another row";
            const int64_t c = code % 1000;
            const bool inBox = (y + 2 >= 1 && y + 2 < 3) && c >= 2 && c < 5;
            EXPECT_FALSE(inBox) << "filled from the subject";
            cols.insert(c);
        }
        EXPECT_EQ(cols.size(), 3u) << "x fill must draw distinct columns";
    }
    // New rows (bottom 2) come from the same source column as the cell's column, outside the box.
    for (int64_t x = 0; x < w; ++x)
        for (int64_t y = h - 2; y < h; ++y) {
            const int64_t code = int64_t(dst[y][x].item<float>());
            EXPECT_EQ(code % 1000, x) << "y fill from another column";
            const int64_t r = code / 1000;
            EXPECT_FALSE(r >= 1 && r < 3 && x >= 2 && x < 5);
        }
    // All channels of a cell move together.
    EXPECT_TRUE(torch::equal(out[0][1], -out[0][0]));
    EXPECT_EQ(s.fill_shortages(), 0);
}

TEST(LatentShift, NegativeShiftsPrependAndSameSeedIsReproducible) {
    auto run = [](uint64_t seed) {
        LatentShifter s({{-2, -1}}, 1, seed);
        return s.step(codedLatent(1, 5, 8), torch::Tensor());
    };
    auto a = run(7), b = run(7), c = run(8);
    EXPECT_TRUE(torch::equal(a, b));
    EXPECT_FALSE(torch::equal(a, c));
    auto src = codedLatent(1, 5, 8)[0][0][0];
    // Content moved right by 2 and down by 1.
    for (int64_t y = 1; y < 5; ++y)
        for (int64_t x = 2; x < 8; ++x)
            EXPECT_EQ(a[0][0][0][y][x].item<float>(), src[y - 1][x - 2].item<float>());
}

TEST(LatentShift, ShortageSamplesWithReplacementAndNeverAborts) {
    // A row fully covered by a subject: the fill falls back to the frame's background.
    LatentShifter s({{4, 0}}, 1, 3);
    auto bg = torch::ones({1, 3, 6}, torch::kBool);
    bg[0][1].fill_(false);
    bg[0][0].slice(0, 0, 4).fill_(false); // row 0 has 2 background cells, fewer than 4
    auto out = s.step(codedLatent(1, 3, 6), bg);
    EXPECT_EQ(s.fill_shortages(), 2);
    for (int64_t x = 2; x < 6; ++x) {
        const int64_t c = int64_t(out[0][0][0][0][x].item<float>()) % 1000;
        EXPECT_GE(c, 4); // from row 0's background columns 4, 5
    }
}
