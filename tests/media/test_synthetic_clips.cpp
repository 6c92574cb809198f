// The default model's training clips: deterministic, the boxes they report are where the subject is drawn,
// the camera travels as reported, and bad lists are refused naming the file and line.
#include "media/synthetic_clips.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>
#include <random>

using namespace mb::media;
namespace fs = std::filesystem;

namespace {

/** A textured background (smoothed noise): phase correlation can measure its shifts. */
cv::Mat texture(int w, int h, unsigned seed) {
    cv::Mat m(h, w, CV_8UC3);
    cv::RNG rng(seed);
    rng.fill(m, cv::RNG::UNIFORM, 0, 255);
    cv::GaussianBlur(m, m, {0, 0}, 2.0);
    return m;
}

double absDiffSum(const cv::Mat& a, const cv::Mat& b) {
    return cv::norm(a, b, cv::NORM_L1);
}

} // namespace

TEST(SyntheticClips, SameIndexSameClipOtherIndexOtherClip) {
    SyntheticClipOptions o;
    o.seed = 3;
    SyntheticClipGenerator gen(
        {{texture(400, 300, 1), "on a test card"}, {texture(300, 400, 2), "by a wall"}}, {}, o);
    const SyntheticClip a = gen.clip(5), b = gen.clip(5), c = gen.clip(6);
    ASSERT_EQ(a.frames.size(), size_t(o.frames));
    EXPECT_EQ(a.caption, b.caption);
    for (size_t f = 0; f < a.frames.size(); ++f)
        EXPECT_EQ(absDiffSum(a.frames[f], b.frames[f]), 0.0);
    double diff = 0;
    for (size_t f = 0; f < a.frames.size(); ++f)
        diff += absDiffSum(a.frames[f], c.frames[f]);
    EXPECT_GT(diff, 0.0);
    EXPECT_EQ(a.frames[0].cols, o.width);
    EXPECT_EQ(a.frames[0].rows, o.height);
}

TEST(SyntheticClips, BoxesAreWhereTheSubjectIsDrawn) {
    // A flat magenta background (no subject colour comes near it) and a still camera: every pixel that
    // differs from it belongs to the subject.
    SyntheticClipOptions o;
    o.subjectProbability = 1.0;
    o.cameraProbability = 0.0;
    o.width = 128;
    o.height = 96;
    const cv::Mat flat(200, 200, CV_8UC3, cv::Scalar(255, 0, 255));
    SyntheticClipGenerator gen({{flat, "on magenta"}}, {}, o);
    int checked = 0;
    for (uint64_t i = 0; i < 20; ++i) {
        const SyntheticClip c = gen.clip(i);
        ASSERT_FALSE(c.subjectPhrase.empty());
        ASSERT_EQ(c.boxes.size(), c.frames.size());
        EXPECT_EQ(c.caption, "a " + c.subjectPhrase + " on magenta");
        for (size_t f = 0; f < c.frames.size(); ++f) {
            cv::Mat diff;
            cv::absdiff(c.frames[f], cv::Scalar(255, 0, 255), diff);
            std::vector<cv::Mat> ch;
            cv::split(diff, ch);
            const cv::Mat mask = cv::max(cv::max(ch[0], ch[1]), ch[2]) > 40;
            const cv::Rect drawn = cv::boundingRect(mask);
            ASSERT_GT(drawn.area(), 0) << c.caption;
            const auto& b = c.boxes[f];
            // The drawn subject lies inside its box (anti-aliased edges may fade out within 2 px of it).
            EXPECT_GE(drawn.x, b[0] * o.width - 0.5f) << c.caption << " frame " << f;
            EXPECT_GE(drawn.y, b[1] * o.height - 0.5f);
            EXPECT_LE(drawn.x + drawn.width, b[2] * o.width + 0.5f);
            EXPECT_LE(drawn.y + drawn.height, b[3] * o.height + 0.5f);
            EXPECT_GT(drawn.width, (b[2] - b[0]) * o.width - 4);
            EXPECT_GT(drawn.height, (b[3] - b[1]) * o.height - 4);
            // And the box is inside the frame.
            EXPECT_GE(b[0], 0.f);
            EXPECT_GE(b[1], 0.f);
            EXPECT_LE(b[2], 1.f);
            EXPECT_LE(b[3], 1.f);
            ++checked;
        }
    }
    EXPECT_GT(checked, 100);
}

TEST(SyntheticClips, CameraTravelsAsReported) {
    SyntheticClipOptions o;
    o.subjectProbability = 0.0;
    o.cameraProbability = 1.0;
    o.width = 128;
    o.height = 64;
    o.frames = 9;
    SyntheticClipGenerator gen({{texture(640, 480, 7), "on noise"}}, {}, o);
    for (uint64_t i = 0; i < 6; ++i) {
        const SyntheticClip c = gen.clip(i);
        EXPECT_EQ(c.caption, "noise"); // the place's preposition is dropped without a subject
        cv::Mat a, b;
        cv::cvtColor(c.frames.front(), a, cv::COLOR_BGR2GRAY);
        cv::cvtColor(c.frames.back(), b, cv::COLOR_BGR2GRAY);
        a.convertTo(a, CV_32F);
        b.convertTo(b, CV_32F);
        // The view moved by travel × size, so the content moved the other way.
        const cv::Point2d shift = cv::phaseCorrelate(b, a);
        EXPECT_NEAR(shift.x, c.cameraTravel[0] * o.width, 0.6) << "clip " << i;
        EXPECT_NEAR(shift.y, c.cameraTravel[1] * o.height, 0.6) << "clip " << i;
        EXPECT_LE(std::abs(c.cameraTravel[0]), o.maxTravelX);
        EXPECT_LE(std::abs(c.cameraTravel[1]), o.maxTravelY);
    }
}

TEST(SyntheticClips, ProceduralSubjectsAreOpaqueInsideAndClearOutside) {
    for (const std::string& noun : SyntheticClipGenerator::shapeNouns()) {
        const cv::Mat s = drawProceduralSubject(noun, "red", 40);
        ASSERT_EQ(s.type(), CV_8UC4);
        EXPECT_EQ(s.at<cv::Vec4b>(20, 20)[3], 255) << noun;
        EXPECT_EQ(s.at<cv::Vec4b>(0, 0)[3], 0) << noun;
        EXPECT_GT(s.at<cv::Vec4b>(20, 20)[2], s.at<cv::Vec4b>(20, 20)[0]) << noun << " is red";
    }
    EXPECT_THROW(drawProceduralSubject("teapot", "red", 40), std::invalid_argument);
    EXPECT_THROW(drawProceduralSubject("ball", "mauve", 40), std::invalid_argument);
}

TEST(SyntheticClips, BadListsNameTheFileAndLine) {
    const fs::path dir = fs::temp_directory_path() / "mb_synthetic_lists";
    fs::create_directories(dir);
    const fs::path list = dir / "backgrounds.txt";
    std::ofstream(list) << "# comment\n\nno-bar-here.jpg\n";
    try {
        loadSyntheticBackgrounds(list.string());
        FAIL() << "a line without '|' was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("backgrounds.txt:3"), std::string::npos) << e.what();
    }
    std::ofstream(list) << "missing.jpg | somewhere\n";
    try {
        loadSyntheticBackgrounds(list.string());
        FAIL() << "a missing image was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("missing.jpg"), std::string::npos) << e.what();
    }
    std::ofstream(list) << "# nothing\n";
    EXPECT_THROW(loadSyntheticBackgrounds(list.string()), std::runtime_error);
    EXPECT_THROW(SyntheticClipGenerator({}, {}, {}), std::invalid_argument);
    fs::remove_all(dir);
}
