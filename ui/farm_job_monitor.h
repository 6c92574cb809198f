#pragma once
/**
 * \file farm_job_monitor.h
 * \brief Watches one render-farm job (a job folder made by `motionbooth-cli farm submit`, core/farm) from the
 *        editor, and runs its farm commands: status, cancel, resubmit --failed, collect.
 *
 * Every command is a `motionbooth-cli farm …` child process started asynchronously: the UI thread never waits
 * for Slurm. Each child has a deadline (commandTimeoutMs()) after which it is killed and reported as an
 * error, and the CLI itself gives every Slurm command a shorter one (slurmTimeoutSeconds()), so an
 * unreachable controller or a missing `sbatch` shows up as errorText(), never as a hang.
 *
 * Polling: a QTimer runs `farm status JOB --json` every pollIntervalMs() while the job is active (at most one
 * poll at a time); it stops by itself once every task has ended and starts again after a resubmit.
 *
 * \code
 *   auto* monitor = new FarmJobMonitor(cliProgram(), "/p/farm/shot-20260101-120000", this);
 *   connect(monitor, &FarmJobMonitor::statusChanged, view, [=] { show(monitor->status()); });
 *   monitor->start();
 *   monitor->collect();   // → takesCollected(takes) with the takes that match their sidecars
 * \endcode
 */
#include "doc/project.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <functional>

class QTimer;

namespace mb::ui {

/** One array task as `farm status --json` reports it. */
struct FarmTaskStatus {
    int index = 0;
    quint64 seed = 0;
    QString state;  ///< PENDING RUNNING COMPLETED FAILED CANCELLED TIMEOUT … MISSING NOT_SUBMITTED
    QString reason; ///< Slurm's reason for a pending task (Dependency, Resources…)
    QString slurmId;
    int exitCode = -1;
    double progress = 0;    ///< 0..100
    double etaSeconds = -1; ///< -1 unknown
    bool takeVerified = false;
    QString video;
    QString logTail;
};

/** The whole job as `farm status --json` reports it. */
struct FarmStatus {
    QString jobDir;
    bool finished = false;
    double etaSeconds = -1;
    bool hasFineTune = false;
    QString fineTuneState, fineTuneLogTail;
    QVector<FarmTaskStatus> tasks;
    int count(const QString& state) const;
    /** Tasks that ended without a take (failed, cancelled, timed out, missing…). */
    int failedCount() const;
};

/**
 * Parses the output of `motionbooth-cli farm status JOB --json`. Returns false and sets `error` (saying what
 * is wrong) for anything else.
 */
bool parseFarmStatus(const QByteArray& json, FarmStatus& status, QString* error = nullptr);

/**
 * Parses the output of `motionbooth-cli farm collect JOB --json --list-only`: the verified takes, and in
 * `rejected` one "task N: why" line per take that was not collected.
 */
bool parseCollectedTakes(const QByteArray& json, QVector<Take>& takes, QStringList& rejected,
                         QString* error = nullptr);

class FarmJobMonitor : public QObject {
    Q_OBJECT
public:
    FarmJobMonitor(QString program, QString jobDir, QObject* parent = nullptr);
    ~FarmJobMonitor() override; ///< kills children that still run

    QString jobDir() const { return m_jobDir; }
    QString program() const { return m_program; }
    /** The last status that was read (empty task list before the first one). */
    const FarmStatus& status() const { return m_status; }
    bool hasStatus() const { return m_hasStatus; }
    /** The last problem (a status poll or a command that failed), or empty. Cleared by a good poll. */
    QString errorText() const { return m_error; }
    /** What the last cancel/resubmit/collect printed (its result, or why it failed). */
    QString lastMessage() const { return m_message; }
    /** Whether the poll timer runs (the job is not known to be finished). */
    bool isPolling() const;
    /** Whether a cancel/resubmit/collect command is running. */
    bool isBusy() const { return m_busy; }

    void setPollIntervalMs(int ms);
    int pollIntervalMs() const;
    /** Deadline for each child process; it is killed and reported after this. */
    void setCommandTimeoutMs(int ms) { m_commandTimeoutMs = ms; }
    int commandTimeoutMs() const { return m_commandTimeoutMs; }
    /** Passed as --slurm-timeout: the deadline of each Slurm command inside the CLI. */
    void setSlurmTimeoutSeconds(int s) { m_slurmTimeoutS = s; }
    int slurmTimeoutSeconds() const { return m_slurmTimeoutS; }

public Q_SLOTS:
    /** Polls now and then every pollIntervalMs() until the job has finished. */
    void start();
    void stop();
    /** One status poll now (skipped while one is running). */
    void pollNow();
    /** `farm cancel JOB`. */
    void cancelJob();
    /** `farm resubmit JOB --failed`; polling starts again. */
    void resubmitFailed();
    /** `farm collect JOB --json --list-only`; emits takesCollected with the verified takes. */
    void collect();

Q_SIGNALS:
    void statusChanged();
    void errorChanged(const QString& error);
    /** A cancel/resubmit/collect command ended; `message` is what it printed or why it failed. */
    void commandFinished(const QString& command, bool ok, const QString& message);
    /** The job's takes that match their sidecars (collect()), for the document to list. */
    void takesCollected(const QVector<mb::Take>& takes, const QStringList& rejected);
    /** The job has no active task any more (emitted once per time it gets there). */
    void finished();

private:
    using Done = std::function<void(int exitCode, bool timedOut, const QByteArray& out, const QString& err)>;
    /** Starts `program farm ARGS` with the deadline; `done` runs on the UI thread when it has ended. */
    void runFarm(const QStringList& args, Done done);
    void runAction(const QStringList& args, Done done);
    void setError(const QString& error);
    static QString describeFailure(int exitCode, bool timedOut, const QString& err, int timeoutMs);

    QString m_program, m_jobDir;
    FarmStatus m_status;
    bool m_hasStatus = false;
    QString m_error, m_message;
    QTimer* m_timer;
    bool m_polling = false; ///< a status child runs
    bool m_busy = false;    ///< an action child runs
    int m_commandTimeoutMs = 60000;
    int m_slurmTimeoutS = 20;
};

} // namespace mb::ui
