#include "doc/atomic_file.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <signal.h>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace mb {

namespace fs = std::filesystem;

namespace {

std::runtime_error sysError(const std::string& path, const std::string& what, int err) {
    return std::runtime_error(path + ": " + what + ": " + std::strerror(err));
}

/** What a non-regular file is, as the end of "PATH ...". */
std::string kindOf(mode_t mode) {
    if (S_ISDIR(mode))
        return "is a directory";
    if (S_ISCHR(mode))
        return "is a character device";
    if (S_ISBLK(mode))
        return "is a block device";
    if (S_ISFIFO(mode))
        return "is a FIFO";
    if (S_ISSOCK(mode))
        return "is a socket";
    if (S_ISLNK(mode))
        return "is a symbolic link";
    return "is not a regular file";
}

std::runtime_error refusal(const std::string& shown, const std::string& real, mode_t mode) {
    const std::string what =
        real == shown ? kindOf(mode) : "is a symbolic link to " + real + ", which " + kindOf(mode);
    return std::runtime_error(shown + ": " + what + ", not a regular file: refusing to replace it");
}

fs::path folderOfFile(const fs::path& file) {
    return file.parent_path().empty() ? fs::path(".") : file.parent_path();
}

/** The PID in a temporary file's name after `prefix` ("1234" or "1234-…"), or 0 when there is none. */
pid_t pidInName(const std::string& name, const std::string& prefix) {
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
        return 0;
    long long pid = 0;
    size_t i = prefix.size();
    for (; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i) {
        pid = pid * 10 + (name[i] - '0');
        if (pid > INT_MAX)
            return 0;
    }
    if (i == prefix.size() || (i < name.size() && name[i] != '-'))
        return 0;
    return pid_t(pid);
}

bool processIsGone(pid_t pid) {
    // EPERM means the process exists under another user: it may still be writing.
    return ::kill(pid, 0) != 0 && errno == ESRCH;
}

} // namespace

std::string resolveSymlinks(const std::string& path) {
    std::string p = path;
    // The kernel's own limit (MAXSYMLINKS) is 40.
    for (int hop = 0; hop < 40; ++hop) {
        struct stat st;
        if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode))
            return p;
        std::error_code ec;
        fs::path next = fs::read_symlink(p, ec);
        if (ec)
            return p;
        // A relative link is relative to the link's folder. No lexical normalisation: "dir/../x" must stay
        // as the kernel resolves it when "dir" is itself a link.
        if (next.is_relative() && !fs::path(p).parent_path().empty())
            next = fs::path(p).parent_path() / next;
        p = next.string();
    }
    throw std::runtime_error(path + ": too many levels of symbolic links");
}

std::string checkWritableOutput(const std::string& path) {
    const std::string real = resolveSymlinks(path);
    struct stat st;
    if (::lstat(real.c_str(), &st) != 0 || S_ISREG(st.st_mode))
        return real;
    throw refusal(path, real, st.st_mode);
}

std::string checkOutputFolderWritable(const std::string& path) {
    const std::string real = checkWritableOutput(path);
    const fs::path target(real);
    const fs::path dir = folderOfFile(target);
    std::error_code ec;
    if (!fs::exists(dir, ec))
        throw std::runtime_error(path + ": the folder " + dir.string() + " does not exist");
    if (!fs::is_directory(dir, ec))
        throw std::runtime_error(path + ": " + dir.string() + " is not a folder");
    // Creating a file is the only test that covers permissions, read-only mounts and ACLs alike. Named like
    // writeFileAtomically's temporary files, so one left by a kill is cleaned up as theirs are.
    const fs::path probe =
        dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-probe");
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        throw sysError(path, "cannot create files in " + dir.string(), errno);
    ::close(fd);
    ::unlink(probe.c_str());
    return real;
}

void moveIntoPlace(const std::string& temp, const std::string& target, const std::string& shownPath) {
    struct stat st;
    if (::lstat(target.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        ::unlink(temp.c_str());
        throw refusal(shownPath, target, st.st_mode);
    }
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        throw sysError(shownPath, "cannot replace the file", err);
    }
    // Make the rename itself durable.
    const int dfd = ::open(folderOfFile(target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

void writeFileAtomically(const std::string& path, const std::string& bytes) {
    const fs::path target(checkWritableOutput(path));
    const fs::path dir = folderOfFile(target);
    std::random_device rd;
    const fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) +
                                "-" + std::to_string(rd() & 0xffffff));
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        throw sysError(path, "cannot create a temporary file in " + dir.string(), errno);
    auto fail = [&](const std::string& what, int err) {
        ::close(fd);
        ::unlink(tmp.c_str());
        return sysError(path, what, err);
    };
    size_t written = 0;
    while (written < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw fail("write failed", errno);
        }
        written += size_t(n);
    }
    if (::fsync(fd) != 0)
        throw fail("fsync failed", errno);
    if (::close(fd) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw sysError(path, "close failed", err);
    }
    moveIntoPlace(tmp.string(), target.string(), path);
}

int removeStaleTemporaryFiles(const std::string& path, std::chrono::seconds minAge) {
    fs::path target;
    try {
        target = resolveSymlinks(path);
    } catch (const std::exception&) {
        return 0;
    }
    const std::string name = target.filename().string();
    if (name.empty())
        return 0;
    const fs::path dir = folderOfFile(target);
    const std::string prefixes[] = {"." + name + ".tmp-", "." + name + ".partial-"};
    DIR* d = ::opendir(dir.c_str());
    if (!d)
        return 0;
    const std::time_t now = std::time(nullptr);
    int removed = 0;
    while (const dirent* e = ::readdir(d)) {
        const std::string entry = e->d_name;
        pid_t pid = 0;
        for (const auto& prefix : prefixes)
            if (!pid)
                pid = pidInName(entry, prefix);
        if (pid <= 0)
            continue;
        const fs::path file = dir / entry;
        struct stat st;
        if (::lstat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (now - st.st_mtime < std::time_t(minAge.count()))
            continue;
        if (!processIsGone(pid))
            continue;
        if (::unlink(file.c_str()) == 0)
            ++removed;
    }
    ::closedir(d);
    return removed;
}

std::string readWholeFile(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw std::runtime_error(path + ": is a folder, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        throw std::runtime_error(path + ": read failed");
    return ss.str();
}

} // namespace mb
