// A UNet config's parameter count computed before anything is allocated: exact against Zeroscope's published
// count and the tiny model built here; a config too large for the machine refused naming its file.
#include "ml/model_loader.h"
#include "ml/model_size_check.h"
#include "ml/unet3d.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace mb::ml;
namespace fs = std::filesystem;

namespace {

const std::string kRef = MB_TEST_DATA "/reference";

nlohmann::json readJson(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

} // namespace

TEST(ModelSizeCheck, CountsZeroscopesParametersExactly) {
    const nlohmann::json config = readJson(kRef + "/zeroscope-keys/unet.config.json");
    const nlohmann::json counts = readJson(kRef + "/zeroscope-keys/param_counts.json");
    const auto n = unet3d_parameter_count(config);
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(std::uint64_t(*n), counts["unet"]["num_parameters"].get<std::uint64_t>());
}

TEST(ModelSizeCheck, CountsTheTinyModelAsBuilt) {
    const std::string path = kRef + "/tiny/unet/config.json";
    const nlohmann::json config = readJson(path);
    const UNet3DConditionModel unet(UNet3DConfig::from_json(config, path));
    std::uint64_t built = 0;
    for (const auto& p : unet->parameters())
        built += std::uint64_t(p.numel());
    const auto n = unet3d_parameter_count(config);
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(std::uint64_t(*n), built);
}

TEST(ModelSizeCheck, LeavesOtherConfigsAlone) {
    EXPECT_FALSE(unet3d_parameter_count(readJson(kRef + "/tiny/vae/config.json")).has_value());
    EXPECT_FALSE(unet3d_parameter_count(nlohmann::json::array()).has_value());
    nlohmann::json broken = readJson(kRef + "/tiny/unet/config.json");
    broken["layers_per_block"] = "two";
    EXPECT_FALSE(unet3d_parameter_count(broken).has_value());
    EXPECT_NO_THROW(check_config_fits_memory(readJson(kRef + "/tiny/vae/config.json"), "vae/config.json", 1));
    EXPECT_GT(machine_memory_bytes(), 0u);
}

TEST(ModelSizeCheck, RefusesAConfigBeyondTheMachinesMemoryNamingTheFile) {
    const fs::path dir = fs::temp_directory_path() / ("mb-model-size-" + std::to_string(::getpid()));
    fs::create_directories(dir / "unet");
    nlohmann::json config = readJson(kRef + "/tiny/unet/config.json");
    config["block_out_channels"] = {20000};
    config["down_block_types"] = {"CrossAttnDownBlock3D"};
    config["up_block_types"] = {"CrossAttnUpBlock3D"};
    config["norm_num_groups"] = 32;
    const std::string path = (dir / "unet/config.json").string();
    std::ofstream(path) << config.dump(2);
    // Directly, against a given memory size, and through the config readers every UNet is built from.
    try {
        check_config_fits_memory(config, path, 64ull << 30);
        ADD_FAILURE() << "accepted";
    } catch (const std::runtime_error& e) {
        const std::string msg = e.what();
        EXPECT_EQ(msg.rfind(path + ": ", 0), 0u) << msg;
        EXPECT_NE(msg.find("block_out_channels [20000]"), std::string::npos) << msg;
        EXPECT_NE(msg.find("more than the 64.0 GB of memory"), std::string::npos) << msg;
    }
    for (int via = 0; via < 2; ++via) {
        try {
            if (via == 0)
                (void)read_component_config((dir / "unet").string());
            else
                (void)UNet3DConfig::from_file(path);
            ADD_FAILURE() << "read " << path;
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find(path + ": this UNet3D config"), std::string::npos)
                << e.what();
            EXPECT_NE(std::string(e.what()).find("refusing to build it"), std::string::npos) << e.what();
        }
    }
    // The real config fits a machine with 16 GB (5.6 GB of float32 parameters).
    EXPECT_NO_THROW(
        check_config_fits_memory(readJson(kRef + "/zeroscope-keys/unet.config.json"), "unet", 16ull << 30));
    fs::remove_all(dir);
}
