#include "doc/project.h"

#include "doc/image_header.h"

#include <filesystem>
#include <set>
#include <stdexcept>

namespace mb {

const std::vector<std::string>& samplerNames() {
    static const std::vector<std::string> names = {"ddim", "dpmpp-2m", "dpmpp-2m-karras", "euler"};
    return names;
}

const Subject* Project::findSubject(const std::string& id) const {
    for (const auto& s : subjects)
        if (s.id == id)
            return &s;
    return nullptr;
}
Subject* Project::findSubject(const std::string& id) {
    return const_cast<Subject*>(static_cast<const Project*>(this)->findSubject(id));
}
const BoxTrack* Project::findTrack(const std::string& subjectId) const {
    for (const auto& t : boxTracks)
        if (t.subjectId == subjectId)
            return &t;
    return nullptr;
}
BoxTrack* Project::findTrack(const std::string& subjectId) {
    return const_cast<BoxTrack*>(static_cast<const Project*>(this)->findTrack(subjectId));
}
int Project::subjectIndex(const std::string& id) const {
    for (size_t i = 0; i < subjects.size(); ++i)
        if (subjects[i].id == id)
            return int(i);
    return -1;
}
int Project::trackIndex(const std::string& subjectId) const {
    for (size_t i = 0; i < boxTracks.size(); ++i)
        if (boxTracks[i].subjectId == subjectId)
            return int(i);
    return -1;
}

std::string Project::resolvedPrompt() const {
    std::string out;
    const std::string& p = shot.prompt;
    for (size_t i = 0; i < p.size();) {
        if (p[i] == '{') {
            size_t close = p.find('}', i);
            if (close == std::string::npos)
                throw std::runtime_error("prompt: '{' at position " + std::to_string(i) + " is never closed");
            std::string id = p.substr(i + 1, close - i - 1);
            const Subject* s = findSubject(id);
            if (!s)
                throw std::runtime_error("prompt: {" + id + "} names no subject of this project");
            out += s->phrase();
            i = close + 1;
        } else {
            out += p[i++];
        }
    }
    return out;
}

namespace {

/** True when `path` (absolute, normalised) lies inside `folder`. */
bool isInside(const std::string& path, const std::string& folder) {
    namespace fs = std::filesystem;
    const fs::path rel =
        fs::path(path).lexically_normal().lexically_relative(fs::path(folder).lexically_normal());
    return !rel.empty() && *rel.begin() != "..";
}

} // namespace

std::vector<ValidationIssue> validateProject(const Project& project, int sizeMultiple,
                                             const std::string& projectFolder) {
    std::vector<ValidationIssue> issues;
    auto error = [&](std::string where, std::string msg) {
        issues.push_back({ValidationIssue::Severity::Error, std::move(where), std::move(msg)});
    };
    auto warn = [&](std::string where, std::string msg) {
        issues.push_back({ValidationIssue::Severity::Warning, std::move(where), std::move(msg)});
    };
    // An image that exists must also decode: its header and structure are read here (not its pixels), so a
    // corrupt, truncated or oversized file is found before a render or a fine-tune runs into it.
    auto checkImage = [&](const std::string& where, const std::string& what, const std::string& path) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) {
            error(where, what + " not found: " + path);
            return;
        }
        try {
            (void)readImageHeader(path);
        } catch (const std::exception& e) {
            error(where, what + " is not usable: " + e.what());
        }
    };
    auto checkInside = [&](const std::string& where, const std::string& what, const std::string& path) {
        if (!projectFolder.empty() && !path.empty() && !isInside(path, projectFolder))
            warn(where, what + " " + path + " lies outside the project folder " + projectFolder);
    };
    const Shot& shot = project.shot;
    if (shot.frames < 1)
        error("$.shot.frames", "frame count must be at least 1, is " + std::to_string(shot.frames));
    if (shot.width <= 0 || shot.height <= 0)
        error("$.shot", "width and height must be positive");
    else if (sizeMultiple > 0 && (shot.width % sizeMultiple || shot.height % sizeMultiple))
        error("$.shot", std::to_string(shot.width) + "x" + std::to_string(shot.height) +
                            " is not a multiple of " + std::to_string(sizeMultiple) +
                            " (the model's VAE scale factor); try 576x320, 448x256 or 256x144");
    if (shot.fps <= 0)
        error("$.shot.fps", "fps must be positive");
    if (shot.steps < 1)
        error("$.shot.steps", "steps must be at least 1");

    std::set<std::string> ids;
    for (size_t i = 0; i < project.subjects.size(); ++i) {
        const auto& s = project.subjects[i];
        const std::string where = "$.subjects[" + std::to_string(i) + "]";
        if (s.id.empty())
            error(where + ".id", "subject id is empty");
        else if (!ids.insert(s.id).second)
            error(where + ".id", "subject id '" + s.id + "' is used twice");
        if (s.className.empty())
            error(where + ".class_name", "subject '" + s.id + "' has no class name (e.g. \"dog\")");
        if (s.photos.empty())
            error(where + ".photos", "subject '" + s.id + "' has no photos");
        else if (s.learned && (s.photos.size() < 3 || s.photos.size() > 10))
            warn(where + ".photos", "subject '" + s.id + "' has " + std::to_string(s.photos.size()) +
                                        " photos; 3 to 10 are recommended");
        for (size_t j = 0; j < s.photos.size(); ++j) {
            const auto& ph = s.photos[j];
            const std::string pw = where + ".photos[" + std::to_string(j) + "]";
            checkImage(pw + ".image", "photo", ph.image);
            checkInside(pw + ".image", "photo", ph.image);
            if (!ph.mask.empty()) {
                checkImage(pw + ".mask", "mask", ph.mask);
                checkInside(pw + ".mask", "mask", ph.mask);
            }
        }
    }
    for (size_t i = 0; i < project.boxTracks.size(); ++i) {
        const auto& t = project.boxTracks[i];
        const std::string where = "$.box_tracks[" + std::to_string(i) + "]";
        if (!project.findSubject(t.subjectId))
            error(where + ".subject", "track refers to unknown subject '" + t.subjectId + "'");
        if (t.keys.empty())
            error(where + ".keyframes", "track has no keyframes");
        for (size_t k = 0; k < t.keys.size(); ++k) {
            const auto& b = t.keys[k].value;
            const std::string kw = where + ".keyframes[" + std::to_string(k) + "]";
            if (!b.isValid())
                error(kw + ".box", "box has no area (x0 must be < x1 and y0 < y1)");
            else if (!b.intersectsFrame())
                error(kw + ".box", "box lies entirely outside the frame");
            if (t.keys[k].time < 0 || t.keys[k].time > 1)
                error(kw + ".time", "keyframe time must be within 0..1");
        }
    }
    const RenderSettings& rs = project.render;
    if (rs.shiftSteps > 0 && !project.camera.isStatic() && rs.shiftStartStep + rs.shiftSteps > shot.steps)
        warn("$.render", "the latent-shift window (steps " + std::to_string(rs.shiftStartStep) + "-" +
                             std::to_string(rs.shiftStartStep + rs.shiftSteps - 1) +
                             ") runs past the shot's " + std::to_string(shot.steps) +
                             " steps: the camera will move less than drawn");
    if (!rs.checkpoint.empty()) {
        // render loads it before anything else: a project that says "valid" must also render.
        std::error_code ec;
        const auto st = std::filesystem::status(rs.checkpoint, ec);
        if (!std::filesystem::exists(st))
            error("$.render.checkpoint", "checkpoint not found: " + rs.checkpoint +
                                             " (train again, or clear the project's checkpoint)");
        else if (!std::filesystem::is_regular_file(st))
            error("$.render.checkpoint", "checkpoint is not a file: " + rs.checkpoint);
    }
    if (project.camera.keys.empty())
        error("$.camera.keyframes", "camera path has no keyframes");
    try {
        (void)project.resolvedPrompt();
    } catch (const std::exception& e) {
        error("$.shot.prompt", e.what());
    }
    if (!project.background.empty()) {
        checkImage("$.background", "background image", project.background);
        checkInside("$.background", "background image", project.background);
    }
    return issues;
}

} // namespace mb
