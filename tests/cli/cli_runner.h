#pragma once
// Runs the real motionbooth-cli (path compiled in as MB_CLI) and captures its exit code and output.
#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace mbtest {

struct CliResult {
    int code = -1;   ///< exit status, -1 when the process did not exit normally
    std::string out; ///< stdout and stderr together
};

inline CliResult runCli(const std::string& args) {
    CliResult r;
    FILE* p = popen((std::string(MB_CLI) + " " + args + " 2>&1").c_str(), "r");
    if (!p)
        return r;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
        r.out.append(buf.data(), n);
    const int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

} // namespace mbtest
