#pragma once
// Shared by the farm tests: running motionbooth-cli, a writable copy of the demo project.
#include "farm/process.h"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace farmtest {

namespace fs = std::filesystem;

struct CliResult {
    int code = -1;
    std::string out; ///< stdout then stderr
    double seconds = 0;
};

inline CliResult runCli(std::vector<std::string> args, double timeout = 120) {
    args.insert(args.begin(), MB_CLI);
    mb::farm::ProcessOptions opt;
    opt.timeoutSeconds = timeout;
    const auto t0 = std::chrono::steady_clock::now();
    const mb::farm::ProcessResult r = mb::farm::runProcess(args, opt);
    CliResult c;
    c.code = r.timedOut ? -2 : r.exitCode;
    c.out = r.out + r.err;
    c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return c;
}

/** A writable copy of the demo project in `dir` (emptied first); returns the .mbproj path. */
inline std::string copyDemo(const fs::path& dir) {
    const fs::path demo = fs::path(MB_SOURCE_DIR) / "resources" / "demo";
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(demo / "subject", dir / "subject", fs::copy_options::recursive);
    fs::copy_file(demo / "background.jpg", dir / "background.jpg");
    fs::copy_file(demo / "demo.mbproj", dir / "demo.mbproj");
    return (dir / "demo.mbproj").string();
}

/** Render options for seconds-long takes of the tiny model. */
inline std::vector<std::string> draftOptions() {
    return {"--model",   std::string(MB_TEST_DATA) + "/reference/tiny",
            "--frames",  "4",
            "--size",    "48x32",
            "--steps",   "4",
            "--threads", "1"};
}

} // namespace farmtest
