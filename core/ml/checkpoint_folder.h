#pragma once
/**
 * \file checkpoint_folder.h
 * \brief The on-disk mechanics shared by the training jobs' resume checkpoints (subject_trainer.h,
 *        pretrainer.h): a folder of weights.safetensors + optimizer.pt + state.json that is replaced
 *        atomically, found again after an interrupted swap, and the per-step seed every random draw uses.
 */
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace torch::optim {
class Optimizer;
}

namespace mb::ml {

/** A well-mixed seed for step `step` of a run seeded `seed` (splitmix64 of seed + step): the whole random
 *  state of a training step, so a resumed run draws exactly what an uninterrupted one would. */
uint64_t training_step_seed(uint64_t seed, int64_t step);

/** The points of a checkpoint swap at which a process can be killed (see replace_checkpoint_folder). */
enum class CheckpointSwapStage {
    Recovered,   ///< a previous interrupted swap was finished: `dir`.old moved back to `dir`
    TmpWritten,  ///< `write` filled `dir`.tmp completely
    OldSetAside, ///< the previous `dir` is now `dir`.old
    NewInPlace,  ///< `dir`.tmp is now `dir`
    OldRemoved,  ///< `dir`.old deleted: the swap is done
};

/**
 * Writes `dir` atomically: `write` fills `dir`.tmp (a leftover `dir`.tmp of a killed run is deleted first),
 * which then replaces `dir`; the previous folder is kept as `dir`.old until the new one is in place. When a
 * previous swap was killed after setting `dir` aside, that `dir`.old is moved back first, so at every moment
 * checkpoint_to_resume() finds a complete checkpoint once one was ever written. `after` (optional) is called
 * after each stage; an exception it throws stops the swap there, exactly as a kill would. Throws
 * std::runtime_error naming the folder on failure, also when `write` left out one of the three files (the
 * previous checkpoint then stays in place).
 */
void replace_checkpoint_folder(const std::string& dir,
                               const std::function<void(const std::filesystem::path&)>& write,
                               const std::function<void(CheckpointSwapStage)>& after = {});

/** True when `dir` holds weights.safetensors, optimizer.pt and state.json. */
bool is_complete_checkpoint(const std::string& dir);

/**
 * The folder to resume from: `dir`, or `dir`.old when a swap was interrupted and only that one is complete.
 * Throws std::runtime_error naming `dir` when neither is complete.
 */
std::string checkpoint_to_resume(const std::string& dir);

/** Writes `state` as `dir`/state.json; throws naming the file (disk full…). */
void write_checkpoint_state(const std::filesystem::path& dir, const nlohmann::json& state);
/** Reads `dir`/state.json; throws naming the file when it is unreadable. */
nlohmann::json read_checkpoint_state(const std::string& dir);

/** Saves / restores an optimizer's state as `dir`/optimizer.pt; errors name the file. */
void save_optimizer_state(const torch::optim::Optimizer& optimizer, const std::filesystem::path& dir);
void load_optimizer_state(torch::optim::Optimizer& optimizer, const std::string& dir);

} // namespace mb::ml
