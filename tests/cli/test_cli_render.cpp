// `motionbooth-cli render` end to end on the tiny reference model: MP4 + sidecar, bit-identical re-renders.
#include "doc/atomic_file.h"
#include "doc/project_io.h"
#include "doc/sha256.h"
#include "media/video_io.h"

#include "cli_runner.h"
#include <array>
#include <cmath>
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

const std::string kDemo = std::string(MB_SOURCE_DIR) + "/resources/demo/demo.mbproj";
const std::string kTiny = std::string(MB_TEST_DATA) + "/reference/tiny";
const std::string kDraft = " --model " + kTiny + " --frames 6 --size 48x32 --steps 5 --threads 2";

} // namespace

TEST(CliRender, WritesAPlayableTakeWithAReproducibilitySidecar) {
    const fs::path dir = fs::temp_directory_path() / "mb-cli-render";
    fs::create_directories(dir);
    const std::string a = (dir / "a.mp4").string(), b = (dir / "b.mp4").string(),
                      c = (dir / "c.mp4").string();
    Result r = run("render " + kDemo + " -o " + a + kDraft + " --seed 5 --progress");
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("percentage: 100.0 sidecar"), std::string::npos);
    mb::media::VideoInfo info = mb::media::probeVideo(a);
    EXPECT_EQ(info.codec, "h264");
    EXPECT_EQ(info.pixelFormat, "yuv420p");
    EXPECT_EQ(info.frames, 6);
    EXPECT_EQ(info.width, 48);
    EXPECT_EQ(info.height, 32);

    const auto j = nlohmann::json::parse(mb::readWholeFile(a + ".json"));
    EXPECT_EQ(j["seed"], 5);
    EXPECT_EQ(j["prompt"], "a sks toy robot walking along a forest path");
    EXPECT_EQ(j["video_sha256"], mb::sha256File(a));
    EXPECT_EQ(j["model"]["weights_sha256"].size(), 3u);
    EXPECT_FALSE(j["subjects"][0]["tokens"].empty());
    EXPECT_EQ(j["subjects"][0]["generated_from"], "class phrase"); // no fine-tuned checkpoint
    EXPECT_EQ(j["camera_travel"].size(), 6u);
    // The demo pans 30% of the frame to the right over the clip; at 48×32 the tiny model's latent is 12 cells
    // wide, so frame f moves by the whole cells of travel_f × 12: 0, 0, 1, 2, 2, 3.
    ASSERT_EQ(j["latent_shift_cells"].size(), 6u);
    for (size_t f = 0; f < 6; ++f) {
        const double travel = j["camera_travel"][f][0].get<double>();
        EXPECT_EQ(j["latent_shift_cells"][f][0].get<int>(), int(std::trunc(travel * 12 + 1e-9)))
            << "frame " << f;
        EXPECT_EQ(j["latent_shift_cells"][f][1].get<int>(), 0);
    }
    EXPECT_EQ(j["latent_shift_cells"][5][0].get<int>(), 3);
    // The project's controls (5 amplified steps, shift over 10..20 of its 50) at the draft's 5 steps.
    EXPECT_EQ(j["controls"]["amplify_steps"], 1);
    EXPECT_EQ(j["controls"]["shift_start_step"], 1);
    EXPECT_EQ(j["controls"]["shift_steps"], 1);
    EXPECT_EQ(j["sampler"], "ddim");
    // Where the model's attention put the subject, per frame, in 0..1 frame coordinates.
    ASSERT_EQ(j["attention_centroids"].size(), 1u);
    EXPECT_EQ(j["attention_centroids"][0]["subject"], "robot");
    ASSERT_EQ(j["attention_centroids"][0]["centroids"].size(), 6u);
    for (const auto& c : j["attention_centroids"][0]["centroids"]) {
        EXPECT_GE(c[0].get<double>(), 0.0);
        EXPECT_LE(c[0].get<double>(), 1.0);
        EXPECT_GE(c[1].get<double>(), 0.0);
        EXPECT_LE(c[1].get<double>(), 1.0);
    }
    // eval reads them from the sidecar.
    const Result e = run("eval " + a + " --project " + kDemo);
    EXPECT_EQ(e.code, 0) << e.out;
    EXPECT_NE(e.out.find("box-following error by attention (robot)"), std::string::npos) << e.out;
    EXPECT_FALSE(j["runtime"]["description"].get<std::string>().empty());

    // Same project + seed ⇒ the same video bit for bit; another seed ⇒ another video.
    ASSERT_EQ(run("render " + kDemo + " -o " + b + kDraft + " --seed 5").code, 0);
    EXPECT_EQ(mb::sha256File(a), mb::sha256File(b));
    ASSERT_EQ(run("render " + kDemo + " -o " + c + kDraft + " --seed 6").code, 0);
    EXPECT_NE(mb::sha256File(a), mb::sha256File(c));
    fs::remove_all(dir);
}

TEST(CliRender, ClearErrors) {
    const fs::path dir = fs::temp_directory_path() / "mb-cli-render-err";
    fs::create_directories(dir);
    // No model anywhere.
    Result r = run("render " + kDemo + " -o " + (dir / "x.mp4").string() + " --model " + dir.string());
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("model_index.json"), std::string::npos) << r.out;
    // A size the tiny VAE (factor 4) cannot take.
    r = run("render " + kDemo + " -o " + (dir / "x.mp4").string() + " --model " + kTiny + " --size 50x30");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("multiple of 4"), std::string::npos) << r.out;
    // A subject phrase that is not in the prompt.
    mb::Project p = mb::loadProject(kDemo);
    p.shot.prompt = "a forest path";
    const std::string proj = (dir / "noplaceholder.mbproj").string();
    fs::copy(fs::path(kDemo).parent_path() / "subject", dir / "subject", fs::copy_options::recursive);
    fs::copy_file(fs::path(kDemo).parent_path() / "background.jpg", dir / "background.jpg");
    mb::saveProject(p, proj);
    r = run("render " + proj + " -o " + (dir / "x.mp4").string() + kDraft);
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("not in the prompt"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(dir / "x.mp4"));
    EXPECT_FALSE(fs::exists(dir / "x.mp4.json"));
    fs::remove_all(dir);
}
