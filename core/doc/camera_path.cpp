#include "doc/camera_path.h"

#include "doc/timeline.h"

namespace mb {

CameraPath CameraPath::constantPan(double cx, double cy) {
    CameraPath p;
    p.keys.push_back({0.0, {0.0, 0.0}, Easing::linear()});
    p.keys.push_back({1.0, {cx, cy}, Easing::linear()});
    return p;
}

CameraOffset CameraPath::offsetAt(double t) const {
    if (keys.empty())
        return {};
    return evaluateKeys(keys, t, CameraOffset::lerp);
}

CameraOffset CameraPath::offsetAtFrame(int frame, int frameCount) const {
    return offsetAt(frameToTime(frame, frameCount));
}

CameraOffset CameraPath::totalPan() const {
    const auto a = offsetAt(0.0), b = offsetAt(1.0);
    return {b.x - a.x, b.y - a.y};
}

bool CameraPath::isStatic() const {
    for (const auto& k : keys)
        if (k.value != keys.front().value)
            return false;
    return true;
}

int CameraPath::keyIndexAtFrame(int frame, int frameCount) const {
    for (size_t i = 0; i < keys.size(); ++i)
        if (timeToFrame(keys[i].time, frameCount) == frame)
            return int(i);
    return -1;
}

int CameraPath::setKeyAtFrame(int frame, int frameCount, const CameraOffset& offset) {
    if (int i = keyIndexAtFrame(frame, frameCount); i >= 0) {
        keys[size_t(i)].value = offset;
        return i;
    }
    CameraKeyframe k;
    k.time = frameToTime(frame, frameCount);
    k.value = offset;
    for (const auto& existing : keys)
        if (existing.time < k.time)
            k.easing = existing.easing;
    keys.push_back(k);
    sortKeys(keys);
    return keyIndexAtFrame(frame, frameCount);
}

} // namespace mb
