// pretrain: trains a small text-to-video model from scratch on synthetic clips (the embedded default model;
// recipe in resources/models/default/README.md and scripts/make_default_model.sh), and writes sample clips.
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "doc/atomic_file.h"
#include "media/synthetic_clips.h"
#include "media/video_io.h"
#include "ml/compute_device.h"
#include "ml/compute_precision.h"
#include "ml/latent_preview.h"
#include "ml/model_loader.h"
#include "ml/pipeline.h"
#include "ml/pretrainer.h"
#include "ml/subject_trainer.h"
#include "ml/threads.h"
#include "ml/tokenizer.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mb::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

/** Reads "PHOTO | MASK | noun" lines (relative paths from the list's folder). */
std::vector<media::SyntheticSprite> loadSprites(const std::string& listPath) {
    std::vector<media::SyntheticSprite> out;
    if (listPath.empty())
        return out;
    std::ifstream in(listPath);
    if (!in)
        throw std::runtime_error(listPath + ": cannot open the sprite list");
    const fs::path base = fs::path(listPath).parent_path();
    std::string line;
    int lineNo = 0;
    auto trim = [](std::string s) {
        s.erase(0, s.find_first_not_of(" \t\r"));
        s.erase(s.find_last_not_of(" \t\r") + 1);
        return s;
    };
    while (std::getline(in, line)) {
        ++lineNo;
        if (const auto hash = line.find('#'); hash != std::string::npos)
            line.resize(hash);
        if (trim(line).empty())
            continue;
        std::vector<std::string> parts;
        std::stringstream ss(line);
        for (std::string p; std::getline(ss, p, '|');)
            parts.push_back(trim(p));
        if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty())
            throw std::runtime_error(listPath + ":" + std::to_string(lineNo) +
                                     ": expected 'PHOTO | MASK | noun'");
        auto resolve = [&](const std::string& p) {
            return fs::path(p).is_relative() ? (base / p).string() : p;
        };
        out.push_back(media::loadSyntheticSprite(resolve(parts[0]), resolve(parts[1]), parts[2]));
    }
    return out;
}

struct ClipSource {
    media::SyntheticClipGenerator generator;
    int64_t batch;

    /** Clips step·batch … step·batch + batch − 1 as [B, 3, F, H, W] in [−1, 1] (RGB). */
    ml::CaptionedVideoBatch operator()(int64_t step) const {
        const auto& o = generator.options();
        ml::CaptionedVideoBatch b;
        b.video = torch::empty({batch, 3, o.frames, o.height, o.width});
        for (int64_t i = 0; i < batch; ++i) {
            const media::SyntheticClip c = generator.clip(uint64_t(step * batch + i));
            for (int f = 0; f < o.frames; ++f) {
                cv::Mat rgb;
                cv::cvtColor(c.frames[size_t(f)], rgb, cv::COLOR_BGR2RGB);
                const torch::Tensor t = torch::from_blob(rgb.data, {rgb.rows, rgb.cols, 3}, torch::kUInt8);
                b.video[i].select(1, f).copy_(t.permute({2, 0, 1}).to(torch::kFloat32).div(127.5).sub(1.0));
            }
            b.captions.push_back(c.caption);
        }
        return b;
    }
};

ClipSource makeSource(const ArgParser& ap, uint64_t seed) {
    media::SyntheticClipOptions o;
    auto [w, h] = parseSize(ap.get("--size", "112x64"));
    o.width = w;
    o.height = h;
    o.frames = int(ap.getInt("--frames", 8));
    o.seed = seed;
    if (ap.has("--camera-travel")) {
        // The largest camera travel of a clip, as fractions of the frame: the pans a user asks for should lie
        // inside the range the model saw, not at its edge.
        const std::string travel = ap.get("--camera-travel", "");
        const size_t comma = travel.find(',');
        try {
            size_t used = 0;
            const std::string xs = travel.substr(0, comma);
            o.maxTravelX = std::stod(xs, &used);
            if (used != xs.size())
                throw std::invalid_argument(xs);
            if (comma != std::string::npos) {
                const std::string ys = travel.substr(comma + 1);
                o.maxTravelY = std::stod(ys, &used);
                if (used != ys.size())
                    throw std::invalid_argument(ys);
            }
        } catch (const std::logic_error&) {
            throw UsageError("--camera-travel wants X or X,Y (fractions of the frame), not '" + travel + "'");
        }
        if (!(o.maxTravelX >= 0.0 && o.maxTravelX <= 1.0 && o.maxTravelY >= 0.0 && o.maxTravelY <= 1.0))
            throw UsageError("--camera-travel " + travel + " is outside 0..1 (fractions of the frame)");
    }
    const std::string list = ap.get("--backgrounds", "");
    if (list.empty())
        throw UsageError("--backgrounds LIST is required (lines 'IMAGE | place words')");
    const long long batch = ap.getInt("--batch", 2);
    if (batch < 1 || o.frames < 1)
        throw UsageError("--batch and --frames must be at least 1");
    return ClipSource{media::SyntheticClipGenerator(media::loadSyntheticBackgrounds(list),
                                                    loadSprites(ap.get("--sprites", "")), o),
                      batch};
}

ml::ModelFolder openModel(const std::string& dir) {
    return ml::open_model_folder(dir);
}

std::string weightsFile(const ml::ModelFolder& folder, const char* component) {
    return (fs::path(folder.componentDir(component)) / (std::string(component) == "text_encoder"
                                                            ? "model.safetensors"
                                                            : "diffusion_pytorch_model.safetensors"))
        .string();
}

void declareCommon(ArgParser& ap) {
    ap.option("--backgrounds").option("--sprites").option("--size").option("--frames").option("--batch");
    ap.option("--camera-travel");
    ap.option("--steps").option("--threads").option("--seed").option("--work").option("--lr");
    ap.option("--checkpoint-every").option("--warmup");
    ap.flag("--resume").flag("--progress");
}

ml::PretrainOptions optionsFrom(const ArgParser& ap, double defaultLr) {
    ml::PretrainOptions o;
    o.learningRate = ap.getDouble("--lr", defaultLr);
    o.warmupSteps = ap.getInt("--warmup", 100);
    const long long seed = ap.getInt("--seed", 0);
    if (seed < 0)
        throw UsageError("--seed must be non-negative");
    o.seed = uint64_t(seed);
    return o;
}

/** Rewrites one field of a JSON file, keeping the others (atomically). */
void setJsonField(const std::string& path, const std::string& key, const json& value) {
    json j = ml::read_json_file(path);
    j[key] = value;
    writeFileAtomically(path, j.dump(2) + "\n");
}

/** --device and --dtype of a pretraining command: where it trains and what its forward passes compute in
 *  (fp32 on the CPU; bf16/fp16 autocast on CUDA). Refused before anything loads. */
std::pair<ml::ResolvedDevice, ml::ResolvedPrecision> trainingDevice(const ArgParser& ap) {
    const DeviceOptions options = readDeviceOptions(ap);
    const ml::ResolvedDevice device = ml::resolve_device(ml::parse_device(options.device));
    try {
        return {device, ml::resolve_training_precision(ml::parse_precision(options.dtype), device.device)};
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--dtype: ") + e.what());
    }
}

int runInit(const Args& args) {
    ArgParser ap;
    ap.option("--seed");
    ap.parse(args);
    ap.requirePositional(1, "the model folder");
    const ml::ModelFolder folder = openModel(ap.positional()[0]);
    const std::string dir = folder.componentDir("text_encoder");
    const ml::ClipTextConfig config =
        ml::ClipTextConfig::from_json(ml::read_component_config(dir), dir + "/config.json");
    ml::ClipTextModel te(config);
    ml::initialise_text_encoder_from_scratch(*te, uint64_t(ap.getInt("--seed", 0)));
    // Half precision halves the file; what the model computes with is exactly these rounded values.
    ml::TensorMap state = ml::module_state(*te);
    for (auto& [k, t] : state)
        t = t.to(torch::kFloat16);
    ml::write_safetensors(weightsFile(folder, "text_encoder"), state, {{"format", "pt"}});
    std::printf("%s\n", weightsFile(folder, "text_encoder").c_str());
    return 0;
}

int runPretrainVae(const Args& args) {
    ArgParser ap;
    declareCommon(ap);
    ap.option("--kl").option("--device").option("--dtype");
    ap.parse(args);
    ap.requirePositional(1, "the model folder");
    const ml::ModelFolder folder = openModel(ap.positional()[0]);
    const auto [device, precision] = trainingDevice(ap);
    const auto threads = ml::configure_threads(int(ap.getInt("--threads", 0)));
    ml::PretrainOptions opt = optionsFrom(ap, 1e-3);
    opt.klWeight = ap.getDouble("--kl", opt.klWeight);
    opt.computeDtype = precision.dtype;
    const ClipSource source = makeSource(ap, opt.seed);

    const std::string vaeDir = folder.componentDir("vae");
    ml::AutoencoderKL vae(
        ml::VaeConfig::from_json(ml::read_component_config(vaeDir), vaeDir + "/config.json"));
    ml::initialise_vae_from_scratch(*vae, opt.seed); // on the CPU: a seed gives the same weights anywhere
    vae->to(device.device);
    if (device.device.is_cuda() && precision.dtype == torch::kFloat32)
        ml::set_cuda_tf32(false);
    ml::VaePretrainer trainer(vae.ptr(), opt);
    const std::string work = ap.get("--work", (fs::path(folder.root) / ".pretrain-vae").string());
    if (ap.has("--resume") && ml::PretrainerBase::has_checkpoint(work))
        trainer.load_checkpoint(work);
    const long long steps = ap.getInt("--steps", 2000);
    std::fprintf(stderr, "pretrain vae: %lld steps, %d threads, from step %lld; device %s, %s (%s)\n", steps,
                 threads.torchThreads, (long long)trainer.steps_done(),
                 ml::device_description(device.device).c_str(), precision.name.c_str(),
                 precision.reason.c_str());
    trainer.train(source, steps, makeConsoleJobControl(ap.has("--progress"), cancelOnSignals()), work,
                  ap.getInt("--checkpoint-every", 200));

    const ml::CaptionedVideoBatch probe = ClipSource{source.generator, 16}(1'000'000);
    const ml::PretrainStep eval = trainer.evaluate(probe, 7);
    const double scaling = trainer.measure_scaling_factor(probe);
    vae->eval();
    ml::write_safetensors(weightsFile(folder, "vae"), ml::module_state(*vae), {{"format", "pt"}});
    setJsonField(vaeDir + "/config.json", "scaling_factor", scaling);
    std::fprintf(stderr, "held-out L1 %.4f (pixels in [-1, 1]), KL %.3f, scaling_factor %.5f\n",
                 eval.reconstruction, eval.kl, scaling);
    std::printf("%s\n", weightsFile(folder, "vae").c_str());
    return 0;
}

int runPretrainUnet(const Args& args) {
    ArgParser ap;
    declareCommon(ap);
    ap.option("--caption-dropout").option("--ema");
    ap.option("--clips").option("--device").option("--dtype");
    ap.flag("--train-text-encoder").flag("--from-weights");
    ap.parse(args);
    ap.requirePositional(1, "the model folder");
    const ml::ModelFolder folder = openModel(ap.positional()[0]);
    const auto [device, precision] = trainingDevice(ap);
    const auto threads = ml::configure_threads(int(ap.getInt("--threads", 0)));
    ml::PretrainOptions opt = optionsFrom(ap, 2e-4);
    opt.computeDtype = precision.dtype;
    opt.captionDropout = ap.getDouble("--caption-dropout", opt.captionDropout);
    opt.emaDecay = ap.getDouble("--ema", opt.emaDecay);
    const std::string clips = ap.get("--clips", "auto");
    if (clips != "auto" && clips != "concurrent" && clips != "batched")
        throw UsageError("--clips must be auto, concurrent or batched, got '" + clips + "'");
    // Two single-threaded clips side by side beat one batched pass at these sizes (measured: 0.51 s for two
    // 4-frame clips at 112×64, against 0.80 s batched on one thread and no better on two), so auto runs them
    // concurrently when it has the threads.
    // On a GPU the clips queue on one stream: auto batches them there (and autocast is per thread).
    opt.concurrentClips =
        clips == "concurrent" || (clips == "auto" && threads.torchThreads >= 2 && device.device.is_cpu());
    const ClipSource source = makeSource(ap, opt.seed + 1);

    torch::NoGradGuard noGradLoading;
    // Only the frozen text side is loaded from the folder (the UNet trains from scratch).
    auto text = std::make_shared<ml::TrainingModels>();
    text->tokenizer = std::make_shared<const ml::ClipTokenizer>(folder.componentDir("tokenizer"));
    text->textEncoder = ml::load_clip_text_model(folder.componentDir("text_encoder"));
    text->textEncoder->to(device.device);
    ml::LoadOptions strict;
    strict.requireComplete = true;
    const std::string vaeDir = folder.componentDir("vae");
    ml::AutoencoderKL vae(
        ml::VaeConfig::from_json(ml::read_component_config(vaeDir), vaeDir + "/config.json"));
    vae->to(device.device);
    ml::load_component_weights(*vae, vaeDir, strict);
    const std::string unetDir = folder.componentDir("unet");
    ml::UNet3DConditionModel unet(
        ml::UNet3DConfig::from_json(ml::read_component_config(unetDir), unetDir + "/config.json"));
    // --from-weights continues from the folder's UNet (and text encoder) instead of a fresh initialisation:
    // a new campaign on top of a shipped model. A resume checkpoint, when there is one, overrides both.
    const bool fromWeights = ap.has("--from-weights");
    if (fromWeights)
        ml::load_component_weights(*unet, unetDir, strict);
    else
        ml::initialise_unet_from_scratch(*unet, opt.seed); // on the CPU: the same weights on every device
    unet->to(device.device);
    if (device.device.is_cuda() && precision.dtype == torch::kFloat32)
        ml::set_cuda_tf32(false);
    const std::string schedDir = folder.componentDir("scheduler");
    const ml::DDIMScheduler schedule(
        ml::SchedulerConfig::from_json(ml::read_component_config(schedDir), schedDir));
    const bool trainText = ap.has("--train-text-encoder");
    auto encode = [text, trainText, where = device.device](const std::vector<std::string>& prompts) {
        if (!trainText)
            return ml::encode_prompts(*text, prompts);
        std::vector<torch::Tensor> ids; // as encode_prompts, but with autograd: the encoder trains
        for (const auto& p : prompts)
            ids.push_back(torch::tensor(text->tokenizer->encode_padded(p, 77).ids, torch::kLong));
        return text->textEncoder->forward(torch::stack(ids).to(where)).last_hidden_state;
    };
    ml::UNetPretrainer trainer(unet.ptr(), vae.ptr(), encode, schedule, opt,
                               trainText ? text->textEncoder.ptr() : nullptr);
    const std::string work = ap.get("--work", (fs::path(folder.root) / ".pretrain-unet").string());
    if (ap.has("--resume") && ml::PretrainerBase::has_checkpoint(work))
        trainer.load_checkpoint(work);
    const long long steps = ap.getInt("--steps", 10000);
    std::fprintf(
        stderr,
        "pretrain unet: %lld steps of %lld clips, %d threads, from step %lld%s%s; device %s, %s (%s)\n",
        steps, (long long)source.batch, threads.torchThreads, (long long)trainer.steps_done(),
        trainer.steps_done() == 0 && fromWeights ? " (starting from the folder's weights)" : "",
        trainText ? ", text encoder trained too" : "", ml::device_description(device.device).c_str(),
        precision.name.c_str(), precision.reason.c_str());
    {
        torch::AutoGradMode grad(true);
        trainer.train(source, steps, makeConsoleJobControl(ap.has("--progress"), cancelOnSignals()), work,
                      ap.getInt("--checkpoint-every", 200));
    }
    // The moving average in float32: a later campaign continues from exactly these weights (--from-weights).
    const ml::TensorMap ema = trainer.ema_state();
    ml::write_safetensors(weightsFile(folder, "unet"), ema,
                          {{"format", "pt"}, {"steps", std::to_string(trainer.steps_done())}});
    std::printf("%s\n", weightsFile(folder, "unet").c_str());
    if (trainer.trains_text_encoder()) {
        // The token table never trains and was written in half precision, so it stays so exactly; the
        // trained layers stay float32, the precision the UNet learned to read.
        ml::TensorMap te = trainer.text_encoder_ema_state();
        for (auto& [k, t] : te)
            if (k == "text_model.embeddings.token_embedding.weight")
                t = t.to(torch::kFloat16);
        ml::write_safetensors(weightsFile(folder, "text_encoder"), te,
                              {{"format", "pt"}, {"steps", std::to_string(trainer.steps_done())}});
        std::printf("%s\n", weightsFile(folder, "text_encoder").c_str());
    }
    return 0;
}

int runPreviewMap(const Args& args) {
    ArgParser ap;
    declareCommon(ap);
    ap.option("--takes");
    ap.parse(args);
    ap.requirePositional(1, "the model folder");
    const std::string modelDir = ap.positional()[0];
    const auto threads = ml::configure_threads(int(ap.getInt("--threads", 0)));
    const long long takes = ap.getInt("--takes", 16);
    if (takes < 2 || takes > 1000)
        throw UsageError("--takes must be between 2 and 1000");
    const ClipSource source = makeSource(ap, uint64_t(ap.getInt("--seed", 0)));
    const auto& o = source.generator.options();
    torch::NoGradGuard noGrad;
    ml::TextToVideoPipeline pipe = ml::load_text_to_video_pipeline(modelDir);
    const JobControl job = makeConsoleJobControl(ap.has("--progress"), cancelOnSignals());
    // Previews show the predicted clean latents of a take in progress, which differ from the encodings of
    // clean frames (channels the decoder ignores carry leftover noise), so the map is fitted on what the
    // previews will see: the predictions of takes this model generates (at about 20, 40, 60 and 100% of a
    // 15-step schedule), against the VAE's decoding of each. The last quarter of the takes is held out.
    std::vector<torch::Tensor> latents, images;
    const int64_t heldOutFrom = takes - std::max<long long>(1, takes / 4);
    for (long long i = 0; i < takes; ++i) {
        job.checkCancelled();
        ml::TextToVideoParams p;
        p.prompt = source.generator.clip(uint64_t(2'000'000 + i)).caption; // held-out captions
        p.num_frames = o.frames;
        p.width = o.width;
        p.height = o.height;
        p.num_inference_steps = 15;
        p.guidance_scale = 7.5;
        p.sampler = ml::SamplerKind::DpmSolverPP2M;
        p.seed = uint64_t(1000 + i);
        std::vector<torch::Tensor> predicted;
        pipe.generate(p, {}, [&](int64_t step, int64_t, const torch::Tensor&, const torch::Tensor& x0) {
            if (step == 2 || step == 5 || step == 8 || step == 14)
                predicted.push_back(x0.clone());
        });
        for (const torch::Tensor& x0 : predicted) {
            latents.push_back(x0[0].permute({1, 0, 2, 3}));                                  // [F, C, h, w]
            images.push_back(pipe.decode_latents(x0)[0].permute({1, 0, 2, 3}).clamp(-1, 1)); // [F, 3, H, W]
        }
        job.report("preview-map", i + 1, takes, "take " + std::to_string(i + 1) + ": " + p.prompt);
    }
    const size_t split = size_t(heldOutFrom) * 4;
    auto cat = [](const std::vector<torch::Tensor>& v, size_t from, size_t to) {
        return torch::cat(std::vector<torch::Tensor>(v.begin() + long(from), v.begin() + long(to)));
    };
    const torch::Tensor zFit = cat(latents, 0, split), iFit = cat(images, 0, split);
    const torch::Tensor zTest = cat(latents, split, latents.size()),
                        iTest = cat(images, split, images.size());
    const ml::LatentRgbMap map = ml::fit_latent_rgb_map(zFit, iFit);
    // How well a linear map shows this model's takes: the RMS error on the [−1, 1] scale, held out.
    const torch::Tensor approx = ml::latent_preview_rgb(map, zTest.permute({1, 0, 2, 3}).unsqueeze(0));
    const torch::Tensor target =
        torch::adaptive_avg_pool2d(iTest, {zTest.size(2), zTest.size(3)}).permute({0, 2, 3, 1});
    const double rms =
        (approx.to(torch::kFloat32) / 127.5 - 1.0 - target).pow(2).mean().sqrt().item<double>();
    const std::string out = (fs::path(modelDir) / "vae" / "latent_rgb.json").string();
    nlohmann::json j = map.to_json();
    j["fitted_on"] =
        std::to_string(zFit.size(0)) + " frames: the predicted clean latents of " +
        std::to_string(heldOutFrom) + " takes of this model (" + std::to_string(o.width) + "x" +
        std::to_string(o.height) + ", " + std::to_string(o.frames) +
        " frames, 15 dpmpp-2m steps) after steps 3, 6, 9 and 15, against the VAE's decoding of each";
    j["rms_error"] = rms;
    j["rms_error_note"] =
        "on [-1, 1], measured the same way on " + std::to_string(takes - heldOutFrom) + " held-out takes";
    writeFileAtomically(out, j.dump(2) + "\n");
    std::fprintf(stderr,
                 "latent→RGB map fitted on %lld frames (%d threads): held-out RMS error %.3f on [-1, 1]\n",
                 (long long)zFit.size(0), threads.torchThreads, rms);
    std::printf("%s\n", out.c_str());
    return 0;
}

int runSampleClips(const Args& args) {
    ArgParser ap;
    declareCommon(ap);
    ap.option("--count").option("-o").option("--fps").option("--first");
    ap.parse(args);
    const std::string outDir = ap.get("-o", "");
    if (outDir.empty())
        throw UsageError("-o DIR is required");
    const ClipSource source = makeSource(ap, uint64_t(ap.getInt("--seed", 0)));
    fs::create_directories(outDir);
    const long long count = ap.getInt("--count", 8), first = ap.getInt("--first", 0);
    for (long long i = first; i < first + count; ++i) {
        const media::SyntheticClip c = source.generator.clip(uint64_t(i));
        char name[32];
        std::snprintf(name, sizeof name, "clip_%05lld", i);
        media::VideoEncodeOptions vo;
        vo.fps = ap.getDouble("--fps", 8);
        media::VideoEncoder enc((fs::path(outDir) / (std::string(name) + ".mp4")).string(), c.frames[0].cols,
                                c.frames[0].rows, vo);
        for (const cv::Mat& f : c.frames)
            enc.write(f);
        enc.finish();
        std::ofstream((fs::path(outDir) / (std::string(name) + ".txt"))) << c.caption << "\n";
        std::printf("%s: %s\n", name, c.caption.c_str());
    }
    return 0;
}

MB_CLI_COMMAND("pretrain init", "MODEL_DIR [--seed S]",
               "writes the frozen random text encoder of a model folder to be trained from scratch", runInit);
MB_CLI_COMMAND(
    "pretrain vae",
    "MODEL_DIR --backgrounds LIST [--sprites LIST] [--size WxH] [--frames F] [--batch B] [--steps N] "
    "[--lr X] [--warmup N] [--kl X] [--work DIR] [--checkpoint-every N] [--resume] [--threads T] [--seed S] "
    "[--device auto|cpu|cuda|cuda:N] [--dtype auto|fp32|bf16|fp16] [--progress]",
    "trains the model folder's VAE from scratch on synthetic clips; sets its scaling_factor", runPretrainVae);
MB_CLI_COMMAND(
    "pretrain unet",
    "MODEL_DIR --backgrounds LIST [--sprites LIST] [--size WxH] [--frames F] [--batch B] [--steps N] "
    "[--camera-travel X[,Y]] [--lr X] [--warmup N] [--caption-dropout P] [--ema D] [--clips auto|concurrent|batched] [--work DIR] "
    "[--checkpoint-every N] [--resume] [--from-weights] [--train-text-encoder] [--threads T] [--seed S] "
    "[--device auto|cpu|cuda|cuda:N] [--dtype auto|fp32|bf16|fp16] [--progress]",
    "trains the model folder's UNet on captioned synthetic clips (from scratch, or from its weights with "
    "--from-weights; the VAE frozen, the text encoder's layers trained with --train-text-encoder); writes "
    "the moving average of the weights",
    runPretrainUnet);
MB_CLI_COMMAND(
    "pretrain preview-map",
    "MODEL_DIR --backgrounds LIST [--sprites LIST] [--size WxH] [--frames F] [--takes N] [--seed S] "
    "[--threads T] [--progress]",
    "fits the linear latent-to-RGB map of the model folder's VAE (step previews while a take "
    "renders) on takes the model generates from the clips' captions; writes vae/latent_rgb.json",
    runPreviewMap);
MB_CLI_COMMAND("pretrain clips",
               "-o DIR --backgrounds LIST [--sprites LIST] [--size WxH] [--frames F] [--camera-travel X[,Y]] [--count N] [--first I] "
               "[--seed S]",
               "writes synthetic training clips (NAME.mp4 + NAME.txt caption) to look at, or to use as "
               "preservation clips",
               runSampleClips);

} // namespace
} // namespace mb::cli
