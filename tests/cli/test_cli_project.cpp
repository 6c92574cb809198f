// Runs the real motionbooth-cli: validate, info, animatic (checked by decoding the MP4 back).
#include "doc/project_io.h"
#include "doc/shot_layout.h"
#include "media/video_io.h"

#include "cli_runner.h"
#include <array>
#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>
#include <sstream>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

using Result = mbtest::CliResult;

Result run(const std::string& args) {
    return mbtest::runCli(args);
}

const std::string kData = MB_TEST_DATA;
const std::string kDemo = std::string(MB_SOURCE_DIR) + "/resources/demo/demo.mbproj";

} // namespace

TEST(Cli, HelpListsCommandsAndUnknownCommandIsAUsageError) {
    Result h = run("--help");
    EXPECT_EQ(h.code, 0);
    for (auto c : {"validate", "info", "animatic", "bench animatic"})
        EXPECT_NE(h.out.find(c), std::string::npos) << c;
    EXPECT_EQ(run("frobnicate").code, 2);
    EXPECT_EQ(run("animatic " + kDemo + " --bogus 1").code, 2);
}

TEST(Cli, ValidateExitCodes) {
    Result ok = run("validate " + kDemo);
    EXPECT_EQ(ok.code, 0) << ok.out;
    EXPECT_NE(ok.out.find("valid"), std::string::npos);
    Result bad = run("validate " + kData + "/projects/invalid_box_outside.mbproj");
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.out.find("$.box_tracks[0].keyframes[1].box"), std::string::npos) << bad.out;
    Result broken = run("validate " + kData + "/projects/newer_version.mbproj");
    EXPECT_EQ(broken.code, 1);
    EXPECT_NE(broken.out.find("newer_version.mbproj: $.format_version"), std::string::npos) << broken.out;
}

TEST(Cli, InfoPrintsOneRowPerFrameMatchingTheLayout) {
    Result r = run("info " + kDemo);
    ASSERT_EQ(r.code, 0) << r.out;
    mb::Project p = mb::loadProject(kDemo);
    auto layout = mb::layoutShot(p);
    std::istringstream in(r.out);
    std::string line;
    int rows = 0;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        int frame;
        double cx, cy, px, py, x0, y0, x1, y1;
        if (!(ls >> frame >> cx >> cy >> px >> py >> x0 >> y0 >> x1 >> y1))
            continue;
        ASSERT_LT(frame, p.shot.frames);
        EXPECT_NEAR(cx, layout[size_t(frame)].cameraTravel.x, 1e-4);
        EXPECT_NEAR(x0, layout[size_t(frame)].subjects[0].screenBox.x0, 1e-4);
        EXPECT_NEAR(y1, layout[size_t(frame)].subjects[0].screenBox.y1, 1e-4);
        ++rows;
    }
    EXPECT_EQ(rows, p.shot.frames);
}

TEST(Cli, AnimaticWritesAPlayableMp4) {
    const fs::path out = fs::temp_directory_path() / "mb-cli-animatic.mp4";
    fs::remove(out);
    Result r = run("animatic " + kDemo + " -o " + out.string() + " --progress");
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("percentage: 100.0 animatic"), std::string::npos);
    mb::media::VideoInfo info = mb::media::probeVideo(out.string());
    EXPECT_EQ(info.codec, "h264");
    EXPECT_EQ(info.pixelFormat, "yuv420p");
    EXPECT_EQ(info.frames, 24);
    EXPECT_EQ(info.width, 576);
    EXPECT_EQ(info.height, 320);
    fs::remove(out);
}

TEST(Cli, AnimaticErrorsNameTheFile) {
    Result r = run("animatic " + kData + "/projects/invalid_missing_photo.mbproj -o /tmp/mb-x.mp4");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("missing.png"), std::string::npos) << r.out;
    Result w = run("animatic " + kDemo + " -o /nonexistent-dir/out.mp4");
    EXPECT_EQ(w.code, 1);
    EXPECT_NE(w.out.find("/nonexistent-dir"), std::string::npos) << w.out;
}
