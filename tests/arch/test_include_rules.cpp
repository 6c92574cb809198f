// The layering rules of the tree (include_rules.h) hold on the real sources, and the checker finds each kind
// of violation in a small tree built to break them.
#include "include_rules.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

} // namespace

TEST(IncludeRules, TheSourceTreeKeepsItsLayers) {
    const auto found = mbtest::findIncludeViolations(MB_SOURCE_DIR);
    for (const auto& v : found)
        ADD_FAILURE() << v.rule << ": " << v.chain;
    EXPECT_TRUE(found.empty());
}

TEST(IncludeRules, TheCheckerFindsEachKindOfViolation) {
    const fs::path root = fs::temp_directory_path() / ("mb-include-rules-" + std::to_string(::getpid()));
    fs::remove_all(root);
    write(root / "core/doc/a.cpp", "#include <QString>\n#include \"doc/b.h\"\n");
    write(root / "core/doc/b.h", "#pragma once\n#include \"ui/panel.h\"\n");
    write(root / "core/ml/c.cpp",
          "#include <opencv2/core.hpp>\n#include \"media/x.h\"\n#include <torch/torch.h>\n");
    write(root / "core/ml/net.h", "#pragma once\n#include <torch/torch.h>\n");
    write(root / "core/ml/plain.h", "#pragma once\n#include <string>\n");
    write(root / "core/jobs/job.h", "#pragma once\n#include \"ml/net.h\"\n");
    write(root / "ui/panel.h", "#pragma once\n#include <QWidget>\n#include \"ml/plain.h\"\n");
    write(root / "ui/panel.cpp", "#include \"ui/panel.h\"\n");
    write(root / "ui/jobs.cpp", "#include \"ui/panel.h\"\n#include \"jobs/job.h\"\n");
    write(root / "ui/cycle_a.h", "#pragma once\n#include \"cycle_b.h\"\n");
    write(root / "ui/cycle_b.h", "#pragma once\n#include \"cycle_a.h\"\n");

    const auto found = mbtest::findIncludeViolations(root.string());
    std::vector<std::string> chains;
    for (const auto& v : found)
        chains.push_back(v.chain);
    const std::vector<std::string> expected = {
        "core/doc/a.cpp -> <QString>",
        "core/doc/b.h -> \"ui/panel.h\"",
        "core/ml/c.cpp -> <opencv2/core.hpp>",
        "core/ml/c.cpp -> \"media/x.h\"",
        "ui/jobs.cpp -> core/jobs/job.h -> core/ml/net.h -> <torch/torch.h>",
    };
    EXPECT_EQ(chains, expected);
    fs::remove_all(root);
}
