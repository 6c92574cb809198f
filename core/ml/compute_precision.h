#pragma once
/**
 * \file compute_precision.h
 * \brief Which floating-point type the UNet computes in: `--dtype auto|fp32|bf16|fp16`.
 *
 * bfloat16 keeps float32's exponent range with an 8-bit mantissa; CPUs with AVX512-BF16 or AMX run its
 * matrix products at about twice the float32 rate, so a bf16 take of the same model, size and steps takes
 * about half the time, at a deviation from the float32 take that the tests bound. `auto` picks bf16 on such
 * a CPU for models large enough for matrix products to dominate a step, and float32 elsewhere: where bf16
 * is emulated it is slower, and a small model's step is bound by per-operation overhead and the extra
 * conversions (measured on the built-in 2.4 M-parameter model, 112×64×8, 25 steps, one thread: 19.8 s in
 * bf16 against 16.3 s in float32; the Zeroscope UNet at 256×144×8: 5.65 s against 11.40 s per step). fp16
 * on the CPU is refused: LibTorch's CPU half-precision kernels are incomplete.
 *
 * On a CUDA device `auto` is fp16, what diffusers runs Zeroscope in: tensor cores compute fp16 and bf16 at
 * the same rate and fp16 keeps three more mantissa bits, so its takes stay closer to the float32 one. bf16 is
 * accepted too (emulated, and slower, before compute capability 8.0); fp32 there runs without TF32
 * (LibTorch's default for matrix products). In half precision the attention softmax and the normalisation
 * statistics still compute in float32 (attention.cpp, unet_blocks.cpp). The text encoder, the sampler,
 * guidance and the VAE always compute in float32.
 */
#include <cstdint>
#include <string>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

namespace mb::ml {

enum class PrecisionChoice { Auto, Fp32, Bf16, Fp16 };

/** "auto", "fp32", "bf16", "fp16" → the choice; throws std::invalid_argument naming the value otherwise. */
PrecisionChoice parse_precision(const std::string& name);

/** Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX-BF16, with the OS saving AVX-512 state).
 */
bool cpu_has_native_bf16();

struct ResolvedPrecision {
    c10::ScalarType dtype = c10::ScalarType::Float;
    std::string name; ///< "fp32", "bf16" or "fp16"
    std::string
        reason; ///< why, for the sidecar and the log ("requested", "auto: the CPU has AVX512-BF16", …)
};

/** UNets with at least this many parameters run faster in bf16 on a CPU that computes it natively. */
constexpr int64_t kBf16AutoMinParameters = 50'000'000;

/** What a CPU run of a UNet with `unetParameters` parameters computes in for `choice`. Throws
 *  std::invalid_argument for fp16 (see the file comment). */
ResolvedPrecision resolve_cpu_precision(PrecisionChoice choice, int64_t unetParameters);

/** What a run on `device` computes in: resolve_cpu_precision() on the CPU; on a CUDA device `auto` is fp16
 *  and every choice is accepted (see the file comment). */
ResolvedPrecision resolve_precision(PrecisionChoice choice, const c10::Device& device,
                                    int64_t unetParameters);

/**
 * What training (subject learning, pretraining) on `device` computes its forward passes in. Weights,
 * gradients and optimizer state are always float32 (mixed_precision.h). On the CPU: float32 for `auto` and
 * fp32; bf16 and fp16 are refused (std::invalid_argument): autocast training runs on CUDA only, and the
 * CPU path stays plain float32. On CUDA: `auto` is bf16 autocast where the device computes bf16 natively
 * (compute capability ≥ 8.0: float32's range, no loss scaling), else fp16 autocast with loss scaling; fp32
 * runs without TF32.
 */
ResolvedPrecision resolve_training_precision(PrecisionChoice choice, const c10::Device& device);

} // namespace mb::ml
