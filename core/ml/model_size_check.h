#pragma once
/**
 * \file model_size_check.h
 * \brief A model's parameter bytes computed from its config before anything is allocated, so a config such
 *        as `block_out_channels [20000]` is refused with a message naming the config file instead of
 *        allocating until LibTorch's allocator (or the kernel) gives up.
 *
 * No torch types: the count is arithmetic on the config (diffusers' UNet3DConditionModel layout; exact,
 * checked against the Zeroscope parameter count and the tiny model built here).
 */
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace mb::ml {

/**
 * The number of parameters of the UNet3DConditionModel that `config` (a unet/config.json) describes, or
 * nothing when `config` is not such a config or a field it needs is missing or of the wrong type (the
 * config's own parser reports those). Computed in floating point, so absurd widths cannot overflow.
 */
std::optional<double> unet3d_parameter_count(const nlohmann::json& config);

/** The memory this process can have: the machine's MemTotal, or a smaller cgroup limit. 0 when unknown. */
std::uint64_t machine_memory_bytes();

/**
 * Throws std::runtime_error naming `configPath` when `config` describes a model whose float32 parameters
 * alone need more than `memoryBytes` (0: machine_memory_bytes()), e.g. "CONFIG: this UNet3D config
 * (block_out_channels [20000], layers_per_block 2) has 231544.2 M parameters, 862.6 GB in float32, more than
 * the 125.0 GB of memory this machine has: refusing to build it". Does nothing for configs of other models.
 */
void check_config_fits_memory(const nlohmann::json& config, const std::string& configPath,
                              std::uint64_t memoryBytes = 0);

} // namespace mb::ml
