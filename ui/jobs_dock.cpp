#include "ui/jobs_dock.h"

#include "ui/job_queue.h"
#include "ui/loss_plot.h"
#include "ui/process_job.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace mb::ui {

namespace {
constexpr int kPreviewHeight = 40; ///< of the step-preview strip, in pixels
} // namespace

JobsDock::JobsDock(JobQueue* queue, QWidget* parent) : QWidget(parent), m_queue(queue) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    layout->addWidget(splitter, 1);

    m_view = new QTreeView(splitter);
    m_view->setModel(queue);
    m_view->setRootIsDecorated(false);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAccessibleName(tr("Job queue"));
    // Small minimums, so the dock fits under the stage on a 1366×768 screen; the splitter shares the rest.
    m_view->setMinimumHeight(48);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(JobQueue::ColumnJob, QHeaderView::Stretch);
    for (int c = JobQueue::ColumnStatus; c < JobQueue::ColumnCount; ++c)
        m_view->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    auto* details = new QWidget(splitter);
    auto* dl = new QVBoxLayout(details);
    dl->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(tr("No job selected"), details);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    dl->addWidget(m_title);
    m_progress = new QProgressBar(details);
    m_progress->setRange(0, 1000); // tenths of a percent
    m_progress->setFormat(QStringLiteral("%p%"));
    dl->addWidget(m_progress);
    auto* row = new QHBoxLayout;
    m_stage = new QLabel(details);
    m_times = new QLabel(details);
    m_times->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    row->addWidget(m_stage, 1);
    row->addWidget(m_times);
    dl->addLayout(row);
    m_error = new QLabel(details);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #ff6b6b;"));
    m_error->hide();
    dl->addWidget(m_error);
    // A take's latest step preview: its frames side by side, a strip a few lines high.
    m_previewBox = new QWidget(details);
    auto* pr = new QHBoxLayout(m_previewBox);
    pr->setContentsMargins(0, 0, 0, 0);
    m_previewThumb = new QLabel(m_previewBox);
    m_previewThumb->setAccessibleName(tr("Step preview"));
    m_previewThumb->setToolTip(tr("Where the take is going: a cheap picture of every frame after the last "
                                  "denoising step. Cancel the job if it goes wrong."));
    m_previewText = new QLabel(m_previewBox);
    m_previewText->setEnabled(false);
    pr->addWidget(m_previewThumb);
    pr->addWidget(m_previewText, 1);
    m_previewBox->setFixedHeight(kPreviewHeight);
    m_previewBox->hide();
    dl->addWidget(m_previewBox);
    m_lossPlot = new LossPlot(details);
    m_lossPlot->setMinimumHeight(140);
    m_lossPlot->hide();
    dl->addWidget(m_lossPlot, 2);
    m_log = new QPlainTextEdit(details);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setAccessibleName(tr("Job log"));
    m_log->setMinimumHeight(36);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_log->setFont(mono);
    dl->addWidget(m_log, 1);
    auto* buttons = new QHBoxLayout;
    m_cancelButton = new QPushButton(tr("Cancel"), details);
    m_cancelButton->setToolTip(tr("Stop the selected job at its next step (a separate process that does not "
                                  "stop within a few seconds is killed)"));
    m_cancelAllButton = new QPushButton(tr("Cancel All"), details);
    m_clearButton = new QPushButton(tr("Clear Finished"), details);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_cancelAllButton);
    buttons->addStretch(1);
    buttons->addWidget(m_clearButton);
    dl->addLayout(buttons);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);

    m_clock = new QTimer(this);
    m_clock->setInterval(500);
    connect(m_clock, &QTimer::timeout, this, &JobsDock::refreshTimes);

    connect(m_cancelButton, &QPushButton::clicked, this, &JobsDock::cancelCurrent);
    connect(m_cancelAllButton, &QPushButton::clicked, queue, &JobQueue::cancelAll);
    connect(m_clearButton, &QPushButton::clicked, this, [this] {
        m_queue->removeEnded();
        if (!m_current)
            setCurrentJob(m_queue->runningJob());
    });
    connect(queue, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { onRowsInserted(first, last); });
    connect(queue, &JobQueue::jobStarted, this, [this](ProcessJob* job) {
        // Follow the new job unless the user is reading another one that is still running.
        if (!m_current || !m_current->isActive())
            setCurrentJob(job);
        m_clock->start();
    });
    connect(queue, &JobQueue::idle, this, [this] {
        m_clock->stop();
        refresh();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    setCurrentJob(m_queue->jobAt(current.row()));
            });
    refresh();
}

void JobsDock::onRowsInserted(int first, int last) {
    for (int row = first; row <= last; ++row) {
        ProcessJob* job = m_queue->jobAt(row);
        if (!job)
            continue;
        connect(job, &ProcessJob::valueReported, this, [this, job](const QString& name, double value) {
            m_values[job].append({name, value});
            if (job == m_current) {
                m_lossPlot->show();
                m_lossPlot->addValue(name, value);
            }
        });
        connect(job, &ProcessJob::logAppended, this, [this, job](const QString& line) {
            if (job == m_current)
                m_log->appendPlainText(line);
        });
        connect(job, &ProcessJob::progressChanged, this, [this, job] {
            if (job == m_current)
                refresh();
        });
        connect(job, &ProcessJob::statusChanged, this, [this, job] {
            if (job == m_current)
                refresh();
        });
        connect(job, &ProcessJob::previewChanged, this, [this, job] {
            if (job == m_current)
                refreshPreview();
        });
        connect(job, &QObject::destroyed, this, [this, job] { m_values.remove(job); });
    }
    if (!m_current)
        setCurrentJob(m_queue->jobAt(last));
}

void JobsDock::setCurrentJob(ProcessJob* job) {
    if (job == m_current && job)
        return;
    m_current = job;
    const int row = job ? m_queue->rowOf(job) : -1;
    if (row >= 0 && m_view->currentIndex().row() != row)
        m_view->setCurrentIndex(m_queue->index(row, 0));
    rebuildDetails();
}

void JobsDock::rebuildDetails() {
    m_log->clear();
    m_lossPlot->clear();
    m_lossPlot->hide();
    if (m_current) {
        m_log->setPlainText(m_current->log().join(QLatin1Char('\n')));
        const auto values = m_values.value(m_current);
        for (const auto& v : values)
            m_lossPlot->addValue(v.first, v.second);
        m_lossPlot->setVisible(!values.isEmpty());
    }
    refresh();
}

void JobsDock::refresh() {
    ProcessJob* job = m_current;
    m_cancelButton->setEnabled(job && (job->isActive() || job->status() == ProcessJob::Status::Pending));
    m_cancelAllButton->setEnabled(m_queue->runningJob() || m_queue->pendingCount() > 0);
    if (!job) {
        m_title->setText(tr("No job selected"));
        m_progress->setValue(0);
        m_stage->clear();
        m_times->clear();
        m_error->hide();
        m_progress->setFormat(QStringLiteral("%p%"));
        refreshPreview();
        return;
    }
    m_title->setText(QStringLiteral("%1 \u2014 %2").arg(job->label(), JobQueue::statusText(job->status())));
    m_title->setToolTip(job->commandLine());
    // Tenths of a percent, rounded down: only a finished job fills the bar.
    m_progress->setValue(int(job->percent() * 10.0 + 1e-6));
    switch (job->status()) {
    case ProcessJob::Status::Failed:
        m_progress->setFormat(tr("%p% \u2014 failed"));
        break;
    case ProcessJob::Status::Cancelled:
        m_progress->setFormat(tr("%p% \u2014 cancelled"));
        break;
    default:
        m_progress->setFormat(QStringLiteral("%p%"));
    }
    refreshPreview();
    m_stage->setText(job->stage().isEmpty() ? QString() : tr("Stage: %1").arg(job->stage()));
    const bool failed = job->status() == ProcessJob::Status::Failed;
    m_error->setVisible(failed);
    m_error->setText(failed ? job->errorMessage() : QString());
    refreshTimes();
}

void JobsDock::refreshPreview() {
    ProcessJob* job = m_current;
    // While it renders, and where a job stopped short; a finished take is in the Takes panel instead.
    const bool show = job && !job->preview().isNull() && job->status() != ProcessJob::Status::Finished;
    m_previewBox->setVisible(show);
    if (!show) {
        m_previewThumb->clear();
        m_previewText->clear();
        return;
    }
    // Scaled up to a readable strip (a frame of the built-in model's take is 28×16 cells), at most as wide
    // as the dock, at a fixed height the layout keeps free.
    const QImage strip = job->preview();
    QImage scaled = strip.scaledToHeight(kPreviewHeight, Qt::SmoothTransformation);
    const int maxWidth = std::max(120, width() - 160);
    if (scaled.width() > maxWidth)
        scaled = strip.scaled(maxWidth, kPreviewHeight, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    m_previewThumb->setPixmap(QPixmap::fromImage(scaled));
    m_previewText->setText(job->previewCaption());
}

QString JobsDock::previewCaption() const {
    return m_previewBox->isVisible() || !m_previewText->text().isEmpty() ? m_previewText->text() : QString();
}

void JobsDock::refreshTimes() {
    ProcessJob* job = m_current;
    if (!job || job->status() == ProcessJob::Status::Pending) {
        m_times->clear();
        return;
    }
    const QString elapsed = ProcessJob::formatDuration(job->elapsedMs());
    m_times->setText(job->isActive() ? tr("Elapsed %1  \u2022  Remaining %2")
                                           .arg(elapsed, ProcessJob::formatDuration(job->remainingMs()))
                                     : tr("Took %1").arg(elapsed));
    // The queue's ETA column ticks too.
    const int row = m_queue->rowOf(job);
    if (row >= 0 && job->isActive())
        m_queue->item(row, JobQueue::ColumnEta)->setText(ProcessJob::formatDuration(job->remainingMs()));
}

void JobsDock::cancelCurrent() {
    if (m_current)
        m_current->cancel();
}

QString JobsDock::stageText() const {
    return m_stage->text();
}
QString JobsDock::timeText() const {
    return m_times->text();
}
QString JobsDock::errorText() const {
    return m_error->isVisible() || !m_error->text().isEmpty() ? m_error->text() : QString();
}

} // namespace mb::ui
