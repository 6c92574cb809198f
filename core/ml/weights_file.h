#pragma once
/**
 * \file weights_file.h
 * \brief One entry point for every weights file format MotionBooth reads, chosen by content.
 *
 * safetensors files go to read_safetensors (safetensors.h); PyTorch checkpoints (`torch.save` zip or legacy
 * format, whatever the extension: `.bin`, `.pt`, `.pth`, `.ckpt`) go to the restricted, non-executing reader
 * of torch_checkpoint.h. TorchScript archives, bare pickles and unknown files are refused with a message
 * naming the file and what it is.
 */
#include <optional>
#include <string>
#include <vector>

#include "doc/job.h"
#include "ml/safetensors.h"

namespace mb::ml {

/**
 * Every tensor of the weights file `path` (a PyTorch checkpoint's state dict; see torch_checkpoint.h for
 * how it is found). Floating tensors are converted to `floatDtype`, integer ones keep their dtype.
 * Throws std::runtime_error naming the file on any problem.
 */
TensorMap read_weights_file(const std::string& path, torch::Dtype floatDtype = torch::kFloat32);

/** Same, with every tensor in its stored dtype (what `convert` writes). */
TensorMap read_weights_file_raw(const std::string& path);

/** True when `path` holds a PyTorch checkpoint (zip or legacy torch.save format), judged by content. */
bool is_torch_checkpoint(const std::string& path);

/**
 * The pickled `.bin` weights of a diffusers/transformers component folder, for when it has no
 * safetensors: `diffusion_pytorch_model[.variant].bin` or `pytorch_model[.variant].bin`, or the shards listed
 * by `<that name>.index.json` (sorted, each a plain file name in the folder). Empty when there are none.
 * Throws naming the index file when it is malformed.
 */
std::vector<std::string> pickle_weight_files(const std::string& componentDir,
                                             const std::string& variant = {});

/** One file `convert_weights` wrote. */
struct ConvertedFile {
    std::vector<std::string> sources; ///< the checkpoint(s) read (several for a sharded set)
    std::string output;               ///< the safetensors file written
    size_t tensors = 0;
    uint64_t bytes = 0; ///< tensor bytes written
};

/**
 * Converts PyTorch checkpoints to safetensors with the same keys, so later loads are fast and pickle-free.
 *  - `input` a file (any torch.save checkpoint, or a safetensors file to re-type): writes `output`, or
 *    `output/<stem>.safetensors` when `output` is an existing folder.
 *  - `input` a folder (a diffusers model folder or one component folder): mirrors it into the folder `output`
 *    (created; must not be `input`), copying every other file unchanged and replacing each component's
 * pickled weights by safetensors: `diffusion_pytorch_model[.variant].bin` →
 * `diffusion_pytorch_model[.variant].safetensors`, `pytorch_model[.variant].bin` →
 * `model[.variant].safetensors`; a sharded `.bin.index.json` set is merged into that one file. Folders that
 * already have safetensors weights are copied as they are. Floating tensors are cast to `dtype` when given,
 * otherwise every tensor keeps its stored dtype (bit-exact). Each output is written atomically
 * (write_safetensors). Progress is reported per file (stage "convert"); cancel is honoured between files.
 * Throws std::runtime_error naming the file on any problem.
 */
std::vector<ConvertedFile> convert_weights(const std::string& input, const std::string& output,
                                           std::optional<torch::Dtype> dtype = std::nullopt,
                                           const JobControl& job = {});

} // namespace mb::ml
