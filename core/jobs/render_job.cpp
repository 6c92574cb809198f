#include "jobs/render_job.h"
#include "doc/utc_time.h"

#include "doc/atomic_file.h"
#include "doc/resource_paths.h"
#include "doc/sha256.h"
#include "doc/shot_layout.h"
#include "media/video_io.h"
#include "ml/compute_device.h"
#include "ml/compute_precision.h"
#include "ml/latent_preview.h"
#include "ml/lora.h"
#include "ml/model_loader.h"
#include "ml/motion_control.h"
#include "ml/pipeline.h"
#include "ml/safetensors.h"
#include "ml/sampler.h"
#include "ml/threads.h"
#include "ml/unet3d.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <torch/torch.h>
#include <unistd.h>

#ifndef MB_RESOURCE_DIR
#define MB_RESOURCE_DIR ""
#endif

namespace fs = std::filesystem;
using nlohmann::json;

namespace mb {

namespace {

/**
 * Whether a shot's two guidance passes run concurrently (one thread each, single-threaded ops inside) rather
 * than one after the other with every op multi-threaded. Measured on 2 cores (bench unet, CFG batch 2 split
 * into slices the same way): faster for every size tried, the tiny model 0.022 vs 0.058 s/step and the
 * Zeroscope config at 256×144×8 16.7 vs 19.7 s/step, at about the same peak memory (each pass holds half the
 * activations of a batch-2 call). So: whenever there are two or more threads.
 */
bool preferConcurrentGuidancePasses(int threads, const c10::Device& device) {
    // On a GPU both passes queue kernels on one stream: a second host thread adds nothing but contention.
    return device.is_cpu() && threads >= 2;
}

bool isModelFolder(const std::string& dir) {
    std::error_code ec;
    return !dir.empty() && fs::is_regular_file(fs::path(dir) / "model_index.json", ec);
}

/** SHA-256 of every weight file of every component, keyed "component/file". */
json hashModelFolder(const std::string& dir, const JobControl& control) {
    json out = json::object();
    for (const char* component : {"unet", "vae", "text_encoder"}) {
        const std::string cdir = (fs::path(dir) / component).string();
        for (const auto& file : ml::component_weight_files(cdir)) {
            control.checkCancelled();
            out[std::string(component) + "/" + fs::path(file).filename().string()] = sha256File(file);
        }
    }
    return out;
}

json boxJson(const ml::BoxF& b) {
    return json::array({b[0], b[1], b[2], b[3]});
}

} // namespace

std::string resolveModelFolder(const Project& project, const std::string& requested) {
    if (!requested.empty()) {
        if (!isModelFolder(requested))
            throw std::runtime_error(requested + ": not a diffusers model folder (no model_index.json)");
        return requested;
    }
    if (!project.render.modelFolder.empty()) {
        if (!isModelFolder(project.render.modelFolder))
            throw std::runtime_error(
                project.render.modelFolder +
                ": the project's model folder is not a diffusers model folder (no model_index.json)");
        return project.render.modelFolder;
    }
    std::string embedded;
    try {
        embedded = (fs::path(findResourceDir(MB_RESOURCE_DIR)) / "models" / "default").string();
    } catch (const std::exception&) {
    }
    if (isModelFolder(embedded))
        return embedded;
    throw std::runtime_error(
        "no model to render with: set the project's model folder (render.model), pass --model "
        "DIR, or install the embedded default model (looked for " +
        (embedded.empty() ? std::string("<resources>/models/default") : embedded) + ")");
}

RenderResult renderTake(const Project& projectIn, const RenderRequest& request, const JobControl& outer) {
    ml::AllocatorReuseScope reuse; // big tensors are reused step after step (threads.h)
    const auto t0 = std::chrono::steady_clock::now();
    if (request.output.empty())
        throw std::runtime_error("render: no output file given");
    checkOutputFolderWritable(request.output); // before the denoise, not after it
    Project project = projectIn;
    Shot& shot = project.shot;
    // One fraction over the whole take (for one progress bar and one ETA), from the stages' own reports.
    const JobControl control =
        withOverallProgress(outer, renderStageWeights(request.steps > 0 ? request.steps : shot.steps));
    if (request.frames > 0)
        shot.frames = request.frames;
    if (request.width > 0)
        shot.width = request.width;
    if (request.height > 0)
        shot.height = request.height;
    // The controls are set in steps of the shot's own schedule (5 amplified steps and a shift over steps
    // 10..20 of 50); as fractions of it they act at the same noise levels whatever step count or sampler a
    // take uses.
    const double shotSteps = double(shot.steps);
    const double amplifyUntil = std::min(1.0, project.render.amplifySteps / shotSteps);
    const double shiftFrom = std::min(1.0, project.render.shiftStartStep / shotSteps);
    const double shiftUntil =
        std::min(1.0, (project.render.shiftStartStep + project.render.shiftSteps) / shotSteps);
    if (request.steps > 0)
        shot.steps = request.steps;
    if (!request.sampler.empty())
        shot.sampler = request.sampler;
    const ml::SamplerKind sampler = ml::parse_sampler(shot.sampler);
    const ml::PrecisionChoice precisionChoice = ml::parse_precision(request.precision);
    // Resolved before anything loads: a device this build or machine lacks is refused here.
    const ml::ResolvedDevice device = ml::resolve_device(ml::parse_device(request.device));
    const std::uint64_t seed = request.seed.value_or(shot.seed);

    const std::string modelDir = resolveModelFolder(project, request.model);
    control.report("load", 0, 1, "model: " + modelDir + "; device " + ml::device_description(device.device));
    const ml::ThreadConfig threads = ml::configure_threads(
        request.threads); // OpenBLAS at n: on the real config 19.4 s/step vs 26.0 s with 1

    std::shared_ptr<ml::UNet3DConditionModelImpl> unet;
    ml::PipelineLoadOptions lo;
    lo.device = device.device;
    // The UNet's weights go straight into their dtype where nothing needs float32 first: `auto` on the CPU
    // depends on the UNet's size (counted after loading), and a fine-tuned checkpoint (a LoRA merge above
    // all) is applied in float32.
    const bool direct = !(device.device.is_cpu() && precisionChoice == ml::PrecisionChoice::Auto) &&
                        project.render.checkpoint.empty();
    if (direct)
        lo.unet_dtype = ml::resolve_precision(precisionChoice, device.device, 0).dtype;
    ml::TextToVideoPipeline pipeline = ml::load_text_to_video_pipeline(modelDir, lo, &unet);
    const int64_t sizeMultiple = pipeline.geometry().vae_scale_factor;
    for (const auto& issue : validateProject(project, int(sizeMultiple)))
        if (issue.severity == ValidationIssue::Severity::Error)
            throw std::runtime_error(issue.where + ": " + issue.message);

    std::string checkpointHash;
    if (!project.render.checkpoint.empty()) {
        control.report("load", 0, 1, "fine-tuned weights: " + project.render.checkpoint);
        // A full-UNet checkpoint loads by name; a LoRA one is merged into the attention projections.
        ml::apply_checkpoint(*unet, project.render.checkpoint);
        checkpointHash = sha256File(project.render.checkpoint);
    }
    int64_t unetParameters = 0;
    for (const auto& p : unet->parameters())
        unetParameters += p.numel();
    const ml::ResolvedPrecision precision =
        ml::resolve_precision(precisionChoice, device.device, unetParameters);
    // After the checkpoint: fine-tuned weights (a LoRA merge above all) are applied in float32 first.
    if (precision.dtype != lo.unet_dtype)
        unet->to(precision.dtype);
    if (device.device.is_cuda() && precision.dtype == torch::kFloat32)
        ml::set_cuda_tf32(false); // float32 as asked: cuDNN would otherwise use TF32 for convolutions
    control.report("load", 1, 1);

    // The shot's layout: where each subject must appear on every frame, and the camera's travel.
    const auto layout = layoutShot(project);
    ml::MotionControlParams mc;
    mc.alpha = project.render.editScale;
    mc.amplifyUntil = amplifyUntil;
    mc.suppressOtherWords = project.render.suppressOtherWords;
    mc.shiftFrom = shiftFrom;
    mc.shiftUntil = shiftUntil;
    mc.concurrentGuidancePasses = request.concurrentGuidancePasses >= 0
                                      ? request.concurrentGuidancePasses == 1
                                      : preferConcurrentGuidancePasses(threads.torchThreads, device.device);
    if (request.cameraControl)
        for (const auto& fl : layout)
            mc.cameraTravel.push_back({fl.cameraTravel.x, fl.cameraTravel.y});
    if (request.subjectControl)
        for (size_t i = 0; i < project.boxTracks.size(); ++i) {
            const Subject* s = project.findSubject(project.boxTracks[i].subjectId);
            ml::ControlledSubject cs;
            cs.phrase = s->phrase();
            for (const auto& fl : layout) {
                const NormBox& b = fl.subjects[i].screenBox;
                cs.screenBoxes.push_back({b.x0, b.y0, b.x1, b.y1});
            }
            mc.subjects.push_back(cs);
        }
    // Where the model put each tracked subject, controlled or not (for `eval`'s box-following error).
    for (const auto& track : project.boxTracks)
        mc.measuredPhrases.push_back(project.findSubject(track.subjectId)->phrase());

    ml::TextToVideoParams params;
    params.prompt = project.resolvedPrompt();
    params.negative_prompt = shot.negativePrompt;
    params.num_frames = shot.frames;
    params.width = shot.width;
    params.height = shot.height;
    params.num_inference_steps = shot.steps;
    params.guidance_scale = shot.guidanceScale;
    params.seed = seed;
    params.format = ml::FrameFormat::Uint8;
    params.sampler = sampler;
    params.compute_dtype = precision.dtype;

    // Step previews: the step's predicted clean latents through the VAE's linear latent→RGB map.
    ml::StepCallback onStep;
    if (request.onPreview) {
        std::optional<ml::LatentRgbMap> map;
        std::string why;
        try {
            map = ml::latent_rgb_map_for(modelDir, pipeline.geometry().latent_channels, sizeMultiple);
            if (!map)
                why = "the model's VAE has no latent-to-RGB map (vae/latent_rgb.json)";
        } catch (const std::exception& e) {
            why = e.what(); // a malformed map costs the previews, not the take
        }
        if (map) {
            control.report("load", 1, 1, "step previews: " + map->source);
            const int64_t steps = shot.steps;
            onStep = [rgbMap = *map, steps, &request](int64_t step, int64_t, const torch::Tensor&,
                                                      const torch::Tensor& predictedClean) {
                if (!predictedClean.defined())
                    return;
                const torch::Tensor rgb = ml::latent_preview_rgb(rgbMap, predictedClean); // [F, h, w, 3]
                TakePreview preview;
                preview.step = int(step + 1);
                preview.steps = int(steps);
                preview.frames = int(rgb.size(0));
                preview.height = int(rgb.size(1));
                preview.width = int(rgb.size(2));
                const auto* bytes = rgb.data_ptr<uint8_t>();
                preview.rgb.assign(bytes, bytes + rgb.numel());
                request.onPreview(preview);
            };
        } else {
            control.report("load", 1, 1, "no step previews: " + why);
        }
    }

    ml::ControlledUnetFn unetFn = [unet](const torch::Tensor& sample, int64_t t, const torch::Tensor& text,
                                         ml::CrossAttentionHook* hook) {
        return unet->forward(sample, torch::scalar_tensor(t, torch::kLong), text, hook);
    };
    ml::MotionControlReport report;
    control.report("text", 0, 1); // the prompt is encoded first; the first step's report ends this stage
    ml::TextToVideoResult result =
        ml::generate_with_motion_control(pipeline, unetFn, params, mc, control, onStep, &report);

    // Encode (the encoder writes a temporary file and renames it on finish).
    control.checkCancelled();
    const torch::Tensor frames = result.frames.contiguous(); // [F, H, W, 3] uint8 RGB
    media::VideoEncodeOptions vo;
    vo.fps = shot.fps;
    vo.crf = request.crf;
    media::VideoEncoder enc(request.output, int(shot.width), int(shot.height), vo);
    for (int64_t f = 0; f < frames.size(0); ++f) {
        control.checkCancelled();
        cv::Mat rgb(int(shot.height), int(shot.width), CV_8UC3, frames[f].data_ptr<uint8_t>());
        cv::Mat bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        enc.write(bgr);
        control.report("encode", f + 1, frames.size(0));
    }
    enc.finish();

    // The sidecar: everything needed to reproduce the take.
    control.report("sidecar", 0, 1);
    RenderResult out;
    out.video = request.output;
    out.sidecar = request.output + ".json";
    out.seed = seed;
    out.modelFolder = modelDir;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    json j;
    j["format"] = "motionbooth-take";
    j["format_version"] = 1;
    j["generator"] = std::string("MotionBooth Studio ") + MB_VERSION;
    j["created"] = utcNowIso8601();
    j["video"] = fs::path(out.video).filename().string();
    j["video_sha256"] = sha256File(out.video);
    j["seed"] = seed;
    j["latent_shift_seed"] = ml::latent_shift_seed(seed);
    j["prompt"] = params.prompt;
    j["prompt_template"] = shot.prompt;
    j["negative_prompt"] = shot.negativePrompt;
    j["frames"] = shot.frames;
    j["fps"] = shot.fps;
    j["width"] = shot.width;
    j["height"] = shot.height;
    j["steps"] = shot.steps;
    j["guidance_scale"] = shot.guidanceScale;
    j["sampler"] = shot.sampler;
    j["precision"] = {{"dtype", precision.name}, {"reason", precision.reason}};
    const std::string cudaVersion = ml::cuda_version();
    j["device"] = {{"name", device.name},
                   {"description", ml::device_description(device.device)},
                   {"reason", device.reason},
                   {"dtype", precision.name},
                   {"libtorch", ml::libtorch_version()},
                   {"cuda", cudaVersion.empty() ? "none" : cudaVersion}};
    j["model"] = {{"folder", fs::absolute(modelDir).lexically_normal().string()},
                  {"weights_sha256", hashModelFolder(modelDir, control)}};
    j["checkpoint"] = {{"file", project.render.checkpoint}, {"sha256", checkpointHash}};
    j["letterbox"] = project.render.letterbox == Letterbox::Fit ? "fit" : "squash";
    j["controls"] = {{"subject_control", request.subjectControl},
                     {"camera_control", request.cameraControl},
                     {"edit_scale", mc.alpha},
                     {"amplify_until", mc.amplifyUntil},
                     {"amplify_steps", report.amplifySteps},
                     {"suppress_other_words", mc.suppressOtherWords},
                     {"shift_from", mc.shiftFrom},
                     {"shift_until", mc.shiftUntil},
                     {"shift_start_step", report.shiftFirstStep},
                     {"shift_steps", report.shiftStepCount},
                     {"guidance_passes", mc.concurrentGuidancePasses ? "concurrent" : "sequential"},
                     {"latent_shift_fill_shortages", report.fillShortages}};
    json subjects = json::array();
    for (size_t i = 0; i < mc.subjects.size(); ++i) {
        const Subject* s = project.findSubject(project.boxTracks[i].subjectId);
        json boxes = json::array();
        for (const auto& b : mc.subjects[i].screenBoxes)
            boxes.push_back(boxJson(b));
        subjects.push_back(
            {{"id", s->id},
             {"phrase", s->phrase()},
             {"learned", s->learned && !project.render.checkpoint.empty()},
             {"generated_from",
              s->learned && !project.render.checkpoint.empty() ? "fine-tuned identifier" : "class phrase"},
             {"tokens", report.phraseTokens[i]},
             {"screen_boxes", boxes}});
    }
    j["subjects"] = subjects;
    json travel = json::array();
    for (const auto& fl : layout)
        travel.push_back({fl.cameraTravel.x, fl.cameraTravel.y});
    j["camera_travel"] = travel;
    json cells = json::array();
    for (const auto& c : report.shiftApplied)
        cells.push_back({c[0], c[1]});
    j["latent_shift_cells"] = cells; // per frame, cells the latent actually moved (x, y)
    // Per box track: the subject's cross-attention centroid per frame in the finished take
    // (attention_probe.h).
    json centroids = json::array();
    for (size_t i = 0; i < report.attentionCentroids.size(); ++i) {
        json frames = json::array();
        for (const auto& c : report.attentionCentroids[i])
            frames.push_back({c[0], c[1]});
        if (!frames.empty())
            centroids.push_back({{"subject", project.boxTracks[i].subjectId}, {"centroids", frames}});
    }
    j["attention_centroids"] = centroids;
    const ml::ThreadConfig now = ml::current_threads();
    j["runtime"] = {{"threads", now.torchThreads},
                    {"blas_threads", threads.blasThreads},
                    {"description", ml::runtime_description()}};
    j["seconds"] = out.seconds;
    try {
        writeFileAtomically(out.sidecar, j.dump(2) + "\n");
    } catch (...) {
        std::error_code ec;
        fs::remove(out.video, ec); // no take without its sidecar
        throw;
    }
    control.report("sidecar", 1, 1); // the only report of 100 %: the take and its sidecar are complete
    return out;
}

} // namespace mb
