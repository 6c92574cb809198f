// Step previews without the VAE: the least-squares latent→RGB fit recovers a known linear map, the map file
// round-trips and refuses malformed content by name, the SD-VAE family gets the published factors, and the
// preview has the latent's frames and size.
#include "ml/latent_preview.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <torch/torch.h>

namespace fs = std::filesystem;
using namespace mb::ml;

TEST(LatentPreview, FitRecoversALinearMapAndPreviewsInRange) {
    torch::manual_seed(3);
    const torch::Tensor z = torch::randn({6, 4, 5, 7}); // [N, C, h, w]
    const torch::Tensor A =
        torch::tensor({{0.3, -0.2, 0.1}, {0.0, 0.4, -0.1}, {0.2, 0.1, 0.3}, {-0.3, 0.0, 0.2}});
    const torch::Tensor b = torch::tensor({0.05, -0.1, 0.2});
    // Each latent cell stands for a 4×4 block of identical pixels, so area-averaging gives the cell's colour.
    const torch::Tensor cell =
        (torch::matmul(z.permute({0, 2, 3, 1}), A) + b).permute({0, 3, 1, 2}); // [N,3,h,w]
    const torch::Tensor images = cell.repeat_interleave(4, 2).repeat_interleave(4, 3);
    const LatentRgbMap m = fit_latent_rgb_map(z, images);
    ASSERT_EQ(m.factors.size(), 4u);
    for (int c = 0; c < 4; ++c)
        for (int k = 0; k < 3; ++k)
            EXPECT_NEAR(m.factors[size_t(c)][size_t(k)], A[c][k].item<double>(), 1e-5);
    for (int k = 0; k < 3; ++k)
        EXPECT_NEAR(m.bias[size_t(k)], b[k].item<double>(), 1e-5);

    const torch::Tensor preview = latent_preview_rgb(m, z.permute({1, 0, 2, 3}).unsqueeze(0)); // [1,C,F,h,w]
    EXPECT_EQ(preview.sizes(), torch::IntArrayRef({6, 5, 7, 3}));
    EXPECT_EQ(preview.scalar_type(), torch::kUInt8);
    const double expected = ((cell[2][1][3][4].item<double>() + 1) * 127.5);
    EXPECT_NEAR(preview[2][3][4][1].item<int>(), std::clamp(expected, 0.0, 255.0), 1.0);
}

TEST(LatentPreview, MapFileRoundTripsAndErrorsNameTheFile) {
    const fs::path dir = fs::temp_directory_path() / "mb-latent-preview";
    fs::remove_all(dir);
    fs::create_directories(dir / "vae");
    EXPECT_FALSE(latent_rgb_map_for(dir.string(), 4, 4).has_value()) << "no map for an unknown VAE";
    const auto sd = latent_rgb_map_for(dir.string(), 4, 8);
    ASSERT_TRUE(sd.has_value());
    EXPECT_EQ(sd->source, "published SD-VAE factors");
    EXPECT_DOUBLE_EQ(sd->factors[3][2], -0.473);

    LatentRgbMap m;
    m.factors = {{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}, {0.7, 0.8, 0.9}, {1.0, 1.1, 1.2}};
    m.bias = {0.01, 0.02, 0.03};
    std::ofstream(dir / "vae" / "latent_rgb.json") << m.to_json().dump();
    const auto own = latent_rgb_map_for(dir.string(), 4, 4);
    ASSERT_TRUE(own.has_value());
    EXPECT_EQ(own->factors, m.factors);
    EXPECT_EQ(own->bias, m.bias);
    EXPECT_NE(own->source.find("latent_rgb.json"), std::string::npos);
    try {
        latent_rgb_map_for(dir.string(), 8, 4);
        ADD_FAILURE() << "a map for 4 channels must not serve an 8-channel VAE";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("latent_rgb.json"), std::string::npos) << e.what();
    }
    std::ofstream(dir / "vae" / "latent_rgb.json") << R"({"factors": [[1, 2], [3, 4, 5]]})";
    EXPECT_THROW(latent_rgb_map_for(dir.string(), 2, 4), std::runtime_error);
    std::ofstream(dir / "vae" / "latent_rgb.json") << R"({"factors": [[1, 2, "x"]]})";
    EXPECT_THROW(latent_rgb_map_for(dir.string(), 1, 4), std::runtime_error);
    fs::remove_all(dir);
}
