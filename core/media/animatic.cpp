#include "media/animatic.h"

#include "doc/shot_layout.h"
#include "media/image_io.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace mb::media {

namespace {

/** Working size limit for loaded photos: plenty for a cut-out that covers at most a 4K frame. */
constexpr int kMaxWorkSide = 2048;

/**
 * A neutral procedural backdrop with enough texture that a camera pan is visible: a soft sky gradient over a
 * ground plane with a tiled pattern, deterministic for a given size.
 */
cv::Mat proceduralBackground(int w, int h) {
    cv::Mat bg(h, w, CV_8UC3);
    const int horizon = int(h * 0.62);
    for (int y = 0; y < h; ++y) {
        auto* row = bg.ptr<cv::Vec3b>(y);
        for (int x = 0; x < w; ++x) {
            if (y < horizon) {
                const double t = double(y) / std::max(1, horizon);
                row[x] = cv::Vec3b(uchar(235 - 40 * t), uchar(215 - 25 * t), uchar(190 - 20 * t));
            } else {
                const int cell = std::max(8, h / 12);
                const bool dark = ((x / cell) + ((y - horizon) / cell)) % 2 == 0;
                const double t = double(y - horizon) / std::max(1, h - horizon);
                const int base = dark ? 120 : 150;
                row[x] =
                    cv::Vec3b(uchar(base - 30 * t), uchar(base + 10 - 20 * t), uchar(base + 25 - 10 * t));
            }
        }
    }
    // Vertical markers along the horizon make horizontal travel easy to read.
    const int step = std::max(16, w / 16);
    for (int x = step / 2; x < w; x += step)
        cv::line(bg, {x, int(horizon * 0.80)}, {x, horizon}, cv::Scalar(90, 110, 120), std::max(1, w / 400));
    return bg;
}

/** Scales `src` to cover w×h keeping aspect ratio and crops the centre. */
cv::Mat cover(const cv::Mat& src, int w, int h) {
    const double s = std::max(double(w) / src.cols, double(h) / src.rows);
    cv::Mat scaled;
    const int sw = std::max(w, int(std::ceil(src.cols * s))), sh = std::max(h, int(std::ceil(src.rows * s)));
    cv::resize(src, scaled, {sw, sh}, 0, 0, s < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    return scaled(cv::Rect((sw - w) / 2, (sh - h) / 2, w, h)).clone();
}

/** Alpha-blends a BGRA image onto `dst` at (x, y), clipping to dst. */
void blend(cv::Mat& dst, const cv::Mat& bgra, int x, int y) {
    const cv::Rect dstRect = cv::Rect(x, y, bgra.cols, bgra.rows) & cv::Rect(0, 0, dst.cols, dst.rows);
    if (dstRect.empty())
        return;
    for (int r = dstRect.y; r < dstRect.y + dstRect.height; ++r) {
        auto* d = dst.ptr<cv::Vec3b>(r);
        const auto* s = bgra.ptr<cv::Vec4b>(r - y);
        for (int c = dstRect.x; c < dstRect.x + dstRect.width; ++c) {
            const cv::Vec4b& p = s[c - x];
            const int a = p[3];
            if (a == 0)
                continue;
            if (a == 255) {
                d[c] = cv::Vec3b(p[0], p[1], p[2]);
                continue;
            }
            for (int k = 0; k < 3; ++k)
                d[c][k] = uchar((p[k] * a + d[c][k] * (255 - a) + 127) / 255);
        }
    }
}

cv::Scalar placeholderColor(size_t i) {
    static const cv::Scalar colors[] = {{60, 80, 220}, {200, 120, 40}, {60, 170, 60}, {170, 60, 170}};
    return colors[i % 4];
}

} // namespace

AnimaticRenderer::AnimaticRenderer(const Project& project, bool tolerateMissing) : m_project(project) {
    for (const auto& s : project.subjects) {
        CutOut cut;
        cut.subjectId = s.id;
        try {
            if (s.photos.empty())
                throw std::runtime_error("subject '" + s.id + "' has no photos");
            const SubjectPhoto& ph = s.photos.front();
            cv::Mat img = downscaleForWork(loadColorImage(ph.image), kMaxWorkSide);
            cv::Mat mask;
            if (!ph.mask.empty()) {
                mask = loadMask(ph.mask);
                if (mask.size() != img.size())
                    cv::resize(mask, mask, img.size(), 0, 0, cv::INTER_NEAREST);
            } else {
                mask = cv::Mat(img.size(), CV_8UC1, cv::Scalar(255));
                m_warnings.push_back("subject '" + s.id + "': " + ph.image +
                                     " has no mask; the whole photo is used");
            }
            const cv::Rect bounds = cv::boundingRect(mask);
            if (bounds.empty())
                throw std::runtime_error(ph.mask + ": the mask is empty (no subject pixels)");
            // Soften the mask edge by one pixel so cut-outs do not look jagged when scaled.
            cv::Mat soft;
            cv::GaussianBlur(mask, soft, {3, 3}, 0.6);
            std::vector<cv::Mat> ch;
            cv::split(img(bounds), ch);
            ch.push_back(soft(bounds));
            cv::merge(ch, cut.bgra);
        } catch (const std::exception& e) {
            if (!tolerateMissing)
                throw;
            m_warnings.push_back(e.what());
            cut.bgra.release();
        }
        m_cutouts.push_back(cut);
    }
    if (!project.background.empty()) {
        try {
            m_background = downscaleForWork(loadColorImage(project.background), 4096);
        } catch (const std::exception& e) {
            if (!tolerateMissing)
                throw;
            m_warnings.push_back(e.what());
        }
    }
}

cv::Mat AnimaticRenderer::renderFrame(int frame, int width, int height) const {
    return renderFrame(m_project, frame, width, height);
}

cv::Mat AnimaticRenderer::renderFrame(const Project& project, int frame, int width, int height) const {
    if (width <= 0 || height <= 0)
        throw std::invalid_argument("animatic: frame size must be positive");
    const int L = std::max(1, project.shot.frames);
    frame = std::clamp(frame, 0, L - 1);

    // The background canvas covers the frame plus the camera's whole travel; each frame looks through a
    // window moved by that frame's travel (sub-pixel, so slow pans glide).
    double minX = 0, maxX = 0, minY = 0, maxY = 0;
    for (int f = 0; f < L; ++f) {
        const CameraOffset t = cameraTravelAtFrame(project.camera, f, L);
        minX = std::min(minX, t.x), maxX = std::max(maxX, t.x);
        minY = std::min(minY, t.y), maxY = std::max(maxY, t.y);
    }
    const int canvasW = int(std::ceil(width * (1.0 + maxX - minX))) + 2;
    const int canvasH = int(std::ceil(height * (1.0 + maxY - minY))) + 2;
    cv::Mat canvas =
        m_background.empty() ? proceduralBackground(canvasW, canvasH) : cover(m_background, canvasW, canvasH);
    const CameraOffset travel = cameraTravelAtFrame(project.camera, frame, L);
    const double left = (travel.x - minX) * width + 1.0, top = (travel.y - minY) * height + 1.0;
    cv::Mat out;
    cv::getRectSubPix(canvas, {width, height},
                      cv::Point2f(float(left + width / 2.0 - 0.5), float(top + height / 2.0 - 0.5)), out);

    for (size_t i = 0; i < project.boxTracks.size(); ++i) {
        const BoxTrack& track = project.boxTracks[i];
        if (track.keys.empty())
            continue;
        const NormBox b = screenBoxAtFrame(track, project.camera, frame, L);
        const double bx = b.x0 * width, by = b.y0 * height, bw = b.width() * width, bh = b.height() * height;
        if (bw < 1 || bh < 1)
            continue;
        const CutOut* cut = nullptr;
        for (const auto& c : m_cutouts)
            if (c.subjectId == track.subjectId)
                cut = &c;
        if (!cut || cut->bgra.empty()) {
            cv::rectangle(out, cv::Rect(int(bx), int(by), int(bw), int(bh)), placeholderColor(i), 2);
            cv::putText(out, track.subjectId, {int(bx) + 4, int(by) + 18}, cv::FONT_HERSHEY_SIMPLEX, 0.5,
                        placeholderColor(i), 1, cv::LINE_AA);
            continue;
        }
        // Fit inside the box keeping aspect ratio, bottom-centred: the subject stands on the box's floor.
        const double s = std::min(bw / cut->bgra.cols, bh / cut->bgra.rows);
        const int cw = std::max(1, int(std::lround(cut->bgra.cols * s)));
        const int chh = std::max(1, int(std::lround(cut->bgra.rows * s)));
        cv::Mat scaled;
        cv::resize(cut->bgra, scaled, {cw, chh}, 0, 0, s < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
        const int x = int(std::lround(bx + (bw - cw) / 2.0));
        const int y = int(std::lround(by + bh - chh));
        blend(out, scaled, x, y);
    }
    return out;
}

void renderAnimaticVideo(const Project& project, const std::string& outPath,
                         const VideoEncodeOptions& options, const JobControl& control) {
    const Shot& shot = project.shot;
    if (shot.frames < 1)
        throw std::runtime_error("animatic: the shot has no frames");
    AnimaticRenderer renderer(project);
    VideoEncodeOptions opts = options;
    opts.fps = shot.fps;
    VideoEncoder enc(outPath, shot.width, shot.height, opts);
    for (int f = 0; f < shot.frames; ++f) {
        control.checkCancelled();
        enc.write(renderer.renderFrame(f, shot.width, shot.height));
        control.report("animatic", f + 1, shot.frames);
    }
    control.checkCancelled();
    enc.finish();
}

} // namespace mb::media
