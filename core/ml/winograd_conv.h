#pragma once
/**
 * \file winograd_conv.h
 * \brief 3×3 convolution (stride 1, padding 1) by Winograd's minimal filtering F(2×2, 3×3).
 *
 * Why: on the Zeroscope UNet the 3×3 convolutions are about a third of all multiply-adds, and the step is
 * already at ~93% of this CPU's matrix-product rate, so the only way to be faster is fewer multiplies.
 * F(2×2, 3×3) computes each 2×2 output tile from a 4×4 input tile with 16 products per channel pair instead
 * of 36 (2.25× fewer), as 16 independent matrix products [K×C]·[C×tiles]: U = G·g·Gᵀ (weights, 4×4 per
 * channel pair), V = Bᵀ·d·B (input tiles), M = U ⊙ V summed over C (the 16 GEMMs), Y = Aᵀ·M·A (2×2 outputs),
 * with Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], Aᵀ = [1 1 1 0; 0 1 −1
 * −1]. The transforms are exact in binary except the ½ (also exact), so float32 results differ from a direct
 * convolution only by summation order (measured ≤ 1e-6 relative).
 *
 * Used without autograd only (inference); training keeps LibTorch's convolution, whose backward it needs.
 */
#include <torch/types.h>

namespace mb::ml {

/** True when conv3x3_winograd() applies and is expected to be faster than LibTorch's convolution. */
bool winograd_conv_worthwhile(const torch::Tensor& x, const torch::Tensor& weight);

/** x [N, C, H, W] float32, weight [K, C, 3, 3], bias [K] or undefined → [N, K, H, W] (padding 1). */
torch::Tensor conv3x3_winograd(const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias);

/**
 * The temporal convolution of the video UNet (Conv3d kernel (3,1,1), zero padding 1 in time) in the folded
 * layout: x [B·frames, C, H, W] (row b·frames + f), taps [3, K, C] (tap 0 multiplies frame f−1), bias [K] →
 * [B·frames, K, H, W]. By 1-D Winograd F(4, 3) over time: 4 output frames from 6 input frames with 6 channel
 * products instead of 12 (2× fewer), with the standard transforms
 *   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1],
 *   G = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1], Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0;
 *   0 1 1 4 4 0; 0 1 −1 8 −8 1]. Frames are padded to a multiple of 4 with zeros. Inference only.
 */
torch::Tensor temporal_conv3_winograd(const torch::Tensor& x, int64_t frames, const torch::Tensor& taps,
                                      const torch::Tensor& bias);

/** True when temporal_conv3_winograd() is expected to beat the direct form (wide layers, ≥ 4 frames). */
bool temporal_winograd_worthwhile(const torch::Tensor& x, int64_t frames, const torch::Tensor& taps);

/**
 * A 3×3, stride-1, padding-1 Conv2d forward: Winograd when winograd_conv_worthwhile() and no gradient is
 * needed, else LibTorch's convolution.
 */
torch::Tensor conv3x3_same(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

} // namespace mb::ml
