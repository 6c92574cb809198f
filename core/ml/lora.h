#pragma once
/**
 * \file lora.h
 * \brief Low-rank adaptation (LoRA) of a UNet's attention projections, and applying a subject checkpoint
 *        (full UNet or LoRA) to a UNet.
 *
 * LoRA (Hu et al. 2021) trains, for a frozen Linear weight W [out, in], two small matrices A [r, in] and
 * B [out, r] and uses W' = W + (α/r)·B·A. Here it covers to_q, to_k, to_v and to_out.0 of every `Attention`
 * module of the model (spatial self- and cross-attention and the temporal attentions). A starts
 * Kaiming-uniform (bound 1/√in, from a seeded generator) and B at zero, so an untouched adapter changes
 * nothing.
 *
 * How the adapted weight reaches the forward: torch::nn::Linear's forward reads its public `weight` member.
 * The registered parameter "weight" (what named_parameters() and the safetensors keys see) stays the frozen
 * base; activate() points the member at W + (α/r)·B·A, a graph node, so autograd reaches A and B; call it
 * before every forward whose A/B may have changed (i.e. after each optimizer step). deactivate() points the
 * members back at the base. merge() writes the adapted weights into the base parameters for good.
 *
 * LoRA safetensors layout: for each adapted Linear at module path P (e.g.
 * "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_q"), "P.lora_A.weight" [r, in] and
 * "P.lora_B.weight" [out, r]; metadata "kind" = "lora", "rank", "alpha".
 * Full-UNet checkpoints hold the UNet's named_parameters with metadata "kind" = "full".
 */
#include "ml/safetensors.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

namespace mb::ml {

struct LoraOptions {
    int64_t rank = 4;  ///< r ≥ 1
    double alpha = 0;  ///< α; 0 means α = r (scale 1)
    uint64_t seed = 0; ///< initialises A
    double scale() const { return (alpha > 0 ? alpha : double(rank)) / double(rank); }
};

/** The adapters of every attention projection of a module tree (see the file comment). */
class LoraAdapter {
public:
    /**
     * Finds every Attention module under `root` and creates an adapter for its to_q, to_k, to_v and to_out.0.
     * Throws std::invalid_argument for rank < 1 or when `root` has no Attention module.
     * The Linear modules are shared (not copied): `root` must outlive the adapter.
     */
    LoraAdapter(torch::nn::Module& root, const LoraOptions& options);
    ~LoraAdapter();
    LoraAdapter(const LoraAdapter&) = delete;
    LoraAdapter& operator=(const LoraAdapter&) = delete;

    /** The trainable A and B tensors, in a fixed order (A then B per projection, projections by path). */
    std::vector<torch::Tensor> parameters() const;
    /** Number of adapted Linear modules. */
    size_t size() const { return m_entries.size(); }
    const LoraOptions& options() const { return m_options; }

    /** Points each Linear's `weight` member at base + scale·B·A (in the autograd graph when grad is on). */
    void activate();
    /** Points each Linear's `weight` member back at its (frozen) registered parameter. */
    void deactivate();
    /** Adds scale·B·A into the registered base weights (no grad) and deactivates. */
    void merge();

    /** A and B by key ("P.lora_A.weight", "P.lora_B.weight"), detached copies. */
    TensorMap state() const;
    /** Metadata for a LoRA safetensors file: kind, rank, alpha. */
    std::map<std::string, std::string> metadata() const;
    /** Loads A and B (shapes must match; every key must be present). Throws naming `source`. */
    void load_state(const TensorMap& tensors, const std::string& source);

private:
    struct Entry {
        std::string path;
        torch::nn::Linear linear{nullptr};
        torch::Tensor base; ///< the registered parameter (frozen)
        torch::Tensor a, b;
    };
    std::vector<Entry> m_entries;
    LoraOptions m_options;
};

/** Kind of a subject checkpoint as stored in its safetensors metadata. */
enum class CheckpointKind { Full, Lora };

/** Reads the metadata "kind" of a subject checkpoint ("full" when absent: plain UNet weights). */
CheckpointKind checkpoint_kind(const std::string& path);

/**
 * Applies a subject checkpoint to `unet`: a full checkpoint is loaded by name on top of the base weights
 * (every key must belong to the module, shapes must match); a LoRA checkpoint is merged into the attention
 * projections (W += (α/r)·B·A). Throws std::runtime_error naming the file and problem. Returns the kind.
 */
CheckpointKind apply_checkpoint(torch::nn::Module& unet, const std::string& path);

} // namespace mb::ml
