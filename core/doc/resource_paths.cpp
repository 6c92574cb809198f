#include "doc/resource_paths.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace mb {

std::string findResourceDir(const std::string& buildTreeDefault) {
    std::vector<std::string> tried;
    auto ok = [](const fs::path& p) {
        std::error_code ec;
        return fs::is_directory(p / "tokenizer-clip", ec);
    };
    if (const char* env = std::getenv("MB_RESOURCE_DIR"); env && *env) {
        if (ok(env))
            return env;
        tried.push_back(std::string(env) + " ($MB_RESOURCE_DIR)");
    }
    char exe[4096];
    ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        fs::path p = fs::path(exe).parent_path() / ".." / "share" / "motionbooth";
        if (ok(p))
            return p.lexically_normal().string();
        tried.push_back(p.lexically_normal().string());
    }
    if (!buildTreeDefault.empty()) {
        if (ok(buildTreeDefault))
            return buildTreeDefault;
        tried.push_back(buildTreeDefault);
    }
    std::string msg = "cannot find MotionBooth's resources folder; tried:";
    for (auto& t : tried)
        msg += " " + t;
    throw std::runtime_error(msg + " (set MB_RESOURCE_DIR)");
}

} // namespace mb
