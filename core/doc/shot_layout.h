#pragma once
/**
 * \file shot_layout.h
 * \brief Per-frame evaluation of a shot: where the camera is and where each subject's box lands on screen.
 *
 * This is what the animatic draws, what `motionbooth-cli info` prints and what the stage view shows. The
 * camera travel of frame f is offset(f) − offset(first frame), in fractions of the frame (+x = the view moved
 * right, so scene content moves left on screen). A track in output-frame coordinates lands where it is drawn;
 * a track pinned to the scene lands at its scene box minus the camera travel (ruling 9).
 */
#include "doc/project.h"

#include <string>
#include <vector>

namespace mb {

struct SubjectPlacement {
    std::string subjectId;
    NormBox screenBox; ///< where the subject appears in the output frame
};

struct FrameLayout {
    int frame = 0;
    CameraOffset cameraTravel;              ///< fractions of the frame travelled since frame 0
    std::vector<SubjectPlacement> subjects; ///< in project.boxTracks order
};

/** Camera travel at frame f (offset(f) − offset(0)). */
CameraOffset cameraTravelAtFrame(const CameraPath& camera, int frame, int frameCount);

/** The on-screen box of one track at frame f. */
NormBox screenBoxAtFrame(const BoxTrack& track, const CameraPath& camera, int frame, int frameCount);

/** Layout of every frame 0..L-1 of the project's shot. */
std::vector<FrameLayout> layoutShot(const Project& project);

} // namespace mb
