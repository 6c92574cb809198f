#include "ml/latent_shift.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include <torch/torch.h>

namespace mb::ml {

LatentShifter::LatentShifter(std::vector<std::array<double, 2>> totalCells, int windowSteps, uint64_t seed)
    : m_total(std::move(totalCells)), m_accum(m_total.size(), {0.0, 0.0}), m_applied(m_total.size(), {0, 0}),
      m_windowSteps(windowSteps), m_rng(seed) {
    if (windowSteps < 1)
        throw std::invalid_argument("latent shift: the window needs at least one step");
}

std::array<double, 2> LatentShifter::remaining(int64_t frame) const {
    const auto& t = m_total.at(size_t(frame));
    const auto& a = m_applied.at(size_t(frame));
    return {t[0] - double(a[0]), t[1] - double(a[1])};
}

std::vector<int64_t> LatentShifter::draw_fill(const std::vector<std::vector<int64_t>>& bgPerLine,
                                              const std::vector<int64_t>& bgAnywhere, int64_t lineLength,
                                              int64_t count) {
    // Result: lines × count indices along the line (row-major).
    std::vector<int64_t> out;
    out.reserve(bgPerLine.size() * size_t(count));
    for (size_t line = 0; line < bgPerLine.size(); ++line) {
        std::vector<int64_t> pool = bgPerLine[line];
        if (int64_t(pool.size()) >= count) {
            // `count` distinct cells in random order: a partial Fisher–Yates shuffle.
            for (int64_t k = 0; k < count; ++k) {
                std::uniform_int_distribution<size_t> pick(size_t(k), pool.size() - 1);
                std::swap(pool[size_t(k)], pool[pick(m_rng)]);
                out.push_back(pool[size_t(k)]);
            }
            continue;
        }
        ++m_shortages;
        // Too few background cells on this line: with replacement from the line, else from the frame.
        const std::vector<int64_t>& from = !pool.empty() ? pool : bgAnywhere;
        for (int64_t k = 0; k < count; ++k) {
            if (from.empty()) {
                std::uniform_int_distribution<int64_t> pick(0, lineLength - 1);
                out.push_back(pick(m_rng));
            } else {
                std::uniform_int_distribution<size_t> pick(0, from.size() - 1);
                out.push_back(from[pick(m_rng)]);
            }
        }
    }
    return out;
}

torch::Tensor LatentShifter::shift_frame(const torch::Tensor& frame, const torch::Tensor& background,
                                         int64_t dx, int64_t dy) {
    const int64_t C = frame.size(0), h = frame.size(1), w = frame.size(2);
    // Background cells per row and per column (the frame before this step), and anywhere (for shortages).
    // The fill is planned on the CPU, cell by cell; only the gathers below run where the latent is.
    auto bg = background.defined() ? background.to(torch::kCPU, torch::kBool).contiguous()
                                   : torch::ones({h, w}, torch::kBool); // cpu: read through an accessor
    auto acc = bg.accessor<bool, 2>();                                  // cpu: made on the CPU above
    std::vector<std::vector<int64_t>> rows(static_cast<size_t>(h)), cols(static_cast<size_t>(w));
    std::vector<int64_t> anyCol, anyRow;
    for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x)
            if (acc[y][x]) {
                rows[size_t(y)].push_back(x);
                cols[size_t(x)].push_back(y);
                anyCol.push_back(x);
                anyRow.push_back(y);
            }
    torch::Tensor out = frame;
    if (dx != 0) {
        const int64_t n = std::min<int64_t>(std::abs(dx), w);
        auto idx = torch::tensor(draw_fill(rows, anyCol, w, n), torch::kLong) // cpu: drawn indices, moved
                       .to(frame.device())
                       .view({1, h, n})
                       .expand({C, h, n});
        torch::Tensor fill = torch::gather(frame, 2, idx);
        if (n == w)
            out = fill;
        else if (dx > 0)
            out = torch::cat({out.narrow(2, n, w - n), fill}, 2);
        else
            out = torch::cat({fill, out.narrow(2, 0, w - n)}, 2);
    }
    if (dy != 0) {
        const int64_t n = std::min<int64_t>(std::abs(dy), h);
        // draw_fill returns w lines (columns) × n row indices; gather wants [C, n, w].
        auto drawn = torch::tensor(draw_fill(cols, anyRow, h, n), torch::kLong) // cpu: drawn indices, moved
                         .to(frame.device())
                         .view({w, n})
                         .t()
                         .contiguous();
        torch::Tensor fill = torch::gather(frame, 1, drawn.view({1, n, w}).expand({C, n, w}));
        if (n == h)
            out = fill;
        else if (dy > 0)
            out = torch::cat({out.narrow(1, n, h - n), fill}, 1);
        else
            out = torch::cat({fill, out.narrow(1, 0, h - n)}, 1);
    }
    return out;
}

torch::Tensor LatentShifter::step(const torch::Tensor& latents, const torch::Tensor& background,
                                  std::vector<std::array<int64_t, 2>>* moved) {
    if (m_stepsDone >= m_windowSteps)
        throw std::logic_error("latent shift: the window is over");
    TORCH_CHECK(latents.dim() == 5, "latent shift: latents must be [B, C, F, h, w]");
    const int64_t B = latents.size(0), F = latents.size(2);
    TORCH_CHECK(F == int64_t(m_total.size()), "latent shift: planned for ", m_total.size(), " frames, got ",
                F);
    TORCH_CHECK(!background.defined() || (background.dim() == 3 && background.size(0) == F),
                "latent shift: background must be [F, h, w]");
    if (moved)
        moved->assign(size_t(F), {0, 0});
    std::vector<torch::Tensor> frames;
    frames.reserve(size_t(F));
    for (int64_t f = 0; f < F; ++f) {
        std::array<int64_t, 2> delta{0, 0};
        for (int axis = 0; axis < 2; ++axis) {
            const double s = m_total[size_t(f)][size_t(axis)] / m_windowSteps;
            double& a = m_accum[size_t(f)][size_t(axis)];
            delta[size_t(axis)] = int64_t(std::trunc(a + s)) - int64_t(std::trunc(a));
            a += s;
            m_applied[size_t(f)][size_t(axis)] += delta[size_t(axis)];
        }
        if (moved)
            (*moved)[size_t(f)] = delta;
        torch::Tensor fr = latents.select(2, f); // [B, C, h, w]
        torch::Tensor bg = background.defined() ? background[f] : torch::Tensor();
        std::vector<torch::Tensor> items;
        for (int64_t b = 0; b < B; ++b)
            items.push_back(delta[0] || delta[1] ? shift_frame(fr[b], bg, delta[0], delta[1]) : fr[b]);
        frames.push_back(torch::stack(items, 0));
    }
    ++m_stepsDone;
    return torch::stack(frames, 2).contiguous();
}

} // namespace mb::ml
