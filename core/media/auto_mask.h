#pragma once
/**
 * \file auto_mask.h
 * \brief Subject masks for photos: an automatic first guess (GrabCut seeded from a saliency and centre prior)
 *        and refinement from brush strokes and a rectangle.
 *
 * Both run at a working resolution (longer side ≤ AutoMaskOptions::maxWorkSide) and return a mask of the
 * input's size: 8-bit, one channel, 255 = subject, 0 = background. They are long jobs in the sense of
 * doc/job.h: progress is reported once per GrabCut iteration ("auto-mask") and a cancel request stops them
 * within one iteration by throwing JobCancelled. Run them off the UI thread.
 *
 * \code
 *   cv::Mat photo = mb::media::loadColorImage("dog.jpg");
 *   cv::Mat mask = mb::media::autoMask(photo, {});
 *   mb::media::MaskHints hints;
 *   hints.background = cv::Mat::zeros(photo.size(), CV_8U);
 *   cv::circle(hints.background, {40, 40}, 12, 255, -1); // "not the subject" brush stroke
 *   mask = mb::media::refineMask(photo, mask, hints, {});
 * \endcode
 */
#include "doc/job.h"

#include <opencv2/core.hpp>

namespace mb::media {

struct AutoMaskOptions {
    int maxWorkSide = 480; ///< GrabCut's cost grows with pixels: masks are computed at most this large
    int iterations = 5;    ///< GrabCut iterations (one progress step each)
};

/** What the artist told refineMask. Stroke images have the photo's size; any may be empty. */
struct MaskHints {
    cv::Mat foreground; ///< 8-bit, > 0 where the artist painted "this is the subject"
    cv::Mat background; ///< 8-bit, > 0 where the artist painted "this is not the subject"
    cv::Rect rect;      ///< when not empty, the subject lies inside it: everything outside is background
};

/**
 * The subject's mask, guessed without help: colours unlike the photo's border and near its centre seed
 * GrabCut, and the main connected regions are kept. Throws std::invalid_argument for an empty or non-BGR
 * image, JobCancelled when cancelled.
 */
cv::Mat autoMask(const cv::Mat& bgr, const JobControl& control, const AutoMaskOptions& options = {});

/**
 * `mask` improved with `hints`: painted strokes are taken as certain, the old mask as probable, the outside
 * of the rectangle as background, and GrabCut re-segments the rest. An empty `mask` starts from the rectangle
 * (or the whole photo). Strokes always win in the result. Throws std::invalid_argument for mismatched sizes.
 */
cv::Mat refineMask(const cv::Mat& bgr, const cv::Mat& mask, const MaskHints& hints, const JobControl& control,
                   const AutoMaskOptions& options = {});

/**
 * The saliency prior autoMask seeds from, 0..1 float (CV_32F) at the image's size: distance in Lab colour
 * from the border's colours, weighted towards the centre. Exposed for tests and for showing the guess.
 */
cv::Mat saliencyPrior(const cv::Mat& bgr);

} // namespace mb::media
