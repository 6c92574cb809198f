#pragma once
// The layering rules of the source tree, checked by reading #include lines
// (tests/arch/test_include_rules.cpp):
//  - nothing under core/ includes Qt or ui/ headers (core builds on a render node without Qt);
//  - nothing under core/ml/ includes OpenCV, FFmpeg (libav*, libsw*), Qt or core/media headers (the ML part
//    builds with LibTorch alone, -DMB_CORE_ONLY=ON);
//  - nothing under ui/ reaches a LibTorch header, directly or through the repository's own headers (torch
//    headers would make every ui unit slow to build and tie the widgets to one LibTorch version).

#include <string>
#include <vector>

namespace mbtest {

struct IncludeViolation {
    std::string file; ///< relative to the root, e.g. "ui/stage_view.cpp"
    std::string
        chain; ///< the include path that breaks the rule, e.g. "ui/a.cpp -> core/ml/x.h -> <torch/torch.h>"
    std::string rule; ///< which rule, in words
};

/** Scans core/, ui/ (and what they include from the repository) under `root` and returns every violation. */
std::vector<IncludeViolation> findIncludeViolations(const std::string& root);

} // namespace mbtest
