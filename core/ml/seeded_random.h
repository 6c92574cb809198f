#pragma once
/**
 * \file seeded_random.h
 * \brief Random tensors from a seeded generator that are the same on every device.
 *
 * A seeded CPU generator (at::CPUGeneratorImpl) draws its numbers on the CPU: these helpers draw there, in
 * the requested dtype, and move the result to the requested device, so a seed gives the same noise whether
 * the models run on the CPU or on a GPU (a CUDA generator would give other numbers, and LibTorch refuses a
 * CPU generator for a CUDA tensor). On the CPU they are exactly torch::randn / torch::rand with that
 * generator.
 */
#include <ATen/core/Generator.h>
#include <torch/types.h>

namespace mb::ml {

/** N(0, 1) of `shape` drawn with `gen` on the generator's device, returned with `options` (device, dtype). */
torch::Tensor seeded_randn(c10::IntArrayRef shape, at::Generator& gen, const torch::TensorOptions& options);
/** U[0, 1) likewise. */
torch::Tensor seeded_rand(c10::IntArrayRef shape, at::Generator& gen, const torch::TensorOptions& options);

} // namespace mb::ml
