#pragma once
/**
 * \file attention_edit.h
 * \brief MotionBooth's subject motion control (method §8): edit the pre-softmax cross-attention logits so
 * that each subject's phrase tokens attend inside that subject's box on every frame.
 *
 * For a layer whose map is h×w, each subject's box (normalised, in the latent's current coordinates) covers
 * the cells [round(w·x0), round(w·x1)) × [round(h·y0), round(h·y1)), clamped to the map; a box that overlaps
 * the map but rounds to no cell keeps the one cell under its centre (coarse maps never lose a small subject;
 * the reference would drop it). With A = 1 on (subject's tokens × box cells) and area = cells in the box:
 *   - amplify (early steps, i < τ): logits += α·A·(1 − area/(h·w)) — small boxes get a larger boost;
 *   - suppress (every step): logits += α·(−1e10)·(1 − A) on subject tokens (masked outside their box), and,
 *     when suppressOtherWords (the reference's behaviour), on every other word token of the prompt too
 *     (positions 1..promptLength−2; start, end and padding tokens are never touched).
 * The edit applies to the batch items listed as edited (the conditional half under CFG, ruling 18).
 */
#include "ml/attention.h"

#include <array>
#include <map>
#include <utility>
#include <vector>

namespace mb::ml {

/** A normalised box [x0, y0, x1, y1] in the frame (may extend past 0..1). */
using BoxF = std::array<double, 4>;

struct EditedSubject {
    std::vector<int64_t> tokens; ///< token positions of the subject's phrase in the prompt
    std::vector<BoxF> boxes;     ///< one per frame
};

struct AttentionEditSettings {
    double alpha = 7.5;             ///< edit_scale
    bool amplify = true;            ///< this step is one of the first τ
    bool suppressOtherWords = true; ///< mask all non-subject words everywhere (reference)
    int64_t promptLength = 0;       ///< tokens of the prompt incl. start and end token
};

/** The cells [y0, y1) × [x0, x1) a normalised box covers on an h×w map (see file comment). */
std::array<int64_t, 4> box_cells(const BoxF& box, int64_t h, int64_t w);

class AttentionEditor : public CrossAttentionHook {
public:
    AttentionEditor() = default;
    /** Sets what the next UNet call edits; clears the per-resolution cache. */
    void configure(std::vector<EditedSubject> subjects, AttentionEditSettings settings,
                   std::vector<int64_t> editedBatchItems = {0});
    void set_enabled(bool on) { m_enabled = on; }
    bool enabled() const { return m_enabled; }

    torch::Tensor logit_bias(const CrossAttentionInfo& info) override;

    /** The bias for one frame-batch layout, [B·F, 1, h·w, tokens], float32 on the CPU (exposed for tests);
     *  logit_bias() hands it out on the layer's device (CrossAttentionInfo::device), made once per layout. */
    torch::Tensor build_bias(int64_t batch, int64_t frames, int64_t h, int64_t w, int64_t tokens) const;

private:
    std::vector<EditedSubject> m_subjects;
    AttentionEditSettings m_settings;
    std::vector<int64_t> m_editedItems{0};
    bool m_enabled = true;
    /** (B, F, h, w, tokens, device type, device index) → bias on that device */
    std::map<std::array<int64_t, 7>, torch::Tensor> m_cache;
};

/**
 * Collects the STCA attention maps during a training forward (method §6): on every STCA layer (ruling 15),
 * the probabilities averaged over heads and over the phrase tokens, then averaged over layers.
 */
class StcaCollector : public CrossAttentionHook {
public:
    explicit StcaCollector(std::vector<int64_t> phraseTokens) : m_tokens(std::move(phraseTokens)) {}
    /**
     * Per batch item phrase tokens (several subjects in one batch, each with its own identifier phrase):
     * rows b·F+f of a call average item b's tokens. The list must have one entry per batch item of every
     * observed call (checked). Replaces the single token list given to the constructor.
     */
    void set_item_tokens(std::vector<std::vector<int64_t>> tokensPerItem);
    bool wants_probabilities(const CrossAttentionInfo& info) override { return m_active && info.isStcaLayer; }
    void observe_probabilities(const CrossAttentionInfo& info, const torch::Tensor& probs) override;
    /** The averaged map [B·F, 1, h, w] (in the autograd graph), or undefined when no layer was seen. */
    torch::Tensor map() const;
    int layers_seen() const { return m_layers; }
    void reset();
    /** Off during video (preservation) batches: nothing is collected. */
    void set_active(bool on) { m_active = on; }

private:
    std::vector<int64_t> m_tokens;
    std::vector<std::vector<int64_t>> m_itemTokens; ///< when non-empty, wins over m_tokens
    torch::Tensor m_sum;
    int m_layers = 0;
    bool m_active = true;
};

} // namespace mb::ml
