#pragma once
/**
 * \file reference_parity.h
 * \brief The tiny reference model against diffusers' vectors on any device and dtype: how far the text
 *        encoder, the VAE, the UNet and the whole 5-step pipeline are from the reference outputs.
 *
 * The reference (tests/data/reference: `tiny/` weights, `vectors/` outputs of diffusers v0.31 on a CPU in
 * float32) is what the parity tests check on the CPU. Here the same comparisons run on a chosen device, the
 * UNet in a chosen dtype (the text encoder and the VAE always compute in float32). Each check has a
 * tolerance:
 *  - float32: the CPU acceptance of vectors/README.md (text encoder 1e-5, VAE 1e-4, UNet 1e-4, pipeline
 *    latents 1e-3, video 1e-4), times `float32Scale` (1 on the CPU; 10 for CUDA with TF32 off, where
 *    reductions and convolution algorithms sum in other orders);
 *  - fp16 / bf16 (UNet and pipeline only): a fraction of each reference tensor's largest magnitude: one UNet
 *    call bf16 0.10, fp16 0.035; the pipeline latents after five CFG-7.5 steps (guidance multiplies the
 *    UNet's error by 7.5) and the decoded video bf16 0.15, fp16 0.05. bf16 was calibrated on the CPU, whose
 *    bf16 path keeps softmax and normalisation statistics in bf16 (measured: UNet 0.072, latents 0.066,
 *    video 0.051 of the largest magnitude); a CUDA device computes those in float32 and should stay well
 *    inside. fp16 has three more mantissa bits: a third of bf16, not yet measured on a GPU.
 * Needs only LibTorch; the header is torch-free.
 */
#include <string>
#include <vector>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

namespace mb::ml {

struct ParityCheck {
    std::string name;     ///< e.g. "unet_forward.out"
    double maxDiff = 0;   ///< max |ours − reference|
    double absMax = 0;    ///< max |reference|
    double tolerance = 0; ///< the bound maxDiff must stay within
    bool pass() const { return maxDiff <= tolerance; }
};

struct ParityOptions {
    std::string referenceDir; ///< holds tiny/ and vectors/
    c10::Device device{c10::DeviceType::CPU};
    c10::ScalarType dtype = c10::ScalarType::Float; ///< the UNet's compute dtype
    double float32Scale = 1;                        ///< see the file comment
};

/** The float32 tolerance factor for a device: 1 on the CPU, 10 elsewhere (see the file comment). */
double parity_float32_scale(const c10::Device& device);

/** Runs every check (see the file comment). Throws std::runtime_error when the reference is missing. */
std::vector<ParityCheck> run_reference_parity(const ParityOptions& options);

} // namespace mb::ml
