// farm submit/status/cancel/resubmit/collect: takes rendered as Slurm job arrays (core/farm/farm_job.h).
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "doc/project_io.h"
#include "farm/farm_job.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace mb::cli {
namespace {

using farm::FarmJob;
using farm::SlurmClient;

SlurmClient slurmClient(const ArgParser& ap) {
    SlurmClient s;
    s.timeoutSeconds = ap.getDouble("--slurm-timeout", 30);
    if (s.timeoutSeconds <= 0)
        throw UsageError("--slurm-timeout must be positive");
    return s;
}

std::vector<std::uint64_t> parseSeeds(const std::string& text) {
    std::vector<std::uint64_t> seeds;
    std::istringstream ss(text);
    for (std::string part; std::getline(ss, part, ',');) {
        if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos)
            throw UsageError("--seeds wants non-negative integers separated by commas, got '" + text + "'");
        seeds.push_back(std::stoull(part));
    }
    if (seeds.empty())
        throw UsageError("--seeds is empty");
    return seeds;
}

/** This executable's own path: what the nodes run when motionbooth-cli is installed at the same place. */
std::string selfPath() {
    std::error_code ec;
    const fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("motionbooth-cli") : p.string();
}

std::string defaultJobDir(const std::string& projectPath) {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    const fs::path p = fs::absolute(projectPath);
    return (p.parent_path() / "farm" / (p.stem().string() + "-" + stamp)).string();
}

int runSubmit(const Args& args) {
    ArgParser ap;
    ap.option("--seeds").option("--variations").option("--shots").option("--partition").option("--time");
    ap.option("--mem")
        .option("--cpus-per-task")
        .option("--gpus-per-task")
        .option("--job-dir")
        .option("--cli");
    ap.option("--model").option("--frames").option("--size").option("--steps").option("--threads");
    ap.option("--finetune-command").option("--train-steps").option("--slurm-timeout").option("--job-name");
    ap.flag("--dry-run").flag("--finetune");
    ap.parse(args);
    ap.requirePositional(1, "one project file");
    farm::FarmJobSpec spec;
    spec.projectPath = ap.positional()[0];
    const Project project = loadProject(spec.projectPath);
    if (ap.has("--seeds") && ap.has("--variations"))
        throw UsageError("give either --seeds or --variations, not both");
    if (ap.has("--seeds")) {
        spec.seeds = parseSeeds(*ap.get("--seeds"));
    } else {
        const long long n = ap.getInt("--variations", 1);
        if (n < 1 || n > 10000)
            throw UsageError("--variations must be between 1 and 10000");
        for (long long i = 0; i < n; ++i)
            spec.seeds.push_back(project.shot.seed + std::uint64_t(i)); // the shot's seed, then the next ones
    }
    if (ap.has("--shots")) {
        // A project holds one shot today; the option is accepted for that shot so scripts stay valid.
        const std::string shots = *ap.get("--shots");
        if (shots != "all" && shots != "0")
            throw UsageError("--shots: this project has one shot (0); got '" + shots + "'");
    }
    spec.jobDir = ap.get("--job-dir", defaultJobDir(spec.projectPath));
    spec.cli = ap.get("--cli", selfPath());
    spec.model = ap.get("--model", "");
    if (!spec.model.empty())
        spec.model = fs::absolute(spec.model).lexically_normal().string(); // as given, made absolute
    spec.jobName = ap.get("--job-name", "motionbooth");
    spec.resources.partition = ap.get("--partition", "");
    spec.resources.time = ap.get("--time", "");
    spec.resources.mem = ap.get("--mem", "");
    spec.resources.cpusPerTask = int(ap.getInt("--cpus-per-task", 1));
    spec.resources.gpusPerTask = int(ap.getInt("--gpus-per-task", 0));
    if (spec.resources.cpusPerTask < 1 || spec.resources.gpusPerTask < 0)
        throw UsageError("--cpus-per-task must be at least 1 and --gpus-per-task not negative");
    for (const char* opt : {"--frames", "--steps"})
        if (ap.has(opt)) {
            if (ap.getInt(opt, 0) < 1)
                throw UsageError(std::string(opt) + " must be positive");
            spec.renderArgs.insert(spec.renderArgs.end(), {opt, *ap.get(opt)});
        }
    if (ap.has("--size")) {
        parseSize(*ap.get("--size"));
        spec.renderArgs.insert(spec.renderArgs.end(), {"--size", *ap.get("--size")});
    }
    // One render thread per allocated CPU unless told otherwise (ruling 23: fixed thread count).
    const long long threads = ap.getInt("--threads", spec.resources.cpusPerTask);
    if (threads < 1)
        throw UsageError("--threads must be positive");
    spec.renderArgs.insert(spec.renderArgs.end(), {"--threads", std::to_string(threads)});
    // The fine-tune trains at the size and length the takes are rendered at, with as many threads.
    if (ap.has("--train-steps")) {
        if (ap.getInt("--train-steps", 0) < 1)
            throw UsageError("--train-steps must be positive");
        spec.fineTuneArgs.insert(spec.fineTuneArgs.end(), {"--steps", *ap.get("--train-steps")});
    }
    for (const char* opt : {"--frames", "--size"})
        if (ap.has(opt))
            spec.fineTuneArgs.insert(spec.fineTuneArgs.end(), {opt, *ap.get(opt)});
    spec.fineTuneArgs.insert(spec.fineTuneArgs.end(), {"--threads", std::to_string(threads)});
    spec.fineTune = ap.has("--finetune") || ap.has("--finetune-command");
    spec.fineTuneCommand = ap.get("--finetune-command", "");

    FarmJob job = farm::freezeJob(spec);
    std::printf("job folder: %s\n", job.dir.c_str());
    if (ap.has("--dry-run")) {
        std::printf("dry run: wrote %s%s%s; submit with `motionbooth-cli farm resubmit %s --failed` or "
                    "`sbatch --array=0-%zu render.sbatch` there\n",
                    job.renderScript().c_str(), job.hasFineTune ? " and " : "",
                    job.hasFineTune ? job.fineTuneScript().c_str() : "", job.dir.c_str(),
                    job.tasks.size() - 1);
        return 0;
    }
    const std::string id = farm::submitJob(job, slurmClient(ap), {}, job.hasFineTune);
    for (const auto& s : job.submissions)
        std::printf("submitted %s job %s%s\n", s.kind.c_str(), s.slurmJobId.c_str(),
                    s.dependsOn.empty() ? "" : (" (after " + s.dependsOn + ")").c_str());
    (void)id;
    return 0;
}

std::string formatEta(double s) {
    if (s < 0)
        return "unknown";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%dm%02ds", int(s) / 60, int(s) % 60);
    return buf;
}

int runStatus(const Args& args) {
    ArgParser ap;
    ap.option("--slurm-timeout").option("--wait").flag("--json");
    ap.parse(args);
    ap.requirePositional(1, "one farm job folder");
    const FarmJob job = farm::loadJob(ap.positional()[0]);
    const SlurmClient slurm = slurmClient(ap);
    const farm::JobState st = ap.has("--wait") ? farm::waitForJob(job, slurm, ap.getDouble("--wait", 0))
                                               : farm::queryJob(job, slurm);
    if (ap.has("--json")) {
        nlohmann::json j;
        j["job_dir"] = job.dir;
        j["finished"] = st.finished();
        j["eta_seconds"] = st.etaSeconds;
        if (job.hasFineTune)
            j["fine_tune"] = {{"state", st.fineTuneState}, {"log_tail", st.fineTuneLogTail}};
        j["tasks"] = nlohmann::json::array();
        for (const auto& t : st.tasks)
            j["tasks"].push_back({{"index", t.index},
                                  {"seed", t.seed},
                                  {"state", t.state},
                                  {"reason", t.reason},
                                  {"slurm_id", t.slurmId},
                                  {"exit_code", t.exitCode},
                                  {"progress", t.progress},
                                  {"eta_seconds", t.etaSeconds},
                                  {"take_verified", t.takeVerified},
                                  {"video", job.tasks[size_t(t.index)].video},
                                  {"log_tail", t.logTail}});
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    if (job.hasFineTune) {
        std::printf("fine-tune: %s\n", st.fineTuneState.c_str());
        if (!st.fineTuneLogTail.empty())
            std::printf("%s", st.fineTuneLogTail.c_str());
    }
    for (const auto& t : st.tasks) {
        std::printf("task %d seed %llu: %s", t.index, (unsigned long long)t.seed, t.state.c_str());
        if (!t.reason.empty())
            std::printf(" (%s)", t.reason.c_str());
        if (t.state == "RUNNING")
            std::printf(" %.0f%% eta %s", t.progress, formatEta(t.etaSeconds).c_str());
        if (t.exitCode > 0)
            std::printf(" exit code %d", t.exitCode);
        if (t.state == "COMPLETED" && !t.takeVerified)
            std::printf(" (take does not match its sidecar)");
        std::printf("\n");
        if (!t.logTail.empty() && t.state != "NOT_SUBMITTED") {
            std::istringstream ss(t.logTail);
            for (std::string line; std::getline(ss, line);)
                std::printf("    | %s\n", line.c_str());
        }
    }
    std::printf("%d of %zu takes done, %d failed, eta %s\n", st.count("COMPLETED"), st.tasks.size(),
                st.count("FAILED"), formatEta(st.etaSeconds).c_str());
    return 0;
}

int runCancel(const Args& args) {
    ArgParser ap;
    ap.option("--slurm-timeout");
    ap.parse(args);
    ap.requirePositional(1, "one farm job folder");
    const FarmJob job = farm::loadJob(ap.positional()[0]);
    for (const auto& id : farm::cancelJob(job, slurmClient(ap)))
        std::printf("cancelled %s\n", id.c_str());
    return 0;
}

int runResubmit(const Args& args) {
    ArgParser ap;
    ap.option("--slurm-timeout").flag("--failed");
    ap.parse(args);
    ap.requirePositional(1, "one farm job folder");
    if (!ap.has("--failed"))
        throw UsageError("farm resubmit needs --failed (only failed or missing takes are submitted again)");
    FarmJob job = farm::loadJob(ap.positional()[0]);
    const std::vector<int> tasks = farm::resubmitFailed(job, slurmClient(ap));
    if (tasks.empty()) {
        std::printf("nothing to resubmit: every take is done or still running\n");
        return 0;
    }
    std::string list;
    for (int t : tasks)
        list += (list.empty() ? "" : ",") + std::to_string(t);
    std::printf("resubmitted tasks %s as job %s\n", list.c_str(), job.submissions.back().slurmJobId.c_str());
    return 0;
}

int runCollect(const Args& args) {
    ArgParser ap;
    ap.flag("--json").flag("--list-only");
    ap.parse(args);
    ap.requirePositional(1, "one farm job folder");
    const FarmJob job = farm::loadJob(ap.positional()[0]);
    farm::CollectResult r;
    std::vector<std::pair<int, Take>> takes;
    if (ap.has("--list-only")) {
        // The editor adds the takes to its open document (undoable) instead of having the file rewritten.
        takes = farm::verifiedTakes(job, r);
    } else {
        r = farm::collectJob(job);
    }
    if (ap.has("--json")) {
        nlohmann::json j;
        j["project"] = job.sourceProject;
        j["saved"] = !ap.has("--list-only");
        j["added"] = r.added;
        j["already_listed"] = r.alreadyListed;
        j["rejected"] = nlohmann::json::array();
        for (const auto& [t, why] : r.rejected)
            j["rejected"].push_back({{"task", t}, {"why", why}});
        j["takes"] = nlohmann::json::array();
        for (const auto& [t, take] : takes)
            j["takes"].push_back({{"task", t},
                                  {"seed", take.seed},
                                  {"video", take.video},
                                  {"sidecar", take.sidecar},
                                  {"created_utc", take.createdUtc}});
        std::printf("%s\n", j.dump(2).c_str());
        return r.rejected.empty() ? 0 : 1;
    }
    for (int t : r.added)
        std::printf("task %d: verified, %s %s\n", t, ap.has("--list-only") ? "take" : "added",
                    job.tasks[size_t(t)].video.c_str());
    for (int t : r.alreadyListed)
        std::printf("task %d: verified, already listed\n", t);
    for (const auto& [t, why] : r.rejected)
        std::printf("task %d: not collected: %s\n", t, why.c_str());
    if (ap.has("--list-only"))
        std::printf("%zu takes verified (%s left as it is), %zu not collected\n", r.added.size(),
                    job.sourceProject.c_str(), r.rejected.size());
    else
        std::printf("%zu takes added to %s, %zu not collected\n", r.added.size(), job.sourceProject.c_str(),
                    r.rejected.size());
    return r.rejected.empty() ? 0 : 1;
}

int runVerifyTake(const Args& args) {
    ArgParser ap;
    ap.option("--seed");
    ap.parse(args);
    ap.requirePositional(1, "one take (MP4)");
    std::optional<std::uint64_t> seed;
    if (ap.has("--seed")) {
        const long long s = ap.getInt("--seed", 0);
        if (s < 0)
            throw UsageError("--seed must be non-negative");
        seed = std::uint64_t(s);
    }
    std::string why;
    if (!farm::verifyTake(ap.positional()[0], seed, &why)) {
        std::fprintf(stderr, "%s\n", why.c_str());
        return 1;
    }
    std::printf("%s matches its sidecar\n", ap.positional()[0].c_str());
    return 0;
}

MB_CLI_COMMAND(
    "farm submit",
    "PROJECT [--seeds 1,2,5 | --variations N] [--shots all] [--partition P] [--time T] [--mem M] "
    "[--cpus-per-task C] [--gpus-per-task G] [--model DIR] [--frames F] [--size WxH] [--steps N] "
    "[--threads T] [--finetune [--train-steps N] | --finetune-command CMD] [--job-dir DIR] [--cli PATH] "
    "[--slurm-timeout S] [--dry-run]",
    "freezes a job folder and submits one take per seed as a Slurm job array (sbatch --array)", runSubmit);
MB_CLI_COMMAND("farm status", "JOB_DIR [--json] [--wait SECONDS]",
               "per-task state, progress and ETA of a farm job (squeue and the job's completion records)",
               runStatus);
MB_CLI_COMMAND("farm cancel", "JOB_DIR", "cancels a farm job's Slurm jobs (scancel)", runCancel);
MB_CLI_COMMAND("farm resubmit", "JOB_DIR --failed", "submits the failed or missing takes of a farm job again",
               runResubmit);
MB_CLI_COMMAND("farm collect", "JOB_DIR [--json] [--list-only]",
               "verifies each take against its sidecar and lists the good ones in the project's takes "
               "(--list-only: only prints them, the project file is left alone)",
               runCollect);
MB_CLI_COMMAND("farm verify-take", "VIDEO.mp4 [--seed S]",
               "exits 0 when the take matches its sidecar (what farm tasks use to skip finished takes)",
               runVerifyTake);

} // namespace
} // namespace mb::cli
