// Diffusers folder reading and key-by-key weight loading with missing/unexpected/mis-shaped reports.
#include "ml/model_loader.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace fs = std::filesystem;
using namespace mb::ml;

namespace {

const std::string kTiny = MB_TEST_DATA "/reference/tiny";

/** A module shaped like a VAE mid-block attention plus a CLIP-style embedding, for key tests. */
struct ToyImpl : torch::nn::Module {
    ToyImpl() {
        attn = register_module("attn", torch::nn::ModuleDict());
        attn->update({{"to_q", std::make_shared<torch::nn::LinearImpl>(4, 4)},
                      {"to_k", std::make_shared<torch::nn::LinearImpl>(4, 4)}});
        auto out = torch::nn::ModuleList();
        out->push_back(torch::nn::Linear(4, 4));
        attn->update({{"to_out", out.ptr()}});
        norm = register_module("norm", torch::nn::GroupNorm(torch::nn::GroupNormOptions(2, 4)));
    }
    torch::nn::ModuleDict attn{nullptr};
    torch::nn::GroupNorm norm{nullptr};
};
TORCH_MODULE(Toy);

class Scratch {
public:
    Scratch() {
        m_dir = fs::temp_directory_path() /
                ("mb_loader_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
                 "_" + std::to_string(::getpid()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    ~Scratch() { fs::remove_all(m_dir); }
    std::string path(const std::string& name) const { return (m_dir / name).string(); }

private:
    fs::path m_dir;
};

TensorMap toyWeights() {
    torch::manual_seed(5);
    TensorMap m;
    for (const char* p : {"attn.to_q", "attn.to_k", "attn.to_out.0"}) {
        m[std::string(p) + ".weight"] = torch::randn({4, 4});
        m[std::string(p) + ".bias"] = torch::randn({4});
    }
    m["norm.weight"] = torch::randn({4});
    m["norm.bias"] = torch::randn({4});
    return m;
}

} // namespace

TEST(ModelLoader, ReadsTinyFolder) {
    const ModelFolder folder = open_model_folder(kTiny);
    EXPECT_EQ(folder.pipelineClass, "TextToVideoSDPipeline");
    ASSERT_EQ(folder.components.size(), 5u);
    EXPECT_EQ(folder.components.at("unet").className, "UNet3DConditionModel");
    EXPECT_EQ(folder.components.at("scheduler").library, "diffusers");
    EXPECT_EQ(read_component_config(folder.componentDir("unet"))["norm_num_groups"], 8);
    EXPECT_EQ(read_component_config(folder.componentDir("scheduler"))["_class_name"], "DDIMScheduler");
    const auto files = component_weight_files(folder.componentDir("text_encoder"));
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(fs::path(files[0]).filename(), "model.safetensors");
    const TensorMap unet = read_component_weights(folder.componentDir("unet"));
    EXPECT_EQ(unet.size(), 708u);
    int64_t params = 0;
    for (const auto& kv : unet) {
        params += kv.second.numel();
    }
    EXPECT_EQ(params, 1615588);
    EXPECT_THROW(open_model_folder(kTiny + "/unet"), std::runtime_error); // no model_index.json
    EXPECT_THROW(component_weight_files(kTiny + "/tokenizer"), std::runtime_error);
}

TEST(ModelLoader, LoadsExactKeysAndReports) {
    Toy toy;
    const TensorMap w = toyWeights();
    const KeyReport r = load_weights(*toy, w, "toy");
    EXPECT_TRUE(r.complete()) << r.summary();
    EXPECT_EQ(r.loaded.size(), 8u);
    EXPECT_TRUE(torch::equal(toy->norm->weight, w.at("norm.weight")));
    EXPECT_TRUE(torch::equal(toy->named_parameters()["attn.to_out.0.bias"], w.at("attn.to_out.0.bias")));

    TensorMap partial = w;
    partial.erase("norm.bias");
    partial["extra.weight"] = torch::zeros({2});
    partial["text_model.embeddings.position_ids"] = torch::arange(77).unsqueeze(0);
    const KeyReport p = load_weights(*toy, partial, "partial");
    EXPECT_FALSE(p.complete());
    EXPECT_EQ(p.missing, std::vector<std::string>{"norm.bias"});
    EXPECT_EQ(p.unexpected, std::vector<std::string>{"extra.weight"});
    EXPECT_EQ(p.ignored, std::vector<std::string>{"text_model.embeddings.position_ids"});
    EXPECT_NE(p.summary().find("norm.bias"), std::string::npos);
    LoadOptions strict;
    strict.requireComplete = true;
    EXPECT_THROW(load_weights(*toy, partial, "partial", strict), std::runtime_error);
}

TEST(ModelLoader, MisShapedKeyFailsLoudly) {
    Toy toy;
    TensorMap w = toyWeights();
    w["attn.to_k.weight"] = torch::zeros({4, 5});
    try {
        load_weights(*toy, w, "bad.safetensors");
        FAIL() << "accepted a mis-shaped key";
    } catch (const std::runtime_error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("attn.to_k.weight"), std::string::npos) << msg;
        EXPECT_NE(msg.find("[4, 4]"), std::string::npos) << msg;
        EXPECT_NE(msg.find("[4, 5]"), std::string::npos) << msg;
        EXPECT_NE(msg.find("bad.safetensors"), std::string::npos) << msg;
    }
}

TEST(ModelLoader, AcceptsOldVaeAttentionNames) {
    Toy toy;
    const TensorMap modern = toyWeights();
    TensorMap old;
    for (const auto& kv : modern) {
        std::string k = kv.first;
        for (auto [from, to] : {std::pair{"to_q", "query"}, {"to_k", "key"}, {"to_out.0", "proj_attn"}}) {
            const auto pos = k.find(from);
            if (pos != std::string::npos) {
                k = k.substr(0, pos) + to + k.substr(pos + std::strlen(from));
            }
        }
        // Some old files store the projections as 1×1 convolutions.
        old[k] = kv.first.find("to_q.weight") != std::string::npos ? kv.second.view({4, 4, 1, 1}) : kv.second;
    }
    ASSERT_TRUE(old.count("attn.proj_attn.bias"));
    const KeyReport r = load_weights(*toy, old, "old-vae");
    EXPECT_TRUE(r.complete()) << r.summary();
    EXPECT_EQ(r.renamed.size(), 6u);
    EXPECT_TRUE(torch::equal(toy->named_parameters()["attn.to_q.weight"], modern.at("attn.to_q.weight")));
    EXPECT_TRUE(
        torch::equal(toy->named_parameters()["attn.to_out.0.weight"], modern.at("attn.to_out.0.weight")));
}

TEST(ModelLoader, ShardedIndexAndStreamingLoad) {
    Scratch s;
    const TensorMap w = toyWeights();
    TensorMap a, b;
    nlohmann::json index;
    index["metadata"] = {{"total_size", 0}};
    for (const auto& kv : w) {
        const bool first = kv.first.rfind("attn", 0) == 0;
        (first ? a : b)[kv.first] = kv.second;
        index["weight_map"][kv.first] =
            first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
    }
    write_safetensors(s.path("model-00001-of-00002.safetensors"), a);
    write_safetensors(s.path("model-00002-of-00002.safetensors"), b);
    std::ofstream(s.path("model.safetensors.index.json")) << index.dump(2);
    const auto files = component_weight_files(s.path(""));
    EXPECT_EQ(files.size(), 2u);
    EXPECT_EQ(read_component_weights(s.path("")).size(), w.size());
    Toy toy;
    const KeyReport r = load_component_weights(*toy, s.path(""));
    EXPECT_TRUE(r.complete()) << r.summary();
    EXPECT_TRUE(torch::equal(toy->norm->bias, w.at("norm.bias")));
}

TEST(ModelLoader, BinFolderIsReadAndAFakeBinIsRefusedClearly) {
    // A folder with only a PyTorch .bin file is taken (issue 8: read safely, never unpickled), and a file
    // that is not really a PyTorch checkpoint is refused with its name.
    Scratch s;
    std::ofstream(s.path("diffusion_pytorch_model.bin")) << "not read";
    const auto files = component_weight_files(s.path(""));
    ASSERT_EQ(files.size(), 1u);
    EXPECT_NE(files[0].find("diffusion_pytorch_model.bin"), std::string::npos);
    try {
        read_component_weights(s.path(""));
        FAIL();
    } catch (const std::runtime_error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("diffusion_pytorch_model.bin"), std::string::npos) << msg;
    }
}
