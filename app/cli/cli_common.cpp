#include "cli_common.h"

#include "arg_parser.h"
#include "doc/resource_paths.h"

#include <cstdio>
#include <unistd.h>

#ifndef MB_RESOURCE_DIR
#define MB_RESOURCE_DIR ""
#endif

namespace mb::cli {

JobControl makeConsoleJobControl(bool machine, CancelToken* cancel) {
    JobControl jc;
    jc.cancel = cancel;
    jc.progress = [machine](const JobProgress& p) {
        if (machine) {
            std::printf("percentage: %.1f %s\n", 100.0 * p.fraction(), p.stage.c_str());
            if (!p.message.empty())
                std::printf("log: %s\n", p.message.c_str());
            for (const auto& [name, value] : p.values) // e.g. training losses
                std::printf("value: %s %.9g\n", name.c_str(), value);
            std::fflush(stdout);
        } else {
            // A live counter on a terminal; logs and pipes get only messages and the end of each stage.
            if (isatty(2))
                std::fprintf(stderr, "\r%s %lld/%lld%s", p.stage.c_str(), p.done, p.total,
                             p.done == p.total ? "\n" : "");
            else if (p.total > 0 && p.done == p.total)
                std::fprintf(stderr, "%s: %lld/%lld done\n", p.stage.c_str(), p.done, p.total);
            if (!p.message.empty())
                std::fprintf(stderr, "%s\n", p.message.c_str());
        }
    };
    return jc;
}

std::pair<int, int> parseSize(const std::string& text) {
    int w = 0, h = 0;
    char x = 0, extra = 0;
    if (std::sscanf(text.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || (x != 'x' && x != 'X') || w <= 0 ||
        h <= 0)
        throw UsageError("size must look like 576x320, got '" + text + "'");
    return {w, h};
}

std::string resourceDir() {
    return findResourceDir(MB_RESOURCE_DIR);
}

} // namespace mb::cli
