// The animatic: cut-outs land in their boxes, the background moves with the camera, the MP4 is well-formed.
#include "doc/project_io.h"
#include "doc/shot_layout.h"
#include "media/animatic.h"
#include "media/image_io.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

using namespace mb;
using namespace mb::media;
namespace fs = std::filesystem;

static Project goodProject() {
    return loadProject(std::string(MB_TEST_DATA) + "/projects/good.mbproj");
}

/** Pixels that differ from the plain background render (no subjects) mark where subjects were drawn. */
static cv::Mat subjectPixels(const Project& p, const AnimaticRenderer& r, int f) {
    Project empty = p;
    empty.boxTracks.clear();
    cv::Mat with = r.renderFrame(p, f, p.shot.width, p.shot.height);
    cv::Mat without = r.renderFrame(empty, f, p.shot.width, p.shot.height);
    cv::Mat diff, gray;
    cv::absdiff(with, without, diff);
    cv::cvtColor(diff, gray, cv::COLOR_BGR2GRAY);
    cv::Mat mask;
    cv::threshold(gray, mask, 12, 255, cv::THRESH_BINARY);
    return mask;
}

TEST(Animatic, SubjectPixelsStayInsideTheirBox) {
    Project p = goodProject();
    AnimaticRenderer r(p);
    const int W = p.shot.width, H = p.shot.height;
    for (int f : {0, 5, 10, 15}) {
        cv::Mat m = subjectPixels(p, r, f);
        const NormBox b = screenBoxAtFrame(p.boxTracks[0], p.camera, f, p.shot.frames);
        const cv::Rect box(int(b.x0 * W) - 1, int(b.y0 * H) - 1, int(b.width() * W) + 3,
                           int(b.height() * H) + 3);
        const int inside = cv::countNonZero(m(box & cv::Rect(0, 0, W, H)));
        const int total = cv::countNonZero(m);
        EXPECT_GT(inside, int(b.width() * W * b.height() * H * 0.15))
            << "frame " << f << ": subject not drawn";
        EXPECT_EQ(inside, total) << "frame " << f << ": subject pixels outside the box";
    }
}

TEST(Animatic, BackgroundMovesWithTheCamera) {
    Project p = goodProject();
    p.boxTracks.clear();
    p.camera = CameraPath::constantPan(0.25, 0.0); // 0.25 × 256 px over 15 frame steps
    AnimaticRenderer r(p);
    cv::Mat a = r.renderFrame(0, p.shot.width, p.shot.height);
    cv::Mat b = r.renderFrame(15, p.shot.width, p.shot.height);
    // Pan right = content moves left: frame 15 column x shows what frame 0 showed at column x + 64.
    auto errorForShift = [&](int dx) {
        const int W = p.shot.width - std::abs(dx);
        cv::Mat diff;
        cv::absdiff(b(cv::Rect(std::max(0, -dx), 0, W, b.rows)), a(cv::Rect(std::max(0, dx), 0, W, a.rows)),
                    diff);
        const cv::Scalar m = cv::mean(diff);
        return m[0] + m[1] + m[2];
    };
    const int expected = int(0.25 * p.shot.width);
    const double best = errorForShift(expected);
    EXPECT_LT(best, 3.0);
    for (int other : {0, expected - 3, expected + 3, -expected})
        EXPECT_GT(errorForShift(other), best + 5.0) << other;
}

TEST(Animatic, RendersMp4ThatDecodesBack) {
    Project p = goodProject();
    const fs::path out = fs::temp_directory_path() / "mb-animatic-test.mp4";
    int reports = 0;
    JobControl jc;
    jc.progress = [&](const JobProgress& pr) {
        ++reports;
        EXPECT_EQ(pr.stage, "animatic");
    };
    renderAnimaticVideo(p, out.string(), {}, jc);
    EXPECT_EQ(reports, p.shot.frames);
    VideoInfo info;
    auto frames = decodeVideo(out.string(), &info);
    EXPECT_EQ(info.codec, "h264");
    EXPECT_EQ(info.pixelFormat, "yuv420p");
    EXPECT_EQ(info.frames, p.shot.frames);
    EXPECT_EQ(info.width, p.shot.width);
    EXPECT_EQ(info.height, p.shot.height);
    EXPECT_NEAR(info.fps, p.shot.fps, 1e-6);
    // The decoded video shows the subject where the compositor drew it.
    AnimaticRenderer r(p);
    cv::Mat diff;
    cv::absdiff(frames[7], r.renderFrame(7, p.shot.width, p.shot.height), diff);
    EXPECT_LT(cv::mean(diff)[1], 4.0);
    fs::remove(out);
}

TEST(Animatic, CancelStopsAndLeavesNoFile) {
    Project p = goodProject();
    const fs::path out = fs::temp_directory_path() / "mb-animatic-cancel.mp4";
    CancelToken cancel;
    JobControl jc;
    jc.cancel = &cancel;
    int frames = 0;
    jc.progress = [&](const JobProgress&) {
        if (++frames == 3)
            cancel.request();
    };
    EXPECT_THROW(renderAnimaticVideo(p, out.string(), {}, jc), JobCancelled);
    EXPECT_EQ(frames, 3);
    EXPECT_TRUE(cancel.acknowledged());
    EXPECT_FALSE(fs::exists(out));
}

TEST(Animatic, MissingPhotoIsAnErrorOrAPlaceholder) {
    Project p = goodProject();
    p.subjects[0].photos[0].image = "/nonexistent/photo.png";
    try {
        AnimaticRenderer r(p);
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/photo.png"), std::string::npos);
    }
    AnimaticRenderer tolerant(p, true);
    ASSERT_FALSE(tolerant.warnings().empty());
    cv::Mat m = subjectPixels(p, tolerant, 0);
    EXPECT_GT(cv::countNonZero(m), 0); // a placeholder outline is drawn
}
