#include "ui/farm_jobs_panel.h"

#include "doc/edit_commands.h"
#include "ui/farm_job_monitor.h"
#include "ui/job_queue.h"
#include "ui/process_job.h"
#include "ui/project_document.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mb::ui {

namespace {

constexpr int kMonitorRole = Qt::UserRole + 1;

QString formatEta(double seconds) {
    return seconds < 0 ? QString() : ProcessJob::formatDuration(qint64(seconds * 1000));
}

bool sameFile(const QString& a, const QString& b) {
    if (a.isEmpty() || b.isEmpty())
        return false;
    const QString ca = QFileInfo(a).canonicalFilePath(), cb = QFileInfo(b).canonicalFilePath();
    return ca.isEmpty() || cb.isEmpty() ? QFileInfo(a).absoluteFilePath() == QFileInfo(b).absoluteFilePath()
                                        : ca == cb;
}

} // namespace

FarmJobsPanel::FarmJobsPanel(ProjectDocument* document, JobQueue* queue, QWidget* parent)
    : QWidget(parent), m_document(document), m_queue(queue), m_program(cliProgram()) {
    m_projectFile = [this]() -> QString {
        return m_document->isModified() ? QString() : m_document->filePath();
    };
    m_renderAction = new QAction(tr("Render on &Farm\u2026"), this);
    m_renderAction->setToolTip(
        tr("Render takes as a Slurm job array on a cluster (motionbooth-cli farm submit)"));
    connect(m_renderAction, &QAction::triggered, this, &FarmJobsPanel::showDialog);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_tree = new QTreeWidget(this);
    m_tree->setColumnCount(4);
    m_tree->setHeaderLabels({tr("Farm job"), tr("State"), tr("Progress"), tr("ETA")});
    // The state column says the most ("2 of 4 done, 1 failed", Slurm's reasons, errors): it gets the room.
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    m_tree->setAlternatingRowColors(true);
    layout->addWidget(m_tree, 1);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);

    auto* buttons = new QHBoxLayout;
    m_renderButton = new QPushButton(tr("Render on Farm\u2026"), this);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_resubmitButton = new QPushButton(tr("Resubmit Failed"), this);
    m_collectButton = new QPushButton(tr("Collect Takes"), this);
    m_removeButton = new QPushButton(tr("Remove"), this);
    m_cancelButton->setToolTip(tr("Cancel the job's Slurm jobs (farm cancel)"));
    m_resubmitButton->setToolTip(tr("Submit the failed or missing takes again (farm resubmit --failed)"));
    m_collectButton->setToolTip(tr("Verify the finished takes and add them to the Takes panel"));
    m_removeButton->setToolTip(tr("Stop watching this job; its folder stays on disk"));
    for (QPushButton* b : {m_renderButton, m_cancelButton, m_resubmitButton, m_collectButton, m_removeButton})
        buttons->addWidget(b);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(m_renderButton, &QPushButton::clicked, m_renderAction, &QAction::trigger);
    connect(m_cancelButton, &QPushButton::clicked, this, &FarmJobsPanel::cancelCurrent);
    connect(m_resubmitButton, &QPushButton::clicked, this, &FarmJobsPanel::resubmitCurrent);
    connect(m_collectButton, &QPushButton::clicked, this, &FarmJobsPanel::collectCurrent);
    connect(m_removeButton, &QPushButton::clicked, this, &FarmJobsPanel::removeCurrent);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        while (item && item->parent())
            item = item->parent();
        setCurrentMonitor(item ? static_cast<FarmJobMonitor*>(item->data(0, kMonitorRole).value<QObject*>())
                               : nullptr);
    });
    setCliProgram(m_program);
}

FarmJobsPanel::~FarmJobsPanel() = default;

void FarmJobsPanel::setCliProgram(const QString& program) {
    m_program = program;
    const bool ok = !program.isEmpty();
    m_renderAction->setEnabled(ok);
    m_renderButton->setEnabled(ok);
    const QString why = tr("motionbooth-cli was not found: farm rendering needs it (set MB_CLI or install it "
                           "next to the editor)");
    m_renderAction->setToolTip(ok ? tr("Render takes as a Slurm job array on a cluster (motionbooth-cli farm "
                                       "submit)")
                                  : why);
    m_renderButton->setToolTip(m_renderAction->toolTip());
    refreshButtons();
}

void FarmJobsPanel::setMonitorTimings(int pollMs, int slurmTimeoutS, int commandTimeoutMs) {
    m_pollMs = pollMs;
    m_slurmTimeoutS = slurmTimeoutS;
    m_commandTimeoutMs = commandTimeoutMs;
}

FarmSubmitOptions FarmJobsPanel::defaultOptions() const {
    FarmSubmitOptions o;
    const QString base = m_document->filePath().isEmpty()
                             ? QStringLiteral("untitled")
                             : QFileInfo(m_document->filePath()).completeBaseName();
    o.jobDir =
        QDir(m_document->projectFolder())
            .filePath(
                QStringLiteral("farm/%1-%2")
                    .arg(base, QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-hhmmss"))));
    return o;
}

void FarmJobsPanel::showDialog() {
    FarmDialog dialog(this);
    dialog.setOptions(defaultOptions());
    if (dialog.exec() == QDialog::Accepted)
        submit(dialog.options());
}

ProcessJob* FarmJobsPanel::submit(const FarmSubmitOptions& options, bool quiet) {
    const auto refuse = [&](const QString& why) -> ProcessJob* {
        showMessage(why, true);
        if (!quiet)
            QMessageBox::warning(this, tr("Cannot render on the farm"), why);
        return nullptr;
    };
    if (m_program.isEmpty())
        return refuse(m_renderAction->toolTip());
    const QString problem = validateFarmOptions(options);
    if (!problem.isEmpty())
        return refuse(problem);
    const QString project = m_projectFile ? m_projectFile() : QString();
    if (project.isEmpty())
        return refuse(tr("Save the project first: the farm job freezes a copy of the saved project."));
    const QString documentFile = m_document->filePath();
    const QString jobDir = QFileInfo(options.jobDir).absoluteFilePath();
    FarmSubmitOptions o = options;
    o.jobDir = jobDir;
    const int takes = o.useSeeds ? int(o.seeds.split(QLatin1Char(',')).size()) : o.variations;
    const QString label =
        o.dryRun ? tr("Farm job folder (dry run): %1").arg(QFileInfo(jobDir).fileName())
                 : tr("Farm submit: %n take(s) of %1", nullptr, takes)
                       .arg(QFileInfo(documentFile.isEmpty() ? project : documentFile).fileName());
    auto* job = new ProcessJob(label, m_program, farmSubmitArguments(project, o));
    job->setOutputPath(jobDir);
    const bool dryRun = o.dryRun;
    connect(job, &ProcessJob::ended, this, [this, job, dryRun, documentFile](ProcessJob::Status status) {
        if (status == ProcessJob::Status::Failed) {
            showMessage(tr("Farm submission failed: %1").arg(job->errorMessage()), true);
            return;
        }
        if (status != ProcessJob::Status::Finished)
            return;
        if (dryRun) {
            showMessage(tr("Wrote the job folder %1 (not submitted).").arg(job->outputPath()), false);
            return;
        }
        setCurrentMonitor(addJob(job->outputPath(), documentFile));
    });
    m_queue->add(job);
    Q_EMIT submissionQueued(job);
    return job;
}

FarmJobMonitor* FarmJobsPanel::addJob(const QString& jobDirIn, const QString& projectFile) {
    const QString jobDir = QFileInfo(jobDirIn).absoluteFilePath();
    if (FarmJobMonitor* existing = monitorFor(jobDir))
        return existing;
    auto* monitor = new FarmJobMonitor(m_program, jobDir, this);
    monitor->setPollIntervalMs(m_pollMs);
    monitor->setSlurmTimeoutSeconds(m_slurmTimeoutS);
    monitor->setCommandTimeoutMs(m_commandTimeoutMs);
    m_monitors.push_back(monitor);
    m_projects.insert(monitor, projectFile);
    auto* item = new QTreeWidgetItem(m_tree);
    item->setText(0, QFileInfo(jobDir).fileName());
    item->setToolTip(0, jobDir);
    item->setData(0, kMonitorRole, QVariant::fromValue<QObject*>(monitor));
    item->setText(1, tr("Waiting for the first status\u2026"));
    item->setExpanded(true);
    m_items.insert(monitor, item);
    connect(monitor, &FarmJobMonitor::statusChanged, this, [this, monitor] { refreshItem(monitor); });
    connect(monitor, &FarmJobMonitor::errorChanged, this, [this, monitor] { refreshItem(monitor); });
    connect(monitor, &FarmJobMonitor::commandFinished, this,
            [this, monitor](const QString&, bool ok, const QString& message) {
                if (monitor == m_current)
                    showMessage(message, !ok);
                refreshButtons();
            });
    connect(monitor, &FarmJobMonitor::takesCollected, this,
            [this, monitor](const QVector<Take>& takes, const QStringList& rejected) {
                onCollected(monitor, takes, rejected);
            });
    persist();
    monitor->start();
    if (!m_current)
        setCurrentMonitor(monitor);
    Q_EMIT jobAdded(monitor);
    return monitor;
}

void FarmJobsPanel::removeJob(FarmJobMonitor* monitor) {
    if (!monitor || !m_monitors.contains(monitor))
        return;
    m_monitors.removeAll(monitor);
    delete m_items.take(monitor);
    m_projects.remove(monitor);
    if (m_current == monitor)
        m_current = nullptr;
    monitor->stop();
    monitor->deleteLater();
    persist();
    setCurrentMonitor(m_monitors.isEmpty() ? nullptr : m_monitors.front());
}

FarmJobMonitor* FarmJobsPanel::monitorFor(const QString& jobDir) const {
    const QString dir = QFileInfo(jobDir).absoluteFilePath();
    for (FarmJobMonitor* m : m_monitors)
        if (m->jobDir() == dir)
            return m;
    return nullptr;
}

void FarmJobsPanel::persist() const {
    QVariantList list;
    for (const FarmJobMonitor* m : m_monitors)
        list << QVariantMap{{QStringLiteral("dir"), m->jobDir()},
                            {QStringLiteral("project"), m_projects.value(m)}};
    QSettings settings;
    settings.setValue(settingsKey(), list);
}

int FarmJobsPanel::restoreJobs() {
    const QVariantList list = QSettings().value(settingsKey()).toList();
    int n = 0;
    for (const QVariant& v : list) {
        const QVariantMap e = v.toMap();
        const QString dir = e.value(QStringLiteral("dir")).toString();
        if (dir.isEmpty() || !QFileInfo::exists(QDir(dir).filePath(QStringLiteral("job.json"))))
            continue; // the folder was removed: nothing left to watch
        if (!monitorFor(dir)) {
            addJob(dir, e.value(QStringLiteral("project")).toString());
            ++n;
        }
    }
    persist(); // drops the jobs whose folders are gone
    return n;
}

void FarmJobsPanel::setCurrentMonitor(FarmJobMonitor* monitor) {
    if (monitor && !m_monitors.contains(monitor))
        monitor = nullptr;
    m_current = monitor;
    if (QTreeWidgetItem* item = m_items.value(monitor)) {
        QTreeWidgetItem* cur = m_tree->currentItem();
        while (cur && cur->parent())
            cur = cur->parent();
        if (cur != item)
            m_tree->setCurrentItem(item);
    }
    if (monitor && !monitor->errorText().isEmpty())
        showMessage(monitor->errorText(), true);
    else
        showMessage(QString(), false);
    refreshButtons();
}

void FarmJobsPanel::showMessage(const QString& text, bool error) {
    m_message->setText(text);
    m_message->setProperty("error", error);
    m_message->setStyleSheet(error ? QStringLiteral("color: #e06c6c;") : QString());
    m_message->setVisible(!text.isEmpty());
}

void FarmJobsPanel::refreshItem(FarmJobMonitor* monitor) {
    QTreeWidgetItem* item = m_items.value(monitor);
    if (!item)
        return;
    const FarmStatus& st = monitor->status();
    const int n = int(st.tasks.size());
    if (!monitor->errorText().isEmpty()) {
        item->setText(1, monitor->errorText());
        item->setToolTip(1, monitor->errorText());
    } else if (monitor->hasStatus()) {
        QString summary = tr("%1 of %2 done").arg(st.count(QStringLiteral("COMPLETED"))).arg(n);
        if (st.failedCount() > 0)
            summary += tr(", %n failed", nullptr, st.failedCount());
        if (st.count(QStringLiteral("RUNNING")) > 0)
            summary += tr(", %n running", nullptr, st.count(QStringLiteral("RUNNING")));
        if (st.count(QStringLiteral("PENDING")) > 0)
            summary += tr(", %n pending", nullptr, st.count(QStringLiteral("PENDING")));
        if (st.hasFineTune && st.fineTuneState != QLatin1String("DONE"))
            summary += tr(" (fine-tune: %1)").arg(st.fineTuneState);
        item->setText(1, summary);
        item->setToolTip(
            1, st.finished
                   ? tr("Finished")
                   : tr("Watching: the status is read every %1 s").arg(monitor->pollIntervalMs() / 1000.0));
        double sum = 0;
        for (const auto& t : st.tasks)
            sum += t.progress;
        item->setText(2, n > 0 ? QStringLiteral("%1 %").arg(sum / n, 0, 'f', 0) : QString());
        item->setText(3, st.finished ? QString() : formatEta(st.etaSeconds));
        // One child row per task.
        while (item->childCount() > n)
            delete item->takeChild(item->childCount() - 1);
        for (int i = 0; i < n; ++i) {
            const FarmTaskStatus& t = st.tasks[i];
            QTreeWidgetItem* child = i < item->childCount() ? item->child(i) : new QTreeWidgetItem(item);
            child->setText(0, tr("Task %1 (seed %2)").arg(t.index).arg(t.seed));
            QString state = t.state;
            if (!t.reason.isEmpty() && t.state == QLatin1String("PENDING"))
                state += QStringLiteral(" (%1)").arg(t.reason);
            if (t.exitCode > 0)
                state += tr(", exit code %1").arg(t.exitCode);
            if (t.state == QLatin1String("COMPLETED") && !t.takeVerified)
                state += tr(", take does not match its sidecar");
            child->setText(1, state);
            child->setToolTip(1, t.logTail.trimmed());
            child->setText(2, QStringLiteral("%1 %").arg(t.progress, 0, 'f', 0));
            child->setText(3, t.state == QLatin1String("RUNNING") ? formatEta(t.etaSeconds) : QString());
        }
    }
    if (monitor == m_current) {
        if (!monitor->errorText().isEmpty())
            showMessage(monitor->errorText(), true);
        else if (m_message->property("error").toBool() && m_message->text().startsWith(tr("Cannot read")))
            showMessage(QString(), false);
    }
    refreshButtons();
}

void FarmJobsPanel::refreshButtons() {
    FarmJobMonitor* m = m_current;
    const bool idle = m && !m->isBusy();
    const bool known = m && m->hasStatus();
    m_cancelButton->setEnabled(idle && (!known || !m->status().finished));
    m_resubmitButton->setEnabled(idle && known && m->status().failedCount() > 0);
    m_collectButton->setEnabled(idle && known && m->status().count(QStringLiteral("COMPLETED")) > 0);
    m_removeButton->setEnabled(m != nullptr);
}

void FarmJobsPanel::cancelCurrent() {
    if (m_current) {
        m_current->cancelJob();
        refreshButtons();
    }
}

void FarmJobsPanel::resubmitCurrent() {
    if (m_current) {
        m_current->resubmitFailed();
        refreshButtons();
    }
}

void FarmJobsPanel::collectCurrent() {
    if (!m_current)
        return;
    const QString project = m_projects.value(m_current);
    if (!project.isEmpty() && !sameFile(project, m_document->filePath())) {
        showMessage(tr("This farm job belongs to %1: open that project to collect its takes.").arg(project),
                    true);
        return;
    }
    m_current->collect();
    refreshButtons();
}

void FarmJobsPanel::removeCurrent() {
    removeJob(m_current);
}

void FarmJobsPanel::onCollected(FarmJobMonitor* monitor, const QVector<Take>& takes,
                                const QStringList& rejected) {
    // The document may have changed to another project while the command ran.
    const QString project = m_projects.value(monitor);
    if (!project.isEmpty() && !sameFile(project, m_document->filePath())) {
        showMessage(tr("This farm job belongs to %1: open that project to collect its takes.").arg(project),
                    true);
        return;
    }
    const int added = addTakesToDocument(takes);
    QString text = tr("%n take(s) added to the Takes panel", nullptr, added);
    if (added < int(takes.size()))
        text += tr(" (%n already listed)", nullptr, int(takes.size()) - added);
    if (!rejected.isEmpty())
        text +=
            QLatin1Char('\n') + tr("Not collected:") + QLatin1Char('\n') + rejected.join(QLatin1Char('\n'));
    if (monitor == m_current)
        showMessage(text, !rejected.isEmpty());
    Q_EMIT takesAdded(added);
}

int FarmJobsPanel::addTakesToDocument(const QVector<Take>& takes) {
    int added = 0;
    for (const Take& take : takes) {
        bool listed = false;
        for (const Take& t : m_document->project().takes)
            listed = listed || sameFile(QString::fromStdString(t.video), QString::fromStdString(take.video));
        if (listed)
            continue;
        m_document->push(addTake(take, tr("Add farm take (seed %1)").arg(take.seed).toStdString()));
        ++added;
    }
    return added;
}

} // namespace mb::ui
