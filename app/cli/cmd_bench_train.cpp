// bench train: seconds per subject-learning optimizer step (random weights), full UNet or LoRA.
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "ml/compute_device.h"
#include "ml/compute_precision.h"
#include "ml/subject_trainer.h"

#include <cstdio>

namespace mb::cli {
namespace {

int runBenchTrain(const Args& args) {
    ArgParser ap;
    ap.option("--config").option("--size").option("--frames").option("--images").option("--lora");
    ap.option("--steps").option("--warmup").option("--threads").option("--latent-scale").option("--seed");
    ap.option("--device").option("--dtype");
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
    // The CPU by default, as bench unet: a figure of this machine's cores unless a device is named.
    const DeviceOptions deviceOptions = readDeviceOptions(ap, "cpu");
    const ml::ResolvedDevice device = ml::resolve_device(ml::parse_device(deviceOptions.device));
    ml::ResolvedPrecision precision;
    try {
        precision = ml::resolve_training_precision(ml::parse_precision(deviceOptions.dtype), device.device);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--dtype: ") + e.what());
    }
    o.device = device.device;
    o.computeDtype = precision.dtype;
    if (device.device.is_cuda() && precision.dtype == torch::kFloat32)
        ml::set_cuda_tf32(false);

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
    std::printf("  device %s; %s (%s)\n", ml::device_description(device.device).c_str(),
                precision.name.c_str(), precision.reason.c_str());
    std::printf("  median %.3f s/step, peak RSS %.2f GiB", r.medianSeconds, r.peakRssGiB);
    if (r.peakDeviceGiB >= 0)
        std::printf(", peak device memory %.2f GiB (allocated)", r.peakDeviceGiB);
    std::printf(" (estimate %.2f GiB)\n", r.estimatedGiB);
    return 0;
}

} // namespace

MB_CLI_COMMAND(
    "bench train",
    "--config PATH [--size WxH] [--frames F] [--images N] [--lora RANK] [--checkpointing] [--steps N] "
    "[--threads T] [--device auto|cpu|cuda|cuda:N] [--dtype auto|fp32|bf16|fp16]",
    "seconds per subject-learning step (photos + one clip + AdamW) on random weights, full or LoRA",
    runBenchTrain);

} // namespace mb::cli
