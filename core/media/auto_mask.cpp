#include "media/auto_mask.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace mb::media {

namespace {

constexpr double kBorderBand = 0.06;  // fraction of the shorter side treated as "the photo's border"
constexpr int kBorderClusters = 5;    // colours the border is summarised by
constexpr double kCentreSigma = 0.38; // centre prior's spread, fraction of each side

void checkImage(const cv::Mat& bgr, const char* who) {
    if (bgr.empty())
        throw std::invalid_argument(std::string(who) + ": empty image");
    if (bgr.type() != CV_8UC3)
        throw std::invalid_argument(std::string(who) + ": expected an 8-bit BGR image");
}

/** `img` scaled so its longer side is at most maxSide (area filter); `scale` gets the factor used. */
cv::Mat toWorkSize(const cv::Mat& img, int maxSide, int interpolation, double* scale) {
    const int side = std::max(img.cols, img.rows);
    if (side <= maxSide) {
        *scale = 1.0;
        return img;
    }
    *scale = double(maxSide) / side;
    cv::Mat out;
    cv::resize(img, out,
               cv::Size(std::max(1, int(std::lround(img.cols * *scale))),
                        std::max(1, int(std::lround(img.rows * *scale)))),
               0, 0, interpolation);
    return out;
}

/** A binary mask brought back to `size` with smooth edges (linear filter, then threshold). */
cv::Mat toFullSize(const cv::Mat& mask, cv::Size size) {
    if (mask.size() == size)
        return mask;
    cv::Mat up;
    cv::resize(mask, up, size, 0, 0, cv::INTER_LINEAR);
    cv::threshold(up, up, 127, 255, cv::THRESH_BINARY);
    return up;
}

/**
 * Keeps the main 8-connected regions of a 0/255 mask (the largest and any at least kMinPartShare of its size:
 * a subject's feet may be cut off from its body by a thin grey joint) and fills holes inside them.
 */
cv::Mat mainRegions(const cv::Mat& mask) {
    constexpr double kMinPartShare = 0.03;
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
    if (n <= 1)
        return mask.clone();
    int largest = 0;
    for (int i = 1; i < n; ++i)
        largest = std::max(largest, stats.at<int>(i, cv::CC_STAT_AREA));
    cv::Mat out = cv::Mat::zeros(mask.size(), CV_8U);
    for (int i = 1; i < n; ++i)
        if (stats.at<int>(i, cv::CC_STAT_AREA) >= kMinPartShare * largest)
            out.setTo(255, labels == i);
    // Holes: background regions that do not touch the border.
    cv::Mat inv = 255 - out;
    cv::Mat holeLabels, holeStats, holeCentroids;
    const int m = cv::connectedComponentsWithStats(inv, holeLabels, holeStats, holeCentroids, 4, CV_32S);
    for (int i = 1; i < m; ++i) {
        const int x = holeStats.at<int>(i, cv::CC_STAT_LEFT), y = holeStats.at<int>(i, cv::CC_STAT_TOP);
        const int w = holeStats.at<int>(i, cv::CC_STAT_WIDTH), h = holeStats.at<int>(i, cv::CC_STAT_HEIGHT);
        if (x > 0 && y > 0 && x + w < out.cols && y + h < out.rows)
            out.setTo(255, holeLabels == i);
    }
    return out;
}

/** Runs GrabCut on a prepared label mask, one iteration per progress step, honouring cancel. */
cv::Mat runGrabCut(const cv::Mat& work, cv::Mat labels, const JobControl& control, int iterations) {
    cv::Mat bgdModel, fgdModel;
    const long long total = std::max(1, iterations);
    control.report("auto-mask", 0, total);
    for (int i = 0; i < total; ++i) {
        control.checkCancelled();
        cv::grabCut(work, labels, cv::Rect(), bgdModel, fgdModel, 1,
                    i == 0 ? cv::GC_INIT_WITH_MASK : cv::GC_EVAL);
        control.report("auto-mask", i + 1, total);
    }
    control.checkCancelled();
    return (labels == cv::GC_FGD) | (labels == cv::GC_PR_FGD);
}

/** GrabCut needs both classes present: make sure the label mask has some of each. */
bool hasBothClasses(const cv::Mat& labels) {
    const int fg = cv::countNonZero((labels == cv::GC_FGD) | (labels == cv::GC_PR_FGD));
    return fg > 0 && fg < int(labels.total());
}

} // namespace

cv::Mat saliencyPrior(const cv::Mat& bgr) {
    checkImage(bgr, "saliencyPrior");
    cv::Mat lab;
    cv::Mat blurred;
    cv::GaussianBlur(bgr, blurred, cv::Size(5, 5), 0);
    cv::cvtColor(blurred, lab, cv::COLOR_BGR2Lab);
    lab.convertTo(lab, CV_32F);
    const int band = std::max(2, int(std::lround(std::min(bgr.cols, bgr.rows) * kBorderBand)));

    // Border colours, summarised by a few k-means centres.
    cv::Mat samples;
    for (int y = 0; y < lab.rows; ++y)
        for (int x = 0; x < lab.cols; ++x)
            if (x < band || y < band || x >= lab.cols - band || y >= lab.rows - band)
                samples.push_back(lab.at<cv::Vec3f>(y, x));
    samples = samples.reshape(1, samples.rows);
    const int k = std::min(kBorderClusters, samples.rows);
    cv::Mat bestLabels, centres;
    cv::setRNGSeed(12345); // k-means starts are random: fixed so the same photo gives the same mask
    cv::kmeans(samples, k, bestLabels,
               cv::TermCriteria(cv::TermCriteria::EPS + cv::TermCriteria::COUNT, 20, 0.5), 2,
               cv::KMEANS_PP_CENTERS, centres);

    cv::Mat dist(lab.size(), CV_32F);
    const double cx = 0.5 * (lab.cols - 1), cy = 0.5 * (lab.rows - 1);
    const double sx = kCentreSigma * lab.cols, sy = kCentreSigma * lab.rows;
    for (int y = 0; y < lab.rows; ++y) {
        const auto* row = lab.ptr<cv::Vec3f>(y);
        auto* out = dist.ptr<float>(y);
        for (int x = 0; x < lab.cols; ++x) {
            float best = std::numeric_limits<float>::max();
            for (int c = 0; c < centres.rows; ++c) {
                const float* m = centres.ptr<float>(c);
                const float d0 = row[x][0] - m[0], d1 = row[x][1] - m[1], d2 = row[x][2] - m[2];
                best = std::min(best, d0 * d0 + d1 * d1 + d2 * d2);
            }
            const double centre =
                std::exp(-0.5 * ((x - cx) * (x - cx) / (sx * sx) + (y - cy) * (y - cy) / (sy * sy)));
            out[x] = float(std::sqrt(best) * centre);
        }
    }
    double maxVal = 0;
    cv::minMaxLoc(dist, nullptr, &maxVal);
    if (maxVal > 0)
        dist /= maxVal;
    return dist;
}

cv::Mat autoMask(const cv::Mat& bgr, const JobControl& control, const AutoMaskOptions& options) {
    checkImage(bgr, "autoMask");
    control.checkCancelled();
    double scale = 1.0;
    const cv::Mat work = toWorkSize(bgr, options.maxWorkSide, cv::INTER_AREA, &scale);

    // The seed: salient pixels (Otsu on the prior), cleaned up, largest region.
    const cv::Mat prior = saliencyPrior(work);
    cv::Mat prior8;
    prior.convertTo(prior8, CV_8U, 255.0);
    cv::Mat seed;
    cv::threshold(prior8, seed, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    const int k = std::max(3, (std::min(work.cols, work.rows) / 60) | 1);
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(k, k));
    cv::morphologyEx(seed, seed, cv::MORPH_OPEN, kernel);
    cv::morphologyEx(seed, seed, cv::MORPH_CLOSE, kernel);
    seed = mainRegions(seed);

    cv::Mat labels(work.size(), CV_8U, cv::Scalar(cv::GC_PR_BGD));
    labels.setTo(cv::GC_PR_FGD, seed);
    // The seed's eroded core is very likely the subject; give GrabCut a firm start there.
    cv::Mat core;
    cv::erode(seed, core, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3 * k, 3 * k)));
    labels.setTo(cv::GC_FGD, core);
    const int band = std::max(2, int(std::lround(std::min(work.cols, work.rows) * 0.02)));
    labels.rowRange(0, band).setTo(cv::GC_BGD);
    labels.rowRange(work.rows - band, work.rows).setTo(cv::GC_BGD);
    labels.colRange(0, band).setTo(cv::GC_BGD);
    labels.colRange(work.cols - band, work.cols).setTo(cv::GC_BGD);
    if (!hasBothClasses(labels)) {
        // No usable seed: fall back to "the subject is in the middle 80 %".
        labels.setTo(cv::GC_BGD);
        labels(cv::Rect(work.cols / 10, work.rows / 10, work.cols * 8 / 10, work.rows * 8 / 10))
            .setTo(cv::GC_PR_FGD);
    }
    cv::Mat mask = runGrabCut(work, labels, control, options.iterations);
    mask = mainRegions(mask);
    return toFullSize(mask, bgr.size());
}

cv::Mat refineMask(const cv::Mat& bgr, const cv::Mat& mask, const MaskHints& hints, const JobControl& control,
                   const AutoMaskOptions& options) {
    checkImage(bgr, "refineMask");
    auto checkSize = [&](const cv::Mat& m, const char* what) {
        if (!m.empty() && (m.size() != bgr.size() || m.type() != CV_8UC1))
            throw std::invalid_argument(std::string("refineMask: ") + what +
                                        " must be 8-bit single-channel and the size of the photo");
    };
    checkSize(mask, "mask");
    checkSize(hints.foreground, "foreground strokes");
    checkSize(hints.background, "background strokes");
    control.checkCancelled();

    double scale = 1.0;
    const cv::Mat work = toWorkSize(bgr, options.maxWorkSide, cv::INTER_AREA, &scale);
    auto shrink = [&](const cv::Mat& m) {
        if (m.empty() || scale == 1.0)
            return m;
        cv::Mat out;
        // Nearest keeps thin strokes present at the working size.
        cv::resize(m, out, work.size(), 0, 0, cv::INTER_NEAREST);
        return out;
    };

    cv::Mat labels(work.size(), CV_8U, cv::Scalar(cv::GC_PR_BGD));
    if (!mask.empty())
        labels.setTo(cv::GC_PR_FGD, shrink(mask) > 127);
    cv::Rect rect;
    if (!hints.rect.empty()) {
        rect = cv::Rect(int(hints.rect.x * scale), int(hints.rect.y * scale),
                        std::max(1, int(hints.rect.width * scale)),
                        std::max(1, int(hints.rect.height * scale))) &
               cv::Rect(0, 0, work.cols, work.rows);
        if (mask.empty())
            labels(rect).setTo(cv::GC_PR_FGD);
        cv::Mat outside(work.size(), CV_8U, cv::Scalar(255));
        outside(rect).setTo(0);
        labels.setTo(cv::GC_BGD, outside);
    } else if (mask.empty()) {
        labels.setTo(cv::GC_PR_FGD);
    }
    if (!hints.foreground.empty())
        labels.setTo(cv::GC_FGD, shrink(hints.foreground) > 0);
    if (!hints.background.empty())
        labels.setTo(cv::GC_BGD, shrink(hints.background) > 0);

    cv::Mat result;
    if (hasBothClasses(labels)) {
        result = toFullSize(runGrabCut(work, labels, control, options.iterations), bgr.size());
    } else {
        // Everything is one class already (e.g. the whole photo painted): nothing to segment.
        result = toFullSize((labels == cv::GC_FGD) | (labels == cv::GC_PR_FGD), bgr.size());
    }
    if (!hints.rect.empty()) {
        cv::Mat outside(bgr.size(), CV_8U, cv::Scalar(255));
        outside(hints.rect & cv::Rect(0, 0, bgr.cols, bgr.rows)).setTo(0);
        result.setTo(0, outside);
    }
    // The artist's strokes always win, at full resolution.
    if (!hints.foreground.empty())
        result.setTo(255, hints.foreground > 0);
    if (!hints.background.empty())
        result.setTo(0, hints.background > 0);
    return result;
}

} // namespace mb::media
