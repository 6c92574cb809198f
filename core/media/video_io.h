#pragma once
/**
 * \file video_io.h
 * \brief MP4 (H.264) encoding and video decoding with FFmpeg's libraries.
 *
 * The encoder writes H.264 High, yuv420p, +faststart MP4 — the form every player accepts (anchors 1.3 #13).
 * It writes to a temporary file next to the target and renames it only when finish() succeeds, so a cancelled
 * or failed export never leaves a file that looks complete. Errors (full disk, unwritable folder) throw
 * runtime_error naming the file.
 */
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace mb::media {

struct VideoEncodeOptions {
    double fps = 8.0;
    int crf = 18;                  ///< 0 (lossless) .. 51; 18 looks transparent, 23 is x264's default
    std::string preset = "medium"; ///< x264 speed preset
};

class VideoEncoder {
public:
    /** Opens `path` for `width`×`height` frames (even sizes: yuv420p needs them; odd sizes are refused). */
    VideoEncoder(const std::string& path, int width, int height, const VideoEncodeOptions& options);
    ~VideoEncoder(); ///< abandons an unfinished file (removes the temporary file)
    VideoEncoder(const VideoEncoder&) = delete;
    VideoEncoder& operator=(const VideoEncoder&) = delete;

    /** Adds one BGR 8-bit frame of the opened size. */
    void write(const cv::Mat& bgr);
    /** Flushes the encoder, writes the trailer and renames the file into place. */
    void finish();
    int framesWritten() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

struct VideoInfo {
    std::string codec;       ///< e.g. "h264"
    std::string pixelFormat; ///< e.g. "yuv420p"
    int width = 0, height = 0;
    int frames = 0; ///< decoded frame count
    double fps = 0;
};

/** Decodes every frame as BGR 8-bit. Throws runtime_error naming the file. */
std::vector<cv::Mat> decodeVideo(const std::string& path, VideoInfo* info = nullptr);

/** Stream facts plus the exact frame count (decodes the stream). */
VideoInfo probeVideo(const std::string& path);

} // namespace mb::media
