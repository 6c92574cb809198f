#pragma once
/**
 * \file pipeline.h
 * \brief Text-to-video generation (diffusers' TextToVideoSDPipeline, N §7): prompt → CLIP → DDIM/CFG → VAE.
 *
 * One generate() call:
 *  1. tokenizes prompt and negative prompt (default "") to 77 ids and runs the text encoder
 *     (last_hidden_state); with guidance > 1 the embeddings are `cat([negative, positive])` (uncond first);
 *  2. initial latents [1, C, F, H/s, W/s]: the given ones, or N(0,1) from a CPU torch generator seeded with
 *     `seed` (deterministic: the same numbers Python's `torch.randn(shape, generator=Generator().manual_seed
 *     (seed))` gives), times the sampler's init_noise_sigma, moved to the device of the text encoder: a seed
 *     starts from the same latents on every device;
 *  3. denoise(): for each of the sampler's steps i (timestep t): the hooks' before_step may replace the
 *     latents; the UNet runs on the sampler's scaled model input in the compute dtype, conditional and
 *     unconditional halves as one batch-2 call, two batch-1 calls (split) or two concurrent calls;
 *     `guided = u + g·(c − u)` in float32; `latents = sampler.step(guided, i, latents)`; then the
 *     JobControl gets progress ("denoise", step, steps) and the optional per-step callback gets the latents
 *     and the step's prediction of the clean latents (previews); cancel is checked before every step and
 *     before decoding (JobCancelled, nothing returned);
 *  4. VAE decode of `latents · (1/scaling_factor)` frame-sliced (decode_frames_per_batch frames at a time;
 * the VAE is per-frame so slicing does not change the result) → video [F, 3, H, W] in ≈[-1, 1];
 *  5. frames = `(video/2 + 0.5).clamp(0, 1)` as [F, H, W, 3] float32, or uint8 via `round(x·255)`, on the
 * CPU.
 *
 * Devices: the loop runs where the text encoder's weights are (the UNet and the VAE must be on that device
 * too, load_text_to_video_pipeline puts all three there); every tensor it makes is made there or moved there,
 * the sampler's arithmetic included. Only the frames come back to the CPU.
 *
 * This is the one denoising loop: plain generation, MotionBooth's controlled generation (motion_control.h,
 * through DenoiseHooks) and every sampler run through it.
 *
 * The UNet and the VAE decoder are plain callables, so the pipeline does not depend on how they are built
 * (MotionBooth wraps the UNet call to edit cross-attention on the conditional half, ruling 18).
 * load_text_to_video_pipeline() (pipeline_load.cpp) assembles one from a diffusers model folder.
 * Only core/ml includes this header (torch types).
 */
#include "doc/job.h"
#include "ml/clip_text_model.h"
#include "ml/sampler.h"
#include "ml/scheduler.h"
#include "ml/tokenizer.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <torch/types.h>

namespace mb::ml {

class UNet3DConditionModelImpl;
class AutoencoderKLImpl;

/**
 * The denoiser: sample [B, C, F, h, w], integer timestep t, text embeddings [B, 77, D] → noise prediction
 * with the sample's shape. Called without autograd (the pipeline holds a NoGradGuard).
 */
using UnetFn =
    std::function<torch::Tensor(const torch::Tensor& sample, int64_t t, const torch::Tensor& text)>;
/** The VAE decoder: latents [N, C, h, w] (already divided by the scaling factor) → images [N, 3, H, W]. */
using VaeDecodeFn = std::function<torch::Tensor(const torch::Tensor& latents)>;

/** Sizes the pipeline needs from the UNet/VAE configs. */
struct PipelineGeometry {
    int64_t latent_channels = 4;  ///< unet in_channels
    int64_t vae_scale_factor = 8; ///< 2^(len(vae.block_out_channels) − 1)
    double vae_scaling_factor = 0.18215;
    int64_t default_sample_size = 32; ///< unet sample_size: default height/width = this × vae_scale_factor
};

enum class FrameFormat { Float, Uint8 };

/** Everything one generation takes. Zero height/width mean the model's default size. */
struct TextToVideoParams {
    std::string prompt;
    std::string negative_prompt; ///< "" = the reference default
    int64_t num_frames = 16;
    int64_t height = 0;
    int64_t width = 0;
    int64_t num_inference_steps = 50;
    double guidance_scale = 9.0; ///< CFG on iff > 1
    uint64_t seed = 0;
    torch::Tensor latents; ///< optional initial latents [1, C, F, h, w] (then `seed` is unused)
    FrameFormat format = FrameFormat::Float;
    bool split_cfg_batch = false;        ///< two batch-1 UNet calls instead of one batch-2 call (less memory)
    int64_t decode_frames_per_batch = 8; ///< VAE frame slice (≥ 1)
    SamplerKind sampler = SamplerKind::Ddim;
    /** What the UNet computes in (its weights must be in this dtype: PipelineLoadOptions::unet_dtype);
     *  the sampler, guidance and decoding stay float32. */
    torch::ScalarType compute_dtype = torch::kFloat32;
};

/** Intermediates for parity tests and debugging (filled only when a trace is passed). */
struct PipelineTrace {
    std::vector<int64_t> cond_input_ids, uncond_input_ids;
    torch::Tensor prompt_embeds;                   ///< [2 or 1, 77, D] (uncond first with CFG)
    torch::Tensor init_latents;                    ///< [1, C, F, h, w]
    torch::Tensor timesteps;                       ///< int64 [N]
    std::vector<torch::Tensor> unet_inputs;        ///< per step, [2 or 1, C, F, h, w]
    std::vector<torch::Tensor> noise_pred_uncond;  ///< per step (CFG only)
    std::vector<torch::Tensor> noise_pred_text;    ///< per step
    std::vector<torch::Tensor> latents_after_step; ///< per step, [1, C, F, h, w]
    torch::Tensor video_raw;                       ///< [1, 3, F, H, W] VAE output (not clamped)
    torch::Tensor video_pt;                        ///< [1, F, 3, H, W] in [0, 1]
};

struct TextToVideoResult {
    torch::Tensor frames;  ///< [F, H, W, 3], float32 in [0, 1] or uint8
    torch::Tensor latents; ///< final latents [1, C, F, h, w]
};

/** Called after every denoising step with (step index 0-based, timestep, latents after the step, and the
 *  step's prediction of the clean latents x₀ — the cheap preview of where the take is going). */
using StepCallback = std::function<void(int64_t step, int64_t timestep, const torch::Tensor& latents,
                                        const torch::Tensor& predicted_clean)>;

/** How one denoising run goes. */
struct DenoiseSettings {
    int64_t num_inference_steps = 50;
    double guidance_scale = 9.0; ///< CFG on iff > 1
    SamplerKind sampler = SamplerKind::Ddim;
    bool split_cfg_batch = false; ///< two batch-1 UNet calls instead of one batch-2 call (less memory)
    /** The two CFG passes side by side, one thread each with single-threaded ops (parallel_ops.h
     *  run_concurrently); implies split. Equal up to BLAS summation order, fixed per setting. CPU only: on
     *  an accelerator the passes run one after the other (split). */
    bool concurrent_passes = false;
    torch::ScalarType compute_dtype = torch::kFloat32; ///< the UNet's dtype (see TextToVideoParams)
};

/** Per-step hooks of the denoising loop: how MotionBooth's training-free controls act on it. */
struct DenoiseHooks {
    /** Before step i's UNet passes, with the latents the step starts from; returns the latents to denoise
     *  (the latent shift moves them). Empty = unchanged. */
    std::function<torch::Tensor(int64_t step, const torch::Tensor& latents)> before_step;
    /** Runs step i's conditional pass instead of the plain UNet (the attention edit hooks in here); takes
     *  the model input and text embeddings [1, 77, D] in the compute dtype. Empty = the plain UNet. A hook
     *  forces split passes (the edit acts on the conditional half only). */
    std::function<torch::Tensor(int64_t step, const torch::Tensor& sample, int64_t t,
                                const torch::Tensor& text)>
        conditional;
    /** Runs step i's unconditional pass instead of the plain UNet (same arguments; never edited). */
    std::function<torch::Tensor(int64_t step, const torch::Tensor& sample, int64_t t,
                                const torch::Tensor& text)>
        unconditional;
};

class TextToVideoPipeline {
public:
    TextToVideoPipeline(std::shared_ptr<const ClipTokenizer> tokenizer, ClipTextModel text_encoder,
                        UnetFn unet, VaeDecodeFn vae_decode, SchedulerConfig scheduler,
                        PipelineGeometry geometry);

    /** last_hidden_state [1, 77, D] of one prompt, tokenized exactly like the reference (77, padded with
     * "!"). */
    torch::Tensor encode_prompt(const std::string& prompt, std::vector<int64_t>* ids = nullptr) const;

    /**
     * Runs one generation (see the file comment). Throws std::invalid_argument for bad parameters (size not
     * a multiple of the VAE scale factor, frames/steps < 1, latents of the wrong shape), mb::JobCancelled
     * when job.cancel was requested. Thread-compatible: one generate() at a time per pipeline.
     */
    TextToVideoResult generate(const TextToVideoParams& params, const mb::JobControl& job = {},
                               const StepCallback& on_step = {}, PipelineTrace* trace = nullptr);

    /**
     * The denoising loop alone (see the file comment), from text embeddings ([2, 77, D] uncond first with
     * CFG, else [1, 77, D]) and initial N(0, 1) latents (multiplied by the sampler's init_noise_sigma here).
     * Returns the final float32 latents.
     */
    torch::Tensor denoise(const torch::Tensor& prompt_embeds, const torch::Tensor& init_latents,
                          const DenoiseSettings& settings, const DenoiseHooks& hooks,
                          const mb::JobControl& job, const StepCallback& on_step,
                          PipelineTrace* trace = nullptr);

    /** VAE decode of latents [1, C, F, h, w] → video [1, 3, F, H, W] (N §7 step 5), frame-sliced. */
    torch::Tensor decode_latents(const torch::Tensor& latents, int64_t frames_per_batch = 8,
                                 const mb::JobControl& job = {}) const;

    /** N(0,1) latents [1, C, F, h, w] from a CPU generator seeded with `seed`. */
    torch::Tensor initial_latents(uint64_t seed, int64_t frames, int64_t height, int64_t width) const;

    const PipelineGeometry& geometry() const { return m_geometry; }
    const ClipTokenizer& tokenizer() const { return *m_tokenizer; }
    ClipTextModel& text_encoder() { return m_textEncoder; }
    const SchedulerConfig& scheduler_config() const { return m_schedulerConfig; }
    /** Replaces the denoiser (e.g. with a MotionBooth-controlled wrapper around it). */
    void set_unet(UnetFn unet) { m_unet = std::move(unet); }
    const UnetFn& unet() const { return m_unet; }

private:
    std::shared_ptr<const ClipTokenizer> m_tokenizer;
    ClipTextModel m_textEncoder;
    UnetFn m_unet;
    VaeDecodeFn m_vaeDecode;
    SchedulerConfig m_schedulerConfig;
    PipelineGeometry m_geometry;
};

/** Options for building a pipeline from a diffusers folder. */
struct PipelineLoadOptions {
    std::string variant;       ///< weight variant, e.g. "fp16" (weights up-cast to float32)
    std::string tokenizer_dir; ///< overrides <model>/tokenizer (e.g. resources/tokenizer-clip)
    /** The UNet computes in this dtype (bfloat16 for the CPU's bf16 mode, fp16/bf16 on CUDA); the text
     * encoder and the VAE stay float32 (diffusers decodes in float32 too). The UNet is converted before its
     * weights are read, so fp16 safetensors (`variant` "fp16") go straight into fp16 weights. */
    torch::ScalarType unet_dtype = torch::kFloat32;
    /** Where the three models run. Weights are read on the CPU and copied to the device tensor by tensor
     *  (a CUDA device never holds a second copy). */
    torch::Device device = torch::kCPU;
};

/**
 * Loads tokenizer, text encoder, UNet3D, VAE and scheduler from a diffusers TextToVideoSDPipeline folder
 * (model_index.json + component sub-folders, safetensors weights) onto options.device. `unet_module`, when
 * given, receives the UNet itself (MotionBooth calls it with a cross-attention hook and loads fine-tuned
 * weights into it); `vae_module` the VAE. Throws std::runtime_error naming the folder/file and problem
 * (missing component, mis-shaped or missing keys, bad config).
 */
TextToVideoPipeline
load_text_to_video_pipeline(const std::string& model_dir, const PipelineLoadOptions& options = {},
                            std::shared_ptr<UNet3DConditionModelImpl>* unet_module = nullptr,
                            std::shared_ptr<AutoencoderKLImpl>* vae_module = nullptr);

/**
 * A pipeline of the architecture in `config_dir` with seeded random weights (benchmarks and device checks of
 * a real-size model without its weights): configs as a diffusers folder (`unet/config.json`, …,
 * `scheduler/scheduler_config.json`) or side by side (`unet.config.json`, `vae.config.json`,
 * `text_encoder.config.json`, `scheduler.scheduler_config.json`, as tests/data/reference/zeroscope-keys).
 * options.tokenizer_dir is required (e.g. resources/tokenizer-clip); device and unet_dtype as for loading.
 * Its output is noise-like: the weights were never trained.
 */
TextToVideoPipeline
random_text_to_video_pipeline(const std::string& config_dir, uint64_t seed,
                              const PipelineLoadOptions& options = {},
                              std::shared_ptr<UNet3DConditionModelImpl>* unet_module = nullptr);

/** What `inspect` reports about one component of a model folder. */
struct ComponentReport {
    std::string name;       ///< "unet", "vae", "text_encoder", "tokenizer", "scheduler"
    std::string library;    ///< from model_index.json, e.g. "diffusers"
    std::string class_name; ///< e.g. "UNet3DConditionModel"
    std::string summary;    ///< one line: the config's architecture fields
    int64_t parameters = 0; ///< parameter count of the module built from config.json (0: no weights)
    std::vector<std::string> weight_files;
    std::string key_report;    ///< the loader's KeyReport summary (missing / unexpected / mis-shaped keys)
    bool keys_complete = true; ///< false when the loader found any key problem
    std::string error;         ///< non-empty when the component could not be built or loaded
};

/**
 * Inspects a diffusers model folder component by component: builds each module from its config, counts
 * parameters and loads the weights into it to collect key problems (one component in memory at a time).
 * Problems of a component are reported in its entry, not thrown; a missing/corrupt model_index.json throws.
 */
std::vector<ComponentReport> inspect_model_folder(const std::string& model_dir);

} // namespace mb::ml
