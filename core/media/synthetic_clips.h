#pragma once
/**
 * \file synthetic_clips.h
 * \brief Captioned training clips for the embedded default model: a subject cut-out moving through a
 *        random box path over a photograph that the camera pans across, with the caption, the subject's
 *        phrase and the per-frame boxes that made it.
 *
 * This is the world the small default model learns (resources/models/default/README.md): "a red ball on a
 * forest path", "a toy robot by a calm lake at dusk", … Subjects are procedural balls and cubes in five
 * colours, and photo cut-outs (photo + mask, e.g. the demo's toy robot). Every clip is a pure function of
 * (seed, index), so a training run can be resumed or repeated bit for bit.
 *
 * Geometry (the same conventions as the project, rulings 9 and 10): boxes are normalised output-frame
 * coordinates [x0, y0, x1, y1]; the camera's cumulative travel goes linearly from 0 at the first frame to
 * `cameraTravel` at the last, as fractions of the frame, and a positive x travel makes the scene slide
 * left. The subject moves in output coordinates along a straight line, box size constant, inside the frame.
 */
#include <opencv2/core.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mb::media {

/** A photograph to pan over, with the words that describe it ("on a forest path"). */
struct SyntheticBackground {
    cv::Mat image; ///< BGR 8-bit
    std::string place;
};

/** A photo cut-out subject: BGRA cropped to its mask, and its class noun ("toy robot"). */
struct SyntheticSprite {
    cv::Mat bgra;
    std::string noun;
};

struct SyntheticClipOptions {
    int width = 112, height = 64, frames = 8;
    double subjectProbability = 0.9;                ///< the rest are the place alone ("a forest path")
    double cameraProbability = 0.7;                 ///< the rest are shot from a still camera
    double maxTravelX = 0.3, maxTravelY = 0.1;      ///< camera travel over the clip, fraction of the frame
    double minBoxHeight = 0.35, maxBoxHeight = 0.7; ///< subject box height, fraction of the frame
    double photoSpriteProbability = 0.3;            ///< share of subjects that are photo cut-outs
    uint64_t seed = 0;
};

struct SyntheticClip {
    std::vector<cv::Mat> frames;             ///< BGR 8-bit, width×height
    std::string caption;                     ///< "a red ball on a forest path"
    std::string subjectPhrase;               ///< "red ball"; empty when the clip has no subject
    std::vector<std::array<float, 4>> boxes; ///< per frame (empty without a subject)
    std::array<float, 2> cameraTravel{0.f, 0.f};
};

class SyntheticClipGenerator {
public:
    /** Throws std::invalid_argument when there is no background or the options are out of range. */
    SyntheticClipGenerator(std::vector<SyntheticBackground> backgrounds, std::vector<SyntheticSprite> sprites,
                           SyntheticClipOptions options);

    /** Clip number `index` (deterministic in (options.seed, index)). */
    SyntheticClip clip(uint64_t index) const;

    const SyntheticClipOptions& options() const { return m_options; }
    /** The procedural subject colours' names ("red", …) and nouns ("ball", "cube"). */
    static const std::vector<std::string>& colourNames();
    static const std::vector<std::string>& shapeNouns();

private:
    std::vector<SyntheticBackground> m_backgrounds;
    std::vector<SyntheticSprite> m_sprites;
    SyntheticClipOptions m_options;
};

/**
 * Reads a background list: one "PATH | place words" per line ('#' starts a comment; relative paths are
 * relative to the list's folder). Images are downscaled so their shorter side is at most `maxShortSide`.
 * Throws std::runtime_error naming the list or the image file and the problem.
 */
std::vector<SyntheticBackground> loadSyntheticBackgrounds(const std::string& listPath,
                                                          int maxShortSide = 256);

/** A photo + mask cut-out (cropped to the mask's bounding box). Throws naming the file. */
SyntheticSprite loadSyntheticSprite(const std::string& photoPath, const std::string& maskPath,
                                    const std::string& noun);

/** Draws a procedural subject ("ball" or "cube") of colour `colour` (one of colourNames()) as BGRA
 *  of size×size pixels, anti-aliased, shaded from the upper left. */
cv::Mat drawProceduralSubject(const std::string& noun, const std::string& colour, int size);

} // namespace mb::media
