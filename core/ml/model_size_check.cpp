#include "ml/model_size_check.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace mb::ml {

namespace {

std::optional<double> number(const nlohmann::json& j, const char* key, double def) {
    if (!j.contains(key) || j[key].is_null())
        return def;
    if (!j[key].is_number())
        return std::nullopt;
    return j[key].get<double>();
}

/** ResnetBlock2D(in a, out b, time embedding t) with the TemporalConvLayer(b) that follows it in UNet3D. */
double resnetWithTemporalConv(double a, double b, double t) {
    const double resnet =
        2 * a + (9 * a * b + b) + (t * b + b) + 2 * b + (9 * b * b + b) + (a != b ? a * b + b : 0);
    const double temporalConv = 4 * (2 * b + 3 * b * b + b); // four GroupNorm + Conv3d (3,1,1)
    return resnet + temporalConv;
}

/** TransformerTemporalModel on c channels with inner width i (one BasicTransformerBlock, two
 * self-attentions). */
double temporalTransformer(double c, double i) {
    return 2 * c + (c * i + i) + (20 * i * i + 17 * i) + (i * c + c);
}

/** Transformer2DModel on c channels (inner width c) with cross-attention to x-wide context. */
double spatialTransformer(double c, double x) {
    return 2 * c + (c * c + c) + (18 * c * c + 2 * x * c + 17 * c) + (c * c + c);
}

std::string humanBytes(double b) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f GB", b / double(1ull << 30));
    return buf;
}

std::uint64_t readNumberFile(const char* path) {
    std::ifstream in(path);
    std::string s;
    if (!(in >> s) || s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
        return 0; // missing, unreadable or "max"
    return std::stoull(s);
}

} // namespace

std::optional<double> unet3d_parameter_count(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("block_out_channels") || !j.contains("down_block_types") ||
        !j.contains("up_block_types"))
        return std::nullopt;
    const auto& boc = j["block_out_channels"];
    const auto& down = j["down_block_types"];
    const auto& up = j["up_block_types"];
    if (!boc.is_array() || boc.empty() || !down.is_array() || !up.is_array() || down.size() != boc.size() ||
        up.size() != boc.size())
        return std::nullopt;
    const std::string cls = j.value("_class_name", std::string());
    bool threeD = cls == "UNet3DConditionModel";
    std::vector<double> c;
    std::vector<bool> downCross, upCross;
    for (size_t k = 0; k < boc.size(); ++k) {
        if (!boc[k].is_number() || !down[k].is_string() || !up[k].is_string() || boc[k].get<double>() < 1)
            return std::nullopt;
        c.push_back(boc[k].get<double>());
        const std::string d = down[k].get<std::string>(), u = up[k].get<std::string>();
        threeD = threeD || d.find("3D") != std::string::npos;
        downCross.push_back(d.rfind("CrossAttn", 0) == 0);
        upCross.push_back(u.rfind("CrossAttn", 0) == 0);
    }
    if (!threeD)
        return std::nullopt;
    const auto inCh = number(j, "in_channels", 4), outCh = number(j, "out_channels", 4);
    const auto layers = number(j, "layers_per_block", 2), cross = number(j, "cross_attention_dim", 1024);
    const auto headDim = number(j, "attention_head_dim", 64);
    if (!inCh || !outCh || !layers || !cross || !headDim || *layers < 1)
        return std::nullopt;
    const double L = *layers, x = *cross, t = 4 * c.front();
    const size_t n = c.size();

    double p = 9 * *inCh * c.front() + c.front();      // conv_in
    p += (c.front() * t + t) + (t * t + t);            // time_embedding
    p += temporalTransformer(c.front(), 8 * *headDim); // transformer_in: 8 heads of attention_head_dim
    for (size_t k = 0; k < n; ++k) {                   // down blocks
        const double in = k == 0 ? c.front() : c[k - 1], out = c[k];
        p += resnetWithTemporalConv(in, out, t) + (L - 1) * resnetWithTemporalConv(out, out, t);
        if (downCross[k])
            p += L * (spatialTransformer(out, x) + temporalTransformer(out, out));
        if (k + 1 < n)
            p += 9 * out * out + out; // Downsample2D
    }
    const double m = c.back(); // mid block: two resnets, one transformer of each kind
    p += 2 * resnetWithTemporalConv(m, m, t) + spatialTransformer(m, x) + temporalTransformer(m, m);
    std::vector<double> r(c.rbegin(), c.rend());
    for (size_t k = 0; k < n; ++k) { // up blocks, L + 1 resnets each with skip connections
        const double prev = k == 0 ? c.back() : r[k - 1], out = r[k], in = r[std::min(k + 1, n - 1)];
        // Resnet l takes the previous output (prev for l = 0) plus a skip (the down block's input for l = L).
        p += resnetWithTemporalConv(prev + out, out, t) +
             (L - 1) * resnetWithTemporalConv(out + out, out, t) + resnetWithTemporalConv(out + in, out, t);
        if (upCross[k])
            p += (L + 1) * (spatialTransformer(out, x) + temporalTransformer(out, out));
        if (k + 1 < n)
            p += 9 * out * out + out; // Upsample2D
    }
    p += 2 * c.front() + (9 * c.front() * *outCh + *outCh); // conv_norm_out, conv_out
    return p;
}

std::uint64_t machine_memory_bytes() {
    std::uint64_t total = 0;
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t kb = 0;
    std::string unit;
    while (in >> key >> kb >> unit)
        if (key == "MemTotal:") {
            total = kb * 1024;
            break;
        }
    for (const char* limitFile :
         {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
        const std::uint64_t limit = readNumberFile(limitFile);
        if (limit > 0 && (total == 0 || limit < total))
            total = limit;
    }
    return total;
}

void check_config_fits_memory(const nlohmann::json& config, const std::string& configPath,
                              std::uint64_t memoryBytes) {
    const std::optional<double> params = unet3d_parameter_count(config);
    if (!params)
        return;
    const std::uint64_t memory = memoryBytes ? memoryBytes : machine_memory_bytes();
    const double bytes = *params * 4; // built in float32, whatever dtype it runs in later
    if (memory == 0 || bytes <= double(memory))
        return;
    char count[64];
    std::snprintf(count, sizeof count, "%.1f M", *params / 1e6);
    throw std::runtime_error(
        configPath + ": this UNet3D config (block_out_channels " + config["block_out_channels"].dump() +
        ", layers_per_block " + config.value("layers_per_block", nlohmann::json(2)).dump() + ") has " +
        count + " parameters, " + humanBytes(bytes) + " in float32, more than the " +
        humanBytes(double(memory)) + " of memory this machine has: refusing to build it");
}

} // namespace mb::ml
