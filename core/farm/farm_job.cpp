#include "farm/farm_job.h"
#include "doc/utc_time.h"

#include "doc/atomic_file.h"
#include "doc/project_io.h"
#include "doc/sha256.h"
#include "farm/process.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using nlohmann::json;

namespace mb::farm {
namespace {

/** Single-quotes a word for bash: nothing inside is expanded. */
std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) {
        if (c == '\'')
            q += "'\\''";
        else
            q += c;
    }
    return q + "'";
}

std::string takeName(int index, std::uint64_t seed) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "take-%03d-seed%llu", index, (unsigned long long)seed);
    return buf;
}

/** The last `lines` lines of a text file (empty when unreadable). */
std::string tailOfFile(const std::string& path, int lines) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return {};
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    const std::streamoff from = std::max<std::streamoff>(0, size - 16384);
    in.seekg(from);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Carriage-return progress rewrites become separate lines.
    std::replace(text.begin(), text.end(), '\r', '\n');
    std::vector<std::string> all;
    std::istringstream ss(text);
    for (std::string l; std::getline(ss, l);)
        if (!l.empty())
            all.push_back(l);
    std::string out;
    for (size_t i = all.size() > size_t(lines) ? all.size() - size_t(lines) : 0; i < all.size(); ++i)
        out += all[i] + "\n";
    return out;
}

std::string slurmCommand(const SlurmClient& slurm, const std::string& name) {
    return slurm.binDir.empty() ? name : slurm.binDir + "/" + name;
}

/** Runs a Slurm client command; throws FarmError for a missing program, a timeout or (if `check`) failure. */
ProcessResult runSlurm(const SlurmClient& slurm, std::vector<std::string> argv, bool check = true) {
    argv[0] = slurmCommand(slurm, argv[0]);
    ProcessOptions opt;
    opt.timeoutSeconds = slurm.timeoutSeconds;
    ProcessResult r = runProcess(argv, opt);
    if (r.notFound)
        throw FarmError("'" + argv[0] +
                        "' was not found: install Slurm's client commands (Debian: slurm-client) on this "
                        "machine, or check PATH");
    if (r.timedOut)
        throw FarmError("'" + describeCommand(argv) + "' did not answer within " +
                        std::to_string(int(slurm.timeoutSeconds)) +
                        " s: the Slurm controller is unreachable or overloaded");
    if (check && r.exitCode != 0) {
        std::string msg = r.err.empty() ? r.out : r.err;
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
            msg.pop_back();
        throw FarmError("'" + describeCommand(argv) + "' failed (exit " + std::to_string(r.exitCode) +
                        "): " + msg);
    }
    return r;
}

json resourcesToJson(const SlurmResources& r) {
    return {{"partition", r.partition},
            {"time", r.time},
            {"mem", r.mem},
            {"cpus_per_task", r.cpusPerTask},
            {"gpus_per_task", r.gpusPerTask}};
}

SlurmResources resourcesFromJson(const json& j) {
    SlurmResources r;
    r.partition = j.value("partition", "");
    r.time = j.value("time", "");
    r.mem = j.value("mem", "");
    r.cpusPerTask = j.value("cpus_per_task", 1);
    r.gpusPerTask = j.value("gpus_per_task", 0);
    return r;
}

/** `#SBATCH` lines for the resources (also passed on the command line by submitJob). */
std::vector<std::string> resourceOptions(const SlurmResources& r) {
    std::vector<std::string> o;
    if (!r.partition.empty())
        o.push_back("--partition=" + r.partition);
    if (!r.time.empty())
        o.push_back("--time=" + r.time);
    if (!r.mem.empty())
        o.push_back("--mem=" + r.mem);
    if (r.cpusPerTask > 0)
        o.push_back("--cpus-per-task=" + std::to_string(r.cpusPerTask));
    if (r.gpusPerTask > 0)
        o.push_back("--gpus-per-task=" + std::to_string(r.gpusPerTask));
    return o;
}

void checkSlurmValue(const std::string& what, const std::string& v) {
    for (char c : v)
        if (!(std::isalnum((unsigned char)c) || c == '-' || c == '_' || c == ':' || c == '.' || c == ','))
            throw std::runtime_error(what + " '" + v + "' has a character Slurm does not accept there");
}

/** Copies an asset into the snapshot under a unique name; returns the new absolute path. */
std::string snapshotAsset(const std::string& src, const fs::path& assetDir, int& counter, json& manifest,
                          std::map<std::string, std::string>& copied) {
    if (src.empty())
        return src;
    if (auto it = copied.find(src); it != copied.end())
        return it->second;
    if (!fs::is_regular_file(src))
        throw std::runtime_error("cannot snapshot the project: asset " + src + " does not exist");
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%03d-", counter++);
    const fs::path dst = assetDir / (prefix + fs::path(src).filename().string());
    fs::copy_file(src, dst, fs::copy_options::overwrite_existing);
    manifest.push_back({{"file", fs::relative(dst, assetDir.parent_path()).generic_string()},
                        {"source", src},
                        {"sha256", sha256File(dst.string())}});
    copied[src] = dst.string();
    return dst.string();
}

std::string renderScriptText(const FarmJobSpec& spec, const FarmJob& job, const std::string& snapshotRel) {
    std::ostringstream s;
    const int n = int(spec.seeds.size());
    s << "#!/bin/bash\n"
      << "# MotionBooth farm job: array task i renders take i of " << n << ".\n"
      << "# Submit elsewhere with: sbatch --array=0-" << n - 1
      << " render.sbatch (from this folder), or run\n"
      << "# it with SLURM_ARRAY_TASK_ID=i under any other manager. Needs motionbooth-cli on the node and "
         "this\n"
      << "# folder and the model on shared storage.\n"
      << "#SBATCH --job-name=" << spec.jobName << "-render\n"
      << "#SBATCH --array=0-" << n - 1 << "\n"
      << "#SBATCH --output=logs/task-%a.log\n";
    for (const auto& o : resourceOptions(spec.resources))
        s << "#SBATCH " << o << "\n";
    s << "set -u\n"
      << "job_dir=" << shellQuote(job.dir) << "\n"
      << "cli=" << shellQuote(spec.cli) << "\n"
      << "project=\"$job_dir\"/" << shellQuote(snapshotRel) << "\n"
      << "seeds=(";
    for (auto seed : spec.seeds)
        s << ' ' << seed;
    s << " )\nnames=(";
    for (int i = 0; i < n; ++i)
        s << ' ' << takeName(i, spec.seeds[size_t(i)]);
    s << " )\nrender_args=(";
    if (!spec.model.empty())
        s << " --model " << shellQuote(spec.model);
    for (const auto& a : spec.renderArgs)
        s << ' ' << shellQuote(a);
    s << " )\n"
      << "i=${SLURM_ARRAY_TASK_ID:?not an array task: set SLURM_ARRAY_TASK_ID}\n"
      << "if [ \"$i\" -lt 0 ] || [ \"$i\" -ge ${#seeds[@]} ]; then echo \"error: no task $i\" >&2; exit 2; "
         "fi\n"
      << "seed=${seeds[$i]}\n"
      << "out=\"$job_dir/takes/${names[$i]}.mp4\"\n"
      << "status=\"$job_dir/status/task-$i.json\"\n"
      << "start=$(date +%s)\n"
      << "rm -f \"$status\"\n"
      << "echo \"mb-farm: task $i seed $seed start $start on $(hostname) job ${SLURM_JOB_ID:-none}\"\n"
      << "# The completion record (sacct is often disabled): written atomically when the task ends, "
         "however.\n"
      << "finish() {\n"
      << "    local rc=$?\n"
      << "    printf '{\"task\": %d, \"seed\": %s, \"exit_code\": %d, \"start\": %d, \"end\": %d, "
         "\"slurm_job\": "
         "\"%s\"}\\n' \\\n"
      << "        \"$i\" \"$seed\" \"$rc\" \"$start\" \"$(date +%s)\" \"${SLURM_JOB_ID:-}\" >\"$status.tmp\" "
         "&& "
         "mv -f \"$status.tmp\" \"$status\"\n"
      << "    echo \"mb-farm: task $i exit $rc\"\n"
      << "}\n"
      << "trap finish EXIT\n"
      << "trap 'exit 143' TERM INT\n";
    if (job.hasFineTune)
        s << "if [ ! -f \"$job_dir/finetune/done\" ]; then\n"
          << "    echo \"error: the fine-tune has not finished ($job_dir/finetune/done is missing)\" >&2\n"
          << "    exit 3\n"
          << "fi\n";
    s << "# A take whose sidecar matches is done: re-running skips it.\n"
      << "if \"$cli\" farm verify-take \"$out\" --seed \"$seed\" >/dev/null 2>&1; then\n"
      << "    echo \"mb-farm: $out matches its sidecar; skipped\"\n"
      << "    exit 0\n"
      << "fi\n"
      << "# render writes the MP4 under a temporary name and renames it when complete, so a killed task\n"
      << "# never leaves a take that looks finished.\n"
      << "\"$cli\" render \"$project\" -o \"$out\" --seed \"$seed\" \"${render_args[@]}\" --progress &\n"
      << "wait $!\n";
    return s.str();
}

std::string fineTuneScriptText(const FarmJobSpec& spec, const FarmJob& job, const std::string& snapshotRel,
                               const std::string& checkpoint) {
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# MotionBooth farm job: the subject fine-tune the render array waits for (afterok).\n"
      << "#SBATCH --job-name=" << spec.jobName << "-finetune\n"
      << "#SBATCH --output=logs/finetune.log\n";
    for (const auto& o : resourceOptions(spec.resources))
        s << "#SBATCH " << o << "\n";
    s << "set -u\n"
      << "export MB_FARM_JOB_DIR=" << shellQuote(job.dir) << "\n"
      << "export MB_FARM_PROJECT=\"$MB_FARM_JOB_DIR\"/" << shellQuote(snapshotRel) << "\n"
      << "export MB_FARM_CHECKPOINT=" << shellQuote(checkpoint) << "\n"
      << "cli=" << shellQuote(spec.cli) << "\n"
      << "cd \"$MB_FARM_JOB_DIR\" || exit 1\n"
      << "rm -f finetune/done\n"
      << "echo \"mb-farm: fine-tune start $(date +%s) on $(hostname) job ${SLURM_JOB_ID:-none}\"\n";
    if (spec.fineTuneCommand.empty()) {
        // `train` writes <project>.checkpoints/subjects.safetensors and points the snapshot project at it,
        // so the render tasks that follow use the fine-tuned weights.
        s << "\"$cli\" train \"$MB_FARM_PROJECT\"";
        if (!spec.model.empty())
            s << " --model " << shellQuote(spec.model);
        for (const auto& a : spec.fineTuneArgs)
            s << ' ' << shellQuote(a);
        s << " --progress\n";
    } else {
        s << "(\n" << spec.fineTuneCommand << "\n)\n";
    }
    s << "rc=$?\n"
      << "if [ $rc -eq 0 ]; then date -u +%Y-%m-%dT%H:%M:%SZ >finetune/done.tmp && mv -f finetune/done.tmp "
         "finetune/done; fi\n"
      << "echo \"mb-farm: fine-tune exit $rc\"\n"
      << "exit $rc\n";
    return s.str();
}

json jobToJson(const FarmJob& job, const json& extra) {
    json j = extra;
    j["format"] = "motionbooth-farm-job";
    j["version"] = 1;
    j["source_project"] = job.sourceProject;
    j["snapshot_project"] = fs::relative(job.snapshotProject, job.dir).generic_string();
    j["fine_tune"] = job.hasFineTune;
    j["resources"] = resourcesToJson(job.resources);
    j["tasks"] = json::array();
    for (const auto& t : job.tasks)
        j["tasks"].push_back({{"index", t.index},
                              {"seed", t.seed},
                              {"video", fs::relative(t.video, job.dir).generic_string()}});
    j["submissions"] = json::array();
    for (const auto& s : job.submissions)
        j["submissions"].push_back({{"kind", s.kind},
                                    {"slurm_job_id", s.slurmJobId},
                                    {"tasks", s.tasks},
                                    {"depends_on", s.dependsOn},
                                    {"submitted_utc", s.submittedUtc}});
    return j;
}

void saveJob(const FarmJob& job) {
    const std::string path = job.dir + "/job.json";
    json j = json::parse(readWholeFile(path)); // keeps what freezeJob recorded (spec, snapshot hashes)
    writeFileAtomically(path, jobToJson(job, j).dump(2) + "\n");
}

std::string parseSbatchId(const ProcessResult& r) {
    std::string id = r.out.substr(0, r.out.find_first_of(";\n"));
    if (id.empty() ||
        !std::all_of(id.begin(), id.end(), [](char c) { return std::isdigit((unsigned char)c); }))
        throw FarmError("sbatch answered '" + r.out + "' instead of a job id");
    return id;
}

/** "1,3,5-7" for --array. */
std::string arraySpec(const std::vector<int>& tasks) {
    std::string s;
    for (size_t i = 0; i < tasks.size();) {
        size_t j = i;
        while (j + 1 < tasks.size() && tasks[j + 1] == tasks[j] + 1)
            ++j;
        if (!s.empty())
            s += ',';
        s += std::to_string(tasks[i]);
        if (j > i)
            s += "-" + std::to_string(tasks[j]);
        i = j + 1;
    }
    return s;
}

struct SqueueEntry {
    std::string state, reason, id;
};

/** squeue -t all for one job id: task index -> state (the whole job under index -1 for non-arrays). */
std::map<int, SqueueEntry> squeueJob(const SlurmClient& slurm, const std::string& jobId) {
    std::map<int, SqueueEntry> out;
    ProcessResult r =
        runSlurm(slurm, {"squeue", "-h", "-r", "-t", "all", "-j", jobId, "-o", "%i|%K|%T|%r"}, false);
    if (r.exitCode != 0) {
        // A job that left squeue (older than MinJobAge) is "Invalid job id": not an error.
        if (r.err.find("Invalid job id") != std::string::npos)
            return out;
        throw FarmError("'squeue -j " + jobId + "' failed: " + r.err);
    }
    std::istringstream ss(r.out);
    for (std::string line; std::getline(ss, line);) {
        std::vector<std::string> f;
        std::istringstream ls(line);
        for (std::string x; std::getline(ls, x, '|');)
            f.push_back(x);
        if (f.size() < 4)
            continue;
        const SqueueEntry e{f[2], f[3], f[0]};
        const std::string& k = f[1];
        if (k.empty() || k == "N/A") {
            out[-1] = e;
            continue;
        }
        // A pending remainder can still show as a range ("2-3" or "1,3"); -r usually expands it.
        std::istringstream ks(k);
        for (std::string part; std::getline(ks, part, ',');) {
            const auto dash = part.find('-');
            try {
                const int a = std::stoi(part.substr(0, dash));
                const int b = dash == std::string::npos ? a : std::stoi(part.substr(dash + 1));
                for (int t = a; t <= b; ++t)
                    out[t] = e;
            } catch (const std::exception&) {
            }
        }
    }
    return out;
}

bool isActiveState(const std::string& s) {
    static const std::set<std::string> active = {"PENDING",   "RUNNING",      "CONFIGURING", "COMPLETING",
                                                 "SUSPENDED", "REQUEUED",     "RESIZING",    "SIGNALING",
                                                 "STAGE_OUT", "REQUEUE_HOLD", "REQUEUE_FED", "STOPPED"};
    return active.count(s) > 0;
}

double lastPercentage(const std::string& logPath, long long* startEpoch) {
    std::ifstream in(logPath);
    double p = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("percentage:", 0) == 0) {
            try {
                p = std::stod(line.substr(11));
            } catch (const std::exception&) {
            }
        } else if (startEpoch && line.rfind("mb-farm: task", 0) == 0) {
            const auto at = line.find(" start ");
            if (at != std::string::npos)
                *startEpoch = std::atoll(line.c_str() + at + 7);
        }
    }
    return p;
}

} // namespace

bool TaskState::active() const {
    return isActiveState(state);
}

int JobState::count(const std::string& s) const {
    return int(std::count_if(tasks.begin(), tasks.end(), [&](const TaskState& t) { return t.state == s; }));
}

bool JobState::finished() const {
    if (isActiveState(fineTuneState))
        return false;
    return std::none_of(tasks.begin(), tasks.end(), [](const TaskState& t) { return t.active(); });
}

FarmJob freezeJob(const FarmJobSpec& spec) {
    if (spec.seeds.empty())
        throw std::runtime_error("farm job: no seeds to render (give --seeds or --variations)");
    if (spec.cli.empty())
        throw std::runtime_error("farm job: the motionbooth-cli path for the nodes is empty");
    checkSlurmValue("--partition", spec.resources.partition);
    checkSlurmValue("--time", spec.resources.time);
    checkSlurmValue("--mem", spec.resources.mem);
    checkSlurmValue("job name", spec.jobName);
    Project project = loadProject(spec.projectPath);

    const fs::path dir = fs::absolute(spec.jobDir).lexically_normal();
    if (fs::exists(dir) && !fs::is_empty(dir))
        throw std::runtime_error("farm job folder " + dir.string() + " already exists and is not empty");
    for (const char* sub : {"project/assets", "takes", "logs", "status", "finetune"})
        fs::create_directories(dir / sub);

    FarmJob job;
    job.dir = dir.string();
    job.sourceProject = fs::absolute(spec.projectPath).lexically_normal().string();
    job.hasFineTune = spec.fineTune;
    job.resources = spec.resources;

    // Snapshot: the project with every asset copied next to it, so later edits of the project do not
    // change what the farm renders. Takes are not part of the snapshot.
    json manifest = json::array();
    int counter = 0;
    std::map<std::string, std::string> copied;
    const fs::path assetDir = dir / "project/assets";
    for (auto& subject : project.subjects)
        for (auto& photo : subject.photos) {
            photo.image = snapshotAsset(photo.image, assetDir, counter, manifest, copied);
            photo.mask = snapshotAsset(photo.mask, assetDir, counter, manifest, copied);
        }
    project.background = snapshotAsset(project.background, assetDir, counter, manifest, copied);
    project.takes.clear();
    job.snapshotProject = (dir / "project" / fs::path(spec.projectPath).filename()).string();
    const std::string checkpoint = job.snapshotProject + ".checkpoints/subjects.safetensors";
    saveProject(project, job.snapshotProject);
    manifest.push_back({{"file", fs::relative(job.snapshotProject, dir / "project").generic_string()},
                        {"source", job.sourceProject},
                        {"sha256", sha256File(job.snapshotProject)}});

    for (size_t i = 0; i < spec.seeds.size(); ++i) {
        FarmTask t;
        t.index = int(i);
        t.seed = spec.seeds[i];
        t.video = (dir / "takes" / (takeName(t.index, t.seed) + ".mp4")).string();
        job.tasks.push_back(t);
    }
    const std::string snapshotRel = fs::relative(job.snapshotProject, dir).generic_string();
    writeFileAtomically(job.renderScript(), renderScriptText(spec, job, snapshotRel));
    fs::permissions(job.renderScript(),
                    fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add);
    if (spec.fineTune) {
        writeFileAtomically(job.fineTuneScript(), fineTuneScriptText(spec, job, snapshotRel, checkpoint));
        fs::permissions(job.fineTuneScript(),
                        fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                        fs::perm_options::add);
    }
    json extra = {{"created_utc", mb::utcNowIso8601()},
                  {"cli", spec.cli},
                  {"model", spec.model},
                  {"checkpoint", spec.fineTune ? checkpoint : project.render.checkpoint},
                  {"fine_tune_args", spec.fineTuneArgs},
                  {"render_args", spec.renderArgs},
                  {"fine_tune_command", spec.fineTuneCommand},
                  {"snapshot", manifest}};
    writeFileAtomically(job.dir + "/job.json", jobToJson(job, extra).dump(2) + "\n");
    return loadJob(job.dir);
}

FarmJob loadJob(const std::string& dirIn) {
    const fs::path dir = fs::absolute(dirIn).lexically_normal();
    const std::string path = (dir / "job.json").string();
    if (!fs::exists(path))
        throw FarmError(dirIn + " is not a farm job folder: " + path + " does not exist");
    json j;
    try {
        j = json::parse(readWholeFile(path));
    } catch (const json::exception& e) {
        throw FarmError(path + ": not valid JSON: " + e.what());
    }
    FarmJob job;
    try {
        if (j.value("format", "") != "motionbooth-farm-job")
            throw FarmError(path + ": not a MotionBooth farm job ($.format)");
        job.dir = dir.string();
        job.sourceProject = j.at("source_project").get<std::string>();
        job.snapshotProject = (dir / j.at("snapshot_project").get<std::string>()).string();
        job.hasFineTune = j.value("fine_tune", false);
        job.resources = resourcesFromJson(j.value("resources", json::object()));
        for (const auto& t : j.at("tasks")) {
            FarmTask task;
            task.index = t.at("index").get<int>();
            task.seed = t.at("seed").get<std::uint64_t>();
            task.video = (dir / t.at("video").get<std::string>()).string();
            task.sidecar = task.video + ".json";
            task.log = (dir / "logs" / ("task-" + std::to_string(task.index) + ".log")).string();
            task.statusFile = (dir / "status" / ("task-" + std::to_string(task.index) + ".json")).string();
            job.tasks.push_back(task);
        }
        for (const auto& s : j.value("submissions", json::array())) {
            Submission sub;
            sub.kind = s.at("kind").get<std::string>();
            sub.slurmJobId = s.at("slurm_job_id").get<std::string>();
            sub.tasks = s.value("tasks", std::vector<int>{});
            sub.dependsOn = s.value("depends_on", "");
            sub.submittedUtc = s.value("submitted_utc", "");
            job.submissions.push_back(sub);
        }
    } catch (const json::exception& e) {
        throw FarmError(path + ": malformed farm job: " + e.what());
    }
    return job;
}

std::string submitJob(FarmJob& job, const SlurmClient& slurm, std::vector<int> tasks, bool withFineTune,
                      const std::string& dependency) {
    if (tasks.empty())
        for (const auto& t : job.tasks)
            tasks.push_back(t.index);
    std::sort(tasks.begin(), tasks.end());
    tasks.erase(std::unique(tasks.begin(), tasks.end()), tasks.end());
    for (int t : tasks)
        if (t < 0 || t >= int(job.tasks.size()))
            throw FarmError("farm job " + job.dir + " has no task " + std::to_string(t));
    // Command-line options override the scripts' #SBATCH lines; --chdir and --output are given here with
    // absolute paths so submitting from any folder works.
    const std::vector<std::string> res = resourceOptions(job.resources);
    std::string after = dependency;
    if (withFineTune) {
        if (!job.hasFineTune)
            throw FarmError("farm job " + job.dir + " has no fine-tune stage");
        std::vector<std::string> argv = {"sbatch", "--parsable", "--chdir=" + job.dir,
                                         "--output=" + job.fineTuneLog()};
        argv.insert(argv.end(), res.begin(), res.end());
        argv.push_back(job.fineTuneScript());
        after = parseSbatchId(runSlurm(slurm, argv));
        job.submissions.push_back({"finetune", after, {}, dependency, mb::utcNowIso8601()});
        saveJob(job);
    }
    std::vector<std::string> argv = {"sbatch", "--parsable", "--array=" + arraySpec(tasks),
                                     "--chdir=" + job.dir, "--output=" + job.dir + "/logs/task-%a.log"};
    argv.insert(argv.end(), res.begin(), res.end());
    if (!after.empty()) {
        argv.push_back("--dependency=afterok:" + after);
        argv.push_back("--kill-on-invalid-dep=yes");
    }
    argv.push_back(job.renderScript());
    const std::string id = parseSbatchId(runSlurm(slurm, argv));
    job.submissions.push_back({"render", id, tasks, after, mb::utcNowIso8601()});
    saveJob(job);
    return id;
}

bool verifyTake(const std::string& video, std::optional<std::uint64_t> seed, std::string* why) {
    auto fail = [&](const std::string& w) {
        if (why)
            *why = w;
        return false;
    };
    const std::string sidecar = video + ".json";
    if (!fs::is_regular_file(video))
        return fail(video + " does not exist");
    if (!fs::is_regular_file(sidecar))
        return fail("sidecar " + sidecar + " does not exist");
    json j;
    try {
        j = json::parse(readWholeFile(sidecar));
    } catch (const std::exception& e) {
        return fail("sidecar " + sidecar + " is not valid JSON: " + e.what());
    }
    if (!j.contains("video_sha256") || !j["video_sha256"].is_string())
        return fail("sidecar " + sidecar + " has no video_sha256");
    const std::string actual = sha256File(video);
    if (actual != j["video_sha256"].get<std::string>())
        return fail(video + " does not match its sidecar (sha256 " + actual + ", sidecar says " +
                    j["video_sha256"].get<std::string>() + ")");
    if (seed) {
        if (!j.contains("seed") || !j["seed"].is_number_unsigned() || j["seed"].get<std::uint64_t>() != *seed)
            return fail("sidecar " + sidecar + " is for seed " +
                        (j.contains("seed") ? j["seed"].dump() : "?") + ", not " + std::to_string(*seed));
    }
    return true;
}

JobState queryJob(const FarmJob& job, const SlurmClient& slurm) {
    JobState st;
    // The newest submission of each task decides; one squeue call per submission.
    std::map<std::string, std::map<int, SqueueEntry>> queues;
    auto queue = [&](const std::string& id) -> const std::map<int, SqueueEntry>& {
        auto it = queues.find(id);
        if (it == queues.end())
            it = queues.emplace(id, squeueJob(slurm, id)).first;
        return it->second;
    };
    std::vector<double> durations;
    const long long now = (long long)std::time(nullptr);
    for (const auto& t : job.tasks) {
        TaskState ts;
        ts.index = t.index;
        ts.seed = t.seed;
        const Submission* sub = nullptr;
        for (const auto& s : job.submissions)
            if (s.kind == "render" && std::count(s.tasks.begin(), s.tasks.end(), t.index))
                sub = &s;
        std::optional<SqueueEntry> q;
        if (sub) {
            const auto& entries = queue(sub->slurmJobId);
            if (auto it = entries.find(t.index); it != entries.end())
                q = it->second;
            ts.slurmId = sub->slurmJobId + "_" + std::to_string(t.index);
        }
        std::optional<json> record;
        if (fs::exists(t.statusFile)) {
            try {
                record = json::parse(readWholeFile(t.statusFile));
            } catch (const std::exception&) {
            }
        }
        ts.takeVerified = verifyTake(t.video, t.seed);
        long long startEpoch = 0;
        ts.progress = lastPercentage(t.log, &startEpoch);
        if (q && isActiveState(q->state)) {
            ts.state = q->state;
            ts.reason = q->reason == "None" ? "" : q->reason;
        } else if (record) {
            ts.exitCode = record->value("exit_code", -1);
            if (q && q->state != "COMPLETED" && q->state != "FAILED")
                ts.state = q->state; // CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL...
            else
                ts.state = ts.exitCode == 0 ? "COMPLETED" : "FAILED";
            if (ts.exitCode == 0)
                durations.push_back(double(record->value("end", 0LL) - record->value("start", 0LL)));
        } else if (q) {
            ts.state = q->state;
        } else if (ts.takeVerified) {
            ts.state = "COMPLETED";
        } else {
            ts.state = sub ? "MISSING" : "NOT_SUBMITTED";
        }
        if (ts.state == "COMPLETED" && ts.takeVerified)
            ts.progress = 100;
        if (ts.state == "RUNNING" && ts.progress > 0 && startEpoch > 0)
            ts.etaSeconds = double(now - startEpoch) * (100.0 - ts.progress) / ts.progress;
        if (!ts.active() && ts.state != "COMPLETED")
            ts.logTail = tailOfFile(t.log, 10);
        st.tasks.push_back(ts);
    }
    if (job.hasFineTune) {
        const Submission* sub = nullptr;
        for (const auto& s : job.submissions)
            if (s.kind == "finetune")
                sub = &s;
        std::optional<SqueueEntry> q;
        if (sub) {
            const auto& entries = queue(sub->slurmJobId);
            if (auto it = entries.find(-1); it != entries.end())
                q = it->second;
        }
        if (q && isActiveState(q->state))
            st.fineTuneState = q->state;
        else if (fs::exists(job.fineTuneDoneMarker()))
            st.fineTuneState = "DONE";
        else if (q)
            st.fineTuneState = q->state;
        else
            st.fineTuneState = sub ? "MISSING" : "NOT_SUBMITTED";
        if (st.fineTuneState != "DONE" && !isActiveState(st.fineTuneState))
            st.fineTuneLogTail = tailOfFile(job.fineTuneLog(), 10);
    }
    // ETA: running tasks by their own progress; pending ones at the mean duration of finished ones, spread
    // over as many tasks as run at once now.
    double runningEta = 0;
    int running = 0, pending = 0;
    bool unknown = false;
    for (const auto& ts : st.tasks) {
        if (ts.state == "RUNNING") {
            ++running;
            if (ts.etaSeconds < 0)
                unknown = true;
            runningEta = std::max(runningEta, ts.etaSeconds);
        } else if (ts.active()) {
            ++pending;
        }
    }
    if (running == 0 && pending == 0)
        st.etaSeconds = 0;
    else if (!unknown && (pending == 0 || !durations.empty())) {
        double mean = 0;
        for (double d : durations)
            mean += d / double(durations.size());
        st.etaSeconds = runningEta + mean * double(pending) / double(std::max(1, running));
    }
    return st;
}

std::vector<std::string> cancelJob(const FarmJob& job, const SlurmClient& slurm) {
    std::vector<std::string> ids;
    for (const auto& s : job.submissions)
        ids.push_back(s.slurmJobId);
    if (ids.empty())
        throw FarmError("farm job " + job.dir + " was never submitted");
    std::vector<std::string> argv = {"scancel"};
    argv.insert(argv.end(), ids.begin(), ids.end());
    ProcessResult r = runSlurm(slurm, argv, false);
    if (r.exitCode != 0) {
        // Finished jobs are "already completing or completed" or gone ("Invalid job id"): nothing to cancel.
        std::istringstream ss(r.err);
        for (std::string line; std::getline(ss, line);)
            if (!line.empty() && line.find("already complet") == std::string::npos &&
                line.find("Invalid job id") == std::string::npos)
                throw FarmError("'scancel' failed (exit " + std::to_string(r.exitCode) + "): " + line);
    }
    return ids;
}

std::vector<int> resubmitFailed(FarmJob& job, const SlurmClient& slurm) {
    const JobState st = queryJob(job, slurm);
    std::vector<int> tasks;
    for (const auto& ts : st.tasks)
        if (!ts.active() && !ts.takeVerified)
            tasks.push_back(ts.index);
    if (tasks.empty())
        return tasks;
    bool withFineTune = false;
    std::string dependency;
    if (job.hasFineTune && st.fineTuneState != "DONE") {
        if (isActiveState(st.fineTuneState)) {
            for (const auto& s : job.submissions)
                if (s.kind == "finetune")
                    dependency = s.slurmJobId;
        } else {
            withFineTune = true;
        }
    }
    // Stale completion records would make status report the old failure until the task starts again.
    for (int t : tasks)
        fs::remove(job.tasks[size_t(t)].statusFile);
    submitJob(job, slurm, tasks, withFineTune, dependency);
    return tasks;
}

std::vector<std::pair<int, Take>> verifiedTakes(const FarmJob& job, CollectResult& result,
                                                const std::vector<std::string>& alreadyListed) {
    std::set<std::string> listed;
    for (const auto& video : alreadyListed)
        listed.insert(fs::weakly_canonical(video).string());
    std::vector<std::pair<int, Take>> takes;
    for (const auto& t : job.tasks) {
        std::string why;
        if (!verifyTake(t.video, t.seed, &why)) {
            result.rejected.push_back({t.index, why});
            continue;
        }
        if (listed.count(fs::weakly_canonical(t.video).string())) {
            result.alreadyListed.push_back(t.index);
            continue;
        }
        Take take;
        take.video = t.video;
        take.sidecar = t.sidecar;
        take.seed = t.seed;
        take.createdUtc = mb::utcNowIso8601();
        takes.push_back({t.index, take});
        result.added.push_back(t.index);
    }
    return takes;
}

CollectResult collectJob(const FarmJob& job) {
    CollectResult result;
    Project project = loadProject(job.sourceProject);
    std::vector<std::string> listed;
    for (const auto& take : project.takes)
        listed.push_back(take.video);
    const auto takes = verifiedTakes(job, result, listed);
    for (const auto& [index, take] : takes)
        project.takes.push_back(take);
    if (!takes.empty())
        saveProject(project, job.sourceProject);
    return result;
}

JobState waitForJob(const FarmJob& job, const SlurmClient& slurm, double timeoutSeconds, double pollSeconds) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(long(timeoutSeconds * 1000));
    for (;;) {
        JobState st = queryJob(job, slurm);
        if (st.finished() || std::chrono::steady_clock::now() >= deadline)
            return st;
        std::this_thread::sleep_for(std::chrono::milliseconds(long(pollSeconds * 1000)));
    }
}

} // namespace mb::farm
