// Project files: JSON round trip, relative paths, version refusal, malformed files, atomic save, autosave.
#include "doc/atomic_file.h"
#include "doc/project_io.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace mb;
namespace fs = std::filesystem;

namespace {

const std::string kProjects = std::string(MB_TEST_DATA) + "/projects";

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() /
               ("mb-doc-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path, ec);
    }
    static int& counter() {
        static int c = 0;
        return c;
    }
};

std::string fileHash(const std::string& path) {
    return readWholeFile(path);
}

} // namespace

TEST(ProjectIo, LoadsTheGoodFixture) {
    Project p = loadProject(kProjects + "/good.mbproj");
    EXPECT_EQ(p.shot.frames, 16);
    EXPECT_EQ(p.shot.seed, 7u);
    ASSERT_EQ(p.subjects.size(), 1u);
    EXPECT_EQ(p.subjects[0].phrase(), "sks toy robot");
    EXPECT_EQ(p.resolvedPrompt(), "a sks toy robot walking on the beach");
    // Relative paths became absolute, relative to the project's folder.
    EXPECT_TRUE(fs::path(p.subjects[0].photos[0].image).is_absolute());
    EXPECT_EQ(fs::path(p.subjects[0].photos[0].image).filename(), "toy.png");
    EXPECT_EQ(fs::path(p.subjects[0].photos[0].image).parent_path().filename(), "images");
    EXPECT_EQ(p.boxTracks[0].keys[0].easing, Easing::easeInOut());
    EXPECT_NEAR(p.camera.totalPan().x, 0.25, 1e-12);
}

TEST(ProjectIo, LoadingNeverChangesTheFile) {
    const std::string path = kProjects + "/good.mbproj";
    const std::string before = fileHash(path);
    const auto mtime = fs::last_write_time(path);
    (void)loadProject(path);
    EXPECT_EQ(fileHash(path), before);
    EXPECT_EQ(fs::last_write_time(path), mtime);
}

TEST(ProjectIo, RoundTripKeepsEverythingAndPathsStayRelative) {
    TempDir dir;
    fs::create_directories(dir.path / "assets");
    Project p = makeNewProject();
    p.subjects[0].photos.push_back(
        {(dir.path / "assets/a.png").string(), (dir.path / "assets/a_mask.png").string()});
    p.background = (dir.path / "assets/bg.jpg").string();
    p.shot.seed = 18446744073709551615ull; // full 64-bit seeds survive
    p.shot.fps = 12.5;
    p.camera = CameraPath::constantPan(-0.5, 0.3);
    p.camera.keys[0].easing = Easing::bezier(0.1, 0.7, 0.2, 1.3);
    p.render.letterbox = Letterbox::Fit;
    p.render.suppressOtherWords = false;
    p.takes.push_back({(dir.path / "takes/t1.mp4").string(), (dir.path / "takes/t1.json").string(), 42,
                       "2026-01-01T00:00:00Z"});
    const std::string file = (dir.path / "shot.mbproj").string();
    saveProject(p, file);
    const std::string text = readWholeFile(file);
    EXPECT_NE(text.find("\"assets/a.png\""), std::string::npos) << text;
    EXPECT_EQ(text.find(dir.path.string()), std::string::npos) << "absolute path leaked into the file";
    Project q = loadProject(file);
    EXPECT_EQ(p, q);
    // Moving the whole folder keeps it working: paths are relative.
    const fs::path moved = dir.path.string() + "-moved";
    fs::rename(dir.path, moved);
    Project r = loadProject((moved / "shot.mbproj").string());
    EXPECT_EQ(fs::path(r.subjects[0].photos[0].image), (moved / "assets/a.png").lexically_normal());
    fs::rename(moved, dir.path);
}

TEST(ProjectIo, RefusesANewerFormatVersion) {
    try {
        (void)loadProject(kProjects + "/newer_version.mbproj");
        FAIL() << "accepted a newer format";
    } catch (const ProjectFileError& e) {
        EXPECT_EQ(e.jsonPath(), "$.format_version");
        EXPECT_NE(std::string(e.what()).find("newer_version.mbproj"), std::string::npos);
        EXPECT_NE(e.problem().find("newer"), std::string::npos);
        EXPECT_NE(e.problem().find("99"), std::string::npos);
    }
}

struct BrokenCase {
    const char* file;
    const char* jsonPath; // expected path of the problem ("" = whole file)
    const char* words;    // expected words in the problem
};

class BrokenProject : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenProject, IsRefusedWithFileJsonPathAndProblem) {
    const BrokenCase c = GetParam();
    const std::string path = kProjects + "/" + c.file;
    const std::string before = fs::exists(path) ? fileHash(path) : "";
    try {
        (void)loadProject(path);
        FAIL() << c.file << " was accepted";
    } catch (const ProjectFileError& e) {
        EXPECT_EQ(e.file(), path);
        EXPECT_EQ(e.jsonPath(), c.jsonPath) << e.what();
        EXPECT_NE(e.problem().find(c.words), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(c.file), std::string::npos);
    }
    if (fs::exists(path)) {
        EXPECT_EQ(fileHash(path), before);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BrokenProject,
    ::testing::Values(
        BrokenCase{"truncated.mbproj", "", "not valid JSON"},
        BrokenCase{"not_json.mbproj", "", "not valid JSON"}, BrokenCase{"empty.mbproj", "", "empty"},
        BrokenCase{"array_root.mbproj", "$", "not a MotionBooth project"},
        BrokenCase{"no_version.mbproj", "$", "format_version"},
        BrokenCase{"frames_not_number.mbproj", "$.shot.frames", "integer"},
        BrokenCase{"frames_zero.mbproj", "$.shot.frames", "between 1"},
        BrokenCase{"box_no_area.mbproj", "$.box_tracks[0].keyframes[1].box", "no area"},
        BrokenCase{"box_short.mbproj", "$.box_tracks[0].keyframes[1].box", "[x0, y0, x1, y1]"},
        BrokenCase{"keys_unsorted.mbproj", "$.box_tracks[0].keyframes[1].time", "sorted"},
        BrokenCase{"bad_easing.mbproj", "$.box_tracks[0].keyframes[0].easing", "unknown easing"},
        BrokenCase{"bezier_out_of_range.mbproj", "$.box_tracks[0].keyframes[0].easing.bezier", "0..1"},
        BrokenCase{"subject_without_id.mbproj", "$.subjects[0].id", "missing"},
        BrokenCase{"negative_seed.mbproj", "$.shot.seed", "non-negative"},
        BrokenCase{"camera_no_keys.mbproj", "$.camera.keyframes", "at least one"},
        BrokenCase{"time_out_of_range.mbproj", "$.box_tracks[0].keyframes[0].time", "within 0..1"},
        BrokenCase{"bad_letterbox.mbproj", "$.render.letterbox", "squash"},
        BrokenCase{"fps_zero.mbproj", "$.shot.fps", "fps"},
        BrokenCase{"does_not_exist.mbproj", "", "cannot read"}));

struct InvalidCase {
    const char* file;
    const char* where;
    const char* words;
};
class InvalidProject : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidProject, LoadsButValidationReportsIt) {
    const InvalidCase c = GetParam();
    Project p = loadProject(kProjects + "/" + c.file);
    bool found = false;
    for (const auto& i : validateProject(p, 8))
        if (i.severity == ValidationIssue::Severity::Error && i.where == c.where &&
            i.message.find(c.words) != std::string::npos)
            found = true;
    EXPECT_TRUE(found) << c.file;
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, InvalidProject,
    ::testing::Values(
        InvalidCase{"invalid_box_outside.mbproj", "$.box_tracks[0].keyframes[1].box", "outside the frame"},
        InvalidCase{"invalid_size.mbproj", "$.shot", "multiple of 8"},
        InvalidCase{"invalid_unknown_subject.mbproj", "$.box_tracks[0].subject", "unknown subject"},
        InvalidCase{"invalid_prompt_placeholder.mbproj", "$.shot.prompt", "{dog}"},
        InvalidCase{"invalid_missing_photo.mbproj", "$.subjects[0].photos[0].image", "not found"}));

TEST(ProjectIo, GoodFixtureValidatesWithoutErrors) {
    Project p = loadProject(kProjects + "/good.mbproj");
    for (const auto& i : validateProject(p, 8))
        EXPECT_NE(i.severity, ValidationIssue::Severity::Error) << i.where << ": " << i.message;
}

TEST(AtomicSave, AFailedWriteLeavesTheOldFileIntact) {
    TempDir dir;
    const std::string file = (dir.path / "p.mbproj").string();
    Project p = makeNewProject();
    saveProject(p, file);
    const std::string before = readWholeFile(file);
    // A save that cannot create its temporary file fails and leaves the old file alone (a path under a
    // regular file cannot hold files, for root too).
    Project changed = p;
    changed.shot.frames = 99;
    EXPECT_THROW(saveProject(changed, (dir.path / "p.mbproj/inside").string()), std::runtime_error);
    EXPECT_EQ(readWholeFile(file), before);
    // /dev/full: writes fail with ENOSPC, like a full disk.
    EXPECT_THROW(writeFileAtomically("/dev/full/x", "data"), std::runtime_error);
    // No temporary files are left behind.
    int count = 0;
    for (auto& e : fs::directory_iterator(dir.path)) {
        (void)e;
        ++count;
    }
    EXPECT_EQ(count, 1);
}

TEST(AtomicSave, FullDiskIsReportedAndOldFileKept) {
    // A tiny tmpfs cannot be mounted without privileges everywhere; emulate a full disk with RLIMIT_FSIZE.
    TempDir dir;
    const std::string file = (dir.path / "big.mbproj").string();
    writeFileAtomically(file, "old contents");
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        struct rlimit lim {
            1024, 1024
        };
        setrlimit(RLIMIT_FSIZE, &lim);
        signal(SIGXFSZ, SIG_IGN);
        try {
            writeFileAtomically(file, std::string(100000, 'x'));
            _exit(3); // must not succeed
        } catch (const std::runtime_error& e) {
            const std::string msg = e.what();
            _exit(msg.find("big.mbproj") != std::string::npos ? 0 : 4);
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_EQ(readWholeFile(file), "old contents");
}

TEST(Autosave, RemembersTheOriginalPathAndRecovers) {
    TempDir dir;
    const std::string original = (dir.path / "work/shot.mbproj").string();
    fs::create_directories(dir.path / "work");
    Project p = makeNewProject();
    p.subjects[0].photos.push_back({(dir.path / "work/photo.png").string(), ""});
    saveProject(p, original);
    p.shot.frames = 33; // unsaved edit
    const std::string autosaveDir = (dir.path / "autosave").string();
    const std::string a1 = writeAutosave(p, original, autosaveDir);
    const std::string a2 = writeAutosave(p, original, autosaveDir);
    EXPECT_EQ(a1, a2); // one autosave file per project
    auto list = listAutosaves(autosaveDir);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(fs::path(list[0].originalPath), fs::path(original));
    AutosaveInfo info;
    Project q = readAutosave(list[0].autosavePath, &info);
    EXPECT_EQ(q.shot.frames, 33);
    EXPECT_EQ(q, p);
    EXPECT_FALSE(info.savedUtc.empty());
    // The original file still holds the last saved state.
    EXPECT_EQ(loadProject(original).shot.frames, 24);
    // Untitled projects autosave too.
    writeAutosave(makeNewProject(), "", autosaveDir, "untitled-1");
    EXPECT_EQ(listAutosaves(autosaveDir).size(), 2u);
}

namespace {

/** Runs with the current folder set to `dir`, restoring it afterwards (also when `f` fails). */
void inFolder(const fs::path& dir, const std::function<void()>& f) {
    const fs::path before = fs::current_path();
    fs::current_path(dir);
    try {
        f();
    } catch (...) {
        fs::current_path(before);
        throw;
    }
    fs::current_path(before);
}

bool hasIssueAt(const Project& p, const std::string& where, const std::string& words) {
    for (const auto& i : validateProject(p, 8))
        if (i.severity == ValidationIssue::Severity::Error && i.where == where &&
            i.message.find(words) != std::string::npos)
            return true;
    return false;
}

} // namespace

TEST(ProjectIo, RelativePathsInMemoryAreStoredRelativeToTheProjectNotTheCurrentFolder) {
    // What `train ../proj/p.mbproj` run from another folder produced: a checkpoint path relative to the
    // shell's folder. Stored as is, it would be read back relative to the project's folder.
    TempDir dir;
    fs::create_directories(dir.path / "shell");
    fs::create_directories(dir.path / "proj/p.mbproj.checkpoints");
    const fs::path checkpoint = dir.path / "proj/p.mbproj.checkpoints/subjects.safetensors";
    std::ofstream(checkpoint) << "weights";
    Project p = makeNewProject();
    inFolder(dir.path / "shell", [&] {
        p.render.checkpoint = "../proj/p.mbproj.checkpoints/subjects.safetensors";
        p.background = "../proj/bg.jpg";
        saveProject(p, "../proj/p.mbproj");
    });
    const std::string text = readWholeFile((dir.path / "proj/p.mbproj").string());
    EXPECT_NE(text.find("\"checkpoint\": \"p.mbproj.checkpoints/subjects.safetensors\""), std::string::npos)
        << text;
    EXPECT_NE(text.find("\"background\": \"bg.jpg\""), std::string::npos) << text;
    // Read back from anywhere, it names the file train wrote.
    Project q = loadProject((dir.path / "proj/p.mbproj").string());
    EXPECT_EQ(fs::path(q.render.checkpoint), checkpoint.lexically_normal());
    EXPECT_EQ(fs::path(q.background), (dir.path / "proj/bg.jpg").lexically_normal());
    EXPECT_FALSE(hasIssueAt(q, "$.render.checkpoint", ""));
    // Autosave copies store absolute paths, relative ones in memory included.
    Project rel = makeNewProject();
    inFolder(dir.path / "shell", [&] {
        rel.render.checkpoint = "ck.safetensors";
        const std::string a = writeAutosave(rel, "", (dir.path / "autosave").string());
        EXPECT_NE(readWholeFile(a).find("\"checkpoint\": \"" + (dir.path / "shell/ck.safetensors").string()),
                  std::string::npos);
    });
}

TEST(ProjectIo, ValidationReportsAMissingCheckpoint) {
    TempDir dir;
    Project p = makeNewProject();
    p.render.checkpoint = (dir.path / "gone.safetensors").string();
    EXPECT_TRUE(hasIssueAt(p, "$.render.checkpoint", "checkpoint not found: " + p.render.checkpoint));
    fs::create_directories(p.render.checkpoint);
    EXPECT_TRUE(hasIssueAt(p, "$.render.checkpoint", "not a file"));
    fs::remove(p.render.checkpoint);
    std::ofstream(p.render.checkpoint) << "weights";
    EXPECT_FALSE(hasIssueAt(p, "$.render.checkpoint", ""));
    p.render.checkpoint.clear(); // no checkpoint: nothing to check
    EXPECT_FALSE(hasIssueAt(p, "$.render.checkpoint", ""));
}

TEST(AtomicSave, SavingASymlinkedProjectWritesThroughToItsTarget) {
    TempDir dir;
    fs::create_directories(dir.path / "real/assets");
    fs::create_directories(dir.path / "elsewhere");
    const fs::path real = dir.path / "real/shot.mbproj", link = dir.path / "elsewhere/shot.mbproj";
    Project p = makeNewProject();
    p.subjects[0].photos.push_back({(dir.path / "real/assets/a.png").string(), ""});
    saveProject(p, real.string());
    fs::create_symlink("../real/shot.mbproj", link);

    // Loading through the link resolves relative paths against the real file's folder.
    Project viaLink = loadProject(link.string());
    EXPECT_EQ(viaLink, p);
    viaLink.shot.frames = 31;
    saveProject(viaLink, link.string());
    EXPECT_TRUE(fs::is_symlink(link)) << "the link was replaced by a regular file";
    EXPECT_EQ(fs::read_symlink(link), fs::path("../real/shot.mbproj"));
    const std::string text = readWholeFile(real.string());
    EXPECT_NE(text.find("\"image\": \"assets/a.png\""), std::string::npos) << text;
    EXPECT_EQ(loadProject(real.string()), viaLink);
    EXPECT_EQ(loadProject(link.string()), viaLink);
    // No temporary file next to the link or the target.
    int files = 0;
    for (const auto& d : {dir.path / "real", dir.path / "elsewhere"})
        for (const auto& e : fs::directory_iterator(d))
            files += e.is_regular_file() || e.is_symlink();
    EXPECT_EQ(files, 2);
}

TEST(AtomicSave, SavingRemovesTemporaryFilesOfKilledSavesOnly) {
    TempDir dir;
    const fs::path file = dir.path / "p.mbproj";
    // A save killed before its rename leaves its temporary file; its process is gone.
    const pid_t killed = fork();
    ASSERT_GE(killed, 0);
    if (killed == 0) {
        std::ofstream(dir.path / (".p.mbproj.tmp-" + std::to_string(::getpid()) + "-77")) << "{ half";
        _exit(0);
    }
    int status = 0;
    waitpid(killed, &status, 0);
    const fs::path stale = dir.path / (".p.mbproj.tmp-" + std::to_string(killed) + "-77");
    const fs::path live = dir.path / (".p.mbproj.tmp-" + std::to_string(::getpid()) + "-78");
    std::ofstream(live) << "{ in progress";
    for (const auto& f : {stale, live})
        fs::last_write_time(f, fs::file_time_type::clock::now() - std::chrono::hours(1));
    ASSERT_TRUE(fs::exists(stale));

    saveProject(makeNewProject(), file.string());
    EXPECT_FALSE(fs::exists(stale)) << "a dead writer's temporary file stays forever";
    EXPECT_TRUE(fs::exists(live)) << "a live writer's temporary file was removed";
    EXPECT_TRUE(fs::exists(file));
    // Loading never writes, nor removes anything.
    const fs::path stale2 = dir.path / (".p.mbproj.tmp-" + std::to_string(killed) + "-79");
    std::ofstream(stale2) << "x";
    fs::last_write_time(stale2, fs::file_time_type::clock::now() - std::chrono::hours(1));
    (void)loadProject(file.string());
    EXPECT_TRUE(fs::exists(stale2));
}
