#pragma once
/**
 * \file model_loader.h
 * \brief Reading a diffusers model folder (configs + safetensors weights) and copying weights into modules.
 *
 * A diffusers folder holds `model_index.json` and one sub-folder per component (`unet`, `vae`,
 * `text_encoder`, `scheduler`, `tokenizer`), each with `config.json` (`scheduler_config.json` for the
 * scheduler) and a weight file: `diffusion_pytorch_model.safetensors` (diffusers models) or
 * `model.safetensors` (transformers models), or a sharded set described by
 * `<weights>.safetensors.index.json`. Optional variants (`fp16`) are named
 * `diffusion_pytorch_model.fp16.safetensors`.
 *
 * Weights are copied by exact key name: every parameter/buffer name of the torch::nn::Module (its
 * named_parameters()/named_buffers(), which our modules make equal to the reference state_dict keys) is
 * looked up in the file. The report lists missing, unexpected and mis-shaped keys by name. Two historical
 * spellings are accepted: `text_model.embeddings.position_ids` (a buffer old transformers saved) is
 * ignored, and old VAE attention names `query/key/value/proj_attn` map to `to_q/to_k/to_v/to_out.0`.
 * A shape mismatch always throws (after listing every mis-shaped key), so a wrong config fails loudly.
 */
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/nn/module.h>

#include "ml/safetensors.h"

namespace mb::ml {

/** Reads a JSON file; throws std::runtime_error naming the file when it is missing or malformed. */
nlohmann::json read_json_file(const std::string& path);

/** One entry of model_index.json: component name → (library, class), e.g. unet → (diffusers,
 * UNet3DConditionModel). */
struct ComponentEntry {
    std::string library;
    std::string className;
};

/** A diffusers pipeline folder. */
struct ModelFolder {
    std::string root;                                 ///< folder path as given
    std::string pipelineClass;                        ///< model_index.json "_class_name"
    std::map<std::string, ComponentEntry> components; ///< non-null entries of model_index.json
    /** `<root>/<component>` (does not check existence). */
    std::string componentDir(const std::string& component) const;
};

/** Reads `<dir>/model_index.json`; throws naming the file on errors. */
ModelFolder open_model_folder(const std::string& dir);

/**
 * The config of a component folder: `config.json`, or `scheduler_config.json` when that is what exists.
 * Throws naming the folder when neither exists.
 */
nlohmann::json read_component_config(const std::string& componentDir);

/**
 * The safetensors files holding a component's weights, in load order. Looks for (with `variant` "fp16":
 * `<base>.fp16.safetensors`) `diffusion_pytorch_model.safetensors`, `model.safetensors`, then the sharded
 * indexes `<base>.safetensors.index.json`; failing those, PyTorch `.bin` weights (single or sharded
 * `*.bin.index.json`), which are read by the restricted checkpoint reader (weights_file.h), never unpickled.
 * Throws naming the folder when none exists.
 */
std::vector<std::string> component_weight_files(const std::string& componentDir,
                                                const std::string& variant = {});

/** All weights of a component folder (sharded sets merged; a key in two shards is an error). */
TensorMap read_component_weights(const std::string& componentDir, torch::Dtype floatDtype = torch::kFloat32,
                                 const std::string& variant = {});

/** Outcome of copying weights into a module. */
struct KeyReport {
    std::string source;                  ///< file or folder the weights came from
    std::vector<std::string> loaded;     ///< module keys that received a tensor
    std::vector<std::string> missing;    ///< module keys the source lacks (left as they were)
    std::vector<std::string> unexpected; ///< source keys the module lacks
    std::vector<std::string> mismatched; ///< "key: module [a, b] vs file [c, d]"
    std::vector<std::string> renamed;    ///< "old → new" spellings that were accepted
    std::vector<std::string> ignored;    ///< source keys deliberately skipped (e.g. position_ids)
    /** True when nothing is missing, unexpected or mis-shaped. */
    bool complete() const { return missing.empty() && unexpected.empty() && mismatched.empty(); }
    /** Human-readable one-paragraph summary listing up to `maxNames` names per category. */
    std::string summary(size_t maxNames = 20) const;
};

struct LoadOptions {
    /** Throw when any module key is missing from the source or the source has keys the module lacks. */
    bool requireComplete = false;
};

/**
 * Copies `tensors` into `module`'s parameters and buffers by key (values are converted to each parameter's
 * dtype and device). Throws std::runtime_error naming `source` and the keys when any shape differs, or
 * when options.requireComplete and the key sets differ. Otherwise returns the report.
 */
KeyReport load_weights(torch::nn::Module& module, const TensorMap& tensors, const std::string& source,
                       const LoadOptions& options = {});

/**
 * Same as load_weights, streaming tensor by tensor from the component folder's safetensors file(s), so peak
 * memory is the model plus one tensor (the way to load a real 5.6 GB UNet).
 */
KeyReport load_component_weights(torch::nn::Module& module, const std::string& componentDir,
                                 const LoadOptions& options = {}, const std::string& variant = {});

} // namespace mb::ml
