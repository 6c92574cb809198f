// `--device` of generate, render, train, pretrain vae|unet, bench unet and bench train on a LibTorch without
// CUDA (Debian's, this machine): `cuda` and `cuda:N` are refused with a message that says what to do, before
// anything loads and without a crash or an output file; a misspelt device is a usage error; fp16 stays
// refused on the CPU, and so is half-precision training; `cpu` and `auto` run, and a take's sidecar records
// the device, dtype and library versions.
#include "ball_project.h"
#include "cli_runner.h"
#include "doc/atomic_file.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
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

TEST(CliDevice, RenderTrainPretrainAndBenchTrainRefuseCudaWithoutCudaSupport) {
    const fs::path dir =
        fs::temp_directory_path() / ("mb-cli-device-" + std::to_string(::getpid()) + "-ball");
    const std::string project = mbtest::writeBallProject(dir);
    const std::string demo = (fs::path(MB_SOURCE_DIR) / "resources" / "demo" / "demo.mbproj").string();
    const std::string take = (dir / "take.mp4").string();
    const std::vector<std::string> commands = {
        "render " + project + " -o " + take + " --frames 2 --steps 1",
        "train " + demo + " --model " + kTiny + " --steps 1 --size 48x32",
        "pretrain vae " + kTiny + " --backgrounds none --steps 1",
        "pretrain unet " + kTiny + " --backgrounds none --steps 1",
        "bench train --config " + kTiny + "/unet/config.json --size 32x32 --frames 2 --steps 1",
    };
    for (const std::string& command : commands)
        for (const std::string device : {"cuda", "cuda:0"}) {
            const mbtest::CliResult r = mbtest::runCli(command + " --device " + device);
            EXPECT_EQ(r.code, 1) << command << ": " << r.out;
            EXPECT_NE(r.out.find(kNoCuda), std::string::npos) << command << ": " << r.out;
        }
    EXPECT_FALSE(fs::exists(take));
    EXPECT_FALSE(fs::exists(demo + ".checkpoints")) << "train refused before writing anything";

    // A misspelt device is a usage error everywhere.
    for (const std::string& command : commands) {
        const mbtest::CliResult r = mbtest::runCli(command + " --device gpu0");
        EXPECT_EQ(r.code, 2) << command << ": " << r.out;
        EXPECT_NE(r.out.find("unknown device 'gpu0'"), std::string::npos) << command << ": " << r.out;
    }
    fs::remove_all(dir);
}

TEST(CliDevice, HalfPrecisionTrainingIsRefusedOnTheCpu) {
    const std::string demo = (fs::path(MB_SOURCE_DIR) / "resources" / "demo" / "demo.mbproj").string();
    for (const std::string dtype : {"bf16", "fp16"}) {
        mbtest::CliResult r = mbtest::runCli("train " + demo + " --model " + kTiny +
                                             " --steps 1 --size 48x32 --device cpu --dtype " + dtype);
        EXPECT_NE(r.code, 0) << r.out;
        EXPECT_NE(r.out.find("needs a CUDA device"), std::string::npos) << r.out;
        r = mbtest::runCli("bench train --config " + kTiny +
                           "/unet/config.json --size 32x32 --frames 2 --steps 1 --dtype " + dtype);
        EXPECT_EQ(r.code, 2) << r.out;
        EXPECT_NE(r.out.find("needs a CUDA device"), std::string::npos) << r.out;
    }
    EXPECT_FALSE(fs::exists(demo + ".checkpoints"));
}

TEST(CliDevice, RenderOnTheCpuRecordsTheDeviceInTheSidecar) {
    const fs::path dir =
        fs::temp_directory_path() / ("mb-cli-device-" + std::to_string(::getpid()) + "-side");
    const std::string project = mbtest::writeBallProject(dir);
    const std::string take = (dir / "take.mp4").string();
    const mbtest::CliResult r = mbtest::runCli("render " + project + " -o " + take +
                                               " --frames 2 --steps 1 --threads 1 --device cpu --dtype fp32");
    ASSERT_EQ(r.code, 0) << r.out;
    const auto j = nlohmann::json::parse(mb::readWholeFile(take + ".json"));
    ASSERT_TRUE(j.contains("device")) << j.dump(2);
    const auto& d = j["device"];
    EXPECT_EQ(d["name"], "cpu");
    EXPECT_EQ(d["dtype"], "fp32");
    EXPECT_EQ(d["reason"], "requested");
    EXPECT_EQ(d["cuda"], "none") << "Debian's LibTorch has no CUDA";
    EXPECT_FALSE(d["libtorch"].get<std::string>().empty());
    EXPECT_NE(d["description"].get<std::string>().find("LibTorch " + d["libtorch"].get<std::string>()),
              std::string::npos);

    // bench train on the CPU names its device and precision.
    const mbtest::CliResult b = mbtest::runCli("bench train --config " + kTiny +
                                               "/unet/config.json --size 32x32 --frames 2 --images 1 "
                                               "--steps 1 --warmup 0 --threads 1 --device auto");
    EXPECT_EQ(b.code, 0) << b.out;
    EXPECT_NE(b.out.find("device cpu; LibTorch"), std::string::npos) << b.out;
    EXPECT_NE(b.out.find("fp32"), std::string::npos) << b.out;
    fs::remove_all(dir);
}
