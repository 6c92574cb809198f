#include "ml/compute_precision.h"

#include "ml/compute_device.h"

#include <stdexcept>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace mb::ml {

PrecisionChoice parse_precision(const std::string& name) {
    if (name == "auto")
        return PrecisionChoice::Auto;
    if (name == "fp32" || name == "float32")
        return PrecisionChoice::Fp32;
    if (name == "bf16" || name == "bfloat16")
        return PrecisionChoice::Bf16;
    if (name == "fp16" || name == "float16")
        return PrecisionChoice::Fp16;
    throw std::invalid_argument("unknown precision '" + name + "' (use auto, fp32, bf16 or fp16)");
}

bool cpu_has_native_bf16() {
#if defined(__x86_64__) || defined(__i386__)
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) // OSXSAVE: XGETBV is usable
        return false;
    unsigned lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    // The OS must save the opmask and ZMM registers (XCR0 bits 5–7) besides SSE/AVX state (bits 1–2).
    const bool avx512State = (lo & 0xE6u) == 0xE6u;
    if (!avx512State || __get_cpuid_max(0, nullptr) < 7)
        return false;
    __cpuid_count(7, 0, a, b, c, d);
    const bool avx512f = b & (1u << 16);
    const bool amxBf16 = d & (1u << 22);
    __cpuid_count(7, 1, a, b, c, d);
    const bool avx512Bf16 = a & (1u << 5);
    return (avx512f && avx512Bf16) || amxBf16;
#else
    return false;
#endif
}

ResolvedPrecision resolve_cpu_precision(PrecisionChoice choice, int64_t unetParameters) {
    switch (choice) {
    case PrecisionChoice::Fp32:
        return {c10::ScalarType::Float, "fp32", "requested"};
    case PrecisionChoice::Bf16:
        return {c10::ScalarType::BFloat16, "bf16",
                cpu_has_native_bf16() ? "requested" : "requested (this CPU emulates bf16: slower than fp32)"};
    case PrecisionChoice::Fp16:
        throw std::invalid_argument("fp16 needs a CUDA device: LibTorch's CPU half-precision kernels are "
                                    "incomplete (use bf16 or fp32 on the CPU)");
    case PrecisionChoice::Auto:
        break;
    }
    if (!cpu_has_native_bf16())
        return {c10::ScalarType::Float, "fp32", "auto: the CPU has no native bf16"};
    if (unetParameters < kBf16AutoMinParameters)
        return {c10::ScalarType::Float, "fp32",
                "auto: the CPU computes bf16 natively, but a UNet of " +
                    std::to_string(unetParameters / 1000000) + " M parameters runs faster in fp32"};
    return {c10::ScalarType::BFloat16, "bf16", "auto: the CPU computes bf16 natively (AVX512-BF16/AMX)"};
}

ResolvedPrecision resolve_precision(PrecisionChoice choice, const c10::Device& device,
                                    int64_t unetParameters) {
    if (device.is_cpu())
        return resolve_cpu_precision(choice, unetParameters);
    switch (choice) {
    case PrecisionChoice::Fp32:
        return {c10::ScalarType::Float, "fp32", "requested (TF32 off)"};
    case PrecisionChoice::Bf16:
        return {c10::ScalarType::BFloat16, "bf16",
                cuda_has_native_bf16(device)
                    ? "requested"
                    : "requested (bf16 may be emulated before compute capability 8.0)"};
    case PrecisionChoice::Fp16:
        return {c10::ScalarType::Half, "fp16", "requested"};
    case PrecisionChoice::Auto:
        break;
    }
    return {c10::ScalarType::Half, "fp16", "auto: " + device_name(device) + " computes fp16 on tensor cores"};
}

ResolvedPrecision resolve_training_precision(PrecisionChoice choice, const c10::Device& device) {
    if (device.is_cpu()) {
        if (choice == PrecisionChoice::Bf16 || choice == PrecisionChoice::Fp16)
            throw std::invalid_argument("training in bf16/fp16 needs a CUDA device (autocast): on the CPU "
                                        "training runs in fp32 (use --dtype fp32 or auto)");
        return {c10::ScalarType::Float, "fp32",
                choice == PrecisionChoice::Auto ? "auto: training on the CPU runs in fp32" : "requested"};
    }
    switch (choice) {
    case PrecisionChoice::Fp32:
        return {c10::ScalarType::Float, "fp32", "requested (TF32 off)"};
    case PrecisionChoice::Bf16:
        return {
            c10::ScalarType::BFloat16, "bf16",
            cuda_has_native_bf16(device)
                ? "requested (autocast, fp32 weights)"
                : "requested (autocast, fp32 weights; bf16 may be emulated before compute capability 8.0)"};
    case PrecisionChoice::Fp16:
        return {c10::ScalarType::Half, "fp16", "requested (autocast with loss scaling, fp32 weights)"};
    case PrecisionChoice::Auto:
        break;
    }
    if (cuda_has_native_bf16(device))
        return {c10::ScalarType::BFloat16, "bf16",
                "auto: " + device_name(device) + " computes bf16 natively (autocast, fp32 weights)"};
    return {c10::ScalarType::Half, "fp16",
            "auto: " + device_name(device) +
                " has no native bf16 (autocast with loss scaling, fp32 weights)"};
}

} // namespace mb::ml
