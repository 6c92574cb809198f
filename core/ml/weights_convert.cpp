#include "ml/weights_convert.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <torch/torch.h>

#include "ml/weights_file.h"

namespace fs = std::filesystem;

namespace mb::ml {

namespace {

bool hasSafetensorsWeights(const fs::path& dir) {
    for (const char* name :
         {"diffusion_pytorch_model.safetensors", "model.safetensors",
          "diffusion_pytorch_model.safetensors.index.json", "model.safetensors.index.json"}) {
        if (fs::exists(dir / name)) {
            return true;
        }
    }
    return false;
}

} // namespace

std::vector<std::string> folders_needing_conversion(const std::string& modelDir) {
    std::vector<std::string> out;
    if (!fs::is_directory(modelDir)) {
        return out;
    }
    std::vector<fs::path> dirs{fs::path(modelDir)};
    for (const auto& e : fs::directory_iterator(modelDir)) {
        if (e.is_directory()) {
            dirs.push_back(e.path());
        }
    }
    for (const fs::path& dir : dirs) {
        if (!hasSafetensorsWeights(dir) && !pickle_weight_files(dir.string()).empty()) {
            out.push_back(dir.string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> convert_weights_to_safetensors(const std::string& input, const std::string& output,
                                                        const std::string& dtypeName, const JobControl& job) {
    std::optional<torch::Dtype> dtype;
    if (dtypeName == "fp32") {
        dtype = torch::kFloat32;
    } else if (dtypeName == "fp16") {
        dtype = torch::kFloat16;
    } else if (dtypeName == "bf16") {
        dtype = torch::kBFloat16;
    } else if (!dtypeName.empty()) {
        throw std::invalid_argument("unknown weight dtype '" + dtypeName + "' (use fp32, fp16 or bf16)");
    }
    std::vector<std::string> written;
    for (const ConvertedFile& f : convert_weights(input, output, dtype, job)) {
        written.push_back(f.output);
    }
    return written;
}

} // namespace mb::ml
