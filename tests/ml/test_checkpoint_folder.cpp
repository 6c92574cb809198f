// Resume checkpoints survive a kill at every point of their swap: a complete checkpoint (the previous or the
// new one, never a mix) can be resumed from at each stage, and the next save recovers and cleans up.
#include "ml/checkpoint_folder.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace fs = std::filesystem;
using mb::ml::CheckpointSwapStage;

namespace {

struct Interrupted {
    CheckpointSwapStage at;
};

class CheckpointFolder : public ::testing::Test {
protected:
    void SetUp() override {
        root = fs::temp_directory_path() / ("mb-ckpt-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root);
        fs::create_directories(root);
        dir = (root / "unet").string();
    }
    void TearDown() override { fs::remove_all(root); }

    // A checkpoint whose three files all say which generation wrote them.
    static void writeGeneration(const fs::path& tmp, int generation) {
        for (const char* f : {"weights.safetensors", "optimizer.pt"})
            std::ofstream(tmp / f) << "generation " << generation;
        mb::ml::write_checkpoint_state(tmp, {{"step", generation}});
    }
    void save(int generation, std::optional<CheckpointSwapStage> killAt = std::nullopt,
              std::function<void(CheckpointSwapStage)> observe = {}) {
        mb::ml::replace_checkpoint_folder(
            dir, [&](const fs::path& tmp) { writeGeneration(tmp, generation); },
            [&](CheckpointSwapStage s) {
                if (observe)
                    observe(s);
                if (killAt && *killAt == s)
                    throw Interrupted{s};
            });
    }
    // The generation a resume would continue from; fails the test when the folder is a mix of two.
    int resumedGeneration() {
        const std::string from = mb::ml::checkpoint_to_resume(dir);
        const int step = mb::ml::read_checkpoint_state(from)["step"];
        for (const char* f : {"weights.safetensors", "optimizer.pt"}) {
            std::ifstream in(fs::path(from) / f);
            std::string word;
            int g = -1;
            in >> word >> g;
            EXPECT_EQ(g, step) << from << "/" << f << " is from another save than its state.json";
        }
        return step;
    }

    fs::path root;
    std::string dir;
};

} // namespace

TEST_F(CheckpointFolder, EveryStageOfASwapLeavesAResumableCheckpoint) {
    save(1);
    std::vector<CheckpointSwapStage> seen;
    save(2, std::nullopt, [&](CheckpointSwapStage s) {
        seen.push_back(s);
        const int g = resumedGeneration();
        // Until the new folder is in place a resume continues from the previous save, afterwards from the
        // new.
        if (s == CheckpointSwapStage::TmpWritten || s == CheckpointSwapStage::OldSetAside)
            EXPECT_EQ(g, 1) << int(s);
        else
            EXPECT_EQ(g, 2) << int(s);
    });
    EXPECT_EQ(seen, (std::vector<CheckpointSwapStage>{
                        CheckpointSwapStage::TmpWritten, CheckpointSwapStage::OldSetAside,
                        CheckpointSwapStage::NewInPlace, CheckpointSwapStage::OldRemoved}));
    EXPECT_FALSE(fs::exists(dir + ".old"));
    EXPECT_FALSE(fs::exists(dir + ".tmp"));
}

TEST_F(CheckpointFolder, AKillAtAnyStageIsRecoveredByTheNextSave) {
    for (CheckpointSwapStage killAt : {CheckpointSwapStage::TmpWritten, CheckpointSwapStage::OldSetAside,
                                       CheckpointSwapStage::NewInPlace}) {
        SCOPED_TRACE(int(killAt));
        fs::remove_all(root);
        fs::create_directories(root);
        save(1);
        EXPECT_THROW(save(2, killAt), Interrupted);
        const int afterKill = resumedGeneration();
        EXPECT_EQ(afterKill, killAt == CheckpointSwapStage::NewInPlace ? 2 : 1);

        // The next save (killed at no point) must never pass through a moment without a checkpoint to
        // resume from — a kill after setting the folder aside used to leave only `.old`, which the next save
        // deleted before its own folder was in place.
        save(3, std::nullopt, [&](CheckpointSwapStage s) {
            // Once the new folder is written, the previous one must be back under its own name: the swap
            // is about to delete `.old`.
            if (s == CheckpointSwapStage::TmpWritten)
                EXPECT_EQ(mb::ml::checkpoint_to_resume(dir), dir);
            const int g = resumedGeneration();
            EXPECT_TRUE(g == afterKill || g == 3) << "stage " << int(s) << " resumes generation " << g;
        });
        EXPECT_EQ(resumedGeneration(), 3);
        EXPECT_FALSE(fs::exists(dir + ".old"));
        EXPECT_FALSE(fs::exists(dir + ".tmp"));
    }
}

TEST_F(CheckpointFolder, AKillWhileWritingLeavesThePreviousCheckpointAndItsTmpIsCleanedUp) {
    save(1);
    // Killed half-way through writing: .tmp holds only some files.
    fs::create_directories(dir + ".tmp");
    std::ofstream(fs::path(dir + ".tmp") / "weights.safetensors") << "partial";
    EXPECT_EQ(resumedGeneration(), 1);
    save(2);
    EXPECT_EQ(resumedGeneration(), 2);
    EXPECT_FALSE(fs::exists(dir + ".tmp"));
}

TEST_F(CheckpointFolder, AnIncompleteWriteIsRefusedAndThePreviousCheckpointKept) {
    save(1);
    try {
        mb::ml::replace_checkpoint_folder(dir, [](const fs::path& tmp) {
            std::ofstream(tmp / "weights.safetensors") << "generation 2"; // no optimizer.pt, no state.json
        });
        FAIL() << "an incomplete checkpoint was swapped in";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(dir + ".tmp"), std::string::npos) << e.what();
    }
    EXPECT_EQ(resumedGeneration(), 1);
}

TEST_F(CheckpointFolder, NoCheckpointIsAnErrorNamingTheFolder) {
    try {
        mb::ml::checkpoint_to_resume(dir);
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(dir), std::string::npos) << e.what();
    }
}

TEST_F(CheckpointFolder, BrokenStateAndOptimizerFilesAreErrorsNamingTheFile) {
    save(1);
    std::ofstream(fs::path(dir) / "state.json") << "{ \"step\": "; // truncated by a full disk
    try {
        mb::ml::read_checkpoint_state(dir);
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(dir + "/state.json"), std::string::npos) << e.what();
    }

    torch::Tensor w = torch::zeros({3}, torch::requires_grad());
    torch::optim::Adam adam({w});
    // optimizer.pt holds "generation 1", not a LibTorch archive.
    try {
        mb::ml::load_optimizer_state(adam, dir);
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(dir + "/optimizer.pt"), std::string::npos) << e.what();
    }
    // A real state round-trips.
    w.sum().backward();
    adam.step();
    mb::ml::save_optimizer_state(adam, dir);
    torch::optim::Adam again({torch::zeros({3}, torch::requires_grad())});
    EXPECT_NO_THROW(mb::ml::load_optimizer_state(again, dir));

    // Writing into a folder that is not there names the file.
    EXPECT_THROW(mb::ml::write_checkpoint_state(root / "missing", {{"step", 1}}), std::runtime_error);
    EXPECT_THROW(mb::ml::save_optimizer_state(adam, root / "missing"), std::runtime_error);
}

TEST(TrainingStepSeed, DiffersPerStepAndPerRunAndIsStable) {
    EXPECT_NE(mb::ml::training_step_seed(0, 0), mb::ml::training_step_seed(0, 1));
    EXPECT_NE(mb::ml::training_step_seed(0, 5), mb::ml::training_step_seed(1, 5));
    EXPECT_EQ(mb::ml::training_step_seed(7, 123), mb::ml::training_step_seed(7, 123));
}
