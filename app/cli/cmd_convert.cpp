// convert: PyTorch checkpoints (.bin/.pt/.pth/.ckpt, read without running pickle code) → safetensors, so a
// model downloaded as pickles is converted once and then loads fast.
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "ml/weights_file.h"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <vector>

#include <torch/types.h>

namespace mb::cli {
namespace {

/** --dtype value → torch dtype; UsageError for anything else. */
torch::Dtype parseDtype(const std::string& name) {
    if (name == "fp32" || name == "float32")
        return torch::kFloat32;
    if (name == "fp16" || name == "float16")
        return torch::kFloat16;
    if (name == "bf16" || name == "bfloat16")
        return torch::kBFloat16;
    throw UsageError("--dtype must be fp32, fp16 or bf16 (got '" + name + "')");
}

int runConvert(const Args& args) {
    ArgParser ap;
    ap.option("--output", "-o").option("--dtype").flag("--progress");
    ap.parse(args);
    ap.requirePositional(1, "DIR_OR_FILE");
    const auto output = ap.get("--output");
    if (!output)
        throw UsageError("convert needs -o OUT (a .safetensors file, or a folder for a model folder)");
    std::optional<torch::Dtype> dtype;
    if (const auto d = ap.get("--dtype"))
        dtype = parseDtype(*d);
    const JobControl job = makeConsoleJobControl(ap.has("--progress"), cancelOnSignals());
    // A cancelled conversion must leave no half-converted model behind: what it created, it removes.
    const bool outputExisted = std::filesystem::exists(*output);
    std::vector<ml::ConvertedFile> written;
    try {
        written = ml::convert_weights(ap.positional()[0], *output, dtype, job);
    } catch (const JobCancelled&) {
        std::error_code ec;
        if (!outputExisted)
            std::filesystem::remove_all(*output, ec);
        throw;
    }
    for (const auto& f : written) {
        std::printf("%s: %zu tensors, %.1f MB, from", f.output.c_str(), f.tensors, double(f.bytes) / 1e6);
        for (const auto& s : f.sources)
            std::printf(" %s", s.c_str());
        std::printf("\n");
    }
    if (written.empty())
        std::printf("no pickled weights found; other files copied to %s\n", output->c_str());
    return 0;
}

} // namespace

MB_CLI_COMMAND(
    "convert", "DIR_OR_FILE -o OUT [--dtype fp32|fp16|bf16] [--progress]",
    "converts PyTorch .bin/.pt/.pth/.ckpt weights (a file or a diffusers model folder) to safetensors "
    "with the same keys, never running pickle code",
    runConvert);

} // namespace mb::cli
