// bench unet: seconds per CFG UNet step, peak memory and achieved GFLOP/s (compare with
// shared/tools/peer-bench).
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "ml/bench.h"
#include "ml/compute_device.h"
#include "ml/compute_precision.h"

#include <cstdio>

namespace mb::cli {
namespace {

int runBenchUnet(const Args& args) {
    ArgParser ap;
    ap.option("--config").option("--model").option("--frames").option("--size").option("--repeat");
    ap.option("--threads")
        .option("--blas-threads")
        .option("--batch")
        .option("--seed")
        .option("--latent-scale")
        .option("--warmup")
        .option("--batch-parallel")
        .option("--device")
        .option("--dtype");
    ap.flag("--no-probe").flag("--bf16").flag("--controlled");
    ap.parse(args);
    if (!ap.positional().empty())
        throw UsageError("unexpected argument " + ap.positional()[0]);
    if (ap.has("--config") == ap.has("--model"))
        throw UsageError("give exactly one of --config PATH (random weights) or --model DIR (real weights)");
    ml::UNetBenchOptions o;
    o.configPath = ap.get("--config", "");
    o.modelDir = ap.get("--model", "");
    o.frames = ap.getInt("--frames", 8);
    auto [w, h] = parseSize(ap.get("--size", "256x144"));
    o.width = w;
    o.height = h;
    o.repeats = int(ap.getInt("--repeat", 3));
    o.warmup = int(ap.getInt("--warmup", 1));
    o.threads = int(ap.getInt("--threads", 2));
    o.blasThreads = int(ap.getInt("--blas-threads", 1));
    o.batch = ap.getInt("--batch", 2);
    o.seed = static_cast<uint64_t>(ap.getInt("--seed", 0));
    o.latentScale = ap.getInt("--latent-scale", 8);
    o.matmulProbe = !ap.has("--no-probe");
    o.bf16 = ap.has("--bf16");
    o.device = ap.get("--device", "cpu");
    o.dtype = ap.get("--dtype", "");
    if (o.bf16 && !o.dtype.empty())
        throw UsageError("give --bf16 or --dtype, not both");
    try {
        ml::parse_device(o.device);
        if (!o.dtype.empty())
            ml::parse_precision(o.dtype);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    // A device this build or machine lacks is refused before anything is built (DeviceUnavailable, exit 1).
    ml::resolve_device(ml::parse_device(o.device));
    o.batchParallel = ap.get("--batch-parallel", "auto");
    o.controlled = ap.has("--controlled");

    const ml::UNetBenchResult r = ml::bench_unet(o);
    std::printf("bench unet: %s\n", r.source.c_str());
    std::printf("  %lld parameters, built in %.1f s, RSS after build %.2f GiB; %s\n",
                static_cast<long long>(r.parameters), r.buildSeconds, r.rssAfterBuildGiB, r.runtime.c_str());
    std::printf("  device %s; %s (%s)\n", r.device.c_str(), r.dtype.c_str(), r.dtypeReason.c_str());
    std::printf(
        "  step: sample [%lld, %lld, %lld, %lld, %lld] (%dx%d px, %s), timestep 981, batch %lld (CFG), %s\n",
        static_cast<long long>(r.latentShape[0]), static_cast<long long>(r.latentShape[1]),
        static_cast<long long>(r.latentShape[2]), static_cast<long long>(r.latentShape[3]),
        static_cast<long long>(r.latentShape[4]), w, h, r.dtype.c_str(), static_cast<long long>(o.batch),
        o.controlled
            ? (o.threads >= 2 ? "controlled: edited conditional and plain unconditional passes side by side"
                              : "controlled: edited conditional pass, then the unconditional one")
        : r.splitBatch ? "batch slices on separate threads"
                       : "each op multi-threaded");
    for (size_t i = 0; i < r.warmupSeconds.size(); ++i)
        std::printf("  warm-up %zu: %.3f s\n", i + 1, r.warmupSeconds[i]);
    for (size_t i = 0; i < r.stepSeconds.size(); ++i)
        std::printf("  step %zu: %.3f s\n", i + 1, r.stepSeconds[i]);
    std::printf("  median %.3f s/step (min %.3f), peak RSS %.2f GiB", r.medianSeconds, r.minSeconds,
                r.peakRssGiB);
    if (r.peakDeviceGiB >= 0)
        std::printf(", peak device memory %.2f GiB (allocated)", r.peakDeviceGiB);
    std::printf("\n");
    std::printf("  %.1f GFLOP/step (GEMM/conv, analytic) -> %.1f GFLOP/s", r.flopsPerStep / 1e9,
                r.gflopsAtMedian);
    if (r.matmulProbeGflops > 0)
        std::printf(" = %.0f%% of the 2048^3 matmul probe (%.1f GFLOP/s)", 100 * r.fractionOfProbe,
                    r.matmulProbeGflops);
    std::printf("\n");
    return 0;
}

} // namespace

MB_CLI_COMMAND(
    "bench unet",
    "--config PATH|--model DIR --frames F --size WxH [--repeat N] [--warmup N] [--threads T] "
    "[--blas-threads 1|T] [--batch B] [--batch-parallel auto|split|ops] [--device auto|cpu|cuda|cuda:N] "
    "[--dtype auto|fp32|bf16|fp16 | --bf16] [--controlled] [--no-probe]",
    "seconds per CFG UNet3D denoising step, peak RSS and GFLOP/s (random weights for --config)",
    runBenchUnet);

} // namespace mb::cli
