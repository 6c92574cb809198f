#include "ml/subject_losses.h"

#include <torch/torch.h>

namespace mb::ml {

namespace F = torch::nn::functional;

namespace {
torch::Tensor bilinear(const torch::Tensor& m, int64_t h, int64_t w) {
    TORCH_CHECK(m.dim() == 4 && m.size(1) == 1, "mask must be [B, 1, H, W]");
    return F::interpolate(m.to(torch::kFloat32), F::InterpolateFuncOptions()
                                                     .size(std::vector<int64_t>{h, w})
                                                     .mode(torch::kBilinear)
                                                     .align_corners(false));
}
} // namespace

torch::Tensor latent_region_mask(const torch::Tensor& pixelMask, int64_t h, int64_t w) {
    return bilinear(pixelMask, h, w) > 0;
}

torch::Tensor subject_region_loss(const torch::Tensor& pred, const torch::Tensor& target,
                                  const torch::Tensor& mask) {
    TORCH_CHECK(pred.sizes() == target.sizes(), "region loss: prediction and target shapes differ");
    torch::Tensor m = mask.to(pred.dtype());
    if (pred.dim() == 5 && m.dim() == 4)
        m = m.unsqueeze(2); // [B, 1, 1, h, w] broadcasts over channels and frames
    const torch::Tensor diff = (pred - target) * m;
    const torch::Tensor positions = mask.to(torch::kFloat32).sum();
    const torch::Tensor sse = diff.pow(2).sum();
    if (positions.item<float>() == 0.0f)
        return sse * 0.0;
    return sse / positions;
}

torch::Tensor stca_target(const torch::Tensor& pixelMask, int64_t h, int64_t w) {
    return bilinear(pixelMask, h, w);
}

torch::Tensor stca_loss(const torch::Tensor& maps, const torch::Tensor& target) {
    TORCH_CHECK(maps.sizes() == target.sizes(), "STCA loss: maps ", maps.sizes(), " vs target ",
                target.sizes());
    return F::binary_cross_entropy(maps, target.to(maps.dtype()));
}

} // namespace mb::ml
