#pragma once
/**
 * \file attention.h
 * \brief The attention every model here uses: chunked multi-head softmax attention, the diffusers
 *        `Attention` module (to_q/to_k/to_v/to_out.0), and the cross-attention hook MotionBooth needs.
 *
 * multi_head_attention() never materialises the full score tensor: it walks the (batch·frames) rows and,
 * when one row is still too big, the query rows, so that one score chunk holds at most
 * attention_chunk_elements() values (24 frames at 576×320 → [48·5, 2880, 2880] scores are never built).
 * Scores are computed with plain matrix products (no baddbmm(beta=0): torch 1.13 leaks the uninitialised
 * input through beta=0, NOTES §1). On an accelerator in fp16/bf16 the logits, the bias and the softmax are
 * float32 (the probabilities are returned in the inputs' dtype); on the CPU the softmax runs in the inputs'
 * dtype unless AttentionExtras::upcastSoftmax asks for float32. Calls without bias and probabilities may
 * go to SDPA instead (AttentionKernel). Without autograd it reuses per-thread scratch buffers; with autograd
 * (training) it uses out-of-place ops so gradients flow through every chunk, including into the hook's bias
 * and the observed probabilities.
 *
 * Cross-attention hook (MotionBooth, method §6/§8): the UNet forward takes an optional CrossAttentionHook*.
 * For every spatial cross-attention layer (`…attentions.N.transformer_blocks.0.attn2`) it builds a
 * CrossAttentionInfo — module path, block kind/index, the map's actual h×w from the tensor shape (ruling 14),
 * batch, frames, heads, token count, and whether the layer is an STCA layer (ruling 15) — then
 *   1. asks logit_bias(info) for an additive pre-softmax bias (added to q·kᵀ/√d), and
 *   2. if wants_probabilities(info), hands the softmax probabilities to observe_probabilities(info, probs).
 * Without a hook nothing extra is computed.
 */
#include <cstdint>
#include <string>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

namespace mb::ml {

/** Where a cross-attention layer sits, and the geometry of its current call. */
struct CrossAttentionInfo {
    enum class Block { Down, Mid, Up };
    std::string modulePath; ///< e.g. "down_blocks.2.attentions.1.transformer_blocks.0.attn2"
    Block block = Block::Down;
    int blockIndex = 0; ///< index within down_blocks / up_blocks (0 for the mid block)
    int layerIndex = 0; ///< index of the Transformer2D within its block (attentions.N)
    int64_t height = 0; ///< attention map rows (from the tensor shape)
    int64_t width = 0;  ///< attention map columns (from the tensor shape)
    int64_t batch = 0;  ///< B (videos in the call)
    int64_t frames = 0; ///< F
    int64_t heads = 0;
    int64_t headDim = 0;
    int64_t tokens = 0; ///< text tokens attended to (77)
    /** The layer belongs to the lowest-resolution down block or up block that has cross-attention
     *  (chosen from the block structure, not from the query length; ruling 15). */
    bool isStcaLayer = false;
    /** Where the layer's activations are: a logit bias is wanted on this device (attention moves one that is
     *  not, at a copy per call). */
    torch::Device device{torch::kCPU};
    /** Query rows = height·width; logits are [batch·frames, heads, height·width, tokens], row index b·F+f. */
    int64_t queries() const { return height * width; }
};

/** Implemented by MotionBooth's attention editing (inference) and STCA loss collection (training). */
class CrossAttentionHook {
public:
    virtual ~CrossAttentionHook() = default;
    /**
     * Additive bias for the pre-softmax logits of this layer, or an undefined tensor for none. Shape
     * [1 or batch·frames, 1 or heads, height·width, tokens], any floating dtype (converted to the logits'
     * dtype), on the logits' device. Large negative values (e.g. −1e10) mask tokens out. May require grad.
     */
    virtual torch::Tensor logit_bias(const CrossAttentionInfo& info) {
        (void)info;
        return {};
    }
    /** Whether observe_probabilities wants this layer's probabilities (they are only assembled if so). */
    virtual bool wants_probabilities(const CrossAttentionInfo& info) {
        (void)info;
        return false;
    }
    /**
     * The softmax probabilities [batch·frames, heads, height·width, tokens] of the layer (after the bias),
     * part of the autograd graph when gradients are enabled (for the STCA loss).
     */
    virtual void observe_probabilities(const CrossAttentionInfo& info, const torch::Tensor& probs) {
        (void)info;
        (void)probs;
    }
};

/** Extra inputs and outputs of one attention call. */
struct AttentionExtras {
    /** Optional additive logit bias [1|N, 1|heads, Lq, Lk] (broadcast over the size-1 dimensions). */
    torch::Tensor bias;
    /** When set, receives the full probabilities [N, heads, Lq, Lk]. */
    torch::Tensor* probabilities = nullptr;
    /** Compute the softmax in float32 even for reduced-precision inputs (the VAE does). */
    bool upcastSoftmax = false;
};

/**
 * softmax(q·kᵀ·scale + bias)·v per head. q [N, Lq, heads·d], k [N, Lk, heads·d], v [N, Lk, heads·dv]
 * (channel c = head·d + i) → [N, Lq, heads·dv]. Chunked as described in the file comment.
 */
torch::Tensor multi_head_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                   int64_t heads, double scale, const AttentionExtras& extras = {});

/**
 * The kernel for attention calls that need neither a logit bias nor the probabilities (every self-attention,
 * and cross-attention without a hook). Auto: at::scaled_dot_product_attention (flash / memory-efficient
 * kernels) on CUDA devices with LibTorch ≥ 2.0, the explicit chunked path everywhere else, the CPU
 * included. Sdpa: SDPA on every device where LibTorch has it (comparisons, benchmarks). Explicit: always the
 * chunked path. Calls with a bias or wanting probabilities always take the explicit path. Process-wide.
 */
enum class AttentionKernel { Auto, Explicit, Sdpa };
void set_attention_kernel(AttentionKernel kernel);
AttentionKernel attention_kernel();
/** Whether this build has at::scaled_dot_product_attention (LibTorch ≥ 2.0 at compile time). */
bool sdpa_available();

/** Upper bound on score values held at once per attention chunk (default 2^24 = 64 MiB in float32). */
int64_t attention_chunk_elements();
/** Changes the bound (≥ 1); smaller saves memory, larger may be faster. Process-wide. */
void set_attention_chunk_elements(int64_t elements);

/**
 * diffusers' `Attention` with the default processor: to_q/to_k/to_v Linear (bias optional), heads·headDim
 * inner width, to_out.0 Linear with bias. Keys: to_q.weight, to_k.weight, to_v.weight,
 * to_out.0.{weight,bias}.
 */
class AttentionImpl : public torch::nn::Module {
public:
    /** contextDim 0 = self-attention (keys/values from the same width as the queries). */
    AttentionImpl(int64_t queryDim, int64_t contextDim, int64_t heads, int64_t headDim, bool qkvBias = false);
    /** x [N, Lq, queryDim]; context [N, Lk, contextDim] (undefined = x). */
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context = {},
                          const AttentionExtras& extras = {});
    int64_t heads() const { return m_heads; }
    int64_t headDim() const { return m_headDim; }

    torch::nn::Linear to_q{nullptr}, to_k{nullptr}, to_v{nullptr};
    torch::nn::ModuleList to_out{nullptr};

private:
    int64_t m_heads, m_headDim;
    torch::nn::Linear m_out{nullptr};
};
TORCH_MODULE(Attention);

} // namespace mb::ml
