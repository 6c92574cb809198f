#pragma once
/**
 * \file attention_probe.h
 * \brief Where the model puts each subject: the centroid of the subject's cross-attention per frame, for the
 *        box-following metric (motionbooth-cli eval) of any model, without a segmentation model.
 *
 * For every cross-attention layer, the probabilities of the subject's phrase tokens are averaged over heads
 * and tokens, giving one h×w map per frame; the map is normalised to sum 1 and its centroid taken in
 * normalised frame coordinates (cell centres at (x + ½)/w, (y + ½)/h, from the layer's actual map size,
 * ruling 14). The centroid of a frame is the mean of its layers' centroids, so coarse and fine layers count
 * alike. The render runs this probe in one extra conditional pass on the finished latent, without any edit:
 * the box edit itself forces attention into the box, so the edited passes would only measure the edit.
 */
#include "ml/attention.h"

#include <array>
#include <vector>

namespace mb::ml {

class SubjectAttentionProbe : public CrossAttentionHook {
public:
    /** `subjectTokens`: per subject, the token positions of its phrase in the prompt. */
    explicit SubjectAttentionProbe(std::vector<std::vector<int64_t>> subjectTokens);

    bool wants_probabilities(const CrossAttentionInfo& info) override;
    void observe_probabilities(const CrossAttentionInfo& info, const torch::Tensor& probs) override;

    /** Per subject, per frame: the (x, y) centroid in 0..1 frame coordinates; empty before any layer was
     * seen. Uses batch item `batchItem` of the observed calls. */
    std::vector<std::vector<std::array<double, 2>>> centroids(int64_t batchItem = 0) const;
    int layers_seen() const { return m_layers; }

private:
    std::vector<std::vector<int64_t>> m_tokens;
    // Per subject: sum over layers of per-(batch·frame) centroids [B·F, 2], and the layer count.
    std::vector<torch::Tensor> m_sums;
    int64_t m_frames = 0;
    int m_layers = 0;
};

} // namespace mb::ml
