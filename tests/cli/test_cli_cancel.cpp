// `motionbooth-cli render` stopped by SIGINT/SIGTERM: the first signal cancels through the job's CancelToken,
// the command exits with 128 + the signal and a message, and no MP4 or sidecar is left behind.
#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "cli_child.h"

namespace fs = std::filesystem;

namespace {

const std::string kDemo = std::string(MB_SOURCE_DIR) + "/resources/demo/demo.mbproj";
const std::string kTiny = std::string(MB_TEST_DATA) + "/reference/tiny";

/** A tiny-model render of the demo with enough steps that it is still denoising when a signal comes, writing
 *  into a fresh folder of its own under the temporary directory. */
struct LongRender {
    fs::path dir;
    std::string video;
    mbtest::CliChild child;
    explicit LongRender(const std::string& folder)
        : dir(freshFolder(folder)), video((dir / "take.mp4").string()),
          child({"render", kDemo, "-o", video, "--model", kTiny, "--frames", "6", "--size", "48x32",
                 "--steps", "400", "--threads", "2", "--progress"}) {}
    static fs::path freshFolder(const std::string& name) {
        const fs::path d = fs::temp_directory_path() / name;
        fs::remove_all(d);
        fs::create_directories(d);
        return d;
    }
};

void cancelRenderWith(int sig, const std::string& name) {
    LongRender render("mb-cli-cancel-" + name);
    const fs::path& dir = render.dir;
    const std::string& video = render.video;
    mbtest::CliChild& child = render.child;
    ASSERT_GT(child.pid, 0);
    ASSERT_TRUE(child.waitFor("denoise", std::chrono::seconds(120))) << child.text;
    const auto signalled = std::chrono::steady_clock::now();
    ASSERT_EQ(kill(child.pid, sig), 0);
    const int status = child.finish();
    const double stopSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
    ASSERT_TRUE(WIFEXITED(status)) << "the first signal must cancel cleanly, not kill\n" << child.text;
    EXPECT_EQ(WEXITSTATUS(status), 128 + sig) << child.text;
    EXPECT_NE(child.text.find("render: cancelled by " + name + "; no output was written"), std::string::npos)
        << child.text;
    EXPECT_EQ(child.text.find("percentage: 100.0"), std::string::npos) << "it ran to the end";
    EXPECT_LT(stopSeconds, 30.0);
    EXPECT_FALSE(fs::exists(video));
    EXPECT_FALSE(fs::exists(video + ".json"));
    // Nothing else (no temporary encoder file) is left in the output folder either.
    EXPECT_TRUE(fs::is_empty(dir));
    fs::remove_all(dir);
}

} // namespace

TEST(CliCancel, SigintCancelsARenderAndWritesNoOutput) {
    cancelRenderWith(SIGINT, "SIGINT");
}

TEST(CliCancel, SigtermCancelsARenderAndWritesNoOutput) {
    cancelRenderWith(SIGTERM, "SIGTERM");
}

TEST(CliCancel, ASecondSignalStopsAtOnce) {
    LongRender render("mb-cli-cancel-twice");
    const fs::path& dir = render.dir;
    const std::string& video = render.video;
    mbtest::CliChild& child = render.child;
    ASSERT_GT(child.pid, 0);
    ASSERT_TRUE(child.waitFor("denoise", std::chrono::seconds(120))) << child.text;
    // Two different signals (two equal ones could merge into one pending signal): the first asks for a
    // clean stop, the second gets the default action and kills the process before that stop is done.
    ASSERT_EQ(kill(child.pid, SIGINT), 0);
    ASSERT_EQ(kill(child.pid, SIGTERM), 0);
    const int status = child.finish();
    // (Threads may take the two at the same moment, in either order: whichever comes second kills.)
    ASSERT_TRUE(WIFSIGNALED(status)) << child.text;
    EXPECT_TRUE(WTERMSIG(status) == SIGTERM || WTERMSIG(status) == SIGINT) << WTERMSIG(status);
    EXPECT_EQ(child.text.find("cancelled by"), std::string::npos) << child.text;
    EXPECT_FALSE(fs::exists(video));
    fs::remove_all(dir);
}
