// Hostile projects (issue 17): broken images found by validate with their JSON path and file, paths that
// leave the project folder warned about, absurd and unreadable numbers and runaway texts refused at load
// with the file, the JSON path and the allowed range.
#include "doc/atomic_file.h"
#include "doc/project_io.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace mb;
namespace fs = std::filesystem;

namespace {

const std::string kImages = std::string(MB_TEST_DATA) + "/images";

struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name) {
        path = fs::temp_directory_path() / ("mb-limits-" + name + "-" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string write(const std::string& name, const std::string& bytes) const {
        const fs::path p = path / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << bytes;
        return p.string();
    }
};

/** A valid project text whose box, camera and prompt can be replaced. */
std::string projectText(const std::string& box = "[0.1, 0.2, 0.4, 0.8]",
                        const std::string& offset = "[0.25, 0]",
                        const std::string& prompt = "a {robot} on the beach",
                        const std::string& photo = "toy.png", const std::string& mask = "toy_mask.png",
                        const std::string& background = "") {
    return R"({"format_version": 1,
  "shot": {"prompt": ")" +
           prompt + R"(", "frames": 8, "width": 64, "height": 64, "guidance_scale": 7.5},
  "subjects": [{"id": "robot", "class_name": "toy robot",
                "photos": [{"image": ")" +
           photo + R"(", "mask": ")" + mask + R"("}]}],
  "box_tracks": [{"subject": "robot", "keyframes": [{"time": 0, "box": )" +
           box + R"(}]}],
  "camera": {"keyframes": [{"time": 0, "offset": [0, 0]}, {"time": 1, "offset": )" +
           offset + R"(}]},
  "background": ")" +
           background + R"("})";
}

ProjectFileError loadError(const std::string& path) {
    try {
        (void)loadProject(path);
    } catch (const ProjectFileError& e) {
        return e;
    }
    ADD_FAILURE() << path << " loaded";
    return ProjectFileError(path, "", "");
}

const ValidationIssue* findIssue(const std::vector<ValidationIssue>& issues, ValidationIssue::Severity sev,
                                 const std::string& where, const std::string& words) {
    for (const auto& i : issues)
        if (i.severity == sev && i.where == where && i.message.find(words) != std::string::npos)
            return &i;
    return nullptr;
}

std::string listIssues(const std::vector<ValidationIssue>& issues) {
    std::string s;
    for (const auto& i : issues)
        s += i.where + ": " + i.message + "\n";
    return s;
}

} // namespace

TEST(ProjectLimits, ValidateReadsTheHeadersOfPhotosMasksAndBackgrounds) {
    TempDir dir("images");
    const std::string png = readWholeFile(kImages + "/toy.png");
    dir.write("toy.png", png);
    dir.write("toy_mask.png", readWholeFile(kImages + "/toy_mask.png"));
    const std::string good = dir.write("good.mbproj", projectText());
    const auto ok = validateProject(loadProject(good), 8, projectFolderOf(good));
    for (const auto& i : ok)
        EXPECT_NE(i.severity, ValidationIssue::Severity::Error) << i.where << ": " << i.message;

    // A truncated photo, a text file as mask, a background with a giant header: each an error at its path.
    const std::string half = dir.write("half.png", png.substr(0, png.size() / 2));
    const std::string text = dir.write("mask.png", "not an image\n");
    std::string huge = png;
    huge.replace(16, 8, std::string("\x00\x01\x86\xa0\x00\x01\x86\xa0", 8)); // 100000 x 100000, CRC now wrong
    const std::string hugeFile = dir.write("bg.png", huge);
    const std::string bad =
        dir.write("bad.mbproj", projectText("[0.1, 0.2, 0.4, 0.8]", "[0.25, 0]", "a {robot}", "half.png",
                                            "mask.png", "bg.png"));
    const auto issues = validateProject(loadProject(bad), 8, projectFolderOf(bad));
    const auto* photo =
        findIssue(issues, ValidationIssue::Severity::Error, "$.subjects[0].photos[0].image", "truncated PNG");
    ASSERT_NE(photo, nullptr) << listIssues(issues);
    EXPECT_NE(photo->message.find(half), std::string::npos) << photo->message;
    const auto* mask =
        findIssue(issues, ValidationIssue::Severity::Error, "$.subjects[0].photos[0].mask", "not an image");
    ASSERT_NE(mask, nullptr) << listIssues(issues);
    EXPECT_NE(mask->message.find(text), std::string::npos) << mask->message;
    const auto* bg = findIssue(issues, ValidationIssue::Severity::Error, "$.background", "corrupt PNG");
    ASSERT_NE(bg, nullptr) << listIssues(issues);
    EXPECT_NE(bg->message.find(hugeFile), std::string::npos) << bg->message;
}

TEST(ProjectLimits, ValidateReportsAHugeHeaderByItsSize) {
    TempDir dir("huge");
    std::string png = readWholeFile(kImages + "/toy.png");
    dir.write("toy_mask.png", readWholeFile(kImages + "/toy_mask.png"));
    // toy.png's IHDR with 100000 x 100000 and its checksum recomputed: only the size is wrong.
    std::string ihdr = png.substr(12, 17);
    ihdr.replace(4, 8, std::string("\x00\x01\x86\xa0\x00\x01\x86\xa0", 8));
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char ch : ihdr) {
        c ^= ch;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    c ^= 0xFFFFFFFFu;
    png.replace(12, 17, ihdr);
    png.replace(29, 4, std::string{char(c >> 24), char(c >> 16), char(c >> 8), char(c)});
    dir.write("toy.png", png);
    const std::string file = dir.write("p.mbproj", projectText());
    const auto issues = validateProject(loadProject(file), 8);
    EXPECT_NE(findIssue(issues, ValidationIssue::Severity::Error, "$.subjects[0].photos[0].image",
                        "100000 x 100000 pixels"),
              nullptr)
        << listIssues(issues);
}

TEST(ProjectLimits, ValidateWarnsOnImagesOutsideTheProjectFolder) {
    TempDir dir("outside");
    dir.write("assets/toy.png", readWholeFile(kImages + "/toy.png"));
    dir.write("assets/toy_mask.png", readWholeFile(kImages + "/toy_mask.png"));
    const std::string file =
        dir.write("proj/p.mbproj", projectText("[0.1, 0.2, 0.4, 0.8]", "[0.25, 0]", "a {robot}",
                                               "../assets/toy.png", kImages + "/toy_mask.png"));
    const auto issues = validateProject(loadProject(file), 8, projectFolderOf(file));
    EXPECT_NE(findIssue(issues, ValidationIssue::Severity::Warning, "$.subjects[0].photos[0].image",
                        "outside the project folder"),
              nullptr)
        << listIssues(issues);
    EXPECT_NE(findIssue(issues, ValidationIssue::Severity::Warning, "$.subjects[0].photos[0].mask",
                        "outside the project folder"),
              nullptr)
        << listIssues(issues);
    for (const auto& i : issues)
        EXPECT_NE(i.severity, ValidationIssue::Severity::Error) << i.where << ": " << i.message;
    // Inside the folder: no such warning.
    const std::string inside = dir.write("assets/p.mbproj", projectText());
    for (const auto& i : validateProject(loadProject(inside), 8, projectFolderOf(inside)))
        EXPECT_EQ(i.message.find("outside the project folder"), std::string::npos) << i.message;
}

TEST(ProjectLimits, AbsurdNumbersAreRefusedWithPathAndRange) {
    TempDir dir("numbers");
    struct Case {
        std::string box, offset, path, words;
    } cases[] = {
        {"[1e308, 0.2, 0.4, 0.8]", "[0.25, 0]", "$.box_tracks[0].keyframes[0].box[0]",
         "within -10..10, is 1e+308"},
        {"[0.1, 0.2, 0.4, 0.8]", "[1e308, 0]", "$.camera.keyframes[1].offset[0]",
         "within -10..10, is 1e+308"},
        {"[0.1, 0.2, 0.4, -1e308]", "[0.25, 0]", "$.box_tracks[0].keyframes[0].box[3]", "within -10..10"},
        {"[0.1, 0.2, 0.4, 0.8]", "[0, 11]", "$.camera.keyframes[1].offset[1]", "within -10..10, is 11"},
        {"[1e999, 0.2, 0.4, 0.8]", "[0.25, 0]", "$.box_tracks[0].keyframes[0].box[0]",
         "the number 1e999 is too large for a number; allowed: -10..10"},
        {"[0.1, 0.2, 0.4, 0.8]", "[0.25, -1e999]", "$.camera.keyframes[1].offset[1]",
         "the number -1e999 is too large for a number; allowed: -10..10"},
    };
    int n = 0;
    for (const auto& c : cases) {
        const std::string file =
            dir.write("p" + std::to_string(n++) + ".mbproj", projectText(c.box, c.offset));
        const ProjectFileError e = loadError(file);
        EXPECT_EQ(e.file(), file);
        EXPECT_EQ(e.jsonPath(), c.path) << e.what();
        EXPECT_NE(e.problem().find(c.words), std::string::npos) << e.what();
        const std::string what = e.what();
        EXPECT_NE(what.find(file), std::string::npos) << what;
        EXPECT_EQ(what.find("json.exception"), std::string::npos) << what;
    }
    // Other numbers: fps, guidance, edit scale, with a 1e999 elsewhere in the file.
    const std::string fps = dir.write("fps.mbproj", R"({"format_version": 1, "shot": {"fps": 1e999}})");
    EXPECT_EQ(loadError(fps).jsonPath(), "$.shot.fps");
    EXPECT_NE(loadError(fps).problem().find("(0..1000]"), std::string::npos) << loadError(fps).what();
    const std::string g =
        dir.write("g.mbproj", R"({"format_version": 1, "shot": {"guidance_scale": 1e300}})");
    EXPECT_EQ(loadError(g).jsonPath(), "$.shot.guidance_scale");
    EXPECT_NE(loadError(g).problem().find("within 0..100"), std::string::npos) << loadError(g).what();
    const std::string es = dir.write("e.mbproj", R"({"format_version": 1, "render": {"edit_scale": -5}})");
    EXPECT_EQ(loadError(es).jsonPath(), "$.render.edit_scale");
    const std::string key = dir.write(
        "k.mbproj",
        R"({"format_version": 1, "takes": [{"video": "a.mp4"}, {"video": "b.mp4", "seed": 1e999}]})");
    EXPECT_EQ(loadError(key).jsonPath(), "$.takes[1].seed") << loadError(key).what();
}

TEST(ProjectLimits, ARunawayPromptIsRefusedAtLoad) {
    TempDir dir("prompt");
    const std::string longPrompt(kMaxProjectTextBytes + 1, 'a');
    const std::string file =
        dir.write("p.mbproj", projectText("[0.1, 0.2, 0.4, 0.8]", "[0.25, 0]", longPrompt));
    const ProjectFileError e = loadError(file);
    EXPECT_EQ(e.jsonPath(), "$.shot.prompt");
    EXPECT_NE(e.problem().find("at most 16384 bytes"), std::string::npos) << e.problem().substr(0, 200);
    // A prompt of the allowed length loads.
    const std::string okFile = dir.write("ok.mbproj", projectText("[0.1, 0.2, 0.4, 0.8]", "[0.25, 0]",
                                                                  std::string(kMaxProjectTextBytes, 'a')));
    EXPECT_EQ(loadProject(okFile).shot.prompt.size(), kMaxProjectTextBytes);
    // A 200 MB project file (its prompt) is refused by its size before it is read.
    const std::string big = (dir.path / "big.mbproj").string();
    {
        std::ofstream f(big, std::ios::binary);
        f << R"({"format_version": 1, "shot": {"prompt": ")";
    }
    fs::resize_file(big, 200ull << 20);
    const ProjectFileError b = loadError(big);
    EXPECT_NE(b.problem().find("a project has at most"), std::string::npos) << b.what();
}
