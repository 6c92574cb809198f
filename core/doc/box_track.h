#pragma once
/**
 * \file box_track.h
 * \brief Where a subject is on every frame: normalised boxes keyed in time.
 *
 * Boxes are stored in output-frame coordinates (ruling 9): (0,0) is the top-left and (1,1) the bottom-right
 * of the final video, which is what the artist draws and sees. A track may instead be pinned to the scene:
 * its boxes are scene positions and move with the camera (see ShotTimeline). Boxes may extend past the frame
 * (a subject entering from the side) but must keep positive size; validation reports boxes that leave the
 * frame entirely.
 */
#include "doc/keyframes.h"

#include <string>
#include <vector>

namespace mb {

/** An axis-aligned box in normalised frame coordinates, x0 < x1, y0 < y1. */
struct NormBox {
    double x0 = 0.25, y0 = 0.25, x1 = 0.75, y1 = 0.75;

    double width() const { return x1 - x0; }
    double height() const { return y1 - y0; }
    double centerX() const { return 0.5 * (x0 + x1); }
    double centerY() const { return 0.5 * (y0 + y1); }
    NormBox translated(double dx, double dy) const { return {x0 + dx, y0 + dy, x1 + dx, y1 + dy}; }
    bool isValid() const { return x1 > x0 && y1 > y0; }
    /** True when the box overlaps the frame [0,1]² by a positive area. */
    bool intersectsFrame() const { return x1 > 0 && x0 < 1 && y1 > 0 && y0 < 1; }
    bool operator==(const NormBox& o) const { return x0 == o.x0 && y0 == o.y0 && x1 == o.x1 && y1 == o.y1; }
    bool operator!=(const NormBox& o) const { return !(*this == o); }

    static NormBox lerp(const NormBox& a, const NormBox& b, double p) {
        return {a.x0 + (b.x0 - a.x0) * p, a.y0 + (b.y0 - a.y0) * p, a.x1 + (b.x1 - a.x1) * p,
                a.y1 + (b.y1 - a.y1) * p};
    }
};

using BoxKeyframe = Keyframe<NormBox>;

struct BoxTrack {
    std::string subjectId;         ///< the Subject this track moves
    bool pinnedToScene = false;    ///< false: boxes are where the subject appears on screen (the default)
    std::vector<BoxKeyframe> keys; ///< sorted by time, at least one

    /** The box at normalised time t (see evaluateKeys). */
    NormBox boxAt(double t) const;
    /** The box at frame f of a clip of L frames. */
    NormBox boxAtFrame(int frame, int frameCount) const;
    /** Index of the key at exactly frame f (by timeToFrame) or -1. */
    int keyIndexAtFrame(int frame, int frameCount) const;
    /**
     * Sets (or inserts) the key at frame f to `box`, keeping the easing of an existing key there.
     * Returns its index.
     */
    int setKeyAtFrame(int frame, int frameCount, const NormBox& box);

    bool operator==(const BoxTrack& o) const {
        return subjectId == o.subjectId && pinnedToScene == o.pinnedToScene && keys == o.keys;
    }
    bool operator!=(const BoxTrack& o) const { return !(*this == o); }
};

} // namespace mb
