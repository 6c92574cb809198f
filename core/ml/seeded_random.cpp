#include "ml/seeded_random.h"

#include <torch/torch.h>

namespace mb::ml {

torch::Tensor seeded_randn(c10::IntArrayRef shape, at::Generator& gen, const torch::TensorOptions& options) {
    return torch::randn(shape, gen, options.device(gen.device())).to(options.device());
}

torch::Tensor seeded_rand(c10::IntArrayRef shape, at::Generator& gen, const torch::TensorOptions& options) {
    return torch::rand(shape, gen, options.device(gen.device())).to(options.device());
}

} // namespace mb::ml
