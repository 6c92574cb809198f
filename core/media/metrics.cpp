#include "media/metrics.h"

#include "doc/shot_layout.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>
#include <stdexcept>

namespace mb::media {

namespace {

cv::Mat gray(const cv::Mat& bgr) {
    cv::Mat g;
    cv::cvtColor(bgr, g, cv::COLOR_BGR2GRAY);
    return g;
}

double median(std::vector<float>& v) {
    if (v.empty())
        return 0.0;
    auto mid = v.begin() + long(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

cv::Rect boxRect(const NormBox& b, int w, int h, int pad) {
    return cv::Rect(int(std::floor(b.x0 * w)) - pad, int(std::floor(b.y0 * h)) - pad,
                    int(std::ceil(b.width() * w)) + 2 * pad, int(std::ceil(b.height() * h)) + 2 * pad) &
           cv::Rect(0, 0, w, h);
}

} // namespace

cv::Mat denseFlow(const cv::Mat& a, const cv::Mat& b) {
    if (a.size() != b.size() || a.type() != CV_8UC3 || b.type() != CV_8UC3)
        throw std::invalid_argument("denseFlow: frames must be BGR 8-bit of one size");
    cv::Mat flow;
    // Pyramid of 5 levels, window 21: robust to pans of tens of pixels per frame at 576×320.
    cv::calcOpticalFlowFarneback(gray(a), gray(b), flow, 0.5, 5, 21, 5, 7, 1.5, 0);
    return flow;
}

MotionMetrics measureMotion(const std::vector<cv::Mat>& frames, const Project& project,
                            const std::vector<std::vector<cv::Mat>>* subjectMasks) {
    if (frames.size() < 2)
        throw std::invalid_argument("metrics need at least 2 frames");
    const int W = frames[0].cols, H = frames[0].rows;
    for (const auto& f : frames)
        if (f.cols != W || f.rows != H || f.type() != CV_8UC3)
            throw std::invalid_argument("metrics: every frame must be BGR 8-bit of one size");
    const int L = int(frames.size());
    MotionMetrics m;
    m.framePairs = L - 1;
    m.boxFollowingError.assign(project.boxTracks.size(), 0.0);
    std::vector<double> boxErrSum(project.boxTracks.size(), 0.0);
    std::vector<int> boxErrCount(project.boxTracks.size(), 0);
    const double diag = std::hypot(double(W), double(H));
    double camErr = 0, warpErr = 0;

    for (int f = 0; f + 1 < L; ++f) {
        const cv::Mat flow = denseFlow(frames[size_t(f)], frames[size_t(f) + 1]);
        // Background = outside every subject box of both frames (padded: flow blurs edges).
        cv::Mat background(H, W, CV_8UC1, cv::Scalar(255));
        for (const auto& t : project.boxTracks)
            for (int g : {f, f + 1})
                background(boxRect(screenBoxAtFrame(t, project.camera, g, L), W, H, 6)).setTo(0);
        std::vector<float> fx, fy;
        for (int y = 8; y < H - 8; ++y) {
            const auto* fr = flow.ptr<cv::Vec2f>(y);
            const auto* bg = background.ptr<uchar>(y);
            for (int x = 8; x < W - 8; ++x)
                if (bg[x]) {
                    fx.push_back(fr[x][0]);
                    fy.push_back(fr[x][1]);
                }
        }
        const double ox = median(fx), oy = median(fy);
        const CameraOffset t0 = cameraTravelAtFrame(project.camera, f, L);
        const CameraOffset t1 = cameraTravelAtFrame(project.camera, f + 1, L);
        const double rx = -(t1.x - t0.x) * W, ry = -(t1.y - t0.y) * H;
        camErr += std::hypot(ox - rx, oy - ry);
        m.observedPanPxPerFrame[0] += ox / (L - 1);
        m.observedPanPxPerFrame[1] += oy / (L - 1);
        m.requestedPanPxPerFrame[0] += rx / (L - 1);
        m.requestedPanPxPerFrame[1] += ry / (L - 1);

        // Temporal consistency: warp frame f+1 back onto f along the flow.
        cv::Mat mapXY(H, W, CV_32FC2);
        for (int y = 0; y < H; ++y) {
            const auto* fr = flow.ptr<cv::Vec2f>(y);
            auto* mp = mapXY.ptr<cv::Vec2f>(y);
            for (int x = 0; x < W; ++x)
                mp[x] = cv::Vec2f(float(x) + fr[x][0], float(y) + fr[x][1]);
        }
        cv::Mat warped, diff;
        cv::remap(frames[size_t(f) + 1], warped, mapXY, cv::noArray(), cv::INTER_LINEAR,
                  cv::BORDER_REPLICATE);
        cv::absdiff(warped, frames[size_t(f)], diff);
        const cv::Scalar md = cv::mean(diff);
        warpErr += (md[0] + md[1] + md[2]) / (3.0 * 255.0);

        // Box following on frame f+1: centroid of the subject (mask or motion residual) vs the box centre.
        for (size_t ti = 0; ti < project.boxTracks.size(); ++ti) {
            const NormBox box = screenBoxAtFrame(project.boxTracks[ti], project.camera, f + 1, L);
            double sx = 0, sy = 0, sw = 0;
            if (subjectMasks && ti < subjectMasks->size() && size_t(f) + 1 < (*subjectMasks)[ti].size()) {
                const cv::Mat& mask = (*subjectMasks)[ti][size_t(f) + 1];
                for (int y = 0; y < mask.rows; ++y)
                    for (int x = 0; x < mask.cols; ++x)
                        if (double v = mask.at<uchar>(y, x) / 255.0; v > 0) {
                            sx += v * (x + 0.5) / mask.cols;
                            sy += v * (y + 0.5) / mask.rows;
                            sw += v;
                        }
            } else {
                // Motion residual: how far each pixel's flow departs from the camera's.
                for (int y = 0; y < H; ++y) {
                    const auto* fr = flow.ptr<cv::Vec2f>(y);
                    for (int x = 0; x < W; ++x) {
                        const double r = std::hypot(fr[x][0] - ox, fr[x][1] - oy);
                        if (r > 1.0) {
                            sx += r * (x + 0.5) / W;
                            sy += r * (y + 0.5) / H;
                            sw += r;
                        }
                    }
                }
            }
            if (sw > 0) {
                boxErrSum[ti] +=
                    std::hypot((sx / sw - box.centerX()) * W, (sy / sw - box.centerY()) * H) / diag;
                ++boxErrCount[ti];
            }
        }
    }
    m.cameraFlowErrorPx = camErr / (L - 1);
    m.temporalConsistency = 1.0 - warpErr / (L - 1);
    for (size_t i = 0; i < boxErrSum.size(); ++i)
        m.boxFollowingError[i] = boxErrCount[i] ? boxErrSum[i] / boxErrCount[i] : std::nan("");
    return m;
}

double boxFollowingErrorOfCentroids(const Project& project, size_t track,
                                    const std::vector<std::array<double, 2>>& centroids) {
    if (track >= project.boxTracks.size())
        throw std::invalid_argument("box-following: the project has no box track " + std::to_string(track));
    if (centroids.empty())
        throw std::invalid_argument("box-following: no centroids");
    const int L = int(centroids.size());
    const double W = project.shot.width, H = project.shot.height, diag = std::hypot(W, H);
    double sum = 0;
    for (int f = 0; f < L; ++f) {
        const NormBox box = screenBoxAtFrame(project.boxTracks[track], project.camera, f, L);
        sum += std::hypot((centroids[size_t(f)][0] - box.centerX()) * W,
                          (centroids[size_t(f)][1] - box.centerY()) * H) /
               diag;
    }
    return sum / L;
}

} // namespace mb::media
