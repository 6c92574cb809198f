#pragma once
/**
 * \file farm_job.h
 * \brief Rendering takes on a Slurm cluster through Slurm's own commands (sbatch, squeue, scontrol, scancel);
 *        MotionBooth keeps no scheduler of its own.
 *
 * A farm job is a folder (the "job folder") that holds everything the cluster needs, frozen at submit time:
 *
 *     job.json            what was asked (seeds, render options, resources) and every submission's Slurm id
 *     project/            a snapshot of the project and its assets (photos, masks, background), hashed in
 *                         job.json; model and checkpoint paths stay as given (the cluster's shared storage)
 *     render.sbatch       one `sbatch --array` script: task i renders take i with seed i
 *     finetune.sbatch     the subject fine-tune, a job of its own the render array depends on (optional)
 *     takes/              take-003-seed5.mp4 + .mp4.json sidecar per task (written via a temporary name)
 *     logs/               task-3.log per array task (progress lines), finetune.log
 *     status/             task-3.json per finished task: exit code, start and end time (the completion log
 *                         that stands in for `sacct`, which is often disabled)
 *
 * The scripts are self-contained: a folder written with dryRun can be handed to another farm manager
 * (`sbatch --array=0-N render.sbatch`, or any runner that sets SLURM_ARRAY_TASK_ID). Every Slurm command runs
 * with a deadline; an unreachable controller or a missing `sbatch` is reported as FarmError, never a hang.
 */
#include "doc/project.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mb::farm {

/** A farm problem the user can act on (Slurm missing or unreachable, bad job folder, ...). */
class FarmError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** What each task asks Slurm for; empty strings / zero leave Slurm's defaults. */
struct SlurmResources {
    std::string partition;
    std::string time; ///< e.g. "00:30:00"
    std::string mem;  ///< e.g. "4G" (per node, i.e. per task here)
    int cpusPerTask = 1;
    int gpusPerTask = 0;
};

/** Everything `farm submit` freezes into a job folder. */
struct FarmJobSpec {
    std::string projectPath;          ///< the .mbproj; collected takes are listed there
    std::string jobDir;               ///< the job folder to create (must not exist or be empty)
    std::vector<std::uint64_t> seeds; ///< one take per seed, array task i renders seeds[i]
    std::string cli;                  ///< motionbooth-cli as the nodes see it (absolute path or a PATH name)
    std::string model;                ///< --model for every render (empty: the project's / the default)
    std::vector<std::string> renderArgs; ///< extra `render` options, e.g. {"--frames","4","--steps","4"}
    SlurmResources resources;
    std::string jobName = "motionbooth";
    /** Fine-tune first, as a job of its own; the render array waits for it (afterok). */
    bool fineTune = false;
    /**
     * Shell command of the fine-tune job; empty = `motionbooth-cli train` on the snapshot (with --model and
     * fineTuneArgs), which writes <snapshot>.checkpoints/subjects.safetensors and points the snapshot at it,
     * so the renders that follow use it. A custom command runs in the job folder with MB_FARM_JOB_DIR,
     * MB_FARM_PROJECT and MB_FARM_CHECKPOINT (where train would write) set; it must leave the snapshot
     * project pointing at the checkpoint it wants rendered.
     */
    std::string fineTuneCommand;
    std::vector<std::string> fineTuneArgs; ///< extra `train` options, e.g. {"--steps","200","--lora","8"}
};

/** One Slurm submission recorded in job.json. */
struct Submission {
    std::string kind; ///< "render" or "finetune"
    std::string slurmJobId;
    std::vector<int> tasks; ///< array task indexes (render only)
    std::string dependsOn;  ///< Slurm job id it waits for (afterok), or empty
    std::string submittedUtc;
};

struct FarmTask {
    int index = 0;
    std::uint64_t seed = 0;
    std::string video, sidecar, log, statusFile; ///< absolute paths
};

/** A job folder as loaded from job.json. */
struct FarmJob {
    std::string dir;             ///< absolute
    std::string sourceProject;   ///< the project the takes belong to
    std::string snapshotProject; ///< dir/project/<name>.mbproj
    bool hasFineTune = false;
    std::vector<FarmTask> tasks;
    std::vector<Submission> submissions;
    SlurmResources resources;

    std::string renderScript() const { return dir + "/render.sbatch"; }
    std::string fineTuneScript() const { return dir + "/finetune.sbatch"; }
    std::string fineTuneDoneMarker() const { return dir + "/finetune/done"; }
    std::string fineTuneLog() const { return dir + "/logs/finetune.log"; }
};

/** How the Slurm commands are run. */
struct SlurmClient {
    double timeoutSeconds = 30; ///< per command; sbatch against a dead controller gives up after ~10 s
    std::string binDir;         ///< empty = search PATH
};

/**
 * Creates the job folder: the project snapshot with its assets (hashed in job.json), render.sbatch and,
 * with spec.fineTune, finetune.sbatch. Throws runtime_error naming the file on bad input (unreadable
 * project, missing asset, no seeds, non-empty job folder).
 */
FarmJob freezeJob(const FarmJobSpec& spec);

/** Reads dir/job.json; throws FarmError naming the file when it is missing or malformed. */
FarmJob loadJob(const std::string& dir);

/**
 * Submits array tasks `tasks` (all when empty) of render.sbatch with `sbatch --array`, first the fine-tune
 * job when `withFineTune` (the array then depends on it with afterok), and records the submissions in
 * job.json. `dependency` (a Slurm job id) makes the array wait for an existing fine-tune job instead.
 * Returns the render array's Slurm job id.
 */
std::string submitJob(FarmJob& job, const SlurmClient& slurm, std::vector<int> tasks = {},
                      bool withFineTune = false, const std::string& dependency = {});

/** Per-task view for `farm status` and the editor. */
struct TaskState {
    int index = 0;
    std::uint64_t seed = 0;
    std::string state;      ///< PENDING RUNNING COMPLETED FAILED CANCELLED TIMEOUT ... MISSING NOT_SUBMITTED
    std::string reason;     ///< Slurm's reason for a pending task (Dependency, Resources...)
    std::string slurmId;    ///< "123_4" when known
    int exitCode = -1;      ///< from the completion record; -1 when unknown
    double progress = 0;    ///< 0..100, from the task log's `percentage:` lines (100 when completed)
    double etaSeconds = -1; ///< for running tasks with progress; -1 unknown
    bool takeVerified = false; ///< the MP4 matches its sidecar
    std::string logTail;       ///< last lines of the task log (for failed tasks)
    bool active() const;       ///< pending, running or otherwise still in Slurm's hands
};

struct JobState {
    std::vector<TaskState> tasks;
    std::string fineTuneState; ///< empty without a fine-tune; else like TaskState::state (DONE when done)
    std::string fineTuneLogTail;
    double etaSeconds = -1; ///< whole job; -1 unknown, 0 finished
    int count(const std::string& state) const;
    bool finished() const; ///< nothing is active any more
};

/** Polls squeue (never sacct) and reads the status files and logs. Throws FarmError if Slurm is unreachable.
 */
JobState queryJob(const FarmJob& job, const SlurmClient& slurm);

/** scancel every submission of the job; finished ones are ignored. Returns the ids it cancelled. */
std::vector<std::string> cancelJob(const FarmJob& job, const SlurmClient& slurm);

/**
 * Resubmits the tasks whose take is missing or failed (and not still active), with the fine-tune first if
 * it has not finished. Returns the indexes submitted (empty: nothing to do).
 */
std::vector<int> resubmitFailed(FarmJob& job, const SlurmClient& slurm);

/** Whether `video` exists and matches its sidecar (`<video>.json`: video_sha256 and, if given, seed). */
bool verifyTake(const std::string& video, std::optional<std::uint64_t> seed, std::string* why = nullptr);

struct CollectResult {
    std::vector<int> added;         ///< tasks whose take was verified and added to the project
    std::vector<int> alreadyListed; ///< verified and already in the project's takes
    std::vector<std::pair<int, std::string>> rejected; ///< task, why (missing, hash mismatch...)
};

/**
 * The job's takes that match their sidecars, as Take entries (createdUtc = now); rejected tasks and why go
 * to `result`. For the editor: it adds these to the open document with an undoable addTake instead of
 * saving the file behind the user's back. Takes whose video is in `alreadyListed` (paths) are left out.
 */
std::vector<std::pair<int, Take>> verifiedTakes(const FarmJob& job, CollectResult& result,
                                                const std::vector<std::string>& alreadyListed = {});

/** Verifies every take against its sidecar and lists the good ones in the source project (saved atomically).
 */
CollectResult collectJob(const FarmJob& job);

/** Waits until queryJob says finished or `timeoutSeconds` pass; returns the last state. */
JobState waitForJob(const FarmJob& job, const SlurmClient& slurm, double timeoutSeconds,
                    double pollSeconds = 1);

} // namespace mb::farm
