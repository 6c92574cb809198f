#pragma once
/**
 * \file parallel_ops.h
 * \brief Matrix products that parallelise themselves over LibTorch's intra-op (OpenMP) threads.
 *
 * Why: Debian's LibTorch calls OpenBLAS built with its own pthread pool. With both pools sized to the core
 * count, OpenMP threads that spin after each parallel region and OpenBLAS threads that spin waiting for work
 * fight over the same cores; on this 2-core machine a tiny-UNet step went from 0.05 s to 1.5 s unless
 * OMP_WAIT_POLICY=PASSIVE is set before the process starts. The robust setup is one pool: OpenBLAS at one
 * thread, and the big products split by rows across the OpenMP threads, each part a single-threaded GEMM.
 * These helpers do that split when (a) no gradient is needed, (b) LibTorch has more than one thread and
 * (c) OpenBLAS runs single-threaded (or is absent); otherwise they are the plain LibTorch op.
 */
#include <functional>
#include <vector>

#include <torch/nn/modules/linear.h>
#include <torch/types.h>

namespace mb::ml {

/** x·Wᵀ + b over the last dimension of x (like torch::nn::functional::linear). */
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias = {});
/** Applies a Linear module through linear() above. */
torch::Tensor linear(const torch::nn::Linear& module, const torch::Tensor& x);

/** True when products should be split over OpenMP threads by us (see file comment). */
bool split_products_over_threads();

/**
 * Runs independent tasks at the same time, one per OpenMP thread (up to at::get_num_threads(); more tasks
 * are shared out in order), each with LibTorch's calling-thread modes (inference mode, no grad) and with
 * every op inside single-threaded, OpenBLAS included. For whole-model calls that are too small to keep two
 * cores busy op by op (classifier-free guidance's two passes, batch slices). Rethrows a task's exception.
 */
void run_concurrently(const std::vector<std::function<void()>>& tasks);

} // namespace mb::ml
