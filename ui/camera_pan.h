#pragma once
/**
 * \file camera_pan.h
 * \brief Setting the camera's total pan c_cam while keeping the shape of a keyed camera path.
 */
#include "doc/camera_path.h"

#include <cmath>

namespace mb::ui {

/**
 * The path with total travel (cx, cy) (fractions of the frame, ruling 10). Each key keeps its place in time
 * and its easing; its offset from the first key is scaled per axis so the path keeps its shape. Where an axis
 * had no travel before, keys are spread linearly in time along it.
 */
inline CameraPath withTotalPan(const CameraPath& path, double cx, double cy) {
    CameraPath out = path;
    if (out.keys.size() < 2) {
        const Easing e = out.keys.empty() ? Easing::linear() : out.keys.front().easing;
        out = CameraPath::constantPan(cx, cy);
        out.keys.front().easing = e;
        return out;
    }
    const CameraOffset first = path.keys.front().value;
    const CameraOffset old = path.totalPan();
    const double t0 = path.keys.front().time, t1 = path.keys.back().time;
    for (auto& k : out.keys) {
        const double share = t1 > t0 ? (k.time - t0) / (t1 - t0) : 1.0;
        const double dx = k.value.x - first.x, dy = k.value.y - first.y;
        k.value.x = first.x + (std::abs(old.x) > 1e-12 ? dx * cx / old.x : share * cx);
        k.value.y = first.y + (std::abs(old.y) > 1e-12 ? dy * cy / old.y : share * cy);
    }
    return out;
}

} // namespace mb::ui
