#include "doc/shot_layout.h"

namespace mb {

CameraOffset cameraTravelAtFrame(const CameraPath& camera, int frame, int frameCount) {
    const CameraOffset a = camera.offsetAtFrame(0, frameCount);
    const CameraOffset b = camera.offsetAtFrame(frame, frameCount);
    return {b.x - a.x, b.y - a.y};
}

NormBox screenBoxAtFrame(const BoxTrack& track, const CameraPath& camera, int frame, int frameCount) {
    NormBox box = track.boxAtFrame(frame, frameCount);
    if (track.pinnedToScene) {
        const CameraOffset travel = cameraTravelAtFrame(camera, frame, frameCount);
        box = box.translated(-travel.x, -travel.y);
    }
    return box;
}

std::vector<FrameLayout> layoutShot(const Project& project) {
    const int L = project.shot.frames;
    std::vector<FrameLayout> frames;
    frames.reserve(size_t(std::max(L, 0)));
    for (int f = 0; f < L; ++f) {
        FrameLayout fl;
        fl.frame = f;
        fl.cameraTravel = cameraTravelAtFrame(project.camera, f, L);
        for (const auto& t : project.boxTracks)
            if (!t.keys.empty())
                fl.subjects.push_back({t.subjectId, screenBoxAtFrame(t, project.camera, f, L)});
        frames.push_back(std::move(fl));
    }
    return frames;
}

} // namespace mb
