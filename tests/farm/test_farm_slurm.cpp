// Farm jobs on a real Slurm: a private single-machine cluster (tests/farm/slurm_fixture.sh) started for this
// test executable, with everything under the build tree and only on 127.0.0.1. Renders use the tiny model.
#include "doc/atomic_file.h"
#include "doc/project_io.h"
#include "doc/sha256.h"
#include "farm/farm_job.h"
#include "farm_test_util.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace farmtest;
using namespace mb::farm;

namespace {

const fs::path kSlurmDir = fs::path(MB_FARM_WORK) / "slurm";

/** A TCP port on 127.0.0.1 that nobody listens on right now. */
int freePort() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(s);
        return -1;
    }
    ::close(s);
    return ntohs(a.sin_port);
}

ProcessResult fixture(std::vector<std::string> args) {
    args.insert(args.begin(), {"bash", MB_FARM_FIXTURE});
    ProcessOptions opt;
    opt.timeoutSeconds = 60;
    return runProcess(args, opt);
}

class FarmSlurm : public ::testing::Test {
public:
    static void SetUpTestSuite() {
        if (!fs::exists("/usr/sbin/slurmctld") || !fs::exists("/usr/sbin/slurmd") ||
            !fs::exists("/usr/sbin/munged") || !fs::exists("/usr/bin/sbatch")) {
            s_skip = "Slurm is not installed (apt-get install slurmctld slurmd slurm-client munge)";
            return;
        }
        fixture({"stop", kSlurmDir.string()}); // a previous run that was killed
        fs::remove_all(kSlurmDir);
        const int ctld = freePort(), slurmd = freePort();
        const ProcessResult r = fixture(
            {"start", kSlurmDir.string(), std::to_string(ctld), std::to_string(slurmd), MB_FARM_SHIM});
        s_started = r.exitCode == 0;
        s_startLog = r.out + r.err;
        if (s_started)
            setenv("SLURM_CONF", (kSlurmDir / "etc/slurm.conf").c_str(), 1);
    }
    static void TearDownTestSuite() {
        if (!s_skip.empty())
            return;
        const ProcessResult r = fixture({"stop", kSlurmDir.string()});
        EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
        for (const char* pid : {"munged.pid", "slurmctld.pid", "slurmd.pid"})
            EXPECT_FALSE(fs::exists(kSlurmDir / "run" / pid)) << pid;
    }

protected:
    void SetUp() override {
        // The test command installs Slurm (scripts/bootstrap.sh): missing daemons fail the test, never skip
        // it.
        ASSERT_TRUE(s_skip.empty()) << s_skip;
        ASSERT_TRUE(s_started) << "the private Slurm did not start:\n" << s_startLog;
    }

    /** A fresh project copy and a job folder path for one test. */
    std::pair<std::string, std::string> projectAndJob(const std::string& name) {
        const fs::path d = fs::path(MB_FARM_WORK) / "slurm-tests" / name;
        fs::remove_all(d);
        return {copyDemo(d / "proj"), (d / "job").string()};
    }

    static std::vector<std::string> submitArgs(const std::string& proj, const std::string& job,
                                               std::vector<std::string> more) {
        std::vector<std::string> a = {"farm", "submit", proj, "--job-dir", job, "--cli", MB_CLI};
        const auto draft = draftOptions();
        a.insert(a.end(), draft.begin(), draft.end());
        a.insert(a.end(), more.begin(), more.end());
        return a;
    }

    static JobState waitDone(const std::string& jobDir, double seconds) {
        return waitForJob(loadJob(jobDir), SlurmClient{}, seconds, 0.5);
    }

    static std::string describe(const JobState& st) {
        std::string s = "fine-tune " + st.fineTuneState + "\n";
        for (const auto& t : st.tasks)
            s += "task " + std::to_string(t.index) + " " + t.state + " exit " + std::to_string(t.exitCode) +
                 "\n" + t.logTail;
        return s;
    }

    static inline std::string s_skip, s_startLog;
    static inline bool s_started = false;
};

} // namespace

TEST_F(FarmSlurm, FourSeedArrayRendersTakesThatCollectVerifies) {
    const auto [proj, jobDir] = projectAndJob("four");
    CliResult r = runCli(submitArgs(proj, jobDir, {"--seeds", "1,2,5,7"}));
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("submitted render job "), std::string::npos) << r.out;
    const FarmJob job = loadJob(jobDir);
    ASSERT_EQ(job.submissions.size(), 1u);
    EXPECT_EQ(job.submissions[0].tasks, (std::vector<int>{0, 1, 2, 3}));

    const JobState st = waitDone(jobDir, 100);
    ASSERT_TRUE(st.finished()) << describe(st);
    EXPECT_EQ(st.count("COMPLETED"), 4) << describe(st);
    EXPECT_EQ(st.etaSeconds, 0);
    for (const auto& t : st.tasks) {
        EXPECT_TRUE(t.takeVerified) << t.index;
        EXPECT_EQ(t.exitCode, 0);
        EXPECT_EQ(t.progress, 100);
        EXPECT_EQ(t.slurmId, job.submissions[0].slurmJobId + "_" + std::to_string(t.index));
    }
    // The task logs carry the render's progress lines (what status reads while running).
    EXPECT_NE(mb::readWholeFile(job.tasks[3].log).find("percentage: 100.0"), std::string::npos);

    r = runCli({"farm", "status", jobDir});
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("4 of 4 takes done, 0 failed"), std::string::npos) << r.out;
    r = runCli({"farm", "status", jobDir, "--json"});
    ASSERT_EQ(r.code, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_TRUE(j["finished"].get<bool>());
    EXPECT_EQ(j["tasks"][2]["seed"], 5);

    r = runCli({"farm", "collect", jobDir});
    ASSERT_EQ(r.code, 0) << r.out;
    mb::Project p = mb::loadProject(proj);
    ASSERT_EQ(p.takes.size(), 4u);
    EXPECT_EQ(p.takes[2].seed, 5u);
    EXPECT_EQ(p.takes[2].video, job.tasks[2].video);
    EXPECT_EQ(p.takes[2].sidecar, job.tasks[2].video + ".json");
    // Collecting again lists nothing twice.
    r = runCli({"farm", "collect", jobDir});
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_EQ(mb::loadProject(proj).takes.size(), 4u);
    // Nothing failed, so nothing to resubmit.
    r = runCli({"farm", "resubmit", jobDir, "--failed"});
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("nothing to resubmit"), std::string::npos) << r.out;
}

TEST_F(FarmSlurm, FailingTaskIsReportedAndResubmitFailedFixesIt) {
    const auto [proj, jobDir] = projectAndJob("fail");
    CliResult r = runCli(submitArgs(proj, jobDir, {"--seeds", "3,4", "--dry-run"}));
    ASSERT_EQ(r.code, 0) << r.out;
    FarmJob job = loadJob(jobDir);
    // Task 1 cannot write its take: a folder stands where the MP4 must go.
    fs::create_directories(job.tasks[1].video);
    // A dry-run folder has every take missing: resubmit --failed submits them all.
    r = runCli({"farm", "resubmit", jobDir, "--failed"});
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("resubmitted tasks 0,1 as job"), std::string::npos) << r.out;

    JobState st = waitDone(jobDir, 80);
    ASSERT_TRUE(st.finished()) << describe(st);
    EXPECT_EQ(st.tasks[0].state, "COMPLETED") << describe(st);
    EXPECT_EQ(st.tasks[1].state, "FAILED") << describe(st);
    EXPECT_GT(st.tasks[1].exitCode, 0);
    EXPECT_FALSE(st.tasks[1].logTail.empty());
    r = runCli({"farm", "status", jobDir});
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("task 1 seed 4: FAILED exit code " + std::to_string(st.tasks[1].exitCode)),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("    | "), std::string::npos) << r.out; // the log tail
    EXPECT_NE(r.out.find("1 of 2 takes done, 1 failed"), std::string::npos) << r.out;
    r = runCli({"farm", "collect", jobDir});
    EXPECT_EQ(r.code, 1) << r.out; // one take is missing
    EXPECT_EQ(mb::loadProject(proj).takes.size(), 1u);

    fs::remove(job.tasks[1].video);
    r = runCli({"farm", "resubmit", jobDir, "--failed"});
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("resubmitted tasks 1 as job"), std::string::npos) << r.out;
    job = loadJob(jobDir);
    ASSERT_EQ(job.submissions.size(), 2u);
    EXPECT_EQ(job.submissions[1].tasks, std::vector<int>{1});
    st = waitDone(jobDir, 60);
    EXPECT_EQ(st.count("COMPLETED"), 2) << describe(st);
    r = runCli({"farm", "collect", jobDir});
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_EQ(mb::loadProject(proj).takes.size(), 2u);
}

TEST_F(FarmSlurm, CancelStopsARunningArray) {
    const auto [proj, jobDir] = projectAndJob("cancel");
    // Long renders (many steps) so the tasks are still running when cancelled.
    std::vector<std::string> args = submitArgs(proj, jobDir, {"--seeds", "1,2,3"});
    for (size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "--steps")
            args[i + 1] = "500";
    CliResult r = runCli(args);
    ASSERT_EQ(r.code, 0) << r.out;
    const FarmJob job = loadJob(jobDir);
    // Wait until a task is running and has made progress.
    JobState st;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
    while (std::chrono::steady_clock::now() < deadline) {
        st = queryJob(job, SlurmClient{});
        if (st.count("RUNNING") > 0 && st.tasks[0].progress > 0)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    ASSERT_GT(st.count("RUNNING"), 0) << describe(st);
    r = runCli({"farm", "status", jobDir});
    EXPECT_NE(r.out.find("RUNNING"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("% eta "), std::string::npos) << r.out;

    r = runCli({"farm", "cancel", jobDir});
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("cancelled " + job.submissions[0].slurmJobId), std::string::npos) << r.out;
    st = waitDone(jobDir, 30);
    ASSERT_TRUE(st.finished()) << describe(st);
    EXPECT_EQ(st.count("CANCELLED"), 3) << describe(st);
    // A killed task never leaves a take that looks finished.
    for (const auto& t : job.tasks) {
        EXPECT_FALSE(fs::exists(t.video)) << t.video;
        EXPECT_FALSE(fs::exists(t.sidecar)) << t.sidecar;
    }
    // Cancelling a finished job is not an error.
    r = runCli({"farm", "cancel", jobDir});
    EXPECT_EQ(r.code, 0) << r.out;
}

TEST_F(FarmSlurm, FineTuneRunsBeforeTheRenderArrayThatDependsOnIt) {
    const auto [proj, jobDir] = projectAndJob("chain");
    // The fine-tune stage is a command given here (it sleeps, then leaves a time-stamped marker), so the
    // order is visible: the renders must start after it finished.
    const std::string cmd = "sleep 3; date +%s.%N > \"$MB_FARM_JOB_DIR/finetune-marker\"";
    CliResult r = runCli(submitArgs(proj, jobDir, {"--seeds", "8,9", "--finetune-command", cmd}));
    ASSERT_EQ(r.code, 0) << r.out;
    const FarmJob job = loadJob(jobDir);
    ASSERT_EQ(job.submissions.size(), 2u);
    EXPECT_EQ(job.submissions[0].kind, "finetune");
    EXPECT_EQ(job.submissions[1].kind, "render");
    EXPECT_EQ(job.submissions[1].dependsOn, job.submissions[0].slurmJobId);
    // While the fine-tune runs, the renders wait for it (Slurm names the reason once it has scheduled).
    JobState st;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    do {
        st = queryJob(job, SlurmClient{});
        if (!st.tasks[0].reason.empty())
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    } while (std::chrono::steady_clock::now() < deadline);
    EXPECT_EQ(st.tasks[0].state, "PENDING") << describe(st);
    EXPECT_EQ(st.tasks[0].reason, "Dependency") << describe(st);

    st = waitDone(jobDir, 80);
    ASSERT_TRUE(st.finished()) << describe(st);
    EXPECT_EQ(st.fineTuneState, "DONE");
    EXPECT_EQ(st.count("COMPLETED"), 2) << describe(st);
    ASSERT_TRUE(fs::exists(jobDir + "/finetune-marker"));
    const double marker = std::stod(mb::readWholeFile(jobDir + "/finetune-marker"));
    for (const auto& t : job.tasks) {
        const auto rec = nlohmann::json::parse(mb::readWholeFile(t.statusFile));
        EXPECT_GE(rec["start"].get<double>() + 1, marker)
            << "task " << t.index << " started before the fine-tune";
    }
}

TEST_F(FarmSlurm, FailedFineTuneNeverRendersAndIsResubmittedWithItsRenders) {
    const auto [proj, jobDir] = projectAndJob("chain-fail");
    // Fails unless the test has created the go-file: the first run fails, the resubmitted one succeeds.
    const std::string cmd = "test -f \"$MB_FARM_JOB_DIR/go\" || { echo 'no go-file' >&2; exit 7; }";
    CliResult r = runCli(submitArgs(proj, jobDir, {"--seeds", "4", "--finetune-command", cmd}));
    ASSERT_EQ(r.code, 0) << r.out;
    JobState st = waitDone(jobDir, 40);
    ASSERT_TRUE(st.finished()) << describe(st);
    EXPECT_NE(st.fineTuneState, "DONE");
    EXPECT_NE(st.fineTuneLogTail.find("no go-file"), std::string::npos) << st.fineTuneLogTail;
    EXPECT_NE(st.tasks[0].state, "COMPLETED") << describe(st);
    EXPECT_FALSE(fs::exists(loadJob(jobDir).tasks[0].video));

    mb::writeFileAtomically(jobDir + "/go", "");
    r = runCli({"farm", "resubmit", jobDir, "--failed"});
    ASSERT_EQ(r.code, 0) << r.out;
    const FarmJob job = loadJob(jobDir);
    ASSERT_EQ(job.submissions.size(), 4u);
    EXPECT_EQ(job.submissions[2].kind, "finetune");
    EXPECT_EQ(job.submissions[3].dependsOn, job.submissions[2].slurmJobId);
    st = waitDone(jobDir, 60);
    EXPECT_EQ(st.fineTuneState, "DONE") << describe(st);
    EXPECT_EQ(st.count("COMPLETED"), 1) << describe(st);
}

TEST_F(FarmSlurm, TrainFineTuneFeedsItsCheckpointToTheRenders) {
    const auto [proj, jobDir] = projectAndJob("train");
    CliResult r = runCli(submitArgs(proj, jobDir, {"--seeds", "6", "--finetune", "--train-steps", "2"}));
    ASSERT_EQ(r.code, 0) << r.out;
    const JobState st = waitDone(jobDir, 80);
    ASSERT_TRUE(st.finished()) << describe(st);
    ASSERT_EQ(st.fineTuneState, "DONE") << st.fineTuneLogTail << describe(st);
    ASSERT_EQ(st.count("COMPLETED"), 1) << describe(st);
    const FarmJob job = loadJob(jobDir);
    const std::string checkpoint = job.snapshotProject + ".checkpoints/subjects.safetensors";
    ASSERT_TRUE(fs::exists(checkpoint));
    const auto sidecar = nlohmann::json::parse(mb::readWholeFile(job.tasks[0].sidecar));
    EXPECT_EQ(sidecar["checkpoint"]["sha256"], mb::sha256File(checkpoint)) << sidecar.dump(2);
    // The user's project is untouched by the fine-tune: only the snapshot points at the checkpoint.
    EXPECT_TRUE(mb::loadProject(proj).render.checkpoint.empty());
}
