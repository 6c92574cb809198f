// One overall progress over a job's stages (doc/job.h StagedProgress) and a take's stage weights
// (jobs/render_job.h renderStageWeights): monotonic, weighted, 100 % only at the very end.
#include "doc/job.h"
#include "jobs/render_job.h"

#include <gtest/gtest.h>

#include <vector>

using namespace mb;

namespace {

JobProgress report(const std::string& stage, long long done, long long total, const std::string& msg = {}) {
    JobProgress p;
    p.stage = stage;
    p.done = done;
    p.total = total;
    p.message = msg;
    return p;
}

} // namespace

TEST(StagedProgress, WeightsEachStageByItsShare) {
    StagedProgress s({{"load", 1}, {"work", 8}, {"save", 1}});
    EXPECT_DOUBLE_EQ(s.advance(report("load", 0, 1)), 0.0);
    EXPECT_DOUBLE_EQ(s.advance(report("load", 1, 1)), 0.1);
    EXPECT_DOUBLE_EQ(s.advance(report("work", 2, 8)), 0.1 + 0.8 * 0.25);
    EXPECT_DOUBLE_EQ(s.advance(report("work", 8, 8)), 0.9);
    EXPECT_DOUBLE_EQ(s.advance(report("save", 0, 1)), 0.9);
    EXPECT_EQ(s.advance(report("save", 1, 1)), 1.0); // exactly: the same sums in the same order
}

TEST(StagedProgress, NeverGoesBackAndSkippedStagesCountAsDone) {
    StagedProgress s({{"a", 1}, {"b", 1}, {"c", 2}});
    EXPECT_DOUBLE_EQ(s.advance(report("c", 1, 2)), 0.75); // "a" and "b" said nothing: done all the same
    EXPECT_DOUBLE_EQ(s.advance(report("a", 0, 1, "a late message")), 0.75);
    EXPECT_DOUBLE_EQ(s.advance(report("unknown", 5, 5)), 0.75);
    EXPECT_DOUBLE_EQ(s.advance(report("c", 0, 0)), 0.75); // total unknown: no news
    EXPECT_DOUBLE_EQ(s.overall(), 0.75);
}

TEST(StagedProgress, PercentIsRoundedDownSoOnlyTheEndReads100) {
    JobProgress p = report("x", 9999, 10000);
    EXPECT_DOUBLE_EQ(p.percent(), 99.9); // per stage when no overall is given
    p.overall = 0.99996;
    EXPECT_DOUBLE_EQ(p.percent(), 99.9);
    p.overall = 1.0;
    EXPECT_DOUBLE_EQ(p.percent(), 100.0);
    p.overall = 0.4567;
    EXPECT_DOUBLE_EQ(p.percent(), 45.6);
    EXPECT_DOUBLE_EQ(report("x", 1, 4).percent(), 25.0);
}

TEST(StagedProgress, WrappedControlForwardsWithTheOverallFraction) {
    std::vector<JobProgress> seen;
    JobControl outer;
    CancelToken cancel;
    outer.cancel = &cancel;
    outer.progress = [&](const JobProgress& p) { seen.push_back(p); };
    const JobControl jc = withOverallProgress(outer, {{"load", 1}, {"denoise", 3}});
    EXPECT_EQ(jc.cancel, &cancel);
    jc.report("load", 1, 1, "model: /m");
    jc.report("denoise", 1, 3);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].stage, "load");
    EXPECT_EQ(seen[0].message, "model: /m");
    EXPECT_DOUBLE_EQ(seen[0].overall, 0.25);
    EXPECT_DOUBLE_EQ(seen[1].overall, 0.5);
    EXPECT_DOUBLE_EQ(seen[1].fraction(), 1.0 / 3.0); // the stage's own fraction is kept
    // Without a progress callback nothing is computed, and cancel still works.
    JobControl quiet;
    quiet.cancel = &cancel;
    const JobControl q = withOverallProgress(quiet, {{"a", 1}});
    EXPECT_FALSE(q.progress);
    cancel.request();
    EXPECT_THROW(q.checkCancelled(), JobCancelled);
}

TEST(RenderStageWeights, DenoisingDominatesAndTheTakeEndsWithTheSidecar) {
    for (int steps : {4, 25, 50}) {
        const std::vector<StageWeight> w = renderStageWeights(steps);
        std::vector<std::string> names;
        double total = 0, denoise = 0;
        for (const auto& s : w) {
            names.push_back(s.stage);
            total += s.weight;
            if (s.stage == "denoise")
                denoise = s.weight;
            EXPECT_GT(s.weight, 0) << s.stage;
        }
        EXPECT_EQ(names,
                  (std::vector<std::string>{"load", "text", "denoise", "decode", "encode", "sidecar"}));
        EXPECT_GT(denoise / total, 0.5) << steps << " steps";
        if (steps >= 25) {
            EXPECT_GT(denoise / total, 0.9) << steps << " steps";
        }
    }
    // Every step moves the bar by the same amount, and the bar of a finished denoise is not full.
    StagedProgress s(renderStageWeights(25));
    s.advance(report("load", 1, 1));
    const double a = s.advance(report("denoise", 1, 25)), b = s.advance(report("denoise", 2, 25));
    const double c = s.advance(report("denoise", 3, 25));
    EXPECT_NEAR(b - a, c - b, 1e-12);
    EXPECT_LT(s.advance(report("denoise", 25, 25)), 0.95);
    EXPECT_LT(s.advance(report("encode", 8, 8)), 1.0);
    EXPECT_EQ(s.advance(report("sidecar", 1, 1)), 1.0);
}
