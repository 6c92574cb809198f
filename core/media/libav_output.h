#pragma once
/**
 * \file libav_output.h
 * \brief Internal to mb_media: what the FFmpeg-based encoders (H.264 MP4, GIF) share — error messages that
 *        name the file, a quiet library log, and the muxer side of an encoder that writes to a temporary file
 *        and is renamed into place only when complete (so a failed or cancelled export leaves nothing).
 */
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <string>
#include <utility>

namespace mb::media {

/** FFmpeg's text for an error code. */
std::string libavErrorText(int code);

/** Throws std::runtime_error "<file>: <what>[: <FFmpeg's text for code>]". */
[[noreturn]] void libavFail(const std::string& file, const std::string& what, int code = 0);

/** FFmpeg logs to stderr by default; our errors carry the message, so keep the library quiet (once). */
void quietLibav();

/** Container, encoder and stream of one output file, freed (and the temporary file removed unless
 *  `finished`) on destruction. */
struct LibavOutput {
    LibavOutput(std::string encodeError, std::string writeError)
        : m_encodeError(std::move(encodeError)), m_writeError(std::move(writeError)) {}
    ~LibavOutput();
    LibavOutput(const LibavOutput&) = delete;
    LibavOutput& operator=(const LibavOutput&) = delete;

    /**
     * Sets `target` to `path`, `destination` to the file it resolves to (checkWritableOutput: an existing
     * directory, device, FIFO or socket is refused, a symbolic link is written through) and `temp` to a new
     * `.NAME.partial-PID-RANDOM` next to `destination`; removes stale temporary files of killed writers of
     * the same output. Returns the folder the temporary file goes in. Throws runtime_error naming `path`,
     * also when that folder does not exist.
     */
    std::string prepare(const std::string& path);

    /** Renames the complete temporary file over `destination` (moveIntoPlace) and sets `finished`. */
    void moveIntoPlace();

    /** Sends `f` (nullptr = flush) and writes every packet the encoder hands back; errors name `target`. */
    void encode(AVFrame* f);

    std::string target;      ///< the file asked for (what errors name)
    std::string destination; ///< the file the temporary file replaces: `target` after symbolic links
    std::string temp;        ///< the temporary file written until finish
    AVFormatContext* fmt = nullptr;
    AVCodecContext* codec = nullptr;
    AVStream* stream = nullptr;
    AVFrame* frame = nullptr;
    AVPacket* packet = nullptr;
    bool finished = false;

private:
    std::string m_encodeError, m_writeError;
};

} // namespace mb::media
