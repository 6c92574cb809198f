#include "ui/project_document.h"

#include "doc/project_io.h"
#include "ui/edit_undo_command.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUndoStack>
#include <algorithm>

namespace mb::ui {

ProjectDocument::ProjectDocument(QObject* parent)
    : QObject(parent), m_project(makeNewProject()), m_undoStack(new QUndoStack(this)) {
    connect(m_undoStack, &QUndoStack::cleanChanged, this,
            [this](bool) { Q_EMIT modifiedChanged(isModified()); });
    if (!m_project.subjects.empty())
        m_selectedSubject = QString::fromStdString(m_project.subjects.front().id);
}

ProjectDocument::~ProjectDocument() {
    // The unsaved state dies with the document: its generated files go unless a project file needs them.
    removeGeneratedExcept({}, false);
    // Commands refer back to this document; clear them while it is still whole.
    m_undoStack->clear();
}

bool ProjectDocument::push(EditCommandPtr command) {
    if (!command || command->isNoOp())
        return false;
    m_undoStack->push(new EditUndoCommand(this, std::move(command)));
    return true;
}

unsigned ProjectDocument::newDragId() {
    if (m_nextDragId == 0)
        m_nextDragId = 1;
    return m_nextDragId++;
}

void ProjectDocument::resetProject(Project project, const QString& filePath, bool modified) {
    // The old state and its undo history go away: keep only what project files and the new project use.
    removeGeneratedExcept(referencedFiles(project), false);
    m_generated.clear();
    m_undoStack->clear();
    m_project = std::move(project);
    m_modifiedWithoutUndo = modified;
    m_undoStack->setClean();
    if (m_filePath != filePath) {
        m_filePath = filePath;
        Q_EMIT filePathChanged(m_filePath);
    }
    m_selectedSubject =
        m_project.subjects.empty() ? QString() : QString::fromStdString(m_project.subjects.front().id);
    m_currentFrame = std::clamp(m_currentFrame, 0, std::max(0, m_project.shot.frames - 1));
    Q_EMIT projectReplaced();
    Q_EMIT changed(ScopeAll);
    Q_EMIT selectedSubjectChanged(m_selectedSubject);
    Q_EMIT currentFrameChanged(m_currentFrame);
    Q_EMIT modifiedChanged(isModified());
}

void ProjectDocument::load(const QString& path) {
    Project p = loadProject(QFileInfo(path).absoluteFilePath().toStdString());
    resetProject(std::move(p), QFileInfo(path).absoluteFilePath());
}

void ProjectDocument::save(const QString& path) {
    const QString abs = QFileInfo(path).absoluteFilePath();
    saveProject(m_project, abs.toStdString());
    keepReferencesOf(abs, m_project);
    removeUnneededGeneratedFiles();
    m_modifiedWithoutUndo = false;
    m_undoStack->setClean();
    if (m_filePath != abs) {
        m_filePath = abs;
        Q_EMIT filePathChanged(m_filePath);
    }
    Q_EMIT modifiedChanged(false);
}

QString ProjectDocument::projectFolder() const {
    if (!m_filePath.isEmpty())
        return QFileInfo(m_filePath).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
}

QString ProjectDocument::displayName() const {
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
}

bool ProjectDocument::isModified() const {
    return m_modifiedWithoutUndo || !m_undoStack->isClean();
}

void ProjectDocument::setCurrentFrame(int frame) {
    frame = std::clamp(frame, 0, std::max(0, m_project.shot.frames - 1));
    if (frame == m_currentFrame)
        return;
    m_currentFrame = frame;
    Q_EMIT currentFrameChanged(frame);
}

void ProjectDocument::setSelectedSubject(const QString& id) {
    if (id == m_selectedSubject)
        return;
    m_selectedSubject = id;
    Q_EMIT selectedSubjectChanged(id);
}

void ProjectDocument::addGeneratedFile(const QString& path) {
    if (!path.isEmpty())
        m_generated.insert(QFileInfo(path).absoluteFilePath());
}

QStringList ProjectDocument::generatedFiles() const {
    QStringList list(m_generated.begin(), m_generated.end());
    list.sort();
    return list;
}

void ProjectDocument::keepReferencesOf(const QString& projectFile, const Project& project) {
    m_keptByFiles.insert(projectFile.isEmpty() ? QString() : QFileInfo(projectFile).absoluteFilePath(),
                         referencedFiles(project));
}

void ProjectDocument::forgetAutosaveReferences() {
    m_keptByFiles.remove(QString());
}

QSet<QString> ProjectDocument::referencedFiles(const Project& project) {
    QSet<QString> files;
    const auto add = [&files](const std::string& path) {
        if (!path.empty())
            files.insert(QFileInfo(QString::fromStdString(path)).absoluteFilePath());
    };
    for (const Subject& s : project.subjects)
        for (const SubjectPhoto& photo : s.photos) {
            add(photo.image);
            add(photo.mask);
        }
    add(project.background);
    add(project.render.checkpoint);
    for (const Take& t : project.takes) {
        add(t.video);
        add(t.sidecar);
    }
    return files;
}

std::optional<QSet<QString>> ProjectDocument::filesReachableByUndo() const {
    QSet<QString> files = referencedFiles(m_project);
    try {
        // Replay the history on copies: backwards from here for undo, forwards for redo.
        Project state = m_project;
        for (int i = m_undoStack->index() - 1; i >= 0; --i) {
            const auto* cmd = dynamic_cast<const EditUndoCommand*>(m_undoStack->command(i));
            if (!cmd || cmd->childCount() > 0)
                return std::nullopt;
            cmd->revertOn(state);
            files |= referencedFiles(state);
        }
        state = m_project;
        for (int i = m_undoStack->index(); i < m_undoStack->count(); ++i) {
            const auto* cmd = dynamic_cast<const EditUndoCommand*>(m_undoStack->command(i));
            if (!cmd || cmd->childCount() > 0)
                return std::nullopt;
            cmd->applyTo(state);
            files |= referencedFiles(state);
        }
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return files;
}

QStringList ProjectDocument::removeUnneededGeneratedFiles() {
    return removeGeneratedExcept({}, true);
}

QStringList ProjectDocument::removeGeneratedExcept(QSet<QString> keep, bool live) {
    if (m_generated.isEmpty())
        return {};
    if (live) {
        const auto reachable = filesReachableByUndo();
        if (!reachable)
            return {}; // unsure what undo needs: remove nothing
        keep |= *reachable;
    }
    for (const QSet<QString>& kept : std::as_const(m_keptByFiles))
        keep |= kept;
    QStringList removed;
    for (auto it = m_generated.begin(); it != m_generated.end();) {
        if (keep.contains(*it)) {
            ++it;
            continue;
        }
        // A file already gone (a cancelled job never wrote it) is simply forgotten.
        if (QFile::remove(*it))
            removed << *it;
        it = m_generated.erase(it);
    }
    removed.sort();
    return removed;
}

void ProjectDocument::notifyChanged(unsigned scope) {
    if (scope & ScopeShot) {
        // The frame count may have shrunk under the playhead.
        const int clamped = std::clamp(m_currentFrame, 0, std::max(0, m_project.shot.frames - 1));
        if (clamped != m_currentFrame) {
            m_currentFrame = clamped;
            Q_EMIT currentFrameChanged(clamped);
        }
    }
    if ((scope & ScopeSubjects) && !m_selectedSubject.isEmpty() &&
        !m_project.findSubject(m_selectedSubject.toStdString())) {
        m_selectedSubject.clear();
        Q_EMIT selectedSubjectChanged(m_selectedSubject);
    }
    Q_EMIT changed(scope);
}

} // namespace mb::ui
