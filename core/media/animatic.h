#pragma once
/**
 * \file animatic.h
 * \brief The instant storyboard preview: each subject's masked cut-out (from its first photo) composited
 *        into its on-screen box on every frame, over a background moved by the camera path.
 *
 * The background is the project's image (or a neutral procedural backdrop) scaled to cover the frame plus
 * the camera's travel, and cropped at the camera's position, so a pan to the right makes the scene slide
 * left. Cut-outs are fitted inside their box keeping aspect ratio, bottom-centred (subjects stand on
 * something). Loading happens once in the constructor; renderFrame is cheap enough for live preview.
 */
#include "doc/job.h"
#include "doc/project.h"
#include "media/video_io.h"

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace mb::media {

class AnimaticRenderer {
public:
    /**
     * Loads cut-outs and the background for `project`. Missing or broken images throw runtime_error naming
     * the file, unless `tolerateMissing` is set: then the subject is drawn as a labelled placeholder box (the
     * editor keeps working while a photo is missing) and warnings() says why.
     */
    explicit AnimaticRenderer(const Project& project, bool tolerateMissing = false);

    /** Renders frame f (0..L-1) at width×height as BGR 8-bit. */
    cv::Mat renderFrame(int frame, int width, int height) const;
    /** Same, with layout taken from `project` (which may have changed since construction: the live preview
        re-lays out on every edit without reloading images, as long as subjects and background are the same).
     */
    cv::Mat renderFrame(const Project& project, int frame, int width, int height) const;

    const std::vector<std::string>& warnings() const { return m_warnings; }

private:
    struct CutOut {
        std::string subjectId;
        cv::Mat bgra; ///< cropped to the mask's bounding box, alpha from the mask
    };
    std::vector<CutOut> m_cutouts;
    cv::Mat m_background; ///< BGR, empty → procedural
    std::vector<std::string> m_warnings;
    Project m_project;
};

/**
 * Renders the whole shot to an MP4 (H.264 yuv420p) at the shot's size and fps. Reports progress per frame
 * ("animatic"), honours cancel between frames (no file is left behind then). Throws runtime_error on failure.
 */
void renderAnimaticVideo(const Project& project, const std::string& outPath,
                         const VideoEncodeOptions& options, const JobControl& control = {});

} // namespace mb::media
