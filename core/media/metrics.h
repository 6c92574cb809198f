#pragma once
/**
 * \file metrics.h
 * \brief Motion-control metrics of a rendered take (OpenCV): how well the camera followed the requested pan,
 *        how well each subject followed its boxes, and how temporally consistent the video is.
 *
 * All measurements use dense Farneback optical flow between consecutive frames. The paper's exact flow
 * model and formulas are unknown (method §12); these definitions are ours and documented here:
 *
 * - **Camera flow error** (pixels/frame): for each consecutive pair, the median flow over background pixels
 *   (outside every subject box of both frames) is the observed scene motion; the requested scene motion is
 *   −(travel(f+1) − travel(f)) × (W, H). The error is the mean over pairs of the Euclidean distance between
 *   them. A perfect constant 8 px/frame pan scores ≈ 0.
 * - **Box-following error** (fraction of the frame diagonal): per frame, the subject's centroid (of a given
 *   mask, or of the motion that departs from the camera's: flow residual magnitude, which is only meaningful
 *   for a shot with a single moving subject) against the box centre; mean over frames.
 * - **Temporal consistency** (0..1, higher is better): 1 − mean absolute photometric error (in [0,1]) after
 *   warping frame f+1 onto frame f with the flow; frames that flicker or change content score lower.
 */
#include "doc/project.h"

#include <opencv2/core.hpp>

#include <array>
#include <vector>

namespace mb::media {

struct MotionMetrics {
    double cameraFlowErrorPx = 0; ///< mean |observed − requested| background motion, pixels/frame
    double observedPanPxPerFrame[2] = {0, 0};  ///< mean observed scene motion (x, y), pixels/frame
    double requestedPanPxPerFrame[2] = {0, 0}; ///< mean requested scene motion (x, y), pixels/frame
    std::vector<double> boxFollowingError;     ///< per subject track, fraction of the frame diagonal
    double temporalConsistency = 0;            ///< 1 − mean warp error
    int framePairs = 0;
};

/** Dense optical flow (Farneback) from a to b, CV_32FC2, in pixels. Both BGR 8-bit of one size. */
cv::Mat denseFlow(const cv::Mat& a, const cv::Mat& b);

/**
 * Measures `frames` (BGR 8-bit, the shot's size) against the project's camera path and box tracks.
 * `subjectMasks`, if given, holds per track per frame an 8-bit mask of the subject (e.g. from the render's
 * attention maps); otherwise the centroid of motion that departs from the camera's is used.
 * Throws invalid_argument when there are fewer than 2 frames or sizes disagree.
 */
MotionMetrics measureMotion(const std::vector<cv::Mat>& frames, const Project& project,
                            const std::vector<std::vector<cv::Mat>>* subjectMasks = nullptr);

/**
 * Box-following error (fraction of the frame diagonal, mean over frames) of per-frame subject centroids in
 * normalised frame coordinates (e.g. a render's attention centroids, its sidecar's "attention_centroids")
 * against box track `track`'s on-screen box centres. The frame count is the centroids'; throws
 * invalid_argument for a track index out of range or no centroids.
 */
double boxFollowingErrorOfCentroids(const Project& project, size_t track,
                                    const std::vector<std::array<double, 2>>& centroids);

} // namespace mb::media
