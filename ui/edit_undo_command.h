#pragma once
/**
 * \file edit_undo_command.h
 * \brief A QUndoCommand around one core mb::EditCommand: redo = apply, undo = revert, merging delegated to
 * the core command (same part + same drag id), and a merged command that ends where it began is dropped.
 */
#include "doc/edit_commands.h"

#include <QUndoCommand>

namespace mb::ui {

class ProjectDocument;

class EditUndoCommand : public QUndoCommand {
public:
    /** All editor commands share one id so QUndoStack offers every pair to mergeWith(); the core decides. */
    static constexpr int kMergeId = 0x4d42;

    EditUndoCommand(ProjectDocument* document, EditCommandPtr command);

    void redo() override;
    void undo() override;
    int id() const override { return kMergeId; }
    bool mergeWith(const QUndoCommand* other) override;

    const EditCommand& command() const { return *m_command; }
    /** Replays the command on another project (e.g. a copy, to see what undo/redo would reach); the command
     *  itself and the document stay as they are. Throws what the core command throws. */
    void applyTo(Project& project) const { m_command->apply(project); }
    void revertOn(Project& project) const { m_command->revert(project); }

private:
    ProjectDocument* m_document;
    EditCommandPtr m_command;
};

} // namespace mb::ui
