#include "ml/latent_preview.h"

#include "ml/model_loader.h"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include <torch/torch.h>

namespace mb::ml {

namespace fs = std::filesystem;

nlohmann::json LatentRgbMap::to_json() const {
    nlohmann::json f = nlohmann::json::array();
    for (const auto& c : factors)
        f.push_back({c[0], c[1], c[2]});
    return {{"factors", f}, {"bias", {bias[0], bias[1], bias[2]}}};
}

LatentRgbMap LatentRgbMap::from_json(const nlohmann::json& j, const std::string& source) {
    auto bad = [&](const std::string& what) { return std::runtime_error(source + ": " + what); };
    if (!j.is_object() || !j.contains("factors") || !j["factors"].is_array() || j["factors"].empty())
        throw bad("expected {\"factors\": [[R, G, B] per latent channel], \"bias\": [R, G, B]}");
    auto number = [&](const nlohmann::json& v) {
        if (!v.is_number() || !std::isfinite(v.get<double>()))
            throw bad("every factor and bias must be a finite number");
        return v.get<double>();
    };
    LatentRgbMap m;
    m.source = source;
    for (const auto& row : j["factors"]) {
        if (!row.is_array() || row.size() != 3)
            throw bad("each latent channel needs exactly three factors (R, G, B)");
        m.factors.push_back({number(row[0]), number(row[1]), number(row[2])});
    }
    if (m.factors.size() > 64)
        throw bad("more than 64 latent channels");
    if (j.contains("bias")) {
        if (!j["bias"].is_array() || j["bias"].size() != 3)
            throw bad("\"bias\" must be three numbers (R, G, B)");
        m.bias = {number(j["bias"][0]), number(j["bias"][1]), number(j["bias"][2])};
    }
    return m;
}

std::optional<LatentRgbMap> latent_rgb_map_for(const std::string& modelDir, int64_t latentChannels,
                                               int64_t vaeScaleFactor) {
    const fs::path own = fs::path(modelDir) / "vae" / "latent_rgb.json";
    std::error_code ec;
    if (fs::is_regular_file(own, ec)) {
        LatentRgbMap m = LatentRgbMap::from_json(read_json_file(own.string()), own.string());
        if (int64_t(m.factors.size()) != latentChannels)
            throw std::runtime_error(own.string() + ": factors for " + std::to_string(m.factors.size()) +
                                     " latent channels, the VAE has " + std::to_string(latentChannels));
        return m;
    }
    if (latentChannels == 4 && vaeScaleFactor == 8) {
        // The approximation published for Stable Diffusion 1.x's VAE, which ModelScope and Zeroscope use.
        LatentRgbMap m;
        m.factors = {
            {0.298, 0.207, 0.208}, {0.187, 0.286, 0.173}, {-0.158, 0.189, 0.264}, {-0.184, -0.271, -0.473}};
        m.source = "published SD-VAE factors";
        return m;
    }
    return std::nullopt;
}

torch::Tensor latent_preview_rgb(const LatentRgbMap& map, const torch::Tensor& latentsIn) {
    torch::NoGradGuard noGrad;
    const torch::Tensor z =
        (latentsIn.dim() == 5 ? latentsIn[0] : latentsIn).to(torch::kCPU, torch::kFloat32);
    if (z.dim() != 4 || z.size(0) != int64_t(map.factors.size()))
        throw std::invalid_argument("latent preview: expected latents [1, " +
                                    std::to_string(map.factors.size()) + ", F, h, w]");
    std::vector<float> f;
    for (const auto& c : map.factors)
        f.insert(f.end(), {float(c[0]), float(c[1]), float(c[2])});
    const torch::Tensor factors = torch::tensor(f).view({z.size(0), 3}); // [C, 3]
    const torch::Tensor bias = torch::tensor({float(map.bias[0]), float(map.bias[1]), float(map.bias[2])});
    const torch::Tensor rgb = torch::matmul(z.permute({1, 2, 3, 0}), factors) + bias; // [F, h, w, 3]
    return ((rgb + 1.0) * 127.5).round().clamp(0, 255).to(torch::kUInt8).contiguous();
}

LatentRgbMap fit_latent_rgb_map(const torch::Tensor& latents, const torch::Tensor& images) {
    torch::NoGradGuard noGrad;
    if (latents.dim() != 4 || images.dim() != 4 || latents.size(0) != images.size(0) || images.size(1) != 3)
        throw std::invalid_argument(
            "fit_latent_rgb_map: expected latents [N, C, h, w] and images [N, 3, H, W]");
    const int64_t C = latents.size(1);
    const torch::Tensor target =
        torch::adaptive_avg_pool2d(images.to(torch::kFloat64), {latents.size(2), latents.size(3)})
            .permute({0, 2, 3, 1})
            .reshape({-1, 3});                                                                  // [M, 3]
    const torch::Tensor z = latents.to(torch::kFloat64).permute({0, 2, 3, 1}).reshape({-1, C}); // [M, C]
    const torch::Tensor design = torch::cat({z, torch::ones({z.size(0), 1}, z.options())}, 1);  // [M, C+1]
    // Normal equations in double: (AᵀA) x = Aᵀb, a (C+1)² system.
    const torch::Tensor solution =
        torch::linalg_solve(design.t().mm(design), design.t().mm(target)); // [C+1, 3]
    LatentRgbMap m;
    m.source = "fitted";
    for (int64_t c = 0; c < C; ++c)
        m.factors.push_back(
            {solution[c][0].item<double>(), solution[c][1].item<double>(), solution[c][2].item<double>()});
    m.bias = {solution[C][0].item<double>(), solution[C][1].item<double>(), solution[C][2].item<double>()};
    return m;
}

} // namespace mb::ml
