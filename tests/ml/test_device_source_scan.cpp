// A source scan of core/ml/*.cpp for tensors that would land on the wrong device: every tensor factory call
// (torch::/at:: zeros, ones, full, empty, arange, tensor, randn, rand, …; the *_like forms inherit their
// device and are not flagged) must take its options from a tensor or name a device (its arguments mention
// `options` or `device`), or say why it is meant to be on the CPU with a `// cpu: REASON` comment on one of
// its lines or on a comment line right above it. Host reads of tensor memory (data_ptr, accessor) need the
// same comment. The fake-device tests (test_device_guard.cpp) run the code; this scan also covers the paths
// they do not reach, and a new unannotated call fails it with its file and line.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kMlDir = fs::path(MB_SOURCE_DIR) / "core" / "ml";

// Files this scan does not hold to the rule yet, each with the reason. They belong to other work; their
// owners remove them from here once their calls carry device options or `// cpu:` reasons.
const std::map<std::string, std::string> kNotScanned = {
    {"sampler.cpp", "schedule tables: 0-d per-step CPU scalars, which combine with tensors on any device"},
    {"scheduler.cpp", "schedule tables: 0-d per-step CPU scalars; add_noise moves its factors"},
    {"latent_preview.cpp", "preview factors are made on the CPU (not ported to devices yet)"},
};

struct Finding {
    std::string file;
    int line = 0;
    std::string text;
};

std::vector<std::string> readLines(const fs::path& p) {
    std::ifstream in(p);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);)
        lines.push_back(l);
    return lines;
}

/** A `// cpu:` comment with a reason of at least two words. */
bool hasCpuReason(const std::string& line) {
    static const std::regex re(R"(//\s*cpu:\s*\S+\s+\S+)");
    return std::regex_search(line, re);
}

bool isCommentLine(const std::string& line) {
    const size_t first = line.find_first_not_of(" \t");
    return first != std::string::npos && line.compare(first, 2, "//") == 0;
}

/** The text of a call's argument list starting at `open` (the '(') in the joined source, and the offset of
 * its closing parenthesis. Strings and comments are skipped. */
std::string callArguments(const std::string& src, size_t open, size_t& close) {
    int depth = 0;
    std::string args;
    for (size_t i = open; i < src.size(); ++i) {
        const char c = src[i];
        if (c == '"' || c == '\'') { // string or character literal
            const char q = c;
            for (++i; i < src.size() && src[i] != q; ++i)
                if (src[i] == '\\')
                    ++i;
            continue;
        }
        if (c == '/' && i + 1 < src.size() && src[i + 1] == '/') {
            i = src.find('\n', i);
            if (i == std::string::npos)
                break;
            continue;
        }
        if (c == '(')
            ++depth;
        if (c == ')' && --depth == 0) {
            close = i;
            return args;
        }
        if (depth > 0 && i > open)
            args += c;
    }
    close = src.size();
    return args;
}

std::vector<Finding> scan(const fs::path& file) {
    const std::vector<std::string> lines = readLines(file);
    std::string src;
    std::vector<size_t> lineStart;
    for (const std::string& l : lines) {
        lineStart.push_back(src.size());
        src += l + "\n";
    }
    auto lineOf = [&](size_t offset) {
        return int(std::upper_bound(lineStart.begin(), lineStart.end(), offset) - lineStart.begin()) - 1;
    };
    // A CPU reason on a line of the call, or on a comment line right above the call's first line.
    auto excused = [&](int first, int last) {
        for (int l = first; l <= last; ++l)
            if (hasCpuReason(lines[size_t(l)]))
                return true;
        return first > 0 && isCommentLine(lines[size_t(first - 1)]) && hasCpuReason(lines[size_t(first - 1)]);
    };

    std::vector<Finding> out;
    static const std::regex factory(
        R"(\b(torch|at)::(zeros|ones|full|empty|arange|tensor|randn|rand|randint|)"
        R"(randperm|linspace|logspace|eye|scalar_tensor|from_blob|normal|)"
        R"(empty_strided|zeros_out|ones_out)\s*\()");
    for (auto it = std::sregex_iterator(src.begin(), src.end(), factory); it != std::sregex_iterator();
         ++it) {
        const size_t at = size_t(it->position());
        const int first = lineOf(at);
        if (isCommentLine(lines[size_t(first)]))
            continue;
        const size_t open = at + size_t(it->length()) - 1;
        size_t close = open;
        const std::string args = callArguments(src, open, close);
        if (args.find("options") != std::string::npos || args.find("device") != std::string::npos)
            continue;
        if (!excused(first, lineOf(close)))
            out.push_back({file.filename().string(), first + 1, lines[size_t(first)]});
    }
    static const std::regex hostRead(R"((\.|->)(data_ptr|accessor)\s*<|(\.|->)data_ptr\s*\(\s*\))");
    for (size_t l = 0; l < lines.size(); ++l) {
        if (isCommentLine(lines[l]) || !std::regex_search(lines[l], hostRead))
            continue;
        if (!excused(int(l), int(l)))
            out.push_back({file.filename().string(), int(l) + 1, lines[l]});
    }
    return out;
}

std::vector<fs::path> mlSources() {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(kMlDir))
        if (e.path().extension() == ".cpp")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

TEST(DeviceSourceScan, EveryTensorFactoryNamesItsDeviceOrItsCpuReason) {
    const std::vector<fs::path> files = mlSources();
    ASSERT_GT(files.size(), 20u) << "core/ml not found at " << kMlDir;
    std::ostringstream report;
    size_t findings = 0, scanned = 0;
    for (const fs::path& f : files) {
        if (kNotScanned.count(f.filename().string()))
            continue;
        ++scanned;
        for (const Finding& x : scan(f)) {
            ++findings;
            report << "  core/ml/" << x.file << ":" << x.line << ": " << x.text << "\n";
        }
    }
    EXPECT_EQ(findings, 0u)
        << "tensors made without a device (use x.options() / .device(...), or say why the CPU "
           "is meant with `// cpu: REASON`):\n"
        << report.str();
    EXPECT_GT(scanned, 20u);
}

TEST(DeviceSourceScan, TheScanFlagsWhatItShould) {
    const fs::path dir = fs::temp_directory_path() / ("mb-device-scan-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path probe = dir / "probe.cpp";
    {
        std::ofstream out(probe);
        out << "auto a = torch::zeros({2, 3}, torch::kFloat32);\n" // 1: flagged
               "auto b = torch::zeros({2, 3}, x.options());\n"     // 2: fine
               "auto c = torch::randn({2},\n"                      // 3: flagged (multi-line)
               "                      gen);\n"
               "auto d = torch::tensor(ids, torch::kLong); // cpu: token ids, moved by the caller\n" // 5:
                                                                                                     // fine
               "// cpu: a table read element by element\n"
               "auto e = torch::arange(5);\n"    // 7: fine (comment above)
               "auto f = torch::ones_like(x);\n" // 8: fine (_like)
               "auto g = torch::full({2}, 1.0, torch::TensorOptions().device(d));\n" // 9: fine
               "float* p = t.data_ptr<float>();\n"                                   // 10: flagged
               "auto h = t.accessor<float, 2>(); // cpu: made on the CPU above\n"    // 11: fine
               "auto i = torch::empty({1}); // cpu:\n" // 12: flagged (no reason)
               "// auto j = torch::zeros({1});\n";     // 13: fine (a comment)
    }
    std::vector<int> flagged;
    for (const Finding& x : scan(probe))
        flagged.push_back(x.line);
    std::sort(flagged.begin(), flagged.end());
    EXPECT_EQ(flagged, (std::vector<int>{1, 3, 10, 12}));
    fs::remove_all(dir);
}
