#include "ui/export_dialog.h"

#include "ui/project_document.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace mb::ui {

ExportDialog::ExportDialog(ProjectDocument* document, QWidget* parent)
    : QDialog(parent), m_document(document) {
    setWindowTitle(tr("Export Animatic"));
    setMinimumWidth(520);
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    layout->addLayout(form);

    m_format = new QComboBox(this);
    m_format->addItem(tr("MP4 video (H.264, yuv420p)"), int(ExportSettings::Format::Mp4));
    m_format->addItem(tr("PNG sequence"), int(ExportSettings::Format::PngSequence));
    m_format->addItem(tr("Animated GIF"), int(ExportSettings::Format::Gif));
    form->addRow(tr("Format"), m_format);

    m_quality = new QComboBox(this);
    m_quality->addItem(tr("High quality (CRF 18)"), 18);
    m_quality->addItem(tr("Standard (CRF 23)"), 23);
    m_quality->addItem(tr("Small file (CRF 28)"), 28);
    form->addRow(tr("Quality"), m_quality);

    const Shot& shot = document->project().shot;
    m_fps = new QDoubleSpinBox(this);
    m_fps->setRange(1, 120);
    m_fps->setDecimals(2);
    m_fps->setValue(shot.fps);
    m_fps->setSuffix(tr(" fps"));
    form->addRow(tr("Frame rate"), m_fps);
    form->addRow(
        tr("Size"),
        new QLabel(tr("%1 \u00d7 %2 px, %n frame(s)", nullptr, shot.frames).arg(shot.width).arg(shot.height),
                   this));

    m_output = new QLineEdit(this);
    auto* browseButton = new QPushButton(tr("Browse\u2026"), this);
    auto* outRow = new QHBoxLayout;
    outRow->addWidget(m_output, 1);
    outRow->addWidget(browseButton);
    form->addRow(tr("Output"), outRow);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, std::max(1, shot.frames));
    m_progress->setValue(0);
    layout->addWidget(m_progress);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);

    auto* buttons = new QDialogButtonBox(this);
    m_exportButton = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_cancelButton = buttons->addButton(tr("Cancel Export"), QDialogButtonBox::ActionRole);
    m_cancelButton->setEnabled(false);
    buttons->addButton(QDialogButtonBox::Close);
    layout->addWidget(buttons);

    connect(m_format, qOverload<int>(&QComboBox::currentIndexChanged), this, &ExportDialog::updateForFormat);
    connect(browseButton, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_exportButton, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_cancelButton, &QPushButton::clicked, this, &ExportDialog::cancelExport);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);

    m_thread.setObjectName(QStringLiteral("export-worker"));
    m_thread.start();
    updateForFormat();
}

ExportDialog::~ExportDialog() {
    if (m_job)
        m_job->cancel();
    m_thread.quit();
    m_thread.wait();
}

ExportSettings ExportDialog::settings() const {
    ExportSettings s;
    s.format = ExportSettings::Format(m_format->currentData().toInt());
    s.outputPath = m_output->text().trimmed();
    s.crf = m_quality->currentData().toInt();
    s.fps = m_fps->value();
    return s;
}

void ExportDialog::setOutputPath(const QString& path) {
    m_output->setText(path);
}

void ExportDialog::setFormat(ExportSettings::Format format) {
    m_format->setCurrentIndex(m_format->findData(int(format)));
}

void ExportDialog::updateForFormat() {
    const auto f = ExportSettings::Format(m_format->currentData().toInt());
    m_quality->setEnabled(f == ExportSettings::Format::Mp4);
    const QString base = m_document->filePath().isEmpty()
                             ? QStringLiteral("animatic")
                             : QFileInfo(m_document->filePath()).completeBaseName();
    const QDir dir(m_document->projectFolder());
    const QString suggestion = f == ExportSettings::Format::Mp4 ? dir.filePath(base + QStringLiteral(".mp4"))
                               : f == ExportSettings::Format::Gif
                                   ? dir.filePath(base + QStringLiteral(".gif"))
                                   : dir.filePath(base + QStringLiteral("_frames"));
    m_output->setText(suggestion);
}

void ExportDialog::browse() {
    const auto f = ExportSettings::Format(m_format->currentData().toInt());
    QString path;
    if (f == ExportSettings::Format::PngSequence)
        path = QFileDialog::getExistingDirectory(this, tr("Folder for the PNG frames"), m_output->text());
    else
        path = QFileDialog::getSaveFileName(this, tr("Export to"), m_output->text(),
                                            f == ExportSettings::Format::Mp4 ? tr("MP4 video (*.mp4)")
                                                                             : tr("GIF (*.gif)"));
    if (!path.isEmpty())
        m_output->setText(path);
}

void ExportDialog::startExport() {
    if (m_job)
        return;
    const ExportSettings s = settings();
    if (s.outputPath.isEmpty()) {
        m_message->setText(tr("Choose where to export first."));
        return;
    }
    auto* job = new ExportJob(m_document->project(), s);
    job->moveToThread(&m_thread);
    m_job = job;
    m_exportButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_message->setText(tr("Exporting\u2026"));
    m_progress->setValue(0);
    connect(job, &ExportJob::progress, this, [this](int done, int total) {
        m_progress->setMaximum(total);
        m_progress->setValue(done);
    });
    auto done = [this] {
        m_job = nullptr; // the job deletes itself later; the dialog is free for the next export now
        m_exportButton->setEnabled(true);
        m_cancelButton->setEnabled(false);
    };
    connect(job, &ExportJob::finished, this, [this, done](const QString& path) {
        done();
        m_message->setText(tr("Exported to %1").arg(QDir::toNativeSeparators(path)));
        Q_EMIT exportFinished(path);
    });
    connect(job, &ExportJob::failed, this, [this, done](const QString& message) {
        done();
        m_message->setText(tr("<b>Export failed.</b> %1").arg(message.toHtmlEscaped()));
        Q_EMIT exportFailed(message);
    });
    connect(job, &ExportJob::cancelled, this, [this, done] {
        done();
        m_progress->setValue(0);
        m_message->setText(tr("Export cancelled; nothing was written."));
        Q_EMIT exportCancelled();
    });
    connect(job, &ExportJob::finished, job, &QObject::deleteLater);
    connect(job, &ExportJob::failed, job, &QObject::deleteLater);
    connect(job, &ExportJob::cancelled, job, &QObject::deleteLater);
    QMetaObject::invokeMethod(job, &ExportJob::run, Qt::QueuedConnection);
}

void ExportDialog::cancelExport() {
    if (m_job)
        m_job->cancel(); // direct: the worker checks it between frames
}

void ExportDialog::reject() {
    if (m_job) {
        cancelExport();
        m_message->setText(tr("Cancelling\u2026"));
        return;
    }
    QDialog::reject();
}

} // namespace mb::ui
