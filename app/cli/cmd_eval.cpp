// eval: motion-control metrics of a video against a project's camera path and boxes.
#include "arg_parser.h"
#include "command_registry.h"
#include "doc/atomic_file.h"
#include "doc/project_io.h"
#include "media/metrics.h"
#include "media/video_io.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace mb::cli {
namespace {

int runEval(const Args& args) {
    ArgParser ap;
    ap.option("--project");
    ap.parse(args);
    ap.requirePositional(1, "one video file");
    if (!ap.has("--project"))
        throw UsageError("missing --project PROJECT (the camera path and boxes to compare against)");
    const std::string video = ap.positional()[0];
    Project p = loadProject(*ap.get("--project"));
    media::VideoInfo info;
    auto frames = media::decodeVideo(video, &info);
    if (info.width != p.shot.width || info.height != p.shot.height)
        std::fprintf(stderr,
                     "note: %s is %dx%d, the project's shot %dx%d; boxes are compared in normalised units\n",
                     video.c_str(), info.width, info.height, p.shot.width, p.shot.height);
    if (int(frames.size()) != p.shot.frames) {
        std::fprintf(stderr,
                     "note: %s has %zu frames, the shot %d; the shot is evaluated at the video's length\n",
                     video.c_str(), frames.size(), p.shot.frames);
        p.shot.frames = int(frames.size());
    }
    const media::MotionMetrics m = media::measureMotion(frames, p);
    std::printf("video: %s (%d frames, %dx%d)\n", video.c_str(), info.frames, info.width, info.height);
    std::printf("camera flow error: %.3f px/frame (observed scene motion %.2f, %.2f px/frame; requested "
                "%.2f, %.2f)\n",
                m.cameraFlowErrorPx, m.observedPanPxPerFrame[0], m.observedPanPxPerFrame[1],
                m.requestedPanPxPerFrame[0], m.requestedPanPxPerFrame[1]);
    for (size_t i = 0; i < m.boxFollowingError.size(); ++i) {
        if (std::isnan(m.boxFollowingError[i]))
            std::printf("box-following error (%s): no subject motion found\n",
                        p.boxTracks[i].subjectId.c_str());
        else
            std::printf("box-following error (%s): %.4f of the frame diagonal\n",
                        p.boxTracks[i].subjectId.c_str(), m.boxFollowingError[i]);
    }
    // A take rendered by motionbooth-cli carries, in its sidecar, where the model's attention put each
    // subject.
    const std::string sidecar = video + ".json";
    if (std::filesystem::is_regular_file(sidecar)) {
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(readWholeFile(sidecar));
        } catch (const std::exception& e) {
            throw std::runtime_error(sidecar + ": not a readable sidecar (" + e.what() + ")");
        }
        for (const auto& entry : j.value("attention_centroids", nlohmann::json::array())) {
            const std::string id = entry.value("subject", "");
            std::vector<std::array<double, 2>> c;
            for (const auto& xy : entry.at("centroids"))
                c.push_back({xy.at(0).get<double>(), xy.at(1).get<double>()});
            for (size_t t = 0; t < p.boxTracks.size(); ++t)
                if (p.boxTracks[t].subjectId == id && !c.empty())
                    std::printf("box-following error by attention (%s): %.4f of the frame diagonal\n",
                                id.c_str(), media::boxFollowingErrorOfCentroids(p, t, c));
        }
    }
    std::printf("temporal consistency: %.4f (1 = perfectly consistent)\n", m.temporalConsistency);
    return 0;
}

MB_CLI_COMMAND(
    "eval", "VIDEO --project PROJECT",
    "camera flow error, box-following error (by motion, and by the model's attention when the video is a "
    "take with its sidecar) and temporal consistency of a video against a project",
    runEval);

} // namespace
} // namespace mb::cli
