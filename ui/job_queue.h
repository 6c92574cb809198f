#pragma once
/**
 * \file job_queue.h
 * \brief The queue of process jobs, as an item model (one row per job), that runs one job at a time in the
 *        order they were added (Shotcut's JobQueue).
 *
 * The queue owns its jobs. A job that ends (finished, failed or cancelled) stays listed with its status until
 * removeEnded() clears it, so its log and error can still be read.
 *
 * \code
 *   JobQueue queue;
 *   queue.add(makeAnimaticJob(cliProgram(), project, out));   // starts at once when the queue is idle
 *   connect(&queue, &JobQueue::jobEnded, ...);
 * \endcode
 */
#include "ui/process_job.h"

#include <QStandardItemModel>

namespace mb::ui {

class JobQueue : public QStandardItemModel {
    Q_OBJECT
public:
    enum Column { ColumnJob, ColumnStatus, ColumnProgress, ColumnEta, ColumnCount };
    /** Item data role holding the row's ProcessJob* (column 0). */
    static constexpr int JobRole = Qt::UserRole + 1;

    explicit JobQueue(QObject* parent = nullptr);
    ~JobQueue() override;

    /** Appends `job` (taking ownership) and starts it when no other job runs. */
    void add(ProcessJob* job);
    ProcessJob* jobAt(int row) const;
    int rowOf(const ProcessJob* job) const;
    int jobCount() const { return rowCount(); }
    /** The running job, or nullptr. */
    ProcessJob* runningJob() const { return m_running; }
    /** Jobs not yet started. */
    int pendingCount() const;
    /** Cancels the running job and every pending one. */
    void cancelAll();
    /** Drops the rows of jobs that ended. */
    void removeEnded();

    static QString statusText(ProcessJob::Status status);

Q_SIGNALS:
    void jobStarted(mb::ui::ProcessJob* job);
    /** A job ended (its status says how); the next one is started right after. */
    void jobEnded(mb::ui::ProcessJob* job);
    /** The queue ran dry. */
    void idle();

private:
    void startNext();
    void updateRow(ProcessJob* job);

    QList<ProcessJob*> m_jobs; ///< in row order
    ProcessJob* m_running = nullptr;
};

} // namespace mb::ui
