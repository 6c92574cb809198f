#pragma once
/**
 * \file easing.h
 * \brief How a value travels from one keyframe to the next: hold, linear, or a CSS/After-Effects style
 *        cubic Bézier timing curve.
 *
 * An Easing maps the segment's normalised time u ∈ [0,1] to a progress p ∈ [0,1] (Bézier curves may
 * overshoot when their control points leave [0,1] in y). The curve runs from (0,0) to (1,1) with control
 * points (x1,y1), (x2,y2); x1 and x2 must lie in [0,1] so that time never runs backwards.
 */
#include <string>

namespace mb {

struct Easing {
    enum class Kind { Hold, Linear, Bezier };
    Kind kind = Kind::Linear;
    double x1 = 0, y1 = 0, x2 = 1, y2 = 1; ///< Bézier control points (used when kind == Bezier)

    static Easing hold() { return {Kind::Hold, 0, 0, 1, 1}; }
    static Easing linear() { return {Kind::Linear, 0, 0, 1, 1}; }
    static Easing bezier(double x1, double y1, double x2, double y2) {
        return {Kind::Bezier, x1, y1, x2, y2};
    }
    static Easing easeIn() { return bezier(0.42, 0.0, 1.0, 1.0); }
    static Easing easeOut() { return bezier(0.0, 0.0, 0.58, 1.0); }
    static Easing easeInOut() { return bezier(0.42, 0.0, 0.58, 1.0); }

    /** Progress at segment time u (clamped to [0,1]). Hold gives 0 until u reaches 1. */
    double progress(double u) const;

    /** Stable preset name ("hold", "linear", "ease-in", "ease-out", "ease-in-out") or "bezier" for custom
     * curves. */
    std::string name() const;
    /** Preset from its name; throws std::invalid_argument for an unknown name. "bezier" is not a preset. */
    static Easing fromName(const std::string& name);

    bool operator==(const Easing& o) const {
        return kind == o.kind &&
               (kind != Kind::Bezier || (x1 == o.x1 && y1 == o.y1 && x2 == o.x2 && y2 == o.y2));
    }
    bool operator!=(const Easing& o) const { return !(*this == o); }
};

} // namespace mb
