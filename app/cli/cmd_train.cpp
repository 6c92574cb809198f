// train: subject learning (fine-tuning) of the project's learned subjects; sets the project's checkpoint.
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "doc/project_io.h"
#include "jobs/train_job.h"

#include <cstdio>
#include <cstdlib>

namespace mb::cli {
namespace {

int runTrain(const Args& args) {
    ArgParser ap;
    ap.option("--steps").option("--lora").option("--preservation").option("--threads").option("--size");
    ap.option("--model")
        .option("--frames")
        .option("--seed")
        .option("--checkpoint-every")
        .option("--memory-limit")
        .option("--checkpointing")
        .option("--device")
        .option("--dtype");
    ap.flag("--full")
        .flag("--no-region-loss")
        .flag("--no-stca-loss")
        .flag("--no-video-loss")
        .flag("--resume");
    ap.flag("--progress");
    ap.parse(args);
    ap.requirePositional(1, "one project file");
    if (ap.has("--lora") && ap.has("--full"))
        throw UsageError("give at most one of --lora RANK and --full");
    const std::string projectPath = ap.positional()[0];
    Project project = loadProject(projectPath);
    const DeviceOptions device = readDeviceOptions(ap); // refuses a device this build lacks, before loading

    TrainRequest req;
    req.projectPath = projectPath;
    req.model = ap.get("--model", "");
    req.preservationDir = ap.get("--preservation", "");
    req.steps = int(ap.getInt("--steps", 300));
    if (req.steps < 1)
        throw UsageError("--steps must be at least 1");
    if (ap.has("--lora")) {
        req.loraRank = int(ap.getInt("--lora", 4));
        if (req.loraRank < 1)
            throw UsageError("--lora RANK must be at least 1");
    } else if (ap.has("--full")) {
        req.loraRank = 0;
    }
    req.regionLoss = !ap.has("--no-region-loss");
    req.stcaLoss = !ap.has("--no-stca-loss");
    req.videoLoss = !ap.has("--no-video-loss");
    req.resume = ap.has("--resume");
    req.threads = int(ap.getInt("--threads", 0));
    req.frames = int(ap.getInt("--frames", 0));
    const long long seed = ap.getInt("--seed", 0);
    if (seed < 0)
        throw UsageError("--seed must be non-negative");
    req.seed = std::uint64_t(seed);
    req.checkpointEvery = int(ap.getInt("--checkpoint-every", 50));
    if (ap.has("--memory-limit")) {
        const std::string text = *ap.get("--memory-limit");
        char* end = nullptr;
        req.memoryLimitGiB = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0' || !(req.memoryLimitGiB > 0))
            throw UsageError("--memory-limit must be a positive number of GiB, got '" + text + "'");
    }
    const std::string checkpointing = ap.get("--checkpointing", "auto");
    if (checkpointing != "auto" && checkpointing != "on" && checkpointing != "off")
        throw UsageError("--checkpointing must be auto, on or off, got '" + checkpointing + "'");
    req.gradientCheckpointing = checkpointing == "on" ? 1 : checkpointing == "off" ? 0 : -1;
    req.device = device.device;
    req.precision = device.dtype;
    if (ap.has("--size")) {
        auto [w, h] = parseSize(*ap.get("--size"));
        req.width = w;
        req.height = h;
    }

    const TrainResult r =
        trainSubjects(project, req, makeConsoleJobControl(ap.has("--progress"), cancelOnSignals()));
    for (const auto& w : r.warnings)
        std::fprintf(stderr, "warning: %s\n", w.c_str());
    // The project now renders with the checkpoint and the identifiers it was trained with.
    project.render.checkpoint = r.checkpoint;
    for (auto& s : project.subjects) {
        auto it = r.identifiers.find(s.id);
        if (it != r.identifiers.end())
            s.identifier = it->second;
    }
    saveProject(project, projectPath);
    std::printf("%s\n", r.checkpoint.c_str());
    std::fprintf(stderr,
                 "trained %s%s for %d steps in %.1f s (%.2f s/step, %s, %s), final loss %.6g; project "
                 "updated\n",
                 r.kind.c_str(), r.kind == "lora" ? (" rank " + std::to_string(r.loraRank)).c_str() : "",
                 r.stepsDone, r.seconds, r.secondsPerStep, r.device.c_str(), r.precision.c_str(),
                 r.finalLoss);
    return 0;
}

MB_CLI_COMMAND(
    "train",
    "PROJECT [--steps N] [--lora RANK | --full] [--no-region-loss] [--no-stca-loss] [--no-video-loss] "
    "[--preservation DIR] [--resume] [--threads T] [--size WxH] [--frames F] [--model DIR] [--seed S] "
    "[--checkpoint-every N] [--memory-limit GIB] [--checkpointing auto|on|off] "
    "[--device auto|cpu|cuda|cuda:N] [--dtype auto|fp32|bf16|fp16] [--progress]",
    "fine-tunes the model on the project's learned subjects (MotionBooth subject learning) and sets "
    "the project's render checkpoint to the result",
    runTrain);

} // namespace
} // namespace mb::cli
