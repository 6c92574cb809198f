#include "ml/attention_edit.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <torch/torch.h>

namespace mb::ml {

std::array<int64_t, 4> box_cells(const BoxF& box, int64_t h, int64_t w) {
    auto span = [](double a, double b, int64_t n) -> std::pair<int64_t, int64_t> {
        if (b <= 0.0 || a >= 1.0 || b <= a)
            return {0, 0}; // off the map
        int64_t lo = std::clamp<int64_t>(int64_t(std::lround(a * double(n))), 0, n);
        int64_t hi = std::clamp<int64_t>(int64_t(std::lround(b * double(n))), 0, n);
        if (hi <= lo) {
            // Overlaps the map but rounds to nothing: keep the cell under the visible part's centre.
            const double c = 0.5 * (std::max(a, 0.0) + std::min(b, 1.0));
            lo = std::clamp<int64_t>(int64_t(std::floor(c * double(n))), 0, n - 1);
            hi = lo + 1;
        }
        return {lo, hi};
    };
    auto [x0, x1] = span(box[0], box[2], w);
    auto [y0, y1] = span(box[1], box[3], h);
    if (x1 <= x0 || y1 <= y0)
        return {0, 0, 0, 0};
    return {y0, y1, x0, x1};
}

void AttentionEditor::configure(std::vector<EditedSubject> subjects, AttentionEditSettings settings,
                                std::vector<int64_t> editedBatchItems) {
    m_subjects = std::move(subjects);
    m_settings = settings;
    m_editedItems = std::move(editedBatchItems);
    m_cache.clear();
}

torch::Tensor AttentionEditor::build_bias(int64_t batch, int64_t frames, int64_t h, int64_t w,
                                          int64_t tokens) const {
    const double alpha = m_settings.alpha;
    const float kSuppress = float(alpha * -1e10);
    // One frame's bias [h·w, tokens]; frames differ only by their boxes.
    // cpu: filled cell by cell through an accessor; logit_bias() moves it to the layer's device once
    auto bias = torch::zeros({batch * frames, 1, h * w, tokens}, torch::kFloat32);
    auto acc = bias.accessor<float, 4>(); // cpu: made on the CPU above
    std::vector<bool> subjectToken(size_t(tokens), false);
    for (const auto& s : m_subjects)
        for (int64_t t : s.tokens)
            if (t >= 0 && t < tokens)
                subjectToken[size_t(t)] = true;
    const int64_t lastWord = std::min<int64_t>(m_settings.promptLength - 2, tokens - 1);
    for (int64_t b : m_editedItems) {
        if (b < 0 || b >= batch)
            continue;
        for (int64_t f = 0; f < frames; ++f) {
            const int64_t row = b * frames + f;
            // Suppression of other words: everywhere.
            if (m_settings.suppressOtherWords)
                for (int64_t j = 1; j <= lastWord; ++j)
                    if (!subjectToken[size_t(j)])
                        for (int64_t q = 0; q < h * w; ++q)
                            acc[row][0][q][j] = kSuppress;
            for (const auto& s : m_subjects) {
                if (size_t(f) >= s.boxes.size())
                    throw std::invalid_argument("attention edit: a subject has fewer boxes than frames");
                const auto c = box_cells(s.boxes[size_t(f)], h, w);
                const int64_t area = (c[1] - c[0]) * (c[3] - c[2]);
                const float boost =
                    m_settings.amplify ? float(alpha * (1.0 - double(area) / double(h * w))) : 0.0f;
                for (int64_t y = 0; y < h; ++y)
                    for (int64_t x = 0; x < w; ++x) {
                        const bool inside = y >= c[0] && y < c[1] && x >= c[2] && x < c[3];
                        const int64_t q = y * w + x;
                        for (int64_t t : s.tokens)
                            if (t >= 0 && t < tokens)
                                acc[row][0][q][t] = inside ? boost : kSuppress;
                    }
            }
        }
    }
    return bias;
}

torch::Tensor AttentionEditor::logit_bias(const CrossAttentionInfo& info) {
    if (!m_enabled || m_subjects.empty())
        return {};
    const std::array<int64_t, 7> key{info.batch,
                                     info.frames,
                                     info.height,
                                     info.width,
                                     info.tokens,
                                     int64_t(info.device.type()),
                                     int64_t(info.device.index())};
    auto it = m_cache.find(key);
    if (it == m_cache.end())
        it =
            m_cache
                .emplace(
                    key,
                    build_bias(info.batch, info.frames, info.height, info.width, info.tokens).to(info.device))
                .first;
    return it->second;
}

void StcaCollector::observe_probabilities(const CrossAttentionInfo& info, const torch::Tensor& probs) {
    // probs [B·F, heads, h·w, tokens] → mean over heads and phrase tokens → [B·F, 1, h, w].
    torch::Tensor m;
    if (m_itemTokens.empty()) {
        auto idx = torch::tensor(m_tokens, torch::kLong).to(probs.device()); // cpu: token list, moved here
        m = probs.mean(1).index_select(-1, idx).mean(-1).view({probs.size(0), 1, info.height, info.width});
    } else {
        TORCH_CHECK(int64_t(m_itemTokens.size()) == info.batch, "STCA: ", m_itemTokens.size(),
                    " token lists for a batch of ", info.batch);
        // Row r = b·F + f averages item b's tokens: a weighted sum over tokens with 1/len on its phrase.
        // cpu: filled element by element, then moved to the probabilities' device and dtype
        torch::Tensor weights = torch::zeros({info.batch, probs.size(-1)}, torch::kFloat32);
        for (int64_t b = 0; b < info.batch; ++b) {
            const auto& toks = m_itemTokens[size_t(b)];
            TORCH_CHECK(!toks.empty(), "STCA: batch item ", b, " has no phrase tokens");
            for (int64_t t : toks)
                weights[b][t] += 1.0 / double(toks.size());
        }
        weights = weights.to(probs.options()).repeat_interleave(info.frames, 0).unsqueeze(-1); // [B·F, T, 1]
        m = torch::bmm(probs.mean(1), weights).view({probs.size(0), 1, info.height, info.width});
    }
    if (!m_sum.defined() || m_sum.sizes() != m.sizes())
        m_sum = m;
    else
        m_sum = m_sum + m;
    ++m_layers;
}

void StcaCollector::set_item_tokens(std::vector<std::vector<int64_t>> tokensPerItem) {
    m_itemTokens = std::move(tokensPerItem);
}

torch::Tensor StcaCollector::map() const {
    if (!m_layers)
        return {};
    return m_sum / double(m_layers);
}

void StcaCollector::reset() {
    m_sum = torch::Tensor();
    m_layers = 0;
}

} // namespace mb::ml
