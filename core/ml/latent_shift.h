#pragma once
/**
 * \file latent_shift.h
 * \brief MotionBooth's camera control (method §9): shift the noisy video latent frame by frame during a
 *        window of denoising steps, filling the uncovered cells with latent tokens sampled along the same
 *        rows (x shift) or columns (y shift) outside the subjects' boxes.
 *
 * Per frame f the total displacement D_f (latent cells, x and y) comes from the project's CameraPath:
 * D_f = travel(f) × (latent width, latent height) (ruling 10), so keyframed speed changes work. Each window
 * step moves frame f by Δ = trunc(a_f + D_f/n) − trunc(a_f) cells and adds D_f/n to the accumulator a_f,
 * exactly the reference's integer schedule; after n steps frame f has moved trunc(D_f) cells.
 *
 * Direction: Δx > 0 (the camera pans right) drops the first Δx columns and appends Δx new columns on the
 * right, so the content moves left; Δx < 0 prepends on the left. Δy likewise with rows (> 0: new rows at the
 * bottom). The x shift is applied first, then the y shift; both fills are sampled from the frame as it was
 * before this step (the reference's behaviour).
 *
 * Fill: for each row r independently, |Δx| distinct background columns of that row are drawn uniformly at
 * random (in random order) and their latent vectors (all channels) become the new columns of row r. When a
 * row has fewer background cells than needed, cells are drawn with replacement from the row's background;
 * with none, from the whole frame's background; with no background at all, from the whole frame (ruling 17;
 * counted in fill_shortages()). Unlike the reference (numpy's unseeded global RNG), the draws come from a
 * generator seeded by the caller, so the same seed gives the same video bit for bit.
 */
#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include <torch/types.h>

namespace mb::ml {

class LatentShifter {
public:
    /**
     * \param totalCells  D_f per frame: {x, y} displacement in latent cells after the whole window
     * \param windowSteps n, the number of denoising steps that shift (≥ 1)
     * \param seed        seeds the fill sampling
     */
    LatentShifter(std::vector<std::array<double, 2>> totalCells, int windowSteps, uint64_t seed);

    /**
     * Applies one window step. `latents` [B, C, F, h, w]; `background` bool [F, h, w] (true = no subject
     * there), or undefined for "everything is background". Returns the shifted latents (a new tensor); the
     * per-frame integer moves of this step are written to `moved` when given. Throws std::logic_error after
     * windowSteps calls.
     */
    torch::Tensor step(const torch::Tensor& latents, const torch::Tensor& background,
                       std::vector<std::array<int64_t, 2>>* moved = nullptr);

    /** Displacement of frame f still to come (cells): D_f minus what was applied so far. */
    std::array<double, 2> remaining(int64_t frame) const;
    /** Steps applied so far. */
    int steps_done() const { return m_stepsDone; }
    int window_steps() const { return m_windowSteps; }
    /** How many row/column fills had to sample with replacement (ruling 17). */
    int64_t fill_shortages() const { return m_shortages; }

private:
    /** New latent [C, h, w] of one frame shifted by (dx, dy), fills drawn from `source` [C, h, w]. */
    torch::Tensor shift_frame(const torch::Tensor& frame, const torch::Tensor& background, int64_t dx,
                              int64_t dy);
    /** For each of `lines` lines, `count` indices into that line drawn from its background cells. */
    std::vector<int64_t> draw_fill(const std::vector<std::vector<int64_t>>& bgPerLine,
                                   const std::vector<int64_t>& bgAnywhere, int64_t lineLength, int64_t count);

    std::vector<std::array<double, 2>> m_total;
    std::vector<std::array<double, 2>> m_accum;
    std::vector<std::array<int64_t, 2>> m_applied;
    int m_windowSteps;
    int m_stepsDone = 0;
    int64_t m_shortages = 0;
    std::mt19937_64 m_rng;
};

} // namespace mb::ml
