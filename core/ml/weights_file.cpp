#include "ml/weights_file.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include <torch/torch.h>

#include "ml/model_loader.h"
#include "ml/torch_checkpoint.h"

namespace fs = std::filesystem;

namespace mb::ml {

namespace {

/** The shard files (sorted, in the index's folder) that a `*.bin.index.json` lists. */
std::vector<std::string> shardsOfIndex(const fs::path& indexPath) {
    const nlohmann::json index = read_json_file(indexPath.string());
    if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object()) {
        throw std::runtime_error("'" + indexPath.string() + "' has no \"weight_map\" object");
    }
    std::set<std::string> shards;
    for (auto it = index["weight_map"].begin(); it != index["weight_map"].end(); ++it) {
        if (!it.value().is_string()) {
            throw std::runtime_error("'" + indexPath.string() + "': weight_map entry '" + it.key() +
                                     "' is not a file name");
        }
        const std::string shard = it.value().get<std::string>();
        if (shard.empty() || shard.find('/') != std::string::npos || shard.find('\\') != std::string::npos ||
            shard == "." || shard == "..") {
            throw std::runtime_error("'" + indexPath.string() + "': shard name '" + shard +
                                     "' must be a plain file name in the same folder");
        }
        shards.insert(shard);
    }
    if (shards.empty()) {
        throw std::runtime_error("'" + indexPath.string() + "' lists no shards");
    }
    std::vector<std::string> files;
    for (const std::string& shard : shards) {
        const fs::path file = indexPath.parent_path() / shard;
        if (!fs::exists(file)) {
            throw std::runtime_error("'" + indexPath.string() + "' lists shard '" + shard +
                                     "', which is missing");
        }
        files.push_back(file.string());
    }
    return files;
}

TensorMap readAny(const std::string& path, std::optional<torch::Dtype> floatDtype) {
    const std::string format = detect_weights_format(path);
    if (format == "safetensors") {
        if (floatDtype) {
            return read_safetensors(path, *floatDtype);
        }
        const SafetensorsFile file = SafetensorsFile::open(path);
        TensorMap out;
        for (const std::string& key : file.keys()) {
            out.emplace(key, file.rawTensor(key));
        }
        return out;
    }
    // Every other format (including the refusals: TorchScript, bare pickles, unknown) is diagnosed there.
    return floatDtype ? read_torch_checkpoint(path, *floatDtype) : read_torch_checkpoint_raw(path);
}

/** Casts floating tensors to `dtype` when given; counts bytes. */
uint64_t applyDtype(TensorMap& tensors, std::optional<torch::Dtype> dtype) {
    uint64_t bytes = 0;
    for (auto& kv : tensors) {
        if (dtype && kv.second.is_floating_point() && kv.second.scalar_type() != *dtype) {
            kv.second = kv.second.to(*dtype);
        }
        bytes += static_cast<uint64_t>(kv.second.numel()) * kv.second.element_size();
    }
    return bytes;
}

/** A set of pickled weights inside one folder and the safetensors file it becomes. */
struct WeightSet {
    std::vector<fs::path> sources;  ///< checkpoint files, in load order
    std::vector<fs::path> consumed; ///< every file the set replaces (sources + index)
    std::string outputName;         ///< e.g. "model.safetensors"
};

/**
 * Splits `name` = `<base>[.<variant>].bin[.index.json]` for base diffusion_pytorch_model / pytorch_model.
 * Returns false for other names.
 */
bool parseWeightName(const std::string& name, std::string& base, std::string& variant, bool& index) {
    for (const char* b : {"diffusion_pytorch_model", "pytorch_model"}) {
        const std::string prefix = b;
        if (name.rfind(prefix, 0) != 0) {
            continue;
        }
        std::string rest = name.substr(prefix.size());
        index = false;
        const std::string indexSuffix = ".bin.index.json";
        if (rest.size() >= indexSuffix.size() &&
            rest.compare(rest.size() - indexSuffix.size(), indexSuffix.size(), indexSuffix) == 0) {
            index = true;
            rest.resize(rest.size() - indexSuffix.size());
        } else if (rest.size() >= 4 && rest.compare(rest.size() - 4, 4, ".bin") == 0) {
            rest.resize(rest.size() - 4);
        } else {
            return false;
        }
        if (!rest.empty() && (rest[0] != '.' || rest.find('.', 1) != std::string::npos || rest.size() == 1)) {
            return false; // a shard name such as pytorch_model-00001-of-00002.bin, handled through its index
        }
        base = prefix;
        variant = rest.empty() ? std::string() : rest.substr(1);
        return true;
    }
    return false;
}

/** The pickled weight sets of one folder (not recursive). */
std::vector<WeightSet> weightSetsOf(const fs::path& dir) {
    std::vector<WeightSet> sets;
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.is_regular_file()) {
            names.push_back(e.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    std::set<std::string> taken;
    for (const std::string& name : names) {
        std::string base, variant;
        bool index = false;
        if (!parseWeightName(name, base, variant, index)) {
            continue;
        }
        WeightSet set;
        set.outputName = (base == "pytorch_model" ? std::string("model") : base) +
                         (variant.empty() ? "" : "." + variant) + ".safetensors";
        if (taken.count(set.outputName) || fs::exists(dir / set.outputName)) {
            continue; // already converted (or a .bin next to its index): keep the existing safetensors
        }
        if (index) {
            for (const std::string& shard : shardsOfIndex(dir / name)) {
                set.sources.emplace_back(shard);
            }
            set.consumed = set.sources;
            set.consumed.push_back(dir / name);
        } else {
            set.sources.push_back(dir / name);
            set.consumed = set.sources;
        }
        taken.insert(set.outputName);
        sets.push_back(std::move(set));
    }
    return sets;
}

ConvertedFile convertSet(const std::vector<fs::path>& sources, const fs::path& output,
                         std::optional<torch::Dtype> dtype) {
    ConvertedFile result;
    TensorMap merged;
    for (const fs::path& src : sources) {
        result.sources.push_back(src.string());
        TensorMap part = read_weights_file_raw(src.string());
        for (auto& kv : part) {
            if (!merged.emplace(kv.first, std::move(kv.second)).second) {
                throw std::runtime_error("tensor '" + kv.first + "' appears in two shards (again in '" +
                                         src.string() + "')");
            }
        }
    }
    result.bytes = applyDtype(merged, dtype);
    result.tensors = merged.size();
    result.output = output.string();
    write_safetensors(result.output, merged, {{"format", "pt"}});
    return result;
}

} // namespace

TensorMap read_weights_file(const std::string& path, torch::Dtype floatDtype) {
    return readAny(path, floatDtype);
}

TensorMap read_weights_file_raw(const std::string& path) {
    return readAny(path, std::nullopt);
}

bool is_torch_checkpoint(const std::string& path) {
    const std::string format = detect_weights_format(path);
    return format == "torch-zip" || format == "torch-legacy";
}

std::vector<std::string> pickle_weight_files(const std::string& componentDir, const std::string& variant) {
    const std::string suffix = variant.empty() ? ".bin" : "." + variant + ".bin";
    for (const char* base : {"diffusion_pytorch_model", "pytorch_model"}) {
        const fs::path single = fs::path(componentDir) / (std::string(base) + suffix);
        if (fs::exists(single)) {
            return {single.string()};
        }
    }
    for (const char* base : {"diffusion_pytorch_model", "pytorch_model"}) {
        const fs::path indexPath = fs::path(componentDir) / (std::string(base) + suffix + ".index.json");
        if (!fs::exists(indexPath)) {
            continue;
        }
        return shardsOfIndex(indexPath);
    }
    return {};
}

std::vector<ConvertedFile> convert_weights(const std::string& input, const std::string& output,
                                           std::optional<torch::Dtype> dtype, const JobControl& job) {
    if (!fs::exists(input)) {
        throw std::runtime_error("'" + input + "' does not exist");
    }
    if (fs::exists(output) && fs::equivalent(input, output)) {
        throw std::runtime_error("'" + output + "': the output must differ from the input");
    }
    std::vector<ConvertedFile> written;
    if (!fs::is_directory(input)) {
        fs::path out = output;
        if (fs::is_directory(out)) {
            out /= fs::path(input).stem().string() + ".safetensors";
        }
        job.report("convert", 0, 1, input);
        written.push_back(convertSet({fs::path(input)}, out, dtype));
        job.report("convert", 1, 1, out.string());
        return written;
    }
    const fs::path inRoot = fs::absolute(input).lexically_normal();
    const fs::path outRoot = fs::absolute(output).lexically_normal();
    const auto rel = outRoot.lexically_relative(inRoot);
    if (!rel.empty() && *rel.begin() != "..") {
        throw std::runtime_error("'" + output + "': the output folder must not be inside the input folder '" +
                                 input + "'");
    }

    // Plan first (so a bad index fails before anything is written), then copy and convert.
    std::vector<fs::path> dirs{inRoot};
    for (const auto& e : fs::recursive_directory_iterator(inRoot)) {
        if (e.is_directory()) {
            dirs.push_back(e.path());
        }
    }
    std::vector<std::pair<fs::path, WeightSet>> plan;
    std::set<fs::path> consumed;
    for (const fs::path& dir : dirs) {
        for (WeightSet& set : weightSetsOf(dir)) {
            consumed.insert(set.consumed.begin(), set.consumed.end());
            plan.emplace_back(dir, std::move(set));
        }
    }
    const long long total = static_cast<long long>(plan.size()) + 1;
    job.report("convert", 0, total, "copying other files");
    fs::create_directories(outRoot);
    for (const fs::path& dir : dirs) {
        const fs::path target = outRoot / dir.lexically_relative(inRoot);
        fs::create_directories(target);
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.is_regular_file() && !consumed.count(e.path())) {
                fs::copy_file(e.path(), target / e.path().filename(), fs::copy_options::overwrite_existing);
            }
        }
    }
    long long done = 1;
    for (const auto& item : plan) {
        job.checkCancelled();
        job.report("convert", done, total, item.second.sources.front().string());
        const fs::path out = outRoot / item.first.lexically_relative(inRoot) / item.second.outputName;
        written.push_back(convertSet(item.second.sources, out, dtype));
        job.report("convert", ++done, total, out.string());
    }
    return written;
}

} // namespace mb::ml
