// ClipTextModel vs transformers' CLIPTextModel: the tiny model's forward vectors
// (tests/data/reference/vectors/text_encoder_forward.safetensors, tolerance 1e-5 per vectors/README.md) and
// the real (zeroscope) config's parameter names and shapes (zeroscope-keys/text_encoder.keys.txt).
#include "ml/clip_text_model.h"
#include "ml/model_loader.h"
#include "ml/safetensors.h"
#include "ml/tokenizer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace mb::ml;

namespace {

const std::string kTinyEncoder = MB_TEST_DATA "/reference/tiny/text_encoder";
const std::string kVectors = MB_TEST_DATA "/reference/vectors/text_encoder_forward.safetensors";
constexpr double kTolerance = 1e-5; // vectors/README.md: "text encoder ≤ 1e-5"

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
    EXPECT_EQ(a.sizes(), b.sizes());
    if (a.sizes() != b.sizes())
        return 1e30;
    const double d = (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
    std::printf("  max|diff| = %.3g\n", d);
    return d;
}

struct Fixture {
    ClipTextModel model{nullptr};
    TensorMap vectors;
    Fixture() : model(load_clip_text_model(kTinyEncoder)), vectors(read_safetensors(kVectors)) {}
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

} // namespace

TEST(ClipTextModelParity, TinyWeightsLoadCompletely) {
    KeyReport report;
    auto model = load_clip_text_model(kTinyEncoder, &report);
    EXPECT_TRUE(report.complete()) << report.summary();
    EXPECT_EQ(report.loaded.size(), model->named_parameters().size());
    EXPECT_EQ(model->config().hidden_act, "gelu");
    EXPECT_EQ(model->config().num_hidden_layers, 2);
}

TEST(ClipTextModelParity, InputIdsMatchOurTokenizer) {
    // The vector's input ids are the tiny tokenizer's output for the two prompts: our tokenizer agrees.
    const ClipTokenizer tok(MB_TEST_DATA "/reference/tiny/tokenizer");
    const auto& ids = fixture().vectors.at("input_ids");
    const char* prompts[] = {"a photo of an astronaut riding a horse on mars",
                             "Darth Vader is surfing on waves!"};
    for (int64_t row = 0; row < 2; ++row) {
        const auto want = tok.encode_padded(prompts[row], 77).ids;
        const torch::Tensor got = ids[row].contiguous();
        EXPECT_EQ(std::vector<int64_t>(got.data_ptr<int64_t>(), got.data_ptr<int64_t>() + got.numel()), want);
    }
}

TEST(ClipTextModelParity, ForwardMatchesReference) {
    torch::NoGradGuard noGrad;
    auto& f = fixture();
    const auto out = f.model->forward(f.vectors.at("input_ids"), {}, true);
    EXPECT_LE(maxAbsDiff(out.last_hidden_state, f.vectors.at("last_hidden_state")), kTolerance);
    EXPECT_LE(maxAbsDiff(out.pooler_output, f.vectors.at("pooler_output")), kTolerance);
    ASSERT_EQ(out.hidden_states.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
        SCOPED_TRACE("hidden_states." + std::to_string(i));
        EXPECT_LE(maxAbsDiff(out.hidden_states[i], f.vectors.at("hidden_states." + std::to_string(i))),
                  kTolerance);
    }
    // Without output_hidden_states nothing extra is kept, and the main output is the same.
    const auto plain = f.model->forward(f.vectors.at("input_ids"));
    EXPECT_TRUE(plain.hidden_states.empty());
    EXPECT_TRUE(torch::equal(plain.last_hidden_state, out.last_hidden_state));
}

TEST(ClipTextModelParity, ShortSequenceMatchesReference) {
    torch::NoGradGuard noGrad;
    auto& f = fixture();
    const auto out = f.model->forward(f.vectors.at("short_input_ids"));
    EXPECT_LE(maxAbsDiff(out.last_hidden_state, f.vectors.at("short_last_hidden_state")), kTolerance);
    EXPECT_LE(maxAbsDiff(out.pooler_output, f.vectors.at("short_pooler_output")), kTolerance);
}

TEST(ClipTextModelParity, AttentionMaskMatchesReference) {
    torch::NoGradGuard noGrad;
    auto& f = fixture();
    const auto out = f.model->forward(f.vectors.at("input_ids"), f.vectors.at("attention_mask"));
    EXPECT_LE(maxAbsDiff(out.last_hidden_state, f.vectors.at("masked_last_hidden_state")), kTolerance);
    // The mask changes the result (the prompts are padded), so the check above is not vacuous.
    EXPECT_GT(maxAbsDiff(out.last_hidden_state, f.vectors.at("last_hidden_state")), 1e-3);
}

TEST(ClipTextModelParity, RejectsBadInputs) {
    torch::NoGradGuard noGrad;
    auto& f = fixture();
    EXPECT_THROW(f.model->forward(torch::zeros({77}, torch::kLong)), std::invalid_argument);
    EXPECT_THROW(f.model->forward(torch::zeros({1, 78}, torch::kLong)), std::invalid_argument);
    EXPECT_THROW(f.model->forward(torch::full({1, 5}, 1000, torch::kLong)), std::invalid_argument);
    EXPECT_THROW(f.model->forward(torch::zeros({1, 5}, torch::kFloat)), std::invalid_argument);
}

TEST(ClipTextModelParity, ConfigErrorsNameTheSource) {
    nlohmann::json bad = {{"hidden_size", 30}, {"num_attention_heads", 4}};
    try {
        ClipTextConfig::from_json(bad, "some/config.json");
        FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("some/config.json"), std::string::npos);
    }
    EXPECT_THROW(ClipTextConfig::from_json({{"hidden_act", "relu"}}, "x"), std::runtime_error);
    EXPECT_THROW(ClipTextConfig::from_json({{"hidden_size", "big"}}, "x"), std::runtime_error);
}

TEST(ClipTextModelParity, RealConfigKeysAndShapesMatchTransformers) {
    const std::string dir = MB_TEST_DATA "/reference/zeroscope-keys/";
    const auto config =
        ClipTextConfig::from_json(read_json_file(dir + "text_encoder.config.json"), "zeroscope");
    EXPECT_EQ(config.num_hidden_layers, 23);
    torch::NoGradGuard noGrad;
    ClipTextModel model(config);

    std::ifstream in(dir + "text_encoder.keys.txt");
    ASSERT_TRUE(in) << "cannot open text_encoder.keys.txt";
    std::vector<std::pair<std::string, std::string>> expected;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream parts(line);
        std::string key, shape;
        std::getline(parts, key, '\t');
        std::getline(parts, shape, '\t');
        expected.emplace_back(key, shape);
    }
    ASSERT_EQ(expected.size(), 372u);

    std::vector<std::pair<std::string, std::string>> actual;
    int64_t total = 0;
    for (const auto& p : model->named_parameters()) {
        std::ostringstream shape;
        shape << "[";
        for (int64_t d = 0; d < p.value().dim(); ++d)
            shape << (d ? ", " : "") << p.value().size(d);
        shape << "]";
        actual.emplace_back(p.key(), shape.str());
        total += p.value().numel();
    }
    EXPECT_TRUE(model->named_buffers().is_empty());
    EXPECT_EQ(actual, expected); // same keys, same shapes, same (state_dict) order
    EXPECT_EQ(total, 340387840); // zeroscope-keys/README.md
}
