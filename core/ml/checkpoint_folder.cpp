#include "ml/checkpoint_folder.h"

#include <fstream>
#include <stdexcept>

namespace mb::ml {

namespace fs = std::filesystem;

uint64_t training_step_seed(uint64_t seed, int64_t step) {
    uint64_t z = seed + 0x9E3779B97F4A7C15ull * uint64_t(step + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void replace_checkpoint_folder(const std::string& dirIn, const std::function<void(const fs::path&)>& write,
                               const std::function<void(CheckpointSwapStage)>& after) {
    const fs::path dir(dirIn);
    const fs::path tmp = dir.string() + ".tmp", old = dir.string() + ".old";
    const auto stage = [&](CheckpointSwapStage s) {
        if (after)
            after(s);
    };
    const auto rename = [&](const fs::path& from, const fs::path& to) {
        std::error_code ec;
        fs::rename(from, to, ec);
        if (ec)
            throw std::runtime_error(from.string() + ": cannot move the checkpoint folder to " + to.string() +
                                     ": " + ec.message());
    };
    std::error_code ec;
    // A run killed between setting `dir` aside and moving the new one in leaves only `dir`.old complete. Put
    // it back before anything else: otherwise deleting `dir`.old below would leave no checkpoint to resume
    // from until the rename of the new one.
    if (!is_complete_checkpoint(dir.string()) && is_complete_checkpoint(old.string())) {
        fs::remove_all(dir, ec);
        rename(old, dir);
        stage(CheckpointSwapStage::Recovered);
    }
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp, ec);
    if (ec)
        throw std::runtime_error(tmp.string() + ": cannot create the checkpoint folder: " + ec.message());
    write(tmp);
    if (!is_complete_checkpoint(tmp.string()))
        throw std::runtime_error(
            tmp.string() + ": the checkpoint was not written completely (weights.safetensors, optimizer.pt, "
                           "state.json); the previous one is kept");
    stage(CheckpointSwapStage::TmpWritten);
    // Swap in: keep the previous checkpoint until the new one is in place.
    fs::remove_all(old, ec);
    if (fs::exists(dir, ec)) {
        rename(dir, old);
        stage(CheckpointSwapStage::OldSetAside);
    }
    rename(tmp, dir);
    stage(CheckpointSwapStage::NewInPlace);
    fs::remove_all(old, ec);
    stage(CheckpointSwapStage::OldRemoved);
}

bool is_complete_checkpoint(const std::string& dir) {
    std::error_code ec;
    for (const char* f : {"weights.safetensors", "optimizer.pt", "state.json"})
        if (!fs::is_regular_file(fs::path(dir) / f, ec))
            return false;
    return true;
}

std::string checkpoint_to_resume(const std::string& dir) {
    if (is_complete_checkpoint(dir))
        return dir;
    if (is_complete_checkpoint(dir + ".old"))
        return dir + ".old"; // interrupted while swapping in a newer one
    throw std::runtime_error(dir + ": no resume checkpoint (weights.safetensors, optimizer.pt, state.json)");
}

void write_checkpoint_state(const fs::path& dir, const nlohmann::json& state) {
    const fs::path path = dir / "state.json";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << state.dump(2) << "\n";
    out.flush();
    if (!out)
        throw std::runtime_error(path.string() + ": cannot write (disk full?)");
}

nlohmann::json read_checkpoint_state(const std::string& dir) {
    try {
        std::ifstream in(fs::path(dir) / "state.json");
        return nlohmann::json::parse(in);
    } catch (const std::exception& e) {
        throw std::runtime_error(dir + "/state.json: unreadable (" + e.what() + ")");
    }
}

void save_optimizer_state(const torch::optim::Optimizer& optimizer, const fs::path& dir) {
    try {
        torch::serialize::OutputArchive archive;
        optimizer.save(archive);
        archive.save_to((dir / "optimizer.pt").string());
    } catch (const c10::Error& e) {
        throw std::runtime_error((dir / "optimizer.pt").string() + ": cannot write the optimizer state (" +
                                 e.what_without_backtrace() + ")");
    }
}

void load_optimizer_state(torch::optim::Optimizer& optimizer, const std::string& dir) {
    try {
        // Onto the device the parameters are on now: a run resumed on another device than the one that
        // saved it gets its moments where its weights are.
        c10::optional<c10::Device> device; // c10::optional: std::optional only from LibTorch 2.x
        for (const auto& group : optimizer.param_groups())
            if (!group.params().empty()) {
                device = group.params().front().device();
                break;
            }
        torch::serialize::InputArchive archive;
        archive.load_from((fs::path(dir) / "optimizer.pt").string(), device);
        optimizer.load(archive);
    } catch (const c10::Error& e) {
        throw std::runtime_error(dir + "/optimizer.pt: cannot restore the optimizer state (" +
                                 std::string(e.what_without_backtrace()) + ")");
    }
}

} // namespace mb::ml
