#pragma once
/**
 * \file camera_path.h
 * \brief The camera pan over the clip (MotionBooth's c_cam, method §9, ruling 10).
 *
 * Keyframes hold the camera's cumulative offset at a time: (ox, oy) as fractions of the frame width and
 * height that the view has travelled since the first frame (+x pans right, so the scene moves left; +y pans
 * down). The default path, 0 at the first frame and c_cam = [cx, cy] at the last with linear easing, is the
 * reference's constant pan; more keys and easing change the speed over time.
 */
#include "doc/keyframes.h"

#include <vector>

namespace mb {

struct CameraOffset {
    double x = 0, y = 0;
    bool operator==(const CameraOffset& o) const { return x == o.x && y == o.y; }
    bool operator!=(const CameraOffset& o) const { return !(*this == o); }
    static CameraOffset lerp(const CameraOffset& a, const CameraOffset& b, double p) {
        return {a.x + (b.x - a.x) * p, a.y + (b.y - a.y) * p};
    }
};

using CameraKeyframe = Keyframe<CameraOffset>;

struct CameraPath {
    std::vector<CameraKeyframe> keys; ///< sorted by time, at least one

    /** A constant pan travelling (cx, cy) over the clip (two linear keys); (0,0) is a static camera. */
    static CameraPath constantPan(double cx, double cy);
    CameraOffset offsetAt(double t) const;
    CameraOffset offsetAtFrame(int frame, int frameCount) const;
    /** Total travel c_cam = offset at the end minus offset at the start. */
    CameraOffset totalPan() const;
    bool isStatic() const;
    int keyIndexAtFrame(int frame, int frameCount) const;
    int setKeyAtFrame(int frame, int frameCount, const CameraOffset& offset);

    bool operator==(const CameraPath& o) const { return keys == o.keys; }
    bool operator!=(const CameraPath& o) const { return !(*this == o); }
};

} // namespace mb
