// bench train: seconds per subject-learning optimizer step (random weights), full UNet or LoRA.
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "ml/subject_trainer.h"

#include <cstdio>

namespace mb::cli {
namespace {

int runBenchTrain(const Args& args) {
    ArgParser ap;
    ap.option("--config").option("--size").option("--frames").option("--images").option("--lora");
    ap.option("--steps").option("--warmup").option("--threads").option("--latent-scale").option("--seed");
    ap.flag("--checkpointing");
    ap.parse(args);
    if (!ap.positional().empty())
        throw UsageError("unexpected argument " + ap.positional()[0]);
    if (!ap.has("--config"))
        throw UsageError("missing --config PATH (a UNet config.json; weights are random)");
    ml::TrainBenchOptions o;
    o.configPath = *ap.get("--config");
    auto [w, h] = parseSize(ap.get("--size", "256x144"));
    o.width = w;
    o.height = h;
    o.frames = ap.getInt("--frames", 8);
    o.images = ap.getInt("--images", 5);
    o.loraRank = ap.getInt("--lora", 0);
    o.steps = int(ap.getInt("--steps", 3));
    o.warmup = int(ap.getInt("--warmup", 1));
    o.threads = int(ap.getInt("--threads", 2));
    o.latentScale = ap.getInt("--latent-scale", 8);
    o.seed = static_cast<uint64_t>(ap.getInt("--seed", 0));
    o.gradientCheckpointing = ap.has("--checkpointing");
    if (o.loraRank < 0)
        throw UsageError("--lora RANK must be at least 1 (0 = full UNet)");

    const ml::TrainBenchResult r = ml::bench_training(o);
    std::printf("bench train: %s, %s%s\n", o.configPath.c_str(),
                o.loraRank ? ("LoRA rank " + std::to_string(o.loraRank)).c_str() : "full UNet",
                o.gradientCheckpointing ? ", gradient checkpointing" : "");
    std::printf(
        "  %lld parameters, %lld trained; %dx%d px, %lld photos + %lld-frame clip per step, %d threads\n",
        static_cast<long long>(r.parameters), static_cast<long long>(r.trainable), w, h,
        static_cast<long long>(o.images), static_cast<long long>(o.frames), o.threads);
    for (size_t i = 0; i < r.stepSeconds.size(); ++i)
        std::printf("  step %zu: %.3f s\n", i + 1, r.stepSeconds[i]);
    std::printf("  median %.3f s/step, peak RSS %.2f GiB (estimate %.2f GiB)\n", r.medianSeconds,
                r.peakRssGiB, r.estimatedGiB);
    return 0;
}

} // namespace

MB_CLI_COMMAND(
    "bench train",
    "--config PATH [--size WxH] [--frames F] [--images N] [--lora RANK] [--checkpointing] [--steps N] "
    "[--threads T]",
    "seconds per subject-learning step (photos + one clip + AdamW) on random weights, full or LoRA",
    runBenchTrain);

} // namespace mb::cli
