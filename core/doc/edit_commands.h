#pragma once
/**
 * \file edit_commands.h
 * \brief Every change to a Project is a small command object with apply/revert (the undo design).
 *
 * The ui wraps each EditCommand in a QUndoCommand; the CLI and tests use them directly. Commands keep the
 * before and after value of the part they change (a box track, the camera path, the shot...), found again
 * by id on each apply/revert, so they stay valid while other edits come and go.
 *
 * A drag is one undo step: the ui gives all commands of one mouse drag the same non-zero `dragId`; a command
 * merges the next one when both change the same part with the same dragId (only the first "before" and the
 * last "after" are kept). Adding or removing things never merges. A command whose before equals its after
 * is a no-op (isNoOp) and need not be pushed.
 *
 * \code
 *   auto cmd = mb::setTrack(project, "toy", editedTrack, "Move box", dragId);
 *   cmd->apply(project);   // redo
 *   cmd->revert(project);  // undo
 * \endcode
 */
#include "doc/project.h"

#include <memory>
#include <string>

namespace mb {

/** Which parts of the project a command touches, so views refresh only what changed. */
enum ChangeScope : unsigned {
    ScopeSubjects = 1u << 0,
    ScopeShot = 1u << 1,
    ScopeTracks = 1u << 2,
    ScopeCamera = 1u << 3,
    ScopeRender = 1u << 4,
    ScopeBackground = 1u << 5,
    ScopeTakes = 1u << 6,
    ScopeAll = 0xffffffffu,
};

class EditCommand {
public:
    virtual ~EditCommand() = default;
    virtual void apply(Project& project) = 0;
    virtual void revert(Project& project) = 0;
    /** Menu text for Undo/Redo, e.g. "Move box". */
    virtual std::string label() const = 0;
    virtual unsigned scope() const = 0;
    /** Absorbs `later` (same part, same non-zero drag id); returns false when they do not merge. */
    virtual bool mergeWith(const EditCommand& later) {
        (void)later;
        return false;
    }
    /** True when applying changes nothing. */
    virtual bool isNoOp() const { return false; }
};

using EditCommandPtr = std::unique_ptr<EditCommand>;

/** Replaces the box track of `subjectId` (which must exist) by `after`. */
EditCommandPtr setTrack(const Project& project, const std::string& subjectId, BoxTrack after,
                        std::string label, unsigned dragId = 0);
/** Replaces the camera path. */
EditCommandPtr setCamera(const Project& project, CameraPath after, std::string label, unsigned dragId = 0);
/** Replaces the shot settings (prompt, length, size, sampling). */
EditCommandPtr setShot(const Project& project, Shot after, std::string label, unsigned dragId = 0);
/** Replaces a subject (by its current id; `after` may rename it: tracks and {id} in the prompt follow). */
EditCommandPtr setSubject(const Project& project, const std::string& subjectId, Subject after,
                          std::string label);
/** Replaces the render settings. */
EditCommandPtr setRenderSettings(const Project& project, RenderSettings after, std::string label);
/** Sets the animatic background image (empty = procedural). */
EditCommandPtr setBackground(const Project& project, std::string after, std::string label);
/** Adds a subject (id must be new) and, if given, its box track. */
EditCommandPtr addSubject(Subject subject, std::optional<BoxTrack> track, std::string label);
/** Removes a subject and its box track; revert puts both back at their places. */
EditCommandPtr removeSubject(const Project& project, const std::string& subjectId, std::string label);
/** Adds a box track for a subject that has none. */
EditCommandPtr addTrack(BoxTrack track, std::string label);
/** Appends a take. */
EditCommandPtr addTake(Take take, std::string label);

} // namespace mb
