// The project's files as a whole (doc/file_edits.h) and subject identifiers (doc/subject_identifiers.h):
// missing files found by role, relinking and take removal undo exactly, a relink undone later does not undo
// other edits of a subject, each new subject's identifier is one no other subject uses.
#include "doc/file_edits.h"
#include "doc/project_io.h"
#include "doc/subject_identifiers.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace mb;
namespace fs = std::filesystem;

namespace {
std::string touch(const fs::path& p) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "x";
    return p.string();
}

Project projectWithFiles(const fs::path& dir) {
    Project p = makeNewProject();
    p.subjects[0].photos = {{touch(dir / "a.png"), (dir / "masks" / "a_mask.png").string()},
                            {(dir / "b.png").string(), std::string()}};
    p.background = (dir / "bg.jpg").string();
    Take t;
    t.video = touch(dir / "takes" / "t.mp4");
    t.sidecar = (dir / "takes" / "t.mp4.json").string();
    t.seed = 3;
    p.takes = {t};
    return p;
}
} // namespace

TEST(FileEdits, FindsMissingFilesByRole) {
    const fs::path dir = fs::temp_directory_path() / "mb_file_edits_missing";
    fs::remove_all(dir);
    const Project p = projectWithFiles(dir);
    const std::vector<MissingFile> missing = findMissingFiles(p);
    ASSERT_EQ(missing.size(), 4u);
    EXPECT_EQ(missing[0].role, "mask");
    EXPECT_EQ(missing[0].subjectId, "subject");
    EXPECT_EQ(missing[1].role, "photo");
    EXPECT_EQ(missing[1].path, (dir / "b.png").string());
    EXPECT_EQ(missing[2].role, "background");
    EXPECT_EQ(missing[3].role, "sidecar");
    // A folder where a photo should be counts as missing too.
    fs::create_directories(dir / "b.png");
    EXPECT_EQ(findMissingFiles(p).size(), 4u);
    fs::remove_all(dir);
}

TEST(FileEdits, RelinkAppliesAndRevertsAndKeepsOtherSubjectEdits) {
    const fs::path dir = fs::temp_directory_path() / "mb_file_edits_relink";
    Project p = projectWithFiles(dir);
    const Project before = p;
    const std::string moved = (dir / "moved" / "b.png").string();
    auto relink =
        relinkFiles(p, {{p.subjects[0].photos[1].image, moved}, {p.background, "/new/bg.jpg"}}, "Relink");
    EXPECT_FALSE(relink->isNoOp());
    relink->apply(p);
    EXPECT_EQ(p.subjects[0].photos[1].image, moved);
    EXPECT_EQ(p.subjects[0].photos[0], before.subjects[0].photos[0]);
    EXPECT_EQ(p.background, "/new/bg.jpg");
    // Another edit of the subject after the relink survives undoing the relink (only paths are swapped).
    p.subjects[0].className = "robot";
    relink->revert(p);
    EXPECT_EQ(p.subjects[0].photos, before.subjects[0].photos);
    EXPECT_EQ(p.background, before.background);
    EXPECT_EQ(p.subjects[0].className, "robot");
    EXPECT_TRUE(relinkFiles(p, {{"/not/in/project", "/x"}}, "none")->isNoOp());
}

TEST(FileEdits, RemoveAndSetTakeUndoExactly) {
    Project p = makeNewProject();
    for (std::uint64_t seed : {1, 2, 3}) {
        Take t;
        t.video = "/t/" + std::to_string(seed) + ".mp4";
        t.seed = seed;
        p.takes.push_back(t);
    }
    const Project before = p;
    auto remove = removeTake(p, 1, "Delete take");
    remove->apply(p);
    ASSERT_EQ(p.takes.size(), 2u);
    EXPECT_EQ(p.takes[1].seed, 3u);
    remove->revert(p);
    EXPECT_EQ(p, before);
    EXPECT_THROW(removeTake(p, 3, "x"), std::logic_error);
    Take renamed = p.takes[0];
    renamed.video = "/t/hero.mp4";
    auto set = setTake(p, 0, renamed, "Rename take");
    set->apply(p);
    EXPECT_EQ(p.takes[0].video, "/t/hero.mp4");
    set->revert(p);
    EXPECT_EQ(p, before);
}

TEST(SubjectIdentifiers, EachNewSubjectGetsAFreeToken) {
    Project p = makeNewProject();
    ASSERT_EQ(p.subjects[0].identifier, "sks");
    EXPECT_EQ(subjectIdentifierTokens().front(), "sks");
    EXPECT_EQ(freeSubjectIdentifier(p), "ohwx");
    Subject s;
    s.id = "dog";
    s.identifier = "ohwx";
    p.subjects.push_back(s);
    EXPECT_EQ(freeSubjectIdentifier(p), "phol");
    EXPECT_EQ(subjectUsingIdentifier(p, "ohwx", "subject"), "dog");
    EXPECT_EQ(subjectUsingIdentifier(p, "ohwx", "dog"), "");
    for (const char* id : {"a", "b"}) {
        Subject more;
        more.id = id;
        more.identifier = freeSubjectIdentifier(p);
        p.subjects.push_back(more);
    }
    EXPECT_EQ(p.subjects[3].identifier, "hta");
    EXPECT_EQ(freeSubjectIdentifier(p), ""); // all four taken: the editor asks the artist for one
}
