#pragma once
/**
 * \file project_document.h
 * \brief The editor's document: owns the mb::Project and its QUndoStack, and tells views what changed.
 *
 * Widgets never mutate the project: they build an mb::EditCommand (core/doc/edit_commands.h) and push() it.
 * The command runs through the undo stack, and changed(scope) tells every view which parts to refresh.
 * A mouse drag is one undo step: take a newDragId() at mouse press and give it to every command of the drag.
 *
 * \code
 *   mb::ui::ProjectDocument doc;
 *   doc.push(mb::setTrack(doc.project(), "toy", edited, "Move box", dragId));
 *   doc.undoStack()->undo();
 * \endcode
 */
#include "doc/edit_commands.h"
#include "doc/project.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>

class QUndoStack;

namespace mb::ui {

class EditUndoCommand;

class ProjectDocument : public QObject {
    Q_OBJECT
public:
    /** Which timeline row a keyframe selection refers to: a subject's box track or the camera. */
    static constexpr const char* kCameraRow = "@camera";

    explicit ProjectDocument(QObject* parent = nullptr);
    ~ProjectDocument() override;

    const Project& project() const { return m_project; }
    QUndoStack* undoStack() const { return m_undoStack; }

    /**
     * Runs `command` through the undo stack (it is applied at once). A no-op command is dropped and false is
     * returned. Errors the command throws (e.g. a subject that no longer exists) propagate as exceptions.
     */
    bool push(EditCommandPtr command);
    /** A fresh non-zero id for the commands of one mouse drag, so they merge into one undo step. */
    unsigned newDragId();

    /** Replaces the whole project (new/open/recover): clears undo history and selection. */
    void resetProject(Project project, const QString& filePath, bool modified = false);
    /** Loads a project file. Throws std::runtime_error (ProjectFileError) naming the file and the problem. */
    void load(const QString& path);
    /** Saves to `path` (atomically) and makes it the document's file. Throws std::runtime_error. */
    void save(const QString& path);

    QString filePath() const { return m_filePath; }
    /** The folder masks and exports default to: the project's folder, or the user's documents when unsaved.
     */
    QString projectFolder() const;
    /** Window-title name: the file name, or "Untitled". */
    QString displayName() const;
    bool isModified() const;

    int frameCount() const { return m_project.shot.frames; }
    int currentFrame() const { return m_currentFrame; }
    void setCurrentFrame(int frame);

    /** The subject whose box/track is selected ("" = none). */
    QString selectedSubject() const { return m_selectedSubject; }
    void setSelectedSubject(const QString& id);

    // Generated files (mask PNGs: every mask edit writes a new one so undo can return to the old) would pile
    // up next to the project. The document remembers the ones the editor wrote this session and removes
    // each once nothing can need it any more: not the document, not any state undo/redo can reach, not a
    // project file written this session (saves, the autosave copy, job snapshots). Files it did not write
    // are never touched.

    /** Records a file the editor wrote for this document (e.g. a new mask), making it removable later. */
    void addGeneratedFile(const QString& path);
    QStringList generatedFiles() const;
    /** Remembers that the project file `projectFile` (now on disk) refers to the files `project` does; a
     * later write of the same file replaces what it keeps. An empty `projectFile` stands for the autosave
     * copy. */
    void keepReferencesOf(const QString& projectFile, const Project& project);
    /** Forgets the autosave copy's references (the copy was removed). */
    void forgetAutosaveReferences();
    /** Every file path `project` refers to: photos, masks, background, checkpoint, takes and sidecars. */
    static QSet<QString> referencedFiles(const Project& project);
    /**
     * The files of the current project and of every state undo or redo can reach, or nothing when that
     * cannot be worked out (a command that is not an editor command, or one that fails to replay): then
     * nothing is removed.
     */
    std::optional<QSet<QString>> filesReachableByUndo() const;
    /**
     * Removes the generated files that nothing needs (see above) and returns them. Runs after save(), and
     * when the document is replaced or destroyed (then only saved files and the autosave keep files alive).
     */
    QStringList removeUnneededGeneratedFiles();

    /** Called by EditUndoCommand after apply/revert. */
    Project& mutableProject() { return m_project; }
    void notifyChanged(unsigned scope);

Q_SIGNALS:
    /** Parts of the project changed (ChangeScope bits). */
    void changed(unsigned scope);
    /** The whole project was replaced (new/open/recover). changed(ScopeAll) follows. */
    void projectReplaced();
    void currentFrameChanged(int frame);
    void selectedSubjectChanged(const QString& id);
    void filePathChanged(const QString& path);
    void modifiedChanged(bool modified);

private:
    Project m_project;
    QUndoStack* m_undoStack;
    QString m_filePath;
    bool m_modifiedWithoutUndo = false; ///< a recovered autosave is modified although the undo stack is clean
    int m_currentFrame = 0;
    QString m_selectedSubject;
    unsigned m_nextDragId = 1;
    QSet<QString> m_generated;                   ///< files written for this document this session
    QHash<QString, QSet<QString>> m_keptByFiles; ///< project file ("" = autosave) → the files it refers to

    /** Removes generated files outside `keep`; `live` adds the current state and the undo stack to it. */
    QStringList removeGeneratedExcept(QSet<QString> keep, bool live);
};

} // namespace mb::ui
