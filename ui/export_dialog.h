#pragma once
/**
 * \file export_dialog.h
 * \brief Export ▸ the animatic as MP4 (H.264 yuv420p, CRF presets), a PNG sequence or an animated GIF, with
 *        progress, cancel and clear errors. The export runs on a worker thread on a snapshot of the project.
 */
#include "ui/export_job.h"

#include <QDialog>
#include <QPointer>
#include <QThread>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace mb::ui {

class ProjectDocument;

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExportDialog(ProjectDocument* document, QWidget* parent = nullptr);
    ~ExportDialog() override;

    /** The settings the fields describe. */
    ExportSettings settings() const;
    void setOutputPath(const QString& path);
    void setFormat(ExportSettings::Format format);
    /** Starts the export (as the Export button does). */
    void startExport();
    void cancelExport();
    bool isRunning() const { return m_job != nullptr; }

Q_SIGNALS:
    void exportFinished(const QString& path);
    void exportFailed(const QString& message);
    void exportCancelled();

protected:
    void reject() override;

private:
    void updateForFormat();
    void browse();

    ProjectDocument* m_document;
    QComboBox* m_format;
    QComboBox* m_quality;
    QDoubleSpinBox* m_fps;
    QLineEdit* m_output;
    QProgressBar* m_progress;
    QLabel* m_message;
    QPushButton* m_exportButton;
    QPushButton* m_cancelButton;
    QThread m_thread;
    QPointer<ExportJob> m_job;
};

} // namespace mb::ui
