#include "ml/pretrainer.h"

#include "ml/checkpoint_folder.h"
#include "ml/model_loader.h"
#include "ml/parallel_ops.h"
#include "ml/seeded_random.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace mb::ml {

namespace fs = std::filesystem;

namespace {

/** Re-runs LibTorch's default initialisation of every layer, drawing from the (seeded) global generator. */
void resetDefaultInitialisation(torch::nn::Module& module) {
    torch::NoGradGuard noGrad;
    for (const auto& m : module.modules(/*include_self=*/false)) { // the roots are containers
        if (auto* conv2 = m->as<torch::nn::Conv2d>())
            conv2->reset_parameters();
        else if (auto* conv3 = m->as<torch::nn::Conv3d>())
            conv3->reset_parameters();
        else if (auto* lin = m->as<torch::nn::Linear>())
            lin->reset_parameters();
        else if (auto* gn = m->as<torch::nn::GroupNorm>())
            gn->reset_parameters();
        else if (auto* ln = m->as<torch::nn::LayerNorm>())
            ln->reset_parameters();
        else if (auto* emb = m->as<torch::nn::Embedding>())
            emb->reset_parameters();
    }
}

double seconds(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

void initialise_unet_from_scratch(UNet3DConditionModelImpl& unet, uint64_t seed) {
    torch::manual_seed(seed);
    resetDefaultInitialisation(unet);
    torch::NoGradGuard noGrad;
    for (auto& p : unet.named_parameters()) {
        const std::string& name = p.key();
        const bool temporalConvOut = name.find(".conv4.3.") != std::string::npos;
        const bool temporalAttentionOut =
            name.find("proj_out") != std::string::npos &&
            (name.find("temp_attentions") != std::string::npos || name.rfind("transformer_in.", 0) == 0);
        if (temporalConvOut || temporalAttentionOut)
            p.value().zero_();
    }
}

void initialise_vae_from_scratch(AutoencoderKLImpl& vae, uint64_t seed) {
    torch::manual_seed(seed);
    resetDefaultInitialisation(vae);
}

void initialise_text_encoder_from_scratch(ClipTextModelImpl& textEncoder, uint64_t seed) {
    torch::manual_seed(seed);
    resetDefaultInitialisation(textEncoder);
    torch::NoGradGuard noGrad;
    auto& emb = *textEncoder.text_model->embeddings;
    emb.token_embedding->weight.normal_(0.0, 1.0);
    emb.position_embedding->weight.normal_(0.0, 0.1);
}

TensorMap module_state(torch::nn::Module& module) {
    TensorMap out;
    for (const auto& p : module.named_parameters())
        out[p.key()] = p.value().detach();
    for (const auto& b : module.named_buffers())
        out[b.key()] = b.value().detach();
    return out;
}

// ---- shared bookkeeping ----

PretrainerBase::PretrainerBase(std::string kind, torch::nn::Module& trained, PretrainOptions options)
    : m_kind(std::move(kind)), m_trained(trained), m_options(options), m_stage("pretrain-" + m_kind) {
    torch::optim::AdamWOptions ao(m_options.learningRate);
    ao.betas({m_options.beta1, m_options.beta2});
    ao.eps(m_options.adamEps);
    ao.weight_decay(m_options.weightDecay);
    m_optimizer = std::make_unique<torch::optim::AdamW>(m_trained.parameters(), ao);
    m_clipped = m_trained.parameters();
    if (!m_clipped.empty())
        m_device = m_clipped.front().device();
    const c10::ScalarType dtype = m_options.computeDtype;
    if (dtype != c10::ScalarType::Float) {
        if (dtype != c10::ScalarType::Half && dtype != c10::ScalarType::BFloat16)
            throw std::invalid_argument("pretraining: the compute dtype must be fp32, fp16 or bf16");
        if (!m_device.is_cuda())
            throw std::invalid_argument(
                "pretraining: fp16/bf16 runs on a CUDA device only (on the CPU it trains in fp32)");
        if (m_options.concurrentClips)
            throw std::invalid_argument(
                "pretraining: fp16/bf16 autocast needs the clips batched (autocast is "
                "per thread), not concurrent");
        m_autocast = true;
        if (dtype == c10::ScalarType::Half)
            m_scaler = std::make_unique<LossScaler>();
    }
}

torch::Tensor PretrainerBase::forBackward(const torch::Tensor& loss) const {
    return m_scaler ? m_scaler->scaled(loss) : loss;
}

void PretrainerBase::addTrainedParameters(const std::vector<torch::Tensor>& params) {
    if (params.empty())
        return;
    m_optimizer->add_param_group(torch::optim::OptimizerParamGroup(params));
    m_clipped.insert(m_clipped.end(), params.begin(), params.end());
}

PretrainerBase::~PretrainerBase() = default;

uint64_t PretrainerBase::stepSeed() const {
    return training_step_seed(m_options.seed, m_step);
}

void PretrainerBase::applyUpdate() {
    const double warm =
        m_options.warmupSteps > 0 ? std::min(1.0, double(m_step + 1) / double(m_options.warmupSteps)) : 1.0;
    for (auto& group : m_optimizer->param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(m_options.learningRate * warm);
    // fp16: gradients of the scaled loss; an overflowed step is skipped (it still counts: step k always
    // draws from (seed, k)).
    if (!m_scaler || m_scaler->unscale_and_update(m_clipped)) {
        torch::nn::utils::clip_grad_norm_(m_clipped, m_options.maxGradNorm);
        m_optimizer->step();
    }
    ++m_step;
}

std::vector<PretrainStep> PretrainerBase::train(const VideoBatchSource& source, int64_t totalSteps,
                                                const JobControl& control, const std::string& checkpointDir,
                                                int64_t checkpointEvery) {
    std::vector<PretrainStep> out;
    const int64_t first = m_step;
    const auto t0 = std::chrono::steady_clock::now();
    while (m_step < totalSteps) {
        if (control.cancel && control.cancel->requested()) {
            if (!checkpointDir.empty())
                save_checkpoint(checkpointDir);
            throw JobCancelled();
        }
        const PretrainStep s = step(source(m_step));
        out.push_back(s);
        JobProgress p;
        p.stage = m_stage;
        p.done = m_step;
        p.total = totalSteps;
        p.values = {{"loss", s.loss}};
        if (m_kind == "vae")
            p.values.insert(p.values.end(), {{"reconstruction", s.reconstruction}, {"kl", s.kl}});
        p.values.push_back({"s/step", seconds(t0) / double(m_step - first)});
        control.report(p);
        if (!checkpointDir.empty() && checkpointEvery > 0 && m_step % checkpointEvery == 0)
            save_checkpoint(checkpointDir);
    }
    if (!checkpointDir.empty())
        save_checkpoint(checkpointDir);
    return out;
}

TensorMap PretrainerBase::checkpointState() const {
    return module_state(m_trained);
}

void PretrainerBase::restoreState(const TensorMap& tensors, const std::string& source) {
    LoadOptions strict;
    strict.requireComplete = true;
    torch::NoGradGuard noGrad;
    load_weights(m_trained, tensors, source, strict);
}

bool PretrainerBase::has_checkpoint(const std::string& dir) {
    return is_complete_checkpoint(dir);
}

void PretrainerBase::save_checkpoint(const std::string& dir) const {
    replace_checkpoint_folder(dir, [&](const fs::path& tmp) {
        write_safetensors((tmp / "weights.safetensors").string(), checkpointState(),
                          {{"kind", m_kind}, {"step", std::to_string(m_step)}});
        save_optimizer_state(*m_optimizer, tmp);
        nlohmann::json st = {{"format", "motionbooth-pretrain-state"},
                             {"kind", m_kind},
                             {"step", m_step},
                             {"seed", m_options.seed}};
        if (m_scaler)
            st["loss_scale"] = {{"scale", m_scaler->scale()},
                                {"good_steps", m_scaler->good_steps()},
                                {"skipped", m_scaler->skipped_steps()}};
        write_checkpoint_state(tmp, st);
    });
}

void PretrainerBase::load_checkpoint(const std::string& dirIn) {
    const std::string dir = checkpoint_to_resume(dirIn);
    const nlohmann::json st = read_checkpoint_state(dir);
    if (st.value("kind", std::string()) != m_kind)
        throw std::runtime_error(dir + ": the checkpoint trains '" + st.value("kind", std::string()) +
                                 "', this run '" + m_kind + "'");
    if (st.value("seed", uint64_t(0)) != m_options.seed)
        throw std::runtime_error(dir + ": the checkpoint was trained with seed " +
                                 std::to_string(st.value("seed", uint64_t(0))) + ", this run uses " +
                                 std::to_string(m_options.seed));
    const std::string weights = (fs::path(dir) / "weights.safetensors").string();
    restoreState(read_safetensors(weights), weights);
    load_optimizer_state(*m_optimizer, dir);
    if (m_scaler && st.contains("loss_scale")) {
        const auto& ls = st["loss_scale"];
        m_scaler->restore(ls.value("scale", 65536.0), ls.value("good_steps", int64_t(0)),
                          ls.value("skipped", int64_t(0)));
    }
    m_step = st.value("step", int64_t(0));
}

// ---- VAE ----

VaePretrainer::VaePretrainer(std::shared_ptr<AutoencoderKLImpl> vae, PretrainOptions options)
    : PretrainerBase("vae", *vae, options), m_vae(std::move(vae)) {
    m_vae->train();
}

torch::Tensor VaePretrainer::framesOf(const CaptionedVideoBatch& batch, at::Generator& gen) const {
    const torch::Tensor v = batch.video.to(m_device);
    if (v.dim() != 5 || v.size(1) != m_vae->config().inChannels)
        throw std::invalid_argument("VAE pretraining: the batch must be [B, 3, F, H, W]");
    const int64_t s = m_vae->config().scaleFactor();
    if (v.size(3) % s != 0 || v.size(4) % s != 0)
        throw std::invalid_argument("VAE pretraining: H and W must be multiples of " + std::to_string(s));
    const torch::Tensor frames = v.permute({0, 2, 1, 3, 4}).reshape({-1, v.size(1), v.size(3), v.size(4)});
    const int64_t n = std::min<int64_t>(frames.size(0), std::max<int64_t>(1, m_options.vaeFramesPerStep));
    // cpu: drawn from the step's CPU generator, moved for the index
    const torch::Tensor pick = torch::randperm(frames.size(0), gen, torch::kLong).slice(0, 0, n);
    return frames.index_select(0, pick.to(frames.device())).contiguous();
}

PretrainStep VaePretrainer::losses(const torch::Tensor& frames, at::Generator& gen, bool backward) {
    const auto t0 = std::chrono::steady_clock::now();
    CudaAutocastScope autocast(m_autocast, m_options.computeDtype);
    const LatentDistribution post = m_vae->encode(frames);
    const torch::Tensor z = post.sample(gen);
    const torch::Tensor recon = m_vae->decode(z);
    const torch::Tensor rec = (recon - frames).abs().mean();
    const torch::Tensor kl = 0.5 * (post.mean.pow(2) + post.logvar.exp() - 1.0 - post.logvar).mean();
    const torch::Tensor loss = rec + m_options.klWeight * kl;
    if (backward)
        forBackward(loss).backward();
    PretrainStep s;
    s.loss = loss.item<double>();
    s.reconstruction = rec.item<double>();
    s.kl = kl.item<double>();
    s.seconds = seconds(t0);
    return s;
}

PretrainStep VaePretrainer::step(const CaptionedVideoBatch& batch) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(stepSeed());
    const torch::Tensor frames = framesOf(batch, gen);
    m_optimizer->zero_grad();
    PretrainStep s = losses(frames, gen, /*backward=*/true);
    applyUpdate();
    s.step = m_step;
    return s;
}

PretrainStep VaePretrainer::evaluate(const CaptionedVideoBatch& batch, uint64_t seed) {
    torch::NoGradGuard noGrad;
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(training_step_seed(seed, -1));
    return losses(framesOf(batch, gen), gen, /*backward=*/false);
}

double VaePretrainer::measure_scaling_factor(const CaptionedVideoBatch& batch) {
    torch::NoGradGuard noGrad;
    const torch::Tensor v = batch.video.to(m_device);
    const torch::Tensor frames = v.permute({0, 2, 1, 3, 4}).reshape({-1, v.size(1), v.size(3), v.size(4)});
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(training_step_seed(m_options.seed, -3));
    const double sd = m_vae->encode(frames).sample(gen).std().item<double>();
    if (!(sd > 0) || !std::isfinite(sd))
        throw std::runtime_error("VAE pretraining: the latents have no spread (std " + std::to_string(sd) +
                                 ")");
    return 1.0 / sd;
}

// ---- UNet ----

UNetPretrainer::UNetPretrainer(std::shared_ptr<UNet3DConditionModelImpl> unet,
                               std::shared_ptr<AutoencoderKLImpl> vae,
                               std::function<torch::Tensor(const std::vector<std::string>&)> encodePrompts,
                               const DDIMScheduler& noiseSchedule, PretrainOptions options,
                               std::shared_ptr<ClipTextModelImpl> trainedTextEncoder)
    : PretrainerBase("unet", *unet, options), m_unet(std::move(unet)), m_vae(std::move(vae)),
      m_encodePrompts(std::move(encodePrompts)), m_textEncoder(std::move(trainedTextEncoder)),
      m_schedule(noiseSchedule) {
    m_unet->train();
    m_vae->eval();
    for (auto& p : m_vae->parameters())
        p.set_requires_grad(false);
    for (const auto& p : m_unet->named_parameters()) {
        m_emaNames.push_back(p.key());
        m_trainedParams.push_back(p.value());
    }
    if (m_textEncoder) {
        m_textEncoder->train(); // CLIP has no dropout: train() only marks the mode
        std::vector<torch::Tensor> text;
        for (const auto& p : m_textEncoder->named_parameters()) {
            const bool tokenTable = p.key() == "text_model.embeddings.token_embedding.weight";
            p.value().set_requires_grad(!tokenTable);
            if (tokenTable)
                continue;
            m_emaNames.push_back("text_encoder." + p.key());
            m_trainedParams.push_back(p.value());
            text.push_back(p.value());
        }
        addTrainedParameters(text);
    }
    torch::NoGradGuard noGrad;
    for (const auto& p : m_trainedParams)
        m_ema.push_back(p.detach().clone());
}

torch::Tensor UNetPretrainer::captionEmbeddings(const std::vector<std::string>& captions) {
    if (m_textEncoder)
        return m_encodePrompts(captions); // trained: fresh, with autograd, every step
    std::vector<std::string> missing;
    for (const auto& c : captions)
        if (!m_captionCache.count(c) && std::find(missing.begin(), missing.end(), c) == missing.end())
            missing.push_back(c);
    if (!missing.empty()) {
        torch::NoGradGuard noGrad;
        const torch::Tensor e = m_encodePrompts(missing);
        for (size_t i = 0; i < missing.size(); ++i)
            m_captionCache[missing[i]] = e[int64_t(i)].clone();
    }
    std::vector<torch::Tensor> rows;
    for (const auto& c : captions)
        rows.push_back(m_captionCache.at(c));
    return torch::stack(rows);
}

torch::Tensor UNetPretrainer::clipLoss(const torch::Tensor& latents, const torch::Tensor& text,
                                       std::vector<at::Generator>& gens) {
    // Each clip draws its noise and timestep from its own generator, so the loss does not depend on how the
    // clips are grouped into passes.
    const int64_t T = m_schedule.config().numTrainTimesteps;
    std::vector<torch::Tensor> noise, t;
    for (int64_t b = 0; b < latents.size(0); ++b) {
        at::Generator& g = gens[size_t(b)];
        noise.push_back(seeded_randn(latents[b].sizes(), g, latents.options()));
        t.push_back(torch::randint(0, T, {1}, g, torch::kLong)); // cpu: add_noise and the UNet move it
    }
    CudaAutocastScope autocast(m_autocast, m_options.computeDtype);
    const torch::Tensor eps = torch::stack(noise), steps = torch::cat(t);
    const torch::Tensor noisy = m_schedule.add_noise(latents, eps, steps);
    const torch::Tensor pred = m_unet->forward(noisy, steps, text);
    return torch::mse_loss(pred, eps);
}

PretrainStep UNetPretrainer::step(const CaptionedVideoBatch& batch) {
    const auto t0 = std::chrono::steady_clock::now();
    const torch::Tensor v = batch.video.to(m_device);
    if (v.dim() != 5 || int64_t(batch.captions.size()) != v.size(0))
        throw std::invalid_argument("UNet pretraining: the batch must be [B, 3, F, H, W] with B captions");
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(stepSeed());
    const int64_t B = v.size(0), F = v.size(2);

    // Latents of every clip: a posterior sample of the frozen VAE, scaled.
    torch::Tensor latents;
    {
        torch::NoGradGuard noGrad;
        const LatentDistribution post = m_vae->encode_video(v);
        const torch::Tensor z = post.sample(gen) * m_vae->config().scalingFactor; // [B·F, C, h, w]
        latents = z.reshape({B, F, z.size(1), z.size(2), z.size(3)}).permute({0, 2, 1, 3, 4}).contiguous();
    }
    std::vector<std::string> captions = batch.captions;
    const torch::Tensor drop = torch::rand({B}, gen); // cpu: drawn from the step's CPU generator, read here
    for (int64_t b = 0; b < B; ++b)
        if (drop[b].item<double>() < m_options.captionDropout)
            captions[size_t(b)].clear();
    // A trained text encoder's graph cannot be shared by the concurrent clips (each runs its own backward,
    // and the first would free the shared part): each clip then encodes its own caption.
    const bool perClipText = m_textEncoder && m_options.concurrentClips && B > 1;
    const torch::Tensor text = perClipText ? torch::Tensor() : captionEmbeddings(captions);

    std::vector<at::Generator> gens;
    for (int64_t b = 0; b < B; ++b)
        gens.push_back(at::make_generator<at::CPUGeneratorImpl>(training_step_seed(stepSeed(), 1000 + b)));
    m_optimizer->zero_grad();
    std::vector<double> clipLosses(size_t(B), 0.0);
    if (m_options.concurrentClips && B > 1) {
        std::vector<std::function<void()>> tasks;
        for (int64_t b = 0; b < B; ++b)
            tasks.push_back([&, b] {
                std::vector<at::Generator> g{gens[size_t(b)]};
                const torch::Tensor clipText =
                    perClipText ? captionEmbeddings({captions[size_t(b)]}) : text.slice(0, b, b + 1);
                const torch::Tensor loss = clipLoss(latents.slice(0, b, b + 1), clipText, g) / double(B);
                forBackward(loss).backward();
                clipLosses[size_t(b)] = loss.item<double>();
            });
        // Debian's oneDNN schedules its convolution kernels on a TBB arena; two threads entering it at once
        // (each clip's backward) spin on it instead of computing. LibTorch's own convolution kernels have no
        // such shared pool, so the concurrent clips use those.
        const bool mkldnn = at::globalContext().userEnabledMkldnn();
        at::globalContext().setUserEnabledMkldnn(false);
        try {
            run_concurrently(tasks);
        } catch (...) {
            at::globalContext().setUserEnabledMkldnn(mkldnn);
            throw;
        }
        at::globalContext().setUserEnabledMkldnn(mkldnn);
    } else {
        const torch::Tensor loss = clipLoss(latents, text, gens);
        forBackward(loss).backward();
        clipLosses[0] = loss.item<double>();
    }
    applyUpdate();
    {
        torch::NoGradGuard noGrad;
        const double d = std::min(m_options.emaDecay, (1.0 + double(m_step)) / (10.0 + double(m_step)));
        for (size_t i = 0; i < m_ema.size(); ++i)
            m_ema[i].mul_(d).add_(m_trainedParams[i].detach(), 1.0 - d);
    }
    PretrainStep s;
    for (double l : clipLosses)
        s.loss += l;
    s.step = m_step;
    s.seconds = seconds(t0);
    return s;
}

PretrainStep UNetPretrainer::evaluate(const CaptionedVideoBatch& batch, uint64_t seed) {
    torch::NoGradGuard noGrad;
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(training_step_seed(seed, -1));
    const torch::Tensor v = batch.video.to(m_device);
    const int64_t B = v.size(0), F = v.size(2);
    const torch::Tensor z = m_vae->encode_video(v).sample(gen) * m_vae->config().scalingFactor;
    const torch::Tensor latents =
        z.reshape({B, F, z.size(1), z.size(2), z.size(3)}).permute({0, 2, 1, 3, 4}).contiguous();
    std::vector<at::Generator> gens;
    for (int64_t b = 0; b < B; ++b)
        gens.push_back(at::make_generator<at::CPUGeneratorImpl>(training_step_seed(seed, b)));
    PretrainStep s;
    s.loss = clipLoss(latents, captionEmbeddings(batch.captions), gens).item<double>();
    return s;
}

namespace {
const std::string kTextPrefix = "text_encoder.";
bool isTextName(const std::string& name) {
    return name.rfind(kTextPrefix, 0) == 0;
}
} // namespace

TensorMap UNetPretrainer::ema_state() const {
    TensorMap out;
    for (size_t i = 0; i < m_ema.size(); ++i)
        if (!isTextName(m_emaNames[i]))
            out[m_emaNames[i]] = m_ema[i];
    for (const auto& b : m_unet->named_buffers())
        out[b.key()] = b.value().detach();
    return out;
}

TensorMap UNetPretrainer::text_encoder_ema_state() const {
    if (!m_textEncoder)
        throw std::logic_error("UNetPretrainer: the text encoder is frozen, it has no moving average");
    TensorMap out = module_state(*m_textEncoder); // the frozen token table and the buffers as they are
    for (size_t i = 0; i < m_ema.size(); ++i)
        if (isTextName(m_emaNames[i]))
            out[m_emaNames[i].substr(kTextPrefix.size())] = m_ema[i];
    return out;
}

TensorMap UNetPretrainer::checkpointState() const {
    TensorMap out = module_state(*m_unet);
    if (m_textEncoder)
        for (const auto& [k, t] : module_state(*m_textEncoder))
            out[kTextPrefix + k] = t;
    for (size_t i = 0; i < m_ema.size(); ++i)
        out["ema." + m_emaNames[i]] = m_ema[i];
    return out;
}

void UNetPretrainer::restoreState(const TensorMap& tensors, const std::string& source) {
    TensorMap weights, text;
    for (const auto& [k, t] : tensors) {
        if (k.rfind("ema.", 0) == 0)
            continue;
        if (isTextName(k))
            text[k.substr(kTextPrefix.size())] = t;
        else
            weights[k] = t;
    }
    if (!m_textEncoder && !text.empty())
        throw std::runtime_error(source + ": the checkpoint trained the text encoder too; resume it with the "
                                          "text encoder trained");
    if (m_textEncoder && text.empty())
        throw std::runtime_error(source +
                                 ": the checkpoint kept the text encoder frozen; resume it that way");
    PretrainerBase::restoreState(weights, source);
    if (m_textEncoder) {
        LoadOptions strict;
        strict.requireComplete = true;
        torch::NoGradGuard noGrad;
        load_weights(*m_textEncoder, text, source, strict);
    }
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < m_ema.size(); ++i) {
        const auto it = tensors.find("ema." + m_emaNames[i]);
        if (it == tensors.end() || !it->second.sizes().equals(m_ema[i].sizes()))
            throw std::runtime_error(source + ": no (or a mis-shaped) moving average of " + m_emaNames[i]);
        m_ema[i].copy_(it->second);
    }
}

} // namespace mb::ml
