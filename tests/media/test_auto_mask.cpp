// Auto-mask (GrabCut seeded by a saliency prior) and brush/rectangle refinement.
#include "media/auto_mask.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace mb;
using namespace mb::media;

namespace {

/** Intersection over union of two 0/255 masks. */
double iou(const cv::Mat& a, const cv::Mat& b) {
    const double inter = cv::countNonZero(a & b), uni = cv::countNonZero(a | b);
    return uni > 0 ? inter / uni : 1.0;
}

/** A textured backdrop (noise over a gradient) with a textured ellipse subject; `truth` gets its mask. */
cv::Mat syntheticPhoto(cv::Mat* truth, cv::Size size = {640, 480}) {
    cv::Mat img(size, CV_8UC3);
    cv::RNG rng(7);
    for (int y = 0; y < img.rows; ++y)
        for (int x = 0; x < img.cols; ++x)
            img.at<cv::Vec3b>(y, x) =
                cv::Vec3b(uchar(150 + 40 * y / img.rows + rng.uniform(-12, 12)),
                          uchar(160 + rng.uniform(-12, 12)), uchar(120 + rng.uniform(-12, 12)));
    *truth = cv::Mat::zeros(size, CV_8U);
    const cv::Point c(size.width / 2 + 20, size.height / 2 + 10);
    const cv::Size axes(size.width / 6, size.height / 4);
    cv::ellipse(*truth, c, axes, 15, 0, 360, 255, -1);
    for (int y = 0; y < img.rows; ++y)
        for (int x = 0; x < img.cols; ++x)
            if (truth->at<uchar>(y, x))
                img.at<cv::Vec3b>(y, x) =
                    cv::Vec3b(uchar(40 + rng.uniform(-15, 15)), uchar(60 + rng.uniform(-15, 15)),
                              uchar(200 + rng.uniform(-15, 15)));
    return img;
}

} // namespace

TEST(AutoMask, FindsTheSubjectOfASyntheticPhoto) {
    cv::Mat truth;
    const cv::Mat img = syntheticPhoto(&truth);
    const cv::Mat mask = autoMask(img, {});
    ASSERT_EQ(mask.size(), img.size());
    ASSERT_EQ(mask.type(), CV_8UC1);
    EXPECT_GT(iou(mask, truth), 0.9);
}

TEST(AutoMask, MatchesTheToyPhotoReferenceMask) {
    const std::string dir = MB_TEST_DATA "/images";
    ASSERT_TRUE(std::filesystem::exists(dir + "/toy.png")) << "tests/data/images/toy.png is missing";
    const cv::Mat img = cv::imread(dir + "/toy.png", cv::IMREAD_COLOR);
    const cv::Mat ref = cv::imread(dir + "/toy_mask.png", cv::IMREAD_GRAYSCALE) > 127;
    ASSERT_FALSE(img.empty());
    ASSERT_FALSE(ref.empty());
    const auto t0 = std::chrono::steady_clock::now();
    const cv::Mat mask = autoMask(img, {});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("auto-mask toy.png %dx%d: %.2f s, IoU %.3f, area %d vs %d\n", img.cols, img.rows, seconds,
                iou(mask, ref), cv::countNonZero(mask), cv::countNonZero(ref));
    EXPECT_GT(iou(mask, ref), 0.85);
    const double areaRatio = double(cv::countNonZero(mask)) / cv::countNonZero(ref);
    EXPECT_NEAR(areaRatio, 1.0, 0.15);
}

TEST(AutoMask, ReportsProgressAndStopsOnCancel) {
    cv::Mat truth;
    const cv::Mat img = syntheticPhoto(&truth, {320, 240});
    CancelToken cancel;
    JobControl jc;
    jc.cancel = &cancel;
    int reports = 0;
    jc.progress = [&](const JobProgress& p) {
        EXPECT_EQ(p.stage, "auto-mask");
        if (++reports == 2)
            cancel.request(); // after the first GrabCut iteration
    };
    EXPECT_THROW(autoMask(img, jc), JobCancelled);
    EXPECT_TRUE(cancel.acknowledged());
    EXPECT_EQ(reports, 2);
}

TEST(AutoMask, RefuseBadInput) {
    EXPECT_THROW(autoMask(cv::Mat(), {}), std::invalid_argument);
    EXPECT_THROW(autoMask(cv::Mat(10, 10, CV_8UC1, cv::Scalar(0)), {}), std::invalid_argument);
    cv::Mat truth;
    const cv::Mat img = syntheticPhoto(&truth, {100, 80});
    EXPECT_THROW(refineMask(img, cv::Mat(10, 10, CV_8UC1), {}, {}), std::invalid_argument);
}

TEST(RefineMask, RectangleKeepsOnlyTheSubjectInside) {
    cv::Mat truth;
    cv::Mat img = syntheticPhoto(&truth);
    // A second, similar object at the left edge that the rectangle excludes.
    cv::circle(img, {60, 80}, 40, cv::Scalar(40, 60, 200), -1);
    MaskHints hints;
    cv::Rect r = cv::boundingRect(truth);
    hints.rect = cv::Rect(r.x - 20, r.y - 20, r.width + 40, r.height + 40);
    const cv::Mat mask = refineMask(img, cv::Mat(), hints, {});
    EXPECT_EQ(cv::countNonZero(mask(cv::Rect(20, 40, 80, 80))), 0);
    EXPECT_GT(iou(mask, truth), 0.9);
}

TEST(RefineMask, EraseStrokeRemovesPartOfTheMask) {
    cv::Mat truth;
    const cv::Mat img = syntheticPhoto(&truth);
    const cv::Mat mask = truth.clone();
    MaskHints hints;
    hints.background = cv::Mat::zeros(img.size(), CV_8U);
    const cv::Rect erased(300, 200, 40, 40);
    hints.background(erased).setTo(255);
    const cv::Mat refined = refineMask(img, mask, hints, {});
    EXPECT_EQ(cv::countNonZero(refined(erased)), 0);
    // The rest of the subject stays.
    EXPECT_GT(iou(refined, truth), 0.85);
    // A "this is the subject" stroke outside adds that area.
    MaskHints add;
    add.foreground = cv::Mat::zeros(img.size(), CV_8U);
    add.foreground(cv::Rect(10, 10, 30, 30)).setTo(255);
    const cv::Mat grown = refineMask(img, mask, add, {});
    EXPECT_EQ(cv::countNonZero(grown(cv::Rect(10, 10, 30, 30))), 900);
}
