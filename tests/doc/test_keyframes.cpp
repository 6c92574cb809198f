// Keyframe interpolation, easing curves, resampling when L changes, camera offsets per frame.
#include "doc/box_track.h"
#include "doc/camera_path.h"
#include "doc/shot_layout.h"
#include "doc/timeline.h"

#include <gtest/gtest.h>

using namespace mb;

TEST(Easing, LinearAndHold) {
    EXPECT_DOUBLE_EQ(Easing::linear().progress(0.3), 0.3);
    EXPECT_DOUBLE_EQ(Easing::hold().progress(0.0), 0.0);
    EXPECT_DOUBLE_EQ(Easing::hold().progress(0.999), 0.0);
    EXPECT_DOUBLE_EQ(Easing::hold().progress(1.0), 1.0);
    EXPECT_DOUBLE_EQ(Easing::linear().progress(-1), 0.0); // clamped
    EXPECT_DOUBLE_EQ(Easing::linear().progress(2), 1.0);
}

TEST(Easing, BezierMatchesHandComputedValues) {
    // ease-in-out (0.42,0,0.58,1) is symmetric: p(0.5) = 0.5 and p(u) + p(1-u) = 1.
    const Easing e = Easing::easeInOut();
    EXPECT_NEAR(e.progress(0.5), 0.5, 1e-9);
    for (double u : {0.1, 0.2, 0.35})
        EXPECT_NEAR(e.progress(u) + e.progress(1 - u), 1.0, 1e-9);
    // By hand at curve parameter s = 0.25: x = 3*.5625*.25*.42 + 3*.75*.0625*.58 + .015625 = 0.274375,
    // y = 3*.5625*.25*0 + 3*.75*.0625*1 + .015625 = 0.15625.
    EXPECT_NEAR(e.progress(0.274375), 0.15625, 1e-9);
    // The identity curve (0,0,1,1)... control points on the diagonal give linear motion.
    const Easing diag = Easing::bezier(1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3);
    for (double u = 0; u <= 1.0; u += 0.125)
        EXPECT_NEAR(diag.progress(u), u, 1e-9);
    // ease-in starts slower than linear, ease-out faster.
    EXPECT_LT(Easing::easeIn().progress(0.3), 0.3);
    EXPECT_GT(Easing::easeOut().progress(0.3), 0.3);
    // Monotone on a fine grid.
    double prev = -1;
    for (int i = 0; i <= 1000; ++i) {
        double p = e.progress(i / 1000.0);
        EXPECT_GE(p, prev - 1e-12);
        prev = p;
    }
}

TEST(Easing, OvershootIsAllowedInY) {
    const Easing back = Easing::bezier(0.3, 1.6, 0.7, 1.0);
    double maxP = 0;
    for (int i = 0; i <= 100; ++i)
        maxP = std::max(maxP, back.progress(i / 100.0));
    EXPECT_GT(maxP, 1.0);
}

TEST(Easing, NamesRoundTrip) {
    for (auto n : {"hold", "linear", "ease-in", "ease-out", "ease-in-out"})
        EXPECT_EQ(Easing::fromName(n).name(), n);
    EXPECT_EQ(Easing::bezier(0.1, 0.2, 0.3, 0.4).name(), "bezier");
    EXPECT_THROW(Easing::fromName("bouncy"), std::invalid_argument);
}

static BoxTrack twoKeyTrack(Easing e) {
    BoxTrack t;
    t.subjectId = "a";
    t.keys.push_back({0.0, {0.0, 0.2, 0.2, 0.6}, e});
    t.keys.push_back({1.0, {0.8, 0.2, 1.0, 0.6}, Easing::linear()});
    return t;
}

TEST(BoxTrack, LinearInterpolationPerFrame) {
    BoxTrack t = twoKeyTrack(Easing::linear());
    const int L = 5; // times 0, .25, .5, .75, 1
    for (int f = 0; f < L; ++f) {
        NormBox b = t.boxAtFrame(f, L);
        EXPECT_NEAR(b.x0, 0.2 * f, 1e-12) << f;
        EXPECT_NEAR(b.x1, 0.2 + 0.2 * f, 1e-12) << f;
        EXPECT_NEAR(b.y0, 0.2, 1e-12);
    }
}

TEST(BoxTrack, HoldAndEasedSegments) {
    BoxTrack hold = twoKeyTrack(Easing::hold());
    EXPECT_DOUBLE_EQ(hold.boxAtFrame(3, 5).x0, 0.0);
    EXPECT_DOUBLE_EQ(hold.boxAtFrame(4, 5).x0, 0.8);
    BoxTrack eased = twoKeyTrack(Easing::easeIn());
    EXPECT_NEAR(eased.boxAtFrame(2, 5).x0, 0.8 * Easing::easeIn().progress(0.5), 1e-12);
}

TEST(BoxTrack, ThreeKeysAndOutsideRange) {
    BoxTrack t;
    t.keys.push_back({0.25, {0.1, 0.1, 0.2, 0.2}, Easing::linear()});
    t.keys.push_back({0.5, {0.3, 0.1, 0.4, 0.2}, Easing::linear()});
    t.keys.push_back({0.75, {0.3, 0.5, 0.4, 0.6}, Easing::linear()});
    EXPECT_EQ(t.boxAt(0.0), t.keys[0].value); // before the first key: first value holds
    EXPECT_EQ(t.boxAt(1.0), t.keys[2].value); // after the last: last value holds
    EXPECT_NEAR(t.boxAt(0.375).x0, 0.2, 1e-12);
    EXPECT_NEAR(t.boxAt(0.625).y0, 0.3, 1e-12);
}

TEST(BoxTrack, KeyframesKeepRelativeTimeWhenFrameCountChanges) {
    BoxTrack t;
    t.subjectId = "a";
    t.setKeyAtFrame(0, 24, {0.0, 0.0, 0.1, 0.1});
    t.setKeyAtFrame(12, 24, {0.5, 0.0, 0.6, 0.1}); // just past the middle of 24 frames
    t.setKeyAtFrame(23, 24, {0.9, 0.0, 1.0, 0.1});
    ASSERT_EQ(t.keys.size(), 3u);
    // 48 frames: the middle key lands at the same relative place (frame 24 of 47 ≈ 12/23).
    EXPECT_EQ(timeToFrame(t.keys[1].time, 48), 25);
    EXPECT_EQ(t.keyIndexAtFrame(47, 48), 2);
    // The box at the last frame is the last key's box at every length, and the middle value is reached
    // at the same fraction of the clip.
    for (int L : {2, 8, 24, 48, 100}) {
        EXPECT_EQ(t.boxAtFrame(L - 1, L), t.keys[2].value) << L;
        EXPECT_EQ(t.boxAtFrame(0, L), t.keys[0].value) << L;
    }
    EXPECT_NEAR(t.boxAt(12.0 / 23.0).x0, 0.5, 1e-12);
    // Single-frame clips evaluate at time 0.
    EXPECT_EQ(t.boxAtFrame(0, 1), t.keys[0].value);
}

TEST(BoxTrack, SetKeyAtFrameReplacesOrInserts) {
    BoxTrack t = twoKeyTrack(Easing::easeOut());
    EXPECT_EQ(t.setKeyAtFrame(4, 9, {0.4, 0.2, 0.6, 0.6}), 1);
    ASSERT_EQ(t.keys.size(), 3u);
    EXPECT_EQ(t.keys[1].easing, Easing::easeOut()); // inherits the segment's easing
    EXPECT_EQ(t.setKeyAtFrame(4, 9, {0.45, 0.2, 0.65, 0.6}), 1);
    EXPECT_EQ(t.keys.size(), 3u);
    EXPECT_DOUBLE_EQ(t.keys[1].value.x0, 0.45);
}

TEST(CameraPath, ConstantPanOffsetsPerFrame) {
    CameraPath c = CameraPath::constantPan(0.5, -0.25);
    const int L = 24;
    for (int f = 0; f < L; ++f) {
        CameraOffset o = c.offsetAtFrame(f, L);
        EXPECT_NEAR(o.x, 0.5 * f / 23.0, 1e-12);
        EXPECT_NEAR(o.y, -0.25 * f / 23.0, 1e-12);
    }
    EXPECT_NEAR(c.totalPan().x, 0.5, 1e-12);
    EXPECT_FALSE(c.isStatic());
    EXPECT_TRUE(CameraPath::constantPan(0, 0).isStatic());
}

TEST(CameraPath, KeyframedSpeedChange) {
    // Still for the first half, then travel 0.4 in the second half with ease-in.
    CameraPath c;
    c.keys.push_back({0.0, {0, 0}, Easing::hold()});
    c.keys.push_back({0.5, {0, 0}, Easing::easeIn()});
    c.keys.push_back({1.0, {0.4, 0}, Easing::linear()});
    EXPECT_DOUBLE_EQ(c.offsetAt(0.25).x, 0.0);
    EXPECT_NEAR(c.offsetAt(0.75).x, 0.4 * Easing::easeIn().progress(0.5), 1e-12);
    EXPECT_DOUBLE_EQ(c.offsetAt(1.0).x, 0.4);
}

TEST(ShotLayout, PinnedTracksMoveAgainstTheCamera) {
    Project p;
    p.shot.frames = 11;
    Subject s;
    s.id = "a";
    s.className = "toy";
    p.subjects.push_back(s);
    BoxTrack t;
    t.subjectId = "a";
    t.keys.push_back({0.0, {0.4, 0.4, 0.6, 0.6}, Easing::linear()});
    p.boxTracks.push_back(t);
    p.camera = CameraPath::constantPan(0.3, 0.1);
    auto frames = layoutShot(p);
    ASSERT_EQ(frames.size(), 11u);
    EXPECT_NEAR(frames[10].cameraTravel.x, 0.3, 1e-12);
    EXPECT_EQ(frames[10].subjects[0].screenBox, t.keys[0].value); // screen-space track stays put
    p.boxTracks[0].pinnedToScene = true;
    frames = layoutShot(p);
    EXPECT_NEAR(frames[10].subjects[0].screenBox.x0, 0.1, 1e-12); // scene-pinned: slides left with the pan
    EXPECT_NEAR(frames[5].subjects[0].screenBox.y0, 0.35, 1e-12);
}
