#include "media/synthetic_clips.h"

#include "media/image_io.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace mb::media {

namespace fs = std::filesystem;

namespace {

/** splitmix64: a small, fully specified generator (std distributions differ between standard libraries,
 *  and a clip must be the same everywhere for a resumed run to see the same data). */
class ClipRng {
public:
    explicit ClipRng(uint64_t seed) : m_state(seed) {}
    uint64_t next() {
        uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    size_t index(size_t n) { return size_t(next() % n); }
    bool chance(double p) { return uniform() < p; }

private:
    uint64_t m_state;
};

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

struct NamedColour {
    const char* name;
    cv::Vec3f bgr;
};
const NamedColour kColours[] = {
    {"red", {40, 40, 215}},   {"blue", {215, 100, 30}},   {"yellow", {30, 205, 240}},
    {"green", {50, 175, 60}}, {"white", {235, 235, 235}},
};

cv::Vec3f colourByName(const std::string& name) {
    for (const auto& c : kColours)
        if (name == c.name)
            return c.bgr;
    throw std::invalid_argument("synthetic clips: unknown colour '" + name + "'");
}

/** Alpha-blends BGRA `sprite` onto BGR `frame` with its top-left corner at (x, y) (clipped to the frame). */
void blendSprite(cv::Mat& frame, const cv::Mat& sprite, int x, int y) {
    for (int r = 0; r < sprite.rows; ++r) {
        const int fy = y + r;
        if (fy < 0 || fy >= frame.rows)
            continue;
        const auto* s = sprite.ptr<cv::Vec4b>(r);
        auto* d = frame.ptr<cv::Vec3b>(fy);
        for (int c = 0; c < sprite.cols; ++c) {
            const int fx = x + c;
            if (fx < 0 || fx >= frame.cols)
                continue;
            const float a = s[c][3] / 255.f;
            for (int k = 0; k < 3; ++k)
                d[fx][k] = cv::saturate_cast<uchar>(a * s[c][k] + (1.f - a) * d[fx][k]);
        }
    }
}

} // namespace

const std::vector<std::string>& SyntheticClipGenerator::colourNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& c : kColours)
            n.emplace_back(c.name);
        return n;
    }();
    return names;
}

const std::vector<std::string>& SyntheticClipGenerator::shapeNouns() {
    static const std::vector<std::string> nouns{"ball", "cube"};
    return nouns;
}

cv::Mat drawProceduralSubject(const std::string& noun, const std::string& colour, int size) {
    if (size < 2)
        throw std::invalid_argument("synthetic clips: subject size must be at least 2 px");
    const cv::Vec3f base = colourByName(colour);
    cv::Mat out(size, size, CV_8UC4, cv::Scalar(0, 0, 0, 0));
    if (noun == "ball") {
        // Lambert + a specular highlight on a sphere lit from the upper left; 4×4 supersampled edge.
        const cv::Vec3f light = cv::normalize(cv::Vec3f(-0.5f, -0.6f, 0.65f));
        const float r = size / 2.f;
        for (int y = 0; y < size; ++y) {
            for (int x = 0; x < size; ++x) {
                int inside = 0;
                for (int sy = 0; sy < 4; ++sy)
                    for (int sx = 0; sx < 4; ++sx) {
                        const float dx = (x + (sx + 0.5f) / 4.f - r) / r,
                                    dy = (y + (sy + 0.5f) / 4.f - r) / r;
                        inside += dx * dx + dy * dy <= 1.f;
                    }
                if (inside == 0)
                    continue;
                const float dx = std::clamp((x + 0.5f - r) / r, -1.f, 1.f);
                const float dy = std::clamp((y + 0.5f - r) / r, -1.f, 1.f);
                const float dz = std::sqrt(std::max(0.f, 1.f - dx * dx - dy * dy));
                const cv::Vec3f n(dx, dy, dz);
                const float lambert = std::max(0.f, n.dot(light));
                const float spec = std::pow(std::max(0.f, (2 * n.dot(light) * n - light)[2]), 24.f);
                auto& px = out.at<cv::Vec4b>(y, x);
                for (int k = 0; k < 3; ++k)
                    px[k] = cv::saturate_cast<uchar>(base[k] * (0.25f + 0.8f * lambert) + 200.f * spec);
                px[3] = cv::saturate_cast<uchar>(255.f * inside / 16.f);
            }
        }
        return out;
    }
    if (noun == "cube") {
        // Three faces of a cube seen from above-left, drawn 4× larger and area-averaged for smooth edges.
        const int s = size * 4;
        cv::Mat big(s, s, CV_8UC4, cv::Scalar(0, 0, 0, 0));
        const float u = s / 100.f;
        auto pt = [u](float x, float y) {
            return cv::Point(int(std::lround(x * u)), int(std::lround(y * u)));
        };
        const cv::Point top[] = {pt(50, 2), pt(97, 25), pt(50, 48), pt(3, 25)};
        const cv::Point left[] = {pt(3, 25), pt(50, 48), pt(50, 98), pt(3, 75)};
        const cv::Point right[] = {pt(50, 48), pt(97, 25), pt(97, 75), pt(50, 98)};
        auto shade = [&](float f) {
            return cv::Scalar(std::min(255.f, base[0] * f), std::min(255.f, base[1] * f),
                              std::min(255.f, base[2] * f), 255);
        };
        cv::fillConvexPoly(big, top, 4, shade(1.15f), cv::LINE_8);
        cv::fillConvexPoly(big, left, 4, shade(0.8f), cv::LINE_8);
        cv::fillConvexPoly(big, right, 4, shade(0.5f), cv::LINE_8);
        cv::resize(big, out, cv::Size(size, size), 0, 0, cv::INTER_AREA);
        return out;
    }
    throw std::invalid_argument("synthetic clips: unknown procedural subject '" + noun + "' (ball or cube)");
}

SyntheticClipGenerator::SyntheticClipGenerator(std::vector<SyntheticBackground> backgrounds,
                                               std::vector<SyntheticSprite> sprites,
                                               SyntheticClipOptions options)
    : m_backgrounds(std::move(backgrounds)), m_sprites(std::move(sprites)), m_options(options) {
    if (m_backgrounds.empty())
        throw std::invalid_argument("synthetic clips: no background photographs");
    if (m_options.width < 8 || m_options.height < 8 || m_options.frames < 1)
        throw std::invalid_argument("synthetic clips: the clip size must be at least 8×8 px and 1 frame");
    if (!(m_options.minBoxHeight > 0 && m_options.minBoxHeight <= m_options.maxBoxHeight &&
          m_options.maxBoxHeight <= 1.0))
        throw std::invalid_argument("synthetic clips: box heights must satisfy 0 < min ≤ max ≤ 1");
    for (const auto& b : m_backgrounds)
        if (b.image.empty() || b.image.type() != CV_8UC3)
            throw std::invalid_argument("synthetic clips: background '" + b.place + "' is not a BGR image");
    for (const auto& s : m_sprites)
        if (s.bgra.empty() || s.bgra.type() != CV_8UC4)
            throw std::invalid_argument("synthetic clips: sprite '" + s.noun + "' is not a BGRA image");
}

SyntheticClip SyntheticClipGenerator::clip(uint64_t index) const {
    const SyntheticClipOptions& o = m_options;
    ClipRng rng(o.seed * 0x100000001B3ull ^ (index + 1) * 0xD1B54A32D192ED03ull);
    const int W = o.width, H = o.height, F = o.frames;
    SyntheticClip out;

    // The camera: cumulative travel 0 → (tx, ty) over the clip.
    double tx = 0, ty = 0;
    if (rng.chance(o.cameraProbability)) {
        tx = rng.uniform(-o.maxTravelX, o.maxTravelX);
        ty = rng.uniform(-o.maxTravelY, o.maxTravelY);
    }
    out.cameraTravel = {float(tx), float(ty)};

    // The background: scaled so that the view plus its travel fits, zoomed in a little at random, mirrored
    // half of the time, with the view's start placed at random in what is left.
    const SyntheticBackground& bg = m_backgrounds[rng.index(m_backgrounds.size())];
    const double needW = W * (1 + std::abs(tx)), needH = H * (1 + std::abs(ty));
    const double scale = std::max(needW / bg.image.cols, needH / bg.image.rows) * rng.uniform(1.0, 1.6);
    cv::Mat scaled;
    cv::resize(bg.image, scaled,
               cv::Size(std::max(1, int(std::ceil(bg.image.cols * scale))),
                        std::max(1, int(std::ceil(bg.image.rows * scale)))),
               0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    if (rng.chance(0.5))
        cv::flip(scaled, scaled, 1);
    const double spareX = std::max(0.0, scaled.cols - needW), spareY = std::max(0.0, scaled.rows - needH);
    const double startX = rng.uniform(0, spareX) + (tx < 0 ? -tx * W : 0.0);
    const double startY = rng.uniform(0, spareY) + (ty < 0 ? -ty * H : 0.0);

    // The subject.
    cv::Mat sprite;
    if (rng.chance(o.subjectProbability)) {
        const double boxH = rng.uniform(o.minBoxHeight, o.maxBoxHeight);
        int bh = std::max(2, int(std::lround(boxH * H)));
        if (!m_sprites.empty() && rng.chance(o.photoSpriteProbability)) {
            const SyntheticSprite& s = m_sprites[rng.index(m_sprites.size())];
            int bw = std::max(2, int(std::lround(double(bh) * s.bgra.cols / s.bgra.rows)));
            if (bw > W) { // a very wide cut-out: fit the width instead
                bh = std::max(2, int(std::lround(double(bh) * W / bw)));
                bw = W;
            }
            cv::resize(s.bgra, sprite, cv::Size(bw, bh), 0, 0, cv::INTER_AREA);
            if (rng.chance(0.5))
                cv::flip(sprite, sprite, 1);
            out.subjectPhrase = s.noun;
        } else {
            const std::string& noun = shapeNouns()[rng.index(shapeNouns().size())];
            const std::string& colour = colourNames()[rng.index(colourNames().size())];
            bh = std::min(bh, W);
            sprite = drawProceduralSubject(noun, colour, bh);
            out.subjectPhrase = colour + " " + noun;
        }
        out.caption = "a " + out.subjectPhrase + " " + bg.place;
    } else {
        out.caption = bg.place;
        // "on a forest path" alone reads oddly as a caption: drop the leading preposition.
        const auto sp = out.caption.find(' ');
        for (const char* prep : {"on", "by", "in", "at", "under", "over"})
            if (sp != std::string::npos && out.caption.compare(0, sp, prep) == 0) {
                out.caption = out.caption.substr(sp + 1);
                break;
            }
    }

    // The subject's straight path, start and end centres anywhere that keeps the box inside the frame.
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    if (!sprite.empty()) {
        const double hw = sprite.cols / 2.0, hh = sprite.rows / 2.0;
        x0 = rng.uniform(hw, W - hw);
        x1 = rng.uniform(hw, W - hw);
        y0 = rng.uniform(hh, H - hh);
        y1 = rng.uniform(hh, H - hh);
    }

    out.frames.reserve(size_t(F));
    for (int f = 0; f < F; ++f) {
        const double a = F > 1 ? double(f) / (F - 1) : 0.0;
        const cv::Point2f centre(float(startX + a * tx * W + W / 2.0), float(startY + a * ty * H + H / 2.0));
        cv::Mat frame;
        cv::getRectSubPix(scaled, cv::Size(W, H), centre, frame);
        if (!sprite.empty()) {
            const int left = int(std::lround(x0 + a * (x1 - x0) - sprite.cols / 2.0));
            const int top = int(std::lround(y0 + a * (y1 - y0) - sprite.rows / 2.0));
            blendSprite(frame, sprite, left, top);
            out.boxes.push_back({float(left) / W, float(top) / H, float(left + sprite.cols) / W,
                                 float(top + sprite.rows) / H});
        }
        out.frames.push_back(frame);
    }
    return out;
}

std::vector<SyntheticBackground> loadSyntheticBackgrounds(const std::string& listPath, int maxShortSide) {
    std::ifstream in(listPath);
    if (!in)
        throw std::runtime_error(listPath + ": cannot open the background list");
    const fs::path base = fs::path(listPath).parent_path();
    std::vector<SyntheticBackground> out;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        const auto hash = line.find('#');
        if (hash != std::string::npos)
            line.resize(hash);
        line = trim(line);
        if (line.empty())
            continue;
        const auto bar = line.find('|');
        if (bar == std::string::npos)
            throw std::runtime_error(listPath + ":" + std::to_string(lineNo) +
                                     ": expected 'PATH | place words'");
        fs::path path = trim(line.substr(0, bar));
        const std::string place = trim(line.substr(bar + 1));
        if (place.empty())
            throw std::runtime_error(listPath + ":" + std::to_string(lineNo) + ": no place words after '|'");
        if (path.is_relative())
            path = base / path;
        SyntheticBackground b;
        b.image = loadColorImage(path.string());
        const int shortSide = std::min(b.image.cols, b.image.rows);
        if (shortSide > maxShortSide) {
            const double s = double(maxShortSide) / shortSide;
            cv::resize(b.image, b.image, cv::Size(), s, s, cv::INTER_AREA);
        }
        b.place = place;
        out.push_back(std::move(b));
    }
    if (out.empty())
        throw std::runtime_error(listPath + ": the background list names no image");
    return out;
}

SyntheticSprite loadSyntheticSprite(const std::string& photoPath, const std::string& maskPath,
                                    const std::string& noun) {
    const cv::Mat photo = loadColorImage(photoPath);
    const cv::Mat mask = loadMask(maskPath);
    if (photo.size() != mask.size())
        throw std::runtime_error(maskPath + ": the mask's size differs from its photo " + photoPath);
    const cv::Rect box = cv::boundingRect(mask);
    if (box.empty())
        throw std::runtime_error(maskPath + ": the mask is empty");
    std::vector<cv::Mat> ch;
    cv::split(photo(box), ch);
    ch.push_back(mask(box).clone());
    SyntheticSprite s;
    cv::merge(ch, s.bgra);
    s.noun = noun;
    return s;
}

} // namespace mb::media
