// Chunked multi-head attention against the plain formula: every chunking, bias broadcasting, observed
// probabilities and gradients.
#include "ml/attention.h"

#include "ml/parallel_ops.h"
#include "ml/threads.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace mb::ml;

namespace {

/** softmax(q·kᵀ·scale + bias)·v written out directly (the reference formula). */
torch::Tensor naive(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, int64_t heads,
                    double scale, const torch::Tensor& bias, torch::Tensor* probsOut = nullptr) {
    const int64_t N = q.size(0), Lq = q.size(1), Lk = k.size(1), d = q.size(2) / heads,
                  dv = v.size(2) / heads;
    const auto qh = q.view({N, Lq, heads, d}).permute({0, 2, 1, 3});
    const auto kh = k.view({N, Lk, heads, d}).permute({0, 2, 1, 3});
    const auto vh = v.view({N, Lk, heads, dv}).permute({0, 2, 1, 3});
    torch::Tensor s = torch::matmul(qh, kh.transpose(-1, -2)) * scale;
    if (bias.defined()) {
        s = s + bias;
    }
    const torch::Tensor p = s.softmax(-1);
    if (probsOut) {
        *probsOut = p;
    }
    return torch::matmul(p, vh).permute({0, 2, 1, 3}).reshape({N, Lq, heads * dv});
}

struct ChunkGuard {
    int64_t saved = attention_chunk_elements();
    ~ChunkGuard() { set_attention_chunk_elements(saved); }
};

} // namespace

TEST(Attention, ChunkedEqualsPlainForEveryChunking) {
    ChunkGuard guard;
    torch::manual_seed(0);
    // Lk 11: the fused short-sequence kernel; Lk 70: the chunked GEMM path.
    for (int64_t Lk : {11, 70}) {
        const int64_t N = 3, Lq = 37, heads = 4, d = 8;
        const auto q = torch::randn({N, Lq, heads * d}), k = torch::randn({N, Lk, heads * d}),
                   v = torch::randn({N, Lk, heads * d});
        const torch::Tensor want = naive(q, k, v, heads, 0.3, {});
        torch::NoGradGuard noGrad;
        for (int64_t budget :
             {int64_t(1) << 30, N * heads * Lq * Lk - 1, heads * Lq * Lk, heads * Lk * 5, int64_t(1)}) {
            SCOPED_TRACE(std::to_string(Lk) + " keys, budget " + std::to_string(budget));
            set_attention_chunk_elements(budget);
            const torch::Tensor got = multi_head_attention(q, k, v, heads, 0.3);
            EXPECT_LE((got - want).abs().max().item<double>(), 1e-5);
        }
        // Non-contiguous inputs (views) give the same.
        const torch::Tensor qt = q.transpose(0, 1).contiguous().transpose(0, 1);
        EXPECT_LE((multi_head_attention(qt, k, v, heads, 0.3) - want).abs().max().item<double>(), 1e-5);
    }
}

TEST(Attention, BiasBroadcastAndProbabilities) {
    ChunkGuard guard;
    torch::manual_seed(1);
    const int64_t N = 4, Lq = 15, Lk = 7, heads = 2, d = 4;
    const auto q = torch::randn({N, Lq, heads * d}), k = torch::randn({N, Lk, heads * d}),
               v = torch::randn({N, Lk, heads * d});
    for (std::vector<int64_t> bshape :
         {std::vector<int64_t>{1, 1, Lq, Lk}, {N, 1, Lq, Lk}, {N, heads, Lq, Lk}, {1, heads, Lq, Lk}}) {
        torch::Tensor bias = torch::randn(bshape) * 3;
        bias.select(3, 2).fill_(-1e10); // token 2 masked out everywhere
        torch::Tensor wantP;
        const torch::Tensor want = naive(q, k, v, heads, 0.5, bias, &wantP);
        for (int64_t budget : {int64_t(1) << 30, heads * Lk * 4}) {
            set_attention_chunk_elements(budget);
            torch::Tensor probs;
            AttentionExtras ex;
            ex.bias = bias;
            ex.probabilities = &probs;
            torch::NoGradGuard noGrad;
            const torch::Tensor got = multi_head_attention(q, k, v, heads, 0.5, ex);
            EXPECT_LE((got - want).abs().max().item<double>(), 1e-5);
            ASSERT_EQ(probs.sizes(), (std::vector<int64_t>{N, heads, Lq, Lk}));
            EXPECT_LE((probs - wantP).abs().max().item<double>(), 1e-6);
            EXPECT_EQ(probs.select(3, 2).abs().max().item<float>(), 0.f);
        }
    }
    AttentionExtras bad;
    bad.bias = torch::zeros({2, 1, Lq, Lk});
    EXPECT_THROW(multi_head_attention(q, k, v, heads, 0.5, bad), std::invalid_argument);
    EXPECT_THROW(multi_head_attention(q, k.narrow(2, 0, 5), v, heads, 0.5), std::invalid_argument);
}

TEST(Attention, GradientsFlowThroughChunksBiasAndProbabilities) {
    ChunkGuard guard;
    torch::manual_seed(2);
    const int64_t N = 2, Lq = 9, Lk = 5, heads = 2, d = 4;
    auto make = [&](std::vector<int64_t> s) { return torch::randn(s).requires_grad_(true); };
    const auto q = make({N, Lq, heads * d}), k = make({N, Lk, heads * d}), v = make({N, Lk, heads * d});
    const auto bias = make({N, 1, Lq, Lk});

    torch::Tensor wantP;
    const torch::Tensor want = naive(q, k, v, heads, 0.7, bias, &wantP);
    (want.pow(2).sum() + wantP.select(3, 1).sum()).backward();
    const torch::Tensor gq = q.grad().clone(), gk = k.grad().clone(), gv = v.grad().clone(),
                        gb = bias.grad().clone();
    for (auto* t : {&q, &k, &v, &bias}) {
        const_cast<torch::Tensor*>(t)->mutable_grad().zero_();
    }

    set_attention_chunk_elements(heads * Lk * 2); // forces query-row chunks
    torch::Tensor probs;
    AttentionExtras ex;
    ex.bias = bias;
    ex.probabilities = &probs;
    const torch::Tensor got = multi_head_attention(q, k, v, heads, 0.7, ex);
    (got.pow(2).sum() + probs.select(3, 1).sum()).backward();
    EXPECT_LE((q.grad() - gq).abs().max().item<double>(), 1e-4);
    EXPECT_LE((k.grad() - gk).abs().max().item<double>(), 1e-4);
    EXPECT_LE((v.grad() - gv).abs().max().item<double>(), 1e-4);
    EXPECT_LE((bias.grad() - gb).abs().max().item<double>(), 1e-4);
    EXPECT_GT(gb.abs().max().item<double>(), 0.0);
}

TEST(Attention, ModuleKeysAndSelfVersusCross) {
    Attention self(16, 0, 2, 8);
    Attention cross(16, 24, 2, 8);
    std::vector<std::string> keys;
    for (const auto& p : cross->named_parameters()) {
        keys.push_back(p.key() + std::string(" ") + std::to_string(p.value().numel()));
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"to_q.weight 256", "to_k.weight 384", "to_v.weight 384",
                                              "to_out.0.weight 256", "to_out.0.bias 16"}));
    torch::NoGradGuard noGrad;
    const auto x = torch::randn({2, 6, 16}), ctx = torch::randn({2, 3, 24});
    EXPECT_EQ(cross(x, ctx).sizes(), x.sizes());
    EXPECT_TRUE(torch::allclose(self(x), self(x, x)));
}

TEST(Attention, ParallelChunksAndSplitLinearMatchPlain) {
    ChunkGuard guard;
    configure_threads(2, 1); // OpenBLAS single-threaded: chunks and products split over OpenMP threads
    torch::manual_seed(4);
    const int64_t N = 5, Lq = 33, Lk = 71, heads = 3, d = 8;
    const auto q = torch::randn({N, Lq, heads * d}), k = torch::randn({N, Lk, heads * d}),
               v = torch::randn({N, Lk, heads * d});
    torch::Tensor bias = torch::randn({N, 1, Lq, Lk});
    torch::Tensor wantP;
    const torch::Tensor want = naive(q, k, v, heads, 0.4, bias, &wantP);
    const auto x = torch::randn({300, 96}), w = torch::randn({80, 96}), b = torch::randn({80});
    const torch::Tensor wantLin = torch::nn::functional::linear(x, w, b);
    for (bool inference : {false, true}) {
        c10::InferenceMode mode(inference);
        torch::NoGradGuard noGrad;
        for (int64_t budget : {int64_t(1) << 30, heads * Lk * 4}) {
            set_attention_chunk_elements(budget);
            torch::Tensor probs;
            AttentionExtras ex;
            ex.bias = bias;
            ex.probabilities = &probs;
            const torch::Tensor got = multi_head_attention(q, k, v, heads, 0.4, ex);
            EXPECT_LE((got - want).abs().max().item<double>(), 1e-5);
            EXPECT_LE((probs - wantP).abs().max().item<double>(), 1e-6);
        }
        if (current_threads().openblasFound) {
            EXPECT_TRUE(split_products_over_threads());
        }
        EXPECT_LE((mb::ml::linear(x, w, b) - wantLin).abs().max().item<double>(), 1e-4);
        EXPECT_LE((mb::ml::linear(x.view({3, 100, 96}), w) - (wantLin - b).view({3, 100, 80}))
                      .abs()
                      .max()
                      .item<double>(),
                  1e-4);
    }
    configure_threads(2);
}
