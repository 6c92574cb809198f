// `motionbooth-cli pretrain clips|init|vae|unet` and `bench unet|train|animatic` from the command line: the
// glue between the arguments and the training and benchmark code, on copies of the built-in model folder and
// on the tiny reference UNet config.
#include "doc/atomic_file.h"
#include "doc/sha256.h"
#include "media/video_io.h"

#include "cli_runner.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

const std::string kRoot = MB_SOURCE_DIR;
const std::string kData = " --backgrounds " + kRoot + "/scripts/default-model/backgrounds.txt --sprites " +
                          kRoot + "/scripts/default-model/sprites.txt";
const std::string kTinyConfig = std::string(MB_TEST_DATA) + "/reference/tiny/unet/config.json";

fs::path scratch(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("mb-cli-pretrain-" + std::to_string(::getpid())) / name;
    fs::remove_all(d);
    fs::create_directories(d.parent_path());
    return d;
}

/** A writable copy of the built-in model folder, links followed (its tokenizer is a link to the shared
 *  vocabulary), so training writes into the copy, never into the repository. */
std::string modelCopy(const std::string& name) {
    const fs::path d = scratch(name);
    fs::copy(kRoot + "/resources/models/default", d, fs::copy_options::recursive);
    return d.string();
}

std::string sha(const std::string& path) {
    return mb::sha256File(path);
}

/** The first number after `label` in `text`, or NaN. */
double numberAfter(const std::string& text, const std::string& label) {
    const size_t at = text.find(label);
    if (at == std::string::npos)
        return std::nan("");
    return std::strtod(text.c_str() + at + label.size(), nullptr);
}

/** The parameter count of a safetensors file, from its header's shapes alone. */
long long parameterCount(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    uint64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), 8);
    std::string header(n, '\0');
    in.read(header.data(), std::streamsize(n));
    long long total = 0;
    const nlohmann::json tensors = nlohmann::json::parse(header);
    for (auto it = tensors.begin(); it != tensors.end(); ++it) {
        if (it.key() == "__metadata__")
            continue;
        long long e = 1;
        for (const auto& d : it.value().at("shape"))
            e *= d.get<long long>();
        total += e;
    }
    return total;
}

const char* const kUnetWeights = "/unet/diffusion_pytorch_model.safetensors";
const char* const kVaeWeights = "/vae/diffusion_pytorch_model.safetensors";
const char* const kTextWeights = "/text_encoder/model.safetensors";

} // namespace

TEST(CliPretrain, ClipsAreWrittenWithCaptionsAtTheRequestedSizeAndRepeatBySeed) {
    const fs::path a = scratch("clips-a"), b = scratch("clips-b");
    const std::string args = kData + " --size 64x48 --frames 5 --count 3 --seed 4 --camera-travel 0.5,0.1";
    const mbtest::CliResult r = mbtest::runCli("pretrain clips -o " + a.string() + args);
    ASSERT_EQ(r.code, 0) << r.out;
    for (int i = 0; i < 3; ++i) {
        const std::string stem = (a / ("clip_0000" + std::to_string(i))).string();
        const mb::media::VideoInfo info = mb::media::probeVideo(stem + ".mp4");
        EXPECT_EQ(info.frames, 5);
        EXPECT_EQ(info.width, 64);
        EXPECT_EQ(info.height, 48);
        const std::string caption = mb::readWholeFile(stem + ".txt");
        EXPECT_FALSE(caption.empty());
        // The command prints each clip's caption, as written beside it.
        EXPECT_NE(r.out.find("clip_0000" + std::to_string(i) + ": " + caption.substr(0, caption.find('\n'))),
                  std::string::npos)
            << r.out;
    }
    ASSERT_EQ(mbtest::runCli("pretrain clips -o " + b.string() + args).code, 0);
    EXPECT_EQ(sha((a / "clip_00002.mp4").string()), sha((b / "clip_00002.mp4").string()));
    EXPECT_EQ(mb::readWholeFile((a / "clip_00001.txt").string()),
              mb::readWholeFile((b / "clip_00001.txt").string()));

    for (const std::string bad : {"2", "0.5,x", "-0.1", "abc"}) {
        const mbtest::CliResult e =
            mbtest::runCli("pretrain clips -o " + b.string() + kData + " --camera-travel " + bad);
        EXPECT_NE(e.code, 0) << bad;
        EXPECT_NE(e.out.find("--camera-travel"), std::string::npos) << e.out;
    }
}

TEST(CliPretrain, InitDrawsTheTextEncoderFromItsSeed) {
    const std::string m = modelCopy("init");
    ASSERT_EQ(mbtest::runCli("pretrain init " + m + " --seed 3").code, 0);
    const std::string first = sha(m + kTextWeights);
    ASSERT_EQ(mbtest::runCli("pretrain init " + m + " --seed 3").code, 0);
    EXPECT_EQ(sha(m + kTextWeights), first);
    ASSERT_EQ(mbtest::runCli("pretrain init " + m + " --seed 4").code, 0);
    EXPECT_NE(sha(m + kTextWeights), first);
}

TEST(CliPretrain, VaeTrainsSetsItsScalingFactorAndResumes) {
    const std::string m = modelCopy("vae");
    const std::string before = sha(m + kVaeWeights);
    const std::string work = scratch("vae-work").string();
    const std::string args = kData + " --size 32x32 --frames 2 --batch 1 --threads 1 --work " + work;
    mbtest::CliResult r = mbtest::runCli("pretrain vae " + m + args + " --steps 2");
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(sha(m + kVaeWeights), before);
    const double printed = numberAfter(r.out, "scaling_factor ");
    const double stored =
        nlohmann::json::parse(mb::readWholeFile(m + "/vae/config.json"))["scaling_factor"].get<double>();
    EXPECT_TRUE(std::isfinite(stored) && stored > 0) << stored;
    EXPECT_NEAR(printed, stored, 1e-4) << r.out;

    r = mbtest::runCli("pretrain vae " + m + args + " --steps 3 --resume");
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("from step 2"), std::string::npos) << r.out;
}

TEST(CliPretrain, UnetResumeIsBitIdenticalAndTheTextEncoderTrainsOnlyWhenAsked) {
    const std::string args = kData + " --size 32x32 --frames 2 --batch 1 --threads 1 --seed 2 --from-weights";
    // Straight through: 3 steps.
    const std::string straight = modelCopy("unet-straight");
    const std::string textBefore = sha(straight + kTextWeights), unetBefore = sha(straight + kUnetWeights);
    mbtest::CliResult r =
        mbtest::runCli("pretrain unet " + straight + args + " --train-text-encoder --steps 3 --work " +
                       scratch("w-straight").string());
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(sha(straight + kUnetWeights), unetBefore);
    EXPECT_NE(sha(straight + kTextWeights), textBefore);

    // Interrupted after 2, resumed to 3: the same weights bit for bit.
    const std::string resumed = modelCopy("unet-resumed");
    const std::string work = scratch("w-resumed").string();
    ASSERT_EQ(
        mbtest::runCli("pretrain unet " + resumed + args + " --train-text-encoder --steps 2 --work " + work)
            .code,
        0);
    r = mbtest::runCli("pretrain unet " + resumed + args +
                       " --train-text-encoder --steps 3 --resume --work " + work);
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("from step 2"), std::string::npos) << r.out;
    EXPECT_EQ(sha(resumed + kUnetWeights), sha(straight + kUnetWeights));
    EXPECT_EQ(sha(resumed + kTextWeights), sha(straight + kTextWeights));

    // Without --train-text-encoder the text encoder's file is left as it was.
    const std::string frozen = modelCopy("unet-frozen");
    ASSERT_EQ(
        mbtest::runCli("pretrain unet " + frozen + args + " --steps 1 --work " + scratch("w-frozen").string())
            .code,
        0);
    EXPECT_EQ(sha(frozen + kTextWeights), textBefore);
    EXPECT_NE(sha(frozen + kUnetWeights), unetBefore);
}

TEST(CliBench, UnetBenchBuildsTheConfigItIsGivenAndTimesEachStep) {
    const mbtest::CliResult r =
        mbtest::runCli("bench unet --config " + kTinyConfig +
                       " --frames 2 --size 32x32 --repeat 2 --warmup 1 --threads 1 --no-probe");
    ASSERT_EQ(r.code, 0) << r.out;
    // The parameter count of the reference weights of the same config: the bench built that UNet.
    const long long params = parameterCount(std::string(MB_TEST_DATA) +
                                            "/reference/tiny/unet/diffusion_pytorch_model.safetensors");
    EXPECT_NE(r.out.find("  " + std::to_string(params) + " parameters"), std::string::npos) << params << "\n"
                                                                                            << r.out;
    // CFG batch 2, 4 latent channels, 2 frames, 32×32 px at the VAE's factor 8.
    EXPECT_NE(r.out.find("sample [2, 4, 2, 4, 4]"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("step 2: "), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("step 3: "), std::string::npos) << r.out;
    const double median = numberAfter(r.out, "median ");
    EXPECT_TRUE(std::isfinite(median) && median > 0) << r.out;
}

TEST(CliBench, TrainBenchCountsTheTrainedParametersOfLoraAndFullTraining) {
    const std::string common =
        "bench train --config " + kTinyConfig + " --size 32x32 --frames 2 --images 2 --steps 1 --threads 1";
    const mbtest::CliResult full = mbtest::runCli(common);
    ASSERT_EQ(full.code, 0) << full.out;
    const double params = numberAfter(full.out, "\n  ");
    EXPECT_NE(full.out.find(std::to_string(static_cast<long long>(params)) + " trained"), std::string::npos)
        << full.out;
    const mbtest::CliResult lora = mbtest::runCli(common + " --lora 2");
    ASSERT_EQ(lora.code, 0) << lora.out;
    const double trained = numberAfter(lora.out, "parameters, ");
    EXPECT_GT(trained, 0) << lora.out;
    EXPECT_LT(trained, 0.2 * params) << lora.out;
    EXPECT_GT(numberAfter(full.out, "step 1: "), 0) << full.out;
}

TEST(CliBench, AnimaticBenchReportsPositiveRates) {
    const mbtest::CliResult r =
        mbtest::runCli("bench animatic --project " + kRoot +
                       "/resources/demo/demo.mbproj --size 112x64 --frames 4 --repeat 1");
    ASSERT_EQ(r.code, 0) << r.out;
    for (const std::string label : {"compositing: ", "H.264 encoding: ", "end to end: "}) {
        const double rate = numberAfter(r.out, label);
        EXPECT_TRUE(std::isfinite(rate) && rate > 0) << label << "\n" << r.out;
    }
    const mbtest::CliResult bad = mbtest::runCli("bench animatic --project /nonexistent/x.mbproj");
    EXPECT_NE(bad.code, 0);
    EXPECT_NE(bad.out.find("/nonexistent/x.mbproj"), std::string::npos) << bad.out;
}
