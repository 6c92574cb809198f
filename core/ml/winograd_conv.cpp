#include "ml/winograd_conv.h"

#include <algorithm>
#include <vector>

#include <torch/torch.h>

namespace mb::ml {

namespace {

/** U = G·g·Gᵀ for every (k, c): weight [K, C, 3, 3] → [16, K, C] (index 4·i + j), as one matrix product with
 *  the Kronecker product G⊗G [16, 9] (a batched 4×3·3×3·3×4 per channel pair is ten times slower). */
torch::Tensor transformWeights(const torch::Tensor& w) {
    const torch::Tensor G =
        torch::tensor({1.0f, 0.0f, 0.0f, 0.5f, 0.5f, 0.5f, 0.5f, -0.5f, 0.5f, 0.0f, 0.0f, 1.0f}, w.options())
            .view({4, 3});
    const torch::Tensor GG = torch::kron(G, G); // [16, 9]: GG[4i+j][3k+l] = G[i][k]·G[j][l]
    const int64_t K = w.size(0), C = w.size(1);
    return torch::mm(GG, w.reshape({K * C, 9}).t()).view({16, K, C});
}

} // namespace

bool winograd_conv_worthwhile(const torch::Tensor& x, const torch::Tensor& weight) {
    if (x.dim() != 4 || weight.dim() != 4 || weight.size(2) != 3 || weight.size(3) != 3 ||
        x.scalar_type() != torch::kFloat32 || weight.scalar_type() != torch::kFloat32 ||
        !x.device().is_cpu() || x.size(1) != weight.size(1)) {
        return false;
    }
    // The tile transforms cost memory traffic proportional to the channels, the products save work
    // proportional to their square; the weight transform costs as much as the products of ~100 tiles.
    // Measured single- threaded here (direct → Winograd): C=320, 1152 tiles 76 → 42 ms; C=640, 320 tiles 76 →
    // 38 ms; C=1280, 360 tiles 387 → 162 ms; 96 tiles 78 → 77 ms; 48 tiles 44 → 86 ms.
    const int64_t tiles = x.size(0) * ((x.size(2) + 1) / 2) * ((x.size(3) + 1) / 2);
    return x.size(1) >= 128 && weight.size(0) >= 128 && tiles >= 192;
}

torch::Tensor conv3x3_winograd(const torch::Tensor& xIn, const torch::Tensor& weight,
                               const torch::Tensor& bias) {
    const torch::Tensor x = xIn.contiguous();
    const int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3), K = weight.size(0);
    const int64_t tH = (H + 1) / 2, tW = (W + 1) / 2;
    // The transformed tiles take 4× the input (16 values per 4 outputs): bound them so that 24 frames at
    // 576×320 do not add gigabytes to the peak; chunks of whole images give identical results.
    constexpr int64_t kTileBudget = int64_t(1) << 24; // floats of V per chunk (64 MiB)
    const int64_t perImage = 16 * std::max(C, K) * tH * tW;
    const int64_t imagesPerChunk = std::max<int64_t>(1, kTileBudget / std::max<int64_t>(1, perImage));
    if (N > imagesPerChunk) {
        torch::Tensor out = torch::empty({N, K, H, W}, x.options());
        for (int64_t n0 = 0; n0 < N; n0 += imagesPerChunk) {
            const int64_t n = std::min(imagesPerChunk, N - n0);
            out.narrow(0, n0, n).copy_(conv3x3_winograd(x.narrow(0, n0, n), weight, bias));
        }
        return out;
    }
    const int64_t P = N * tH * tW;
    // Zero padding: 1 on the top/left, enough on the bottom/right for whole 4×4 tiles at stride 2.
    const torch::Tensor padded =
        torch::constant_pad_nd(x, {1, 2 * tW + 1 - W, 1, 2 * tH + 1 - H}, 0.0); // [N, C, 2tH+2, 2tW+2]
    const torch::Tensor d = padded.unfold(2, 4, 2).unfold(3, 4, 2);             // [N, C, tH, tW, 4, 4] (view)

    // Rows: t = Bᵀ·d, t[i] = [N, C, tH, tW, 4].
    auto row = [&](int64_t r) { return d.select(4, r); };
    const torch::Tensor t[4] = {row(0) - row(2), row(1) + row(2), row(2) - row(1), row(1) - row(3)};
    // Columns: V[i][j] = (t[i]·B)[j], written straight into the GEMM layout [4, 4, C, N, tH, tW].
    torch::Tensor V = torch::empty({4, 4, C, N, tH, tW}, x.options());
    for (int i = 0; i < 4; ++i) {
        auto col = [&](int64_t c) { return t[i].select(4, c).permute({1, 0, 2, 3}); }; // [C, N, tH, tW]
        torch::Tensor v0 = V[i][0], v1 = V[i][1], v2 = V[i][2], v3 = V[i][3];
        at::sub_out(v0, col(0), col(2));
        at::add_out(v1, col(1), col(2));
        at::sub_out(v2, col(2), col(1));
        at::sub_out(v3, col(1), col(3));
    }
    // The 16 products: [16, K, C] · [16, C, P] → [16, K, P].
    const torch::Tensor M =
        torch::bmm(transformWeights(weight), V.view({16, C, P})).view({4, 4, K, N, tH, tW});
    // Outputs: q = Aᵀ·M over i, then y = q·A over j, written into [N, K, tH, 2, tW, 2].
    const torch::Tensor q[2] = {M[0] + M[1] + M[2], M[1] - M[2] - M[3]}; // [4 (j), K, N, tH, tW]
    torch::Tensor Y = torch::empty({N, K, tH, 2, tW, 2}, x.options());
    for (int a = 0; a < 2; ++a) {
        auto qj = [&](int64_t j) { return q[a][j].permute({1, 0, 2, 3}); }; // [N, K, tH, tW]
        torch::Tensor y0 = Y.select(5, 0).select(3, a), y1 = Y.select(5, 1).select(3, a);
        at::add_out(y0, qj(0) + qj(1), qj(2));
        at::sub_out(y1, qj(1) - qj(2), qj(3));
    }
    torch::Tensor out = Y.view({N, K, 2 * tH, 2 * tW});
    if (2 * tH != H || 2 * tW != W) {
        out = out.narrow(2, 0, H).narrow(3, 0, W);
    }
    if (bias.defined()) {
        out = out + bias.view({1, K, 1, 1});
    }
    return out.contiguous();
}

bool temporal_winograd_worthwhile(const torch::Tensor& x, int64_t frames, const torch::Tensor& taps) {
    if (x.dim() != 4 || taps.dim() != 3 || taps.size(0) != 3 || x.scalar_type() != torch::kFloat32 ||
        !x.device().is_cpu() || frames < 4 || x.size(1) < 128 || taps.size(1) < 128 || x.size(0) % frames) {
        return false;
    }
    // Transforming the taps costs about as much as the products of ~250 tile columns (B·tiles·H·W) save.
    // Measured single-threaded here (direct → Winograd): C=320, 8 frames of 18×32: 26 → 18 ms; C=640 at 9×16:
    // 26 → 22 ms; C=1280 at 5×8: 57 → 63 ms.
    const int64_t columns = (x.size(0) / frames) * ((frames + 3) / 4) * x.size(2) * x.size(3);
    return columns >= 512;
}

torch::Tensor temporal_conv3_winograd(const torch::Tensor& xIn, int64_t frames, const torch::Tensor& taps,
                                      const torch::Tensor& bias) {
    static const float kBt[6][6] = {{4, 0, -5, 0, 1, 0},  {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
                                    {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
    static const double kG[6][3] = {{1.0 / 4, 0, 0},
                                    {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                    {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                    {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                    {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                    {0, 0, 1}};
    static const float kAt[4][6] = {
        {1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};
    const torch::Tensor x = xIn.contiguous();
    const int64_t BF = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3), K = taps.size(1);
    const int64_t B = BF / frames, T = (frames + 3) / 4;
    // Padded frames: index i holds frame i − 1; 4T + 2 of them cover every tile's 6 inputs.
    torch::Tensor xp = torch::zeros({B, 4 * T + 2, C, H, W}, x.options());
    xp.narrow(1, 1, frames).copy_(x.view({B, frames, C, H, W}));
    auto input = [&](int64_t i) { return xp.slice(1, i, i + 4 * (T - 1) + 1, 4); }; // tile p → frame 4p+i−1
    torch::Tensor out = torch::empty({B, 4 * T, K, H, W}, x.options());
    std::vector<torch::Tensor> m(6);
    for (int k = 0; k < 6; ++k) {
        torch::Tensor v; // Bᵀ row k applied to the tile's 6 frames: [B, T, C, H, W]
        for (int i = 0; i < 6; ++i) {
            if (kBt[k][i] == 0) {
                continue;
            }
            v = v.defined() ? v.add_(input(i), kBt[k][i]) : input(i) * kBt[k][i];
        }
        torch::Tensor u = taps[0] * kG[k][0]; // G row k applied to the taps: [K, C]
        u = u + taps[1] * kG[k][1] + taps[2] * kG[k][2];
        m[size_t(k)] = torch::conv2d(v.view({B * T, C, H, W}), u.view({K, C, 1, 1})).view({B, T, K, H, W});
    }
    for (int r = 0; r < 4; ++r) {
        torch::Tensor y = out.slice(1, r, 4 * T, 4); // output frame 4p + r
        y.copy_(m[0] * kAt[r][0]);
        for (int k = 1; k < 6; ++k) {
            if (kAt[r][k] != 0) {
                y.add_(m[size_t(k)], kAt[r][k]);
            }
        }
    }
    torch::Tensor result = out.narrow(1, 0, frames);
    if (bias.defined()) {
        result = result + bias.view({1, 1, K, 1, 1});
    }
    return result.contiguous().view({BF, K, H, W});
}

torch::Tensor conv3x3_same(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
    const bool grad = torch::GradMode::is_enabled() && (x.requires_grad() || weight.requires_grad() ||
                                                        (bias.defined() && bias.requires_grad()));
    if (!grad && winograd_conv_worthwhile(x, weight)) {
        return conv3x3_winograd(x, weight, bias);
    }
    return torch::conv2d(x, weight, bias, 1, 1);
}

} // namespace mb::ml
