// `--dtype`: names parse or are refused by name, fp16 is refused on the CPU, and `auto` keeps small models in
// fp32 (their steps are overhead-bound) while large ones take bf16 where the CPU computes it natively.
#include "ml/compute_precision.h"

#include <gtest/gtest.h>

using namespace mb::ml;

TEST(ComputePrecision, NamesParseAndBadOnesAreRefused) {
    EXPECT_EQ(parse_precision("auto"), PrecisionChoice::Auto);
    EXPECT_EQ(parse_precision("fp32"), PrecisionChoice::Fp32);
    EXPECT_EQ(parse_precision("bf16"), PrecisionChoice::Bf16);
    EXPECT_EQ(parse_precision("fp16"), PrecisionChoice::Fp16);
    try {
        parse_precision("int8");
        ADD_FAILURE();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("int8"), std::string::npos);
    }
}

TEST(ComputePrecision, ExplicitChoicesAndAuto) {
    EXPECT_EQ(resolve_cpu_precision(PrecisionChoice::Fp32, 1'000'000'000).dtype, c10::ScalarType::Float);
    EXPECT_EQ(resolve_cpu_precision(PrecisionChoice::Bf16, 1000).dtype, c10::ScalarType::BFloat16);
    EXPECT_THROW(resolve_cpu_precision(PrecisionChoice::Fp16, 1000), std::invalid_argument);

    const ResolvedPrecision small = resolve_cpu_precision(PrecisionChoice::Auto, 2'400'000);
    EXPECT_EQ(small.dtype, c10::ScalarType::Float) << "a small UNet stays in fp32 on any CPU";
    EXPECT_EQ(small.name, "fp32");
    const ResolvedPrecision large = resolve_cpu_precision(PrecisionChoice::Auto, 1'400'000'000);
    EXPECT_EQ(large.dtype, cpu_has_native_bf16() ? c10::ScalarType::BFloat16 : c10::ScalarType::Float);
    EXPECT_NE(large.reason.find("auto"), std::string::npos);
}
