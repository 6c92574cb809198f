#include "jobs/train_job.h"

#include "doc/atomic_file.h"
#include "doc/resource_paths.h"
#include "doc/sha256.h"
#include "jobs/render_job.h"
#include "media/image_io.h"
#include "media/video_io.h"
#include "ml/compute_device.h"
#include "ml/compute_precision.h"
#include "ml/model_loader.h"
#include "ml/safetensors.h"
#include "ml/subject_trainer.h"
#include "ml/threads.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <opencv2/imgproc.hpp>
#include <set>
#include <stdexcept>
#include <torch/torch.h>

#ifndef MB_RESOURCE_DIR
#define MB_RESOURCE_DIR ""
#endif

namespace fs = std::filesystem;

namespace mb {

namespace {

constexpr double kGiB = double(int64_t(1) << 30);

/** MemAvailable of /proc/meminfo in bytes (0 when unknown). */
double availableMemoryBytes() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    double value = 0;
    std::string unit;
    while (in >> key >> value >> unit)
        if (key == "MemAvailable:")
            return value * 1024.0;
    return 0;
}

/** A BGR/gray 8-bit image placed on a W×H black canvas as the project's letterbox says (ruling 13). */
cv::Mat letterbox(const cv::Mat& src, int W, int H, Letterbox mode, int interpolation, cv::Rect* placed) {
    cv::Mat canvas = cv::Mat::zeros(H, W, src.type());
    cv::Rect r;
    if (mode == Letterbox::Squash) {
        // Method §3: squash to S×S (S = the shorter side of the frame), then pad the longer side with zeros.
        const int s = std::min(W, H);
        r = cv::Rect((W - s) / 2, (H - s) / 2, s, s);
    } else {
        const double k = std::min(double(W) / src.cols, double(H) / src.rows);
        const int w = std::max(1, int(std::lround(src.cols * k))),
                  h = std::max(1, int(std::lround(src.rows * k)));
        r = cv::Rect((W - w) / 2, (H - h) / 2, w, h);
    }
    cv::Mat resized;
    cv::resize(src, resized, r.size(), 0, 0, interpolation);
    resized.copyTo(canvas(r));
    if (placed)
        *placed = r;
    return canvas;
}

/** RGB 8-bit H×W×3 → [3, H, W] float in [−1, 1]. */
torch::Tensor toTensor(const cv::Mat& bgr) {
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    torch::Tensor t = torch::from_blob(rgb.data, {rgb.rows, rgb.cols, 3}, torch::kUInt8).clone();
    return t.permute({2, 0, 1}).to(torch::kFloat32).div(127.5).sub(1.0);
}

struct UnetFacts {
    int64_t params = 0, loraParams = 0, loraAdapted = 0;
};

/** Parameter counts from the safetensors headers (nothing is loaded). */
UnetFacts countFromHeaders(const std::string& componentDir, int64_t rank) {
    static const std::vector<std::string> projections = {".to_q.weight", ".to_k.weight", ".to_v.weight",
                                                         ".to_out.0.weight"};
    UnetFacts f;
    for (const auto& file : ml::component_weight_files(componentDir)) {
        const ml::SafetensorsFile sf = ml::SafetensorsFile::open(file);
        for (const auto& key : sf.keys()) {
            const ml::TensorInfo& info = sf.info(key);
            f.params += int64_t(info.numel());
            for (const auto& p : projections)
                if (key.size() > p.size() && key.compare(key.size() - p.size(), p.size(), p) == 0 &&
                    info.shape.size() == 2) {
                    f.loraParams += rank * (info.shape[0] + info.shape[1]);
                    f.loraAdapted += int64_t(info.numel());
                }
        }
    }
    return f;
}

std::string gib(double bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / kGiB);
    return buf;
}

} // namespace

const std::vector<std::string>& rareIdentifierTokens() {
    static const std::vector<std::string> tokens = {"sks", "ohwx", "phol", "hta"};
    return tokens;
}

std::map<std::string, std::string>
assignIdentifiers(const Project& project, const std::function<bool(const std::string&)>& isSingleToken) {
    std::map<std::string, std::string> out;
    std::set<std::string> taken;
    for (const Subject& s : project.subjects) {
        if (!s.learned)
            continue;
        std::string id = s.identifier;
        if (id.empty() || taken.count(id) || !isSingleToken(id)) {
            id.clear();
            for (const auto& candidate : rareIdentifierTokens())
                if (!taken.count(candidate) && isSingleToken(candidate)) {
                    id = candidate;
                    break;
                }
            if (id.empty())
                throw std::runtime_error("more learned subjects than rare identifier tokens (" +
                                         std::to_string(rareIdentifierTokens().size()) + ")");
        }
        taken.insert(id);
        out[s.id] = id;
    }
    return out;
}

TrainResult trainSubjects(const Project& project, const TrainRequest& request, const JobControl& control) {
    ml::AllocatorReuseScope reuse; // big tensors are reused step after step (threads.h)
    const auto t0 = std::chrono::steady_clock::now();
    TrainResult result;
    if (request.projectPath.empty())
        throw std::runtime_error("train: the project file's path is needed (checkpoints go next to it)");
    if (request.steps < 1)
        throw std::runtime_error("train: steps must be at least 1");
    const int W = request.width > 0 ? request.width : project.shot.width;
    const int H = request.height > 0 ? request.height : project.shot.height;
    const int frames = request.frames > 0 ? request.frames : project.shot.frames;

    // Subjects, identifiers and photos.
    const std::string resources = findResourceDir(MB_RESOURCE_DIR);
    const ml::ClipTokenizer realVocab((fs::path(resources) / "tokenizer-clip").string());
    result.identifiers =
        assignIdentifiers(project, [&](const std::string& w) { return realVocab.is_single_token(w); });
    if (result.identifiers.empty())
        throw std::runtime_error(
            "train: the project has no learned subject (set a subject's \"learned\" and add photos)");
    for (const Subject& s : project.subjects)
        if (s.learned && s.photos.empty())
            throw std::runtime_error("train: subject \"" + s.id + "\" has no photos");

    // The device and precision first: a device this build or machine lacks is refused before any loading.
    const ml::ResolvedDevice device = ml::resolve_device(ml::parse_device(request.device));
    const ml::ResolvedPrecision precision =
        ml::resolve_training_precision(ml::parse_precision(request.precision), device.device);
    result.device = device.name;
    result.precision = precision.name;

    // Memory: estimate from headers and config before anything big is loaded.
    const std::string modelDir = resolveModelFolder(project, request.model);
    const ml::ModelFolder folder = ml::open_model_folder(modelDir);
    const std::string unetDir = folder.componentDir("unet");
    const ml::UNet3DConfig unetConfig =
        ml::UNet3DConfig::from_json(ml::read_component_config(unetDir), unetDir + "/config.json");
    const ml::VaeConfig vaeConfig = ml::VaeConfig::from_json(
        ml::read_component_config(folder.componentDir("vae")), folder.componentDir("vae") + "/config.json");
    const int64_t vaeScale = vaeConfig.scaleFactor();
    if (W % vaeScale || H % vaeScale)
        throw std::runtime_error("train: size " + std::to_string(W) + "x" + std::to_string(H) +
                                 " must be a multiple of " + std::to_string(vaeScale) +
                                 " (the model's VAE scale factor)");
    int64_t photoCount = 0;
    for (const Subject& s : project.subjects)
        if (s.learned)
            photoCount += std::min<int64_t>(int64_t(s.photos.size()), 10);
    const int64_t defaultRank = 4;
    const UnetFacts facts = countFromHeaders(unetDir, request.loraRank > 0 ? request.loraRank : defaultRank);
    int64_t frozen = 0;
    for (const char* c : {"vae", "text_encoder"})
        frozen += countFromHeaders(folder.componentDir(c), 0).params;
    const int64_t lh = H / vaeScale, lw = W / vaeScale;
    const int64_t videoFrames = request.videoLoss ? frames : 1;
    auto estimate = [&](bool lora, bool checkpointing) {
        return ml::estimate_training_memory(unetConfig, facts.params, lora ? facts.loraParams : 0,
                                            lora ? facts.loraAdapted : 0, frozen, lh, lw, photoCount,
                                            videoFrames, 77, checkpointing)
            .totalBytes();
    };
    // On CUDA what has to fit is the card's free memory, not the host's.
    const double available = request.memoryLimitGiB > 0 ? request.memoryLimitGiB * kGiB
                             : device.device.is_cuda()
                                 ? std::max(0.0, double(ml::device_free_memory_bytes(device.device)))
                                 : availableMemoryBytes();
    const std::string where = device.device.is_cuda() ? " on " + device.name : std::string();
    // The estimate is rough (real config, LoRA r4, 256x144, 2 photos + 4 frames: 9.8 GiB estimated, 10.3
    // measured; with gradient checkpointing 8.0 estimated, 9.0 measured): keep a margin.
    constexpr double kMargin = 1.15;
    auto fits = [&](double bytes) { return available <= 0 || kMargin * bytes <= available; };
    // Preference (ruling 20): the reference's full UNet whenever it fits, else LoRA; gradient checkpointing
    // (about a third more time per step) only where a run would not fit without it.
    const bool ckptAllowed = request.gradientCheckpointing != 0,
               ckptForced = request.gradientCheckpointing > 0;
    auto choose = [&](bool lora) { // → checkpointing for this kind, or -1 when it cannot fit
        if (!ckptForced && fits(estimate(lora, false)))
            return 0;
        if (ckptAllowed && fits(estimate(lora, true)))
            return 1;
        return -1;
    };
    bool lora = request.loraRank > 0;
    if (request.loraRank < 0)
        lora = choose(false) < 0;
    int ckpt = choose(lora);
    if (ckpt < 0)
        ckpt = ckptAllowed ? 1 : 0; // does not fit either way: report the smallest need below
    const bool checkpointing = ckpt == 1;
    const double fullBytes = estimate(false, checkpointing), loraBytes = estimate(true, checkpointing);
    const double need = kMargin * (lora ? loraBytes : fullBytes);
    result.estimatedGiB = need / kGiB;
    if (available > 0 && need > available) {
        std::string msg = "train: this run needs about " + gib(need) + " (" +
                          (lora ? "LoRA" : "full-UNet AdamW") + ", " + std::to_string(W) + "x" +
                          std::to_string(H) + ", " + std::to_string(photoCount) + " photos, " +
                          std::to_string(videoFrames) + " video frames" +
                          (checkpointing ? ", gradient checkpointing" : std::string()) + ") but only " +
                          gib(available) + " is available" + where;
        if (!lora && kMargin * loraBytes <= available)
            msg += "; LoRA (--lora RANK) would need about " + gib(kMargin * loraBytes);
        else
            msg +=
                "; a smaller --size or fewer --frames needs less (activations grow with pixels and frames)";
        throw std::runtime_error(msg);
    }
    result.kind = lora ? "lora" : "full";
    result.gradientCheckpointing = checkpointing;
    result.loraRank = lora ? int(request.loraRank > 0 ? request.loraRank : defaultRank) : 0;
    control.report(
        "load", 0, 1,
        "model: " + modelDir + "; training " +
            (lora ? "LoRA rank " + std::to_string(result.loraRank) : std::string("the full UNet")) +
            (checkpointing ? " with gradient checkpointing" : std::string()) + ", estimated peak " +
            gib(need) + (available > 0 ? " of " + gib(available) + " available" + where : std::string()) +
            "; device " + ml::device_description(device.device) + ", " + precision.name + " (" +
            precision.reason + ")");

    const ml::ThreadConfig threads = ml::configure_threads(request.threads);
    (void)threads;
    if (device.device.is_cuda() && precision.dtype == torch::kFloat32)
        ml::set_cuda_tf32(false); // float32 as asked: cuDNN would otherwise use TF32 for convolutions
    ml::TrainingModels models = ml::load_training_models(modelDir, {}, device.device);
    control.checkCancelled();

    // Photos, masks and prompts.
    ml::TrainingImages images;
    std::vector<torch::Tensor> pixels, masks;
    std::vector<std::string> prompts;
    for (const Subject& s : project.subjects) {
        if (!s.learned)
            continue;
        const std::string identifier = result.identifiers.at(s.id);
        const std::string phrase = identifier + " " + s.className;
        const std::string prompt = "a " + phrase;
        const auto ids = models.tokenizer->encode_padded(prompt).ids;
        std::vector<int64_t> tokens;
        for (int t : models.tokenizer->find_phrase(ids, phrase))
            tokens.push_back(t);
        if (tokens.empty())
            throw std::runtime_error("train: the phrase \"" + phrase + "\" was not found in its own prompt");
        for (size_t i = 0; i < s.photos.size(); ++i) {
            control.checkCancelled();
            const SubjectPhoto& ph = s.photos[i];
            cv::Rect placed;
            const cv::Mat img = letterbox(media::loadColorImage(ph.image), W, H, project.render.letterbox,
                                          cv::INTER_LINEAR, &placed);
            cv::Mat mask;
            if (ph.mask.empty()) {
                mask = cv::Mat::zeros(H, W, CV_8UC1);
                mask(placed).setTo(255);
                result.warnings.push_back("subject \"" + s.id + "\" photo " + ph.image +
                                          " has no mask: the whole photo counts as the subject");
            } else {
                mask = letterbox(media::loadMask(ph.mask), W, H, project.render.letterbox, cv::INTER_NEAREST,
                                 nullptr);
            }
            pixels.push_back(toTensor(img));
            torch::Tensor m =
                torch::from_blob(mask.data, {1, H, W}, torch::kUInt8).gt(127).to(torch::kFloat32);
            masks.push_back(m.clone());
            prompts.push_back(prompt);
            images.phraseTokens.push_back(tokens);
        }
        const size_t n = s.photos.size();
        if (n < 3 || n > 10)
            result.warnings.push_back("subject \"" + s.id + "\" has " + std::to_string(n) +
                                      " photos; 3-10 are recommended" +
                                      (n > 10 ? " (each step uses a random 10)" : ""));
    }
    images.pixels = torch::stack(pixels);
    images.masks = torch::stack(masks);
    images.text = ml::encode_prompts(models, prompts);

    // Preservation clips (ruling 21): NAME.mp4 + NAME.txt.
    std::vector<ml::PreservationVideo> videos;
    if (request.videoLoss) {
        const std::string dir = request.preservationDir.empty()
                                    ? (fs::path(resources) / "preservation").string()
                                    : request.preservationDir;
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            throw std::runtime_error(dir + ": preservation clip folder not found");
        std::vector<fs::path> clips;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".mp4")
                clips.push_back(e.path());
        std::sort(clips.begin(), clips.end());
        for (const auto& clip : clips) {
            control.checkCancelled();
            fs::path captionFile = clip;
            captionFile.replace_extension(".txt");
            std::ifstream in(captionFile);
            if (!in)
                throw std::runtime_error(captionFile.string() + ": caption of preservation clip " +
                                         clip.string() + " is missing");
            std::string caption((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            while (!caption.empty() && std::isspace(static_cast<unsigned char>(caption.back())))
                caption.pop_back();
            if (caption.empty())
                throw std::runtime_error(captionFile.string() + ": empty caption");
            const std::vector<cv::Mat> decoded = media::decodeVideo(clip.string());
            if (decoded.empty())
                throw std::runtime_error(clip.string() + ": no frames");
            // Keep at most a few micro-batches' worth of frames: a random window is drawn from them each
            // step.
            const size_t keep = std::min(decoded.size(), size_t(std::max(frames, 1)) * 4);
            std::vector<torch::Tensor> fr;
            for (size_t f = 0; f < keep; ++f) {
                cv::Mat resized;
                cv::resize(decoded[f], resized, cv::Size(W, H), 0, 0,
                           cv::INTER_LINEAR); // aspect not kept (§3)
                fr.push_back(toTensor(resized));
            }
            ml::PreservationVideo v;
            v.frames = torch::stack(fr, 1); // [3, F, H, W]
            v.text = ml::encode_prompts(models, {caption});
            v.name = clip.filename().string();
            videos.push_back(std::move(v));
        }
        if (videos.empty())
            throw std::runtime_error(dir + ": no preservation clips (NAME.mp4 + NAME.txt)");
    }
    control.report("load", 1, 1);

    ml::SubjectTrainingOptions opts;
    opts.regionLoss = request.regionLoss;
    opts.stcaLoss = request.stcaLoss;
    opts.videoLoss = request.videoLoss;
    opts.videoFrames = std::max(frames, 1);
    opts.loraRank = result.loraRank;
    opts.seed = request.seed;
    opts.gradientCheckpointing = result.gradientCheckpointing;
    opts.computeDtype = precision.dtype;
    {
        std::string joined;
        for (const auto& f : ml::component_weight_files(unetDir))
            joined += sha256File(f);
        opts.baseModelHash = sha256Hex(joined);
    }
    ml::SubjectTrainer trainer(models.unet, models.vae, ml::DDIMScheduler(models.scheduler),
                               std::move(images), std::move(videos), opts, control);

    // Absolute, and next to the project file itself (after symbolic links): the path goes into the project,
    // whose relative paths are read relative to the file's folder, not to the current folder of this run.
    const fs::path ckDir =
        fs::absolute(fs::path(resolveSymlinks(request.projectPath) + ".checkpoints")).lexically_normal();
    const std::string resumeDir = (ckDir / "resume").string();
    std::error_code ec;
    fs::create_directories(ckDir, ec);
    if (ec)
        throw std::runtime_error(ckDir.string() + ": cannot create the checkpoint folder: " + ec.message());
    if (request.resume && (ml::SubjectTrainer::has_checkpoint(resumeDir) ||
                           ml::SubjectTrainer::has_checkpoint(resumeDir + ".old"))) {
        trainer.load_checkpoint(resumeDir);
        control.report("train", trainer.steps_done(), request.steps,
                       "resuming at step " + std::to_string(trainer.steps_done()));
    }
    const int64_t startStep = trainer.steps_done();
    const auto tTrain = std::chrono::steady_clock::now();
    const auto losses = trainer.train(request.steps, control, resumeDir, request.checkpointEvery);

    control.report("save", 0, 1);
    result.checkpoint = (ckDir / "subjects.safetensors").string();
    trainer.save_weights(result.checkpoint);
    fs::remove_all(resumeDir, ec); // finished: the result replaces the resume state
    control.report("save", 1, 1, "checkpoint: " + result.checkpoint);
    result.stepsDone = int(trainer.steps_done());
    const auto tEnd = std::chrono::steady_clock::now();
    result.seconds = std::chrono::duration<double>(tEnd - t0).count();
    const int64_t ran = trainer.steps_done() - startStep;
    result.secondsPerStep = ran > 0 ? std::chrono::duration<double>(tEnd - tTrain).count() / double(ran) : 0;
    result.finalLoss = losses.empty() ? 0 : losses.back().loss;
    return result;
}

} // namespace mb
