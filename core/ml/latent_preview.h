#pragma once
/**
 * \file latent_preview.h
 * \brief A cheap picture of latents without the VAE: one linear map per latent channel to RGB.
 *
 * While a take denoises, each step predicts the clean latents x₀; mapping them to RGB by a fixed linear map
 * (rgb = factors·z + bias per latent cell, then [−1, 1] → [0, 255]) costs almost nothing and shows where the
 * take is going, so an artist can cancel early. The map belongs to a VAE:
 *  - a model folder may carry its own in `vae/latent_rgb.json` ({"factors": [[C values] × 3], "bias": [3]}),
 *    fitted by least squares on that VAE's latents of real frames (fit_latent_rgb_map);
 *  - the Stable Diffusion VAE family (4 latent channels, scale factor 8: Zeroscope, ModelScope) has widely
 *    published factors, used when the folder has none.
 * Maps act on latents as the denoising loop holds them (multiplied by the VAE's scaling_factor).
 */
#include <array>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/types.h>

namespace mb::ml {

struct LatentRgbMap {
    std::vector<std::array<double, 3>> factors; ///< per latent channel: its R, G, B weights
    std::array<double, 3> bias{0, 0, 0};
    std::string source; ///< "vae/latent_rgb.json", "published SD-VAE factors"

    nlohmann::json to_json() const;
    /** Throws std::runtime_error naming `source` for a malformed map (wrong shape, non-finite numbers). */
    static LatentRgbMap from_json(const nlohmann::json& j, const std::string& source);
};

/** The map for a model folder's VAE (see the file comment), or nothing when there is none for it. Throws
 *  std::runtime_error naming the file when `vae/latent_rgb.json` exists but is malformed. */
std::optional<LatentRgbMap> latent_rgb_map_for(const std::string& modelDir, int64_t latentChannels,
                                               int64_t vaeScaleFactor);

/** The preview of latents [1, C, F, h, w] (or [C, F, h, w]): uint8 RGB frames [F, h, w, 3] on the CPU. */
torch::Tensor latent_preview_rgb(const LatentRgbMap& map, const torch::Tensor& latents);

/**
 * Least-squares map from scaled latents [N, C, h, w] to the images they encode [N, 3, H, W] in [−1, 1]
 * (each image area-averaged to h×w first): minimises Σ |factors·z + bias − rgb|² over every latent cell.
 */
LatentRgbMap fit_latent_rgb_map(const torch::Tensor& latents, const torch::Tensor& images);

} // namespace mb::ml
