#include "ui/autosaver.h"

#include "ui/project_document.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>

namespace mb::ui {

Autosaver::Autosaver(ProjectDocument* document, const QString& folder, QObject* parent)
    : QObject(parent), m_document(document), m_folder(folder) {
    // Unique per session, so two editors with unsaved projects never overwrite each other's copy.
    m_untitledKey = QStringLiteral("untitled-%1-%2")
                        .arg(QCoreApplication::applicationPid())
                        .arg(QDateTime::currentMSecsSinceEpoch());
    connect(&m_timer, &QTimer::timeout, this, [this] { saveNow(); });
    connect(document, &ProjectDocument::changed, this, [this] { m_dirtySinceAutosave = true; });
    connect(document, &ProjectDocument::modifiedChanged, this, [this](bool modified) {
        if (!modified)
            discard(); // saved: the real file is newer than any copy
    });
    connect(document, &ProjectDocument::filePathChanged, this, [this] {
        // The copy's name follows the project's path: drop the copy under the old name.
        discard();
        m_dirtySinceAutosave = m_document->isModified();
    });
}

void Autosaver::setIntervalSeconds(int seconds) {
    if (seconds <= 0) {
        m_timer.stop();
        return;
    }
    m_timer.start(seconds * 1000);
}

QString Autosaver::saveNow() {
    if (!m_dirtySinceAutosave || !m_document->isModified())
        return {};
    try {
        const std::string path = writeAutosave(m_document->project(), m_document->filePath().toStdString(),
                                               m_folder.toStdString(), m_untitledKey.toStdString());
        m_lastPath = QString::fromStdString(path);
        // A recovery of this copy needs its masks: the document must not clean them up meanwhile.
        m_document->keepReferencesOf(QString(), m_document->project());
        m_dirtySinceAutosave = false;
        Q_EMIT autosaved(m_lastPath);
        return m_lastPath;
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Autosave failed: %1").arg(QString::fromStdString(e.what())));
        return {};
    }
}

void Autosaver::discard() {
    if (!m_lastPath.isEmpty())
        QFile::remove(m_lastPath);
    m_lastPath.clear();
    m_document->forgetAutosaveReferences();
}

std::vector<AutosaveInfo> Autosaver::pendingRecoveries() const {
    std::vector<AutosaveInfo> out;
    for (auto& info : listAutosaves(m_folder.toStdString()))
        if (QString::fromStdString(info.autosavePath) != m_lastPath)
            out.push_back(info);
    return out;
}

void Autosaver::recover(const AutosaveInfo& info) {
    AutosaveInfo read;
    Project p = readAutosave(info.autosavePath, &read);
    m_document->resetProject(std::move(p), QString::fromStdString(read.originalPath), true);
    QFile::remove(QString::fromStdString(info.autosavePath));
    m_dirtySinceAutosave = true;
    // Keep a copy at once: the recovered work is unsaved again.
    saveNow();
}

} // namespace mb::ui
