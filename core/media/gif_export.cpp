#include "media/gif_export.h"
#include "media/libav_output.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
}

#include <opencv2/core.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace mb::media {

namespace {

/** Packs a BGR colour into one key. */
inline std::uint32_t colourKey(const cv::Vec3b& c) {
    return std::uint32_t(c[0]) | std::uint32_t(c[1]) << 8 | std::uint32_t(c[2]) << 16;
}

/**
 * Nearest palette entry of a colour (Euclidean in RGB, the metric k-means minimised), memoised: dithering
 * asks for the same colours over and over, and a brute-force search over 256 entries per pixel is the slow
 * part. The memo is exact (one slot per 24-bit colour) but allocated in blocks of 4096 only where colours
 * occur.
 */
class NearestColour {
public:
    explicit NearestColour(const std::vector<cv::Vec3b>& palette) : m_palette(palette), m_blocks(4096) {}

    int operator()(int b, int g, int r) {
        auto& block = m_blocks[size_t(b << 4 | g >> 4)];
        if (!block) {
            block = std::make_unique<std::array<std::int16_t, 4096>>();
            block->fill(-1);
        }
        std::int16_t& slot = (*block)[size_t((g & 15) << 8 | r)];
        if (slot < 0)
            slot = std::int16_t(search(b, g, r));
        return slot;
    }

private:
    int search(int b, int g, int r) const {
        int best = 0, bestDist = 1 << 30;
        for (size_t i = 0; i < m_palette.size(); ++i) {
            const int db = b - m_palette[i][0], dg = g - m_palette[i][1], dr = r - m_palette[i][2];
            const int d = db * db + dg * dg + dr * dr;
            if (d < bestDist) {
                bestDist = d;
                best = int(i);
            }
        }
        return best;
    }

    const std::vector<cv::Vec3b>& m_palette;
    std::vector<std::unique_ptr<std::array<std::int16_t, 4096>>> m_blocks;
};

inline int clamp255(int v) {
    return v < 0 ? 0 : (v > 255 ? 255 : v);
}

void checkFrame(const cv::Mat& bgr, const char* what) {
    if (bgr.type() != CV_8UC3 || bgr.empty())
        throw std::runtime_error(std::string(what) + ": expects a non-empty BGR 8-bit image");
}

} // namespace

std::vector<cv::Vec3b> buildGifPalette(const std::vector<cv::Mat>& frames, int maxColours, int sampleSize) {
    if (maxColours < 1 || maxColours > 256)
        throw std::runtime_error("buildGifPalette: maxColours must be within 1..256");
    if (frames.empty())
        throw std::runtime_error("buildGifPalette: no frames");
    long long total = 0;
    for (const cv::Mat& f : frames) {
        checkFrame(f, "buildGifPalette");
        total += f.total();
    }
    sampleSize = std::max(sampleSize, maxColours);
    // A regular stride over all pixels of all frames: deterministic, and every frame contributes.
    const long long stride = std::max<long long>(1, total / sampleSize);
    std::vector<cv::Vec3b> sample;
    sample.reserve(size_t(total / stride + 1));
    std::map<std::uint32_t, cv::Vec3b> distinct;
    bool fewColours = true;
    long long index = 0;
    for (const cv::Mat& f : frames) {
        for (int y = 0; y < f.rows; ++y) {
            const cv::Vec3b* row = f.ptr<cv::Vec3b>(y);
            for (int x = 0; x < f.cols; ++x, ++index) {
                if (fewColours) {
                    distinct.emplace(colourKey(row[x]), row[x]);
                    fewColours = int(distinct.size()) <= maxColours;
                }
                if (index % stride == 0)
                    sample.push_back(row[x]);
            }
        }
    }
    std::vector<cv::Vec3b> palette;
    if (fewColours) {
        for (const auto& kv : distinct)
            palette.push_back(kv.second);
        return palette;
    }
    cv::Mat data(int(sample.size()), 3, CV_32F);
    for (int i = 0; i < data.rows; ++i)
        for (int c = 0; c < 3; ++c)
            data.at<float>(i, c) = sample[size_t(i)][c];
    const int k = std::min<int>(maxColours, data.rows);
    cv::Mat labels, centres;
    // cv::kmeans draws its seeds from the thread's global RNG: pin it for a reproducible palette, then
    // restore.
    cv::RNG& rng = cv::theRNG();
    const std::uint64_t saved = rng.state;
    rng.state = 0x4d42474946ull; // "MBGIF"
    cv::kmeans(data, k, labels, cv::TermCriteria(cv::TermCriteria::COUNT | cv::TermCriteria::EPS, 12, 0.5), 1,
               cv::KMEANS_PP_CENTERS, centres);
    rng.state = saved;
    for (int i = 0; i < centres.rows; ++i)
        palette.emplace_back(cv::saturate_cast<uchar>(centres.at<float>(i, 0)),
                             cv::saturate_cast<uchar>(centres.at<float>(i, 1)),
                             cv::saturate_cast<uchar>(centres.at<float>(i, 2)));
    // k-means may leave duplicate centres; they are harmless but useless.
    std::sort(palette.begin(), palette.end(),
              [](const cv::Vec3b& a, const cv::Vec3b& b) { return colourKey(a) < colourKey(b); });
    palette.erase(std::unique(palette.begin(), palette.end()), palette.end());
    return palette;
}

cv::Mat quantizeToPalette(const cv::Mat& bgr, const std::vector<cv::Vec3b>& palette, GifDither dither) {
    checkFrame(bgr, "quantizeToPalette");
    if (palette.empty() || palette.size() > 256)
        throw std::runtime_error("quantizeToPalette: the palette must hold 1..256 colours");
    NearestColour nearest(palette);
    cv::Mat out(bgr.rows, bgr.cols, CV_8UC1);
    const int w = bgr.cols;
    if (dither == GifDither::FloydSteinberg) {
        // Errors of the current and the next row, 3 channels, with one pixel of padding on each side.
        std::vector<int> errCur(size_t(3 * (w + 2)), 0), errNext(size_t(3 * (w + 2)), 0);
        for (int y = 0; y < bgr.rows; ++y) {
            const cv::Vec3b* src = bgr.ptr<cv::Vec3b>(y);
            uchar* dst = out.ptr<uchar>(y);
            std::fill(errNext.begin(), errNext.end(), 0);
            // Serpentine scan: alternate directions so the error does not drift to one side.
            const bool ltr = (y % 2) == 0;
            const int dir = ltr ? 1 : -1;
            for (int i = 0; i < w; ++i) {
                const int x = ltr ? i : w - 1 - i;
                const int p = 3 * (x + 1);
                int v[3];
                for (int c = 0; c < 3; ++c)
                    v[c] = clamp255(src[x][c] + (errCur[size_t(p + c)] + 8) / 16);
                const int idx = nearest(v[0], v[1], v[2]);
                dst[x] = uchar(idx);
                for (int c = 0; c < 3; ++c) {
                    const int e = v[c] - palette[size_t(idx)][c];
                    errCur[size_t(p + 3 * dir + c)] += 7 * e;
                    errNext[size_t(p - 3 * dir + c)] += 3 * e;
                    errNext[size_t(p + c)] += 5 * e;
                    errNext[size_t(p + 3 * dir + c)] += e;
                }
            }
            std::swap(errCur, errNext);
        }
    } else {
        static const int bayer[8][8] = {{0, 32, 8, 40, 2, 34, 10, 42},  {48, 16, 56, 24, 50, 18, 58, 26},
                                        {12, 44, 4, 36, 14, 46, 6, 38}, {60, 28, 52, 20, 62, 30, 54, 22},
                                        {3, 35, 11, 43, 1, 33, 9, 41},  {51, 19, 59, 27, 49, 17, 57, 25},
                                        {15, 47, 7, 39, 13, 45, 5, 37}, {63, 31, 55, 23, 61, 29, 53, 21}};
        // The pattern spans about one palette step (~256 / cube root of the palette size).
        const double step = 256.0 / std::cbrt(double(palette.size()));
        for (int y = 0; y < bgr.rows; ++y) {
            const cv::Vec3b* src = bgr.ptr<cv::Vec3b>(y);
            uchar* dst = out.ptr<uchar>(y);
            for (int x = 0; x < w; ++x) {
                const int offset = dither == GifDither::Bayer
                                       ? int(std::lround((bayer[y & 7][x & 7] / 64.0 - 0.5) * step))
                                       : 0;
                dst[x] = uchar(nearest(clamp255(src[x][0] + offset), clamp255(src[x][1] + offset),
                                       clamp255(src[x][2] + offset)));
            }
        }
    }
    return out;
}

struct GifEncoder::Impl : LibavOutput {
    Impl() : LibavOutput("GIF encoding failed", "cannot write GIF data (is the disk full?)") {}
    int width = 0, height = 0;
    GifEncodeOptions options;
    std::vector<cv::Mat> frames;
};

GifEncoder::GifEncoder(const std::string& path, int width, int height, const GifEncodeOptions& options)
    : m(std::make_unique<Impl>()) {
    quietLibav();
    m->target = path;
    m->width = width;
    m->height = height;
    m->options = options;
    if (width <= 0 || height <= 0 || width > 65535 || height > 65535)
        libavFail(path, "a GIF frame must be 1..65535 pixels on each side; got " + std::to_string(width) +
                            "x" + std::to_string(height));
    if (!(options.fps > 0) || options.fps > 100)
        libavFail(path, "GIF frame rate must be within (0, 100] fps");
    const std::string dir = m->prepare(path);
    int rc = avformat_alloc_output_context2(&m->fmt, nullptr, "gif", m->temp.c_str());
    if (rc < 0 || !m->fmt)
        libavFail(path, "cannot create a GIF container", rc);
    // Opening the file now reports an unwritable folder before any frame is rendered.
    rc = avio_open(&m->fmt->pb, m->temp.c_str(), AVIO_FLAG_WRITE);
    if (rc < 0)
        libavFail(path, "cannot create the file in " + dir, rc);
}

GifEncoder::~GifEncoder() = default;

void GifEncoder::write(const cv::Mat& bgr) {
    if (m->finished)
        libavFail(m->target, "write after finish");
    if (bgr.type() != CV_8UC3 || bgr.cols != m->width || bgr.rows != m->height)
        libavFail(m->target, "frame must be " + std::to_string(m->width) + "x" + std::to_string(m->height) +
                                 " BGR 8-bit");
    m->frames.push_back(bgr.clone());
}

void GifEncoder::finish(const JobControl& control) {
    if (m->finished)
        return;
    if (m->frames.empty())
        libavFail(m->target, "no frames to write");
    const std::string& path = m->target;
    const long long total = static_cast<long long>(m->frames.size());
    control.report("gif", 0, total, "building the palette");
    const std::vector<cv::Vec3b> palette = buildGifPalette(m->frames, 256, m->options.paletteSample);
    control.checkCancelled();

    const AVCodec* enc = avcodec_find_encoder(AV_CODEC_ID_GIF);
    if (!enc)
        libavFail(path, "this FFmpeg has no GIF encoder");
    m->stream = avformat_new_stream(m->fmt, nullptr);
    m->codec = avcodec_alloc_context3(enc);
    if (!m->stream || !m->codec)
        libavFail(path, "out of memory");
    // Hundredths of a second: GIF's own unit, so every frame delay is exact up to its rounding.
    m->codec->time_base = AVRational{1, 100};
    m->codec->width = m->width;
    m->codec->height = m->height;
    m->codec->pix_fmt = AV_PIX_FMT_PAL8;
    m->codec->framerate = av_d2q(m->options.fps, 100000);
    int rc = avcodec_open2(m->codec, enc, nullptr);
    if (rc < 0)
        libavFail(path, "cannot open the GIF encoder", rc);
    rc = avcodec_parameters_from_context(m->stream->codecpar, m->codec);
    if (rc < 0)
        libavFail(path, "cannot set stream parameters", rc);
    m->stream->time_base = m->codec->time_base;
    AVDictionary* mopts = nullptr;
    av_dict_set(&mopts, "loop", "0", 0); // 0 = forever (NETSCAPE2.0 extension)
    rc = avformat_write_header(m->fmt, &mopts);
    av_dict_free(&mopts);
    if (rc < 0)
        libavFail(path, "cannot write the GIF header", rc);

    m->frame = av_frame_alloc();
    m->packet = av_packet_alloc();
    if (!m->frame || !m->packet)
        libavFail(path, "out of memory");
    m->frame->format = AV_PIX_FMT_PAL8;
    m->frame->width = m->width;
    m->frame->height = m->height;
    rc = av_frame_get_buffer(m->frame, 0);
    if (rc < 0)
        libavFail(path, "out of memory", rc);
    std::array<std::uint32_t, 256> argb{};
    for (size_t i = 0; i < palette.size(); ++i)
        argb[i] = 0xff000000u | std::uint32_t(palette[i][2]) << 16 | std::uint32_t(palette[i][1]) << 8 |
                  std::uint32_t(palette[i][0]);
    // Unused entries repeat the first colour: opaque, so the encoder never mistakes one for transparency.
    for (size_t i = palette.size(); i < argb.size(); ++i)
        argb[i] = argb[0];

    for (long long i = 0; i < total; ++i) {
        control.checkCancelled();
        const cv::Mat indices = quantizeToPalette(m->frames[size_t(i)], palette, m->options.dither);
        rc = av_frame_make_writable(m->frame);
        if (rc < 0)
            libavFail(path, "out of memory", rc);
        for (int y = 0; y < m->height; ++y)
            std::copy_n(indices.ptr<uchar>(y), m->width,
                        m->frame->data[0] + ptrdiff_t(y) * m->frame->linesize[0]);
        std::copy(argb.begin(), argb.end(), reinterpret_cast<std::uint32_t*>(m->frame->data[1]));
        // Rounded from the clip's start, so 1/fps delays that are not whole centiseconds do not drift.
        m->frame->pts = std::llround(double(i) * 100.0 / m->options.fps);
        m->encode(m->frame);
        m->frames[size_t(i)].release(); // done with it: give the memory back early
        control.report("gif", i + 1, total);
    }
    m->encode(nullptr);
    rc = av_write_trailer(m->fmt);
    if (rc < 0)
        libavFail(path, "cannot finish the GIF (is the disk full?)", rc);
    // avio_close() does not report earlier write errors (a full disk): ask the context before closing it.
    avio_flush(m->fmt->pb);
    if (m->fmt->pb->error < 0)
        libavFail(m->target, "cannot write the GIF (is the disk full?)", m->fmt->pb->error);
    rc = avio_closep(&m->fmt->pb);
    if (rc < 0)
        libavFail(path, "cannot close the file (is the disk full?)", rc);
    m->moveIntoPlace();
}

int GifEncoder::framesWritten() const {
    return int(m->frames.size());
}

} // namespace mb::media
