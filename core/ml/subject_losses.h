#pragma once
/**
 * \file subject_losses.h
 * \brief The losses of MotionBooth's subject learning (method §4–§6), with the reference code's exact scales.
 */
#include <torch/types.h>

namespace mb::ml {

/**
 * The subject mask at latent size (method §4): bilinear downsampling (align_corners false, no antialias) of a
 * binary pixel mask [B, 1, H, W] to [B, 1, h, w], then > 0. Returns bool.
 */
torch::Tensor latent_region_mask(const torch::Tensor& pixelMask, int64_t h, int64_t w);

/**
 * L_sub (method §4): the squared error of prediction vs target inside the mask, summed over all channels and
 * masked positions, divided by the number of masked spatial positions (not positions × channels: the
 * reference's 4× scale). `pred`, `target` [B, C, h, w] or [B, C, F, h, w]; `mask` bool [B, 1, h, w] (or with
 * F). Zero (still in the graph) when the mask is empty. The gradient outside the mask is exactly zero.
 */
torch::Tensor subject_region_loss(const torch::Tensor& pred, const torch::Tensor& target,
                                  const torch::Tensor& mask);

/** The STCA target (method §6): bilinear downsampling of the pixel mask to h×w, kept soft (not binarised). */
torch::Tensor stca_target(const torch::Tensor& pixelMask, int64_t h, int64_t w);

/** L_stca: binary cross-entropy between attention maps in (0,1) and the soft target, mean over all cells. */
torch::Tensor stca_loss(const torch::Tensor& maps, const torch::Tensor& target);

} // namespace mb::ml
