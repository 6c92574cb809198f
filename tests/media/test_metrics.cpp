// Metrics on videos with known motion (ruling 22): a synthetic 8 px/frame pan and the demo's animatic.
#include "doc/project_io.h"
#include "doc/shot_layout.h"
#include "media/animatic.h"
#include "media/image_io.h"
#include "media/metrics.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>
#include <random>

using namespace mb;
using namespace mb::media;

namespace {

const std::string kDemo = std::string(MB_SOURCE_DIR) + "/resources/demo/demo.mbproj";

/** Frames of a camera panning right over the demo background by `px` pixels per frame. */
std::vector<cv::Mat> syntheticPan(int frames, int px, int w = 256, int h = 144) {
    cv::Mat bg = loadColorImage(std::string(MB_SOURCE_DIR) + "/resources/demo/background.jpg");
    cv::resize(bg, bg, {w + px * frames + 2, h}, 0, 0, cv::INTER_AREA);
    std::vector<cv::Mat> out;
    for (int f = 0; f < frames; ++f)
        out.push_back(bg(cv::Rect(px * f, 0, w, h)).clone());
    return out;
}

Project panProject(int frames, double totalPanFraction) {
    Project p;
    p.shot.frames = frames;
    p.shot.width = 256;
    p.shot.height = 144;
    p.camera = CameraPath::constantPan(totalPanFraction, 0.0);
    return p;
}

} // namespace

TEST(Metrics, KnownPanScoresNearZeroCameraError) {
    const int L = 12;
    auto frames = syntheticPan(L, 8);
    // Requested: 8 px/frame over 11 steps of a 256-px frame.
    MotionMetrics m = measureMotion(frames, panProject(L, 8.0 * (L - 1) / 256.0));
    EXPECT_LT(m.cameraFlowErrorPx, 0.5);
    EXPECT_NEAR(m.observedPanPxPerFrame[0], -8.0, 0.5);
    EXPECT_NEAR(m.requestedPanPxPerFrame[0], -8.0, 1e-9);
    EXPECT_GT(m.temporalConsistency, 0.95);
    // The same video judged against a static camera is 8 px/frame off; against the opposite pan 16.
    EXPECT_NEAR(measureMotion(frames, panProject(L, 0.0)).cameraFlowErrorPx, 8.0, 0.5);
    EXPECT_NEAR(measureMotion(frames, panProject(L, -8.0 * (L - 1) / 256.0)).cameraFlowErrorPx, 16.0, 0.8);
}

TEST(Metrics, FlickerLowersTemporalConsistency) {
    auto frames = syntheticPan(6, 4);
    std::mt19937 rng(1);
    std::vector<cv::Mat> noisy;
    for (auto& f : frames) {
        cv::Mat n(f.size(), f.type());
        cv::randu(n, 0, 255);
        noisy.push_back(n);
    }
    const double clean = measureMotion(frames, panProject(6, 4.0 * 5 / 256)).temporalConsistency;
    const double flicker = measureMotion(noisy, panProject(6, 0)).temporalConsistency;
    EXPECT_GT(clean, flicker + 0.15);
}

TEST(Metrics, AnimaticSubjectFollowsItsBoxes) {
    Project p = loadProject(kDemo);
    p.shot.width = 288;
    p.shot.height = 160;
    p.shot.frames = 12;
    AnimaticRenderer r(p);
    std::vector<cv::Mat> frames;
    for (int f = 0; f < p.shot.frames; ++f)
        frames.push_back(r.renderFrame(f, p.shot.width, p.shot.height));
    // Exact subject masks: where the frame differs from the same frame rendered without subjects.
    Project empty = p;
    empty.boxTracks.clear();
    std::vector<std::vector<cv::Mat>> masks(1);
    for (int f = 0; f < p.shot.frames; ++f) {
        cv::Mat diff, g, mask;
        cv::absdiff(frames[size_t(f)], r.renderFrame(empty, f, p.shot.width, p.shot.height), diff);
        cv::cvtColor(diff, g, cv::COLOR_BGR2GRAY);
        cv::threshold(g, mask, 10, 255, cv::THRESH_BINARY);
        masks[0].push_back(mask);
    }
    MotionMetrics m = measureMotion(frames, p, &masks);
    ASSERT_EQ(m.boxFollowingError.size(), 1u);
    EXPECT_LT(m.boxFollowingError[0], 0.03);
    EXPECT_LT(m.cameraFlowErrorPx, 1.5);
    // Judged against boxes that lag 0.3 of the frame behind, the error is clearly larger, with masks and with
    // the motion-residual estimate alike.
    Project wrong = p;
    for (auto& k : wrong.boxTracks[0].keys)
        k.value = k.value.translated(-0.3, 0.0);
    EXPECT_GT(measureMotion(frames, wrong, &masks).boxFollowingError[0], 0.2);
    const double residualRight = measureMotion(frames, p).boxFollowingError[0];
    const double residualWrong = measureMotion(frames, wrong).boxFollowingError[0];
    EXPECT_LT(residualRight, 0.1);
    EXPECT_GT(residualWrong, residualRight + 0.1);
}

TEST(Metrics, RefusesTooFewFrames) {
    EXPECT_THROW(measureMotion({cv::Mat(8, 8, CV_8UC3)}, Project{}), std::invalid_argument);
}

TEST(Metrics, BoxFollowingOfGivenCentroids) {
    // The demo's robot track: centroids exactly at the on-screen box centres score 0; moved right by 10% of
    // the width, they score 0.1·W / diagonal on every frame.
    const Project p = loadProject(kDemo);
    const int L = 9;
    std::vector<std::array<double, 2>> exact, off;
    for (int f = 0; f < L; ++f) {
        const NormBox b = screenBoxAtFrame(p.boxTracks[0], p.camera, f, L);
        exact.push_back({b.centerX(), b.centerY()});
        off.push_back({b.centerX() + 0.1, b.centerY()});
    }
    EXPECT_NEAR(boxFollowingErrorOfCentroids(p, 0, exact), 0.0, 1e-12);
    const double W = p.shot.width, H = p.shot.height;
    EXPECT_NEAR(boxFollowingErrorOfCentroids(p, 0, off), 0.1 * W / std::hypot(W, H), 1e-9);
    EXPECT_THROW(boxFollowingErrorOfCentroids(p, 5, exact), std::invalid_argument);
    EXPECT_THROW(boxFollowingErrorOfCentroids(p, 0, {}), std::invalid_argument);
}
