#pragma once
// A motionbooth-cli child process that runs while the test watches its output (signals, progress lines).
#include <cerrno>
#include <chrono>
#include <csignal>
#include <string>
#include <vector>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mbtest {

/** A motionbooth-cli child whose stdout and stderr come back through one pipe. */
struct CliChild {
    pid_t pid = -1;
    int out = -1;
    std::string text; ///< everything read so far

    explicit CliChild(const std::vector<std::string>& args) {
        int fds[2];
        if (pipe(fds) != 0)
            return;
        std::vector<char*> argv;
        std::string program = MB_CLI;
        argv.push_back(program.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        pid = fork();
        if (pid == 0) {
            dup2(fds[1], 1);
            dup2(fds[1], 2);
            close(fds[0]);
            close(fds[1]);
            execv(program.c_str(), argv.data());
            _exit(127);
        }
        close(fds[1]);
        out = fds[0];
    }
    ~CliChild() {
        if (out >= 0)
            close(out);
        if (pid > 0 && waitpid(pid, nullptr, WNOHANG) == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
    }

    /** Reads until `needle` shows up (true), the pipe closes or `timeout` passes (false). */
    bool waitFor(const std::string& needle, std::chrono::seconds timeout) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (text.find(needle) == std::string::npos) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                return false;
            pollfd p{out, POLLIN, 0};
            const int r = poll(&p, 1, int(left.count()));
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                return false;
            char buf[4096];
            const ssize_t n = read(out, buf, sizeof buf);
            if (n <= 0)
                return false;
            text.append(buf, size_t(n));
        }
        return true;
    }

    /** Reads the rest of the output and reaps the child; returns its wait status. */
    int finish() {
        char buf[4096];
        ssize_t n;
        while ((n = read(out, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
            if (n > 0)
                text.append(buf, size_t(n));
        int status = 0;
        waitpid(pid, &status, 0);
        pid = -1;
        return status;
    }
};

} // namespace mbtest
