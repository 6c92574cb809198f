// `motionbooth-cli train` end to end on the tiny reference model: train the demo project for 2 steps at a
// small size, the project then points at the checkpoint, and render uses it (full UNet and LoRA).
#include "doc/atomic_file.h"
#include "doc/project_io.h"
#include "doc/sha256.h"

#include "cli_runner.h"
#include <array>
#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

using Result = mbtest::CliResult;

Result run(const std::string& args) {
    return mbtest::runCli(args);
}

const fs::path kDemoDir = fs::path(MB_SOURCE_DIR) / "resources" / "demo";
const std::string kTiny = std::string(MB_TEST_DATA) + "/reference/tiny";
const std::string kTrain = " --model " + kTiny + " --size 48x32 --frames 4 --threads 2";
const std::string kDraft = " --model " + kTiny + " --frames 6 --size 48x32 --steps 5 --threads 2";

/** A writable copy of the demo project. */
std::string copyDemo(const fs::path& dir) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(kDemoDir / "subject", dir / "subject", fs::copy_options::recursive);
    fs::copy_file(kDemoDir / "background.jpg", dir / "background.jpg");
    fs::copy_file(kDemoDir / "demo.mbproj", dir / "demo.mbproj");
    return (dir / "demo.mbproj").string();
}

/** The `__metadata__` of a safetensors file (8-byte little-endian header length, then the JSON header). */
nlohmann::json safetensorsMetadata(const std::string& path) {
    const std::string bytes = mb::readWholeFile(path);
    if (bytes.size() < 8)
        return {};
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | uint8_t(bytes[size_t(i)]);
    const auto header = nlohmann::json::parse(bytes.substr(8, size_t(n)));
    return header.value("__metadata__", nlohmann::json::object());
}

} // namespace

TEST(CliTrain, TrainsTheDemoAndRendersWithTheCheckpoint) {
    const fs::path dir = fs::temp_directory_path() / "mb-cli-train";
    const std::string proj = copyDemo(dir);
    Result r = run("train " + proj + kTrain + " --steps 2 --progress");
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("percentage: 100.0 train"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("value: loss "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("value: L_sub "), std::string::npos);
    EXPECT_NE(r.out.find("value: L_stca "), std::string::npos);
    EXPECT_NE(r.out.find("value: L_vid "), std::string::npos);
    EXPECT_NE(r.out.find("training the full UNet"), std::string::npos) << r.out; // the tiny model fits

    const mb::Project p = mb::loadProject(proj);
    const fs::path ck = dir / "demo.mbproj.checkpoints" / "subjects.safetensors";
    ASSERT_TRUE(fs::exists(ck)) << r.out;
    EXPECT_EQ(fs::path(p.render.checkpoint).lexically_normal(), fs::absolute(ck).lexically_normal());
    EXPECT_EQ(p.subjects[0].identifier, "sks");
    EXPECT_FALSE(fs::exists(dir / "demo.mbproj.checkpoints" / "resume")); // finished: no resume state left

    const std::string take = (dir / "take.mp4").string();
    r = run("render " + proj + " -o " + take + kDraft + " --seed 5");
    ASSERT_EQ(r.code, 0) << r.out;
    const auto j = nlohmann::json::parse(mb::readWholeFile(take + ".json"));
    EXPECT_EQ(j["checkpoint"]["sha256"], mb::sha256File(ck.string()));
    EXPECT_EQ(j["subjects"][0]["generated_from"], "fine-tuned identifier");

    const auto fullMeta = safetensorsMetadata(ck.string());
    EXPECT_EQ(fullMeta["kind"], "full");
    EXPECT_EQ(fullMeta["step"], "2");
    EXPECT_EQ(fullMeta["base_model_hash"].get<std::string>().size(), 64u);
    const auto fullBytes = fs::file_size(ck);

    // LoRA: a small adapter file that render merges into the attention projections.
    r = run("train " + proj + kTrain + " --steps 2 --lora 2");
    ASSERT_EQ(r.code, 0) << r.out;
    const auto loraMeta = safetensorsMetadata(ck.string());
    EXPECT_EQ(loraMeta["kind"], "lora");
    EXPECT_EQ(loraMeta["rank"], "2");
    EXPECT_LT(fs::file_size(ck), fullBytes / 2);
    const std::string loraTake = (dir / "lora.mp4").string();
    r = run("render " + proj + " -o " + loraTake + kDraft + " --seed 5");
    ASSERT_EQ(r.code, 0) << r.out;
    const auto jl = nlohmann::json::parse(mb::readWholeFile(loraTake + ".json"));
    EXPECT_EQ(jl["checkpoint"]["sha256"], mb::sha256File(ck.string()));
    fs::remove_all(dir);
}

TEST(CliTrain, ClearErrors) {
    const fs::path dir = fs::temp_directory_path() / "mb-cli-train-err";
    const std::string proj = copyDemo(dir);
    Result r = run("train " + proj + " --model " + kTiny + " --size 50x30 --steps 1");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("multiple of 4"), std::string::npos) << r.out;
    r = run("train " + proj + kTrain + " --steps 1 --memory-limit 0.001");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("needs about"), std::string::npos) << r.out;
    r = run("train " + proj + kTrain + " --steps 1 --preservation " + (dir / "nothing").string());
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("preservation clip folder not found"), std::string::npos) << r.out;
    r = run("train " + proj + " --lora 2 --full");
    EXPECT_EQ(r.code, 2);
    // Nothing was trained: the project is unchanged.
    EXPECT_TRUE(mb::loadProject(proj).render.checkpoint.empty());
    fs::remove_all(dir);
}
