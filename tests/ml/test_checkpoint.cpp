// Gradient checkpointing gives the same gradients as keeping every activation: for a small function with
// leaf and LoRA-style (non-leaf) weights, and for the tiny UNet with and without LoRA, with the STCA hook
// collecting probabilities on its layers. Also: the batch-split inference path equals the plain one, and
// the memory estimate shows what checkpointing buys at the real size.
#include "ml/attention_edit.h"
#include "ml/checkpoint.h"
#include "ml/lora.h"
#include "ml/model_loader.h"
#include "ml/subject_trainer.h"
#include "ml/unet3d.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace mb::ml;

namespace {

const std::string kRef = MB_TEST_DATA "/reference";

UNet3DConditionModel loadTiny() {
    UNet3DConditionModel unet(UNet3DConfig::from_file(kRef + "/tiny/unet/config.json"));
    LoadOptions strict;
    strict.requireComplete = true;
    load_component_weights(*unet, kRef + "/tiny/unet", strict);
    return unet;
}

double maxRelDiff(const torch::Tensor& a, const torch::Tensor& b) {
    const double scale = std::max(b.abs().max().item<double>(), 1e-12);
    return (a - b).abs().max().item<double>() / scale;
}

struct Inputs {
    torch::Tensor sample, timestep, text;
};

Inputs makeInputs(const UNet3DConfig& cfg, int64_t batch, int64_t frames) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(11);
    Inputs in;
    in.sample = torch::randn({batch, cfg.inChannels, frames, 8, 12}, gen);
    in.timestep = torch::tensor({501, 77}, torch::kLong).narrow(0, 0, batch);
    in.text = torch::randn({batch, 77, cfg.crossAttentionDim}, gen);
    return in;
}

/** Loss = mean square of the prediction + the STCA map's mean, so both paths carry gradient. */
std::map<std::string, torch::Tensor> gradients(UNet3DConditionModel& unet, const Inputs& in,
                                               const std::vector<torch::Tensor>& wrt,
                                               const std::vector<std::string>& names, bool checkpointing,
                                               double* lossOut, int* stcaLayers) {
    for (auto& t : wrt) {
        if (t.grad().defined()) {
            t.mutable_grad().zero_();
        }
    }
    GradientCheckpointingScope scope(checkpointing);
    StcaCollector stca(std::vector<int64_t>{});
    stca.set_item_tokens({{1, 2}, {2, 3}});
    const torch::Tensor pred = unet->forward(in.sample, in.timestep, in.text, &stca);
    torch::Tensor loss = pred.pow(2).mean();
    if (stca.map().defined()) {
        loss = loss + stca.map().mean();
    }
    *stcaLayers = stca.layers_seen();
    loss.backward();
    *lossOut = loss.item<double>();
    std::map<std::string, torch::Tensor> out;
    for (size_t i = 0; i < wrt.size(); ++i) {
        out[names[i]] = wrt[i].grad().defined() ? wrt[i].grad().clone() : torch::zeros_like(wrt[i]);
    }
    return out;
}

} // namespace

TEST(Checkpoint, SameGradientsForLeafAndNonLeafWeights) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
    const torch::Tensor x0 = torch::randn({5, 7}, gen), w0 = torch::randn({7, 4}, gen);
    const torch::Tensor a0 = torch::randn({2, 4}, gen), bias0 = torch::randn({4}, gen);
    auto run = [&](bool ckpt, std::vector<torch::Tensor>* grads) {
        torch::Tensor x = x0.clone().requires_grad_(true);
        torch::Tensor w = w0.clone().requires_grad_(true);
        torch::Tensor a = a0.clone().requires_grad_(true);
        torch::Tensor bias = bias0.clone().requires_grad_(true);
        // A LoRA-like weight: a graph node built outside the checkpointed body, read by it.
        const torch::Tensor adapted = w + torch::ones({7, 2}).mm(a) * 0.5;
        auto body = [adapted, bias](const std::vector<torch::Tensor>& in) {
            return torch::tanh(in[0].mm(adapted) + bias) * in[0].narrow(1, 0, 4);
        };
        const torch::Tensor y = ckpt ? checkpointed(body, {x}, {adapted, bias}) : body({x});
        (y.pow(2).sum() + y.sum()).backward();
        *grads = {x.grad(), w.grad(), a.grad(), bias.grad()};
    };
    std::vector<torch::Tensor> plain, ckpt;
    run(false, &plain);
    run(true, &ckpt);
    ASSERT_EQ(plain.size(), ckpt.size());
    for (size_t i = 0; i < plain.size(); ++i) {
        ASSERT_TRUE(ckpt[i].defined()) << "gradient " << i << " missing with checkpointing";
        EXPECT_LT(maxRelDiff(ckpt[i], plain[i]), 1e-6) << "gradient " << i;
    }
}

TEST(Checkpoint, WithoutAutogradItIsThePlainCall) {
    torch::NoGradGuard noGrad;
    int calls = 0;
    const torch::Tensor x = torch::ones({3});
    const torch::Tensor y = checkpointed(
        [&calls](const std::vector<torch::Tensor>& in) {
            ++calls;
            return in[0] * 2;
        },
        {x}, {});
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(torch::equal(y, torch::full({3}, 2.0)));
}

TEST(Checkpoint, TinyUnetFullTrainingGradientsMatch) {
    UNet3DConditionModel unet = loadTiny();
    const Inputs in = makeInputs(unet->config(), 2, 3);
    std::vector<torch::Tensor> wrt;
    std::vector<std::string> names;
    for (const auto& p : unet->named_parameters(true)) {
        wrt.push_back(p.value());
        names.push_back(p.key());
    }
    double lossPlain = 0, lossCkpt = 0;
    int stcaPlain = 0, stcaCkpt = 0;
    const auto plain = gradients(unet, in, wrt, names, false, &lossPlain, &stcaPlain);
    const auto ckpt = gradients(unet, in, wrt, names, true, &lossCkpt, &stcaCkpt);
    EXPECT_GT(stcaPlain, 0);
    EXPECT_EQ(stcaPlain, stcaCkpt);
    EXPECT_NEAR(lossPlain, lossCkpt, 1e-6 * std::abs(lossPlain));
    int nonzero = 0;
    for (const auto& name : names) {
        EXPECT_LT(maxRelDiff(ckpt.at(name), plain.at(name)), 1e-4) << name;
        nonzero += plain.at(name).abs().sum().item<double>() > 0;
    }
    EXPECT_GT(nonzero, int(names.size()) * 9 / 10) << "most parameters should receive gradient";
}

TEST(Checkpoint, TinyUnetLoraGradientsMatch) {
    UNet3DConditionModel unet = loadTiny();
    for (auto& p : unet->parameters()) {
        p.requires_grad_(false);
    }
    LoraOptions lo;
    lo.rank = 2;
    lo.seed = 5;
    LoraAdapter lora(*unet, lo);
    {
        // B starts at zero (an untouched adapter changes nothing): give it values so A gets gradient too.
        torch::NoGradGuard noGrad;
        auto gen = at::make_generator<at::CPUGeneratorImpl>(9);
        for (auto& t : lora.parameters()) {
            t.add_(torch::randn(t.sizes(), gen) * 0.05);
        }
    }
    const Inputs in = makeInputs(unet->config(), 2, 3);
    std::vector<torch::Tensor> wrt = lora.parameters();
    std::vector<std::string> names;
    for (size_t i = 0; i < wrt.size(); ++i) {
        names.push_back("lora." + std::to_string(i));
    }
    double lossPlain = 0, lossCkpt = 0;
    int stcaPlain = 0, stcaCkpt = 0;
    lora.activate();
    const auto plain = gradients(unet, in, wrt, names, false, &lossPlain, &stcaPlain);
    lora.activate(); // the adapted weights' graph is spent after a backward
    const auto ckpt = gradients(unet, in, wrt, names, true, &lossCkpt, &stcaCkpt);
    lora.deactivate();
    EXPECT_NEAR(lossPlain, lossCkpt, 1e-6 * std::abs(lossPlain));
    for (const auto& name : names) {
        EXPECT_LT(maxRelDiff(ckpt.at(name), plain.at(name)), 1e-4) << name;
        EXPECT_GT(plain.at(name).abs().sum().item<double>(), 0) << name;
    }
}

TEST(BatchSplit, SplitEqualsPlainCallWithinBlasRounding) {
    UNet3DConditionModel unet = loadTiny();
    unet->eval();
    const Inputs in = makeInputs(unet->config(), 2, 3);
    torch::InferenceMode inference;
    const int threadsBefore = at::get_num_threads();
    at::set_num_threads(2);
    unet->set_batch_parallel(BatchParallelMode::Ops);
    ASSERT_FALSE(unet->would_split_batch(in.sample, nullptr));
    const torch::Tensor plain = unet->forward(in.sample, in.timestep, in.text);
    unet->set_batch_parallel(BatchParallelMode::Split);
    ASSERT_TRUE(unet->would_split_batch(in.sample, nullptr));
    const torch::Tensor split = unet->forward(in.sample, in.timestep, in.text);
    const torch::Tensor again = unet->forward(in.sample, in.timestep, in.text);
    // Per-item timesteps must follow their items into the slices.
    const torch::Tensor single =
        unet->forward(in.sample.narrow(0, 1, 1), in.timestep.narrow(0, 1, 1), in.text.narrow(0, 1, 1));
    at::set_num_threads(threadsBefore);
    EXPECT_LT(maxRelDiff(split, plain), 1e-5);
    EXPECT_TRUE(torch::equal(split, again)) << "a fixed mode and thread count must be deterministic";
    EXPECT_LT(maxRelDiff(split.narrow(0, 1, 1), single), 1e-5);
    StcaCollector hook(std::vector<int64_t>{1});
    EXPECT_FALSE(unet->would_split_batch(in.sample, &hook)) << "hooks see whole batches";
}

TEST(CheckpointMemory, RealConfigLoraAtNativeSizeFitsOnlyWithCheckpointing) {
    const UNet3DConfig cfg = UNet3DConfig::from_file(kRef + "/zeroscope-keys/unet.config.json");
    const int64_t unetParams = 1411233860, other = 123060000 + 83653863; // text encoder + VAE (key lists)
    const int64_t loraParams = 3000000, adapted = 200000000;
    const double gib = double(int64_t(1) << 30);
    const double plain =
        estimate_training_memory(cfg, unetParams, loraParams, adapted, other, 40, 72, 5, 24).totalBytes() /
        gib;
    const double ckpt =
        estimate_training_memory(cfg, unetParams, loraParams, adapted, other, 40, 72, 5, 24, 77, true)
            .totalBytes() /
        gib;
    std::printf(
        "real config, LoRA, 576x320, 5 photos + 24 frames: estimate %.1f GiB, %.1f GiB with checkpointing\n",
        plain, ckpt);
    EXPECT_GT(plain, 40.0);
    EXPECT_LT(ckpt, 20.0);
    EXPECT_LT(ckpt, plain / 3);
}
