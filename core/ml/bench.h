#pragma once
/**
 * \file bench.h
 * \brief `bench unet`: seconds per classifier-free-guidance UNet step, peak memory and achieved GFLOP/s,
 *        measured the same way as the peer benchmark of diffusers (shared/tools/peer-bench).
 *
 * One step = one UNet call on a latent batch [batch, 4, F, H/8, W/8] at timestep 981 with random text states
 * [batch, 77, cross_attention_dim] (batch 2 = CFG). Runs in inference mode after one warm-up call. On a CUDA
 * device each timed call ends with a device synchronisation, and the peak memory is the caching allocator's
 * most allocated bytes (weights included), as the peer's torch.cuda.max_memory_allocated.
 * FLOPs are counted analytically from the shapes, with the peer's rules (1 multiply-add = 2 FLOPs; convs,
 * linears and the two attention matmuls only). The matmul probe is a 2048³ float32 torch.mm at the same
 * thread count, the practical peak the achieved rate is compared to.
 * No torch headers here: the CLI includes it.
 */
#include <cstdint>
#include <string>
#include <vector>

namespace mb::ml {

struct UNetBenchOptions {
    std::string configPath; ///< a UNet config.json: random weights (seeded); or
    std::string modelDir;   ///< a diffusers pipeline folder or its unet/ folder: real weights
    int64_t frames = 8;
    int64_t width = 256; ///< pixels; latent = width / latentScale
    int64_t height = 144;
    int64_t latentScale = 8;
    int64_t batch = 2; ///< 2 = classifier-free guidance
    int repeats = 3;
    int warmup = 1; ///< untimed calls first (0: the first call is timed, e.g. for a peak-memory run)
    int threads = 2;
    int blasThreads = -1; ///< OpenBLAS pool size; −1 = threads
    uint64_t seed = 0;
    bool matmulProbe = true;
    bool bf16 = false; ///< opt-in bfloat16 compute (weights and activations)
    /** What the UNet computes in: "" = fp32 (bf16 with `bf16`), else auto|fp32|bf16|fp16 as `--dtype`
     *  resolves it for the device (compute_precision.h). */
    std::string dtype;
    std::string device = "cpu";         ///< auto|cpu|cuda|cuda:N (compute_device.h)
    std::string batchParallel = "auto"; ///< "auto", "split" or "ops" (see BatchParallelMode in unet3d.h)
    /** A controlled denoising step as a render runs it (batch 2 only): the conditional half with the box edit
     *  (one subject, two tokens, a centred box on every frame, amplification on) and the unconditional half
     *  without, side by side when threads ≥ 2 (the render's default), else one after the other. */
    bool controlled = false;
};

struct UNetBenchResult {
    std::string source;
    int64_t parameters = 0;
    double buildSeconds = 0;
    std::vector<double> warmupSeconds;
    std::vector<double> stepSeconds;
    double medianSeconds = 0;
    double minSeconds = 0;
    double flopsPerStep = 0; ///< analytic GEMM/conv FLOPs
    double gflopsAtMedian = 0;
    double matmulProbeGflops = 0; ///< median of the probe; 0 when skipped
    double fractionOfProbe = 0;
    double peakRssGiB = 0; ///< VmHWM of the process
    double rssAfterBuildGiB = 0;
    bool splitBatch = false; ///< the timed calls ran batch slices on separate threads
    std::string runtime;     ///< runtime_description()
    std::string device;      ///< device_description() of the device it ran on
    std::string dtype;       ///< "fp32", "bf16" or "fp16"
    std::string dtypeReason; ///< why that dtype (ResolvedPrecision::reason)
    /** The CUDA caching allocator's peak allocated bytes in GiB during the run; −1 where not known (CPU). */
    double peakDeviceGiB = -1;
    std::vector<int64_t> latentShape;
    double outputAbsMean = 0; ///< sanity: finite, non-trivial output
};

/** Runs the benchmark; throws std::runtime_error (naming the file) on bad input, DeviceUnavailable for a
 *  device that this build or machine does not have. */
UNetBenchResult bench_unet(const UNetBenchOptions& options);

/** Analytic FLOPs of one UNet3D forward for a config file and latent shape (peer-bench counting rules). */
double unet_flops(const std::string& configPath, int64_t batch, int64_t frames, int64_t latentH,
                  int64_t latentW, int64_t tokens = 77);

/** GFLOP/s of a 2048³ float32 matmul (median of `repeats`) at the current thread setting. */
double matmul_probe_gflops(int repeats = 5);

/** VmHWM / VmRSS of this process in GiB (from /proc/self/status; 0 when unavailable). */
double peak_rss_gib();
double current_rss_gib();

} // namespace mb::ml
