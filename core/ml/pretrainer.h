#pragma once
/**
 * \file pretrainer.h
 * \brief Training a small text-to-video model from scratch (the embedded default model): the VAE on video
 *        frames, then the UNet3D on captioned clips with the VAE and a frozen text encoder. Tensors in,
 *        tensors out; the clips come from a callback (the CLI feeds media/synthetic_clips).
 *
 * The recipe is resources/models/default/README.md. Both trainers:
 *  - draw every random number of step k from a CPU generator seeded with (seed, k), so a run resumed from
 *    a checkpoint continues bit-identically to an uninterrupted one (same thread count and build);
 *  - train on the device of the trained module's parameters (the frozen models must be there too): each
 *    batch moves there, random draws are made on the CPU and moved, the optimizer state stays there;
 *  - use AdamW with a linear warm-up and gradient clipping, report progress stage "pretrain-vae" /
 *    "pretrain-unet" with the losses as values, honour cancel between steps (JobCancelled, after writing a
 *    checkpoint of the last completed step when a checkpoint folder is given).
 *
 * VAE loss: mean |x̂ − x| + klWeight · mean KL(posterior ‖ N(0, I)), x̂ decoded from a posterior sample.
 * UNet loss: plain ε-MSE (DDPM forward noising with the scheduler's betas, one t ~ U{0..T−1} per clip);
 * captions are replaced by "" with probability captionDropout so that classifier-free guidance has an
 * unconditional model to contrast with. The UNet keeps an exponential moving average of its weights, which
 * is what gets saved as the model (it samples cleaner than the raw weights of a short run).
 */
#include "doc/job.h"
#include "ml/clip_text_model.h"
#include "ml/mixed_precision.h"
#include "ml/safetensors.h"
#include "ml/scheduler.h"
#include "ml/unet3d.h"
#include "ml/vae.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace torch::optim {
class Optimizer;
}

namespace mb::ml {

/** Clips for one step: pixels in [−1, 1] and one caption per clip. */
struct CaptionedVideoBatch {
    torch::Tensor video; ///< [B, 3, F, H, W] float
    std::vector<std::string> captions;
};
/** Returns the batch of step `step` (a pure function of it, for bit-identical resumes). */
using VideoBatchSource = std::function<CaptionedVideoBatch(int64_t step)>;

/**
 * Initialisation for training from scratch, on top of LibTorch's default layer initialisation: the last
 * convolution of every temporal conv layer is zeroed (each starts as the identity, as diffusers does), and
 * so is every temporal transformer's output projection, so the fresh network begins as a per-frame image
 * model. Seeds LibTorch's generator with `seed` first and re-draws all other weights, so a seed fixes the
 * result.
 */
void initialise_unet_from_scratch(UNet3DConditionModelImpl& unet, uint64_t seed);

/** Re-draws a VAE's weights with LibTorch's default initialisation from `seed`. */
void initialise_vae_from_scratch(AutoencoderKLImpl& vae, uint64_t seed);

/**
 * A frozen random text encoder: token embeddings N(0, 1), position embeddings N(0, 0.1²) (so a token's own
 * identity dominates what the cross-attention sees), other layers LibTorch's defaults, from `seed`.
 */
void initialise_text_encoder_from_scratch(ClipTextModelImpl& textEncoder, uint64_t seed);

/** Every parameter and buffer of `module` under its state-dict name (what the loader expects); detached
 *  views of the live tensors, not copies. */
TensorMap module_state(torch::nn::Module& module);

struct PretrainOptions {
    double learningRate = 1e-3;
    int64_t warmupSteps = 100; ///< linear warm-up from 0 to learningRate
    double beta1 = 0.9, beta2 = 0.999, adamEps = 1e-8, weightDecay = 0.01;
    double maxGradNorm = 1.0;
    uint64_t seed = 0;
    // VAE only.
    double klWeight = 1e-3;
    int64_t vaeFramesPerStep = 8; ///< frames drawn from the batch's clips per VAE step
    // UNet only.
    double captionDropout = 0.1;
    double emaDecay = 0.999;
    /** true: the clips of a step run side by side, one per OpenMP thread, each with single-threaded ops
     *  (run_concurrently); false: all clips in one batched pass. Same loss either way (each clip has its own
     *  noise generator), up to summation order. The concurrent clips use LibTorch's own convolution kernels
     *  (oneDNN's shared thread pool stalls when two threads enter it at once). */
    bool concurrentClips = false;
    /** What the forward passes compute in: float32, or on a CUDA device autocast to BFloat16 or Half (with
     *  dynamic loss scaling) over float32 weights (mixed_precision.h). Half precision elsewhere, or with
     *  concurrentClips (autocast is a per-thread state), is refused (std::invalid_argument). */
    c10::ScalarType computeDtype = c10::ScalarType::Float;
};

/** The losses of one step. */
struct PretrainStep {
    int64_t step = 0; ///< steps done after this one
    double loss = 0;
    double reconstruction = 0, kl = 0; ///< VAE terms (0 for the UNet)
    double seconds = 0;
};

/** Shared bookkeeping of both trainers: optimizer, warm-up, checkpoints, the train loop. */
class PretrainerBase {
public:
    virtual ~PretrainerBase();
    /** One optimizer step on `batch`. */
    virtual PretrainStep step(const CaptionedVideoBatch& batch) = 0;
    /**
     * Steps until `totalSteps` are done (counting resumed ones), pulling batches from `source`. Writes a
     * resume checkpoint to `checkpointDir` every `checkpointEvery` steps and on cancel (then rethrows).
     */
    std::vector<PretrainStep> train(const VideoBatchSource& source, int64_t totalSteps,
                                    const JobControl& control = {}, const std::string& checkpointDir = {},
                                    int64_t checkpointEvery = 0);
    int64_t steps_done() const { return m_step; }
    /** Writes weights (+ EMA), the optimizer state and state.json into `dir`, replacing it atomically. */
    void save_checkpoint(const std::string& dir) const;
    /** Restores a save_checkpoint folder of the same kind and seed; throws naming the folder otherwise. */
    void load_checkpoint(const std::string& dir);
    static bool has_checkpoint(const std::string& dir);

protected:
    PretrainerBase(std::string kind, torch::nn::Module& trained, PretrainOptions options);
    /** Sets the warmed-up learning rate, clips, steps the optimizer and counts the step. */
    void applyUpdate();
    /** Trains `params` too (a second optimizer group with the same options; clipped together with the
     *  module's). Call from the constructor, before any step or checkpoint load. */
    void addTrainedParameters(const std::vector<torch::Tensor>& params);
    virtual TensorMap checkpointState() const;
    virtual void restoreState(const TensorMap& tensors, const std::string& source);
    uint64_t stepSeed() const;

    std::string m_kind;
    torch::nn::Module& m_trained;
    PretrainOptions m_options;
    std::unique_ptr<torch::optim::Optimizer> m_optimizer;
    std::vector<torch::Tensor> m_clipped; ///< every trained parameter, for gradient clipping
    torch::Device m_device{torch::kCPU};  ///< where the trained module's parameters are
    bool m_autocast = false;              ///< options.computeDtype is bf16/fp16 (CUDA)
    std::unique_ptr<LossScaler> m_scaler; ///< fp16 only
    /** What backward is called on: `loss`, times the fp16 loss scale when there is one. */
    torch::Tensor forBackward(const torch::Tensor& loss) const;
    int64_t m_step = 0;
    std::string m_stage;
};

class VaePretrainer : public PretrainerBase {
public:
    VaePretrainer(std::shared_ptr<AutoencoderKLImpl> vae, PretrainOptions options);
    PretrainStep step(const CaptionedVideoBatch& batch) override;
    /** The losses of the current weights on `batch` (fixed noise from `seed`), without an update. */
    PretrainStep evaluate(const CaptionedVideoBatch& batch, uint64_t seed);
    /**
     * 1 / standard deviation of posterior samples over `batch`'s frames: the scaling_factor that gives the
     * UNet unit-variance latents (Stable Diffusion's 0.18215 was found the same way).
     */
    double measure_scaling_factor(const CaptionedVideoBatch& batch);

private:
    PretrainStep losses(const torch::Tensor& frames, at::Generator& gen, bool backward);
    torch::Tensor framesOf(const CaptionedVideoBatch& batch, at::Generator& gen) const;
    std::shared_ptr<AutoencoderKLImpl> m_vae;
};

class UNetPretrainer : public PretrainerBase {
public:
    /**
     * `encodePrompts` maps captions to the text encoder's last hidden states [N, 77, D].
     *
     * Without `trainedTextEncoder` the text side is frozen: embeddings are computed once per caption without
     * autograd and cached. With it, that encoder (the one `encodePrompts` runs) trains together with the
     * UNet: every parameter but the token embedding table (a fixed random code per word, so words stay
     * distinct and unseen words such as a subject's rare identifier keep their own vector) gets gradients,
     * AdamW updates and a moving average, and is part of the checkpoint; `encodePrompts` is then called with
     * autograd on, every step, once per clip. A random frozen encoder mixes the words of a caption through
     * random layers, so the UNet cannot tell "red ball" from "blue ball" reliably; trained layers can.
     */
    UNetPretrainer(std::shared_ptr<UNet3DConditionModelImpl> unet, std::shared_ptr<AutoencoderKLImpl> vae,
                   std::function<torch::Tensor(const std::vector<std::string>&)> encodePrompts,
                   const DDIMScheduler& noiseSchedule, PretrainOptions options,
                   std::shared_ptr<ClipTextModelImpl> trainedTextEncoder = nullptr);
    PretrainStep step(const CaptionedVideoBatch& batch) override;
    /** ε-MSE of the current (not EMA) weights on `batch` with noise and timesteps from `seed`. */
    PretrainStep evaluate(const CaptionedVideoBatch& batch, uint64_t seed);
    /** The exponential moving average of the UNet's weights (state-dict names), what the model ships. */
    TensorMap ema_state() const;
    /** The trained text encoder's weights with the moving average in place of every trained parameter
     *  (state-dict names, complete: loadable as the model's text encoder). Throws when it is frozen. */
    TensorMap text_encoder_ema_state() const;
    bool trains_text_encoder() const { return m_textEncoder != nullptr; }

private:
    torch::Tensor captionEmbeddings(const std::vector<std::string>& captions);
    torch::Tensor clipLoss(const torch::Tensor& latents, const torch::Tensor& text,
                           std::vector<at::Generator>& gens);
    TensorMap checkpointState() const override;
    void restoreState(const TensorMap& tensors, const std::string& source) override;

    std::shared_ptr<UNet3DConditionModelImpl> m_unet;
    std::shared_ptr<AutoencoderKLImpl> m_vae;
    std::function<torch::Tensor(const std::vector<std::string>&)> m_encodePrompts;
    std::shared_ptr<ClipTextModelImpl> m_textEncoder; ///< trained jointly; null = frozen text side
    std::map<std::string, torch::Tensor> m_captionCache;
    DDIMScheduler m_schedule;
    /** Every trained parameter (UNet first, then the text encoder's as "text_encoder.NAME") and its
     *  moving average, in the same order. */
    std::vector<std::string> m_emaNames;
    std::vector<torch::Tensor> m_trainedParams;
    std::vector<torch::Tensor> m_ema;
};

} // namespace mb::ml
