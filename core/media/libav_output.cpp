#include "media/libav_output.h"

#include "doc/atomic_file.h"

#include <filesystem>
#include <random>
#include <stdexcept>
#include <unistd.h>

extern "C" {
#include <libavutil/log.h>
}

namespace mb::media {

std::string libavErrorText(int code) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(code, buf, sizeof buf);
    return buf;
}

void libavFail(const std::string& file, const std::string& what, int code) {
    throw std::runtime_error(file + ": " + what + (code ? ": " + libavErrorText(code) : std::string()));
}

void quietLibav() {
    static const bool once = [] {
        av_log_set_level(AV_LOG_ERROR);
        return true;
    }();
    (void)once;
}

LibavOutput::~LibavOutput() {
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&codec);
    if (fmt) {
        if (fmt->pb)
            avio_closep(&fmt->pb);
        avformat_free_context(fmt);
    }
    if (!finished && !temp.empty())
        ::unlink(temp.c_str());
}

std::string LibavOutput::prepare(const std::string& path) {
    namespace fs = std::filesystem;
    target = path;
    destination = checkWritableOutput(path);
    const fs::path dest(destination);
    const fs::path dir = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        libavFail(path, "the folder " + dir.string() + " does not exist");
    removeStaleTemporaryFiles(destination);
    std::random_device rd;
    temp = (dir / ("." + dest.filename().string() + ".partial-" + std::to_string(::getpid()) + "-" +
                   std::to_string(rd() & 0xffffff)))
               .string();
    return dir.string();
}

void LibavOutput::moveIntoPlace() {
    mb::moveIntoPlace(temp, destination, target);
    finished = true;
}

void LibavOutput::encode(AVFrame* f) {
    int rc = avcodec_send_frame(codec, f);
    if (rc < 0)
        libavFail(target, m_encodeError, rc);
    while (true) {
        rc = avcodec_receive_packet(codec, packet);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return;
        if (rc < 0)
            libavFail(target, m_encodeError, rc);
        av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
        packet->stream_index = stream->index;
        rc = av_interleaved_write_frame(fmt, packet);
        if (rc < 0)
            libavFail(target, m_writeError, rc);
    }
}

} // namespace mb::media
