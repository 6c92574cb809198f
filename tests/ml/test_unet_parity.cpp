// UNet3DConditionModel (tiny) against the diffusers vectors. Tolerance: max|Δ| ≤ 1e-4 on every output and
// intermediate (vectors/README suggested acceptance; 1-vs-2-thread reference noise is ≤ 1.2e-5).
#include "ml/unet3d.h"

#include <map>
#include <set>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "ml/model_loader.h"
#include "ml/parallel_ops.h"
#include "ml/safetensors.h"
#include "ml/threads.h"

using namespace mb::ml;

namespace {

const std::string kRef = MB_TEST_DATA "/reference";
constexpr double kTol = 1e-4;

UNet3DConditionModel loadTiny() {
    UNet3DConditionModel unet(UNet3DConfig::from_file(kRef + "/tiny/unet/config.json"));
    LoadOptions strict;
    strict.requireComplete = true;
    const KeyReport r = load_component_weights(*unet, kRef + "/tiny/unet", strict);
    EXPECT_EQ(r.loaded.size(), 708u);
    unet->eval();
    return unet;
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
    EXPECT_EQ(a.sizes(), b.sizes());
    if (a.sizes() != b.sizes()) {
        return 1e30;
    }
    return (a - b).abs().max().item<double>();
}

/** Records every call; optionally adds a bias and observes probabilities. */
class RecordingHook : public CrossAttentionHook {
public:
    std::vector<CrossAttentionInfo> seen;
    std::map<std::string, torch::Tensor> probs;
    std::function<torch::Tensor(const CrossAttentionInfo&)> biasFn;
    bool observeStcaOnly = false;
    torch::Tensor logit_bias(const CrossAttentionInfo& info) override {
        seen.push_back(info);
        return biasFn ? biasFn(info) : torch::Tensor();
    }
    bool wants_probabilities(const CrossAttentionInfo& info) override {
        return !observeStcaOnly || info.isStcaLayer;
    }
    void observe_probabilities(const CrossAttentionInfo& info, const torch::Tensor& p) override {
        probs[info.modulePath] = p;
    }
};

} // namespace

TEST(UNetParity, ForwardOutputs) {
    UNet3DConditionModel unet = loadTiny();
    const TensorMap ref = read_safetensors(kRef + "/vectors/unet_forward.safetensors");
    torch::NoGradGuard noGrad;
    const torch::Tensor& sample = ref.at("sample");
    const torch::Tensor& ehs = ref.at("encoder_hidden_states");

    const torch::Tensor out = unet(sample, ref.at("timestep"), ehs);
    EXPECT_LE(maxAbsDiff(out, ref.at("out")), kTol);
    // A 0-d timestep (what diffusers got) gives the same.
    EXPECT_LE(maxAbsDiff(unet(sample, ref.at("timestep")[0], ehs), ref.at("out")), kTol);
    // The reference ignores attention masks: its masked output equals ours without one.
    EXPECT_LE(maxAbsDiff(out, ref.at("out_with_attention_mask")), kTol);
    EXPECT_LE(
        maxAbsDiff(unet(sample, ref.at("timesteps_per_sample"), ehs), ref.at("out_timesteps_per_sample")),
        kTol);
    EXPECT_LE(maxAbsDiff(unet(sample, ref.at("timestep_float"), ehs), ref.at("out_timestep_float")), kTol);
    EXPECT_LE(maxAbsDiff(unet(sample, ref.at("timestep_float").to(torch::kFloat64), ehs),
                         ref.at("out_timestep_float")),
              kTol);
}

TEST(UNetParity, OddSizeAndSingleFrame) {
    UNet3DConditionModel unet = loadTiny();
    torch::NoGradGuard noGrad;
    for (const char* name : {"unet_forward_odd", "unet_forward_f1"}) {
        SCOPED_TRACE(name);
        const TensorMap ref = read_safetensors(kRef + "/vectors/" + name + ".safetensors");
        const torch::Tensor out = unet(ref.at("sample"), ref.at("timestep"), ref.at("encoder_hidden_states"));
        EXPECT_LE(maxAbsDiff(out, ref.at("out")), kTol);
    }
}

TEST(UNetParity, Intermediates) {
    UNet3DConditionModel unet = loadTiny();
    const TensorMap fwd = read_safetensors(kRef + "/vectors/unet_forward.safetensors");
    const TensorMap ref = read_safetensors(kRef + "/vectors/unet_intermediates.safetensors");
    std::map<std::string, torch::Tensor> got;
    torch::NoGradGuard noGrad;
    unet->forward_capture(fwd.at("sample"), fwd.at("timestep"), fwd.at("encoder_hidden_states"), nullptr,
                          [&](const std::string& path, const torch::Tensor& t) { got[path] = t.clone(); });
    size_t compared = 0;
    for (const auto& kv : ref) {
        SCOPED_TRACE(kv.first);
        ASSERT_TRUE(got.count(kv.first)) << "no capture named " << kv.first;
        EXPECT_LE(maxAbsDiff(got.at(kv.first), kv.second), kTol);
        ++compared;
    }
    EXPECT_EQ(compared, 20u); // every tensor of the file
}

TEST(UNetParity, HookSeesEveryCrossAttentionWithGeometry) {
    UNet3DConditionModel unet = loadTiny();
    const TensorMap ref = read_safetensors(kRef + "/vectors/unet_forward.safetensors");
    torch::NoGradGuard noGrad;
    RecordingHook hook;
    const torch::Tensor out =
        unet(ref.at("sample"), ref.at("timestep"), ref.at("encoder_hidden_states"), &hook);
    // A hook that changes nothing leaves the output as it was.
    EXPECT_LE(maxAbsDiff(out, ref.at("out")), kTol);

    ASSERT_EQ(hook.seen.size(), 7u); // down0, down1, mid, up1 ×2, up2 ×2
    std::set<std::string> stca;
    for (const auto& info : hook.seen) {
        SCOPED_TRACE(info.modulePath);
        EXPECT_EQ(info.batch, 2);
        EXPECT_EQ(info.frames, 5);
        EXPECT_EQ(info.tokens, 77);
        EXPECT_EQ(info.headDim, 8);
        // Tiny widths: 32 everywhere with cross-attention except the 64-wide mid block.
        EXPECT_EQ(info.heads * info.headDim, info.block == CrossAttentionInfo::Block::Mid ? 64 : 32);
        const auto& p = hook.probs.at(info.modulePath);
        EXPECT_EQ(p.sizes(), (std::vector<int64_t>{10, info.heads, info.height * info.width, 77}));
        EXPECT_LE((p.sum(-1) - 1).abs().max().item<double>(), 1e-5);
        if (info.isStcaLayer) {
            stca.insert(info.modulePath);
            EXPECT_EQ(info.height, 6);
            EXPECT_EQ(info.width, 10);
        }
    }
    EXPECT_EQ(hook.seen[0].modulePath, "down_blocks.0.attentions.0.transformer_blocks.0.attn2");
    EXPECT_EQ(hook.seen[0].height, 12);
    EXPECT_EQ(hook.seen[0].width, 20);
    EXPECT_EQ(hook.seen[2].block, CrossAttentionInfo::Block::Mid);
    EXPECT_EQ(hook.seen[2].height, 3);
    EXPECT_EQ(hook.seen[2].width, 5);
    EXPECT_EQ(stca, (std::set<std::string>{"down_blocks.1.attentions.0.transformer_blocks.0.attn2",
                                           "up_blocks.1.attentions.0.transformer_blocks.0.attn2",
                                           "up_blocks.1.attentions.1.transformer_blocks.0.attn2"}));
    int stcaListed = 0;
    for (const auto& info : unet->cross_attention_layers()) {
        stcaListed += info.isStcaLayer;
    }
    EXPECT_EQ(stcaListed, 3);
}

TEST(UNetParity, BiasMasksTokensPerFrame) {
    UNet3DConditionModel unet = loadTiny();
    const TensorMap ref = read_safetensors(kRef + "/vectors/unet_forward.safetensors");
    torch::NoGradGuard noGrad;
    RecordingHook hook;
    // Mask every token except 0 and 5 in every layer, and token 5 too in frame 0 of item 1.
    hook.biasFn = [](const CrossAttentionInfo& info) {
        torch::Tensor b = torch::full({info.batch * info.frames, 1, info.queries(), info.tokens}, -1e10);
        b.select(3, 0).zero_();
        b.select(3, 5).zero_();
        b[info.frames].select(2, 5).fill_(-1e10); // row b·F + f with b = 1, f = 0
        return b;
    };
    const torch::Tensor out =
        unet(ref.at("sample"), ref.at("timestep"), ref.at("encoder_hidden_states"), &hook);
    EXPECT_GT(maxAbsDiff(out, ref.at("out")), 1e-3);
    for (const auto& kv : hook.probs) {
        const torch::Tensor& p = kv.second;
        EXPECT_LE((p.select(3, 0) + p.select(3, 5) - 1).abs().max().item<double>(), 1e-5) << kv.first;
        EXPECT_EQ(p[5].select(2, 5).max().item<float>(), 0.f) << kv.first; // row 5 = item 1, frame 0
        EXPECT_LE((p[5].select(2, 0) - 1).abs().max().item<double>(), 1e-6) << kv.first;
    }
    // The same edit through the text instead: keeping only tokens 0 and 5 (elsewhere) must differ from
    // masking nothing, and a bias of zeros must be a no-op.
    RecordingHook zero;
    zero.biasFn = [](const CrossAttentionInfo& info) {
        return torch::zeros({1, 1, info.queries(), info.tokens});
    };
    EXPECT_LE(maxAbsDiff(unet(ref.at("sample"), ref.at("timestep"), ref.at("encoder_hidden_states"), &zero),
                         ref.at("out")),
              kTol);
}

TEST(UNetParity, StcaProbabilitiesCarryGradients) {
    UNet3DConditionModel unet = loadTiny();
    const TensorMap ref = read_safetensors(kRef + "/vectors/unet_forward_f1.safetensors");
    RecordingHook hook;
    hook.observeStcaOnly = true;
    const torch::Tensor out =
        unet(ref.at("sample"), ref.at("timestep"), ref.at("encoder_hidden_states"), &hook);
    ASSERT_EQ(hook.probs.size(), 3u);
    torch::Tensor loss = out.pow(2).mean() * 0;
    for (const auto& kv : hook.probs) {
        EXPECT_TRUE(kv.second.requires_grad()) << kv.first;
        loss = loss + kv.second.select(3, 2).mean();
    }
    loss.backward();
    const auto params = unet->named_parameters();
    const torch::Tensor& gq =
        params["down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_q.weight"].grad();
    const torch::Tensor& gk =
        params["up_blocks.1.attentions.1.transformer_blocks.0.attn2.to_k.weight"].grad();
    ASSERT_TRUE(gq.defined());
    ASSERT_TRUE(gk.defined());
    EXPECT_GT(gq.abs().max().item<double>(), 0.0);
    EXPECT_GT(gk.abs().max().item<double>(), 0.0);
    // Non-STCA cross-attention at the top level does not feed the loss through its own probabilities,
    // but the conv_in weights upstream do get gradient.
    EXPECT_GT(params["conv_in.weight"].grad().abs().max().item<double>(), 0.0);
}

TEST(UNetParity, RejectsBadInputs) {
    UNet3DConditionModel unet = loadTiny();
    torch::NoGradGuard noGrad;
    const auto ehs = torch::zeros({1, 77, 32});
    EXPECT_THROW(unet(torch::zeros({1, 3, 2, 8, 8}), torch::tensor(1), ehs), std::invalid_argument);
    EXPECT_THROW(unet(torch::zeros({1, 4, 2, 8, 8}), torch::tensor(1), torch::zeros({1, 77, 31})),
                 std::invalid_argument);
    EXPECT_THROW(unet(torch::zeros({1, 4, 2, 8, 8}), torch::tensor({1, 2, 3}), ehs), std::invalid_argument);
    nlohmann::json cfg = read_json_file(kRef + "/tiny/unet/config.json");
    cfg["norm_num_groups"] = 7;
    EXPECT_THROW(UNet3DConfig::from_json(cfg, "bad.json"), std::runtime_error);
    // Weights that do not fit the config fail loudly, naming the key.
    cfg = read_json_file(kRef + "/tiny/unet/config.json");
    cfg["cross_attention_dim"] = 48;
    UNet3DConditionModel wrong(UNet3DConfig::from_json(cfg, "wrong.json"));
    try {
        load_component_weights(*wrong, kRef + "/tiny/unet");
        FAIL() << "loaded mis-shaped weights";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("attn2.to_k.weight"), std::string::npos) << e.what();
    }
}

TEST(UNetParity, BothThreadingSchemesMatch) {
    // OpenBLAS single-threaded with products split over OpenMP (parallel_ops.h), and both pools at 2.
    UNet3DConditionModel unet = loadTiny();
    const TensorMap ref = read_safetensors(kRef + "/vectors/unet_forward.safetensors");
    c10::InferenceMode inference;
    for (int blas : {1, 2}) {
        SCOPED_TRACE(blas);
        const ThreadConfig c = configure_threads(2, blas);
        const torch::Tensor out = unet(ref.at("sample"), ref.at("timestep"), ref.at("encoder_hidden_states"));
        EXPECT_LE(maxAbsDiff(out, ref.at("out")), kTol);
        if (c.openblasFound) {
            EXPECT_EQ(split_products_over_threads(), blas == 1);
        }
    }
    configure_threads(2);
}
