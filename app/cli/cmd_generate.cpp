// generate: plain text-to-video with a diffusers TextToVideoSD model folder (Zeroscope / ModelScope layout).
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "media/video_io.h"
#include "ml/compute_device.h"
#include "ml/compute_precision.h"
#include "ml/pipeline.h"
#include "ml/sampler.h"
#include "ml/threads.h"
#include "ml/unet3d.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace mb::cli {
namespace {

/** Writes uint8 frames [F, H, W, 3] (RGB) as an H.264 MP4. A cancel between frames leaves no file (the
 *  encoder writes a temporary file and renames it only in finish()). */
void writeMp4(const torch::Tensor& frames, const std::string& path, double fps, const JobControl& job) {
    const torch::Tensor rgb = frames.contiguous();
    const int count = static_cast<int>(rgb.size(0));
    const int height = static_cast<int>(rgb.size(1));
    const int width = static_cast<int>(rgb.size(2));
    media::VideoEncodeOptions options;
    options.fps = fps;
    media::VideoEncoder encoder(path, width, height, options);
    for (int f = 0; f < count; ++f) {
        job.checkCancelled();
        const torch::Tensor frame = rgb[f].contiguous();
        const cv::Mat view(height, width, CV_8UC3, const_cast<uint8_t*>(frame.data_ptr<uint8_t>()));
        cv::Mat bgr;
        cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);
        encoder.write(bgr);
    }
    encoder.finish();
}

int runGenerate(const Args& args) {
    ArgParser ap;
    ap.option("--model")
        .option("--prompt")
        .option("--negative")
        .option("--frames")
        .option("--size")
        .option("--steps")
        .option("--guidance")
        .option("--seed")
        .option("--threads")
        .option("--fps")
        .option("--tokenizer")
        .option("--sampler")
        .option("--dtype")
        .option("--device")
        .option("--output", "-o")
        .flag("--progress");
    ap.parse(args);
    if (!ap.positional().empty())
        throw UsageError("unexpected argument " + ap.positional()[0]);
    const auto model = ap.get("--model");
    const auto prompt = ap.get("--prompt");
    const auto output = ap.get("--output");
    if (!model)
        throw UsageError("--model DIR is required (a diffusers text-to-video folder)");
    if (!prompt)
        throw UsageError("--prompt is required");
    if (!output)
        throw UsageError("-o OUT.mp4 is required");

    ml::TextToVideoParams params;
    params.prompt = *prompt;
    params.negative_prompt = ap.get("--negative", "");
    params.num_frames = ap.getInt("--frames", 16);
    if (ap.has("--size")) {
        const auto [w, h] = parseSize(*ap.get("--size"));
        params.width = w;
        params.height = h;
    }
    params.num_inference_steps = ap.getInt("--steps", 50);
    params.guidance_scale = ap.getDouble("--guidance", 9.0);
    const long long seed = ap.getInt("--seed", 0);
    if (seed < 0)
        throw UsageError("--seed must be a non-negative integer");
    params.seed = static_cast<uint64_t>(seed);
    params.format = ml::FrameFormat::Uint8;
    if (params.num_frames < 1)
        throw UsageError("--frames must be at least 1");
    if (params.num_inference_steps < 1)
        throw UsageError("--steps must be at least 1");
    try {
        params.sampler = ml::parse_sampler(ap.get("--sampler", "ddim"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--sampler: ") + e.what());
    }
    ml::DeviceChoice deviceChoice;
    try {
        deviceChoice = ml::parse_device(ap.get("--device", "auto"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--device: ") + e.what());
    }
    // A device this build or machine lacks is refused here, before anything loads (exit 1, the message says
    // what to do instead).
    const ml::ResolvedDevice device = ml::resolve_device(deviceChoice);
    ml::PrecisionChoice precisionChoice;
    try {
        precisionChoice = ml::parse_precision(ap.get("--dtype", "auto"));
        if (precisionChoice == ml::PrecisionChoice::Fp16)
            ml::resolve_precision(precisionChoice, device.device,
                                  0); // refuses fp16 on the CPU before loading
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--dtype: ") + e.what());
    }
    const double fps = ap.getDouble("--fps", 8.0);
    if (!(fps > 0))
        throw UsageError("--fps must be positive");

    const auto threads = ml::configure_threads(static_cast<int>(ap.getInt("--threads", 0)));
    ml::PipelineLoadOptions loadOptions;
    loadOptions.tokenizer_dir = ap.get("--tokenizer", "");
    if (loadOptions.tokenizer_dir.empty() && !std::filesystem::exists(*model + "/tokenizer/vocab.json"))
        loadOptions.tokenizer_dir = resourceDir() + "/tokenizer-clip"; // the bundled CLIP vocabulary

    const JobControl job = makeConsoleJobControl(ap.has("--progress"), cancelOnSignals());
    const auto t0 = std::chrono::steady_clock::now();
    // Only `auto` on the CPU depends on the UNet's size (compute_precision.h): then the model loads in
    // float32, is counted and converted; otherwise the weights are read straight into their dtype on their
    // device.
    const bool countFirst = device.device.is_cpu() && precisionChoice == ml::PrecisionChoice::Auto;
    ml::ResolvedPrecision precision;
    if (!countFirst)
        precision = ml::resolve_precision(precisionChoice, device.device, 0);
    loadOptions.device = device.device;
    loadOptions.unet_dtype = countFirst ? torch::kFloat32 : precision.dtype;
    std::shared_ptr<ml::UNet3DConditionModelImpl> unet;
    ml::TextToVideoPipeline pipe = ml::load_text_to_video_pipeline(*model, loadOptions, &unet);
    if (countFirst) {
        int64_t unetParameters = 0;
        for (const auto& p : unet->parameters())
            unetParameters += p.numel();
        precision = ml::resolve_cpu_precision(precisionChoice, unetParameters);
        if (precision.dtype != torch::kFloat32)
            unet->to(precision.dtype);
    }
    params.compute_dtype = precision.dtype;
    const auto t1 = std::chrono::steady_clock::now();
    std::fprintf(stderr, "loaded %s in %.1f s (%d threads, %s: %s, sampler %s; device %s: %s)\n",
                 model->c_str(), std::chrono::duration<double>(t1 - t0).count(), threads.torchThreads,
                 precision.name.c_str(), precision.reason.c_str(), ml::sampler_name(params.sampler).c_str(),
                 ml::device_description(device.device).c_str(), device.reason.c_str());

    job.checkCancelled();          // a signal during the load
    ml::AllocatorReuseScope reuse; // big tensors are reused step after step
    const ml::TextToVideoResult result = pipe.generate(params, job);
    const auto t2 = std::chrono::steady_clock::now();
    writeMp4(result.frames, *output, fps, job);
    std::fprintf(stderr, "generated %lld frames %lldx%lld in %.1f s → %s\n",
                 static_cast<long long>(result.frames.size(0)), static_cast<long long>(result.frames.size(2)),
                 static_cast<long long>(result.frames.size(1)),
                 std::chrono::duration<double>(t2 - t1).count(), output->c_str());
    std::printf("%s\n", output->c_str());
    return 0;
}

} // namespace

MB_CLI_COMMAND("generate",
               "--model DIR --prompt P [--negative N] [--frames F] [--size WxH] [--steps S] [--guidance G] "
               "[--seed S] [--sampler ddim|dpmpp-2m|dpmpp-2m-karras|euler] [--dtype auto|fp32|bf16|fp16] "
               "[--device auto|cpu|cuda|cuda:N] [--threads T] "
               "[--fps R] [--tokenizer DIR] [--progress] -o OUT.mp4",
               "plain text-to-video with a diffusers TextToVideoSD model folder (classifier-free guidance)",
               runGenerate);

} // namespace mb::cli
