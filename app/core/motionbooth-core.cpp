// motionbooth-core: the part of the render node that needs LibTorch alone (no Qt, OpenCV or FFmpeg), built in
// both configurations, -DMB_CORE_ONLY=ON included. What a GPU machine with nothing but a CUDA LibTorch runs:
//   bench-unet  seconds per CFG UNet step and peak memory on a device, in a dtype;
//   generate    a plain text-to-video take to raw frames (safetensors, uint8 [F, H, W, 3]) + a JSON sidecar;
//   parity      the tiny reference model's max-diffs against diffusers' vectors on a device;
//   bench-train seconds per subject fine-tuning step (photos + one clip + AdamW) and peak memory.
// Exit codes: 0 done, 1 error (a device that is not there included), 2 usage.
#include "arg_parser.h"

#include "ml/attention.h"
#include "ml/bench.h"
#include "ml/compute_device.h"
#include "ml/compute_precision.h"
#include "ml/pipeline.h"
#include "ml/reference_parity.h"
#include "ml/safetensors.h"
#include "ml/sampler.h"
#include "ml/subject_trainer.h"
#include "ml/threads.h"
#include "ml/unet3d.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#ifndef MB_SOURCE_DIR
#define MB_SOURCE_DIR "."
#endif

namespace {

using mb::cli::ArgParser;
using mb::cli::UsageError;
namespace ml = mb::ml;

std::pair<int64_t, int64_t> parseSize(const std::string& text) {
    int w = 0, h = 0;
    char x = 0, extra = 0;
    if (std::sscanf(text.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || (x != 'x' && x != 'X') || w <= 0 ||
        h <= 0)
        throw UsageError("size must look like 576x320, got '" + text + "'");
    return {w, h};
}

ml::ResolvedDevice deviceOption(const std::string& text) {
    ml::DeviceChoice choice;
    try {
        choice = ml::parse_device(text);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--device: ") + e.what());
    }
    return ml::resolve_device(choice); // DeviceUnavailable: exit 1 with its message
}

ml::ResolvedDevice deviceOption(const ArgParser& ap) {
    return deviceOption(ap.get("--device", "auto"));
}

ml::PrecisionChoice dtypeOption(const ArgParser& ap) {
    try {
        return ml::parse_precision(ap.get("--dtype", "auto"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--dtype: ") + e.what());
    }
}

void attentionOption(const ArgParser& ap) {
    const std::string k = ap.get("--attention", "auto");
    if (k == "auto")
        ml::set_attention_kernel(ml::AttentionKernel::Auto);
    else if (k == "explicit")
        ml::set_attention_kernel(ml::AttentionKernel::Explicit);
    else if (k == "sdpa")
        ml::set_attention_kernel(ml::AttentionKernel::Sdpa);
    else
        throw UsageError("--attention must be auto, explicit or sdpa, not '" + k + "'");
}

void writeJson(const std::string& path, const nlohmann::json& j) {
    std::ofstream out(path);
    out << j.dump(2) << "\n";
    if (!out)
        throw std::runtime_error("cannot write " + path);
}

std::string gib(double v) {
    if (v < 0)
        return "n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f GiB", v);
    return buf;
}

int benchUnet(const std::vector<std::string>& args) {
    ArgParser ap;
    ap.option("--config").option("--model").option("--size").option("--frames").option("--device");
    ap.option("--dtype").option("--steps").option("--warmup").option("--batch").option("--threads");
    ap.option("--seed").option("--attention").option("--json");
    ap.parse(args);
    if (!ap.positional().empty())
        throw UsageError("unexpected argument " + ap.positional()[0]);
    if (ap.has("--config") == ap.has("--model"))
        throw UsageError("give exactly one of --config PATH (random weights) or --model DIR (real weights)");
    attentionOption(ap);
    const ml::ResolvedDevice device = deviceOption(ap);
    dtypeOption(ap);
    ml::UNetBenchOptions o;
    o.configPath = ap.get("--config", "");
    o.modelDir = ap.get("--model", "");
    const auto [w, h] = parseSize(ap.get("--size", "256x144"));
    o.width = w;
    o.height = h;
    o.frames = ap.getInt("--frames", 8);
    o.device = device.name;
    o.dtype = ap.get("--dtype", "auto");
    o.repeats = int(ap.getInt("--steps", 3));
    o.warmup = int(ap.getInt("--warmup", 1));
    o.batch = ap.getInt("--batch", 2);
    o.threads = int(ap.getInt("--threads", 0));
    o.blasThreads = 1;
    o.seed = uint64_t(ap.getInt("--seed", 0));
    o.matmulProbe = false;
    const ml::UNetBenchResult r = ml::bench_unet(o);
    std::printf("bench-unet: %s\n", r.source.c_str());
    std::printf("  device %s; %s (%s); attention %s\n", r.device.c_str(), r.dtype.c_str(),
                r.dtypeReason.c_str(), ap.get("--attention", "auto").c_str());
    std::printf("  %lld parameters; sample [%lld, %lld, %lld, %lld, %lld] (%lldx%lld px, batch %lld)\n",
                static_cast<long long>(r.parameters), static_cast<long long>(r.latentShape[0]),
                static_cast<long long>(r.latentShape[1]), static_cast<long long>(r.latentShape[2]),
                static_cast<long long>(r.latentShape[3]), static_cast<long long>(r.latentShape[4]),
                static_cast<long long>(w), static_cast<long long>(h), static_cast<long long>(o.batch));
    for (size_t i = 0; i < r.stepSeconds.size(); ++i)
        std::printf("  step %zu: %.4f s\n", i + 1, r.stepSeconds[i]);
    std::printf("  median %.4f s/step (min %.4f); peak device memory %s (allocated); peak RSS %.2f GiB\n",
                r.medianSeconds, r.minSeconds, gib(r.peakDeviceGiB).c_str(), r.peakRssGiB);
    if (ap.has("--json")) {
        nlohmann::json j = {
            {"source", r.source},
            {"device", r.device},
            {"dtype", r.dtype},
            {"attention", ap.get("--attention", "auto")},
            {"frames", o.frames},
            {"size", std::to_string(w) + "x" + std::to_string(h)},
            {"batch", o.batch},
            {"parameters", r.parameters},
            {"step_seconds", r.stepSeconds},
            {"step_median_s", r.medianSeconds},
            {"step_min_s", r.minSeconds},
            {"peak_alloc_gib", r.peakDeviceGiB < 0 ? nlohmann::json() : nlohmann::json(r.peakDeviceGiB)},
            {"peak_rss_gib", r.peakRssGiB},
            {"runtime", r.runtime}};
        writeJson(*ap.get("--json"), j);
    }
    return 0;
}

int generate(const std::vector<std::string>& args) {
    ArgParser ap;
    ap.option("--model").option("--random-model").option("--prompt").option("--negative").option("--frames");
    ap.option("--size").option("--steps").option("--guidance").option("--seed").option("--sampler");
    ap.option("--device").option("--dtype").option("--tokenizer").option("--threads").option("--attention");
    ap.option("--output", "-o");
    ap.parse(args);
    if (!ap.positional().empty())
        throw UsageError("unexpected argument " + ap.positional()[0]);
    if (ap.has("--model") == ap.has("--random-model"))
        throw UsageError("give exactly one of --model DIR or --random-model CONFIG_DIR");
    const auto prompt = ap.get("--prompt");
    const auto output = ap.get("--output");
    if (!prompt)
        throw UsageError("--prompt is required");
    if (!output)
        throw UsageError("-o OUT.safetensors is required");
    attentionOption(ap);
    const ml::ResolvedDevice device = deviceOption(ap);
    const ml::PrecisionChoice choice = dtypeOption(ap);

    ml::TextToVideoParams p;
    p.prompt = *prompt;
    p.negative_prompt = ap.get("--negative", "");
    p.num_frames = ap.getInt("--frames", 16);
    if (ap.has("--size")) {
        const auto [w, h] = parseSize(*ap.get("--size"));
        p.width = w;
        p.height = h;
    }
    p.num_inference_steps = ap.getInt("--steps", 50);
    p.guidance_scale = ap.getDouble("--guidance", 9.0);
    const long long seed = ap.getInt("--seed", 0);
    if (seed < 0 || p.num_frames < 1 || p.num_inference_steps < 1)
        throw UsageError("--seed must be ≥ 0, --frames and --steps ≥ 1");
    p.seed = uint64_t(seed);
    p.format = ml::FrameFormat::Uint8;
    try {
        p.sampler = ml::parse_sampler(ap.get("--sampler", "ddim"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--sampler: ") + e.what());
    }
    const auto threads = ml::configure_threads(int(ap.getInt("--threads", 0)));

    ml::PipelineLoadOptions load;
    load.device = device.device;
    load.tokenizer_dir = ap.get("--tokenizer", "");
    const std::string source = ap.has("--model") ? *ap.get("--model") : *ap.get("--random-model");
    if (load.tokenizer_dir.empty() &&
        (ap.has("--random-model") || !std::filesystem::exists(source + "/tokenizer/vocab.json")))
        load.tokenizer_dir = std::string(MB_SOURCE_DIR) + "/resources/tokenizer-clip";
    // Only `auto` on the CPU depends on the UNet's size (compute_precision.h): then the model is built in
    // float32, counted and converted; otherwise its weights go straight into their dtype on their device.
    const bool countFirst = device.device.is_cpu() && choice == ml::PrecisionChoice::Auto;
    ml::ResolvedPrecision precision;
    if (!countFirst)
        precision = ml::resolve_precision(choice, device.device, 0);
    load.unet_dtype = countFirst ? torch::kFloat32 : precision.dtype;

    const auto t0 = std::chrono::steady_clock::now();
    std::shared_ptr<ml::UNet3DConditionModelImpl> unet;
    ml::TextToVideoPipeline pipe = ap.has("--model")
                                       ? ml::load_text_to_video_pipeline(source, load, &unet)
                                       : ml::random_text_to_video_pipeline(source, p.seed, load, &unet);
    int64_t parameters = 0;
    for (const auto& t : unet->parameters())
        parameters += t.numel();
    if (countFirst) {
        precision = ml::resolve_cpu_precision(choice, parameters);
        if (precision.dtype != torch::kFloat32)
            unet->to(precision.dtype);
    }
    p.compute_dtype = precision.dtype;
    ml::synchronize_device(device.device);
    const auto t1 = std::chrono::steady_clock::now();
    std::fprintf(stderr, "loaded %s in %.1f s on %s (%s), %s (%s)\n", source.c_str(),
                 std::chrono::duration<double>(t1 - t0).count(),
                 ml::device_description(device.device).c_str(), device.reason.c_str(), precision.name.c_str(),
                 precision.reason.c_str());
    ml::reset_device_peak_memory(device.device);
    const ml::TextToVideoResult result = pipe.generate(p);
    ml::synchronize_device(device.device);
    const auto t2 = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(t2 - t1).count();
    const int64_t peak = ml::device_peak_allocated_bytes(device.device);
    const bool finite = torch::isfinite(result.latents.cpu()).all().item<bool>();
    ml::write_safetensors(*output, {{"frames", result.frames}});
    const nlohmann::json sidecar = {
        {"frames_file", std::filesystem::path(*output).filename().string()},
        {"frames_shape", result.frames.sizes().vec()},
        {"model", source},
        {"random_weights", ap.has("--random-model")},
        {"prompt", p.prompt},
        {"negative_prompt", p.negative_prompt},
        {"seed", p.seed},
        {"steps", p.num_inference_steps},
        {"guidance", p.guidance_scale},
        {"sampler", ml::sampler_name(p.sampler)},
        {"device", ml::device_name(device.device)},
        {"device_description", ml::device_description(device.device)},
        {"dtype", precision.name},
        {"unet_parameters", parameters},
        {"load_seconds", std::chrono::duration<double>(t1 - t0).count()},
        {"seconds", seconds},
        {"seconds_per_step", seconds / double(p.num_inference_steps)},
        {"peak_alloc_gib",
         peak < 0 ? nlohmann::json() : nlohmann::json(double(peak) / double(int64_t(1) << 30))},
        {"latents_finite", finite},
        {"threads", threads.torchThreads},
        {"runtime", ml::runtime_description()}};
    writeJson(*output + ".json", sidecar);
    std::printf(
        "generated %lld frames %lldx%lld in %.2f s (%.4f s/step, latents %s), peak device memory %s -> %s\n",
        static_cast<long long>(result.frames.size(0)), static_cast<long long>(result.frames.size(2)),
        static_cast<long long>(result.frames.size(1)), seconds, seconds / double(p.num_inference_steps),
        finite ? "finite" : "NOT finite",
        gib(peak < 0 ? -1.0 : double(peak) / double(int64_t(1) << 30)).c_str(), output->c_str());
    return 0;
}

int parity(const std::vector<std::string>& args) {
    ArgParser ap;
    ap.option("--device")
        .option("--dtype")
        .option("--reference")
        .option("--tolerance-scale")
        .option("--attention");
    ap.option("--json").flag("--tf32");
    ap.parse(args);
    if (!ap.positional().empty())
        throw UsageError("unexpected argument " + ap.positional()[0]);
    attentionOption(ap);
    const ml::ResolvedDevice device = deviceOption(ap);
    const ml::ResolvedPrecision precision =
        ml::resolve_precision(ml::parse_precision(ap.get("--dtype", "fp32")), device.device, 0);
    ml::set_cuda_tf32(ap.has("--tf32"));
    ml::ParityOptions o;
    o.referenceDir = ap.get("--reference", std::string(MB_SOURCE_DIR) + "/tests/data/reference");
    o.device = device.device;
    o.dtype = precision.dtype;
    o.float32Scale = ap.getDouble("--tolerance-scale", ml::parity_float32_scale(device.device));
    std::printf("parity on %s, UNet in %s, TF32 %s, attention %s\n",
                ml::device_description(device.device).c_str(), precision.name.c_str(),
                ap.has("--tf32") ? "on" : "off", ap.get("--attention", "auto").c_str());
    int failed = 0;
    nlohmann::json checks = nlohmann::json::array();
    for (const ml::ParityCheck& c : ml::run_reference_parity(o)) {
        std::printf("  %-44s max|diff| %.3g  tolerance %.3g  absmax %.3g  %s\n", c.name.c_str(), c.maxDiff,
                    c.tolerance, c.absMax, c.pass() ? "ok" : "FAIL");
        failed += c.pass() ? 0 : 1;
        checks.push_back({{"name", c.name},
                          {"max_diff", c.maxDiff},
                          {"tolerance", c.tolerance},
                          {"absmax", c.absMax},
                          {"pass", c.pass()}});
    }
    if (ap.has("--json"))
        writeJson(*ap.get("--json"), {{"device", ml::device_description(device.device)},
                                      {"dtype", precision.name},
                                      {"tf32", ap.has("--tf32")},
                                      {"checks", checks}});
    std::printf("%d passed, %d failed\n", int(checks.size()) - failed, failed);
    return failed ? 1 : 0;
}

int devices(const std::vector<std::string>& args) {
    ArgParser ap;
    ap.option("--require");
    ap.parse(args);
    const int count = ml::cuda_device_count();
    std::printf("LibTorch %s, %s; %d CUDA device(s)\n", ml::libtorch_version().c_str(),
                ml::torch_has_cuda() ? ("CUDA " + ml::cuda_version()).c_str() : "no CUDA support", count);
    std::printf("  %s\n", ml::device_description(c10::Device(c10::DeviceType::CPU)).c_str());
    for (int i = 0; i < count; ++i)
        std::printf("  %s\n",
                    ml::device_description(c10::Device(c10::DeviceType::CUDA, c10::DeviceIndex(i))).c_str());
    if (ap.has("--require")) {
        const ml::ResolvedDevice d = deviceOption(ap.get("--require", "auto")); // throws DeviceUnavailable
        std::printf("using %s (%s)\n", d.name.c_str(), d.reason.c_str());
    }
    return 0;
}

int benchTrain(const std::vector<std::string>& args) {
    ArgParser ap;
    ap.option("--config").option("--size").option("--frames").option("--images").option("--lora");
    ap.option("--steps").option("--warmup").option("--threads").option("--seed").option("--device");
    ap.option("--dtype").option("--json").flag("--checkpointing");
    ap.parse(args);
    if (!ap.positional().empty())
        throw UsageError("unexpected argument " + ap.positional()[0]);
    if (!ap.has("--config"))
        throw UsageError("--config PATH (a UNet config.json; the weights are random) is required");
    const ml::ResolvedDevice device = deviceOption(ap);
    ml::ResolvedPrecision precision;
    try {
        precision = ml::resolve_training_precision(dtypeOption(ap), device.device);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--dtype: ") + e.what());
    }
    if (device.device.is_cuda() && precision.dtype == torch::kFloat32)
        ml::set_cuda_tf32(false);
    ml::TrainBenchOptions o;
    o.configPath = *ap.get("--config");
    const auto [w, h] = parseSize(ap.get("--size", "256x144"));
    o.width = w;
    o.height = h;
    o.frames = ap.getInt("--frames", 8);
    o.images = ap.getInt("--images", 5);
    o.loraRank = ap.getInt("--lora", 0);
    if (o.loraRank < 0)
        throw UsageError("--lora RANK must be at least 1 (0 = the full UNet)");
    o.steps = int(ap.getInt("--steps", 3));
    o.warmup = int(ap.getInt("--warmup", 1));
    o.threads = int(ap.getInt("--threads", 0));
    o.seed = uint64_t(ap.getInt("--seed", 0));
    o.gradientCheckpointing = ap.has("--checkpointing");
    o.device = device.device;
    o.computeDtype = precision.dtype;
    const ml::TrainBenchResult r = ml::bench_training(o);
    double total = 0;
    for (double s : r.stepSeconds)
        total += s;
    const std::string kind = o.loraRank ? "LoRA rank " + std::to_string(o.loraRank) : "full UNet";
    std::printf("bench-train: %s, %s%s; device %s; %s (%s)\n", o.configPath.c_str(), kind.c_str(),
                o.gradientCheckpointing ? ", gradient checkpointing" : "",
                ml::device_description(device.device).c_str(), precision.name.c_str(),
                precision.reason.c_str());
    std::printf("  %lld parameters, %lld trained; %lldx%lld px, %lld photos + %lld-frame clip per step\n",
                static_cast<long long>(r.parameters), static_cast<long long>(r.trainable),
                static_cast<long long>(w), static_cast<long long>(h), static_cast<long long>(o.images),
                static_cast<long long>(o.frames));
    std::printf("  %zu steps in %.2f s, median %.4f s/step; peak device memory %s (allocated); peak RSS "
                "%.2f GiB (estimate %.2f GiB)\n",
                r.stepSeconds.size(), total, r.medianSeconds, gib(r.peakDeviceGiB).c_str(), r.peakRssGiB,
                r.estimatedGiB);
    if (ap.has("--json"))
        writeJson(
            *ap.get("--json"),
            {{"config", o.configPath},
             {"device", ml::device_description(device.device)},
             {"dtype", precision.name},
             {"kind", o.loraRank ? "lora" : "full"},
             {"lora_rank", o.loraRank},
             {"gradient_checkpointing", o.gradientCheckpointing},
             {"size", std::to_string(w) + "x" + std::to_string(h)},
             {"frames", o.frames},
             {"images", o.images},
             {"parameters", r.parameters},
             {"trainable", r.trainable},
             {"step_seconds", r.stepSeconds},
             {"steps_total_s", total},
             {"step_median_s", r.medianSeconds},
             {"peak_alloc_gib", r.peakDeviceGiB < 0 ? nlohmann::json() : nlohmann::json(r.peakDeviceGiB)},
             {"peak_rss_gib", r.peakRssGiB},
             {"estimated_gib", r.estimatedGiB}});
    return 0;
}

void usage() {
    std::cout
        << "motionbooth-core — the LibTorch-only part of MotionBooth's render node\n\n"
           "usage:\n"
           "  motionbooth-core bench-unet --config unet/config.json|--model DIR [--size WxH] [--frames F]\n"
           "      [--device auto|cpu|cuda|cuda:N] [--dtype auto|fp32|bf16|fp16] [--steps N] [--warmup N]\n"
           "      [--batch B] [--threads T] [--attention auto|explicit|sdpa] [--json FILE]\n"
           "  motionbooth-core generate --model DIR|--random-model CONFIG_DIR --prompt P [--negative N]\n"
           "      [--frames F] [--size WxH] [--steps S] [--guidance G] [--seed S] [--sampler NAME]\n"
           "      [--device D] [--dtype T] [--tokenizer DIR] [--threads T] -o OUT.safetensors\n"
           "      (uint8 frames [F, H, W, 3] under \"frames\"; OUT.safetensors.json: seconds, device, ...)\n"
           "  motionbooth-core parity [--device D] [--dtype fp32|bf16|fp16] [--tf32] [--tolerance-scale X]\n"
           "      [--reference DIR] [--json FILE]   (exit 1 when a check fails)\n"
           "  motionbooth-core devices [--require auto|cpu|cuda|cuda:N]   (exit 1 when it is not there)\n"
           "  motionbooth-core bench-train --config unet/config.json [--size WxH] [--frames F] [--images N]\n"
           "      [--lora RANK] [--checkpointing] [--device D] [--dtype auto|fp32|bf16|fp16] [--steps N]\n"
           "      [--warmup N] [--threads T] [--json FILE]   (random weights; fp16/bf16 on CUDA only)\n";
}

} // namespace

int main(int argc, char** argv) {
    mb::ml::ensure_passive_openmp(argv);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        usage();
        return args.empty() ? 2 : 0;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    try {
        if (command == "bench-unet")
            return benchUnet(args);
        if (command == "generate")
            return generate(args);
        if (command == "parity")
            return parity(args);
        if (command == "devices")
            return devices(args);
        if (command == "bench-train")
            return benchTrain(args);
        std::cerr << "motionbooth-core: unknown command '" << command << "' (try --help)\n";
        return 2;
    } catch (const UsageError& e) {
        std::cerr << "motionbooth-core " << command << ": " << e.what() << " (try --help)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "motionbooth-core " << command << ": error: " << e.what() << "\n";
        return 1;
    }
}
