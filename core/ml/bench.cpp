#include "ml/bench.h"

#include "ml/attention_edit.h"
#include "ml/compute_device.h"
#include "ml/compute_precision.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <torch/torch.h>

#include "ml/model_loader.h"
#include "ml/parallel_ops.h"
#include "ml/threads.h"
#include "ml/unet3d.h"

namespace fs = std::filesystem;

namespace mb::ml {

namespace {

double statusGiB(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(in, line)) {
        if (line.rfind(prefix, 0) == 0) {
            return std::stod(line.substr(prefix.size())) / (1024.0 * 1024.0); // kB → GiB
        }
    }
    return 0;
}

double median(std::vector<double> v) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/** FLOP tally for one forward, following the peer benchmark's counting rules. */
struct FlopModel {
    double total = 0;
    double N = 0; ///< B·F rows
    double B = 0, F = 0, tokens = 77, ctxDim = 0, temb = 0;

    void conv(double hw, double out, double in, double k) { total += 2 * N * hw * out * in * k; }
    void linear(double rows, double out, double in) { total += 2 * rows * out * in; }
    void attention(double bh, double lq, double lk, double d) { total += 4 * bh * lq * lk * d; }

    void resnet(double hw, double in, double out) {
        conv(hw, out, in, 9);
        linear(N, out, temb);
        conv(hw, out, out, 9);
        if (in != out) {
            conv(hw, out, in, 1);
        }
    }
    void tempConv(double hw, double c) {
        for (int i = 0; i < 4; ++i) {
            conv(hw, c, c, 3);
        }
    }
    void block(double rows, double inner, double heads, double seqQ, double seqK, double kvRows,
               double kvIn) {
        // BasicTransformerBlock: attn1 (self), attn2 (cross or self), GEGLU FF.
        const double d = inner / heads;
        linear(rows, inner, inner), linear(rows, inner, inner), linear(rows, inner, inner),
            linear(rows, inner, inner);
        attention(rows / seqQ * heads, seqQ, seqQ, d);
        linear(rows, inner, inner), linear(rows, inner, inner);
        linear(kvRows, inner, kvIn), linear(kvRows, inner, kvIn);
        attention(rows / seqQ * heads, seqQ, seqK, d);
        linear(rows, 8 * inner, inner);
        linear(rows, inner, 4 * inner);
    }
    void spatial(double hw, double c, double headDim) {
        const double rows = N * hw;
        linear(rows, c, c);
        block(rows, c, c / headDim, hw, tokens, N * tokens, ctxDim);
        linear(rows, c, c);
    }
    void temporal(double hw, double c, double inner, double heads) {
        const double rows = N * hw;
        linear(rows, inner, c);
        block(rows, inner, heads, F, F, rows, inner);
        linear(rows, c, inner);
    }
};

} // namespace

double peak_rss_gib() {
    return statusGiB("VmHWM");
}
double current_rss_gib() {
    return statusGiB("VmRSS");
}

double unet_flops(const std::string& configPath, int64_t batch, int64_t frames, int64_t latentH,
                  int64_t latentW, int64_t tokens) {
    const UNet3DConfig c = UNet3DConfig::from_file(configPath);
    FlopModel m;
    m.B = double(batch);
    m.F = double(frames);
    m.N = m.B * m.F;
    m.tokens = double(tokens);
    m.ctxDim = double(c.crossAttentionDim);
    m.temb = double(c.timeEmbedDim());
    const auto& boc = c.blockOutChannels;
    const size_t n = boc.size();
    const double c0 = double(boc[0]);

    m.linear(m.B, m.temb, c0);
    m.linear(m.B, m.temb, m.temb);
    int64_t h = latentH, w = latentW;
    std::vector<std::pair<int64_t, int64_t>> sizes{{h, w}};
    m.conv(double(h * w), c0, double(c.inChannels), 9);
    const double tinInner = 8.0 * double(c.attentionHeadDim[0]);
    m.temporal(double(h * w), c0, tinInner, 8);

    std::vector<double> skipCh{c0};
    double outCh = c0;
    for (size_t i = 0; i < n; ++i) {
        const double inCh = outCh;
        outCh = double(boc[i]);
        const double hw = double(h * w);
        for (int64_t l = 0; l < c.layersPerBlock; ++l) {
            m.resnet(hw, l == 0 ? inCh : outCh, outCh);
            m.tempConv(hw, outCh);
            if (c.downBlockTypes[i] == "CrossAttnDownBlock3D") {
                m.spatial(hw, outCh, double(c.attentionHeadDim[i]));
                m.temporal(hw, outCh, outCh, outCh / double(c.attentionHeadDim[i]));
            }
            skipCh.push_back(outCh);
        }
        if (i + 1 < n) {
            h = (h + 1) / 2;
            w = (w + 1) / 2;
            m.conv(double(h * w), outCh, outCh, 9);
            skipCh.push_back(outCh);
            sizes.push_back({h, w});
        }
    }
    const double mid = double(boc.back());
    const double hwMid = double(h * w);
    m.resnet(hwMid, mid, mid);
    m.tempConv(hwMid, mid);
    m.spatial(hwMid, mid, double(c.attentionHeadDim.back()));
    m.temporal(hwMid, mid, mid, mid / double(c.attentionHeadDim.back()));
    m.resnet(hwMid, mid, mid);
    m.tempConv(hwMid, mid);

    std::vector<int64_t> rev(boc.rbegin(), boc.rend());
    std::vector<int64_t> revHead(c.attentionHeadDim.rbegin(), c.attentionHeadDim.rend());
    double prev = double(rev[0]);
    sizes.pop_back(); // current size is the bottom one
    for (size_t i = 0; i < n; ++i) {
        const double out = double(rev[i]);
        const double hw = double(h * w);
        for (int64_t l = 0; l < c.layersPerBlock + 1; ++l) {
            const double skip = skipCh.back();
            skipCh.pop_back();
            m.resnet(hw, (l == 0 ? prev : out) + skip, out);
            m.tempConv(hw, out);
            if (c.upBlockTypes[i] == "CrossAttnUpBlock3D") {
                m.spatial(hw, out, double(revHead[i]));
                m.temporal(hw, out, out, out / double(revHead[i]));
            }
        }
        prev = out;
        if (i + 1 < n) {
            h = sizes.back().first;
            w = sizes.back().second;
            sizes.pop_back();
            m.conv(double(h * w), out, out, 9);
        }
    }
    m.conv(double(h * w), double(c.outChannels), c0, 9);
    return m.total;
}

double matmul_probe_gflops(int repeats) {
    torch::NoGradGuard noGrad;
    torch::manual_seed(0);
    const int64_t n = 2048;
    const torch::Tensor a = torch::randn({n, n}), b = torch::randn({n, n}); // cpu: a CPU probe
    const torch::Tensor bt = b.t().contiguous();
    // Through linear(): with OpenBLAS single-threaded the product is split over the OpenMP threads, so the
    // probe measures what the model's products can reach in either threading scheme.
    torch::Tensor c = mb::ml::linear(a, bt); // warm-up
    std::vector<double> gflops;
    for (int r = 0; r < std::max(1, repeats); ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        c = mb::ml::linear(a, bt);
        gflops.push_back(2.0 * n * n * n / secondsSince(t0) / 1e9);
    }
    return median(gflops);
}

UNetBenchResult bench_unet(const UNetBenchOptions& o) {
    if (o.frames < 1 || o.batch < 1 || o.repeats < 1 || o.latentScale < 1 || o.warmup < 0) {
        throw std::invalid_argument("bench unet: frames, batch, repeats and latent scale must be at least 1");
    }
    if (o.width % o.latentScale || o.height % o.latentScale || o.width < o.latentScale ||
        o.height < o.latentScale) {
        throw std::invalid_argument("bench unet: size " + std::to_string(o.width) + "x" +
                                    std::to_string(o.height) + " must be a positive multiple of " +
                                    std::to_string(o.latentScale));
    }
    UNetBenchResult r;
    const ResolvedDevice device = resolve_device(parse_device(o.device));
    configure_threads(o.threads, o.blasThreads);
    r.runtime = runtime_description();
    r.device = device_description(device.device);

    // Resolve the config (and weights) to use.
    std::string configPath = o.configPath, weightsDir;
    if (!o.modelDir.empty()) {
        weightsDir = fs::exists(fs::path(o.modelDir) / "model_index.json")
                         ? (fs::path(o.modelDir) / "unet").string()
                         : o.modelDir;
        configPath = (fs::path(weightsDir) / "config.json").string();
        r.source = weightsDir;
    } else if (configPath.empty()) {
        throw std::invalid_argument("bench unet: give a UNet config.json or a model folder");
    } else {
        r.source = configPath + " (random weights, seed " + std::to_string(o.seed) + ")";
    }
    const UNet3DConfig config = UNet3DConfig::from_file(configPath);

    auto t0 = std::chrono::steady_clock::now();
    torch::manual_seed(o.seed);
    UNet3DConditionModel unet(config);
    int64_t parameters = 0;
    for (const auto& p : unet->parameters()) {
        parameters += p.numel();
    }
    ResolvedPrecision precision{o.bf16 ? torch::kBFloat16 : torch::kFloat32, o.bf16 ? "bf16" : "fp32",
                                "requested"};
    if (!o.dtype.empty()) {
        precision = resolve_precision(parse_precision(o.dtype), device.device, parameters);
    }
    r.dtype = precision.name;
    r.dtypeReason = precision.reason;
    const auto dtype = precision.dtype;
    // Random weights are made on the CPU from the seed (the same model on every device), then moved.
    unet->to(device.device, dtype);
    if (!weightsDir.empty()) {
        LoadOptions strict;
        strict.requireComplete = true;
        load_component_weights(*unet, weightsDir, strict);
    }
    unet->eval();
    if (o.batchParallel == "split") {
        unet->set_batch_parallel(BatchParallelMode::Split);
    } else if (o.batchParallel == "ops") {
        unet->set_batch_parallel(BatchParallelMode::Ops);
    } else if (o.batchParallel != "auto") {
        throw std::invalid_argument("bench unet: --batch-parallel must be auto, split or ops, not '" +
                                    o.batchParallel + "'");
    }
    synchronize_device(device.device);
    r.buildSeconds = secondsSince(t0);
    r.parameters = parameters;
    r.rssAfterBuildGiB = current_rss_gib();
    reset_device_peak_memory(device.device);

    const int64_t lh = o.height / o.latentScale, lw = o.width / o.latentScale;
    r.latentShape = {o.batch, config.inChannels, o.frames, lh, lw};
    auto gen = at::make_generator<at::CPUGeneratorImpl>(o.seed + 1);
    // cpu: drawn from the seeded CPU generator (the same inputs on every device), then moved
    const torch::Tensor sample = at::randn(r.latentShape, gen, torch::kFloat32).to(device.device, dtype);
    const torch::Tensor text =
        at::randn({o.batch, 77, config.crossAttentionDim}, gen, torch::kFloat32) // cpu: as above
            .to(device.device, dtype);
    const torch::Tensor t = torch::tensor(981, torch::kInt64); // cpu: 0-d, forward moves it

    {
        c10::InferenceMode inference;
        AllocatorReuseScope reuse; // as renders run (threads.h)
        r.splitBatch = unet->would_split_batch(sample, nullptr);
        if (o.controlled && o.batch != 2)
            throw std::invalid_argument("bench unet: --controlled needs the CFG batch of 2");
        AttentionEditor editor;
        if (o.controlled) {
            EditedSubject subject;
            subject.tokens = {1, 2};
            subject.boxes.assign(size_t(o.frames), BoxF{0.25, 0.25, 0.75, 0.75});
            AttentionEditSettings st;
            st.amplify = true;
            st.promptLength = 8;
            editor.configure({subject}, st, {0});
        }
        const bool concurrent = o.threads >= 2 && device.device.is_cpu();
        auto step = [&]() {
            if (!o.controlled)
                return unet(sample, t, text);
            torch::Tensor c, u;
            auto cond = [&] { c = unet->forward(sample.narrow(0, 0, 1), t, text.narrow(0, 0, 1), &editor); };
            auto uncond = [&] {
                u = unet->forward(sample.narrow(0, 1, 1), t, text.narrow(0, 1, 1), nullptr);
            };
            if (concurrent) {
                run_concurrently({cond, uncond});
            } else {
                cond();
                uncond();
            }
            return torch::cat({c, u});
        };
        torch::Tensor out;
        for (int i = 0; i < o.warmup; ++i) {
            t0 = std::chrono::steady_clock::now();
            out = step();
            synchronize_device(device.device);
            r.warmupSeconds.push_back(secondsSince(t0));
        }
        for (int i = 0; i < o.repeats; ++i) {
            out = torch::Tensor();
            synchronize_device(device.device);
            t0 = std::chrono::steady_clock::now();
            out = step();
            synchronize_device(device.device);
            r.stepSeconds.push_back(secondsSince(t0));
        }
        r.outputAbsMean = out.to(torch::kFloat32).abs().mean().item<double>();
        if (!std::isfinite(r.outputAbsMean)) {
            throw std::runtime_error("bench unet: the output is not finite");
        }
    }
    r.peakRssGiB = peak_rss_gib();
    const int64_t peakBytes = device_peak_allocated_bytes(device.device);
    r.peakDeviceGiB = peakBytes < 0 ? -1.0 : double(peakBytes) / double(int64_t(1) << 30);
    r.medianSeconds = median(r.stepSeconds);
    r.minSeconds = *std::min_element(r.stepSeconds.begin(), r.stepSeconds.end());
    r.flopsPerStep = unet_flops(configPath, o.batch, o.frames, lh, lw);
    r.gflopsAtMedian = r.flopsPerStep / r.medianSeconds / 1e9;
    if (o.matmulProbe && device.device.is_cpu()) { // the probe is a CPU figure
        r.matmulProbeGflops = matmul_probe_gflops();
        r.fractionOfProbe = r.gflopsAtMedian / r.matmulProbeGflops;
    }
    return r;
}

} // namespace mb::ml
