#include "ml/model_loader.h"
#include "ml/model_size_check.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <stdexcept>

#include <torch/torch.h>

#include "ml/weights_file.h"

namespace fs = std::filesystem;

namespace mb::ml {

namespace {

std::string shapeText(c10::IntArrayRef shape) {
    std::ostringstream s;
    s << '[';
    for (size_t i = 0; i < shape.size(); ++i) {
        s << (i ? ", " : "") << shape[i];
    }
    s << ']';
    return s.str();
}

/** A source of named tensors whose shapes are known before the data is read. */
struct WeightSource {
    std::string name;
    std::map<std::string, std::vector<int64_t>> shapes;
    std::function<torch::Tensor(const std::string&)> fetch;
};

/** Old diffusers VAE attention names → current ones (diffusers renames them the same way on load). */
std::string modernAttentionName(const std::string& key) {
    static const std::pair<const char*, const char*> kRenames[] = {
        {".query.", ".to_q."}, {".key.", ".to_k."}, {".value.", ".to_v."}, {".proj_attn.", ".to_out.0."}};
    for (const auto& r : kRenames) {
        const auto pos = key.rfind(r.first);
        if (pos != std::string::npos && key.find('.', pos + std::strlen(r.first)) == std::string::npos) {
            return key.substr(0, pos) + r.second + key.substr(pos + std::strlen(r.first));
        }
    }
    return key;
}

/** Old checkpoints may store 1×1 conv weights [C, C, 1, 1] where the module has a Linear [C, C]. */
bool sameUpToTrailingOnes(c10::IntArrayRef a, const std::vector<int64_t>& b) {
    auto strip = [](std::vector<int64_t> v) {
        while (v.size() > 1 && v.back() == 1) {
            v.pop_back();
        }
        return v;
    };
    return strip(a.vec()) == strip(b);
}

KeyReport loadFrom(torch::nn::Module& module, const WeightSource& src, const LoadOptions& options) {
    KeyReport report;
    report.source = src.name;

    std::map<std::string, torch::Tensor> targets;
    for (const auto& p : module.named_parameters(/*recurse=*/true)) {
        targets.emplace(p.key(), p.value());
    }
    for (const auto& b : module.named_buffers(/*recurse=*/true)) {
        targets.emplace(b.key(), b.value());
    }

    // Resolve every source key to a module key (or ignore / reject it).
    std::map<std::string, std::string> moduleToSource;
    for (const auto& kv : src.shapes) {
        const std::string& key = kv.first;
        if (targets.count(key)) {
            moduleToSource[key] = key;
            continue;
        }
        if (key == "text_model.embeddings.position_ids") {
            report.ignored.push_back(key);
            continue;
        }
        const std::string modern = modernAttentionName(key);
        if (modern != key && targets.count(modern) && !src.shapes.count(modern)) {
            moduleToSource[modern] = key;
            report.renamed.push_back(key + " → " + modern);
            continue;
        }
        report.unexpected.push_back(key);
    }
    for (const auto& kv : targets) {
        const auto it = moduleToSource.find(kv.first);
        if (it == moduleToSource.end()) {
            report.missing.push_back(kv.first);
            continue;
        }
        const std::vector<int64_t>& fileShape = src.shapes.at(it->second);
        const bool renamed = it->first != it->second;
        if (kv.second.sizes().vec() != fileShape &&
            !(renamed && kv.second.numel() > 0 && sameUpToTrailingOnes(kv.second.sizes(), fileShape))) {
            report.mismatched.push_back(kv.first + ": module " + shapeText(kv.second.sizes()) + " vs file " +
                                        shapeText(fileShape));
        }
    }
    if (!report.mismatched.empty()) {
        throw std::runtime_error("weights from '" + src.name +
                                 "' do not fit the model built from its config: " + report.summary());
    }
    if (options.requireComplete && !report.complete()) {
        throw std::runtime_error("weights from '" + src.name +
                                 "' do not match the model's keys: " + report.summary());
    }

    torch::NoGradGuard noGrad;
    for (const auto& kv : moduleToSource) {
        torch::Tensor target = targets.at(kv.first);
        torch::Tensor value = src.fetch(kv.second);
        target.copy_(value.reshape(target.sizes()));
        report.loaded.push_back(kv.first);
    }
    return report;
}

void appendList(std::ostringstream& s, const char* label, const std::vector<std::string>& names,
                size_t maxNames) {
    if (names.empty()) {
        return;
    }
    s << "; " << names.size() << ' ' << label << ": ";
    for (size_t i = 0; i < names.size() && i < maxNames; ++i) {
        s << (i ? ", " : "") << names[i];
    }
    if (names.size() > maxNames) {
        s << ", … (" << names.size() - maxNames << " more)";
    }
}

} // namespace

nlohmann::json read_json_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open JSON file '" + path + "'");
    }
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error("'" + path + "' is not valid JSON: " + e.what());
    }
    check_config_fits_memory(j, path); // a model config too large to build is refused before allocating
    return j;
}

std::string ModelFolder::componentDir(const std::string& component) const {
    return (fs::path(root) / component).string();
}

ModelFolder open_model_folder(const std::string& dir) {
    const std::string indexPath = (fs::path(dir) / "model_index.json").string();
    if (!fs::is_directory(dir)) {
        throw std::runtime_error("model folder '" + dir + "' does not exist");
    }
    const nlohmann::json index = read_json_file(indexPath);
    if (!index.is_object()) {
        throw std::runtime_error("'" + indexPath + "' is not a JSON object");
    }
    ModelFolder folder;
    folder.root = dir;
    folder.pipelineClass = index.value("_class_name", std::string());
    for (auto it = index.begin(); it != index.end(); ++it) {
        if (it.key().empty() || it.key()[0] == '_') {
            continue;
        }
        const nlohmann::json& v = it.value();
        if (v.is_null() || (v.is_array() && v.size() == 2 && v[0].is_null())) {
            continue; // optional component not present (e.g. "safety_checker": [null, null])
        }
        if (!v.is_array() || v.size() != 2 || !v[0].is_string() || !v[1].is_string()) {
            throw std::runtime_error("'" + indexPath + "': entry '" + it.key() +
                                     "' is not a [library, class] pair");
        }
        folder.components[it.key()] = {v[0].get<std::string>(), v[1].get<std::string>()};
    }
    return folder;
}

nlohmann::json read_component_config(const std::string& componentDir) {
    for (const char* name : {"config.json", "scheduler_config.json"}) {
        const fs::path p = fs::path(componentDir) / name;
        if (fs::exists(p)) {
            return read_json_file(p.string());
        }
    }
    throw std::runtime_error("component folder '" + componentDir +
                             "' has neither config.json nor scheduler_config.json");
}

std::vector<std::string> component_weight_files(const std::string& componentDir, const std::string& variant) {
    const std::string suffix = variant.empty() ? ".safetensors" : "." + variant + ".safetensors";
    for (const char* base : {"diffusion_pytorch_model", "model"}) {
        const fs::path single = fs::path(componentDir) / (std::string(base) + suffix);
        if (fs::exists(single)) {
            return {single.string()};
        }
    }
    for (const char* base : {"diffusion_pytorch_model", "model"}) {
        const fs::path indexPath = fs::path(componentDir) / (std::string(base) + suffix + ".index.json");
        if (!fs::exists(indexPath)) {
            continue;
        }
        const nlohmann::json index = read_json_file(indexPath.string());
        if (!index.contains("weight_map") || !index["weight_map"].is_object()) {
            throw std::runtime_error("'" + indexPath.string() + "' has no \"weight_map\" object");
        }
        std::vector<std::string> files;
        std::set<std::string> seen;
        for (auto it = index["weight_map"].begin(); it != index["weight_map"].end(); ++it) {
            if (!it.value().is_string()) {
                throw std::runtime_error("'" + indexPath.string() + "': weight_map entry '" + it.key() +
                                         "' is not a file name");
            }
            const std::string shard = it.value().get<std::string>();
            if (shard.find('/') != std::string::npos || shard == "..") {
                throw std::runtime_error("'" + indexPath.string() + "': shard name '" + shard +
                                         "' must be a plain file name in the same folder");
            }
            if (seen.insert(shard).second) {
                files.push_back((fs::path(componentDir) / shard).string());
            }
        }
        if (files.empty()) {
            throw std::runtime_error("'" + indexPath.string() + "' lists no shards");
        }
        std::sort(files.begin(), files.end());
        return files;
    }
    if (std::vector<std::string> bins = pickle_weight_files(componentDir, variant); !bins.empty()) {
        return bins; // PyTorch .bin weights, read by the non-executing reader of torch_checkpoint.h
    }
    for (const char* pickled : {"diffusion_pytorch_model", "pytorch_model"}) {
        const fs::path bin =
            fs::path(componentDir) / (std::string(pickled) + (variant.empty() ? "" : "." + variant) + ".bin");
        if (fs::exists(bin)) {
            throw std::runtime_error("component folder '" + componentDir +
                                     "' only has the pickled checkpoint '" + bin.filename().string() +
                                     "', which is never unpickled here: convert it to safetensors (same key "
                                     "names) and place it next to it as " +
                                     (std::string(pickled) == "pytorch_model" ? "model" : pickled) + suffix);
        }
    }
    throw std::runtime_error("component folder '" + componentDir + "' has no weights (looked for " +
                             "diffusion_pytorch_model" + suffix + ", model" + suffix +
                             " and their .index.json)");
}

TensorMap read_component_weights(const std::string& componentDir, torch::Dtype floatDtype,
                                 const std::string& variant) {
    TensorMap out;
    for (const std::string& file : component_weight_files(componentDir, variant)) {
        for (auto& kv : read_weights_file(file, floatDtype)) {
            if (out.count(kv.first)) {
                throw std::runtime_error("tensor '" + kv.first + "' appears in two shards of '" +
                                         componentDir + "' (again in '" + file + "')");
            }
            out.emplace(kv.first, std::move(kv.second));
        }
    }
    return out;
}

std::string KeyReport::summary(size_t maxNames) const {
    std::ostringstream s;
    s << loaded.size() << " tensors loaded from '" << source << "'";
    appendList(s, "mis-shaped", mismatched, maxNames);
    appendList(s, "missing from the file", missing, maxNames);
    appendList(s, "unexpected in the file", unexpected, maxNames);
    appendList(s, "renamed", renamed, maxNames);
    appendList(s, "ignored", ignored, maxNames);
    return s.str();
}

KeyReport load_weights(torch::nn::Module& module, const TensorMap& tensors, const std::string& source,
                       const LoadOptions& options) {
    WeightSource src;
    src.name = source;
    for (const auto& kv : tensors) {
        src.shapes[kv.first] = kv.second.sizes().vec();
    }
    src.fetch = [&tensors](const std::string& key) { return tensors.at(key); };
    return loadFrom(module, src, options);
}

KeyReport load_component_weights(torch::nn::Module& module, const std::string& componentDir,
                                 const LoadOptions& options, const std::string& variant) {
    if (const auto paths = component_weight_files(componentDir, variant);
        is_torch_checkpoint(paths.front())) {
        return load_weights(module, read_component_weights(componentDir, torch::kFloat32, variant),
                            paths.size() == 1 ? paths.front() : componentDir, options);
    }
    std::vector<SafetensorsFile> files;
    std::map<std::string, size_t> owner;
    WeightSource src;
    src.name = componentDir;
    for (const std::string& path : component_weight_files(componentDir, variant)) {
        files.push_back(SafetensorsFile::open(path));
        for (const std::string& key : files.back().keys()) {
            if (owner.count(key)) {
                throw std::runtime_error("tensor '" + key + "' appears in two shards of '" + componentDir +
                                         "' (again in '" + path + "')");
            }
            owner[key] = files.size() - 1;
            src.shapes[key] = files.back().info(key).shape;
        }
    }
    if (files.size() == 1) {
        src.name = files.front().path();
    }
    src.fetch = [&](const std::string& key) { return files[owner.at(key)].rawTensor(key); };
    return loadFrom(module, src, options);
}

} // namespace mb::ml
