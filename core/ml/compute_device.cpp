#include "ml/compute_device.h"

#include <cstdio>

#include <ATen/Context.h>
#include <torch/cuda.h>
#include <torch/version.h>

// Only a CUDA LibTorch ships the CUDA runtime headers and c10_cuda: CMake defines MB_TORCH_CUDA for it alone.
#ifdef MB_TORCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>
#endif

namespace mb::ml {

namespace {

const char* kNoCudaBuild =
    "this LibTorch build has no CUDA support: use --device cpu, or build against a CUDA "
    "LibTorch (README)";

} // namespace

DeviceChoice parse_device(const std::string& text) {
    DeviceChoice c;
    if (text == "auto")
        return c;
    if (text == "cpu") {
        c.kind = DeviceChoice::Kind::Cpu;
        return c;
    }
    if (text == "cuda") {
        c.kind = DeviceChoice::Kind::Cuda;
        return c;
    }
    if (text.rfind("cuda:", 0) == 0 && text.size() > 5 && text.size() <= 8 &&
        text.find_first_not_of("0123456789", 5) == std::string::npos) {
        c.kind = DeviceChoice::Kind::Cuda;
        c.index = std::stoi(text.substr(5));
        return c;
    }
    throw std::invalid_argument("unknown device '" + text + "' (use auto, cpu, cuda or cuda:N)");
}

std::string device_choice_name(const DeviceChoice& c) {
    switch (c.kind) {
    case DeviceChoice::Kind::Auto:
        return "auto";
    case DeviceChoice::Kind::Cpu:
        return "cpu";
    case DeviceChoice::Kind::Cuda:
        break;
    }
    return c.index < 0 ? "cuda" : "cuda:" + std::to_string(c.index);
}

bool torch_has_cuda() {
    return at::hasCUDA();
}

int cuda_device_count() {
    return torch_has_cuda() ? static_cast<int>(torch::cuda::device_count()) : 0;
}

ResolvedDevice resolve_device(const DeviceChoice& c) {
    ResolvedDevice r;
    if (c.kind == DeviceChoice::Kind::Cpu) {
        r.name = "cpu";
        r.reason = "requested";
        return r;
    }
    const int count = cuda_device_count();
    if (c.kind == DeviceChoice::Kind::Auto) {
        if (count > 0) {
            r.device = c10::Device(c10::DeviceType::CUDA, 0);
            r.name = "cuda:0";
            r.reason = "auto: the first of " + std::to_string(count) + " CUDA device(s)";
        } else {
            r.name = "cpu";
            r.reason =
                torch_has_cuda() ? "auto: no CUDA device is visible" : "auto: this LibTorch has no CUDA";
        }
        return r;
    }
    if (!torch_has_cuda())
        throw DeviceUnavailable(kNoCudaBuild);
    if (count == 0)
        throw DeviceUnavailable(
            "no CUDA device is visible to this CUDA LibTorch (driver, CUDA_VISIBLE_DEVICES?): "
            "use --device cpu");
    const int index = c.index < 0 ? 0 : c.index;
    if (index >= count)
        throw DeviceUnavailable("cuda:" + std::to_string(index) + " does not exist: this machine has " +
                                std::to_string(count) +
                                " CUDA device(s), cuda:0 to cuda:" + std::to_string(count - 1));
    r.device = c10::Device(c10::DeviceType::CUDA, static_cast<c10::DeviceIndex>(index));
    r.name = "cuda:" + std::to_string(index);
    r.reason = "requested";
    return r;
}

std::string device_name(const c10::Device& d) {
    if (d.is_cuda())
        return "cuda:" + std::to_string(d.has_index() ? int(d.index()) : 0);
    return d.str();
}

std::string libtorch_version() {
    return TORCH_VERSION;
}

std::string cuda_version() {
#ifdef MB_TORCH_CUDA
    return std::to_string(CUDART_VERSION / 1000) + "." + std::to_string(CUDART_VERSION % 1000 / 10);
#else
    return {};
#endif
}

std::string device_description(const c10::Device& d) {
    std::string line = device_name(d);
#ifdef MB_TORCH_CUDA
    if (d.is_cuda()) {
        cudaDeviceProp prop{};
        if (cudaGetDeviceProperties(&prop, d.has_index() ? d.index() : 0) == cudaSuccess) {
            char memory[32];
            std::snprintf(memory, sizeof memory, "%.1f GiB", double(prop.totalGlobalMem) / (1 << 30));
            line += " (" + std::string(prop.name) + ", compute " + std::to_string(prop.major) + "." +
                    std::to_string(prop.minor) + ", " + memory + ")";
        }
    }
#endif
    line += "; LibTorch " + libtorch_version();
    const std::string cuda = cuda_version();
    line += cuda.empty() ? " (no CUDA)" : ", CUDA " + cuda;
    return line;
}

bool cuda_has_native_bf16(const c10::Device& d) {
#ifdef MB_TORCH_CUDA
    cudaDeviceProp prop{};
    return d.is_cuda() && cudaGetDeviceProperties(&prop, d.has_index() ? d.index() : 0) == cudaSuccess &&
           prop.major >= 8;
#else
    (void)d;
    return false;
#endif
}

void synchronize_device(const c10::Device& d) {
    if (d.is_cuda())
        torch::cuda::synchronize(d.has_index() ? d.index() : -1);
}

int64_t device_peak_allocated_bytes(const c10::Device& d) {
#ifdef MB_TORCH_CUDA
    if (d.is_cuda()) {
        // Entry 0 of each statistic array is the aggregate over the small and large pools (StatType
        // AGGREGATE); the index is used because the enum's namespace moved between LibTorch versions.
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(d.has_index() ? d.index() : 0);
        return stats.allocated_bytes[0].peak;
    }
#else
    (void)d;
#endif
    return -1;
}

int64_t device_free_memory_bytes(const c10::Device& d) {
#ifdef MB_TORCH_CUDA
    if (d.is_cuda()) {
        int previous = 0;
        if (cudaGetDevice(&previous) != cudaSuccess ||
            cudaSetDevice(d.has_index() ? d.index() : 0) != cudaSuccess)
            return -1;
        size_t freeBytes = 0, totalBytes = 0;
        const bool ok = cudaMemGetInfo(&freeBytes, &totalBytes) == cudaSuccess;
        cudaSetDevice(previous);
        return ok ? static_cast<int64_t>(freeBytes) : -1;
    }
#else
    (void)d;
#endif
    return -1;
}

void reset_device_peak_memory(const c10::Device& d) {
#ifdef MB_TORCH_CUDA
    if (d.is_cuda())
        c10::cuda::CUDACachingAllocator::resetPeakStats(d.has_index() ? d.index() : 0);
#else
    (void)d;
#endif
}

void set_cuda_tf32(bool allowed) {
    at::globalContext().setAllowTF32CuBLAS(allowed);
    at::globalContext().setAllowTF32CuDNN(allowed);
}

} // namespace mb::ml
