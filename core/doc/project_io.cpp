#include "doc/project_io.h"
#include "doc/utc_time.h"

#include "doc/atomic_file.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace mb {

ProjectFileError::ProjectFileError(std::string file, std::string jsonPath, std::string problem)
    : std::runtime_error(file + (jsonPath.empty() ? "" : ": " + jsonPath) + ": " + problem),
      m_file(std::move(file)), m_jsonPath(std::move(jsonPath)), m_problem(std::move(problem)) {}

namespace {

std::string numberText(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

/** The allowed range of one numeric value of the file, by its JSON path with indices left out. */
struct Range {
    double lo, hi;
    bool loOpen = false; ///< (lo, hi] instead of [lo, hi]
    bool integer = false;
    std::string text() const {
        // The largest seed, 2^64 - 1, which a double cannot show exactly.
        const std::string high =
            integer && hi >= 18446744073709551615.0 ? "18446744073709551615" : numberText(hi);
        return std::string(loOpen ? "(" : "") + numberText(lo) + ".." + high + (loOpen ? "]" : "");
    }
};

/** One table for every number the format has: what parse() checks and what an unreadable number's error
 *  (1e999) names. Box corners are in frames (0..1 is the frame) and so are camera offsets; both may leave
 *  the frame, but not by more than kMaxFrameSpan frames. */
const Range* rangeOf(const std::string& path) {
    std::string pattern;
    for (size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '[') {
            pattern += "[]";
            i = path.find(']', i);
            if (i == std::string::npos)
                break;
        } else {
            pattern += path[i];
        }
    }
    static const std::vector<std::pair<std::string, Range>> table = {
        {"$.format_version", {1, double(Project::kFormatVersion), false, true}},
        {"$.shot.frames", {1, 100000, false, true}},
        {"$.shot.fps", {0, 1000, true}},
        {"$.shot.width", {1, 16384, false, true}},
        {"$.shot.height", {1, 16384, false, true}},
        {"$.shot.seed", {0, 18446744073709551615.0, false, true}},
        {"$.shot.steps", {1, 10000, false, true}},
        {"$.shot.guidance_scale", {0, 100}},
        {"$.box_tracks[].keyframes[].time", {0, 1}},
        {"$.box_tracks[].keyframes[].box[]", {-kMaxFrameSpan, kMaxFrameSpan}},
        {"$.box_tracks[].keyframes[].easing.bezier[]", {-kMaxFrameSpan, kMaxFrameSpan}},
        {"$.camera.keyframes[].time", {0, 1}},
        {"$.camera.keyframes[].offset[]", {-kMaxFrameSpan, kMaxFrameSpan}},
        {"$.camera.keyframes[].easing.bezier[]", {-kMaxFrameSpan, kMaxFrameSpan}},
        {"$.render.edit_scale", {0, 1000}},
        {"$.render.amplify_steps", {0, 10000, false, true}},
        {"$.render.shift_start_step", {0, 10000, false, true}},
        {"$.render.shift_steps", {0, 10000, false, true}},
        {"$.takes[].seed", {0, 18446744073709551615.0, false, true}},
    };
    for (const auto& [p, r] : table)
        if (p == pattern)
            return &r;
    return nullptr;
}

/** A JSON value with the path that led to it, so every error names where it happened. */
class In {
public:
    In(const json& v, std::string path, const std::string& file)
        : m_v(v), m_path(std::move(path)), m_file(file) {}

    [[noreturn]] void fail(const std::string& problem) const {
        throw ProjectFileError(m_file, m_path, problem);
    }
    const std::string& path() const { return m_path; }
    const json& raw() const { return m_v; }

    In at(const std::string& key) const {
        if (!m_v.is_object())
            fail("expected an object");
        auto it = m_v.find(key);
        if (it == m_v.end())
            throw ProjectFileError(m_file, m_path + "." + key, "missing");
        return In(*it, m_path + "." + key, m_file);
    }
    bool has(const std::string& key) const { return m_v.is_object() && m_v.contains(key); }
    In at(size_t i) const { return In(m_v.at(i), m_path + "[" + std::to_string(i) + "]", m_file); }
    size_t arraySize() const {
        if (!m_v.is_array())
            fail("expected an array");
        return m_v.size();
    }
    std::string str() const {
        if (!m_v.is_string())
            fail("expected a string");
        return m_v.get<std::string>();
    }
    /** A text of at most kMaxProjectTextBytes (prompts, names: what reaches the tokenizer). */
    std::string text() const {
        if (!m_v.is_string())
            fail("expected a string");
        const auto& t = m_v.get_ref<const std::string&>();
        if (t.size() > kMaxProjectTextBytes)
            fail("the text is " + std::to_string(t.size()) + " bytes long; at most " +
                 std::to_string(kMaxProjectTextBytes) + " bytes are allowed");
        return t;
    }
    /** A finite number within the range rangeOf() gives for this path (when it names one). */
    double num() const {
        if (!m_v.is_number())
            fail("expected a number");
        double d = m_v.get<double>();
        const Range* r = rangeOf(m_path);
        if (!std::isfinite(d))
            fail("expected a finite number" + (r ? " within " + r->text() : std::string()));
        if (r && (d > r->hi || d < r->lo || (r->loOpen && d == r->lo)))
            fail(m_path.substr(m_path.rfind('.') + 1) + " must be within " + r->text() + ", is " +
                 numberText(d));
        return d;
    }
    long long integer() const {
        if (!m_v.is_number_integer() && !m_v.is_number_unsigned())
            fail("expected an integer");
        return m_v.get<long long>();
    }
    std::uint64_t uint64() const {
        if (!m_v.is_number_unsigned() && !(m_v.is_number_integer() && m_v.get<long long>() >= 0))
            fail("expected a non-negative integer");
        return m_v.get<std::uint64_t>();
    }
    bool boolean() const {
        if (!m_v.is_boolean())
            fail("expected true or false");
        return m_v.get<bool>();
    }
    // Optional members with defaults.
    std::string str(const std::string& key, const std::string& def) const {
        return has(key) ? at(key).str() : def;
    }
    std::string text(const std::string& key, const std::string& def) const {
        return has(key) ? at(key).text() : def;
    }
    double num(const std::string& key, double def) const { return has(key) ? at(key).num() : def; }
    bool boolean(const std::string& key, bool def) const { return has(key) ? at(key).boolean() : def; }
    /** An optional integer member within the range rangeOf() gives for its path. */
    int intIn(const std::string& key, int def) const {
        if (!has(key))
            return def;
        In v = at(key);
        long long x = v.integer();
        const Range* r = rangeOf(v.path());
        if (r && (double(x) < r->lo || double(x) > r->hi))
            v.fail("must be between " + numberText(r->lo) + " and " + numberText(r->hi) + ", is " +
                   std::to_string(x));
        return int(x);
    }

private:
    const json& m_v;
    std::string m_path;
    const std::string& m_file;
};

std::string resolvePath(const std::string& stored, const std::string& baseDir) {
    if (stored.empty())
        return {};
    fs::path p(stored);
    if (p.is_relative())
        p = fs::path(baseDir) / p;
    return p.lexically_normal().string();
}

std::string storePath(const std::string& inMemory, const std::string& baseDir) {
    if (inMemory.empty())
        return {};
    // A relative path in memory is relative to the current folder (a command-line argument, a file the
    // process just wrote); written as is it would be read back relative to the project's folder instead.
    std::error_code ec;
    fs::path p = fs::absolute(fs::path(inMemory), ec);
    if (ec)
        p = inMemory;
    if (baseDir.empty() || p.is_relative())
        return p.lexically_normal().generic_string();
    fs::path rel = p.lexically_normal().lexically_relative(fs::path(baseDir).lexically_normal());
    // Keep paths that climb out of the project folder relative too (a sibling "assets" folder), but only when
    // they share a root; otherwise absolute.
    if (rel.empty())
        return p.generic_string();
    return rel.generic_string();
}

Easing readEasing(const In& v) {
    if (v.raw().is_string()) {
        try {
            return Easing::fromName(v.str());
        } catch (const std::invalid_argument& e) {
            v.fail(e.what());
        }
    }
    In b = v.at("bezier");
    if (b.arraySize() != 4)
        b.fail("expected [x1, y1, x2, y2]");
    Easing e = Easing::bezier(b.at(0).num(), b.at(1).num(), b.at(2).num(), b.at(3).num());
    if (e.x1 < 0 || e.x1 > 1 || e.x2 < 0 || e.x2 > 1)
        b.fail("Bézier x control values must lie within 0..1");
    return e;
}

json writeEasing(const Easing& e) {
    std::string n = e.name();
    if (n != "bezier")
        return n;
    return json{{"bezier", {e.x1, e.y1, e.x2, e.y2}}};
}

double readTime(const In& k) {
    In t = k.at("time");
    double v = t.num();
    if (v < 0 || v > 1)
        t.fail("keyframe time must be within 0..1 (0 = first frame, 1 = last frame)");
    return v;
}

template <class Value> void checkSorted(const In& keys, const std::vector<Keyframe<Value>>& list) {
    for (size_t i = 1; i < list.size(); ++i)
        if (list[i].time < list[i - 1].time)
            keys.at(i).at("time").fail("keyframes must be sorted by time");
}

Project parse(const json& root, const std::string& file, const std::string& baseDir) {
    In r(root, "$", file);
    if (!root.is_object())
        r.fail("the file is not a MotionBooth project (expected a JSON object)");
    if (!r.has("format_version"))
        r.fail("not a MotionBooth project: no format_version");
    In fv = r.at("format_version");
    long long version = fv.integer();
    if (version > Project::kFormatVersion)
        fv.fail("written by a newer MotionBooth Studio (format " + std::to_string(version) +
                "); this version reads format " + std::to_string(Project::kFormatVersion) +
                " and older: please update");
    if (version < 1)
        fv.fail("unknown format version " + std::to_string(version));

    Project p;
    p.subjects.clear();
    p.boxTracks.clear();
    if (r.has("shot")) {
        In s = r.at("shot");
        Shot& sh = p.shot;
        sh.prompt = s.text("prompt", sh.prompt);
        sh.negativePrompt = s.text("negative_prompt", "");
        sh.frames = s.intIn("frames", sh.frames);
        sh.fps = s.num("fps", sh.fps); // (0, 1000]: rangeOf()
        sh.width = s.intIn("width", sh.width);
        sh.height = s.intIn("height", sh.height);
        if (s.has("seed"))
            sh.seed = s.at("seed").uint64();
        sh.steps = s.intIn("steps", sh.steps);
        sh.guidanceScale = s.num("guidance_scale", sh.guidanceScale);
        sh.sampler = s.str("sampler", sh.sampler);
        const auto& names = samplerNames();
        if (std::find(names.begin(), names.end(), sh.sampler) == names.end()) {
            std::string known;
            for (const auto& n : names)
                known += (known.empty() ? "" : ", ") + n;
            s.at("sampler").fail("unknown sampler \"" + sh.sampler + "\" (known: " + known + ")");
        }
    }
    if (r.has("subjects")) {
        In subs = r.at("subjects");
        for (size_t i = 0, n = subs.arraySize(); i < n; ++i) {
            In s = subs.at(i);
            Subject sub;
            sub.id = s.at("id").str();
            if (sub.id.empty() || sub.id.find_first_of("{} ") != std::string::npos)
                s.at("id").fail("a subject id must be non-empty, without spaces or braces");
            sub.className = s.at("class_name").text();
            sub.identifier = s.text("identifier", sub.identifier);
            sub.learned = s.boolean("learned", sub.learned);
            if (s.has("photos")) {
                In photos = s.at("photos");
                for (size_t j = 0, m = photos.arraySize(); j < m; ++j) {
                    In ph = photos.at(j);
                    SubjectPhoto photo;
                    photo.image = resolvePath(ph.at("image").str(), baseDir);
                    photo.mask = resolvePath(ph.str("mask", ""), baseDir);
                    sub.photos.push_back(photo);
                }
            }
            p.subjects.push_back(std::move(sub));
        }
    }
    if (r.has("box_tracks")) {
        In tracks = r.at("box_tracks");
        for (size_t i = 0, n = tracks.arraySize(); i < n; ++i) {
            In t = tracks.at(i);
            BoxTrack track;
            track.subjectId = t.at("subject").str();
            track.pinnedToScene = t.boolean("pinned_to_scene", false);
            In keys = t.at("keyframes");
            if (keys.arraySize() == 0)
                keys.fail("a box track needs at least one keyframe");
            for (size_t k = 0, m = keys.arraySize(); k < m; ++k) {
                In key = keys.at(k);
                BoxKeyframe kf;
                kf.time = readTime(key);
                In b = key.at("box");
                if (b.arraySize() != 4)
                    b.fail("expected [x0, y0, x1, y1]");
                kf.value = {b.at(0).num(), b.at(1).num(), b.at(2).num(), b.at(3).num()};
                if (!kf.value.isValid())
                    b.fail("box has no area: x0 must be < x1 and y0 < y1");
                if (key.has("easing"))
                    kf.easing = readEasing(key.at("easing"));
                track.keys.push_back(kf);
            }
            checkSorted(keys, track.keys);
            p.boxTracks.push_back(std::move(track));
        }
    }
    if (r.has("camera")) {
        In keys = r.at("camera").at("keyframes");
        if (keys.arraySize() == 0)
            keys.fail("the camera path needs at least one keyframe");
        p.camera.keys.clear();
        for (size_t k = 0, m = keys.arraySize(); k < m; ++k) {
            In key = keys.at(k);
            CameraKeyframe kf;
            kf.time = readTime(key);
            In o = key.at("offset");
            if (o.arraySize() != 2)
                o.fail("expected [x, y] (fractions of the frame)");
            kf.value = {o.at(0).num(), o.at(1).num()};
            if (key.has("easing"))
                kf.easing = readEasing(key.at("easing"));
            p.camera.keys.push_back(kf);
        }
        checkSorted(keys, p.camera.keys);
    }
    p.background = resolvePath(r.str("background", ""), baseDir);
    if (r.has("render")) {
        In s = r.at("render");
        RenderSettings& rs = p.render;
        rs.modelFolder = resolvePath(s.str("model", ""), baseDir);
        rs.checkpoint = resolvePath(s.str("checkpoint", ""), baseDir);
        rs.editScale = s.num("edit_scale", rs.editScale);
        rs.amplifySteps = s.intIn("amplify_steps", rs.amplifySteps);
        rs.suppressOtherWords = s.boolean("suppress_other_words", rs.suppressOtherWords);
        rs.shiftStartStep = s.intIn("shift_start_step", rs.shiftStartStep);
        rs.shiftSteps = s.intIn("shift_steps", rs.shiftSteps);
        std::string lb = s.str("letterbox", "squash");
        if (lb == "squash")
            rs.letterbox = Letterbox::Squash;
        else if (lb == "fit")
            rs.letterbox = Letterbox::Fit;
        else
            s.at("letterbox").fail("expected \"squash\" or \"fit\"");
    }
    if (r.has("takes")) {
        In takes = r.at("takes");
        for (size_t i = 0, n = takes.arraySize(); i < n; ++i) {
            In t = takes.at(i);
            Take take;
            take.video = resolvePath(t.at("video").str(), baseDir);
            take.sidecar = resolvePath(t.str("sidecar", ""), baseDir);
            if (t.has("seed"))
                take.seed = t.at("seed").uint64();
            take.createdUtc = t.str("created", "");
            p.takes.push_back(take);
        }
    }
    return p;
}

json toJson(const Project& p, const std::string& baseDir) {
    json j;
    j["format_version"] = Project::kFormatVersion;
    j["generator"] = "MotionBooth Studio";
    const Shot& s = p.shot;
    j["shot"] = {{"prompt", s.prompt},
                 {"negative_prompt", s.negativePrompt},
                 {"frames", s.frames},
                 {"fps", s.fps},
                 {"width", s.width},
                 {"height", s.height},
                 {"seed", s.seed},
                 {"steps", s.steps},
                 {"guidance_scale", s.guidanceScale},
                 {"sampler", s.sampler}};
    j["subjects"] = json::array();
    for (const auto& sub : p.subjects) {
        json photos = json::array();
        for (const auto& ph : sub.photos) {
            json o{{"image", storePath(ph.image, baseDir)}};
            if (!ph.mask.empty())
                o["mask"] = storePath(ph.mask, baseDir);
            photos.push_back(o);
        }
        j["subjects"].push_back({{"id", sub.id},
                                 {"class_name", sub.className},
                                 {"identifier", sub.identifier},
                                 {"learned", sub.learned},
                                 {"photos", photos}});
    }
    j["box_tracks"] = json::array();
    for (const auto& t : p.boxTracks) {
        json keys = json::array();
        for (const auto& k : t.keys)
            keys.push_back({{"time", k.time},
                            {"box", {k.value.x0, k.value.y0, k.value.x1, k.value.y1}},
                            {"easing", writeEasing(k.easing)}});
        j["box_tracks"].push_back(
            {{"subject", t.subjectId}, {"pinned_to_scene", t.pinnedToScene}, {"keyframes", keys}});
    }
    json ckeys = json::array();
    for (const auto& k : p.camera.keys)
        ckeys.push_back(
            {{"time", k.time}, {"offset", {k.value.x, k.value.y}}, {"easing", writeEasing(k.easing)}});
    j["camera"] = {{"keyframes", ckeys}};
    j["background"] = storePath(p.background, baseDir);
    const RenderSettings& r = p.render;
    j["render"] = {{"model", storePath(r.modelFolder, baseDir)},
                   {"checkpoint", storePath(r.checkpoint, baseDir)},
                   {"edit_scale", r.editScale},
                   {"amplify_steps", r.amplifySteps},
                   {"suppress_other_words", r.suppressOtherWords},
                   {"shift_start_step", r.shiftStartStep},
                   {"shift_steps", r.shiftSteps},
                   {"letterbox", r.letterbox == Letterbox::Fit ? "fit" : "squash"}};
    j["takes"] = json::array();
    for (const auto& t : p.takes)
        j["takes"].push_back({{"video", storePath(t.video, baseDir)},
                              {"sidecar", storePath(t.sidecar, baseDir)},
                              {"seed", t.seed},
                              {"created", t.createdUtc}});
    return j;
}

/**
 * Builds the JSON value as json::parse does, but knows the JSON path of the value being read, so a number
 * that does not fit a double (1e999, which nlohmann reports as out_of_range.406 without any place) is
 * refused with its path and its allowed range.
 */
class PathSax {
public:
    explicit PathSax(const std::string& file) : m_file(file) {}
    json root;

    bool null() { return put(nullptr); }
    bool boolean(bool v) { return put(v); }
    bool number_integer(json::number_integer_t v) { return put(v); }
    bool number_unsigned(json::number_unsigned_t v) { return put(v); }
    bool number_float(json::number_float_t v, const std::string&) { return put(v); }
    bool string(std::string& v) { return put(std::move(v)); }
    bool binary(json::binary_t& v) { return put(std::move(v)); }
    bool start_object(std::size_t) {
        json* j = place(json::object());
        m_levels.push_back({j, false, 0, {}});
        return true;
    }
    bool key(std::string& k) {
        m_levels.back().key = k;
        return true;
    }
    bool end_object() {
        m_levels.pop_back();
        return true;
    }
    bool start_array(std::size_t) {
        json* j = place(json::array());
        m_levels.push_back({j, true, 0, {}});
        return true;
    }
    bool end_array() {
        m_levels.pop_back();
        return true;
    }
    template <class Exception> bool parse_error(std::size_t, const std::string& token, const Exception& e) {
        if (e.id == 406) {
            const std::string path = pathOfNext();
            const Range* r = rangeOf(path);
            throw ProjectFileError(m_file, path,
                                   "the number " + token + " is too large for a number; allowed: " +
                                       (r ? r->text() : std::string("a finite number")));
        }
        // Say where in the file and what, not nlohmann's internal id.
        std::string what = e.what();
        auto pos = what.find("] ");
        throw ProjectFileError(
            m_file, "", "not valid JSON (" + (pos == std::string::npos ? what : what.substr(pos + 2)) + ")");
    }

private:
    struct Level {
        json* value;
        bool array;
        size_t index;
        std::string key;
    };
    template <class V> bool put(V&& v) {
        (void)place(json(std::forward<V>(v)));
        return true;
    }
    json* place(json&& v) {
        if (m_levels.empty()) {
            root = std::move(v);
            return &root;
        }
        Level& top = m_levels.back();
        if (top.array) {
            ++top.index;
            top.value->push_back(std::move(v));
            return &top.value->back();
        }
        json& slot = (*top.value)[top.key];
        slot = std::move(v);
        return &slot;
    }
    /** The path of the value the parser reads next. */
    std::string pathOfNext() const {
        std::string p = "$";
        // An array's index counts the elements placed so far: the next one's index for the innermost
        // array, one more than the element being read for the arrays around it.
        for (size_t i = 0; i < m_levels.size(); ++i) {
            const Level& l = m_levels[i];
            const size_t index = i + 1 == m_levels.size() ? l.index : l.index - 1;
            p += l.array ? "[" + std::to_string(index) + "]" : "." + l.key;
        }
        return p;
    }
    const std::string& m_file;
    std::vector<Level> m_levels;
};

json parseText(const std::string& text, const std::string& file) {
    PathSax sax(file);
    json::sax_parse(text, &sax);
    return std::move(sax.root);
}

/** The folder the project's relative paths are relative to: that of the file itself, after symbolic links
 *  (a save writes through a link to its target, so the target's folder is where the paths were stored). */
std::string folderOf(const std::string& path) {
    fs::path abs = fs::absolute(fs::path(resolveSymlinks(path))).lexically_normal();
    return abs.parent_path().string();
}

/** Reads a project or autosave file, refusing one too large to be a project before reading it. */
std::string readProjectText(const std::string& path, const char* what) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (!ec && size > kMaxProjectFileBytes)
        throw ProjectFileError(path, "",
                               "the file is " + std::to_string(size) + " bytes; a project has at most " +
                                   std::to_string(kMaxProjectFileBytes) + " bytes");
    try {
        return readWholeFile(path);
    } catch (const std::exception& e) {
        throw ProjectFileError(path, "", std::string("cannot read the ") + what + ": " + e.what());
    }
}

} // namespace

std::string projectFolderOf(const std::string& projectPath) {
    return folderOf(projectPath);
}

Project projectFromJsonText(const std::string& text, const std::string& file, const std::string& baseDir) {
    return parse(parseText(text, file), file, baseDir);
}

std::string projectToJsonText(const Project& project, const std::string& baseDir) {
    return toJson(project, baseDir).dump(2) + "\n";
}

Project loadProject(const std::string& path) {
    const std::string text = readProjectText(path, "project");
    if (text.empty())
        throw ProjectFileError(path, "", "the file is empty");
    return projectFromJsonText(text, path, folderOf(path));
}

void saveProject(const Project& project, const std::string& path) {
    // Before writing: the leftovers of a killed save may be what fills the disk.
    removeStaleTemporaryFiles(path);
    writeFileAtomically(path, projectToJsonText(project, folderOf(path)));
}

std::string writeAutosave(const Project& project, const std::string& originalPath,
                          const std::string& autosaveDir, const std::string& untitledKey) {
    fs::create_directories(autosaveDir);
    std::string key =
        originalPath.empty() ? untitledKey : fs::absolute(originalPath).lexically_normal().string();
    // A readable, unique file name: the project's stem plus a hash of its full path.
    std::string stem = originalPath.empty() ? untitledKey : fs::path(originalPath).stem().string();
    const size_t h = std::hash<std::string>{}(key);
    char hex[20];
    std::snprintf(hex, sizeof hex, "%016zx", h);
    const std::string file = (fs::path(autosaveDir) / (stem + "-" + hex + ".mbproj.autosave")).string();
    json j = toJson(project, ""); // absolute paths: the copy lives in another folder
    j["autosave"] = {
        {"original_path", originalPath.empty() ? "" : fs::absolute(originalPath).lexically_normal().string()},
        {"saved", utcNowIso8601()}};
    removeStaleTemporaryFiles(file);
    writeFileAtomically(file, j.dump(2) + "\n");
    return file;
}

Project readAutosave(const std::string& autosavePath, AutosaveInfo* info) {
    const std::string text = readProjectText(autosavePath, "autosave");
    json j = parseText(text, autosavePath);
    Project p = parse(j, autosavePath, folderOf(autosavePath));
    if (info) {
        info->autosavePath = autosavePath;
        In r(j, "$", autosavePath);
        In a = r.at("autosave");
        info->originalPath = a.str("original_path", "");
        info->savedUtc = a.str("saved", "");
    }
    return p;
}

std::vector<AutosaveInfo> listAutosaves(const std::string& autosaveDir) {
    std::vector<std::pair<fs::file_time_type, AutosaveInfo>> found;
    std::error_code ec;
    if (!fs::is_directory(autosaveDir, ec))
        return {};
    for (const auto& e : fs::directory_iterator(autosaveDir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.size() < 16 || name.substr(name.size() - 16) != ".mbproj.autosave")
            continue;
        try {
            AutosaveInfo info;
            (void)readAutosave(e.path().string(), &info);
            found.push_back({fs::last_write_time(e.path(), ec), info});
        } catch (const std::exception&) {
            // An unreadable autosave is not a recovery candidate.
        }
    }
    std::sort(found.begin(), found.end(), [](auto& a, auto& b) { return a.first > b.first; });
    std::vector<AutosaveInfo> out;
    for (auto& f : found)
        out.push_back(f.second);
    return out;
}

Project makeNewProject() {
    Project p;
    Subject s;
    s.id = "subject";
    s.className = "toy";
    p.subjects.push_back(s);
    p.shot.prompt = "a {subject} on the beach";
    BoxTrack t;
    t.subjectId = s.id;
    t.keys.push_back({0.0, {0.1, 0.35, 0.35, 0.85}, Easing::easeInOut()});
    t.keys.push_back({1.0, {0.65, 0.35, 0.9, 0.85}, Easing::easeInOut()});
    p.boxTracks.push_back(t);
    return p;
}

} // namespace mb
