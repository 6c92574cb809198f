#include "doc/box_track.h"

#include "doc/timeline.h"

namespace mb {

NormBox BoxTrack::boxAt(double t) const {
    return evaluateKeys(keys, t, NormBox::lerp);
}

NormBox BoxTrack::boxAtFrame(int frame, int frameCount) const {
    return boxAt(frameToTime(frame, frameCount));
}

int BoxTrack::keyIndexAtFrame(int frame, int frameCount) const {
    for (size_t i = 0; i < keys.size(); ++i)
        if (timeToFrame(keys[i].time, frameCount) == frame)
            return int(i);
    return -1;
}

int BoxTrack::setKeyAtFrame(int frame, int frameCount, const NormBox& box) {
    if (int i = keyIndexAtFrame(frame, frameCount); i >= 0) {
        keys[size_t(i)].value = box;
        return i;
    }
    BoxKeyframe k;
    k.time = frameToTime(frame, frameCount);
    k.value = box;
    // A new key in the middle of a segment inherits that segment's easing, so the curve's character stays.
    for (const auto& existing : keys)
        if (existing.time < k.time)
            k.easing = existing.easing;
    keys.push_back(k);
    sortKeys(keys);
    return keyIndexAtFrame(frame, frameCount);
}

} // namespace mb
