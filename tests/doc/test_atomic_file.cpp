// Output checks of the atomic writers: non-regular outputs refused untouched, symbolic links written through,
// and the clean-up of temporary files that killed writers left behind.
#include "doc/atomic_file.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace mb;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("mb-atomic-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

bool isFifo(const fs::path& p) {
    struct stat st;
    return ::lstat(p.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

void touch(const fs::path& p, const std::string& text, std::chrono::seconds age) {
    std::ofstream(p) << text;
    fs::last_write_time(p, fs::file_time_type::clock::now() - age);
}

/** The PID of a process that has exited and been reaped. */
pid_t deadPid() {
    const pid_t pid = ::fork();
    if (pid == 0)
        ::_exit(0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
}

} // namespace

TEST(OutputCheck, AFifoIsRefusedAndStaysAFifo) {
    TempDir dir;
    const fs::path fifo = dir.path / "out.mp4";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    const std::string msg = errorOf([&] { writeFileAtomically(fifo.string(), "data"); });
    EXPECT_NE(msg.find(fifo.string() + ": is a FIFO"), std::string::npos) << msg;
    EXPECT_TRUE(isFifo(fifo));
    EXPECT_EQ(entries(dir.path), std::vector<std::string>{"out.mp4"}) << "no temporary file left behind";
}

TEST(OutputCheck, ADirectoryIsRefusedAndStaysEmpty) {
    TempDir dir;
    const fs::path sub = dir.path / "out.png";
    fs::create_directories(sub);
    const std::string msg = errorOf([&] { writeFileAtomically(sub.string(), "data"); });
    EXPECT_NE(msg.find(sub.string() + ": is a directory"), std::string::npos) << msg;
    EXPECT_TRUE(fs::is_directory(sub));
    EXPECT_TRUE(fs::is_empty(sub));
    EXPECT_EQ(entries(dir.path), std::vector<std::string>{"out.png"});
}

TEST(OutputCheck, ACharacterDeviceIsRefused) {
    // Only the check itself runs here, never a writer: a regression must not be able to replace a device.
    const std::string msg = errorOf([] { (void)checkWritableOutput("/dev/null"); });
    EXPECT_NE(msg.find("/dev/null: is a character device"), std::string::npos) << msg;
    TempDir dir;
    const fs::path link = dir.path / "null.mp4";
    fs::create_symlink("/dev/null", link);
    const std::string viaLink = errorOf([&] { (void)checkWritableOutput(link.string()); });
    EXPECT_NE(viaLink.find(link.string() + ": is a symbolic link to /dev/null, which is a character device"),
              std::string::npos)
        << viaLink;
}

TEST(OutputCheck, ASymlinkToAFifoIsRefusedAndKept) {
    TempDir dir;
    const fs::path fifo = dir.path / "pipe";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    const fs::path link = dir.path / "out.json";
    fs::create_symlink("pipe", link);
    const std::string msg = errorOf([&] { writeFileAtomically(link.string(), "data"); });
    EXPECT_NE(msg.find(link.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("is a FIFO"), std::string::npos) << msg;
    EXPECT_TRUE(fs::is_symlink(link));
    EXPECT_TRUE(isFifo(fifo));
    EXPECT_EQ(entries(dir.path), (std::vector<std::string>{"out.json", "pipe"}));
}

TEST(OutputCheck, RegularFilesAndNewFilesAreWritten) {
    TempDir dir;
    const fs::path file = dir.path / "a.txt";
    EXPECT_EQ(checkWritableOutput(file.string()), file.string()); // not there yet
    writeFileAtomically(file.string(), "one");
    EXPECT_EQ(checkWritableOutput(file.string()), file.string());
    writeFileAtomically(file.string(), "two");
    EXPECT_EQ(readWholeFile(file.string()), "two");
    EXPECT_EQ(entries(dir.path), std::vector<std::string>{"a.txt"});
}

TEST(OutputCheck, ASymlinkIsWrittenThroughToItsTarget) {
    TempDir dir;
    fs::create_directories(dir.path / "real");
    fs::create_directories(dir.path / "links");
    const fs::path target = dir.path / "real/shot.json";
    std::ofstream(target) << "old";
    // A relative link, resolved against the link's own folder, through a second link.
    const fs::path link1 = dir.path / "links/one.json", link2 = dir.path / "links/two.json";
    fs::create_symlink("../real/shot.json", link1);
    fs::create_symlink("one.json", link2);
    writeFileAtomically(link2.string(), "new");
    EXPECT_TRUE(fs::is_symlink(link1));
    EXPECT_TRUE(fs::is_symlink(link2));
    EXPECT_EQ(readWholeFile(target.string()), "new");
    EXPECT_EQ(entries(dir.path / "real"), std::vector<std::string>{"shot.json"});
    EXPECT_EQ(entries(dir.path / "links"), (std::vector<std::string>{"one.json", "two.json"}));
    // A dangling link creates the file it names.
    const fs::path dangling = dir.path / "links/new.json";
    fs::create_symlink("../real/new.json", dangling);
    writeFileAtomically(dangling.string(), "created");
    EXPECT_TRUE(fs::is_symlink(dangling));
    EXPECT_EQ(readWholeFile((dir.path / "real/new.json").string()), "created");
    // A loop is an error, not a hang.
    fs::create_symlink("loop-b", dir.path / "loop-a");
    fs::create_symlink("loop-a", dir.path / "loop-b");
    const std::string msg = errorOf([&] { writeFileAtomically((dir.path / "loop-a").string(), "x"); });
    EXPECT_NE(msg.find("symbolic links"), std::string::npos) << msg;
}

TEST(OutputCheck, MoveIntoPlaceRefusesWhatAppearedWhileWriting) {
    TempDir dir;
    const fs::path out = dir.path / "out.bin", temp = dir.path / ".out.bin.tmp-1-1";
    const std::string target = checkWritableOutput(out.string()); // nothing there yet
    std::ofstream(temp) << "data";
    ASSERT_EQ(::mkfifo(out.c_str(), 0644), 0); // appears before the rename
    const std::string msg = errorOf([&] { moveIntoPlace(temp.string(), target, out.string()); });
    EXPECT_NE(msg.find(out.string() + ": is a FIFO"), std::string::npos) << msg;
    EXPECT_TRUE(isFifo(out));
    EXPECT_FALSE(fs::exists(temp)) << "the temporary file is removed on refusal";
}

TEST(StaleTemporaryFiles, OnlyOldFilesOfDeadWritersAreRemoved) {
    TempDir dir;
    const pid_t dead = deadPid();
    const std::string me = std::to_string(::getpid()), gone = std::to_string(dead);
    const auto hour = std::chrono::hours(1);
    const fs::path target = dir.path / "p.mbproj";
    std::ofstream(target) << "{}";
    touch(dir.path / (".p.mbproj.tmp-" + gone + "-11"), "x", hour);    // killed save: removed
    touch(dir.path / (".p.mbproj.partial-" + gone + "-7"), "x", hour); // killed encoder: removed
    touch(dir.path / (".p.mbproj.partial-" + gone), "x", hour);        // older encoder name: removed
    touch(dir.path / (".p.mbproj.tmp-" + gone + "-12"), "x", std::chrono::seconds(0)); // too recent: kept
    touch(dir.path / (".p.mbproj.tmp-" + me + "-13"), "x", hour);         // a live writer (us): kept
    touch(dir.path / (".q.mbproj.tmp-" + gone + "-14"), "x", hour);       // another file's: kept
    touch(dir.path / ".p.mbproj.tmp-abc", "x", hour);                     // no PID: kept
    touch(dir.path / (".p.mbproj.tmp-" + gone + "x"), "x", hour);         // not a PID: kept
    fs::create_directories(dir.path / (".p.mbproj.tmp-" + gone + "-15")); // not a file: kept

    EXPECT_EQ(removeStaleTemporaryFiles(target.string()), 3);
    const std::vector<std::string> expected = {".p.mbproj.tmp-" + gone + "-12",
                                               ".p.mbproj.tmp-" + gone + "-15",
                                               ".p.mbproj.tmp-" + gone + "x",
                                               ".p.mbproj.tmp-" + me + "-13",
                                               ".p.mbproj.tmp-abc",
                                               ".q.mbproj.tmp-" + gone + "-14",
                                               "p.mbproj"};
    auto sorted = expected;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(entries(dir.path), sorted);
    // Nothing left to remove; a missing folder is not an error.
    EXPECT_EQ(removeStaleTemporaryFiles(target.string()), 0);
    EXPECT_EQ(removeStaleTemporaryFiles((dir.path / "no/such/file").string()), 0);
}

TEST(StaleTemporaryFiles, AreLookedForNextToTheLinkTarget) {
    TempDir dir;
    fs::create_directories(dir.path / "real");
    std::ofstream(dir.path / "real/p.mbproj") << "{}";
    fs::create_symlink("real/p.mbproj", dir.path / "link.mbproj");
    const std::string gone = std::to_string(deadPid());
    touch(dir.path / "real" / (".p.mbproj.tmp-" + gone + "-1"), "x", std::chrono::hours(1));
    EXPECT_EQ(removeStaleTemporaryFiles((dir.path / "link.mbproj").string()), 1);
    EXPECT_EQ(entries(dir.path / "real"), std::vector<std::string>{"p.mbproj"});
}
