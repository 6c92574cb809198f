// `--device` of generate and bench unet on a LibTorch without CUDA (Debian's, this machine): `cuda` and
// `cuda:N` are refused with a message that says what to do, before anything loads and without a crash or an
// output file; a misspelt device is a usage error; fp16 stays refused on the CPU; `cpu` and `auto` run.
#include "cli_runner.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

const std::string kTiny = std::string(MB_TEST_DATA) + "/reference/tiny";
const char* kNoCuda =
    "this LibTorch build has no CUDA support: use --device cpu, or build against a CUDA LibTorch";

std::string tempOutput(const std::string& name) {
    const fs::path p =
        fs::temp_directory_path() / ("mb-cli-device-" + std::to_string(::getpid()) + "-" + name);
    fs::remove(p);
    return p.string();
}

} // namespace

TEST(CliDevice, GenerateRefusesCudaWithoutCudaSupport) {
    for (const std::string device : {"cuda", "cuda:1"}) {
        const std::string out = tempOutput("take.mp4");
        const mbtest::CliResult r = mbtest::runCli("generate --model " + kTiny +
                                                   " --prompt 'a horse' --frames 2 "
                                                   "--steps 1 --size 32x32 --device " +
                                                   device + " -o " + out);
        EXPECT_EQ(r.code, 1) << r.out;
        EXPECT_NE(r.out.find(kNoCuda), std::string::npos) << r.out;
        EXPECT_EQ(r.out.find("loaded"), std::string::npos) << "refused before loading: " << r.out;
        EXPECT_FALSE(fs::exists(out));
    }
}

TEST(CliDevice, BenchUnetRefusesCudaWithoutCudaSupport) {
    const mbtest::CliResult r =
        mbtest::runCli("bench unet --config " + kTiny +
                       "/unet/config.json --frames 2 --size 32x32 --repeat 1 --device cuda");
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.out.find(kNoCuda), std::string::npos) << r.out;
}

TEST(CliDevice, BadDeviceNamesAndFp16OnTheCpuAreUsageErrors) {
    mbtest::CliResult r =
        mbtest::runCli("generate --model " + kTiny + " --prompt x --device gpu -o " + tempOutput("bad.mp4"));
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find("unknown device 'gpu'"), std::string::npos) << r.out;
    r = mbtest::runCli("bench unet --config " + kTiny + "/unet/config.json --device cuda:x");
    EXPECT_EQ(r.code, 2) << r.out;
    r = mbtest::runCli("generate --model " + kTiny + " --prompt x --device cpu --dtype fp16 -o " +
                       tempOutput("fp16.mp4"));
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find("fp16 needs a CUDA device"), std::string::npos) << r.out;
}

TEST(CliDevice, CpuAndAutoRun) {
    const mbtest::CliResult r =
        mbtest::runCli("bench unet --config " + kTiny +
                       "/unet/config.json --frames 2 --size 32x32 --repeat 1 --warmup 0 "
                       "--no-probe --device auto --dtype fp32");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("device cpu; LibTorch"), std::string::npos) << r.out;
    const std::string out = tempOutput("cpu.mp4");
    const mbtest::CliResult g = mbtest::runCli("generate --model " + kTiny +
                                               " --prompt 'a horse' --frames 2 "
                                               "--steps 1 --size 32x32 --device cpu -o " +
                                               out);
    EXPECT_EQ(g.code, 0) << g.out;
    EXPECT_NE(g.out.find("device cpu"), std::string::npos) << g.out;
    EXPECT_TRUE(fs::exists(out));
    fs::remove(out);
}
