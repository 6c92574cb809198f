// Hostile input to the real motionbooth-cli (issue 17): broken images found by validate, absurd numbers
// refused at load, info failing on invalid projects, over-long prompts warned about, animatic stopped by
// signals without leftovers, render refusing an unwritable output folder before the denoise.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "cli_child.h"
#include "cli_runner.h"

namespace fs = std::filesystem;

namespace {

const std::string kTiny = std::string(MB_TEST_DATA) + "/reference/tiny";

/** A fresh folder under the temporary directory with a valid one-subject project (photo, mask). */
struct Shot {
    fs::path dir;
    explicit Shot(const std::string& name) : dir(fs::temp_directory_path() / ("mb-cli-hostile-" + name)) {
        fs::remove_all(dir);
        fs::create_directories(dir);
        cv::Mat photo(64, 64, CV_8UC3, cv::Scalar(255, 255, 255)), mask(64, 64, CV_8UC1, cv::Scalar(0));
        cv::circle(photo, {32, 32}, 28, cv::Scalar(40, 40, 215), cv::FILLED);
        cv::circle(mask, {32, 32}, 28, cv::Scalar(255), cv::FILLED);
        cv::imwrite((dir / "ball.png").string(), photo);
        cv::imwrite((dir / "ball_mask.png").string(), mask);
    }
    ~Shot() { fs::remove_all(dir); }
    std::string project(const std::string& name, const std::string& box = "[0.05, 0.3, 0.39, 0.9]",
                        const std::string& prompt = "a {ball} on a forest path", int frames = 8,
                        const std::string& photo = "ball.png", const std::string& mask = "ball_mask.png",
                        const std::string& extra = "") const {
        const std::string path = (dir / name).string();
        std::ofstream(path) << R"({"format_version": 1,
  "shot": {"prompt": ")" + prompt + R"(", "frames": )" +
                                   std::to_string(frames) + R"(, "fps": 8, "width": 112, "height": 64},
  "subjects": [{"id": "ball", "class_name": "red ball", "learned": false,
                "photos": [{"image": ")" +
                                   photo + R"(", "mask": ")" + mask + R"("}]}],
  "box_tracks": [{"subject": "ball", "keyframes": [{"time": 0.0, "box": )" +
                                   box + R"(}]}],
  "camera": {"keyframes": [{"time": 0.0, "offset": [0.0, 0.0]}, {"time": 1.0, "offset": [0.2, 0.0]}]})" +
                                   extra + "}";
        return path;
    }
    std::string write(const std::string& name, const std::string& bytes) const {
        const std::string p = (dir / name).string();
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
    std::string read(const std::string& name) const {
        std::ifstream in(dir / name, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
};

bool has(const std::string& text, const std::string& words) {
    return text.find(words) != std::string::npos;
}

} // namespace

TEST(CliHostile, ValidateReportsBrokenImagesByJsonPathAndFile) {
    Shot s("images");
    const std::string png = s.read("ball.png");
    const std::string half = s.write("half.png", png.substr(0, png.size() / 2));
    const std::string text = s.write("notes.png", "these are notes, not a mask\n");
    const std::string p = s.project("p.mbproj", "[0.05, 0.3, 0.39, 0.9]", "a {ball}", 8, "half.png",
                                    "notes.png", R"(, "background": "bg.png")");
    std::string bg = png;
    bg.replace(16, 8, std::string("\x00\x01\x86\xa0\x00\x01\x86\xa0", 8)); // a giant IHDR (checksum broken)
    const std::string bgFile = s.write("bg.png", bg);
    const mbtest::CliResult r = mbtest::runCli("validate " + p);
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_TRUE(
        has(r.out, "$.subjects[0].photos[0].image: error: photo is not usable: " + half + ": truncated PNG"))
        << r.out;
    EXPECT_TRUE(
        has(r.out, "$.subjects[0].photos[0].mask: error: mask is not usable: " + text + ": not an image"))
        << r.out;
    EXPECT_TRUE(has(r.out, "$.background: error: background image is not usable: " + bgFile)) << r.out;
    EXPECT_TRUE(has(r.out, "invalid (3 errors")) << r.out;
}

TEST(CliHostile, ValidateWarnsOnImagesOutsideTheProjectFolder) {
    Shot s("outside");
    fs::create_directories(s.dir / "proj");
    const std::string p = s.project("proj/p.mbproj", "[0.05, 0.3, 0.39, 0.9]", "a {ball}", 8, "../ball.png",
                                    (s.dir / "ball_mask.png").string());
    const mbtest::CliResult r = mbtest::runCli("validate " + p);
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_TRUE(has(r.out, "$.subjects[0].photos[0].image: warning: photo " + (s.dir / "ball.png").string() +
                               " lies outside the project folder"))
        << r.out;
    EXPECT_TRUE(has(r.out, "$.subjects[0].photos[0].mask: warning: mask")) << r.out;
}

TEST(CliHostile, AbsurdNumbersAreRefusedAtLoadWithPathRangeAndFile) {
    Shot s("numbers");
    for (const char* box : {"[1e308, 0.3, 0.39, 0.9]", "[1e999, 0.3, 0.39, 0.9]"}) {
        const std::string p = s.project("p.mbproj", box);
        for (const std::string& cmd : {std::string("validate "), std::string("info "),
                                       "animatic -o " + (s.dir / "a.mp4").string() + " "}) {
            const mbtest::CliResult r = mbtest::runCli(cmd + p);
            EXPECT_EQ(r.code, 1) << cmd << box << "\n" << r.out;
            EXPECT_TRUE(has(r.out, p + ": $.box_tracks[0].keyframes[0].box[0]: ")) << r.out;
            EXPECT_TRUE(has(r.out, "-10..10")) << r.out;
            EXPECT_FALSE(has(r.out, "json.exception")) << r.out;
        }
    }
    EXPECT_FALSE(fs::exists(s.dir / "a.mp4"));
}

TEST(CliHostile, InfoFailsOnAProjectThatValidateRejects) {
    Shot s("info");
    const std::string bad = s.project("bad.mbproj", "[1.5, 0.3, 1.9, 0.9]"); // entirely outside the frame
    const mbtest::CliResult v = mbtest::runCli("validate " + bad);
    EXPECT_EQ(v.code, 1) << v.out;
    const mbtest::CliResult r = mbtest::runCli("info " + bad);
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_TRUE(has(r.out, bad + ": $.box_tracks[0].keyframes[0].box: error: box lies entirely outside"))
        << r.out;
    EXPECT_FALSE(has(r.out, "cam_x")) << "no table for an invalid project\n" << r.out;
    const mbtest::CliResult ok = mbtest::runCli("info " + s.project("ok.mbproj"));
    EXPECT_EQ(ok.code, 0) << ok.out;
    EXPECT_TRUE(has(ok.out, "cam_x")) << ok.out;
}

TEST(CliHostile, PromptsLongerThanTheTextEncoderReadsAreWarnedAbout) {
    Shot s("prompt");
    std::string prompt = "a {ball} on a forest path";
    for (int i = 0; i < 18; ++i)
        prompt += " with tall green trees";
    prompt += " and a small wooden bridge";
    const std::string p = s.project("p.mbproj", "[0.05, 0.3, 0.39, 0.9]", prompt);
    const mbtest::CliResult v = mbtest::runCli("validate " + p);
    EXPECT_EQ(v.code, 0) << v.out;
    EXPECT_TRUE(has(v.out,
                    "$.shot.prompt: warning: the resolved prompt is 84 tokens; the text encoder reads only "
                    "the first 75, so it ignores: \"with tall green trees and a small wooden bridge\""))
        << v.out;
    const mbtest::CliResult fits = mbtest::runCli("validate " + s.project("short.mbproj"));
    EXPECT_FALSE(has(fits.out, "tokens")) << fits.out;

    const std::string out = (s.dir / "take.mp4").string();
    const mbtest::CliResult r = mbtest::runCli("render " + p + " -o " + out + " --model " + kTiny +
                                               " --frames 2 --size 48x32 --steps 1 --threads 1");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_TRUE(has(r.out, "render: warning: $.shot.prompt: the resolved prompt is")) << r.out;
    EXPECT_TRUE(has(r.out, "reads only the first 75")) << r.out;
}

TEST(CliHostile, RenderRefusesAnUnwritableOutputFolderBeforeTheDenoise) {
    Shot s("unwritable");
    const std::string p = s.project("p.mbproj");
    for (const std::string& out : {std::string("/proc/take.mp4"), (s.dir / "missing/take.mp4").string()}) {
        const auto t0 = std::chrono::steady_clock::now();
        const mbtest::CliResult r =
            mbtest::runCli("render " + p + " -o " + out + " --model " + kTiny +
                           " --frames 6 --size 48x32 --steps 400 --threads 1 --progress");
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        EXPECT_EQ(r.code, 1) << r.out;
        EXPECT_TRUE(has(r.out, out + ": ")) << r.out;
        EXPECT_FALSE(has(r.out, "denoise")) << "the denoise ran first\n" << r.out;
        EXPECT_LT(seconds, 30.0) << r.out;
    }
}

namespace {

/** An animatic long enough to be running when the signal comes: 3000 frames at 576x320. */
void cancelAnimaticWith(int sig, const std::string& name, bool inheritIgnoredSigint) {
    Shot s("animatic-" + name);
    const std::string p = s.project("long.mbproj", "[0.05, 0.3, 0.39, 0.9]", "a {ball}", 3000);
    std::string text = s.read("long.mbproj");
    text.replace(text.find("\"width\": 112, \"height\": 64"), 26, "\"width\": 576, \"height\": 320");
    s.write("long.mbproj", text);
    const std::string out = (s.dir / "out/animatic.mp4").string();
    fs::create_directories(s.dir / "out");
    // An ignored SIGINT is inherited through fork and exec (a shell's background job gets one).
    struct sigaction old {};
    if (inheritIgnoredSigint) {
        struct sigaction ign {};
        ign.sa_handler = SIG_IGN;
        sigaction(SIGINT, &ign, &old);
    }
    mbtest::CliChild child({"animatic", p, "-o", out, "--progress"});
    if (inheritIgnoredSigint)
        sigaction(SIGINT, &old, nullptr);
    ASSERT_GT(child.pid, 0);
    ASSERT_TRUE(child.waitFor("percentage: 1.", std::chrono::seconds(120))) << child.text;
    ASSERT_EQ(kill(child.pid, sig), 0);
    const int status = child.finish();
    ASSERT_TRUE(WIFEXITED(status)) << "the first signal must cancel cleanly\n" << child.text;
    EXPECT_EQ(WEXITSTATUS(status), 128 + sig) << child.text;
    EXPECT_TRUE(has(child.text, "animatic: cancelled by " + name + "; no output was written")) << child.text;
    EXPECT_FALSE(has(child.text, "percentage: 100.0")) << "it ran to the end";
    EXPECT_TRUE(fs::is_empty(s.dir / "out")) << "a partial file stayed";
}

} // namespace

TEST(CliHostile, SigintCancelsAnAnimaticAndLeavesNoPartialFile) {
    cancelAnimaticWith(SIGINT, "SIGINT", false);
}

TEST(CliHostile, SigtermCancelsAnAnimaticAndLeavesNoPartialFile) {
    cancelAnimaticWith(SIGTERM, "SIGTERM", false);
}

TEST(CliHostile, AnInheritedIgnoredSigintStillCancelsAnAnimatic) {
    cancelAnimaticWith(SIGINT, "SIGINT", true);
}
