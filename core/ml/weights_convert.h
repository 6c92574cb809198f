#pragma once
/**
 * \file weights_convert.h
 * \brief Torch-free entry points for offering and running the `.bin` → safetensors conversion (for ui/).
 *
 * The editor must not include torch headers, so this header exposes what it needs with plain types:
 * finding the component folders of a model whose weights exist only as pickled PyTorch `.bin` files, and
 * running convert_weights (weights_file.h) with the dtype given by name. Both throw std::runtime_error naming
 * the file or folder on problems.
 */
#include <string>
#include <vector>

#include "doc/job.h"

namespace mb::ml {

/**
 * The folders of `modelDir` (the folder itself and its direct sub-folders, i.e. the diffusers components)
 * that have pickled `.bin` weights (single or sharded) and no safetensors weights: what a conversion would
 * speed up. Empty when there are none or `modelDir` is not a folder.
 */
std::vector<std::string> folders_needing_conversion(const std::string& modelDir);

/**
 * convert_weights(input, output, dtype, job) with `dtypeName` "" (keep every stored dtype, bit-exact),
 * "fp32", "fp16" or "bf16" (floating tensors only). Returns the safetensors files written. Throws
 * std::invalid_argument for an unknown dtype name, std::runtime_error (naming the file) otherwise, and
 * mb::JobCancelled when `job` is cancelled between files.
 */
std::vector<std::string> convert_weights_to_safetensors(const std::string& input, const std::string& output,
                                                        const std::string& dtypeName = {},
                                                        const JobControl& job = {});

} // namespace mb::ml
