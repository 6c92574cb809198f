#pragma once
/**
 * \file subject_trainer.h
 * \brief MotionBooth subject learning (method §3–§6): fine-tunes a UNet3D on a subject's photos (each a
 *        1-frame video) jointly with captioned preservation clips. Tensors in, tensors out (no media).
 *
 * One optimizer step (method §3, "Per micro-batch computation"), as the reference's accumulation of two
 * micro-batches gives:
 *   1. image micro-batch: all subject photos (a random 10 when there are more, ruling 11), shuffled.
 *      latents = VAE posterior sample × scaling factor, [N, C, 1, h, w]; ε ~ N(0, I); one t ~ U{0..T−1}
 *      per sample; z_t = DDPM forward noising; ε̂ = UNet(z_t, t, text, STCA collector).
 *      L_img = L_sub + 0.01·L_stca, L_sub = subject_region_loss (method §4, with the 4× scale),
 *      L_stca = BCE(1/32-level cross-attention map averaged over heads, phrase tokens and layers, soft mask)
 *      (method §6). backward(L_img / 2).
 *   2. video micro-batch: one preservation clip (random clip, random start when it is longer than the
 *      frames wanted), plain ε-MSE L_vid (method §5). backward(1.0·L_vid / 2).
 *   3. clip_grad_norm_(1.0), AdamW step (lr 5e-6, betas 0.9/0.999, eps 1e-8, weight decay 0.01, constant).
 * Reported loss = (L_img + L_vid)/2.
 *
 * Switches (ablations): without the region loss the image term is the plain ε-MSE over the whole image
 * (DreamBooth's loss, the paper's "w/o region loss"); without STCA the collector is not installed; without
 * the video loss the video micro-batch is skipped (its term counts as 0 in the reported (L_img + L_vid)/2 and
 * in the gradient).
 *
 * Frozen parts: the VAE and text encoder never train. Since the VAE is frozen, each photo's and each clip
 * frame's posterior (mean, std) is computed once; every step draws a fresh sample mean + std·ε from it, which
 * is exactly what encoding again and sampling would give.
 *
 * Determinism and resume: every random draw of step k (photo order/choice, VAE sample, ε, t, clip, start)
 * comes from a CPU generator seeded with a hash of (seed, k). The whole RNG state of a step is therefore
 * (seed, k); a checkpoint stores the trained weights, the AdamW state and k, and resuming continues
 * bit-identically to an uninterrupted run (same thread count and build, ruling 23).
 *
 * Trained parameters: the full UNet (the reference), or LoRA adapters on the attention projections
 * (lora.h) with the UNet frozen, for machines that cannot hold full AdamW state.
 *
 * Devices: training runs where the UNet's parameters are (the VAE, when given, must be there too); the
 * photos, masks, text embeddings and clips are moved there once, the random draws of a step are made on the
 * CPU from (seed, k) and moved, so a seed gives the same batches on every device. The optimizer state lives
 * with the parameters; a resume checkpoint restores onto the device the run trains on.
 */
#include "doc/job.h"
#include "ml/clip_text_model.h"
#include "ml/lora.h"
#include "ml/mixed_precision.h"
#include "ml/scheduler.h"
#include "ml/tokenizer.h"
#include "ml/unet3d.h"
#include "ml/vae.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace torch::optim {
class Optimizer;
}

namespace mb::ml {

struct SubjectTrainingOptions {
    // AdamW, constant schedule (method §3).
    double learningRate = 5e-6;
    double beta1 = 0.9, beta2 = 0.999, adamEps = 1e-8;
    double weightDecay = 0.01;
    double maxGradNorm = 1.0;
    // Loss weights and switches.
    double stcaWeight = 0.01; ///< λ2
    double videoWeight = 1.0; ///< λ1
    bool regionLoss = true;   ///< false: plain ε-MSE on the photos
    bool stcaLoss = true;
    bool videoLoss = true;
    int64_t maxImagesPerStep = 10; ///< the reference's image batch size
    int64_t videoFrames =
        24; ///< frames per preservation micro-batch (clips shorter than this are used whole)
    // What trains.
    int64_t loraRank = 0; ///< 0 = full UNet; ≥ 1 = LoRA of that rank on the attention projections
    double loraAlpha = 0; ///< 0 = rank
    /** Recompute each UNet sub-module's activations in backward instead of keeping them (checkpoint.h):
     *  about one more forward pass of time for a fraction of the activation memory. */
    bool gradientCheckpointing = false;
    /** What the forward passes compute in: float32 (plain, the CPU's only choice), or on a CUDA device
     *  autocast to BFloat16 or Half with float32 weights and AdamW state, Half with dynamic loss scaling
     *  (mixed_precision.h). Half precision on another device is refused (std::invalid_argument). */
    c10::ScalarType computeDtype = c10::ScalarType::Float;
    uint64_t seed = 0;
    std::string baseModelHash; ///< recorded in the saved weights' metadata when given
};

/** The subject photos of all learned subjects, preprocessed (method §3, ruling 13). */
struct TrainingImages {
    torch::Tensor pixels; ///< [N, 3, H, W] float in [−1, 1], letterboxed
    torch::Tensor masks;  ///< [N, 1, H, W] float, 0 or 1, letterboxed like the photos
    torch::Tensor
        text; ///< [N, tokens, D]: the frozen text encoder's last hidden state of each photo's prompt
    std::vector<std::vector<int64_t>>
        phraseTokens; ///< per photo: positions of "identifier class" in its prompt
};

/** One captioned preservation clip (method §5). */
struct PreservationVideo {
    torch::Tensor frames; ///< [3, F, H, W] float in [−1, 1], same H×W as the photos
    torch::Tensor text;   ///< [1, tokens, D] caption embedding
    std::string name;     ///< for messages
};

/** The losses of one optimizer step (0 for a switched-off term). */
struct StepLosses {
    int64_t step = 0; ///< number of optimizer steps done after this one
    double loss = 0;  ///< (L_img + L_vid)/2
    double subject = 0, stca = 0, video = 0;
};

class SubjectTrainer {
public:
    /**
     * Prepares training: freezes what does not train, creates the LoRA adapter when asked, the AdamW
     * optimizer, and the posteriors of every photo and clip frame (one VAE pass each; progress stage
     * "encode"). Throws std::invalid_argument for inconsistent inputs (shapes, empty photo set, no clip while
     * the video loss is on, sizes that are not multiples of the VAE scale factor). Without a VAE (`vae` null,
     * benchmarks), `pixels` [N, C, h, w] and `frames` [C, F, h, w] are taken as unscaled latent means with
     * zero spread; masks keep their pixel size.
     */
    SubjectTrainer(std::shared_ptr<UNet3DConditionModelImpl> unet, std::shared_ptr<AutoencoderKLImpl> vae,
                   const DDIMScheduler& noiseSchedule, TrainingImages images,
                   std::vector<PreservationVideo> videos, SubjectTrainingOptions options,
                   const JobControl& control = {});
    ~SubjectTrainer();

    /**
     * One optimizer step (see the file comment). Checks the cancel token before each micro-batch: a cancel
     * throws JobCancelled and leaves the weights and optimizer as they were after the last completed step.
     */
    StepLosses step(const JobControl& control = {});

    /**
     * The losses of the current weights on a batch drawn from `evalSeed` (same composition as a step: photos
     * + one clip), without gradients or update. A fixed seed gives a fixed batch, noise and timesteps.
     */
    StepLosses evaluate(uint64_t evalSeed);

    /**
     * Steps until `totalSteps` steps are done (counting resumed ones), reporting progress stage "train"
     * (done/total, values "loss", "L_sub", "L_stca", "L_vid"). Writes a resume checkpoint to `checkpointDir`
     * every `checkpointEvery` steps (0 = never) and, on a cancel, one for the last completed step before
     * rethrowing JobCancelled. Returns the losses of the steps it ran.
     */
    std::vector<StepLosses> train(int64_t totalSteps, const JobControl& control = {},
                                  const std::string& checkpointDir = {}, int64_t checkpointEvery = 0);

    int64_t steps_done() const { return m_step; }
    bool is_lora() const { return m_lora != nullptr; }
    const SubjectTrainingOptions& options() const { return m_options; }
    /** Number of trained scalars (all UNet parameters, or the LoRA A/B entries). */
    int64_t trainable_parameters() const;

    /**
     * Writes a resume checkpoint into `dir` (created): weights.safetensors (trained weights with metadata),
     * optimizer.pt (AdamW state, torch::save) and state.json (step, seed, kind, rank). The folder is replaced
     * atomically (written under a temporary name, then renamed).
     */
    void save_checkpoint(const std::string& dir) const;
    /**
     * Restores a checkpoint written by save_checkpoint with the same kind, rank and seed (checked). Throws
     * std::runtime_error naming the folder and the problem.
     */
    void load_checkpoint(const std::string& dir);
    /** True when `dir` holds a complete resume checkpoint. */
    static bool has_checkpoint(const std::string& dir);

    /**
     * Saves the result the pipeline loads (apply_checkpoint): the full UNet's weights, or the LoRA A/B, as
     * safetensors (atomic), metadata kind, rank, alpha, step, seed and base_model_hash (when given).
     */
    void save_weights(const std::string& path) const;
    /** The metadata save_weights writes. */
    std::map<std::string, std::string> weights_metadata() const;

private:
    struct Posterior {
        torch::Tensor mean, std; ///< [N, C, h, w]
    };
    StepLosses losses(at::Generator& gen, bool backward, const JobControl& control);
    torch::Tensor sampleLatents(const Posterior& p, const torch::Tensor& rows, at::Generator& gen) const;
    std::vector<torch::Tensor> trainedParameters() const;
    TensorMap trainedState() const;

    std::shared_ptr<UNet3DConditionModelImpl> m_unet;
    DDIMScheduler m_schedule;
    TrainingImages m_images;
    std::vector<PreservationVideo> m_videos;
    SubjectTrainingOptions m_options;
    double m_scaling = 0.18215;
    Posterior m_imagePosterior;
    std::vector<Posterior> m_videoPosteriors;
    std::unique_ptr<LoraAdapter> m_lora;
    std::unique_ptr<torch::optim::Optimizer> m_optimizer;
    std::unique_ptr<LossScaler> m_scaler; ///< fp16 autocast only
    bool m_autocast = false;
    int64_t m_step = 0;
};

/** The components subject learning needs, from a diffusers folder (fp32, UNet in train mode later). */
struct TrainingModels {
    std::shared_ptr<UNet3DConditionModelImpl> unet;
    std::shared_ptr<AutoencoderKLImpl> vae;
    ClipTextModel textEncoder{nullptr};
    std::shared_ptr<const ClipTokenizer> tokenizer;
    SchedulerConfig scheduler; ///< the model's scheduler config: its betas drive the DDPM forward noising
    int64_t unetParameters = 0, frozenParameters = 0; ///< frozen = VAE + text encoder
};

/**
 * Loads UNet, VAE, text encoder, tokenizer (or `tokenizerDir`) and the scheduler config of a diffusers
 * text-to-video folder onto `device` (float32; weights read on the CPU and copied tensor by tensor). Every
 * weight key must match. Throws std::runtime_error naming the folder/file.
 */
TrainingModels load_training_models(const std::string& modelDir, const std::string& tokenizerDir = {},
                                    const torch::Device& device = torch::kCPU);

/** The frozen text encoder's last hidden state of each prompt (77 tokens, max-length padding): [N, 77, D]. */
torch::Tensor encode_prompts(TrainingModels& models, const std::vector<std::string>& prompts);

/** Rough peak memory of a training run, for refusing runs that cannot fit (ruling 20). */
struct TrainingMemoryEstimate {
    double weightsBytes = 0;       ///< UNet + VAE + text encoder weights
    double trainingStateBytes = 0; ///< gradients + AdamW moments of what trains
    double activationBytes = 0;    ///< largest micro-batch's saved activations (estimate)
    double totalBytes() const { return weightsBytes + trainingStateBytes + activationBytes; }
};

/**
 * Estimates the peak memory of training with `unetParams` UNet parameters (`loraParams` adapter parameters
 * when LoRA, else 0) and `otherParams` frozen parameters (VAE + text encoder), at latent size h×w with
 * `images` photos and `frames` video frames per step. Activations are estimated per layer from the config:
 * resnets, temporal convs, attention inputs/outputs and the stored softmax probabilities of self-,
 * cross- and temporal attention (which dominate at full resolution). With gradient checkpointing: the stored
 * inputs of every checkpointed sub-module, plus the largest single sub-module while it is recomputed, plus
 * the STCA layers (never checkpointed: their probabilities feed the loss).
 */
TrainingMemoryEstimate estimate_training_memory(const UNet3DConfig& config, int64_t unetParams,
                                                int64_t loraParams, int64_t loraAdaptedParams,
                                                int64_t otherParams, int64_t latentH, int64_t latentW,
                                                int64_t images, int64_t frames, int64_t tokens = 77,
                                                bool gradientCheckpointing = false);

/**
 * LoRA parameters an adapter of `rank` would create on `unet` (from its attention projections' shapes), and
 * in `adaptedWeights` the size of the projection weights it recomputes every forward.
 */
int64_t lora_parameter_count(torch::nn::Module& unet, int64_t rank, int64_t* adaptedWeights = nullptr);

/** Benchmark of training steps on random weights (bench train). */
struct TrainBenchOptions {
    std::string configPath; ///< UNet config.json (random, seeded weights)
    int64_t width = 256, height = 144, latentScale = 8;
    int64_t images = 5, frames = 8;
    int64_t loraRank = 0; ///< 0 = full UNet
    bool gradientCheckpointing = false;
    int steps = 3, warmup = 1, threads = 2;
    uint64_t seed = 0;
    /** Where it trains (the weights are drawn on the CPU from `seed`, then moved) and what the forward
     *  passes compute in (SubjectTrainingOptions::computeDtype). */
    torch::Device device = torch::kCPU;
    c10::ScalarType computeDtype = c10::ScalarType::Float;
};
struct TrainBenchResult {
    int64_t parameters = 0, trainable = 0;
    std::vector<double> stepSeconds;
    double medianSeconds = 0;
    double peakRssGiB = 0;
    double peakDeviceGiB = -1; ///< the CUDA allocator's peak over the timed steps; −1 where not known
    double estimatedGiB = 0;   ///< estimate_training_memory for the same run
};
/** Runs optimizer steps (image micro-batch + video micro-batch + AdamW) on random latents and text. */
TrainBenchResult bench_training(const TrainBenchOptions& options);

} // namespace mb::ml
