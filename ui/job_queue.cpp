#include "ui/job_queue.h"

#include <QTimer>

#include <cmath>

namespace mb::ui {

JobQueue::JobQueue(QObject* parent) : QStandardItemModel(0, ColumnCount, parent) {
    setHorizontalHeaderLabels({tr("Job"), tr("Status"), tr("Progress"), tr("Remaining")});
}

JobQueue::~JobQueue() {
    // Jobs are our children; their destructors kill children still running.
    for (ProcessJob* job : m_jobs)
        disconnect(job, nullptr, this, nullptr);
}

QString JobQueue::statusText(ProcessJob::Status status) {
    switch (status) {
    case ProcessJob::Status::Pending:
        return tr("Waiting");
    case ProcessJob::Status::Running:
        return tr("Running");
    case ProcessJob::Status::Finished:
        return tr("Done");
    case ProcessJob::Status::Failed:
        return tr("Failed");
    case ProcessJob::Status::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

void JobQueue::add(ProcessJob* job) {
    job->setParent(this);
    m_jobs << job;
    QList<QStandardItem*> items;
    for (int c = 0; c < ColumnCount; ++c) {
        auto* item = new QStandardItem;
        item->setEditable(false);
        items << item;
    }
    items[ColumnJob]->setData(QVariant::fromValue(static_cast<QObject*>(job)), JobRole);
    items[ColumnJob]->setToolTip(job->commandLine());
    appendRow(items);
    updateRow(job);
    connect(job, &ProcessJob::progressChanged, this, [this, job] { updateRow(job); });
    connect(job, &ProcessJob::statusChanged, this, [this, job] { updateRow(job); });
    connect(job, &ProcessJob::ended, this, [this, job] {
        updateRow(job);
        if (m_running == job)
            m_running = nullptr;
        Q_EMIT jobEnded(job);
        // Queued: let every listener see this job's end before the next one starts.
        QTimer::singleShot(0, this, &JobQueue::startNext);
    });
    if (!m_running)
        startNext();
}

ProcessJob* JobQueue::jobAt(int row) const {
    return row >= 0 && row < m_jobs.size() ? m_jobs[row] : nullptr;
}

int JobQueue::rowOf(const ProcessJob* job) const {
    for (int i = 0; i < m_jobs.size(); ++i)
        if (m_jobs[i] == job)
            return i;
    return -1;
}

int JobQueue::pendingCount() const {
    int n = 0;
    for (const ProcessJob* j : m_jobs)
        n += j->status() == ProcessJob::Status::Pending;
    return n;
}

void JobQueue::startNext() {
    if (m_running)
        return;
    for (ProcessJob* job : m_jobs) {
        if (job->status() != ProcessJob::Status::Pending)
            continue;
        m_running = job;
        Q_EMIT jobStarted(job);
        job->begin(); // may end at once (no program): ended() then starts the next one
        return;
    }
    Q_EMIT idle();
}

void JobQueue::cancelAll() {
    // Pending ones first, so the running job's end does not start one of them.
    for (ProcessJob* job : m_jobs)
        if (job->status() == ProcessJob::Status::Pending)
            job->cancel();
    if (m_running)
        m_running->cancel();
}

void JobQueue::removeEnded() {
    for (int row = int(m_jobs.size()) - 1; row >= 0; --row) {
        ProcessJob* job = m_jobs[row];
        if (job->status() == ProcessJob::Status::Pending || job->status() == ProcessJob::Status::Running)
            continue;
        m_jobs.removeAt(row);
        removeRow(row);
        job->deleteLater();
    }
}

void JobQueue::updateRow(ProcessJob* job) {
    const int row = rowOf(job);
    if (row < 0)
        return;
    item(row, ColumnJob)->setText(job->label());
    item(row, ColumnStatus)->setText(statusText(job->status()));
    // Rounded down: "100%" only for a job that finished.
    item(row, ColumnProgress)
        ->setText(QStringLiteral("%1%").arg(std::floor(job->percent() + 1e-9), 0, 'f', 0));
    item(row, ColumnProgress)->setData(job->percent(), Qt::UserRole);
    item(row, ColumnEta)
        ->setText(job->isActive() ? ProcessJob::formatDuration(job->remainingMs()) : QString());
}

} // namespace mb::ui
