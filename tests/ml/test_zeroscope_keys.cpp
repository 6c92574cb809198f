// The real Zeroscope UNet and VAE, built from their config.json, have exactly the diffusers state_dict keys
// and shapes (zeroscope-keys/*.keys.txt, in any order). The UNet is built in bfloat16 to halve the memory
// and time of materialising its 1.4 G parameters (shapes do not depend on the dtype); the text encoder's
// key test belongs with the CLIP model's own tests.
#include "ml/unet3d.h"
#include "ml/vae.h"

#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace mb::ml;

namespace {

const std::string kKeys = MB_TEST_DATA "/reference/zeroscope-keys";

using KeyShapes = std::map<std::string, std::vector<int64_t>>;

KeyShapes readKeyFile(const std::string& path) {
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << path;
    KeyShapes out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream fields(line);
        std::string key, shape;
        std::getline(fields, key, '\t');
        std::getline(fields, shape, '\t');
        std::vector<int64_t> dims;
        for (char& c : shape) {
            if (c == '[' || c == ']' || c == ',') {
                c = ' ';
            }
        }
        std::istringstream ds(shape);
        for (int64_t d; ds >> d;) {
            dims.push_back(d);
        }
        EXPECT_TRUE(out.emplace(key, dims).second) << "duplicate key " << key;
    }
    return out;
}

KeyShapes moduleKeys(const torch::nn::Module& m) {
    KeyShapes out;
    for (const auto& p : m.named_parameters()) {
        out.emplace(p.key(), p.value().sizes().vec());
    }
    for (const auto& b : m.named_buffers()) {
        out.emplace(b.key(), b.value().sizes().vec());
    }
    return out;
}

void expectSameKeys(const KeyShapes& got, const KeyShapes& want) {
    for (const auto& kv : want) {
        const auto it = got.find(kv.first);
        if (it == got.end()) {
            ADD_FAILURE() << "missing key " << kv.first;
        } else {
            EXPECT_EQ(it->second, kv.second) << kv.first;
        }
    }
    for (const auto& kv : got) {
        EXPECT_TRUE(want.count(kv.first)) << "unexpected key " << kv.first;
    }
    EXPECT_EQ(got.size(), want.size());
}

/** Temporarily changes the dtype new parameters get. */
struct DefaultDtype {
    caffe2::TypeMeta saved = torch::get_default_dtype();
    explicit DefaultDtype(caffe2::TypeMeta t) { torch::set_default_dtype(t); }
    ~DefaultDtype() { torch::set_default_dtype(saved); }
};

} // namespace

TEST(ZeroscopeKeys, VaeMatchesKeyList) {
    const KeyShapes want = readKeyFile(kKeys + "/vae.keys.txt");
    ASSERT_EQ(want.size(), 248u);
    AutoencoderKL vae(VaeConfig::from_file(kKeys + "/vae.config.json"));
    EXPECT_EQ(vae->config().scaleFactor(), 8);
    const KeyShapes got = moduleKeys(*vae);
    expectSameKeys(got, want);
    int64_t total = 0;
    for (const auto& p : vae->parameters()) {
        total += p.numel();
    }
    EXPECT_EQ(total, 83653863);
}

TEST(ZeroscopeKeys, UNetMatchesKeyListForBothConfigs) {
    const KeyShapes want = readKeyFile(kKeys + "/unet.keys.txt");
    ASSERT_EQ(want.size(), 1480u);
    for (const std::string& cfg :
         {kKeys + "/unet.config.json", kKeys + "/text-to-video-ms-1.7b/unet.config.json"}) {
        SCOPED_TRACE(cfg);
        torch::manual_seed(0);
        DefaultDtype bf16(caffe2::TypeMeta::Make<at::BFloat16>());
        UNet3DConditionModel unet(UNet3DConfig::from_file(cfg));
        const KeyShapes got = moduleKeys(*unet);
        expectSameKeys(got, want);
        int64_t total = 0;
        for (const auto& p : unet->parameters()) {
            total += p.numel();
        }
        EXPECT_EQ(total, 1411233860);
        // STCA layers by structure: down block 2 (2 layers) and up block 1 (3 layers) — ruling 15.
        int stca = 0;
        for (const auto& info : unet->cross_attention_layers()) {
            if (info.isStcaLayer) {
                ++stca;
                EXPECT_TRUE((info.block == CrossAttentionInfo::Block::Down && info.blockIndex == 2) ||
                            (info.block == CrossAttentionInfo::Block::Up && info.blockIndex == 1))
                    << info.modulePath;
            }
        }
        EXPECT_EQ(stca, 5);
    }
}
