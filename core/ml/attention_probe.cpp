#include "ml/attention_probe.h"

#include <stdexcept>

namespace mb::ml {

SubjectAttentionProbe::SubjectAttentionProbe(std::vector<std::vector<int64_t>> subjectTokens)
    : m_tokens(std::move(subjectTokens)), m_sums(m_tokens.size()) {}

bool SubjectAttentionProbe::wants_probabilities(const CrossAttentionInfo& info) {
    (void)info;
    return !m_tokens.empty();
}

void SubjectAttentionProbe::observe_probabilities(const CrossAttentionInfo& info,
                                                  const torch::Tensor& probs) {
    // probs [B·F, heads, h·w, tokens]
    const int64_t h = info.height, w = info.width;
    if (probs.dim() != 4 || probs.size(2) != h * w)
        throw std::invalid_argument("attention probe: probabilities of " + info.modulePath +
                                    " do not match its map size");
    const torch::Tensor p = probs.detach().to(torch::kFloat32);
    const torch::Tensor xs = (torch::arange(w, p.options()) + 0.5) / double(w); // [w]
    const torch::Tensor ys = (torch::arange(h, p.options()) + 0.5) / double(h); // [h]
    for (size_t s = 0; s < m_tokens.size(); ++s) {
        const torch::Tensor idx = torch::tensor(m_tokens[s], torch::kLong).to(p.device()); // cpu: token list
        // Mean over heads and the subject's tokens → [B·F, h, w], normalised per frame.
        torch::Tensor map = p.index_select(3, idx).mean(3).mean(1).view({-1, h, w});
        map = map / map.sum({1, 2}, true).clamp_min(1e-20);
        const torch::Tensor cx = (map.sum(1) * xs).sum(1); // [B·F]
        const torch::Tensor cy = (map.sum(2) * ys).sum(1);
        const torch::Tensor c = torch::stack({cx, cy}, 1); // [B·F, 2]
        m_sums[s] = m_sums[s].defined() ? m_sums[s] + c : c;
    }
    m_frames = info.frames;
    ++m_layers;
}

std::vector<std::vector<std::array<double, 2>>> SubjectAttentionProbe::centroids(int64_t batchItem) const {
    std::vector<std::vector<std::array<double, 2>>> out(m_tokens.size());
    if (m_layers == 0)
        return out;
    for (size_t s = 0; s < m_tokens.size(); ++s) {
        const torch::Tensor c = (m_sums[s] / double(m_layers))
                                    .narrow(0, batchItem * m_frames, m_frames)
                                    .to(torch::kCPU, torch::kDouble);
        for (int64_t f = 0; f < m_frames; ++f)
            out[s].push_back({c[f][0].item<double>(), c[f][1].item<double>()});
    }
    return out;
}

} // namespace mb::ml
