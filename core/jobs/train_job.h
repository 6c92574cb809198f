#pragma once
/**
 * \file train_job.h
 * \brief Subject learning as a job: fine-tunes the project's model on its learned subjects' photos (with
 *        masks) and captioned preservation clips, and writes a checkpoint the renderer applies.
 *
 * Torch-free header: the editor runs trainSubjects on a worker thread, the CLI on its main thread.
 *
 * What it does (method §3–§6, rulings 11, 13, 20, 21):
 *  - every learned subject gets a rare single-token identifier from the real CLIP vocabulary: its own when it
 *    is one and not taken by an earlier subject, else the next free one of rareIdentifierTokens() (`sks`
 *    first); training prompt "a <identifier> <class name>";
 *  - photos and masks are letterboxed to the training size as the reference trains (squash to S×S, S = the
 *    shorter side, then zero-pad; masks nearest + binarised), or aspect-preserving (fit, then pad) when the
 *    project says so; a photo without a mask counts as all subject (its padding excluded), with a warning;
 *  - preservation clips come from a folder of NAME.mp4 + NAME.txt (caption), each frame resized to the
 *    training size;
 *  - before loading anything big it estimates peak memory from the weight files' headers and the config,
 *    against the machine's available memory on the CPU or the card's free memory on CUDA (the estimate
 *    counts float32 activations, so it is conservative for bf16/fp16 autocast);
 *    full-UNet AdamW is used when it fits, else LoRA (rank 4 unless asked), and a run that cannot fit is
 *    refused with a message saying what would;
 *  - periodic resume checkpoints go to `<project>.checkpoints/resume`; a cancelled run leaves one there
 *    and `resume` continues it bit-identically;
 *  - the result, `<project>.checkpoints/subjects.safetensors` (full UNet or LoRA, with metadata), is what the
 *    caller sets as project.render.checkpoint; `<project>` is the project file after symbolic links, and
 *    the path returned is absolute, whatever the current folder and however `projectPath` was given.
 * Progress stages: "load", "encode", "train" (values "loss", "L_sub", "L_stca", "L_vid"), "save".
 */
#include "doc/job.h"
#include "doc/project.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace mb {

struct TrainRequest {
    std::string projectPath;     ///< the project file: checkpoints go next to it (`<project>.checkpoints/`)
    std::string model;           ///< overrides the project's model folder
    std::string preservationDir; ///< NAME.mp4 + NAME.txt clips; empty = the bundled resources/preservation
    int steps = 300;             ///< optimizer steps (the reference's max_train_steps)
    int loraRank = -1; ///< −1 = automatic (full UNet when it fits, else LoRA rank 4); 0 = full; ≥ 1 = LoRA
    bool regionLoss = true, stcaLoss = true, videoLoss = true;
    bool resume = false;       ///< continue from `<project>.checkpoints/resume` when present
    int threads = 0;           ///< 0 = all cores
    int width = 0, height = 0; ///< training size; 0 = the shot's
    int frames = 0;            ///< frames per preservation micro-batch; 0 = the shot's
    std::uint64_t seed = 0;    ///< the reference's --seed default
    int checkpointEvery = 50;  ///< resume checkpoint period in steps (0 = only on cancel)
    double memoryLimitGiB = 0; ///< 0 = the machine's available memory
    /** −1 = automatic (only when the run would not fit without it), 0 = off, 1 = on (checkpoint.h). */
    int gradientCheckpointing = -1;
    /** Where it trains: "auto" (the first CUDA device LibTorch sees, else the CPU), "cpu", "cuda",
     *  "cuda:N"; a device this build or machine lacks is refused before anything loads. */
    std::string device = "auto";
    /** What the forward passes compute in: "auto", "fp32", "bf16", "fp16" (ml/compute_precision.h,
     *  resolve_training_precision: fp32 on the CPU; on CUDA bf16 or fp16 autocast with float32 weights). */
    std::string precision = "auto";
};

struct TrainResult {
    std::string checkpoint; ///< the safetensors to set as project.render.checkpoint (an absolute path)
    std::string kind;       ///< "full" or "lora"
    int loraRank = 0;
    bool gradientCheckpointing = false;
    int stepsDone = 0;
    double seconds = 0;
    double secondsPerStep = 0;
    double finalLoss = 0;
    double estimatedGiB = 0;                        ///< the memory estimate it ran under
    std::string device;                             ///< "cpu" or "cuda:N"
    std::string precision;                          ///< "fp32", "bf16" or "fp16"
    std::map<std::string, std::string> identifiers; ///< subject id → identifier it was trained with
    std::vector<std::string> warnings;
};

/**
 * Rare single tokens of the real CLIP vocabulary used as identifiers, in order of preference:
 * `sks` (id 48136, the reference's), then `ohwx` (47993), `phol` (48140), `hta` (49384): each one BPE token
 * late in the merge order (rare in CLIP's training text) and not a common English word.
 */
const std::vector<std::string>& rareIdentifierTokens();

/**
 * Assigns identifiers to the learned subjects (see the file comment): returns subject id → identifier.
 * `isSingleToken` tells whether a word is one token of the real vocabulary. Throws when subjects outnumber
 * the available identifiers.
 */
std::map<std::string, std::string>
assignIdentifiers(const Project& project, const std::function<bool(const std::string&)>& isSingleToken);

/**
 * Trains the project's learned subjects. Throws runtime_error with a clear message (no learned subject, a
 * missing or unreadable photo/mask/clip naming the file, sizes the VAE cannot take, not enough memory with
 * the estimate), JobCancelled when cancelled (a resume checkpoint of the last completed step is kept).
 */
TrainResult trainSubjects(const Project& project, const TrainRequest& request,
                          const JobControl& control = {});

} // namespace mb
