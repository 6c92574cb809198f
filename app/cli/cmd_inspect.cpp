// inspect: what a diffusers text-to-video model folder holds — configs, parameter counts, key problems.
#include "arg_parser.h"
#include "command_registry.h"
#include "ml/pipeline.h"

#include <cstdio>

namespace mb::cli {
namespace {

std::string withThousands(int64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

int runInspect(const Args& args) {
    ArgParser ap;
    ap.parse(args);
    ap.requirePositional(1, "MODEL_DIR");
    const std::string dir = ap.positional()[0];
    const auto reports = ml::inspect_model_folder(dir);
    int64_t total = 0;
    bool problems = false;
    std::printf("model folder: %s\n", dir.c_str());
    for (const auto& r : reports) {
        std::printf("\n[%s] %s %s\n", r.name.c_str(), r.library.c_str(), r.class_name.c_str());
        if (!r.summary.empty())
            std::printf("  config: %s\n", r.summary.c_str());
        if (r.parameters > 0) {
            const double bytes = double(r.parameters) * 4;
            std::printf("  parameters: %s (float32: %.2f %s)\n", withThousands(r.parameters).c_str(),
                        bytes >= 1e9 ? bytes / 1e9 : bytes / 1e6, bytes >= 1e9 ? "GB" : "MB");
        }
        for (const auto& f : r.weight_files)
            std::printf("  weights: %s\n", f.c_str());
        if (!r.key_report.empty())
            std::printf("  keys: %s\n", r.key_report.c_str());
        if (!r.error.empty())
            std::printf("  ERROR: %s\n", r.error.c_str());
        total += r.parameters;
        problems = problems || !r.error.empty() || !r.keys_complete;
    }
    std::printf("\ntotal parameters: %s\n%s\n", withThousands(total).c_str(),
                problems ? "status: PROBLEMS FOUND (see above)" : "status: ok (every key matched)");
    return problems ? 1 : 0;
}

} // namespace

MB_CLI_COMMAND(
    "inspect", "MODEL_DIR",
    "prints a diffusers model folder's configs, parameter counts per component and weight-key problems",
    runInspect);

} // namespace mb::cli
