// pretrain: trains a small text-to-video model from scratch on synthetic clips (the embedded default model;
// recipe in resources/models/default/README.md and scripts/make_default_model.sh), and writes sample clips.
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "media/synthetic_clips.h"
#include "media/video_io.h"
#include "ml/model_loader.h"
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
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp);
        out << j.dump(2) << "\n";
        if (!out.flush())
            throw std::runtime_error(tmp + ": cannot write (disk full?)");
    }
    fs::rename(tmp, path);
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
    ap.option("--kl");
    ap.parse(args);
    ap.requirePositional(1, "the model folder");
    const ml::ModelFolder folder = openModel(ap.positional()[0]);
    const auto threads = ml::configure_threads(int(ap.getInt("--threads", 0)));
    ml::PretrainOptions opt = optionsFrom(ap, 1e-3);
    opt.klWeight = ap.getDouble("--kl", opt.klWeight);
    const ClipSource source = makeSource(ap, opt.seed);

    const std::string vaeDir = folder.componentDir("vae");
    ml::AutoencoderKL vae(
        ml::VaeConfig::from_json(ml::read_component_config(vaeDir), vaeDir + "/config.json"));
    ml::initialise_vae_from_scratch(*vae, opt.seed);
    ml::VaePretrainer trainer(vae.ptr(), opt);
    const std::string work = ap.get("--work", (fs::path(folder.root) / ".pretrain-vae").string());
    if (ap.has("--resume") && ml::PretrainerBase::has_checkpoint(work))
        trainer.load_checkpoint(work);
    const long long steps = ap.getInt("--steps", 2000);
    std::fprintf(stderr, "pretrain vae: %lld steps, %d threads, from step %lld\n", steps,
                 threads.torchThreads, (long long)trainer.steps_done());
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
    ap.option("--clips");
    ap.parse(args);
    ap.requirePositional(1, "the model folder");
    const ml::ModelFolder folder = openModel(ap.positional()[0]);
    const auto threads = ml::configure_threads(int(ap.getInt("--threads", 0)));
    ml::PretrainOptions opt = optionsFrom(ap, 2e-4);
    opt.captionDropout = ap.getDouble("--caption-dropout", opt.captionDropout);
    opt.emaDecay = ap.getDouble("--ema", opt.emaDecay);
    const std::string clips = ap.get("--clips", "auto");
    if (clips != "auto" && clips != "concurrent" && clips != "batched")
        throw UsageError("--clips must be auto, concurrent or batched, got '" + clips + "'");
    // Two single-threaded clips side by side beat one batched pass at these sizes (measured: 0.51 s for two
    // 4-frame clips at 112×64, against 0.80 s batched on one thread and no better on two), so auto runs them
    // concurrently when it has the threads.
    opt.concurrentClips = clips == "concurrent" || (clips == "auto" && threads.torchThreads >= 2);
    const ClipSource source = makeSource(ap, opt.seed + 1);

    torch::NoGradGuard noGradLoading;
    // Only the frozen text side is loaded from the folder (the UNet trains from scratch).
    auto text = std::make_shared<ml::TrainingModels>();
    text->tokenizer = std::make_shared<const ml::ClipTokenizer>(folder.componentDir("tokenizer"));
    text->textEncoder = ml::load_clip_text_model(folder.componentDir("text_encoder"));
    ml::LoadOptions strict;
    strict.requireComplete = true;
    const std::string vaeDir = folder.componentDir("vae");
    ml::AutoencoderKL vae(
        ml::VaeConfig::from_json(ml::read_component_config(vaeDir), vaeDir + "/config.json"));
    ml::load_component_weights(*vae, vaeDir, strict);
    const std::string unetDir = folder.componentDir("unet");
    ml::UNet3DConditionModel unet(
        ml::UNet3DConfig::from_json(ml::read_component_config(unetDir), unetDir + "/config.json"));
    ml::initialise_unet_from_scratch(*unet, opt.seed);
    const std::string schedDir = folder.componentDir("scheduler");
    const ml::DDIMScheduler schedule(
        ml::SchedulerConfig::from_json(ml::read_component_config(schedDir), schedDir));
    auto encode = [text](const std::vector<std::string>& prompts) {
        return ml::encode_prompts(*text, prompts);
    };
    ml::UNetPretrainer trainer(unet.ptr(), vae.ptr(), encode, schedule, opt);
    const std::string work = ap.get("--work", (fs::path(folder.root) / ".pretrain-unet").string());
    if (ap.has("--resume") && ml::PretrainerBase::has_checkpoint(work))
        trainer.load_checkpoint(work);
    const long long steps = ap.getInt("--steps", 10000);
    std::fprintf(stderr, "pretrain unet: %lld steps of %lld clips, %d threads, from step %lld\n", steps,
                 (long long)source.batch, threads.torchThreads, (long long)trainer.steps_done());
    {
        torch::AutoGradMode grad(true);
        trainer.train(source, steps, makeConsoleJobControl(ap.has("--progress"), cancelOnSignals()), work,
                      ap.getInt("--checkpoint-every", 200));
    }
    // The moving average in half precision: half the file, and nothing is trained on top of it (the VAE stays
    // float32: the UNet was trained on exactly its latents).
    ml::TensorMap ema = trainer.ema_state();
    for (auto& [k, t] : ema)
        t = t.to(torch::kFloat16);
    ml::write_safetensors(weightsFile(folder, "unet"), ema,
                          {{"format", "pt"}, {"steps", std::to_string(trainer.steps_done())}});
    std::printf("%s\n", weightsFile(folder, "unet").c_str());
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
    "[--progress]",
    "trains the model folder's VAE from scratch on synthetic clips; sets its scaling_factor", runPretrainVae);
MB_CLI_COMMAND(
    "pretrain unet",
    "MODEL_DIR --backgrounds LIST [--sprites LIST] [--size WxH] [--frames F] [--batch B] [--steps N] "
    "[--lr X] [--warmup N] [--caption-dropout P] [--ema D] [--clips auto|concurrent|batched] [--work DIR] "
    "[--checkpoint-every N] [--resume] [--threads T] [--seed S] [--progress]",
    "trains the model folder's UNet from scratch on captioned synthetic clips (VAE and text "
    "encoder frozen); writes the moving average of its weights",
    runPretrainUnet);
MB_CLI_COMMAND("pretrain clips",
               "-o DIR --backgrounds LIST [--sprites LIST] [--size WxH] [--frames F] [--count N] [--first I] "
               "[--seed S]",
               "writes synthetic training clips (NAME.mp4 + NAME.txt caption) to look at, or to use as "
               "preservation clips",
               runSampleClips);

} // namespace
} // namespace mb::cli
