// The tiny reference model's parity on a device (reference_parity.h): text encoder, VAE, UNet and the 5-step
// pipeline against diffusers' vectors. The device and the UNet's dtype come from MB_TEST_DEVICE (auto, cpu,
// cuda, cuda:N; default cpu) and MB_TEST_DTYPE (fp32, bf16, fp16; default fp32), so the same test runs on a
// GPU machine (scripts/device-check.sh): float32 there with TF32 off, at the CPU tolerances × 10. On the CPU
// it also holds bf16 to the half-precision tolerances, which keeps those honest where no GPU is at hand.
#include "ml/compute_device.h"
#include "ml/compute_precision.h"
#include "ml/reference_parity.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

using namespace mb::ml;

namespace {

std::string env(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

void expectParity(const c10::Device& device, c10::ScalarType dtype, const std::string& dtypeName) {
    ParityOptions o;
    o.referenceDir = MB_TEST_DATA "/reference";
    o.device = device;
    o.dtype = dtype;
    o.float32Scale = parity_float32_scale(device);
    set_cuda_tf32(false); // float32 on CUDA compares against the CPU reference only without TF32
    std::printf("parity on %s, UNet in %s\n", device_description(device).c_str(), dtypeName.c_str());
    for (const ParityCheck& c : run_reference_parity(o)) {
        std::printf("  %-44s max|diff| %.3g (tolerance %.3g, reference absmax %.3g)%s\n", c.name.c_str(),
                    c.maxDiff, c.tolerance, c.absMax, c.pass() ? "" : "  FAIL");
        EXPECT_TRUE(c.pass()) << c.name << ": " << c.maxDiff << " > " << c.tolerance;
    }
}

} // namespace

TEST(DeviceParity, ReferenceOutputsOnTheTestDevice) {
    const ResolvedDevice device = resolve_device(parse_device(env("MB_TEST_DEVICE", "cpu")));
    const std::string dtypeName = env("MB_TEST_DTYPE", "fp32");
    const ResolvedPrecision precision = resolve_precision(parse_precision(dtypeName), device.device, 0);
    expectParity(device.device, precision.dtype, precision.name);
}

TEST(DeviceParity, Bf16OnTheCpuStaysWithinTheHalfPrecisionTolerances) {
    expectParity(c10::Device(c10::DeviceType::CPU), c10::ScalarType::BFloat16, "bf16");
}
