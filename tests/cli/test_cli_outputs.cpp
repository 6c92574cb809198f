// Output paths the CLI must refuse without touching them (a FIFO, a directory, a link to a FIFO), outputs
// that are links written through, validate's report of a missing fine-tuned checkpoint, and the checkpoint
// path that train, run from another folder, stores in the project.
#include "doc/project_io.h"
#include "media/video_io.h"

#include "cli_runner.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

const std::string kDemo = std::string(MB_SOURCE_DIR) + "/resources/demo/demo.mbproj";

struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name) {
        path = fs::temp_directory_path() / ("mb-cli-outputs-" + name + "-" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

bool isFifo(const fs::path& p) {
    struct stat st;
    return ::lstat(p.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

int countEntries(const fs::path& dir) {
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir))
        n += int(!e.path().empty());
    return n;
}

} // namespace

// Never /dev/full or /dev/null here: if the check regressed, the test would replace the machine's device.
TEST(CliOutputs, AnimaticRefusesAFifoAndLeavesIt) {
    TempDir dir("fifo");
    const fs::path fifo = dir.path / "out.mp4";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    const mbtest::CliResult r = mbtest::runCli("animatic " + kDemo + " -o " + fifo.string());
    EXPECT_NE(r.code, 0) << r.out;
    EXPECT_NE(r.out.find(fifo.string() + ": is a FIFO"), std::string::npos) << r.out;
    EXPECT_TRUE(isFifo(fifo)) << "the FIFO was replaced";
    EXPECT_EQ(countEntries(dir.path), 1) << "a temporary file was left behind";
}

TEST(CliOutputs, AnimaticRefusesADirectoryAndLeavesIt) {
    TempDir dir("dir");
    const fs::path out = dir.path / "out.mp4";
    fs::create_directories(out);
    const mbtest::CliResult r = mbtest::runCli("animatic " + kDemo + " -o " + out.string());
    EXPECT_NE(r.code, 0) << r.out;
    EXPECT_NE(r.out.find(out.string() + ": is a directory"), std::string::npos) << r.out;
    EXPECT_TRUE(fs::is_directory(out));
    EXPECT_TRUE(fs::is_empty(out));
    EXPECT_EQ(countEntries(dir.path), 1);
}

TEST(CliOutputs, AnimaticRefusesALinkToAFifoAndWritesThroughALinkToAFile) {
    TempDir dir("links");
    const fs::path fifo = dir.path / "pipe";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    fs::create_symlink("pipe", dir.path / "to-pipe.mp4");
    const mbtest::CliResult bad =
        mbtest::runCli("animatic " + kDemo + " -o " + (dir.path / "to-pipe.mp4").string());
    EXPECT_NE(bad.code, 0) << bad.out;
    EXPECT_NE(bad.out.find("is a FIFO"), std::string::npos) << bad.out;
    EXPECT_TRUE(fs::is_symlink(dir.path / "to-pipe.mp4"));
    EXPECT_TRUE(isFifo(fifo));

    fs::create_directories(dir.path / "real");
    std::ofstream(dir.path / "real/take.mp4") << "old";
    fs::create_symlink("real/take.mp4", dir.path / "take.mp4");
    const mbtest::CliResult ok =
        mbtest::runCli("animatic " + kDemo + " -o " + (dir.path / "take.mp4").string());
    ASSERT_EQ(ok.code, 0) << ok.out;
    EXPECT_TRUE(fs::is_symlink(dir.path / "take.mp4")) << "the link was replaced by the video";
    EXPECT_EQ(mb::media::probeVideo((dir.path / "real/take.mp4").string()).frames,
              mb::loadProject(kDemo).shot.frames);
    EXPECT_EQ(countEntries(dir.path / "real"), 1);
}

TEST(CliOutputs, ValidateReportsAMissingCheckpointWithItsJsonPath) {
    TempDir dir("validate");
    mb::Project p = mb::loadProject(kDemo); // absolute paths to the demo's photos
    const fs::path checkpoint = dir.path / "shot.mbproj.checkpoints/subjects.safetensors";
    p.render.checkpoint = checkpoint.string();
    const std::string project = (dir.path / "shot.mbproj").string();
    mb::saveProject(p, project);
    const mbtest::CliResult missing = mbtest::runCli("validate " + project);
    EXPECT_EQ(missing.code, 1) << missing.out;
    EXPECT_NE(missing.out.find(project +
                               ": $.render.checkpoint: error: checkpoint not found: " + checkpoint.string()),
              std::string::npos)
        << missing.out;
    EXPECT_NE(missing.out.find("invalid"), std::string::npos) << missing.out;
    // Stored relative to the project: validating from another folder finds it once it is there.
    fs::create_directories(checkpoint.parent_path());
    std::ofstream(checkpoint) << "weights";
    const mbtest::CliResult found = mbtest::runCli("validate " + project);
    EXPECT_EQ(found.code, 0) << found.out;
    EXPECT_EQ(found.out.find("$.render.checkpoint"), std::string::npos) << found.out;
}

TEST(CliOutputs, TrainFromAnotherFolderStoresTheCheckpointRelativeToTheProject) {
    // One step of the tiny random model at a tiny size: about a second.
    TempDir dir("train");
    const fs::path demo = fs::path(MB_SOURCE_DIR) / "resources/demo";
    fs::create_directories(dir.path / "shell");
    fs::create_directories(dir.path / "proj");
    fs::copy(demo / "subject", dir.path / "proj/subject", fs::copy_options::recursive);
    fs::copy_file(demo / "background.jpg", dir.path / "proj/background.jpg");
    fs::copy_file(demo / "demo.mbproj", dir.path / "proj/demo.mbproj");
    const std::string tiny = std::string(MB_TEST_DATA) + "/reference/tiny";
    const fs::path before = fs::current_path();
    fs::current_path(dir.path / "shell");
    const mbtest::CliResult r = mbtest::runCli("train ../proj/demo.mbproj --model " + tiny +
                                               " --size 48x32 --frames 4 --threads 2 --steps 1");
    fs::current_path(before);
    ASSERT_EQ(r.code, 0) << r.out;
    const fs::path checkpoint = dir.path / "proj/demo.mbproj.checkpoints/subjects.safetensors";
    ASSERT_TRUE(fs::is_regular_file(checkpoint));
    std::ifstream in(dir.path / "proj/demo.mbproj");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("\"checkpoint\": \"demo.mbproj.checkpoints/subjects.safetensors\""),
              std::string::npos)
        << text;
    // From this test's own folder: the project is valid and renders with the checkpoint.
    const std::string project = (dir.path / "proj/demo.mbproj").string();
    const mbtest::CliResult v = mbtest::runCli("validate " + project);
    EXPECT_EQ(v.code, 0) << v.out;
    const mbtest::CliResult render =
        mbtest::runCli("render " + project + " -o " + (dir.path / "take.mp4").string() + " --model " + tiny +
                       " --frames 4 --size 48x32 --steps 2 --threads 2");
    EXPECT_EQ(render.code, 0) << render.out;
}
