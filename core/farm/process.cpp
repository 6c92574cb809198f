#include "farm/process.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace mb::farm {
namespace {

struct Pipe {
    int fd[2] = {-1, -1};
    Pipe() {
        if (pipe2(fd, O_CLOEXEC) != 0)
            throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
    }
    ~Pipe() {
        closeEnd(0);
        closeEnd(1);
    }
    void closeEnd(int i) {
        if (fd[i] >= 0)
            ::close(fd[i]);
        fd[i] = -1;
    }
};

std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string>& setEnv) {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        const std::string entry(*e);
        const std::string key = entry.substr(0, entry.find('='));
        if (!setEnv.count(key))
            env.push_back(entry);
    }
    for (const auto& [k, v] : setEnv)
        env.push_back(k + "=" + v);
    return env;
}

} // namespace

std::string describeCommand(const std::vector<std::string>& argv) {
    std::string s;
    for (const auto& a : argv) {
        if (!s.empty())
            s += ' ';
        s += a.find(' ') == std::string::npos ? a : "'" + a + "'";
    }
    return s;
}

ProcessResult runProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
    ProcessResult result;
    if (argv.empty())
        throw std::runtime_error("runProcess: empty command");
    Pipe outPipe, errPipe;

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, outPipe.fd[1], 1);
    posix_spawn_file_actions_adddup2(&actions, errPipe.fd[1], 2);
    // The working directory is changed through a tiny shim only when asked (posix_spawn has no chdir in
    // glibc 2.36's public API), so the common case spawns the program directly.
    std::vector<std::string> args = argv;
    if (!options.workingDir.empty())
        args.insert(args.begin(), {"/usr/bin/env", "-C", options.workingDir});

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Its own process group, so a timeout kills the program and anything it started.
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t none, defaults;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGINT);
    posix_spawnattr_setsigdefault(&attr, &defaults);

    std::vector<char*> cargv;
    for (auto& a : args)
        cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    std::vector<std::string> env = mergedEnvironment(options.setEnv);
    std::vector<char*> cenv;
    for (auto& e : env)
        cenv.push_back(const_cast<char*>(e.c_str()));
    cenv.push_back(nullptr);

    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, cargv[0], &actions, &attr, cargv.data(), cenv.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    outPipe.closeEnd(1);
    errPipe.closeEnd(1);
    if (rc != 0) {
        result.notFound = (rc == ENOENT || rc == EACCES);
        result.err = std::string(argv[0]) + ": " + std::strerror(rc);
        return result;
    }

    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(options.timeoutSeconds));
    bool killed = false;
    char buf[8192];
    while (outPipe.fd[0] >= 0 || errPipe.fd[0] >= 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            ::kill(-pid, SIGKILL);
            killed = true;
            break;
        }
        pollfd fds[2] = {{outPipe.fd[0], POLLIN, 0}, {errPipe.fd[0], POLLIN, 0}};
        const int n = ::poll(fds, 2, int(std::min<long long>(left, 200)));
        if (n < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            if (got > 0)
                (i == 0 ? result.out : result.err).append(buf, size_t(got));
            else if (got == 0 || (errno != EINTR && errno != EAGAIN))
                (i == 0 ? outPipe : errPipe).closeEnd(0);
        }
    }
    // The pipes are closed (or the deadline passed); the child may still be running if it closed its
    // output early, so waiting also honours the deadline.
    int status = 0;
    for (;;) {
        const pid_t w = ::waitpid(pid, &status, killed ? 0 : WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            break;
        if (!killed && Clock::now() >= deadline) {
            ::kill(-pid, SIGKILL);
            killed = true;
            continue;
        }
        if (!killed)
            ::usleep(10000);
    }
    result.timedOut = killed;
    if (WIFEXITED(status))
        result.exitCode = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.exitCode = 128 + WTERMSIG(status);
    if (result.exitCode == 127 && result.out.empty() && result.err.empty())
        result.notFound = true; // env -C could not exec the program
    return result;
}

} // namespace mb::farm
