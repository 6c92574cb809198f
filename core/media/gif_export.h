#pragma once
/**
 * \file gif_export.h
 * \brief Animated GIF encoding with FFmpeg's libavcodec `gif` encoder and one 256-colour palette per clip.
 *
 * GIF holds at most 256 colours per image. A palette built per frame makes colours flicker from frame to
 * frame, so the encoder keeps the frames it is given and, in finish(), builds one palette for the whole clip
 * by k-means over a pixel sample of every frame (or takes the clip's colours as they are when there are no
 * more than 256 of them). Each frame is then mapped onto the palette with Floyd–Steinberg error diffusion (or
 * an ordered 8×8 Bayer dither, or none) and handed to libavcodec as AV_PIX_FMT_PAL8. The file loops forever
 * and each frame lasts 1/fps seconds (GIF counts in hundredths of a second; the rounding error does not
 * accumulate).
 *
 * Like VideoEncoder (video_io.h), it writes to a temporary file next to the target and renames it into place
 * only when finish() succeeds, so a cancelled or failed export never leaves a file that looks complete.
 * Errors (missing folder, unwritable folder, full disk) throw std::runtime_error naming the file.
 *
 * \code
 *   mb::media::GifEncodeOptions options;
 *   options.fps = 8.0;
 *   mb::media::GifEncoder gif("out.gif", 576, 320, options);
 *   for (const cv::Mat& bgr : frames) gif.write(bgr);
 *   gif.finish();   // palette, dithering, encoding, rename
 * \endcode
 */
#include "doc/job.h"

#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace mb::media {

enum class GifDither {
    FloydSteinberg, ///< error diffusion: smoothest gradients
    Bayer,          ///< ordered 8×8: a fixed pattern that does not crawl between frames
    None            ///< nearest palette colour
};

struct GifEncodeOptions {
    double fps = 8.0;
    GifDither dither = GifDither::FloydSteinberg;
    int paletteSample = 40000; ///< pixels sampled over the whole clip to build the palette
};

/**
 * Builds a palette of at most `maxColours` (1..256) BGR colours for `frames` (CV_8UC3): the distinct colours
 * themselves when there are no more than `maxColours`, else k-means centres over a deterministic sample of
 * `sampleSize` pixels. The result is the same for the same input.
 */
std::vector<cv::Vec3b> buildGifPalette(const std::vector<cv::Mat>& frames, int maxColours = 256,
                                       int sampleSize = 40000);

/**
 * Maps a BGR 8-bit image onto `palette` (1..256 colours): returns a CV_8UC1 image of palette indices.
 */
cv::Mat quantizeToPalette(const cv::Mat& bgr, const std::vector<cv::Vec3b>& palette, GifDither dither);

class GifEncoder {
public:
    /**
     * Prepares `path` for `width`×`height` frames (each 1..65535). Creates the temporary file at once, so a
     * missing or unwritable folder is reported before any frame is rendered.
     */
    GifEncoder(const std::string& path, int width, int height, const GifEncodeOptions& options);
    ~GifEncoder(); ///< abandons an unfinished file (removes the temporary file)
    GifEncoder(const GifEncoder&) = delete;
    GifEncoder& operator=(const GifEncoder&) = delete;

    /** Adds one BGR 8-bit frame of the opened size (kept in memory until finish()). */
    void write(const cv::Mat& bgr);
    /**
     * Builds the palette, dithers and encodes every frame, and renames the file into place. `control` gets
     * progress (stage "gif") and may cancel between frames (then JobCancelled is thrown and nothing is left).
     */
    void finish(const JobControl& control = {});
    int framesWritten() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

} // namespace mb::media
