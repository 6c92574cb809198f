// Farm job folders without a cluster: snapshot and hashes, the sbatch scripts, take verification, and the
// errors for a missing sbatch or an unreachable controller.
#include "doc/atomic_file.h"
#include "doc/project_io.h"
#include "doc/sha256.h"
#include "farm/farm_job.h"
#include "farm_test_util.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace farmtest;
using namespace mb::farm;

namespace {

fs::path workDir(const std::string& name) {
    const fs::path d = fs::path(MB_FARM_WORK) / "unit" / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

FarmJobSpec spec(const fs::path& dir) {
    FarmJobSpec s;
    s.projectPath = copyDemo(dir / "proj");
    s.jobDir = (dir / "job").string();
    s.seeds = {1, 2, 5};
    s.cli = MB_CLI;
    s.model = std::string(MB_TEST_DATA) + "/reference/tiny";
    s.renderArgs = {"--frames", "4"};
    s.resources.partition = "debug";
    s.resources.time = "00:10:00";
    s.resources.mem = "1G";
    s.resources.cpusPerTask = 2;
    return s;
}

} // namespace

TEST(FarmJob, FreezesASnapshotWithHashedAssetsAndAnArrayScript) {
    const fs::path dir = workDir("freeze");
    const FarmJobSpec s = spec(dir);
    const FarmJob job = freezeJob(s);
    ASSERT_EQ(job.tasks.size(), 3u);
    EXPECT_EQ(job.tasks[2].seed, 5u);
    EXPECT_EQ(fs::path(job.tasks[2].video).filename(), "take-002-seed5.mp4");
    EXPECT_EQ(job.sourceProject, fs::path(s.projectPath).lexically_normal().string());

    // The snapshot refers only to its own copies, and job.json hashes each of them.
    const mb::Project snap = mb::loadProject(job.snapshotProject);
    ASSERT_FALSE(snap.subjects.empty());
    for (const auto& photo : snap.subjects[0].photos) {
        EXPECT_EQ(photo.image.rfind(job.dir + "/project/assets/", 0), 0u) << photo.image;
        EXPECT_TRUE(fs::exists(photo.image));
    }
    EXPECT_EQ(snap.background.rfind(job.dir + "/project/assets/", 0), 0u);
    const auto j = nlohmann::json::parse(mb::readWholeFile(job.dir + "/job.json"));
    ASSERT_EQ(j["snapshot"].size(), snap.subjects[0].photos.size() * 2 + 2); // photos, masks, bg, project
    for (const auto& f : j["snapshot"])
        EXPECT_EQ(f["sha256"], mb::sha256File(job.dir + "/project/" + f["file"].get<std::string>()));
    EXPECT_EQ(j["model"], s.model);

    // Editing the project afterwards does not change what the farm renders.
    mb::Project edited = mb::loadProject(s.projectPath);
    edited.shot.prompt = "something else";
    mb::saveProject(edited, s.projectPath);
    EXPECT_NE(mb::loadProject(job.snapshotProject).shot.prompt, "something else");

    const std::string script = mb::readWholeFile(job.renderScript());
    EXPECT_NE(script.find("#SBATCH --array=0-2\n"), std::string::npos) << script;
    EXPECT_NE(script.find("#SBATCH --partition=debug\n"), std::string::npos);
    EXPECT_NE(script.find("#SBATCH --time=00:10:00\n"), std::string::npos);
    EXPECT_NE(script.find("#SBATCH --mem=1G\n"), std::string::npos);
    EXPECT_NE(script.find("#SBATCH --cpus-per-task=2\n"), std::string::npos);
    EXPECT_NE(script.find("seeds=( 1 2 5 )"), std::string::npos);
    EXPECT_NE(script.find("farm verify-take"), std::string::npos);
    EXPECT_FALSE(fs::exists(job.fineTuneScript()));

    // A second freeze into the same folder is refused.
    EXPECT_THROW(freezeJob(s), std::runtime_error);
}

TEST(FarmJob, RefusesBadInput) {
    const fs::path dir = workDir("bad");
    FarmJobSpec s = spec(dir);
    s.seeds.clear();
    EXPECT_THROW(freezeJob(s), std::runtime_error);
    s = spec(dir);
    s.resources.partition = "debug; rm -rf /";
    EXPECT_THROW(freezeJob(s), std::runtime_error);
    s = spec(dir);
    s.projectPath = (dir / "nope.mbproj").string();
    EXPECT_THROW(freezeJob(s), std::runtime_error);
    EXPECT_THROW(loadJob((dir / "no-job").string()), FarmError);
}

TEST(FarmJob, DryRunScriptRunsUnderAnyManagerAndSkipsMatchingTakes) {
    const fs::path dir = workDir("dryrun");
    const std::string proj = copyDemo(dir / "proj");
    std::vector<std::string> args = {
        "farm",      "submit", proj,  "--seeds", "3", "--job-dir", (dir / "job").string(),
        "--dry-run", "--cli",  MB_CLI};
    const auto draft = draftOptions();
    args.insert(args.end(), draft.begin(), draft.end());
    CliResult r = runCli(args);
    ASSERT_EQ(r.code, 0) << r.out;
    const FarmJob job = loadJob((dir / "job").string());
    EXPECT_TRUE(job.submissions.empty());

    // What another farm manager would do: run the script with the task index set.
    mb::farm::ProcessOptions opt;
    opt.timeoutSeconds = 120;
    opt.setEnv["SLURM_ARRAY_TASK_ID"] = "0";
    ProcessResult run = runProcess({"bash", job.renderScript()}, opt);
    ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
    std::string why;
    EXPECT_TRUE(verifyTake(job.tasks[0].video, 3, &why)) << why;
    EXPECT_FALSE(verifyTake(job.tasks[0].video, 4, &why));
    const auto record = nlohmann::json::parse(mb::readWholeFile(job.tasks[0].statusFile));
    EXPECT_EQ(record["exit_code"], 0);
    EXPECT_EQ(record["seed"], 3);

    // Re-running skips the finished take (same file, untouched).
    const auto mtime = fs::last_write_time(job.tasks[0].video);
    run = runProcess({"bash", job.renderScript()}, opt);
    ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("matches its sidecar; skipped"), std::string::npos) << run.out;
    EXPECT_EQ(fs::last_write_time(job.tasks[0].video), mtime);

    // A take that no longer matches its sidecar is not accepted by verify-take nor collected.
    {
        std::string bytes = mb::readWholeFile(job.tasks[0].video);
        bytes[bytes.size() / 2] ^= 0x55;
        mb::writeFileAtomically(job.tasks[0].video, bytes);
    }
    r = runCli({"farm", "verify-take", job.tasks[0].video, "--seed", "3"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("does not match its sidecar"), std::string::npos) << r.out;
    r = runCli({"farm", "collect", job.dir});
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_TRUE(mb::loadProject(proj).takes.empty());
}

TEST(FarmJob, MissingSbatchIsAClearError) {
    const fs::path dir = workDir("nosbatch");
    FarmJob job = freezeJob(spec(dir));
    SlurmClient slurm;
    slurm.binDir = (dir / "empty-bin").string(); // no Slurm commands here
    try {
        submitJob(job, slurm);
        FAIL() << "submit without sbatch succeeded";
    } catch (const FarmError& e) {
        EXPECT_NE(std::string(e.what()).find("was not found"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("sbatch"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(loadJob(job.dir).submissions.empty());
}

TEST(FarmJob, UnreachableControllerIsAClearErrorWithinTheDeadline) {
    // The test command installs slurm-client (scripts/bootstrap.sh): its absence is a failure, never a skip.
    ASSERT_TRUE(fs::exists("/usr/bin/sbatch")) << "slurm-client is not installed";
    const fs::path dir = workDir("unreachable");
    const std::string proj = copyDemo(dir / "proj");
    // A cluster whose controller port has nobody listening.
    const fs::path conf = dir / "slurm.conf";
    mb::writeFileAtomically(conf.string(), "ClusterName=nobody\nSlurmctldHost=localhost(127.0.0.1)\n"
                                           "SlurmctldPort=9\nAuthType=auth/none\nCredType=cred/none\n"
                                           "NodeName=localhost CPUs=1\nPartitionName=p Nodes=localhost\n");
    setenv("SLURM_CONF", conf.c_str(), 1);
    CliResult r = runCli({"farm", "submit", proj, "--seeds", "1", "--job-dir", (dir / "job").string(),
                          "--cli", MB_CLI, "--slurm-timeout", "4"},
                         60);
    unsetenv("SLURM_CONF");
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_LT(r.seconds, 15) << r.out;
    const bool clear = r.out.find("Unable to contact slurm controller") != std::string::npos ||
                       r.out.find("controller is unreachable") != std::string::npos;
    EXPECT_TRUE(clear) << r.out;
}
