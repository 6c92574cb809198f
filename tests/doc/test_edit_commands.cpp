// Undo design: apply/revert restore exactly, drags merge into one step, add/remove never merge.
#include "doc/edit_commands.h"
#include "doc/project_io.h"

#include <gtest/gtest.h>
#include <vector>

using namespace mb;

namespace {
/** A minimal undo stack with the semantics QUndoStack gives the ui: merge into the top command. */
struct Stack {
    explicit Stack(Project& project) : p(project) {}
    Project& p;
    std::vector<EditCommandPtr> done;
    size_t index = 0;
    void push(EditCommandPtr c) {
        done.resize(index);
        c->apply(p);
        if (!done.empty() && done.back()->mergeWith(*c))
            return;
        done.push_back(std::move(c));
        index = done.size();
    }
    void undo() { done[--index]->revert(p); }
    void redo() { done[index++]->apply(p); }
};
} // namespace

TEST(EditCommands, DragMergesIntoOneUndoStep) {
    Project p = makeNewProject();
    const Project original = p;
    Stack s(p);
    const unsigned drag = 7;
    for (int i = 1; i <= 10; ++i) {
        BoxTrack t = *p.findTrack("subject");
        t.keys[0].value = t.keys[0].value.translated(0.01, 0.0);
        s.push(setTrack(p, "subject", t, "Move box", drag));
    }
    EXPECT_EQ(s.done.size(), 1u);
    EXPECT_NEAR(p.findTrack("subject")->keys[0].value.x0,
                original.findTrack("subject")->keys[0].value.x0 + 0.1, 1e-12);
    const Project moved = p;
    s.undo();
    EXPECT_EQ(p, original);
    s.redo();
    EXPECT_EQ(p, moved);
}

TEST(EditCommands, DifferentDragsAndZeroDragIdDoNotMerge) {
    Project p = makeNewProject();
    Stack s(p);
    BoxTrack t = *p.findTrack("subject");
    t.keys[0].value.x0 = 0.0;
    s.push(setTrack(p, "subject", t, "Move box", 1));
    t.keys[0].value.x0 = 0.05;
    s.push(setTrack(p, "subject", t, "Move box", 2));
    t.keys[0].value.x0 = 0.07;
    s.push(setTrack(p, "subject", t, "Move box", 0));
    t.keys[0].value.x0 = 0.08;
    s.push(setTrack(p, "subject", t, "Move box", 0));
    EXPECT_EQ(s.done.size(), 4u);
    // The camera and the track never merge with each other even with one drag id.
    s.push(setCamera(p, CameraPath::constantPan(0.2, 0), "Pan", 5));
    s.push(setTrack(p, "subject", t, "Move box", 5));
    EXPECT_EQ(s.done.size(), 6u);
}

TEST(EditCommands, AddAndRemoveSubjectRestorePositions) {
    Project p = makeNewProject();
    Subject b;
    b.id = "dog";
    b.className = "dog";
    BoxTrack bt;
    bt.subjectId = "dog";
    bt.keys.push_back({0.0, {0.5, 0.5, 0.7, 0.9}, Easing::linear()});
    Stack s(p);
    const Project original = p;
    s.push(addSubject(b, bt, "Add subject"));
    ASSERT_EQ(p.subjects.size(), 2u);
    ASSERT_NE(p.findTrack("dog"), nullptr);
    const Project two = p;
    s.push(removeSubject(p, "subject", "Remove subject"));
    EXPECT_EQ(p.subjects.size(), 1u);
    EXPECT_EQ(p.findTrack("subject"), nullptr);
    s.undo();
    EXPECT_EQ(p, two); // same order as before
    s.undo();
    EXPECT_EQ(p, original);
    s.redo();
    s.redo();
    EXPECT_EQ(p.subjects[0].id, "dog");
}

TEST(EditCommands, RenamingASubjectUpdatesTrackAndPrompt) {
    Project p = makeNewProject();
    p.shot.prompt = "a {subject} next to another {subject}";
    Subject renamed = p.subjects[0];
    renamed.id = "robot";
    auto cmd = setSubject(p, "subject", renamed, "Rename subject");
    cmd->apply(p);
    EXPECT_EQ(p.shot.prompt, "a {robot} next to another {robot}");
    EXPECT_NE(p.findTrack("robot"), nullptr);
    EXPECT_NO_THROW((void)p.resolvedPrompt());
    cmd->revert(p);
    EXPECT_EQ(p.shot.prompt, "a {subject} next to another {subject}");
    EXPECT_NE(p.findTrack("subject"), nullptr);
}

TEST(EditCommands, NoOpIsDetected) {
    Project p = makeNewProject();
    EXPECT_TRUE(setShot(p, p.shot, "Nothing")->isNoOp());
    Shot s = p.shot;
    s.frames = 48;
    auto c = setShot(p, s, "Frames");
    EXPECT_FALSE(c->isNoOp());
    EXPECT_EQ(c->scope(), unsigned(ScopeShot));
    EXPECT_EQ(c->label(), "Frames");
}

TEST(EditCommands, ChangingFrameCountKeepsKeyframeTimes) {
    Project p = makeNewProject();
    const BoxTrack before = *p.findTrack("subject");
    Shot s = p.shot;
    s.frames = 96;
    setShot(p, s, "Frames")->apply(p);
    // Keyframes are stored in relative time: the track is unchanged and its last key is at the last frame.
    EXPECT_EQ(*p.findTrack("subject"), before);
    EXPECT_EQ(p.findTrack("subject")->keyIndexAtFrame(95, 96), 1);
}
