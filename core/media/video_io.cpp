#include "media/video_io.h"
#include "media/libav_output.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace mb::media {

struct VideoEncoder::Impl : LibavOutput {
    Impl() : LibavOutput("encoding failed", "cannot write video data") {}
    ~Impl() {
        if (sws)
            sws_freeContext(sws);
    }
    int width = 0, height = 0;
    SwsContext* sws = nullptr;
    int64_t nextPts = 0;
    bool headerWritten = false;
};

VideoEncoder::VideoEncoder(const std::string& path, int width, int height, const VideoEncodeOptions& options)
    : m(std::make_unique<Impl>()) {
    quietLibav();
    m->target = path;
    m->width = width;
    m->height = height;
    if (width <= 0 || height <= 0 || width % 2 || height % 2)
        libavFail(path, "H.264 yuv420p needs an even, positive frame size; got " + std::to_string(width) +
                            "x" + std::to_string(height));
    if (options.fps <= 0 || options.fps > 240)
        libavFail(path, "fps must be within (0, 240]");
    if (options.crf < 0 || options.crf > 51)
        libavFail(path, "CRF must be within 0..51");
    const std::string dir = m->prepare(path);

    int rc = avformat_alloc_output_context2(&m->fmt, nullptr, "mp4", m->temp.c_str());
    if (rc < 0 || !m->fmt)
        libavFail(path, "cannot create an MP4 container", rc);
    const AVCodec* enc = avcodec_find_encoder_by_name("libx264");
    if (!enc)
        enc = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (!enc)
        libavFail(path, "this FFmpeg has no H.264 encoder (install libavcodec with libx264)");
    m->stream = avformat_new_stream(m->fmt, nullptr);
    m->codec = avcodec_alloc_context3(enc);
    if (!m->stream || !m->codec)
        libavFail(path, "out of memory");
    const AVRational rate = av_d2q(options.fps, 100000);
    m->codec->width = width;
    m->codec->height = height;
    m->codec->pix_fmt = AV_PIX_FMT_YUV420P;
    m->codec->time_base = av_inv_q(rate);
    m->codec->framerate = rate;
    m->codec->gop_size = 48;
    m->codec->color_range = AVCOL_RANGE_MPEG;
    m->codec->colorspace = AVCOL_SPC_BT709;
    m->codec->color_primaries = AVCOL_PRI_BT709;
    m->codec->color_trc = AVCOL_TRC_BT709;
    if (m->fmt->oformat->flags & AVFMT_GLOBALHEADER)
        m->codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    AVDictionary* copts = nullptr;
    av_dict_set(&copts, "crf", std::to_string(options.crf).c_str(), 0);
    av_dict_set(&copts, "preset", options.preset.c_str(), 0);
    av_dict_set(&copts, "profile", "high", 0);
    // Deterministic output: x264's threads make bitstreams depend on timing only with sliced threads off;
    // frame threads are deterministic, keep them.
    rc = avcodec_open2(m->codec, enc, &copts);
    av_dict_free(&copts);
    if (rc < 0)
        libavFail(path, "cannot open the H.264 encoder", rc);
    rc = avcodec_parameters_from_context(m->stream->codecpar, m->codec);
    if (rc < 0)
        libavFail(path, "cannot set stream parameters", rc);
    m->stream->time_base = m->codec->time_base;
    m->stream->avg_frame_rate = rate;

    rc = avio_open(&m->fmt->pb, m->temp.c_str(), AVIO_FLAG_WRITE);
    if (rc < 0)
        libavFail(path, "cannot create the file in " + dir, rc);
    AVDictionary* mopts = nullptr;
    av_dict_set(&mopts, "movflags", "+faststart", 0);
    rc = avformat_write_header(m->fmt, &mopts);
    av_dict_free(&mopts);
    if (rc < 0)
        libavFail(path, "cannot write the MP4 header", rc);
    m->headerWritten = true;

    m->frame = av_frame_alloc();
    m->packet = av_packet_alloc();
    if (!m->frame || !m->packet)
        libavFail(path, "out of memory");
    m->frame->format = AV_PIX_FMT_YUV420P;
    m->frame->width = width;
    m->frame->height = height;
    rc = av_frame_get_buffer(m->frame, 0);
    if (rc < 0)
        libavFail(path, "out of memory", rc);
    m->sws = sws_getContext(width, height, AV_PIX_FMT_BGR24, width, height, AV_PIX_FMT_YUV420P,
                            SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr, nullptr, nullptr);
    if (!m->sws)
        libavFail(path, "cannot create the colour converter");
    // BT.709 limited range, matching the stream's tags.
    const int* coefs = sws_getCoefficients(SWS_CS_ITU709);
    sws_setColorspaceDetails(m->sws, coefs, 1, coefs, 0, 0, 1 << 16, 1 << 16);
}

VideoEncoder::~VideoEncoder() = default;

void VideoEncoder::write(const cv::Mat& bgr) {
    if (m->finished)
        libavFail(m->target, "write after finish");
    if (bgr.type() != CV_8UC3 || bgr.cols != m->width || bgr.rows != m->height)
        libavFail(m->target, "frame must be " + std::to_string(m->width) + "x" + std::to_string(m->height) +
                                 " BGR 8-bit");
    int rc = av_frame_make_writable(m->frame);
    if (rc < 0)
        libavFail(m->target, "out of memory", rc);
    cv::Mat src = bgr.isContinuous() ? bgr : bgr.clone();
    const uint8_t* srcData[1] = {src.data};
    const int srcStride[1] = {int(src.step[0])};
    sws_scale(m->sws, srcData, srcStride, 0, m->height, m->frame->data, m->frame->linesize);
    m->frame->pts = m->nextPts++;
    m->encode(m->frame);
}

void VideoEncoder::finish() {
    if (m->finished)
        return;
    m->encode(nullptr);
    int rc = av_write_trailer(m->fmt);
    if (rc < 0)
        libavFail(m->target, "cannot finish the MP4", rc);
    rc = avio_closep(&m->fmt->pb);
    if (rc < 0)
        libavFail(m->target, "cannot close the file", rc);
    m->moveIntoPlace();
}

int VideoEncoder::framesWritten() const {
    return int(m->nextPts);
}

std::vector<cv::Mat> decodeVideo(const std::string& path, VideoInfo* info) {
    quietLibav();
    AVFormatContext* fmt = nullptr;
    int rc = avformat_open_input(&fmt, path.c_str(), nullptr, nullptr);
    if (rc < 0)
        libavFail(path, "cannot open the video", rc);
    struct Guard {
        AVFormatContext*& fmt;
        AVCodecContext* codec = nullptr;
        AVFrame* frame = nullptr;
        AVPacket* packet = nullptr;
        SwsContext* sws = nullptr;
        ~Guard() {
            sws_freeContext(sws);
            av_frame_free(&frame);
            av_packet_free(&packet);
            avcodec_free_context(&codec);
            avformat_close_input(&fmt);
        }
    } g{fmt};
    rc = avformat_find_stream_info(fmt, nullptr);
    if (rc < 0)
        libavFail(path, "cannot read the stream information", rc);
    const AVCodec* dec = nullptr;
    int si = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &dec, 0);
    if (si < 0 || !dec)
        libavFail(path, "no decodable video stream");
    AVStream* st = fmt->streams[si];
    g.codec = avcodec_alloc_context3(dec);
    avcodec_parameters_to_context(g.codec, st->codecpar);
    g.codec->thread_count = 1;
    rc = avcodec_open2(g.codec, dec, nullptr);
    if (rc < 0)
        libavFail(path, "cannot open the decoder", rc);
    g.frame = av_frame_alloc();
    g.packet = av_packet_alloc();
    std::vector<cv::Mat> frames;
    auto drain = [&]() {
        while (true) {
            int r = avcodec_receive_frame(g.codec, g.frame);
            if (r == AVERROR(EAGAIN) || r == AVERROR_EOF)
                return;
            if (r < 0)
                libavFail(path, "decoding failed", r);
            if (!g.sws)
                g.sws = sws_getContext(g.frame->width, g.frame->height, AVPixelFormat(g.frame->format),
                                       g.frame->width, g.frame->height, AV_PIX_FMT_BGR24,
                                       SWS_BICUBIC | SWS_ACCURATE_RND, nullptr, nullptr, nullptr);
            if (!g.sws)
                libavFail(path, "cannot convert the video's pixel format");
            if (frames.empty()) {
                // Honour the stream's colour matrix and range (our own MP4s are BT.709 limited range).
                const int cs = g.frame->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_DEFAULT;
                const int srcFull = g.frame->color_range == AVCOL_RANGE_JPEG ? 1 : 0;
                sws_setColorspaceDetails(g.sws, sws_getCoefficients(cs), srcFull,
                                         sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
            }
            cv::Mat out(g.frame->height, g.frame->width, CV_8UC3);
            uint8_t* dst[1] = {out.data};
            int dstStride[1] = {int(out.step[0])};
            sws_scale(g.sws, g.frame->data, g.frame->linesize, 0, g.frame->height, dst, dstStride);
            frames.push_back(out);
        }
    };
    while ((rc = av_read_frame(fmt, g.packet)) >= 0) {
        if (g.packet->stream_index == si) {
            int r = avcodec_send_packet(g.codec, g.packet);
            if (r < 0 && r != AVERROR(EAGAIN)) {
                av_packet_unref(g.packet);
                libavFail(path, "corrupt video data", r);
            }
            drain();
        }
        av_packet_unref(g.packet);
    }
    if (rc != AVERROR_EOF)
        libavFail(path, "read error", rc);
    avcodec_send_packet(g.codec, nullptr);
    drain();
    if (info) {
        info->codec = avcodec_get_name(st->codecpar->codec_id);
        const char* pf = av_get_pix_fmt_name(AVPixelFormat(st->codecpar->format));
        info->pixelFormat = pf ? pf : "unknown";
        info->width = st->codecpar->width;
        info->height = st->codecpar->height;
        info->frames = int(frames.size());
        AVRational r = st->avg_frame_rate.num ? st->avg_frame_rate : st->r_frame_rate;
        info->fps = r.den ? av_q2d(r) : 0.0;
    }
    return frames;
}

VideoInfo probeVideo(const std::string& path) {
    VideoInfo info;
    (void)decodeVideo(path, &info);
    return info;
}

} // namespace mb::media
