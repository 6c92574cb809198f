#pragma once
/**
 * \file autosaver.h
 * \brief Periodic autosave of a modified document into the autosave folder, and crash recovery.
 *
 * The copy remembers the project's original path (doc/project_io.h), so a recovered project saves back to its
 * own file. A clean close removes the copy; a copy that survives means the editor did not close cleanly, and
 * the next start offers it back (pendingRecoveries()).
 */
#include "doc/project_io.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <vector>

namespace mb::ui {

class ProjectDocument;

class Autosaver : public QObject {
    Q_OBJECT
public:
    Autosaver(ProjectDocument* document, const QString& folder, QObject* parent = nullptr);

    QString folder() const { return m_folder; }
    /** Seconds between autosaves (0 turns autosave off). */
    void setIntervalSeconds(int seconds);
    /** Writes the copy now if the document changed since the last one. Returns its path or "". */
    QString saveNow();
    /** Removes this session's copy (after a save, or on a clean close). */
    void discard();
    /** Copies left behind by sessions that did not close cleanly, newest first. */
    std::vector<AutosaveInfo> pendingRecoveries() const;
    /** Loads a copy into the document (modified, with the original path) and removes the copy file. */
    void recover(const AutosaveInfo& info);

Q_SIGNALS:
    void autosaved(const QString& path);
    void failed(const QString& message);

private:
    ProjectDocument* m_document;
    QString m_folder;
    QString m_untitledKey; ///< names this session's copy while the project has no file
    QString m_lastPath;    ///< this session's copy
    QTimer m_timer;
    bool m_dirtySinceAutosave = false;
};

} // namespace mb::ui
