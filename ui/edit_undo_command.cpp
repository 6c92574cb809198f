#include "ui/edit_undo_command.h"

#include "ui/project_document.h"

namespace mb::ui {

EditUndoCommand::EditUndoCommand(ProjectDocument* document, EditCommandPtr command)
    : m_document(document), m_command(std::move(command)) {
    setText(QString::fromStdString(m_command->label()));
}

void EditUndoCommand::redo() {
    m_command->apply(m_document->mutableProject());
    m_document->notifyChanged(m_command->scope());
}

void EditUndoCommand::undo() {
    m_command->revert(m_document->mutableProject());
    m_document->notifyChanged(m_command->scope());
}

bool EditUndoCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const EditUndoCommand*>(other);
    if (!o || !m_command->mergeWith(*o->m_command))
        return false;
    // A drag that came back to where it started is no step at all.
    setObsolete(m_command->isNoOp());
    return true;
}

} // namespace mb::ui
