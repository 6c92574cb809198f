// `--device`: names parse or are refused by name; on a LibTorch without CUDA (Debian's) `auto` is the CPU and
// `cuda` / `cuda:N` are refused with DeviceUnavailable saying what to do; the CPU's description names the
// LibTorch version; a CUDA device resolves `--dtype auto` to fp16 and accepts fp16/bf16/fp32, while fp16
// stays refused on the CPU; the device memory figures are "not known" (−1) on the CPU. And the attention
// kernel choice: SDPA, where LibTorch has it, equals the explicit path.
#include "ml/attention.h"
#include "ml/compute_device.h"
#include "ml/compute_precision.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace mb::ml;

TEST(ComputeDevice, NamesParseAndBadOnesAreRefused) {
    EXPECT_EQ(parse_device("auto").kind, DeviceChoice::Kind::Auto);
    EXPECT_EQ(parse_device("cpu").kind, DeviceChoice::Kind::Cpu);
    EXPECT_EQ(parse_device("cuda").kind, DeviceChoice::Kind::Cuda);
    EXPECT_EQ(parse_device("cuda").index, -1);
    EXPECT_EQ(parse_device("cuda:3").index, 3);
    for (const char* name : {"auto", "cpu", "cuda", "cuda:3"})
        EXPECT_EQ(device_choice_name(parse_device(name)), name);
    for (const char* bad : {"gpu", "cuda:", "cuda:x", "cuda:-1", "CPU", "cuda:123456", ""}) {
        try {
            parse_device(bad);
            ADD_FAILURE() << bad;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("'" + std::string(bad) + "'"), std::string::npos)
                << e.what();
        }
    }
}

TEST(ComputeDevice, ResolvesToWhatThisBuildHas) {
    const ResolvedDevice cpu = resolve_device(parse_device("cpu"));
    EXPECT_TRUE(cpu.device.is_cpu());
    EXPECT_EQ(cpu.name, "cpu");
    const ResolvedDevice autoDevice = resolve_device(parse_device("auto"));
    if (cuda_device_count() == 0) {
        EXPECT_TRUE(autoDevice.device.is_cpu());
        EXPECT_NE(autoDevice.reason.find("auto"), std::string::npos);
        for (const char* name : {"cuda", "cuda:0", "cuda:7"})
            EXPECT_THROW(resolve_device(parse_device(name)), DeviceUnavailable) << name;
    } else {
        EXPECT_TRUE(autoDevice.device.is_cuda());
        EXPECT_EQ(autoDevice.name, "cuda:0");
        EXPECT_THROW(resolve_device(parse_device("cuda:" + std::to_string(cuda_device_count()))),
                     DeviceUnavailable);
    }
    if (!torch_has_cuda()) {
        try {
            resolve_device(parse_device("cuda"));
            ADD_FAILURE();
        } catch (const DeviceUnavailable& e) {
            EXPECT_EQ(std::string(e.what()),
                      "this LibTorch build has no CUDA support: use --device cpu, or build "
                      "against a CUDA LibTorch (README)");
        }
        EXPECT_TRUE(cuda_version().empty());
    }
}

TEST(ComputeDevice, DescriptionAndMemoryFigures) {
    const c10::Device cpu(c10::DeviceType::CPU);
    const std::string d = device_description(cpu);
    EXPECT_EQ(d.rfind("cpu; LibTorch " + libtorch_version(), 0), 0u) << d;
    EXPECT_EQ(device_name(cpu), "cpu");
    EXPECT_EQ(device_name(c10::Device(c10::DeviceType::CUDA, 1)), "cuda:1");
    EXPECT_EQ(device_peak_allocated_bytes(cpu), -1);
    reset_device_peak_memory(cpu); // no-op
    synchronize_device(cpu);       // no-op
    EXPECT_FALSE(cuda_has_native_bf16(cpu));
}

TEST(ComputeDevice, PrecisionOnACudaDevice) {
    const c10::Device cuda(c10::DeviceType::CUDA, 0); // a device object; nothing runs on it
    const ResolvedPrecision a = resolve_precision(PrecisionChoice::Auto, cuda, 1'400'000'000);
    EXPECT_EQ(a.dtype, c10::ScalarType::Half);
    EXPECT_EQ(a.name, "fp16");
    EXPECT_NE(a.reason.find("auto"), std::string::npos);
    EXPECT_EQ(resolve_precision(PrecisionChoice::Fp16, cuda, 0).dtype, c10::ScalarType::Half);
    EXPECT_EQ(resolve_precision(PrecisionChoice::Bf16, cuda, 0).dtype, c10::ScalarType::BFloat16);
    EXPECT_EQ(resolve_precision(PrecisionChoice::Fp32, cuda, 0).dtype, c10::ScalarType::Float);
    // The CPU keeps its rules: fp16 refused, auto by size.
    const c10::Device cpu(c10::DeviceType::CPU);
    EXPECT_THROW(resolve_precision(PrecisionChoice::Fp16, cpu, 0), std::invalid_argument);
    EXPECT_EQ(resolve_precision(PrecisionChoice::Auto, cpu, 2'400'000).dtype, c10::ScalarType::Float);
}

TEST(AttentionKernel, SdpaEqualsTheExplicitPathWhereLibTorchHasIt) {
    torch::NoGradGuard noGrad;
    torch::manual_seed(3);
    const torch::Tensor q = torch::randn({3, 50, 4 * 16}), k = torch::randn({3, 40, 4 * 16});
    const torch::Tensor v = torch::randn({3, 40, 4 * 8});
    const double scale = 1.0 / 4.0;
    EXPECT_EQ(attention_kernel(), AttentionKernel::Auto);
    set_attention_kernel(AttentionKernel::Explicit);
    const torch::Tensor reference = multi_head_attention(q, k, v, 4, scale);
    set_attention_kernel(AttentionKernel::Auto);
    EXPECT_TRUE(torch::equal(multi_head_attention(q, k, v, 4, scale), reference))
        << "Auto keeps the explicit path on the CPU";
    set_attention_kernel(AttentionKernel::Sdpa);
    const torch::Tensor sdpa = multi_head_attention(q, k, v, 4, scale);
    set_attention_kernel(AttentionKernel::Auto);
    if (!sdpa_available()) {
        EXPECT_TRUE(torch::equal(sdpa, reference)) << "without SDPA every call takes the explicit path";
        return;
    }
    EXPECT_EQ(sdpa.sizes(), reference.sizes());
    EXPECT_LE((sdpa - reference).abs().max().item<double>(), 1e-5);
}
