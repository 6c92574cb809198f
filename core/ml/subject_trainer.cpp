#include "ml/subject_trainer.h"

#include "ml/checkpoint_folder.h"

#include "ml/attention_edit.h"
#include "ml/bench.h"
#include "ml/checkpoint.h"
#include "ml/compute_device.h"
#include "ml/model_loader.h"
#include "ml/seeded_random.h"
#include "ml/subject_losses.h"
#include "ml/threads.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace mb::ml {

namespace {

/** splitmix64: the per-step generator seed from (seed, step); neighbouring steps get unrelated streams. */

double scalar(const torch::Tensor& t) {
    return t.defined() ? t.detach().item<double>() : 0.0;
}

} // namespace

SubjectTrainer::SubjectTrainer(std::shared_ptr<UNet3DConditionModelImpl> unet,
                               std::shared_ptr<AutoencoderKLImpl> vae, const DDIMScheduler& noiseSchedule,
                               TrainingImages images, std::vector<PreservationVideo> videos,
                               SubjectTrainingOptions options, const JobControl& control)
    : m_unet(std::move(unet)), m_schedule(noiseSchedule), m_images(std::move(images)),
      m_videos(std::move(videos)), m_options(std::move(options)) {
    if (!m_unet)
        throw std::invalid_argument("subject training: no UNet");
    const TrainingImages& im = m_images;
    if (!im.pixels.defined() || im.pixels.dim() != 4 || im.pixels.size(0) == 0)
        throw std::invalid_argument("subject training: photos must be a non-empty [N, 3, H, W] tensor");
    const int64_t n = im.pixels.size(0);
    if (!im.masks.defined() || im.masks.dim() != 4 || im.masks.size(0) != n || im.masks.size(1) != 1)
        throw std::invalid_argument("subject training: masks must be [N, 1, H, W] with one mask per photo");
    if (!im.text.defined() || im.text.dim() != 3 || im.text.size(0) != n)
        throw std::invalid_argument(
            "subject training: text embeddings must be [N, tokens, D], one per photo");
    if (int64_t(im.phraseTokens.size()) != n)
        throw std::invalid_argument("subject training: one phrase token list per photo is needed");
    for (const auto& t : im.phraseTokens)
        for (int64_t i : t)
            if (i < 0 || i >= im.text.size(1))
                throw std::invalid_argument("subject training: phrase token position " + std::to_string(i) +
                                            " outside the prompt");
    if (m_options.stcaLoss)
        for (size_t i = 0; i < im.phraseTokens.size(); ++i)
            if (im.phraseTokens[i].empty())
                throw std::invalid_argument("subject training: photo " + std::to_string(i) +
                                            " has no phrase tokens for the STCA loss");
    if (m_options.videoLoss && m_videos.empty())
        throw std::invalid_argument("subject training: the video preservation loss needs at least one clip");
    for (const auto& v : m_videos)
        if (!v.frames.defined() || v.frames.dim() != 4 || !v.text.defined())
            throw std::invalid_argument("subject training: preservation clip " + v.name +
                                        " must be [3, F, H, W] frames with a caption embedding");
    if (m_options.maxImagesPerStep < 1 || m_options.videoFrames < 1)
        throw std::invalid_argument("subject training: images per step and video frames must be at least 1");

    // Everything trains where the UNet is: the inputs move there once (a no-op on the CPU).
    const auto unetParams = m_unet->parameters();
    const torch::Device device =
        unetParams.empty() ? torch::Device(torch::kCPU) : unetParams.front().device();
    const c10::ScalarType dtype = m_options.computeDtype;
    if (dtype != c10::ScalarType::Float) {
        if (dtype != c10::ScalarType::Half && dtype != c10::ScalarType::BFloat16)
            throw std::invalid_argument("subject training: the compute dtype must be fp32, fp16 or bf16");
        if (!device.is_cuda())
            throw std::invalid_argument("subject training: fp16/bf16 training runs on a CUDA device only (on "
                                        "the CPU it trains in fp32)");
        m_autocast = true;
        if (dtype == c10::ScalarType::Half)
            m_scaler = std::make_unique<LossScaler>();
    }
    m_images.pixels = m_images.pixels.to(device);
    m_images.masks = m_images.masks.to(device);
    m_images.text = m_images.text.to(device);
    for (auto& v : m_videos) {
        v.frames = v.frames.to(device);
        v.text = v.text.to(device);
    }

    // Posteriors of the frozen VAE, once.
    torch::NoGradGuard noGrad;
    control.report("encode", 0, int64_t(1 + m_videos.size()));
    if (vae) {
        m_scaling = vae->config().scalingFactor;
        const int64_t s = vae->config().scaleFactor();
        auto checkSize = [&](int64_t h, int64_t w, const std::string& what) {
            if (h % s || w % s)
                throw std::invalid_argument(
                    "subject training: " + what + " size " + std::to_string(w) + "x" + std::to_string(h) +
                    " is not a multiple of the VAE scale factor " + std::to_string(s));
        };
        checkSize(im.pixels.size(2), im.pixels.size(3), "photo");
        const LatentDistribution d = vae->encode(im.pixels);
        m_imagePosterior = {d.mean, d.std};
        for (size_t i = 0; i < m_videos.size(); ++i) {
            control.checkCancelled();
            const auto& v = m_videos[i];
            checkSize(v.frames.size(2), v.frames.size(3), "clip " + v.name);
            if (v.frames.size(2) != im.pixels.size(2) || v.frames.size(3) != im.pixels.size(3))
                throw std::invalid_argument("subject training: clip " + v.name + " is not the photos' size");
            const LatentDistribution dv = vae->encode_video(v.frames.unsqueeze(0));
            m_videoPosteriors.push_back({dv.mean, dv.std});
            control.report("encode", int64_t(i + 2), int64_t(1 + m_videos.size()));
        }
    } else {
        m_imagePosterior = {im.pixels, torch::zeros_like(im.pixels)};
        for (const auto& v : m_videos) {
            const torch::Tensor f = v.frames.permute({1, 0, 2, 3}).contiguous();
            m_videoPosteriors.push_back({f, torch::zeros_like(f)});
        }
    }
    control.report("encode", int64_t(1 + m_videos.size()), int64_t(1 + m_videos.size()));

    // What trains.
    if (m_options.loraRank > 0) {
        for (auto& p : m_unet->parameters())
            p.set_requires_grad(false);
        LoraOptions lo;
        lo.rank = m_options.loraRank;
        lo.alpha = m_options.loraAlpha;
        lo.seed = training_step_seed(m_options.seed, -2);
        m_lora = std::make_unique<LoraAdapter>(*m_unet, lo);
    } else {
        for (auto& p : m_unet->parameters())
            p.set_requires_grad(true);
    }
    m_unet->train();
    torch::optim::AdamWOptions ao(m_options.learningRate);
    ao.betas(std::make_tuple(m_options.beta1, m_options.beta2));
    ao.eps(m_options.adamEps);
    ao.weight_decay(m_options.weightDecay);
    ao.amsgrad(false);
    m_optimizer = std::make_unique<torch::optim::AdamW>(trainedParameters(), ao);
}

SubjectTrainer::~SubjectTrainer() {
    if (m_lora)
        m_lora->deactivate();
}

std::vector<torch::Tensor> SubjectTrainer::trainedParameters() const {
    return m_lora ? m_lora->parameters() : m_unet->parameters();
}

int64_t SubjectTrainer::trainable_parameters() const {
    int64_t n = 0;
    for (const auto& p : trainedParameters())
        n += p.numel();
    return n;
}

torch::Tensor SubjectTrainer::sampleLatents(const Posterior& p, const torch::Tensor& rows,
                                            at::Generator& gen) const {
    const torch::Tensor mean = p.mean.index_select(0, rows.to(p.mean.device()));
    const torch::Tensor std = p.std.index_select(0, rows.to(p.std.device()));
    return (mean + std * seeded_randn(mean.sizes(), gen, mean.options())) * m_scaling;
}

StepLosses SubjectTrainer::step(const JobControl& control) {
    control.checkCancelled();
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(training_step_seed(m_options.seed, m_step));
    m_optimizer->zero_grad();
    StepLosses out = losses(gen, /*backward=*/true, control);
    // A cancel between the micro-batches and the update leaves the weights of the last completed step.
    control.checkCancelled();
    // fp16: the gradients came from the scaled loss; a step whose gradients overflowed is skipped (the
    // weights stay, the step still counts, so step k always draws from (seed, k)).
    if (!m_scaler || m_scaler->unscale_and_update(trainedParameters())) {
        torch::nn::utils::clip_grad_norm_(trainedParameters(), m_options.maxGradNorm);
        m_optimizer->step();
    }
    ++m_step;
    out.step = m_step;
    return out;
}

StepLosses SubjectTrainer::evaluate(uint64_t evalSeed) {
    torch::NoGradGuard noGrad;
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(training_step_seed(evalSeed, -1));
    StepLosses out = losses(gen, /*backward=*/false, {});
    out.step = m_step;
    return out;
}

StepLosses SubjectTrainer::losses(at::Generator& gen, bool backward, const JobControl& control) {
    GradientCheckpointingScope checkpointing(m_options.gradientCheckpointing && backward);
    CudaAutocastScope autocast(m_autocast, m_options.computeDtype);
    // What backward is called on: the loss, times the fp16 loss scale when there is one.
    auto backwardOf = [this](const torch::Tensor& loss) {
        (m_scaler ? m_scaler->scaled(loss) : loss).backward();
    };
    const int64_t T = m_schedule.alphas_cumprod().size(0);
    StepLosses out;
    struct Deactivate { // the adapted weights' graph is spent after backward: point the Linears back at the
                        // base
        LoraAdapter* lora;
        ~Deactivate() {
            if (lora)
                lora->deactivate();
        }
    } deactivate{m_lora.get()};

    // Image micro-batch: the photos (shuffled; a random maxImagesPerStep when there are more), 1-frame
    // videos.
    {
        const int64_t n = m_images.pixels.size(0);
        torch::Tensor rows = torch::randperm(n, gen, torch::kLong); // cpu: row choice, read with item()
        if (n > m_options.maxImagesPerStep)
            rows = rows.narrow(0, 0, m_options.maxImagesPerStep);
        const int64_t b = rows.size(0);
        const torch::Tensor latents =
            sampleLatents(m_imagePosterior, rows, gen).unsqueeze(2); // [b, C, 1, h, w]
        const torch::Tensor noise = seeded_randn(latents.sizes(), gen, latents.options());
        const torch::Tensor t =
            torch::randint(0, T, {b}, gen, torch::kLong); // cpu: add_noise and the UNet move it
        const torch::Tensor noisy = m_schedule.add_noise(latents, noise, t);
        const torch::Tensor text = m_images.text.index_select(0, rows.to(m_images.text.device()));
        const torch::Tensor masks = m_images.masks.index_select(0, rows.to(m_images.masks.device()));

        StcaCollector collector(std::vector<int64_t>{});
        std::vector<std::vector<int64_t>> tokens;
        for (int64_t i = 0; i < b; ++i)
            tokens.push_back(m_images.phraseTokens[size_t(rows[i].item<int64_t>())]);
        collector.set_item_tokens(tokens);
        if (m_lora)
            m_lora->activate();
        const torch::Tensor pred = m_unet->forward(noisy, t, text, m_options.stcaLoss ? &collector : nullptr);
        torch::Tensor lSub;
        if (m_options.regionLoss)
            lSub =
                subject_region_loss(pred, noise, latent_region_mask(masks, latents.size(3), latents.size(4)));
        else
            lSub = torch::mse_loss(pred, noise);
        torch::Tensor lImg = lSub;
        if (m_options.stcaLoss) {
            const torch::Tensor map = collector.map();
            if (!map.defined())
                throw std::runtime_error("subject training: the UNet has no STCA cross-attention layer");
            const torch::Tensor lStca = stca_loss(map, stca_target(masks, map.size(2), map.size(3)));
            lImg = lImg + m_options.stcaWeight * lStca;
            out.stca = scalar(lStca);
        }
        if (backward)
            backwardOf(lImg / 2.0);
        out.subject = scalar(lSub);
        out.loss += scalar(lImg) / 2.0;
    }

    // Video micro-batch: one preservation clip, plain ε-MSE.
    if (m_options.videoLoss) {
        control.checkCancelled();
        // cpu: a clip index, read with item()
        const int64_t c = torch::randint(0, int64_t(m_videos.size()), {1}, gen, torch::kLong).item<int64_t>();
        const Posterior& p = m_videoPosteriors[size_t(c)];
        const int64_t total = p.mean.size(0);
        const int64_t f = std::min(total, m_options.videoFrames);
        // cpu: a start frame, read with item()
        const int64_t start = torch::randint(0, total - f + 1, {1}, gen, torch::kLong).item<int64_t>();
        const torch::Tensor rows =
            torch::arange(start, start + f, torch::kLong); // cpu: sampleLatents moves it
        const torch::Tensor latents =
            sampleLatents(p, rows, gen).permute({1, 0, 2, 3}).unsqueeze(0).contiguous(); // [1, C, F, h, w]
        const torch::Tensor noise = seeded_randn(latents.sizes(), gen, latents.options());
        const torch::Tensor t =
            torch::randint(0, T, {1}, gen, torch::kLong); // cpu: add_noise and the UNet move it
        const torch::Tensor noisy = m_schedule.add_noise(latents, noise, t);
        torch::Tensor text = m_videos[size_t(c)].text;
        if (text.dim() == 2)
            text = text.unsqueeze(0);
        if (m_lora)
            m_lora->activate();
        const torch::Tensor pred = m_unet->forward(noisy, t, text);
        const torch::Tensor lVid = torch::mse_loss(pred, noise);
        if (backward)
            backwardOf(lVid * (m_options.videoWeight / 2.0));
        out.video = scalar(lVid);
        out.loss += m_options.videoWeight * out.video / 2.0;
    }
    return out;
}

std::vector<StepLosses> SubjectTrainer::train(int64_t totalSteps, const JobControl& control,
                                              const std::string& checkpointDir, int64_t checkpointEvery) {
    std::vector<StepLosses> losses;
    control.report("train", m_step, totalSteps);
    while (m_step < totalSteps) {
        StepLosses l;
        try {
            l = step(control);
        } catch (const JobCancelled&) {
            if (!checkpointDir.empty() && m_step > 0)
                save_checkpoint(checkpointDir);
            throw;
        }
        losses.push_back(l);
        JobProgress p;
        p.stage = "train";
        p.done = m_step;
        p.total = totalSteps;
        p.values = {{"loss", l.loss}, {"L_sub", l.subject}, {"L_stca", l.stca}, {"L_vid", l.video}};
        control.report(p);
        if (!checkpointDir.empty() && checkpointEvery > 0 && m_step % checkpointEvery == 0 &&
            m_step < totalSteps)
            save_checkpoint(checkpointDir);
    }
    return losses;
}

TensorMap SubjectTrainer::trainedState() const {
    if (m_lora)
        return m_lora->state();
    TensorMap out;
    for (const auto& item : m_unet->named_parameters(true))
        out[item.key()] = item.value().detach();
    return out;
}

std::map<std::string, std::string> SubjectTrainer::weights_metadata() const {
    std::map<std::string, std::string> meta;
    if (m_lora)
        meta = m_lora->metadata();
    else
        meta["kind"] = "full";
    meta["format"] = "motionbooth-subject";
    meta["rank"] = std::to_string(m_options.loraRank);
    meta["step"] = std::to_string(m_step);
    meta["seed"] = std::to_string(m_options.seed);
    if (!m_options.baseModelHash.empty())
        meta["base_model_hash"] = m_options.baseModelHash;
    return meta;
}

void SubjectTrainer::save_weights(const std::string& path) const {
    write_safetensors(path, trainedState(), weights_metadata());
}

bool SubjectTrainer::has_checkpoint(const std::string& dir) {
    return is_complete_checkpoint(dir);
}

void SubjectTrainer::save_checkpoint(const std::string& dir) const {
    replace_checkpoint_folder(dir, [&](const fs::path& tmp) {
        write_safetensors((tmp / "weights.safetensors").string(), trainedState(), weights_metadata());
        save_optimizer_state(*m_optimizer, tmp);
        nlohmann::json st;
        st["format"] = "motionbooth-train-state";
        st["step"] = m_step;
        st["seed"] = m_options.seed;
        st["kind"] = m_lora ? "lora" : "full";
        st["rank"] = m_options.loraRank;
        st["losses"] = {
            {"region", m_options.regionLoss}, {"stca", m_options.stcaLoss}, {"video", m_options.videoLoss}};
        if (m_scaler)
            st["loss_scale"] = {{"scale", m_scaler->scale()},
                                {"good_steps", m_scaler->good_steps()},
                                {"skipped", m_scaler->skipped_steps()}};
        write_checkpoint_state(tmp, st);
    });
}

void SubjectTrainer::load_checkpoint(const std::string& dirIn) {
    const std::string dir = checkpoint_to_resume(dirIn);
    const nlohmann::json st = read_checkpoint_state(dir);
    const std::string kind = st.value("kind", "");
    if (kind != (m_lora ? "lora" : "full") || st.value("rank", int64_t(-1)) != m_options.loraRank)
        throw std::runtime_error(
            dir + ": the checkpoint trains " + kind + " (rank " +
            std::to_string(st.value("rank", int64_t(-1))) + "), this run " +
            (m_lora ? "LoRA rank " + std::to_string(m_options.loraRank) : "the full UNet"));
    if (st.value("seed", uint64_t(0)) != m_options.seed)
        throw std::runtime_error(dir + ": the checkpoint was trained with seed " +
                                 std::to_string(st.value("seed", uint64_t(0))) + ", this run uses " +
                                 std::to_string(m_options.seed));
    const std::string weights = (fs::path(dir) / "weights.safetensors").string();
    const TensorMap tensors = read_safetensors(weights);
    if (m_lora) {
        m_lora->load_state(tensors, weights);
    } else {
        LoadOptions strict;
        strict.requireComplete = true;
        torch::NoGradGuard noGrad;
        load_weights(*m_unet, tensors, weights, strict);
    }
    load_optimizer_state(*m_optimizer, dir);
    if (m_scaler && st.contains("loss_scale")) {
        const auto& ls = st["loss_scale"];
        m_scaler->restore(ls.value("scale", 65536.0), ls.value("good_steps", int64_t(0)),
                          ls.value("skipped", int64_t(0)));
    }
    m_step = st.value("step", int64_t(0));
}

// ---- models ----

TrainingModels load_training_models(const std::string& modelDir, const std::string& tokenizerDir,
                                    const torch::Device& device) {
    torch::NoGradGuard noGrad;
    const ModelFolder folder = open_model_folder(modelDir);
    for (const char* c : {"text_encoder", "unet", "vae", "scheduler"})
        if (!folder.components.count(c))
            throw std::runtime_error(modelDir + "/model_index.json: the pipeline has no \"" + std::string(c) +
                                     "\" component");
    TrainingModels m;
    m.tokenizer = std::make_shared<const ClipTokenizer>(
        tokenizerDir.empty() ? folder.componentDir("tokenizer") : tokenizerDir);
    m.textEncoder = load_clip_text_model(folder.componentDir("text_encoder"));
    m.textEncoder->to(device);
    LoadOptions strict;
    strict.requireComplete = true;
    const std::string unetDir = folder.componentDir("unet");
    UNet3DConditionModel unet(
        UNet3DConfig::from_json(read_component_config(unetDir), unetDir + "/config.json"));
    // Onto the device before the weights are read: each file tensor is copied straight into place.
    unet->to(device);
    load_component_weights(*unet, unetDir, strict);
    m.unet = unet.ptr();
    const std::string vaeDir = folder.componentDir("vae");
    AutoencoderKL vae(VaeConfig::from_json(read_component_config(vaeDir), vaeDir + "/config.json"));
    vae->to(device);
    load_component_weights(*vae, vaeDir, strict);
    vae->eval();
    m.vae = vae.ptr();
    m.scheduler = SchedulerConfig::from_json(read_component_config(folder.componentDir("scheduler")),
                                             folder.componentDir("scheduler"));
    if (m.textEncoder->config().hidden_size != m.unet->config().crossAttentionDim)
        throw std::runtime_error(modelDir +
                                 ": text encoder width differs from the UNet's cross_attention_dim");
    for (const auto& p : m.unet->parameters())
        m.unetParameters += p.numel();
    for (const auto& p : m.vae->parameters())
        m.frozenParameters += p.numel();
    for (const auto& p : m.textEncoder->parameters())
        m.frozenParameters += p.numel();
    for (auto& p : m.vae->parameters())
        p.set_requires_grad(false);
    for (auto& p : m.textEncoder->parameters())
        p.set_requires_grad(false);
    return m;
}

torch::Tensor encode_prompts(TrainingModels& models, const std::vector<std::string>& prompts) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> ids;
    for (const auto& p : prompts) {
        const PaddedTokens t = models.tokenizer->encode_padded(p, 77);
        ids.push_back(torch::tensor(t.ids, torch::kLong)); // cpu: token ids, moved to the encoder below
    }
    const auto params = models.textEncoder->parameters();
    const torch::Device device = params.empty() ? torch::Device(torch::kCPU) : params.front().device();
    return models.textEncoder->forward(torch::stack(ids).to(device)).last_hidden_state;
}

// ---- memory estimate ----

TrainingMemoryEstimate estimate_training_memory(const UNet3DConfig& config, int64_t unetParams,
                                                int64_t loraParams, int64_t loraAdaptedParams,
                                                int64_t otherParams, int64_t latentH, int64_t latentW,
                                                int64_t images, int64_t frames, int64_t tokens,
                                                bool gradientCheckpointing) {
    TrainingMemoryEstimate e;
    const double f32 = 4.0;
    e.weightsBytes = f32 * double(unetParams + otherParams);
    if (loraParams > 0)
        // A, B, their gradients and two AdamW moments; the adapted projection weights (and B·A) per forward,
        // and each adapted weight's full-size gradient: autograd reaches the adapters last (their graph nodes
        // are the oldest), so all of those gradients exist together near the end of backward.
        e.trainingStateBytes = f32 * (4.0 * double(loraParams) + 3.0 * double(loraAdaptedParams));
    else
        e.trainingStateBytes = f32 * 3.0 * double(unetParams); // gradients + AdamW m and v
    // Saved activations of one micro-batch of `items` videos of `f` frames (floats per layer, rough counts of
    // what autograd keeps: norms, activations, conv/linear inputs, and softmax probabilities).
    auto microBatch = [&](int64_t items, int64_t f, bool stca) {
        double floats = 0, largest = 0;
        const size_t levels = config.blockOutChannels.size();
        for (size_t l = 0; l < levels; ++l) {
            const double c = double(config.blockOutChannels[l]);
            const double hh = std::ceil(double(latentH) / double(int64_t(1) << l));
            const double ww = std::ceil(double(latentW) / double(int64_t(1) << l));
            const double s = hh * ww;
            const double heads =
                c / double(config.attentionHeadDim[std::min(l, config.attentionHeadDim.size() - 1)]);
            const bool cross = config.downBlockTypes.size() > l &&
                               config.downBlockTypes[l].find("CrossAttn") != std::string::npos;
            const double resnet = 8 * c * s, tempConv = 12 * c * s;
            const double spatial = 28 * c * s + 2 * heads * s * s + 2 * heads * s * double(tokens);
            const double temporal = 28 * c * s + 2 * heads * double(f) * s;
            const double layer = resnet + tempConv + (cross ? spatial + temporal : 0);
            const double layers = double(2 * config.layersPerBlock + 1); // down + up block at this level
            if (!gradientCheckpointing) {
                floats += double(config.layersPerBlock) * layer;     // down block
                floats += double(config.layersPerBlock + 1) * layer; // up block (same resolution)
            } else {
                // Kept: each sub-module's input. Transient: one sub-module with autograd (attention chunks
                // recompute their probabilities, so the spatial one holds no score matrix).
                floats += layers * (cross ? 4 : 2) * c * s;
                const double spatialChunked = 28 * c * s + 2 * heads * s * double(tokens);
                largest = std::max(
                    {largest, resnet, tempConv, cross ? spatialChunked : 0.0, cross ? temporal : 0.0});
                if (stca && cross && l + 2 == levels)
                    floats += layers * spatial; // STCA level on photo batches: not checkpointed
            }
            if (l + 1 == levels)
                floats += 2 * (resnet + tempConv) + spatial + temporal; // mid block
        }
        // The piece being recomputed holds its activations and, while it is differentiated, their gradients.
        return (floats + 2 * largest) * double(items * f) * f32;
    };
    // Photos: STCA probabilities kept; preservation clip: no STCA (method §3).
    e.activationBytes = std::max(microBatch(images, 1, true), microBatch(1, frames, false));
    return e;
}

int64_t lora_parameter_count(torch::nn::Module& unet, int64_t rank, int64_t* adaptedWeights) {
    int64_t n = 0, w = 0;
    for (const auto& item : unet.named_modules("", false)) {
        auto attn = std::dynamic_pointer_cast<AttentionImpl>(item.value());
        if (!attn)
            continue;
        auto out = std::dynamic_pointer_cast<torch::nn::LinearImpl>(attn->to_out->ptr(0));
        for (const torch::nn::LinearImpl* lin :
             {attn->to_q.get(), attn->to_k.get(), attn->to_v.get(), out.get()}) {
            if (!lin)
                continue;
            n += rank * (lin->weight.size(0) + lin->weight.size(1));
            w += lin->weight.numel();
        }
    }
    if (adaptedWeights)
        *adaptedWeights = w;
    return n;
}

// ---- benchmark ----

TrainBenchResult bench_training(const TrainBenchOptions& o) {
    if (o.width % o.latentScale || o.height % o.latentScale)
        throw std::runtime_error("bench train: size " + std::to_string(o.width) + "x" +
                                 std::to_string(o.height) + " is not a multiple of the latent scale " +
                                 std::to_string(o.latentScale));
    if (o.images < 1 || o.frames < 1 || o.steps < 1)
        throw std::runtime_error("bench train: images, frames and steps must be at least 1");
    configure_threads(o.threads);
    AllocatorReuseScope reuse; // as training jobs run (threads.h)
    torch::manual_seed(o.seed);
    const UNet3DConfig cfg = UNet3DConfig::from_file(o.configPath);
    UNet3DConditionModel unet(cfg);
    unet->to(o.device); // drawn on the CPU above: the same weights on every device
    TrainBenchResult r;
    for (const auto& p : unet->parameters())
        r.parameters += p.numel();
    const int64_t h = o.height / o.latentScale, w = o.width / o.latentScale, c = cfg.inChannels;
    const int64_t d = cfg.crossAttentionDim;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(o.seed + 1);
    TrainingImages im;
    // cpu: bench train prepares its random data where it trains, on the CPU
    im.pixels = torch::randn({o.images, c, h, w}, gen);
    im.masks = torch::zeros({o.images, 1, o.height, o.width}); // cpu: as above
    im.masks.narrow(2, o.height / 4, o.height / 2).narrow(3, o.width / 4, o.width / 2).fill_(1.0);
    im.text = torch::randn({o.images, 77, d}, gen); // cpu: as above
    im.phraseTokens.assign(size_t(o.images), {2, 3});
    PreservationVideo v;
    v.frames = torch::randn({c, o.frames, h, w}, gen); // cpu: as above
    v.text = torch::randn({1, 77, d}, gen);            // cpu: as above
    v.name = "random";
    SchedulerConfig sc;
    DDIMScheduler schedule(sc);
    SubjectTrainingOptions so;
    so.loraRank = o.loraRank;
    so.videoFrames = o.frames;
    so.seed = o.seed;
    so.gradientCheckpointing = o.gradientCheckpointing;
    so.computeDtype = o.computeDtype;
    SubjectTrainer trainer(unet.ptr(), nullptr, schedule, std::move(im), {v}, so);
    r.trainable = trainer.trainable_parameters();
    int64_t adapted = 0;
    const int64_t loraParams = o.loraRank > 0 ? lora_parameter_count(*unet, o.loraRank, &adapted) : 0;
    r.estimatedGiB = estimate_training_memory(cfg, r.parameters, loraParams, adapted, 0, h, w, o.images,
                                              o.frames, 77, o.gradientCheckpointing)
                         .totalBytes() /
                     double(int64_t(1) << 30);
    for (int i = 0; i < o.warmup + o.steps; ++i) {
        if (i == o.warmup)
            reset_device_peak_memory(o.device);
        const auto t0 = std::chrono::steady_clock::now();
        trainer.step();
        synchronize_device(o.device); // GPU work is asynchronous: the step ends when its kernels have
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (i >= o.warmup)
            r.stepSeconds.push_back(s);
    }
    const int64_t peak = device_peak_allocated_bytes(o.device);
    if (peak >= 0)
        r.peakDeviceGiB = double(peak) / double(int64_t(1) << 30);
    std::vector<double> sorted = r.stepSeconds;
    std::sort(sorted.begin(), sorted.end());
    r.medianSeconds = sorted[sorted.size() / 2];
    r.peakRssGiB = peak_rss_gib();
    return r;
}

} // namespace mb::ml
