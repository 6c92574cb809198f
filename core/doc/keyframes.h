#pragma once
/**
 * \file keyframes.h
 * \brief The keyframe list shared by box tracks and camera paths: sorted keys, each holding a value and the
 *        easing of the segment that starts at it.
 */
#include "doc/easing.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace mb {

template <class Value> struct Keyframe {
    double time = 0.0;                ///< normalised clip time, see timeline.h
    Value value{};                    ///< the value at this time
    Easing easing = Easing::linear(); ///< easing of the segment from this key to the next one

    bool operator==(const Keyframe& o) const {
        return time == o.time && value == o.value && easing == o.easing;
    }
    bool operator!=(const Keyframe& o) const { return !(*this == o); }
};

/**
 * Evaluates a sorted keyframe list at normalised time t. Before the first key the first value holds, after
 * the last key the last value holds. `lerp(a, b, p)` mixes two values; p may leave [0,1] for overshooting
 * Bézier easings. Throws std::logic_error on an empty list (callers keep at least one key).
 */
template <class Value, class Lerp>
Value evaluateKeys(const std::vector<Keyframe<Value>>& keys, double t, Lerp lerp) {
    if (keys.empty())
        throw std::logic_error("evaluateKeys: no keyframes");
    if (t <= keys.front().time)
        return keys.front().value;
    if (t >= keys.back().time)
        return keys.back().value;
    // First key with time > t; the segment is [it-1, it).
    auto it = std::upper_bound(keys.begin(), keys.end(), t,
                               [](double v, const Keyframe<Value>& k) { return v < k.time; });
    const auto& a = *(it - 1);
    const auto& b = *it;
    const double span = b.time - a.time;
    const double u = span > 0 ? (t - a.time) / span : 1.0;
    return lerp(a.value, b.value, a.easing.progress(u));
}

/** Sorts keys by time (stable, so keys at equal times keep their order). */
template <class Value> void sortKeys(std::vector<Keyframe<Value>>& keys) {
    std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
}

} // namespace mb
