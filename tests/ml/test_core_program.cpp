// motionbooth-core, the LibTorch-only program (built in the core-only configuration too): parity on the CPU
// passes and says so, generate writes the uint8 frames and a sidecar with seconds and device, bench-unet
// prints seconds per step and "n/a" for device memory on the CPU, and `--device cuda` on a LibTorch without
// CUDA ends with exit 1 and the message.
#include "ml/safetensors.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "ml/compute_device.h"

namespace fs = std::filesystem;

namespace {

const std::string kTiny = std::string(MB_TEST_DATA) + "/reference/tiny";

struct CoreRun {
    int code = -1;
    std::string out;
};

CoreRun core(const std::string& args) {
    CoreRun r;
    FILE* p = popen((std::string(MB_CORE) + " " + args + " 2>&1").c_str(), "r");
    if (!p)
        return r;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
        r.out.append(buf.data(), n);
    const int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

} // namespace

TEST(CoreProgram, ParityOnTheCpuPasses) {
    const CoreRun r = core("parity --device cpu");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("unet_forward.out "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("pipeline_tiny.video_pt"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(" passed, 0 failed"), std::string::npos) << r.out;
}

TEST(CoreProgram, GenerateWritesFramesAndASidecar) {
    const fs::path out =
        fs::temp_directory_path() / ("mb-core-take-" + std::to_string(::getpid()) + ".safetensors");
    const CoreRun r = core("generate --model " + kTiny +
                           " --prompt 'a horse' --frames 3 --size 48x32 --steps 2 "
                           "--seed 4 --device cpu --dtype fp32 -o " +
                           out.string());
    ASSERT_EQ(r.code, 0) << r.out;
    const mb::ml::TensorMap frames = mb::ml::read_safetensors(out.string());
    ASSERT_TRUE(frames.count("frames"));
    EXPECT_EQ(frames.at("frames").scalar_type(), torch::kUInt8);
    EXPECT_EQ(frames.at("frames").sizes(), (std::vector<int64_t>{3, 32, 48, 3}));
    std::ifstream in(out.string() + ".json");
    const nlohmann::json j = nlohmann::json::parse(in);
    EXPECT_EQ(j.at("device"), "cpu");
    EXPECT_EQ(j.at("dtype"), "fp32");
    EXPECT_GT(j.at("seconds").get<double>(), 0.0);
    EXPECT_TRUE(j.at("peak_alloc_gib").is_null()) << "no device allocator on the CPU";
    EXPECT_TRUE(j.at("latents_finite").get<bool>());
    fs::remove(out);
    fs::remove(out.string() + ".json");
}

TEST(CoreProgram, BenchUnetReportsSecondsPerStep) {
    const CoreRun r = core("bench-unet --config " + kTiny +
                           "/unet/config.json --size 32x32 --frames 2 --device cpu "
                           "--dtype fp32 --steps 2 --warmup 0 --threads 1");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find(" s/step"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("peak device memory n/a"), std::string::npos) << r.out;
}

TEST(CoreProgram, BenchTrainReportsSecondsPerStepAndWritesJson) {
    const std::string json = (std::filesystem::temp_directory_path() /
                              ("mb-core-bench-train-" + std::to_string(::getpid()) + ".json"))
                                 .string();
    const CoreRun r = core("bench-train --config " + kTiny +
                           "/unet/config.json --size 32x32 --frames 2 --images 1 --device cpu --steps 2 "
                           "--warmup 0 --threads 1 --json " +
                           json);
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find(" s/step"), std::string::npos) << r.out;
    std::ifstream in(json);
    ASSERT_TRUE(in) << r.out;
    const auto j = nlohmann::json::parse(in);
    EXPECT_EQ(j["step_seconds"].size(), 2u);
    EXPECT_EQ(j["dtype"], "fp32");
    EXPECT_TRUE(j["peak_alloc_gib"].is_null()) << "no device allocator on the CPU";
    EXPECT_GT(j["trainable"].get<int64_t>(), 0);
    std::filesystem::remove(json);
    const CoreRun half =
        core("bench-train --config " + kTiny + "/unet/config.json --device cpu --dtype bf16");
    EXPECT_EQ(half.code, 2) << half.out;
    EXPECT_NE(half.out.find("needs a CUDA device"), std::string::npos) << half.out;
}

TEST(CoreProgram, CudaIsRefusedWhereLibTorchHasNone) {
    if (mb::ml::torch_has_cuda())
        GTEST_SKIP() << "this LibTorch has CUDA";
    for (const char* command : {"parity --device cuda", "bench-unet --config x.json --device cuda",
                                "bench-train --config x.json --device cuda"}) {
        const CoreRun r = core(command);
        EXPECT_EQ(r.code, 1) << r.out;
        EXPECT_NE(r.out.find("this LibTorch build has no CUDA support: use --device cpu"), std::string::npos)
            << r.out;
    }
}
