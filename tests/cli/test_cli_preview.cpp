// `motionbooth-cli render --progress --preview-file`: one overall percentage over every stage of a take
// (never going back, 100 only when the take and its sidecar are complete), and a step preview PNG (the
// frames side by side at latent resolution) after every denoising step, announced by `preview: STEP PATH`.
#include "ball_project.h"
#include "cli_child.h"
#include "cli_runner.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace fs = std::filesystem;

namespace {

const std::string kTiny = std::string(MB_TEST_DATA) + "/reference/tiny";

struct Progress {
    std::vector<double> percents;
    std::vector<std::string> stages;
    std::vector<std::pair<int, std::string>> previews; ///< (step, path) of each `preview:` line
    std::vector<std::string> logs;
};

Progress parse(const std::string& out) {
    Progress p;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("percentage: ", 0) == 0) {
            std::istringstream l(line.substr(12));
            double v = -1;
            std::string stage;
            l >> v >> stage;
            p.percents.push_back(v);
            p.stages.push_back(stage);
        } else if (line.rfind("preview: ", 0) == 0) {
            const std::string rest = line.substr(9);
            const auto space = rest.find(' ');
            p.previews.push_back({std::stoi(rest.substr(0, space)), rest.substr(space + 1)});
        } else if (line.rfind("log: ", 0) == 0) {
            p.logs.push_back(line.substr(5));
        }
    }
    return p;
}

void expectNonDecreasing(const std::vector<double>& v, const std::string& out) {
    for (size_t i = 1; i < v.size(); ++i)
        EXPECT_GE(v[i], v[i - 1]) << "percentage went back at line " << i << "\n" << out;
}

} // namespace

TEST(CliPreview, OneOverallProgressAndAPreviewAfterEveryStep) {
    const fs::path dir = fs::temp_directory_path() / "mb-cli-preview";
    const std::string project = mbtest::writeBallProject(dir);
    const std::string out = (dir / "take.mp4").string(), preview = (dir / "preview.png").string();
    const mbtest::CliResult r =
        mbtest::runCli("render " + project + " -o " + out + " --frames 4 --steps 4 --threads 2 --progress " +
                       "--preview-file " + preview);
    ASSERT_EQ(r.code, 0) << r.out;
    const Progress p = parse(r.out);
    ASSERT_GE(p.percents.size(), 10u) << r.out;
    expectNonDecreasing(p.percents, r.out);
    EXPECT_EQ(p.percents.front(), 0.0) << r.out;
    EXPECT_EQ(p.percents.back(), 100.0) << r.out;
    EXPECT_EQ(p.stages.back(), "sidecar");
    for (size_t i = 0; i + 1 < p.percents.size(); ++i)
        EXPECT_LT(p.percents[i], 100.0) << "100 before the end, at line " << i << "\n" << r.out;
    // The stages in order, with the name after the overall number.
    std::vector<std::string> order;
    for (const auto& s : p.stages)
        if (order.empty() || order.back() != s)
            order.push_back(s);
    EXPECT_EQ(order, (std::vector<std::string>{"load", "text", "denoise", "decode", "encode", "sidecar"}))
        << r.out;
    // The denoising dominates: the bar stands well short of the end when the last step is done.
    double afterDenoise = 0;
    for (size_t i = 0; i < p.stages.size(); ++i)
        if (p.stages[i] == "denoise")
            afterDenoise = p.percents[i];
    EXPECT_GT(afterDenoise, 50.0);
    EXPECT_LT(afterDenoise, 95.0);

    // A preview after each of the 4 steps, all in the same file, which holds the last one.
    ASSERT_EQ(p.previews.size(), 4u) << r.out;
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(p.previews[size_t(i)].first, i + 1);
        EXPECT_EQ(p.previews[size_t(i)].second, preview);
    }
    bool toldTheMap = false;
    for (const auto& l : p.logs)
        toldTheMap = toldTheMap || l.find("step previews: ") == 0;
    EXPECT_TRUE(toldTheMap) << r.out;
    const cv::Mat png = cv::imread(preview, cv::IMREAD_UNCHANGED);
    ASSERT_FALSE(png.empty());
    // 4 frames side by side, each 112×64 / the VAE's factor 4 = 28×16 latent cells.
    EXPECT_EQ(png.cols, 4 * 28);
    EXPECT_EQ(png.rows, 16);
    EXPECT_EQ(png.channels(), 3);
    cv::Scalar mean, dev;
    cv::meanStdDev(png, mean, dev);
    EXPECT_GT(dev[0] + dev[1] + dev[2], 3.0) << "a preview with a picture in it, not one flat colour";
    // No temporary file of the atomic writes is left beside it.
    int files = 0;
    for (const auto& e : fs::directory_iterator(dir))
        files += e.path().filename().string().find("preview") != std::string::npos;
    EXPECT_EQ(files, 1);
    fs::remove_all(dir);
}

TEST(CliPreview, AFailedRenderNeverReports100) {
    const fs::path dir = fs::temp_directory_path() / "mb-cli-preview-fail";
    const std::string project = mbtest::writeBallProject(dir);
    // The output folder exists when the render checks it and vanishes while it denoises: the take fails after
    // denoising and decoding, when the encoder cannot create its file.
    const fs::path outDir = dir / "vanishing-folder";
    fs::create_directories(outDir);
    const std::string out = (outDir / "take.mp4").string();
    mbtest::CliChild child({"render", project, "-o", out, "--frames", "4", "--steps", "12", "--threads", "2",
                            "--progress"});
    ASSERT_GT(child.pid, 0);
    ASSERT_TRUE(child.waitFor("percentage: ", std::chrono::seconds(120))) << child.text;
    fs::remove_all(outDir);
    const int status = child.finish();
    mbtest::CliResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = child.text;
    const Progress p = parse(r.out);
    ASSERT_FALSE(p.percents.empty()) << r.out;
    expectNonDecreasing(p.percents, r.out);
    for (double v : p.percents)
        EXPECT_LT(v, 100.0) << r.out;
    EXPECT_TRUE(p.previews.empty()) << "no --preview-file, no previews";
    fs::remove_all(dir);
}

TEST(CliPreview, ACancelledRenderStopsShortOf100) {
    const fs::path dir = fs::temp_directory_path() / "mb-cli-preview-cancel";
    const std::string project = mbtest::writeBallProject(dir);
    const std::string out = (dir / "take.mp4").string(), preview = (dir / "preview.png").string();
    mbtest::CliChild child({"render", project, "-o", out, "--frames", "4", "--steps", "300", "--threads", "2",
                            "--progress", "--preview-file", preview});
    ASSERT_GT(child.pid, 0);
    ASSERT_TRUE(child.waitFor("preview: 2 ", std::chrono::seconds(120))) << child.text;
    ASSERT_EQ(kill(child.pid, SIGTERM), 0);
    const int status = child.finish();
    ASSERT_TRUE(WIFEXITED(status)) << child.text;
    EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM) << child.text;
    const Progress p = parse(child.text);
    expectNonDecreasing(p.percents, child.text);
    ASSERT_FALSE(p.percents.empty());
    EXPECT_LT(p.percents.back(), 10.0) << "it stopped early in the denoising: the bar says so";
    for (double v : p.percents)
        EXPECT_LT(v, 100.0);
    EXPECT_FALSE(fs::exists(out));
    EXPECT_TRUE(fs::exists(preview)) << "the last preview stays where the caller asked for it";
    fs::remove_all(dir);
}

TEST(CliPreview, AModelWithoutALatentMapSaysSoOnce) {
    const fs::path dir = fs::temp_directory_path() / "mb-cli-preview-nomap";
    const std::string project = mbtest::writeBallProject(dir);
    const std::string out = (dir / "take.mp4").string(), preview = (dir / "preview.png").string();
    // The tiny random reference model has a VAE of its own with no vae/latent_rgb.json and no published map.
    const mbtest::CliResult r = mbtest::runCli("render " + project + " -o " + out + " --model " + kTiny +
                                               " --frames 4 --size 48x32 --steps 3 --threads 2 --progress " +
                                               "--preview-file " + preview);
    ASSERT_EQ(r.code, 0) << r.out;
    const Progress p = parse(r.out);
    EXPECT_TRUE(p.previews.empty()) << r.out;
    EXPECT_FALSE(fs::exists(preview));
    int said = 0;
    for (const auto& l : p.logs)
        said += l.find("no step previews") != std::string::npos;
    EXPECT_EQ(said, 1) << r.out;
    EXPECT_EQ(p.percents.back(), 100.0);
    fs::remove_all(dir);
}
