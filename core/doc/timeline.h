#pragma once
/**
 * \file timeline.h
 * \brief Keyframe time. Keyframes store a normalised clip time t ∈ [0,1] (0 = first frame, 1 = last frame),
 *        so they keep their relative place when the frame count L changes (a 24-frame shot made 48 frames
 *        long plays its motion at the same pace relative to the clip, never 2× too slow).
 */
#include <algorithm>
#include <cmath>

namespace mb {

/** Normalised time of frame f in a clip of L frames (L ≤ 1 → 0). */
inline double frameToTime(int frame, int frameCount) {
    if (frameCount <= 1)
        return 0.0;
    return double(frame) / double(frameCount - 1);
}

/** Nearest frame of normalised time t in a clip of L frames, clamped to 0..L-1. */
inline int timeToFrame(double t, int frameCount) {
    if (frameCount <= 1)
        return 0;
    const int f = int(std::lround(t * double(frameCount - 1)));
    return std::clamp(f, 0, frameCount - 1);
}

} // namespace mb
