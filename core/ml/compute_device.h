#pragma once
/**
 * \file compute_device.h
 * \brief Which device the models run on: `--device auto|cpu|cuda|cuda:N`, and what can be said about it.
 *
 * `auto` is the first CUDA device when LibTorch sees one (torch::cuda::is_available()), else the CPU.
 * `cuda` / `cuda:N` on a LibTorch build without CUDA (Debian's), on a machine without a visible device, or
 * with N past the last device is refused with DeviceUnavailable, whose message says what to do: nothing is
 * loaded and nothing aborts. CUDA-only calls (device name and memory, the caching allocator's statistics)
 * are compiled only where CMake found a CUDA LibTorch (MB_TORCH_CUDA); elsewhere those queries answer "not
 * known". The header needs only c10's Device type, no torch headers.
 */
#include <cstdint>
#include <stdexcept>
#include <string>

#include <c10/core/Device.h>

namespace mb::ml {

struct DeviceChoice {
    enum class Kind { Auto, Cpu, Cuda };
    Kind kind = Kind::Auto;
    int index = -1; ///< cuda:N; −1 = the first device (`cuda`)
};

/** "auto", "cpu", "cuda", "cuda:N" → the choice; throws std::invalid_argument naming the value otherwise. */
DeviceChoice parse_device(const std::string& text);
/** The choice as it would be written on the command line ("auto", "cpu", "cuda", "cuda:1"). */
std::string device_choice_name(const DeviceChoice& choice);

/** A device that was asked for and cannot be used here; what() says why and what to do instead. */
class DeviceUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** Whether this LibTorch was built with CUDA (at::hasCUDA(): false for Debian's CPU-only build). */
bool torch_has_cuda();
/** CUDA devices LibTorch can use: 0 without CUDA support or without a visible device. */
int cuda_device_count();

struct ResolvedDevice {
    c10::Device device{c10::DeviceType::CPU};
    std::string name;   ///< "cpu" or "cuda:N"
    std::string reason; ///< why, for the log and the sidecar ("requested", "auto: no CUDA device", …)
};

/** The device a choice means on this machine. Throws DeviceUnavailable (see the file comment). */
ResolvedDevice resolve_device(const DeviceChoice& choice);

/** "cpu" / "cuda:0" — the short name the sidecars store. */
std::string device_name(const c10::Device& device);
/**
 * One line for logs and sidecars: the device, what it is and the library versions, e.g.
 * "cuda:0 (NVIDIA H100 80GB HBM3, compute 9.0, 79.1 GiB); LibTorch 2.11.0, CUDA 13.0" or
 * "cpu; LibTorch 1.13.1 (no CUDA)".
 */
std::string device_description(const c10::Device& device);
/** TORCH_VERSION of the headers this was compiled against, e.g. "1.13.1". */
std::string libtorch_version();
/** The CUDA version LibTorch was built with ("13.0"); "" for a build without CUDA. */
std::string cuda_version();
/** Whether the CUDA device computes bfloat16 natively (compute capability ≥ 8.0); false on the CPU and
 *  wherever it is not known. */
bool cuda_has_native_bf16(const c10::Device& device);

/** Waits until the device has finished its queued work (CUDA kernels run asynchronously); no-op on the CPU.
 *  Timings of device work call it before reading the clock. */
void synchronize_device(const c10::Device& device);
/** The most bytes the CUDA caching allocator had handed out on the device since the last reset; −1 where not
 *  known (the CPU, or a build without CUDA). */
int64_t device_peak_allocated_bytes(const c10::Device& device);
/** Bytes free on the CUDA device now (cudaMemGetInfo: what the driver can still hand out, this process's
 *  own allocations already subtracted); −1 where not known (the CPU, or a build without CUDA). */
int64_t device_free_memory_bytes(const c10::Device& device);
/** Starts a new peak for device_peak_allocated_bytes (no-op where it is not known). */
void reset_device_peak_memory(const c10::Device& device);
/** Lets (or forbids) CUDA float32 matrix products and convolutions use TF32 tensor cores. Off gives float32
 *  results comparable to the CPU's; LibTorch's default lets cuDNN convolutions use TF32. No-op without CUDA.
 */
void set_cuda_tf32(bool allowed);

} // namespace mb::ml
