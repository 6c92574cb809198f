// bench_unet on the tiny model: sane timings, memory and an analytic FLOP count that matches the peer
// benchmark's hook-counted value for the same shape (1.08 GFLOP at 64×64×8, batch 2).
#include "ml/bench.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace mb::ml;

namespace {
const std::string kRef = MB_TEST_DATA "/reference";
}

TEST(Bench, TinyUNetStep) {
    UNetBenchOptions o;
    o.modelDir = kRef + "/tiny";
    o.frames = 8;
    o.width = 64;
    o.height = 64;
    o.repeats = 2;
    o.threads = 2;
    o.matmulProbe = false;
    const UNetBenchResult r = bench_unet(o);
    EXPECT_EQ(r.parameters, 1615588);
    EXPECT_EQ(r.stepSeconds.size(), 2u);
    EXPECT_GT(r.medianSeconds, 0);
    EXPECT_LE(r.minSeconds, r.medianSeconds);
    EXPECT_GT(r.peakRssGiB, 0);
    EXPECT_GT(r.outputAbsMean, 0.01);
    EXPECT_EQ(r.latentShape, (std::vector<int64_t>{2, 4, 8, 8, 8}));
    EXPECT_NEAR(r.flopsPerStep / 1e9, 1.08, 0.01);
}

TEST(Bench, ZeroscopeFlopCountMatchesPeer) {
    // Peer (diffusers, hook-counted): 2,874 GFLOP per step at 256×144×8, batch 2.
    const double f = unet_flops(kRef + "/zeroscope-keys/unet.config.json", 2, 8, 18, 32);
    EXPECT_NEAR(f / 1e9, 2874, 3);
}

TEST(Bench, RejectsBadSizes) {
    UNetBenchOptions o;
    o.configPath = kRef + "/tiny/unet/config.json";
    o.width = 60;
    EXPECT_THROW(bench_unet(o), std::invalid_argument);
    EXPECT_GT(matmul_probe_gflops(1), 0.1);
}

TEST(Bench, ControlledStepRunsTheEditedPass) {
    UNetBenchOptions o;
    o.configPath = kRef + "/tiny/unet/config.json";
    o.width = 64;
    o.height = 64;
    o.frames = 4;
    o.repeats = 1;
    o.threads = 2;
    o.matmulProbe = false;
    const UNetBenchResult plain = bench_unet(o);
    o.controlled = true;
    const UNetBenchResult controlled = bench_unet(o);
    EXPECT_EQ(controlled.stepSeconds.size(), 1u);
    EXPECT_TRUE(std::isfinite(controlled.outputAbsMean));
    // The box edit changes the conditional half's prediction, so the outputs differ.
    EXPECT_NE(controlled.outputAbsMean, plain.outputAbsMean);
    o.batch = 1;
    EXPECT_THROW(bench_unet(o), std::invalid_argument);
}
